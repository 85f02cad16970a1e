// Named actions shared by the UI and the automation API (src/api): load, close, probe, view.
import { isOmeZarrUrl } from '../io/omezarr/metadata';
import type { FullResolution } from './fullResolution';
import { fail, ok, type LoadError, type Result } from '../io/errors';
import { fetchLookupBeside, nameFromUrl } from '../io/sources';
import { lookupNamesBeside, mainFileIndex } from '../io/fileGroups';
import type { FileSpec, SourceSpec } from '../io/worker/protocol';
import type { Pin } from '../memory/voxelBuffer';
import { transformPoint, voxelToWorld, worldToVoxel } from '../volume/affine';
import { DATA_TYPES, voxelView, type VoxelArray } from '../volume/dataTypes';
import { voxelCount } from '../volume/header';
import { probeIndex, probeWorld, type ProbeSample } from '../volume/sampling';
import { labelListFromText, meantAsLabelList, parseLabelNames } from '../volume/labels';
import { gridStats, withExactRange } from '../volume/stats';
import { getRecord, removeRecord, sampleSource } from './layerRegistry';
import { addLayerFromDecode, beginLoad, heldStats } from './layerLoad';
import { noteLayerSource } from './viewStateSources';
import { arrivingVoxels } from './arrivingVoxels';
import { displayLevelNeed, withDisplayLevel, type Shown } from './displayLevel';
import { decodeClient, leakWatcher, pool } from './runtime';
import { useViewerStore, type LayerMeta, type Vec3 } from './viewerStore';

export type Source = string | File | Blob;

// Loaders import these from here or from layerLoad.ts (omeZarrLoad must: it is opened from here).
export { addLayerFromDecode, beginLoad, heldStats, newJobId, replaceLayerVoxels, takeLoadTurn, volumeCentre, type LoadTurn } from './layerLoad';

function describeFile(source: Source, name?: string): FileSpec {
  if (typeof source === 'string') {
    const url = typeof location !== 'undefined' ? new URL(source, location.href).href : source;
    return { kind: 'url', url, name: name ?? nameFromUrl(source) };
  }
  const fileName = typeof File !== 'undefined' && source instanceof File ? source.name : undefined;
  return { kind: 'blob', blob: source, name: name ?? fileName ?? 'volume.nii' };
}

/** One volume from one file, or from a header and its data files (in any order). */
function describeSource(source: Source | readonly Source[], name?: string): SourceSpec {
  if (!Array.isArray(source)) return describeFile(source as Source, name);
  const files = source.map((s) => describeFile(s));
  const main = mainFileIndex(files);
  return { ...files[main], ...(name ? { name } : {}), companions: files.filter((_, i) => i !== main) };
}

/**
 * Decodes a volume in the worker into pooled memory and adds it as a layer. Errors come back as a
 * typed result and as a notice in the UI; layers already loaded are never touched by a failure.
 */
