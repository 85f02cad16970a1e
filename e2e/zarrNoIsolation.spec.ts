// The OME-Zarr path where the page is not cross-origin isolated (a static host without COOP/COEP):
// no SharedArrayBuffer, so chunks and levels travel between the Zarr worker and the page by
// transfer. The app is served from dist/ (or VOXLENS_E2E_OUTDIR) by a plain server here, without the isolation headers
// (stripping them with page.route would break the cross-origin chunk requests).
import { expect, test } from './fixtures';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { proceduralValue, startProceduralZarr, type ProceduralServer } from '../scripts/zarrServer';
let zarr: ProceduralServer;
let app: Server;
let base = '';
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };
test.beforeAll(async () => {
  zarr = await startProceduralZarr();
  app = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      const body = await readFile(join(process.env.VOXLENS_E2E_OUTDIR ?? 'dist', path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'Content-Type': types[extname(path || '.html')] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(app.address() as { port: number }).port}`;
});
test.afterAll(async () => {
  await zarr?.stop();
  app?.close();
});
test('without cross-origin isolation an OME-Zarr image loads, refines, probes exactly and draws a zoomed pane\'s finer level (chunks transferred, not shared)', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/?empty&budgetMiB=64&layout=2x2`);
  await page.waitForFunction(() => typeof window.voxlens === 'object');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  const info = await page.evaluate((u) => window.voxlens.load(u), zarr.url);
  expect(info.pyramid).toEqual({ level: 8, levels: 11, target: 8 });
  const p = await page.evaluate(() => window.voxlens.probeAsync({ ijk: [12345, 2345, 345] }));
  expect(p[0].raw).toBe(proceduralValue(12345, 2345, 345));
  await page.evaluate(() => window.voxlens.frame());
  await page.evaluate(() => window.voxlens.setPaneView('axial', { zoom: 64 }));
  await page.evaluate(() => window.voxlens.frame());
  await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial')[0] ?? null), { timeout: 30000 }).toMatchObject({ ready: true });
  expect(errors).toEqual([]);
});
