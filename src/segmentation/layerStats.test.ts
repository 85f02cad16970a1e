import { describe, expect, it } from 'vitest';
import { invert, type Mat4 } from '../volume/affine';
import type { Vec3 } from './grid';
import { layerStatsInSegments } from './layerStats';
import { newSegment, statsCsv } from './segments';
import { OBLIQUE, randomReference } from './testGrids';

const dims: Vec3 = [14, 12, 9];
const n = dims[0] * dims[1] * dims[2];
/** Labels 1 and 2 in two boxes, a few 3s. */
const labels = new Uint8Array(n).map((_, v) => {
  const i = v % dims[0], j = Math.floor(v / dims[0]) % dims[1], k = Math.floor(v / (dims[0] * dims[1]));
  if (i < 6 && j < 6 && k < 5) return 1;
  if (i > 8 && j > 5 && k > 3) return 2;
  return v % 37 === 0 ? 3 : 0;
});

/** Brute force: every labelled voxel's centre, through world mm, to the nearest image voxel. */
function brute(image: { values: ArrayLike<number>; dims: Vec3; affine: Mat4; slope: number; inter: number }, labelAffine: Mat4, value: number) {
  const inv = invert(image.affine);
  const xs: number[] = [];
  let outside = 0;
  for (let v = 0; v < n; v++) {
    if (labels[v] !== value) continue;
    const ijk = [v % dims[0], Math.floor(v / dims[0]) % dims[1], Math.floor(v / (dims[0] * dims[1]))];
    const w = [0, 1, 2].map((r) => labelAffine[r * 4] * ijk[0] + labelAffine[r * 4 + 1] * ijk[1] + labelAffine[r * 4 + 2] * ijk[2] + labelAffine[r * 4 + 3]);
    const m = [0, 1, 2].map((r) => Math.round(inv[r * 4] * w[0] + inv[r * 4 + 1] * w[1] + inv[r * 4 + 2] * w[2] + inv[r * 4 + 3]));
    if (m.some((x, a) => x < 0 || x >= image.dims[a])) outside++;
    else xs.push(image.values[m[0] + image.dims[0] * (m[1] + image.dims[1] * m[2])] * image.slope + image.inter);
  }
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { voxels: xs.length, outside, mean, sd, min: Math.min(...xs), max: Math.max(...xs) };
}

describe('layerStatsInSegments', () => {
  it('on the same grid: each segment voxel reads its own index (scaled)', () => {
    const ref = randomReference(n, 3, 0.5, -20);
    const image = { values: ref.values, dims, affine: OBLIQUE, slope: 0.5, inter: -20 };
    const rows = layerStatsInSegments(labels, dims, OBLIQUE, image, invert(OBLIQUE), [1, 2, 3, 4]);
    for (const r of rows.slice(0, 3)) {
      const b = brute(image, OBLIQUE, r.value);
      expect(r.voxels).toBe(b.voxels);
      expect(r.outside).toBe(0);
      expect(r.mean).toBeCloseTo(b.mean, 9);
      expect(r.sd).toBeCloseTo(b.sd, 9);
      expect([r.min, r.max]).toEqual([b.min, b.max]);
    }
    expect(rows[3]).toMatchObject({ value: 4, voxels: 0 });
    expect(rows[3].mean).toBeNaN();
  });

  it('on another grid (coarser, shifted, turned): the nearest voxel to each centre; centres outside counted apart', () => {
    const imgDims: Vec3 = [9, 8, 5];
    const ref = randomReference(imgDims[0] * imgDims[1] * imgDims[2], 11);
    const c = Math.cos(0.2), s = Math.sin(0.2);
    const affine: Mat4 = [1.7 * c, -1.6 * s, 0, 3.1, 1.7 * s, 1.6 * c, 0, -4.3, 0, 0, 2.2, 3.7, 0, 0, 0, 1];
    const image = { values: ref.values, dims: imgDims, affine, slope: 2, inter: 5 };
    const rows = layerStatsInSegments(labels, dims, OBLIQUE, image, invert(affine), [1, 2, 3]);
    let anyOutside = 0;
    for (const r of rows) {
      const b = brute(image, OBLIQUE, r.value);
      expect(r.voxels).toBe(b.voxels);
      expect(r.outside).toBe(b.outside);
      anyOutside += b.outside;
      expect(r.mean).toBeCloseTo(b.mean, 9);
      expect(r.sd).toBeCloseTo(b.sd, 9);
      expect([r.min, r.max]).toEqual([b.min, b.max]);
    }
    // The case is not trivial: some centres fall outside and some inside.
    expect(anyOutside).toBeGreaterThan(0);
    expect(rows[0].voxels).toBeGreaterThan(10);
  });
});

