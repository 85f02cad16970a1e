// What every benchmark mode shares (bench/run.ts, bench/formats.ts): a fresh browser per run, the
// Voxlens adapter's load → first frame timing through the public automation API, and sizing the
// app's panes.
import { chromium, type Browser, type Page } from '@playwright/test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { executablePath } from '../e2e/browser';
import { smoke } from './options';

export function log(s: string) {
  process.stderr.write(`${s}\n`);
}

// The Voxlens adapter runs in the app page, through the public automation API only. Several URLs:
// one volume from several files (a DICOM series' images, a header and its data).
export async function voxlensLoad(page: Page, url: string | string[]): Promise<number> {
  return page.evaluate(async (u) => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const t0 = performance.now();
    await window.voxlens.load(u);
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now() - t0;
  }, url);
}

/** The WebGL renderer string of the page's canvas. */
export function rendererOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  });
}

/** A page of `browser` the benchmark can evaluate tsx-compiled functions in. */
export async function newPage(browser: Browser, viewport: { width: number; height: number }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  // tsx keeps function names with a __name helper that page.evaluate's serialized code lacks.
  await page.addInitScript('globalThis.__name = (f) => f;');
  return page;
}

const BROWSER_ARGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--disable-gpu-vsync', '--disable-frame-rate-limit'];

/** A browser of its own (its own process tree, so memory can be sampled). */
async function startBrowser() {
  const server = await chromium.launchServer({ executablePath, headless: true, args: BROWSER_ARGS });
  const rootPid = server.process().pid as number;
  const browser = await chromium.connect(server.wsEndpoint());
  const close = async () => {
    await browser.close().catch(() => {});
    await server.close();
  };
  return { rootPid, browser, close };
}

/**
 * The smoke run's one browser: its runs check that every figure's path works, not what it
 * measures, so each run gets a fresh context (its own renderer) of it instead of a browser of its
 * own (starting one costs more than most smoke runs measure). Closed by closeSmokeBrowser.
 */
let smokeBrowser: ReturnType<typeof startBrowser> | undefined;

/** Closes the smoke run's browser, if one was started. */
export async function closeSmokeBrowser(): Promise<void> {
  const started = smokeBrowser;
  smokeBrowser = undefined;
  if (started) await (await started).close();
}

/** A fresh browser (in a smoke run: a fresh context of one browser), and a page in it. */
export async function launch(viewport: { width: number; height: number }) {
  if (smoke) {
    const { rootPid, browser } = await (smokeBrowser ??= startBrowser());
    const context = await browser.newContext({ viewport });
    const close = () => context.close().catch(() => {});
    try {
      const page = await context.newPage();
      await page.addInitScript('globalThis.__name = (f) => f;');
      return { page, rootPid, browser, close };
    } catch (e) {
      await close();
      throw e;
    }
  }
  const { rootPid, browser, close } = await startBrowser();
  try {
    const page = await newPage(browser, viewport);
    return { page, rootPid, browser, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Opens the app in `layout` and sizes the window so the element `testId` (the panes area by
 * default) measures `size` (as near as the toolbar's fractional height allows); returns the measured size.
 */
export async function openVoxlensPanes(page: Page, base: string, layout: string, size: [number, number], testId = 'panes'): Promise<[number, number]> {
  await page.goto(`${base}/?empty&layout=${layout}`);
  await page.waitForFunction(() => typeof window.voxlens === 'object' && document.querySelector('canvas') !== null);
  const panes = page.getByTestId(testId);
  for (let i = 0; i < 3; i++) {
    const box = (await panes.boundingBox())!;
    const vp = page.viewportSize()!;
    if (Math.abs(box.width - size[0]) < 0.5 && Math.abs(box.height - size[1]) < 0.5) break;
    await page.setViewportSize({ width: Math.round(vp.width + size[0] - box.width), height: Math.round(vp.height + size[1] - box.height) });
  }
  await page.waitForTimeout(500);
  const box = (await panes.boundingBox())!;
  return [box.width, box.height];
}

/** `command`: the run that writes the section (`npm run bench -- --KEY` unless given). */
const sectionMarkers = (key: string, command = `npm run bench -- --${key}`) => ({ begin: `<!-- ${key}: written by ${command} -->`, end: `<!-- /${key} -->` });

/** A figure as a results.md section between markers, so a run of its mode alone can replace it. */
export function resultSection(key: string, title: string, report: string, command?: string): string {
  const { begin, end } = sectionMarkers(key, command);
  return `${begin}\n\n## ${title}\n\n\`\`\`\n${report}\`\`\`\n${end}\n`;
}

/** A run of one mode: its key of results.json and its section of results.md replaced (or added), the rest left as it is. */
export function mergeResultSection(jsonPath: string, mdPath: string, key: string, title: string, value: unknown, report: string, command?: string): void {
  const json = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
  json[key] = value;
  writeFileSync(jsonPath, JSON.stringify(json, null, 1));
  const md = existsSync(mdPath) ? readFileSync(mdPath, 'utf8') : '# Benchmark results\n';
  const { begin, end } = sectionMarkers(key, command);
  const at = md.indexOf(begin), stop = md.indexOf(end);
  const section = resultSection(key, title, report, command);
  writeFileSync(mdPath, at >= 0 && stop > at ? md.slice(0, at) + section + md.slice(stop + end.length + 1) : `${md.trimEnd()}\n\n${section}`);
}
