// The few 3-vector operations the DICOM geometry functions share. Plain tuples in patient
// coordinates (LPS mm or unitless direction cosines); nothing here knows about voxels.
import type { Vec3 } from '../types';

export const dot = (a: readonly number[], b: readonly number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

export const cross = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

export const subtract = (a: readonly number[], b: readonly number[]): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

export const length = (a: readonly number[]): number => Math.hypot(a[0], a[1], a[2]);

export const isFiniteVec3 = (a: readonly number[] | undefined): a is Vec3 =>
  a !== undefined && a.length === 3 && Number.isFinite(a[0]) && Number.isFinite(a[1]) && Number.isFinite(a[2]);

/** The unit vector along `a`, or null when `a` is not finite or has no length. */
export function normalize(a: readonly number[]): Vec3 | null {
  const n = length(a);
  if (!Number.isFinite(n) || n === 0) return null;
  return [a[0] / n, a[1] / n, a[2] / n];
}

/**
 * The angle between two directions in degrees, 0…180. atan2 of |a×b| and a·b stays accurate for
 * the tiny angles the tolerances here are about (acos of a dot product near 1 does not).
 */
export const angleDegrees = (a: readonly number[], b: readonly number[]): number =>
  (Math.atan2(length(cross(a, b)), dot(a, b)) * 180) / Math.PI;
