// The probing and measurement figures (`npm run bench -- --measure` alone): pointer → probe panel
// with three 256³ layers loaded, before and after a line is drawn (its profile plot open), against
// NiiVue with the same three layers; ROI statistics of a 100 mm ellipse on the CT (voxlens.roi,
// against NiiVue's getDescriptives over the same ellipse); volumes per label of a 256³ label map
// (voxlens.labelVolumes; NiiVue has none).
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { median, ms1, ms2, noteBrowser, PEERS, peerRow, repeat, runFigure, values, verdict, type BenchResults, type Cell, type Peer, type Table } from '../figure';
import { launch, log, openVoxlensPanes, voxlensLoad } from '../harness';
import { dataDir, included, smoke, VIEW } from '../options';
import { fmt, summarize } from '../stats';
import { benchMeasureVolumes, type BenchVolume } from '../volumes';

/**
 * Pointer → panel with three layers: the pointer positions (fractions of the axial pane), a 3×3
 * grid around the centre, each a different voxel of every layer.
 */
const MEASURE_PROBE_POINTS: [number, number][] = [0.4, 0.5, 0.6].flatMap((y) => [0.42, 0.5, 0.58].map((x): [number, number] => [x, y]));
/** The line drawn with the line tool for the profile plot (fractions of the axial pane), across the head. */
const PROFILE_LINE = { from: [0.2, 0.56], to: [0.8, 0.44] } as const;
/** The frame budget the pointer → panel figure is held to (one 60 Hz frame). */
const PROBE_TARGET_MS = 16;
/** ROI statistics: the ellipse's diameters (mm), and calls timed per run (NiiVue's pass over the whole volume is slower: fewer). */
const ROI_SIZE_MM = smoke ? 40 : 100;
const ROI_CALLS = smoke ? 3 : 10;
const ROI_NIIVUE_CALLS = smoke ? 1 : 3;
/** Volumes per label: calls timed per run, after a first call (which starts the analysis worker). */
const LABEL_CALLS = smoke ? 2 : 5;
/** The measurement figures wait for every layer's exact statistics (computed off the main thread) before timing. */
const EXACT_TIMEOUT_MS = 180_000;

/**
 * Pointer → probe panel with three layers. Voxlens: over MEASURE_PROBE_POINTS once with the layers
 * alone (`plain*`), then again after a line was drawn across the pane (its profile plot open).
 * NiiVue: the same three volumes, a click per point until its onLocationChange text changed.
 */
interface ProbeLayersRun {
  /** ms from the first load to the first frame drawn with every layer. */
  loadMs: number;
  /** Voxlens: ms from loaded until every layer's exact statistics arrived (the timing waits for them). */
  exactMs?: number;
  layers: number;
  /** ms per pointer position (null: the panel did not change within 3 s) and their median. */
  probes: (number | null)[];
  probeMs: number | null;
  plainProbes?: (number | null)[];
  plainProbeMs?: number | null;
  /** What the profile plot showed: its heading, its series (one per visible layer) and canvases. */
  profile?: { heading: string; series: number; canvases: number };
  /** Measured CSS size of the axial pane (NiiVue: its canvas). */
  viewPx: [number, number];
  error?: string;
}

/** ROI statistics: an ellipse ROI_SIZE_MM across on the axial plane through the centre voxel, timed per call. */
interface RoiRun {
  loadMs: number;
  exactMs?: number;
  ms: number[];
  /** Median of `ms`; the first call alone (a cold path: JIT, allocations). */
  roiMs: number | null;
  firstMs: number | null;
  /** Voxels counted and their mean (scaled units), from the last call: both peers should agree. */
  count: number;
  mean: number;
  /** Voxlens: the centre (world mm) and its voxel; NiiVue: the ellipse's voxel bounding box. */
  center?: number[];
  ijk?: number[];
  startVox?: number[];
  endVox?: number[];
  error?: string;
}

/** Volumes per label of a label map (Voxlens only): a first call (it starts the analysis worker), then LABEL_CALLS timed. */
interface LabelRun {
  loadMs: number;
  exactMs?: number;
  firstMs: number | null;
  ms: number[];
  labelMs: number | null;
  /** Labels other than 0 found, and the voxels counted over every value (the grid's voxel count). */
  labels: number;
  voxels: number;
  /** Whether the layer was opened as a label map (its colormap 'label'). */
  labelMap: boolean;
  error?: string;
}

