// Loading a DICOM series: scan every file's header in the worker, group into series (asking the
// user when a drop holds several), build the geometry, take the memory once, and have the worker
// write each plane into its slot. Then the series is a layer like any other.
import { seriesCandidates, buildSeries, middlePlane, type SeriesCandidate } from '../io/dicom/series';
import { looksLikeDicom } from '../io/dicom/tags';
import { fail, ok, type Result } from '../io/errors';
import { nameFromUrl } from '../io/sources';
import type { FileSpec } from '../io/worker/protocol';
import type { Pinned, VoxelBuffer } from '../memory/voxelBuffer';
import { transferSyntaxInfo } from '../io/dicom/pixels';
import { asLayerResult, openRtObjects, splitRtSources } from './rtLoad';
import { seriesMetadata } from '../io/dicomweb/metadata';
import { WADO_ACCEPT } from '../io/dicomweb/qido';
import { slicesWritten } from './sliceWrites';
import { DATA_TYPES, voxelView } from '../volume/dataTypes';
import { frameCount } from '../volume/header';
import { robustWindow, sampleStats } from '../volume/stats';
import { addLayerFromDecode, addShownLayer, beginLoad, closeLayer, heldStats, type LoadTurn, type Source } from './actions';
import { displayLevelNeed, needsDisplayLevel, withDisplayLevel } from './displayLevel';
import { getRecord } from './layerRegistry';
import { dicomClient, pool } from './runtime';
import { useViewerStore, type LayerMeta } from './viewerStore';
import { notePacsSource } from './viewStateSources';

export interface DicomLoadOptions {
  /** Which series (SeriesInstanceUID, or the key `seriesCandidates` gives) when the files hold several. */
  series?: string;
  signal?: AbortSignal;
  /** Ask the user when the files hold several series (the UI's drops); the API refuses instead. */
  askUser?: boolean;
  /** Accept header for URL sources (WADO-RS instances). */
  accept?: string;
  /** The layer's name, instead of the series description. */
  name?: string;
}

const fileSpec = (s: Source): FileSpec =>
  typeof s === 'string'
    ? { kind: 'url', url: typeof location !== 'undefined' ? new URL(s, location.href).href : s, name: nameFromUrl(s) }
    : { kind: 'blob', blob: s, name: typeof File !== 'undefined' && s instanceof File ? s.name : 'image.dcm' };

function pickSeries(candidates: SeriesCandidate[], opts: DicomLoadOptions, jobId: number): Promise<Result<SeriesCandidate | null>> {
  if (opts.series !== undefined) {
    const c = candidates.find((x) => x.key === opts.series || x.seriesUid === opts.series);
    return Promise.resolve(c ? ok(c) : fail('missing-file', `No series "${opts.series}" among the files: ${candidates.map((x) => `${x.key} (${x.description})`).join('; ')}.`));
  }
  if (candidates.length === 1) return Promise.resolve(ok(candidates[0]));
  if (!opts.askUser) {
    return Promise.resolve(fail('several-series', `The files hold ${candidates.length} series; pass { series } with one of: ${candidates.map((x) => `${x.key} (${x.description})`).join('; ')}.`));
  }
  return new Promise((resolve) => {
    useViewerStore.getState().setSeriesChoice({
      options: candidates.map((c) => ({ key: c.key, description: c.description, imageCount: c.imageCount, modality: c.modality })),
      choose: (key) => {
        useViewerStore.getState().setSeriesChoice(null);
        resolve(ok(candidates.find((c) => c.key === key) ?? null));
      },
    });
    // The middle slice of each series, drawn as it is decoded.
    candidates.forEach((c, n) => {
      const middle = middlePlane(c);
      if (!middle) return;
      void dicomClient.thumbnail(jobId, { ...middle, maxSize: 96 }).then((thumbnail) => {
        const choice = useViewerStore.getState().seriesChoice;
        if (!thumbnail || !choice) return;
        useViewerStore.getState().setSeriesChoice({ ...choice, options: choice.options.map((o, i) => (i === n ? { ...o, thumbnail } : o)) });
      });
    });
  });
}

/** How often slices that arrived are sent to the GPU and drawn while a series loads. */
const REDRAW_MS = 250;

