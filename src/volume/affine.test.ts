import { describe, expect, it } from 'vitest';
import { axisCodes, invert, multiply, qformToAffine, transformPoint } from './affine';

describe('affine', () => {
  it('invert(m) · m is the identity', () => {
    const m = [0.99, 0.016, 0.11, -64.9, -0.05, 0.95, 0.3, -110.4, -0.1, -0.31, 0.95, -27.9, 0, 0, 0, 1];
    const id = multiply(invert(m), m);
    id.forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1][i], 10));
  });

  it('qform with qfac −1 flips k (LAS from an identity quaternion)', () => {
    const a = qformToAffine([0, 0, 1], [85.8, -84.4, -97.5], [-1, 2.2, 2.2, 2.2]);
    // b=c=0, d=1: 180° about z flips x and y; qfac −1 flips z.
    expect(transformPoint(a, [1, 0, 0])[0]).toBeCloseTo(85.8 - 2.2);
    expect(transformPoint(a, [0, 1, 0])[1]).toBeCloseTo(-84.4 - 2.2);
    expect(transformPoint(a, [0, 0, 1])[2]).toBeCloseTo(-97.5 - 2.2);
    expect(axisCodes(a)).toBe('LPI');
  });

  it('axis codes follow the largest component per axis', () => {
    expect(axisCodes([-1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1])).toBe('LIA');
    expect(axisCodes([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe('RAS');
  });
});
