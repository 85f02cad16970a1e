import { describe, expect, it } from 'vitest';
import {
  acquisitionRotation,
  applyMat3,
  IDENTITY3,
  isRotation,
  multiplyMat3,
  orthonormalize,
  rotationAbout,
  rotationAngle,
  slabSampling,
  voxelStepAlong,
  type Mat3,
} from './orientation';

const deg = Math.PI / 180;

describe('orientation math', () => {
  it('rotates right-handed about an axis and reads the angle back', () => {
    const r = rotationAbout([0, 0, 1], 30 * deg);
    const x = applyMat3(r, [1, 0, 0]);
    expect(x[0]).toBeCloseTo(Math.cos(30 * deg), 12);
    expect(x[1]).toBeCloseTo(Math.sin(30 * deg), 12); // R toward A about S
    expect(rotationAngle(r) / deg).toBeCloseTo(30, 9);
    expect(isRotation(r)).toBe(true);
    expect(isRotation([1, 0, 0, 0, 1, 0, 0, 0, -1])).toBe(false); // a reflection
    expect(isRotation([2, 0, 0, 0, 1, 0, 0, 0, 0.5])).toBe(false);
  });

  it('orthonormalize keeps a composed rotation a rotation and the S column exact', () => {
    let m: Mat3 = IDENTITY3;
    for (let n = 0; n < 1000; n++) m = multiplyMat3(rotationAbout([0.3, -0.2, 0.9], 0.37 * deg), m);
    const noisy = m.map((v, i) => v + (i % 2 ? 1e-7 : -1e-7)) as unknown as Mat3;
    const o = orthonormalize(noisy);
    expect(isRotation(o, 1e-12)).toBe(true);
    expect(rotationAngle(multiplyMat3(o, [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]]))).toBeLessThan(1e-6);
  });

  it('acquisition: a tilted axial grid maps S to its k axis, R to its i axis', () => {
    const t = rotationAbout([1, 0, 0], 20 * deg);
    // Voxel axes: i = −x (an LPS-like flip), j = t·y · 2 mm, k = t·z · 3 mm.
    const j = applyMat3(t, [0, 2, 0]), k = applyMat3(t, [0, 0, 3]);
    const affine = [-1, j[0], k[0], 5, 0, j[1], k[1], 6, 0, j[2], k[2], 7, 0, 0, 0, 1];
    const r = acquisitionRotation(affine);
    expect(isRotation(r, 1e-12)).toBe(true);
    applyMat3(r, [0, 0, 1]).forEach((v, a) => expect(v).toBeCloseTo(applyMat3(t, [0, 0, 1])[a], 12));
    applyMat3(r, [1, 0, 0]).forEach((v, a) => expect(v).toBeCloseTo([1, 0, 0][a], 12));
    expect(acquisitionRotation([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toEqual(IDENTITY3);
  });

  it('slab samples span the thickness no further apart than the step', () => {
    expect(slabSampling(0, 1)).toEqual({ count: 1, spacingMm: 0, firstMm: 0 });
    expect(slabSampling(20, 1)).toEqual({ count: 21, spacingMm: 1, firstMm: -10 });
    const s = slabSampling(10, 3);
    expect(s.count).toBe(5);
    expect(s.spacingMm).toBeCloseTo(2.5, 12);
    expect(s.spacingMm).toBeLessThanOrEqual(3);
  });

  it('one voxel along a direction: the spacing on an axis, shorter diagonally', () => {
    const inv = [0.5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 / 3, 0, 0, 0, 0, 1]; // 2 × 1 × 3 mm
    expect(voxelStepAlong(inv, [0, 0, 1])).toBeCloseTo(3, 12);
    expect(voxelStepAlong(inv, [1, 0, 0])).toBeCloseTo(2, 12);
    expect(voxelStepAlong(inv, [Math.SQRT1_2, Math.SQRT1_2, 0])).toBeCloseTo(Math.SQRT2, 12);
  });
});
