// A 65536 × 65536 × 16384 uint16 OME-Zarr (128 TiB at full resolution) computed chunk by chunk by
// scripts/zarrServer.ts on another port (CORS and CORP headers, as a bucket would send): drawn
// from the finest level that fits, probed anywhere at full resolution against the formula, with
// the chunk cache held to its budget while many chunks are read.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { LayerInfo } from '../src/api/voxlens';
import { DEFAULT_IMAGE, proceduralValue, startProceduralZarr, type ProceduralServer } from '../scripts/zarrServer';
import { openEmpty, raisedNotice } from './helpers';
import { expectedGrey, grab } from './pixels';

let server: ProceduralServer;
test.beforeAll(async () => {
  server = await startProceduralZarr();
});
test.afterAll(async () => server?.stop());

test('a 128 TiB procedural image: a coarse level drawn, full-resolution probes equal the formula anywhere, the chunk cache within its budget', async ({ page }) => {
  // A small budget: half of it (4 MiB) picks the level shown, a quarter (2 MiB: four 512 KiB chunks) holds probed chunks.
  await openEmpty(page, 'budgetMiB=8&layout=2x2');
  const info = await page.evaluate((url) => window.voxlens.load(url), server.url);
  expect(info.dims).toEqual([128, 128, 32]);
  expect(info.affine[0][0]).toBe(512);
  expect(await raisedNotice(page, 'warning', 'level 9')).toContain('65536 × 65536 × 16384');
  const [nx, ny, nz] = DEFAULT_IMAGE.dims;
  const points = [
    [0, 0, 0],
    [nx - 1, ny - 1, nz - 1],
    [12345, 54321, 999],
    [65000, 17, 8000],
    [31, 40000, 16000],
    [4097, 4098, 4099],
    [60000, 60000, 3],
    [777, 333, 12000],
  ];
  for (const ijk of points) {
    const r = await page.evaluate(([id, at]) => window.voxlens.probeAsync({ ijk: at }, id), [info.id, ijk] as [string, number[]]);
    expect(r[0].raw, ijk.join(',')).toBe(proceduralValue(ijk[0], ijk[1], ijk[2]));
  }
  const m = await page.evaluate(() => window.voxlens.memory().chunks);
  expect(m.residentBytes).toBeLessThanOrEqual(m.budgetBytes);
  expect(m.evictions).toBeGreaterThan(0);
  expect(m.pinnedBytes).toBe(0);
  await page.evaluate(() => window.voxlens.frame());
  await page.screenshot({ path: test.info().outputPath('procedural.png') });
});

/** Starts loading `url` in the page without waiting; the returned function waits for the load's layer. */
async function startLoad(page: Page, url: string): Promise<() => Promise<LayerInfo>> {
  await page.evaluate((u) => {
    (window as unknown as { loading: Promise<LayerInfo> }).loading = window.voxlens.load(u);
  }, url);
  return () => page.evaluate(() => (window as unknown as { loading: Promise<LayerInfo> }).loading);
}

/** Holds every request for a chunk of `level` (paths "level/z/y/x") until `release()`; `order` lists them as asked. */
async function holdLevel(page: Page, level: number) {
  const held: (() => void)[] = [];
  const order: string[] = [];
  let released = false;
  const pattern = new RegExp(`/${level}/(\\d+/\\d+/\\d+)$`);
  await page.route(pattern, async (route) => {
    order.push(pattern.exec(new URL(route.request().url()).pathname)![1]);
    if (!released) await new Promise<void>((resolve) => held.push(resolve));
    await route.continue();
  });
  return {
    order,
    release() {
      released = true;
      for (const go of held.splice(0)) go();
    },
  };
}

