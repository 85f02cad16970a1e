// The CPU ray march's edges, written against the mutants Stryker left alive in raycast.ts (issue 27):
// which sample a pick lands on (entry face, exit face, ties, NaN), the cut's face and its reset,
// opacity accumulation, and rays that are not unit length or not along y or z.
import { describe, expect, it } from 'vitest';
import { invert } from './affine';
import { pickAlongRay, slab, type PickMode, type RayClip } from './raycast';
import type { SampleSource } from './sampling';

const ID = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const everything: RayClip = { lo: [-1e9, -1e9, -1e9], hi: [1e9, 1e9, 1e9] };

/** An n³ grid (identity affine) whose voxel (i, j, k) holds f(i, j, k). */
function grid(n: number, f: (i: number, j: number, k: number) => number): SampleSource {
  const values = new Float32Array(n * n * n);
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[i + n * (j + n * k)] = f(i, j, k);
  return { dims: [n, n, n], datatype: 'float32', channels: 1, slope: 1, inter: 0, affine: ID, inverseAffine: invert(ID), values };
}

/** A ray along +x at height (1, 1) from x = −10, one voxel per step. */
const alongX = (src: SampleSource, mode: PickMode, clip: RayClip = everything, step = 1) => pickAlongRay(src, 0, [-10, 1, 1], [1, 0, 0], step, mode, clip);

describe('CPU ray march: the sample a pick lands on', () => {
  it('slab: a ray parallel to a face it lies on is inside that face, not NaN', () => {
    expect(slab([0, 0, 0.5], [1, 0, 0], [0, 0, 0], [1, 1, 1])).toEqual([0, 1]);
  });

  it('enters at the voxel box’s face (−0.5 or n − 0.5) along each axis, either way', () => {
    const src = grid(4, () => 1);
    const mean = { kind: 'mean' } as const;
    for (let a = 0; a < 3; a++)
      for (const s of [1, -1]) {
        const origin = [1.5, 1.5, 1.5];
        origin[a] = -10 * s + 1.5;
        const dir = [0, 0, 0];
        dir[a] = s;
        const expected = [1.5, 1.5, 1.5];
        expected[a] = s > 0 ? 0 : 3;
        expect(pickAlongRay(src, 0, origin, dir, 1, mean, everything)!.voxel, `axis ${a} sign ${s}`).toEqual(expected);
      }
  });

  it('a direction of any length marches in voxel steps as its unit vector does', () => {
    const src = grid(16, (i, j, k) => (Math.hypot(i - 7.5, j - 7.5, k - 7.5) <= 5 ? 100 : 0));
    const iso = { kind: 'iso', iso: 50, sign: 1 } as const;
    const unit = pickAlongRay(src, 0, [3.5, 1.5, -4.5], [2 / 7, 3 / 7, 6 / 7], 0.5, iso, everything)!;
    const long = pickAlongRay(src, 0, [3.5, 1.5, -4.5], [2, 3, 6], 0.5, iso, everything)!;
    long.voxel.forEach((v, a) => expect(v).toBeCloseTo(unit.voxel[a], 6));
  });

  it('takes a sample that falls exactly on the exit face', () => {
    // Three voxels 0, 1, 2 along x; step 2 from the entry face at −0.5: samples at x = 0.5 and 2.5 (the exit).
    expect(alongX(grid(3, (i) => i), { kind: 'max' }, everything, 2)!.voxel[0]).toBe(2.5);
  });

  it('MIP and MinIP keep the first of equal values; mean starts at the first sample that is a number', () => {
    const flat = grid(4, () => 7);
    expect(alongX(flat, { kind: 'max' })!.voxel[0]).toBe(0);
    expect(alongX(flat, { kind: 'min' })!.voxel[0]).toBe(0);
    expect(alongX(grid(4, (i) => 3 - i), { kind: 'min' })!.voxel[0]).toBe(3);
    expect(alongX(grid(4, (i) => (i < 2 ? NaN : 1)), { kind: 'mean' })!.voxel[0]).toBe(2);
  });

  it('iso: a ray that starts inside the surface (or exactly on the iso value) picks its first sample; a sample exactly on the iso value ends the bisection there', () => {
    const full = grid(4, () => 100);
    expect(alongX(full, { kind: 'iso', iso: 50, sign: 1 })!.voxel[0]).toBe(0);
    expect(alongX(full, { kind: 'iso', iso: 100, sign: 1 })!.voxel[0]).toBe(0);
    // 0, 10, 20, 30…: the sample at x = 2 is exactly 20.
    expect(alongX(grid(6, (i) => 10 * i), { kind: 'iso', iso: 20, sign: 1 })!.voxel[0]).toBe(2);
  });

  it('composite: opacity accumulates as 1 − (1 − α)ⁿ and must pass one half, not reach it', () => {
    const src = grid(6, () => 1);
    // 0.2 per sample: 0.2, 0.36, 0.488, 0.59: past one half at the fourth sample.
    expect(alongX(src, { kind: 'composite', opacityAt: () => 0.2 })!.voxel[0]).toBe(3);
    // 0.5, then 0.75: exactly one half does not stop the ray.
    expect(alongX(src, { kind: 'composite', opacityAt: () => 0.5 })!.voxel[0]).toBe(1);
  });
});

