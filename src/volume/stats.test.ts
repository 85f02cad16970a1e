import { expect, it } from 'vitest';
import { computeStats, sampleStats, withExactRange } from './stats';

it('sampled stats give the window fast; the exact pass finds the extremes the sample missed', () => {
  const values = new Int16Array(1 << 18).map((_, i) => i % 100);
  values[12345] = 30000; // odd index: the stride-4 sample never sees it
  values[54321] = -5;
  const sampled = sampleStats(values, 1);
  expect(sampled.exact).toBe(false);
  expect(sampled.max).toBe(96);
  expect(sampled.robustMin).toBe(0);
  expect(sampled.robustMax).toBeGreaterThanOrEqual(95);
  const exact = withExactRange(sampled, values);
  expect(exact).toMatchObject({ min: -5, max: 30000, exact: true, robustMin: sampled.robustMin, robustMax: sampled.robustMax });
});

it('counts non-finite floats and ignores them in the range', () => {
  const f = new Float32Array([1, NaN, -Infinity, 4, Infinity, -2]);
  expect(computeStats(f, 1)).toMatchObject({ min: -2, max: 4, nonFinite: 3, exact: true });
});

it('a constant volume gets a usable window', () => {
  const s = computeStats(new Uint8Array(1000).fill(7), 1);
  expect(s.robustMax).toBeGreaterThan(s.robustMin);
});
