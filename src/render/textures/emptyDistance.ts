// Per-layer empty-distance textures (RGBA8UI, one texel per brick) for the ray caster: how many
// bricks a ray may leap from here because nothing in them can show in the current mode
// (volume/bricks.ts emptyDistance; the per-mode test is render/panes/rayParams.ts
// staticEmptiness), in the second channel the same under a wider test that a ray may use once it
// has met something (a MIP's bricks within reach of the entry its air shows as; the first channel
// again where there is none), and in the third MIP's (MinIP's) LUT entry of the brick's range
// (rayParams.ts brickEntry), which its march tests against the ray's best: one fetch a brick.
// With the texture, the box around the bricks a ray must sample (occupiedBricks): rays are cast
// through that box alone (rayParams.ts rayBox).
// Recomputed on the main thread when the mode, window, transfer function, iso value or the brick
// grid change (a few ms for 155k bricks); disposed with the layer.
import { RGBAIntegerFormat, UnsignedByteType, type Data3DTexture } from 'three';
import { emptyDistance, type BrickGrid } from '../../volume/bricks';
import { memoryChanged } from '../../state/runtime';
import { nearestTexture3D, texture3DBytes } from './texture3d';

const distanceTexture = (data: Uint8Array, dims: readonly [number, number, number]) => nearestTexture3D(data, dims, { internalFormat: 'RGBA8UI', format: RGBAIntegerFormat, type: UnsignedByteType });

/**
 * Bound while a layer has no distances yet (or an overlay turns leaping off): an integer sampler
 * must always have an integer texture, or the whole draw fails, used or not.
 */
export const NO_EMPTY_DISTANCE = distanceTexture(new Uint8Array(4), [1, 1, 1]);

/** Bricks i, j, k from `lo` to `hi`, both included. */
export interface BrickBox {
  lo: [number, number, number];
  hi: [number, number, number];
}

/** A layer's leap distances and the box around the bricks a ray must sample (null: none; every ray passes). */
export interface EmptyDistances {
  texture: Data3DTexture;
  occupied: BrickBox | null;
}

const entries = new Map<string, EmptyDistances & { key: readonly unknown[] }>();

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

/** The box around the bricks of distance 0 (first channel) in `texels` over a grid of `dims` bricks; null where there are none. */
export function occupiedBricks(texels: Uint8Array, dims: readonly [number, number, number]): BrickBox | null {
  const [bx, by] = dims;
  const lo: [number, number, number] = [Infinity, Infinity, Infinity];
  const hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  // Stryker disable next-line EqualityOperator: one texel past the end reads undefined, which is no distance 0
  for (let c = 0; 4 * c < texels.length; c++) {
    if (texels[4 * c] !== 0) continue;
    const i = c % bx, j = Math.floor(c / bx) % by, k = Math.floor(c / (bx * by));
    lo[0] = Math.min(lo[0], i);
    lo[1] = Math.min(lo[1], j);
    lo[2] = Math.min(lo[2], k);
    hi[0] = Math.max(hi[0], i);
    hi[1] = Math.max(hi[1], j);
    hi[2] = Math.max(hi[2], k);
  }
  return lo[0] === Infinity ? null : { lo, hi };
}

/** The texture for `grid` under `isEmpty` (and `tests`, the other channels), and its occupied box; `key` lists everything they depend on. */
export function emptyDistanceTextureFor(layerId: string, grid: BrickGrid, key: readonly unknown[], isEmpty: EmptyTest, tests: BrickTexelTests = {}): EmptyDistances {
  const fullKey = [grid, ...key];
  const existing = entries.get(layerId);
  if (existing && sameKey(existing.key, fullKey)) return existing;
  const data = emptyDistanceTexels(grid, isEmpty, tests);
  const occupied = occupiedBricks(data, grid.dims);
  if (existing && existing.key[0] === grid) {
    // Same grid, new test: the texture keeps its size and takes the new distances.
    existing.texture.image.data = data;
    existing.texture.needsUpdate = true;
    existing.key = fullKey;
    existing.occupied = occupied;
    return existing;
  }
  existing?.texture.dispose();
  const entry = { key: fullKey, texture: distanceTexture(data, grid.dims), occupied };
  entries.set(layerId, entry);
  // (Made while the 3D pane draws: the memory panel hears of it after.)
  queueMicrotask(memoryChanged);
  return entry;
}

export function disposeEmptyDistanceTexture(layerId: string): void {
  const entry = entries.get(layerId);
  if (!entry) return;
  entry.texture.dispose();
  entries.delete(layerId);
  queueMicrotask(memoryChanged);
}

/** GPU bytes of every layer's leap distances (4 a brick; memory().mapBytes). */
export function emptyDistanceBytes(): number {
  let bytes = 0;
  for (const e of entries.values()) bytes += texture3DBytes(e.texture, 4);
  return bytes;
}
