// What each slice pane shows, derived from the store alone (pane size, zoom/pan, crosshair,
// convention, layers). The DOM overlay, the pointer handlers and the shaders all call this, so a
// pane's pixels, its crosshair lines and its probe agree by construction.
import { worldBounds } from '../../state/actions';
import type { LayerMeta, ViewerState } from '../../state/viewerStore';
import { fitView, type Plane, type ViewTransform } from './sliceGeometry';

let lastLayers: LayerMeta[] | null = null;
let lastBounds: ReturnType<typeof worldBounds> = { lo: [0, 0, 0], hi: [0, 0, 0] };

/** Bounds of every layer's voxel centres; recomputed only when the layer list changes. */
export function layerBounds(layers: LayerMeta[]): ReturnType<typeof worldBounds> {
  // Stryker disable next-line ConditionalExpression: a cache; recomputing every time gives the same bounds
  if (layers !== lastLayers) {
    lastLayers = layers;
    lastBounds = worldBounds(layers);
  }
  return lastBounds;
}

type PaneState = Pick<ViewerState, 'layers' | 'crosshair' | 'convention' | 'paneSizes' | 'paneViews'> & Partial<Pick<ViewerState, 'orientation'>>;

export function paneTransform(s: PaneState, plane: Plane): ViewTransform | null {
  const size = s.paneSizes[plane];
  if (!size || size[0] <= 0 || size[1] <= 0 || !s.crosshair || s.layers.length === 0) return null;
  const v = s.paneViews[plane];
  return fitView(plane, s.convention, layerBounds(s.layers), s.crosshair, size[0], size[1], v.zoom, v.panMm, s.orientation);
}
