import type { Vec3 } from '../types';
import { dot, normalize } from './vector3';

/** How far from perpendicular the row and column cosines may be: |row · column| ≤ this. */
export const ORTHOGONALITY_TOLERANCE = 1e-3;

/**
 * The row and column directions of ImageOrientationPatient (LPS), each made unit length, or null
 * when the tag cannot describe an image plane: not six finite numbers, a zero-length direction,
 * or directions that are not perpendicular (|row · column| > 1e-3 after normalising).
 *
 * DICOM: the first three values are the direction of a row (the way column index i grows, left
 * to right on screen), the last three the direction of a column (the way row index j grows, top
 * to bottom). Scanners write them rounded to a few decimals, hence the normalising.
 */
export function rowColumnDirections(orientation: readonly number[]): { row: Vec3; column: Vec3 } | null {
  if (orientation.length !== 6 || !orientation.every(Number.isFinite)) return null;
  const row = normalize(orientation.slice(0, 3));
  const column = normalize(orientation.slice(3, 6));
  if (!row || !column) return null;
  if (Math.abs(dot(row, column)) > ORTHOGONALITY_TOLERANCE) return null;
  return { row, column };
}