/**
 * ms from a synthetic pointermove at each of `points` (fractions of the axial pane) until the probe
 * panel's DOM changed (as voxlensProbe), each started from a quiet page (the previous update's
 * frame drawn); null where the panel did not change within 3 s.
 */
async function voxlensProbeAt(page: Page, points: [number, number][]): Promise<(number | null)[]> {
  return page.evaluate(async (pts) => {
    const el = document.querySelector('[data-testid=view-axial]') as HTMLElement;
    const panel = document.querySelector('[data-testid=probe-panel]') as HTMLElement;
    const out: (number | null)[] = [];
    for (const [x, y] of pts) {
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const r = el.getBoundingClientRect();
      let mo: MutationObserver | undefined;
      const changed = new Promise<boolean>((resolve) => {
        mo = new MutationObserver(() => resolve(true));
        mo.observe(panel, { subtree: true, childList: true, characterData: true });
        setTimeout(() => resolve(false), 3000);
      });
      const t0 = performance.now();
      el.dispatchEvent(new PointerEvent('pointermove', { clientX: r.left + r.width * x, clientY: r.top + r.height * y, bubbles: true, pointerId: 1 }));
      const ok = await changed;
      const ms = performance.now() - t0;
      mo?.disconnect();
      out.push(ok ? ms : null);
    }
    return out;
  }, points);
}

/** Waits until every layer's exact statistics arrived (off the main thread); returns how long that took (ms). */
async function waitExact(page: Page): Promise<number> {
  const t0 = Date.now();
  await page.waitForFunction(() => window.voxlens.layers().every((l) => l.range.exact), null, { timeout: EXACT_TIMEOUT_MS, polling: 100 });
  return Date.now() - t0;
}

/** Opens the app with nothing loaded in the axial layout, its pane VIEW × VIEW; returns the pane's measured size. */
function openVoxlensAxial(page: Page, base: string): Promise<[number, number]> {
  return openVoxlensPanes(page, base, 'axial', [VIEW, VIEW], 'view-axial');
}

async function oneProbeLayersRun(peer: Peer, base: string, urls: string[]): Promise<ProbeLayersRun> {
  const { page, browser, close } = await launch(peer === 'voxlens' ? { width: 960, height: 640 } : { width: VIEW, height: VIEW + 40 });
  try {
    if (peer === 'niivue') {
      await page.goto(`${base}/bench/niivue.html`);
      await page.waitForFunction(() => typeof window.bench === 'object');
      await page.waitForTimeout(500);
      const box = (await page.locator('canvas').boundingBox())!;
      const { ms: loadMs, layers } = await page.evaluate((us) => window.bench.loadLayers!(us), urls);
      if (layers !== urls.length) throw new Error(`NiiVue has ${layers} volumes open, not ${urls.length}`);
      const probes: (number | null)[] = [];
      for (const [x, y] of MEASURE_PROBE_POINTS) probes.push(await page.evaluate(([a, b]) => window.bench.probe(a, b), [x, y] as const));
      await noteBrowser(page, browser);
      return { loadMs, layers, probes, probeMs: median(values(probes)), viewPx: [box.width, box.height] };
    }
    const viewPx = await openVoxlensAxial(page, base);
    const loadMs = await page.evaluate(async (us) => {
      const gl = document.querySelector('canvas')!.getContext('webgl2')!;
      const t0 = performance.now();
      for (const u of us) await window.voxlens.load(u);
      await window.voxlens.frame();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
      return performance.now() - t0;
    }, urls);
    const exactMs = await waitExact(page);
    const layers = await page.evaluate(() => window.voxlens.layers().length);
    if (layers !== urls.length) throw new Error(`${layers} layers open, not ${urls.length}`);
    const plainProbes = await voxlensProbeAt(page, MEASURE_PROBE_POINTS);
    // A line across the pane with the line tool: it is selected, and its profile plot opens in the measurements panel.
    const pane = page.getByTestId('view-axial');
    const box = (await pane.boundingBox())!;
    const at = (f: readonly [number, number]) => [box.x + box.width * f[0], box.y + box.height * f[1]] as const;
    await page.getByTestId('tool-line').click();
    await page.mouse.move(...at(PROFILE_LINE.from));
    await page.mouse.down();
    const mid = [(PROFILE_LINE.from[0] + PROFILE_LINE.to[0]) / 2, (PROFILE_LINE.from[1] + PROFILE_LINE.to[1]) / 2] as const;
    await page.mouse.move(...at(mid), { steps: 3 });
    await page.mouse.move(...at(PROFILE_LINE.to), { steps: 3 });
    await page.mouse.up();
    const plot = page.getByTestId('profile-plot');
    await plot.locator('canvas').first().waitFor({ timeout: 10_000 });
    const profile = await plot.evaluate((el) => ({
      heading: el.querySelector('h3')?.textContent ?? '',
      // uPlot's legend: the x series, then one per plotted series.
      series: el.querySelectorAll('.u-legend .u-series').length - 1,
      canvases: el.querySelectorAll('canvas').length,
    }));
    if (profile.series !== urls.length) throw new Error(`the profile plot shows ${profile.series} series, not ${urls.length}`);
    const probes = await voxlensProbeAt(page, MEASURE_PROBE_POINTS);
    await noteBrowser(page, browser);
    return { loadMs, exactMs, layers, probes, probeMs: median(values(probes)), plainProbes, plainProbeMs: median(values(plainProbes)), profile, viewPx };
  } finally {
    await close();
  }
}

