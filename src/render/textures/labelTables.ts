// Per-layer label colour tables (RGBA, 256 entries a row) for the 'label' colormap: one colour per
// stored value up to the layer's maximum, from the lookup file the user opened or generated.
// Past MAX_LABEL_ENTRIES the shader hashes a colour instead (see shaders/chunks.ts).
import { DataTexture, NearestFilter, RGBAFormat, UnsignedByteType } from 'three';
import { getRecord } from '../../state/layerRegistry';
import type { LayerMeta } from '../../state/viewerStore';
import { buildLabelTable } from '../../volume/labels';

const MAX_LABEL_ENTRIES = 1 << 16;

interface Entry {
  key: string;
  texture: DataTexture;
  count: number;
}
const tables = new Map<string, Entry>();

/** The label table of a layer, rebuilt when its range or lookup changes; disposed with the layer. */
export function labelTableFor(layer: Pick<LayerMeta, 'id' | 'stats' | 'labelLookup'>): { texture: DataTexture; count: number } {
  const lookup = getRecord(layer.id)?.labels;
  let maxIndex = Math.max(0, Math.min(MAX_LABEL_ENTRIES - 1, Math.floor(layer.stats.max)));
  if (lookup) for (const i of lookup.names.keys()) if (i < MAX_LABEL_ENTRIES) maxIndex = Math.max(maxIndex, i);
  const key = `${maxIndex}:${layer.labelLookup ?? ''}`;
  const existing = tables.get(layer.id);
  if (existing?.key === key) return existing;
  existing?.texture.dispose();
  const count = maxIndex + 1;
  const rgba = buildLabelTable(maxIndex, lookup);
  const rows = Math.ceil(count / 256);
  const padded = new Uint8Array(256 * rows * 4);
  padded.set(rgba.subarray(0, Math.min(rgba.length, padded.length)));
  const texture = new DataTexture(padded, 256, rows, RGBAFormat, UnsignedByteType);
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.needsUpdate = true;
  const entry = { key, texture, count };
  tables.set(layer.id, entry);
  return entry;
}

export function disposeLabelTable(layerId: string): void {
  tables.get(layerId)?.texture.dispose();
  tables.delete(layerId);
}
