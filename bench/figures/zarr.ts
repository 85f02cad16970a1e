// The OME-Zarr figure (`npm run bench -- --zarr`): the procedural 65536 × 65536 × 16384 uint16
// image of scripts/zarrServer.ts served on loopback, opened in a fresh browser per round. Measured:
// open → first frame (metadata, a coarse level of at most 1 MiB fetched and decoded, the frame),
// open → the finest level that fits drawn (it replaces the coarse one as it arrives),
// full-resolution probes (each a chunk fetched into the chunk cache) and the bytes they fetched
// against the bytes they show, the renderer's memory while probing across the volume, and while
// paging 1000 slices (each a frame, the probe panel reading the full resolution at the crosshair).
import type { Page } from '@playwright/test';
import { DEFAULT_IMAGE, startProceduralZarr } from '../../scripts/zarrServer';
import { launch, log, mergeResultSection, rendererOf, resultSection } from '../harness';
import { processTree, sampleRss } from '../procMemory';
import { runFigure } from '../figure';
import { runs } from '../options';
import { fmt, summarize, table, type Summary } from '../stats';

const VIEWPORT = { width: 960, height: 640 };
/** The target: the first (coarse) frame within this many ms on loopback. */
export const ZARR_FIRST_FRAME_TARGET_MS = 1000;
const PROBES = 40;
const PAGED_SLICES = 1000;

export interface ZarrRun {
  firstFrameMs: number;
  /** Open → first frame in the axial layout (no 3D pane); firstFrameMs is the 2x2 layout's. */
  firstAxialMs?: number;
  /** The coarse level the first frame drew. */
  firstDims?: number[];
  /** Open → the finest level that fits drawn. */
  finalFrameMs?: number;
  dims: number[];
  probeMs: number[];
  chunksFetched: number;
  /** Chunks fetched to fill the level shown. */
  levelChunks: number;
  chunkBytes: number;
  cacheResidentBytes: number;
  cacheBudgetBytes: number;
  rendererRiseBytes: number;
  /** Paging PAGED_SLICES slices: the renderer's peak over its level before, ms per slice, and the chunk cache's peak. */
  pagingRiseBytes?: number;
  pagingMsPerSlice?: number;
  pagingCachePeakBytes?: number;
  /** The axial pane zoomed until a pixel is a full-resolution voxel: setPaneView → its level-0 detail drawn. */
  fullViewMs?: number;
  fullViewLevel?: number;
  /** Bytes of chunks fetched for that view, and the bytes of the voxels it shows. */
  fullViewFetchedBytes?: number;
  fullViewShownBytes?: number;
  error?: string;
}

export interface ZarrResult {
  date: string;
  image: string;
  budgetMiB: number;
  browser: string;
  renderer: string;
  runs: ZarrRun[];
  summary: Record<string, Summary | null>;
}

/** Open → first frame in the single axial pane (slice review: no 3D pane), in a page of its own. */
async function firstAxialFrame(page: Page, base: string, url: string, budgetMiB: number): Promise<number> {
  await page.goto(`${base}/?empty&layout=axial&budgetMiB=${budgetMiB}`);
  await page.waitForFunction(() => typeof window.voxlens === 'object' && document.querySelector('canvas') !== null);
  return page.evaluate(async (u) => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const t0 = performance.now();
    const loading = window.voxlens.load(u);
    while (window.voxlens.layers().length === 0) await new Promise((r) => setTimeout(r, 5));
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const ms = performance.now() - t0;
    await loading;
    return ms;
  }, url);
}

