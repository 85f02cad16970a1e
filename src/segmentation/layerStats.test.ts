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
