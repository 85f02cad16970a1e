// The DICOM figure (npm run bench -- --dicom): a generated CT series (scripts/makeDicomSeries.ts:
// 512×512×300, one Explicit VR Little Endian Part 10 file per slice, 12-bit unsigned stored values
// with RescaleIntercept −1024) served file by file over HTTP by the bench server, against the same
// voxels (uint16, the same scaling and affine) as one .nii.gz. Each load in a fresh browser (the
// single-view axial layout, its pane 512², as the other figures), rounds interleaved and the order
// within a round alternated, so drift in the machine's load touches both alike.
//   load → first frame: voxlens.load([url, …]) (the series) or voxlens.load(url) + frame() +
//   readPixels (harness voxlensLoad).
//   decode: the app's performance marks voxlens:load-start:N → voxlens:decoded:N. For the series:
//   the DICOM worker's header scan (every file fetched, one after another, and its header parsed;
//   a URL's bytes are kept for the next pass), grouping and geometry on the main thread, then the
//   pixel pass (every kept file parsed again and its plane copied into its slot, 12-bit mask) and
//   the sampled statistics; slices per second and MB/s of the files and of the voxels. For the
//   .nii.gz: the fetch streamed through gunzip into voxel memory.
//   Phases of the series load, from the browser's network timing of each .dcm request (the
//   worker's fetches): load-start → first request, first request → last response (the scan),
//   last response → decoded (series building, memory, the pixel pass), decoded → first frame
//   (layer, texture upload, frame).
//   Renderer rise: peak resident memory of the browser's renderer processes (25 ms sampling, as
//   the single-view figures) over the voxel bytes, from just before the load until the first frame;
//   for the series also the rise at the end of the scan and at the decoded mark.
//   Fetch floor, once per round in its own fresh browser: the page fetching the series' files
//   (arrayBuffer, nothing else) one after another and 8 at a time, and the .nii.gz whole: what
//   moving the bytes over HTTP costs before any parsing.
//   Worker steps replayed in Node: the same src functions the DICOM worker calls (header parse,
//   full parse, frame copy, the BitsStored mask, sampled statistics) over the same files read
//   from disk, in this process's V8: what the CPU work costs without the browser.
// Each run also checks what was read: dims, datatype, scaling, the affine and a few voxels' raw
// values against the generator's; a mismatch is kept with the run and reported.
// JPEG-LS: a row (no target) is added when src/io/dicom/pixels/transferSyntaxes.ts marks
// 1.2.840.10008.1.2.4.80 supported and dcmcjpls (dcmtk) is installed: the series' files re-encoded
// by dcmcjpls (lossless), cached beside them; otherwise it is skipped, and the figure says why.
import type { Browser, Page, Request } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ctSeries, ctSeriesNiftiGz, writeCtSeries } from '../../scripts/makeDicomSeries';
import { transferSyntaxInfo } from '../../src/io/dicom/pixels';
import { log, launch, mergeResultSection, newPage, openVoxlensPanes, rendererOf, resultSection, voxlensLoad } from '../harness';
import { sampleRss, processTree, zeroKinds, type KindBytes, type ProcessKind } from '../procMemory';
import { hasOrthanc, ORTHANC_SKIP, startOrthanc, type Orthanc } from '../../e2e/orthanc';
import { runFigure } from '../figure';
import { dataDir, included, runs, smoke } from '../options';
import { fmt, fmtRatio, ratio, summarize, table, type Summary } from '../stats';

/** The targets: the uncompressed series' load → first frame within this many times the .nii.gz's; renderer rise at most this many times the voxel bytes. */
export const DICOM_LOAD_TARGET = 1.5;
export const DICOM_MEMORY_TARGET = 2.5;
const VIEW = 512;
const VIEWPORT = { width: 960, height: 640 };
const JPEG_LS_LOSSLESS = '1.2.840.10008.1.2.4.80';
/** Bump when the generator's output changes: a series on disk from another version is written again. */
const GENERATOR_VERSION = 1;

export type DicomCellKind = 'dicom' | 'nii.gz' | 'dicom-jpegls' | 'orthanc' | 'dicom-files' | 'nii.gz-file';

/** Cells opened from local files (the Open… file input), compared with the .nii.gz opened the same way. */
const fromFiles = (k: DicomCellKind) => k === 'dicom-files' || k === 'nii.gz-file';
/** The .nii.gz cell a cell's load time is compared with. */
const niiFor = (k: DicomCellKind): DicomCellKind => (fromFiles(k) ? 'nii.gz-file' : 'nii.gz');

export interface BenchDicomVolume {
  name: string;
  dims: [number, number, number];
  voxelBytes: number;
  /** Voxel → RAS mm, 4×4 row-major (as voxlens.layers()[n].affine). */
  affine: number[][];
  slope: number;
  inter: number;
  datatype: string;
  cells: { kind: DicomCellKind; note: string; dir: string; files: string[]; bytes: number }[];
  checks: { ijk: [number, number, number]; raw: number }[];
  skipped: string[];
}

interface SeriesManifest {
  version: number;
  dims: number[];
  files: string[];
  bytes: number;
  affine: number[][];
  slope: number;
  inter: number;
  checks: { ijk: [number, number, number]; raw: number }[];
}

const manifestName = 'series.json';

function readManifest(dir: string, dims: number[]): SeriesManifest | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, manifestName), 'utf8')) as SeriesManifest;
    if (m.version !== GENERATOR_VERSION || m.dims.join('x') !== dims.join('x')) return null;
    if (!m.files.every((f) => existsSync(join(dir, f)))) return null;
    return m;
  } catch {
    return null;
  }
}

/** dcmcjpls's path, or null when dcmtk is not installed. */
function dcmcjpls(): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, 'dcmcjpls');
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/**
 * The series and the .nii.gz (written into `dataDir` when not there yet, reused while present),
 * and, when Voxlens decodes JPEG-LS and dcmcjpls is installed, the series re-encoded as JPEG-LS lossless.
 */
