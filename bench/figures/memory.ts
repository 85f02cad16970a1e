// The memory figure (`npm run bench -- --memory`): the renderer's peak memory rise while Voxlens
// loads one .nii.gz (load → first frame), over the voxel bytes, for the int16 phantom at 256³ and
// 512³ (256 MiB of voxels), a fresh browser per run. Beside the peak, where it comes from:
//   at decoded = the rise when the voxels are in memory (mark voxlens:decoded), with the runs of slices already sent while decoding:
//                the voxel memory itself (1.0×) plus what the decode left behind;
//   shmem      = the part of the peak that is the renderer's shared memory (RssShmem): Chromium's
//                GL transfer buffer, which a texture upload grows to its cap (about 16 MiB here,
//                whatever the volume; measured: uploading in slabs does not keep it smaller);
//   GPU process = SwiftShader's copy of the texture, for reference (not the target);
//   second load = the same file loaded again in the same page while the first stays open (new
//                voxel memory, nothing pooled): the per-load rise once the page's transfer
//                buffer has reached its size, which a page pays once, on its first large upload.
// Target (issue 25, what scales): the renderer's peak rise ≤ 1.1 × the voxel bytes + 64 MiB (bench/figure.ts
// MEMORY_RULE), at 256³ and 512³ alike; the report gives each rise in that form, and a fit through both sizes.
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { launch, log, mergeResultSection, rendererOf, resultSection, voxlensLoad } from '../harness';
import { kindPids, rendererGpuRss } from '../procMemory';
import { fmt, summarize, table, type Summary } from '../stats';
import { MEMORY_RULE, ruleForm, runFigure } from '../figure';
import { dataDir, included, runs, smoke } from '../options';
import { benchMemoryVolumes, type BenchVolume } from '../volumes';

const VIEWPORT = { width: 960, height: 640 };
const SAMPLE_MS = 10;

export interface MemoryRun {
  loadMs: number;
  /** voxlens:load-start → voxlens:decoded (fetch, gunzip, header, voxels in place; no upload). */
  decodeMs: number | null;
  /** Renderer peak rise (VmRSS) over the voxel bytes, load → first frame. */
  renderer: number;
  /** The renderer's rise when the voxels were decoded, before the texture upload. */
  atDecoded: number | null;
  /** RssShmem's share of the renderer's peak rise. */
  shmem: number;
  gpu: number;
  /** The renderer's peak rise over a second load of the file in the same page, the first still open. */
  second: number | null;
  error?: string;
}

export interface MemoryCell {
  volume: string;
  voxelBytes: number;
  runs: MemoryRun[];
  summary: Record<string, Summary | null>;
}

export interface MemoryResult {
  date: string;
  browser: string;
  renderer: string;
  cells: MemoryCell[];
}

interface Sample {
  t: number;
  renderer: number;
  shmem: number;
  gpu: number;
}

const sample = (pids: { renderer: number[]; gpu: number[] }): Sample => ({ t: Date.now(), ...rendererGpuRss(pids) });

/** When the voxels were decoded (on Date.now()'s clock), and the decode's time from load-start. */
async function marks(page: Page): Promise<{ decodedAt: number | null; decodeMs: number | null }> {
  return page.evaluate(() => {
    const all = performance.getEntriesByType('mark');
    const start = all.find((m) => m.name.startsWith('voxlens:load-start:'));
    const decoded = all.find((m) => m.name.startsWith('voxlens:decoded:'));
    return {
      decodedAt: decoded ? performance.timeOrigin + decoded.startTime : null,
      decodeMs: start && decoded ? decoded.startTime - start.startTime : null,
    };
  });
}

