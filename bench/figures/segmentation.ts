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
// NiiVue's drawPenLine / drawFloodFill are not measured here yet.
import { basename } from 'node:path';
import { launch, log, mergeResultSection, openVoxlensPanes, resultSection, voxlensLoad } from '../harness';
import { runFigure } from '../figure';
import { dataDir, included, smoke } from '../options';
import { table } from '../stats';
import { benchVolumes } from '../volumes';

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
  error?: string;
}

async function oneRun(base: string, name: string, url: string): Promise<SegmentRun> {
  const { page, close } = await launch({ width: 900, height: 640 });
  try {
    await openVoxlensPanes(page, base, 'axial', [512, 512]);
    await voxlensLoad(page, url);
    const r = await page.evaluate(
      async ({ dabs }) => {
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
          const p = v.segmentation.paint(id, { center: c, radius: 5, shape: 'disk', pane: 'axial', value: 1 });
          call.push(performance.now() - t0);
          await p;
          upload.push(performance.now() - t0);
          await v.frame();
          frame.push(performance.now() - t0);
        }
        const perDab = { bytes: (counts.subBytes - sub0.subBytes) / dabs, calls: (counts.subCalls - sub0.subCalls) / dabs, images: counts.images - sub0.images };
        // Region grow of about 1 M voxels: widen the range around the centre's value until it fills that many.
        const seedIjk: [number, number, number] = [Math.floor(nx / 2), Math.floor(ny / 2), Math.floor(nz / 2)];
        const seed = at(...seedIjk);
        const centre = v.probe({ ijk: seedIjk }, layer.id)[0].scaled as number;
        const target = Math.min(1_000_000, Math.floor(labelBytes / 4));
        // Bisect the range's half-width until the grow fills between 0.7 and 1.5 times the target.
        let width = 1;
        let [tooFew, tooMany] = [0, Infinity];
        let grow = { voxels: 0, ms: 0, callMs: 0, workerMs: NaN, inWorker: false };
        for (let attempt = 0; attempt < 16; attempt++) {
          const before = v.segmentation.stats(id).find((s) => s.value === 2)?.voxels ?? 0;
          const t0 = performance.now();
          const p = v.segmentation.fill(id, { seed, value: 2, range: [centre - width, centre + width], connectivity: 6 });
          const callMs = performance.now() - t0;
          await p;
          const ms = performance.now() - t0;
          const voxels = (v.segmentation.stats(id).find((s) => s.value === 2)?.voxels ?? 0) - before;
          // The grow itself runs in a worker (segmentation/grow.worker.ts): its own time, from the measure's detail.
          const measure = performance.getEntriesByName('voxlens:segmentation:grow').at(-1) as PerformanceMeasure | undefined;
          const detail = measure?.detail as { inWorker?: boolean; workerMs?: number } | undefined;
          grow = { voxels, ms, callMs, workerMs: detail?.workerMs ?? NaN, inWorker: !!detail?.inWorker };
          if ((voxels >= target * 0.7 && voxels <= target * 1.5) || attempt === 15) break;
          await v.segmentation.undo(id);
          if (voxels < target * 0.7) tooFew = width;
          else tooMany = width;
          width = tooMany === Infinity ? width * 4 : (tooFew + tooMany) / 2;
        }
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
        return { labelBytes, upload: med(upload), frame: med(frame), call: med(call), maxFrame: Math.max(...frame), perDab, grow, undoMs, undoCallMs, historyBytes, heap };
      },
      { dabs: smoke ? 10 : 60 },
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
    };
  } finally {
    await close();
  }
}

export interface SegmentResult {
  date: string;
  runs: SegmentRun[];
}

const MiB = 1024 * 1024;

export function segmentReport(m: SegmentResult): string {
  const rows = m.runs.flatMap((r) =>
    r.error
      ? [[r.volume, 'FAILED', r.error]]
      : [
          [r.volume, `brush dab → box uploaded (median of ${r.dabs})`, `${r.dabUploadMs.toFixed(2)} ms`],
          [r.volume, '  → frame drawn (median; slowest)', `${r.dabFrameMs.toFixed(1)} ms; ${r.dabMaxFrameMs.toFixed(1)} ms`],
          [r.volume, '  main-thread time of the call (target ≤ 16 ms)', `${r.dabCallMs.toFixed(2)} ms (${r.dabCallMs <= 16 ? 'met' : 'NOT met'})`],
          [r.volume, '  bytes uploaded per dab / label volume bytes', `${Math.round(r.uploadBytesPerDab)} B / ${(r.labelBytes / MiB).toFixed(1)} MiB = ${((100 * r.uploadBytesPerDab) / r.labelBytes).toPrecision(2)}% (${r.uploadCallsPerDab.toFixed(1)} texSubImage3D, ${r.imageUploadsDuringStrokes} texImage3D)`],
          [r.volume, `3D region grow, ${r.growVoxels} voxels, ${r.growInWorker ? 'in the worker' : 'on the main thread (no SharedArrayBuffer)'} (target ≤ 150 ms for ~1 M)`, `${Number.isFinite(r.growWorkerMs) ? r.growWorkerMs.toFixed(0) : '?'} ms (${r.growWorkerMs <= 150 ? 'met' : 'NOT met'})`],
          [r.volume, '  main-thread time of the fill call before the worker answers', `${r.growCallMs.toFixed(1)} ms`],
          [r.volume, '  until uploaded (with the next frame)', `${r.growMs.toFixed(0)} ms`],
          [r.volume, 'undo of that grow: swap back (target ≤ 50 ms)', `${r.undoCallMs.toFixed(1)} ms (${r.undoCallMs <= 50 ? 'met' : 'NOT met'})`],
          [r.volume, '  until uploaded (with the next frame)', `${r.undoMs.toFixed(1)} ms`],
          [r.volume, 'undo history after 50 sphere strokes (r 10 mm)', `${(r.historyBytes50 / MiB).toFixed(2)} MiB (${(r.historyBytes50 / r.labelBytes).toFixed(2)}× the label volume; 50 whole copies: 50×)`],
          [r.volume, '  JS heap then (performance.memory)', r.heapBytes50 === null ? 'n/a' : `${(r.heapBytes50 / MiB).toFixed(0)} MiB`],
        ],
  );
  return `Voxlens segmentation figure, ${m.date}; one page per volume (main thread, SwiftShader where no GPU)\n\n${table(['volume', 'figure', 'Voxlens'], rows)}\nNiiVue drawPenLine / drawFloodFill: not measured (no NiiVue in this figure yet).\n`;
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
    for (const v of volumes) {
      log(`\nsegmentation: ${v.name}`);
      try {
        runs.push(await oneRun(ctx.base, v.name, `${ctx.base}/data/${basename(v.file)}`));
      } catch (e) {
        runs.push({ volume: v.name, error: e instanceof Error ? e.message.split('\n')[0] : String(e) } as SegmentRun);
      }
    }
    const result = { date: new Date().toISOString(), runs };
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
