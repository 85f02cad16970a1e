// The 3D render figures (256³ int16 and CT; `npm run bench -- --render` alone): the 3D pane alone
// at 512×512 ray-cast in MIP, composite and iso, at full and at interaction quality, next to
// NiiVue's 3D render (sliceTypeRender). Both look from the patient's anterior, and Voxlens's zoom
// is set per run so the volume covers as much of its pane as NiiVue's render covers of its canvas
// (as many rays through the head).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { atLeast, median, ms1, noteBrowser, pct, PEERS, peerRow, repeat, values, verdict, volumeFigure, type BenchResults, type Cell, type Peer, type Table } from '../figure';
import { launch, log, openVoxlensPanes, voxlensLoad } from '../harness';
import { dataDir, option, outDir, smoke } from '../options';
import { NIFTI_LAYOUT } from '../../src/io/decoders/niftiLayout';
import { encodeNifti } from '../../src/io/decoders/niftiWrite';
import { noisyPhantom, smoothHeadPhantom } from '../../scripts/sample';
import { COVERAGE_THRESHOLD, type Coverage } from '../pages/benchApi';
import { fmt, fmtRatio, ratio, summarize, type Summary } from '../stats';

/** The 3D render figures: the 3D pane's size (Voxlens) and NiiVue's canvas, CSS px (square). */
const RENDER_VIEW = smoke ? 256 : 512;
/** Timed frames per run and case, after one untimed frame (shader compile, render target sizes). */
const RENDER_FULL_FRAMES = smoke ? 2 : 5;
const RENDER_INTERACTION_FRAMES = smoke ? 2 : 10;
/** Frames per run and mode of the camera-turning pair (an interaction pass, then the refine pass). */
const RENDER_TURN_FRAMES = smoke ? 1 : 3;
/** Degrees the camera turns (azimuth) per interaction pass, then back before the next. */
const RENDER_TURN_DEGREES = 10;
/**
 * The render figure's own volume (not in a smoke run): the bench phantom in HU with tissue
 * everywhere inside the head (a smooth drift and σ 8 noise; air σ 3), so skipping helps only
 * outside the head and rays meet changing values all the way in (scripts/sample.ts noisyPhantom).
 */
const NOISY_NAME = 'int16 256³ noisy';
const NOISY_FILE = 'render_int16_256_noisy.nii.gz';
/**
 * And a smooth head-like volume, our stand-in for the MNI template (scripts/sample.ts
 * smoothHeadPhantom): no bright shell, so a MIP ray climbs to the centre, and composite rays cross
 * semi-transparent tissue all the way.
 */
const SMOOTH_NAME = 'int16 256³ smooth head';
const SMOOTH_FILE = 'render_int16_256_smooth.nii.gz';
/**
 * `--mni <file>`: also the MNI template itself, from a file on disk (not in ../shared, and the repo
 * may not carry it: e.g. MNI152_2009_template.nii.gz from NiiVue's demos/images). Copied into the
 * bench's data folder, so both viewers load it over the same HTTP server.
 */
const MNI_FILE = option('--mni');
const MNI_NAME = 'MNI template';
/** A NIfTI-1 file's voxel bytes, from its header (dims × bitpix, at the decoder's offsets; gzipped or not). */
function niftiVoxelBytes(file: string): number {
  const raw = readFileSync(file);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const { headerBytes, dim, bitpix } = NIFTI_LAYOUT[1];
  const header = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const little = header.getInt32(0, true) === headerBytes;
  let n = header.getInt16(bitpix, little) / 8;
  for (let d = 1; d <= header.getInt16(dim, little); d++) n *= header.getInt16(dim + 2 * d, little);
  return n;
}

/** NiiVue has one render: its frames per run. */
const RENDER_NIIVUE_FRAMES = smoke ? 2 : 10;
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
  cases: Record<string, { full: number[]; interaction: number[]; fullMs: number | null; interactionMs: number | null; turn?: { interaction: number[]; refine: number[] } }>;
  /** Measured CSS size of the drawing area (Voxlens: [data-testid=view-3d]; NiiVue: its canvas). */
  viewPx: [number, number];
  error?: string;
}