async function oneRun(page: Page, rootPid: number, base: string, url: string, budgetMiB: number, chunksServed: () => number): Promise<ZarrRun> {
  const axialMs = await firstAxialFrame(page, base, url, budgetMiB);
  await page.goto(`${base}/?empty&layout=2x2&budgetMiB=${budgetMiB}`);
  await page.waitForFunction(() => typeof window.voxlens === 'object' && document.querySelector('canvas') !== null);
  const served0 = chunksServed();
  const opened = await page.evaluate(async (u) => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const t0 = performance.now();
    const loading = window.voxlens.load(u);
    // The first frame: the coarse level's layer is added (the load goes on refining it).
    while (window.voxlens.layers().length === 0) await new Promise((r) => setTimeout(r, 5));
    const firstDims = window.voxlens.layers()[0].dims;
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const firstMs = performance.now() - t0;
    const info = await loading;
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return { ms: firstMs, firstDims, finalMs: performance.now() - t0, id: info.id, dims: info.dims };
  }, url);
  const servedForLevel = chunksServed() - served0;
  const fullView = await fullResolutionViewport(page, chunksServed);
  // Memory while probing: from after the level is shown.
  const baseline = sampleRss(processTree(rootPid)).renderer;
  // Probes spread over the whole full-resolution grid (a fixed sequence: the same in every round).
  const [nx, ny, nz] = DEFAULT_IMAGE.dims;
  const points = Array.from({ length: PROBES }, (_, n) => [Math.floor((n * 0.618034 * nx) % nx), Math.floor((n * 0.414214 * ny) % ny), Math.floor((n * 0.732051 * nz) % nz)]);
  let peak = baseline;
  const probeMs: number[] = [];
  for (const ijk of points) {
    probeMs.push(
      await page.evaluate(
        async ([id, at]) => {
          const t0 = performance.now();
          await window.voxlens.probeAsync({ ijk: at }, id);
          return performance.now() - t0;
        },
        [opened.id, ijk] as [string, number[]],
      ),
    );
    peak = Math.max(peak, sampleRss(processTree(rootPid)).renderer);
  }
  const cache = await page.evaluate(() => window.voxlens.memory().chunks);
  const chunkBytes = DEFAULT_IMAGE.chunk ** 3 * 2;
  const chunksFetched = chunksServed() - served0 - servedForLevel - (fullView.fullViewFetchedBytes ?? 0) / chunkBytes;
  const paging = await pageSlices(page, rootPid);
  return {
    firstFrameMs: opened.ms,
    firstAxialMs: axialMs,
    firstDims: opened.firstDims,
    finalFrameMs: opened.finalMs,
    ...paging,
    dims: opened.dims,
    probeMs,
    chunksFetched,
    levelChunks: servedForLevel,
    chunkBytes,
    cacheResidentBytes: cache.residentBytes,
    cacheBudgetBytes: cache.budgetBytes,
    rendererRiseBytes: peak - baseline,
    ...fullView,
  };
}

/**
 * The axial pane zoomed in until its pixel is finer than a full-resolution voxel, at the crosshair:
 * the time from setPaneView to its level-0 box drawn, and the chunk bytes fetched for it against
 * the bytes of the voxels it shows. The pane is fitted again afterwards.
 */
async function fullResolutionViewport(page: Page, chunksServed: () => number): Promise<Pick<ZarrRun, 'fullViewMs' | 'fullViewLevel' | 'fullViewFetchedBytes' | 'fullViewShownBytes'>> {
  const served0 = chunksServed();
  const r = await page.evaluate(async () => {
    const t0 = performance.now();
    // Level 7 drawn (128 µm voxels) fits 65536 µm into the pane: 256× brings a pixel under 1 µm.
    window.voxlens.setPaneView('axial', { zoom: 256 });
    for (;;) {
      await window.voxlens.frame();
      const d = window.voxlens.paneDetail('axial')[0];
      if (d?.ready || d?.error || performance.now() - t0 > 60_000) return { ms: performance.now() - t0, detail: d ?? null };
      await new Promise((done) => setTimeout(done, 10));
    }
  });
  const fetched = (chunksServed() - served0) * DEFAULT_IMAGE.chunk ** 3 * 2;
  await page.evaluate(() => window.voxlens.setPaneView('axial', { zoom: 1 }));
  if (!r.detail?.ready) throw new Error(`the zoomed axial pane got no full-resolution detail: ${JSON.stringify(r.detail)}`);
  return { fullViewMs: r.ms, fullViewLevel: r.detail.level, fullViewFetchedBytes: fetched, fullViewShownBytes: r.detail.size.reduce((a, b) => a * b, 1) * 2 };
}