test('coarse first: a 1 MiB level is drawn at once, the finer level replaces it as it arrives (chunks nearest the crosshair first), keeping the window', async ({ page }) => {
  // Half of 64 MiB picks level 8 (256 × 256 × 64, 8 MiB); level 9 (128 × 128 × 32, 1 MiB) comes first.
  await openEmpty(page, 'budgetMiB=64&layout=2x2');
  const hold = await holdLevel(page, 8);
  const loaded = await startLoad(page, server.url);
  await expect.poll(() => page.evaluate(() => window.voxlens.layers()[0]?.pyramid ?? null)).toEqual({ level: 9, levels: 11, target: 8 });
  const coarse = (await page.evaluate(() => window.voxlens.layers()[0]))!;
  expect(coarse.dims).toEqual([128, 128, 32]);
  await page.evaluate(() => window.voxlens.frame());
  // The refinement's progress: chunks done of total and the bytes fetched.
  const progress = page.getByTestId('load-progress');
  await expect(progress).toContainText('Refining');
  await expect(progress).toContainText('level 8 (256 × 256 × 64)');
  await expect(progress).toContainText(/0 \/ 16 chunks · 0 % · [\d.]+ (B|KB) fetched/);
  await expect(page.getByTestId('layer-level')).toHaveText('· level 9 → 8 of 11');
  // While coarse, a probe reads the full resolution: loading, then the formula's value.
  const at = [40000, 20000, 5000];
  const first = await page.evaluate((ijk) => window.voxlens.probe({ ijk })[0], at);
  expect(first.fullResolution).toBe(true);
  const exact = await page.evaluate((ijk) => window.voxlens.probeAsync({ ijk }), at);
  expect(exact[0].raw).toBe(proceduralValue(at[0], at[1], at[2]));
  await page.evaluate((id) => window.voxlens.setDisplay(id, { window: [100, 30000], colormap: 'hot' }), coarse.id);
  await page.screenshot({ path: test.info().outputPath('refining.png') });
  const coarseBuffer = (await page.evaluate(() => window.voxlens.memory().buffers.filter((b) => b.pins.length > 0)))[0];

  // The crosshair sits at the centre: the four chunks around it were asked for first.
  await expect.poll(() => hold.order.length).toBeGreaterThanOrEqual(4);
  expect(new Set(hold.order.slice(0, 4))).toEqual(new Set(['0/1/1', '0/1/2', '0/2/1', '0/2/2']));
  hold.release();
  await loaded();
  const fine = (await page.evaluate(() => window.voxlens.layers()[0]))!;
  expect(fine.id).toBe(coarse.id);
  expect(fine.dims).toEqual([256, 256, 64]);
  expect(fine.affine[0][0]).toBe(256);
  expect(fine.pyramid).toEqual({ level: 8, levels: 11, target: 8 });
  expect(fine.display.window).toEqual([100, 30000]);
  expect(fine.display.colormap).toBe('hot');
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('layer-level')).toHaveText('· level 8 of 11');
  await page.evaluate(() => window.voxlens.frame());
  // The coarse level's memory went back to the pool: one pinned buffer, the fine one, with the layer's and the texture's pins.
  const pinned = await page.evaluate(() => window.voxlens.memory().buffers.filter((b) => b.pins.length > 0));
  expect(pinned).toHaveLength(1);
  expect(pinned[0].id).not.toBe(coarseBuffer.id);
  expect(pinned[0].bytes).toBe(256 * 256 * 64 * 2);
  expect(pinned[0].pins.map((p) => p.owner).sort()).toEqual(['layer', 'texture']);
  // Probes are still the full resolution's exact values (level 8 is not level 0).
  const again = await page.evaluate((ijk) => window.voxlens.probeAsync({ ijk }), at);
  expect(again[0]).toMatchObject({ raw: proceduralValue(at[0], at[1], at[2]), fullResolution: true });
  await page.screenshot({ path: test.info().outputPath('refined.png') });
});

test('refining stops when the layer is closed or the refinement cancelled: nothing pinned, the layer stays at its coarse level', async ({ page }) => {
  await openEmpty(page, 'budgetMiB=64');
  const hold = await holdLevel(page, 8);
  const loaded = await startLoad(page, server.url);
  await expect(page.getByTestId('load-progress')).toContainText('Refining');
  await page.getByTestId('load-progress').getByRole('button', { name: 'Cancel' }).click();
  hold.release();
  const info = await loaded();
  const layer = (await page.evaluate(() => window.voxlens.layers()[0]))!;
  expect(layer.id).toBe(info.id);
  expect(layer.pyramid).toEqual({ level: 9, levels: 11, target: 9 });
  expect(layer.dims).toEqual([128, 128, 32]);
  await expect(page.getByTestId('notice-error')).toHaveCount(0);

  // Again, closing the layer while its finer level is on the way.
  // Its level-8 chunks are held for good: the layer is closed while they are on their way.
  await holdLevel(page, 8);
  const loadedAgain = await startLoad(page, server.url);
  await expect(page.getByTestId('load-progress')).toContainText('Refining');
  const second = await page.evaluate(() => window.voxlens.layers()[1].id);
  await page.evaluate((id) => window.voxlens.close(id), second);
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  await loadedAgain();
  expect(await page.evaluate(() => window.voxlens.layers().map((l) => l.id))).toEqual([info.id]);
  const pinned = await page.evaluate(() => window.voxlens.memory().buffers.filter((b) => b.pins.length > 0));
  expect(pinned).toHaveLength(1);
  expect(pinned[0].bytes).toBe(128 * 128 * 32 * 2);
});

