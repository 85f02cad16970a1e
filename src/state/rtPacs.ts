// SEG and RTSTRUCT series from a DICOMweb server (issue 22): their instances are fetched whole
// (WADO-RS), read for the series they reference, and opened as from files. The study browser
// offers to open the referenced series first, so a SEG lands on its grid.
import type { DataSet } from 'dicom-parser';
import { parseDataSet } from '../io/dicom/tags';
import { multipartBoundary, multipartParts } from '../io/dicomweb/multipart';
import { getJson, listSeries, WADO_ACCEPT } from '../io/dicomweb/qido';
import { fail, ok, type Result } from '../io/errors';
import { loadDicomWeb } from './dicomLoad';
import { openRtBytes, type RtOpened } from './rtLoad';
import { useViewerStore, type LayerMeta } from './viewerStore';

/** Modalities the study browser opens through this module rather than as image series. */
export const RT_OBJECT_MODALITIES = new Set(['SEG', 'RTSTRUCT']);

export interface PacsObject {
  name: string;
  bytes: Uint8Array;
  /** The image series it refers to (SEG: ReferencedSeriesSequence; RTSTRUCT: ReferencedFrameOfReferenceSequence › … › RTReferencedSeriesSequence). */
  referencedSeriesUid?: string;
}

const sequenceItem = (ds: DataSet | undefined, tag: string) => ds?.elements[tag]?.items?.[0]?.dataSet;

/** The series a SEG or RTSTRUCT refers to, from its header. */
export function referencedSeriesOf(bytes: Uint8Array, name: string): string | undefined {
  const parsed = parseDataSet(bytes, name, true);
  if (parsed.kind === 'error') return undefined;
  const ds = parsed.value;
  const seg = sequenceItem(ds, 'x00081115')?.string('x0020000e');
  const rt = sequenceItem(sequenceItem(sequenceItem(ds, 'x30060010'), 'x30060012'), 'x30060014')?.string('x0020000e');
  return (seg ?? rt)?.replace(/\0/g, '').trim() || undefined;
}

/** Every instance of a series, fetched whole (WADO-RS), with the series each refers to. */
export async function fetchPacsObjects(base: string, studyUid: string, seriesUid: string, signal?: AbortSignal): Promise<Result<PacsObject[]>> {
  const seriesUrl = `${base}/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}`;
  const listed = await getJson(`${seriesUrl}/instances`, signal);
  if (listed.kind === 'error') return listed;
  const sops = listed.value.flatMap((o) => {
    const v = o['00080018']?.Value?.[0];
    return typeof v === 'string' ? [v] : [];
  });
  if (!sops.length) return fail('missing-file', `The server lists no instance in series ${seriesUid}.`);
  const out: PacsObject[] = [];
  for (const sop of sops) {
    const url = `${seriesUrl}/instances/${encodeURIComponent(sop)}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { Accept: WADO_ACCEPT }, signal });
    } catch (e) {
      return fail(signal?.aborted ? 'cancelled' : 'fetch-failed', `Could not fetch ${url}: ${e instanceof Error ? e.message : String(e)}.`);
    }
    if (!response.ok) return fail('fetch-failed', `Fetching ${url} failed: HTTP ${response.status} ${response.statusText}.`);
    let bytes: Uint8Array = new Uint8Array(await response.arrayBuffer());
    const boundary = multipartBoundary(response.headers.get('content-type'));
    if (boundary) {
      const [part] = multipartParts(bytes, boundary);
      if (!part) return fail('truncated', `${url} answered with a multipart body that holds no complete part.`);
      bytes = part;
    }
    const name = `${sop.slice(-12)}.dcm`;
    out.push({ name, bytes, referencedSeriesUid: referencedSeriesOf(bytes, name) });
  }
  return ok(out);
}

/** Opens fetched objects (SEG layers wait for loads begun before them, such as their referenced series). */
export async function openPacsObjects(objects: readonly PacsObject[]): Promise<Result<RtOpened>> {
  const out: RtOpened = { layers: [], structureSets: [] };
  for (const o of objects) {
    const r = await openRtBytes(o.bytes, o.name);
    if (r.kind === 'error') {
      useViewerStore.getState().notify({ kind: 'error', title: `Could not open ${o.name}`, message: r.message, code: r.code });
      return r;
    }
    out.layers.push(...r.value.layers);
    out.structureSets.push(...r.value.structureSets);
  }
  return ok(out);
}

/** Whether a series is open as a layer. */
export const isSeriesOpen = (seriesUid: string | undefined): boolean => seriesUid !== undefined && useViewerStore.getState().layers.some((l) => l.dicom?.seriesUid === seriesUid);

/**
 * Opens a SEG or RTSTRUCT series of the server; with `withReferenced`, the image series it refers
 * to first (when it is not open yet), so the SEG is placed on its grid.
 */
export async function openPacsSeries(base: string, studyUid: string, seriesUid: string, withReferenced: boolean): Promise<Result<RtOpened & { referenced?: string }>> {
  const got = await fetchPacsObjects(base, studyUid, seriesUid);
  if (got.kind === 'error') return got;
  const referenced = got.value.find((o) => o.referencedSeriesUid)?.referencedSeriesUid;
  // Begun before the objects open: a SEG's layers wait for it (loads begun earlier).
  const images = withReferenced && referenced && !isSeriesOpen(referenced) ? loadDicomWeb(base, studyUid, referenced) : undefined;
  const opened = await openPacsObjects(got.value);
  if (images) {
    const r = await images;
    if (r.kind === 'error') return r;
  }
  return opened.kind === 'error' ? opened : ok({ ...opened.value, ...(referenced ? { referenced } : {}) });
}

/** Which path a series of the given modality opens through: SEG and RTSTRUCT as RT objects, anything else (RTDOSE included) as images. */
export const pacsOpenPath = (modality: string | undefined): 'rt' | 'images' => (modality && RT_OBJECT_MODALITIES.has(modality.trim().toUpperCase()) ? 'rt' : 'images');

/**
 * Opens any series of the server by its modality (QIDO-RS): an image series (RTDOSE included) as a
 * layer; a SEG or RTSTRUCT as an RT object, with the series it refers to when that is not open. The
 * layer to show: the image layer, the SEG's first segment layer, or for a structure set the layer
 * of the series it refers to; with the structure sets opened.
 */
export async function openPacsAny(base: string, studyUid: string, seriesUid: string): Promise<Result<{ layer: LayerMeta; structureSets: string[] }>> {
  const listed = await listSeries(base, studyUid);
  if (listed.kind === 'error') return listed;
  const modality = listed.value.find((s) => s.seriesUid === seriesUid)?.modality;
  if (pacsOpenPath(modality) === 'images') {
    const r = await loadDicomWeb(base, studyUid, seriesUid);
    return r.kind === 'error' ? r : ok({ layer: r.value, structureSets: [] });
  }
  const r = await openPacsSeries(base, studyUid, seriesUid, true);
  if (r.kind === 'error') return r;
  const layer = r.value.layers[0] ?? useViewerStore.getState().layers.find((l) => r.value.referenced !== undefined && l.dicom?.seriesUid === r.value.referenced);
  if (!layer) {
    return fail('missing-file', `The ${modality} series ${seriesUid} was opened (${r.value.structureSets.length} structure set${r.value.structureSets.length === 1 ? '' : 's'}), but it names no image series that is open or on the server to draw it on.`);
  }
  return ok({ layer, structureSets: r.value.structureSets });
}
