// The formats figure (npm run bench -- --formats): one 256³ int16 volume written as .nii.gz, .nrrd
// (attached, gzip encoding) and .mgz (bench/volumes.ts benchFormatVolume), each loaded in a fresh
// browser per run by Voxlens (the single-view axial layout, its pane 512², as the single-view
// figures) and by NiiVue (its 512² axial page). Rounds are interleaved (round r: every format,
// Voxlens then NiiVue), so drift in the machine's load touches every format alike.
//   Voxlens load → first frame: voxlens.load(url) + frame() + readPixels (harness voxlensLoad).
//   Decode: the app's performance marks voxlens:load-start:N → voxlens:decoded:N (the fetch from the
//   local server streamed through gunzip into voxel memory in the decode worker, with the byte swap
//   where the file is big-endian (MGH), up to the decoded volume; not the texture upload or the
//   frame), as MB/s of the stored file and MB/s of voxel bytes (MB = 10⁶ bytes).
//   NiiVue: loadVolumes([{ url }]) + drawScene + readPixels (its bench page's load()).
// Each run also checks what was read: dims, Voxlens's affine and the values of a few voxels
// against the generator's; a mismatch is kept with the run and reported.
import type { Browser, Page } from '@playwright/test';
import { basename } from 'node:path';
import { launch, log, mergeResultSection, newPage, openVoxlensPanes, rendererOf, resultSection, voxlensLoad } from '../harness';
import { fmt, fmtRatio, ratio, summarize, table, type Summary } from '../stats';
import { runFigure } from '../figure';
import { dataDir, included, runs, smoke } from '../options';
import { benchFormatVolume, type BenchFormat, type BenchFormatVolume } from '../volumes';

/** The target: each format's load → first frame within this many times the same volume's .nii.gz. */
export const FORMAT_TARGET = 1.2;
/** Voxlens's axial pane and NiiVue's canvas, CSS px (as the single-view figures). */
const VIEW = 512;
type Peer = 'voxlens' | 'niivue';
const VIEWPORT: Record<Peer, { width: number; height: number }> = { voxlens: { width: 960, height: 640 }, niivue: { width: VIEW, height: VIEW + 40 } };

export interface FormatVoxlensRun {
  loadMs: number;
  /** load-start → decoded mark, ms; null when the marks were not found. */
  decodeMs: number | null;
  /** What did not match the generator's volume (dims, affine, voxel values); absent when all did. */
  mismatch?: string;
  error?: string;
}

export interface FormatNiivueRun {
  loadMs: number;
  mismatch?: string;
  error?: string;
}

export interface FormatCell {
  format: BenchFormat;
  file: string;
  note: string;
  /** The stored (gzipped) file's bytes. */
  fileBytes: number;
  voxlens: { runs: FormatVoxlensRun[]; summary: Record<string, Summary | null> };
  niivue: { runs: FormatNiivueRun[]; summary: Record<string, Summary | null> };
}

export interface FormatsResult {
  date: string;
  volume: string;
  dims: number[];
  voxelBytes: number;
  runsPerCell: number;
  /** 'browser': every run in a fresh browser; 'page' (the smoke run): in a fresh page of one browser per peer and round. */
  fresh?: 'browser' | 'page';
  viewPx: number;
  cpus: number;
  /** The 1-minute load average when the formats runs started and ended. */
  loadAvg1m: [number, number];
  browser: string;
  renderer: string;
  target: number;
  formats: FormatCell[];
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim()) ?? String(e);

/** What differs between what a reader gave back and the generated volume. */
function differences(volume: BenchFormatVolume, got: { dims: number[]; values: (number | number[])[]; affine?: number[][] }): string | undefined {
  const out: string[] = [];
  if (got.dims.slice(0, 3).join('×') !== volume.dims.join('×')) out.push(`dims ${got.dims.join('×')}, not ${volume.dims.join('×')}`);
  if (got.affine) {
    const worst = Math.max(...volume.affine.flatMap((row, r) => row.map((x, c) => Math.abs(x - (got.affine![r]?.[c] ?? NaN)))));
    if (!(worst < 1e-3)) out.push(`affine ${JSON.stringify(got.affine)}, not ${JSON.stringify(volume.affine)}`);
  }
  volume.checks.forEach((c, n) => {
    if (got.values[n] !== c.raw) out.push(`voxel [${c.ijk.join(', ')}] ${JSON.stringify(got.values[n])}, not ${c.raw}`);
  });
  return out.length ? out.join('; ') : undefined;
}

