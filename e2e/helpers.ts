import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
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

/** Serves ../shared/data at /__shared__/<path>. */
export async function serveSharedData(page: Page): Promise<void> {
  await page.route((url) => url.pathname.startsWith('/__shared__/'), async (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname.split('/__shared__/')[1]);
    await route.fulfill({ status: 200, body: readFileSync(join(SHARED_DATA_DIR, rel)), headers: { 'content-type': 'application/octet-stream' } });
  });
}

/** Opens the app without the built-in sample and waits for the API. */
export async function openEmpty(page: Page, query = ''): Promise<void> {
  await page.goto(`/?empty${query ? `&${query}` : ''}`);
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
