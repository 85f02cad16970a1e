// Opening an OME-Zarr image by URL: its metadata read here (JSON only), then levels' voxels
// fetched and decoded in the Zarr worker straight into pooled memory, one layer per channel,
// time as frames. Coarse first: a small level is drawn at once, and each finer level replaces it
// as it arrives (chunks nearest the crosshair first), up to the finest whose grid fits this GPU's
// 3D texture limit and the voxel budget (a notice says when that is not the full resolution).
// While a layer shows a level coarser than the full resolution its probes read the full
// resolution chunk by chunk (state/fullResolution.ts): never a coarse value as the voxel's.
import * as zarr from 'zarrita';
import { fail, formatBytes, ok, type Result } from '../io/errors';
import { omeZarrHeader, readOmeImage, unitSymbol, type OmeImage } from '../io/omezarr/metadata';
import { nameFromUrl } from '../io/sources';
import type { LevelFill } from '../io/worker/zarrProtocol';
import { MAX_BUFFER_BYTES } from '../memory/pool';
import { textureCaps } from '../gpu/caps';
import { fitsTexture, MAX_TEXTURE_BYTES, MAX_TEXTURE_SLABS, texelBytes, textureBytesOf } from '../gpu/plan';
import { invert, worldToVoxel, type Mat4 } from '../volume/affine';
import { DATA_TYPES, type DataType } from '../volume/dataTypes';
import type { VolumeHeader } from '../volume/header';
import { addLayerFromDecode, beginLoad, heldStats, newJobId, replaceLayerVoxels } from './layerLoad';
import { gpuRoom } from './displayLevel';
import { zarrFullResolution } from './fullResolution';
import { getRecord } from './layerRegistry';
import { pool, zarrClient } from './runtime';
import { useViewerStore, type ColormapName, type LayerMeta } from './viewerStore';

/** At most this many channels become layers; the rest are named in a notice. */
const MAX_CHANNELS = 8;

const ZARR_TYPES: Partial<Record<string, DataType>> = {
  uint8: 'uint8',
  int8: 'int8',
  uint16: 'uint16',
  int16: 'int16',
  uint32: 'uint32',
  int32: 'int32',
  float32: 'float32',
  float64: 'float64',
  int64: 'int64',
  uint64: 'uint64',
};

type ZArray = zarr.Array<zarr.DataType, zarr.FetchStore>;

interface Level {
  index: number;
  array: ZArray;
  dims: number[];
  datatype: DataType;
  bytes: number;
}