/**
 * Pointer → probe panel with three layers. Voxlens: over MEASURE_PROBE_POINTS once with the layers
 * alone (`plain*`), then again after a line was drawn across the pane (its profile plot open).
 * NiiVue: the same three volumes, a click per point until its onLocationChange text changed.

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

/**
 * A camera turn as a user's drag makes it, pass by pass: the camera turned RENDER_TURN_DEGREES
 * while interacting (setInteraction(true): the interaction pass, frame() + readPixels), then the
 * drag let go (setInteraction(false): the refine pass at full quality, frame() + readPixels); the
 * camera turned back before the next. ms of each pass, `n` times after one untimed pair.
 */
async function voxlensTurnPasses(page: Page, n: number): Promise<{ interaction: number[]; refine: number[] }> {
  return page.evaluate(
    async ({ count, degrees }) => {
      const v = window.voxlens;
      const gl = document.querySelector('canvas')!.getContext('webgl2')!;
      const sync = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
      const out = { interaction: [] as number[], refine: [] as number[] };
      const start = v.camera().azimuth;
      try {
        for (let i = 0; i <= count; i++) {
          v.setInteraction(true);
          let t0 = performance.now();
          v.setCamera({ azimuth: start + (i % 2 === 0 ? degrees : 0) });
          await v.frame();
          sync();
          const interaction = performance.now() - t0;
          t0 = performance.now();
          v.setInteraction(false);
          await v.frame();
          sync();
          if (i > 0) {
            out.interaction.push(interaction);
            out.refine.push(performance.now() - t0);
          }
        }
      } finally {
        v.setInteraction(false);
        v.setCamera({ azimuth: start });
        await v.frame();
      }
      return out;
    },
    { count: n, degrees: RENDER_TURN_DEGREES },
  );
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
      // The turn's passes: every mode in a full run, composite alone in a smoke run.
      const turn = c.interaction && (!smoke || c.key === 'composite') ? await voxlensTurnPasses(page, RENDER_TURN_FRAMES) : undefined;
      cases[c.key] = { full, interaction, fullMs: median(full), interactionMs: median(interaction), turn };
    }
    const after = await page.evaluate(() => window.voxlens.camera());
    if (after.zoom !== view.zoom || after.azimuth !== view.azimuth || after.elevation !== view.elevation) throw new Error(`the 3D camera moved while the cases were timed: ${JSON.stringify(view)} → ${JSON.stringify(after)}`);
    await noteBrowser(page, browser);
    return { loadMs, exactMs, view, coverage: zoomSteps[zoomSteps.length - 1].coverage, coverageZoom1, coverageTarget: target, zoomSteps, cases, viewPx };
  } finally {
    await close();
  }
}

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
      // Per run: a full frame's ms per million drawn (covered) pixels of its drawing area, CSS px.
      summary[`perCoveredMpx:${k}`] = summarize(values(list.map((r) => {
        const ms = r.cases[k]?.fullMs;
        const px = r.coverage !== undefined ? r.coverage * r.viewPx[0] * r.viewPx[1] : NaN;
        return ms !== null && ms !== undefined && px > 0 ? ms / (px / 1e6) : null;
      })));
      summary[`turnInteraction:${k}`] = summarize(values(list.map((r) => median(r.cases[k]?.turn?.interaction ?? []))));
      summary[`turnRefine:${k}`] = summarize(values(list.map((r) => median(r.cases[k]?.turn?.refine ?? []))));
      summary[`turnTotal:${k}`] = summarize(values(list.map((r) => {
        const t = r.cases[k]?.turn;
        const a = median(t?.interaction ?? []), b = median(t?.refine ?? []);
        return a !== null && b !== null ? a + b : null;
      })));
    }
    out[peer] = { runs: list, summary };
  }
  return out;
}

type RenderResult = Record<Peer, Cell<RenderRun>>;

/** The settings results.json keeps with the 3D figures (absent in older results). */
interface RenderMeta {
  renderViewPx?: number;
  renderPanePx?: [number, number];
  renderNiivuePx?: [number, number];
  renderFullFrames?: number;
  renderInteractionFrames?: number;
  renderNiivueFrames?: number;
  renderIso?: number;
  renderCoverage?: {
    voxlensView: { azimuth: number; elevation: number };
    niivueView: { azimuth: number; elevation: number };
    threshold: number;
    refineSteps: number;
    tolerance: number;
    niivueBackground?: number[];
  };
}

const renderOf = (json: BenchResults) => json.results.flatMap((r) => (r.render ? [r.render as RenderResult] : []));