describe('CPU ray march: the cut', () => {
  // The octant x < 1.5 (every y and z above −100): the ray's samples at x = 0 and 1 are cut away.
  const cut = { centre: [1.5, -100, -100] as [number, number, number], sign: [-1, 1, 1] as [number, number, number] };

  it('the first sample past the cut above faceAbove stops the ray; below it, the ray goes on and the face is gone', () => {
    const ramp = grid(6, (i) => 10 * (i + 1));
    // Past the cut: 30 at x = 2, above 20: the face stops MIP there, not at the maximum (x = 5).
    expect(alongX(ramp, { kind: 'max' }, { ...everything, cut, faceAbove: 20 })!.voxel[0]).toBe(2);
    // 5 at x = 2, below 20: the face shows nothing; later values above 20 do not stop the ray either.
    const dip = grid(6, (i) => [0, 0, 5, 30, 60, 50][i]);
    expect(alongX(dip, { kind: 'max' }, { ...everything, cut, faceAbove: 20 })!.voxel[0]).toBe(4);
    // Exactly faceAbove is not above it.
    const tie = grid(6, (i) => [0, 0, 20, 10, 40, 10][i]);
    expect(alongX(tie, { kind: 'max' }, { ...everything, cut, faceAbove: 20 })!.voxel[0]).toBe(4);
  });

  it('a cut that the ray does not cross never stops it at a face', () => {
    const far = { centre: [100, 100, 100] as [number, number, number], sign: [1, 1, 1] as [number, number, number] };
    expect(alongX(grid(4, (i) => i + 1), { kind: 'max' }, { ...everything, cut: far, faceAbove: 0 })!.voxel[0]).toBe(3);
  });

  it('iso after the cut: the first sample inside the surface is the pick (no bisection back into the cut)', () => {
    expect(alongX(grid(6, () => 100), { kind: 'iso', iso: 50, sign: 1 }, { ...everything, cut })!.voxel[0]).toBe(2);
  });

  it('a turned cut reads each face’s normal from its rotation column', () => {
    // Turned 90° about x: the octant is x > c, z > c (column 1 = +z) and y < c (column 2 = −y).
    const c = 2;
    const turned = { centre: [c, c, c] as [number, number, number], sign: [1, 1, 1] as [number, number, number], rotation: [1, 0, 0, 0, 0, -1, 0, 1, 0] };
    const src = grid(5, () => 1);
    // From +x at y = c − 1, z = c + 1: x = 4 and 3 are in the octant, x = 2 is on its face (not beyond it).
    const hit = pickAlongRay(src, 0, [10, c - 1, c + 1], [-1, 0, 0], 1, { kind: 'mean' }, { ...everything, cut: turned })!;
    expect(hit.voxel[0]).toBe(2);
  });
});
