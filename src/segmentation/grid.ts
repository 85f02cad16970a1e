// The label grid a segmentation is drawn on (the base layer's voxels and affine), the dirty box an
// edit touches, and the reference image whose scaled values thresholds and statistics read. Pure:
// no DOM, no three, no stores, so it runs in Node tests and in a worker.
import { invert, type Mat4 } from '../volume/affine';

export type LabelArray = Uint8Array | Uint16Array;
export type Vec3 = [number, number, number];

export interface LabelGrid {
  /** [nx, ny, nz]: voxel index i + nx·(j + ny·k). */
  dims: Vec3;
  /** voxel → RAS mm, row-major 4×4. */
  affine: Mat4;
  inverseAffine: Mat4;
}

export const labelGrid = (dims: readonly number[], affine: Mat4): LabelGrid => ({ dims: [dims[0], dims[1], dims[2]], affine, inverseAffine: invert(affine) });

/** A box of voxels: `lo` inclusive, `hi` exclusive, per axis. */
export interface Box {
  lo: Vec3;
  hi: Vec3;
}

export const boxVoxels = (b: Box) => Math.max(0, b.hi[0] - b.lo[0]) * Math.max(0, b.hi[1] - b.lo[1]) * Math.max(0, b.hi[2] - b.lo[2]);
export const isEmptyBox = (b: Box) => boxVoxels(b) === 0;
export const emptyBox = (): Box => ({ lo: [Infinity, Infinity, Infinity], hi: [-Infinity, -Infinity, -Infinity] });

/** Grows `b` to hold voxel (i, j, k). */
export function includeVoxel(b: Box, i: number, j: number, k: number): void {
  if (i < b.lo[0]) b.lo[0] = i;
  if (j < b.lo[1]) b.lo[1] = j;
  if (k < b.lo[2]) b.lo[2] = k;
  if (i + 1 > b.hi[0]) b.hi[0] = i + 1;
  if (j + 1 > b.hi[1]) b.hi[1] = j + 1;
  if (k + 1 > b.hi[2]) b.hi[2] = k + 1;
}

/** The smallest box holding the flat voxel indices `indices[0..count)`; an empty box for none. */
export function boxOfIndices(dims: Vec3, indices: Int32Array, count: number): Box {
  const b = emptyBox();
  const [nx, ny] = dims;
  for (let n = 0; n < count; n++) {
    const v = indices[n];
    const i = v % nx;
    const r = (v - i) / nx;
    const j = r % ny;
    includeVoxel(b, i, j, (r - j) / ny);
  }
  return count ? b : { lo: [0, 0, 0], hi: [0, 0, 0] };
}

export const unionBox = (a: Box, b: Box): Box =>
  isEmptyBox(a) ? b : isEmptyBox(b) ? a : { lo: [0, 1, 2].map((x) => Math.min(a.lo[x], b.lo[x])) as Vec3, hi: [0, 1, 2].map((x) => Math.max(a.hi[x], b.hi[x])) as Vec3 };

/** Copies the voxels of `box` out of `labels` (row by row) into `out` (box-sized). */
export function copyBoxOut(labels: LabelArray, dims: Vec3, box: Box, out: LabelArray): void {
  const [nx, ny] = dims;
  const w = box.hi[0] - box.lo[0];
  let o = 0;
  for (let k = box.lo[2]; k < box.hi[2]; k++)
    for (let j = box.lo[1]; j < box.hi[1]; j++) {
      const at = box.lo[0] + nx * (j + ny * k);
      out.set(labels.subarray(at, at + w), o);
      o += w;
    }
}

/**
 * The reference image: the base layer's stored values and their scaling (scaled = raw·slope + inter),
 * one frame. Thresholds, region grow and statistics read it.
 */
export interface Reference {
  values: ArrayLike<number>;
  slope: number;
  inter: number;
}

/** Voxel volume in mm³ (|det| of the affine's 3×3 part). */
export function voxelVolumeMm3(affine: Mat4): number {
  const [a, b, c, , d, e, f, , g, h, i] = affine;
  return Math.abs(a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g));
}