const seen = { renderer: '', browser: '' };
async function note(page: Page, browser: { version(): string }) {
  if (seen.renderer) return;
  seen.browser = browser.version();
  seen.renderer = await rendererOf(page);
}

/** `body` in a page of a fresh browser, or with `shared`, in a fresh page of that browser. */
async function inPage<R>(peer: Peer, shared: Browser | undefined, body: (page: Page) => Promise<R>): Promise<R> {
  if (shared) {
    const page = await newPage(shared, VIEWPORT[peer]);
    try {
      const r = await body(page);
      await note(page, shared);
      return r;
    } finally {
      await page.close();
    }
  }
  const { page, browser, close } = await launch(VIEWPORT[peer]);
  try {
    const r = await body(page);
    await note(page, browser);
    return r;
  } finally {
    await close();
  }
}

async function voxlensRun(page: Page, base: string, url: string, volume: BenchFormatVolume): Promise<FormatVoxlensRun> {
  await openVoxlensPanes(page, base, 'axial', [VIEW, VIEW], 'view-axial');
  const loadMs = await voxlensLoad(page, url);
  const got = await page.evaluate((points) => {
    const marks = performance.getEntriesByType('mark');
    const start = marks.filter((m) => m.name.startsWith('voxlens:load-start:')).pop();
    const job = start?.name.slice('voxlens:load-start:'.length);
    const end = marks.find((m) => m.name === `voxlens:decoded:${job}`);
    const v = window.voxlens;
    const layer = v.layers()[0];
    return {
      decodeMs: start && end ? end.startTime - start.startTime : null,
      dims: layer.dims,
      affine: layer.affine,
      values: points.map((ijk) => v.probe({ ijk }, layer.id)[0].raw),
    };
  }, volume.checks.map((c) => c.ijk));
  return { loadMs, decodeMs: got.decodeMs, mismatch: differences(volume, got) };
}

async function niivueRun(page: Page, base: string, url: string, volume: BenchFormatVolume): Promise<FormatNiivueRun> {
  await page.goto(`${base}/bench/niivue.html`);
  await page.waitForFunction(() => typeof window.bench === 'object');
  await page.waitForTimeout(500);
  const loadMs = await page.evaluate((u) => window.bench.load(u), url);
  const got = await page.evaluate((points) => window.bench.info!(points), volume.checks.map((c) => c.ijk));
  if (got.volumes !== 1) throw new Error(`NiiVue has ${got.volumes} volumes open after loading ${basename(url)}`);
  return { loadMs, mismatch: differences(volume, got) };
}

/** One run, logged; a failed one is kept with its error. */
async function attempt<R extends { error?: string; mismatch?: string }>(label: string, run: () => Promise<R>, failed: (error: string) => R, describe: (r: R) => string): Promise<R> {
  try {
    const r = await run();
    log(`  ${label}: ${describe(r)}${r.mismatch ? `, MISMATCH: ${r.mismatch}` : ''}`);
    return r;
  } catch (e) {
    const r = failed(firstLine(e));
    log(`  ${label}: FAILED ${r.error}`);
    return r;
  }
}

const perSecond = (bytes: number, ms: number | null) => (ms && ms > 0 ? bytes / 1e6 / (ms / 1000) : null);
const values = (list: (number | null | undefined)[]) => list.filter((x): x is number => x !== null && x !== undefined && Number.isFinite(x));

/**
 * Every format of `volume`, `runs` rounds, each run in a fresh browser (with `fresh: 'page'`, a
 * fresh page of one browser per peer and round: cheaper, for the smoke run); files served at `${base}/data/`.
 */
