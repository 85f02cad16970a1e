// npm run bench: Voxlens vs NiiVue vs the bare pipeline, in the same headless Chromium, on the
// same files. Medians of N runs (each in a fresh browser), min and max, ratios.
// Multi-pane figures (256³ int16 and CT): paging in the 2x2 layout at 1024×768 panes against
// NiiVue's multiplanar layout, layout switch time, and a 4D volume's frame switch time, each next
// to one plain frame's time.
// 3D render figures (256³ int16 and CT): the 3D pane alone at 512×512 ray-cast in MIP, composite
// and iso, at full and at interaction quality, next to NiiVue's 3D render (sliceTypeRender). Both
// look from the patient's anterior, and Voxlens's zoom is set per run so the volume covers as
// much of its pane as NiiVue's render covers of its canvas (as many rays through the head).
// Probing and measurement figures: pointer → probe panel with three 256³ layers loaded, before and
// after a line is drawn (its profile plot open), against NiiVue with the same three layers; ROI
// statistics of a 100 mm ellipse on the CT (voxlens.roi, against NiiVue's getDescriptives over the
// same ellipse); volumes per label of a 256³ label map (voxlens.labelVolumes; NiiVue has none).
//   --runs N      runs per viewer and volume (default 5)
//   --smoke       one tiny volume, one run (used by a test so the benchmark cannot rot)
//   --only TEXT   volumes whose name contains TEXT (a partial run: written to bench/out/results.only.json,
//                 bench/results.json and results.md are left as they are)
//   --multi-pane  only the multi-pane figures (2x2 paging, layout and 4D frame switches); a partial run
//                 like --only
//   --render      only the 3D render figures (MIP, composite, iso at 512², full and interaction quality,
//                 against NiiVue's render); a partial run like --only (with --multi-pane: both)
//   --measure     only the probing and measurement figures (pointer → panel with three layers and a
//                 profile plot open, ROI statistics of a 100 mm ellipse on the CT, volumes per label of
//                 a 256³ label map); a partial run like --only (with --multi-pane or --render: those too)
//   --formats     only the formats figure (bench/formats.ts: one 256³ int16 volume as .nii.gz, .nrrd
//                 and .mgz, load → first frame and decode throughput, against NiiVue); a partial run
//                 like --only, except that its figure also replaces the formats section of
//                 bench/results.json and results.md (the other figures there are left as they are);
//                 not part of a full run (about 10 minutes), which keeps the last one
//   --dicom       only the DICOM figure (bench/dicom.ts: a generated 512×512×300 CT series, one
//                 uncompressed Part 10 file per slice served over HTTP, against the same voxels as
//                 .nii.gz: load → first frame, slices/s and MB/s, renderer memory rise); a partial run
//                 like --formats, replacing only the DICOM section of bench/results.json and results.md;
//                 not part of a full run, which keeps the last one (the smoke run has a tiny series)
//   --zarr        only the OME-Zarr figure (bench/zarr.ts: the procedural 65536 × 65536 × 16384 image
//                 of scripts/zarrServer.ts: open → first coarse frame, full-resolution probe time,
//                 chunks per probe, memory); replaces only the OME-Zarr section; not in a full run
//   --memory      only the memory figure (bench/memory.ts: the renderer's peak rise while one .nii.gz
//                 loads, over its voxel bytes, the int16 phantom at 256³ and 512³, with what it is made
//                 of: the rise at decoded and the GL transfer buffer's shared memory); a partial run like
//                 --dicom, replacing only the memory section; not in a full run, which keeps the last one
//                 (the 512³ volume takes about 1.5 minutes to generate the first time; the smoke run has 32³)
//   --big         only the big-file figure (bench/bigFile.ts: a real 4096 × 4096 × 80 int16 .nii of 2.5 GiB,
//                 more than one buffer holds, generated into the temporary folder and deleted after,
//                 loaded over HTTP with ?budgetMiB=4096: load → first frame, the slabs and the display
//                 level, exact probes on both sides of the slab boundary, renderer memory, close); a
//                 partial run like --memory, replacing only its section; not in a full run (which keeps
//                 the last one) unless VOXLENS_BENCH_BIG=1; never in the smoke run. A wrong probe fails
//                 the run (a non-zero exit). --runs defaults to 1 here (about 1.5 minutes a run: two loads;
//                 2.5 GiB of disk in the temporary folder while it runs). VOXLENS_BENCH_BIG_DIMS=2048x2048x300
//                 measures another grid instead (that one is drawn whole, a texture per slab), in its own
//                 section (bigWhole)
//   --no-shared   skip ../shared/data
//   --report      print (and write bench/results.md) from the last bench/results.json, running nothing
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { SHARED_DATA_DIR, hasSharedData, loadManifest } from '../src/testing/sharedData';
import { benchDicomVolume, dicomReport, dicomSection, measureDicom, mergeDicom, type DicomResult } from './dicom';
import { hasOrthanc, ORTHANC_SKIP, startOrthanc, type Orthanc } from '../e2e/orthanc';
import { measureZarr, mergeZarr, zarrReport, zarrSection, type ZarrResult } from './zarr';
import { measureMemory, memoryReport, memorySection, mergeMemory, type MemoryResult } from './memory';
import { BIG_NAME, bigFailures, bigReport, bigSection, measureBig, mergeBig, type BigResult } from './bigFile';
import { formatsSection, measureFormats, mergeFormats, formatsReport, type FormatsResult } from './formats';
import { launch, log, openVoxlensPanes, rendererOf, voxlensLoad } from './harness';
import { COVERAGE_THRESHOLD, type Coverage } from './pages/benchApi';
import { sampleRss, processTree, startSampler, type KindBytes } from './procMemory';
import { serve } from './server';
import { fmt, fmtRatio, ratio, summarize, table, type Summary } from './stats';
import { bench4DVolume, benchFormatVolume, benchMeasureVolumes, benchMemoryVolumes, benchVolumes, type BenchVolume } from './volumes';

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
const multiPaneOnly = flag('--multi-pane');
const renderOnly = flag('--render');
const measureOnly = flag('--measure');
const formatsOnly = flag('--formats');
const dicomOnly = flag('--dicom');
const zarrOnly = flag('--zarr');
const memoryOnly = flag('--memory');
const bigOnly = flag('--big');
const narrowed = multiPaneOnly || renderOnly || measureOnly || formatsOnly || dicomOnly || zarrOnly || memoryOnly || bigOnly;
const partial = only !== undefined || narrowed;
/** Which figures this run measures: --multi-pane, --render, --measure and --formats each narrow a run to theirs. */
const measures = {
  singleView: !narrowed,
  multiPane: !narrowed || multiPaneOnly,
  render: !narrowed || renderOnly,
  measure: !narrowed || measureOnly,
  // Not in a full run: five rounds of three formats take about 10 minutes here, most of it NiiVue's
  // loads (20–40 s each); a full run keeps the formats figure of the last --formats run. The smoke run has it.
  formats: formatsOnly || (smoke && !narrowed),
  // Likewise (two loads of each of two sources per round, each in a fresh browser, the series'
  // generation about a minute the first time); the smoke run has a 64×64×16 series (a few seconds).
  dicom: dicomOnly || (smoke && !narrowed),
  // The OME-Zarr figure (the procedural server, a minute or two): only with --zarr.
  zarr: zarrOnly,
  // The memory figure (Voxlens alone, 256³ and 512³; about 2 minutes): with --memory, and the smoke run's 32³.
  memory: memoryOnly || (smoke && !narrowed),
  // The big-file figure (2.5 GiB generated on disk, about a minute a run): with --big, or in a full
  // run where VOXLENS_BENCH_BIG=1 (so CI's runs stay short); never in the smoke run.
  big: bigOnly || (process.env.VOXLENS_BENCH_BIG === '1' && !narrowed && !smoke),
};
/** The big-file figure's runs: --runs when given, else one. */
const bigRuns = option('--runs') !== undefined ? runs : 1;
const outDir = join(root, 'bench/out');
// The app and pages are built per kind of run, so a smoke run (npm test) during a full run does not
// swap the build under it.
const buildDir = smoke ? join(outDir, 'smoke') : outDir;
const appDir = join(buildDir, 'app');
const pagesDir = join(buildDir, 'pages');
const PAGE_SLICES = smoke ? 4 : 100;
const VIEW = 512;
/** The multi-pane figures' drawing area: Voxlens's panes area, NiiVue's canvas (smaller in a smoke run: ray casting in software is slow). */
const MPR_VIEW: [number, number] = smoke ? [512, 384] : [1024, 768];
/** Layout switches timed, starting from 2x2, repeated SWITCH_CYCLES times per run. */
const SWITCH_LAYOUTS = ['axial', '2x2', '1+3', '3d', '2x2'] as const;
const SWITCH_CYCLES = smoke ? 1 : 2;
/** Plain frames (nothing changed but the crosshair set to where it is) per run: the "one frame" reference. */
const PLAIN_FRAMES = smoke ? 3 : 20;
/** Frames that ray-cast the 3D pane again (seconds each on a software renderer): fewer of them. */
const FULL_FRAMES = smoke ? 2 : 5;
const CUT_SLICES = smoke ? 2 : 20;
/** After a switch's frame, further redraws are waited for until none came for this long. */
const SETTLE_IDLE_MS = smoke ? 100 : 300;
/** The 3D render figures: the 3D pane's size (Voxlens) and NiiVue's canvas, CSS px (square). */
const RENDER_VIEW = smoke ? 256 : 512;
/** Timed frames per run and case, after one untimed frame (shader compile, render target sizes). */
const RENDER_FULL_FRAMES = smoke ? 2 : 5;
const RENDER_INTERACTION_FRAMES = smoke ? 2 : 10;
/** NiiVue has one render: its frames per run. */
const RENDER_NIIVUE_FRAMES = smoke ? 2 : 10;
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
 * Both peers' 3D view: from the patient's anterior, superior up, the patient's right on the
 * screen's left. Voxlens: azimuth 0, elevation 0 (src/render/camera/orbit.ts; its default is 30, 20).
 * NiiVue: azimuth 180, elevation 0 (its default is 110, 10): at 180 its ray direction
 * (VolumeRenderer.calculateRayDirection) is world −y, anterior to posterior, with superior up and
 * screen right toward the patient's left, as its radiological coronal slice view (also azimuth 180).
 */
const RENDER_VOXLENS_VIEW = { azimuth: 0, elevation: 0 };
const RENDER_NIIVUE_VIEW = { azimuth: 180, elevation: 0 };
/**
 * Voxlens's zoom is matched to NiiVue's coverage: zoom × sqrt(NiiVue's / Voxlens's coverage), then
 * measured again; at most this many more steps while the two differ by more than COVERAGE_TOLERANCE.
 */