export async function loadDicom(given: readonly Source[], opts: DicomLoadOptions = {}): Promise<Result<LayerMeta>> {
  // SEG and RTSTRUCT objects are not image series: state/rtLoad.ts opens them (issue 22); a SEG's
  // layers wait for the images given with it (loads begun before them), which go on here.
  const rt = await splitRtSources(given, opts.signal);
  if (rt.objects.length && !rt.images.length) return asLayerResult(await openRtObjects(rt.objects, opts), rt.objects);
  if (rt.objects.length) void openRtObjects(rt.objects, opts);
  const sources = rt.images;
  const files = sources.map(fileSpec).map((f) => (f.kind === 'url' && opts.accept ? { ...f, accept: opts.accept } : f));
  const label = opts.name ?? (files.length === 1 ? files[0].name : `${files.length} DICOM files`);
  const turn = beginLoad(label, 'images', opts.signal);
  const { jobId, abort, report } = turn;
  // While scanning, progress counts files read; then images written.
  const scan = dicomClient.scan(files, abort.signal, (done, total) => useViewerStore.getState().progressLoad(jobId, done, total));
  try {
    const results = await scan.results;
    if (abort.signal.aborted) return fail('cancelled', `Loading ${label} was cancelled.`);
    const { candidates, skipped } = seriesCandidates(results);
    if (!candidates.length) {
      dicomClient.end(scan.jobId);
      const why = skipped.length ? ` ${skipped.slice(0, 3).map((s) => s.message).join(' ')}` : '';
      // One reason for every file (one file, or a series all cut short): its code, not a generic one.
      const codes = new Set(results.flatMap((r) => (r.kind === 'skipped' ? [r.error.code] : [])));
      const code = codes.size === 1 ? [...codes][0] : 'unknown-format';
      return report(fail(code, `No DICOM image could be read from ${files.length === 1 ? files[0].name : `the ${files.length} files`}.${why}`));
    }
    if (skipped.length) {
      useViewerStore.getState().notify({
        kind: 'info',
        title: `${label}: ${skipped.length} file${skipped.length > 1 ? 's' : ''} skipped`,
        message: `Not DICOM images: ${skipped.slice(0, 5).map((s) => s.name).join(', ')}${skipped.length > 5 ? ` and ${skipped.length - 5} more` : ''}.`,
      });
    }
    // Cancelling the load while the picker is open closes it.
    abort.signal.addEventListener('abort', () => useViewerStore.getState().seriesChoice?.choose(null), { once: true });
    const chosen = await pickSeries(candidates, opts, scan.jobId);
    if (chosen.kind === 'error') {
      dicomClient.end(scan.jobId);
      return report(chosen);
    }
    if (!chosen.value) {
      dicomClient.end(scan.jobId);
      return fail('cancelled', `No series chosen from ${label}.`);
    }
    return await placeSeries(turn, scan.jobId, chosen.value, opts.name);
  } finally {
    useViewerStore.getState().endLoad(jobId);
    turn.settle();
  }
}

/**
 * Opens one series of a DICOMweb server. The geometry comes first, from the series' metadata
 * (WADO-RS, every instance's header as JSON); then each instance is fetched once and decoded
 * straight into its slot, and the volume is drawn while they arrive.
 */
export async function loadDicomWeb(base: string, studyUid: string, seriesUid: string, opts: Omit<DicomLoadOptions, 'series' | 'askUser' | 'accept'> = {}): Promise<Result<LayerMeta>> {
  const label = opts.name ?? `PACS series …${seriesUid.slice(-10)}`;
  const turn = beginLoad(label, 'images', opts.signal);
  try {
    const meta = await seriesMetadata(base, studyUid, seriesUid, turn.abort.signal);
    if (meta.kind === 'error') return meta.code === 'cancelled' ? meta : turn.report(meta);
    const { candidates } = seriesCandidates(meta.value.results);
    // A series that mixes orientations or sizes is split into stacks: the largest is shown.
    const chosen = candidates.filter((c) => c.seriesUid === seriesUid).sort((a, b) => b.imageCount - a.imageCount)[0];
    if (!chosen) {
      const why = meta.value.results.find((r) => r.kind === 'skipped');
      return turn.report(fail(why?.kind === 'skipped' ? why.error.code : 'missing-file', `The server's metadata for series ${seriesUid} describes no image Voxlens can place${why?.kind === 'skipped' ? `: ${why.error.message}` : '.'}`));
    }
    const described = chosen.files[0].meta;
    if (!opts.name && described.seriesDescription) useViewerStore.getState().renameLoad(turn.jobId, `${described.seriesDescription}${described.modality ? ` (${described.modality})` : ''}`);
    const files = meta.value.urls.map((url): FileSpec => ({ kind: 'url', url: new URL(url, location.href).href, name: nameFromUrl(url), accept: WADO_ACCEPT }));
    const infos = meta.value.results.flatMap((r) => (r.kind === 'ok' ? [r.info] : []));
    const job = dicomClient.adopt(files, infos);
    turn.abort.signal.addEventListener('abort', () => dicomClient.end(job), { once: true });
    // A link or session names the series by its server and UIDs (state/viewStateSources.ts).
    const noted = notePacsSource(turn.layerId, base, studyUid, seriesUid);
    let added = false;
    try {
      const placed = await placeSeries(turn, job, chosen, opts.name);
      added = placed.kind === 'ok';
      return placed;
    } finally {
      noted(added);
    }
  } finally {
    useViewerStore.getState().endLoad(turn.jobId);
    turn.settle();
  }
}

