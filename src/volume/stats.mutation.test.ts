// The exact range, histogram and grid passes on the types and edge cases the first tests left open
// (issue 27's mutation run): 64-bit integers, all-NaN pieces, several channels, slabs, stopping.
import { describe, expect, it } from 'vitest';
import { computeStats, DISTINCT_CAP, exactRange, gridRange, gridStats, histogram, robustWindow, sampleStats, signedTails, withExactRange } from './stats';

describe('exact range', () => {
  it('covers every value of every type; NaN and ±Infinity counted, not ranged', () => {
    expect(exactRange(new BigInt64Array([5n, -7n, 3n]))).toEqual({ min: -7, max: 5, nonFinite: 0 });
    expect(exactRange(new BigUint64Array([5n, 9n]))).toEqual({ min: 5, max: 9, nonFinite: 0 });
    expect(exactRange(new Int16Array([4, -3, 9, 2]))).toEqual({ min: -3, max: 9, nonFinite: 0 });
    expect(exactRange(new Float64Array([2, NaN, -Infinity, -1, Infinity]))).toEqual({ min: -1, max: 2, nonFinite: 3 });
    expect(exactRange(new Float32Array([NaN, NaN]))).toEqual({ min: 0, max: 0, nonFinite: 2 });
    expect(exactRange(new Uint8Array(0))).toEqual({ min: 0, max: 0, nonFinite: 0 });
  });
});

describe('histogram', () => {
  it('puts each finite value in its equal bin, the maximum in the last', () => {
    expect(histogram(new Float32Array([0, 1, 2, 3, 4, NaN, Infinity]), 0, 4, 4)).toEqual([1, 1, 1, 2]);
    expect(histogram(new Int16Array([-10, -5, 0, 9, 10]), -10, 10, 2)).toEqual([2, 3]);
    expect(histogram(new BigInt64Array([-10n, -5n, 0n, 10n]), -10, 10, 4)).toEqual([1, 1, 1, 1]);
    // One value: every voxel in the first bin.
    expect(histogram(new Uint8Array([7, 7, 7]), 7, 7, 3)).toEqual([3, 0, 0]);
    expect(histogram(new Uint8Array([1]), 0, 1)).toHaveLength(256);
  });
});

describe('windows', () => {
  it('the robust window is low first for a negative slope', () => {
    const stats = computeStats(new Int16Array([0, 100]), 1);
    expect(robustWindow({ ...stats, robustMin: 10, robustMax: 20 }, -2, 5)).toEqual([-35, -15]);
    expect(robustWindow({ ...stats, robustMin: 10, robustMax: 20 }, 2, 5)).toEqual([25, 45]);
  });

  it('falls back to the full range when the percentiles meet, and to min + 1 for a constant volume', () => {
    const mostlyFive = new Int16Array(200).fill(5);
    mostlyFive[100] = 9;
    expect(sampleStats(mostlyFive, 1)).toMatchObject({ min: 5, max: 9, robustMin: 5, robustMax: 9 });
    expect(sampleStats(new Int16Array(50).fill(-3), 1)).toMatchObject({ min: -3, max: -3, robustMin: -3, robustMax: -2 });
    expect(sampleStats(new Float32Array([NaN, Infinity]), 1)).toEqual({ min: 0, max: 0, robustMin: 0, robustMax: 1, nonFinite: 2, sampledDistinct: 0, exact: false });
  });

  it('takes the 2nd and 98th percentiles of the sample', () => {
    const ramp = Int16Array.from({ length: 101 }, (_, i) => i);
    expect(sampleStats(ramp, 1)).toMatchObject({ min: 0, max: 100, robustMin: 2, robustMax: 98 });
  });
});

