import { expect, it } from 'vitest';
import { invert, type Mat4 } from './affine';
import { profileAlong, roiStats, timeCourse } from './measure';
import { probeWorld, type SampleSource } from './sampling';

function source(dims: number[], values: Int16Array | Float32Array, affine: Mat4, slope = 1, inter = 0): SampleSource {
  return { dims, datatype: values instanceof Int16Array ? 'int16' : 'float32', channels: 1, slope, inter, affine, inverseAffine: invert(affine), values };
}

// 2 mm voxels, origin at voxel (10, 10, 5); value = 100·i + j (k ignored), scaled ×0.5 − 10.
const dims = [20, 20, 10];
const affine = [2, 0, 0, -20, 0, 2, 0, -20, 0, 0, 2, -10, 0, 0, 0, 1];
const ramp = new Int16Array(4000).map((_, n) => 100 * (n % 20) + (Math.floor(n / 20) % 20));
const src = source(dims, ramp, affine, 0.5, -10);

it('a profile is the probe at evenly spaced points, from and to included', () => {
  const p = profileAlong(src, [-20, 0, 0], [18, 0, 0], 20);
  expect(p.distance[0]).toBe(0);
  expect(p.distance[19]).toBeCloseTo(38);
  // x = −20 + 2s mm is voxel i = s exactly.
  expect(p.ijk.map((ijk) => ijk[0])).toEqual([...Array(20).keys()]);
  expect(p.scaled).toEqual(p.ijk.map(([i, j]) => (100 * i + j) * 0.5 - 10));
  for (let s = 0; s < 20; s++) expect(p.raw[s]).toBe(probeWorld(src, [-20 + 2 * s, 0, 0]).raw);
  const out = profileAlong(src, [0, 0, 0], [0, 0, 40], 3);
  expect(out.inside).toEqual([true, false, false]);
  expect(out.scaled[2]).toBeNaN();
});

it('a time course reads the voxel in every frame', () => {
  const four = new Float32Array(2 * 2 * 2 * 5).map((_, n) => n);
  const s4 = source([2, 2, 2, 5], four, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 2, 1);
  expect(timeCourse(s4, [1, 0, 1]).raw).toEqual([5, 13, 21, 29, 37]);
  expect(timeCourse(s4, [1, 0, 1]).scaled).toEqual([11, 27, 43, 59, 75]);
  expect(timeCourse(s4, [3, 0, 0]).raw.every(Number.isNaN)).toBe(true);
});

it('ROI statistics over the voxel centres inside an ellipse or a rectangle on the pane plane', () => {
  const centre = [0, 0, 0];
  // Rectangle of 8 × 4 mm at the origin in the axial plane: centres at x −4…4, y −2…2 → i 8–12, j 9–11.
  const rect = roiStats(src, { shape: 'rectangle', plane: 'axial', center: centre, size: [8, 4] });
  const values: number[] = [];
  for (let i = 8; i <= 12; i++) for (let j = 9; j <= 11; j++) values.push((100 * i + j) * 0.5 - 10);
  const mean = values.reduce((a, b) => a + b) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  expect(rect.count).toBe(15);
  expect(rect.areaMm2).toBe(60);
  expect(rect.mean).toBeCloseTo(mean, 9);
  expect(rect.sd).toBeCloseTo(sd, 9);
  expect([rect.min, rect.max]).toEqual([Math.min(...values), Math.max(...values)]);
  // Ellipse with 10 mm diameters: centres within 5 mm of the origin (21 of the 2 mm grid points).
  const ell = roiStats(src, { shape: 'ellipse', plane: 'axial', center: centre, size: [10, 10] });
  let n = 0;
  for (let i = -3; i <= 3; i++) for (let j = -3; j <= 3; j++) if ((2 * i) ** 2 + (2 * j) ** 2 <= 25) n++;
  expect(ell.count).toBe(n);
  // Coronal: the plane y = 0 (j = 10), axes x and z.
  const cor = roiStats(src, { shape: 'rectangle', plane: 'coronal', center: [0, 0, 0], size: [0, 4] });
  expect(cor.count).toBe(3); // i = 10, k 4–6
  expect(cor.mean).toBe((1000 + 10) * 0.5 - 10);
  expect(roiStats(src, { shape: 'ellipse', plane: 'axial', center: [500, 0, 0], size: [10, 10] }).count).toBe(0);
});

it('an oblique grid: the voxels the plane cuts, each once', () => {
  // 45° about z: every voxel of the k = 0 slice whose centre lies in the rectangle.
  const c = Math.SQRT1_2;
  const rot = [c, -c, 0, 0, c, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const ones = new Float32Array(11 * 11 * 3).fill(1);
  const s = source([11, 11, 3], ones, rot);
  const r = roiStats(s, { shape: 'rectangle', plane: 'axial', center: [0, 7, 0], size: [6, 6] });
  let expected = 0;
  for (let i = 0; i < 11; i++) for (let j = 0; j < 11; j++) if (Math.abs(c * i - c * j) <= 3 && Math.abs(c * i + c * j - 7) <= 3) expected++;
  expect(r.count).toBe(expected);
  expect(r.areaMm2).toBeCloseTo(expected, 9);
});

it('a world point a hair below a voxel centre at index 0 gives index 0, not −0', () => {
  const p = probeWorld(src, [-20 - 1e-9, -20 - 1e-9, -10 - 1e-9]);
  expect(p.ijk.every((v) => Object.is(v, 0))).toBe(true);
});
