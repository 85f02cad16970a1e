// The load figure (`npm run bench -- --load`): load → first frame of the 256³ int16 and float32
// .nii.gz against the floor (stream-gunzip into one SharedArrayBuffer + one texImage3D, no worker,
// no validation, nothing drawn), in the axial layout and in the default 2x2 layout, where the
// slice panes come first (mark voxlens:first-slices) and the 3D pane refines after (frame()
// resolves at final quality everywhere). Rounds are interleaved (floor, axial, 2x2 in one round,
// each in a fresh browser) so a busy machine slows every subject alike; medians over rounds.
// Where the time goes comes from the page's performance marks (load-start, decoded, texture,
// first-slices) against the moment voxlens.load was called.
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { noteBrowser, runFigure, seen, values, type BenchResults } from '../figure';
import { launch, log, mergeResultSection, openVoxlensPanes, resultSection } from '../harness';
import { dataDir, included, runs, smoke, VIEW } from '../options';
import { fmt, fmtRatio, ratio, summarize, table, type Summary } from '../stats';
import { benchVolumes, type BenchVolume } from '../volumes';

/** The issue's target: load → first frame (2x2: → first slices) at most this many times the floor. */
export const LOAD_FLOOR_TARGET = 1.3;
/** The 2x2 layout's panes area (CSS px): the app's default layout at a common window size. */
const PANES_2X2: [number, number] = smoke ? [512, 384] : [1024, 768];

type Subject = 'floor' | 'axial' | '2x2';
const SUBJECTS: Subject[] = ['floor', 'axial', '2x2'];

/** Marks of one Voxlens load, ms after voxlens.load was called (absent: the mark was not set). */
interface Phases {
  loadStart?: number;
  decoded?: number;
  /** The layer's 3D texture made (voxlens:texture): for a volume filled while it decodes, when its storage is allocated, before voxlens:decoded. */
  texture?: number;
  /** Every slice pane drew the new layer (voxlens:first-slices; 2x2 and axial alike). */
  firstSlices?: number;
  /** voxlens.load resolved (the layer added). */
  loaded?: number;
}

interface LoadRun {
  /** Floor: its load; Voxlens: voxlens.load → frame() + one pixel read back (final quality everywhere). */
  loadMs: number;
  /** Voxlens: voxlens.load → voxlens:first-slices with one pixel read back as it is set (the slice panes' frame finished). */
  firstSlicesMs?: number | null;
  phases?: Phases;
  error?: string;
}

interface LoadCell {
  volume: string;
  voxelBytes: number;
  subjects: Record<Subject, { runs: LoadRun[]; summary: Record<string, Summary | null> }>;
}

export interface LoadResult {
  date: string;
  browser: string;
  renderer: string;
  rounds: number;
  loadAvg1m: [number, number];
  cells: LoadCell[];
}

/** Loads `url` in a fresh page of `subject`; returns its times. */
async function oneRun(subject: Subject, base: string, url: string): Promise<LoadRun> {
  const { page, browser, close } = await launch(subject === 'floor' ? { width: VIEW, height: VIEW + 40 } : subject === 'axial' ? { width: 960, height: 640 } : { width: PANES_2X2[0] + 340, height: PANES_2X2[1] + 40 });
  try {
    if (subject === 'floor') {
      await page.goto(`${base}/bench/floor.html`);
      await page.waitForFunction(() => typeof window.bench === 'object');
      await page.waitForTimeout(500);
      return { loadMs: await page.evaluate((u) => window.bench.load(u), url) };
    }
    if (subject === 'axial') await openVoxlensPanes(page, base, 'axial', [VIEW, VIEW], 'view-axial');
    else await openVoxlensPanes(page, base, '2x2', PANES_2X2);
    const r = await voxlensTimedLoad(page, url);
    await noteBrowser(page, browser);
    return r;
  } finally {
    await close();
  }
}

