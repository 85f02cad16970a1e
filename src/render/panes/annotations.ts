// What a slice pane's corners say, as pure functions of the layer stack: which slice of which
// layer the pane shows, which layer the colour bar explains, and which 4D layer the on-image
// frame controls step.
import { worldToVoxel, type Mat4 } from '../../volume/affine';
import { DATA_TYPES } from '../../volume/dataTypes';
import { frameCount } from '../../volume/header';
import type { LayerMeta, Vec3 } from '../../state/viewerStore';

/**
 * The slice a pane shows of a layer, counted from 1: the layer's voxel axis that runs most along
 * the pane's normal (world axis `normalAxis`), and the crosshair's voxel on it. Null outside the
 * layer's slices.
 */
export function sliceOf(layer: Pick<LayerMeta, 'dims' | 'affine'>, inverseAffine: Mat4, crosshair: Vec3, normalAxis: 0 | 1 | 2): { slice: number; of: number } | null {
  let axis = 0;
  for (let c = 1; c < 3; c++) if (Math.abs(layer.affine[normalAxis * 4 + c]) > Math.abs(layer.affine[normalAxis * 4 + axis])) axis = c;
  const k = Math.round(worldToVoxel(inverseAffine, crosshair)[axis]);
  const of = layer.dims[axis];
  return k >= 0 && k < of ? { slice: k + 1, of } : null;
}

/**
 * The layer a colour bar explains: the topmost visible one-channel layer drawn through a colormap
 * other than grey. A colour (RGB) layer shows its own colours, which no colormap's bar explains.
 */
export function colourBarLayer<T extends Pick<LayerMeta, 'display' | 'dims' | 'datatype'>>(layers: readonly T[]): T | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const { visible, colormap } = layers[i].display;
    if (visible && DATA_TYPES[layers[i].datatype].channels === 1 && colormap !== 'gray' && colormap !== 'gray-inverted' && colormap !== 'label') return layers[i];
  }
  return undefined;
}

/** The layer the on-image frame controls and the space, [ and ] keys step: the topmost visible layer with more than one frame. */
export function frameLayer<T extends Pick<LayerMeta, 'display' | 'dims'>>(layers: readonly T[]): T | undefined {
  for (let i = layers.length - 1; i >= 0; i--) if (layers[i].display.visible && frameCount(layers[i].dims) > 1) return layers[i];
  return undefined;
}
