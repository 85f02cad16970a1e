// The panes' two halves meet here: the DOM element that receives events and defines the pane's
// rectangle, and the three.js scene and camera drawn into that rectangle of the one canvas.
import type { Camera, Scene } from 'three';
import type { PaneKind } from '../../state/viewerStore';

export interface PaneScene {
  scene: Scene;
  camera: Camera;
  /** Drawn over `scene` every frame (the 3D crosshair). */
  overlay?: Scene;
  /**
   * When given, `scene` is drawn into an offscreen target only when this key changes (shallow)
   * and copied to the pane otherwise: a ray-cast volume is not re-marched because the crosshair
   * moved in another pane.
   */
  cacheKey?: () => readonly unknown[];
  /** With `cacheKey`: the offscreen image's resolution relative to the pane (below 1 while dragging). */
  resolution?: () => number;
}

export const paneElements = new Map<PaneKind, HTMLElement>();
export const paneScenes = new Map<PaneKind, PaneScene>();

export function registerPaneElement(kind: PaneKind, el: HTMLElement): () => void {
  paneElements.set(kind, el);
  return () => {
    if (paneElements.get(kind) === el) paneElements.delete(kind);
  };
}

export function registerPaneScene(kind: PaneKind, scene: Scene, camera: Camera, extra: Pick<PaneScene, 'overlay' | 'cacheKey' | 'resolution'> = {}): () => void {
  const entry: PaneScene = { scene, camera, ...extra };
  paneScenes.set(kind, entry);
  return () => {
    if (paneScenes.get(kind) === entry) paneScenes.delete(kind);
  };
}
