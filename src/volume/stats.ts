import type { VoxelArray } from './dataTypes';
import type { VolumeStats } from './header';

// 64K evenly strided values place the 2nd and 98th percentiles well within a display window's
// tolerance, and sort in a few ms (a million took ~150 ms, on the critical path of every load).
const SAMPLE_TARGET = 1 << 16;

/**
 * The default window (2nd–98th percentile) from at most 64K evenly strided values, and a first
 * range from the same sample (`exact: false`). Cheap enough for the critical path of a load.
 */
export function sampleStats(values: VoxelArray, channels: number): VolumeStats {
  const n = values.length;
  const stride = Math.max(1, Math.floor(n / SAMPLE_TARGET));
  const sample = new Float64Array(Math.ceil(n / stride));
  let count = 0;
  let nonFinite = 0;
  for (let i = 0; i < n; i += stride) {
    const v = Number(values[i]);
    if (Number.isFinite(v)) sample[count++] = v;
    else nonFinite++;
  }
  if (count === 0) return { min: 0, max: 0, robustMin: 0, robustMax: 1, nonFinite, exact: false };
  const sorted = sample.subarray(0, count).sort();
  const min = sorted[0];
  const max = sorted[count - 1];
  if (channels > 1) return { min, max, robustMin: min, robustMax: max, nonFinite, exact: false };
  const at = (q: number) => sorted[Math.min(count - 1, Math.max(0, Math.round(q * (count - 1))))];
  let robustMin = at(0.02);
  let robustMax = at(0.98);
  if (!(robustMax > robustMin)) {
    robustMin = min;
    robustMax = max > min ? max : min + 1;
  }
  return { min, max, robustMin, robustMax, nonFinite, exact: false };
}

/** Exact min/max over every value, ignoring NaN and ±Infinity (which it counts). */
export function exactRange(values: VoxelArray): Pick<VolumeStats, 'min' | 'max' | 'nonFinite'> {
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  const n = values.length;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) {
      const v = Number(values[i]);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else if (values instanceof Float32Array || values instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v - v !== 0) {
        nonFinite++;
        continue;
      }
      if (v < min) min = v;
      if (v > max) max = v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v < min) min = v;
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
export const withExactRange = (stats: VolumeStats, values: VoxelArray): VolumeStats => ({ ...stats, ...exactRange(values), exact: true });

export const computeStats = (values: VoxelArray, channels: number): VolumeStats => withExactRange(sampleStats(values, channels), values);