export async function loadVolume(source: Source | readonly Source[], opts: { name?: string; signal?: AbortSignal } = {}): Promise<Result<LayerMeta>> {
  // An OME-Zarr image is a folder of chunks, not one byte stream: its own loader (and zarrita, loaded on first use).
  if (typeof source === 'string' && isOmeZarrUrl(source)) {
    const zarr = await (await import('./omeZarrLoad')).loadOmeZarr(source, opts);
    if (zarr.kind === 'ok') noteLayerSource(zarr.value.id, source, zarr.value.name);
    return zarr;
  }
  const spec = describeSource(source, opts.name);
  // Marks for the DevTools performance panel (load-start, decoded): where a load's time goes.
  const { earlier, settle, jobId, layerId: id, abort, report } = beginLoad(spec.name, undefined, opts.signal);
  // Not for a layer drawn from a display level: its stats are the display grid's, already exact.
  const exact = heldStats((stats) => {
    if (!getRecord(id)?.fullRes) useViewerStore.getState().setStats(id, stats);
  });
  // A volume drawn from its own memory: its texture is made when the header is read and filled as
  // the voxels are written (state/arrivingVoxels.ts); dropped unless the layer is added from it.
  let arriving = false;
  let added = false;
  try {
    const result = await decodeClient.decode({
      source: spec,
      signal: abort.signal,
      onProgress: (loaded, total) => useViewerStore.getState().progressLoad(jobId, loaded, total),
      // A volume drawn from a display level needs its memory too: refused up front if it cannot have it.
      alsoNeeds: (header) => displayLevelNeed(header, spec.name),
      onMemory: (header, buffer) => {
        const need = displayLevelNeed(header, spec.name);
        if (need.kind === 'error' || need.value !== 0) return;
        arriving = true;
        arrivingVoxels({ kind: 'start', layerId: id, buffer, header, label: `texture of ${spec.name}` });
      },
      onWritten: (bytes) => {
        if (arriving) arrivingVoxels({ kind: 'written', layerId: id, bytes });
      },
      // A later message than 'done', possibly before the layer is added; a closed layer ignores it.
      onExactStats: exact.receive,
    });
    useViewerStore.getState().endLoad(jobId);
    performance.mark(`voxlens:decoded:${jobId}`);
    if (result.kind === 'error') return report(result);
    // Too large for the GPU: drawn from a display level, the full grid probed in memory.
    const shown = await withDisplayLevel(result.value, spec.name);
    if (shown.kind === 'error') return report(shown);
    await earlier;
    try {
      const meta = addShownLayer(id, spec.name, shown.value);
      added = shown.value.display === result.value;
      noteLayerSource(id, source, spec.name);
      exact.added();
      // Names beside a volume opened by URL (`aal.txt` by `aal.nii.gz`): looked for after the layer
      // is shown, so the first frame never waits for them, and for a single-channel one only.
      const { header } = shown.value.display;
      if (spec.kind === 'url' && !header.labelNames && DATA_TYPES[header.datatype].channels === 1) void lookupBeside(id, spec.url, spec.name);
      return ok(useViewerStore.getState().layers.find((l) => l.id === id) ?? meta);
    } catch (e) {
      // A bug past the decoder must not leave the buffer pinned or the layer half added.
      if (useViewerStore.getState().layers.some((l) => l.id === id)) closeLayer(id);
      return report(fail('internal', `INTERNAL ERROR while adding ${spec.name}: ${e instanceof Error ? e.message : String(e)}`));
    }
  } finally {
    // Errors, a cancel, a display level drawn instead: the texture made while decoding goes (and its pin on the memory).
    if (arriving && !added) arrivingVoxels({ kind: 'abandoned', layerId: id });
    settle();
  }
}

/**
 * Adds a volume as withDisplayLevel left it: its display grid drawn, its full grid (if another)
 * probed, and its display level's exact stats applied when they come (unless closed by then).
 */
export function addShownLayer(id: string, name: string, shown: Shown): LayerMeta {
  let meta: LayerMeta;
  try {
    meta = addLayerFromDecode(id, name, shown.display);
  } catch (e) {
    shown.fullRes?.release?.();
    throw e;
  }
  const record = getRecord(id);
  if (record && shown.fullRes) {
    record.fullRes = shown.fullRes;
    const { dims, slabs } = shown.fullRes;
    const sliceBytes = dims[0] * dims[1] * DATA_TYPES[shown.display.header.datatype].bytesPerVoxel;
    // Drawn whole from its slabs: the grid drawn is the full one.
    const whole = shown.display.drawnSlabs !== undefined;
    useViewerStore.getState().patchLayer(id, { ...(whole ? {} : { fullDims: dims }), ...(slabs ? { slabs: slabs.map((b) => b.byteLength / sliceBytes) } : {}) });
  }
  shown.exactStats?.then(
    (stats) => {
      if (getRecord(id) === record) useViewerStore.getState().setStats(id, stats);
    },
    () => {
      // The analysis worker failed: the same stats from the display level here (the 3D pane waits for its brick ranges).
      const now = getRecord(id);
      const layer = useViewerStore.getState().layers.find((l) => l.id === id);
      if (!now || now !== record || !layer) return;
      const { channels, bytesPerVoxel } = DATA_TYPES[now.header.datatype];
      const slabs = now.slabs?.map((b) => voxelView(now.header.datatype, b.memory, b.byteLength / bytesPerVoxel));
      useViewerStore.getState().setStats(id, slabs ? gridStats(layer.stats, { arrays: slabs, slabValues: slabs[0].length }, channels, now.header.dims)! : withExactRange(layer.stats, now.values, channels, now.header.dims));
    },
  );
  return useViewerStore.getState().layers.find((l) => l.id === id) ?? meta;
}

/**
 * Reads a label lookup (FreeSurfer *LUT.txt, JSON, LabelTable XML) for a layer: names in the probe,
 * pins and label volumes, colours in the panes; the layer becomes a label map. `quiet`: a file that
 * is not meant as a list of names at all (a BIDS JSON sidecar of the same stem) is passed over
 * with an 'ok', without a notice: 'none'.
 */
export async function openLabelLookup(layerId: string, file: Blob, name: string, opts: { quiet?: boolean } = {}): Promise<Result<'attached' | 'none'>> {
  return attachLabelText(layerId, await file.text(), name, opts);
}