export async function measureFormats(base: string, volume: BenchFormatVolume, runs: number, fresh: 'browser' | 'page' = 'browser'): Promise<FormatsResult> {
  const os = await import('node:os');
  const loadStart = os.loadavg()[0];
  const vx = new Map<BenchFormat, FormatVoxlensRun[]>(volume.files.map((f) => [f.format, []]));
  const nv = new Map<BenchFormat, FormatNiivueRun[]>(volume.files.map((f) => [f.format, []]));
  for (let r = 0; r < runs; r++) {
    const shared = fresh === 'page' ? { voxlens: await launch(VIEWPORT.voxlens), niivue: await launch(VIEWPORT.niivue) } : undefined;
    try {
      for (const f of volume.files) {
        const url = `${base}/data/${basename(f.file)}`;
        const label = `${f.format} run ${r + 1}`;
        vx.get(f.format)!.push(
          await attempt(
            `voxlens ${label}`,
            () => inPage('voxlens', shared?.voxlens.browser, (page) => voxlensRun(page, base, url, volume)),
            (error) => ({ loadMs: NaN, decodeMs: null, error }),
            (v) => `load → first frame ${v.loadMs.toFixed(0)} ms, decode ${v.decodeMs?.toFixed(0) ?? 'n/a'} ms`,
          ),
        );
        nv.get(f.format)!.push(
          await attempt(
            `niivue ${label}`,
            () => inPage('niivue', shared?.niivue.browser, (page) => niivueRun(page, base, url, volume)),
            (error) => ({ loadMs: NaN, error }),
            (n) => `load ${n.loadMs.toFixed(0)} ms`,
          ),
        );
      }
    } finally {
      await shared?.voxlens.close();
      await shared?.niivue.close();
    }
  }
  const formats = volume.files.map((f): FormatCell => {
    const vRuns = vx.get(f.format)!, nRuns = nv.get(f.format)!;
    return {
      format: f.format,
      file: basename(f.file),
      note: f.note,
      fileBytes: f.bytes,
      voxlens: {
        runs: vRuns,
        summary: {
          loadMs: summarize(vRuns.map((r) => r.loadMs)),
          decodeMs: summarize(values(vRuns.map((r) => r.decodeMs))),
          fileMBps: summarize(values(vRuns.map((r) => perSecond(f.bytes, r.decodeMs)))),
          voxelMBps: summarize(values(vRuns.map((r) => perSecond(volume.voxelBytes, r.decodeMs)))),
        },
      },
      niivue: { runs: nRuns, summary: { loadMs: summarize(nRuns.map((r) => r.loadMs)) } },
    };
  });
  // Per round (the formats ran back to back in it): load → first frame over the same round's .nii.gz.
  const nii = formats[0].voxlens.runs;
  for (const c of formats) c.voxlens.summary.perNiiGz = summarize(values(c.voxlens.runs.map((r, k) => (nii[k] && nii[k].loadMs > 0 ? r.loadMs / nii[k].loadMs : null))));
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
    target: FORMAT_TARGET,
    formats,
  };
}