async function oneRun(base: string, url: string, voxelBytes: number): Promise<{ run: MemoryRun; browser: string; rendererName: string }> {
  const { page, rootPid, browser, close } = await launch(VIEWPORT);
  try {
    await page.goto(`${base}/?empty&layout=axial`);
    await page.waitForFunction(() => typeof window.voxlens === 'object' && document.querySelector('canvas') !== null);
    await page.waitForTimeout(500);
    const pids = kindPids(rootPid);
    const baseline = sample(pids);
    const samples: Sample[] = [];
    const timer = setInterval(() => samples.push(sample(pids)), SAMPLE_MS);
    let loadMs: number;
    try {
      loadMs = await voxlensLoad(page, url);
    } finally {
      clearInterval(timer);
    }
    samples.push(sample(pids));
    const { decodedAt, decodeMs } = await marks(page);
    // The second load: new voxel memory (the first layer keeps its own), the transfer buffer grown.
    await page.waitForTimeout(300);
    const before2 = sample(pids).renderer;
    let peak2 = before2;
    const timer2 = setInterval(() => (peak2 = Math.max(peak2, sample(pids).renderer)), SAMPLE_MS);
    try {
      await voxlensLoad(page, url);
    } finally {
      clearInterval(timer2);
    }
    peak2 = Math.max(peak2, sample(pids).renderer);
    const peakOf = (k: keyof Omit<Sample, 't'>) => samples.reduce((m, s) => Math.max(m, s[k]), baseline[k]);
    const peakAt = samples.reduce((m, s) => (s.renderer > m.renderer ? s : m), baseline);
    const lastBefore = decodedAt === null ? undefined : samples.filter((s) => s.t <= decodedAt).at(-1);
    const rise = (peak: number, before: number) => Math.max(0, peak - before) / voxelBytes;
    const run: MemoryRun = {
      loadMs,
      decodeMs,
      renderer: rise(peakOf('renderer'), baseline.renderer),
      atDecoded: lastBefore ? rise(lastBefore.renderer, baseline.renderer) : null,
      shmem: rise(peakAt.shmem, baseline.shmem),
      gpu: rise(peakOf('gpu'), baseline.gpu),
      second: rise(peak2, before2),
    };
    return { run, browser: browser.version(), rendererName: await rendererOf(page) };
  } finally {
    await close();
  }
}

export async function measureMemory(base: string, volumes: { volume: BenchVolume; url: string }[], runs: number): Promise<MemoryResult> {
  const cells: MemoryCell[] = [];
  let browserVersion = '';
  let rendererName = '';
  for (const { volume, url } of volumes) {
    log(`\n${volume.name}: memory while one load runs (${(volume.voxelBytes / 2 ** 20).toFixed(0)} MiB of voxels)`);
    const list: MemoryRun[] = [];
    for (let r = 0; r < runs; r++) {
      try {
        const got = await oneRun(base, `${base}${url}`, volume.voxelBytes);
        browserVersion ||= got.browser;
        rendererName ||= got.rendererName;
        list.push(got.run);
        const { loadMs, decodeMs, renderer, atDecoded, shmem, gpu, second } = got.run;
        log(`  run ${r + 1}: ${loadMs.toFixed(0)} ms (decode ${decodeMs?.toFixed(0) ?? '?'} ms), renderer ${renderer.toFixed(2)}× (at decoded ${atDecoded?.toFixed(2) ?? '?'}×, shmem ${shmem.toFixed(2)}×; second load ${second?.toFixed(2) ?? '?'}×), gpu ${gpu.toFixed(2)}×`);
      } catch (e) {
        const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
        log(`  run ${r + 1}: FAILED ${error}`);
        list.push({ loadMs: NaN, decodeMs: null, renderer: NaN, atDecoded: null, shmem: NaN, gpu: NaN, second: null, error });
      }
    }
    const pick = (f: (r: MemoryRun) => number | null) => summarize(list.flatMap((r) => (r.error || f(r) === null ? [] : [f(r) as number])));
    cells.push({
      volume: volume.name,
      voxelBytes: volume.voxelBytes,
      runs: list,
      summary: {
        loadMs: pick((r) => r.loadMs),
        decodeMs: pick((r) => r.decodeMs),
        renderer: pick((r) => r.renderer),
        atDecoded: pick((r) => r.atDecoded),
        shmem: pick((r) => r.shmem),
        gpu: pick((r) => r.gpu),
        second: pick((r) => r.second),
      },
    });
  }
  return { date: new Date().toISOString(), browser: browserVersion, renderer: rendererName, cells };
}