async function oneRoiRun(peer: Peer, base: string, url: string): Promise<RoiRun> {
  const { page, browser, close } = await launch(peer === 'voxlens' ? { width: 960, height: 640 } : { width: VIEW, height: VIEW + 40 });
  try {
    if (peer === 'niivue') {
      await page.goto(`${base}/bench/niivue.html`);
      await page.waitForFunction(() => typeof window.bench === 'object');
      await page.waitForTimeout(500);
      const loadMs = await page.evaluate((u) => window.bench.load(u), url);
      const r = await page.evaluate(({ size, n }) => window.bench.roiStats!(size, n), { size: ROI_SIZE_MM, n: ROI_NIIVUE_CALLS });
      await noteBrowser(page, browser);
      return { loadMs, ms: r.ms, roiMs: median(r.ms), firstMs: r.ms[0] ?? null, count: r.count, mean: r.mean, startVox: r.startVox, endVox: r.endVox };
    }
    await openVoxlensAxial(page, base);
    const loadMs = await voxlensLoad(page, url);
    const exactMs = await waitExact(page);
    const r = await page.evaluate(({ size, n }) => {
      const v = window.voxlens;
      const { id, dims, affine } = v.layers()[0];
      // The volume's centre voxel (rounded down), so the plane runs through voxel centres.
      const ijk = dims.slice(0, 3).map((d) => Math.floor((d - 1) / 2));
      const center = [0, 1, 2].map((row) => affine[row][0] * ijk[0] + affine[row][1] * ijk[1] + affine[row][2] * ijk[2] + affine[row][3]) as [number, number, number];
      const ms: number[] = [];
      let stats = { count: 0, mean: NaN };
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        stats = v.roi({ shape: 'ellipse', pane: 'axial', center, size: [size, size] }, id);
        ms.push(performance.now() - t0);
      }
      return { ms, count: stats.count, mean: stats.mean, center, ijk };
    }, { size: ROI_SIZE_MM, n: ROI_CALLS });
    await noteBrowser(page, browser);
    return { loadMs, exactMs, ms: r.ms, roiMs: median(r.ms), firstMs: r.ms[0] ?? null, count: r.count, mean: r.mean, center: r.center, ijk: r.ijk };
  } finally {
    await close();
  }
}

