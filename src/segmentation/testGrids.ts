// Small grids for the segmentation tests: affines (plain, anisotropic, oblique) and a
// deterministic pseudo-random reference image.
import type { Mat4 } from '../volume/affine';
import { labelGrid, type LabelGrid, type Reference, type Vec3 } from './grid';

export const PLAIN: Mat4 = [1, 0, 0, -10, 0, 1, 0, -12, 0, 0, 1, 5, 0, 0, 0, 1];
export const ANISO: Mat4 = [0.8, 0, 0, 3, 0, 1.3, 0, -2, 0, 0, 2.5, 1, 0, 0, 0, 1];
// Rotated 30° about z, voxel sizes 0.9, 1.1, 1.7.
const c = Math.cos(Math.PI / 6);
const s = Math.sin(Math.PI / 6);
export const OBLIQUE: Mat4 = [0.9 * c, -1.1 * s, 0, 4, 0.9 * s, 1.1 * c, 0, -6, 0, 0, 1.7, 2, 0, 0, 0, 1];

export const grid = (dims: Vec3, affine: Mat4): LabelGrid => labelGrid(dims, affine);

/** A reproducible "image": values 0..999 from a linear congruential generator, smoothed along x so regions connect. */
export function randomReference(n: number, seed = 7, slope = 1, inter = 0): Reference {
  const values = new Int16Array(n);
  let x = seed;
  let prev = 500;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    prev = Math.round((prev + (x % 1000)) / 2);
    values[i] = prev;
  }
  return { values, slope, inter };
}

export const worldOf = (g: LabelGrid, v: number): Vec3 => {
  const [nx, ny] = g.dims;
  const i = v % nx;
  const j = Math.floor(v / nx) % ny;
  const k = Math.floor(v / (nx * ny));
  const A = g.affine;
  return [A[0] * i + A[1] * j + A[2] * k + A[3], A[4] * i + A[5] * j + A[6] * k + A[7], A[8] * i + A[9] * j + A[10] * k + A[11]];
};