/** voxlens.load → frame() + readPixels, with the marks set on the way (ms after the call). */
function voxlensTimedLoad(page: Page, url: string): Promise<LoadRun> {
  return page.evaluate(async (u) => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    // The slice panes' frame is on screen once the GPU finished it: read a pixel back as the mark is set.
    const mark = performance.mark.bind(performance);
    let slicesShown: number | undefined;
    performance.mark = (name: string, options?: PerformanceMarkOptions) => {
      const entry = mark(name, options);
      if (name === 'voxlens:first-slices' && slicesShown === undefined) {
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
        slicesShown = performance.now();
      }
      return entry;
    };
    const t0 = performance.now();
    await window.voxlens.load(u);
    const loaded = performance.now() - t0;
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const loadMs = performance.now() - t0;
    // In the axial layout the mark comes with the frame frame() resolved after: let it land.
    await new Promise((resolve) => setTimeout(resolve, 100));
    performance.mark = mark;
    const at = (prefix: string) => {
      const m = performance.getEntriesByType('mark').find((e) => e.name.startsWith(prefix) && e.startTime >= t0);
      return m ? m.startTime - t0 : undefined;
    };
    const phases = { loadStart: at('voxlens:load-start'), decoded: at('voxlens:decoded'), texture: at('voxlens:texture'), firstSlices: at('voxlens:first-slices'), loaded };
    return { loadMs, firstSlicesMs: slicesShown === undefined ? null : slicesShown - t0, phases };
  }, url);
}

async function measureLoad(base: string, volumes: BenchVolume[], rounds: number): Promise<LoadResult> {
  const os = await import('node:os');
  const loadStart = os.loadavg()[0];
  const cells: LoadCell[] = [];
  for (const volume of volumes) {
    log(`\n${volume.name}: load → first frame against the floor, ${rounds} interleaved round(s)`);
    const lists: Record<Subject, LoadRun[]> = { floor: [], axial: [], '2x2': [] };
    for (let r = 0; r < rounds; r++) {
      for (const subject of SUBJECTS) {
        try {
          const run = await oneRun(subject, base, `${base}/data/${basename(volume.file)}`);
          lists[subject].push(run);
          const p = run.phases;
          log(`  round ${r + 1} ${subject}: ${run.loadMs.toFixed(0)} ms` + (p ? ` (load-start ${p.loadStart?.toFixed(0)}, decoded ${p.decoded?.toFixed(0)}, texture ${p.texture?.toFixed(0)}, first slices ${p.firstSlices?.toFixed(0)}, loaded ${p.loaded?.toFixed(0)})` : ''));
        } catch (e) {
          const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
          log(`  round ${r + 1} ${subject}: FAILED ${error}`);
          lists[subject].push({ loadMs: NaN, error });
        }
      }
    }
    const summaryOf = (list: LoadRun[]) => {
      const phase = (k: keyof Phases) => summarize(values(list.map((x) => x.phases?.[k])));
      return {
        loadMs: summarize(list.map((x) => x.loadMs)),
        firstSlicesMs: summarize(values(list.map((x) => x.firstSlicesMs))),
        loadStart: phase('loadStart'),
        decoded: phase('decoded'),
        texture: phase('texture'),
        firstSlices: phase('firstSlices'),
        loaded: phase('loaded'),
      };
    };
    cells.push({
      volume: volume.name,
      voxelBytes: volume.voxelBytes,
      subjects: { floor: { runs: lists.floor, summary: summaryOf(lists.floor) }, axial: { runs: lists.axial, summary: summaryOf(lists.axial) }, '2x2': { runs: lists['2x2'], summary: summaryOf(lists['2x2']) } },
    });
  }
  return { date: new Date().toISOString(), browser: seen.browserVersion, renderer: seen.renderer, rounds, loadAvg1m: [loadStart, os.loadavg()[0]], cells };
}

/** Per round: Voxlens's time over that round's floor, then summarized (rounds are interleaved for this). */
function perRound(cell: LoadCell, subject: 'axial' | '2x2', key: 'loadMs' | 'firstSlicesMs'): Summary | null {
  const floor = cell.subjects.floor.runs;
  return summarize(cell.subjects[subject].runs.map((r, i) => ((r[key] ?? NaN) as number) / floor[i]?.loadMs));
}

