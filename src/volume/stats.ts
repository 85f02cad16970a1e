import { brickRanges } from './bricks';
import type { VoxelArray } from './dataTypes';
import { valueAt, valueCount, type Slabs } from './sampling';
import { HISTOGRAM_BINS, type VolumeStats } from './header';

// 64K values place the 2nd and 98th percentiles well within a display window's tolerance, and
// sort in a few ms (a million took ~150 ms, on the critical path of every load).
const SAMPLE_TARGET = 1 << 16;

// Distinct values are counted only this far: past it a volume is plainly not a label map, and a
// sample's count says little about the volume's anyway.
export const DISTINCT_CAP = 1024;

// 1/φ. Its multiples mod 1 are the most evenly spread of any additive sequence, and being
// irrational it has no period a grid dimension could share.
const GOLDEN = 0.6180339887498949;

/**
 * The default window (2nd–98th percentile) from at most 64K values, with a first range and a count
 * of distinct values from the same sample (`exact: false`). Cheap enough for the critical path of a
 * load. Multi-channel voxels (RGB) are sampled whole: every channel of each sampled voxel.
 */
export function sampleStats(values: VoxelArray | Slabs, channels: number): VolumeStats {
  const src = 'arrays' in values ? { values: values.arrays[0], slabs: values } : { values };
  const voxels = Math.floor(valueCount(src) / channels);
  // One voxel from each of `strata` equal runs of the volume, at an offset within the run that
  // steps by the golden ratio. A plain stride aliases with the grid: floor(n / 65536) is 256 for
  // 256³, so every sample had x = 0 (one column, outside the head). The offsets here are
  // equidistributed along every arithmetic progression of runs, so no row length or slice size can
  // line the samples up, and the indices still ascend (reads stay cache friendly).
  const strata = Math.min(voxels, SAMPLE_TARGET);
  const width = voxels / strata;
  const sample = new Float64Array(strata * channels);
  let count = 0;
  let nonFinite = 0;
  let jitter = 0.5;
  for (let k = 0; k < strata; k++) {
    // min(): (k + jitter) * width < voxels in exact arithmetic; rounding must not step past the end.
    // Stryker disable next-line ArithmeticOperator: the guard only catches a rounding step past the end, which no volume reaches in practice
    const start = Math.min(voxels - 1, Math.floor((k + jitter) * width)) * channels;
    jitter += GOLDEN;
    // Stryker disable next-line EqualityOperator: jitter is 0.5 plus multiples of an irrational step, never exactly 1
    if (jitter >= 1) jitter -= 1;
    for (let c = 0; c < channels; c++) {
      const v = valueAt(src, start + c);
      if (Number.isFinite(v)) sample[count++] = v;
      else nonFinite++;
    }
  }
  if (count === 0) return { min: 0, max: 0, robustMin: 0, robustMax: 1, nonFinite, sampledDistinct: 0, exact: false };
  const sorted = sample.subarray(0, count).sort();
  const min = sorted[0];
  const max = sorted[count - 1];
  let sampledDistinct = 1;
  let sampledRun = Number.isInteger(min) ? 1 : 0;
  for (let i = 1, run = sampledRun; i < count && sampledDistinct < DISTINCT_CAP; i++) {
    if (sorted[i] === sorted[i - 1]) continue;
    sampledDistinct++;
    run = Number.isInteger(sorted[i]) ? (sorted[i] === sorted[i - 1] + 1 ? run + 1 : 1) : 0;
    // Stryker disable next-line EqualityOperator: an equal run leaves the same longest run
    if (run > sampledRun) sampledRun = run;
  }
  if (channels > 1) return { min, max, robustMin: min, robustMax: max, nonFinite, sampledDistinct, sampledRun, exact: false };
  // Stryker disable next-line ArithmeticOperator: a guard; round(q · (count − 1)) for q in [0, 1] is at most count − 1 already
  const at = (q: number) => sorted[Math.min(count - 1, Math.max(0, Math.round(q * (count - 1))))];
  let robustMin = at(0.02);
  let robustMax = at(0.98);
  if (!(robustMax > robustMin)) {
    robustMin = min;
    robustMax = max > min ? max : min + 1;
  }
  return { min, max, robustMin, robustMax, nonFinite, sampledDistinct, sampledRun, exact: false, ...(min < 0 && max > 0 ? { tails: signedTails(sorted) } : {}) };
}