/**
 * Builds the series' geometry, takes its memory, and has the worker write every plane into its
 * slot. With shared memory the layer is added as soon as the first slices are in (the middle
 * ones: the worker starts there), drawn with the rest blank, and filled in as they arrive; probes
 * of a slice not yet written say so. A failure or cancel then closes the layer again.
 */
async function placeSeries(turn: LoadTurn, workerJob: number, candidate: SeriesCandidate, givenName: string | undefined): Promise<Result<LayerMeta>> {
  const { jobId, layerId, earlier, abort, label, report } = turn;
  const series = buildSeries(candidate);
  if (series.kind === 'error') {
    dicomClient.end(workerJob);
    return report(series);
  }
  const { header, plan, bytes, monochrome1 } = series.value;
  // MONOCHROME1 (0 is white) is shown inverted by default; the values stay as stored.
  const invertIfMonochrome1 = () => {
    const shown = useViewerStore.getState().layers.find((l) => l.id === layerId);
    if (monochrome1 && shown?.display.colormap === 'gray') useViewerStore.getState().setDisplay(layerId, { colormap: 'gray-inverted' });
  };
  const name = givenName ?? header.dicom?.seriesDescription ?? candidate.files[0].name;
  useViewerStore.getState().progressLoad(jobId, 0, plan.slices.length);
  const [nx, ny, nz] = header.dims;
  const info = DATA_TYPES[header.datatype];
  const pending = new Uint8Array(nz * frameCount(header.dims)).fill(1);
  // Too large for the GPU, or for one buffer (held in z-slabs): drawn once all is in (whole from its slabs where they fit, else from a display level).
  const viaDisplayLevel = needsDisplayLevel(header) || bytes > pool.slabBytes;
  let arrived = 0;
  // Slices in memory not yet sent to the texture: sent (and the panes redrawn) a few times a
  // second, not per slice, so drawing does not take the CPU the decoding needs.
  const unsent: number[] = [];
  let redraw: ReturnType<typeof setTimeout> | undefined;
  const sendSlices = () => {
    redraw = undefined;
    if (stage !== 'shown' || !getRecord(layerId)) return;
    slicesWritten(layerId, unsent.splice(0));
    useViewerStore.getState().patchLayer(layerId, { arriving: { slices: arrived, of: plan.slices.length } });
  };
  let stage: 'waiting' | 'adding' | 'shown' | 'failed' = 'waiting';
  let added: Promise<LayerMeta | null> = Promise.resolve(null);
  const show = (buffer: Pinned<VoxelBuffer>, first: number) => {
    stage = 'adding';
    added = earlier.then(() => {
      if (stage === 'failed') return null;
      // A first window from the first slice in; the whole volume's replaces it when all are in.
      const slice = voxelView(header.datatype, buffer.value.memory, nx * ny, first * nx * ny * info.bytesPerVoxel);
      const meta = addLayerFromDecode(layerId, name, { header, stats: sampleStats(slice, info.channels), gunzip: 'none', buffer: { value: buffer.value, pin: buffer.value.pin('decode', name) } });
      invertIfMonochrome1();
      exact.added();
      const record = getRecord(layerId);
      if (record) record.pending = pending;
      useViewerStore.getState().patchLayer(layerId, { arriving: { slices: arrived, of: plan.slices.length } });
      performance.mark(`voxlens:first-slice:${jobId}`);
      stage = 'shown';
      return meta;
    });
  };
  // Held until the layer is added (the series shown while it arrives is added before they come);
  // not for a layer drawn from a display level: its stats are the display grid's, already exact.
  const exact = heldStats((stats) => {
    if (!getRecord(layerId)?.fullRes) useViewerStore.getState().setStats(layerId, stats);
  });
  // A series drawn from a display level needs its memory too, and room on the GPU: refused before its pixels are read.
  const need = displayLevelNeed(header, name);
  if (need.kind === 'error') {
    dicomClient.end(workerJob);
    return report(need);
  }
  const written = await dicomClient.write(workerJob, plan, bytes, name, {
    signal: abort.signal,
    onProgress: (done, total) => useViewerStore.getState().progressLoad(jobId, done, total),
    onSlots: (slots, buffer) => {
      for (const s of slots) pending[s] = 0;
      arrived += slots.length;
      // A series too large for the GPU is drawn once all is in, from its display level.
      if (stage === 'waiting' && !viaDisplayLevel) show(buffer, slots[0]);
      else if (stage === 'shown') {
        // Closed while it arrives: stop fetching.
        if (!getRecord(layerId)) abort.abort();
        unsent.push(...slots);
        redraw ??= setTimeout(sendSlices, REDRAW_MS);
      }
    },
    onExactStats: exact.receive,
    alsoNeeds: need.value,
  });
  performance.mark(`voxlens:decoded:${jobId}`);
  clearTimeout(redraw);
  if (written.kind === 'error') {
    const wasShown = stage !== 'waiting';
    stage = 'failed';
    if (wasShown && (await added.catch(() => null))) closeLayer(layerId);
    return report(abort.signal.aborted ? fail('cancelled', `Loading ${label} was cancelled.`) : written);
  }
  const { held, slabSlices, stats, transferSyntaxes } = written.value;
  const buffer = held[0];
  const storedIn = transferSyntaxes.map((uid) => transferSyntaxInfo(uid)?.name ?? uid).join(', ');
  const dicom = header.dicom ? { ...header.dicom, transferSyntax: storedIn || header.dicom.transferSyntax } : undefined;
  if (stage === 'waiting') {
    // Memory lent to the worker (no cross-origin isolation), or a series drawn from a display
    // level: the layer comes when all is written.
    const volume = { header: dicom ? { ...header, dicom } : header, stats, gunzip: 'none' as const };
    const shown = await withDisplayLevel(held.length > 1 ? { ...volume, slabs: held, slabSlices } : { ...volume, buffer }, name);
    if (shown.kind === 'error') return report(shown);
    await earlier;
    try {
      const meta = addShownLayer(layerId, name, shown.value);
      invertIfMonochrome1();
      exact.added();
      return ok(useViewerStore.getState().layers.find((l) => l.id === layerId) ?? meta);
    } catch (e) {
      // addLayerFromDecode released its own pin; the decode pin goes too, so the buffer returns to the pool.
      shown.value.display.buffer.pin.release();
      if (useViewerStore.getState().layers.some((l) => l.id === layerId)) closeLayer(layerId);
      return report(fail('internal', `INTERNAL ERROR while adding ${name}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }
  let meta: LayerMeta | null;
  try {
    meta = await added;
  } catch (e) {
    if (useViewerStore.getState().layers.some((l) => l.id === layerId)) closeLayer(layerId);
    buffer.pin.release();
    return report(fail('internal', `INTERNAL ERROR while adding ${name}: ${e instanceof Error ? e.message : String(e)}`));
  }
  // The layer holds its own pin; the worker's is done with.
  buffer.pin.release();
  const record = getRecord(layerId);
  if (!meta || !record) return fail('cancelled', `${name} was closed while it loaded.`);
  record.pending = undefined;
  slicesWritten(layerId, unsent.splice(0));
  const s = useViewerStore.getState();
  const now = s.layers.find((l) => l.id === layerId);
  // The first slice's window, unless the user has changed it, becomes the whole volume's.
  if (now && !header.displayRange && now.display.window === meta.display.window) s.setDisplay(layerId, { window: robustWindow(stats, header.slope, header.inter) });
  if (!s.layers.find((l) => l.id === layerId)?.stats.exact) s.setStats(layerId, stats);
  s.patchLayer(layerId, { arriving: undefined, ...(dicom ? { dicom } : {}) });
  return ok(useViewerStore.getState().layers.find((l) => l.id === layerId) ?? meta);
}

/** True when a source is DICOM: a Blob by its first bytes, a URL by its name (.dcm, .dicom, .ima). */
export async function isDicomSource(s: Source): Promise<boolean> {
  if (typeof s === 'string') {
    return /\.(dcm|dicom|ima)$/i.test(nameFromUrl(s));
  }
  if (typeof File !== 'undefined' && s instanceof File && /\.(dcm|dicom|ima)$/i.test(s.name)) return true;
  return looksLikeDicom(new Uint8Array(await s.slice(0, 132).arrayBuffer()));
}
