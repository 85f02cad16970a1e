// One texture per layer, shared by every view that draws it (reference-counted). The cache owns
// the textures: views borrow them with acquire/release; the last release disposes the texture,
// which releases its pin on the voxel buffer.
import { getRecord } from '../state/layerRegistry';
import { memoryChanged } from '../state/runtime';
import { useViewerStore } from '../state/viewerStore';
import { textureCaps } from './caps';
import { createVolumeTexture, texelData, type VolumeTexture } from './textures';

interface Entry {
  texture: VolumeTexture;
  refs: number;
}

const entries = new Map<string, Entry>();
const warned = new Set<string>();

export function acquireLayerTexture(layerId: string): VolumeTexture | null {
  const existing = entries.get(layerId);
  if (existing) {
    existing.refs++;
    return existing.texture;
  }
  const record = getRecord(layerId);
  if (!record) return null;
  const [nx, ny, nz] = record.header.dims;
  if (Math.max(nx, ny, nz) > textureCaps.max3DSize) {
    if (!warned.has(layerId)) {
      warned.add(layerId);
      useViewerStore.getState().notify({
        kind: 'warning',
        title: `${record.name} is not displayed`,
        message: `Its grid (${nx} × ${ny} × ${nz}) exceeds this GPU's 3D texture limit of ${textureCaps.max3DSize}. Probes still read its exact values.`,
      });
    }
    return null;
  }
  performance.mark(`voxlens:texture:${layerId}`);
  const texture = createVolumeTexture(record.buffer, record.header, `texture of ${record.name}`, textureCaps);
  if (texture.format.convert && !warned.has(layerId)) {
    warned.add(layerId);
    useViewerStore.getState().notify({ kind: 'warning', title: `${record.name}: display converted`, message: texture.format.convert.reason });
  }
  entries.set(layerId, { texture, refs: 1 });
  memoryChanged();
  return texture;
}

/**
 * Shows another frame of a 4D layer: the texture's data becomes a view over that frame of the same
 * pinned buffer (or a new converted copy) and three.js uploads it into the existing storage.
 */
export function setLayerTextureFrame(layerId: string, frame: number): void {
  const e = entries.get(layerId);
  const record = getRecord(layerId);
  if (!e || !record || e.texture.frame === frame) return;
  e.texture.texture.image.data = texelData(record.buffer, record.header, e.texture.format, frame);
  e.texture.texture.needsUpdate = true;
  e.texture.frame = frame;
}

export function releaseLayerTexture(layerId: string): void {
  const e = entries.get(layerId);
  if (!e) return;
  if (--e.refs > 0) return;
  entries.delete(layerId);
  e.texture.dispose();
  memoryChanged();
}

export function textureFor(layerId: string): VolumeTexture | undefined {
  return entries.get(layerId)?.texture;
}

export function textureStats(): { textureBytes: number; convertedBytes: number; byBuffer: Map<string, number> } {
  let textureBytes = 0;
  let convertedBytes = 0;
  const byBuffer = new Map<string, number>();
  for (const { texture } of entries.values()) {
    textureBytes += texture.gpuBytes;
    convertedBytes += texture.convertedBytes;
    byBuffer.set(texture.bufferId, (byBuffer.get(texture.bufferId) ?? 0) + texture.gpuBytes);
  }
  return { textureBytes, convertedBytes, byBuffer };
}
