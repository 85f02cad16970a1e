// A 65536 × 65536 × 16384 uint16 OME-Zarr (128 TiB at full resolution) computed chunk by chunk by
// scripts/zarrServer.ts on another port (CORS and CORP headers, as a bucket would send): drawn
// from the finest level that fits, probed anywhere at full resolution against the formula, with
// the chunk cache held to its budget while many chunks are read.
import { expect, test } from '@playwright/test';
import { DEFAULT_IMAGE, proceduralValue, startProceduralZarr, type ProceduralServer } from '../scripts/zarrServer';
import { openEmpty } from './helpers';

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
  await expect(page.getByTestId('notice-warning').filter({ hasText: 'level 9' })).toContainText('65536 × 65536 × 16384');
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
