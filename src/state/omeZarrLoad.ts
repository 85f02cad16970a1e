// Opening an OME-Zarr image by URL: its metadata read here (JSON only), then one level's voxels
// fetched and decoded in the Zarr worker straight into pooled memory, one layer per channel,
// time as frames. The level shown is the finest whose grid fits this GPU's 3D texture limit and
// the voxel budget; a coarser one says so in a notice, and its probes read the full resolution
// chunk by chunk (state/fullResolution.ts). Streaming the finer levels into the panes is not built yet.
import * as zarr from 'zarrita';
import { fail, formatBytes, ok, type Result } from '../io/errors';
import { readOmeImage, unitSymbol, type OmeImage } from '../io/omezarr/metadata';
import { nameFromUrl } from '../io/sources';
import type { LevelFill } from '../io/worker/zarrProtocol';
import { MAX_BUFFER_BYTES } from '../memory/pool';
import { textureCaps } from '../render/textures/caps';
import { axisCodes, type Mat4 } from '../volume/affine';
import { DATA_TYPES, type DataType } from '../volume/dataTypes';
import type { VolumeHeader } from '../volume/header';
import { addLayerFromDecode, beginLoad } from './actions';
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
  // The finest level that fits the texture limit and the voxel budget.
  const budget = Math.min(MAX_BUFFER_BYTES, pool.budgetBytes / 2);
  let chosen: Level | null = null;
  let finest: Level | null = null;
  for (let i = 0; i < image.levels.length; i++) {
    const a = await open(i);
    if (a.kind === 'error') return notify(a);
    const datatype = ZARR_TYPES[a.value.dtype];
    if (!datatype) return notify(fail('unsupported-dtype', `${name}: the Zarr data type "${a.value.dtype}" cannot be shown (integers, float32 and float64 can).`));
    const dims = levelDims(image, a.value.shape);
    const level: Level = { index: i, array: a.value, dims, bytes: dims.reduce((p, n) => p * n, 1) * DATA_TYPES[datatype].bytesPerVoxel };
    finest ??= level;
    if (Math.max(dims[0], dims[1], dims[2]) <= textureCaps.max3DSize && level.bytes <= budget) {
      chosen = level;
      break;
    }
  }
  if (!chosen || !finest) {
    return notify(fail('too-large', `${name}: even its coarsest level is larger than this GPU's 3D texture limit (${textureCaps.max3DSize}) or the voxel budget (${formatBytes(budget)}).`));
  }
  const datatype = ZARR_TYPES[chosen.array.dtype]!;
  const affine = levelAffine(image, chosen.index);
  const spaceUnit = unitSymbol(image.axes[image.x].unit);
  const notices = ['OME-Zarr states no anatomical orientation: its x, y and z axes are drawn as right, anterior and superior, so the orientation letters are not anatomical.'];
  if (chosen !== finest) {
    notices.push(
      `Shown at level ${chosen.index} ("${image.levels[chosen.index].path}", ${chosen.dims.slice(0, 3).join(' × ')}), the finest level that fits: the full resolution (${finest.dims.slice(0, 3).join(' × ')}) ${
        Math.max(...finest.dims.slice(0, 3)) > textureCaps.max3DSize ? `passes this GPU's 3D texture limit of ${textureCaps.max3DSize} voxels per axis` : `needs ${formatBytes(finest.bytes)}, more than half the voxel budget (${formatBytes(budget)})`
      }. Probes read the full resolution: each value is fetched with its chunk, "loading" until it arrives.`,
    );
  }
  const channelCount = image.c === undefined ? 1 : chosen.array.shape[image.c];
  if (channelCount > MAX_CHANNELS) notices.push(`${channelCount} channels: the first ${MAX_CHANNELS} are opened as layers.`);
  let first: Result<LayerMeta> | null = null;
  for (let channel = 0; channel < Math.min(channelCount, MAX_CHANNELS); channel++) {
    const omero = image.channels[channel];
    const label = channelCount > 1 ? `${name} · ${omero?.label ?? `channel ${channel}`}` : name;
    const header: VolumeHeader = {
      format: 'ome-zarr',
      dims: chosen.dims,
      datatype,
      datatypeCode: 0,
      littleEndian: true,
      slope: 1,
      inter: 0,
      affine,
      affineSource: 'ome-zarr',
      axcodes: axisCodes(affine),
      voxOffset: 0,
      description: image.name ?? '',
      ...(omero?.window ? { displayRange: [omero.window.start, omero.window.end] as [number, number] } : {}),
      intentCode: 0,
      ...(spaceUnit ? { spaceUnit } : {}),
      ...(image.t !== undefined ? { timeUnit: unitSymbol(image.axes[image.t].unit) } : {}),
      notices: channel === 0 ? notices : undefined,
    };
    const axes = { x: image.x, y: image.y, z: image.z, t: image.t, c: image.c };
    const fill: LevelFill = { url, path: image.levels[chosen.index].path, axes, channel, datatype, dims: chosen.dims };
    const r = await loadChannel(label, header, fill, chosen.bytes, opts.signal);
    // The channel's colour, as the nearest colormap Voxlens has (several channels are overlays).
    if (r.kind === 'ok' && omero?.color && channelCount > 1) useViewerStore.getState().setDisplay(r.value.id, { colormap: colormapFor(omero.color) });
    // Drawn from a coarser level: probes read the full resolution, chunk by chunk.
    const record = r.kind === 'ok' ? getRecord(r.value.id) : undefined;
    if (record && chosen !== finest) {
      const level0 = { url, path: image.levels[0].path, shape: finest.array.shape, chunks: finest.array.chunks, axes, channel, datatype, dims: finest.dims, affine: levelAffine(image, 0) };
      record.fullRes = zarrFullResolution(level0, () => useViewerStore.getState().chunkArrived());
    }
    first ??= r;
    if (r.kind === 'error') return first.kind === 'ok' ? first : r;
  }
  return first ?? notify(fail('bad-dims', `${name}: its channel axis is empty.`));
}

async function loadChannel(label: string, header: VolumeHeader, fill: LevelFill, bytes: number, signal?: AbortSignal): Promise<Result<LayerMeta>> {
  const { earlier, settle, jobId, layerId, abort, report } = beginLoad(label, 'chunks', signal);
  try {
    const filled = await zarrClient.fill(fill, bytes, label, {
      signal: abort.signal,
      onProgress: (done, total) => useViewerStore.getState().progressLoad(jobId, done, total),
      onExactStats: (stats) => useViewerStore.getState().setStats(layerId, stats),
    });
    performance.mark(`voxlens:decoded:${jobId}`);
    if (filled.kind === 'error') return report(abort.signal.aborted ? fail('cancelled', `Loading ${label} was cancelled.`) : filled);
    await earlier;
    try {
      return ok(addLayerFromDecode(layerId, label, { header, stats: filled.value.stats, gunzip: 'none', buffer: filled.value.buffer }));
    } catch (e) {
      filled.value.buffer.pin.release();
      return fail('internal', `INTERNAL ERROR while adding ${label}: ${errorText(e)}`);
    }
  } finally {
    useViewerStore.getState().endLoad(jobId);
    settle();
  }
}
