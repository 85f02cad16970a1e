// The OME-Zarr figure (`npm run bench -- --zarr`): the procedural 65536 × 65536 × 16384 uint16
// image of scripts/zarrServer.ts served on loopback, opened in a fresh browser per round. Measured:
// open → first frame (metadata, the level that fits, its chunks fetched and decoded, the frame),
// full-resolution probes (each a chunk fetched into the chunk cache) and the bytes they fetched
// against the bytes they show, and the renderer's memory while probing across the volume.
import type { Page } from '@playwright/test';
import { DEFAULT_IMAGE, startProceduralZarr } from '../scripts/zarrServer';
import { launch, log, mergeResultSection, rendererOf, resultSection } from './harness';
import { processTree, sampleRss } from './procMemory';
import { fmt, summarize, table, type Summary } from './stats';

const VIEWPORT = { width: 960, height: 640 };
/** The target: the first (coarse) frame within this many ms on loopback. */
export const ZARR_FIRST_FRAME_TARGET_MS = 1000;
const PROBES = 40;

export interface ZarrRun {
  firstFrameMs: number;
  dims: number[];
  probeMs: number[];
  chunksFetched: number;
  /** Chunks fetched to fill the level shown. */
  levelChunks: number;
  chunkBytes: number;
  cacheResidentBytes: number;
  cacheBudgetBytes: number;
  rendererRiseBytes: number;
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

async function oneRun(page: Page, rootPid: number, base: string, url: string, budgetMiB: number, chunksServed: () => number): Promise<ZarrRun> {
  await page.goto(`${base}/?empty&layout=2x2&budgetMiB=${budgetMiB}`);
  await page.waitForFunction(() => typeof window.voxlens === 'object' && document.querySelector('canvas') !== null);
  const served0 = chunksServed();
  const opened = await page.evaluate(async (u) => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const t0 = performance.now();
    const info = await window.voxlens.load(u);
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return { ms: performance.now() - t0, id: info.id, dims: info.dims };
  }, url);
  const servedForLevel = chunksServed() - served0;
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
  return {
    firstFrameMs: opened.ms,
    dims: opened.dims,
    probeMs,
    chunksFetched: chunksServed() - served0 - servedForLevel,
    levelChunks: servedForLevel,
    chunkBytes,
    cacheResidentBytes: cache.residentBytes,
    cacheBudgetBytes: cache.budgetBytes,
    rendererRiseBytes: peak - baseline,
  };
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
        log(`  zarr run ${r + 1}: first frame ${run.firstFrameMs.toFixed(0)} ms (level ${run.dims.join('×')}), probe median ${summarize(run.probeMs)?.median.toFixed(0)} ms, ${run.chunksFetched} chunks for ${PROBES} probes`);
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
      probeMs: summarize(ok.flatMap((r) => r.probeMs)),
      chunksPerProbe: summarize(ok.map((r) => r.chunksFetched / PROBES)),
      rendererRiseMiB: summarize(ok.map((r) => r.rendererRiseBytes / 2 ** 20)),
      cacheMiB: summarize(ok.map((r) => r.cacheResidentBytes / 2 ** 20)),
      levelChunks: summarize(ok.map((r) => r.levelChunks)),
    },
  };
}

export function zarrReport(z: ZarrResult): string {
  const s = z.summary;
  const rows = [
    ['open → first frame (a coarse level)', fmt(s.firstFrameMs, ' ms', 0)],
    [`full-resolution probe (${PROBES} spread over the volume, each round)`, fmt(s.probeMs, ' ms', 0)],
    ['chunks fetched per probe (64³ uint16 = 512 KiB each; a probe shows 2 bytes)', fmt(s.chunksPerProbe, '', 2)],
    ['chunk cache after the probes', `${fmt(s.cacheMiB, ' MiB', 1)} of ${z.runs[0]?.cacheBudgetBytes ? (z.runs[0].cacheBudgetBytes / 2 ** 20).toFixed(0) : '?'} MiB`],
    [`renderer memory rise while probing (after the level is shown)`, fmt(s.rendererRiseMiB, ' MiB', 1)],
    ['chunks fetched for the level shown', fmt(s.levelChunks, '', 0)],
  ];
  const first = s.firstFrameMs?.median ?? null;
  const failures = z.runs.filter((r) => r.error).map((r) => `  FAILED: ${r.error}`);
  return (
    `OME-Zarr: procedural ${z.image}, ${z.date}; ?budgetMiB=${z.budgetMiB}; ${z.runs.length} fresh-browser round(s)\n` +
    `browser ${z.browser}; renderer ${z.renderer}; shown level ${z.runs.find((r) => !r.error)?.dims.join(' × ') ?? 'n/a'}\n\n` +
    `${table(['measure', 'median [min–max]'], rows)}\n\n` +
    `target: first coarse frame under ${ZARR_FIRST_FRAME_TARGET_MS} ms on loopback: ${first === null ? 'n/a' : first < ZARR_FIRST_FRAME_TARGET_MS ? 'met' : 'NOT met'} (${first === null ? 'n/a' : `${first.toFixed(0)} ms`})\n` +
    `${failures.length ? `${failures.join('\n')}\n` : ''}`
  );
}

export const zarrSection = (z: ZarrResult) => resultSection('zarr', 'OME-Zarr', zarrReport(z));
export const mergeZarr = (jsonPath: string, mdPath: string, z: ZarrResult): void => mergeResultSection(jsonPath, mdPath, 'zarr', 'OME-Zarr', z, zarrReport(z));