export function benchDicomVolume(dataDir: string, opts: { smoke?: boolean } = {}): BenchDicomVolume {
  const dims: [number, number, number] = opts.smoke ? [64, 64, 16] : [512, 512, 300];
  const stem = `${opts.smoke ? 'smoke_' : ''}dicom_ct_${dims.join('x')}`;
  const dir = join(dataDir, stem);
  const niiFile = join(dataDir, `${stem}.nii.gz`);
  let manifest = readManifest(dir, dims);
  if (!manifest || !existsSync(niiFile)) {
    const t0 = Date.now();
    rmSync(dir, { recursive: true, force: true });
    const series = ctSeries({ dims });
    const { files, bytes } = writeCtSeries(dir, series);
    writeFileSync(niiFile, ctSeriesNiftiGz(series));
    const [nx, ny, nz] = dims;
    const points: [number, number, number][] = [
      [nx / 2, ny / 2, nz / 2],
      [nx / 2 - nx / 8, ny / 2 + ny / 16, nz / 2 + nz / 4],
      [nx / 4, ny / 3, nz / 2 - 3],
      [1, 2, 3],
      [nx - 1, ny - 2, nz - 3],
      [nx / 2 + 5, ny / 2 - 7, 0],
      [nx / 2, ny / 2 + 3, nz - 1],
    ].map((p) => p.map(Math.floor) as [number, number, number]);
    const checks = points.map((ijk) => ({ ijk, raw: series.voxels[(ijk[2] * ny + ijk[1]) * nx + ijk[0]] }));
    manifest = { version: GENERATOR_VERSION, dims, files: files.map((f) => basename(f)), bytes, affine: series.affine, slope: series.slope, inter: series.intercept, checks };
    writeFileSync(join(dir, manifestName), JSON.stringify(manifest, null, 1));
    log(`  generated ${stem}/ (${files.length} files, ${(bytes / 1e6).toFixed(1)} MB) and ${basename(niiFile)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const cells: BenchDicomVolume['cells'] = [
    { kind: 'dicom', note: 'one Part 10 file per slice, Explicit VR Little Endian, uncompressed', dir: stem, files: manifest.files, bytes: manifest.bytes },
    { kind: 'nii.gz', note: 'NIfTI-1 uint16, scl_inter −1024, the series\' affine as sform, fflate gzip level 6', dir: '', files: [basename(niiFile)], bytes: statSync(niiFile).size },
    { kind: 'dicom-files', note: 'the uncompressed series opened as local files (Open…, 300 Files)', dir: stem, files: manifest.files, bytes: manifest.bytes },
    { kind: 'nii.gz-file', note: 'the .nii.gz opened as a local file (Open…)', dir: '', files: [basename(niiFile)], bytes: statSync(niiFile).size },
  ];
  const skipped: string[] = [];
  const jls = jpegLsCell(dataDir, dir, stem, manifest);
  if (typeof jls === 'string') skipped.push(jls);
  else cells.push(jls);
  return {
    name: `${opts.smoke ? 'smoke ' : ''}CT ${dims.join('×')} uint16 (12 bits stored)`,
    dims,
    voxelBytes: dims[0] * dims[1] * dims[2] * 2,
    affine: manifest.affine,
    slope: manifest.slope,
    inter: manifest.inter,
    datatype: 'uint16',
    cells,
    checks: manifest.checks,
    skipped,
  };
}

/** The JPEG-LS lossless copy of the series (dcmcjpls, one file at a time), or why there is none. */
function jpegLsCell(dataDir: string, dir: string, stem: string, manifest: SeriesManifest): BenchDicomVolume['cells'][number] | string {
  if (!transferSyntaxInfo(JPEG_LS_LOSSLESS)?.supported) return `JPEG-LS lossless (${JPEG_LS_LOSSLESS}): Voxlens does not decode it yet (transferSyntaxes.ts marks it unsupported)`;
  const tool = dcmcjpls();
  if (!tool) return 'JPEG-LS lossless: dcmcjpls (dcmtk) is not installed';
  const jlsStem = `${stem}_jpegls`;
  const out = join(dataDir, jlsStem);
  const stamp = join(out, manifestName);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== readFileSync(join(dir, manifestName), 'utf8')) {
    const t0 = Date.now();
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    // +el: lossless (the 12-bit stored values coded at their precision).
    for (const f of manifest.files) execFileSync(tool, ['+el', join(dir, f), join(out, f)], { stdio: 'pipe' });
    writeFileSync(stamp, readFileSync(join(dir, manifestName)));
    log(`  encoded ${jlsStem}/ with dcmcjpls in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const files = readdirSync(out).filter((f) => f.endsWith('.dcm')).sort();
  return { kind: 'dicom-jpegls', note: 'the same files re-encoded by dcmcjpls +el (JPEG-LS lossless)', dir: jlsStem, files, bytes: files.reduce((n, f) => n + statSync(join(out, f)).size, 0) };
}

/** A load's phases (ms), from the performance marks and the .dcm requests' network timing. */
export interface DicomPhases {
  /** load-start → the first .dcm request (the DICOM worker started, the scan sent). */
  toFirstRequestMs: number;
  /** First .dcm request start → last response end: the header scan (fetch + header parse, one file after another). */
  scanMs: number;
  /** The requests' own time (start → response end), summed: the share of the scan spent waiting on the network. */
  requestSumMs: number;
  /** Last response end → decoded: grouping, geometry, memory, the pixel pass, sampled statistics. */
  afterScanMs: number;
  requests: number;
}

export interface DicomRun {
  loadMs: number;
  /** load-start → decoded mark, ms; null when the marks were not found. */
  decodeMs: number | null;
  /** decoded mark → first frame (layer, texture upload, frame), ms. */
  afterDecodeMs: number | null;
  /** load-start → the series' layer shown with its first slices in (voxlens:first-slice), ms; null for a single file. */
  firstSliceMs?: number | null;
  rise: { renderer: number; gpu: number; other: number; total: number };
  phases?: DicomPhases;
  /**
   * The renderer's rise over the voxel bytes at the end of the scan (the last .dcm response: every
   * file's bytes kept by then) and at the decoded mark; when the peak came (ms after load-start;
   * decodedAfterStartMs: the decoded mark's).
   */
  memory?: { atScanEnd?: number | null; atDecoded: number | null; peakAfterStartMs: number; decodedAfterStartMs?: number };
  mismatch?: string;
  error?: string;
}

export interface DicomCell {
  kind: DicomCellKind;
  note: string;
  files: number;
  fileBytes: number;
  runs: DicomRun[];
  summary: Record<string, Summary | null>;
}

/** Node replay of the DICOM worker's CPU steps over the same files (ms per step, whole series). */
export interface DicomReplay {
  files: number;
  readMs: number;
  headerParseMs: number;
  fullParseMs: number;
  /** decodeFrame with BitsStored taken as 16 (nothing to mask) into a fresh buffer: the copy and the first touch of the memory. */
  frameCopyMs: number;
  /** applyBitsStored over every slot: the 12-bit mask decodeFrame applies after the copy. */
  maskMs: number;
  statsMs: number;
}

export interface DicomResult {
  date: string;
  volume: string;
  dims: number[];
  voxelBytes: number;
  runsPerCell: number;
  /** 'browser': every run in a fresh browser; 'page' (the smoke run): a fresh page of one browser per round. */
  fresh: 'browser' | 'page';
  viewPx: number;
  cpus: number;
  loadAvg1m: [number, number];
  browser: string;
  renderer: string;
  targets: { load: number; memory: number };
  cells: DicomCell[];
  replay?: DicomReplay;
  /** The fetch floor, one per round (in its own fresh browser or page). */
  floor?: { lanes: number; runs: FetchFloorRun[]; summary: Record<string, Summary | null> };
  skipped: string[];
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim()) ?? String(e);
const values = (list: (number | null | undefined)[]) => list.filter((x): x is number => x !== null && x !== undefined && Number.isFinite(x));
const perSecond = (amount: number, ms: number | null) => (ms && ms > 0 ? amount / (ms / 1000) : null);

function differences(volume: BenchDicomVolume, got: { dims: number[]; datatype: string; slope: number; inter: number; affine: number[][]; values: (number | number[])[] }): string | undefined {
  const out: string[] = [];
  if (got.dims.join('×') !== volume.dims.join('×')) out.push(`dims ${got.dims.join('×')}, not ${volume.dims.join('×')}`);
  if (got.datatype !== volume.datatype) out.push(`datatype ${got.datatype}, not ${volume.datatype}`);
  if (got.slope !== volume.slope || got.inter !== volume.inter) out.push(`scaling ${got.slope}× + ${got.inter}, not ${volume.slope}× + ${volume.inter}`);
  const worst = Math.max(...volume.affine.flatMap((row, r) => row.map((x, c) => Math.abs(x - (got.affine[r]?.[c] ?? NaN)))));
  if (!(worst < 1e-3)) out.push(`affine ${JSON.stringify(got.affine)}, not ${JSON.stringify(volume.affine)}`);
  volume.checks.forEach((c, n) => {
    if (got.values[n] !== c.raw) out.push(`voxel [${c.ijk.join(', ')}] ${JSON.stringify(got.values[n])}, not ${c.raw}`);
  });
  return out.length ? out.join('; ') : undefined;
}

const seen = { renderer: '', browser: '' };

/**
 * As procMemory's startSampler (every `intervalMs`, the process list refreshed every 10 samples,
 * each kind's own peak), also keeping the renderer processes' bytes over time (epoch ms), so the
 * rise can be read at a phase's end.
 */
function startTimeline(root: number, intervalMs = 25) {
  let pids = processTree(root);
  let n = 0;
  const peak = zeroKinds();
  const renderer: { t: number; bytes: number }[] = [];
  const tick = () => {
    if (++n % 10 === 0) pids = processTree(root);
    const s = sampleRss(pids);
    renderer.push({ t: performance.timeOrigin + performance.now(), bytes: s.renderer });
    for (const k of Object.keys(peak) as ProcessKind[]) peak[k] = Math.max(peak[k], s[k]);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { peak, renderer };
    },
  };
}

/** One load of `urls` (one URL: a single file; several: a series) in `page`, with memory sampled over the browser's process tree. */
/** Opens the PACS's one series (voxlens.pacs.open) and waits for a frame: ms from the open to the pixels, the search not counted. */
function pacsOpen(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const [study] = await window.voxlens.pacs.search({});
    const [series] = await window.voxlens.pacs.series(study.studyUid);
    const t0 = performance.now();
    await window.voxlens.pacs.open(study.studyUid, series.seriesUid);
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now() - t0;
  });
}

