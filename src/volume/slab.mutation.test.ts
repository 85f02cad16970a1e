// slabAt's edges, written against the mutants Stryker left alive in slab.ts (issue 27): which
// samples fall inside the grid on each face, ties, NaN voxels, the frame and channel read.
import { describe, expect, it } from 'vitest';
import { invert } from './affine';
import { slabAt } from './slab';

const ID = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/** 3³ voxels (frames × channels values each), identity affine. */
function grid(f: (i: number, j: number, k: number) => number, frames = 1, channels = 1) {
  const values = new Float32Array(27 * frames * channels);
  for (let t = 0; t < frames; t++)
    for (let k = 0; k < 3; k++)
      for (let j = 0; j < 3; j++)
        for (let i = 0; i < 3; i++)
          for (let c = 0; c < channels; c++) values[(t * 27 + i + 3 * (j + 3 * k)) * channels + c] = f(i, j, k) + 100 * t + 1000 * c;
  return { dims: [3, 3, 3, frames], values, inverseAffine: invert(ID), slope: 1, inter: 0, channels };
}

const axis = (a: number) => [0, 1, 2].map((r) => (r === a ? 1 : 0));

describe('slabAt', () => {
  it('counts the samples inside [−0.5, n − 0.5) on every axis, both faces', () => {
    const src = grid(() => 1);
    for (let a = 0; a < 3; a++) {
      // Nine samples 0.5 apart about the centre: −1, −0.5, 0, …, 3 along the axis; −0.5 … 2 are inside.
      expect(slabAt(src, [1, 1, 1], axis(a), 9, 0.5, 'mean').samples, `axis ${a}`).toBe(6);
      // Off the grid on another axis: nothing inside.
      const off = [1, 1, 1];
      off[(a + 1) % 3] = -0.75;
      expect(slabAt(src, off, axis(a), 9, 0.5, 'mean'), `axis ${a} off`).toEqual({ value: NaN, samples: 0 });
      off[(a + 1) % 3] = 2.5;
      expect(slabAt(src, off, axis(a), 9, 0.5, 'mean').samples, `axis ${a} past`).toBe(0);
    }
  });

  it('max and min keep the first of equal extremes along the normal, and MinIP starts from +∞', () => {
    for (let a = 0; a < 3; a++) {
      // 5 at both ends of the axis, 0 between: the first sample (coordinate 0) gives the max.
      const ends = grid((i, j, k) => ([i, j, k][a] === 1 ? 0 : 5) + 1);
      const max = slabAt(ends, [1, 1, 1], axis(a), 3, 1, 'max');
      expect(max.value).toBe(6);
      expect(max.at!.ijk[a], `axis ${a}`).toBe(0);
      const dip = grid((i, j, k) => ([i, j, k][a] === 1 ? 9 : 2));
      const min = slabAt(dip, [1, 1, 1], axis(a), 3, 1, 'min');
      expect(min.value).toBe(2);
      expect(min.at!.ijk[a], `axis ${a}`).toBe(0);
    }
    // The last sample is not the max: a reduction that kept every sample would say so.
    expect(slabAt(grid((i) => [1, 9, 3][i]), [1, 1, 1], axis(0), 3, 1, 'max').at!.ijk).toEqual([1, 1, 1]);
  });

  it('reads the frame asked for and channel 0 of interleaved voxels; NaN voxels are not samples', () => {
    const frames = grid((i) => i, 3);
    expect(slabAt(frames, [1, 1, 1], axis(0), 3, 1, 'mean', { frame: 2 }).value).toBe(201);
    // Past the last slice of frame 0 lies frame 1's first: not a sample of frame 0.
    expect(slabAt(frames, [1, 1, 1], axis(2), 9, 0.5, 'mean').samples).toBe(6);
    const two = grid((i) => i, 1, 2);
    expect(slabAt(two, [1, 1, 1], axis(0), 3, 1, 'max').value).toBe(2);
    const holes = grid((i) => (i === 1 ? NaN : i));
    expect(slabAt(holes, [1, 1, 1], axis(0), 3, 1, 'mean')).toEqual({ value: 1, samples: 2 });
  });

  it('a sample below the first slice of a later frame is outside the grid, not the frame before', () => {
    // Frame 1 holds k + 100; samples at z = −1, 0, 1, the first outside (its index would land in frame 0's last slice).
    const frames = grid((_i, _j, k) => k, 2);
    expect(slabAt(frames, [1, 1, 0], axis(2), 3, 1, 'mean', { frame: 1 })).toEqual({ value: 100.5, samples: 2 });
  });

  it('MIP starts from −∞: a slab of negative values gives its largest', () => {
    const neg = grid((i) => -5 - i);
    expect(slabAt(neg, [1, 1, 1], axis(0), 3, 1, 'max')).toEqual({ value: -5, at: { world: [0, 1, 1], ijk: [0, 1, 1], scaled: -5 }, samples: 3 });
  });
});
