// window.voxlens: oblique MPR and thick slabs (issue 23). The same actions the rotation handles
// and the pane's slab menu call.
import { alignTo, setPaneSlab, setRotation, slabProbe, type SlabProbeResult } from '../state/obliqueActions';
import { isIdentity3, mat3FromRows, mat3Rows, type SlabMode, type SlicePlane, type Vec3 } from '../state/orientation';
import { planeFrame } from '../render/camera/sliceGeometry';
import { useViewerStore } from '../state/viewerStore';

const PANES: readonly SlicePlane[] = ['axial', 'coronal', 'sagittal'];

function checkPane(pane: unknown, fn: string): SlicePlane {
  if (!PANES.includes(pane as SlicePlane)) throw new Error(`${fn}: pane must be axial, coronal or sagittal, not ${JSON.stringify(pane)}.`);
  return pane as SlicePlane;
}

export const orientationApi = {
  /**
   * Turns the three slice planes together: `rotation` is a 3×3 rotation matrix (rows in world
   * RAS) applied to the patient-axis triplet (axial normal = R·S, coronal R·A, sagittal R·R).
   * `alignTo: 'patient'` resets; `'acquisition'` aligns to the bottom layer's voxel axes.
   */
  setOrientation(o: { rotation: number[][] } | { alignTo: 'patient' | 'acquisition' }): void {
    if (o && 'rotation' in o) {
      const rows = o.rotation;
      if (!Array.isArray(rows) || rows.length !== 3 || !rows.every((r) => Array.isArray(r) && r.length === 3 && r.every((v) => typeof v === 'number'))) {
        throw new Error('setOrientation: rotation must be 3 rows of 3 numbers.');
      }
      const e = setRotation(mat3FromRows(rows));
      if (e) throw new Error(`setOrientation: ${e.message}`);
    } else if (o && 'alignTo' in o) {
      const e = alignTo(o.alignTo);
      if (e) throw new Error(`setOrientation: ${e.message}`);
    } else throw new Error('setOrientation takes { rotation } or { alignTo }.');
  },
  /** The rotation applied to the patient axes (identity: the panes show the patient axes). */
  orientation(): { rotation: number[][] } {
    return { rotation: mat3Rows(useViewerStore.getState().orientation) };
  },
  /** A slice pane's thick slab: thickness in mm along its normal (0: thin) and max (MIP), min (MinIP) or mean. */
  setSlab(pane: SlicePlane, s: { thickness: number; mode?: SlabMode }): void {
    const e = setPaneSlab(checkPane(pane, 'setSlab'), s ?? {});
    if (e) throw new Error(`setSlab: ${e.message}`);
  },
  slab(pane: SlicePlane): { thickness: number; mode: SlabMode } {
    const s = useViewerStore.getState().slabs[checkPane(pane, 'slab')];
    return { thickness: s.thickness, mode: s.mode };
  },
  slabProbe: (pane: SlicePlane, world: Vec3, id?: string): SlabProbeResult | null => slabProbeApi(pane, world, id),
};

/**
 * The in-plane axes and normal of a pane's plane under the current rotation, for roi(): its size
 * runs along the pane's screen right and up (either sign: the shapes are symmetric).
 */
export function roiAxes(pane: SlicePlane): { u: Vec3; v: Vec3; normal: Vec3 } | undefined {
  const r = useViewerStore.getState().orientation;
  if (isIdentity3(r)) return undefined;
  const f = planeFrame(pane, 'neurological', r);
  return { u: f.right, v: f.up, normal: f.normal };
}

/** The slab pane's value at a world point of its centre plane, and for MIP/MinIP the voxel that gave it. */
export function slabProbeApi(pane: SlicePlane, world: Vec3, id?: string): SlabProbeResult | null {
  if (!Array.isArray(world) || world.length !== 3 || !world.every(Number.isFinite)) throw new Error('slabProbe: world must be three finite numbers (mm).');
  return slabProbe(checkPane(pane, 'slabProbe'), [world[0], world[1], world[2]], id);
}
