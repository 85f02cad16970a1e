// The thumbnail's coarse copy and view geometry: frames, slices still on their way, non-finite
// voxels, the depth axis and the box outside the grid (issue 27: thumbnail.test.ts checks images).
import { describe, expect, it } from 'vitest';
import { invert, type Mat4 } from './affine';
import { thumbnailGrid, thumbnailView } from './thumbnail';

// 4 × 3 × 2 voxels, two frames; value = 1000·t + 100·k + 10·j + i.
const dims = [4, 3, 2, 2];
const affine: Mat4 = [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1];
const values = Float32Array.from({ length: 48 }, (_, n) => 1000 * Math.floor(n / 24) + 100 * Math.floor((n % 24) / 12) + 10 * Math.floor((n % 12) / 4) + (n % 4));
const src = { dims, values, slope: 2, inter: -1, affine, inverseAffine: invert(affine) };

describe('the coarse copy', () => {
  it('copies the frame asked for, scaled, x fastest', () => {
    const g = thumbnailGrid(src, 1);
    expect(g.dims).toEqual([4, 3, 2]);
    expect(g.values[0]).toBe(2 * 1000 - 1);
    expect(g.values[23]).toBe(2 * 1123 - 1);
    expect(g.values[1 * 12 + 2 * 4 + 3]).toBe(2 * 1123 - 1);
    expect(g.values[5]).toBe(2 * 1011 - 1);
    // 1 voxel per 2 mm along world y.
    expect(g.voxelsPerMmY).toBeCloseTo(0.5, 12);
  });

  it('takes every f-th voxel along each axis, and its affine steps with it', () => {
    const g = thumbnailGrid(src, 0, 2);
    expect(g.dims).toEqual([2, 2, 2]);
    expect(Array.from(g.values)).toEqual([0, 2, 20, 22, 100, 102, 120, 122].map((v) => 2 * v - 1));
    expect(g.affine).toEqual([2, 0, 0, 0, 0, 4, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1]);
  });

  it('leaves a slice still on its way, and non-finite voxels, without a value', () => {
    const pending = new Uint8Array(4);
    pending[1 * 2 + 0] = 1; // frame 1, slice 0
    const g = thumbnailGrid({ ...src, pending }, 1);
    expect(g.values.subarray(0, 12).every(Number.isNaN)).toBe(true);
    expect(g.values[12]).toBe(2 * 1100 - 1);
    expect(thumbnailGrid({ ...src, pending }, 0).values[0]).toBe(-1);
    const inf = Float32Array.from(values);
    inf[1] = Infinity;
    inf[2] = NaN;
    const h = thumbnailGrid({ ...src, values: inf }, 0);
    expect(h.values[1]).toBeNaN();
    expect(h.values[2]).toBeNaN();
    expect(h.values[3]).toBe(5);
  });
});

describe('the view', () => {
  it('spans the box: depth samples along world y, the square over x and z, NaN outside the grid', () => {
    const g = { values: new Float32Array(8).fill(5), dims: [2, 2, 2] as [number, number, number], affine: [4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1], voxelsPerMmY: 1 };
    const v = thumbnailView(g, 4);
    // x −2…6 (8 mm) and z −1…3 (4 mm): 2 mm per pixel; y −0.5…1.5: one sample of 2 mm.
    expect([v.size, v.depth]).toEqual([4, 1]);
    expect(v.stepVoxels).toBeCloseTo(2, 12);
    // The square is 8 mm: rows j 0…3 lie at z 4, 2, 0, −2, so the outer two miss the grid (z −1…3);
    // columns at x 5, 3, 1, −1 all lie inside it.
    const row = (j: number) => Array.from(v.values.subarray(j * 4, j * 4 + 4));
    expect(row(1)).toEqual([5, 5, 5, 5]);
    expect(row(0).every(Number.isNaN)).toBe(true);
    expect(row(3).every(Number.isNaN)).toBe(true);
  });

  it('takes more depth samples for a deeper box, at most 128', () => {
    const deep = { values: new Float32Array(2 * 300 * 2), dims: [2, 300, 2] as [number, number, number], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], voxelsPerMmY: 1 };
    const v = thumbnailView(deep, 2);
    expect(v.depth).toBe(128);
    expect(v.stepVoxels).toBeCloseTo(300 / 128, 12);
    const g = { ...deep, values: new Float32Array(2 * 10 * 2), dims: [2, 10, 2] as [number, number, number] };
    expect(thumbnailView(g, 2).depth).toBe(10);
  });
});
