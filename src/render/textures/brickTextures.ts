// Per-layer brick-range textures (RG32F: raw min, max per brick) for the ray caster's empty-space
// skipping (volume/bricks.ts). Uploaded straight from the stats' Float32Array; rebuilt when the
// layer's stats bring a new grid; disposed with the layer.
import { Data3DTexture, FloatType, NearestFilter, RGFormat } from 'three';
import type { BrickGrid } from '../../volume/bricks';

const textures = new Map<string, { grid: BrickGrid; texture: Data3DTexture }>();

export function brickTextureFor(layerId: string, grid: BrickGrid | undefined): Data3DTexture | null {
  const existing = textures.get(layerId);
  if (existing && existing.grid === grid) return existing.texture;
  existing?.texture.dispose();
  textures.delete(layerId);
  if (!grid) return null;
  const texture = new Data3DTexture(grid.ranges, ...grid.dims);
  texture.format = RGFormat;
  texture.type = FloatType;
  texture.internalFormat = 'RG32F';
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.unpackAlignment = 1;
  texture.needsUpdate = true;
  textures.set(layerId, { grid, texture });
  return texture;
}

export function disposeBrickTexture(layerId: string): void {
  textures.get(layerId)?.texture.dispose();
  textures.delete(layerId);
}