function attachLabelText(layerId: string, text: string, name: string, { quiet = false }: { quiet?: boolean } = {}): Result<'attached' | 'none'> {
  const record = getRecord(layerId);
  if (!record) return fail('internal', `No layer with id "${layerId}".`);
  if (quiet && !meantAsLabelList(text)) return ok('none');
  // A file found beside or dropped with a volume may be any atlas's list (names with spaces, as in
  // an extension); one the user picks for a layer is read strictly, its errors naming the line.
  const strict = parseLabelNames(text, name);
  const lenient = strict.kind === 'error' && quiet ? labelListFromText(text) : null;
  const parsed = lenient ? ok(lenient) : strict;
  if (parsed.kind === 'error') {
    useViewerStore.getState().notify({ kind: 'error', title: `Could not read ${name}`, message: parsed.message, code: parsed.code });
    return fail('bad-lookup', parsed.message);
  }
  record.labels = parsed.value;
  const s = useViewerStore.getState();
  s.setLabelLookup(layerId, name);
  s.setDisplay(layerId, { colormap: 'label' });
  return ok('attached');
}

/**
 * Looks for `<stem>.txt`, `.lut`, `.json` beside a volume opened by URL and names its labels from
 * the first found. Missing files are silent, a file that is not a list of names (a JSON sidecar) is
 * passed over, any other failure is a warning: the layer stays as it is.
 */
async function lookupBeside(layerId: string, url: string, volumeName: string): Promise<void> {
  // The stem is the URL's file name, not a name the caller gave the layer.
  const found = await fetchLookupBeside(url, lookupNamesBeside(nameFromUrl(url)));
  // Closed meanwhile, or given names by the user first.
  if (!getRecord(layerId) || getRecord(layerId)?.labels) return;
  if (found.kind === 'error') {
    useViewerStore.getState().notify({ kind: 'warning', title: `${volumeName}: no label names read from beside it`, message: found.message, layerId });
    return;
  }
  if (found.kind === 'found') attachLabelText(layerId, found.text, found.name, { quiet: true });
}

/** Moves a layer to `index` in the draw order (0 = bottom). */
export function moveLayer(id: string, index: number): boolean {
  const s = useViewerStore.getState();
  if (!s.layers.some((l) => l.id === id)) return false;
  s.moveLayer(id, index);
  return true;
}

/** The topmost visible layer: its voxel size sets the paging step and right-drag sets its window. */
export function topVisibleLayer<T extends Pick<LayerMeta, 'display'>>(layers: readonly T[]): T | undefined {
  for (let i = layers.length - 1; i >= 0; i--) if (layers[i].display.visible) return layers[i];
  return layers[layers.length - 1];
}

/** Releases the layer's own pin; textures, probes and views still holding the buffer keep it. */
export function closeLayer(id: string): boolean {
  const record = removeRecord(id);
  if (!record) return false;
  useViewerStore.getState().removeLayer(id);
  if (useViewerStore.getState().layers.length === 0) useViewerStore.getState().setCrosshair(null);
  record.pin.release();
  record.fullRes?.release?.();
  // Closed before any pane took the texture made while it decoded.
  arrivingVoxels({ kind: 'abandoned', layerId: id });
  return true;
}

export interface ProbeResult {
  layerId: string;
  ijk: number[];
  world: [number, number, number];
  raw: number | number[];
  scaled: number | number[];
  inside: boolean;
  /** The voxel's slice is still loading (a series shown as it arrives, a full-resolution chunk on its way): no value yet. */
  loading?: boolean;
  /** Read from the full-resolution grid of a layer drawn from a coarser level (ijk counts in that grid). */
  fullResolution?: boolean;
  /** Why there is no value (a full-resolution chunk that could not be read). */
  error?: string;
  /** A label map's name for the value there, from its lookup (the file's names, one beside it or one opened for it). */
  labelName?: string;
}

const toResult = (layerId: string, p: ProbeSample): ProbeResult => {
  const name = p.inside && typeof p.raw === 'number' ? getRecord(layerId)?.labels?.names.get(p.raw) : undefined;
  return { layerId, ...p, world: [p.world[0], p.world[1], p.world[2]], ...(name !== undefined ? { labelName: name } : {}) };
};

/**
 * Exact values from CPU memory. `{ ijk }` is an index into layer `id` (or the first layer); the
 * other layers are probed at the same world point. 4D layers are read at their displayed frame
 * unless `ijk` names one (a 4th index).
 */