describe('layerStatsInSegments, more grids and values', () => {
  // Turned about two axes, finer than the labels and covering them: every matrix entry counts, and
  // the first slice (k = 0) lies inside.
  const ca = Math.cos(0.3), sa = Math.sin(0.3), cb = Math.cos(0.25), sb = Math.sin(0.25);
  const turned: Mat4 = [0.8 * cb, 0, 0.9 * sb, -4, 0.8 * sa * sb, 0.7 * ca, -0.9 * sa * cb, -9, -0.8 * ca * sb, 0.7 * sa, 0.9 * ca * cb, -3, 0, 0, 0, 1];
  const imgDims: Vec3 = [40, 42, 34];

  it('on a grid turned about two axes, slice 0 inside: every centre reads its nearest voxel', () => {
    const ref = randomReference(imgDims[0] * imgDims[1] * imgDims[2], 17);
    const image = { values: ref.values, dims: imgDims, affine: turned, slope: 1.5, inter: -3 };
    const rows = layerStatsInSegments(labels, dims, OBLIQUE, image, invert(turned), [1, 2, 3]);
    for (const r of rows) {
      const b = brute(image, OBLIQUE, r.value);
      expect(r.voxels).toBe(b.voxels);
      expect(r.outside).toBe(b.outside);
      expect(r.mean).toBeCloseTo(b.mean, 9);
      expect(r.sd).toBeCloseTo(b.sd, 9);
      expect([r.min, r.max]).toEqual([b.min, b.max]);
    }
    // Most of segment 1 (which holds slice 0) is inside.
    expect(rows[0].voxels).toBeGreaterThan(rows[0].outside);
  });

  it('counts only the values asked for, on either path; one voxel has sd 0', () => {
    const ref = randomReference(n, 5);
    const same = { values: ref.values, dims, affine: OBLIQUE, slope: 1, inter: 0 };
    const other = { values: randomReference(imgDims[0] * imgDims[1] * imgDims[2], 6).values, dims: imgDims, affine: turned, slope: 1, inter: 0 };
    for (const [image, inv] of [[same, invert(OBLIQUE)], [other, invert(turned)]] as const) {
      // 2 alone: neither 1 (below) nor 3 (above the largest asked) adds to it.
      const [two] = layerStatsInSegments(labels, dims, OBLIQUE, image, inv, [2]);
      const b = brute(image, OBLIQUE, 2);
      expect(two.voxels).toBe(b.voxels);
      expect(two.mean).toBeCloseTo(b.mean, 9);
      expect([two.min, two.max]).toEqual([b.min, b.max]);
      // 1 and 3 asked, 2 not: 3's numbers are its own.
      const rows = layerStatsInSegments(labels, dims, OBLIQUE, image, inv, [3, 1]);
      expect(rows.map((r) => r.value)).toEqual([3, 1]);
      expect(rows[0].voxels + rows[0].outside).toBe(labels.filter((l) => l === 3).length);
      expect(rows[0].mean).toBeCloseTo(brute(image, OBLIQUE, 3).mean, 9);
    }
    // A single labelled voxel: sd 0, mean = min = max.
    const one = new Uint8Array(n);
    one[3 + dims[0] * (4 + dims[1] * 2)] = 5;
    const [r] = layerStatsInSegments(one, dims, OBLIQUE, same, invert(OBLIQUE), [5]);
    expect(r).toMatchObject({ voxels: 1, sd: 0, outside: 0 });
    expect(r.min).toBe(r.max);
    expect(r.mean).toBe(r.min);
    // A grid with the same matrix but other dims is read through the general path, still exact.
    const wider = { values: randomReference((dims[0] + 2) * dims[1] * dims[2], 8).values, dims: [dims[0] + 2, dims[1], dims[2]] as Vec3, affine: OBLIQUE, slope: 1, inter: 0 };
    const [w] = layerStatsInSegments(labels, dims, OBLIQUE, wider, invert(OBLIQUE), [1]);
    expect(w.mean).toBeCloseTo(brute(wider, OBLIQUE, 1).mean, 9);
  });
});

describe('statsCsv with other layers', () => {
  it("adds each layer's mean, sd, min and max after the reference's, named by layer and unit", () => {
    const rows = [{ value: 1, name: 'Liver', voxels: 2, mm3: 3000, mean: 1, sd: 0, min: 1, max: 1 }, { value: 2, name: 'Empty', voxels: 0, mm3: 0, mean: NaN, sd: NaN, min: NaN, max: NaN }];
    const csv = statsCsv(rows, 'HU', [{ name: 'PET SUV', unit: 'g/ml', rows: [{ mean: 3.5, sd: 1, min: 2, max: 5 }, { mean: NaN, sd: NaN, min: NaN, max: NaN }] }]).split('\n');
    expect(csv[0]).toBe('value,name,voxels,mm3,cm3,mean_HU,sd,min,max,PET_SUV_g_ml_mean,PET_SUV_g_ml_sd,PET_SUV_g_ml_min,PET_SUV_g_ml_max');
    expect(csv[1]).toBe('1,Liver,2,3000,3,1,0,1,1,3.5,1,2,5');
    expect(csv[2]).toBe('2,Empty,0,0,0,,,,,,,,');
    expect(newSegment(2).name).toBe('Segment 2');
  });
});
