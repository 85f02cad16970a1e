// The 3D rendering style of a layer: the one the user set, else a default from its window.
import { isHuLike } from '../volume/windowPresets';
import { normalizePoints, TRANSFER_PRESETS } from '../volume/transfer';
import { isColormap, type LayerMeta, type VolumeStyle } from './viewerStore';

export function defaultVolumeStyle(layer: Pick<LayerMeta, 'stats' | 'slope' | 'inter' | 'display'>): VolumeStyle {
  const hu = isHuLike(layer.stats, layer.slope, layer.inter);
  const preset = TRANSFER_PRESETS.find((p) => p.name === (hu ? 'CT bone' : 'MR default'))!;
  const [lo, hi] = layer.display.window;
  const colormap = hu ? preset.colormap : layer.display.colormap === 'label' ? 'gray' : layer.display.colormap;
  return {
    points: normalizePoints(preset.points([lo, hi])),
    colormap: isColormap(colormap) ? colormap : 'gray',
    // CT: cortical bone starts near 300 HU; otherwise the middle of the window.
    iso: hu ? 300 : (lo + hi) / 2,
  };
}

export function volumeStyleOf(styles: Record<string, VolumeStyle>, layer: Pick<LayerMeta, 'id' | 'stats' | 'slope' | 'inter' | 'display'>): VolumeStyle {
  return styles[layer.id] ?? defaultVolumeStyle(layer);
}

/** A saved transfer function, or the reason it is not one. */
export function parseTransferJson(text: string): Pick<VolumeStyle, 'points' | 'colormap'> | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return `not JSON (${e instanceof Error ? e.message : String(e)})`;
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { points?: unknown }).points)) return 'expected { "points": [[value, opacity], …], "colormap": "…" }';
  const raw = (data as { points: unknown[] }).points;
  if (!raw.every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'number' && Number.isFinite(x)))) return 'every point must be [value, opacity] with finite numbers';
  const points = normalizePoints(raw as number[][]);
  if (points.length < 2) return 'a transfer function needs at least two points';
  const colormap = (data as { colormap?: unknown }).colormap;
  if (colormap !== undefined && (typeof colormap !== 'string' || !isColormap(colormap))) return `unknown colormap ${JSON.stringify(colormap)}`;
  return { points, colormap: typeof colormap === 'string' && isColormap(colormap) ? colormap : 'gray' };
}

