import { describe, expect, it } from 'vitest';
import { invert, type Mat4 } from './affine';
import { roiStats } from './measure';
import { slabAt } from './slab';
import type { SampleSource } from './sampling';

// 1 mm voxels, origin at voxel (8, 8, 8); value = 10·k + (i === 8 && j === 8 ? 1000 : 0).
const dims = [17, 17, 17];
const affine: Mat4 = [1, 0, 0, -8, 0, 1, 0, -8, 0, 0, 1, -8, 0, 0, 0, 1];
const values = new Int16Array(17 ** 3).map((_, n) => {
  const i = n % 17, j = Math.floor(n / 17) % 17, k = Math.floor(n / 289);
  return 10 * k + (i === 8 && j === 8 ? 1000 : 0);
});
const src: SampleSource = { dims, datatype: 'int16', channels: 1, slope: 0.5, inter: -3, affine, inverseAffine: invert(affine), values };

describe('slab on the CPU', () => {
  it('max, min and mean of the scaled samples along the normal, with the voxel that gave the extreme', () => {
    // Along z through (2, 3, 0): k = 5…11 (7 samples 1 mm apart), raw 10k.
    const max = slabAt(src, [2, 3, 0], [0, 0, 1], 7, 1, 'max');
    expect(max.value).toBe(110 * 0.5 - 3);
    expect(max.at?.ijk).toEqual([10, 11, 11]);
    const min = slabAt(src, [2, 3, 0], [0, 0, 1], 7, 1, 'min');
    expect(min.value).toBe(50 * 0.5 - 3);
    expect(min.at?.world).toEqual([2, 3, -3]);
    expect(slabAt(src, [2, 3, 0], [0, 0, 1], 7, 1, 'mean').value).toBeCloseTo(80 * 0.5 - 3, 12);
    // Samples past the grid are left out.
    const edge = slabAt(src, [0, 0, 6], [0, 0, 1], 7, 1, 'mean');
    expect(edge.samples).toBe(6); // z 3…9 is k 11…17: k 17 is past the grid
    expect(slabAt(src, [40, 0, 0], [0, 0, 1], 7, 1, 'max').value).toBeNaN();
  });

  it('a rod along the normal gives its value at every slab position crossing it; across it, only where it passes', () => {
    // The rod i = j = 8 along z: a slab along x through (−2, 0, 0) reaches it at x = 0.
    expect(slabAt(src, [-2, 0, 0], [1, 0, 0], 5, 1, 'max').value).toBe((1000 + 80) * 0.5 - 3);
    expect(slabAt(src, [-2, 0, 0], [1, 0, 0], 3, 1, 'max').value).toBe(80 * 0.5 - 3);
  });
});

describe('ROI on an oblique plane', () => {
  it('counts the voxels the tilted plane cuts inside the shape', () => {
    const flat = new Int16Array(17 ** 3).fill(7);
    const s: SampleSource = { ...src, values: flat, slope: 1, inter: 0 };
    const c = Math.SQRT1_2;
    // The axial plane tilted 45° about x: u = x, v = (0, c, c), normal (0, −c, c).
    const axes = { u: [1, 0, 0], v: [0, c, c], normal: [0, -c, c] };
    const stats = roiStats(s, { shape: 'rectangle', plane: 'axial', center: [0, 0, 0], size: [4, 6], axes });
    // Brute force: voxels whose centre projects inside and whose own nearest is itself after moving onto the plane.
    let count = 0;
    for (let k = 0; k < 17; k++)
      for (let j = 0; j < 17; j++)
        for (let i = 0; i < 17; i++) {
          const w = [i - 8, j - 8, k - 8];
          const du = w[0], dv = c * w[1] + c * w[2], dn = -c * w[1] + c * w[2];
          if (Math.abs(du) > 2 || Math.abs(dv) > 3) continue;
          const p = [w[0], w[1] + c * dn, w[2] - c * dn];
          if (Math.round(p[1] + 8) === j && Math.round(p[2] + 8) === k) count++;
        }
    expect(count).toBeGreaterThan(0);
    expect(stats.count).toBe(count);
    expect(stats.mean).toBe(7);
    // Footprint: a 1 mm cube seen at 45° is √2 mm thick per the rule (volume / largest projection).
    expect(stats.areaMm2).toBeCloseTo(count * Math.SQRT2, 9);
  });
});