describe('sampling', () => {
  it('reads slabs as one volume', () => {
    const slabs = { arrays: [new Int16Array([1, 2, 3, 4]), new Int16Array([5, 6, 7, 8]), new Int16Array([-9, 10])], slabValues: 4 };
    expect(sampleStats(slabs, 1)).toMatchObject({ min: -9, max: 10, sampledDistinct: 10 });
  });

  it('several channels: the whole range, NaN counted, no percentile window', () => {
    const rgb = new Float32Array([1, NaN, 3, 4, 5, 6]);
    expect(sampleStats(rgb, 3)).toMatchObject({ min: 1, max: 6, robustMin: 1, robustMax: 6, nonFinite: 1, sampledDistinct: 5 });
  });

  it('a run starts at the smallest value only when that is an integer', () => {
    expect(sampleStats(new Float32Array([0.5, 1, 2, 3]), 1).sampledRun).toBe(3);
    expect(sampleStats(new Float32Array([1, 2, 3, 3.5]), 1).sampledRun).toBe(3);
    expect(sampleStats(new Float32Array([-2, -1, 0, 1]), 1).sampledRun).toBe(4);
  });

  it('tails: zeros belong to neither sign; a sign that is absent is [0, 0]', () => {
    expect(signedTails([0, 0, 3])).toEqual({ pos: [3, 3], neg: [0, 0] });
    expect(signedTails([-3, 0, 0])).toEqual({ pos: [0, 0], neg: [3, 3] });
    const many = Array.from({ length: 41 }, (_, i) => i - 20); // −20…20
    expect(signedTails(many)).toEqual({ pos: [19, 20], neg: [19, 20] });
  });
});

describe('exact stats', () => {
  it('one channel gets a histogram, and brick ranges when the grid is given', () => {
    const values = Int16Array.from({ length: 8 }, (_, i) => i);
    const s = withExactRange(sampleStats(values, 1), values, 1, [2, 2, 2]);
    expect(s).toMatchObject({ min: 0, max: 7, exact: true });
    expect(s.histogram).toHaveLength(256);
    expect(s.histogram![255]).toBe(1);
    expect(s.bricks?.dims).toEqual([1, 1, 1]);
    expect(withExactRange(sampleStats(values, 1), values, 1).bricks).toBeUndefined();
    expect(computeStats(values, 1, [2, 2, 2]).bricks?.ranges).toEqual(new Float32Array([0, 7]));
  });

  it('several channels get the range only', () => {
    const rgb = new Uint8Array([1, 2, 3, 40, 50, 60]);
    const s = withExactRange(sampleStats(rgb, 3), rgb, 3, [2, 1, 1]);
    expect(s).toMatchObject({ min: 1, max: 60, exact: true });
    expect(s.histogram).toBeUndefined();
    expect(s.bricks).toBeUndefined();
  });

  it('a grid pass keeps constant pieces, drops all-NaN ones, and counts several channels without a histogram', () => {
    expect(gridRange([new Float32Array([NaN, NaN]), new Float32Array([7, 7])], 1)).toMatchObject({ min: 7, max: 7, nonFinite: 2 });
    expect(gridRange([new Int16Array([0, 0]), new Float32Array([5, 9])], 1)).toMatchObject({ min: 0, max: 9 });
    expect(gridRange([new Float32Array([NaN])], 1)).toMatchObject({ min: 0, max: 0, nonFinite: 1 });
    expect(gridRange([new Uint8Array([3, 200])], 3)).toEqual({ min: 3, max: 200, nonFinite: 0 });
  });

  it('grid stats: the range and bricks of every slab, null once stopped', () => {
    const src = { arrays: [new Int16Array([1, 2, 3, 4]), new Int16Array([5, 6, 7, 80])], slabValues: 4 };
    const sampled = sampleStats(src, 1);
    const s = gridStats(sampled, src, 1, [2, 2, 2])!;
    expect(s).toMatchObject({ min: 1, max: 80, exact: true });
    expect(s.bricks?.ranges).toEqual(new Float32Array([1, 80]));
    expect(gridStats(sampled, src, 2, [2, 2, 1])!.bricks).toBeUndefined();
    expect(gridStats(sampled, src, 1, [2, 2, 2], () => true)).toBeNull();
    let calls = 0;
    // Stopped during the histogram pass (after the range pass over both pieces).
    expect(gridStats(sampled, src, 1, [2, 2, 2], () => ++calls > 2)).toBeNull();
  });
});

