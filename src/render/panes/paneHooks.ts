import { useEffect, type RefObject } from 'react';
import { useViewerStore, type PaneKind } from '../../state/viewerStore';

/** Publishes a pane element's CSS size to the store (the canvas and the geometry read it there). */
export function usePaneSize(kind: PaneKind, ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      useViewerStore.getState().setPaneSize(kind, [Math.round(width), Math.round(height)]);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      useViewerStore.getState().setPaneSize(kind, null);
    };
  }, [kind, ref]);
}

let hovered: PaneKind | null = null;
/** The pane under the pointer: where arrow and Page keys page. */
export const setHoveredPane = (kind: PaneKind | null) => {
  hovered = kind;
};
export const hoveredPane = () => hovered;