export function loadReport(l: LoadResult): string {
  const rows: string[][] = [];
  const targets: string[] = [];
  for (const c of l.cells) {
    const f = c.subjects.floor.summary, a = c.subjects.axial.summary, q = c.subjects['2x2'].summary;
    const row = (label: string, s: Summary | null, vsFloor: Summary | null, rounds: Summary | null) => rows.push([c.volume, label, fmt(s, ' ms', 0), fmtRatio(ratio(vsFloor, f.loadMs)), rounds ? fmt(rounds, '×', 2) : 'n/a']);
    row('floor (stream-gunzip + texImage3D)', f.loadMs, null, null);
    row('axial: load → first frame', a.loadMs, a.loadMs, perRound(c, 'axial', 'loadMs'));
    row('axial: load → first slices', a.firstSlicesMs, a.firstSlicesMs, perRound(c, 'axial', 'firstSlicesMs'));
    row('2x2: load → first slices (the figure for 2x2)', q.firstSlicesMs, q.firstSlicesMs, perRound(c, '2x2', 'firstSlicesMs'));
    row('2x2: load → frame() (3D pane at full quality)', q.loadMs, q.loadMs, perRound(c, '2x2', 'loadMs'));
    for (const [label, s] of [['axial', a], ['2x2', q]] as const) {
      rows.push([c.volume, `  ${label} phases: load-start / decoded / texture / first slices / load resolved`, [s.loadStart, s.decoded, s.texture, s.firstSlices, s.loaded].map((x) => (x ? x.median.toFixed(0) : '?')).join(' / ') + ' ms', '', '']);
    }
    const verdict = (r: number | null) => (r === null ? 'n/a' : r <= LOAD_FLOOR_TARGET ? 'met' : 'NOT met');
    const axial = ratio(a.loadMs, f.loadMs), twoByTwo = ratio(q.firstSlicesMs, f.loadMs);
    targets.push(`${c.volume}: axial load → first frame ${fmtRatio(axial)} the floor, 2x2 load → first slices ${fmtRatio(twoByTwo)} (target ≤ ${LOAD_FLOOR_TARGET}×: ${verdict(axial)}, ${verdict(twoByTwo)})`);
  }
  return (
    `Voxlens load figure, ${l.date}; browser ${l.browser}; renderer ${l.renderer}; ${l.rounds} interleaved round(s) (floor, axial, 2x2), each load in a fresh browser; load average (1 min) ${l.loadAvg1m.map((x) => x.toFixed(2)).join(' → ')}\n` +
    'floor = stream-gunzip (DecompressionStream) into one SharedArrayBuffer + one texImage3D, nothing drawn; axial = the axial layout, its pane 512²; ' +
    `2x2 = the default layout, panes area ${PANES_2X2.join('×')}; first frame = voxlens.load → frame() + one pixel read back; first slices = voxlens.load → the voxlens:first-slices mark (every slice pane drew the layer); ` +
    '× floor = ratio of the medians; per round = each round against its own floor, summarized; phases = marks after voxlens.load was called (medians)\n\n' +
    `${table(['volume', 'figure (median [min–max])', 'time', '× floor', 'per round × floor'], rows)}\n\ntargets (medians):\n${targets.map((t) => `  ${t}`).join('\n')}\n`
  );
}

const TITLE = 'Load → first frame against the floor';

const loadVolumes = () => benchVolumes(dataDir, { smoke }).filter((v) => (smoke || /^(int16|float32) 256³$/.test(v.name)) && included(v.name));

export const load = runFigure<LoadResult>({
  name: 'load',
  key: 'load',
  flag: '--load',
  inFull: true,
  inSmoke: true,
  run: async (ctx) => {
    const volumes = loadVolumes();
    if (!volumes.length) return undefined;
    const result = await measureLoad(ctx.base, volumes, runs);
    log(`\n${loadReport(result)}`);
    return result;
  },
  section: {
    label: 'load',
    report: loadReport,
    markdown: (l) => resultSection('load', TITLE, loadReport(l)),
    merge: (jsonPath, mdPath, l) => mergeResultSection(jsonPath, mdPath, 'load', TITLE, l, loadReport(l)),
  },
  smokeCheck: (json: BenchResults) => {
    const l = json.load as LoadResult | undefined;
    const broken = (l?.cells ?? []).flatMap((c) =>
      SUBJECTS.flatMap((s) => c.subjects[s].runs.flatMap((r) => (r.error ? [`${c.volume} ${s}: ${r.error}`] : !(r.loadMs > 0) ? [`${c.volume} ${s}: no load time`] : s !== 'floor' && !(r.firstSlicesMs! > 0) ? [`${c.volume} ${s}: no voxlens:first-slices mark`] : []))),
    );
    if (!l?.cells.length) broken.push('the load figure was not measured');
    return broken;
  },
});
