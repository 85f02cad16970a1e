// npm run bench: Voxlens vs NiiVue vs the bare pipeline, in the same headless Chromium, on the
// same files. Medians of N runs (each in a fresh browser), min and max, ratios.
//   --runs N      runs per viewer and volume (default 5)
//   --smoke       one tiny volume, one run (used by a test so the benchmark cannot rot)
//   --only TEXT   volumes whose name contains TEXT
//   --no-shared   skip ../shared/data
//   --report      print (and write bench/results.md) from the last bench/results.json, running nothing
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { executablePath } from '../e2e/browser';
import { SHARED_DATA_DIR, hasSharedData, loadManifest } from '../src/testing/sharedData';
import { sampleRss, processTree, startSampler, type KindBytes } from './procMemory';
import { serve } from './server';
import { fmt, fmtRatio, ratio, summarize, table, type Summary } from './stats';
import { benchVolumes, type BenchVolume } from './volumes';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const smoke = flag('--smoke');
const runs = smoke ? 1 : Number(option('--runs') ?? 5);
const only = option('--only');
const outDir = join(root, 'bench/out');
const PAGE_SLICES = smoke ? 4 : 100;
const VIEW = 512;

type Subject = 'voxlens' | 'niivue' | 'floor' | 'floorDraw';
const SUBJECTS: Subject[] = ['voxlens', 'niivue', 'floor', 'floorDraw'];

interface Run {
  loadMs: number;
  rise: { renderer: number; gpu: number; other: number; total: number };
  pageMs: number | null;
  probeMs: number | null;
  error?: string;
}

function log(s: string) {
  process.stderr.write(`${s}\n`);
}

function build() {
  log('building the app and the benchmark pages…');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['vite', 'build', '-c', 'bench/vite.config.ts'], { cwd: root, stdio: 'inherit' });
}

// The Voxlens adapter runs in the app page, through the public automation API only.
async function voxlensLoad(page: Page, url: string): Promise<number> {
  return page.evaluate(async (u) => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const t0 = performance.now();
    await window.voxlens.load(u);
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now() - t0;
  }, url);
}

async function voxlensPage(page: Page, slices: number): Promise<number> {
  return page.evaluate(async (n) => {
    const v = window.voxlens;
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const { dims, affine } = v.layers()[0];
    const centre = [0, 1, 2].map((r) => affine[r][0] * (dims[0] - 1) / 2 + affine[r][1] * (dims[1] - 1) / 2 + affine[r][2] * (dims[2] - 1) / 2 + affine[r][3]);
    const dz = Math.abs(affine[2][2]) || 1;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const step = i < n / 2 ? i + 1 : n - i - 1;
      v.setCrosshair([centre[0], centre[1], centre[2] + step * dz]);
      await v.frame();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    }
    return (performance.now() - t0) / n;
  }, slices);
}

async function voxlensProbe(page: Page, fx: number, fy: number): Promise<number> {
  return page.evaluate(async ([x, y]) => {
    const el = document.querySelector('[data-testid=view-axial]') as HTMLElement;
    const panel = document.querySelector('[data-testid=probe-panel]') as HTMLElement;
    const r = el.getBoundingClientRect();
    const changed = new Promise<void>((resolve) => {
      const mo = new MutationObserver(() => {
        mo.disconnect();
        resolve();
      });
      mo.observe(panel, { subtree: true, childList: true, characterData: true });
    });
    const t0 = performance.now();
    el.dispatchEvent(new PointerEvent('pointermove', { clientX: r.left + r.width * x, clientY: r.top + r.height * y, bubbles: true, pointerId: 1 }));
    await changed;
    return performance.now() - t0;
  }, [fx, fy] as const);
}

const PROBE_POINTS: [number, number][] = [[0.45, 0.5], [0.55, 0.42], [0.5, 0.6]];