/**
 * Opens local files through the Open… input, as a user picking them does: ms from the input's
 * change event (files handed over) until every slice is in and a frame is drawn.
 */
async function filesOpen(page: Page, paths: string[]): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { picked: number };
    w.picked = 0;
    window.addEventListener('change', () => (w.picked = performance.now()), { capture: true, once: true });
  });
  await page.getByTestId('file-input').setInputFiles(paths);
  await page.waitForFunction(() => window.voxlens.layers().length === 1 && !window.voxlens.layers()[0].arriving, undefined, { timeout: 120_000, polling: 'raf' });
  return page.evaluate(async () => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now() - (window as unknown as { picked: number }).picked;
  });
}

type Opening = { kind: 'urls'; urls: string[] } | { kind: 'pacs' } | { kind: 'files'; paths: string[] };

async function oneRun(page: Page, rootPid: number, base: string, opening: Opening, volume: BenchDicomVolume): Promise<DicomRun> {
  const urls = opening.kind === 'urls' ? opening.urls : [];
  await openVoxlensPanes(page, base, 'axial', [VIEW, VIEW], 'view-axial');
  // The .dcm requests (the DICOM worker's fetches), with their network timing.
  const requests: { start: number; end: number }[] = [];
  const onFinished = (req: Request) => {
    if (!/\.dcm$/.test(new URL(req.url()).pathname)) return;
    const t = req.timing();
    if (t.startTime > 0 && t.responseEnd >= 0) requests.push({ start: t.startTime, end: t.startTime + t.responseEnd });
  };
  page.on('requestfinished', onFinished);
  const baseline = sampleRss(processTree(rootPid));
  const sampler = startTimeline(rootPid, 25);
  let loadMs: number;
  let sampled: ReturnType<ReturnType<typeof startTimeline>['stop']>;
  try {
    loadMs = opening.kind === 'pacs' ? await pacsOpen(page) : opening.kind === 'files' ? await filesOpen(page, opening.paths) : await voxlensLoad(page, urls.length === 1 ? urls[0] : urls);
  } finally {
    sampled = sampler.stop();
  }
  const peak: KindBytes = sampled.peak;
  // requestfinished can trail the load's end by a little: give the last events a moment.
  await page.waitForTimeout(50);
  page.off('requestfinished', onFinished);
  const riseOf = (k: keyof KindBytes) => Math.max(0, peak[k] - baseline[k]) / volume.voxelBytes;
  const got = await page.evaluate((points) => {
    const marks = performance.getEntriesByType('mark');
    const start = marks.filter((m) => m.name.startsWith('voxlens:load-start:')).pop();
    const job = start?.name.slice('voxlens:load-start:'.length);
    const end = marks.find((m) => m.name === `voxlens:decoded:${job}`);
    const shown = marks.find((m) => m.name === `voxlens:first-slice:${job}`);
    const v = window.voxlens;
    const layer = v.layers()[0];
    return {
      origin: performance.timeOrigin,
      start: start?.startTime ?? null,
      end: end?.startTime ?? null,
      shown: shown?.startTime ?? null,
      dims: layer.dims,
      datatype: layer.datatype,
      slope: layer.slope,
      inter: layer.inter,
      affine: layer.affine,
      values: points.map((ijk) => v.probe({ ijk }, layer.id)[0].raw),
    };
  }, volume.checks.map((c) => c.ijk));
  const decodeMs = got.start !== null && got.end !== null ? got.end - got.start : null;
  const run: DicomRun = {
    loadMs,
    decodeMs,
    afterDecodeMs: decodeMs !== null ? loadMs - decodeMs : null,
    firstSliceMs: got.start !== null && got.shown !== null ? got.shown - got.start : null,
    rise: { renderer: riseOf('renderer'), gpu: riseOf('gpu-process'), other: riseOf('other') + riseOf('browser'), total: 0 },
    mismatch: differences(volume, got),
  };
  run.rise.total = run.rise.renderer + run.rise.gpu + run.rise.other;
  // The renderer's rise at a moment (the last sample at or before it), over the voxel bytes.
  const riseAt = (t: number) => {
    const before = sampled.renderer.filter((x) => x.t <= t);
    return before.length ? Math.max(0, before[before.length - 1].bytes - baseline.renderer) / volume.voxelBytes : null;
  };
  const top = sampled.renderer.reduce((a, x) => (x.bytes > a.bytes ? x : a), sampled.renderer[0]);
  if (got.start !== null && got.end !== null) {
    const startAbs = got.origin + got.start, endAbs = got.origin + got.end;
    run.memory = { atDecoded: riseAt(endAbs), peakAfterStartMs: top.t - startAbs };
    if (urls.length > 1 && requests.length) {
      const first = Math.min(...requests.map((r) => r.start)), last = Math.max(...requests.map((r) => r.end));
      run.phases = {
        toFirstRequestMs: first - startAbs,
        scanMs: last - first,
        requestSumMs: requests.reduce((a, r) => a + (r.end - r.start), 0),
        afterScanMs: endAbs - last,
        requests: requests.length,
      };
      run.memory.atScanEnd = riseAt(last);
    }
    run.memory.decodedAfterStartMs = endAbs - startAbs;
  }
  return run;
}

