// The big-file figure (`npm run bench -- --big`, or a full run with VOXLENS_BENCH_BIG=1): a real
// uncompressed int16 NIfTI-1 of 4096 × 4096 × 80 (2.5 GiB of voxels, more than one 2^31 − 1 byte
// buffer holds) is generated into the temporary folder (deleted afterwards), served over HTTP by
// the bench's static server (its own, on a free loopback port: cross-origin isolated) and loaded
// into the production app with `?budgetMiB=4096` (room for the slabs and, where the GPU budget
// cannot hold the texture, a display level), a fresh browser per run. The app holds it in z-slabs
// of whole slices (pool.acquireSlabs: 63 slices, then 17) and draws it whole, from 2 × 2 tiles ×
// 2 z-slabs of textures over the slabs' memory (a decimated display level where it cannot).
// Measured: load → first frame (the decode's, the display level's if any and the first frame's shares), the slabs and the dims drawn
// against the full dims, the renderer's and the GPU process's peak memory, probe time, a frame on
// each side of the slab boundary, what closing the layer leaves, and the same file loaded again
// after close (the pooled buffers reused). Checked, failing the run loudly (a non-zero exit):
// probes on both sides of each slab boundary and on the first and last slice, by voxel index and
// by world point, a profile across the boundary, 200 probes spread over the grid, and every voxel
// through voxlens.view(id, { slab }), all against the formula the file was written from; the slab
// layout against the pool's rule; and that closing the layer unpins every buffer and drops its
// texture. Times are reported, never asserted.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { encodeNifti } from '../../src/io/decoders/niftiWrite';
import { launch, log, mergeResultSection, rendererOf, resultSection } from '../harness';
import { serve } from '../server';
import { kindPids, rendererGpuRss } from '../procMemory';
import { ruleForm, runFigure } from '../figure';
import { appDir, included, runs, runsGiven } from '../options';
import { fmt, summarize, table, type Summary } from '../stats';

const VIEWPORT = { width: 960, height: 640 };
/**
 * The file's grid: 4096² slices of 32 MiB, 80 of them (2.5 GiB; 4096 passes the texture size
 * limit, so each slab is drawn from 2 × 2 tiles), or VOXLENS_BENCH_BIG_DIMS (e.g. 2048x2048x300:
 * 2.3 GiB, drawn whole from a texture per slab), and its voxel size (mm).
 */
const DEFAULT_BIG_DIMS = [4096, 4096, 80] as const;
export const BIG_DIMS: readonly [number, number, number] = (() => {
  const env = process.env.VOXLENS_BENCH_BIG_DIMS;
  if (!env) return DEFAULT_BIG_DIMS;
  const dims = env.split('x').map(Number);
  if (dims.length !== 3 || !dims.every((n) => Number.isInteger(n) && n > 1)) throw new Error(`VOXLENS_BENCH_BIG_DIMS=${env}: give NXxNYxNZ, e.g. 2048x2048x300`);
  return dims as [number, number, number];
})();
/** Whether the grid is the default one (its figure is the 'big' section; another grid's is 'bigWhole'). */
const isDefaultGrid = BIG_DIMS.join() === DEFAULT_BIG_DIMS.join();
const BIG_MM = [0.05, 0.05, 0.5];
/** The page's voxel budget: the slabs (2.5 GiB), and a display level (640 MiB) where one is needed, must fit. */
export const BIG_BUDGET_MIB = 4096;
/** One buffer's limit in the app (src/memory/pool.ts MAX_BUFFER_BYTES, the default slabBytes). */
const SLAB_LIMIT = 2 ** 31 - 1;
const SAMPLE_MS = 50;
/** Probes timed per run (each a call of voxlens.probe at a voxel spread over the volume). */
const TIMED_PROBES = 200;
export const BIG_NAME = `int16 ${BIG_DIMS.join('×')} .nii (${((BIG_DIMS[0] * BIG_DIMS[1] * BIG_DIMS[2] * 2) / 2 ** 30).toFixed(1)} GiB)`;

/** The stored value of voxel (i, j, k): what every probe is checked against. */
export const bigValue = (i: number, j: number, k: number): number => ((i * 3 + j * 17 + k * 29) % 1500) - 200;

const sliceBytes = BIG_DIMS[0] * BIG_DIMS[1] * 2;
const voxelBytes = sliceBytes * BIG_DIMS[2];
/** Whole slices per slab, as pool.acquireSlabs cuts them: 63 (2016 MiB), then the last 17. */
export const BIG_SLAB_SLICES = Math.floor(SLAB_LIMIT / sliceBytes);

