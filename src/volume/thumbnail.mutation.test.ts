// The thumbnail's coarse copy and view geometry: frames, slices still on their way, non-finite
// voxels, the depth axis and the box outside the grid (issue 27: thumbnail.test.ts checks images).
import { describe, expect, it } from 'vitest';
import { invert, type Mat4 } from './affine';
import { castThumbnail, thumbnailGrid, thumbnailView, type ThumbnailStyle } from './thumbnail';
import { transferTable } from './transfer';

// 4 × 3 × 2 voxels, two frames; value = 1000·t + 100·k + 10·j + i.
const dims = [4, 3, 2, 2];
const affine: Mat4 = [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1];
const values = Float32Array.from({ length: 48 }, (_, n) => 1000 * Math.floor(n / 24) + 100 * Math.floor((n % 24) / 12) + 10 * Math.floor((n % 12) / 4) + (n % 4));
const src = { dims, values, slope: 2, inter: -1, affine, inverseAffine: invert(affine) };

describe('the coarse copy', () => {
  it('copies the frame asked for, scaled, x fastest', () => {
    const g = thumbnailGrid(src, 1);
    expect(g.dims).toEqual([4, 3, 2]);
    expect(g.values[0]).toBe(2 * 1000 - 1);
    expect(g.values[23]).toBe(2 * 1123 - 1);
    expect(g.values[1 * 12 + 2 * 4 + 3]).toBe(2 * 1123 - 1);
    expect(g.values[5]).toBe(2 * 1011 - 1);
    // 1 voxel per 2 mm along world y.
    expect(g.voxelsPerMmY).toBeCloseTo(0.5, 12);
  });

  it('takes every f-th voxel along each axis, and its affine steps with it', () => {
    const g = thumbnailGrid(src, 0, 2);
    expect(g.dims).toEqual([2, 2, 2]);
    expect(Array.from(g.values)).toEqual([0, 2, 20, 22, 100, 102, 120, 122].map((v) => 2 * v - 1));
    expect(g.affine).toEqual([2, 0, 0, 0, 0, 4, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1]);
  });

  it('steps through slices too when there are more than maxSize', () => {
    // 1 × 1 × 4 voxels, value = k: every second slice.
    const tall = { ...src, dims: [1, 1, 4], values: Float32Array.from([0, 1, 2, 3]) };
    expect(Array.from(thumbnailGrid(tall, 0, 2).values)).toEqual([-1, 3]);
  });

  it('leaves a slice still on its way, and non-finite voxels, without a value', () => {
    const pending = new Uint8Array(4);
    pending[1 * 2 + 0] = 1; // frame 1, slice 0
    const g = thumbnailGrid({ ...src, pending }, 1);
    expect(g.values.subarray(0, 12).every(Number.isNaN)).toBe(true);
    expect(g.values[12]).toBe(2 * 1100 - 1);
    expect(thumbnailGrid({ ...src, pending }, 0).values[0]).toBe(-1);
    const inf = Float32Array.from(values);
    inf[1] = Infinity;
    inf[2] = NaN;
    const h = thumbnailGrid({ ...src, values: inf }, 0);
    expect(h.values[1]).toBeNaN();
    expect(h.values[2]).toBeNaN();
    expect(h.values[3]).toBe(5);
  });
});

describe('the view', () => {
  it('spans the box: depth samples along world y, the square over x and z, NaN outside the grid', () => {
    const g = { values: new Float32Array(8).fill(5), dims: [2, 2, 2] as [number, number, number], affine: [4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1], voxelsPerMmY: 1 };
    const v = thumbnailView(g, 4);
    // x −2…6 (8 mm) and z −1…3 (4 mm): 2 mm per pixel; y −0.5…1.5: one sample of 2 mm.
    expect([v.size, v.depth]).toEqual([4, 1]);
    expect(v.stepVoxels).toBeCloseTo(2, 12);
    // The square is 8 mm: rows j 0…3 lie at z 4, 2, 0, −2, so the outer two miss the grid (z −1…3);
    // columns at x 5, 3, 1, −1 all lie inside it.
    const row = (j: number) => Array.from(v.values.subarray(j * 4, j * 4 + 4));
    expect(row(1)).toEqual([5, 5, 5, 5]);
    expect(row(0).every(Number.isNaN)).toBe(true);
    expect(row(3).every(Number.isNaN)).toBe(true);
  });

  it('samples depth from the front (world +y) back, each sample a step of full-grid voxels', () => {
    // 2 × 4 × 2 voxels of 1 × 2 × 1 mm, value = j: y −1…7, 8 mm deep in a 2 mm square: 4 samples 2 mm
    // apart at y 6, 4, 2, 0 (j 3, 2, 1, 0); 0.5 full-grid voxels per mm make each sample 1 voxel.
    const values = Float32Array.from({ length: 16 }, (_, n) => Math.floor(n / 2) % 4);
    const g = { values, dims: [2, 4, 2] as [number, number, number], affine: [1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], voxelsPerMmY: 0.5 };
    const v = thumbnailView(g, 1);
    expect([v.depth, v.stepVoxels]).toEqual([4, 1]);
    expect(Array.from(v.values)).toEqual([3, 2, 1, 0]);
  });

  it('takes more depth samples for a deeper box, at most 128', () => {
    const deep = { values: new Float32Array(2 * 300 * 2), dims: [2, 300, 2] as [number, number, number], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], voxelsPerMmY: 1 };
    const v = thumbnailView(deep, 2);
    expect(v.depth).toBe(128);
    expect(v.stepVoxels).toBeCloseTo(300 / 128, 12);
    const g = { ...deep, values: new Float32Array(2 * 10 * 2), dims: [2, 10, 2] as [number, number, number] };
    expect(thumbnailView(g, 2).depth).toBe(10);
  });
});

