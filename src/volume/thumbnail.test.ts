import { describe, expect, it } from 'vitest';
import { invert, type Mat4 } from './affine';
import { presetNamed } from './presets';
import { castThumbnail, thumbnailGrid, thumbnailView, type ThumbnailStyle } from './thumbnail';

const N = 20;
const affine: Mat4 = [1, 0, 0, -(N - 1) / 2, 0, 1, 0, -(N - 1) / 2, 0, 0, 1, -(N - 1) / 2, 0, 0, 0, 1];
function source(value: (x: number, y: number, z: number) => number) {
  const values = new Float32Array(N * N * N);
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) values[(k * N + j) * N + i] = value(i - (N - 1) / 2, j - (N - 1) / 2, k - (N - 1) / 2);
  return { dims: [N, N, N], values, slope: 1, inter: 0, affine, inverseAffine: invert(affine) };
}
const grey: ThumbnailStyle = { points: [[0, 0], [50, 0], [51, 1], [200, 1]], colors: [[0, 0.5, 0.5, 0.5], [200, 0.5, 0.5, 0.5]], shading: false, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10 };
const px = (img: Uint8ClampedArray, size: number, i: number, j: number) => Array.from(img.subarray((j * size + i) * 4, (j * size + i) * 4 + 3));

describe('preset thumbnails', () => {
  it('a coarse copy keeps at most maxSize voxels per axis, scaled', () => {
    const g = thumbnailGrid({ ...source(() => 3), slope: 2, inter: 1 }, 0, 8);
    expect(g.dims).toEqual([5, 5, 5]); // every 4th of 20: power-of-two steps
    expect(g.values.every((v) => v === 7)).toBe(true);
    expect(g.voxelsPerMmY).toBeCloseTo(1, 9);
  });

  it('from anterior: a ball on the patient\'s right shows on the left, superior up', () => {
    const g = thumbnailGrid(source((x, _y, z) => (Math.hypot(x - 5, z - 5) < 3 ? 200 : 0)), 0);
    const size = 32;
    const img = castThumbnail(thumbnailView(g, size), grey);
    let sx = 0, sy = 0, n = 0;
    for (let j = 0; j < size; j++) for (let i = 0; i < size; i++) if (px(img, size, i, j)[0] > 20) [sx, sy, n] = [sx + i, sy + j, n + 1];
    expect(n).toBeGreaterThan(10);
    expect(sx / n).toBeLessThan(size / 2 - 4);
    expect(sy / n).toBeLessThan(size / 2 - 4);
  });

  it('shading darkens a sphere\'s rim, leaves a flat region one grey (ambient + diffuse), and a shaded preset differs', () => {
    const size = 32;
    const sphere = thumbnailView(thumbnailGrid(source((x, y, z) => 200 * Math.max(0, 1 - Math.hypot(x, y, z) / 9)), 0), size);
    const flatShade = castThumbnail(sphere, grey);
    const shaded = castThumbnail(sphere, { ...grey, points: [[0, 0], [100, 0], [101, 1], [200, 1]], shading: true });
    const unshaded = castThumbnail(sphere, { ...grey, points: [[0, 0], [100, 0], [101, 1], [200, 1]] });
    expect(Array.from(shaded)).not.toEqual(Array.from(unshaded));
    const c = size / 2;
    expect(px(shaded, size, c, c)[0]).toBeGreaterThan(px(shaded, size, c + 4, c)[0]);
    expect(flatShade.length).toBe(size * size * 4);
    const constant = thumbnailView(thumbnailGrid(source(() => 150), 0), size);
    const img = castThumbnail(constant, { ...grey, shading: true });
    const centre = px(img, size, c, c);
    // Grey 0.5 × (ambient + diffuse), nearly opaque within a sample or two.
    expect(Math.abs(centre[0] - 0.5 * (0.1 + 0.9) * 255)).toBeLessThan(1.5);
    for (let j = 2; j < size - 2; j++) for (let i = 2; i < size - 2; i++) expect(px(img, size, i, j)).toEqual(centre);
  });

  it('every preset casts without NaN on a CT-like phantom; CT-Bone lights the bone', () => {
    const view = thumbnailView(thumbnailGrid(source((x, y, z) => { const r = Math.hypot(x, y, z); return r < 4 ? 1200 : r < 8 ? 40 : -1000; }), 0), 24);
    const bone = castThumbnail(view, presetNamed('CT-Bone')!);
    expect(Math.max(...px(bone, 24, 12, 12))).toBeGreaterThan(60);
    expect(px(bone, 24, 0, 0)).toEqual([0, 0, 0]);
  });
});