describe('the sample of a volume larger than 64K voxels', () => {
  // values[i] = i, 2¹⁷ voxels: two voxels per stratum, so each sampled value is 2k or 2k + 1 (its
  // stratum k, at the offset the golden jitter gives). A drifting jitter (stepped the wrong way, or
  // not brought back under 1) walks the samples off their strata; a fixed one misses odd voxels.
  const voxels = 1 << 17;
  const ramp = new Uint32Array(voxels);
  for (let i = 0; i < voxels; i++) ramp[i] = i;
  const s = sampleStats(ramp, 1);

  it('takes one voxel from each of 64K equal runs, the first at half a run', () => {
    expect(s.min).toBe(1);
    expect(s.max === voxels - 2 || s.max === voxels - 1).toBe(true);
    // round(0.02 · 65535) = 1311 and round(0.98 · 65535) = 64224: the stratum of each percentile.
    expect(Math.floor(s.robustMin / 2)).toBe(1311);
    expect(Math.floor(s.robustMax / 2)).toBe(64224);
    expect(s.nonFinite).toBe(0);
  });

  it('spreads its offsets within the runs evenly', () => {
    // 0 on even voxels, 1 on odd ones: both must be sampled, each often enough to hold a percentile.
    const odd = new Uint8Array(voxels);
    for (let i = 1; i < voxels; i += 2) odd[i] = 1;
    const t = sampleStats(odd, 1);
    expect([t.min, t.max, t.robustMin, t.robustMax]).toEqual([0, 1, 0, 1]);
  });

  it('counts distinct values only up to the cap', () => {
    expect(s.sampledDistinct).toBe(DISTINCT_CAP);
    // The run of consecutive integers is measured over the values counted: 2k+1, 2k+2 at most.
    expect(s.sampledRun).toBeLessThanOrEqual(2);
    const few = Float32Array.from({ length: DISTINCT_CAP + 500 }, (_, i) => i * 0.5);
    expect(sampleStats(few, 1).sampledDistinct).toBe(DISTINCT_CAP);
    expect(sampleStats(few.subarray(0, DISTINCT_CAP - 1), 1).sampledDistinct).toBe(DISTINCT_CAP - 1);
  });
});

describe('histogram of one value', () => {
  it('puts every 64-bit integer in the first bin, as for the other types', () => {
    expect(histogram(new BigInt64Array([3n, 3n]), 3, 3, 2)).toEqual([2, 0]);
    expect(histogram(new BigUint64Array([0n, 4n, 8n]), 0, 8, 2)).toEqual([1, 2]);
  });
});

describe('what the sample says', () => {
  it('counts each distinct value once, and the longest run of consecutive integers', () => {
    const labels = new Uint8Array([0, 0, 2, 41, 17, 17, 3, 3, 5]);
    // 0, 2, 3, 5, 17, 41: six values; runs 2–3 only.
    expect(sampleStats(labels, 1)).toMatchObject({ sampledDistinct: 6, sampledRun: 2, exact: false });
    expect(sampleStats(new Uint8Array([5, 7, 9, 200]), 1).sampledRun).toBe(1);
  });

  it('several channels: the range is the window, with no tails, at any sample size', () => {
    // 60 voxels of three channels, values −20…159: percentiles would cut the ends, and both signs are present.
    const rgb = Float32Array.from({ length: 180 }, (_, i) => i - 20);
    expect(sampleStats(rgb, 3)).toEqual({ min: -20, max: 159, robustMin: -20, robustMax: 159, nonFinite: 0, sampledDistinct: 180, sampledRun: 180, exact: false });
  });

  it('gives tails only to a sample with both signs', () => {
    expect(sampleStats(new Float32Array([-4, -2, 0, 1, 3]), 1).tails).toEqual({ pos: [1, 3], neg: [2, 4] });
    expect(sampleStats(new Float32Array([-3, -1, 0]), 1)).not.toHaveProperty('tails');
    expect(sampleStats(new Float32Array([0, 1, 2]), 1)).not.toHaveProperty('tails');
    expect(sampleStats(new Float32Array([-3, -1]), 1)).not.toHaveProperty('tails');
    expect(sampleStats(new Float32Array([1, 2]), 1)).not.toHaveProperty('tails');
  });

  it('the float range is not the last value', () => {
    expect(exactRange(new Float32Array([-4, 3, 1]))).toEqual({ min: -4, max: 3, nonFinite: 0 });
    expect(exactRange(new Int8Array([-4, 3, 1]))).toEqual({ min: -4, max: 3, nonFinite: 0 });
  });

  it('a grid pass adds the histograms of its pieces', () => {
    const r = gridRange([new Float32Array([0, 1, NaN]), new Float32Array([2, 3])], 1)!;
    expect(r.histogram).toEqual(histogram(new Float32Array([0, 1, 2, 3]), 0, 3));
    expect(r.histogram![0]).toBe(1);
    expect(r.histogram![255]).toBe(1);
  });
});
