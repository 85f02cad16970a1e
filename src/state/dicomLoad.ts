// Loading a DICOM series: scan every file's header in the worker, group into series (asking the
// user when a drop holds several), build the geometry, take the memory once, and have the worker
// write each plane into its slot. Then the series is a layer like any other.
import { seriesCandidates, buildSeries, middlePlane, type SeriesCandidate } from '../io/dicom/series';
import { looksLikeDicom } from '../io/dicom/tags';
import { fail, ok, type Result } from '../io/errors';
import { nameFromUrl } from '../io/sources';
import type { FileSpec } from '../io/worker/protocol';
import { addLayerFromDecode, closeLayer, takeLoadTurn, type Source } from './actions';
import { dicomClient } from './runtime';
import { useViewerStore, type LayerMeta } from './viewerStore';

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

export async function loadDicom(sources: readonly Source[], opts: DicomLoadOptions = {}): Promise<Result<LayerMeta>> {
  const files = sources.map(fileSpec).map((f) => (f.kind === 'url' && opts.accept ? { ...f, accept: opts.accept } : f));
  const store = useViewerStore.getState();
  const { earlier, settle, jobId, layerId } = takeLoadTurn();
  const abort = new AbortController();
  opts.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const label = opts.name ?? (files.length === 1 ? files[0].name : `${files.length} DICOM files`);
  store.startLoad({ jobId, name: label, loadedBytes: 0, unit: 'images', cancel: () => abort.abort() });
  performance.mark(`voxlens:load-start:${jobId}`);
  const report = (r: Result<LayerMeta>): Result<LayerMeta> => {
    if (r.kind === 'error' && r.code !== 'cancelled') useViewerStore.getState().notify({ kind: 'error', title: `Could not open ${label}`, message: r.message, code: r.code });
    return r;
  };
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
    const series = buildSeries(chosen.value);
    if (series.kind === 'error') {
      dicomClient.end(scan.jobId);
      return report(series);
    }
    const { header, plan, bytes } = series.value;
    const name = opts.name ?? header.dicom?.seriesDescription ?? chosen.value.files[0].name;
    useViewerStore.getState().progressLoad(jobId, 0, plan.slices.length);
    const written = await dicomClient.write(scan.jobId, plan, bytes, name, {
      signal: abort.signal,
      onProgress: (done, total) => useViewerStore.getState().progressLoad(jobId, done, total),
      onExactStats: (stats) => useViewerStore.getState().setStats(layerId, stats),
    });
    performance.mark(`voxlens:decoded:${jobId}`);
    if (written.kind === 'error') return report(abort.signal.aborted ? fail('cancelled', `Loading ${label} was cancelled.`) : written);
    await earlier;
    try {
      return ok(addLayerFromDecode(layerId, name, { header, stats: written.value.stats, gunzip: 'none', buffer: written.value.buffer }));
    } catch (e) {
      // addLayerFromDecode released its own pin; the decode pin goes too, so the buffer returns to the pool.
      written.value.buffer.pin.release();
      if (useViewerStore.getState().layers.some((l) => l.id === layerId)) closeLayer(layerId);
      return report(fail('internal', `INTERNAL ERROR while adding ${name}: ${e instanceof Error ? e.message : String(e)}`));
    }
  } finally {
    useViewerStore.getState().endLoad(jobId);
    settle();
  }
}

/** True when a source is DICOM: a Blob by its first bytes, a URL by its name (.dcm, .dicom, .ima). */
export async function isDicomSource(s: Source): Promise<boolean> {
  if (typeof s === 'string') {
    return /\.(dcm|dicom|ima)$/i.test(nameFromUrl(s));
  }
  if (typeof File !== 'undefined' && s instanceof File && /\.(dcm|dicom|ima)$/i.test(s.name)) return true;
  return looksLikeDicom(new Uint8Array(await s.slice(0, 132).arrayBuffer()));
}