/** The fetch floor: fetching the bytes and nothing else (no worker, no parsing), in the page. */
export interface FetchFloorRun {
  /** Every series file, fetch + arrayBuffer, one after another (as the DICOM worker's scan does). */
  sequentialMs: number;
  /** The same, FLOOR_LANES requests in flight. */
  parallelMs: number;
  /** The .nii.gz, fetch + arrayBuffer (no gunzip). */
  niiGzMs: number;
  error?: string;
}
const FLOOR_LANES = 8;

async function fetchFloor(page: Page, base: string, seriesUrls: string[], niiUrl: string): Promise<FetchFloorRun> {
  await page.goto(`${base}/?empty`);
  await page.waitForTimeout(500);
  return page.evaluate(
    async ({ urls, nii, lanes }) => {
      const get = async (u: string) => {
        const r = await fetch(u);
        if (!r.ok) throw new Error(`${u}: HTTP ${r.status}`);
        return (await r.arrayBuffer()).byteLength;
      };
      let t = performance.now();
      for (const u of urls) await get(u);
      const sequentialMs = performance.now() - t;
      t = performance.now();
      let next = 0;
      const lane = async () => {
        while (next < urls.length) await get(urls[next++]);
      };
      await Promise.all(Array.from({ length: lanes }, lane));
      const parallelMs = performance.now() - t;
      t = performance.now();
      await get(nii);
      return { sequentialMs, parallelMs, niiGzMs: performance.now() - t };
    },
    { urls: seriesUrls, nii: niiUrl, lanes: FLOOR_LANES },
  );
}

