// The 3D pane's interaction level: while the user drags (or a volume's brick ranges are still on
// their way), a large layer is ray-cast from a coarse copy of the grid it is drawn from (every
// f-th voxel, as a display level is made: volume/decimate.ts), with brick ranges of its own so
// empty space is skipped at once; the full grid is cast again when the pointer stops. The copy is
// made on the first frame that needs it, held in a pooled buffer the texture pins, and dropped
// when the layer's voxels change (a finer level, slices arriving) or its texture goes.
import { getRecord } from '../../state/layerRegistry';
import { interactionVoxels, pool } from '../../state/runtime';
import { invert, type Mat4 } from '../../volume/affine';
import { brickRanges, type BrickGrid } from '../../volume/bricks';
import { DATA_TYPES, voxelView } from '../../volume/dataTypes';
import { decimate, decimatedAffine, decimatedDims, decimationFactors, isDecimated, type Factors } from '../../volume/decimate';
import type { VoxelBuffer } from '../../memory/voxelBuffer';
import { textureCaps } from '../../gpu/caps';
import { disposeEmptyDistanceTexture } from './emptyDistance';
import { createVolumeTexture, type VolumeTexture } from './textures';
import { textureFormatFor } from './textureFormats';

export interface InteractionLevel {
  volume: VolumeTexture;
  dims: [number, number, number];
  affine: Mat4;
  inverseAffine: Mat4;
  factors: Factors;
  bricks: BrickGrid | undefined;
  /** The key its brick-range and leap textures are cached under. */
  key: string;
}

interface Entry {
  /** What it was made from: a new buffer or another frame makes a new copy. */
  from: VoxelBuffer;
  frame: number;
  level: InteractionLevel | null;
}

const entries = new Map<string, Entry>();
const listeners = new Set<() => void>();
let shown: InteractionLevel | null = null;

/**
 * The factors of a layer's interaction level: none (null) while one frame of its grid has no more
 * than `threshold` voxels, else the power-of-two steps that bring it within an eighth of that.
 */
export function interactionFactors(dims: readonly number[], threshold: number, maxSize: number): Factors | null {
  const [nx, ny, nz] = dims;
  if (nx * ny * nz <= threshold) return null;
  const f = decimationFactors([nx, ny, nz], 1, maxSize, Math.max(1, Math.floor(threshold / 8)));
  return isDecimated(f) ? f : null;
}

/**
 * The interaction level of layer `layerId` at `frame`, made now if it is due; null where the layer
 * is small enough to cast whole, is still arriving, or the copy would not fit `gpuRoom` bytes or the
 * voxel budget (then the full grid is cast at interaction quality, as for any layer).
 */
export function interactionLevelFor(layerId: string, frame: number, gpuRoom: number): InteractionLevel | null {
  const record = getRecord(layerId);
  if (!record || record.pending) return null;
  const existing = entries.get(layerId);
  if (existing && existing.from === record.buffer && existing.frame === frame) return existing.level;
  disposeInteractionLevel(layerId);
  const level = makeLevel(layerId, frame, gpuRoom);
  entries.set(layerId, { from: record.buffer, frame, level });
  return level;
}

function makeLevel(layerId: string, frame: number, gpuRoom: number): InteractionLevel | null {
  const record = getRecord(layerId)!;
  const { header } = record;
  const { channels, bytesPerVoxel } = DATA_TYPES[header.datatype];
  const factors = channels === 1 ? interactionFactors(header.dims, interactionVoxels, textureCaps.max3DSize) : null;
  if (!factors) return null;
  const dims = decimatedDims(header.dims.slice(0, 3), factors) as [number, number, number];
  const voxels = dims[0] * dims[1] * dims[2];
  const label = `interaction level of ${record.name}`;
  if (voxels * textureFormatFor(header.datatype, textureCaps).bytesPerTexel > gpuRoom) return null;
  const got = pool.acquire(voxels * bytesPerVoxel, label, 'texture');
  if (got.kind === 'error') return null;
  const buffer = got.buffer.value;
  const perFrame = header.dims[0] * header.dims[1] * header.dims[2];
  // A grid drawn whole from z-slabs is read across its slabs.
  const from = record.slabs
    ? { arrays: record.slabs.map((b) => voxelView(header.datatype, b.memory, b.byteLength / bytesPerVoxel)), slabValues: record.values.length }
    : record.values.subarray(frame * perFrame, (frame + 1) * perFrame);
  decimate(from, record.slabs ? header.dims : header.dims.slice(0, 3), 1, factors, voxelView(header.datatype, buffer.memory, voxels), record.slabs ? frame : undefined);
  const levelHeader = { ...header, dims, affine: decimatedAffine(header.affine, factors) };
  const volume = createVolumeTexture(buffer, levelHeader, `texture of ${label}`, textureCaps);
  got.buffer.pin.release();
  const values = voxelView(header.datatype, buffer.memory, voxels);
  return { volume, dims, affine: levelHeader.affine, inverseAffine: invert(levelHeader.affine), factors, bricks: brickRanges(values, dims), key: `${layerId}#interaction` };
}

/** Drops a layer's interaction level (its texture, and with it the pin on its buffer). */
export function disposeInteractionLevel(layerId: string): void {
  const e = entries.get(layerId);
  if (!e) return;
  entries.delete(layerId);
  if (e.level && shown === e.level) setShownInteractionLevel(null);
  e.level?.volume.dispose();
  if (e.level) disposeEmptyDistanceTexture(e.level.key);
}

/** The interaction levels made (the memory panel counts their textures). */
export const interactionLevels = (): InteractionLevel[] => [...entries.values()].flatMap((e) => (e.level ? [e.level] : []));

/** The level the 3D pane cast its last image from (null: the full grid), for the pane's corner. */
export const shownInteractionLevel = () => shown;

export function setShownInteractionLevel(level: InteractionLevel | null): void {
  if (shown === level) return;
  shown = level;
  for (const l of listeners) l();
}

export function subscribeInteractionLevel(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
