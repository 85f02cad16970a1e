import { expect, test } from '@playwright/test';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { launchOptions } from './browser';
import { loadInPage, serveFixtures } from './helpers';

test.use({ launchOptions: launchOptions(['--disable-webgl', '--disable-3d-apis']) });

test('without WebGL2 the app stays alive: a clear message, volumes load, probes work, frame() rejects', async ({ page }) => {
  const data = new Uint8Array(4 * 4 * 4).map((_, i) => i);
  await serveFixtures(page, { 'v.nii': encodeNifti({ dims: [4, 4, 4], datatypeCode: 2, bitpix: 8, data }) });
  await page.goto('/?empty');
  await expect(page.getByTestId('view-unavailable')).toContainText('No WebGL2');
  await expect(page.getByRole('alert')).toContainText('The view cannot be drawn');
  const r = await loadInPage(page, '/__fixtures__/v.nii');
  expect(r.id).toBeTruthy();
  expect(await page.evaluate((id) => window.voxlens.probe({ ijk: [3, 2, 1] }, id)[0].raw, r.id!)).toBe(3 + 4 * (2 + 4));
  await expect(page.getByTestId('probe-raw')).toBeVisible();
  expect(await page.evaluate(() => window.voxlens.frame().then(() => 'resolved', (e: { code: string }) => e.code))).toBe('no-webgl');
});
