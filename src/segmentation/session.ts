// Open segmentations: each is a label layer (its own pooled buffer on the base layer's grid,
// uint8, uint16 past 255 segments) with an editor over that same memory and a pin on the base
// layer's voxels, its reference image. Every voxel-changing action writes in place, announces the
// dirty box (the texture cache uploads just that box) and resolves once the GPU has it; the
// statistics are exact by then. The UI and window.voxlens call these same actions.
import { create } from 'zustand';
import { fail, ok, type Result } from '../io/errors';
import type { Pin } from '../memory/voxelBuffer';
import { addLayerFromDecode, closeLayer, takeLoadTurn } from '../state/actions';
import { getRecord } from '../state/layerRegistry';
import { applyMat3, normalize3, PLANE_NORMAL_AXIS, type SlicePlane } from '../state/orientation';
import { memoryChanged, pool } from '../state/runtime';
import { useViewerStore } from '../state/viewerStore';
import { voxelSizes } from '../volume/affine';
import { DATA_TYPES, voxelView } from '../volume/dataTypes';
import { voxelsPerFrame, type DicomSeriesMeta, type VolumeHeader, type VolumeStats } from '../volume/header';
import { NIFTI_INTENT_LABEL } from '../volume/labels';
import { brushVoxels, keepWithinRange, type VoxelList } from './brush';
import { LabelEditor, type EditResult } from './editor';
import { labelGrid, voxelVolumeMm3, type LabelArray, type LabelGrid, type Reference, type Vec3 } from './grid';
import { interpolationVoxels } from './interpolate';
import { islandVoxels } from './islands';
import { segmentationNifti } from './niftiExport';
import { polygonVoxels } from './outline';
import { growRegion } from './growProtocol';
import type { Connectivity, GridSlice } from './regionGrow';
import { regionWritten } from './regionWrites';
import { newSegment, nextSegmentValue, segmentLookup, type Segment, type SegmentStatsRow } from './segments';

export interface SegmentationSession {
  id: string;
  baseId: string;
  baseName: string;
  grid: LabelGrid;
  editor: LabelEditor;
  voxelMm3: number;
  /** Held while the segmentation is open: its reference image stays readable after the base layer closes. */
  referencePin: Pin | null;
  /** The base layer's DICOM series, when it is one (a DICOM SEG references it). */
  dicom?: DicomSeriesMeta;
  labelsVersion: number;
}

const sessions = new Map<string, SegmentationSession>();

/** What the segment panel shows: ids and metadata only (the voxels live in the layer's buffer). */
export interface SegmentationMeta {
  id: string;
  baseId: string;
  name: string;
  segments: Segment[];
  active: number;
  history: { undo: number; redo: number; bytes: number };
  /** Bumped by every voxel change: the stats table re-reads on it. */
  version: number;
  wide: boolean;
}

interface SegmentationState {
  list: SegmentationMeta[];
  activeId: string | null;
}

export const useSegmentationStore = create<SegmentationState>()(() => ({ list: [], activeId: null }));

const metaOf = (id: string) => useSegmentationStore.getState().list.find((m) => m.id === id);

function patchMeta(id: string, patch: Partial<SegmentationMeta> | ((m: SegmentationMeta) => Partial<SegmentationMeta>)): void {
  useSegmentationStore.setState((s) => ({ list: s.list.map((m) => (m.id === id ? { ...m, ...(typeof patch === 'function' ? patch(m) : patch) } : m)) }));
}

export const getSession = (id: string): SegmentationSession | undefined => sessions.get(id);
export const setActiveSegmentation = (id: string | null) => useSegmentationStore.setState({ activeId: id });

/** The undo history's bytes of every open segmentation (the memory panel shows them). */
export const undoHistoryBytes = (): number => [...sessions.values()].reduce((b, s) => b + s.editor.history().bytes, 0);