/** An omero channel colour (hex RRGGBB) as the nearest colormap: a pure primary, else grey (white), cool (cyan, magenta) or hot (yellow, orange). */
export function colormapFor(hex: string): ColormapName {
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const high = [r, g, b].map((v) => v > 0.5);
  const count = high.filter(Boolean).length;
  if (count === 3 || count === 0) return 'gray';
  if (count === 1) return high[0] ? 'red' : high[1] ? 'green' : 'blue';
  return high[2] ? 'cool' : 'hot';
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The image group's attributes and its levels' arrays (opened lazily, finest first). */
async function openImage(url: string): Promise<Result<{ image: OmeImage; open(i: number): Promise<Result<ZArray>> }>> {
  const store = new zarr.FetchStore(url);
  const root = zarr.root(store);
  let group: zarr.Group<zarr.FetchStore>;
  try {
    group = await zarr.open(root, { kind: 'group' });
  } catch (e) {
    return fail('missing-file', `${url} is not a Zarr group Voxlens can read: no .zgroup/.zattrs (Zarr v2) or zarr.json (Zarr v3) answered there (${errorText(e)}).`);
  }
  const attrs = group.attrs as Record<string, unknown>;
  const ome = (typeof attrs.ome === 'object' && attrs.ome !== null ? attrs.ome : attrs) as { multiscales?: { datasets?: { path?: unknown }[] }[] };
  const firstPath = ome.multiscales?.[0]?.datasets?.[0]?.path;
  if (typeof firstPath !== 'string') {
    const r = readOmeImage(attrs, 0);
    return r.kind === 'error' ? r : fail('bad-header', `${url}: OME-Zarr multiscales name no dataset path.`);
  }
  const arrays = new Map<number, ZArray>();
  const open = async (i: number, path: string): Promise<Result<ZArray>> => {
    const known = arrays.get(i);
    if (known) return ok(known);
    try {
      const a = await zarr.open(root.resolve(path), { kind: 'array' });
      arrays.set(i, a);
      return ok(a);
    } catch (e) {
      return fail('missing-file', `${url}: the level "${path}" could not be opened (${errorText(e)}).`);
    }
  };
  const first = await open(0, firstPath);
  if (first.kind === 'error') return first;
  const image = readOmeImage(attrs, first.value.shape.length);
  if (image.kind === 'error') return fail(image.code, `${url}: ${image.message}`);
  return ok({ image: image.value, open: (i) => open(i, image.value.levels[i].path) });
}

function levelDims(image: OmeImage, shape: number[]): number[] {
  const dims = [shape[image.x], shape[image.y], image.z === undefined ? 1 : shape[image.z]];
  if (image.t !== undefined && shape[image.t] > 1) dims.push(shape[image.t]);
  return dims;
}

/** voxel (x, y, z) → physical position, the axes taken as R, A, S (OME-Zarr states no orientation). */
function levelAffine(image: OmeImage, index: number): Mat4 {
  const { scale, translation } = image.levels[index];
  const s = (a: number | undefined) => (a === undefined ? 1 : scale[a]);
  const t = (a: number | undefined) => (a === undefined ? 0 : translation[a]);
  return [s(image.x), 0, 0, t(image.x), 0, s(image.y), 0, t(image.y), 0, 0, s(image.z), t(image.z), 0, 0, 0, 1];
}

/** The first level shown is the finest of at most this many bytes per channel: a few chunks, drawn at once. */
const FIRST_LEVEL_BYTES = 1 << 20;

export async function loadOmeZarr(address: string, opts: { name?: string; signal?: AbortSignal } = {}): Promise<Result<LayerMeta>> {
  const url = new URL(address, location.href).href.replace(/\/+(?=$|[?#])/, '');
  const name = opts.name ?? nameFromUrl(url.replace(/\/+$/, ''));
  const notify = (r: Result<LayerMeta>) => {
    if (r.kind === 'error' && r.code !== 'cancelled') useViewerStore.getState().notify({ kind: 'error', title: `Could not open ${name}`, message: r.message, code: r.code });
    return r;
  };
  const opened = await openImage(url);
  if (opened.kind === 'error') return notify(opened);
  const { image, open } = opened.value;
  const levels = await openLevels(name, image, open);
  if (levels.kind === 'error') return notify(levels);
  const finest = levels.value[0];
  // The finest level that fits the texture limit and the voxel budget: the one the layers end at.
  const budget = Math.min(MAX_BUFFER_BYTES, pool.budgetBytes / 2);
  // Each channel is a layer with its own texture: they share what the GPU budget has left.
  const channels = Math.min(image.c === undefined ? 1 : finest.array.shape[image.c], MAX_CHANNELS);
  const gpu = gpuRoom() / channels;
  // What the level's texture takes on the GPU: every frame where they stack in one texture, else the frame shown.
  const texture = (l: Level) => textureBytesOf(l.dims, texelBytes(l.datatype), textureCaps);
  const fits = (l: Level) => fitsTexture(l.dims, texelBytes(l.datatype), textureCaps);
  const chosen = levels.value.find((l) => fits(l) && l.bytes <= budget && texture(l) <= gpu);
  if (!chosen) {
    return notify(fail('too-large', `${name}: even its coarsest level is larger than this GPU's 3D texture limit (${textureCaps.max3DSize}), the voxel budget (${formatBytes(budget)}) or what the GPU budget has left (${formatBytes(Math.max(0, gpu))} per channel).`));
  }
  // Coarse first: the first frame comes from a small level, and each finer one up to `chosen`
  // replaces it as it arrives (each level costs an eighth of the next, so the detour is small).
  const coarser = levels.value.slice(chosen.index);
  const first = coarser.find((l) => l.bytes <= FIRST_LEVEL_BYTES) ?? coarser[coarser.length - 1];
  const steps = coarser.slice(0, first.index - chosen.index + 1).reverse();
  const datatype = ZARR_TYPES[chosen.array.dtype]!;
  const spaceUnit = unitSymbol(image.axes[image.x].unit);
  const notices = ['OME-Zarr states no anatomical orientation: its x, y and z axes are drawn as right, anterior and superior, so the orientation letters are not anatomical.'];
  if (chosen !== finest) {
    notices.push(
      `Shown at level ${chosen.index} ("${image.levels[chosen.index].path}", ${chosen.dims.slice(0, 3).join(' × ')}), the finest level that fits: the full resolution (${finest.dims.slice(0, 3).join(' × ')}) ${
        !fits(finest)
          ? `passes what ${MAX_TEXTURE_SLABS} textures hold (this GPU's limit is ${textureCaps.max3DSize} voxels a side, and ${formatBytes(MAX_TEXTURE_BYTES)} a texture)`
          : finest.bytes > budget
            ? `needs ${formatBytes(finest.bytes)}, more than half the voxel budget (${formatBytes(budget)})`
            : `needs a ${formatBytes(texture(finest))} texture, more than the GPU budget has left (${formatBytes(Math.max(0, gpu))})`
      }. Probes read the full resolution: each value is fetched with its chunk, "loading" until it arrives.`,
    );
  }
  const channelCount = image.c === undefined ? 1 : chosen.array.shape[image.c];
  if (channelCount > MAX_CHANNELS) notices.push(`${channelCount} channels: the first ${MAX_CHANNELS} are opened as layers.`);
  const axes = { x: image.x, y: image.y, z: image.z, t: image.t, c: image.c };
  const headerFor = (level: Level, channel: number): VolumeHeader => {
    const omero = image.channels[channel];
    return omeZarrHeader(level.dims, datatype, levelAffine(image, level.index), {
      description: image.name ?? '',
      ...(omero?.window ? { displayRange: [omero.window.start, omero.window.end] as [number, number] } : {}),
      ...(spaceUnit ? { spaceUnit } : {}),
      ...(image.t !== undefined ? { timeUnit: unitSymbol(image.axes[image.t].unit) } : {}),
    });
  };
  const fillFor = (level: Level, channel: number, focus?: [number, number, number]): LevelFill => ({ url, path: image.levels[level.index].path, axes, channel, datatype, dims: level.dims, ...(focus ? { focus } : {}) });
  const pyramid = (level: Level) => ({ level: level.index, levels: levels.value.length, target: chosen.index });
  const added: LayerMeta[] = [];
  for (let channel = 0; channel < Math.min(channelCount, MAX_CHANNELS); channel++) {
    const omero = image.channels[channel];
    const label = channelCount > 1 ? `${name} · ${omero?.label ?? `channel ${channel}`}` : name;
    const header = { ...headerFor(first, channel), notices: channel === 0 ? notices : undefined };
    const r = await loadChannel(label, header, fillFor(first, channel), first.bytes, opts.signal);
    if (r.kind === 'error') {
      if (added.length === 0) return r;
      break;
    }
    const s = useViewerStore.getState();
    s.patchLayer(r.value.id, { pyramid: pyramid(first), ...(first !== finest ? { fullDims: finest.dims } : {}) });
    // The channel's colour, as the nearest colormap Voxlens has (several channels are overlays).
    if (omero?.color && channelCount > 1) s.setDisplay(r.value.id, { colormap: colormapFor(omero.color) });
    // Drawn from a coarser level: probes read the full resolution, chunk by chunk, and panes zoomed
    // in past the drawn level fetch finer ones.
    const record = getRecord(r.value.id);
    if (record) {
      record.pyramid = {
        url,
        axes,
        channel,
        datatype,
        levels: levels.value.map((l) => ({ path: image.levels[l.index].path, shape: l.array.shape, chunks: l.array.chunks, dims: l.dims, affine: levelAffine(image, l.index) })),
      };
    }
    if (record && first !== finest) {
      const level0 = { url, path: image.levels[0].path, shape: finest.array.shape, chunks: finest.array.chunks, axes, channel, datatype, dims: finest.dims, affine: levelAffine(image, 0) };
      record.fullRes = zarrFullResolution(level0, () => useViewerStore.getState().chunkArrived());
    }
    added.push(r.value);
  }
  const stopped = new Set<string>();
  for (const level of steps.slice(1)) {
    for (const [channel, layer] of added.entries()) {
      if (stopped.has(layer.id) || !getRecord(layer.id)) continue;
      if ((await refineChannel(layer.id, level, headerFor(level, channel), (focus) => fillFor(level, channel, focus), opts.signal)) === 'ok') {
        useViewerStore.getState().patchLayer(layer.id, { pyramid: pyramid(level) });
        if (level === finest) {
          delete getRecord(layer.id)?.fullRes;
          useViewerStore.getState().patchLayer(layer.id, { fullDims: undefined });
        }
        continue;
      }
      // Cancelled, closed or failed (a notice says why): it stays at the level it shows.
      stopped.add(layer.id);
      const now = useViewerStore.getState().layers.find((l) => l.id === layer.id)?.pyramid;
      if (now) useViewerStore.getState().patchLayer(layer.id, { pyramid: { ...now, target: now.level } });
    }
  }
  const shown = useViewerStore.getState().layers.find((l) => l.id === added[0].id);
  return ok(shown ?? added[0]);
}

/** Every level's array, finest first, with its grid and bytes per channel; a data type Voxlens cannot show is refused. */
async function openLevels(name: string, image: OmeImage, open: (i: number) => Promise<Result<ZArray>>): Promise<Result<Level[]>> {
  const arrays = await Promise.all(image.levels.map((_, i) => open(i)));
  const levels: Level[] = [];
  for (const [index, a] of arrays.entries()) {
    if (a.kind === 'error') return a;
    const datatype = ZARR_TYPES[a.value.dtype];
    if (!datatype) return fail('unsupported-dtype', `${name}: the Zarr data type "${a.value.dtype}" cannot be shown (integers, float32 and float64 can).`);
    const dims = levelDims(image, a.value.shape);
    levels.push({ index, array: a.value, dims, datatype, bytes: dims.reduce((p, n) => p * n, 1) * DATA_TYPES[datatype].bytesPerVoxel });
  }
  return ok(levels);
}

/**
 * Fetches a finer level of one channel (its chunks nearest the crosshair first) into new memory
 * and swaps it in. Closing the layer or cancelling the progress entry stops it; a failure is told
 * in a notice and leaves the layer at the level it has.
 */
async function refineChannel(layerId: string, level: Level, header: VolumeHeader, fill: (focus?: [number, number, number]) => LevelFill, signal?: AbortSignal): Promise<'ok' | 'stopped'> {
  const s = useViewerStore.getState();
  const layer = s.layers.find((l) => l.id === layerId);
  if (!layer || signal?.aborted) return 'stopped';
  const jobId = newJobId();
  const abort = new AbortController();
  signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const closed = useViewerStore.subscribe((state) => {
    if (!state.layers.some((l) => l.id === layerId)) abort.abort();
  });
  const label = `${layer.name}: level ${level.index} (${level.dims.slice(0, 3).join(' × ')})`;
  s.startLoad({ jobId, name: label, verb: 'Refining', loadedBytes: 0, unit: 'chunks', cancel: () => abort.abort() });
  const focus = s.crosshair ? (worldToVoxel(invert(header.affine), s.crosshair).slice(0, 3) as [number, number, number]) : undefined;
  try {
    const filled = await zarrClient.fill(fill(focus), level.bytes, label, {
      signal: abort.signal,
      onProgress: (done, total, fetched) => useViewerStore.getState().progressLoad(jobId, done, total, fetched),
      onExactStats: (stats) => {
        if (getRecord(layerId)?.header === header) useViewerStore.getState().setStats(layerId, stats);
      },
    });
    if (filled.kind === 'error') {
      if (!abort.signal.aborted) useViewerStore.getState().notify({ kind: 'error', title: `Could not refine ${layer.name}`, message: `${filled.message} It stays at the coarser level it shows; its probes still read the full resolution.`, code: filled.code });
      return 'stopped';
    }
    return replaceLayerVoxels(layerId, { header, stats: filled.value.stats, gunzip: 'none', buffer: filled.value.buffer }) ? 'ok' : 'stopped';
  } finally {
    closed();
    useViewerStore.getState().endLoad(jobId);
  }
}

async function loadChannel(label: string, header: VolumeHeader, fill: LevelFill, bytes: number, signal?: AbortSignal): Promise<Result<LayerMeta>> {
  const { earlier, settle, jobId, layerId, abort, report } = beginLoad(label, 'chunks', signal);
  // Not once a finer level replaced this one: its stats (and brick ranges) are the finer grid's.
  const exact = heldStats((stats) => {
    if (getRecord(layerId)?.header === header) useViewerStore.getState().setStats(layerId, stats);
  });
  try {
    const filled = await zarrClient.fill(fill, bytes, label, {
      signal: abort.signal,
      onProgress: (done, total, fetched) => useViewerStore.getState().progressLoad(jobId, done, total, fetched),
      onExactStats: exact.receive,
    });
    performance.mark(`voxlens:decoded:${jobId}`);
    if (filled.kind === 'error') return report(abort.signal.aborted ? fail('cancelled', `Loading ${label} was cancelled.`) : filled);
    await earlier;
    try {
      const meta = addLayerFromDecode(layerId, label, { header, stats: filled.value.stats, gunzip: 'none', buffer: filled.value.buffer });
      exact.added();
      return ok(useViewerStore.getState().layers.find((l) => l.id === layerId) ?? meta);
    } catch (e) {
      filled.value.buffer.pin.release();
      return fail('internal', `INTERNAL ERROR while adding ${label}: ${errorText(e)}`);
    }
  } finally {
    useViewerStore.getState().endLoad(jobId);
    settle();
  }
}
