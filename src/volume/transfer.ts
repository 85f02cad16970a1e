// Transfer functions for composite volume rendering: opacity control points over scaled values,
// a colour ramp over the same values (colour points, else a colormap across the table's range),
// the lighting, and the 256-entry RGBA table the shader reads. Pure: the editor, the API, the ray
// caster, the preset thumbnails and CPU picking all use these. The presets are in presets.ts.

export type TransferPoint = [value: number, opacity: number];
/** A colour point: scaled value and red, green, blue in 0…1 (as VTK and 3D Slicer write them). */
export type ColorPoint = [value: number, r: number, g: number, b: number];

/** Gradient (Blinn-Phong) shading of composite rendering, with a light at the camera. */
export interface Shading {
  on: boolean;
  ambient: number;
  diffuse: number;
  specular: number;
  specularPower: number;
}

/** Shading off, with the coefficients most of 3D Slicer's shaded presets use, for when it is turned on. */
export const NO_SHADING: Readonly<Shading> = { on: false, ambient: 0.1, diffuse: 0.9, specular: 0.2, specularPower: 10 };

/**
 * The generic default for a layer that is not CT: transparent at the robust window's low end,
 * faint through the window, denser past its top (values as the window puts them, whatever the units).
 */
export function windowRampPoints([lo, hi]: [number, number]): TransferPoint[] {
  return [[lo, 0], [lo + 0.25 * (hi - lo), 0.02], [hi, 0.35], [hi + 0.5 * (hi - lo), 0.8]];
}

/** Sorted by value, opacities clamped to 0…1, non-finite points dropped. */
export function normalizePoints(points: readonly (readonly number[])[]): TransferPoint[] {
  return points
    .filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1])) // a missing number is undefined: not finite
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

/** Sorted by value, colour components clamped to 0…1, points with a non-finite number dropped. */
export function normalizeColors(colors: readonly (readonly number[])[]): ColorPoint[] {
  return colors
    .filter((c) => [0, 1, 2, 3].every((i) => Number.isFinite(c[i]))) // a missing number is undefined: not finite
    .map((c): ColorPoint => [c[0], ...([1, 2, 3].map((i) => Math.min(1, Math.max(0, c[i]))) as [number, number, number])])
    .sort((a, b) => a[0] - b[0]);
}

/** Colour at a scaled value: linear between colour points, the end colours beyond them (VTK's clamping). */
export function colorAt(colors: readonly ColorPoint[], value: number): [number, number, number] {
  if (colors.length === 0) return [0, 0, 0];
  const first = colors[0];
  if (!(value > first[0])) return [first[1], first[2], first[3]];
  for (let i = 1; i < colors.length; i++) {
    const c1 = colors[i];
    if (value <= c1[0]) {
      const c0 = colors[i - 1];
      // Stryker disable next-line ConditionalExpression,EqualityOperator: unreachable with c1 at c0's value: value ≤ c0 would have matched at the point before (or at the first point, above)
      const f = c1[0] > c0[0] ? (value - c0[0]) / (c1[0] - c0[0]) : 1;
      return [c0[1] + f * (c1[1] - c0[1]), c0[2] + f * (c1[2] - c0[2]), c0[3] + f * (c1[3] - c0[3])];
    }
  }
  const last = colors[colors.length - 1];
  return [last[1], last[2], last[3]];
}

/**
 * The value range the table spans: from the first point to the last, less the runs of transparent
 * points at either end (opacity is 0 there and beyond, so the 256 entries go to the range that
 * shows: CT presets run from −3024 to 3071 HU, yet CT-Lung shows only −600 to −400).
 */
export function transferDomain(points: readonly TransferPoint[]): [number, number] {
  if (points.length === 0) return [0, 1];
  let first = 0;
  let last = points.length - 1;
  if (points.some((p) => p[1] > 0)) {
    // Some point is opaque, so each run stops on it at the latest, never past either end.
    while (points[first][1] === 0 && points[first + 1][1] === 0) first++;
    while (points[last][1] === 0 && points[last - 1][1] === 0) last--;
  }
  const lo = points[first][0];
  const hi = points[last][0];
  return [lo, hi > lo ? hi : lo + 1];
}

/**
 * 256 RGBA entries over the domain. Colour from the colour points where given, else from
 * `colormap` (256 RGBA entries) by position between the first and the last point (not the
 * domain: trimming the table to what shows must not move the colours); alpha from the control
 * points. Entry b is the value lo + b / 255 × (hi − lo). The shader clamps values outside the domain to the end
 * entries, so an end that lies on a transparent point is made transparent outright: a step there
 * (two points at one value) must not carry its opaque side past the end.
 */
export function transferTable(points: readonly TransferPoint[], colormap: Uint8Array, colors?: readonly ColorPoint[]): Uint8Array {
  const [lo, hi] = transferDomain(points);
  const out = new Uint8Array(256 * 4);
  const byPoints = colors !== undefined && colors.length > 0;
  const mapLo = points.length > 0 ? points[0][0] : 0;
  const mapHi = points.length > 0 && points[points.length - 1][0] > mapLo ? points[points.length - 1][0] : mapLo + 1;
  for (let b = 0; b < 256; b++) {
    const value = lo + (b / 255) * (hi - lo);
    if (byPoints) {
      const [r, g, bl] = colorAt(colors, value);
      out[b * 4] = Math.round(r * 255);
      out[b * 4 + 1] = Math.round(g * 255);
      out[b * 4 + 2] = Math.round(bl * 255);
    } else {
      const m = Math.round(Math.min(1, Math.max(0, (value - mapLo) / (mapHi - mapLo))) * 255);
      out.set(colormap.subarray(m * 4, m * 4 + 3), b * 4);
    }
    out[b * 4 + 3] = Math.round(opacityAt(points, value) * 255);
  }
  if (points.length > 0 && points[0][1] === 0) out[3] = 0;
  if (points.length > 0 && points[points.length - 1][1] === 0) out[255 * 4 + 3] = 0;
  return out;
}
