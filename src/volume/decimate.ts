// A display level for a grid the GPU cannot hold whole: every f-th voxel along each axis (f a power
// of two per axis), so each displayed voxel is a stored voxel (label maps stay labels, no value is
// invented) at the same world position. The full grid stays in CPU memory and probes read it.
import type { Mat4 } from './affine';
import type { VoxelArray } from './dataTypes';
import type { Slabs } from './sampling';

export type Factors = [number, number, number];

/**
 * The smallest power-of-two step per axis that brings the grid within `maxSize` voxels per axis (one
 * limit, or one per axis) and
 * its texture within `maxBytes` (all frames): [1, 1, 1] when it fits. Past the size limit each axis
 * takes its own step; past the byte limit the axis with the most voxels left is halved first, so
 * the displayed voxels stay as near cubic (in voxels) as the grid allows.
 */
export function decimationFactors(dims: readonly number[], bytesPerTexel: number, maxSize: number | readonly [number, number, number], maxBytes: number): Factors {
  return factorsUntil(dims, maxSize, (d) => voxelsOf(d) * bytesPerTexel <= maxBytes);
}

const voxelsOf = (d: readonly number[]) => d.reduce((p, n) => p * n, 1);

/**
 * decimationFactors for any test of the decimated grid (dims, frames kept) that a smaller grid
 * passes whenever a larger one does: within `maxSize` per axis, then the axis with the most voxels
 * left halved until `fits`.
 */
export function factorsUntil(dims: readonly number[], maxSize: number | readonly [number, number, number], fits: (decimated: number[]) => boolean): Factors {
  const f: Factors = [1, 1, 1];
  const max = typeof maxSize === 'number' ? [maxSize, maxSize, maxSize] : maxSize;
  // Stryker disable next-line EqualityOperator: a fourth pass reads dims[3] / f[3], NaN, and NaN > max is false
  for (let a = 0; a < 3; a++) while (Math.ceil(dims[a] / f[a]) > max[a]) f[a] *= 2;
  while (!fits(decimatedDims(dims, f))) {
    const left = [0, 1, 2].map((a) => Math.ceil(dims[a] / f[a]));
    const axis = left.indexOf(Math.max(...left));
    if (left[axis] === 1) break;
    f[axis] *= 2;
  }
  return f;
}

export const isDecimated = (f: Factors) => f[0] > 1 || f[1] > 1 || f[2] > 1;

/** The display grid: ceil(n / f) voxels along each axis, the frames kept. */
export const decimatedDims = (dims: readonly number[], f: Factors): number[] => [...[0, 1, 2].map((a) => Math.ceil(dims[a] / f[a])), ...dims.slice(3)];

/** The display grid's affine: its voxel i is the stored voxel f·i, so each column scales by its step. */
export function decimatedAffine(affine: Mat4, f: Factors): Mat4 {
  const m = [...affine] as Mat4;
  // Stryker disable next-line EqualityOperator: row 3 of an affine is 0 0 0 1, and its first three entries stay 0 when scaled
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) m[r * 4 + c] *= f[c];
  return m;
}

/**
 * Copies every f-th voxel (all channels, all frames, or frame `only`) of `src` (grid `dims`; one
 * array, or z-slabs of whole slices) into `dst` (grid decimatedDims, one frame with `only`).
 */
export function decimate(src: VoxelArray | Slabs, dims: readonly number[], channels: number, f: Factors, dst: VoxelArray, only?: number): void {
  const slabs: Slabs = 'arrays' in src ? src : { arrays: [src], slabValues: src.length };
  const [nx, ny, nz] = dims;
  const nt = dims[3] ?? 1;
  const [mx, my, mz] = decimatedDims(dims, f);
  const out = dst as { [i: number]: number | bigint };
  let o = 0;
  const [t0, t1] = only === undefined ? [0, nt] : [only, only + 1];
  for (let t = t0; t < t1; t++) {
    for (let k = 0; k < mz; k++) {
      for (let j = 0; j < my; j++) {
        // A row lies in one slab (slabs hold whole slices).
        const row = ((t * nz + k * f[2]) * ny + j * f[1]) * nx * channels;
        const n = Math.floor(row / slabs.slabValues);
        const from = slabs.arrays[n] as { [i: number]: number | bigint };
        const start = row - n * slabs.slabValues;
        // Stryker disable next-line ConditionalExpression,BlockStatement: a speed path; the loop over channels below copies the same values
        if (channels === 1) {
          for (let i = 0, s = start; i < mx; i++, s += f[0]) out[o++] = from[s];
          continue;
        }
        for (let i = 0; i < mx; i++) {
          const s = start + i * f[0] * channels;
          for (let c = 0; c < channels; c++) out[o++] = from[s + c];
        }
      }
    }
  }
}
