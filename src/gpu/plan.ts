// GPU capacity planning: whether a grid fits a layer texture, how it is cut into bricks, and the
// bytes it takes. Pure arithmetic over dims, texel sizes and the GPU's caps: the loaders (state/)
// decide levels and refusals with it before any texture exists, and render/textures builds the
// textures it describes. No three.js, no WebGL here.
import { DATA_TYPES, type DataType } from '../volume/dataTypes';
import { frameCount } from '../volume/header';
import type { TextureCaps } from './caps';

/**
 * The most brick textures one layer's texture is split into (render/textures/textures.ts): with
 * the ray caster's five other samplers and an overlay's, within WebGL2's 16 texture units (the
 * overlay is left out where its slabs would not fit: VolumeRender).
 */
export const MAX_TEXTURE_SLABS = 8;

/**
 * The most bytes one texture holds; a deeper grid takes more slab textures. Measured in Chromium
 * here: a 3D texture over 1 GiB is refused (INVALID_OPERATION: R16I 2048² × 128 uploads, × 129 does
 * not), and one upload near 1 GiB loses the context (a 2048² × 255 int16 volume in two slabs of
 * about 1020 MiB did, in any layout; two of 800 MiB drew, as four of 512 MiB uploaded in pieces
 * did), so each slab, uploaded whole by three.js, stays at half that.
 */
export const MAX_TEXTURE_BYTES = 2 ** 29;

/** Stored types with no WebGL2 texture format: the format table (render/textures/textureFormats.ts) shows a float32 copy. */
const FLOAT32_COPY: ReadonlySet<DataType> = new Set<DataType>(['float64', 'int64', 'uint64']);

/** Whether a layer of this type is displayed from a float32 copy rather than its own memory. */
export const needsFloat32Copy = (dtype: DataType): boolean => FLOAT32_COPY.has(dtype);

/** Bytes one voxel takes on the GPU: its stored size, or 4 for a float32 copy. */
export const texelBytes = (dtype: DataType): number => (needsFloat32Copy(dtype) ? 4 : DATA_TYPES[dtype].bytesPerVoxel);

/** The most slices one slab texture of an nx × ny grid holds: the GPU's 3D size limit, within MAX_TEXTURE_BYTES. */
export const slabSliceLimit = (nx: number, ny: number, bytesPerTexel: number, caps: Pick<TextureCaps, 'max3DSize'>): number =>
  Math.max(1, Math.min(caps.max3DSize, Math.floor(MAX_TEXTURE_BYTES / (nx * ny * bytesPerTexel))));

/** How an nx × ny grid's slices are cut into tiles: as few along each axis as the GPU's 3D size limit allows, near equal, and the slices a tile's slab holds. */
export interface Tiling {
  tiles: [number, number];
  tileSize: [number, number];
  /** Slices per slab texture of one tile (slabSliceLimit of the tile). */
  sliceLimit: number;
  /** The most z-slabs the tiles leave room for within MAX_TEXTURE_SLABS textures. */
  maxSlabs: number;
}

export function tiling(nx: number, ny: number, bytesPerTexel: number, caps: Pick<TextureCaps, 'max3DSize'>): Tiling {
  const [tx, ty] = [nx, ny].map((n) => Math.ceil(n / caps.max3DSize));
  const tileSize: [number, number] = [Math.ceil(nx / tx), Math.ceil(ny / ty)];
  return { tiles: [tx, ty], tileSize, sliceLimit: slabSliceLimit(tileSize[0], tileSize[1], bytesPerTexel, caps), maxSlabs: Math.floor(MAX_TEXTURE_SLABS / (tx * ty)) };
}

/**
 * Whether a grid (one frame) fits a layer texture: tiles along x and y within the GPU's 3D size
 * limit, each cut into z-slabs, MAX_TEXTURE_SLABS textures in all.
 */
export function fitsTexture(dims: readonly number[], bytesPerTexel: number, caps: Pick<TextureCaps, 'max3DSize'>): boolean {
  const t = tiling(dims[0], dims[1], bytesPerTexel, caps);
  return dims[2] <= t.maxSlabs * t.sliceLimit;
}

/**
 * Whether a layer texture over one buffer holds every frame of this 4D grid, stacked along k (a
 * frame switch is then a k offset in the shader): their slices within the GPU's 3D size limit and
 * MAX_TEXTURE_SLABS bricks. Otherwise it holds the frame shown, and a switch uploads another.
 */
export function stacksFrames(dims: readonly number[], bytesPerTexel: number, caps: Pick<TextureCaps, 'max3DSize'>): boolean {
  const depth = dims[2] * frameCount(dims);
  if (depth === dims[2]) return false;
  const t = tiling(dims[0], dims[1], bytesPerTexel, caps);
  return depth <= caps.max3DSize && Math.ceil(depth / t.sliceLimit) <= t.maxSlabs;
}

/** The GPU bytes of a layer texture of this grid: every frame where they stack (over one buffer), else one frame. */
export function textureBytesOf(dims: readonly number[], bytesPerTexel: number, caps: Pick<TextureCaps, 'max3DSize'>, oneBuffer = true): number {
  const frames = oneBuffer && stacksFrames(dims, bytesPerTexel, caps) ? frameCount(dims) : 1;
  return dims[0] * dims[1] * dims[2] * frames * bytesPerTexel;
}

/** The texture slabs a grid of `depth` slices from `first` takes, as [first slice, slices]: as few as `maxSlices` a slab allows, near equal. */
export function splitDepth(first: number, depth: number, maxSlices: number): [number, number][] {
  const count = Math.ceil(depth / maxSlices);
  const each = Math.ceil(depth / count);
  return Array.from({ length: count }, (_, n) => [first + n * each, Math.min(each, depth - n * each)]);
}

/**
 * The texture slabs of a grid held in z-slab buffers of whole slices (slice index k + t·nz), as
 * [first slice, slices]: the `count` slices from `first` (one frame; all by default), each buffer's
 * share in as few slabs as `maxSlices` (slabSliceLimit) allows; null past `maxSlabs`
 * (MAX_TEXTURE_SLABS, or fewer where each slab is cut into tiles).
 */
export function slabTextureSplit(sliceCounts: readonly number[], maxSlices: number, first = 0, count = sliceCounts.reduce((a, b) => a + b, 0), maxSlabs = MAX_TEXTURE_SLABS): [number, number][] | null {
  const split: [number, number][] = [];
  let start = 0;
  for (const n of sliceCounts) {
    const lo = Math.max(start, first), hi = Math.min(start + n, first + count);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, splitDepth of a depth ≤ 0 is [] (Array.from clamps a negative length to 0); the guard only skips the call
    if (hi > lo) split.push(...splitDepth(lo, hi - lo, maxSlices));
    start += n;
  }
  return split.length <= maxSlabs ? split : null;
}
