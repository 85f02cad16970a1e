// A diagnostic, not a figure (bench/memory.ts is the figure): where the renderer's memory rise
// during one Voxlens load comes from, phase by phase.
// Loads a volume in the built app (in a fresh browser) while sampling the renderer's VmRSS (split
// into RssAnon and RssShmem) every few milliseconds, and stamps the load's phases on the same
// clock: the decode worker's messages (need-buffer, progress, done, stats) and every 3D texture
// upload call (texImage3D / texStorage3D / texSubImage3D, start and end).
//   npx tsx bench/memoryTrace.ts APP_DIR VOLUME_FILE [--runs N] [--timeline] [--voxel-bytes N]
// APP_DIR: a `vite build --outDir` of the app (not dist/, which e2e serves). Prints per run the
// rise at each phase over the voxel bytes (--voxel-bytes, else read from the NIfTI header), the
// stamps, and with --timeline every 4th sample. What it found (256³ and 512³ int16, .nii.gz):
// with DecompressionStream the rise at 'done' was already ~2.1× (the voxels plus their inflated
// chunks, uncollected); the upload adds Chromium's GL transfer buffer (~16 MiB of RssShmem); the
// worker's exact-stats pass (brick ranges) adds ~34 MiB at 512³ while the texture uploads.
import { openSync, readSync, closeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { launch, log, voxlensLoad } from './harness';
import { processesOf, statusBytes } from './procMemory';
import { serve } from './server';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const [appDir, volumeFile] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const runs = Number(option('--runs') ?? 3);

/** Voxel bytes from a NIfTI-1 header (dims × bitpix / 8), reading only the gzip stream's start. */
function niftiVoxelBytes(file: string): number {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(1 << 16);
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  let h: Buffer;
  try {
    h = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: a cut stream is fine */ });
  } catch {
    h = head;
  }
  const dims = [0, 1, 2, 3].map((i) => Math.max(1, h.readInt16LE(42 + 2 * i)));
  const rank = h.readInt16LE(40);
  const bitpix = h.readInt16LE(72);
  return dims.slice(0, Math.max(3, rank)).reduce((a, b) => a * b, 1) * (bitpix / 8);
}

interface Sample {
  t: number;
  anon: number;
  shmem: number;
  rss: number;
}

function sampleOnce(pids: number[]): Sample {
  const s: Sample = { t: Date.now(), anon: 0, shmem: 0, rss: 0 };
  for (const pid of pids) {
    const b = statusBytes(pid, ['RssAnon', 'RssShmem', 'VmRSS']);
    s.anon += b.RssAnon;
    s.shmem += b.RssShmem;
    s.rss += b.VmRSS;
  }
  return s;
}

interface Stamp {
  t: number;
  what: string;
}

