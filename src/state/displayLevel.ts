// A volume the GPU cannot hold whole (a grid needing more than MAX_TEXTURE_SLABS brick textures of
// the GPU's 3D size limit, or a texture larger than what the GPU budget has left) is drawn from a display level:
// every f-th stored voxel along each axis (volume/decimate.ts), written by the analysis worker into
// a second pooled buffer. The full grid stays in CPU memory, pinned by the layer: probes, pins,
// profiles, ROI statistics and views read it, so every value shown as a voxel's is the stored one
// at full resolution. A volume in z-slab buffers whose texture fits is drawn whole instead, bricks
// over each slab (drawnWhole).
import { fail, formatBytes, ok, type Result } from '../io/errors';
import { isSlabbed, type DecodedVolume, type SlabbedVolume } from '../io/load';
import { isSharedMemory, type Pin, type VoxelBuffer } from '../memory/voxelBuffer';
import { textureCaps } from '../gpu/caps';
import { fitsTexture, MAX_TEXTURE_BYTES, MAX_TEXTURE_SLABS, slabTextureSplit, texelBytes as dtypeTexelBytes, textureBytesOf, tiling } from '../gpu/plan';
import { invert } from '../volume/affine';
import { DATA_TYPES, voxelView } from '../volume/dataTypes';
import { decimate, decimatedAffine, decimatedDims, factorsUntil, isDecimated, type Factors } from '../volume/decimate';
import { frameCount, voxelCount, type VolumeHeader, type VolumeStats } from '../volume/header';
import { probeIndex, type SampleSource } from '../volume/sampling';
import { computeStats, gridRange, gridStats } from '../volume/stats';
import type { FullResolution } from './fullResolution';
import { getRecord } from './layerRegistry';
import { analysisClient, gpuBudgetBytes, pool } from './runtime';
import { useViewerStore } from './viewerStore';

const texelBytes = (header: Pick<VolumeHeader, 'datatype'>) => dtypeTexelBytes(header.datatype);

/**
 * The GPU bytes of a layer texture of grid `dims`: every frame where they stack in one texture
 * (over one buffer), else the frame shown (a 4D series in z-slab buffers, or too deep to stack).
 */
const gpuBytesOf = (dims: readonly number[], header: Pick<VolumeHeader, 'datatype'>, oneBuffer = true) => textureBytesOf(dims, texelBytes(header), textureCaps, oneBuffer);

/** The texture bytes the open layers take (or will take when first drawn). */
export function layerTextureBytes(): number {
  let bytes = 0;
  for (const l of useViewerStore.getState().layers) {
    const r = getRecord(l.id);
    if (r) bytes += gpuBytesOf(r.header.dims, r.header, !r.slabs);
  }
  return bytes;
}

/** The decimation that brings a grid's texture within the size limits and `room` on the GPU (and, for a display level, its voxels within one buffer). */
function gpuFactors(header: Pick<VolumeHeader, 'dims' | 'datatype'>, room: number, oneBuffer: boolean, cpuBytes = Infinity): Factors {
  const { bytesPerVoxel } = DATA_TYPES[header.datatype];
  const texel = texelBytes(header);
  // Within the bricks a layer texture may take (gpu/plan.ts fitsTexture): no other size limit.
  return factorsUntil(header.dims, 2 ** 31, (d) => fitsTexture(d, texel, textureCaps) && gpuBytesOf(d, header, oneBuffer) <= room && voxelCount(d) * bytesPerVoxel <= cpuBytes);
}

/** The GPU bytes a new layer may take: the GPU budget less what the open layers take. */
export const gpuRoom = () => gpuBudgetBytes - layerTextureBytes();

/** Whether a volume with this header would be drawn from a display level now. */
export const needsDisplayLevel = (header: Pick<VolumeHeader, 'dims' | 'datatype'>): boolean =>
  isDecimated(gpuFactors(header, Math.max(0, gpuRoom()), voxelCount(header.dims) * DATA_TYPES[header.datatype].bytesPerVoxel <= pool.slabBytes));

/**
 * The voxel bytes of the display level a volume would be drawn from now (0 when it would be drawn
 * whole), or why it cannot be drawn at all: asked with the header, before its voxels are read.
 */