describe('the cast', () => {
  // Opacity 0 → 1 over 2…12 (the table spans it), colour (1, 0.5, 0) → (0, 0.25, 1).
  const style: ThumbnailStyle = { points: [[2, 0], [12, 1]], colors: [[2, 1, 0.5, 0], [12, 0, 0.25, 1]], shading: false, ambient: 0.2, diffuse: 0.8, specular: 0.5, specularPower: 10 };
  const table = transferTable(style.points, new Uint8Array(1024), style.colors);
  /** The table's entry for a value of 2…12 (clamped), as 0…1 RGBA. */
  const entry = (v: number) => {
    const b = Math.round(Math.min(1, Math.max(0, (v - 2) / 10)) * 255);
    return [0, 1, 2, 3].map((c) => table[4 * b + c] / 255);
  };
  /** Front to back over black: each sample's opacity taken to the power of the step, stopping once 0.99 is reached. */
  const over = (samples: number[], step: number) => {
    let r = 0, g = 0, b = 0, a = 0;
    for (const v of samples) {
      if (a >= 0.99) break;
      const [cr, cg, cb, alpha] = entry(v);
      const s = 1 - (1 - Math.min(alpha, 0.9999)) ** step;
      r += (1 - a) * s * cr;
      g += (1 - a) * s * cg;
      b += (1 - a) * s * cb;
      a += (1 - a) * s;
    }
    return Array.from(Uint8ClampedArray.from([r * 255, g * 255, b * 255, 255]));
  };
  // 253/255 of the way up: opacity 253/255, past 0.99 after one sample.
  const nearly = 2 + (253 / 255) * 10;

  it('composites each pixel\'s samples front to back, NaN and transparent ones skipped, stopping at 0.99', () => {
    // 2 × 2 pixels, 3 samples each (values[k·4 + j·2 + i]).
    const pixels = [
      [NaN, 5, 7.5], // (0, 0)
      [-3, 6, 20], // (1, 0): below the table (transparent), then above it (its last entry)
      [0, 0, 0], // (0, 1): transparent
      [nearly, 12, NaN], // (1, 1): opaque enough after one sample
    ];
    const values = new Float32Array(12);
    pixels.forEach((p, n) => p.forEach((v, k) => (values[k * 4 + n] = v)));
    for (const step of [1, 2.5]) {
      const rgba = castThumbnail({ values, size: 2, depth: 3, stepVoxels: step }, style);
      pixels.forEach((p, n) => expect(Array.from(rgba.subarray(4 * n, 4 * n + 4)), `pixel ${n}, step ${step}`).toEqual(over(p.filter((v) => !Number.isNaN(v)), step)));
    }
    expect(over([0, 0, 0], 1)).toEqual([0, 0, 0, 255]);
    // Pixel (1, 1) by hand at step 1: its entry (2, 64, 253) times its opacity 253/255; the 12 behind it not reached.
    expect(Array.from(castThumbnail({ values, size: 2, depth: 3, stepVoxels: 1 }, style).subarray(12, 16))).toEqual([2, 63, 251, 255]);
  });

  it('shades by the gradient within the view: ambient + diffuse·n·l and a specular headlight, faded in above the flat threshold', () => {
    // 3 × 3 pixels × 3 samples, value 5 + ax·(i − 1) + ay·(j − 1) + az·k; every pixel is checked. Its
    // gradient: central differences across the pixels and the samples, one-sided (the sample itself
    // for the missing side) at the edges.
    const flat = 1e-4 * 10;
    const span = (n: number) => Math.min(n + 1, 2) - Math.max(n - 1, 0);
    const shadeOver = (ax: number, ay: number, az: number, st: ThumbnailStyle, i: number, j: number) => {
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = 0; k < 3; k++) {
        const [cr, cg, cb, alpha] = entry(5 + ax * (i - 1) + ay * (j - 1) + az * k);
        const grad = [ax * span(i), ay * span(j), az * span(k)];
        const len = Math.hypot(...grad);
        let kd = st.ambient + st.diffuse, spec = 0;
        if (len > flat) {
          const ndl = Math.abs(grad[2]) / len;
          const t = Math.min(1, Math.max(0, (len - flat) / (3 * flat)));
          const w = t * t * (3 - 2 * t);
          kd = st.ambient + st.diffuse + w * (st.ambient + st.diffuse * ndl - st.ambient - st.diffuse);
          spec = w * st.specular * ndl ** Math.max(1, st.specularPower);
        }
        const s = 1 - (1 - Math.min(alpha, 0.9999)) ** 1;
        r += (1 - a) * s * Math.min(1, cr * kd + spec);
        g += (1 - a) * s * Math.min(1, cg * kd + spec);
        b += (1 - a) * s * Math.min(1, cb * kd + spec);
        a += (1 - a) * s;
      }
      return Array.from(Uint8ClampedArray.from([r * 255, g * 255, b * 255, 255]));
    };
    const cast = (ax: number, ay: number, az: number, st: ThumbnailStyle) => {
      const values = new Float32Array(27);
      for (let k = 0; k < 3; k++) for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) values[k * 9 + j * 3 + i] = 5 + ax * (i - 1) + ay * (j - 1) + az * k;
      return castThumbnail({ values, size: 3, depth: 3, stepVoxels: 1 }, st);
    };
    const lit = { ...style, shading: true };
    const cases: [number, number, number, ThumbnailStyle][] = [
      [0, 0, 0, lit], // flat: ambient + diffuse
      [0.5, 0, 0, lit], // across the view: ambient only
      [0, 0.5, 0, lit],
      [0, 0, 0.5, lit], // along the light: ambient + diffuse and the specular
      [0.5, 0, 0.5, lit],
      [0.5, 0, -0.5, lit], // falling towards the back: n·l is its size
      [0, -0.25, 0.5, { ...lit, specularPower: 0.5 }], // a power under 1 is 1
      [0, 0, 0.5, { ...lit, specular: 0.9 }], // colours saturate at 1
      [0.001, 0, 0, lit], // between the flat threshold and 4× it: part lit
      [0, 0.0015, 0.0005, lit],
      [0.0004, 0, 0, lit], // under the threshold: flat
    ];
    for (const [ax, ay, az, st] of cases) {
      const rgba = cast(ax, ay, az, st);
      for (let n = 0; n < 9; n++) expect(Array.from(rgba.subarray(4 * n, 4 * n + 4)), `${ax} ${ay} ${az}, pixel ${n}`).toEqual(shadeOver(ax, ay, az, st, n % 3, Math.floor(n / 3)));
    }
    // The cases differ: ambient alone is darker than flat, the specular brighter.
    expect(shadeOver(0.5, 0, 0, lit, 1, 1)[0]).toBeLessThan(shadeOver(0, 0, 0, lit, 1, 1)[0]);
    expect(shadeOver(0, 0, 0.5, lit, 1, 1)[1]).toBeGreaterThan(shadeOver(0, 0, 0, lit, 1, 1)[1]);
  });

  it('a neighbour outside the box (NaN) reads as the sample itself', () => {
    const values = new Float32Array(27).fill(5);
    values[9 + 3] = NaN; // (0, 1) at k = 1, the centre's left neighbour there
    values[9 + 5] = 9; // its right one: a gradient of 4, not 9 − NaN
    const st = { ...style, shading: true };
    const rgba = Array.from(castThumbnail({ values, size: 3, depth: 3, stepVoxels: 1 }, st).subarray(16, 20));
    const noLeft = Float32Array.from(values);
    noLeft[9 + 3] = 5;
    noLeft[9 + 5] = 9;
    // With 5 on the left the gradient would be 4 too: the NaN side reads as the centre (5).
    expect(rgba).toEqual(Array.from(castThumbnail({ values: noLeft, size: 3, depth: 3, stepVoxels: 1 }, st).subarray(16, 20)));
    expect(rgba).not.toEqual(Array.from(castThumbnail({ values: new Float32Array(27).fill(5), size: 3, depth: 3, stepVoxels: 1 }, st).subarray(16, 20)));
  });
});