test('a slice pane zoomed in past the drawn level fetches the finer level it needs for its view and draws it over the coarse one, on its slice only', async ({ page }) => {
  // Level 7 drawn (128 µm voxels, 512 × 512 × 128 fits half of 128 MiB); zoomed 64× the axial pane
  // shows about 2 µm per pixel. Pane details may fetch half the 32 MiB chunk cache: 16 MiB.
  await openEmpty(page, 'budgetMiB=128&layout=axial');
  const info = await page.evaluate((url) => window.voxlens.load(url), server.url);
  expect(info.pyramid).toEqual({ level: 7, levels: 11, target: 7 });
  await page.getByLabel('Show crosshair lines').uncheck();
  // The notices would cover the pixels under test.
  for (let n = await page.getByRole('button', { name: 'Dismiss' }).count(); n > 0; n--) await page.getByRole('button', { name: 'Dismiss' }).first().click();
  const grey: [number, number] = [0, 20000];
  await page.evaluate(([id, w]) => window.voxlens.setDisplay(id, { window: w }), [info.id, grey] as [string, [number, number]]);
  // Fitted (about 120 µm per pixel) level 6 would do, but its chunks for the view are 128 MiB: none.
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.paneDetail('axial'))).toEqual([]);
  await expect(page.getByTestId('detail-label')).toHaveText(/finer level over budget$/);
  await page.evaluate(() => window.voxlens.setPaneView('axial', { zoom: 64 }));
  await page.evaluate(() => window.voxlens.frame());
  const c0 = (await page.evaluate(() => window.voxlens.crosshair()))!;
  // At about 2 µm per pixel: level 2 (4 µm voxels, 25 chunks: 12.5 MiB); levels 0 and 1 would fetch more than 16 MiB.
  await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial')[0] ?? null), { timeout: 30_000 }).toMatchObject({ level: 2, ready: true });
  await expect(page.getByTestId('detail-label')).toHaveText(/level 2$/);
  const pane = page.getByTestId('view-axial');
  const box = (await pane.boundingBox())!;
  // Each pixel's world point from the pane's geometry (sliceGeometry.fitView): level 7's voxel
  // centres span 0…65408 µm on x and y, fitted with a 6 % margin, zoomed 64×, centred (no pan);
  // radiological, so x runs right to left. Pixels whose centre lies well inside a level-2 voxel
  // (4 µm, about 2 pixels) are checked; the window is set around their values so that a
  // difference from the level drawn shows in the grey.
  const span = 511 * 128;
  const mmPerPixel = Math.max((span * 1.06) / box.width, (span * 1.06) / box.height) / 64;
  const worldOf = (x: number, y: number): [number, number, number] => [span / 2 - (x + 0.5 - box.width / 2) * mmPerPixel, span / 2 - (y + 0.5 - box.height / 2) * mmPerPixel, c0[2]];
  const inside = (v: number) => Math.abs(((v / 4) % 1) - 0.5) > 0.2;
  const samples = [];
  for (let y = Math.round(box.height * 0.2); y < box.height * 0.8 && samples.length < 12; y += 23) {
    for (let x = Math.round(box.width * 0.2); x < box.width * 0.8 && samples.length < 12; x += 37) {
      const w = worldOf(x, y);
      if (!inside(w[0]) || !inside(w[1])) continue;
      const at = (l: number) => w.map((v) => Math.round(v / 2 ** l) * 2 ** l) as [number, number, number];
      samples.push({ x, y, w, fine: proceduralValue(...at(2)), coarse: proceduralValue(...at(7)) });
    }
  }
  expect(samples.length).toBeGreaterThanOrEqual(6);
  const values = samples.flatMap((p) => [p.fine, p.coarse]);
  const win: [number, number] = [Math.min(...values) - 20, Math.max(...values) + 20];
  await page.evaluate(([id, w]) => window.voxlens.setDisplay(id, { window: w }), [info.id, win] as [string, [number, number]]);
  await page.evaluate(() => window.voxlens.frame());
  const shot = await grab(pane);
  let differsFromCoarse = 0;
  for (const { x, y, w, fine, coarse } of samples) {
    const got = shot.at(x + 0.5, y + 0.5)[0];
    expect(Math.abs(got - expectedGrey(fine, win)), `pixel ${x},${y} at ${w.map((v) => v.toFixed(1)).join(', ')}: grey ${got}, level 2 value ${fine}`).toBeLessThanOrEqual(2);
    if (Math.abs(expectedGrey(coarse, win) - expectedGrey(fine, win)) > 3) differsFromCoarse++;
  }
  expect(differsFromCoarse).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('zoomed-detail.png') });
  // Paging: each slice's box is fetched in turn (the old one is not drawn on the new slice), and the
  // chunk cache and the GPU stay within their budgets.
  const c = (await page.evaluate(() => window.voxlens.crosshair()))!;
  for (let step = 1; step <= 6; step++) {
    await page.evaluate(([p, dz]) => window.voxlens.setCrosshair([p[0], p[1], p[2] + dz]), [c, step * 4 * 97] as [number[], number]);
    await page.evaluate(() => window.voxlens.frame());
    await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial')[0]?.ready ?? false), { timeout: 30_000 }).toBe(true);
    const m = await page.evaluate(() => window.voxlens.memory());
    expect(m.chunks.residentBytes).toBeLessThanOrEqual(m.chunks.budgetBytes);
    expect(m.detailBytes).toBeGreaterThan(0);
    expect(m.textureBytes).toBeLessThanOrEqual(m.gpuBudgetBytes);
  }
  expect(await page.evaluate(() => window.voxlens.memory().chunks.pinnedBytes)).toBe(0);
  // Zoomed out until a pixel (about 240 µm) is larger than the drawn level's voxels: no detail.
  await page.evaluate(() => window.voxlens.setPaneView('axial', { zoom: 0.5 }));
  await page.evaluate(() => window.voxlens.frame());
  await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial').length)).toBe(0);
  await expect(page.getByTestId('detail-label')).toHaveCount(0);
});
