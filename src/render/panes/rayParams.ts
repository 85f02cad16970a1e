// Small decisions shared by the ray caster (GPU) and picking (CPU), so both march alike.
import type { Vec3 } from '../../state/viewerStore';

/** How much coarser the ray steps while the user drags in the 3D pane. */
export const INTERACTION_STEP_FACTOR = 4;

/** Ray step in voxels: 1 / (samples per voxel), coarser while interacting. */
export function rayStepVoxels(quality: number, interacting: boolean): number {
  return (1 / quality) * (interacting ? INTERACTION_STEP_FACTOR : 1);
}

/** The octant "cut at the crosshair" removes: the one facing the camera, per world axis ±1. */
export function cutSign(cameraWorld: readonly number[], crosshair: readonly number[]): Vec3 {
  return [0, 1, 2].map((a) => (cameraWorld[a] - crosshair[a] >= 0 ? 1 : -1)) as Vec3;
}
