// The segmentation figure (`npm run bench -- --segmentation`; not in a full run, which keeps the last
// one): on the int16 256³ phantom and the 512×512×300 CT (the 32³ volume in a smoke run), one
// page each:
//   stroke     = a brush dab (disk, 5 mm radius, axial) → its box uploaded (the paint promise) and
//                → the next frame drawn, over a 60-dab stroke; main-thread ms of the call itself;
//   bytes      = bytes texSubImage3D sent per dab, against the label volume's bytes (GL wrapped);
//   grow       = 3D region grow (6-connected) from the centre, its range widened until about 1 M
//                voxels (or all it can reach) are filled: ms of fill() (grow, write, upload);
//   undo       = ms of undo() of that grow (the box delta swapped back, uploaded);
//   history    = the undo history's bytes after 50 sphere strokes (10 mm), and the renderer's JS
//                heap then (performance.memory, where Chromium gives it), against the label bytes.
// NiiVue in the same run, on its own page with the same file (bench/pages/niivueDraw.ts): the
// same stroke with its pen (drawPt / drawPenLine + refreshDrawing per event, its redraw), and
// drawFloodFill over the range the Voxlens grow ended with, then drawUndo.
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import { launch, log, mergeResultSection, openVoxlensPanes, resultSection, voxlensLoad } from '../harness';
import { runFigure } from '../figure';
import { dataDir, included, smoke } from '../options';
import { table } from '../stats';
import { benchVolumes } from '../volumes';
import type { DrawFill, DrawStroke } from '../pages/niivueDraw';

const RADIUS_MM = 5;

interface NiivueRun {
  dabCallMs: number;
  dabFrameMs: number;
  dabMaxFrameMs: number;
  strokeEndMs: number;
  penSize: number;
  uploadBytesPerDab: number;
  fill: DrawFill;
  error?: string;
}

interface SegmentRun {
  volume: string;
  labelBytes: number;
  dabs: number;
  /** Medians over the dabs: call → promise (uploaded), call → frame drawn, and the call's own main-thread time. */
  dabUploadMs: number;
  dabFrameMs: number;
  dabCallMs: number;
  dabMaxFrameMs: number;
  uploadBytesPerDab: number;
  uploadCallsPerDab: number;
  imageUploadsDuringStrokes: number;
  growVoxels: number;
  /** fill() until its promise (grow, write, box uploaded with the next frame), and the call's own main-thread part (grow and write). */
  growMs: number;
  growCallMs: number;
  /** The grow's own time in the worker (NaN when not reported), and whether it ran there. */
  growWorkerMs: number;
  growInWorker: boolean;
  undoMs: number;
  undoCallMs: number;
  historyBytes50: number;
  heapBytes50: number | null;
  /** The scaled range the grow ended with (NiiVue fills over the same). */
  growRange: [number, number];
  /** The grow's seed (voxel indices; NiiVue's drawing grid is the same for these RAS-aligned files). */
  growSeed: [number, number, number];
  /** [value, voxels] of each compartment tried. */
  compartments: [number, number][];
  niivue?: NiivueRun;
  error?: string;
}

