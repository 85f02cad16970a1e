import { rowColumnDirections } from './rowColumnDirections';
import { angleDegrees } from './vector3';

/** Planes whose row and column directions each agree within this angle belong to one stack. */
export const SAME_ORIENTATION_TOLERANCE_DEGREES = 0.5;

/**
 * True when two ImageOrientationPatient values describe the same voxel axes: the row directions
 * agree within 0.5° and so do the column directions. Comparing both (not only the normals) also
 * separates planes that share a normal but are rotated or flipped in plane, whose pixels would not
 * line up in one volume. False when either orientation is unusable.
 */
export function isSameOrientation(a: readonly number[], b: readonly number[]): boolean {
  const da = rowColumnDirections(a);
  const db = rowColumnDirections(b);
  if (!da || !db) return false;
  return (
    angleDegrees(da.row, db.row) <= SAME_ORIENTATION_TOLERANCE_DEGREES &&
    angleDegrees(da.column, db.column) <= SAME_ORIENTATION_TOLERANCE_DEGREES
  );
}
