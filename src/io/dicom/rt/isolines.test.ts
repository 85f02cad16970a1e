import { describe, expect, it } from 'vitest';
import { isodoseLevelsGy, isolineSegments } from './isolines';

describe('isolineSegments', () => {
  it('traces a circle of a radial field: every end point at the level, total length ≈ 2πr', () => {
    const w = 41, h = 41, r = 12;
    const v = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) v[y * w + x] = 50 - Math.hypot(x - 20, y - 20); // 50 at the centre, falling 1 per cell
    const segs = isolineSegments(v, w, h, 50 - r);
    let length = 0;
    for (let i = 0; i < segs.length; i += 4) {
      length += Math.hypot(segs[i + 2] - segs[i], segs[i + 3] - segs[i + 1]);
      for (const [x, y] of [[segs[i], segs[i + 1]], [segs[i + 2], segs[i + 3]]]) expect(Math.abs(Math.hypot(x - 20, y - 20) - r)).toBeLessThan(0.05);
    }
    expect(Math.abs(length - 2 * Math.PI * r) / (2 * Math.PI * r)).toBeLessThan(0.01);
  });

  it('a linear ramp gives one straight line at the interpolated position; NaN cells are skipped', () => {
    const v = Float64Array.from([0, 10, 20, 0, 10, 20]);
    expect(isolineSegments(v, 3, 2, 15)).toEqual([1.5, 0, 1.5, 1]);
    expect(isolineSegments(Float64Array.from([0, 10, NaN, 0, 10, 20]), 3, 2, 15)).toEqual([]);
  });

  it('levels in Gy from % of the maximum and of a prescription', () => {
    expect(isodoseLevelsGy([95, 50], 'percent-max', 70, 60)).toEqual([66.5, 35]);
    expect(isodoseLevelsGy([100], 'percent-prescription', 70, 60)).toEqual([60]);
    expect(isodoseLevelsGy([20], 'Gy', 70, 60)).toEqual([20]);
  });
});