export function probe(at: { ijk: number[] } | { world: Vec3 }, id?: string): ProbeResult[] {
  const layers = useViewerStore.getState().layers;
  const targets = id ? layers.filter((l) => l.id === id) : layers;
  if ('ijk' in at) {
    const ref = getRecord(id ?? layers[0]?.id ?? '');
    if (!ref) return [];
    const world = voxelToWorld(ref.fullRes?.affine ?? ref.header.affine, at.ijk);
    return targets.flatMap((l) => {
      const r = getRecord(l.id);
      if (!r) return [];
      const frame = l.display.frame;
      const exact = r.fullRes?.source;
      if (exact) return [{ ...toResult(l.id, r === ref ? probeIndex(exact, at.ijk, frame) : probeWorld(exact, world, frame)), fullResolution: true }];
      if (r.fullRes) return [probeFullResolution(l.id, r.fullRes, r === ref ? at.ijk : null, world, frame)];
      return [toResult(l.id, r === ref ? probeIndex(sampleSource(r), at.ijk, frame) : probeWorld(sampleSource(r), world, frame))];
    });
  }
  return targets.flatMap((l) => {
    const r = getRecord(l.id);
    if (!r) return [];
    const exact = r.fullRes?.source;
    if (exact) return [{ ...toResult(l.id, probeWorld(exact, at.world, l.display.frame)), fullResolution: true }];
    if (r.fullRes) return [probeFullResolution(l.id, r.fullRes, null, at.world, l.display.frame)];
    return [toResult(l.id, probeWorld(sampleSource(r), at.world, l.display.frame))];
  });
}

/**
 * A layer drawn from a coarser level, probed at full resolution: the voxel `ijk` of the full grid
 * (or the one nearest `world`), its stored value once its chunk is in memory, else `loading`.
 */
function probeFullResolution(layerId: string, full: FullResolution, ijk: number[] | null, world: readonly number[], frame: number): ProbeResult {
  const at = ijk ?? worldToVoxel(full.inverseAffine, world).map((v) => Math.round(v) + 0);
  const index = at.slice(0, 3);
  if (at.length > 3) index.push(at[3]);
  const w = voxelToWorld(full.affine, index);
  const inside = index.slice(0, 3).every((v, a) => v >= 0 && v < full.dims[a]);
  const base = { layerId, ijk: index, world: [w[0], w[1], w[2]] as [number, number, number], inside, fullResolution: true };
  if (!inside) return { ...base, raw: NaN, scaled: NaN };
  const v = full.read(index, frame);
  if (v.kind === 'value') return { ...base, raw: v.raw, scaled: v.raw };
  return { ...base, raw: NaN, scaled: NaN, ...(v.kind === 'loading' ? { loading: true } : { error: v.message }) };
}

/** probe(), waiting for full-resolution chunks still on their way: every value exact. */
export async function probeAsync(at: { ijk: number[] } | { world: Vec3 }, id?: string): Promise<ProbeResult[]> {
  const results = probe(at, id);
  return Promise.all(
    results.map(async (r) => {
      const full = getRecord(r.layerId)?.fullRes;
      if (!full || !r.inside || (!r.loading && !r.error)) return r;
      const frame = useViewerStore.getState().layers.find((l) => l.id === r.layerId)?.display.frame ?? 0;
      const v = await full.readAsync(r.ijk, frame);
      const settled: ProbeResult = { ...r, loading: undefined, error: undefined };
      return v.kind === 'ok' ? { ...settled, raw: v.value, scaled: v.value } : { ...settled, error: v.message };
    }),
  );
}

export interface ViewHandle {
  array: VoxelArray;
  release(): void;
}

/**
 * A typed array over the layer's voxels (all frames). Without `copy` it is the layer's own memory,
 * pinned until `release()` (or until the array is garbage-collected, which counts as a leak); it
 * keeps reading the right values after the layer is closed. With `copy` it is an independent copy.
 * A grid held in z-slabs (larger than one buffer holds) is viewed one slab at a time: `{ slab: n }`
 * is slab n's voxels, slices n·slabSlices onwards.
 */