export function displayLevelNeed(header: Pick<VolumeHeader, 'dims' | 'datatype'>, name: string): Result<number> {
  const bytes = voxelCount(header.dims) * DATA_TYPES[header.datatype].bytesPerVoxel;
  const room = gpuRoom();
  const factors = displayFactors(header, room);
  if (!isDecimated(factors) && bytes <= pool.slabBytes) return ok(0);
  if (bytes > pool.slabBytes && drawableWhole(header, pool.slabPlan(bytes, sliceBytesOf(header)), room)) return ok(0);
  const dims = decimatedDims(header.dims, factors);
  const refused = noRoom(dims, header, room, name);
  return refused ?? ok(voxelCount(dims) * DATA_TYPES[header.datatype].bytesPerVoxel);
}

/** The refusal when even the display level's texture does not fit what the GPU budget leaves. */
function noRoom(dims: number[], header: Pick<VolumeHeader, 'datatype'>, room: number, name: string) {
  if (room > 0 && gpuBytesOf(dims, header) <= room) return undefined;
  const frames = frameCount(dims);
  const why = layerTextureBytes() > 0 ? 'is taken by the open layers. Close a layer or raise ?gpuBudgetMiB=.' : frames > 1 ? `cannot hold its ${frames} frames even one voxel in many. Raise ?gpuBudgetMiB=.` : 'is too small for it. Raise ?gpuBudgetMiB=.';
  return fail('over-budget', `${name}: the GPU budget (${formatBytes(gpuBudgetBytes)}) ${why}`);
}

/**
 * The full grid in CPU memory (one buffer, or z-slabs of whole slices), read exactly and at once;
 * `release` drops the layer's pins on it.
 */
export function memoryFullResolution(header: VolumeHeader, buffers: VoxelBuffer[], pins: Pin[], onRelease?: () => void): FullResolution {
  const inverseAffine = invert(header.affine);
  const { bytesPerVoxel } = DATA_TYPES[header.datatype];
  const arrays = buffers.map((b) => voxelView(header.datatype, b.memory, b.byteLength / bytesPerVoxel));
  const source: SampleSource = {
    dims: header.dims,
    datatype: header.datatype,
    channels: DATA_TYPES[header.datatype].channels,
    slope: header.slope,
    inter: header.inter,
    affine: header.affine,
    inverseAffine,
    values: arrays[0],
    ...(arrays.length > 1 ? { slabs: { arrays, slabValues: arrays[0].length } } : {}),
  };
  const valueAt = (ijk: readonly number[], frame: number) => {
    const raw = probeIndex(source, [...ijk], frame).raw;
    return Array.isArray(raw) ? raw[0] : raw;
  };
  return {
    dims: header.dims,
    affine: header.affine,
    inverseAffine,
    source,
    ...(buffers.length > 1 ? { slabs: buffers } : { buffer: buffers[0] }),
    read: (ijk, frame) => ({ kind: 'value', raw: valueAt(ijk, frame) }),
    readAsync: (ijk, frame) => Promise.resolve(ok(valueAt(ijk, frame))),
    release: () => {
      onRelease?.();
      pins.forEach((p) => p.release());
    },
  };
}

/** The display level's factors: its texture within the GPU room and the size limit, its memory within one buffer. */
const displayFactors = (header: Pick<VolumeHeader, 'dims' | 'datatype'>, room: number): Factors => gpuFactors(header, Math.max(0, room), true, pool.slabBytes);

/**
 * The volume as it will be drawn: unchanged when its texture fits, else a display level with the
 * full grid as its full resolution. A volume in slabs is drawn whole where its texture fits, else
 * from a display level that fits one buffer.
 * Takes over `decoded`'s pins either way (the caller adds the layer from `display`, whose pin it
 * takes over in turn).
 */