async function oneLabelRun(base: string, url: string): Promise<LabelRun> {
  const { page, browser, close } = await launch({ width: 960, height: 640 });
  try {
    await openVoxlensAxial(page, base);
    const loadMs = await voxlensLoad(page, url);
    const exactMs = await waitExact(page);
    const r = await page.evaluate(async (n) => {
      const v = window.voxlens;
      const { id, display } = v.layers()[0];
      let t0 = performance.now();
      let rows = await v.labelVolumes(id);
      const firstMs = performance.now() - t0;
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        t0 = performance.now();
        rows = await v.labelVolumes(id);
        ms.push(performance.now() - t0);
      }
      return { firstMs, ms, labels: rows.filter((row) => row.label !== 0).length, voxels: rows.reduce((a, row) => a + row.voxels, 0), labelMap: display.colormap === 'label' };
    }, LABEL_CALLS);
    await noteBrowser(page, browser);
    return { loadMs, exactMs, ...r, labelMs: median(r.ms) };
  } finally {
    await close();
  }
}


async function measureProbeLayers(base: string, urls: string[]): Promise<Record<Peer, Cell<ProbeLayersRun>>> {
  const out = {} as Record<Peer, Cell<ProbeLayersRun>>;
  for (const peer of PEERS) {
    const list = await repeat(
      `${peer} 3 layers probe`,
      () => oneProbeLayersRun(peer, base, urls),
      (error) => ({ loadMs: NaN, layers: 0, probes: [], probeMs: null, viewPx: [NaN, NaN] as [number, number], error }),
      (r) =>
        `${r.viewPx.map((x) => x.toFixed(1)).join('×')}, load ${r.loadMs.toFixed(0)} ms` +
        (r.exactMs !== undefined ? ` (+${r.exactMs} ms to the exact stats)` : '') +
        (r.plainProbeMs !== undefined ? `, pointer → panel ${ms1(r.plainProbeMs)} (${r.plainProbes?.map(ms1).join(', ')})` : '') +
        (r.profile ? `; line drawn, "${r.profile.heading}", ${r.profile.series} series` : '') +
        `, pointer → panel ${ms1(r.probeMs)} (${r.probes.map(ms1).join(', ')})`,
    );
    for (const r of list) {
      const missed = [...r.probes, ...(r.plainProbes ?? [])].filter((p) => p === null).length;
      if (missed && !r.error) log(`  WARNING: ${peer}: the probe panel did not change for ${missed} pointer position(s)`);
    }
    out[peer] = {
      runs: list,
      summary: {
        loadMs: summarize(list.map((r) => r.loadMs)),
        exactMs: summarize(values(list.map((r) => r.exactMs))),
        probeMs: summarize(values(list.map((r) => r.probeMs))),
        plainProbeMs: summarize(values(list.map((r) => r.plainProbeMs))),
        // Every pointer position of every run, for the spread (the rows show the medians per run).
        probeAll: summarize(values(list.flatMap((r) => r.probes))),
      },
    };
  }
  return out;
}

async function measureRoi(base: string, url: string): Promise<Record<Peer, Cell<RoiRun>>> {
  const out = {} as Record<Peer, Cell<RoiRun>>;
  for (const peer of PEERS) {
    const list = await repeat(
      `${peer} ROI stats`,
      () => oneRoiRun(peer, base, url),
      (error) => ({ loadMs: NaN, ms: [], roiMs: null, firstMs: null, count: 0, mean: NaN, error }),
      (r) => `load ${r.loadMs.toFixed(0)} ms${r.exactMs !== undefined ? ` (+${r.exactMs} ms to the exact stats)` : ''}, ${r.count} voxels, mean ${r.mean.toFixed(2)}, ROI stats ${ms2(r.roiMs)} (first ${ms2(r.firstMs)})`,
    );
    out[peer] = {
      runs: list,
      summary: {
        loadMs: summarize(list.map((r) => r.loadMs)),
        roiMs: summarize(values(list.map((r) => r.roiMs))),
        firstMs: summarize(values(list.map((r) => r.firstMs))),
        count: summarize(list.filter((r) => !r.error).map((r) => r.count)),
      },
    };
  }
  return out;
}