/** The formats figure as text: a legend, one row per format, the target line and any failure or mismatch. */
export function formatsReport(f: FormatsResult): string {
  const mb = (b: number) => (b / 1e6).toFixed(2);
  const nii = f.formats[0];
  const rows = f.formats.map((c) => {
    const v = c.voxlens.summary, n = c.niivue.summary;
    return [
      c.format,
      mb(c.fileBytes),
      fmt(v.loadMs, ' ms', 0),
      fmtRatio(ratio(v.loadMs, nii.voxlens.summary.loadMs)),
      fmt(v.decodeMs, ' ms', 0),
      fmt(v.fileMBps, '', 1),
      fmt(v.voxelMBps, '', 1),
      fmt(n.loadMs, ' ms', 0),
      fmtRatio(ratio(v.loadMs, n.loadMs)),
    ];
  });
  const text = table(['format', 'file MB', 'Voxlens load → first frame', '× .nii.gz', 'Voxlens decode', 'decode MB/s of file', 'decode MB/s of voxels', 'NiiVue 0.69 load', 'Voxlens/NiiVue'], rows);
  const header =
    `Formats: ${f.volume} (${mb(f.voxelBytes)} MB of voxels), ${f.date}; ${f.cpus} cores; load average (1 min) ${f.loadAvg1m.map((x) => x.toFixed(2)).join(' at start, ')} at end\n` +
    `browser ${f.browser}; renderer ${f.renderer}; ${f.runsPerCell} run(s) per cell, each in a fresh ${f.fresh === 'page' ? 'page (one browser per peer and round)' : 'browser'}, rounds interleaved (every format, Voxlens then NiiVue, per round)\n` +
    `the same voxels (int16, unscaled) and affine in each file, gzipped alike (fflate, level 6): ${f.formats.map((c) => `${c.format} = ${c.note}`).join('; ')}\n` +
    `Voxlens load → first frame = voxlens.load(url) + frame() + readPixels, axial layout, ${f.viewPx}² pane; ` +
    'decode = performance marks voxlens:load-start → voxlens:decoded (the fetch from the local server streamed through gunzip into voxel memory in the decode worker, byte swap for big-endian MGH; not the texture upload or the frame); ' +
    `MB/s = MB (10⁶ bytes) of the file or of voxels / decode time, per run; NiiVue load = loadVolumes + drawScene + readPixels, ${f.viewPx}² axial canvas; ` +
    'ratios of medians';
  const targets = f.formats.slice(1).map((c) => {
    const r = ratio(c.voxlens.summary.loadMs, nii.voxlens.summary.loadMs);
    const paired = c.voxlens.summary.perNiiGz;
    return `${c.format}: load → first frame ${fmtRatio(r)} the .nii.gz (target ≤ ${f.target.toFixed(2)}×: ${r === null ? 'n/a' : r <= f.target ? 'met' : 'NOT met'}; per round ${paired ? `${paired.median.toFixed(2)}× [${paired.min.toFixed(2)}–${paired.max.toFixed(2)}]` : 'n/a'})`;
  });
  const problems = f.formats.flatMap((c) =>
    (['voxlens', 'niivue'] as const).flatMap((peer) => {
      const runs: (FormatVoxlensRun | FormatNiivueRun)[] = c[peer].runs;
      return [...new Set(runs.flatMap((r) => (r.error ? [`FAILED: ${r.error}`] : r.mismatch ? [`read differently: ${r.mismatch}`] : [])))].map((p) => `${c.format} ${peer}: ${p}`);
    }),
  );
  return `${header}\n\n${text}\n\ntargets (medians):\n${targets.map((t) => `  ${t}`).join('\n')}\n${problems.length ? `\n${problems.map((p) => `  ${p}`).join('\n')}\n` : ''}`;
}

/** The formats figure as a results.md section (a --formats run can replace it alone). */
export const formatsSection = (r: FormatsResult) => resultSection('formats', 'Formats', formatsReport(r));

/** A --formats run: the `formats` key of bench/results.json and its section of results.md replaced (or added). */
export const mergeFormats = (jsonPath: string, mdPath: string, r: FormatsResult): void => mergeResultSection(jsonPath, mdPath, 'formats', 'Formats', r, formatsReport(r));

/**
 * The figure (`npm run bench -- --formats`; not in a full run, which keeps the last one: five rounds
 * of three formats take about 10 minutes here, most of it NiiVue's loads; the smoke run has it).
 */
export const formats = runFigure<FormatsResult>({
  name: 'formats',
  key: 'formats',
  flag: '--formats',
  inFull: false,
  inSmoke: true,
  run: async (ctx) => {
    const volume = benchFormatVolume(dataDir, { smoke });
    if (!included(volume.name)) return undefined;
    log(`\n${volume.name}: ${volume.files.map((f) => `${f.format} ${(f.bytes / 1e6).toFixed(2)} MB`).join(', ')}`);
    // The smoke run: a fresh page per run, not a fresh browser (about half the time).
    return measureFormats(ctx.base, volume, runs, smoke ? 'page' : 'browser');
  },
  section: { label: 'formats', report: formatsReport, markdown: formatsSection, merge: mergeFormats },
  // Every format read (the same dims, affine and voxels) and timed by both peers.
  smokeCheck: (json) => {
    const f = json.formats as FormatsResult | undefined;
    const broken = (f?.formats ?? []).flatMap((c) =>
      [...c.voxlens.runs, ...c.niivue.runs].flatMap((run) => (run.error ? [`${c.format}: ${run.error}`] : run.mismatch ? [`${c.format}: read differently: ${run.mismatch}`] : !(run.loadMs > 0) ? [`${c.format}: no load time`] : [])),
    );
    if (!f) broken.push('the formats figure was not measured');
    return broken;
  },
});