const COVERAGE_REFINE_STEPS = 2;
const COVERAGE_TOLERANCE = 0.02;
/** While a coverage screenshot is taken: the pane's DOM overlays (label, tools, hint) and its outline hidden. */
const COVERAGE_HIDE = '.pane-label, .pane-tools, .pane-hint { visibility: hidden !important; } .pane { outline: none !important; }';
/** The first run's coverage frames are written here as PNGs, to look at. */
const COVERAGE_IMAGES = join(outDir, smoke ? 'smoke/render-coverage' : 'render-coverage');
/** The iso threshold (scaled units; the bench volumes are CT-like: air −1000, skull 1000). */
const RENDER_ISO = 300;
/** Voxlens's 3D cases, one table row each (and one for interaction quality where `interaction`). */
const RENDER_CASES = [
  { key: 'mip', label: 'MIP', mode: 'mip', skipEmpty: true, interaction: true },
  { key: 'composite', label: 'composite', mode: 'composite', skipEmpty: true, interaction: true },
  { key: 'iso', label: 'iso', mode: 'iso', skipEmpty: true, interaction: true },
  { key: 'compositeNoSkip', label: 'composite', mode: 'composite', skipEmpty: false, interaction: false },
] as const;
/** NiiVue's one case: its default ray caster. */
const NIIVUE_RENDER = 'render';

type Subject = 'voxlens' | 'niivue' | 'floor' | 'floorDraw';
const SUBJECTS: Subject[] = ['voxlens', 'niivue', 'floor', 'floorDraw'];

interface Run {
  loadMs: number;
  rise: { renderer: number; gpu: number; other: number; total: number };
  pageMs: number | null;
  probeMs: number | null;
  error?: string;
}

/** One layout switch: setLayout → frame() (+ readPixels), then until the last redraw it caused. */
interface SwitchSample {
  from: string;
  to: string;
  frameMs: number;
  settledMs: number;
  /** Frames drawn after frame() resolved (0: the switch's first frame was its last). */
  extraFrames: number;
  /** Whether the pane grid showed the new layout when frame() resolved. */
  laidOut: boolean;
  /** Shader programs linked (compiled) by the switch, until its last redraw. */
  links: number;
}

/** A multi-pane run: Voxlens in 2x2, or NiiVue in its multiplanar layout. */
interface MprRun {
  loadMs: number;
  /** ms per frame paging the axial slice (every pane redrawn); NiiVue: with its 3D render tile. */
  pageMs: number | null;
  /** NiiVue only: the same without the render tile. */
  pageNoRenderMs?: number | null;
  /**
   * Voxlens only: the same with the 3D pane cut at the crosshair, so its ray cast is redone at
   * every step (by default the 3D image is cached and only the crosshair overlay moves, while
   * NiiVue's render tile is ray-cast again every frame).
   */
  pageCutMs?: number | null;
  /** Median over this run's plain frames. */
  plainMs: number | null;
  /** Voxlens only: median over this run's full frames (the 3D pane ray-cast again; NiiVue's plain frames always are). */
  fullMs?: number | null;
  /** Voxlens only: medians over this run's layout switches. */
  switchMs?: number | null;
  settledMs?: number | null;
  switches?: SwitchSample[];
  /** memory().textureBytes before and after the switches. */
  textureBytes?: [number, number];
  /** texImage3D/texSubImage3D calls during the switches. */
  uploads?: number;
  /** Measured CSS size of the drawing area (Voxlens: [data-testid=panes]; NiiVue: its canvas). */
  viewPx: [number, number];
  error?: string;
}

/** A 4D run: every frame shown once (1, 2, …, last, 0), each until drawn. */
interface FourDRun {
  loadMs: number;
  /** Median over this run's frame switches; max alongside. */
  switchMs: number | null;
  switchMaxMs: number | null;
  plainMs: number | null;
  /** As MprRun.fullMs. */
  fullMs?: number | null;
  textureBytes?: [number, number];
  uploads?: number;
  /** As MprRun.viewPx. */
  viewPx?: [number, number];
  error?: string;
}

/**
 * A 3D render run: Voxlens's 3d layout (the 3D pane alone), or NiiVue in sliceTypeRender. Per case
 * (Voxlens: RENDER_CASES' keys; NiiVue: NIIVUE_RENDER), every timed frame and their medians.
 */
interface RenderRun {
  loadMs: number;
  /** Voxlens only: ms from the first frame until the exact stats (with the brick ranges empty-space skipping needs) arrived. */
  exactMs?: number;
  /** The view every frame was timed at (Voxlens: camera(); NiiVue: its renderAzimuth and renderElevation). */
  view?: { azimuth: number; elevation: number; zoom?: number };
  /**
   * Share of the drawing area drawn (not background) in a composite frame at `view` (Voxlens: at
   * the matched zoom, its bounding-box outline not counted).
   */
  coverage?: number;
  /** Voxlens only: the same at zoom 1 (its default framing: the volume's bounding sphere fits the pane). */
  coverageZoom1?: number;
  /** Voxlens only: the coverage its zoom was matched to (NiiVue's median over its runs); null: none (zoom 1). */
  coverageTarget?: number | null;
  /** Voxlens only: each zoom tried, with the coverage it gave, in order (the last is `view.zoom`). */
  zoomSteps?: { zoom: number; coverage: number }[];
  /** NiiVue only: the background colour its coverage counted against (opts.backColor, RGBA 0…1). */
  background?: number[];
  cases: Record<string, { full: number[]; interaction: number[]; fullMs: number | null; interactionMs: number | null }>;
  /** Measured CSS size of the drawing area (Voxlens: [data-testid=view-3d]; NiiVue: its canvas). */
  viewPx: [number, number];
  error?: string;
}

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

type Peer = 'voxlens' | 'niivue';
const PEERS: Peer[] = ['voxlens', 'niivue'];
type Cell<R> = { runs: R[]; summary: Record<string, Summary | null> };

declare global {
  interface Window {
    /** Draw calls and 3D texture uploads, counted by wrapping the WebGL2 prototype (see instrument). */
    benchCounts?: { draws: number; uploads: number; links: number };
  }
}

function build() {
  log('building the app and the benchmark pages…');
  // Into bench/out/app, not dist/: a concurrent `vite preview` (the e2e tests) serves dist/.
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', appDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['vite', 'build', '-c', 'bench/vite.config.ts', '--outDir', pagesDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
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
    return { loadMs, rise: { renderer, gpu, other, total: renderer + gpu + other }, pageMs, probeMs, renderer: await rendererOf(page), browserVersion: browser.version() };
  } finally {
    await close();
  }
}

/** Counts draw calls, 3D texture uploads and shader program links from here on (wraps the WebGL2 prototype; the app looks methods up per call). */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    if (window.benchCounts) return;
    const counts = { draws: 0, uploads: 0, links: 0 };
    window.benchCounts = counts;
    const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    const wrap = [['drawArrays', 'draws'], ['drawElements', 'draws'], ['drawArraysInstanced', 'draws'], ['drawElementsInstanced', 'draws'], ['texImage3D', 'uploads'], ['texSubImage3D', 'uploads'], ['linkProgram', 'links']] as const;
    for (const [name, key] of wrap) {
      const original = proto[name];
      proto[name] = function (this: unknown, ...a: unknown[]) {
        counts[key]++;
        return original.apply(this, a);
      };
    }
  });
}

/**
 * ms of each of `n` Voxlens frames with nothing changed: the crosshair set to the volume's centre
 * (where paging ends), then frame(). 'plain' leaves the 3D pane's cached ray-cast image as it is;
 * 'full' also sets the camera to itself, so the 3D pane ray-casts again (every pane drawn anew).
 */
async function voxlensFrames(page: Page, n: number, kind: 'plain' | 'full'): Promise<number[]> {
  return page.evaluate(async ({ count, full }) => {
    const v = window.voxlens;
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const { dims, affine } = v.layers()[0];
    const centre = [0, 1, 2].map((r) => affine[r][0] * (dims[0] - 1) / 2 + affine[r][1] * (dims[1] - 1) / 2 + affine[r][2] * (dims[2] - 1) / 2 + affine[r][3]) as [number, number, number];
    const ms: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      v.setCrosshair(centre);
      if (full) v.setCamera(v.camera());
      await v.frame();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
      ms.push(performance.now() - t0);
    }
    return ms;
  }, { count: n, full: kind === 'full' });
}

/** Times each switch of SWITCH_LAYOUTS (× cycles): setLayout, frame(), readPixels; then waits out any redraws the switch still causes. */
async function voxlensSwitches(page: Page, cycles: number): Promise<{ switches: SwitchSample[]; textureBytes: [number, number]; uploads: number }> {
  await instrument(page);
  return page.evaluate(async ({ layouts, cycles, idleMs }) => {
    const v = window.voxlens;
    const counts = window.benchCounts!;
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const panes = document.querySelector('[data-testid=panes]') as HTMLElement;
    const sync = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const before = v.memory().textureBytes;
    const uploads0 = counts.uploads;
    const switches: SwitchSample[] = [];
    let from = panes.dataset.layout ?? '?';
    for (let c = 0; c < cycles; c++) {
      for (const to of layouts) {
        const links0 = counts.links;
        const t0 = performance.now();
        v.setLayout(to);
        await v.frame();
        sync();
        const frameMs = performance.now() - t0;
        const laidOut = panes.dataset.layout === to;
        let last = counts.draws, lastEnd = performance.now(), idleSince = lastEnd, extraFrames = 0;
        while (performance.now() - idleSince < idleMs) {
          await new Promise(requestAnimationFrame);
          if (counts.draws !== last) {
            sync();
            last = counts.draws;
            extraFrames++;
            lastEnd = idleSince = performance.now();
          }
        }
        switches.push({ from, to, frameMs, settledMs: lastEnd - t0, extraFrames, laidOut, links: counts.links - links0 });
        from = to;
      }
    }
    return { switches, textureBytes: [before, v.memory().textureBytes] as [number, number], uploads: counts.uploads - uploads0 };
  }, { layouts: SWITCH_LAYOUTS, cycles, idleMs: SETTLE_IDLE_MS });
}

const median = (v: number[]) => summarize(v)?.median ?? null;

/** The browser and renderer, from the first run that saw them (results name them). */
const seen = { renderer: '', browserVersion: '' };
async function noteBrowser(page: Page, browser: { version(): string }): Promise<void> {
  if (seen.renderer) return;
  seen.browserVersion = browser.version();
  seen.renderer = await rendererOf(page);
}

