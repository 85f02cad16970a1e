// Actions on the slice panes' orientation and slabs (the UI and window.voxlens call these): set or
// reset the rotation, a pane's slab, and page a pane along its (oblique) normal.
import { invert } from '../volume/affine';
import { pageCrosshair, topVisibleLayer, worldBounds } from './actions';
import {
  acquisitionRotation,
  applyMat3,
  IDENTITY3,
  isIdentity3,
  isRotation,
  isSlabMode,
  MAX_SLAB_MM,
  orthonormalize,
  PLANE_NORMAL_AXIS,
  slabSampling,
  voxelStepAlong,
  type Mat3,
  type Slab,
  type SlabMode,
  type SlicePlane,
  type Vec3,
} from './orientation';
import { useViewerStore, type LayerMeta } from './viewerStore';
import { exactSource, getRecord } from './layerRegistry';
import { isIntensityLayer } from './layerRoles';
import { slabAt } from '../volume/slab';

/** A pane's unit normal in world RAS under rotation R: R applied to its patient axis. */
export function paneNormal(rotation: Mat3, plane: SlicePlane): Vec3 {
  const e: Vec3 = [0, 0, 0];
  e[PLANE_NORMAL_AXIS[plane]] = 1;
  return applyMat3(rotation, e);
}

export type OrientationError = { code: 'bad-rotation' | 'bad-align' | 'no-layer'; message: string };

/** Sets the rotation (checked to be a proper rotation within 1e-3, then made exactly orthonormal). */
export function setRotation(rotation: Mat3): OrientationError | null {
  if (!isRotation(rotation, 1e-3)) return { code: 'bad-rotation', message: `Not a rotation matrix (orthonormal rows, determinant +1): [${rotation.map((v) => +v.toPrecision(4)).join(', ')}].` };
  useViewerStore.getState().setOrientation(isIdentity3(rotation, 1e-12) ? IDENTITY3 : orthonormalize(rotation));
  return null;
}

/** 'patient': the patient axes; 'acquisition': the bottom layer's voxel axes. */
export function alignTo(to: string): OrientationError | null {
  const s = useViewerStore.getState();
  if (to === 'patient') {
    s.setOrientation(IDENTITY3);
    return null;
  }
  if (to !== 'acquisition') return { code: 'bad-align', message: `alignTo must be 'patient' or 'acquisition', not ${JSON.stringify(to)}.` };
  const bottom = s.layers[0];
  if (!bottom) return { code: 'no-layer', message: 'alignTo acquisition needs an open layer (the bottom one gives the voxel axes).' };
  const r = acquisitionRotation(bottom.affine);
  s.setOrientation(isIdentity3(r, 1e-9) ? IDENTITY3 : r);
  return null;
}

export type SlabError = { code: 'bad-slab'; message: string };

export function setPaneSlab(plane: SlicePlane, slab: { thickness: unknown; mode?: unknown }): SlabError | null {
  const current = useViewerStore.getState().slabs[plane];
  const thickness = slab.thickness;
  if (typeof thickness !== 'number' || !(thickness >= 0 && thickness <= MAX_SLAB_MM)) return { code: 'bad-slab', message: `Slab thickness must be 0…${MAX_SLAB_MM} mm, not ${String(thickness)}.` };
  const mode = slab.mode ?? current.mode;
  if (!isSlabMode(mode)) return { code: 'bad-slab', message: `Slab mode must be 'max', 'min' or 'mean', not ${JSON.stringify(mode)}.` };
  const next: Slab = { thickness, mode };
  if (next.thickness !== current.thickness || next.mode !== current.mode) useViewerStore.getState().setSlab(plane, next);
  return null;
}

const inverses = new WeakMap<object, number[]>();
const inverseOf = (layer: Pick<LayerMeta, 'affine'>): number[] => {
  let m = inverses.get(layer.affine);
  if (!m) inverses.set(layer.affine, (m = invert(layer.affine)));
  return m;
};

/** One voxel of the top visible layer along a pane's normal (mm): the paging step and the slab's sample spacing bound. */
export function paneStepMm(layers: readonly LayerMeta[], rotation: Mat3, plane: SlicePlane): number {
  const top = topVisibleLayer(layers) ?? layers[layers.length - 1];
  if (!top) return 1;
  return voxelStepAlong(inverseOf(top), paneNormal(rotation, plane));
}

/**
 * Moves the crosshair by `slices` voxel steps of the top visible layer along the pane's normal.
 * On the patient axes, the axis-aligned paging (actions.pageCrosshair); oblique, along the normal,
 * stopping at the edge of the layers' box rather than sliding along it.
 */
export function pagePane(plane: SlicePlane, slices: number): void {
  const s = useViewerStore.getState();
  if (isIdentity3(s.orientation)) {
    pageCrosshair(PLANE_NORMAL_AXIS[plane], slices);
    return;
  }
  if (!s.crosshair || s.layers.length === 0) return;
  const n = paneNormal(s.orientation, plane);
  let t = slices * paneStepMm(s.layers, s.orientation, plane);
  const { lo, hi } = worldBounds(s.layers);
  for (let a = 0; a < 3; a++) {
    if (Math.abs(n[a]) < 1e-12) continue;
    // The range of t that keeps this coordinate in the box (the crosshair may already sit outside it).
    const p = s.crosshair[a];
    const t0 = (Math.min(lo[a], p) - p) / n[a];
    const t1 = (Math.max(hi[a], p) - p) / n[a];
    t = Math.min(Math.max(t, Math.min(t0, t1)), Math.max(t0, t1));
  }
  s.setCrosshair([s.crosshair[0] + t * n[0], s.crosshair[1] + t * n[1], s.crosshair[2] + t * n[2]]);
}

export interface SlabProbeResult {
  layerId: string;
  mode: SlabMode;
  thickness: number;
  /** The slab's value at the point (scaled), NaN where no sample is inside the layer. */
  value: number;
  /** MIP and MinIP: the sample that gave it (world mm), its nearest voxel and its value. */
  at?: { world: Vec3; ijk: Vec3; scaled: number };
}

/**
 * What a slab pane shows at a world point of its centre plane, from the pinned CPU buffer: the
 * same samples as the shader (slabSampling along the pane's normal, nearest or trilinear as the
 * layer draws). Layer: `id`, else the topmost visible intensity layer. Null on a thin pane.
 */
export function slabProbe(plane: SlicePlane, world: Vec3, id?: string): SlabProbeResult | null {
  const s = useViewerStore.getState();
  const slab = s.slabs[plane];
  if (!(slab.thickness > 0)) return null;
  const layer = id !== undefined ? s.layers.find((l) => l.id === id) : [...s.layers].reverse().find((l) => l.display.visible && isIntensityLayer(l));
  const record = layer && getRecord(layer.id);
  if (!layer || !record) return null;
  const { count, spacingMm } = slabSampling(slab.thickness, paneStepMm(s.layers, s.orientation, plane));
  const r = slabAt(exactSource(record), world, paneNormal(s.orientation, plane), count, spacingMm, slab.mode, { linear: layer.display.interpolation === 'linear', frame: layer.display.frame });
  return { layerId: layer.id, mode: slab.mode, thickness: slab.thickness, value: r.value, ...(r.at ? { at: r.at } : {}) };
}
