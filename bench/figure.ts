// What a benchmark figure is (one module under bench/figures/, listed once in bench/figures/index.ts),
// and what figures share: the run's context, repeated fresh-browser runs, the main table's rows.
// bench/run.ts parses the flags, picks the figures, serves the app and runs them; a new benchmark
// is a new module and one line in the registry.
import type { Page } from '@playwright/test';
import { log, rendererOf } from './harness';
import { runs } from './options';
import { fmtRatio, ratio, summarize, fmt, type Summary } from './stats';
import type { BenchVolume } from './volumes';

/** A volume every per-volume figure may measure: the generated ones, then ../shared/data's. */
export interface VolumeEntry {
  volume: BenchVolume;
  /** Its path on the bench server (joined to `base`). */
  url: string;
}

/**
 * The run's context. Before the server starts (`prepare`), figures add what they serve (`mounts`,
 * `proxies`) and volumes (`entries`); `base` is the server's URL once it runs.
 */
export interface BenchContext {
  base: string;
  mounts: Record<string, string>;
  proxies: Record<string, string>;
  entries: VolumeEntry[];
  /** What a full run could not measure, and why (printed under the table). */
  skipped: string[];
}

/** results.json: the run's settings, then each figure's value under its key. */
export interface BenchResults {
  date: string;
  /** loadAvg1m: the 1-minute load average when the runs started and ended (other work on the machine skews timings). */
  machine: { cpus: number; memoryBytes: number; platform: string; arch: string; loadAvg1m?: [number, number] };
  browser: string;
  renderer: string;
  runsPerCell: number;
  skipped: string[];
  results: VolumeResult[];
  [key: string]: unknown;
}

/** One volume's per-volume figures, each under its figure's key (`subjects`, `render`, `mpr`, …). */
export interface VolumeResult {
  volume: string;
  voxelBytes: number;
  [key: string]: unknown;
}

/** The main table under construction: rows of nine cells, and the targets printed below it. */
export interface Table {
  rows: string[][];
  targets: string[];
}

interface FigureBase {
  /** What the logs call it. */
  name: string;
  /** The key of results.json (a per-volume figure: of each results[] entry) its value is under. */
  key: string;
  /** The flag that narrows a run to it (several figures may share one); none: only in runs without such flags. */
  flag?: string;
  /** Measured in a run given no figure flag (a full run, or --only). */
  inFull: boolean;
  /** Measured in a smoke run given no figure flag. */
  inSmoke: boolean;
  /** Before the server starts: its volumes, mounts and proxies. */
  prepare?(ctx: BenchContext): Promise<void> | void;
  /** After every figure ran (or one threw): stops what `prepare` started. */
  cleanup?(): Promise<void> | void;
  /** Settings written at the top of results.json, whether or not it ran (its rows read them back). */
  meta?(json: BenchResults): Record<string, unknown>;
  /** Lines of the main table's legend, given the results (empty: none). */
  legend?(json: BenchResults): string;
  /** In a smoke run where it was measured: what is broken (the run then fails). */
  smokeCheck?(json: BenchResults): string[];
  /** In any run where it was measured: what is wrong (the run then fails). */
  failures?(json: BenchResults): string[];
}

/** A figure measured per volume of the run's entries (single view, 3D render, multi-pane). */
export interface VolumeFigure<T = unknown> extends FigureBase {
  perVolume: true;
  /** Whether it measures this volume. */
  applies(volume: BenchVolume): boolean;
  run(ctx: BenchContext, entry: VolumeEntry): Promise<T>;
  /** Its rows of the main table for one volume. */
  rows(table: Table, volume: string, value: T, json: BenchResults): void;
}

/** A figure measured once per run; its value is results.json[key]. */
export interface RunFigure<T = unknown> extends FigureBase {
  perVolume?: false;
  /** Measures it; undefined: nothing in this run (e.g. --only left its volume out). */
  run(ctx: BenchContext): Promise<T | undefined>;
  /** Its rows of the main table. */
  rows?(table: Table, value: T, json: BenchResults): void;
  /**
   * A figure with a section of its own in results.md (and not in the main table): a run of its
   * flag alone replaces only that section and its key of results.json; a full run that does not
   * measure it keeps the last one.
   */
  section?: {
    /** What the log says it replaced. */
    label: string;
    report(value: T): string;
    markdown(value: T): string;
    merge(jsonPath: string, mdPath: string, value: T): void;
  };
}

export type Figure = VolumeFigure | RunFigure;