/** `body` in a fresh browser, or with `shared`, in a fresh page of that browser. */
async function inPage<R>(shared: { browser: Browser; rootPid: number } | undefined, body: (page: Page, rootPid: number) => Promise<R>): Promise<R> {
  const note = async (page: Page, browser: Browser) => {
    if (seen.renderer) return;
    seen.browser = browser.version();
    seen.renderer = await rendererOf(page);
  };
  if (shared) {
    const page = await newPage(shared.browser, VIEWPORT);
    try {
      const r = await body(page, shared.rootPid);
      await note(page, shared.browser);
      return r;
    } finally {
      await page.close();
    }
  }
  const { page, browser, rootPid, close } = await launch(VIEWPORT);
  try {
    const r = await body(page, rootPid);
    await note(page, browser);
    return r;
  } finally {
    await close();
  }
}

const ms0 = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(0)} ms`);

function describe(r: DicomRun): string {
  const p = r.phases;
  return (
    `load → first frame ${r.loadMs.toFixed(0)} ms, decode ${ms0(r.decodeMs)}, renderer rise ${r.rise.renderer.toFixed(2)}×, gpu ${r.rise.gpu.toFixed(2)}×` +
    (p ? ` (to first request ${p.toFirstRequestMs.toFixed(0)} ms, scan ${p.scanMs.toFixed(0)} ms over ${p.requests} requests [their own time ${p.requestSumMs.toFixed(0)} ms], after the scan ${p.afterScanMs.toFixed(0)} ms)` : '')
  );
}

/**
 * Replays the DICOM worker's CPU steps in Node over the files of `dir` (read from disk first, so
 * no I/O is timed): header parse (parseDataSet up to Pixel Data + fileInfo), full parse
 * (parseDataSet of the whole file), frame copy (framePixels + decodeFrame into one fresh buffer,
 * BitsStored taken as BitsAllocated), the BitsStored mask (applyBitsStored over every slot, which
 * decodeFrame does after its copy), sampled statistics (sampleStats over the volume).
 */
export async function replayWorker(dir: string, files: string[], dims: number[]): Promise<DicomReplay> {
  const { parseDataSet, fileInfo, framePixels } = await import('../../src/io/dicom/tags');
  const { applyBitsStored, decodeFrame } = await import('../../src/io/dicom/pixels');
  const { sampleStats } = await import('../../src/volume/stats');
  let t = performance.now();
  const bytes = files.map((f) => new Uint8Array(readFileSync(join(dir, f))));
  const readMs = performance.now() - t;
  const lap = () => {
    const now = performance.now();
    const d = now - t;
    t = now;
    return d;
  };
  lap();
  const infos = bytes.map((b, i) => {
    const ds = parseDataSet(b, files[i], true);
    if (ds.kind === 'error') throw new Error(ds.message);
    const info = fileInfo(ds.value, i, files[i]);
    if (info.kind === 'error') throw new Error(info.message);
    return info.value;
  });
  const headerParseMs = lap();
  const sets = bytes.map((b, i) => {
    const ds = parseDataSet(b, files[i], false);
    if (ds.kind === 'error') throw new Error(ds.message);
    return ds.value;
  });
  const fullParseMs = lap();
  const [nx, ny] = dims;
  const slot = nx * ny * 2;
  const target = new Uint8Array(new SharedArrayBuffer(slot * files.length));
  sets.forEach((ds, i) => {
    const src = framePixels(ds, infos[i], 0);
    if (src.kind === 'error') throw new Error(src.message);
    const whole = { ...infos[i].pixel, bitsStored: infos[i].pixel.bitsAllocated, highBit: infos[i].pixel.bitsAllocated - 1 };
    const r = decodeFrame(infos[i].transferSyntax, src.value, target.subarray(i * slot, (i + 1) * slot), whole);
    if (r.kind === 'error') throw new Error(r.message);
  });
  const frameCopyMs = lap();
  infos.forEach((info, i) => applyBitsStored(target.subarray(i * slot, (i + 1) * slot), info.pixel));
  const maskMs = lap();
  sampleStats(new Uint16Array(target.buffer), 1);
  const statsMs = lap();
  return { files: files.length, readMs, headerParseMs, fullParseMs, frameCopyMs, maskMs, statsMs };
}

/**
 * Every cell of `volume`, `runs` rounds (the order within a round alternated), each run in a
 * fresh browser (with `fresh: 'page'`, a fresh page of one browser per round: cheaper, for the
 * smoke run); files served at `${base}/data/`.
 */
export async function measureDicom(base: string, dataDir: string, volume: BenchDicomVolume, runs: number, fresh: 'browser' | 'page' = 'browser'): Promise<DicomResult> {
  const os = await import('node:os');
  const loadStart = os.loadavg()[0];
  const began = Date.now();
  const byKind = new Map<DicomCellKind, DicomRun[]>(volume.cells.map((c) => [c.kind, []]));
  const floorRuns: FetchFloorRun[] = [];
  const urlsOf = (c: BenchDicomVolume['cells'][number]) => c.files.map((f) => `${base}/data/${c.dir ? `${c.dir}/` : ''}${f}`);
  for (let r = 0; r < runs; r++) {
    const order = r % 2 ? [...volume.cells].reverse() : volume.cells;
    let shared: Awaited<ReturnType<typeof launch>> | undefined;
    if (fresh === 'page') shared = await launch(VIEWPORT);
    try {
      for (const c of order) {
        const opening: Opening = c.kind === 'orthanc' ? { kind: 'pacs' } : fromFiles(c.kind) ? { kind: 'files', paths: c.files.map((f) => join(dataDir, c.dir, f)) } : { kind: 'urls', urls: urlsOf(c) };
        let run: DicomRun;
        try {
          run = await inPage(shared, (page, rootPid) => oneRun(page, rootPid, base, opening, volume));
          log(`  ${c.kind} run ${r + 1}: ${describe(run)}${run.mismatch ? `, MISMATCH: ${run.mismatch}` : ''}`);
        } catch (e) {
          run = { loadMs: NaN, decodeMs: null, afterDecodeMs: null, rise: { renderer: NaN, gpu: NaN, other: NaN, total: NaN }, error: firstLine(e) };
          log(`  ${c.kind} run ${r + 1}: FAILED ${run.error}`);
        }
        byKind.get(c.kind)!.push(run);
      }
      const series = volume.cells.find((c) => c.kind === 'dicom')!, nii = volume.cells.find((c) => c.kind === 'nii.gz')!;
      try {
        const f = await inPage(shared, (page) => fetchFloor(page, base, urlsOf(series), urlsOf(nii)[0]));
        log(`  fetch floor run ${r + 1}: ${series.files.length} files one after another ${f.sequentialMs.toFixed(0)} ms, ${FLOOR_LANES} at a time ${f.parallelMs.toFixed(0)} ms; the .nii.gz ${f.niiGzMs.toFixed(0)} ms`);
        floorRuns.push(f);
      } catch (e) {
        log(`  fetch floor run ${r + 1}: FAILED ${firstLine(e)}`);
        floorRuns.push({ sequentialMs: NaN, parallelMs: NaN, niiGzMs: NaN, error: firstLine(e) });
      }
    } finally {
      await shared?.close();
    }
  }
  const cells = volume.cells.map((c): DicomCell => {
    const list = byKind.get(c.kind)!;
    const phase = (k: keyof DicomPhases) => summarize(values(list.map((r) => r.phases?.[k])));
    return {
      kind: c.kind,
      note: c.note,
      files: c.files.length,
      fileBytes: c.bytes,
      runs: list,
      summary: {
        loadMs: summarize(list.map((r) => r.loadMs)),
        decodeMs: summarize(values(list.map((r) => r.decodeMs))),
        afterDecodeMs: summarize(values(list.map((r) => r.afterDecodeMs))),
        firstSliceMs: summarize(values(list.map((r) => r.firstSliceMs))),
        slicesPerS: summarize(values(list.map((r) => perSecond(volume.dims[2], r.decodeMs)))),
        fileMBps: summarize(values(list.map((r) => perSecond(c.bytes / 1e6, r.decodeMs)))),
        voxelMBps: summarize(values(list.map((r) => perSecond(volume.voxelBytes / 1e6, r.decodeMs)))),
        renderer: summarize(list.map((r) => r.rise.renderer)),
        gpu: summarize(list.map((r) => r.rise.gpu)),
        total: summarize(list.map((r) => r.rise.total)),
        memoryAtScanEnd: summarize(values(list.map((r) => r.memory?.atScanEnd))),
        memoryAtDecoded: summarize(values(list.map((r) => r.memory?.atDecoded))),
        peakAfterStartMs: summarize(values(list.map((r) => r.memory?.peakAfterStartMs))),
        toFirstRequestMs: phase('toFirstRequestMs'),
        scanMs: phase('scanMs'),
        requestSumMs: phase('requestSumMs'),
        afterScanMs: phase('afterScanMs'),
      },
    };
  });
  // Per round (the cells ran back to back in it): load → first frame over the same round's .nii.gz.
  for (const c of cells) {
    const nii = byKind.get(niiFor(c.kind)) ?? [];
    c.summary.perNiiGz = summarize(values(c.runs.map((r, k) => (nii[k] && nii[k].loadMs > 0 ? r.loadMs / nii[k].loadMs : null))));
  }
  let replay: DicomReplay | undefined;
  const series = volume.cells.find((c) => c.kind === 'dicom')!;
  try {
    replay = await replayWorker(join(dataDir, series.dir), series.files, volume.dims);
    log(`  worker steps replayed in Node: read ${replay.readMs.toFixed(0)} ms (not in the worker), header parse ${replay.headerParseMs.toFixed(0)} ms, full parse ${replay.fullParseMs.toFixed(0)} ms, frame copy ${replay.frameCopyMs.toFixed(0)} ms, 12-bit mask ${replay.maskMs.toFixed(0)} ms, sampled stats ${replay.statsMs.toFixed(0)} ms`);
  } catch (e) {
    log(`  worker replay FAILED: ${firstLine(e)}`);
  }
  log(`  (the DICOM figure took ${((Date.now() - began) / 1000).toFixed(1)} s)`);
  return {
    date: new Date().toISOString(),
    volume: volume.name,
    dims: volume.dims,
    voxelBytes: volume.voxelBytes,
    runsPerCell: runs,
    fresh,
    viewPx: VIEW,
    cpus: os.cpus().length,
    loadAvg1m: [loadStart, os.loadavg()[0]],
    browser: seen.browser,
    renderer: seen.renderer,
    targets: { load: DICOM_LOAD_TARGET, memory: DICOM_MEMORY_TARGET },
    cells,
    replay,
    floor: {
      lanes: FLOOR_LANES,
      runs: floorRuns,
      summary: {
        sequentialMs: summarize(floorRuns.map((f) => f.sequentialMs)),
        parallelMs: summarize(floorRuns.map((f) => f.parallelMs)),
        niiGzMs: summarize(floorRuns.map((f) => f.niiGzMs)),
      },
    },
    skipped: volume.skipped,
  };
}

const LABELS: Record<DicomCellKind, string> = {
  dicom: 'DICOM series',
  'nii.gz': '.nii.gz',
  'dicom-jpegls': 'DICOM JPEG-LS',
  orthanc: 'Orthanc (PACS)',
  'dicom-files': 'DICOM series (files)',
  'nii.gz-file': '.nii.gz (file)',
};

/** The DICOM figure as text: a legend, one row per cell, the phases, the targets and any failure or mismatch. */
export function dicomReport(d: DicomResult): string {
  const mb = (b: number) => (b / 1e6).toFixed(2);
  const nii = d.cells.find((c) => c.kind === 'nii.gz');
  const rows = d.cells.map((c) => {
    const v = c.summary;
    return [
      LABELS[c.kind],
      String(c.files),
      mb(c.fileBytes),
      fmt(v.loadMs, ' ms', 0),
      fmtRatio(ratio(v.loadMs, d.cells.find((x) => x.kind === niiFor(c.kind))?.summary.loadMs ?? null)),
      c.kind.startsWith('nii.gz') ? 'n/a' : fmt(v.firstSliceMs ?? null, ' ms', 0),
      fmt(v.decodeMs, ' ms', 0),
      c.kind.startsWith('nii.gz') ? 'n/a' : fmt(v.slicesPerS, '', 0),
      fmt(v.fileMBps, '', 1),
      fmt(v.voxelMBps, '', 1),
      fmt(v.renderer, '×', 2),
      fmt(v.gpu, '×', 2),
      fmt(v.total, '×', 2),
    ];
  });
  const text = table(['source', 'files', 'MB', 'load → first frame', '× .nii.gz', 'first slices shown', 'decode', 'slices/s', 'MB/s of files', 'MB/s of voxels', 'renderer rise / voxel bytes', 'GPU-process rise', 'total rise'], rows);
  const header =
    `DICOM: ${d.volume} (${mb(d.voxelBytes)} MB of voxels), ${d.date}; ${d.cpus} cores; load average (1 min) ${d.loadAvg1m.map((x) => x.toFixed(2)).join(' at start, ')} at end\n` +
    `browser ${d.browser}; renderer ${d.renderer}; ${d.runsPerCell} run(s) per cell, each in a fresh ${d.fresh === 'page' ? 'page (one browser per round)' : 'browser'}, rounds interleaved (order alternated per round)\n` +
    `the same voxels (12-bit unsigned stored, raw = HU + 1024, slope 1, intercept −1024) and affine in each: ${d.cells.map((c) => `${LABELS[c.kind]} = ${c.note}`).join('; ')}; served over HTTP by the bench server (one request per file)\n` +
    `load → first frame = voxlens.load(urls) (Orthanc: voxlens.pacs.open, the search not counted) + frame() + readPixels, axial layout, ${d.viewPx}² pane, every slice in; ` +
    'first slices shown = load-start → the series\' layer drawn with its first (middle) slices while the rest arrive (voxlens:first-slice); decode = performance marks voxlens:load-start → voxlens:decoded ' +
    '(series: header scan of every file in the DICOM worker, fetched one after another and kept, grouping and geometry, then the pixel pass and sampled stats; .nii.gz: the fetch streamed through gunzip into voxel memory); ' +
    'slices/s and MB/s (10⁶ bytes) per run over the decode time; rises = peak resident memory of the renderer processes (GPU process, all processes) during the load over the voxel bytes; ratios of medians';
  const series = d.cells.find((c) => c.kind === 'dicom');
  const lines: string[] = [];
  const targets = (sc: DicomCell | undefined, base: DicomCell | undefined) => {
    if (!sc || !base) return;
    const r = ratio(sc.summary.loadMs, base.summary.loadMs);
    const paired = sc.summary.perNiiGz;
    const rise = sc.summary.renderer?.median ?? null;
    lines.push(
      `${LABELS[sc.kind]}: load → first frame ${fmtRatio(r)} the ${LABELS[base.kind]} (target ≤ ${d.targets.load.toFixed(2)}×: ${r === null ? 'n/a' : r <= d.targets.load ? 'met' : 'NOT met'}; per round ${paired ? `${paired.median.toFixed(2)}× [${paired.min.toFixed(2)}–${paired.max.toFixed(2)}]` : 'n/a'})`,
      `${LABELS[sc.kind]}: renderer rise ${rise === null ? 'n/a' : `${rise.toFixed(2)}×`} the voxel bytes (target ≤ ${d.targets.memory.toFixed(2)}×: ${rise === null ? 'n/a' : rise <= d.targets.memory ? 'met' : 'NOT met'}); ${LABELS[base.kind]} ${fmt(base.summary.renderer, '×', 2)}`,
    );
  };
  targets(series, nii);
  targets(d.cells.find((c) => c.kind === 'dicom-files'), d.cells.find((c) => c.kind === 'nii.gz-file'));
  for (const c of d.cells.filter((x) => x.kind === 'dicom-jpegls' || x.kind === 'orthanc')) {
    const r = ratio(c.summary.loadMs, nii?.summary.loadMs ?? null);
    lines.push(`${LABELS[c.kind]}: load → first frame ${fmtRatio(r)} the .nii.gz (no target), first slices shown after ${fmt(c.summary.firstSliceMs ?? null, ' ms', 0)}, renderer rise ${fmt(c.summary.renderer, '×', 2)}`);
  }
  const s = series?.summary;
  const phases = s?.scanMs
    ? `\nwhere the series' load goes (medians): load-start → first request ${fmt(s.toFirstRequestMs ?? null, ' ms', 0)}; header scan (first request → last response, ${series!.files} files one after another) ${fmt(s.scanMs, ' ms', 0)}, ` +
      `of which the requests themselves ${fmt(s.requestSumMs ?? null, ' ms', 0)}; last response → decoded (grouping, geometry, memory, pixel pass, sampled stats) ${fmt(s.afterScanMs ?? null, ' ms', 0)}; ` +
      `decoded → first frame (layer, texture upload, frame) ${fmt(s.afterDecodeMs ?? null, ' ms', 0)}; .nii.gz decoded → first frame ${fmt(nii?.summary.afterDecodeMs ?? null, ' ms', 0)}`
    : '';
  const memory = s?.memoryAtScanEnd
    ? `\nthe series' renderer rise over the load (medians): ${fmt(s.memoryAtScanEnd, '×', 2)} at the end of the scan (every file's bytes kept by the worker), ` +
      `${fmt(s.memoryAtDecoded ?? null, '×', 2)} at decoded (the voxel memory filled), peak ${fmt(s.renderer, '×', 2)} at ${fmt(s.peakAfterStartMs ?? null, ' ms', 0)} after load-start (decoded at ${fmt(s.decodeMs, ' ms', 0)}); ` +
      `.nii.gz: ${fmt(nii?.summary.memoryAtDecoded ?? null, '×', 2)} at decoded, peak ${fmt(nii?.summary.renderer ?? null, '×', 2)} at ${fmt(nii?.summary.peakAfterStartMs ?? null, ' ms', 0)} (decoded at ${fmt(nii?.summary.decodeMs ?? null, ' ms', 0)})`
    : '';
  const fl = d.floor?.summary;
  const floor = fl?.sequentialMs
    ? `\nfetch floor (the page fetching the bytes, arrayBuffer only, no worker or parsing; one fresh ${d.fresh === 'page' ? 'page' : 'browser'} per round): the ${series?.files ?? '?'} series files one after another ${fmt(fl.sequentialMs, ' ms', 0)}, ` +
      `${d.floor!.lanes} at a time ${fmt(fl.parallelMs ?? null, ' ms', 0)}; the .nii.gz ${fmt(fl.niiGzMs ?? null, ' ms', 0)}`
    : '';
  const rp = d.replay;
  const replay = rp
    ? `\nthe DICOM worker's CPU steps replayed in Node over the same ${rp.files} files (one run, no I/O): header parse ${rp.headerParseMs.toFixed(0)} ms, full parse again ${rp.fullParseMs.toFixed(0)} ms, ` +
      `frame copy into fresh memory ${rp.frameCopyMs.toFixed(0)} ms, 12-bit mask (applyBitsStored) ${rp.maskMs.toFixed(0)} ms, sampled stats ${rp.statsMs.toFixed(0)} ms`
    : '';
  const problems = d.cells.flatMap((c) => [...new Set(c.runs.flatMap((r) => (r.error ? [`FAILED: ${r.error}`] : r.mismatch ? [`read differently: ${r.mismatch}`] : [])))].map((p) => `${LABELS[c.kind]}: ${p}`));
  const skipped = d.skipped.length ? `\nskipped: ${d.skipped.join('; ')}` : '';
  return `${header}\n\n${text}\n\ntargets (medians):\n${lines.map((t) => `  ${t}`).join('\n')}${phases}${memory}${floor}${replay}${skipped}\n${problems.length ? `\n${problems.map((p) => `  ${p}`).join('\n')}\n` : ''}`;
}