/**
 * Pages PAGED_SLICES slices through the level shown (back and forth along z, one level voxel a
 * step, a frame each), the probe panel reading the full-resolution value at the crosshair (a chunk
 * fetched whenever the crosshair enters a new one): memory must stay flat, the cache within budget.
 */
async function pageSlices(page: Page, rootPid: number): Promise<{ pagingRiseBytes: number; pagingMsPerSlice: number; pagingCachePeakBytes: number }> {
  const baseline = sampleRss(processTree(rootPid)).renderer;
  let peak = baseline;
  let cachePeak = 0;
  let ms = 0;
  for (let done = 0; done < PAGED_SLICES; done += 50) {
    const step = await page.evaluate(
      async ([from, count]) => {
        const layer = window.voxlens.layers()[0];
        const [, , nz] = layer.dims;
        const a = layer.affine;
        const at = window.voxlens.crosshair()!;
        let cache = 0;
        const t0 = performance.now();
        for (let n = from; n < from + count; n++) {
          // A triangle wave over the slices: 0 … nz−1 … 0 …
          const k = n % (2 * (nz - 1)) < nz - 1 ? n % (2 * (nz - 1)) : 2 * (nz - 1) - (n % (2 * (nz - 1)));
          window.voxlens.setCrosshair([at[0], at[1], a[2][2] * k + a[2][3]]);
          await window.voxlens.frame();
          cache = Math.max(cache, window.voxlens.memory().chunks.residentBytes);
        }
        return { ms: performance.now() - t0, cache };
      },
      [done, Math.min(50, PAGED_SLICES - done)] as [number, number],
    );
    ms += step.ms;
    cachePeak = Math.max(cachePeak, step.cache);
    peak = Math.max(peak, sampleRss(processTree(rootPid)).renderer);
  }
  return { pagingRiseBytes: peak - baseline, pagingMsPerSlice: ms / PAGED_SLICES, pagingCachePeakBytes: cachePeak };
}