async function oneMprRun(peer: Peer, base: string, fileUrl: string): Promise<MprRun> {
  const { page, browser, close } = await launch(peer === 'voxlens' ? { width: MPR_VIEW[0] + 340, height: MPR_VIEW[1] + 40 } : { width: MPR_VIEW[0], height: MPR_VIEW[1] + 40 });
  try {
    if (peer === 'niivue') {
      await page.goto(`${base}/bench/niivue.html?mpr&w=${MPR_VIEW[0]}&h=${MPR_VIEW[1]}`);
      await page.waitForFunction(() => typeof window.bench === 'object');
      await page.waitForTimeout(500);
      const box = (await page.locator('canvas').boundingBox())!;
      const loadMs = await page.evaluate((u) => window.bench.load(u), fileUrl);
      const pageMs = await page.evaluate((n) => window.bench.page(n), PAGE_SLICES);
      const plainMs = median(await page.evaluate((n) => window.bench.plain!(n), PLAIN_FRAMES));
      await page.evaluate(() => window.bench.showRender!(false));
      const pageNoRenderMs = await page.evaluate((n) => window.bench.page(n), PAGE_SLICES);
      await noteBrowser(page, browser);
      return { loadMs, pageMs, pageNoRenderMs, plainMs, viewPx: [box.width, box.height] };
    }
    const viewPx = await openVoxlensPanes(page, base, '2x2', MPR_VIEW);
    const loadMs = await voxlensLoad(page, fileUrl);
    const pageMs = await voxlensPage(page, PAGE_SLICES);
    const plainMs = median(await voxlensFrames(page, PLAIN_FRAMES, 'plain'));
    const fullMs = median(await voxlensFrames(page, FULL_FRAMES, 'full'));
    const { switches, textureBytes, uploads } = await voxlensSwitches(page, SWITCH_CYCLES);
    await page.evaluate(() => window.voxlens.setClip(null, { cut: true }));
    const pageCutMs = await voxlensPage(page, CUT_SLICES);
    await noteBrowser(page, browser);
    return {
      loadMs,
      pageMs,
      pageCutMs,
      plainMs,
      fullMs,
      switchMs: median(switches.map((s) => s.frameMs)),
      settledMs: median(switches.map((s) => s.settledMs)),
      switches,
      textureBytes,
      uploads,
      viewPx,
    };
  } finally {
    await close();
  }
}

async function oneFourDRun(peer: Peer, base: string, fileUrl: string): Promise<FourDRun> {
  const { page, browser, close } = await launch(peer === 'voxlens' ? { width: MPR_VIEW[0] + 340, height: MPR_VIEW[1] + 40 } : { width: MPR_VIEW[0], height: MPR_VIEW[1] + 40 });
  try {
    if (peer === 'niivue') {
      await page.goto(`${base}/bench/niivue.html?mpr&w=${MPR_VIEW[0]}&h=${MPR_VIEW[1]}`);
      await page.waitForFunction(() => typeof window.bench === 'object');
      await page.waitForTimeout(500);
      const loadMs = await page.evaluate((u) => window.bench.load(u), fileUrl);
      const ms = await page.evaluate(() => window.bench.switchFrames!());
      const plainMs = median(await page.evaluate((n) => window.bench.plain!(n), PLAIN_FRAMES));
      await noteBrowser(page, browser);
      return { loadMs, switchMs: median(ms), switchMaxMs: summarize(ms)?.max ?? null, plainMs };
    }
    const viewPx = await openVoxlensPanes(page, base, '2x2', MPR_VIEW);
    const loadMs = await voxlensLoad(page, fileUrl);
    await instrument(page);
    const r = await page.evaluate(async () => {
      const v = window.voxlens;
      const counts = window.benchCounts!;
      const gl = document.querySelector('canvas')!.getContext('webgl2')!;
      const { id, dims } = v.layers()[0];
      const frames = dims.slice(3).reduce((a, b) => a * b, 1);
      const before = v.memory().textureBytes;
      const uploads0 = counts.uploads;
      const ms: number[] = [];
      for (let i = 1; i <= frames; i++) {
        const t0 = performance.now();
        v.setDisplay(id, { frame: i % frames });
        await v.frame();
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
        ms.push(performance.now() - t0);
      }
      return { ms, textureBytes: [before, v.memory().textureBytes] as [number, number], uploads: counts.uploads - uploads0 };
    });
    const plainMs = median(await voxlensFrames(page, PLAIN_FRAMES, 'plain'));
    const fullMs = median(await voxlensFrames(page, FULL_FRAMES, 'full'));
    await noteBrowser(page, browser);
    return { loadMs, switchMs: median(r.ms), switchMaxMs: summarize(r.ms)?.max ?? null, plainMs, fullMs, textureBytes: r.textureBytes, uploads: r.uploads, viewPx };
  } finally {
    await close();
  }
}

/**
 * ms of each of `n` Voxlens frames that ray-cast the 3D pane again (the camera set to itself), after
 * one untimed frame: the first frame of a new mode or quality compiles its shader and sizes its
 * render target.
 */
async function voxlensRenderFrames(page: Page, n: number): Promise<number[]> {
  return page.evaluate(async (count) => {
    const v = window.voxlens;
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const ms: number[] = [];
    for (let i = 0; i <= count; i++) {
      const t0 = performance.now();
      v.setCamera(v.camera());
      await v.frame();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
      if (i > 0) ms.push(performance.now() - t0);
    }
    return ms;
  }, n);
}

/** A screenshot's RGBA has a channel over COVERAGE_THRESHOLD at byte offset i. */
const drawnAt = (d: Uint8Array, i: number) => d[i] > COVERAGE_THRESHOLD || d[i + 1] > COVERAGE_THRESHOLD || d[i + 2] > COVERAGE_THRESHOLD;

/**
 * The share of Voxlens's 3D pane drawn in a composite frame at the current camera. Two screenshots
 * of the pane (its DOM overlays hidden): the frame, and the same view with nothing ray-cast (iso
 * mode with the threshold above every value), which holds only the bounding-box outline. A pixel
 * counts when a channel is over COVERAGE_THRESHOLD (the background is black) unless it is the
 * outline over the background (the same in both; where the outline crosses the volume it differs,
 * and counts, as the volume is there). Leaves the pane in composite mode with the iso at RENDER_ISO.
 */
async function voxlensCoverage(page: Page): Promise<{ coverage: number; frame: PNG; outline: PNG }> {
  const pane = page.getByTestId('view-3d');
  const shot = async () => PNG.sync.read(await pane.screenshot({ style: COVERAGE_HIDE, animations: 'disabled', caret: 'hide' }));
  await page.evaluate(() => window.voxlens.frame());
  const frame = await shot();
  await page.evaluate(() => {
    const v = window.voxlens;
    v.setRenderMode('iso');
    v.setIso(v.layers()[0].id, 1e9);
    return v.frame();
  });
  const outline = await shot();
  await page.evaluate((iso) => {
    const v = window.voxlens;
    v.setIso(v.layers()[0].id, iso);
    v.setRenderMode('composite');
    return v.frame();
  }, RENDER_ISO);
  if (frame.width !== outline.width || frame.height !== outline.height) throw new Error('coverage: the two screenshots of the 3D pane differ in size');
  const a = frame.data, b = outline.data;
  let drawn = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (!drawnAt(a, i)) continue;
    const outlineOnly = drawnAt(b, i) && Math.abs(a[i] - b[i]) <= COVERAGE_THRESHOLD && Math.abs(a[i + 1] - b[i + 1]) <= COVERAGE_THRESHOLD && Math.abs(a[i + 2] - b[i + 2]) <= COVERAGE_THRESHOLD;
    if (!outlineOnly) drawn++;
  }
  return { coverage: drawn / (frame.width * frame.height), frame, outline };
}

function writePng(file: string, png: PNG): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, PNG.sync.write(png));
}

/** NiiVue's readPixels rows (base64 RGBA, bottom row first) as a PNG, opaque. */
function pngFromReadPixels(c: Coverage): PNG {
  const src = Buffer.from(c.pixels ?? '', 'base64');
  const png = new PNG({ width: c.width, height: c.height });
  const row = c.width * 4;
  for (let y = 0; y < c.height; y++) src.copy(png.data, y * row, (c.height - 1 - y) * row, (c.height - y) * row);
  for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
  return png;
}

/**
 * One 3D render run. NiiVue: turned to RENDER_NIIVUE_VIEW, its coverage measured, its frames
 * timed. Voxlens: RENDER_VOXLENS_VIEW, its coverage at zoom 1 measured, the zoom set so its
 * coverage matches `target` (NiiVue's), every case timed there. `image`: where to write the
 * coverage frames as PNGs (a path prefix), for the first run.
 */
