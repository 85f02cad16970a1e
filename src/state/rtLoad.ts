// Opening DICOM objects that are not image series (issue 22): a SEG becomes label layers (or one
// fraction layer per segment) in the pool like any decoded volume, on the grid of the series it
// references when that is open; an RTSTRUCT becomes a structure set in the structures store. The
// DICOM loader hands such files here (state/dicomLoad.ts, one dispatch at its top).
import { parseSeg, type ParsedSeg } from '../io/dicom/seg/parseSeg';
import { rtKindOf, type RtKind } from '../io/dicom/rt/sniffSopClass';
import { fillSegLayer, segGrid, segLayers } from '../io/dicom/seg/segVolume';
import { parseRtStruct } from '../io/dicom/rt/parseRtStruct';
import { buildStructure, contourVolumeMm3 } from '../io/dicom/rt/structure';
import { fail, ok, type Result } from '../io/errors';
import { nameFromUrl } from '../io/sources';
import { axisCodes } from '../volume/affine';
import { DATA_TYPES } from '../volume/dataTypes';
import type { VolumeHeader } from '../volume/header';
import { NIFTI_INTENT_LABEL } from '../volume/labels';
import { computeStats } from '../volume/stats';
import { addLayerFromDecode, closeLayer, newJobId, takeLoadTurn, type Source } from './actions';
import { pool } from './runtime';
import { setStructureGeometry, useRtStore, type StructureEntry } from './rtStore';
import { useViewerStore, type LayerMeta } from './viewerStore';


/** What each SEG layer shows: the SEG's segments (for the panel), by layer id. */
export interface SegLayerInfo {
  segName: string;
  kind: 'binary' | 'fractional';
  segments: ParsedSeg['segments'];
  /** True when the grid is the SEG's own (the referenced series was not open). */
  ownGrid: boolean;
}
const segLayerInfo = new Map<string, SegLayerInfo>();
export const segInfoOf = (layerId: string): SegLayerInfo | undefined => segLayerInfo.get(layerId);

/** Bytes enough to hold a Part 10 meta header and the first elements (SOP class UID is among them). */
const SNIFF_BYTES = 4096;

const sourceName = (s: Source) => (typeof s === 'string' ? nameFromUrl(s) : typeof File !== 'undefined' && s instanceof File ? s.name : 'object.dcm');

async function headOf(s: Source, signal?: AbortSignal): Promise<Uint8Array | null> {
  if (typeof s !== 'string') return new Uint8Array(await s.slice(0, SNIFF_BYTES).arrayBuffer());
  try {
    const response = await fetch(s, { headers: { Range: `bytes=0-${SNIFF_BYTES - 1}` }, signal });
    if (!response.ok || !response.body) return null;
    // Only the first bytes are read, whether or not the server honoured the range.
    const reader = response.body.getReader();
    const parts: Uint8Array[] = [];
    let got = 0;
    while (got < SNIFF_BYTES) {
      const { value, done } = await reader.read();
      if (done || !value) break;
      parts.push(value);
      got += value.length;
    }
    void reader.cancel();
    const out = new Uint8Array(got);
    parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
    return out;
  } catch {
    return null;
  }
}

/**
 * Splits DICOM sources into SEG/RTSTRUCT objects and the rest (images). Blobs are sniffed by their
 * first bytes; URLs only when few are given (one object opened by URL), by a ranged request, so a
 * series of hundreds of URLs costs no extra requests.
 */
export async function splitRtSources(sources: readonly Source[], signal?: AbortSignal): Promise<{ objects: { source: Source; kind: RtKind }[]; images: Source[] }> {
  const urls = sources.filter((s) => typeof s === 'string').length;
  const kinds = await Promise.all(
    sources.map(async (s) => {
      if (typeof s === 'string' && urls > 4) return null;
      const head = await headOf(s, signal);
      return head ? rtKindOf(head) : null;
    }),
  );
  return { objects: sources.flatMap((source, i) => (kinds[i] ? [{ source, kind: kinds[i] }] : [])), images: sources.filter((_, i) => !kinds[i]) };
}

