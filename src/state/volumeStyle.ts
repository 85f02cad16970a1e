// The 3D rendering style of a layer: the one the user set, else a default from its window.
import { isHuLike } from '../volume/windowPresets';
import { presetNamed, type VolumePreset } from '../volume/presets';
import { normalizeColors, normalizePoints, windowRampPoints, type ColorPoint, type TransferPoint } from '../volume/transfer';
import { isColormap, type LayerMeta, type VolumeStyle } from './viewerStore';

/**
 * CT opens with 3D Slicer's CT-AAA (VolView's default for CT too): bone and contrast-filled
 * vessels, from about 150 HU. Its shading is left for the user to turn on: a shaded composite ray
 * samples the volume seven times per step. One copy, so the default style's tables are built once.
 */
const CT_DEFAULT = presetNamed('CT-AAA')!;

/**
 * The last default made per stats object, with what it was made from. The 3D pane reads the style
 * every frame, and what is built from it (the transfer table, the leap distances) is kept while
 * its points are the same array: a fresh default each call rebuilt both every frame (about 25 ms of
 * main-thread work a frame on the MNI template, and their uploads).
 */
const defaults = new WeakMap<object, { made: readonly unknown[]; style: VolumeStyle }>();

export function defaultVolumeStyle(layer: Pick<LayerMeta, 'stats' | 'slope' | 'inter' | 'display'>): VolumeStyle {
  const made = [layer.stats.min, layer.stats.max, layer.slope, layer.inter, layer.display.window[0], layer.display.window[1], layer.display.colormap];
  const known = defaults.get(layer.stats);
  if (known && known.made.every((v, i) => Object.is(v, made[i]))) return known.style;
  const style = makeDefaultStyle(layer);
  defaults.set(layer.stats, { made, style });
  return style;
}

function makeDefaultStyle(layer: Pick<LayerMeta, 'stats' | 'slope' | 'inter' | 'display'>): VolumeStyle {
  const [lo, hi] = layer.display.window;
  if (isHuLike(layer.stats, layer.slope, layer.inter)) return { points: CT_DEFAULT.points, colors: CT_DEFAULT.colors, colormap: 'gray', iso: 300 }; // cortical bone starts near 300 HU
  const colormap = layer.display.colormap === 'label' ? 'gray' : layer.display.colormap;
  return {
    // Other units (MR, PET, …) have no published ramp that fits every scanner: one from the robust window, in the layer's colormap.
    points: normalizePoints(windowRampPoints([lo, hi])),
    colormap: isColormap(colormap) ? colormap : 'gray',
    iso: (lo + hi) / 2,
  };
}

export function volumeStyleOf(styles: Record<string, VolumeStyle>, layer: Pick<LayerMeta, 'id' | 'stats' | 'slope' | 'inter' | 'display'>): VolumeStyle {
  return styles[layer.id] ?? defaultVolumeStyle(layer);
}

/** A style with a preset's points, colours and shading (copies: the preset data stays untouched); colormap and iso kept. */
export function withPreset(style: VolumeStyle, p: VolumePreset): VolumeStyle {
  return {
    ...style,
    points: p.points.map((q): TransferPoint => [q[0], q[1]]),
    colors: p.colors.map((c): ColorPoint => [c[0], c[1], c[2], c[3]]),
    shading: { on: p.shading, ambient: p.ambient, diffuse: p.diffuse, specular: p.specular, specularPower: p.specularPower },
  };
}

export type SavedTransfer = Pick<VolumeStyle, 'points' | 'colormap'> & { colors: ColorPoint[] | undefined };

const isFiniteTuple = (p: unknown, length: number): p is number[] => Array.isArray(p) && p.length === length && p.every((x) => typeof x === 'number' && Number.isFinite(x));

/** A saved transfer function, or the reason it is not one. `colors` undefined: the colormap colours it. */
export function parseTransferJson(text: string): SavedTransfer | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { points?: unknown }).points))
    return 'expected { "points": [[value, opacity], …], "colors": [[value, r, g, b], …], "colormap": "…" }';
  const raw = (data as { points: unknown[] }).points;
  if (!raw.every((p) => isFiniteTuple(p, 2))) return 'every point must be [value, opacity] with finite numbers';
  const points: TransferPoint[] = normalizePoints(raw as number[][]);
  if (points.length < 2) return 'a transfer function needs at least two points';
  const colormap = (data as { colormap?: unknown }).colormap;
  if (colormap !== undefined && (typeof colormap !== 'string' || !isColormap(colormap))) return `unknown colormap ${JSON.stringify(colormap)}`;
  const rawColors = (data as { colors?: unknown }).colors;
  let colors: ColorPoint[] | undefined;
  if (rawColors !== undefined && rawColors !== null) {
    if (!Array.isArray(rawColors)) return '"colors" must be a list of [value, r, g, b]';
    if (!rawColors.every((c) => isFiniteTuple(c, 4))) return 'every colour must be [value, r, g, b] with finite numbers';
    if (!(rawColors as number[][]).every((c) => c.slice(1).every((x) => x >= 0 && x <= 1))) return 'colour components r, g, b must lie in 0…1';
    if (rawColors.length === 0) return '"colors" is empty: leave it out to colour by the colormap';
    colors = normalizeColors(rawColors as number[][]);
  }
  return { points, colormap: typeof colormap === 'string' && isColormap(colormap) ? colormap : 'gray', colors };
}