async function oneRenderRun(peer: Peer, base: string, fileUrl: string, opts: { target?: number | null; image?: string } = {}): Promise<RenderRun> {
  const { page, browser, close } = await launch(peer === 'voxlens' ? { width: RENDER_VIEW + 340, height: RENDER_VIEW + 40 } : { width: RENDER_VIEW, height: RENDER_VIEW + 40 });
  try {
    if (peer === 'niivue') {
      await page.goto(`${base}/bench/niivue.html?render&w=${RENDER_VIEW}&h=${RENDER_VIEW}`);
      await page.waitForFunction(() => typeof window.bench === 'object');
      await page.waitForTimeout(500);
      const box = (await page.locator('canvas').boundingBox())!;
      const loadMs = await page.evaluate((u) => window.bench.load(u), fileUrl);
      const view = await page.evaluate(({ azimuth, elevation }) => window.bench.setRenderView!(azimuth, elevation), RENDER_NIIVUE_VIEW);
      const cov = await page.evaluate((pixels) => window.bench.coverage!(pixels), opts.image !== undefined);
      if (opts.image) writePng(`${opts.image}-niivue.png`, pngFromReadPixels(cov));
      // plain(): drawScene (which ray-casts the whole canvas again) + readPixels + the next animation frame; the first untimed.
      const full = (await page.evaluate((n) => window.bench.plain!(n), RENDER_NIIVUE_FRAMES + 1)).slice(1);
      await noteBrowser(page, browser);
      return {
        loadMs,
        view,
        coverage: cov.coverage,
        background: cov.background,
        cases: { [NIIVUE_RENDER]: { full, interaction: [], fullMs: median(full), interactionMs: null } },
        viewPx: [box.width, box.height],
      };
    }
    const viewPx = await openVoxlensPanes(page, base, '3d', [RENDER_VIEW, RENDER_VIEW], 'view-3d');
    const loadMs = await voxlensLoad(page, fileUrl);
    // Empty-space skipping needs the brick ranges, which come with the exact stats (off the main thread).
    const t0 = Date.now();
    await page.waitForFunction(() => window.voxlens.layers()[0]?.range.exact === true, null, { timeout: 180_000, polling: 100 });
    const exactMs = Date.now() - t0;
    await page.evaluate((iso) => window.voxlens.setIso(window.voxlens.layers()[0].id, iso), RENDER_ISO);
    // Framing: the crosshair lines off (drawn over the volume, they would count as drawn), composite,
    // from the anterior at zoom 1; then the zoom matched to NiiVue's coverage (coverage ∝ zoom²).
    await page.getByLabel('Show crosshair lines').setChecked(false);
    await page.evaluate((view) => {
      window.voxlens.setRenderMode('composite');
      window.voxlens.setQuality(1, { skipEmpty: true });
      window.voxlens.setCamera({ ...view, zoom: 1 });
    }, RENDER_VOXLENS_VIEW);
    let measured = await voxlensCoverage(page);
    if (opts.image) {
      writePng(`${opts.image}-voxlens-zoom1.png`, measured.frame);
      writePng(`${opts.image}-voxlens-outline-zoom1.png`, measured.outline);
    }
    const coverageZoom1 = measured.coverage;
    const zoomSteps = [{ zoom: 1, coverage: coverageZoom1 }];
    const target = opts.target ?? null;
    if (target && coverageZoom1 > 0) {
      for (let i = 0; i <= COVERAGE_REFINE_STEPS; i++) {
        const last = zoomSteps[zoomSteps.length - 1];
        if (i > 0 && Math.abs(last.coverage / target - 1) <= COVERAGE_TOLERANCE) break;
        const zoom = last.zoom * Math.sqrt(target / last.coverage);
        await page.evaluate((z) => window.voxlens.setCamera({ zoom: z }), zoom);
        measured = await voxlensCoverage(page);
        zoomSteps.push({ zoom, coverage: measured.coverage });
      }
      if (opts.image) writePng(`${opts.image}-voxlens-matched.png`, measured.frame);
    }
    const view = await page.evaluate(() => window.voxlens.camera());
    const cases: RenderRun['cases'] = {};
    for (const c of RENDER_CASES) {
      await page.evaluate(({ mode, skipEmpty }) => {
        window.voxlens.setRenderMode(mode, mode === 'mip' ? { projection: 'max' } : {});
        window.voxlens.setQuality(1, { skipEmpty });
      }, { mode: c.mode, skipEmpty: c.skipEmpty });
      const full = await voxlensRenderFrames(page, RENDER_FULL_FRAMES);
      let interaction: number[] = [];
      if (c.interaction) {
        await page.evaluate(() => window.voxlens.setInteraction(true));
        try {
          interaction = await voxlensRenderFrames(page, RENDER_INTERACTION_FRAMES);
        } finally {
          await page.evaluate(() => window.voxlens.setInteraction(false));
        }
      }
      cases[c.key] = { full, interaction, fullMs: median(full), interactionMs: median(interaction) };
    }
    const after = await page.evaluate(() => window.voxlens.camera());
    if (after.zoom !== view.zoom || after.azimuth !== view.azimuth || after.elevation !== view.elevation) throw new Error(`the 3D camera moved while the cases were timed: ${JSON.stringify(view)} → ${JSON.stringify(after)}`);
    await noteBrowser(page, browser);
    return { loadMs, exactMs, view, coverage: zoomSteps[zoomSteps.length - 1].coverage, coverageZoom1, coverageTarget: target, zoomSteps, cases, viewPx };
  } finally {
    await close();
  }
}

/** Runs `one` `runs` times (each in a fresh browser), logging each; a failed run is kept with its error. */
async function repeat<R extends { error?: string }>(label: string, one: () => Promise<R>, failed: (error: string) => R, describe: (r: R) => string): Promise<R[]> {
  const list: R[] = [];
  for (let r = 0; r < runs; r++) {
    try {
      const run = await one();
      list.push(run);
      log(`  ${label} run ${r + 1}: ${describe(run)}`);
    } catch (e) {
      const error = e instanceof Error ? e.message.split('\n')[0] : String(e);
      log(`  ${label} run ${r + 1}: FAILED ${error}`);
      list.push(failed(error));
    }
  }
  return list;
}

const ms1 = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(1)} ms`);
const values = (list: (number | null | undefined)[]) => list.filter((x): x is number => x !== null && x !== undefined);

async function measureMpr(base: string, fileUrl: string): Promise<Record<Peer, Cell<MprRun>>> {
  const out = {} as Record<Peer, Cell<MprRun>>;
  for (const peer of PEERS) {
    const list = await repeat(
      `${peer} 2x2`,
      () => oneMprRun(peer, base, fileUrl),
      (error) => ({ loadMs: NaN, pageMs: null, plainMs: null, viewPx: [NaN, NaN] as [number, number], error }),
      (r) =>
        `${r.viewPx.map((x) => x.toFixed(1)).join('×')}, page ${ms1(r.pageMs)}/frame` +
        (r.pageNoRenderMs !== undefined ? ` (no render tile ${ms1(r.pageNoRenderMs)})` : '') +
        (r.pageCutMs !== undefined ? ` (3D cut at the crosshair ${ms1(r.pageCutMs)})` : '') +
        `, plain ${ms1(r.plainMs)}` +
        (r.fullMs !== undefined ? `, full ${ms1(r.fullMs)}` : '') +
        (r.switchMs !== undefined
          ? `, layout switch ${ms1(r.switchMs)} (settled ${ms1(r.settledMs)}, ${r.switches?.reduce((a, x) => a + x.links, 0)} programs linked), texture bytes ${r.textureBytes?.join(' → ')}, uploads ${r.uploads}`
          : ''),
    );
    for (const r of list) {
      if (r.textureBytes && r.textureBytes[0] !== r.textureBytes[1]) log(`  WARNING: ${peer}: textureBytes changed across layout switches: ${r.textureBytes[0]} → ${r.textureBytes[1]}`);
      if (r.uploads) log(`  WARNING: ${peer}: ${r.uploads} 3D texture upload call(s) during layout switches`);
      const notLaidOut = r.switches?.filter((s) => !s.laidOut).length;
      if (notLaidOut) log(`  WARNING: ${peer}: frame() resolved before the pane grid showed the new layout in ${notLaidOut} switch(es)`);
    }
    const switches = list.flatMap((r) => r.switches ?? []);
    const summary: Record<string, Summary | null> = {
      loadMs: summarize(list.map((r) => r.loadMs)),
      pageMs: summarize(values(list.map((r) => r.pageMs))),
      pageNoRenderMs: summarize(values(list.map((r) => r.pageNoRenderMs))),
      pageCutMs: summarize(values(list.map((r) => r.pageCutMs))),
      plainMs: summarize(values(list.map((r) => r.plainMs))),
      fullMs: summarize(values(list.map((r) => r.fullMs))),
      switchMs: summarize(values(list.map((r) => r.switchMs))),
      settledMs: summarize(values(list.map((r) => r.settledMs))),
      switchPerPlain: summarize(values(list.map((r) => (r.switchMs != null && r.plainMs ? r.switchMs / r.plainMs : null)))),
      settledPerPlain: summarize(values(list.map((r) => (r.settledMs != null && r.plainMs ? r.settledMs / r.plainMs : null)))),
      switchPerFull: summarize(values(list.map((r) => (r.switchMs != null && r.fullMs ? r.switchMs / r.fullMs : null)))),
      extraFrames: summarize(switches.map((s) => s.extraFrames)),
      links: summarize(switches.map((s) => s.links)),
    };
    // Per target layout, over every run's switches.
    for (const to of new Set(SWITCH_LAYOUTS)) summary[`switchTo:${to}`] = summarize(switches.filter((s) => s.to === to).map((s) => s.frameMs));
    out[peer] = { runs: list, summary };
  }
  return out;
}

async function measure4D(base: string, fileUrl: string): Promise<Record<Peer, Cell<FourDRun>>> {
  const out = {} as Record<Peer, Cell<FourDRun>>;
  for (const peer of PEERS) {
    const list = await repeat(
      `${peer} 4D`,
      () => oneFourDRun(peer, base, fileUrl),
      (error) => ({ loadMs: NaN, switchMs: null, switchMaxMs: null, plainMs: null, error }),
      (r) => `load ${r.loadMs.toFixed(0)} ms, frame switch ${ms1(r.switchMs)} (max ${ms1(r.switchMaxMs)}), plain ${ms1(r.plainMs)}${r.fullMs !== undefined ? `, full ${ms1(r.fullMs)}` : ''}${r.textureBytes ? `, texture bytes ${r.textureBytes.join(' → ')}, uploads ${r.uploads}` : ''}`,
    );
    for (const r of list) {
      if (r.textureBytes && r.textureBytes[0] !== r.textureBytes[1]) log(`  WARNING: ${peer}: textureBytes changed across 4D frame switches: ${r.textureBytes[0]} → ${r.textureBytes[1]}`);
      if (r.uploads) log(`  WARNING: ${peer}: ${r.uploads} 3D texture upload call(s) during 4D frame switches`);
    }
    out[peer] = {
      runs: list,
      summary: {
        loadMs: summarize(list.map((r) => r.loadMs)),
        switchMs: summarize(values(list.map((r) => r.switchMs))),
        switchMaxMs: summarize(values(list.map((r) => r.switchMaxMs))),
        plainMs: summarize(values(list.map((r) => r.plainMs))),
        fullMs: summarize(values(list.map((r) => r.fullMs))),
        switchPerPlain: summarize(values(list.map((r) => (r.switchMs !== null && r.plainMs ? r.switchMs / r.plainMs : null)))),
        switchPerFull: summarize(values(list.map((r) => (r.switchMs !== null && r.fullMs ? r.switchMs / r.fullMs : null)))),
      },
    };
  }
  return out;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`);

