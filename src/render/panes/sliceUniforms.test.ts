import { describe, expect, it } from 'vitest';
import { slabStepUniforms } from './sliceUniforms';

describe('slabStepUniforms', () => {
  it('inverts the step per axis, with a huge value where it does not move, and picks the face the line leaves a box by', () => {
    const { inv, far } = slabStepUniforms([0.5, -0.25, 0]);
    expect(inv).toEqual([2, -4, 1e30]);
    expect(far).toEqual([1, 0, 1]);
    // −0 moves along no axis either: the far face, a huge positive inverse (the line never leaves by it).
    expect(slabStepUniforms([-0, 1, -3]).far).toEqual([1, 1, 0]);
    expect(slabStepUniforms([-0, 1, -3]).inv[0]).toBe(1e30);
    // The inverse of the step as the shader holds it (float32).
    expect(slabStepUniforms([0.1, 1, 1]).inv[0]).toBe(1 / Math.fround(0.1));
  });

  it('a box is left where the first coordinate reaches its exit face', () => {
    // A box [−0.5, 3.5)³ (box 0 of size 4) and a line from p = (1, 1, 1): the exit parameter per
    // axis is (face − p) · inv, with the face the far one going up and the near one going down.
    const p = [1, 1, 1];
    const step: [number, number, number] = [0.5, -0.25, 0];
    const { inv, far } = slabStepUniforms(step);
    const t = [0, 1, 2].map((a) => ((0 + far[a]) * 4 - 0.5 - p[a]) * inv[a]);
    expect(t[0]).toBeCloseTo(5); // x: 1 + 0.5·5 = 3.5
    expect(t[1]).toBeCloseTo(6); // y: 1 − 0.25·6 = −0.5
    expect(t[2]).toBeGreaterThan(1e29); // z never leaves
  });
});