async function oneRun(subject: Subject, base: string, fileUrl: string, voxelBytes: number): Promise<Run & { renderer: string; browserVersion: string }> {
  const server = await chromium.launchServer({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--disable-gpu-vsync', '--disable-frame-rate-limit'],
  });
  const rootPid = server.process().pid as number;
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const page = await browser.newPage({ viewport: { width: subject === 'voxlens' ? 960 : VIEW, height: subject === 'voxlens' ? 640 : VIEW + 40 } });
    const url = subject === 'voxlens' ? `${base}/?empty` : subject === 'floorDraw' ? `${base}/bench/floor.html?draw` : `${base}/bench/${subject}.html`;
    await page.goto(url);
    if (subject === 'voxlens') {
      await page.waitForFunction(() => typeof window.voxlens === 'object' && document.querySelector('canvas') !== null);
      // Size the page so the slice view is exactly VIEW × VIEW pixels.
      const box = (await page.getByTestId('view-axial').boundingBox())!;
      await page.setViewportSize({ width: Math.round(960 + VIEW - box.width), height: Math.round(640 + VIEW - box.height) });
    } else {
      await page.waitForFunction(() => typeof window.bench === 'object');
    }
    await page.waitForTimeout(500);
    const baseline = sampleRss(processTree(rootPid));
    const sampler = startSampler(rootPid, 25);
    let loadMs: number;
    let peak: KindBytes;
    try {
      loadMs = subject === 'voxlens' ? await voxlensLoad(page, fileUrl) : await page.evaluate((u) => window.bench.load(u), fileUrl);
    } finally {
      peak = sampler.stop();
    }
    const riseOf = (k: keyof KindBytes) => Math.max(0, peak[k] - baseline[k]) / voxelBytes;
    const renderer = riseOf('renderer');
    const gpu = riseOf('gpu-process');
    const other = riseOf('other') + riseOf('browser');
    let pageMs: number | null = null;
    let probeMs: number | null = null;
    if (subject === 'voxlens') {
      pageMs = await voxlensPage(page, PAGE_SLICES);
      const probes: number[] = [];
      for (const [x, y] of PROBE_POINTS) probes.push(await voxlensProbe(page, x, y));
      probeMs = summarize(probes)?.median ?? null;
    } else if (subject === 'niivue') {
      pageMs = await page.evaluate((n) => window.bench.page(n), PAGE_SLICES);
      const probes: (number | null)[] = [];
      for (const [x, y] of PROBE_POINTS) probes.push(await page.evaluate(([a, b]) => window.bench.probe(a, b), [x, y] as const));
      probeMs = summarize(probes.filter((p): p is number => p !== null))?.median ?? null;
    }
    const rendererString = await page.evaluate(() => {
      const gl = document.querySelector('canvas')!.getContext('webgl2')!;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    });
    return { loadMs, rise: { renderer, gpu, other, total: renderer + gpu + other }, pageMs, probeMs, renderer: rendererString, browserVersion: browser.version() };
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

interface VolumeResult {
  volume: string;
  voxelBytes: number;
  subjects: Record<Subject, { runs: Run[]; summary: Record<string, Summary | null> }>;
  // floorDraw is absent from results written before it existed.
}

async function main() {
  if (flag('--report')) {
    report(JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8')) as BenchResults, true);
    return;
  }
  build();
  const volumes: BenchVolume[] = benchVolumes(join(outDir, 'data'), { smoke });
  const mounts: Record<string, string> = { '/': join(root, 'dist'), '/bench/': join(outDir, 'pages'), '/data/': join(outDir, 'data') };
  const entries: { volume: BenchVolume; url: string }[] = volumes.map((v) => ({ volume: v, url: `/data/${basename(v.file)}` }));
  const skipped: string[] = [];
  if (!smoke && !flag('--no-shared')) {
    if (hasSharedData) {
      mounts['/shared/'] = SHARED_DATA_DIR;
      // Every single-file volume, NRRD and MGZ included: where Voxlens (or the floor) cannot read
      // a format yet, its cells say n/a while NiiVue's are still measured.
      for (const entry of loadManifest()) {
        if (entry.format === 'dicom') {
          skipped.push(`${entry.file}: DICOM series (NiiVue needs its dcm2niix plugin; Voxlens reads DICOM later)`);
          continue;
        }
        const bytes = entry.dims.reduce((a, b) => a * b, 1) * bytesPerVoxel(entry.datatype);
        entries.push({ volume: { name: entry.file, file: join(SHARED_DATA_DIR, entry.file), voxelBytes: bytes }, url: `/shared/${entry.file}` });
      }
    } else skipped.push(`../shared/data not found (${SHARED_DATA_DIR})`);
  }
  const { server, url: base } = await serve(mounts);
  const results: VolumeResult[] = [];
  let renderer = '';
  let browserVersion = '';
  try {
    for (const { volume, url } of entries) {
      if (only && !volume.name.includes(only)) continue;
      log(`\n${volume.name}`);
      const result = { volume: volume.name, voxelBytes: volume.voxelBytes, subjects: {} } as VolumeResult;
      for (const subject of SUBJECTS) {
        const list: Run[] = [];
        for (let r = 0; r < runs; r++) {
          try {
            const run = await oneRun(subject, base, `${base}${url}`, volume.voxelBytes);
            renderer ||= run.renderer;
            browserVersion ||= run.browserVersion;
            list.push({ loadMs: run.loadMs, rise: run.rise, pageMs: run.pageMs, probeMs: run.probeMs });
            log(`  ${subject} run ${r + 1}: ${run.loadMs.toFixed(0)} ms, renderer ${run.rise.renderer.toFixed(2)}×, gpu ${run.rise.gpu.toFixed(2)}×${run.pageMs !== null ? `, page ${run.pageMs.toFixed(1)} ms/frame` : ''}${run.probeMs !== null ? `, probe ${run.probeMs.toFixed(1)} ms` : ''}`);
          } catch (e) {
            const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
            log(`  ${subject} run ${r + 1}: FAILED ${error}`);
            list.push({ loadMs: NaN, rise: { renderer: NaN, gpu: NaN, other: NaN, total: NaN }, pageMs: null, probeMs: null, error });
          }
        }
        result.subjects[subject] = {
          runs: list,
          summary: {
            loadMs: summarize(list.map((r) => r.loadMs)),
            renderer: summarize(list.map((r) => r.rise.renderer)),
            gpu: summarize(list.map((r) => r.rise.gpu)),
            other: summarize(list.map((r) => r.rise.other)),
            total: summarize(list.map((r) => r.rise.total)),
            pageMs: summarize(list.flatMap((r) => (r.pageMs === null ? [] : [r.pageMs]))),
            probeMs: summarize(list.flatMap((r) => (r.probeMs === null ? [] : [r.probeMs]))),
          },
        };
      }
      results.push(result);
    }
  } finally {
    server.close();
  }

  mkdirSync(outDir, { recursive: true });
  const os = await import('node:os');
  const json: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryBytes: os.totalmem(), platform: process.platform, arch: process.arch },
    browser: browserVersion,
    renderer,
    runsPerCell: runs,
    pagingSlices: PAGE_SLICES,
    viewPx: VIEW,
    skipped,
    results,
  };
  const target = smoke ? join(outDir, 'results.smoke.json') : join(root, 'bench/results.json');
  writeFileSync(target, JSON.stringify(json, null, 1));
  log(`\nwrote ${target}`);
  report(json, !smoke);
}