/** The 3D render figures: every Voxlens case against NiiVue's one render (it has no MIP or iso mode). */
function rows(t: Table, volume: string, value: RenderResult, json: BenchResults & RenderMeta): void {
  const v = value.voxlens.summary, n = value.niivue.summary;
  const px = `${json.renderViewPx ?? '?'}²`;
  const nvFull = n[`full:${NIIVUE_RENDER}`] ?? null;
  const fullVs: string[] = [], faster: string[] = [], perPixel: string[] = [];
  // The framing every frame below was timed at (absent in older results): coverage in percent.
  const asPct = (x: Summary | null | undefined) => (x ? { ...x, median: 100 * x.median, min: 100 * x.min, max: 100 * x.max } : null);
  if (v.coverage || n.coverage) {
    peerRow(t, volume, '3D coverage (share of pane drawn), composite', asPct(v.coverage), asPct(n.coverage), '%', 1);
    peerRow(t, volume, '3D coverage at zoom 1 (Voxlens default framing)', asPct(v.coverageZoom1), asPct(n.coverage), '%', 1);
    peerRow(t, volume, '3D zoom (matched to NiiVue coverage)', v.zoom ?? null, undefined, '', 3);
  }
  for (const c of RENDER_CASES) {
    const full = v[`full:${c.key}`] ?? null;
    const skipping = c.skipEmpty ? '' : ', skipping off';
    peerRow(t, volume, `3D ${c.label} full ${px}${skipping}`, full, nvFull, ' ms', 1);
    // The same frame per covered pixel (absent in older results): framing-independent.
    const perPx = v[`perCoveredMpx:${c.key}`], nvPerPx = n[`perCoveredMpx:${NIIVUE_RENDER}`];
    if (perPx || nvPerPx) {
      peerRow(t, volume, `3D ${c.label} full${skipping}, ms per covered Mpx`, perPx ?? null, nvPerPx ?? null, ' ms', 1);
      if (c.interaction) perPixel.push(`${c.label} ${fmtRatio(ratio(perPx ?? null, nvPerPx ?? null))}`);
    }
    if (!c.interaction) continue;
    if (v[`turnTotal:${c.key}`]) {
      peerRow(t, volume, `3D ${c.label} turn ${RENDER_TURN_DEGREES}°: interaction pass`, v[`turnInteraction:${c.key}`] ?? null, nvFull, ' ms', 1);
      peerRow(t, volume, `3D ${c.label} turn ${RENDER_TURN_DEGREES}°: refine pass`, v[`turnRefine:${c.key}`] ?? null, nvFull, ' ms', 1);
      peerRow(t, volume, `3D ${c.label} turn ${RENDER_TURN_DEGREES}°: both passes`, v[`turnTotal:${c.key}`] ?? null, nvFull, ' ms', 1);
    }
    peerRow(t, volume, `3D ${c.label} interaction ${px}`, v[`interaction:${c.key}`] ?? null, nvFull, ' ms', 1);
    peerRow(t, volume, `3D ${c.label} full / interaction`, v[`fullPerInteraction:${c.key}`] ?? null, undefined, '×', 2);
    const r = ratio(full, nvFull);
    fullVs.push(`${c.label} ${fmtRatio(r)} (${verdict(r, 0.5, true)})`);
    const f = v[`fullPerInteraction:${c.key}`]?.median ?? null;
    faster.push(`${c.label} ${fmtRatio(f)} (${atLeast(f, 4)})`);
  }
  const on = v['full:composite'] ?? null, off = v['full:compositeNoSkip'] ?? null;
  t.targets.push(
    `${volume}: 3D full-quality frame at ${px} against NiiVue's render (target ≤ 0.50×): ${fullVs.join(', ')}; ` +
      (perPixel.length ? `per covered pixel: ${perPixel.join(', ')}; ` : '') +
      `interaction frame faster than full (target ≥ 4×): ${faster.join(', ')}; ` +
      `empty-space skipping: composite full ${fmt(on, ' ms', 1)} with, ${fmt(off, ' ms', 1)} without (without/with ${fmtRatio(ratio(off, on))})`,
  );
}

function legend(json: BenchResults & RenderMeta): string {
  if (!json.renderViewPx || !json.results.some((r) => r.render)) return '';
  return (
    `3D render = Voxlens's 3d layout, its 3D pane ${json.renderPanePx ? json.renderPanePx.map((x) => +x.toFixed(2)).join('×') : '?'} CSS px measured (target ${json.renderViewPx}²), ` +
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
  );
}

