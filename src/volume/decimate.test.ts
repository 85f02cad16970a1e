import { describe, expect, it } from 'vitest';
import { voxelToWorld, type Mat4 } from './affine';
import { decimate, decimatedAffine, decimatedDims, decimationFactors } from './decimate';

describe('decimationFactors', () => {
  it('is 1 on every axis for a grid that fits', () => {
    expect(decimationFactors([256, 256, 256], 2, 2048, 2 ** 31)).toEqual([1, 1, 1]);
  });
  it('steps only the axes past the texture limit', () => {
    expect(decimationFactors([3000, 64, 64], 2, 2048, 2 ** 31)).toEqual([2, 1, 1]);
    expect(decimationFactors([4096, 4096, 40], 2, 2048, 2 ** 31)).toEqual([2, 2, 1]);
    expect(decimationFactors([100, 100, 9000], 1, 2048, 2 ** 31)).toEqual([1, 1, 8]);
    // A limit per axis (z held in several textures).
    expect(decimationFactors([100, 100, 9000], 1, [2048, 2048, 8192], 2 ** 31)).toEqual([1, 1, 2]);
    expect(decimationFactors([3000, 100, 3000], 1, [2048, 2048, 8192], 2 ** 31)).toEqual([2, 1, 1]);
  });
  it('halves the axis with the most voxels left until the bytes fit, frames counted', () => {
    // 512 × 512 × 300 int16 = 150 MiB; within 64 MiB: x then y halved → 256 × 256 × 300 = 37.5 MiB.
    expect(decimationFactors([512, 512, 300], 2, 2048, 64 * 2 ** 20)).toEqual([2, 2, 1]);
    expect(decimationFactors([64, 64, 64, 10], 4, 2048, 64 * 64 * 64 * 4)).toEqual([4, 2, 2]);
  });
  it('stops at one voxel per axis', () => {
    expect(decimationFactors([3, 2, 1], 8, 2048, 1)).toEqual([4, 2, 1]);
  });
});

describe('decimate', () => {
  it('keeps every f-th stored voxel, all frames and channels, at the same world position', () => {
    const dims = [5, 4, 3, 2];
    const src = new Int16Array(5 * 4 * 3 * 2 * 2);
    for (let n = 0; n < src.length; n++) src[n] = n;
    const f: [number, number, number] = [2, 2, 1];
    const out = decimatedDims(dims, f);
    expect(out).toEqual([3, 2, 3, 2]);
    const dst = new Int16Array(3 * 2 * 3 * 2 * 2);
    decimate(src, dims, 2, f, dst);
    for (let t = 0; t < 2; t++)
      for (let k = 0; k < 3; k++)
        for (let j = 0; j < 2; j++)
          for (let i = 0; i < 3; i++)
            for (let c = 0; c < 2; c++) {
              const full = ((((t * 3 + k) * 4 + j * 2) * 5 + i * 2) * 2) + c;
              expect(dst[((((t * 3 + k) * 2 + j) * 3 + i) * 2) + c]).toBe(src[full]);
            }
    const affine: Mat4 = [0.5, 0.1, 0, 10, 0, 0.7, 0, -3, 0.2, 0, 2, 7, 0, 0, 0, 1];
    const shown = decimatedAffine(affine, f);
    expect(voxelToWorld(shown, [2, 1, 2])).toEqual(voxelToWorld(affine, [4, 2, 2]));
  });
  it('one frame of z-slabs (a slab ending inside the frame): that frame alone', () => {
    const dims = [4, 2, 3, 3];
    const all = new Int16Array(4 * 2 * 3 * 3).map((_, n) => n);
    const slice = 4 * 2;
    // Slabs of 4, 4 and 1 slices (k + t·3): frame 1 (slices 3–5) spans the first two.
    const arrays = [all.slice(0, 4 * slice), all.slice(4 * slice, 8 * slice), all.slice(8 * slice)];
    const dst = new Int16Array(2 * 1 * 3);
    decimate({ arrays, slabValues: 4 * slice }, dims, 1, [2, 2, 1], dst, 1);
    expect([...dst]).toEqual([0, 1, 2].flatMap((k) => [0, 2].map((i) => all[(3 + k) * slice + i])));
  });
  it('copies BigInt values', () => {
    const src = BigInt64Array.from([1n, 2n, 3n, 4n]);
    const dst = new BigInt64Array(2);
    decimate(src, [4, 1, 1], 1, [2, 1, 1], dst);
    expect([...dst]).toEqual([1n, 3n]);
  });
});
