// The single-view figure (part of every full and smoke run): for each volume, load → first frame,
// peak resident-memory rise per Chromium process type over the voxel bytes, paging slices in a 512²
// view, and probe latency, for Voxlens (axial layout), NiiVue and the floor (stream-gunzip into one
// SharedArrayBuffer + one texImage3D; floor+draw: the same and one drawn frame). A full run adds every
// single-file volume of ../shared/data (unless --no-shared).
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { SHARED_DATA_DIR, hasSharedData, loadManifest } from '../../src/testing/sharedData';
import { noteBrowser, volumeFigure, voxlensPage, type BenchContext, type Table } from '../figure';
import { launch, log, voxlensLoad } from '../harness';
import { flag, PAGE_SLICES, smoke, runs, VIEW } from '../options';
import { sampleRss, processTree, startSampler, type KindBytes } from '../procMemory';
import { fmt, fmtRatio, ratio, summarize, type Summary } from '../stats';

type Subject = 'voxlens' | 'niivue' | 'floor' | 'floorDraw';
const SUBJECTS: Subject[] = ['voxlens', 'niivue', 'floor', 'floorDraw'];

interface Run {
  loadMs: number;
  rise: { renderer: number; gpu: number; other: number; total: number };
  pageMs: number | null;
  probeMs: number | null;
  error?: string;
}

/** results[].subjects: per subject, its runs and their summary (floorDraw is absent from results written before it existed). */
type SingleView = Record<Subject, { runs: Run[]; summary: Record<string, Summary | null> }>;

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

async function oneRun(subject: Subject, base: string, fileUrl: string, voxelBytes: number): Promise<Run> {
  const { page, rootPid, browser, close } = await launch({ width: subject === 'voxlens' ? 960 : VIEW, height: subject === 'voxlens' ? 640 : VIEW + 40 });
  try {
    // The single-view figures: the app's default layout is 2x2, so ask for the axial view alone.
    const url = subject === 'voxlens' ? `${base}/?empty&layout=axial` : subject === 'floorDraw' ? `${base}/bench/floor.html?draw` : `${base}/bench/${subject}.html`;
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
    await noteBrowser(page, browser);
    return { loadMs, rise: { renderer, gpu, other, total: renderer + gpu + other }, pageMs, probeMs };
  } finally {
    await close();
  }
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

/** A full run also measures every single-file volume of ../shared/data (unless --no-shared). */
function addSharedData(ctx: BenchContext): void {
  if (smoke || flag('--no-shared')) return;
  if (!hasSharedData) {
    ctx.skipped.push(`../shared/data not found (${SHARED_DATA_DIR})`);
    return;
  }
  ctx.mounts['/shared/'] = SHARED_DATA_DIR;
  // Every single-file volume, NRRD and MGZ included: where Voxlens (or the floor) cannot read
  // a format yet, its cells say n/a while NiiVue's are still measured.
  for (const entry of loadManifest()) {
    if (entry.format === 'dicom') {
      ctx.skipped.push(`${entry.file}: DICOM series (NiiVue needs its dcm2niix plugin; Voxlens reads DICOM later)`);
      continue;
    }
    const bytes = entry.dims.reduce((a, b) => a * b, 1) * bytesPerVoxel(entry.datatype);
    ctx.entries.push({ volume: { name: entry.file, file: join(SHARED_DATA_DIR, entry.file), voxelBytes: bytes }, url: `/shared/${entry.file}` });
  }
}

async function measureSubjects(base: string, fileUrl: string, voxelBytes: number): Promise<SingleView> {
  const result = {} as SingleView;
  for (const subject of SUBJECTS) {
    const list: Run[] = [];
    for (let r = 0; r < runs; r++) {
      try {
        const run = await oneRun(subject, base, fileUrl, voxelBytes);
        list.push(run);
        log(`  ${subject} run ${r + 1}: ${run.loadMs.toFixed(0)} ms, renderer ${run.rise.renderer.toFixed(2)}×, gpu ${run.rise.gpu.toFixed(2)}×${run.pageMs !== null ? `, page ${run.pageMs.toFixed(1)} ms/frame` : ''}${run.probeMs !== null ? `, probe ${run.probeMs.toFixed(1)} ms` : ''}`);
      } catch (e) {
        const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
        log(`  ${subject} run ${r + 1}: FAILED ${error}`);
        list.push({ loadMs: NaN, rise: { renderer: NaN, gpu: NaN, other: NaN, total: NaN }, pageMs: null, probeMs: null, error });
      }
    }
    result[subject] = {
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
  return result;
}

function rows(t: Table, volume: string, s: SingleView, json: { pagingSlices?: number; viewPx?: number }): void {
  // Ratios of memory rises whose denominator is under 0.05× the voxel bytes are noise, not claims.
  const rise = (a: Summary | null, b: Summary | null) => (b && b.median < 0.05 ? null : ratio(a, b));
  const v = s.voxlens.summary, n = s.niivue.summary, f = s.floor.summary;
  const fd = s.floorDraw?.summary ?? {};
  const line = (label: string, key: string, unit: string, digits: number, withFloor: boolean) => {
    const rat = unit === '×' ? rise : ratio;
    const floorCells = withFloor ? [fmt(f[key], unit, digits), fmt(fd[key] ?? null, unit, digits)] : ['n/a', 'n/a'];
    const floorRatios = withFloor ? [fmtRatio(rat(v[key], f[key])), fmtRatio(rat(v[key], fd[key] ?? null))] : ['n/a', 'n/a'];
    t.rows.push([volume, label, fmt(v[key], unit, digits), fmt(n[key], unit, digits), ...floorCells, fmtRatio(rat(v[key], n[key])), ...floorRatios]);
  };
  line('load → first frame', 'loadMs', ' ms', 0, true);
  line('renderer rise / voxel bytes', 'renderer', '×', 2, true);
  line('GPU-process rise / voxel bytes', 'gpu', '×', 2, true);
  line('other rise / voxel bytes', 'other', '×', 2, true);
  line('total rise / voxel bytes', 'total', '×', 2, true);
  line(`paging ${json.pagingSlices} slices, ${json.viewPx}² view`, 'pageMs', ' ms/frame', 1, false);
  line('probe: pointer → panel', 'probeMs', ' ms', 1, false);
}

export const singleView = volumeFigure<SingleView>({
  name: 'single view',
  key: 'subjects',
  perVolume: true,
  inFull: true,
  inSmoke: true,
  prepare: addSharedData,
  applies: () => true,
  run: (ctx, { volume, url }) => measureSubjects(ctx.base, `${ctx.base}${url}`, volume.voxelBytes),
  rows: (t, volume, value, json) => rows(t, volume, value, json as { pagingSlices?: number; viewPx?: number }),
  meta: () => ({ pagingSlices: PAGE_SLICES, viewPx: VIEW }),
  legend: (json) => (json.results.some((r) => (r.subjects as SingleView | undefined)?.floor) ? 'floor = stream-gunzip into one SharedArrayBuffer + one texImage3D (draws nothing); floor+draw = the same, then one 512² frame sampling the texture' : ''),
});
