import { describe, expect, it } from 'vitest';
import { interactionFactors } from './interactionLevels';

describe('interactionFactors', () => {
  it('leaves a grid at or under the threshold to be cast whole', () => {
    expect(interactionFactors([256, 256, 256], 2 ** 24, 2048)).toBeNull();
    expect(interactionFactors([64, 64, 64, 10], 64 ** 3, 2048)).toBeNull(); // one frame counts, not all
  });

  it('keeps one voxel in f along each axis, f halving the longest axes first, within an eighth of the threshold', () => {
    expect(interactionFactors([512, 512, 300], 2 ** 24, 2048)).toEqual([4, 4, 4]);
    const f = interactionFactors([2048, 2048, 80], 2 ** 24, 2048)!;
    expect(f).toEqual([16, 16, 1]);
    const voxels = Math.ceil(2048 / f[0]) * Math.ceil(2048 / f[1]) * Math.ceil(80 / f[2]);
    expect(voxels).toBeLessThanOrEqual(2 ** 21);
  });

  it('keeps the copy within the texture size limit', () => {
    expect(interactionFactors([64, 64, 5000], 4096, 2048)![2]).toBeGreaterThanOrEqual(4);
  });
});
