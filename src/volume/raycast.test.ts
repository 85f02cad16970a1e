import { describe, expect, it } from 'vitest';
import { invert } from './affine';
import { pickAlongRay, sampleTrilinear, slab } from './raycast';
import type { SampleSource } from './sampling';

function sphere(n: number, radius: number, affine = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]): SampleSource {
  const values = new Float32Array(n * n * n);
  const c = (n - 1) / 2;
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[i + n * (j + n * k)] = Math.hypot(i - c, j - c, k - c) <= radius ? 100 : 0;
  return { dims: [n, n, n], datatype: 'float32', channels: 1, slope: 1, inter: 0, affine, inverseAffine: invert(affine), values };
}

const everything = { lo: [-1e9, -1e9, -1e9] as [number, number, number], hi: [1e9, 1e9, 1e9] as [number, number, number] };

describe('CPU ray march', () => {
  it('slab gives where a line crosses a box', () => {
    expect(slab([-5, 0.5, 0.5], [1, 0, 0], [0, 0, 0], [1, 1, 1])).toEqual([5, 6]);
  });

  it('trilinear halfway between two voxels is their mean, clamped at the edges', () => {
    const src = sphere(4, 0);
    (src.values as Float32Array).set([0, 10], 0);
    expect(sampleTrilinear(src, [0.5, 0, 0])).toBeCloseTo(5, 9);
    expect(sampleTrilinear(src, [-3, 0, 0])).toBe(0);
  });

  it('iso picking finds the near surface of a sphere within half a voxel', () => {
    const n = 32, r = 10;
    const src = sphere(n, r);
    const c = (n - 1) / 2;
    const hit = pickAlongRay(src, 0, [c, -50, c], [0, 1, 0], 0.5, { kind: 'iso', iso: 50, sign: 1 }, everything);
    expect(hit).not.toBeNull();
    expect(Math.abs(hit!.world[1] - (c - r))).toBeLessThanOrEqual(0.5 + 0.5);
    expect(hit!.world[0]).toBeCloseTo(c, 6);
  });

  it('MIP picks the maximum; composite where opacity passes one half; a clip box removes the sphere', () => {
    const src = sphere(16, 5);
    const c = 7.5;
    const mip = pickAlongRay(src, 0, [c, c, -20], [0, 0, 1], 1, { kind: 'max' }, everything)!;
    expect(Math.abs(mip.world[2] - c)).toBeLessThanOrEqual(5);
    const comp = pickAlongRay(src, 0, [c, c, -20], [0, 0, 1], 1, { kind: 'composite', opacityAt: (v) => (v >= 50 ? 1 : 0) }, everything)!;
    expect(comp.world[2]).toBeLessThan(c - 3);
    expect(pickAlongRay(src, 0, [c, c, -20], [0, 0, 1], 1, { kind: 'iso', iso: 50, sign: 1 }, { lo: [-1e9, -1e9, 100], hi: [1e9, 1e9, 1e9] })).toBeNull();
  });

  it('works through a non-identity affine (LAS, 2 mm)', () => {
    const affine = [-2, 0, 0, 31, 0, 2, 0, -31, 0, 0, 2, -31, 0, 0, 0, 1];
    const src = sphere(32, 8, affine);
    const hit = pickAlongRay(src, 0, [0, -200, 0], [0, 1, 0], 0.5, { kind: 'iso', iso: 50, sign: 1 }, everything)!;
    expect(Math.abs(hit.world[1] - -16)).toBeLessThanOrEqual(2);
  });
});