export async function withDisplayLevel(decoded: DecodedVolume | SlabbedVolume, name: string): Promise<Result<Shown>> {
  const { header } = decoded;
  const held = isSlabbed(decoded) ? decoded.slabs : [decoded.buffer];
  // A load that fails here leaves memory as it found it: the decoded voxels are dropped, not pooled.
  const dropHeld = () => held.forEach((b) => pool.discard(b, false));
  const room = gpuRoom();
  const factors = displayFactors(header, room);
  if (!isDecimated(factors) && !isSlabbed(decoded)) return ok({ display: decoded });
  if (isSlabbed(decoded) && drawableWhole(header, decoded.slabs.map((s) => s.value.byteLength / sliceBytesOf(header)), room)) return ok(drawnWhole(decoded, name));
  const dims = decimatedDims(header.dims, factors);
  const bytes = voxelCount(dims) * DATA_TYPES[header.datatype].bytesPerVoxel;
  const refused = noRoom(dims, header, room, name);
  if (refused) {
    dropHeld();
    return refused;
  }
  const got = pool.acquire(bytes, `display level of ${name}`);
  if (got.kind === 'error') {
    dropHeld();
    return fail(got.code, `${name} is drawn from a display level that needs memory of its own: ${got.message}`);
  }
  const full = held.map((b) => b.value);
  const target = got.buffer.value;
  let stats;
  try {
    stats = await decimateInto(full, target, header, factors, name);
  } catch (e) {
    pool.discard(got.buffer, got.reused);
    dropHeld();
    return fail('internal', `${name}: its display level could not be made: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fullPins = full.map((b, n) => b.pin('layer', full.length > 1 ? `full resolution of ${name}, slab ${n + 1} of ${full.length}` : `full resolution of ${name}`));
  held.forEach((b) => b.pin.release());
  const affine = decimatedAffine(header.affine, factors);
  const displayHeader: VolumeHeader = {
    ...header,
    dims,
    affine,
    notices: [...(header.notices ?? []), displayNotice(header, dims, factors, room, full.length)],
  };
  return ok({ display: { header: displayHeader, stats: stats.sampled, gunzip: decoded.gunzip, buffer: got.buffer }, fullRes: memoryFullResolution(header, full, fullPins, stats.stop), exactStats: stats.exact });
}

/**
 * Whether a grid in z-slab buffers can be drawn whole: within the texture sizes and the GPU room
 * (all frames), each frame in at most MAX_TEXTURE_SLABS slab textures (render/textures/textures.ts).
 */
function drawableWhole(header: Pick<VolumeHeader, 'dims' | 'datatype'>, sliceCounts: number[], room: number): boolean {
  // One frame at a time on the GPU: the textures are over the slabs.
  if (isDecimated(gpuFactors(header, Math.max(0, room), false))) return false;
  // Each frame in at most MAX_TEXTURE_SLABS textures (a buffer ending inside a frame cuts one more slab, and each slab its tiles).
  const t = tiling(header.dims[0], header.dims[1], texelBytes(header), textureCaps);
  const nz = header.dims[2];
  for (let f = 0; f < frameCount(header.dims); f++) if (slabTextureSplit(sliceCounts, t.sliceLimit, f * nz, nz, t.maxSlabs) === null) return false;
  return true;
}

const sliceBytesOf = (header: Pick<VolumeHeader, 'dims' | 'datatype'>) => header.dims[0] * header.dims[1] * DATA_TYPES[header.datatype].bytesPerVoxel;


/**
 * A grid in z-slabs drawn whole: its texture is one slab texture (or more) per buffer, its probes
 * read every slab (fullRes), and its exact stats (range, histogram, brick ranges over every slab)
 * follow from the analysis worker, which stops when the layer closes.
 */
function drawnWhole(decoded: SlabbedVolume, name: string): Shown {
  const buffers = decoded.slabs.map((s) => s.value);
  const pins = buffers.map((b, n) => b.pin('layer', `${name}, slab ${n + 1} of ${buffers.length}`));
  const first = { value: buffers[0], pin: buffers[0].pin('decode', name) };
  decoded.slabs.forEach((s) => s.pin.release());
  const { header, stats } = decoded;
  const memories = buffers.map((b) => b.memory);
  const shared = memories.filter(isSharedMemory);
  let exactStats: Promise<VolumeStats>;
  let stop: (() => void) | undefined;
  if (shared.length === memories.length) {
    const held = buffers.map((b) => b.pin('analysis', `stats of ${name}`));
    const flag = cancelFlag();
    stop = flag.stop;
    exactStats = analysisClient.gridStats(shared, header.datatype, header.dims, stats, flag.cancel);
    void exactStats.finally(() => held.forEach((p) => p.release())).catch(() => {});
  } else {
    const { channels, bytesPerVoxel } = DATA_TYPES[header.datatype];
    const arrays = memories.map((m) => voxelView(header.datatype, m, m.byteLength / bytesPerVoxel));
    exactStats = Promise.resolve(gridStats(stats, { arrays, slabValues: arrays[0].length }, channels, header.dims)!);
  }
  return {
    display: { header, stats, gunzip: decoded.gunzip, buffer: first, drawnSlabs: buffers },
    fullRes: memoryFullResolution(header, buffers, pins, stop),
    exactStats,
  };
}

/** A flag the analysis worker checks in its pass over a full grid: `stop` (the layer closed) sets it, and the pass lets go. */
function cancelFlag(): { cancel: SharedArrayBuffer; stop: () => void } {
  const cancel = new SharedArrayBuffer(4);
  return { cancel, stop: () => Atomics.store(new Int32Array(cancel), 0, 1) };
}

/** A volume as it will be drawn (see withDisplayLevel); a display level's exact stats follow its sampled ones. */
export interface Shown {
  display: DecodedVolume;
  fullRes?: FullResolution;
  exactStats?: Promise<VolumeStats>;
}

/**
 * The display level written into `target`, with its sampled stats at once and its exact ones
 * (histogram, brick ranges) to follow, off the first frame's path; `target` stays pinned for the
 * analysis until they are in.
 */
async function decimateInto(full: VoxelBuffer[], target: VoxelBuffer, header: VolumeHeader, factors: Factors, name: string): Promise<{ sampled: VolumeStats; exact: Promise<VolumeStats>; stop?: () => void }> {
  const memories = full.map((b) => b.memory);
  const shared = memories.filter(isSharedMemory);
  if (shared.length === memories.length && isSharedMemory(target.memory)) {
    // The worker reads both grids until the exact stats are in (the full one for its range).
    const pins = [target, ...full].map((b) => b.pin('analysis', `stats of the display level of ${name}`));
    const release = () => pins.forEach((p) => p.release());
    const { cancel, stop } = cancelFlag();
    try {
      const { sampled, exact } = await analysisClient.decimate(shared, header.datatype, header.dims, factors, target.memory, cancel);
      void exact.finally(release).catch(() => {});
      return { sampled, exact, stop };
    } catch (e) {
      release();
      throw e;
    }
  }
  const { channels, bytesPerVoxel } = DATA_TYPES[header.datatype];
  const dims = decimatedDims(header.dims, factors);
  const dst = voxelView(header.datatype, target.memory, voxelCount(dims));
  const arrays = memories.map((m) => voxelView(header.datatype, m, m.byteLength / bytesPerVoxel));
  decimate({ arrays, slabValues: arrays[0].length }, header.dims, channels, factors, dst);
  const stats = { ...computeStats(dst, channels, dims), ...gridRange(arrays, channels) };
  return { sampled: stats, exact: Promise.resolve(stats) };
}

function displayNotice(header: VolumeHeader, dims: number[], factors: Factors, room: number, slabs: number): string {
  const grid = (d: readonly number[]) => d.slice(0, 3).join(' × ');
  const bytes = voxelCount(header.dims) * DATA_TYPES[header.datatype].bytesPerVoxel;
  const why = !fitsTexture(header.dims, texelBytes(header), textureCaps)
    ? `its grid needs more than ${MAX_TEXTURE_SLABS} textures of at most ${textureCaps.max3DSize} voxels a side (this GPU's 3D texture limit) and ${formatBytes(MAX_TEXTURE_BYTES)} each`
    : bytes > pool.slabBytes
      ? `its ${formatBytes(bytes)} of voxels are more than one buffer or texture holds (${formatBytes(pool.slabBytes)})`
      : `its texture (${formatBytes(gpuBytesOf(header.dims, header, slabs <= 1))}) is more than the GPU budget has left (${formatBytes(room)} of ${formatBytes(gpuBudgetBytes)})`;
  const held = slabs > 1 ? `, held in ${slabs} slabs of whole slices,` : '';
  return (
    `Drawn at ${grid(dims)}, one stored voxel in ${factors[0]} along x, ${factors[1]} along y and ${factors[2]} along z, because ${why}. ` +
    `The full ${grid(header.dims)} grid${held} stays in memory: probes, pins, profiles and statistics read its exact stored values.`
  );
}