async function measureRender(base: string, fileUrl: string, volumeName: string): Promise<Record<Peer, Cell<RenderRun>>> {
  const out = {} as Record<Peer, Cell<RenderRun>>;
  const image = join(COVERAGE_IMAGES, volumeName.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''));
  // NiiVue first: Voxlens's zoom is matched to NiiVue's coverage (its median over the runs).
  let target: number | null = null;
  for (const peer of ['niivue', 'voxlens'] as const) {
    const keys: string[] = peer === 'voxlens' ? RENDER_CASES.map((c) => c.key) : [NIIVUE_RENDER];
    let n = 0;
    const list = await repeat(
      `${peer} 3D render`,
      () => oneRenderRun(peer, base, fileUrl, { target, image: n++ === 0 ? image : undefined }),
      (error) => ({ loadMs: NaN, cases: {}, viewPx: [NaN, NaN] as [number, number], error }),
      (r) =>
        `${r.viewPx.map((x) => x.toFixed(1)).join('×')}, load ${r.loadMs.toFixed(0)} ms` +
        (r.exactMs !== undefined ? ` (+${r.exactMs} ms to the exact stats)` : '') +
        (r.view ? `, azimuth ${r.view.azimuth} elevation ${r.view.elevation}` : '') +
        (r.zoomSteps ? `, coverage ${pct(r.coverageZoom1)} at zoom 1 → ${r.zoomSteps.slice(1).map((z) => `${pct(z.coverage)} at zoom ${z.zoom.toFixed(3)}`).join(' → ') || 'no target'}` : `, coverage ${pct(r.coverage)}`) +
        keys.map((k) => `, ${k} full ${ms1(r.cases[k]?.fullMs)}${r.cases[k]?.interaction.length ? ` / interaction ${ms1(r.cases[k]?.interactionMs)}` : ''}`).join(''),
    );
    const summary: Record<string, Summary | null> = {
      loadMs: summarize(list.map((r) => r.loadMs)),
      exactMs: summarize(values(list.map((r) => r.exactMs))),
      coverage: summarize(values(list.map((r) => r.coverage))),
      coverageZoom1: summarize(values(list.map((r) => r.coverageZoom1))),
      zoom: summarize(values(list.map((r) => r.view?.zoom))),
    };
    if (peer === 'niivue') {
      target = summary.coverage?.median ?? null;
      if (target === null || target <= 0) log(`  WARNING: no NiiVue coverage measured: Voxlens's 3D cases are timed at zoom 1`);
    }
    for (const k of keys) {
      summary[`full:${k}`] = summarize(values(list.map((r) => r.cases[k]?.fullMs)));
      summary[`interaction:${k}`] = summarize(values(list.map((r) => r.cases[k]?.interactionMs)));
      // Per run, then summarized: how many times faster an interaction frame is than a full one.
      summary[`fullPerInteraction:${k}`] = summarize(values(list.map((r) => {
        const c = r.cases[k];
        return c && c.fullMs !== null && c.interactionMs ? c.fullMs / c.interactionMs : null;
      })));
    }
    out[peer] = { runs: list, summary };
  }
  return out;
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

