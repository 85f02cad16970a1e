// Per-layer empty-distance textures (RG8UI, one texel per brick) for the ray caster: how many
// bricks a ray may leap from here because nothing in them can show in the current mode
// (volume/bricks.ts emptyDistance; the per-mode test is render/panes/rayParams.ts
// staticEmptiness), and in the second channel the same under a wider test that a ray may use once
// it has met something (a MIP's bricks within reach of the entry its air shows as; the first
// channel again where there is none). Recomputed on the main thread when the mode, window,
// transfer function, iso value or the brick grid change (a few ms for 155k bricks); disposed with
// the layer.
import { RGIntegerFormat, UnsignedByteType, type Data3DTexture } from 'three';
import { emptyDistance, type BrickGrid } from '../../volume/bricks';
import { nearestTexture3D } from './texture3d';

const distanceTexture = (data: Uint8Array, dims: readonly [number, number, number]) => nearestTexture3D(data, dims, { internalFormat: 'RG8UI', format: RGIntegerFormat, type: UnsignedByteType });

/**
 * Bound while a layer has no distances yet (or an overlay turns leaping off): an integer sampler
 * must always have an integer texture, or the whole draw fails, used or not.
 */
export const NO_EMPTY_DISTANCE = distanceTexture(new Uint8Array(2), [1, 1, 1]);

const entries = new Map<string, { key: readonly unknown[]; texture: Data3DTexture }>();

const sameKey = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

type EmptyTest = (lo: number, hi: number) => boolean;

/** Both channels interleaved: `isEmpty`'s distances, then `wider`'s (`isEmpty`'s again without one). */
export function emptyDistancePair(grid: BrickGrid, isEmpty: EmptyTest, wider?: EmptyTest): Uint8Array {
  const first = emptyDistance(grid, isEmpty);
  const second = wider ? emptyDistance(grid, wider) : first;
  const out = new Uint8Array(2 * first.length);
  for (let c = 0; c < first.length; c++) {
    out[2 * c] = first[c];
    out[2 * c + 1] = second[c];
  }
  return out;
}

/** The texture for `grid` under `isEmpty` (and `wider`, the second channel); `key` lists everything both depend on. */
export function emptyDistanceTextureFor(layerId: string, grid: BrickGrid, key: readonly unknown[], isEmpty: EmptyTest, wider?: EmptyTest): Data3DTexture {
  const fullKey = [grid, ...key];
  const existing = entries.get(layerId);
  if (existing && sameKey(existing.key, fullKey)) return existing.texture;
  const data = emptyDistancePair(grid, isEmpty, wider);
  if (existing && existing.key[0] === grid) {
    // Same grid, new test: the texture keeps its size and takes the new distances.
    existing.texture.image.data = data;
    existing.texture.needsUpdate = true;
    existing.key = fullKey;
    return existing.texture;
  }
  existing?.texture.dispose();
  const texture = distanceTexture(data, grid.dims);
  entries.set(layerId, { key: fullKey, texture });
  return texture;
}

export function disposeEmptyDistanceTexture(layerId: string): void {
  entries.get(layerId)?.texture.dispose();
  entries.delete(layerId);
}
