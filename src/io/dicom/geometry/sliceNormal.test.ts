import { describe, expect, it } from 'vitest';
import type { Orientation } from '../types';
import { AXIAL, CORONAL, OBLIQUE, SAGITTAL } from './planeFixtures';
import { planeOrientationName } from './planeOrientationName';
import { sliceNormal } from './sliceNormal';

const expectVec = (got: readonly number[] | null, want: readonly number[]) => {
  expect(got).not.toBeNull();
  want.forEach((v, i) => expect(got?.[i]).toBeCloseTo(v, 12));
};

describe('sliceNormal', () => {
  it('is row × column for the three standard planes (LPS)', () => {
    expectVec(sliceNormal(AXIAL), [0, 0, 1]);
    expectVec(sliceNormal(CORONAL), [0, 1, 0]);
    expectVec(sliceNormal(SAGITTAL), [-1, 0, 0]);
  });

  it('follows an oblique plane (axial rotated 30° about x)', () => {
    expectVec(sliceNormal(OBLIQUE), [0, -Math.sin(Math.PI / 6), Math.cos(Math.PI / 6)]);
  });

  it('normalises cosines that scanners round (not unit length, nearly perpendicular)', () => {
    const n = sliceNormal([0.99999, 0.0004, 0, 0, 1.00001, 0.0002]);
    expect(n).not.toBeNull();
    expect(Math.hypot(...(n ?? []))).toBeCloseTo(1, 12);
    expect(n?.[2]).toBeCloseTo(1, 6);
    expectVec(sliceNormal([2, 0, 0, 0, 3, 0]), [0, 0, 1]);
  });

  it('refuses non-finite, zero-length and non-perpendicular directions', () => {
    const bad: Orientation[] = [
      [NaN, 0, 0, 0, 1, 0],
      [1, 0, 0, 0, Infinity, 0],
      [0, 0, 0, 0, 1, 0],
      [1, 0, 0, 0, 0, 0],
      [1, 0, 0, 1, 0, 0],
      [1, 0, 0, 0.01, 1, 0],
    ];
    for (const o of bad) expect(sliceNormal(o), o.join(',')).toBeNull();
    // |dot| just inside the 1e-3 tolerance is accepted.
    expect(sliceNormal([1, 0, 0, 0.0009, 1, 0])).not.toBeNull();
    expect(sliceNormal([1, 0, 0, 0, 1] as unknown as Orientation)).toBeNull();
  });
});

describe('planeOrientationName', () => {
  it('names planes by their normal, either sign, and oblique ones after the nearest axis', () => {
    expect(planeOrientationName([0, 0, 1])).toBe('axial');
    expect(planeOrientationName([0, 0, -1])).toBe('axial');
    expect(planeOrientationName([0, 1, 0])).toBe('coronal');
    expect(planeOrientationName([-1, 0, 0])).toBe('sagittal');
    const tilted = sliceNormal(OBLIQUE);
    expect(tilted && planeOrientationName(tilted)).toBe('oblique axial');
    const fiveDegrees = (5 * Math.PI) / 180;
    expect(planeOrientationName([0, Math.sin(fiveDegrees), Math.cos(fiveDegrees)])).toBe('axial');
  });
});