export async function measureZarr(base: string, runs: number, budgetMiB = 256): Promise<ZarrResult> {
  const server = await startProceduralZarr();
  const list: ZarrRun[] = [];
  const seen = { browser: '', renderer: '' };
  try {
    for (let r = 0; r < runs; r++) {
      const { page, browser, rootPid, close } = await launch(VIEWPORT);
      try {
        const run = await oneRun(page, rootPid, base, server.url, budgetMiB, server.chunksServed);
        seen.browser ||= browser.version();
        seen.renderer ||= await rendererOf(page);
        list.push(run);
        log(`  zarr run ${r + 1}: first frame axial ${run.firstAxialMs?.toFixed(0)} ms, 2x2 ${run.firstFrameMs.toFixed(0)} ms (${run.firstDims?.join('×')}), final ${run.finalFrameMs?.toFixed(0)} ms (${run.dims.join('×')}), paging ${run.pagingMsPerSlice?.toFixed(1)} ms/slice, rise ${((run.pagingRiseBytes ?? NaN) / 2 ** 20).toFixed(1)} MiB, probe median ${summarize(run.probeMs)?.median.toFixed(0)} ms, ${run.chunksFetched} chunks for ${PROBES} probes`);
      } catch (e) {
        const error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        list.push({ firstFrameMs: NaN, dims: [], probeMs: [], chunksFetched: 0, levelChunks: 0, chunkBytes: 0, cacheResidentBytes: 0, cacheBudgetBytes: 0, rendererRiseBytes: NaN, error });
        log(`  zarr run ${r + 1}: FAILED ${error}`);
      } finally {
        await close();
      }
    }
  } finally {
    await server.stop();
  }
  const ok = list.filter((r) => !r.error);
  return {
    date: new Date().toISOString(),
    image: `${DEFAULT_IMAGE.dims.join(' × ')} uint16, ${DEFAULT_IMAGE.levels} levels, chunks ${DEFAULT_IMAGE.chunk}³ (uncompressed, computed per request)`,
    budgetMiB,
    browser: seen.browser,
    renderer: seen.renderer,
    runs: list,
    summary: {
      firstFrameMs: summarize(ok.map((r) => r.firstFrameMs)),
      firstAxialMs: summarize(ok.flatMap((r) => (r.firstAxialMs === undefined ? [] : [r.firstAxialMs]))),
      finalFrameMs: summarize(ok.flatMap((r) => (r.finalFrameMs === undefined ? [] : [r.finalFrameMs]))),
      pagingMsPerSlice: summarize(ok.flatMap((r) => (r.pagingMsPerSlice === undefined ? [] : [r.pagingMsPerSlice]))),
      pagingRiseMiB: summarize(ok.flatMap((r) => (r.pagingRiseBytes === undefined ? [] : [r.pagingRiseBytes / 2 ** 20]))),
      pagingCachePeakMiB: summarize(ok.flatMap((r) => (r.pagingCachePeakBytes === undefined ? [] : [r.pagingCachePeakBytes / 2 ** 20]))),
      probeMs: summarize(ok.flatMap((r) => r.probeMs)),
      chunksPerProbe: summarize(ok.map((r) => r.chunksFetched / PROBES)),
      rendererRiseMiB: summarize(ok.map((r) => r.rendererRiseBytes / 2 ** 20)),
      cacheMiB: summarize(ok.map((r) => r.cacheResidentBytes / 2 ** 20)),
      levelChunks: summarize(ok.map((r) => r.levelChunks)),
      fullViewMs: summarize(ok.flatMap((r) => (r.fullViewMs === undefined ? [] : [r.fullViewMs]))),
      fullViewFetchedMiB: summarize(ok.flatMap((r) => (r.fullViewFetchedBytes === undefined ? [] : [r.fullViewFetchedBytes / 2 ** 20]))),
      fullViewOverhead: summarize(ok.flatMap((r) => (r.fullViewFetchedBytes === undefined || !r.fullViewShownBytes ? [] : [r.fullViewFetchedBytes / r.fullViewShownBytes]))),
    },
  };
}