/** The dicom figure as a results.md section (a --dicom run can replace it alone). */
export const dicomSection = (r: DicomResult) => resultSection('dicom', 'DICOM', dicomReport(r));

/** A --dicom run: the `dicom` key of bench/results.json and its section of results.md replaced (or added). */
export const mergeDicom = (jsonPath: string, mdPath: string, r: DicomResult): void => mergeResultSection(jsonPath, mdPath, 'dicom', 'DICOM', r, dicomReport(r));

/** The series (generated before the server starts) and Orthanc, where it runs for the PACS row. */
let prepared: { volume: BenchDicomVolume; orthanc?: Orthanc } | undefined;

/**
 * The figure (`npm run bench -- --dicom`; not in a full run, which keeps the last one: two loads of
 * each source per round, each in a fresh browser; the smoke run has a 64×64×16 series).
 */
export const dicom = runFigure<DicomResult>({
  name: 'DICOM',
  key: 'dicom',
  flag: '--dicom',
  inFull: false,
  inSmoke: true,
  prepare: async (ctx) => {
    const volume = benchDicomVolume(dataDir, { smoke });
    prepared = { volume };
    // The PACS row: Orthanc (when installed) holding the uncompressed series, behind /dicom-web.
    const series = volume.cells.find((c) => c.kind === 'dicom');
    if (!series || smoke || !included(volume.name)) return;
    if (!hasOrthanc) {
      volume.skipped.push(`Orthanc row: ${ORTHANC_SKIP}`);
      return;
    }
    const orthanc = await startOrthanc();
    prepared.orthanc = orthanc;
    const began = Date.now();
    await orthanc.upload(series.files.map((f) => join(dataDir, series.dir, f)));
    log(`Orthanc at ${orthanc.url}: ${series.files.length} files stored in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    ctx.proxies['/dicom-web/'] = orthanc.url;
    volume.cells.push({ kind: 'orthanc', note: 'the uncompressed series stored in Orthanc (DICOMweb plugin, loopback), opened by voxlens.pacs.open: WADO-RS series metadata, then one WADO-RS request per instance, as stored', dir: series.dir, files: series.files, bytes: series.bytes });
  },
  cleanup: async () => {
    await prepared?.orthanc?.stop();
  },
  run: async (ctx) => {
    const volume = prepared?.volume;
    if (!volume || !included(volume.name)) return undefined;
    log(`\n${volume.name}: ${volume.cells.map((c) => `${c.kind} ${c.files.length} file(s), ${(c.bytes / 1e6).toFixed(2)} MB`).join('; ')}${volume.skipped.length ? `; skipped: ${volume.skipped.join('; ')}` : ''}`);
    // The smoke run: a fresh page per run, not a fresh browser.
    return measureDicom(ctx.base, dataDir, volume, runs, smoke ? 'page' : 'browser');
  },
  section: { label: 'DICOM', report: dicomReport, markdown: dicomSection, merge: mergeDicom },
  // The series and the .nii.gz read alike (dims, scaling, affine, voxels) and timed.
  smokeCheck: (json) => {
    const d = json.dicom as DicomResult | undefined;
    const broken = (d?.cells ?? []).flatMap((c) =>
      c.runs.flatMap((run) => (run.error ? [`${c.kind}: ${run.error}`] : run.mismatch ? [`${c.kind}: read differently: ${run.mismatch}`] : !(run.loadMs > 0) || run.decodeMs === null ? [`${c.kind}: no load or decode time`] : [])),
    );
    if (!d?.cells.some((c) => c.kind === 'dicom')) broken.push('the DICOM figure was not measured');
    return broken;
  },
});
