import type { Orientation, Vec3 } from '../types';
import { rowColumnDirections } from './rowColumnDirections';
import { cross, normalize } from './vector3';

/**
 * The unit normal of the image plane: row direction × column direction (LPS). Slices are sorted
 * ascending along it, so k grows the way this vector points. Null when the orientation is not
 * usable: non-finite, a zero-length row or column, or row and column not perpendicular
 * (|dot| > 1e-3).
 */
export function sliceNormal(orientation: Orientation): Vec3 | null {
  const directions = rowColumnDirections(orientation);
  if (!directions) return null;
  return normalize(cross(directions.row, directions.column));
}
