// Transfer functions for composite volume rendering: opacity control points over scaled values,
// a colormap over the same range, presets, and the 256-entry RGBA table the shader reads. Pure:
// the editor, the API, the ray caster and CPU picking all use these.

export type TransferPoint = [value: number, opacity: number];

export interface TransferPreset {
  name: string;
  colormap: string;
  /** Control points in scaled units; a function of the layer's robust window where not HU. */
  points: (robust: [number, number]) => TransferPoint[];
}

export const TRANSFER_PRESETS: readonly TransferPreset[] = [
  { name: 'CT bone', colormap: 'bone', points: () => [[150, 0], [300, 0.15], [700, 0.6], [1500, 0.9]] },
  { name: 'CT soft tissue', colormap: 'bone', points: () => [[-300, 0], [-50, 0.02], [60, 0.25], [300, 0.35], [1200, 0.85]] },
  { name: 'CT lung', colormap: 'hot', points: () => [[-1000, 0], [-900, 0.03], [-600, 0.1], [-400, 0.02], [-200, 0]] },
  {
    name: 'MR default',
    colormap: 'gray',
    points: ([lo, hi]) => [[lo, 0], [lo + 0.25 * (hi - lo), 0.02], [hi, 0.35], [hi + 0.5 * (hi - lo), 0.8]],
  },
];

/** Sorted by value, opacities clamped to 0…1, non-finite points dropped. */
export function normalizePoints(points: readonly (readonly number[])[]): TransferPoint[] {
  return points
    .filter((p) => p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]))
    .map((p): TransferPoint => [p[0], Math.min(1, Math.max(0, p[1]))])
    .sort((a, b) => a[0] - b[0]);
}

/** Opacity at a scaled value: linear between points, 0 outside them. */
export function opacityAt(points: readonly TransferPoint[], value: number): number {
  if (points.length === 0 || !(value >= points[0][0]) || value > points[points.length - 1][0]) return 0;
  for (let i = 1; i < points.length; i++) {
    const [v1, a1] = points[i];
    if (value <= v1) {
      const [v0, a0] = points[i - 1];
      return v1 > v0 ? a0 + ((value - v0) / (v1 - v0)) * (a1 - a0) : a1;
    }
  }
  return points[points.length - 1][1];
}

/** The value range the table spans: from the first point to the last. */
export function transferDomain(points: readonly TransferPoint[]): [number, number] {
  if (points.length === 0) return [0, 1];
  const lo = points[0][0];
  const hi = points[points.length - 1][0];
  return [lo, hi > lo ? hi : lo + 1];
}

/**
 * 256 RGBA entries over the domain: colour from `colormap` (256 RGBA entries) by position in the
 * domain, alpha from the control points. Entry b is the value lo + b / 255 × (hi − lo).
 */
export function transferTable(points: readonly TransferPoint[], colormap: Uint8Array): Uint8Array {
  const [lo, hi] = transferDomain(points);
  const out = new Uint8Array(256 * 4);
  for (let b = 0; b < 256; b++) {
    out.set(colormap.subarray(b * 4, b * 4 + 3), b * 4);
    out[b * 4 + 3] = Math.round(opacityAt(points, lo + (b / 255) * (hi - lo)) * 255);
  }
  return out;
}

/**
 * The skip row under a transfer table: entry b holds, in its red byte, the first bin ≥ b whose
 * opacity is not zero (255 when none is, so the shader also checks that bin's opacity). A value
 * range [b0, b1] is fully transparent unless next[b0] ≤ b1 and that bin is opaque.
 */
export function nextOpaqueRow(table: Uint8Array): Uint8Array {
  const row = new Uint8Array(256 * 4);
  let next = 255;
  for (let b = 255; b >= 0; b--) {
    if (table[b * 4 + 3] > 0) next = b;
    row[b * 4] = next;
  }
  return row;
}