interface BenchResults {
  date: string;
  machine: { cpus: number; memoryBytes: number; platform: string; arch: string };
  browser: string;
  renderer: string;
  runsPerCell: number;
  pagingSlices: number;
  viewPx: number;
  skipped: string[];
  results: VolumeResult[];
}

/** Prints the table; with `write`, also writes it to bench/results.md (linked from the README). */
function report(json: BenchResults, write: boolean): void {
  const rows: string[][] = [];
  // Ratios of memory rises whose denominator is under 0.05× the voxel bytes are noise, not claims.
  const rise = (a: Summary | null, b: Summary | null) => (b && b.median < 0.05 ? null : ratio(a, b));
  for (const r of json.results) {
    const v = r.subjects.voxlens.summary, n = r.subjects.niivue.summary, f = r.subjects.floor.summary;
    const fd = r.subjects.floorDraw?.summary ?? {};
    const line = (label: string, key: string, unit: string, digits: number, withFloor: boolean) => {
      const rat = unit === '×' ? rise : ratio;
      const floorCells = withFloor ? [fmt(f[key], unit, digits), fmt(fd[key] ?? null, unit, digits)] : ['n/a', 'n/a'];
      const floorRatios = withFloor ? [fmtRatio(rat(v[key], f[key])), fmtRatio(rat(v[key], fd[key] ?? null))] : ['n/a', 'n/a'];
      rows.push([r.volume, label, fmt(v[key], unit, digits), fmt(n[key], unit, digits), ...floorCells, fmtRatio(rat(v[key], n[key])), ...floorRatios]);
    };
    line('load → first frame', 'loadMs', ' ms', 0, true);
    line('renderer rise / voxel bytes', 'renderer', '×', 2, true);
    line('GPU-process rise / voxel bytes', 'gpu', '×', 2, true);
    line('other rise / voxel bytes', 'other', '×', 2, true);
    line('total rise / voxel bytes', 'total', '×', 2, true);
    line(`paging ${json.pagingSlices} slices, ${json.viewPx}² view`, 'pageMs', ' ms/frame', 1, false);
    line('probe: pointer → panel', 'probeMs', ' ms', 1, false);
    rows.push([r.volume, '3D MIP / composite frame', 'not built yet', 'not measured', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
  }
  const text = table(['volume', 'figure (median [min–max])', 'Voxlens', 'NiiVue 0.69', 'floor', 'floor+draw', 'Voxlens/NiiVue', 'Voxlens/floor', 'Voxlens/floor+draw'], rows);
  const header =
    `Voxlens benchmark, ${json.date}; ${json.machine.cpus} cores, ${(json.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB\n` +
    `browser ${json.browser}; renderer ${json.renderer}; ${json.runsPerCell} run(s) per cell, each in a fresh browser\n` +
    'floor = stream-gunzip into one SharedArrayBuffer + one texImage3D (draws nothing); floor+draw = the same, then one 512² frame sampling the texture';
  const skippedText = json.skipped.length ? `\nskipped: ${json.skipped.join('; ')}\n` : '';
  console.log(`\n${header}\n\n${text}\n${skippedText}`);
  if (write) writeFileSync(join(root, 'bench/results.md'), `# Benchmark results\n\nGenerated by \`npm run bench\`; raw runs in results.json.\n\n\`\`\`\n${header}\n\n${text}\n${skippedText}\`\`\`\n`);
}

/** Bytes per voxel of a manifest datatype name (NIfTI, NRRD and MGH spellings). */
function bytesPerVoxel(datatype: string): number {
  const t = datatype.toUpperCase();
  if (/FLOAT64|DOUBLE|INT64/.test(t)) return 8;
  if (/RGBA32|FLOAT32|FLOAT|INT32|MGH_INT|MGH_FLOAT/.test(t)) return 4;
  if (/RGB24/.test(t)) return 3;
  if (/INT16|SHORT/.test(t)) return 2;
  return 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