/** The positive and negative tails of a sorted sample holding both signs: [95th percentile, largest] of each, as magnitudes. */
export function signedTails(sorted: ArrayLike<number>): { pos: [number, number]; neg: [number, number] } {
  const n = sorted.length;
  let firstPos = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a guard; past the end sorted[n] is undefined, and undefined <= 0 is false
  while (firstPos < n && sorted[firstPos] <= 0) firstPos++;
  let negCount = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a guard; past the end sorted[n] is undefined, and undefined < 0 is false
  while (negCount < n && sorted[negCount] < 0) negCount++;
  const posCount = n - firstPos;
  const pos: [number, number] = posCount ? [sorted[firstPos + Math.floor(0.95 * (posCount - 1))], sorted[n - 1]] : [0, 0];
  const neg: [number, number] = negCount ? [-sorted[Math.ceil(0.05 * (negCount - 1))], -sorted[0]] : [0, 0];
  return { pos, neg };
}
/** Exact min/max over every value, ignoring NaN and ±Infinity (which it counts). */
export function exactRange(values: VoxelArray): Pick<VolumeStats, 'min' | 'max' | 'nonFinite'> {
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  const n = values.length;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    // Stryker disable next-line EqualityOperator: one step more reads undefined, NaN as a number, which fails both tests
    for (let i = 0; i < n; i++) {
      const v = Number(values[i]);
      // Stryker disable next-line EqualityOperator: an equal value leaves the same min
      if (v < min) min = v;
      // Stryker disable next-line EqualityOperator: an equal value leaves the same max
      if (v > max) max = v;
    }
    // Stryker disable next-line ConditionalExpression: integers take the float loop to the same result (v − v is 0); the split is for speed
  } else if (values instanceof Float32Array || values instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v - v !== 0) {
        nonFinite++;
        continue;
      }
      // Stryker disable next-line EqualityOperator: an equal value leaves the same min (−0 and 0 included: the same number)
      if (v < min) min = v;
      // Stryker disable next-line EqualityOperator: an equal value leaves the same max (−0 and 0 included: the same number)
      if (v > max) max = v;
    }
  } else {
    // Stryker disable next-line EqualityOperator: one step more reads undefined, which fails both tests
    for (let i = 0; i < n; i++) {
      const v = values[i];
      // Stryker disable next-line EqualityOperator: an equal value leaves the same min
      if (v < min) min = v;
      // Stryker disable next-line EqualityOperator: an equal value leaves the same max
      if (v > max) max = v;
    }
  }
  return min > max ? { min: 0, max: 0, nonFinite } : { min, max, nonFinite };
}

/** The default (2nd–98th percentile) window in scaled units, low first even for a negative slope. */
export function robustWindow(stats: VolumeStats, slope: number, inter: number): [number, number] {
  const a = stats.robustMin * slope + inter;
  const b = stats.robustMax * slope + inter;
  return [Math.min(a, b), Math.max(a, b)];
}

/** Sampled stats with the exact range filled in. */
/** Counts every finite value into `bins` equal bins over [min, max] (the last bin holds max). */
export function histogram(values: VoxelArray, min: number, max: number, bins = HISTOGRAM_BINS): number[] {
  const counts = new Float64Array(bins);
  const scale = max > min ? bins / (max - min) : 0;
  const n = values.length;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    // Stryker disable next-line EqualityOperator: one step more counts into index NaN, which a typed array ignores
    for (let i = 0; i < n; i++) counts[Math.min(bins - 1, Math.floor((Number(values[i]) - min) * scale))]++;
  } else {
    // Stryker disable next-line EqualityOperator: one step more reads undefined, and undefined − undefined is NaN: skipped
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v - v !== 0) continue; // NaN, ±Infinity
      counts[Math.min(bins - 1, ((v - min) * scale) | 0)]++;
    }
  }
  return Array.from(counts);
}