/** Declares a figure with its value's type checked (the registry holds them as Figure). */
export const volumeFigure = <T>(f: VolumeFigure<T>): Figure => f as VolumeFigure;
export const runFigure = <T>(f: RunFigure<T>): Figure => f as RunFigure;

export type Peer = 'voxlens' | 'niivue';
export const PEERS: Peer[] = ['voxlens', 'niivue'];
export type Cell<R> = { runs: R[]; summary: Record<string, Summary | null> };

/** Runs `one` `runs` times (each in a fresh browser), logging each; a failed run is kept with its error. */
export async function repeat<R extends { error?: string }>(label: string, one: () => Promise<R>, failed: (error: string) => R, describe: (r: R) => string, times = runs): Promise<R[]> {
  const list: R[] = [];
  for (let r = 0; r < times; r++) {
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

export const median = (v: number[]): number | null => summarize(v)?.median ?? null;
export const values = (list: (number | null | undefined)[]): number[] => list.filter((x): x is number => x !== null && x !== undefined);
export const ms1 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v.toFixed(1)} ms`);
export const ms2 = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : `${v.toFixed(2)} ms`);
export const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`);

/** The browser and renderer, from the first run that saw them (results name them). */
export const seen = { renderer: '', browserVersion: '' };
export async function noteBrowser(page: Page, browser: { version(): string }): Promise<void> {
  if (seen.renderer) return;
  seen.browserVersion = browser.version();
  seen.renderer = await rendererOf(page);
}

/** A main-table row of a figure with no floor: Voxlens, NiiVue (n/a where `n` is undefined) and their ratio. */
export function peerRow(t: Table, volume: string, label: string, v: Summary | null, n: Summary | null | undefined, unit: string, digits: number): void {
  t.rows.push([volume, label, fmt(v, unit, digits), n === undefined ? 'n/a' : fmt(n, unit, digits), 'n/a', 'n/a', n === undefined ? 'n/a' : fmtRatio(ratio(v, n)), 'n/a', 'n/a']);
}

/** "+x ms" over a plain frame, from the medians. */
export function over(a: Summary | null | undefined, b: Summary | null | undefined): string {
  if (!a || !b) return 'n/a';
  const d = a.median - b.median;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} ms`;
}

/** "met" when r ≥ limit. */
export function atLeast(r: number | null, limit: number): string {
  if (r === null) return 'n/a';
  return r >= limit ? 'met' : 'NOT met';
}

export function verdict(r: number | null, limit: number, inclusive: boolean): string {
  if (r === null) return 'n/a';
  return (inclusive ? r <= limit : r < limit) ? 'met' : 'NOT met';
}

declare global {
  interface Window {
    /** Draw calls and 3D texture uploads, counted by wrapping the WebGL2 prototype (see instrument). */
    benchCounts?: { draws: number; uploads: number; links: number };
  }
}

/** Counts draw calls, 3D texture uploads and shader program links from here on (wraps the WebGL2 prototype; the app looks methods up per call). */
export async function instrument(page: Page): Promise<void> {
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

/** ms per frame paging `slices` axial slices around the volume's centre (setCrosshair, frame(), readPixels). */
export async function voxlensPage(page: Page, slices: number): Promise<number> {
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

/**
 * ms of each of `n` Voxlens frames with nothing changed: the crosshair set to the volume's centre
 * (where paging ends), then frame(). 'plain' leaves the 3D pane's cached ray-cast image as it is;
 * 'full' also sets the camera to itself, so the 3D pane ray-casts again (every pane drawn anew).
 */
export async function voxlensFrames(page: Page, n: number, kind: 'plain' | 'full'): Promise<number[]> {
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

/**
 * The memory rule (issue 25): the renderer's peak rise while a volume loads is at most
 * MEMORY_RULE.perVoxelByte × its voxel bytes + MEMORY_RULE.constantMiB.
 */
export const MEMORY_RULE = { perVoxelByte: 1.1, constantMiB: 64 } as const;

/** A rise (× the voxel bytes) in the rule's form: "1.1 × voxels + c MiB", with the verdict on c. */
export function ruleForm(rise: number, voxelBytes: number): string {
  const c = ((rise - MEMORY_RULE.perVoxelByte) * voxelBytes) / 2 ** 20;
  const verdict = c <= MEMORY_RULE.constantMiB ? 'met' : 'NOT met';
  return `${MEMORY_RULE.perVoxelByte} × voxels ${c >= 0 ? '+' : '−'} ${Math.abs(c).toFixed(1)} MiB (rule: ≤ ${MEMORY_RULE.perVoxelByte} × voxels + ${MEMORY_RULE.constantMiB} MiB: ${verdict})`;
}