export function memoryReport(m: MemoryResult): string {
  const rows = m.cells.flatMap((c) => {
    const s = c.summary;
    const within = (x: Summary | null | undefined) => (!x ? '' : (x.median - MEMORY_RULE.perVoxelByte) * c.voxelBytes <= MEMORY_RULE.constantMiB * 2 ** 20 ? '  (within the rule)' : '  (over the rule)');
    return [
      [c.volume, 'renderer peak rise / voxel bytes', fmt(s.renderer, '×', 2) + within(s.renderer)],
      [c.volume, '  the same as × voxels + constant (median)', s.renderer ? `${(s.renderer.median * c.voxelBytes / 2 ** 20).toFixed(1)} MiB = ${ruleForm(s.renderer.median, c.voxelBytes)}` : 'n/a'],
      [c.volume, '  at decoded (voxels in place, runs sent while decoding)', fmt(s.atDecoded, '×', 2)],
      [c.volume, '  of the peak: shared memory (GL transfer buffer)', fmt(s.shmem, '×', 2)],
      [c.volume, 'renderer peak rise, a second load in the same page', fmt(s.second ?? null, '×', 2) + within(s.second)],
      [c.volume, 'GPU-process rise / voxel bytes', fmt(s.gpu, '×', 2)],
      [c.volume, 'load → first frame', fmt(s.loadMs, ' ms', 0)],
      [c.volume, '  of it: decode (load-start → decoded marks)', fmt(s.decodeMs, ' ms', 0)],
    ];
  });
  // Two or more sizes: the renderer's peak rise fitted as a × voxels + b through the smallest and largest.
  const sized = m.cells.filter((c) => c.summary.renderer).sort((a, b) => a.voxelBytes - b.voxelBytes);
  let fit = '';
  if (sized.length >= 2) {
    const [lo, hi] = [sized[0], sized[sized.length - 1]];
    const mib = (c: MemoryCell) => (c.summary.renderer!.median * c.voxelBytes) / 2 ** 20;
    const a = (mib(hi) - mib(lo)) / ((hi.voxelBytes - lo.voxelBytes) / 2 ** 20);
    const b = mib(lo) - (a * lo.voxelBytes) / 2 ** 20;
    fit = `renderer peak rise through ${lo.volume} and ${hi.volume} (medians): ${a.toFixed(2)} × voxels ${b >= 0 ? '+' : '−'} ${Math.abs(b).toFixed(1)} MiB (rule: ≤ ${MEMORY_RULE.perVoxelByte} × voxels + ${MEMORY_RULE.constantMiB} MiB)\n`;
  }
  return (
    `Voxlens memory figure, ${m.date}; browser ${m.browser}; renderer ${m.renderer}; ${m.cells[0]?.runs.length ?? 0} run(s) per volume, each in a fresh browser\n` +
    'rise = peak VmRSS of the process type during load → first frame minus its level before, over the voxel bytes (the voxels themselves are 1.0×); ' +
    `sampled every ${SAMPLE_MS} ms; the single-view figures sample every 25 ms\n\n` +
    `${table(['volume', 'figure (median [min–max])', 'Voxlens'], rows)}\n` +
    (fit ? `\n${fit}` : '')
  );
}

export const memorySection = (m: MemoryResult): string => resultSection('memory', 'Memory while loading', memoryReport(m));

export const mergeMemory = (jsonPath: string, mdPath: string, m: MemoryResult): void => mergeResultSection(jsonPath, mdPath, 'memory', 'Memory while loading', m, memoryReport(m));

/**
 * The figure (`npm run bench -- --memory`; not in a full run, which keeps the last one; the smoke
 * run has the 32³ volume).
 */
export const memory = runFigure<MemoryResult>({
  name: 'memory',
  key: 'memory',
  flag: '--memory',
  inFull: false,
  inSmoke: true,
  run: async (ctx) => {
    const volumes = benchMemoryVolumes(dataDir, { smoke }).filter((v) => included(v.name));
    if (!volumes.length) return undefined;
    const result = await measureMemory(ctx.base, volumes.map((v) => ({ volume: v, url: `/data/${basename(v.file)}` })), runs);
    log(`\n${memoryReport(result)}`);
    return result;
  },
  section: { label: 'memory', report: memoryReport, markdown: memorySection, merge: mergeMemory },
  // Every run loaded and measured a rise.
  smokeCheck: (json) => {
    const m = json.memory as MemoryResult | undefined;
    const broken = (m?.cells ?? []).flatMap((c) => c.runs.flatMap((run) => (run.error ? [`${c.volume}: ${run.error}`] : !(run.renderer > 0) || !(run.loadMs > 0) ? [`${c.volume}: no rise or no load time`] : [])));
    if (!m?.cells.length) broken.push('the memory figure was not measured');
    return broken;
  },
});
