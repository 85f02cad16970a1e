// Profiles, time courses and ROI statistics: the cases the first tests left open (issue 27's
// mutation run): sample counts, frames, channels, NaN voxels, every plane, the grid's edges.
import { describe, expect, it } from 'vitest';
import { invert, type Mat4 } from './affine';
import { frameCount, profileAlong, roiStats, timeCourse } from './measure';
import type { SampleSource } from './sampling';

function source(dims: number[], values: Float32Array, affine: Mat4, channels = 1, slope = 1, inter = 0): SampleSource {
  return { dims, datatype: 'float32', channels, slope, inter, affine, inverseAffine: invert(affine), values };
}

// Voxel sizes 1, 2 and 3 mm; value = 100·k + 10·j + i.
const dims = [6, 5, 4];
const aniso: Mat4 = [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1];
const indexValues = (frames = 1) => Float32Array.from({ length: 120 * frames }, (_, v) => 1000 * Math.floor(v / 120) + 100 * Math.floor((v % 120) / 30) + 10 * Math.floor((v % 30) / 6) + (v % 6));
const grid = source(dims, indexValues(), aniso);

describe('profiles', () => {
  it('takes at least two points, a whole number of them, and measures the whole 3D length', () => {
    expect(profileAlong(grid, [0, 0, 0], [5, 0, 0], 1.7).raw).toEqual([0, 5]);
    expect(profileAlong(grid, [0, 0, 0], [4, 0, 0], 3.9).raw).toEqual([0, 2, 4]);
    const p = profileAlong(grid, [1, 2, 3], [4, 6, 15], 5);
    expect(p.distance.at(-1)).toBeCloseTo(13, 12);
    expect(p.distance[1]).toBeCloseTo(13 / 4, 12);
    expect(p.ijk[0]).toEqual([1, 1, 1]);
    expect(p.ijk.at(-1)).toEqual([4, 3, 5]);
    expect(p.inside.at(-1)).toBe(false);
  });

  it('reads the first channel of a colour voxel, in the frame asked for', () => {
    const rgb = source(dims, Float32Array.from({ length: 360 }, (_, v) => v), aniso, 3);
    const p = profileAlong(rgb, [0, 0, 0], [1, 0, 0], 2);
    expect(p.raw).toEqual([0, 3]);
    expect(p.scaled).toEqual([0, 3]);
    const four = source([6, 5, 4, 2], indexValues(2), aniso, 1, 2, 1);
    expect(profileAlong(four, [0, 0, 0], [1, 0, 0], 2, 1).scaled).toEqual([2001, 2003]);
  });
});

describe('time courses and frames', () => {
  it('counts frames from all the values, channels apart', () => {
    expect(frameCount(grid)).toBe(1);
    expect(frameCount(source([6, 5, 4, 3], indexValues(3), aniso))).toBe(3);
    expect(frameCount(source(dims, new Float32Array(360), aniso, 3))).toBe(1);
    expect(frameCount({ dims, channels: 1, values: new Float32Array(0) })).toBe(1);
  });

  it('a colour layer has one frame; its course is the first channel', () => {
    const rgb = source(dims, Float32Array.from({ length: 360 }, (_, v) => v), aniso, 3);
    expect(timeCourse(rgb, [1, 0, 0])).toEqual({ raw: [3], scaled: [3] });
  });
});

