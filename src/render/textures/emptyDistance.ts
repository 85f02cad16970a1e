// Per-layer empty-distance textures (RGBA8UI, one texel per brick) for the ray caster: how many
// bricks a ray may leap from here because nothing in them can show in the current mode
// (volume/bricks.ts emptyDistance; the per-mode test is render/panes/rayParams.ts
// staticEmptiness), in the second channel the same under a wider test that a ray may use once it
// has met something (a MIP's bricks within reach of the entry its air shows as; the first channel
// again where there is none), and in the third MIP's (MinIP's) LUT entry of the brick's range
// (rayParams.ts brickEntry), which its march tests against the ray's best: one fetch a brick.
// Recomputed on the main thread when the mode, window, transfer function, iso value or the brick
// grid change (a few ms for 155k bricks); disposed with the layer.
import { RGBAIntegerFormat, UnsignedByteType, type Data3DTexture } from 'three';
import { emptyDistance, type BrickGrid } from '../../volume/bricks';
import { nearestTexture3D } from './texture3d';

const distanceTexture = (data: Uint8Array, dims: readonly [number, number, number]) => nearestTexture3D(data, dims, { internalFormat: 'RGBA8UI', format: RGBAIntegerFormat, type: UnsignedByteType });

/**
 * Bound while a layer has no distances yet (or an overlay turns leaping off): an integer sampler
 * must always have an integer texture, or the whole draw fails, used or not.
 */
export const NO_EMPTY_DISTANCE = distanceTexture(new Uint8Array(4), [1, 1, 1]);

const entries = new Map<string, { key: readonly unknown[]; texture: Data3DTexture }>();

const sameKey = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);

type EmptyTest = (lo: number, hi: number) => boolean;

/** What a brick's texel holds besides its leap distance: the second channel's wider test, the third's entry (0 without one). */
export interface BrickTexelTests {
  wider?: EmptyTest;
  entry?: (lo: number, hi: number) => number;
}

/** The texels interleaved: `isEmpty`'s distances, `wider`'s (`isEmpty`'s again without one), `entry` of each brick's range, 0. */
export function emptyDistanceTexels(grid: BrickGrid, isEmpty: EmptyTest, { wider, entry }: BrickTexelTests = {}): Uint8Array {
  const first = emptyDistance(grid, isEmpty);
  const second = wider ? emptyDistance(grid, wider) : first;
  const out = new Uint8Array(4 * first.length);
  for (let c = 0; c < first.length; c++) {
    out[4 * c] = first[c];
    out[4 * c + 1] = second[c];
    if (entry) out[4 * c + 2] = entry(grid.ranges[2 * c], grid.ranges[2 * c + 1]);
  }
  return out;
}

/** The texture for `grid` under `isEmpty` (and `tests`, the other channels); `key` lists everything they depend on. */
export function emptyDistanceTextureFor(layerId: string, grid: BrickGrid, key: readonly unknown[], isEmpty: EmptyTest, tests: BrickTexelTests = {}): Data3DTexture {
  const fullKey = [grid, ...key];
  const existing = entries.get(layerId);
  if (existing && sameKey(existing.key, fullKey)) return existing.texture;
  const data = emptyDistanceTexels(grid, isEmpty, tests);
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
