import type { DataType } from '../volume/dataTypes';

// How numbers are written in panels: integers exactly, floats to 7 significant digits (a float32
// holds about 7, so more digits would be noise from the widening to float64).
export function formatValue(v: number | number[]): string {
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(' ');
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '−Inf';
  if (Number.isInteger(v)) return String(v);
  return formatSignificant(v, 7);
}

/** At most `digits` significant digits, trailing zeros dropped (1.5, not 1.500000). */
export function formatSignificant(v: number, digits: number): string {
  if (!Number.isFinite(v)) return formatValue(v);
  // Past `digits` integer digits toPrecision switches to exponent form (1.20e+3): whole units read better.
  if (Math.abs(v) >= 10 ** digits && Math.abs(v) < 1e21) return String(Math.round(v));
  const s = v.toPrecision(digits);
  if (s.includes('e')) return s;
  const trimmed = s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

const INTEGER_TYPES = new Set<DataType>(['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'int64', 'uint64', 'rgb24', 'rgba32', 'rgb48']);

/**
 * The step between neighbouring scaled values a layer can hold: its slope for integer types (1 for
 * unscaled integers, 0.5 for a ×0.5 scaling), null for floating types, which have no fixed step.
 */
export function valueStep(datatype: DataType, slope: number): number | null {
  if (!INTEGER_TYPES.has(datatype)) return null;
  const step = Math.abs(slope);
  return step > 0 && Number.isFinite(step) ? step : 1;
}

/** Decimals that write `step` exactly (1 → 0, 0.5 → 1, 0.25 → 2), at most 6. */
function decimalsOf(step: number): number {
  for (let d = 0; d < 6; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 6;
}

/**
 * A statistic of stored values (mean, SD): one decimal finer than the data's step for integer data
 * (an HU mean reads 40.3, not 40.28571), 5 significant digits for floating data. A radiologist reads
 * these against each other in a narrow table, so digits beyond what the data resolves only crowd it.
 */
export function formatStat(v: number, step: number | null): string {
  if (!Number.isFinite(v)) return formatValue(v);
  if (step === null) return formatSignificant(v, 5);
  const text = v.toFixed(Math.min(6, decimalsOf(step) + 1));
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/**
 * Decimals for positions and lengths in mm: 0.01 mm when the finest voxel is under 1 mm (a
 * 0.5 mm CT's voxel centres differ in the second decimal), else 0.1 mm.
 */
export function mmDecimals(affines: readonly (readonly number[])[]): 1 | 2 {
  for (const a of affines) for (let k = 0; k < 3; k++) if (Math.hypot(a[k], a[4 + k], a[8 + k]) < 0.999) return 2;
  return 1;
}

/** Fixed decimals (one unless told); a value that rounds to zero prints as 0.0, never −0.0 (a centre a hair below zero). */
export const formatMm = (v: number, decimals: 1 | 2 = 1) => {
  const text = v.toFixed(decimals);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text;
};

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