export function viewLayer(id: string, opts: { copy?: boolean; slab?: number } = {}): Result<ViewHandle> {
  const r = getRecord(id);
  if (!r) return fail('internal', `No layer with id "${id}".`);
  const slabs = r.fullRes?.slabs;
  if (slabs && opts.slab === undefined) {
    const perSlab = useViewerStore.getState().layers.find((l) => l.id === id)?.slabs ?? [];
    return fail('too-large', `${r.name} is held in ${slabs.length} slabs of whole slices (${perSlab.join(', ')} slices; slice index k + t·nz): view one with { slab: n }, n from 0 to ${slabs.length - 1}.`);
  }
  if (opts.slab !== undefined && !(Number.isInteger(opts.slab) && opts.slab >= 0 && opts.slab < (slabs?.length ?? 1))) {
    return fail('bad-argument', `${r.name} has ${slabs?.length ?? 1} slab${slabs ? 's' : ''}: there is no slab ${opts.slab}.`);
  }
  // A layer drawn from a display level: the view is of the full grid in memory.
  const buffer = slabs?.[opts.slab ?? 0] ?? r.fullRes?.buffer ?? r.buffer;
  const voxels = slabs ? buffer.byteLength / DATA_TYPES[r.header.datatype].bytesPerVoxel : voxelCount(r.fullRes?.buffer ? r.fullRes.dims : r.header.dims);
  if (opts.copy) {
    const info = DATA_TYPES[r.header.datatype];
    const copy = new ArrayBuffer(voxels * info.bytesPerVoxel);
    new Uint8Array(copy).set(new Uint8Array(buffer.memory, 0, copy.byteLength));
    return ok({ array: voxelView(r.header.datatype, copy, voxels), release: () => {} });
  }
  const pin: Pin = buffer.pin('view', `view of ${r.name}`);
  const array = voxelView(r.header.datatype, buffer.memory, voxels);
  leakWatcher.watch(array, pin);
  return ok({
    array,
    release: () => {
      leakWatcher.unwatch(pin);
      pin.release();
    },
  });
}

export interface MemoryReport {
  buffers: { id: string; bytes: number; pins: { owner: string; label: string }[]; pooled: boolean }[];
  liveBytes: number;
  pooledBytes: number;
  leaks: number;
  budgetBytes: number;
  shared: boolean;
}

export function memoryReport(): MemoryReport {
  return {
    buffers: pool.stats().map(({ id, bytes, pins, pooled }) => ({ id, bytes, pins, pooled })),
    liveBytes: pool.liveBytes(),
    pooledBytes: pool.pooledBytes(),
    leaks: leakWatcher.leaks,
    budgetBytes: pool.budgetBytes,
    shared: pool.shared,
  };
}

/** Moves the crosshair by `slices` voxel steps of the top visible layer along a world axis (0 x, 1 y, 2 z). */
export function pageCrosshair(axis: 0 | 1 | 2, slices: number): void {
  const s = useViewerStore.getState();
  if (!s.crosshair || s.layers.length === 0) return;
  const top = topVisibleLayer(s.layers);
  if (!top) return;
  const step = sliceSpacing(top, axis);
  const next: Vec3 = [...s.crosshair];
  next[axis] += slices * step;
  s.setCrosshair(clampToLayers(next, axis));
}

/** The voxel spacing of a layer along a world axis: the length of one voxel step that moves most along it. */
export function sliceSpacing(meta: Pick<LayerMeta, 'affine'>, axis: 0 | 1 | 2): number {
  let best = 0;
  let spacing = 1;
  for (let c = 0; c < 3; c++) {
    const comp = Math.abs(meta.affine[axis * 4 + c]);
    if (comp > best) {
      best = comp;
      spacing = comp;
    }
  }
  return spacing || 1;
}

/**
 * A point moved into the union of the open layers' boxes (voxel centres), axis by axis: where a
 * drag takes the crosshair past every volume, the other panes would show nothing.
 */
export function clampToLayerBounds(p: Vec3, layers: Pick<LayerMeta, 'dims' | 'affine'>[] = useViewerStore.getState().layers): Vec3 {
  if (layers.length === 0) return p;
  const { lo, hi } = worldBounds(layers);
  return [0, 1, 2].map((a) => Math.min(hi[a], Math.max(lo[a], p[a]))) as Vec3;
}

function clampToLayers(p: Vec3, axis: 0 | 1 | 2): Vec3 {
  const { lo, hi } = worldBounds(useViewerStore.getState().layers);
  p[axis] = Math.min(hi[axis], Math.max(lo[axis], p[axis]));
  return p;
}

/** Axis-aligned world bounding box of the voxel centres of all layers. */
export function worldBounds(layers: Pick<LayerMeta, 'dims' | 'affine'>[]): { lo: Vec3; hi: Vec3 } {
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (const l of layers) {
    const [nx, ny, nz] = l.dims;
    for (const i of [0, nx - 1]) for (const j of [0, ny - 1]) for (const k of [0, nz - 1]) {
      const w = transformPoint(l.affine, [i, j, k]);
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a], w[a]);
        hi[a] = Math.max(hi[a], w[a]);
      }
    }
  }
  return { lo, hi };
}

export type { LoadError };
