import { useEffect, useRef, type RefObject } from 'react';
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

/**
 * A wheel listener on the pane element. React's onWheel is passive, so ctrl+wheel would zoom the
 * page; this one is not and takes the event. The handler may change between renders.
 */
export function usePaneWheel(ref: RefObject<HTMLElement | null>, handler: (e: WheelEvent) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      latest.current(e);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [ref]);
}
