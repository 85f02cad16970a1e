// Cumulative dose–volume histograms: for each dose d, the share of a structure's volume receiving
// at least d, from the dose at each voxel of the structure (its centre inside, on the dose grid).
// Computed exactly from the sorted doses (no binning in the numbers; the curve is sampled for the
// plot). D_x is the least dose the hottest x % of the volume receives; V_d the share at ≥ d. Pure.

export interface Dvh {
  /** The structure's voxel doses, ascending, Gy. */
  sorted: Float64Array;
  volumeCm3: number;
  dmin: number;
  dmax: number;
  dmean: number;
  d95: number;
  d50: number;
  /** Share of the volume at ≥ 20 Gy, %, and its volume, cm³. */
  v20Percent: number;
  v20Cm3: number;
}

/** Index of the first element ≥ d in ascending `sorted`. */
function lowerBound(sorted: Float64Array, d: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The share (%) of the volume receiving at least `dose`. */
export const volumeAtDose = (sorted: Float64Array, dose: number): number => (sorted.length ? (100 * (sorted.length - lowerBound(sorted, dose))) / sorted.length : NaN);

/** The least dose received by the hottest `percent` % of the volume (D95: percent 95). */
export function doseAtVolume(sorted: Float64Array, percent: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  const hottest = Math.min(n, Math.max(1, Math.ceil((percent / 100) * n - 1e-9)));
  return sorted[n - hottest];
}

/** The DVH of `doses` (Gy, one per voxel of `voxelMm3`); `doses` is sorted in place. */
export function dvhFromDoses(doses: Float64Array, voxelMm3: number): Dvh {
  const sorted = doses.sort();
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i];
  const v20 = volumeAtDose(sorted, 20);
  return {
    sorted,
    volumeCm3: (n * voxelMm3) / 1000,
    dmin: n ? sorted[0] : NaN,
    dmax: n ? sorted[n - 1] : NaN,
    dmean: n ? sum / n : NaN,
    d95: doseAtVolume(sorted, 95),
    d50: doseAtVolume(sorted, 50),
    v20Percent: v20,
    v20Cm3: (((n ? v20 : 0) / 100) * n * voxelMm3) / 1000,
  };
}

/** The curve sampled every `stepGy` from 0 to `maxGy`: volume % at ≥ each dose. */
export function dvhCurve(sorted: Float64Array, stepGy: number, maxGy: number): { dose: number[]; percent: number[] } {
  const dose: number[] = [];
  const percent: number[] = [];
  const steps = Math.max(1, Math.ceil(maxGy / stepGy));
  for (let s = 0; s <= steps; s++) {
    const d = s * stepGy;
    dose.push(d);
    percent.push(volumeAtDose(sorted, d));
  }
  return { dose, percent };
}

/** A step that gives about `samples` points up to `maxGy`, rounded to 1, 2 or 5 × 10^n Gy. */
export function niceDoseStep(maxGy: number, samples = 200): number {
  if (!(maxGy > 0)) return 1;
  const raw = maxGy / samples;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

/** CSV: the table (one row per structure), a blank line, then the curves (dose_Gy and one volume % column per structure). */
export function dvhCsv(rows: readonly { name: string; dvh: Dvh }[], stepGy: number): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(8))) : '');
  const lines = ['structure,volume_cm3,D95_Gy,D50_Gy,Dmax_Gy,Dmean_Gy,V20Gy_percent,V20Gy_cm3'];
  for (const { name, dvh } of rows) lines.push([q(name), num(dvh.volumeCm3), num(dvh.d95), num(dvh.d50), num(dvh.dmax), num(dvh.dmean), num(dvh.v20Percent), num(dvh.v20Cm3)].join(','));
  const maxGy = Math.max(0, ...rows.map((r) => r.dvh.dmax).filter(Number.isFinite));
  const curves = rows.map((r) => dvhCurve(r.dvh.sorted, stepGy, maxGy));
  lines.push('', ['dose_Gy', ...rows.map((r) => q(`${r.name} volume_percent`))].join(','));
  (curves[0]?.dose ?? []).forEach((d, i) => lines.push([num(d), ...curves.map((c) => num(c.percent[i]))].join(',')));
  return `${lines.join('\n')}\n`;
}
