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