/** A smoke run fails when a 3D render run failed or timed nothing, so that path cannot rot. */
function smokeCheck(json: BenchResults): string[] {
  const broken = json.results.flatMap((r) => {
    const render = r.render as RenderResult | undefined;
    return PEERS.flatMap((peer) =>
      (render?.[peer].runs ?? []).flatMap((run) => {
        const empty = Object.entries(run.cases).filter(([, c]) => c.fullMs === null).map(([k]) => k);
        if (run.error) return [`${r.volume} ${peer}: ${run.error}`];
        if (empty.length || !Object.keys(run.cases).length) return [`${r.volume} ${peer}: no frames timed (${empty.join(', ') || 'no cases'})`];
        if (!(run.coverage! > 0)) return [`${r.volume} ${peer}: no coverage measured (${run.coverage})`];
        if (peer === 'voxlens' && !(run.coverageTarget! > 0 && run.view?.zoom !== 1)) return [`${r.volume} voxlens: the zoom was not matched to NiiVue's coverage`];
        return [];
      }),
    );
  });
  if (!json.results.some((r) => r.render)) broken.push('no 3D render figures were measured');
  return broken;
}

export const render = volumeFigure<RenderResult>({
  name: '3D render',
  key: 'render',
  flag: '--render',
  perVolume: true,
  inFull: true,
  inSmoke: true,
  applies: (volume) => volume.mpr === true || volume.name === NOISY_NAME || volume.name === SMOOTH_NAME || volume.name.startsWith(MNI_NAME),
  prepare: (ctx) => {
    // Its own volumes (noisy: tissue everywhere inside the head; smooth), in a full or --render run only.
    if (smoke) return;
    mkdirSync(dataDir, { recursive: true });
    const own: [string, string, (voxels: Int16Array) => void][] = [
      [NOISY_NAME, NOISY_FILE, (voxels) => noisyPhantom([256, 256, 256], 0x9e3779b9, (n, value) => (voxels[n] = Math.round(value) - 1024))],
      [SMOOTH_NAME, SMOOTH_FILE, (voxels) => smoothHeadPhantom([256, 256, 256], (n, value) => (voxels[n] = Math.round(value)))],
    ];
    for (const [name, stem, fill] of own) {
      const file = join(dataDir, stem);
      if (!existsSync(file)) {
        const voxels = new Int16Array(256 ** 3);
        fill(voxels);
        const o = -255 / 2;
        const affine = [1, 0, 0, o, 0, 1, 0, o, 0, 0, 1, o, 0, 0, 0, 1];
        writeFileSync(file, gzipSync(encodeNifti({ dims: [256, 256, 256], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(voxels.buffer), affine }), { level: 6 }));
      }
      ctx.entries.push({ volume: { name, file, voxelBytes: 256 ** 3 * 2 }, url: `/data/${basename(file)}` });
    }
    if (MNI_FILE !== undefined) {
      if (!existsSync(MNI_FILE)) throw new Error(`--mni ${MNI_FILE}: no such file`);
      const file = join(dataDir, `render_mni_${basename(MNI_FILE)}`);
      copyFileSync(MNI_FILE, file);
      ctx.entries.push({ volume: { name: `${MNI_NAME} (${basename(MNI_FILE)})`, file, voxelBytes: niftiVoxelBytes(file) }, url: `/data/${basename(file)}` });
    }
  },
  run: (ctx, { volume, url }) => {
    log(`  3D render: the 3D pane at ${RENDER_VIEW}² (MIP, composite, iso; full and interaction quality) vs NiiVue's render`);
    return measureRender(ctx.base, `${ctx.base}${url}`, volume.name);
  },
  rows: (t, volume, value, json) => rows(t, volume, value, json),
  meta: (json) => ({
    renderViewPx: RENDER_VIEW,
    renderPanePx: renderOf(json).flatMap((r) => r.voxlens.runs.map((x) => x.viewPx)).find((p) => p?.every(Number.isFinite)),
    renderNiivuePx: renderOf(json).flatMap((r) => r.niivue.runs.map((x) => x.viewPx)).find((p) => p?.every(Number.isFinite)),
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
      niivueBackground: renderOf(json).flatMap((r) => r.niivue.runs.map((x) => x.background)).find((b) => b !== undefined),
    },
  }),
  legend: (json) => legend(json),
  smokeCheck,
});