async function oneRun(base: string, name: string, url: string): Promise<SegmentRun> {
  const { page, close } = await launch({ width: 900, height: 640 });
  try {
    await openVoxlensPanes(page, base, 'axial', [512, 512]);
    await voxlensLoad(page, url);
    const r = await page.evaluate(
      async ({ dabs, radius }) => {
        const v = window.voxlens;
        const proto = WebGL2RenderingContext.prototype;
        const counts = { subBytes: 0, subCalls: 0, images: 0 };
        const sub = proto.texSubImage3D;
        proto.texSubImage3D = function (this: WebGL2RenderingContext, ...a: unknown[]) {
          counts.subCalls++;
          counts.subBytes += (a[5] as number) * (a[6] as number) * (a[7] as number);
          return (sub as (...x: unknown[]) => void).apply(this, a);
        } as typeof proto.texSubImage3D;
        const img = proto.texImage3D;
        proto.texImage3D = function (this: WebGL2RenderingContext, ...a: unknown[]) {
          counts.images++;
          return (img as (...x: unknown[]) => void).apply(this, a);
        } as typeof proto.texImage3D;
        const [layer] = v.layers();
        const { id } = await v.segmentation.create(layer.id);
        await v.frame();
        const { dims, affine } = layer;
        const at = (i: number, j: number, k: number): [number, number, number] => [0, 1, 2].map((r) => affine[r][0] * i + affine[r][1] * j + affine[r][2] * k + affine[r][3]) as [number, number, number];
        const [nx, ny, nz] = dims;
        const labelBytes = nx * ny * nz;
        // A stroke across the middle slice.
        const upload: number[] = [], frame: number[] = [], call: number[] = [];
        const sub0 = { ...counts };
        for (let d = 0; d < dabs; d++) {
          const c = at(nx * (0.25 + (0.5 * d) / dabs), ny / 2, Math.floor(nz / 2));
          const t0 = performance.now();
          const p = v.segmentation.paint(id, { center: c, radius, shape: 'disk', pane: 'axial', value: 1 });
          call.push(performance.now() - t0);
          await p;
          upload.push(performance.now() - t0);
          await v.frame();
          frame.push(performance.now() - t0);
        }
        const perDab = { bytes: (counts.subBytes - sub0.subBytes) / dabs, calls: (counts.subCalls - sub0.subCalls) / dabs, images: counts.images - sub0.images };
        // Region grow of about 1 M voxels. The phantom is piecewise constant (a range either holds a
        // compartment or not), so: one seed per distinct value along the x and y lines through the
        // centre, each grown over its own value (±0.5) and undone; the compartment nearest 1 M
        // voxels (by ratio) is grown again, timed, and that grow undone, timed.
        const target = Math.min(1_000_000, Math.floor(labelBytes / 4));
        const background = v.probe({ ijk: [0, 0, 0] }, layer.id)[0].scaled as number;
        const seeds = new Map<number, [number, number, number]>();
        for (let a = 0; a < 2; a++)
          for (let t = 0; t < 64; t++) {
            const ijk: [number, number, number] = a === 0 ? [Math.floor((nx * t) / 64), Math.floor(ny / 2), Math.floor(nz / 2)] : [Math.floor(nx / 2), Math.floor((ny * t) / 64), Math.floor(nz / 2)];
            const value = v.probe({ ijk }, layer.id)[0].scaled as number;
            if (value !== background && !seeds.has(value)) seeds.set(value, ijk);
          }
        type Grow = { voxels: number; ms: number; callMs: number; workerMs: number; inWorker: boolean; range: [number, number]; seedIjk: [number, number, number] };
        const growAt = async (seedIjk: [number, number, number], value: number): Promise<Grow> => {
          const range: [number, number] = [value - 0.5, value + 0.5];
          const before = v.segmentation.stats(id).find((s) => s.value === 2)?.voxels ?? 0;
          const t0 = performance.now();
          const p = v.segmentation.fill(id, { seed: at(...seedIjk), value: 2, range, connectivity: 6 });
          const callMs = performance.now() - t0;
          await p;
          const ms = performance.now() - t0;
          const voxels = (v.segmentation.stats(id).find((s) => s.value === 2)?.voxels ?? 0) - before;
          // The grow itself runs in a worker (segmentation/grow.worker.ts): its own time, from the measure's detail.
          const measure = performance.getEntriesByName('voxlens:segmentation:grow').at(-1) as PerformanceMeasure | undefined;
          const detail = measure?.detail as { inWorker?: boolean; workerMs?: number } | undefined;
          return { voxels, ms, callMs, workerMs: detail?.workerMs ?? NaN, inWorker: !!detail?.inWorker, range, seedIjk };
        };
        let best: { value: number; seedIjk: [number, number, number]; off: number } | null = null;
        const compartments: [number, number][] = [];
        for (const [value, seedIjk] of seeds) {
          const g = await growAt(seedIjk, value);
          await v.segmentation.undo(id);
          compartments.push([value, g.voxels]);
          const off = g.voxels > 0 ? Math.abs(Math.log(g.voxels / target)) : Infinity;
          if (!best || off < best.off) best = { value, seedIjk, off };
        }
        const grow = best ? await growAt(best.seedIjk, best.value) : { voxels: 0, ms: NaN, callMs: NaN, workerMs: NaN, inWorker: false, range: [0, 0] as [number, number], seedIjk: [0, 0, 0] as [number, number, number] };
        const t1 = performance.now();
        const u = v.segmentation.undo(id);
        const undoCallMs = performance.now() - t1;
        await u;
        const undoMs = performance.now() - t1;
        // 50 sphere strokes: the history's bytes and the heap.
        for (let s = 0; s < 50; s++) await v.segmentation.paint(id, { center: at(nx * (0.2 + 0.012 * s), ny * (0.3 + 0.008 * s), nz * (0.3 + 0.008 * s)), radius: 10, shape: 'sphere', value: 3 });
        const historyBytes = v.segmentation.history(id).bytes;
        const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
        const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
        return { labelBytes, upload: med(upload), frame: med(frame), call: med(call), maxFrame: Math.max(...frame), perDab, grow, compartments, undoMs, undoCallMs, historyBytes, heap };
      },
      { dabs: smoke ? 10 : 60, radius: RADIUS_MM },
    );
    return {
      volume: name,
      labelBytes: r.labelBytes,
      dabs: smoke ? 10 : 60,
      dabUploadMs: r.upload,
      dabFrameMs: r.frame,
      dabCallMs: r.call,
      dabMaxFrameMs: r.maxFrame,
      uploadBytesPerDab: r.perDab.bytes,
      uploadCallsPerDab: r.perDab.calls,
      imageUploadsDuringStrokes: r.perDab.images,
      growVoxels: r.grow.voxels,
      growMs: r.grow.ms,
      growCallMs: r.grow.callMs,
      growWorkerMs: r.grow.workerMs,
      growInWorker: r.grow.inWorker,
      undoMs: r.undoMs,
      undoCallMs: r.undoCallMs,
      historyBytes50: r.historyBytes,
      heapBytes50: r.heap,
      growRange: r.grow.range,
      growSeed: r.grow.seedIjk,
      compartments: r.compartments,
    };
  } finally {
    await close();
  }
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

/** NiiVue's pen stroke and flood fill (with its undo) on the same file, its axial view 512 × 512. */
async function niivueRun(base: string, url: string, range: [number, number], seed: [number, number, number]): Promise<NiivueRun> {
  const { page, close } = await launch({ width: 512, height: 552 });
  try {
    await page.goto(`${base}/bench/niivue.html`);
    await page.waitForFunction(() => typeof window.bench === 'object' && typeof window.niivueDraw === 'object');
    await page.waitForTimeout(500);
    await page.evaluate((u) => window.bench.load(u), url);
    const stroke: DrawStroke = await page.evaluate(({ dabs, radius }) => window.niivueDraw.stroke(dabs, radius, 1), { dabs: smoke ? 10 : 60, radius: RADIUS_MM });
    const fill: DrawFill = await page.evaluate(({ r, at }) => window.niivueDraw.fill(r, at, 2), { r: range, at: seed });
    return {
      dabCallMs: median(stroke.callMs),
      dabFrameMs: median(stroke.frameMs),
      dabMaxFrameMs: Math.max(...stroke.frameMs),
      strokeEndMs: stroke.endMs,
      penSize: stroke.penSize,
      uploadBytesPerDab: stroke.uploadBytesPerEvent,
      fill,
    };
  } finally {
    await close();
  }
}

export interface SegmentResult {
  date: string;
  /** 1-minute load average at the start and the end of the figure. */
  loadAvg1m?: [number, number];
  runs: SegmentRun[];
}

const MiB = 1024 * 1024;

export function segmentReport(m: SegmentResult): string {
  const pct = (bytes: number, of: number) => `${Math.round(bytes)} B / ${(of / MiB).toFixed(1)} MiB = ${((100 * bytes) / of).toPrecision(2)}%`;
  const rows = m.runs.flatMap((r) => {
    if (r.error) return [[r.volume, 'FAILED', r.error, '']];
    const n = r.niivue;
    const nv = (f: (x: NiivueRun) => string) => (!n ? '—' : n.error ? `failed: ${n.error}` : f(n));
    return [
      [r.volume, `brush dab → box uploaded (median of ${r.dabs})`, `${r.dabUploadMs.toFixed(2)} ms`, '—'],
      [r.volume, '  → frame drawn (median; slowest)', `${r.dabFrameMs.toFixed(1)} ms; ${r.dabMaxFrameMs.toFixed(1)} ms`, nv((x) => `${x.dabFrameMs.toFixed(1)} ms; ${x.dabMaxFrameMs.toFixed(1)} ms`)],
      [r.volume, '  main-thread time of the call (target ≤ 16 ms)', `${r.dabCallMs.toFixed(2)} ms (${r.dabCallMs <= 16 ? 'met' : 'NOT met'})`, nv((x) => `${x.dabCallMs.toFixed(2)} ms (pen + refreshDrawing; square pen ${x.penSize} voxels)`)],
      [r.volume, '  stroke end (undo record)', '0 (recorded while painting)', nv((x) => `${x.strokeEndMs.toFixed(1)} ms (drawAddUndoBitmap)`)],
      [r.volume, '  bytes uploaded per dab / label volume bytes', `${pct(r.uploadBytesPerDab, r.labelBytes)} (${r.uploadCallsPerDab.toFixed(1)} texSubImage3D, ${r.imageUploadsDuringStrokes} texImage3D)`, nv((x) => pct(x.uploadBytesPerDab, r.labelBytes))],
      [r.volume, `3D region grow, ${r.growInWorker ? 'in the worker' : 'on the main thread (no SharedArrayBuffer)'} (target ≤ 150 ms for ~1 M)`, `${Number.isFinite(r.growWorkerMs) ? r.growWorkerMs.toFixed(0) : '?'} ms, ${r.growVoxels} voxels (${r.growWorkerMs <= 150 ? 'met' : 'NOT met'})`, '—'],
      [r.volume, `  compartments tried [value, voxels]: ${r.compartments.map(([a, b]) => `[${a}, ${b}]`).join(' ')}`, '', ''],
      [r.volume, '  main-thread time of the fill call before the worker answers', `${r.growCallMs.toFixed(1)} ms`, nv((x) => `${x.fill.ms.toFixed(0)} ms, ${x.fill.voxels} voxels (drawFloodFill, all on the main thread, to the redraw)`)],
      [r.volume, '  until uploaded (with the next frame)', `${r.growMs.toFixed(0)} ms`, nv((x) => `${x.fill.ms.toFixed(0)} ms`)],
      [r.volume, 'undo of that grow: swap back (target ≤ 50 ms)', `${r.undoCallMs.toFixed(1)} ms (${r.undoCallMs <= 50 ? 'met' : 'NOT met'})`, '—'],
      [r.volume, '  until uploaded (with the next frame)', `${r.undoMs.toFixed(1)} ms`, nv((x) => `${x.fill.undoMs.toFixed(1)} ms (drawUndo, to the redraw)`)],
      [r.volume, 'undo history after 50 sphere strokes (r 10 mm)', `${(r.historyBytes50 / MiB).toFixed(2)} MiB (${(r.historyBytes50 / r.labelBytes).toFixed(2)}× the label volume; 50 whole copies: 50×)`, '—'],
      [r.volume, '  JS heap then (performance.memory)', r.heapBytes50 === null ? 'n/a' : `${(r.heapBytes50 / MiB).toFixed(0)} MiB`, '—'],
    ];
  });
  const load = m.loadAvg1m ? `; load average (1 min) ${m.loadAvg1m[0].toFixed(2)} at the start, ${m.loadAvg1m[1].toFixed(2)} at the end` : '';
  return `Voxlens segmentation figure, ${m.date}${load}; one Voxlens page and one NiiVue page per volume (SwiftShader where no GPU)\n\n${table(['volume', 'figure', 'Voxlens', 'NiiVue 0.69'], rows)}\n`;
}

const TITLE = 'Segmentation editing';

export const segmentation = runFigure<SegmentResult>({
  name: 'segmentation',
  key: 'segmentation',
  flag: '--segmentation',
  inFull: false,
  inSmoke: false,
  run: async (ctx) => {
    const volumes = benchVolumes(dataDir, { smoke }).filter((v) => v.mpr && included(v.name));
    if (!volumes.length) return undefined;
    const runs: SegmentRun[] = [];
    const loadStart = loadavg()[0];
    const message = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));
    for (const v of volumes) {
      log(`\nsegmentation: ${v.name}`);
      const url = `${ctx.base}/data/${basename(v.file)}`;
      let run: SegmentRun;
      try {
        run = await oneRun(ctx.base, v.name, url);
      } catch (e) {
        runs.push({ volume: v.name, error: message(e) } as SegmentRun);
        continue;
      }
      try {
        run.niivue = await niivueRun(ctx.base, url, run.growRange, run.growSeed);
      } catch (e) {
        run.niivue = { error: message(e) } as NiivueRun;
      }
      runs.push(run);
    }
    const result: SegmentResult = { date: new Date().toISOString(), loadAvg1m: [loadStart, loadavg()[0]], runs };
    log(`\n${segmentReport(result)}`);
    return result;
  },
  section: {
    label: 'segmentation',
    report: segmentReport,
    markdown: (m) => resultSection('segmentation', TITLE, segmentReport(m)),
    merge: (jsonPath, mdPath, m) => mergeResultSection(jsonPath, mdPath, 'segmentation', TITLE, m, segmentReport(m)),
  },
});