const NUMERIC = new Set(['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'float64']);

/**
 * A new segmentation on the grid of layer `baseId`: a label layer over its own pooled memory
 * (zeroed), uint16 when `segments` > 255 asks for it, with one segment to start.
 */
export async function createSegmentation(baseId: string, opts: { name?: string; segments?: number } = {}): Promise<Result<{ id: string }>> {
  const base = getRecord(baseId);
  if (!base) return fail('bad-argument', `No layer with id "${baseId}" to segment.`);
  const { header } = base;
  if (DATA_TYPES[header.datatype].channels !== 1 || !NUMERIC.has(header.datatype)) {
    return fail('unsupported-dtype', `${base.name} is ${header.datatype}: a segmentation needs a single-channel image of up to 32-bit integers or floats as its reference.`);
  }
  if (base.fullRes || base.slabs) return fail('too-large', `${base.name} is drawn from a coarser level or held in slabs; segmenting it is not supported.`);
  const wide = (opts.segments ?? 1) > 255;
  const nvox = voxelsPerFrame(header.dims);
  const name = opts.name?.trim() || `Segmentation of ${base.name}`;
  const got = pool.acquire(nvox * (wide ? 2 : 1), name);
  if (got.kind === 'error') return fail(got.code, got.message);
  // A pooled buffer holds an earlier volume's bytes.
  new Uint8Array(got.buffer.value.memory).fill(0);
  const referencePin = base.buffer.pin('view', `reference image of ${name}`);
  const ref: Reference = { values: voxelView(header.datatype, base.buffer.memory, nvox) as ArrayLike<number>, slope: header.slope, inter: header.inter };
  const first = newSegment(1);
  const labelHeader: VolumeHeader = {
    format: 'nifti1',
    dims: header.dims.slice(0, 3),
    datatype: wide ? 'uint16' : 'uint8',
    datatypeCode: wide ? 512 : 2,
    littleEndian: true,
    slope: 1,
    inter: 0,
    affine: header.affine,
    affineSource: header.affineSource,
    axcodes: header.axcodes,
    voxOffset: 0,
    description: name,
    intentCode: NIFTI_INTENT_LABEL,
    ...(header.spaceUnit ? { spaceUnit: header.spaceUnit } : {}),
    labelNames: { source: 'segments', lookup: segmentLookup([first]) },
  };
  const stats: VolumeStats = { min: 0, max: 1, robustMin: 0, robustMax: 1, nonFinite: 0, sampledDistinct: 2, exact: true };
  const turn = takeLoadTurn();
  const id = turn.layerId;
  try {
    await turn.earlier;
    addLayerFromDecode(id, name, { header: labelHeader, stats, gunzip: 'none', buffer: got.buffer });
  } catch (e) {
    referencePin.release();
    if (!getRecord(id)) got.buffer.pin.release();
    return fail('internal', `INTERNAL ERROR creating ${name}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    turn.settle();
  }
  const record = getRecord(id)!;
  const grid = labelGrid(header.dims, header.affine);
  const editor = new LabelEditor(record.values as LabelArray, grid, ref);
  sessions.set(id, { id, baseId, baseName: base.name, grid, editor, voxelMm3: voxelVolumeMm3(header.affine), referencePin, ...(header.dicom ? { dicom: header.dicom } : {}), labelsVersion: 0 });
  useSegmentationStore.setState((s) => ({
    list: [...s.list, { id, baseId, name, segments: [first], active: 1, history: { undo: 0, redo: 0, bytes: 0 }, version: 0, wide }],
    activeId: id,
  }));
  memoryChanged();
  return ok({ id });
}

/**
 * Opens an existing label layer (uint8 or uint16: a NIfTI/NRRD/MGZ label map, a loaded DICOM SEG)
 * for editing in place: its own memory is the label buffer; the reference image is the first other
 * layer on the same grid (none: statistics count voxels only, and threshold and grow are refused).
 */
export function editLabelLayer(layerId: string): Result<{ id: string }> {
  if (sessions.has(layerId)) return ok({ id: layerId });
  const record = getRecord(layerId);
  if (!record) return fail('bad-argument', `No layer with id "${layerId}".`);
  const { header } = record;
  if ((header.datatype !== 'uint8' && header.datatype !== 'uint16') || header.dims.length > 3 || record.slabs || record.fullRes) {
    return fail('unsupported-dtype', `${record.name} is ${header.datatype}${header.dims.length > 3 ? ', 4D' : ''}: only a 3D uint8 or uint16 label map can be edited in place.`);
  }
  const sameGrid = (a: readonly number[], b: readonly number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-4);
  const base = useViewerStore
    .getState()
    .layers.map((l) => getRecord(l.id))
    .find((r) => r && r.id !== layerId && !sessions.has(r.id) && DATA_TYPES[r.header.datatype].channels === 1 && NUMERIC.has(r.header.datatype) && sameGrid(r.header.dims.slice(0, 3), header.dims) && sameGrid(r.header.affine, header.affine));
  const nvox = voxelsPerFrame(header.dims);
  const referencePin = base ? base.buffer.pin('view', `reference image of ${record.name}`) : null;
  const ref: Reference | null = base ? { values: voxelView(base.header.datatype, base.buffer.memory, nvox) as ArrayLike<number>, slope: base.header.slope, inter: base.header.inter } : null;
  const grid = labelGrid(header.dims, header.affine);
  const editor = new LabelEditor(record.values as LabelArray, grid, ref);
  const present: number[] = [];
  for (let v = 1; v <= editor.stats.maxValue; v++) if (editor.stats.voxels(v) > 0) present.push(v);
  const named = record.labels?.names;
  const segments = [...new Set([...present, ...(named ? [...named.keys()].filter((v) => v > 0 && v <= editor.stats.maxValue && present.includes(v)) : [])])]
    .sort((a, b) => a - b)
    .map((v) => ({ ...newSegment(v, named?.get(v)), ...(record.labels?.colors.get(v) ? { color: record.labels.colors.get(v)! } : {}) }));
  if (!segments.length) segments.push(newSegment(1));
  sessions.set(layerId, { id: layerId, baseId: base?.id ?? layerId, baseName: base?.name ?? record.name, grid, editor, voxelMm3: voxelVolumeMm3(header.affine), referencePin, ...(base?.header.dicom ? { dicom: base.header.dicom } : {}), labelsVersion: 0 });
  useSegmentationStore.setState((s) => ({
    list: [...s.list, { id: layerId, baseId: base?.id ?? layerId, name: record.name, segments, active: segments[0].value, history: { undo: 0, redo: 0, bytes: 0 }, version: 0, wide: header.datatype === 'uint16' }],
    activeId: layerId,
  }));
  applySegments(layerId, segments);
  return ok({ id: layerId });
}

/** A segmentation whose layer was closed: its reference pin and history go with it. */
useViewerStore.subscribe((s) => {
  for (const [id, session] of sessions) {
    if (s.layers.some((l) => l.id === id)) continue;
    session.referencePin?.release();
    session.editor.clearHistory();
    sessions.delete(id);
    useSegmentationStore.setState((st) => ({ list: st.list.filter((m) => m.id !== id), activeId: st.activeId === id ? (st.list.find((m) => m.id !== id)?.id ?? null) : st.activeId }));
    memoryChanged();
  }
});

export function closeSegmentation(id: string): boolean {
  return sessions.has(id) && closeLayer(id);
}

function sessionOr(id: string): Result<SegmentationSession> {
  const s = sessions.get(id);
  return s ? ok(s) : fail('bad-argument', `No segmentation with id "${id}".`);
}

/** Names, colours, visibility and locks reach the label colours and the lock table. */
function applySegments(id: string, segments: Segment[]): void {
  const session = sessions.get(id);
  const record = getRecord(id);
  if (!session || !record) return;
  session.editor.locked.fill(0);
  for (const seg of segments) if (seg.locked) session.editor.locked[seg.value] = 1;
  record.labels = { ...segmentLookup(segments), hidden: new Set(segments.filter((s) => !s.visible).map((s) => s.value)) };
  session.labelsVersion++;
  // A new lookup name rebuilds the layer's colour table (render/textures/labelTables.ts keys on it).
  useViewerStore.getState().setLabelLookup(id, `segments (v${session.labelsVersion})`);
  patchMeta(id, { segments });
}

export function addSegment(id: string, opts: { name?: string; value?: number } = {}): Result<Segment> {
  const meta = metaOf(id);
  const session = sessions.get(id);
  if (!meta || !session) return fail('bad-argument', `No segmentation with id "${id}".`);
  const value = opts.value ?? nextSegmentValue(meta.segments);
  if (!Number.isInteger(value) || value < 1 || value > session.editor.stats.maxValue) {
    return fail('bad-argument', `A segment value must be a whole number from 1 to ${session.editor.stats.maxValue}${meta.wide ? '' : ' (create the segmentation with { segments: 256 } or more for uint16)'}; got ${value}.`);
  }
  const existing = meta.segments.find((s) => s.value === value);
  if (existing) return ok(existing);
  const seg = newSegment(value, opts.name);
  applySegments(id, [...meta.segments, seg].sort((a, b) => a.value - b.value));
  patchMeta(id, { active: value });
  return ok(seg);
}

export function updateSegment(id: string, value: number, patch: Partial<Pick<Segment, 'name' | 'color' | 'visible' | 'locked'>>): void {
  const meta = metaOf(id);
  if (!meta) return;
  applySegments(id, meta.segments.map((s) => (s.value === value ? { ...s, ...patch } : s)));
}

export const setActiveSegment = (id: string, value: number) => patchMeta(id, { active: value });

/** Ensures a segment exists for a value written (0 erases and needs none). */
function ensureSegment(id: string, value: number): Result<void> {
  if (value === 0) return ok(undefined);
  const r = addSegment(id, { value });
  return r.kind === 'error' ? r : ok(undefined);
}

export interface EditSummary {
  changed: number;
  box: { lo: Vec3; hi: Vec3 };
}

/** Writes a voxel list, then waits for the texture to hold the dirty box. */
async function commit(session: SegmentationSession, list: VoxelList, value: number, label: string, group?: number): Promise<Result<EditSummary>> {
  const ensured = ensureSegment(session.id, value);
  if (ensured.kind === 'error') return ensured;
  const r = session.editor.write(list, value, label, group);
  return afterEdit(session, r);
}

async function afterEdit(session: SegmentationSession, r: EditResult): Promise<Result<EditSummary>> {
  const h = session.editor.history();
  patchMeta(session.id, (m) => ({ history: { undo: h.undo, redo: h.redo, bytes: h.bytes }, version: m.version + 1 }));
  memoryChanged();
  if (r.changed) await regionWritten(session.id, r.box);
  return ok({ changed: r.changed, box: r.box });
}

/** The world normal of a slice pane's plane (oblique panes included): R applied to its patient axis. */
export function paneNormal(pane: SlicePlane): Vec3 {
  const n0: Vec3 = [0, 0, 0];
  n0[PLANE_NORMAL_AXIS[pane]] = 1;
  return normalize3(applyMat3(useViewerStore.getState().orientation, n0));
}

export interface PaintOptions {
  center: Vec3;
  radius: number;
  shape: 'sphere' | 'disk';
  pane?: SlicePlane;
  /** A normal of its own for a disk (overrides `pane`). */
  normal?: Vec3;
  value: number;
  threshold?: [number, number];
  /** Dabs of one stroke share a group: one undo step. */
  stroke?: number;
}

const isVec3 = (v: unknown): v is Vec3 => Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
const isRange = (r: unknown): r is [number, number] => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number' && !Number.isNaN(x)) && r[0] <= r[1];

export async function paint(id: string, o: PaintOptions): Promise<Result<EditSummary>> {
  const s = sessionOr(id);
  if (s.kind === 'error') return s;
  if (!isVec3(o.center)) return fail('bad-argument', 'paint: center must be [x, y, z] in world mm.');
  if (!(o.radius > 0)) return fail('bad-argument', `paint: radius must be a positive number of mm; got ${o.radius}.`);
  if (o.shape !== 'sphere' && o.shape !== 'disk') return fail('bad-argument', `paint: shape must be 'sphere' or 'disk'; got ${String(o.shape)}.`);
  if (o.threshold !== undefined && !isRange(o.threshold)) return fail('bad-argument', 'paint: threshold must be [lo, hi] with lo ≤ hi.');
  const session = s.value;
  const normal = o.normal ?? paneNormal(o.pane ?? 'axial');
  const list = brushVoxels(session.grid, o.center, o.radius, o.shape === 'sphere' ? { kind: 'sphere' } : { kind: 'disk', normal });
  if (o.threshold) {
    if (!session.editor.ref) return fail('bad-argument', `paint: ${session.baseName} has no reference image on its grid to threshold.`);
    keepWithinRange(list, session.editor.ref, o.threshold);
  }
  return commit(session, list, o.value, o.value === 0 ? 'erase' : o.threshold ? 'threshold brush' : 'brush', o.stroke);
}

export interface FillOptions {
  seed: Vec3;
  value: number;
  range: [number, number];
  connectivity: Connectivity;
  /** Grow within the slice of this pane through the seed (2D); 3D without. */
  pane?: SlicePlane;
}

/** Region grow from a seed (world mm) over the reference image's scaled values. */
export async function fill(id: string, o: FillOptions): Promise<Result<EditSummary>> {
  const s = sessionOr(id);
  if (s.kind === 'error') return s;
  if (!isVec3(o.seed)) return fail('bad-argument', 'fill: seed must be [x, y, z] in world mm.');
  if (!isRange(o.range)) return fail('bad-argument', 'fill: range must be [lo, hi] with lo ≤ hi.');
  if (o.connectivity !== 6 && o.connectivity !== 26) return fail('bad-argument', `fill: connectivity must be 6 or 26; got ${String(o.connectivity)}.`);
  const session = s.value;
  if (!session.editor.ref) return fail('bad-argument', `fill: ${session.baseName} has no reference image on its grid to grow over.`);
  const seed = seedVoxel(session, o.seed);
  const slice = o.pane ? sliceThrough(session, seed, paneNormal(o.pane)) : undefined;
  const t0 = performance.now();
  // In a worker over the shared reference image; the main thread only writes the result.
  const grown = await growRegion(session.grid.dims, session.editor.ref, { seed, range: o.range, connectivity: o.connectivity, ...(slice ? { slice } : {}) });
  performance.measure?.('voxlens:segmentation:grow', { start: t0, end: performance.now(), detail: { inWorker: grown.inWorker, workerMs: grown.ms } });
  return commit(session, grown.list, o.value, 'region grow');
}

const seedVoxel = (session: SegmentationSession, world: Vec3): Vec3 => {
  const A = session.grid.inverseAffine;
  return [0, 1, 2].map((r) => Math.round(A[r * 4] * world[0] + A[r * 4 + 1] * world[1] + A[r * 4 + 2] * world[2] + A[r * 4 + 3])) as Vec3;
};

/** The grid slice through voxel `at` whose voxel axis is most nearly along `normal`. */
function sliceThrough(session: SegmentationSession, at: Vec3, normal: Vec3): GridSlice {
  const A = session.grid.affine;
  const along = [0, 1, 2].map((a) => Math.abs(A[a] * normal[0] + A[4 + a] * normal[1] + A[8 + a] * normal[2]) / Math.hypot(A[a], A[4 + a], A[8 + a]));
  const axis = along.indexOf(Math.max(...along)) as 0 | 1 | 2;
  return { axis, index: at[axis] };
}

/** Fills a closed outline drawn in a pane (world points on the slice through `points[0]`). */
export async function fillOutline(id: string, o: { points: Vec3[]; value: number; pane: SlicePlane }): Promise<Result<EditSummary>> {
  const s = sessionOr(id);
  if (s.kind === 'error') return s;
  if (o.points.length < 3 || !o.points.every(isVec3)) return fail('bad-argument', 'fillOutline: at least three [x, y, z] points are needed.');
  const session = s.value;
  const slice = sliceThrough(session, seedVoxel(session, o.points[0]), paneNormal(o.pane));
  const inv = session.grid.inverseAffine;
  const [u, v] = slice.axis === 0 ? [1, 2] : slice.axis === 1 ? [0, 2] : [0, 1];
  const poly = o.points.map((p) => {
    const ijk = [0, 1, 2].map((r) => inv[r * 4] * p[0] + inv[r * 4 + 1] * p[1] + inv[r * 4 + 2] * p[2] + inv[r * 4 + 3]);
    return [ijk[u], ijk[v]] as const;
  });
  return commit(session, polygonVoxels(session.grid.dims, slice, poly), o.value, 'fill outline');
}

/** Keeps the largest connected piece of a segment, clearing the rest. */
export async function removeIslands(id: string, value: number): Promise<Result<EditSummary>> {
  const s = sessionOr(id);
  if (s.kind === 'error') return s;
  return commit(s.value, islandVoxels(s.value.editor.labels, s.value.grid.dims, value), 0, 'remove islands');
}

/** Fills the slices between a segment's drawn slices along the pane's normal (shape-based interpolation). */
export async function interpolate(id: string, value: number, pane: SlicePlane): Promise<Result<EditSummary>> {
  const s = sessionOr(id);
  if (s.kind === 'error') return s;
  const session = s.value;
  const { axis } = sliceThrough(session, [0, 0, 0], paneNormal(pane));
  return commit(session, interpolationVoxels(session.editor.labels, session.grid.dims, value, axis, voxelSizes(session.grid.affine)), value, 'interpolate');
}

export async function undo(id: string): Promise<Result<EditSummary | null>> {
  const s = sessionOr(id);
  if (s.kind === 'error') return s;
  const r = s.value.editor.undo();
  return r ? afterEdit(s.value, r) : ok(null);
}

export async function redo(id: string): Promise<Result<EditSummary | null>> {
  const s = sessionOr(id);
  if (s.kind === 'error') return s;
  const r = s.value.editor.redo();
  return r ? afterEdit(s.value, r) : ok(null);
}

/** Exact statistics of each segment over the reference image's scaled values. */
export function segmentStats(id: string): Result<SegmentStatsRow[]> {
  const s = sessionOr(id);
  const meta = metaOf(id);
  if (s.kind === 'error' || !meta) return fail('bad-argument', `No segmentation with id "${id}".`);
  return ok(meta.segments.map((seg) => ({ ...s.value.editor.stats.row(seg.value), name: seg.name, mm3: s.value.editor.stats.voxels(seg.value) * s.value.voxelMm3 })));
}

/** The segmentation as NIfTI bytes (labels, the base grid's affine, the colour table inside). */
export function exportNifti(id: string): Result<Uint8Array> {
  const s = sessionOr(id);
  const meta = metaOf(id);
  if (s.kind === 'error' || !meta) return fail('bad-argument', `No segmentation with id "${id}".`);
  return ok(segmentationNifti(s.value.editor.labels, s.value.grid.dims, s.value.grid.affine, meta.segments, meta.name.slice(0, 79)));
}