async function measureLabels(base: string, url: string): Promise<{ voxlens: Cell<LabelRun> }> {
  const list = await repeat(
    'voxlens label volumes',
    () => oneLabelRun(base, url),
    (error) => ({ loadMs: NaN, firstMs: null, ms: [], labelMs: null, labels: 0, voxels: 0, labelMap: false, error }),
    (r) => `load ${r.loadMs.toFixed(0)} ms${r.exactMs !== undefined ? ` (+${r.exactMs} ms to the exact stats)` : ''}, ${r.labelMap ? 'opened as a label map' : 'NOT opened as a label map'}, ${r.labels} labels over ${r.voxels} voxels, first call ${ms1(r.firstMs)}, then ${ms1(r.labelMs)} (${r.ms.map(ms1).join(', ')})`,
  );
  for (const r of list) if (!r.error && !r.labelMap) log('  WARNING: voxlens: the label map was not opened as one (colormap is not "label")');
  return {
    voxlens: {
      runs: list,
      summary: {
        loadMs: summarize(list.map((r) => r.loadMs)),
        labelMs: summarize(values(list.map((r) => r.labelMs))),
        firstMs: summarize(values(list.map((r) => r.firstMs))),
        labels: summarize(list.filter((r) => !r.error).map((r) => r.labels)),
      },
    },
  };
}

/** The probing and measurement figures (each absent when --only left it out). */
interface MeasureResult {
  probe?: { volume: string; layers: string[]; points: number; subjects: Record<Peer, Cell<ProbeLayersRun>> };
  roi?: { volume: string; sizeMm: number; calls: number; niivueCalls: number; subjects: Record<Peer, Cell<RoiRun>> };
  labels?: { volume: string; blobs: number; calls: number; subjects: { voxlens: Cell<LabelRun> } };
}

async function measureAll(base: string): Promise<MeasureResult> {
  const urlOf = (v: BenchVolume) => `${base}/data/${basename(v.file)}`;
  const { layers, roi, labels } = benchMeasureVolumes(dataDir, { smoke });
  const result: MeasureResult = {};
  if (included(layers[0].name)) {
    log(`\nprobing with ${layers.length} layers (${layers.map((l) => l.name).join(', ')}) and a profile plot open`);
    result.probe = { volume: layers[0].name, layers: layers.map((l) => l.name), points: MEASURE_PROBE_POINTS.length, subjects: await measureProbeLayers(base, layers.map(urlOf)) };
  }
  if (included(roi.name)) {
    log(`\n${roi.name}: ROI statistics, ${ROI_SIZE_MM} mm ellipse`);
    result.roi = { volume: roi.name, sizeMm: ROI_SIZE_MM, calls: ROI_CALLS, niivueCalls: ROI_NIIVUE_CALLS, subjects: await measureRoi(base, urlOf(roi)) };
  }
  if (included(labels.name)) {
    log(`\n${labels.name}: volumes per label`);
    result.labels = { volume: labels.name, blobs: labels.blobs, calls: LABEL_CALLS, subjects: await measureLabels(base, urlOf(labels)) };
  }
  return result;
}

function rows(t: Table, m: MeasureResult): void {
  if (m.probe) {
    const v = m.probe.subjects.voxlens.summary, n = m.probe.subjects.niivue.summary;
    const k = m.probe.layers.length;
    const volume = `${m.probe.volume} + ${k - 1} layers`;
    peerRow(t, volume, `load ${k} layers → first frame`, v.loadMs, n.loadMs, ' ms', 0);
    peerRow(t, volume, `probe: pointer → panel, ${k} layers`, v.plainProbeMs, n.probeMs, ' ms', 1);
    peerRow(t, volume, `probe: pointer → panel, ${k} layers + profile plot`, v.probeMs, n.probeMs, ' ms', 1);
    peerRow(t, volume, '  the same, every pointer position', v.probeAll, n.probeAll, ' ms', 1);
    t.targets.push(
      `${volume}: pointer → panel with ${k} layers and a profile plot open ${fmt(v.probeMs, ' ms', 1)} (target < ${PROBE_TARGET_MS} ms: ${verdict(v.probeMs?.median ?? null, PROBE_TARGET_MS, false)}; ` +
        `slowest single position ${v.probeAll ? `${v.probeAll.max.toFixed(1)} ms` : 'n/a'}); before the line was drawn ${fmt(v.plainProbeMs, ' ms', 1)}; NiiVue (click → onLocationChange, no profile plot) ${fmt(n.probeMs, ' ms', 1)}`,
    );
  }
  if (m.roi) {
    const v = m.roi.subjects.voxlens.summary, n = m.roi.subjects.niivue.summary;
    const count = v.count ? `${v.count.median.toFixed(0)} voxels` : '? voxels';
    peerRow(t, m.roi.volume, `ROI stats, ${m.roi.sizeMm} mm ellipse (${count})`, v.roiMs, n.roiMs, ' ms', 2);
    peerRow(t, m.roi.volume, 'ROI stats, first call', v.firstMs, n.firstMs, ' ms', 2);
    peerRow(t, m.roi.volume, 'ROI stats, voxels counted', v.count, n.count, '', 0);
  }
  if (m.labels) {
    const v = m.labels.subjects.voxlens.summary;
    peerRow(t, m.labels.volume, `label volumes (${v.labels ? v.labels.median.toFixed(0) : '?'} labels)`, v.labelMs, undefined, ' ms', 1);
    peerRow(t, m.labels.volume, 'label volumes, first call (starts the worker)', v.firstMs, undefined, ' ms', 1);
  }
}

