// How a layer opened over another is first shown: each overlay in a colormap of its own, and a
// signed statistic map (a t- or z-map) as its two tails, the positive one in that colormap and
// the negative one in `cool`, each from its 95th percentile up, so that zero and the values near it
// leave the anatomy beneath visible (as FSLeyes and NiiVue show statistic overlays).
import type { VolumeStats } from '../volume/header';
import type { ColormapName, DisplaySettings, LayerMeta, NegativeDisplay } from './viewerStore';

/** Overlay colormaps in the order later overlays take them; `cool` is kept for negative tails. */
export const OVERLAY_COLORMAPS: readonly ColormapName[] = ['hot', 'green', 'blue', 'red', 'viridis', 'bone'];

/** The first overlay colormap no open overlay (a layer above the first that is not a label map) uses; cycling when all are. */
export function nextOverlayColormap(layers: readonly Pick<LayerMeta, 'display'>[]): ColormapName {
  const used = layers.slice(1).map((l) => l.display.colormap);
  return OVERLAY_COLORMAPS.find((c) => !used.includes(c)) ?? OVERLAY_COLORMAPS[Math.max(0, layers.length - 1) % OVERLAY_COLORMAPS.length];
}

/**
 * The window (and negative tail) an overlay opens with. A signed map scaled without an offset
 * (raw 0 is value 0) shows its positive tail over [95th percentile, largest] and its negative
 * tail likewise; any other map keeps `fallback` (the file's display range, else the robust window)
 * and no negative tail.
 */
export function overlayWindow(stats: Pick<VolumeStats, 'tails'>, slope: number, inter: number, fallback: [number, number]): Pick<DisplaySettings, 'window' | 'negative'> {
  const tails = stats.tails;
  if (!tails || inter !== 0 || !(slope > 0)) return { window: fallback, negative: null };
  const span = (t: [number, number]): [number, number] => {
    const lo = t[0] * slope;
    const hi = t[1] * slope;
    return [lo, hi > lo ? hi : lo + Math.max(Math.abs(lo), 1) * 1e-3];
  };
  const negative: NegativeDisplay | null = tails.neg[1] > 0 ? { colormap: 'cool', window: span(tails.neg) } : null;
  return { window: tails.pos[1] > 0 ? span(tails.pos) : fallback, negative };
}
