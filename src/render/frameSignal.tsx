// `voxlens.frame()`: resolves after a frame has been drawn in which every shown pane had its
// scene and its published size, and every visible layer's slice (with its texture) took part. r3f runs useFrame callbacks, then renders, in one animation
// frame; resolving from a timeout queued in the callback lands after that render.
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect } from 'react';
import { volumeLayers } from '../state/layerRoles';
import { useViewerStore, type PaneKind } from '../state/viewerStore';
import { DATA_TYPES } from '../volume/dataTypes';
import { isUndisplayable } from './textures/textureCache';
import { layoutPanes } from './panes/layouts';
import { paneElements, paneScenes } from './panes/paneRegistry';
import { paneSizesSettled } from './panes/volumeImage';
import { awaitingBricks, refining } from './panes/rayParams';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}
const waiting: Waiter[] = [];
let unavailable: string | null = null;
let invalidateCanvas: (() => void) | null = null;
/** How many meshes (one per pane that shows the layer) draw each layer with its texture. */
const drawnLayers = new Map<string, number>();

/** Layers every shown slice pane has drawn (voxlens:first-slices was marked for them). */
const slicesShown = new Set<string>();

/** The visible layers the shown slice panes draw, where the layout has any (none in the 3D pane alone). */
function sliceLayers(): string[] {
  const { layers, layout, primaryPane } = useViewerStore.getState();
  if (!layoutPanes(layout, primaryPane).some((p) => p.kind !== '3d')) return [];
  return layers.filter((l) => l.display.visible).map((l) => l.id);
}

/**
 * Whether this frame is the first in which the slice panes draw a layer: the 3D pane then keeps
 * its last image (none: blank) and casts in the next frame, so the slices are on screen without
 * waiting for the ray cast (a full cast takes seconds on a software renderer). frame() waits for
 * that next frame.
 */
export function firstSlicesPending(): boolean {
  return sliceLayers().some((id) => !slicesShown.has(id) && drawnLayers.has(id));
}

/**
 * Called after the compositor drew the panes: once every shown slice pane drew each visible layer
 * (with its texture), the layers it drew for the first time get the performance mark
 * `voxlens:first-slices` (at once, after the frame's draw calls and before the next frame's), and
 * the next frame casts the 3D pane.
 */
export function noteSlicesDrawn(): void {
  const ids = sliceLayers();
  // A closed layer is forgotten (one hidden and shown again is not new).
  const open = new Set(useViewerStore.getState().layers.map((l) => l.id));
  for (const id of slicesShown) if (!open.has(id)) slicesShown.delete(id);
  const fresh = ids.filter((id) => !slicesShown.has(id));
  if (!fresh.length || !fresh.every((id) => drawnLayers.has(id) || isUndisplayable(id))) return;
  for (const id of fresh) slicesShown.add(id);
  performance.mark('voxlens:first-slices', { detail: { layers: fresh } });
  invalidateCanvas?.();
}

export function markLayerDrawn(id: string, drawn: boolean): void {
  const n = (drawnLayers.get(id) ?? 0) + (drawn ? 1 : -1);
  if (n > 0) drawnLayers.set(id, n);
  else drawnLayers.delete(id);
  invalidateCanvas?.();
}

const noFrameError = (reason: string) => Object.assign(new Error(`No frame can be drawn: ${reason}`), { code: 'no-webgl' });

export function requestFrame(): Promise<void> {
  return new Promise((resolve, reject) => {
    if (unavailable !== null) {
      reject(noFrameError(unavailable));
      return;
    }
    waiting.push({ resolve, reject });
    invalidateCanvas?.();
  });
}

/** The canvas could not be created: pending and future frame() calls reject instead of waiting forever. */
export function setRenderUnavailable(reason: string): void {
  unavailable = reason;
  for (const w of waiting.splice(0)) w.reject(noFrameError(reason));
}

/** Wakes the demand-driven canvas after anything outside React changed what it shows. */
export function invalidateFrame(): void {
  invalidateCanvas?.();
}

/**
 * The layers the current layout draws: every visible one where a slice pane is shown; in the 3D
 * pane alone, the ray-cast layer and its overlays (state/layerRoles.ts volumeLayers).
 */
function layersToDraw(): string[] {
  const { layers, layout } = useViewerStore.getState();
  const visible = layers.filter((l) => l.display.visible);
  if (layout !== '3d') return visible.map((l) => l.id);
  const { base, overlays } = volumeLayers(layers);
  return [base, ...overlays].filter((l) => l !== undefined && DATA_TYPES[l.datatype].channels === 1).map((l) => l!.id);
}

/**
 * Every layer drawn, and the 3D pane (where shown) past its provisional image: until a volume's
 * brick ranges arrive it draws at interaction quality, and frame() waits for the refined one. A
 * series still arriving has no brick ranges yet, and a multiscale layer being refined draws its
 * coarse level at interaction quality: for both the provisional image is the frame. Nor the frame
 * in which the 3D pane waits for the slice panes' first drawing of a layer (firstSlicesPending).
 */
const allReady = () => {
  const s = useViewerStore.getState();
  const shown = layoutPanes(s.layout, s.primaryPane).map((p) => p.kind);
  const settled = s.layers.filter((l) => !l.arriving && !refining(l));
  return (
    paneSizesSettled(shown, s.paneSizes, measuredPane) &&
    shown.every((kind) => paneScenes.has(kind)) &&
    layersToDraw().every((id) => drawnLayers.has(id) || isUndisplayable(id)) &&
    !(shown.includes('3d') && (awaitingBricks({ layers: settled }) || firstSlicesPending()))
  );
};

/** A pane element's size as its ResizeObserver publishes it (CSS px, rounded); null when it is not mounted. */
function measuredPane(kind: string): [number, number] | null {
  const el = paneElements.get(kind as PaneKind);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return [Math.round(r.width), Math.round(r.height)];
}

export function FrameSignal() {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => {
    invalidateCanvas = invalidate;
    if (waiting.length) invalidate();
    return () => {
      invalidateCanvas = null;
    };
  }, [invalidate]);
  useFrame(() => {
    if (!waiting.length) return;
    if (!allReady()) {
      invalidate();
      return;
    }
    const done = waiting.splice(0);
    setTimeout(() => done.forEach((w) => w.resolve()), 0);
  });
  return null;
}
