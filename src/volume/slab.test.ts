import { describe, expect, it } from 'vitest';
import { invert, type Mat4 } from './affine';
import { roiStats } from './measure';
import { REACH_ALL, slabAt, slabReach, windowBin } from './slab';
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

describe('a slab\'s reach (what the slice shader may skip once it has a best value)', () => {
  // Windows of several widths and offsets (CT, MR, a narrow one, a float map), best values across each.
  const windows: [number, number][] = [[-1000, 1000], [40 - 40, 40 + 40], [0, 1], [-3.5, 7.25], [100, 100.01], [-2e5, 3e5]];
  const f32 = Math.fround;
  // Twice the margin the reach keeps inside its entry, or two float32 steps where that is less.
  const hair = (width: number, at: number) => Math.max(width * 2e-5, Math.abs(at) * 2.4e-7);
  const coarse = (w: [number, number]) => (w[1] - w[0]) / Math.max(Math.abs(w[0]), Math.abs(w[1])) > 1e-3;
  const next = (x: number, dir: 1 | -1) => {
    // The neighbouring float32 value above (dir 1) or below.
    const a = new Float32Array([x]);
    const i = new Int32Array(a.buffer);
    i[0] += (x >= 0 ? 1 : -1) * dir;
    return a[0];
  };

  it('every value up to a MIP\'s reach shows as the best value does, and the reach is that LUT entry\'s end', () => {
    for (const w of windows) {
      const width = w[1] - w[0];
      for (let k = -20; k <= 280; k++) {
        const best = f32(w[0] + (width * k) / 257.3);
        const reach = slabReach(best, w, 1);
        const bin = windowBin(best, w);
        if (bin >= 255) {
          expect(reach).toBe(REACH_ALL);
          continue;
        }
        expect(reach).toBeGreaterThanOrEqual(best);
        // Exact: the reach and the values just below it show the best value's entry.
        for (let v = reach, n = 0; n < 4; v = next(v, -1), n++) expect(windowBin(v, w), `window ${w}, best ${best}, value ${v}`).toBeLessThanOrEqual(bin);
        // Useful: the next entry starts within a hair past it (a brick reaching that far cannot be
        // skipped), where an entry spans many float32 steps (not [100, 100.01]: about five).
        if (coarse(w)) expect(windowBin(f32(reach + hair(width, reach)), w), `window ${w}, best ${best}, reach ${reach}`).toBe(bin + 1);
      }
    }
  });

  it('every value down to a MinIP\'s reach shows as the best value does; the bottom entry reaches everything', () => {
    for (const w of windows) {
      const width = w[1] - w[0];
      for (let k = -20; k <= 280; k++) {
        const best = f32(w[0] + (width * k) / 257.3);
        const reach = slabReach(best, w, -1);
        const bin = windowBin(best, w);
        if (bin <= 0) {
          expect(reach).toBe(-REACH_ALL);
          continue;
        }
        expect(reach).toBeLessThanOrEqual(best);
        for (let v = reach, n = 0; n < 4; v = next(v, 1), n++) expect(windowBin(v, w), `window ${w}, best ${best}, value ${v}`).toBeGreaterThanOrEqual(bin);
        if (coarse(w)) expect(windowBin(f32(reach - hair(width, reach)), w), `window ${w}, best ${best}, reach ${reach}`).toBe(bin - 1);
      }
    }
  });

  it('the window\'s LUT entries: 0 at and below the low end, 255 at and above the high end, rounded between', () => {
    expect(windowBin(-1000, [-1000, 1000])).toBe(0);
    expect(windowBin(-5000, [-1000, 1000])).toBe(0);
    expect(windowBin(1000, [-1000, 1000])).toBe(255);
    expect(windowBin(0, [-1000, 1000])).toBe(128);
    expect(windowBin(-1000 + 2000 * (0.5 / 255) - 0.01, [-1000, 1000])).toBe(0);
    expect(windowBin(-1000 + 2000 * (0.5 / 255) + 0.01, [-1000, 1000])).toBe(1);
  });
});