const ms2 = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${v.toFixed(2)} ms`);

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

interface VolumeResult {
  volume: string;
  voxelBytes: number;
  subjects: Record<Subject, { runs: Run[]; summary: Record<string, Summary | null> }>;
  // floorDraw is absent from results written before it existed.
  /** The multi-pane figures, for the volumes that have them. */
  mpr?: Record<Peer, Cell<MprRun>>;
  /** The 3D render figures, for the same volumes. */
  render?: Record<Peer, Cell<RenderRun>>;
}

/** The probing and measurement figures (each absent when --only left it out). */
interface MeasureResult {
  probe?: { volume: string; layers: string[]; points: number; subjects: Record<Peer, Cell<ProbeLayersRun>> };
  roi?: { volume: string; sizeMm: number; calls: number; niivueCalls: number; subjects: Record<Peer, Cell<RoiRun>> };
  labels?: { volume: string; blobs: number; calls: number; subjects: { voxlens: Cell<LabelRun> } };
}

interface FourDResult {
  volume: string;
  voxelBytes: number;
  frames: number;
  subjects: Record<Peer, Cell<FourDRun>>;
}

async function main() {
  if (flag('--report')) {
    report(JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8')) as BenchResults, true);
    return;
  }
  build();
  const os = await import('node:os');
  const loadStart = os.loadavg()[0];
  const volumes: BenchVolume[] = benchVolumes(join(outDir, 'data'), { smoke });
  const fourD = bench4DVolume(join(outDir, 'data'), { smoke });
  const measureVolumes = measures.measure ? benchMeasureVolumes(join(outDir, 'data'), { smoke }) : null;
  const formatVolume = measures.formats ? benchFormatVolume(join(outDir, 'data'), { smoke }) : null;
  const dicomVolume = measures.dicom ? benchDicomVolume(join(outDir, 'data'), { smoke }) : null;
  const memoryVolumes = measures.memory ? benchMemoryVolumes(join(outDir, 'data'), { smoke }).filter((v) => !only || v.name.includes(only)) : [];
  const mounts: Record<string, string> = { '/': appDir, '/bench/': pagesDir, '/data/': join(outDir, 'data') };
  const entries: { volume: BenchVolume; url: string }[] = volumes.map((v) => ({ volume: v, url: `/data/${basename(v.file)}` }));
  const skipped: string[] = [];
  if (!smoke && measures.singleView && !flag('--no-shared')) {
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
  // The PACS row: Orthanc (when installed) holding the uncompressed series, behind /dicom-web.
  let orthanc: Orthanc | undefined;
  const proxies: Record<string, string> = {};
  const series = dicomVolume?.cells.find((c) => c.kind === 'dicom');
  if (dicomVolume && series && !smoke && (!only || dicomVolume.name.includes(only))) {
    if (hasOrthanc) {
      orthanc = await startOrthanc();
      const began = Date.now();
      await orthanc.upload(series.files.map((f) => join(outDir, 'data', series.dir, f)));
      log(`Orthanc at ${orthanc.url}: ${series.files.length} files stored in ${((Date.now() - began) / 1000).toFixed(1)} s`);
      proxies['/dicom-web/'] = orthanc.url;
      dicomVolume.cells.push({ kind: 'orthanc', note: 'the uncompressed series stored in Orthanc (DICOMweb plugin, loopback), opened by voxlens.pacs.open: WADO-RS series metadata, then one WADO-RS request per instance, as stored', dir: series.dir, files: series.files, bytes: series.bytes });
    } else dicomVolume.skipped.push(`Orthanc row: ${ORTHANC_SKIP}`);
  }
  const { server, url: base } = await serve(mounts, 0, proxies);
  const results: VolumeResult[] = [];
  let fourDResult: FourDResult | undefined;
  let measureResult: MeasureResult | undefined;
  let formatsResult: FormatsResult | undefined;
  let dicomResult: DicomResult | undefined;
  let zarrResult: ZarrResult | undefined;
  let memoryResult: MemoryResult | undefined;
  let bigResult: BigResult | undefined;
  let renderer = '';
  let browserVersion = '';
  try {
    for (const { volume, url } of entries) {
      if (only && !volume.name.includes(only)) continue;
      if (!measures.singleView && !(volume.mpr && (measures.multiPane || measures.render))) continue;
      log(`\n${volume.name}`);
      const result = { volume: volume.name, voxelBytes: volume.voxelBytes, subjects: {} } as VolumeResult;
      for (const subject of measures.singleView ? SUBJECTS : []) {
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
      // The 3D render figures go with the multi-pane volumes (256³ int16 and CT).
      if (volume.mpr && measures.render) {
        log(`  3D render: the 3D pane at ${RENDER_VIEW}² (MIP, composite, iso; full and interaction quality) vs NiiVue's render`);
        result.render = await measureRender(base, `${base}${url}`, volume.name);
      }
      if (volume.mpr && measures.multiPane) {
        log(`  multi-pane: 2x2 in ${MPR_VIEW.join('×')} vs NiiVue multiplanar`);
        result.mpr = await measureMpr(base, `${base}${url}`);
      }
      results.push(result);
    }
    if (measures.multiPane && (!only || fourD.name.includes(only))) {
      log(`\n${fourD.name}`);
      fourDResult = { volume: fourD.name, voxelBytes: fourD.voxelBytes, frames: fourD.frames, subjects: await measure4D(base, `${base}/data/${basename(fourD.file)}`) };
    }
    if (measureVolumes) {
      const urlOf = (v: BenchVolume) => `${base}/data/${basename(v.file)}`;
      const { layers, roi, labels } = measureVolumes;
      measureResult = {};
      if (!only || layers[0].name.includes(only)) {
        log(`\nprobing with ${layers.length} layers (${layers.map((l) => l.name).join(', ')}) and a profile plot open`);
        measureResult.probe = { volume: layers[0].name, layers: layers.map((l) => l.name), points: MEASURE_PROBE_POINTS.length, subjects: await measureProbeLayers(base, layers.map(urlOf)) };
      }
      if (!only || roi.name.includes(only)) {
        log(`\n${roi.name}: ROI statistics, ${ROI_SIZE_MM} mm ellipse`);
        measureResult.roi = { volume: roi.name, sizeMm: ROI_SIZE_MM, calls: ROI_CALLS, niivueCalls: ROI_NIIVUE_CALLS, subjects: await measureRoi(base, urlOf(roi)) };
      }
      if (!only || labels.name.includes(only)) {
        log(`\n${labels.name}: volumes per label`);
        measureResult.labels = { volume: labels.name, blobs: labels.blobs, calls: LABEL_CALLS, subjects: await measureLabels(base, urlOf(labels)) };
      }
    }
    if (formatVolume && (!only || formatVolume.name.includes(only))) {
      log(`\n${formatVolume.name}: ${formatVolume.files.map((f) => `${f.format} ${(f.bytes / 1e6).toFixed(2)} MB`).join(', ')}`);
      // The smoke run: a fresh page per run, not a fresh browser (about half the time).
      formatsResult = await measureFormats(base, formatVolume, runs, smoke ? 'page' : 'browser');
    }
    if (measures.zarr) {
      log('\nOME-Zarr: the procedural image of scripts/zarrServer.ts');
      zarrResult = await measureZarr(base, runs);
      log(`\n${zarrReport(zarrResult)}`);
    }
    if (dicomVolume && (!only || dicomVolume.name.includes(only))) {
      log(`\n${dicomVolume.name}: ${dicomVolume.cells.map((c) => `${c.kind} ${c.files.length} file(s), ${(c.bytes / 1e6).toFixed(2)} MB`).join('; ')}${dicomVolume.skipped.length ? `; skipped: ${dicomVolume.skipped.join('; ')}` : ''}`);
      // The smoke run: a fresh page per run, not a fresh browser.
      dicomResult = await measureDicom(base, join(outDir, 'data'), dicomVolume, runs, smoke ? 'page' : 'browser');
    }
    if (memoryVolumes.length) {
      memoryResult = await measureMemory(base, memoryVolumes.map((v) => ({ volume: v, url: `/data/${basename(v.file)}` })), runs);
      log(`\n${memoryReport(memoryResult)}`);
    }
    if (measures.big && (!only || BIG_NAME.includes(only))) {
      bigResult = await measureBig(appDir, bigRuns);
      log(`\n${bigReport(bigResult)}`);
    }
  } finally {
    server.close();
    await orthanc?.stop();
  }

  mkdirSync(outDir, { recursive: true });
  const json: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryBytes: os.totalmem(), platform: process.platform, arch: process.arch, loadAvg1m: [loadStart, os.loadavg()[0]] },
    browser: browserVersion || seen.browserVersion,
    renderer: renderer || seen.renderer,
    runsPerCell: runs,
    pagingSlices: PAGE_SLICES,
    viewPx: VIEW,
    mprViewPx: MPR_VIEW,
    mprPanesPx: [...results.flatMap((r) => r.mpr?.voxlens.runs.map((x) => x.viewPx) ?? []), ...(fourDResult?.subjects.voxlens.runs.map((x) => x.viewPx) ?? [])].find((p) => p?.every(Number.isFinite)),
    switchLayouts: [...SWITCH_LAYOUTS],
    switchCycles: SWITCH_CYCLES,
    plainFrames: PLAIN_FRAMES,
    fullFrames: FULL_FRAMES,
    cutSlices: CUT_SLICES,
    renderViewPx: RENDER_VIEW,
    renderPanePx: results.flatMap((r) => r.render?.voxlens.runs.map((x) => x.viewPx) ?? []).find((p) => p?.every(Number.isFinite)),
    renderNiivuePx: results.flatMap((r) => r.render?.niivue.runs.map((x) => x.viewPx) ?? []).find((p) => p?.every(Number.isFinite)),
    renderFullFrames: RENDER_FULL_FRAMES,
    renderInteractionFrames: RENDER_INTERACTION_FRAMES,
    renderNiivueFrames: RENDER_NIIVUE_FRAMES,
    renderIso: RENDER_ISO,
    renderCoverage: {
      voxlensView: RENDER_VOXLENS_VIEW,
      niivueView: RENDER_NIIVUE_VIEW,
      threshold: COVERAGE_THRESHOLD,
      refineSteps: COVERAGE_REFINE_STEPS,
      tolerance: COVERAGE_TOLERANCE,
      niivueBackground: results.flatMap((r) => r.render?.niivue.runs.map((x) => x.background) ?? []).find((b) => b !== undefined),
    },
    skipped,
    results,
    fourD: fourDResult,
    measure: measureResult,
    // A full run leaves the formats figure out (see measures.formats) and keeps the last one measured.
    formats: formatsResult ?? (!smoke && !partial ? previousFigure('formats') : undefined),
    // Likewise the DICOM figure.
    dicom: dicomResult ?? (!smoke && !partial ? previousDicom() : undefined),
    // And the memory figure.
    memory: memoryResult ?? (!smoke && !partial ? previousFigure('memory') : undefined),
    // And the OME-Zarr figure (only ever measured with --zarr).
    zarr: zarrResult ?? (!smoke && !partial ? previousFigure('zarr') : undefined),
    // And the big-file figure (in a full run only where VOXLENS_BENCH_BIG=1).
    big: bigResult ?? (!smoke && !partial ? previousFigure('big') : undefined),
  };
  const target = smoke ? join(outDir, 'results.smoke.json') : partial ? join(outDir, 'results.only.json') : join(root, 'bench/results.json');
  writeFileSync(target, JSON.stringify(json, null, 1));
  log(`\nwrote ${target}`);
  report(json, !smoke && !partial);
  // A run of one figure (--formats, --dicom, --memory, --zarr; not --only): it replaces that
  // figure's section of the full results, and leaves the rest as it was.
  if (!smoke && partial && only === undefined) {
    const [fullJson, fullMd] = [join(root, 'bench/results.json'), join(root, 'bench/results.md')];
    const sections: [string, (() => void) | undefined][] = [
      ['formats', formatsResult && (() => mergeFormats(fullJson, fullMd, formatsResult))],
      ['DICOM', dicomResult && (() => mergeDicom(fullJson, fullMd, dicomResult))],
      ['memory', memoryResult && (() => mergeMemory(fullJson, fullMd, memoryResult))],
      ['OME-Zarr', zarrResult && (() => mergeZarr(fullJson, fullMd, zarrResult))],
      ['big-file', bigResult && (() => mergeBig(fullJson, fullMd, bigResult))],
    ];
    for (const [name, merge] of sections) {
      if (!merge) continue;
      merge();
      log(`replaced the ${name} section of bench/results.json and bench/results.md`);
    }
  }
  // The big-file figure fails loudly whenever it runs: a wrong probe, a failed load, buffers left pinned.
  const brokenBig = bigResult ? bigFailures(bigResult) : [];
  if (brokenBig.length) {
    log(`\nbig-file figure FAILED (${brokenBig.length}):\n  ${brokenBig.slice(0, 20).join('\n  ')}`);
    process.exitCode = 1;
  }
  // A smoke run (npm test) fails when a 3D render run failed or timed nothing, so that path cannot rot.
  if (smoke) {
    const broken = results.flatMap((r) =>
      PEERS.flatMap((peer) =>
        (r.render?.[peer].runs ?? []).flatMap((run) => {
          const empty = Object.entries(run.cases).filter(([, c]) => c.fullMs === null).map(([k]) => k);
          if (run.error) return [`${r.volume} ${peer}: ${run.error}`];
          if (empty.length || !Object.keys(run.cases).length) return [`${r.volume} ${peer}: no frames timed (${empty.join(', ') || 'no cases'})`];
          if (!(run.coverage! > 0)) return [`${r.volume} ${peer}: no coverage measured (${run.coverage})`];
          if (peer === 'voxlens' && !(run.coverageTarget! > 0 && run.view?.zoom !== 1)) return [`${r.volume} voxlens: the zoom was not matched to NiiVue's coverage`];
          return [];
        }),
      ),
    );
    if (measures.render && !results.some((r) => r.render)) broken.push('no 3D render figures were measured');
    if (broken.length) {
      log(`\nsmoke: 3D render figures FAILED: ${broken.join('; ')}`);
      process.exitCode = 1;
    }
    // Likewise the probing and measurement figures.
    const m = measureResult;
    const brokenMeasure = [
      ...PEERS.flatMap((peer) => (m?.probe?.subjects[peer].runs ?? []).flatMap((run) => (run.error ? [`probe ${peer}: ${run.error}`] : run.probeMs === null ? [`probe ${peer}: no pointer position timed`] : []))),
      ...PEERS.flatMap((peer) => (m?.roi?.subjects[peer].runs ?? []).flatMap((run) => (run.error ? [`ROI ${peer}: ${run.error}`] : !(run.count > 0) || run.roiMs === null ? [`ROI ${peer}: no voxels or no time`] : []))),
      ...(m?.labels?.subjects.voxlens.runs ?? []).flatMap((run) => (run.error ? [`labels: ${run.error}`] : !(run.labels > 0) || run.labelMs === null ? ['labels: no labels or no time'] : [])),
    ];
    if (measures.measure && !(m?.probe && m.roi && m.labels)) brokenMeasure.push('a probing or measurement figure was not measured');
    if (brokenMeasure.length) {
      log(`\nsmoke: probing and measurement figures FAILED: ${brokenMeasure.join('; ')}`);
      process.exitCode = 1;
    }
    // And the formats figure: every format read (the same dims, affine and voxels) and timed by both peers.
    const brokenFormats = (formatsResult?.formats ?? []).flatMap((c) =>
      [...c.voxlens.runs, ...c.niivue.runs].flatMap((run) => (run.error ? [`${c.format}: ${run.error}`] : run.mismatch ? [`${c.format}: read differently: ${run.mismatch}`] : !(run.loadMs > 0) ? [`${c.format}: no load time`] : [])),
    );
    if (measures.formats && !formatsResult) brokenFormats.push('the formats figure was not measured');
    if (brokenFormats.length) {
      log(`\nsmoke: formats figure FAILED: ${brokenFormats.join('; ')}`);
      process.exitCode = 1;
    }
    // And the DICOM figure: the series and the .nii.gz read alike (dims, scaling, affine, voxels) and timed.
    const brokenDicom = (dicomResult?.cells ?? []).flatMap((c) =>
      c.runs.flatMap((run) => (run.error ? [`${c.kind}: ${run.error}`] : run.mismatch ? [`${c.kind}: read differently: ${run.mismatch}`] : !(run.loadMs > 0) || run.decodeMs === null ? [`${c.kind}: no load or decode time`] : [])),
    );
    if (measures.dicom && !dicomResult?.cells.some((c) => c.kind === 'dicom')) brokenDicom.push('the DICOM figure was not measured');
    if (brokenDicom.length) {
      log(`\nsmoke: DICOM figure FAILED: ${brokenDicom.join('; ')}`);
      process.exitCode = 1;
    }
    // And the memory figure: every run loaded and measured a rise.
    const brokenMemory = (memoryResult?.cells ?? []).flatMap((c) => c.runs.flatMap((run) => (run.error ? [`${c.volume}: ${run.error}`] : !(run.renderer > 0) || !(run.loadMs > 0) ? [`${c.volume}: no rise or no load time`] : [])));
    if (measures.memory && !memoryResult?.cells.length) brokenMemory.push('the memory figure was not measured');
    if (brokenMemory.length) {
      log(`\nsmoke: memory figure FAILED: ${brokenMemory.join('; ')}`);
      process.exitCode = 1;
    }
  }
}

/** A figure a single-figure run (--formats, --memory, --zarr, --big) wrote into bench/results.json, if any. */
function previousFigure<K extends 'formats' | 'memory' | 'zarr' | 'big'>(key: K): BenchResults[K] | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8')) as BenchResults)[key];
  } catch {
    return undefined;
  }
}

/** The DICOM figure in bench/results.json, if a --dicom run wrote one. */
function previousDicom(): DicomResult | undefined {
  try {
    return (JSON.parse(readFileSync(join(root, 'bench/results.json'), 'utf8')) as BenchResults).dicom;
  } catch {
    return undefined;
  }
}

interface BenchResults {
  date: string;
  /** loadAvg1m: the 1-minute load average when the runs started and ended (other work on the machine skews timings). */
  machine: { cpus: number; memoryBytes: number; platform: string; arch: string; loadAvg1m?: [number, number] };
  browser: string;
  renderer: string;
  runsPerCell: number;
  pagingSlices: number;
  viewPx: number;
  /** The multi-pane figures' target size, and the panes area Voxlens measured (absent in older results). */
  mprViewPx?: [number, number];
  mprPanesPx?: [number, number];
  switchLayouts?: string[];
  switchCycles?: number;
  plainFrames?: number;
  fullFrames?: number;
  cutSlices?: number;
  /** The 3D render figures' settings and the sizes measured (absent in older results). */
  renderViewPx?: number;
  renderPanePx?: [number, number];
  renderNiivuePx?: [number, number];
  renderFullFrames?: number;
  renderInteractionFrames?: number;
  renderNiivueFrames?: number;
  renderIso?: number;
  /** How the 3D figures were framed (absent in older results). */
  renderCoverage?: {
    voxlensView: { azimuth: number; elevation: number };
    niivueView: { azimuth: number; elevation: number };
    threshold: number;
    refineSteps: number;
    tolerance: number;
    niivueBackground?: number[];
  };
  skipped: string[];
  results: VolumeResult[];
  fourD?: FourDResult;
  /** The probing and measurement figures (absent in older results). */
  measure?: MeasureResult;
  /** The formats figure (absent in older results; a --formats run replaces it alone). */
  formats?: FormatsResult;
  /** The DICOM figure (absent in older results; a --dicom run replaces it alone). */
  dicom?: DicomResult;
  /** The memory figure (absent in older results; a --memory run replaces it alone). */
  memory?: MemoryResult;
  /** The OME-Zarr figure (absent in older results; a --zarr run replaces it alone). */
  zarr?: ZarrResult;
  /** The big-file figure (absent in older results; a --big run replaces it alone). */
  big?: BigResult;
}