const affine = [
  BIG_MM[0], 0, 0, (-(BIG_DIMS[0] - 1) * BIG_MM[0]) / 2,
  0, BIG_MM[1], 0, (-(BIG_DIMS[1] - 1) * BIG_MM[1]) / 2,
  0, 0, BIG_MM[2], (-(BIG_DIMS[2] - 1) * BIG_MM[2]) / 2,
  0, 0, 0, 1,
];
const worldOf = (ijk: number[]): [number, number, number] => [0, 1, 2].map((r) => affine[r * 4] * ijk[0] + affine[r * 4 + 1] * ijk[1] + affine[r * 4 + 2] * ijk[2] + affine[r * 4 + 3]) as [number, number, number];

/** The slices probed: the first and last, and both sides of every slab boundary. */
export function bigProbeSlices(): number[] {
  const ks = new Set([0, BIG_DIMS[2] - 1]);
  for (let b = BIG_SLAB_SLICES; b < BIG_DIMS[2]; b += BIG_SLAB_SLICES) ks.add(b - 1).add(b);
  return [...ks].sort((a, b) => a - b);
}
/** The (i, j) probed on each of those slices: corners, the middle, and a few odd places. */
const [PX, PY] = BIG_DIMS;
const PROBE_IJ: [number, number][] = [[0, 0], [PX - 1, PY - 1], [PX - 1, 0], [0, PY - 1], [PX / 2 - 1, PY / 2], [Math.floor(PX * 0.3), Math.floor(PY * 0.78)], [PX - 95, 17]];
/** The profile's (i, j) and the boundary frames' crosshair. */
const LINE_IJ = PROBE_IJ[5];
const MIDDLE_IJ = PROBE_IJ[4];

export interface BigFile {
  dir: string;
  file: string;
  bytes: number;
  generateMs: number;
  remove(): void;
}

/**
 * Writes the file: encodeNifti's 352-byte header (given no voxels it writes the header alone), then
 * the voxels one 32 MiB slice at a time through a write stream, so the generator never holds more
 * than a slice. Refuses (before writing anything) when the temporary folder's disk has no room.
 */
