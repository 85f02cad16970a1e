import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { SHARED_DATA_DIR } from '../src/testing/sharedData';

/** Serves in-memory bytes at /__fixtures__/<name> (same origin, so isolation headers are not needed). */
export async function serveFixtures(page: Page, files: Record<string, Uint8Array>): Promise<void> {
  await page.route((url) => url.pathname.startsWith('/__fixtures__/'), async (route) => {
    const name = decodeURIComponent(new URL(route.request().url()).pathname.split('/__fixtures__/')[1]);
    const body = files[name];
    if (!body) return route.fulfill({ status: 404, body: 'no such fixture' });
    await route.fulfill({ status: 200, body: Buffer.from(body), headers: { 'content-type': 'application/octet-stream' } });
  });
}

/** Drops fixtures served by serveFixtures on the app as files, as a user drags them in. */
export async function dropFixtures(page: Page, names: string[]): Promise<void> {
  await page.evaluate(async (list) => {
    const dt = new DataTransfer();
    for (const name of list) dt.items.add(new File([await (await fetch(`/__fixtures__/${name}`)).blob()], name));
    const target = document.querySelector('.app')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, names);
}

/**
 * Strips the cross-origin isolation headers from the app's answers (fixtures pass through): the
 * page then has no SharedArrayBuffer, and voxel memory travels to the workers by transfer.
 */
export async function stripIsolationHeaders(page: Page): Promise<void> {
  await page.route('**/*', async (route) => {
    if (route.request().url().includes('__fixtures__')) return route.fallback();
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
}

/** Serves ../shared/data at /__shared__/<path>. */
export async function serveSharedData(page: Page): Promise<void> {
  await page.route((url) => url.pathname.startsWith('/__shared__/'), async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname.split('/__shared__/')[1]);
    const file = join(SHARED_DATA_DIR, rel);
    // A file that is not there answers 404, as a static server does (a viewer may look for a lookup beside a volume).
    if (!existsSync(file)) return route.fulfill({ status: 404, body: 'no such file' });
    await route.fulfill({ status: 200, body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' } });
  });
}

/**
 * Opens the app without the built-in sample and waits for the API. One axial pane unless the query
 * names a layout: SwiftShader draws four panes four times slower.
 */
export async function openEmpty(page: Page, query = ''): Promise<void> {
  const layout = query.includes('layout=') ? '' : '&layout=axial';
  await page.goto(`/?empty${layout}${query ? `&${query}` : ''}`);
  await page.waitForFunction(() => typeof window.voxlens === 'object');
}

export interface LoadOutcome {
  id?: string;
  code?: string;
  message?: string;
}

/** voxlens.load(url) in the page; a rejection comes back as { code, message }. */
export function loadInPage(page: Page, url: string): Promise<LoadOutcome> {
  return page.evaluate(
    (u) =>
      window.voxlens.load(u).then(
        (info) => ({ id: info.id }),
        (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
      ),
    url,
  );
}

/**
 * Forces garbage collection through the DevTools protocol (no --expose-gc needed), letting
 * finalizers run after each round, until `until()` is true or `rounds` run out. Chromium only.
 */
export async function collectGarbage(page: Page, until: () => Promise<boolean>, rounds = 20): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 0; i < rounds; i++) {
      await cdp.send('HeapProfiler.collectGarbage');
      await page.waitForTimeout(50); // FinalizationRegistry callbacks run in a later task
      if (await until()) return;
    }
  } finally {
    await cdp.detach();
  }
}

/**
 * Init script: records every 3D texture upload's source array and size in window.__uploads, so a
 * test can prove an upload is a view over the layer's own memory. `layerUploads(nx, ny)` (installed
 * too) keeps the uploads of a layer's size, leaving out three.js's own 1×1×1 placeholder textures.
 */
export function recordUploads(): void {
  interface Upload { data: ArrayBufferView; width: number; height: number; depth: number }
  const uploads: Upload[] = [];
  const w = window as unknown as { __uploads: Upload[]; layerUploads: (nx: number, ny: number) => ArrayBufferView[] };
  w.__uploads = uploads;
  w.layerUploads = (nx, ny) => uploads.filter((u) => u.width === nx && u.height === ny).map((u) => u.data);
  const proto = WebGL2RenderingContext.prototype;
  const sub = proto.texSubImage3D;
  proto.texSubImage3D = function (this: WebGL2RenderingContext, ...args: unknown[]) {
    const data = args[10];
    if (ArrayBuffer.isView(data)) uploads.push({ data, width: args[5] as number, height: args[6] as number, depth: args[7] as number });
    return (sub as (...a: unknown[]) => void).apply(this, args);
  } as typeof proto.texSubImage3D;
  const img = proto.texImage3D;
  proto.texImage3D = function (this: WebGL2RenderingContext, ...args: unknown[]) {
    const data = args[9];
    if (ArrayBuffer.isView(data)) uploads.push({ data, width: args[3] as number, height: args[4] as number, depth: args[5] as number });
    return (img as (...a: unknown[]) => void).apply(this, args);
  } as typeof proto.texImage3D;
}

declare global {
  interface Window {
    layerUploads?: (nx: number, ny: number) => ArrayBufferView[];
  }
}

/** Loses the WebGL context (WEBGL_lose_context), restores it, and waits for a frame drawn after. */
export async function loseAndRestoreContext(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const canvas = document.querySelector('canvas')!;
    const ext = canvas.getContext('webgl2')!.getExtension('WEBGL_lose_context')!;
    const lost = new Promise((resolve) => canvas.addEventListener('webglcontextlost', resolve, { once: true }));
    ext.loseContext();
    await lost;
    await new Promise((r) => setTimeout(r, 100));
    const restored = new Promise((resolve) => canvas.addEventListener('webglcontextrestored', resolve, { once: true }));
    ext.restoreContext();
    await restored;
    // The first frame after a restore may still be rebuilding textures on a loaded machine; the
    // second is drawn from everything rebuilt.
    await window.voxlens.frame();
    await window.voxlens.frame();
  });
}

/** How many decodes this page has started (the load-start performance marks). */
export const decodesStarted = (page: Page): Promise<number> =>
  page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.startsWith('voxlens:load-start')).length);

/** The notices of a kind raised so far (shown or faded), as "title: message" texts. */
export const raisedNotices = (page: Page, kind: 'error' | 'warning' | 'info'): Promise<string[]> =>
  page.evaluate((k) => window.voxlens.notices().filter((n) => n.kind === k).map((n) => `${n.title}: ${n.message}`), kind);

/**
 * Waits until a notice of `kind` whose text matches `about` has been raised, and returns its text.
 * Information and warnings fade from the tray after a while (a slow software-rendered frame can
 * outlast them), so tests read the history, which keeps them all.
 */
export async function raisedNotice(page: Page, kind: 'error' | 'warning' | 'info', about: string | RegExp): Promise<string> {
  const match = (t: string) => (typeof about === 'string' ? t.includes(about) : about.test(t));
  await expect.poll(async () => (await raisedNotices(page, kind)).some(match), { message: `a ${kind} notice about ${String(about)}` }).toBe(true);
  return (await raisedNotices(page, kind)).find(match)!;
}

