// Per-layer transfer-function tables for composite rendering, rebuilt when the points, the colour
// points or the colormap change: row 0 the 256 RGBA entries, row 1 the skip row (volume/transfer.ts
// nextOpaqueRow) the ray caster uses to pass over bricks the function makes transparent.
import { DataTexture, NearestFilter, RGBAFormat, UnsignedByteType } from 'three';
import type { VolumeStyle } from '../../state/viewerStore';
import { nextOpaqueRow, transferTable } from '../../volume/transfer';
import { colormapTable } from './colormaps';

const tables = new Map<string, { style: VolumeStyle; texture: DataTexture }>();

export function transferTextureFor(layerId: string, style: VolumeStyle): DataTexture {
  const existing = tables.get(layerId);
  if (existing && existing.style.points === style.points && existing.style.colors === style.colors && existing.style.colormap === style.colormap) return existing.texture;
  const table = transferTable(style.points, colormapTable(style.colormap), style.colors);
  const data = new Uint8Array(256 * 4 * 2);
  data.set(table);
  data.set(nextOpaqueRow(table), 256 * 4);
  if (existing) {
    existing.texture.image.data = data;
    existing.texture.needsUpdate = true;
    existing.style = style;
    return existing.texture;
  }
  const texture = new DataTexture(data, 256, 2, RGBAFormat, UnsignedByteType);
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.needsUpdate = true;
  tables.set(layerId, { style, texture });
  return texture;
}

export function disposeTransferTexture(layerId: string): void {
  tables.get(layerId)?.texture.dispose();
  tables.delete(layerId);
}