/**
 * Sampled stats with the exact range filled in and, for one channel, the histogram and (given the
 * volume's `dims`) the ray caster's brick ranges.
 */
export function withExactRange(stats: VolumeStats, values: VoxelArray, channels = 1, dims?: readonly number[]): VolumeStats {
  const range = exactRange(values);
  if (channels !== 1) return { ...stats, ...range, exact: true };
  const bricks = dims ? brickRanges(values, dims) : undefined;
  return { ...stats, ...range, exact: true, histogram: histogram(values, range.min, range.max), ...(bricks ? { bricks } : {}) };
}

export const computeStats = (values: VoxelArray, channels: number, dims?: readonly number[]): VolumeStats =>
  withExactRange(sampleStats(values, channels), values, channels, dims);

/**
 * The exact range (and, for one channel, the histogram) of a grid held in one array or several
 * (z-slabs): for a layer drawn from a display level, whose own stats would miss the values the
 * display level skips.
 */
export function gridRange(arrays: readonly VoxelArray[], channels: number): Pick<VolumeStats, 'min' | 'max' | 'nonFinite' | 'histogram'>;
/** …or null as soon as `stopped()` says so (checked every RANGE_CHUNK values). */
export function gridRange(arrays: readonly VoxelArray[], channels: number, stopped: () => boolean): Pick<VolumeStats, 'min' | 'max' | 'nonFinite' | 'histogram'> | null;
// Stryker disable next-line ArrowFunction: undefined stops nothing, as false
export function gridRange(arrays: readonly VoxelArray[], channels: number, stopped = () => false): Pick<VolumeStats, 'min' | 'max' | 'nonFinite' | 'histogram'> | null {
  // In pieces, so that a caller can stop a pass over gigabytes (the layer was closed).
  const pieces = arrays.map((a) => Array.from({ length: Math.ceil(a.length / RANGE_CHUNK) }, (_, n) => a.subarray(n * RANGE_CHUNK, (n + 1) * RANGE_CHUNK) as VoxelArray));
  const parts: Pick<VolumeStats, 'min' | 'max' | 'nonFinite'>[] = [];
  const lengths: number[] = [];
  for (const piece of pieces.flat()) {
    if (stopped()) return null;
    parts.push(exactRange(piece));
    lengths.push(piece.length);
  }
  // A piece's range is finite where min < max, or min = max (exactRange's 0, 0 for no finite value too) with a finite value counted.
  const finite = parts.filter((p, n) => p.min < p.max || lengths[n] > p.nonFinite);
  const min = finite.length ? Math.min(...finite.map((p) => p.min)) : 0;
  const max = finite.length ? Math.max(...finite.map((p) => p.max)) : 0;
  const nonFinite = parts.reduce((n, p) => n + p.nonFinite, 0);
  if (channels !== 1) return { min, max, nonFinite };
  const total = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const piece of pieces.flat()) {
    if (stopped()) return null;
    histogram(piece, min, max).forEach((c, b) => (total[b] += c));
  }
  return { min, max, nonFinite, histogram: total };
}

/**
 * The exact stats of a grid in z-slabs drawn whole: `sampled` with the range and histogram of every
 * value and, for one channel, the brick ranges; null as soon as `stopped()` says so.
 */
// Stryker disable next-line ArrowFunction: undefined stops nothing, as false
export function gridStats(sampled: VolumeStats, src: Slabs, channels: number, dims: readonly number[], stopped = () => false): VolumeStats | null {
  const range = gridRange(src.arrays, channels, stopped);
  if (!range) return null;
  const bricks = channels === 1 ? brickRanges(src, dims) : undefined;
  return { ...sampled, ...range, exact: true, ...(bricks ? { bricks } : {}) };
}

/** Values per piece of gridRange's pass: about 16 ms of work, the longest a stop waits. */
const RANGE_CHUNK = 1 << 24;