async function oneRun(base: string, url: string, voxelBytes: number) {
  const { page, rootPid, close } = await launch({ width: 960, height: 640 });
  try {
    await page.addInitScript(() => {
      const stamps: { t: number; what: string }[] = [];
      (window as unknown as { __stamps: typeof stamps }).__stamps = stamps;
      const now = () => performance.timeOrigin + performance.now();
      const NativeWorker = window.Worker;
      window.Worker = class extends NativeWorker {
        constructor(u: string | URL, o?: WorkerOptions) {
          super(u, o);
          this.addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
            const type = e.data?.type;
            if (type && type !== 'progress') stamps.push({ t: now(), what: `worker:${type}` });
          });
        }
      };
      const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
      for (const name of ['texImage3D', 'texStorage3D', 'texSubImage3D']) {
        const original = proto[name];
        proto[name] = function (this: unknown, ...a: unknown[]) {
          stamps.push({ t: now(), what: `${name}:start` });
          const r = original.apply(this, a);
          stamps.push({ t: now(), what: `${name}:end` });
          return r;
        };
      }
    });
    await page.goto(`${base}/?empty&layout=axial`);
    await page.waitForFunction(() => typeof window.voxlens === 'object' && document.querySelector('canvas') !== null);
    await page.waitForTimeout(500);
    const pids = processesOf(rootPid, 'renderer');
    const baseline = sampleOnce(pids);
    const samples: Sample[] = [];
    const timer = setInterval(() => samples.push(sampleOnce(pids)), 5);
    const loadMs = await voxlensLoad(page, url);
    const endLoad = Date.now();
    await page.waitForTimeout(300);
    clearInterval(timer);
    const stamps = (await page.evaluate(() => (window as unknown as { __stamps: Stamp[] }).__stamps)) as Stamp[];
    const rise = (s: Sample) => ({ rss: (s.rss - baseline.rss) / voxelBytes, anon: (s.anon - baseline.anon) / voxelBytes, shmem: (s.shmem - baseline.shmem) / voxelBytes });
    const peakUntil = (t: number) => samples.filter((s) => s.t <= t).reduce((m, s) => (s.rss > m.rss ? s : m), baseline);
    const at = (what: string) => stamps.find((s) => s.what === what)?.t;
    const phases: [string, number | undefined][] = [
      ['need-buffer', at('worker:need-buffer')],
      ['done', at('worker:done')],
      // The volume's upload (three.js: texStorage3D + texSubImage3D); the page's small texImage3D calls come before it.
      ['upload start', at('texStorage3D:start')],
      ['upload end', [...stamps].reverse().find((s) => s.what === 'texSubImage3D:end')?.t],
      ['first frame', endLoad],
    ];
    const peak = peakUntil(endLoad);
    log(`  load ${loadMs.toFixed(0)} ms; peak rise ${rise(peak).rss.toFixed(2)}× (anon ${rise(peak).anon.toFixed(2)}×, shmem ${rise(peak).shmem.toFixed(2)}×) at +${peak.t - samples[0].t} ms`);
    for (const [name, t] of phases) {
      if (t === undefined) continue;
      const before = samples.filter((s) => s.t <= t).at(-1) ?? baseline;
      const r = rise(before);
      log(`    ${name.padEnd(13)} +${(t - samples[0].t).toFixed(0).padStart(5)} ms: now ${r.rss.toFixed(2)}× (anon ${r.anon.toFixed(2)}×, shmem ${r.shmem.toFixed(2)}×), peak so far ${rise(peakUntil(t)).rss.toFixed(2)}×`);
    }
    const t0 = samples[0]?.t ?? baseline.t;
    log(`    stamps: ${stamps.filter((s) => s.t >= t0).map((s) => `${s.what} +${(s.t - t0).toFixed(0)}`).join(', ')}`);
    if (args.includes('--timeline')) {
      for (let i = 0; i < samples.length; i += 4) {
        const r = rise(samples[i]);
        log(`      +${samples[i].t - samples[0].t} ms ${r.rss.toFixed(2)}× anon ${r.anon.toFixed(2)} shmem ${r.shmem.toFixed(2)}`);
      }
    }
    return { loadMs, peak: rise(peak).rss };
  } finally {
    await close();
  }
}

async function main() {
  const voxelBytes = Number(option('--voxel-bytes') ?? niftiVoxelBytes(volumeFile));
  const { server, url } = await serve({ '/': appDir, '/data/': dirname(volumeFile) });
  try {
    log(`${basename(volumeFile)}: ${(voxelBytes / 2 ** 20).toFixed(1)} MiB of voxels`);
    const results = [];
    for (let r = 0; r < runs; r++) results.push(await oneRun(url, `${url}/data/${basename(volumeFile)}`, voxelBytes));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    log(`median: load ${median(results.map((r) => r.loadMs)).toFixed(0)} ms, renderer peak rise ${median(results.map((r) => r.peak)).toFixed(2)}×`);
  } finally {
    server.close();
  }
}

await main();
