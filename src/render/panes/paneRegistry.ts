// The panes' two halves meet here: the DOM element that receives events and defines the pane's
// rectangle, and the three.js scene and camera drawn into that rectangle of the one canvas.
import type { Camera, Scene } from 'three';
import type { PaneKind } from '../../state/viewerStore';

export const paneElements = new Map<PaneKind, HTMLElement>();
export const paneScenes = new Map<PaneKind, { scene: Scene; camera: Camera }>();

export function registerPaneElement(kind: PaneKind, el: HTMLElement): () => void {
  paneElements.set(kind, el);
  return () => {
    if (paneElements.get(kind) === el) paneElements.delete(kind);
  };
}

export function registerPaneScene(kind: PaneKind, scene: Scene, camera: Camera): () => void {
  const entry = { scene, camera };
  paneScenes.set(kind, entry);
  return () => {
    if (paneScenes.get(kind) === entry) paneScenes.delete(kind);
  };
}