async function bytesOf(s: Source, signal?: AbortSignal): Promise<Result<Uint8Array>> {
  if (typeof s !== 'string') return ok(new Uint8Array(await s.arrayBuffer()));
  try {
    const response = await fetch(s, { signal });
    if (!response.ok) return fail('fetch-failed', `Fetching ${s} failed: HTTP ${response.status} ${response.statusText}.`);
    return ok(new Uint8Array(await response.arrayBuffer()));
  } catch (e) {
    return fail('fetch-failed', `Could not fetch ${s}: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

export interface RtOpened {
  layers: LayerMeta[];
  structureSets: string[];
}

/**
 * Opens SEG and RTSTRUCT objects (read whole). Errors are notices and the first one is returned;
 * what opened stays open.
 */
export async function openRtObjects(objects: readonly { source: Source; kind?: RtKind }[], opts: { signal?: AbortSignal } = {}): Promise<Result<RtOpened>> {
  const out: RtOpened = { layers: [], structureSets: [] };
  let firstError: Result<RtOpened> | undefined;
  for (const o of objects) {
    const name = sourceName(o.source);
    const bytes = await bytesOf(o.source, opts.signal);
    const opened = bytes.kind === 'error' ? bytes : await openRtBytes(bytes.value, name, o.kind);
    if (opened.kind === 'error') {
      if (opened.code !== 'cancelled') useViewerStore.getState().notify({ kind: 'error', title: `Could not open ${name}`, message: opened.message, code: opened.code });
      firstError ??= opened;
      continue;
    }
    out.layers.push(...opened.value.layers);
    out.structureSets.push(...opened.value.structureSets);
  }
  return out.layers.length || out.structureSets.length || !firstError ? ok(out) : firstError;
}

/** One object's bytes: a SEG (layers) or an RTSTRUCT (a structure set); `kind` when already sniffed. */
export async function openRtBytes(bytes: Uint8Array, name: string, kind: RtKind | null = rtKindOf(bytes)): Promise<Result<RtOpened>> {
  if (kind === 'rtstruct') {
    const set = openStructureSet(bytes, name);
    return set.kind === 'error' ? set : ok({ layers: [], structureSets: [set.value] });
  }
  if (kind === 'seg') {
    const layers = await openSeg(bytes, name);
    return layers.kind === 'error' ? layers : ok({ layers: layers.value, structureSets: [] });
  }
  return fail('unsupported-format', `${name} is neither a DICOM SEG nor an RT Structure Set.`);
}

let nextSet = 1;

function openStructureSet(bytes: Uint8Array, name: string): Result<string> {
  const parsed = parseRtStruct(bytes, name);
  if (parsed.kind === 'error') return parsed;
  const set = parsed.value;
  const id = `rtss${nextSet++}`;
  const structures: StructureEntry[] = set.rois.map((roi) => {
    const sid = `${id}:${roi.number}`;
    const geometry = buildStructure(roi.contours);
    if (geometry) setStructureGeometry(sid, geometry);
    return {
      id: sid,
      setId: id,
      roiNumber: roi.number,
      name: roi.name,
      rgb: roi.rgb,
      interpretedType: roi.interpretedType,
      visible: geometry !== null,
      contourVolumeMm3: geometry?.slabMm !== undefined ? contourVolumeMm3(geometry) : undefined,
      empty: geometry === null,
    };
  });
  useRtStore.getState().addSet({ id, name: set.label ?? name, seriesUid: set.seriesUid, studyUid: set.studyUid, frameOfReferenceUid: set.frameOfReferenceUid, referencedSeriesUid: set.referencedSeriesUid }, structures);
  const referenced = set.referencedSeriesUid && useViewerStore.getState().layers.some((l) => l.dicom?.seriesUid === set.referencedSeriesUid);
  const skipped = set.skipped + structures.filter((s) => s.empty).length;
  useViewerStore.getState().notify({
    kind: 'info',
    title: `${set.label ?? name}: ${structures.length} structure${structures.length === 1 ? '' : 's'}`,
    message: `Drawn in every slice pane in their colours; listed in the Structures panel.${skipped ? ` ${skipped} contour(s) or structure(s) enclose no area (points, open lines) and are not drawn.` : ''}${set.referencedSeriesUid && !referenced ? ' The images they were drawn on are not open.' : ''}`,
  });
  return ok(id);
}

/** Resolves once no load started before job `mine` is running (the series a SEG refers to may be among them). */
function earlierLoadsDone(mine: number): Promise<void> {
  return new Promise((resolve) => {
    let unsubscribe = () => {};
    const check = () => {
      if (useViewerStore.getState().loads.some((l) => l.jobId < mine)) return false;
      unsubscribe();
      resolve();
      return true;
    };
    if (!check()) unsubscribe = useViewerStore.subscribe(check);
  });
}

async function openSeg(bytes: Uint8Array, name: string): Promise<Result<LayerMeta[]>> {
  const parsed = parseSeg(bytes, name);
  if (parsed.kind === 'error') return parsed;
  const seg = parsed.value;
  const jobId = newJobId();
  const s = useViewerStore.getState();
  s.startLoad({ jobId, name: seg.description ?? name, loadedBytes: 0, cancel: () => {} });
  try {
    await earlierLoadsDone(jobId);
    const reference = seg.referencedSeriesUid ? useViewerStore.getState().layers.find((l) => l.dicom?.seriesUid === seg.referencedSeriesUid) : undefined;
    const grid = segGrid(seg, reference ? { dims: reference.dims, affine: reference.affine } : undefined);
    if (grid.kind === 'error') return grid;
    const groups = segLayers(seg, grid.value);
    const [nx, ny, nz] = grid.value.dims;
    const voxels = nx * ny * nz;
    const added: LayerMeta[] = [];
    for (const [n, group] of groups.entries()) {
      const segments = seg.segments.filter((x) => group.includes(x.number));
      const datatype = seg.kind === 'binary' && Math.max(...group) > 255 ? 'uint16' : 'uint8';
      const layerName = seg.kind === 'fractional' ? `${seg.description ?? name}: ${segments[0].label}` : groups.length > 1 ? `${seg.description ?? name} (${n + 1} of ${groups.length})` : (seg.description ?? name);
      const got = pool.acquire(voxels * DATA_TYPES[datatype].bytesPerVoxel, layerName);
      if (got.kind === 'error') {
        added.forEach((l) => closeLayer(l.id));
        return fail(got.code, got.message);
      }
      const memory = got.buffer.value.memory;
      const values = datatype === 'uint16' ? new Uint16Array(memory, 0, voxels) : new Uint8Array(memory, 0, voxels);
      // A pooled buffer may hold an earlier volume's voxels.
      values.fill(0);
      fillSegLayer(seg, grid.value, group, values);
      const header: VolumeHeader = {
        format: 'dicom',
        dims: [nx, ny, nz],
        datatype,
        datatypeCode: seg.bitsAllocated,
        littleEndian: true,
        slope: seg.kind === 'fractional' ? 1 / seg.maxFractional : 1,
        inter: 0,
        affine: grid.value.affine,
        affineSource: 'dicom',
        axcodes: axisCodes(grid.value.affine),
        voxOffset: 0,
        description: layerName,
        intentCode: seg.kind === 'binary' ? NIFTI_INTENT_LABEL : 0,
        spaceUnit: 'mm',
        ...(seg.kind === 'binary'
          ? { labelNames: { source: 'DICOM SEG segments', lookup: { names: new Map(segments.map((x) => [x.number, x.label])), colors: new Map(segments.map((x) => [x.number, x.rgb])) } } }
          : { displayRange: [0, 1] as [number, number] }),
        ...(grid.value.own && reference
          ? { notices: [`The SEG's frames do not fall on the slices of ${reference.name}: it is shown on its own grid (from its functional groups), in the same patient space.`] }
          : {}),
        dicom: { seriesUid: seg.seriesUid, modality: 'SEG', seriesDescription: seg.description, transferSyntax: 'uncompressed', images: seg.frames.length },
      };
      const { layerId, settle } = takeLoadTurn();
      // Its turn is only for an id: it waits for no later load (the layer is added now, after the series it refers to).
      settle();
      const meta = addLayerFromDecode(layerId, layerName, { header, stats: computeStats(values, 1, header.dims), gunzip: 'none', buffer: got.buffer });
      segLayerInfo.set(layerId, { segName: seg.description ?? name, kind: seg.kind, segments, ownGrid: grid.value.own });
      added.push(useViewerStore.getState().layers.find((l) => l.id === layerId) ?? meta);
    }
    return ok(added);
  } finally {
    useViewerStore.getState().endLoad(jobId);
  }
}

/**
 * For the layer-shaped callers (voxlens.load, the DICOM loader): a SEG's first layer; a structure
 * set adds no layer, which is said as an 'unsupported-format' error naming where its structures went.
 */
export function asLayerResult(r: Result<RtOpened>, objects: readonly { source: Source }[]): Result<LayerMeta> {
  if (r.kind === 'error') return r;
  const name = objects.length === 1 ? sourceName(objects[0].source) : `${objects.length} DICOM objects`;
  if (r.value.layers.length) return ok(r.value.layers[0]);
  const count = useRtStore.getState().structures.filter((s) => r.value.structureSets.includes(s.setId)).length;
  return fail('unsupported-format', `${name} is an RT Structure Set: its ${count} structure(s) are listed in the Structures panel and drawn on the slices (voxlens.rt.structures()); it adds no image layer.`);
}
