// Per-layer transfer-function tables for composite rendering (256 RGBA entries), rebuilt when the
// points, the colour points or the colormap change. Which bricks the function makes transparent is
// judged on the CPU from the same entries (render/panes/rayParams.ts staticEmptiness).
import { DataTexture, NearestFilter, RGBAFormat, UnsignedByteType } from 'three';
import type { VolumeStyle } from '../../state/viewerStore';
import { transferTable } from '../../volume/transfer';
import { colormapTable } from './colormaps';

const tables = new Map<string, { style: VolumeStyle; texture: DataTexture }>();

export function transferTextureFor(layerId: string, style: VolumeStyle): DataTexture {
  const existing = tables.get(layerId);
  if (existing && existing.style.points === style.points && existing.style.colors === style.colors && existing.style.colormap === style.colormap) return existing.texture;
  const data = transferTable(style.points, colormapTable(style.colormap), style.colors);
  if (existing) {
    existing.texture.image.data = data;
    existing.texture.needsUpdate = true;
    existing.style = style;
    return existing.texture;
  }
  const texture = new DataTexture(data, 256, 1, RGBAFormat, UnsignedByteType);
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
