// Which layer each interaction acts on, as pure functions of the layer stack (bottom first):
// the one the 3D pane casts and the one drawn inside it, and the one right-drag windows. Shared by
// the panes, frame(), the panels and the API, so they never disagree.
import { DATA_TYPES } from '../volume/dataTypes';
import type { LayerMeta } from './viewerStore';

type RoleLayer = Pick<LayerMeta, 'id' | 'dims' | 'datatype' | 'display'>;

/** Grey-level data (not a label map, not colour): what a window and a ray caster's transfer function mean something for. */
export const isIntensityLayer = (l: Pick<LayerMeta, 'datatype' | 'display'>): boolean => l.display.colormap !== 'label' && DATA_TYPES[l.datatype].channels === 1;

/**
 * The 3D pane's layers: `base` is cast (the visible layer chosen with `render3d`, else the first
 * visible intensity layer in draw order, else the first visible volume), and `overlays`, every
 * other visible one-channel volume in draw order (segmentations and other label maps among them,
 * wherever they sit), are drawn inside it as surfaces. Reordering layers changes neither choice
 * while the chosen layer stays visible.
 */
export function volumeLayers<T extends RoleLayer>(layers: readonly T[]): { base?: T; overlays: T[] } {
  const volumes = layers.filter((l) => l.display.visible && l.dims.length >= 3);
  const base = volumes.find((l) => l.display.render3d) ?? volumes.find(isIntensityLayer) ?? volumes[0];
  const overlays = volumes.filter((l) => l !== base && DATA_TYPES[l.datatype].channels === 1);
  return { base, overlays };
}

/**
 * The layer right-drag windows: the layer selected in the layer panel when it is a visible
 * intensity layer, else the topmost visible intensity layer. Undefined when none is (a stack of
 * label maps): dragging then changes nothing.
 */
export function windowTarget<T extends RoleLayer>(layers: readonly T[], selected: string | null): T | undefined {
  const chosen = layers.find((l) => l.id === selected);
  if (chosen && chosen.display.visible && isIntensityLayer(chosen)) return chosen;
  for (let i = layers.length - 1; i >= 0; i--) if (layers[i].display.visible && isIntensityLayer(layers[i])) return layers[i];
  return undefined;
}