/** Prints the table; with `write`, also writes it to bench/results.md (linked from the README). */
function report(json: BenchResults, write: boolean): void {
  const rows: string[][] = [];
  const targets: string[] = [];
  // Ratios of memory rises whose denominator is under 0.05× the voxel bytes are noise, not claims.
  const rise = (a: Summary | null, b: Summary | null) => (b && b.median < 0.05 ? null : ratio(a, b));
  for (const r of json.results) {
    if (!r.subjects.voxlens) {
      // a --multi-pane or --render run
      if (r.render) renderRows(r.volume, r.render.voxlens, r.render.niivue);
      if (r.mpr) mprRows(r.volume, r.mpr.voxlens, r.mpr.niivue);
      continue;
    }
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
    if (r.render) renderRows(r.volume, r.render.voxlens, r.render.niivue);
    if (r.mpr) mprRows(r.volume, r.mpr.voxlens, r.mpr.niivue);
  }
  // The multi-pane figures: no floor; a row without a NiiVue figure has n/a there.
  function peerRow(volume: string, label: string, v: Summary | null, n: Summary | null | undefined, unit: string, digits: number) {
    rows.push([volume, label, fmt(v, unit, digits), n === undefined ? 'n/a' : fmt(n, unit, digits), 'n/a', 'n/a', n === undefined ? 'n/a' : fmtRatio(ratio(v, n)), 'n/a', 'n/a']);
  }
  // The 3D render figures: every Voxlens case against NiiVue's one render (it has no MIP or iso mode).
  function renderRows(volume: string, vx: Cell<RenderRun>, nv: Cell<RenderRun>) {
    const v = vx.summary, n = nv.summary;
    const px = `${json.renderViewPx ?? '?'}²`;
    const nvFull = n[`full:${NIIVUE_RENDER}`] ?? null;
    const fullVs: string[] = [], faster: string[] = [];
    // The framing every frame below was timed at (absent in older results): coverage in percent.
    const asPct = (x: Summary | null | undefined) => (x ? { ...x, median: 100 * x.median, min: 100 * x.min, max: 100 * x.max } : null);
    if (v.coverage || n.coverage) {
      peerRow(volume, '3D coverage (share of pane drawn), composite', asPct(v.coverage), asPct(n.coverage), '%', 1);
      peerRow(volume, '3D coverage at zoom 1 (Voxlens default framing)', asPct(v.coverageZoom1), asPct(n.coverage), '%', 1);
      peerRow(volume, '3D zoom (matched to NiiVue coverage)', v.zoom ?? null, undefined, '', 3);
    }
    for (const c of RENDER_CASES) {
      const full = v[`full:${c.key}`] ?? null;
      const skipping = c.skipEmpty ? '' : ', skipping off';
      peerRow(volume, `3D ${c.label} full ${px}${skipping}`, full, nvFull, ' ms', 1);
      if (!c.interaction) continue;
      peerRow(volume, `3D ${c.label} interaction ${px}`, v[`interaction:${c.key}`] ?? null, nvFull, ' ms', 1);
      peerRow(volume, `3D ${c.label} full / interaction`, v[`fullPerInteraction:${c.key}`] ?? null, undefined, '×', 2);
      const r = ratio(full, nvFull);
      fullVs.push(`${c.label} ${fmtRatio(r)} (${verdict(r, 0.5, true)})`);
      const f = v[`fullPerInteraction:${c.key}`]?.median ?? null;
      faster.push(`${c.label} ${fmtRatio(f)} (${atLeast(f, 4)})`);
    }
    const on = v['full:composite'] ?? null, off = v['full:compositeNoSkip'] ?? null;
    targets.push(
      `${volume}: 3D full-quality frame at ${px} against NiiVue's render (target ≤ 0.50×): ${fullVs.join(', ')}; ` +
        `interaction frame faster than full (target ≥ 4×): ${faster.join(', ')}; ` +
        `empty-space skipping: composite full ${fmt(on, ' ms', 1)} with, ${fmt(off, ' ms', 1)} without (without/with ${fmtRatio(ratio(off, on))})`,
    );
  }
  function mprRows(volume: string, vx: Cell<MprRun>, nv: Cell<MprRun>) {
    const v = vx.summary, n = nv.summary;
    peerRow(volume, `2x2 paging ${json.pagingSlices} slices`, v.pageMs, n.pageMs, ' ms/frame', 1);
    peerRow(volume, `2x2 paging, 3D cut at crosshair (${json.cutSlices ?? '?'} slices)`, v.pageCutMs ?? null, n.pageMs, ' ms/frame', 1);
    peerRow(volume, '2x2 paging, NiiVue no render tile', v.pageMs, n.pageNoRenderMs, ' ms/frame', 1);
    peerRow(volume, '2x2 plain frame', v.plainMs, n.plainMs, ' ms', 1);
    peerRow(volume, '2x2 full frame (3D re-cast)', v.fullMs ?? null, n.plainMs, ' ms', 1);
    peerRow(volume, 'layout switch → frame()', v.switchMs, undefined, ' ms', 1);
    peerRow(volume, 'layout switch → last redraw', v.settledMs, undefined, ' ms', 1);
    peerRow(volume, 'layout switch / plain frame', v.switchPerPlain, undefined, '×', 2);
    peerRow(volume, 'layout switch / full frame', v.switchPerFull ?? null, undefined, '×', 2);
    peerRow(volume, 'layout switch, frames after frame()', v.extraFrames ?? null, undefined, '', 0);
    peerRow(volume, 'layout switch, programs linked', v.links ?? null, undefined, '', 0);
    rows.push([volume, 'layout switch: textures', textureCell(vx.runs), 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
    const perTarget = [...new Set(json.switchLayouts ?? [])].map((to) => `${to} ${fmt(v[`switchTo:${to}`] ?? null, ' ms', 1)}`).join(', ');
    targets.push(
      `${volume}: 2x2 paging ${fmtRatio(ratio(v.pageMs, n.pageMs))} NiiVue's multiplanar (target ≤ 0.50×: ${verdict(ratio(v.pageMs, n.pageMs), 0.5, true)}; ` +
        `with the 3D pane cut at the crosshair ${fmtRatio(ratio(v.pageCutMs ?? null, n.pageMs))}: ${verdict(ratio(v.pageCutMs ?? null, n.pageMs), 0.5, true)}); ` +
        `layout switch ${fmtRatio(v.switchPerPlain?.median ?? null)} a plain frame, ${over(v.switchMs, v.plainMs)} (target < 1×: ${verdict(v.switchPerPlain?.median ?? null, 1, false)}), ` +
        `${fmtRatio(v.switchPerFull?.median ?? null)} a full frame (${verdict(v.switchPerFull?.median ?? null, 1, false)}), ` +
        `to its last redraw ${fmtRatio(v.settledPerPlain?.median ?? null)}; switch → frame() by target layout: ${perTarget}`,
    );
  }
  const fd = json.fourD;
  if (fd) {
    const v = fd.subjects.voxlens.summary, n = fd.subjects.niivue.summary;
    peerRow(fd.volume, 'load → first frame, 2x2', v.loadMs, n.loadMs, ' ms', 0);
    peerRow(fd.volume, `frame switch → frame() (${fd.frames} frames)`, v.switchMs, n.switchMs, ' ms', 1);
    peerRow(fd.volume, 'frame switch, slowest of a run', v.switchMaxMs, n.switchMaxMs, ' ms', 1);
    peerRow(fd.volume, '2x2 plain frame', v.plainMs, n.plainMs, ' ms', 1);
    peerRow(fd.volume, '2x2 full frame (3D re-cast)', v.fullMs ?? null, n.plainMs, ' ms', 1);
    peerRow(fd.volume, 'frame switch / plain frame', v.switchPerPlain, n.switchPerPlain, '×', 2);
    peerRow(fd.volume, 'frame switch / full frame', v.switchPerFull ?? null, n.switchPerPlain, '×', 2);
    rows.push([fd.volume, 'frame switch: textures', textureCell(fd.subjects.voxlens.runs, fd.voxelBytes), 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
    targets.push(
      `${fd.volume}: frame switch ${fmtRatio(v.switchPerPlain?.median ?? null)} a plain frame, ${over(v.switchMs, v.plainMs)} (target < 1×: ${verdict(v.switchPerPlain?.median ?? null, 1, false)}), ` +
        `${fmtRatio(v.switchPerFull?.median ?? null)} a full frame, ${over(v.switchMs, v.fullMs)} (${verdict(v.switchPerFull?.median ?? null, 1, false)})`,
    );
  }
  const m = json.measure;
  if (m?.probe) {
    const v = m.probe.subjects.voxlens.summary, n = m.probe.subjects.niivue.summary;
    const k = m.probe.layers.length;
    const volume = `${m.probe.volume} + ${k - 1} layers`;
    peerRow(volume, `load ${k} layers → first frame`, v.loadMs, n.loadMs, ' ms', 0);
    peerRow(volume, `probe: pointer → panel, ${k} layers`, v.plainProbeMs, n.probeMs, ' ms', 1);
    peerRow(volume, `probe: pointer → panel, ${k} layers + profile plot`, v.probeMs, n.probeMs, ' ms', 1);
    peerRow(volume, '  the same, every pointer position', v.probeAll, n.probeAll, ' ms', 1);
    targets.push(
      `${volume}: pointer → panel with ${k} layers and a profile plot open ${fmt(v.probeMs, ' ms', 1)} (target < ${PROBE_TARGET_MS} ms: ${verdict(v.probeMs?.median ?? null, PROBE_TARGET_MS, false)}; ` +
        `slowest single position ${v.probeAll ? `${v.probeAll.max.toFixed(1)} ms` : 'n/a'}); before the line was drawn ${fmt(v.plainProbeMs, ' ms', 1)}; NiiVue (click → onLocationChange, no profile plot) ${fmt(n.probeMs, ' ms', 1)}`,
    );
  }
  if (m?.roi) {
    const v = m.roi.subjects.voxlens.summary, n = m.roi.subjects.niivue.summary;
    const count = v.count ? `${v.count.median.toFixed(0)} voxels` : '? voxels';
    peerRow(m.roi.volume, `ROI stats, ${m.roi.sizeMm} mm ellipse (${count})`, v.roiMs, n.roiMs, ' ms', 2);
    peerRow(m.roi.volume, 'ROI stats, first call', v.firstMs, n.firstMs, ' ms', 2);
    peerRow(m.roi.volume, 'ROI stats, voxels counted', v.count, n.count, '', 0);
  }
  if (m?.labels) {
    const v = m.labels.subjects.voxlens.summary;
    peerRow(m.labels.volume, `label volumes (${v.labels ? v.labels.median.toFixed(0) : '?'} labels)`, v.labelMs, undefined, ' ms', 1);
    peerRow(m.labels.volume, 'label volumes, first call (starts the worker)', v.firstMs, undefined, ' ms', 1);
  }
  const text = table(['volume', 'figure (median [min–max])', 'Voxlens', 'NiiVue 0.69', 'floor', 'floor+draw', 'Voxlens/NiiVue', 'Voxlens/floor', 'Voxlens/floor+draw'], rows);
  const header =
    `Voxlens benchmark, ${json.date}; ${json.machine.cpus} cores, ${(json.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB` +
    (json.machine.loadAvg1m ? `; load average (1 min) ${json.machine.loadAvg1m.map((x) => x.toFixed(2)).join(' at start, ')} at end` : '') +
    '\n' +
    `browser ${json.browser}; renderer ${json.renderer}; ${json.runsPerCell} run(s) per cell, each in a fresh browser` +
    // Each legend only where its figures are (a --multi-pane or --render run has some of them).
    (json.results.some((r) => r.subjects.floor) ? '\nfloor = stream-gunzip into one SharedArrayBuffer + one texImage3D (draws nothing); floor+draw = the same, then one 512² frame sampling the texture' : '') +
    (json.mprViewPx && (json.results.some((r) => r.mpr) || json.fourD)
      ? `\n2x2 = Voxlens's 2x2 layout, panes area ${json.mprPanesPx ? json.mprPanesPx.map((x) => +x.toFixed(2)).join('×') : '?'} CSS px measured (target ${json.mprViewPx.join('×')}), every pane redrawn as the crosshair moves; ` +
        `NiiVue: multiplanar layout as a grid with its 3D render tile (multiplanarShowRender ALWAYS) on a ${json.mprViewPx.join('×')} canvas, paged the same way (one voxel in z per frame); ` +
        "Voxlens's 3D pane keeps its ray-cast image while only the crosshair moves, NiiVue ray-casts every frame: '3D cut at crosshair' (setClip(null, { cut: true })) makes Voxlens re-cast every step too\n" +
        `plain frame = the crosshair set to where it is, then frame() (NiiVue: drawScene, which ray-casts its render tile again), median of ${json.plainFrames} per run; ` +
        `full frame = the same with the camera set to itself, so the 3D pane ray-casts again (median of ${json.fullFrames} per run; Voxlens/NiiVue compares it with NiiVue's plain frame)\n` +
        `layout switch = setLayout + frame() + readPixels over ${json.switchLayouts?.join(' → ')} (from 2x2), ${json.switchCycles}× per run, median per run; last redraw = until no redraw came for ${SETTLE_IDLE_MS} ms\n` +
        'frame switch = setDisplay(frame) + frame() (NiiVue: setFrame4D) over every frame; textures = memory().textureBytes before → after, texImage3D/texSubImage3D calls during the switches'
      : '') +
    (json.renderViewPx && json.results.some((r) => r.render)
      ? `\n3D render = Voxlens's 3d layout, its 3D pane ${json.renderPanePx ? json.renderPanePx.map((x) => +x.toFixed(2)).join('×') : '?'} CSS px measured (target ${json.renderViewPx}²), ` +
        'each frame = camera set to itself (the pane ray-casts again) + frame() + readPixels, after one untimed frame per case; ' +
        `full = 1 sample per voxel, median of ${json.renderFullFrames} per run; interaction = setInteraction(true) (half resolution, 4× coarser steps), median of ${json.renderInteractionFrames} per run; ` +
        `empty-space skipping on (the default) unless "skipping off"; MIP = max projection with the default window, composite = the default transfer function, iso = threshold ${json.renderIso}; ` +
        `full / interaction = per run, then summarized\n` +
        `NiiVue: sliceTypeRender on a ${json.renderNiivuePx ? json.renderNiivuePx.map((x) => +x.toFixed(2)).join('×') : `${json.renderViewPx}²`} canvas, its default ray caster ` +
        '(front-to-back compositing through its gray colormap, 1 sample per voxel, early ray termination; NiiVue 0.69 has no MIP or isosurface render mode, so every row compares with that one render, ' +
        'and it has no coarser interaction quality, so the interaction rows compare with the same frame); ' +
        `each frame = drawScene + readPixels + the next animation frame, median of ${json.renderNiivueFrames} per run after one untimed` +
        (json.renderCoverage
          ? `\n3D framing: both from the patient's anterior, superior up (Voxlens camera azimuth ${json.renderCoverage.voxlensView.azimuth} elevation ${json.renderCoverage.voxlensView.elevation}; ` +
            `NiiVue renderAzimuth ${json.renderCoverage.niivueView.azimuth} renderElevation ${json.renderCoverage.niivueView.elevation}); ` +
            `coverage = share of the drawing area's pixels with a channel more than ${json.renderCoverage.threshold}/255 from the background in a composite frame ` +
            `(NiiVue: readPixels of its canvas after drawScene, background = its backColor ${json.renderCoverage.niivueBackground ? `[${json.renderCoverage.niivueBackground.join(', ')}]` : '?'}; ` +
            "Voxlens: a screenshot of the 3D pane with its overlays and the crosshair lines hidden, black background, its bounding-box outline not counted where it lies over the background); " +
            "per run Voxlens's zoom (1 = the volume's bounding sphere fits the pane) is set to zoom × sqrt(NiiVue's median coverage / Voxlens's), measured again " +
            `(up to ${json.renderCoverage.refineSteps} more steps while they differ by more than ${100 * json.renderCoverage.tolerance}%), and every Voxlens case is timed at that zoom; ` +
            'NiiVue projects orthographically, Voxlens in perspective (30° field of view)'
          : '')
      : '') +
    (m && (m.probe || m.roi || m.labels)
      ? '\nprobing and measurement: every figure timed after the layers\' exact statistics arrived (computed off the main thread); ' +
        (m.probe
          ? `${m.probe.layers.length} layers = ${m.probe.layers.join(', ')} (one grid) loaded into the axial layout (${VIEW}² pane); ` +
            `pointer → panel = a synthetic pointermove on the axial pane until the probe panel's DOM changed (MutationObserver), at ${m.probe.points} positions per run, median per run; ` +
            "measured with the layers alone, then again after a line was drawn across the pane with the line tool (its profile plot, uPlot, open in the measurements panel with a series per layer); " +
            "NiiVue: the same volumes as layers, a click until its onLocationChange text changed (it has no profile plot); "
          : '') +
        (m.roi
          ? `ROI stats = voxlens.roi, an ellipse ${m.roi.sizeMm} mm across on the axial plane through the centre voxel, median of ${m.roi.calls} calls per run ` +
            `(NiiVue: getDescriptives with roiIsMask, its roiSelection statistics, over the same ellipse's voxel box: a pass over the whole volume, median of ${m.roi.niivueCalls} calls); `
          : '') +
        (m.labels ? `label volumes = voxlens.labelVolumes (counted in the analysis worker over shared memory), median of ${m.labels.calls} calls per run after a first call that starts the worker; NiiVue 0.69 has no volume-per-label API` : '')
      : '');
  const skippedText = json.skipped.length ? `\nskipped: ${json.skipped.join('; ')}\n` : '';
  const targetText = targets.length ? `\ntargets (medians):\n${targets.map((t) => `  ${t}`).join('\n')}\n` : '';
  // A run of the formats or DICOM figure alone prints only that.
  if (rows.length || (!json.formats && !json.dicom && !json.zarr && !json.memory && !json.big)) console.log(`\n${header}\n\n${text}\n${targetText}${skippedText}`);
  if (json.formats) console.log(`\n${formatsReport(json.formats)}`);
  if (json.dicom) console.log(`\n${dicomReport(json.dicom)}`);
  if (json.zarr) console.log(`\n${zarrReport(json.zarr)}`);
  if (json.memory) console.log(`\n${memoryReport(json.memory)}`);
  if (json.big) console.log(`\n${bigReport(json.big)}`);
  if (write) {
    const formats = json.formats ? `\n${formatsSection(json.formats)}` : '';
    const dicom = json.dicom ? `\n${dicomSection(json.dicom)}` : '';
    const zarr = json.zarr ? `\n${zarrSection(json.zarr)}` : '';
    const memory = json.memory ? `\n${memorySection(json.memory)}` : '';
    const big = json.big ? `\n${bigSection(json.big)}` : '';
    writeFileSync(join(root, 'bench/results.md'), `# Benchmark results\n\nGenerated by \`npm run bench\`; raw runs in results.json.\n\n\`\`\`\n${header}\n\n${text}\n${targetText}${skippedText}\`\`\`\n${formats}${dicom}${zarr}${memory}${big}`);
  }
}

/** "+x ms" over a plain frame, from the medians. */
function over(a: Summary | null | undefined, b: Summary | null | undefined): string {
  if (!a || !b) return 'n/a';
  const d = a.median - b.median;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} ms`;
}

/** "met" when r ≥ limit. */
function atLeast(r: number | null, limit: number): string {
  if (r === null) return 'n/a';
  return r >= limit ? 'met' : 'NOT met';
}

function verdict(r: number | null, limit: number, inclusive: boolean): string {
  if (r === null) return 'n/a';
  return (inclusive ? r <= limit : r < limit) ? 'met' : 'NOT met';
}

/** memory().textureBytes before → after the switches and the upload calls, as one cell (every run's, when they differ). */
function textureCell(runs: { textureBytes?: [number, number]; uploads?: number }[], allFramesBytes?: number): string {
  const mb = (b: number) => (b / 1e6).toFixed(2);
  const cells = [
    ...new Set(
      runs.flatMap((r) => {
        if (!r.textureBytes) return [];
        const [a, b] = r.textureBytes;
        const resident = allFramesBytes === undefined ? '' : a >= allFramesBytes ? ' (all frames)' : ' (one frame)';
        return [`${mb(a)} → ${mb(b)} MB${a === b ? '' : ' CHANGED'}${resident}, ${r.uploads ?? '?'} uploads`];
      }),
    ),
  ];
  return cells.length ? cells.join(' | ') : 'n/a';
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