export async function writeBigFile(): Promise<BigFile> {
  const base = tmpdir();
  const header = encodeNifti({ dims: [...BIG_DIMS], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(0), affine, description: 'voxlens bench: ((3i + 17j + 29k) mod 1500) - 200' });
  if (header.length !== 352) throw new Error(`INTERNAL ERROR: a NIfTI-1 header of ${header.length} bytes`);
  const bytes = header.length + voxelBytes;
  const fs = statfsSync(base);
  const free = fs.bavail * fs.bsize;
  if (free < bytes + 2 ** 30) throw new Error(`the big-file figure needs ${(bytes / 2 ** 30).toFixed(2)} GiB (+1 GiB spare) in ${base}; only ${(free / 2 ** 30).toFixed(2)} GiB is free`);
  const dir = mkdtempSync(join(base, 'voxlens-bench-big-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, 'big.nii');
  const t0 = Date.now();
  try {
    const out = createWriteStream(file);
    const write = async (chunk: Uint8Array) => {
      if (!out.write(chunk)) await once(out, 'drain');
    };
    await write(header);
    const [nx, ny, nz] = BIG_DIMS;
    for (let k = 0; k < nz; k++) {
      // A fresh slice each time: the stream may still hold the last one.
      const slice = new Int16Array(nx * ny);
      for (let j = 0; j < ny; j++) {
        let v = (j * 17 + k * 29) % 1500;
        const row = j * nx;
        for (let i = 0; i < nx; i++) {
          slice[row + i] = v - 200;
          v += 3;
          if (v >= 1500) v -= 1500;
        }
      }
      await write(new Uint8Array(slice.buffer));
    }
    out.end();
    await once(out, 'finish');
  } catch (e) {
    remove();
    throw e;
  }
  return { dir, file, bytes, generateMs: Date.now() - t0, remove };
}

export interface BigRun {
  /** voxlens.load(url) called → resolved (fetch, decode into the slabs, display level, layer added). */
  loadMs: number;
  /** load called → first frame drawn (frame() resolved, one pixel read back). */
  firstFrameMs: number;
  /** load resolved → first frame: the display level's texture uploaded and drawn. */
  frameMs: number;
  /** voxlens:load-start → voxlens:decoded (the whole file fetched and written into the slabs). */
  decodeMs: number | null;
  /** voxlens:decoded → load resolved: the display level decimated from the slabs, the layer added. */
  displayMs: number | null;
  dims: number[];
  fullDims: number[];
  /** The buffers that hold the full grid (pinned as its slabs), and the display level's. */
  slabBytes: number[];
  slabSlices: number;
  displayBytes: number;
  textureBytes: number;
  liveBytes: number;
  /** Probe points checked against the formula (voxel index, world point and profile samples). */
  probesChecked: number;
  /** Of them, read wrong (a value, an index, not full resolution or not inside). */
  wrongProbes: number;
  /** voxlens.probe({ ijk }) call times, ms. */
  probeMs: number[];
  /** A frame with the crosshair on the last slice of a slab and one on the first of the next. */
  boundaryFrameMs: number[];
  /** Peak VmRSS rise during load → first frame (bytes), and of it the renderer's shared memory at its peak. */
  rendererRise: number;
  rendererShmemRise: number;
  gpuRise: number;
  /** The renderer's VmRSS rise (over its level before the load) once the frame is drawn, and after the layer is closed. */
  rendererAfterFrame: number;
  rendererAfterClose: number;
  /** Every voxel checked through voxlens.view(id, { slab }): how long, how many, how many wrong. */
  scanMs: number;
  scanVoxels: number;
  wrongVoxels: number;
  /** The same file loaded again after close: its first frame, and the renderer's peak rise over its level after close. */
  reload: { firstFrameMs: number; decodeMs: number | null; rendererRise: number; liveBytes: number; buffers: number; pooledBuffersLeft: number } | null;
  /** After close: voxel buffers still pinned, live bytes (pinned), pooled bytes (kept for reuse), texture bytes. */
  closed: { pinnedBuffers: number; liveBytes: number; pooledBytes: number; textureBytes: number };
  /** Wrong probes, a slab layout other than the pool's rule, buffers left pinned: any fails the run. */
  failures: string[];
  error?: string;
}

export interface BigResult {
  date: string;
  name: string;
  dims: number[];
  bytes: number;
  generateMs: number;
  budgetMiB: number;
  /** The 1-minute load average when the runs started and ended (other work on the 2 cores skews the times). */
  loadAvg1m: [number, number];
  browser: string;
  renderer: string;
  probeSlices: number[];
  runs: BigRun[];
  summary: Record<string, Summary | null>;
}

interface Sample {
  renderer: number;
  shmem: number;
  gpu: number;
}

const sample = (pids: { renderer: number[]; gpu: number[] }): Sample => rendererGpuRss(pids);

/** Load → first frame in the page, with the load's marks. */
function loadInPage(page: Page, url: string) {
  return page.evaluate(async (u) => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const t0 = performance.now();
    const info = await window.voxlens.load(u);
    const t1 = performance.now();
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const t2 = performance.now();
    const marks = performance.getEntriesByType('mark');
    const start = marks.find((m) => m.name.startsWith('voxlens:load-start:'));
    const decoded = marks.find((m) => m.name.startsWith('voxlens:decoded:'));
    const layer = window.voxlens.layers()[0];
    const memory = window.voxlens.memory();
    return {
      id: info.id,
      loadMs: t1 - t0,
      firstFrameMs: t2 - t0,
      decodeMs: start && decoded ? decoded.startTime - start.startTime : null,
      displayMs: decoded ? t1 - decoded.startTime : null,
      dims: layer.dims,
      fullDims: layer.fullDims ?? null,
      buffers: memory.buffers.map((b) => ({ bytes: b.bytes, pins: b.pins.map((p) => p.label), pooled: b.pooled })),
      textureBytes: memory.textureBytes,
      liveBytes: memory.liveBytes,
    };
  }, url);
}

/** The probe points and what the page read there. */
function probeInPage(page: Page, id: string, points: { ijk: number[]; world: [number, number, number] }[], line: { from: [number, number, number]; to: [number, number, number]; samples: number }) {
  return page.evaluate(
    ([layerId, pts, l]) => ({
      byIndex: pts.map((p) => {
        const r = window.voxlens.probe({ ijk: p.ijk }, layerId)[0];
        return { ijk: r.ijk, raw: r.raw as number, fullResolution: r.fullResolution === true, inside: r.inside };
      }),
      byWorld: pts.map((p) => {
        const r = window.voxlens.probe({ world: p.world }, layerId)[0];
        return { ijk: r.ijk, raw: r.raw as number, fullResolution: r.fullResolution === true, inside: r.inside };
      }),
      profile: window.voxlens.profile(l, layerId),
    }),
    [id, points, line] as const,
  );
}

/** Load → first frame, sampling the renderer's and GPU process's memory meanwhile: the peaks. */
async function sampledLoad(page: Page, pids: { renderer: number[]; gpu: number[] }, url: string, why: (e: unknown) => Promise<Error>) {
  const before = sample(pids);
  let peak = before;
  const timer = setInterval(() => {
    const s = sample(pids);
    // The shared memory at the renderer's peak, not its own peak.
    if (s.renderer > peak.renderer) peak = { ...s, gpu: Math.max(peak.gpu, s.gpu) };
    else peak = { ...peak, gpu: Math.max(peak.gpu, s.gpu) };
  }, SAMPLE_MS);
  try {
    return { loaded: await loadInPage(page, url), before, peak };
  } catch (e) {
    throw await why(e);
  } finally {
    clearInterval(timer);
  }
}

async function oneRun(base: string, url: string, runIndex: number): Promise<{ run: BigRun; browser: string; rendererName: string }> {
  const { page, rootPid, browser, close } = await launch(VIEWPORT);
  try {
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    let crashed = false;
    page.on('crash', () => (crashed = true));
    await page.goto(`${base}/?empty&layout=axial&budgetMiB=${BIG_BUDGET_MIB}`);
    await page.waitForFunction(() => typeof window.voxlens === 'object' && document.querySelector('canvas') !== null);
    await page.waitForTimeout(500);
    const pids = kindPids(rootPid);
    // A failed load says why: the error, the app's notices, the page's console errors, a crash.
    const why = async (e: unknown) => {
      const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      const notices = await page.evaluate(() => [...document.querySelectorAll('[role=alert], .notice')].map((n) => n.textContent).join(' | ')).catch(() => '');
      return new Error(`${crashed ? 'the renderer crashed: ' : ''}${message}${notices ? `; notices: ${notices}` : ''}${consoleErrors.length ? `; console: ${consoleErrors.slice(0, 3).join(' | ')}` : ''}`, { cause: e });
    };
    const { loaded, before: baseline, peak } = await sampledLoad(page, pids, url, why);
    const afterFrame = sample(pids);
    const failures: string[] = [];
    // The slabs: the buffers pinned as the full grid's, in order.
    // ("full resolution of X, slab n of N" under a display level; "X, slab n of N" drawn whole.)
    const slabs = loaded.buffers.filter((b) => b.pins.some((p) => / slab \d+ of \d+$/.test(p)));
    const display = loaded.buffers.find((b) => !slabs.includes(b) && b.pins.some((p) => p.startsWith('texture of')) && !b.pooled);
    const expectedSlabs = Array.from({ length: Math.ceil(BIG_DIMS[2] / BIG_SLAB_SLICES) }, (_, n) => Math.min(BIG_SLAB_SLICES, BIG_DIMS[2] - n * BIG_SLAB_SLICES) * sliceBytes);
    if (slabs.map((s) => s.bytes).join() !== expectedSlabs.join()) failures.push(`slabs of ${slabs.map((s) => s.bytes).join(', ')} bytes, expected ${expectedSlabs.join(', ')}`);
    if ((loaded.fullDims ?? loaded.dims).join() !== BIG_DIMS.join()) failures.push(`full grid ${(loaded.fullDims ?? loaded.dims).join('×')}, expected ${BIG_DIMS.join('×')}`);
    // Probes: by voxel index and by world point on both sides of each slab boundary, first and last slice.
    const points = bigProbeSlices().flatMap((k) => PROBE_IJ.map(([i, j]) => ({ ijk: [i, j, k], world: worldOf([i, j, k]) })));
    const boundary = BIG_SLAB_SLICES < BIG_DIMS[2] ? BIG_SLAB_SLICES : BIG_DIMS[2] - 1;
    const k0 = Math.max(0, boundary - 3), k1 = Math.min(BIG_DIMS[2] - 1, boundary + 2);
    const line = { from: worldOf([...LINE_IJ, k0]), to: worldOf([...LINE_IJ, k1]), samples: k1 - k0 + 1 };
    const probed = await probeInPage(page, loaded.id, points, line);
    let checked = 0;
    let wrong = 0;
    const wrongProbe = (message: string) => {
      wrong++;
      failures.push(message);
    };
    const check = (what: string, ijk: number[], got: { ijk: number[]; raw: number; fullResolution: boolean; inside: boolean }) => {
      checked++;
      const want = bigValue(ijk[0], ijk[1], ijk[2]);
      if (got.ijk.slice(0, 3).join() !== ijk.join() || got.raw !== want || !got.fullResolution || !got.inside) {
        wrongProbe(`${what} at ${ijk.join(',')}: read ${got.raw} at ${got.ijk.join(',')}${got.fullResolution ? '' : ' (not full resolution)'}${got.inside ? '' : ' (outside)'}, expected ${want}`);
      }
    };
    points.forEach((p, n) => check('probe({ ijk })', p.ijk, probed.byIndex[n]));
    points.forEach((p, n) => check('probe({ world })', p.ijk, probed.byWorld[n]));
    probed.profile.raw.forEach((raw, n) => {
      checked++;
      const ijk = probed.profile.ijk[n].slice(0, 3);
      const want = [...LINE_IJ, k0 + n];
      if (ijk.join() !== want.join() || raw !== bigValue(want[0], want[1], want[2])) wrongProbe(`profile sample ${n}: read ${raw} at ${ijk.join(',')}, expected ${bigValue(want[0], want[1], want[2])} at ${want.join(',')}`);
    });
    // Probe time: voxels spread over the whole grid (the same sequence every run).
    const spread = Array.from({ length: TIMED_PROBES }, (_, n) => [Math.floor((n * 0.618034 * BIG_DIMS[0]) % BIG_DIMS[0]), Math.floor((n * 0.414214 * BIG_DIMS[1]) % BIG_DIMS[1]), Math.floor((n * 0.732051 * BIG_DIMS[2]) % BIG_DIMS[2])]);
    const timed = await page.evaluate(
      ([layerId, pts]) =>
        pts.map((ijk) => {
          const t0 = performance.now();
          const r = window.voxlens.probe({ ijk }, layerId)[0];
          return { ms: performance.now() - t0, raw: r.raw as number };
        }),
      [loaded.id, spread] as const,
    );
    timed.forEach((t, n) => {
      checked++;
      const [i, j, k] = spread[n];
      if (t.raw !== bigValue(i, j, k)) wrongProbe(`probe({ ijk }) at ${spread[n].join(',')}: read ${t.raw}, expected ${bigValue(i, j, k)}`);
    });
    // A frame on each side of the boundary (the crosshair on the slab's last slice, then the next one's first).
    const boundaryFrameMs = await page.evaluate(
      async (ws) => {
        const gl = document.querySelector('canvas')!.getContext('webgl2')!;
        const out: number[] = [];
        for (const w of ws) {
          const t0 = performance.now();
          window.voxlens.setCrosshair(w);
          await window.voxlens.frame();
          gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
          out.push(performance.now() - t0);
        }
        return out;
      },
      [worldOf([...MIDDLE_IJ, boundary - 1]), worldOf([...MIDDLE_IJ, boundary])],
    );
    // Every voxel, slab by slab through voxlens.view(id, { slab }), against the formula: the decoder's
    // writes across the boundary (an HTTP chunk straddles it) and the slab order. A view of the
    // whole grid at once must be refused (it is more than one buffer).
    const scan = await page.evaluate(
      ([layerId, dims]) => {
        const refusal = (): string => {
          try {
            window.voxlens.view(layerId).release();
            return 'view(id) of the whole grid was not refused';
          } catch (e) {
            return /slab/.test(String(e)) ? '' : `view(id) failed otherwise: ${String(e)}`;
          }
        };
        const whole = refusal();
        const [nx, ny, nz] = dims;
        const t0 = performance.now();
        const wrong: string[] = [];
        let voxels = 0;
        let bad = 0;
        let k = 0;
        for (let n = 0; k < nz; n++) {
          const view = window.voxlens.view(layerId, { slab: n });
          const a = view.array;
          const slices = a.length / (nx * ny);
          for (let s = 0; s < slices; s++, k++) {
            for (let j = 0; j < ny; j++) {
              let v = (j * 17 + k * 29) % 1500;
              const row = (s * ny + j) * nx;
              for (let i = 0; i < nx; i++) {
                if (a[row + i] !== v - 200 && ++bad <= 10) wrong.push(`slab ${n} voxel ${i},${j},${k}: ${a[row + i]}, expected ${v - 200}`);
                v += 3;
                if (v >= 1500) v -= 1500;
              }
            }
          }
          voxels += a.length;
          view.release();
        }
        return { ms: performance.now() - t0, voxels, bad, wrong, whole };
      },
      [loaded.id, [...BIG_DIMS]] as const,
    );
    for (const w of scan.wrong) failures.push(`view({ slab }) ${w}`);
    if (scan.voxels !== voxelBytes / 2) failures.push(`the slab views hold ${scan.voxels} voxels, expected ${voxelBytes / 2}`);
    if (scan.whole) failures.push(scan.whole);
    // Close: every buffer unpinned (pooled for reuse), the texture dropped.
    const closed = await page.evaluate(async (layerId) => {
      window.voxlens.close(layerId);
      await window.voxlens.frame();
      await new Promise((r) => setTimeout(r, 1000));
      const m = window.voxlens.memory();
      return { pinnedBuffers: m.buffers.filter((b) => b.pins.length > 0).length, liveBytes: m.liveBytes, pooledBytes: m.pooledBytes, textureBytes: m.textureBytes, layers: window.voxlens.layers().length };
    }, loaded.id);
    const afterClose = sample(pids);
    if (closed.layers !== 0) failures.push(`${closed.layers} layer(s) left after close`);
    if (closed.pinnedBuffers || closed.liveBytes) failures.push(`after close ${closed.pinnedBuffers} buffer(s) still pinned, ${closed.liveBytes} live bytes`);
    if (closed.textureBytes) failures.push(`after close ${closed.textureBytes} texture bytes`);
    // The same file again: the pooled slabs and display level are reused, so the renderer should not grow by another volume.
    const again = await sampledLoad(page, pids, url, why);
    const reprobe = await probeInPage(page, again.loaded.id, points.filter((p) => p.ijk[2] === boundary - 1 || p.ijk[2] === boundary), line);
    reprobe.byIndex.forEach((got, n) => {
      const ijk = points.filter((p) => p.ijk[2] === boundary - 1 || p.ijk[2] === boundary)[n].ijk;
      checked++;
      if (got.raw !== bigValue(ijk[0], ijk[1], ijk[2]) || !got.fullResolution) wrongProbe(`after reload, probe({ ijk }) at ${ijk.join(',')}: read ${got.raw}, expected ${bigValue(ijk[0], ijk[1], ijk[2])}`);
    });
    const reloadedBuffers = again.loaded.buffers.filter((b) => !b.pooled).length;
    if (failures.length) log(`  run ${runIndex + 1}: ${failures.length} FAILURE(S):\n    ${failures.slice(0, 20).join('\n    ')}`);
    const run: BigRun = {
      loadMs: loaded.loadMs,
      firstFrameMs: loaded.firstFrameMs,
      frameMs: loaded.firstFrameMs - loaded.loadMs,
      decodeMs: loaded.decodeMs,
      displayMs: loaded.displayMs,
      dims: loaded.dims,
      fullDims: loaded.fullDims ?? [],
      slabBytes: slabs.map((s) => s.bytes),
      slabSlices: slabs.length ? slabs[0].bytes / sliceBytes : 0,
      displayBytes: display?.bytes ?? 0,
      textureBytes: loaded.textureBytes,
      liveBytes: loaded.liveBytes,
      probesChecked: checked,
      wrongProbes: wrong,
      probeMs: timed.map((t) => t.ms),
      boundaryFrameMs,
      rendererRise: peak.renderer - baseline.renderer,
      rendererShmemRise: peak.shmem - baseline.shmem,
      gpuRise: peak.gpu - baseline.gpu,
      rendererAfterFrame: afterFrame.renderer - baseline.renderer,
      rendererAfterClose: afterClose.renderer - baseline.renderer,
      scanMs: scan.ms,
      scanVoxels: scan.voxels,
      wrongVoxels: scan.bad,
      reload: {
        firstFrameMs: again.loaded.firstFrameMs,
        decodeMs: again.loaded.decodeMs,
        rendererRise: again.peak.renderer - afterClose.renderer,
        liveBytes: again.loaded.liveBytes,
        buffers: reloadedBuffers,
        pooledBuffersLeft: again.loaded.buffers.filter((b) => b.pooled).length,
      },
      closed: { pinnedBuffers: closed.pinnedBuffers, liveBytes: closed.liveBytes, pooledBytes: closed.pooledBytes, textureBytes: closed.textureBytes },
      failures,
    };
    return { run, browser: browser.version(), rendererName: await rendererOf(page) };
  } finally {
    await close();
  }
}

const failedRun = (error: string): BigRun => ({
  loadMs: NaN, firstFrameMs: NaN, frameMs: NaN, decodeMs: null, displayMs: null, dims: [], fullDims: [], slabBytes: [], slabSlices: 0, displayBytes: 0, textureBytes: 0, liveBytes: 0,
  probesChecked: 0, wrongProbes: 0, probeMs: [], boundaryFrameMs: [], rendererRise: NaN, rendererShmemRise: NaN, gpuRise: NaN, rendererAfterFrame: NaN, rendererAfterClose: NaN, scanMs: NaN, scanVoxels: 0, wrongVoxels: 0, reload: null,
  closed: { pinnedBuffers: 0, liveBytes: 0, pooledBytes: 0, textureBytes: 0 }, failures: [], error,
});

/**
 * Generates the file, serves it with the production app (`appDir`) from a server of its own (the
 * bench's static server, on a free loopback port: the same origin, the isolation headers), runs
 * `runs` fresh-browser loads, and deletes the file.
 */
export async function measureBig(appDir: string, runs: number): Promise<BigResult> {
  log(`\n${BIG_NAME}: generating ${BIG_DIMS.join(' × ')} int16 in ${tmpdir()}…`);
  const big = await writeBigFile();
  const removeOnExit = () => big.remove();
  process.once('exit', removeOnExit);
  log(`  wrote ${(big.bytes / 2 ** 30).toFixed(2)} GiB in ${(big.generateMs / 1000).toFixed(1)} s: ${big.file}`);
  const loadStart = loadavg()[0];
  const list: BigRun[] = [];
  let browserVersion = '';
  let rendererName = '';
  let server: Awaited<ReturnType<typeof serve>>['server'] | undefined;
  try {
    const served = await serve({ '/': appDir, '/big/': big.dir });
    server = served.server;
    const base = served.url;
    const url = `${base}/big/big.nii`;
    for (let r = 0; r < runs; r++) {
      try {
        const got = await oneRun(base, url, r);
        browserVersion ||= got.browser;
        rendererName ||= got.rendererName;
        list.push(got.run);
        const x = got.run;
        log(
          `  run ${r + 1}: first frame ${x.firstFrameMs.toFixed(0)} ms (decode ${x.decodeMs?.toFixed(0) ?? '?'} ms, display level ${x.displayMs?.toFixed(0) ?? '?'} ms), ` +
            `${x.slabBytes.length} slabs of ${x.slabSlices} slices, drawn ${x.dims.join('×')} of ${x.fullDims.join('×')}, ` +
            `renderer peak +${(x.rendererRise / 2 ** 30).toFixed(2)} GiB, gpu +${(x.gpuRise / 2 ** 30).toFixed(2)} GiB, ${x.probesChecked} probes checked, ${x.failures.length} failure(s)`,
        );
      } catch (e) {
        const error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        log(`  run ${r + 1}: FAILED ${error}`);
        list.push(failedRun(error));
      }
    }
  } finally {
    server?.close();
    big.remove();
    process.off('exit', removeOnExit);
  }
  const ok = list.filter((r) => !r.error);
  const pick = (f: (r: BigRun) => number | null) => summarize(ok.flatMap((r) => (f(r) === null ? [] : [f(r) as number])));
  return {
    date: new Date().toISOString(),
    name: BIG_NAME,
    dims: [...BIG_DIMS],
    bytes: big.bytes,
    generateMs: big.generateMs,
    budgetMiB: BIG_BUDGET_MIB,
    loadAvg1m: [loadStart, loadavg()[0]],
    browser: browserVersion,
    renderer: rendererName,
    probeSlices: bigProbeSlices(),
    runs: list,
    summary: {
      firstFrameMs: pick((r) => r.firstFrameMs),
      loadMs: pick((r) => r.loadMs),
      decodeMs: pick((r) => r.decodeMs),
      displayMs: pick((r) => r.displayMs),
      frameMs: pick((r) => r.frameMs),
      scanMs: pick((r) => r.scanMs),
      reloadFirstFrameMs: pick((r) => r.reload?.firstFrameMs ?? null),
      reloadRiseGiB: pick((r) => (r.reload ? r.reload.rendererRise / 2 ** 30 : null)),
      decodeMBps: pick((r) => (r.decodeMs ? voxelBytes / 1e6 / (r.decodeMs / 1000) : null)),
      probeMs: summarize(ok.flatMap((r) => r.probeMs)),
      boundaryFrameMs: summarize(ok.flatMap((r) => r.boundaryFrameMs)),
      rendererRiseGiB: pick((r) => r.rendererRise / 2 ** 30),
      rendererRise: pick((r) => r.rendererRise / voxelBytes),
      rendererShmemMiB: pick((r) => r.rendererShmemRise / 2 ** 20),
      gpuRiseGiB: pick((r) => r.gpuRise / 2 ** 30),
      rendererAfterFrameGiB: pick((r) => r.rendererAfterFrame / 2 ** 30),
      rendererAfterCloseGiB: pick((r) => r.rendererAfterClose / 2 ** 30),
    },
  };
}

/** Every failure of the figure (runs that failed, wrong probes, slabs, buffers left pinned); empty when it passed. */
export function bigFailures(b: BigResult): string[] {
  const out = b.runs.flatMap((r, n) => (r.error ? [`run ${n + 1}: ${r.error}`] : r.failures.map((f) => `run ${n + 1}: ${f}`)));
  if (!b.runs.length) out.push('no run');
  return out;
}

export function bigReport(b: BigResult): string {
  const s = b.summary;
  const first = b.runs.find((r) => !r.error);
  const gib = (x: number) => `${(x / 2 ** 30).toFixed(2)} GiB`;
  const mib = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;
  const rows = [
    ['load → first frame (voxlens.load(url) → frame() + one pixel read back)', fmt(s.firstFrameMs, ' ms', 0)],
    ['  of it: decode (load-start → decoded marks: fetched over HTTP into the slabs)', fmt(s.decodeMs, ' ms', 0)],
    [
      first && !first.fullDims.length ? '  of it: decoded → load resolved (drawn whole: no display level; the layer added)' : '  of it: display level (decoded → load resolved: decimated from the slabs, layer added)',
      fmt(s.displayMs, ' ms', 0),
    ],
    ['  of it: first frame (load resolved → frame() + read back: the texture uploaded, drawn)', fmt(s.frameMs ?? null, ' ms', 0)],
    ['decode throughput (voxel bytes / decode time)', fmt(s.decodeMBps, ' MB/s', 0)],
    [
      'full grid held in',
      first ? `${first.slabBytes.length} slabs: ${first.slabBytes.map((x) => `${x / sliceBytes} slices (${mib(x)})`).join(' + ')}` : 'n/a',
    ],
    [
      'drawn (layers()[0].dims) of fullDims',
      first ? (first.fullDims.length ? `${first.dims.join(' × ')} of ${first.fullDims.join(' × ')} (display level ${mib(first.displayBytes)}, textures ${mib(first.textureBytes)})` : `${first.dims.join(' × ')}, whole (textures ${mib(first.textureBytes)})`) : 'n/a',
    ],
    ['voxel memory live after the load (memory().liveBytes)', first ? gib(first.liveBytes) : 'n/a'],
    [`probes checked against the formula (slices ${b.probeSlices.join(', ')}: ijk, world, a profile across the boundary, ${TIMED_PROBES} spread)`, b.runs.map((r) => (r.error ? 'FAILED' : `${r.probesChecked - r.wrongProbes}/${r.probesChecked} exact`)).join(', ')],
    ['every voxel read through voxlens.view(id, { slab: n }) against the formula', b.runs.map((r) => (r.error ? 'FAILED' : `${r.scanVoxels - r.wrongVoxels}/${r.scanVoxels} exact`)).join(', ') + ` in ${fmt(s.scanMs ?? null, ' ms', 0)}`],
    ['voxlens.probe({ ijk }) time', fmt(s.probeMs, ' ms', 3)],
    ['a frame with the crosshair on each side of the slab boundary', fmt(s.boundaryFrameMs, ' ms', 0)],
    ['renderer peak VmRSS rise, load → first frame', `${fmt(s.rendererRiseGiB, ' GiB', 2)} = ${fmt(s.rendererRise, '×', 2)} the voxel bytes`],
    ['  the same as × voxels + constant (median)', s.rendererRise ? ruleForm(s.rendererRise.median, voxelBytes) : 'n/a'],
    ['  of it: shared memory at the peak (RssShmem)', fmt(s.rendererShmemMiB, ' MiB', 0)],
    ['GPU-process peak VmRSS rise (SwiftShader holds the texture in RAM)', fmt(s.gpuRiseGiB, ' GiB', 2)],
    ['renderer VmRSS rise after the frame', fmt(s.rendererAfterFrameGiB, ' GiB', 2)],
    ['after close: buffers pinned, live, pooled (kept for reuse), textures', first ? `${first.closed.pinnedBuffers}, ${gib(first.closed.liveBytes)}, ${gib(first.closed.pooledBytes)}, ${mib(first.closed.textureBytes)}` : 'n/a'],
    ['renderer VmRSS rise after close', fmt(s.rendererAfterCloseGiB, ' GiB', 2)],
    ['the same file again after close: load → first frame', fmt(s.reloadFirstFrameMs ?? null, ' ms', 0)],
    ['  renderer peak rise over its level after close (the pooled buffers reused)', fmt(s.reloadRiseGiB ?? null, ' GiB', 2)],
    ['  buffers live, pooled left', first?.reload ? `${first.reload.buffers} (${gib(first.reload.liveBytes)}), ${first.reload.pooledBuffersLeft}` : 'n/a'],
  ];
  const failures = bigFailures(b);
  return (
    `Big file: ${b.name}, ${b.date}; generated ${(b.bytes / 2 ** 30).toFixed(2)} GiB in ${(b.generateMs / 1000).toFixed(1)} s into the temporary folder (deleted after); ` +
    `voxel (i, j, k) = ((3i + 17j + 29k) mod 1500) − 200; served over HTTP (loopback, cross-origin isolated); ?budgetMiB=${b.budgetMiB}; ${b.runs.length} fresh-browser run(s)` +
    `${b.loadAvg1m ? `; load average ${b.loadAvg1m.map((x) => x.toFixed(1)).join(' → ')}` : ''}\n` +
    `browser ${b.browser}; renderer ${b.renderer}; renderer memory sampled every ${SAMPLE_MS} ms (VmRSS over its level before the load)\n\n` +
    `${table(['measure', 'median [min–max]'], rows)}\n\n` +
    (failures.length ? `FAILED:\n${failures.slice(0, 30).map((f) => `  ${f}`).join('\n')}${failures.length > 30 ? `\n  … and ${failures.length - 30} more` : ''}\n` : 'every probe and voxel exact on both sides of the slab boundary; every buffer unpinned after close\n')
  );
}

const SECTION = isDefaultGrid
  ? { key: 'big', title: 'A volume larger than one buffer (2.5 GiB NIfTI)', command: 'npm run bench -- --big' }
  : { key: 'bigWhole', title: `A volume larger than one buffer, drawn whole (${BIG_NAME})`, command: 'VOXLENS_BENCH_BIG_DIMS=NXxNYxNZ npm run bench -- --big' };
export const bigSection = (b: BigResult): string => resultSection(SECTION.key, SECTION.title, bigReport(b), SECTION.command);
export const mergeBig = (jsonPath: string, mdPath: string, b: BigResult): void => mergeResultSection(jsonPath, mdPath, SECTION.key, SECTION.title, b, bigReport(b), SECTION.command);

/**
 * The figure (`npm run bench -- --big`; in a full run only where VOXLENS_BENCH_BIG=1, so CI's runs
 * stay short; never in the smoke run). --runs defaults to 1 here. A wrong probe, a failed load or
 * buffers left pinned fail the run.
 */
export const big = runFigure<BigResult>({
  name: 'big-file',
  key: 'big',
  flag: '--big',
  inFull: process.env.VOXLENS_BENCH_BIG === '1',
  inSmoke: false,
  run: async () => {
    if (!included(BIG_NAME)) return undefined;
    const result = await measureBig(appDir, runsGiven ? runs : 1);
    log(`\n${bigReport(result)}`);
    return result;
  },
  section: { label: 'big-file', report: bigReport, markdown: bigSection, merge: mergeBig },
  failures: (json) => (json.big ? bigFailures(json.big as BigResult) : []),
});