export function zarrReport(z: ZarrResult): string {
  const s = z.summary;
  const rows = [
    [`open → first frame, axial pane (a coarse level${z.runs[0]?.firstDims ? `, ${z.runs[0].firstDims.join(' × ')}` : ''})`, fmt(s.firstAxialMs ?? null, ' ms', 0)],
    [`open → first frame, 2x2 with the 3D pane (its first ray cast at interaction quality)`, fmt(s.firstFrameMs, ' ms', 0)],
    [`open → the finest level that fits drawn (${z.runs.find((r) => !r.error)?.dims.join(' × ') ?? 'n/a'})`, fmt(s.finalFrameMs ?? null, ' ms', 0)],
    [`paging ${PAGED_SLICES} slices (a frame each, full-resolution probe at the crosshair)`, fmt(s.pagingMsPerSlice ?? null, ' ms/slice', 1)],
    [`renderer memory rise while paging`, fmt(s.pagingRiseMiB ?? null, ' MiB', 1)],
    [`chunk cache peak while paging`, `${fmt(s.pagingCachePeakMiB ?? null, ' MiB', 1)} of ${z.runs[0]?.cacheBudgetBytes ? (z.runs[0].cacheBudgetBytes / 2 ** 20).toFixed(0) : '?'} MiB`],
    [`full-resolution probe (${PROBES} spread over the volume, each round)`, fmt(s.probeMs, ' ms', 0)],
    ['chunks fetched per probe (64³ uint16 = 512 KiB each; a probe shows 2 bytes)', fmt(s.chunksPerProbe, '', 2)],
    ['chunk cache after the probes', `${fmt(s.cacheMiB, ' MiB', 1)} of ${z.runs[0]?.cacheBudgetBytes ? (z.runs[0].cacheBudgetBytes / 2 ** 20).toFixed(0) : '?'} MiB`],
    [`renderer memory rise while probing (after the level is shown)`, fmt(s.rendererRiseMiB, ' MiB', 1)],
    ['chunks fetched for the level shown', fmt(s.levelChunks, '', 0)],
    [`open view → full-resolution viewport (axial pane zoomed 256×: setPaneView → its level ${z.runs.find((r) => !r.error)?.fullViewLevel ?? '?'} detail drawn)`, fmt(s.fullViewMs ?? null, ' ms', 0)],
    [`  chunks fetched for it (${z.runs.find((r) => !r.error)?.fullViewShownBytes !== undefined ? `${((z.runs.find((r) => !r.error)?.fullViewShownBytes ?? 0) / 1024).toFixed(0)} KiB of voxels shown` : 'n/a'})`, fmt(s.fullViewFetchedMiB ?? null, ' MiB', 1)],
    ['  bytes fetched / bytes shown (64³ chunks hold 64 slices: a slice view reads 1 in 64 of what it fetches)', fmt(s.fullViewOverhead ?? null, '×', 0)],
  ];
  const first = s.firstAxialMs?.median ?? null;
  const first2x2 = s.firstFrameMs?.median ?? null;
  const failures = z.runs.filter((r) => r.error).map((r) => `  FAILED: ${r.error}`);
  return (
    `OME-Zarr: procedural ${z.image}, ${z.date}; ?budgetMiB=${z.budgetMiB}; ${z.runs.length} fresh-browser round(s)\n` +
    `browser ${z.browser}; renderer ${z.renderer}; shown level ${z.runs.find((r) => !r.error)?.dims.join(' × ') ?? 'n/a'}\n\n` +
    `${table(['measure', 'median [min–max]'], rows)}\n\n` +
    `target: first coarse frame under ${ZARR_FIRST_FRAME_TARGET_MS} ms on loopback: axial pane ${first === null ? 'n/a' : first < ZARR_FIRST_FRAME_TARGET_MS ? 'met' : 'NOT met'} (${first === null ? 'n/a' : `${first.toFixed(0)} ms`}); ` +
    `2x2 with the 3D pane ${first2x2 === null ? 'n/a' : first2x2 < ZARR_FIRST_FRAME_TARGET_MS ? 'met' : 'NOT met'} (${first2x2 === null ? 'n/a' : `${first2x2.toFixed(0)} ms`}: on SwiftShader the 3D pane's first draw alone takes about 0.8 s (layer added → frame(): axial layout 0.15 s, 3d layout 0.79 s), of which the page waits 0.27 s for the ray-cast program's link and the rest is the GPU process casting; a second load in the same page is no faster)\n` +
    `${failures.length ? `${failures.join('\n')}\n` : ''}`
  );
}

export const zarrSection = (z: ZarrResult) => resultSection('zarr', 'OME-Zarr', zarrReport(z));
export const mergeZarr = (jsonPath: string, mdPath: string, z: ZarrResult): void => mergeResultSection(jsonPath, mdPath, 'zarr', 'OME-Zarr', z, zarrReport(z));

/** The figure (`npm run bench -- --zarr` only; a full run keeps the last one). */
export const zarr = runFigure<ZarrResult>({
  name: 'OME-Zarr',
  key: 'zarr',
  flag: '--zarr',
  inFull: false,
  inSmoke: false,
  run: async (ctx) => {
    log('\nOME-Zarr: the procedural image of scripts/zarrServer.ts');
    const result = await measureZarr(ctx.base, runs);
    log(`\n${zarrReport(result)}`);
    return result;
  },
  section: { label: 'OME-Zarr', report: zarrReport, markdown: zarrSection, merge: mergeZarr },
});