describe('ROI statistics', () => {
  const axial = (center: number[], size: [number, number], shape: 'ellipse' | 'rectangle' = 'rectangle') => ({ shape, plane: 'axial' as const, center, size });

  it('the area is the count times the voxel footprint on each plane', () => {
    const a = roiStats(grid, axial([2, 4, 3], [2, 4]));
    // x 1…3 (i 1–3), y 2…6 (j 1–3), k = 1.
    expect(a.count).toBe(9);
    expect(a.areaMm2).toBe(18);
    expect([a.min, a.max]).toEqual([111, 133]);
    const c = roiStats(grid, { shape: 'rectangle', plane: 'coronal', center: [2, 4, 3], size: [2, 6] });
    // x 1…3 (i 1–3), z 0…6 (k 0–2), j = 2.
    expect(c.count).toBe(9);
    expect(c.areaMm2).toBe(27);
    expect([c.min, c.max]).toEqual([21, 223]);
    const s = roiStats(grid, { shape: 'rectangle', plane: 'sagittal', center: [2, 4, 3], size: [4, 6] });
    // y 2…6 (j 1–3), z 0…6 (k 0–2), i = 2.
    expect(s.count).toBe(9);
    expect(s.areaMm2).toBe(54);
    expect([s.min, s.max]).toEqual([12, 232]);
    expect(s.mean).toBeCloseTo(122, 9);
  });

  it('reads the frame asked for', () => {
    const four = source([6, 5, 4, 2], indexValues(2), aniso);
    const r = roiStats(four, axial([2, 4, 3], [0, 0]), 1);
    expect([r.count, r.mean, r.sd, r.min, r.max]).toEqual([1, 1122, 0, 1122, 1122]);
  });

  it('stops at the grid edges: no voxel of the next row or slice is counted', () => {
    const low = roiStats(grid, axial([0, 0, 0], [4, 8]));
    // x −2…2 and y −4…4 reach past the first voxel: i 0–2, j 0–2 of slice 0.
    expect(low.count).toBe(9);
    expect([low.min, low.max]).toEqual([0, 22]);
    const high = roiStats(grid, axial([5, 8, 9], [4, 8]));
    // x 3…7 and y 4…12 reach past the last voxel: i 3–5, j 2–4 of slice 3.
    expect(high.count).toBe(9);
    expect([high.min, high.max]).toEqual([323, 345]);
  });

  it('a flat ellipse holds nothing; negative sizes are sizes', () => {
    expect(roiStats(grid, axial([2, 4, 3], [4, 0], 'ellipse')).count).toBe(0);
    expect(roiStats(grid, axial([2, 4, 3], [0, 4], 'ellipse')).count).toBe(0);
    expect(roiStats(grid, axial([2, 4, 3], [-2, -4])).count).toBe(9);
    // Diameters 2 and 4 mm: x ±1 on the row y = 4, y ±2 on the column x = 2; no corner.
    expect(roiStats(grid, axial([2, 4, 3], [2, 4], 'ellipse')).count).toBe(5);
  });

  it('leaves NaN voxels out, and keeps the spread exact at large offsets', () => {
    const values = Float32Array.from({ length: 120 }, (_, v) => 1e6 + (v % 6));
    values[1 * 30 + 1 * 6 + 2] = NaN;
    const r = roiStats(source(dims, values, aniso, 1, 1, -1e6), axial([2, 2, 3], [2, 0]));
    // i 1–3 of row j = 1, k = 1; the middle one is NaN.
    expect(r.count).toBe(2);
    expect(r.mean).toBe(2);
    expect(r.sd).toBeCloseTo(Math.SQRT2, 9);
    expect(roiStats(source(dims, new Float32Array(120).fill(NaN), aniso), axial([2, 2, 3], [2, 2]))).toEqual({ count: 0, areaMm2: 0, mean: NaN, sd: NaN, min: NaN, max: NaN });
  });

  it('a plane exactly between two slices takes the upper one, as nearest sampling does, on every plane', () => {
    // z 4.5 lies between k 1 (3 mm) and k 2 (6 mm); y 3 between j 1 and 2; x 2.5 between i 2 and 3.
    const one = (plane: 'axial' | 'coronal' | 'sagittal', center: number[]) => {
      const r = roiStats(grid, { shape: 'rectangle', plane, center, size: [0, 0] });
      return [r.count, r.mean];
    };
    expect(one('axial', [2, 4, 4.5])).toEqual([1, 222]);
    expect(one('coronal', [2, 3, 3])).toEqual([1, 122]);
    expect(one('sagittal', [2.5, 4, 3])).toEqual([1, 123]);
  });

  it('a sheared grid on an oblique plane: the voxel\'s area is its volume over its largest thickness along the normal', () => {
    // Columns (2, 1, 1), (1, 3, 1), (1, 1, 4): volume 17 mm³; along the normal (0, 0.6, 0.8) they
    // reach 1.4, 2.6 and 3.8 mm. Centre on voxel (1, 1, 1), at world (4, 5, 6).
    const sheared: Mat4 = [2, 1, 1, 0, 1, 3, 1, 0, 1, 1, 4, 0, 0, 0, 0, 1];
    const src = source([3, 3, 3], Float32Array.from({ length: 27 }, (_, v) => v), sheared);
    const axes = { u: [1, 0, 0], v: [0, 0.8, -0.6], normal: [0, 0.6, 0.8] };
    const r = roiStats(src, { shape: 'rectangle', plane: 'axial', center: [4, 5, 6], size: [0, 0], axes });
    expect([r.count, r.mean]).toEqual([1, 13]);
    expect(r.areaMm2).toBeCloseTo(17 / 3.8, 12);
  });

  it('finds the max wherever it lies, and reads channel 0 of a colour voxel', () => {
    const falling = source(dims, indexValues().map((v) => -v), aniso);
    const r = roiStats(falling, axial([2, 4, 3], [2, 4]));
    expect([r.min, r.max]).toEqual([-133, -111]);
    const rgb = source(dims, Float32Array.from({ length: 360 }, (_, v) => v), aniso, 3);
    // Voxel (2, 2, 1) is number 44: its first channel is value 132.
    expect(roiStats(rgb, axial([2, 4, 3], [0, 0])).mean).toBe(132);
  });

  it('an oblique rectangle off a voxel centre holds the voxels whose centres project inside it and onto themselves', () => {
    // Axes with no zero component: u (2, 2, 1)/3, v (2, −1, −2)/3, normal u × v = (−1, 2, −2)/3.
    const sheared: Mat4 = [2, 1, 1, 0, 1, 3, 1, 0, 1, 1, 4, 0, 0, 0, 0, 1];
    const src = source([3, 3, 3], Float32Array.from({ length: 27 }, (_, v) => v), sheared);
    const axes = { u: [2 / 3, 2 / 3, 1 / 3], v: [2 / 3, -1 / 3, -2 / 3], normal: [-1 / 3, 2 / 3, -2 / 3] };
    const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    // The same rule written plainly: project the centre onto the plane, take the nearest voxel there.
    const expected = (center: number[], [su, sv]: [number, number]) => {
      const found: number[] = [];
      for (let v = 0; v < 27; v++) {
        const ijk = [v % 3, Math.floor(v / 3) % 3, Math.floor(v / 9)];
        const w = [0, 1, 2].map((r) => dot(sheared.slice(4 * r, 4 * r + 3), ijk) + sheared[4 * r + 3]);
        const d = w.map((x, r) => x - center[r]);
        if (Math.abs(dot(d, axes.u)) > su / 2 || Math.abs(dot(d, axes.v)) > sv / 2) continue;
        const onPlane = w.map((x, r) => x - dot(d, axes.normal) * axes.normal[r]);
        const back = invert(sheared);
        const near = [0, 1, 2].map((r) => Math.round(dot(back.slice(4 * r, 4 * r + 3), onPlane) + back[4 * r + 3]));
        if (near.every((x, r) => x === ijk[r])) found.push(v);
      }
      return found;
    };
    let seen = 0;
    for (const center of [[5, 5, 6], [4, 5.8, 5.4], [3.3, 4.6, 6.9]])
      for (const size of [[4, 4], [6, 3], [2.5, 7]] as [number, number][]) {
        const want = expected(center, size);
        const r = roiStats(src, { shape: 'rectangle', plane: 'axial', center, size, axes });
        expect([r.count, r.min, r.max], `${center} ${size}`).toEqual([want.length, Math.min(...want), Math.max(...want)]);
        seen += want.length;
      }
    expect(seen).toBeGreaterThan(9);
  });
});