function legend(json: BenchResults): string {
  const m = json.measure as MeasureResult | undefined;
  if (!m || !(m.probe || m.roi || m.labels)) return '';
  return (
    "probing and measurement: every figure timed after the layers' exact statistics arrived (computed off the main thread); " +
    (m.probe
      ? `${m.probe.layers.length} layers = ${m.probe.layers.join(', ')} (one grid) loaded into the axial layout (${VIEW}² pane); ` +
        `pointer → panel = a synthetic pointermove on the axial pane until the probe panel's DOM changed (MutationObserver), at ${m.probe.points} positions per run, median per run; ` +
        'measured with the layers alone, then again after a line was drawn across the pane with the line tool (its profile plot, uPlot, open in the measurements panel with a series per layer); ' +
        'NiiVue: the same volumes as layers, a click until its onLocationChange text changed (it has no profile plot); '
      : '') +
    (m.roi
      ? `ROI stats = voxlens.roi, an ellipse ${m.roi.sizeMm} mm across on the axial plane through the centre voxel, median of ${m.roi.calls} calls per run ` +
        `(NiiVue: getDescriptives with roiIsMask, its roiSelection statistics, over the same ellipse's voxel box: a pass over the whole volume, median of ${m.roi.niivueCalls} calls); `
      : '') +
    (m.labels ? `label volumes = voxlens.labelVolumes (counted in the analysis worker over shared memory), median of ${m.labels.calls} calls per run after a first call that starts the worker; NiiVue 0.69 has no volume-per-label API` : '')
  );
}

/** A smoke run fails when a probing or measurement run failed or timed nothing. */
function smokeCheck(json: BenchResults): string[] {
  const m = json.measure as MeasureResult | undefined;
  const broken = [
    ...PEERS.flatMap((peer) => (m?.probe?.subjects[peer].runs ?? []).flatMap((run) => (run.error ? [`probe ${peer}: ${run.error}`] : run.probeMs === null ? [`probe ${peer}: no pointer position timed`] : []))),
    ...PEERS.flatMap((peer) => (m?.roi?.subjects[peer].runs ?? []).flatMap((run) => (run.error ? [`ROI ${peer}: ${run.error}`] : !(run.count > 0) || run.roiMs === null ? [`ROI ${peer}: no voxels or no time`] : []))),
    ...(m?.labels?.subjects.voxlens.runs ?? []).flatMap((run) => (run.error ? [`labels: ${run.error}`] : !(run.labels > 0) || run.labelMs === null ? ['labels: no labels or no time'] : [])),
  ];
  if (!(m?.probe && m.roi && m.labels)) broken.push('a probing or measurement figure was not measured');
  return broken;
}

export const measure = runFigure<MeasureResult>({
  name: 'probing and measurement',
  key: 'measure',
  flag: '--measure',
  inFull: true,
  inSmoke: true,
  run: (ctx) => measureAll(ctx.base),
  rows: (t, value) => rows(t, value),
  legend,
  smokeCheck,
});
