// Atlas names inside the file and beside it (issue 26): a NIfTI extension's names make a label map
// and reach the probe panel, the label-volume table and pins; `<stem>.txt` beside a volume opened by
// URL and a `.json` opened with a volume name its labels; a hostile extension does not break the load;
// AAL (../shared/data) names its regions.
import { gzipSync } from 'node:zlib';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { encodeNifti, type NiftiWriteOptions } from '../src/io/decoders/niftiWrite';
import { hasSharedData, SKIP_REASON } from '../src/testing/sharedData';
import { loadInPage, openEmpty, raisedNotice, serveFixtures, serveSharedData } from './helpers';

type V3 = [number, number, number];
const n = 12;
/**
 * 12³ uint8 of values i + j (0..22): 23 dense consecutive levels, which alone open as an image
 * (a grey window), not as labels. Index v at voxel (v, 0, k).
 */
const values = new Uint8Array(n * n * n).map((_, x) => (x % n) + (Math.floor(x / n) % n));
const volume = (o: Partial<NiftiWriteOptions> = {}) => encodeNifti({ dims: [n, n, n], datatypeCode: 2, bitpix: 8, data: values, ...o });
const namesText = Array.from({ length: 22 }, (_, i) => `${i + 1}\tRegion_${i + 1}`).join('\n');
const text = (s: string) => new TextEncoder().encode(s);

async function layerState(page: Page, id: string) {
  return page.evaluate((layerId) => window.voxlens.layers().find((l) => l.id === layerId)?.display.colormap, id);
}

/** The probe panel's label at voxel `ijk` of the only layer (the crosshair moved there). */
async function probeLabelAt(page: Page, ijk: V3) {
  await page.evaluate((at) => {
    const [p] = window.voxlens.probe({ ijk: at });
    window.voxlens.setCrosshair(p.world);
  }, ijk);
  return page.getByTestId('probe-label');
}

test('a NIfTI extension of `index name` lines: a label map named in the probe, the label-volume table and pins', async ({ page }) => {
  await serveFixtures(page, { 'names.nii': volume({ extensions: [{ ecode: 6, data: text(namesText) }] }), 'plain.nii': volume() });
  await openEmpty(page);
  // The same values without names open as an image.
  const plain = await loadInPage(page, '/__fixtures__/plain.nii');
  expect(await layerState(page, plain.id!)).toBe('gray');
  await page.evaluate((id) => window.voxlens.close(id), plain.id!);

  const { id } = await loadInPage(page, '/__fixtures__/names.nii');
  expect(await layerState(page, id!)).toBe('label');
  await expect(page.getByTestId('label-lookup')).toHaveText('names from the NIfTI extension');
  await expect(await probeLabelAt(page, [7, 0, 3])).toHaveText('Region_7 (7)');

  const table = await page.evaluate((layerId) => window.voxlens.labelVolumes(layerId), id!);
  // i + j = 7 for i = 0..7.
  expect(table.find((r) => r.label === 7)).toMatchObject({ name: 'Region_7', voxels: 8 * n });
  expect(table.find((r) => r.label === 0)?.name).toBeUndefined();

  const world = (await page.evaluate(() => window.voxlens.probe({ ijk: [5, 4, 2] })))[0].world;
  const pin = await page.evaluate((w) => window.voxlens.pins.add(w), world);
  expect(pin.layers[0]).toMatchObject({ raw: 9, labelName: 'Region_9' });
  const csv = (await page.evaluate(() => window.voxlens.pins.export('csv'))).trim().split('\n');
  expect(csv[0].split(',').at(-1)).toBe('label_name');
  expect(csv[1].split(',').at(-1)).toBe('Region_9');
  const json = JSON.parse(await page.evaluate(() => window.voxlens.pins.export('json'))) as { layers: { labelName?: string }[] }[];
  expect(json[0].layers[0].labelName).toBe('Region_9');
});

test('names beside a volume opened by URL: <stem>.txt found after the layer is shown; missing files are silent, a server error is a warning', async ({ page }) => {
  await serveFixtures(page, {
    'beside.nii.gz': gzipSync(volume()),
    'beside.txt': text('# names\n3 Third\n4 Fourth region\n'),
    'alone.nii': volume(),
    'broken.nii': volume(),
  });
  await page.route((url) => url.pathname === '/__fixtures__/broken.txt', (route) => route.fulfill({ status: 500, body: 'oops' }));
  await openEmpty(page);
  const { id } = await loadInPage(page, '/__fixtures__/beside.nii.gz');
  await expect(page.getByTestId(`layer-${id}`).getByTestId('label-lookup')).toHaveText('beside.txt');
  expect(await layerState(page, id!)).toBe('label');
  await expect(await probeLabelAt(page, [4, 0, 0])).toHaveText('Fourth region (4)');

  const alone = await loadInPage(page, '/__fixtures__/alone.nii');
  const broken = await loadInPage(page, '/__fixtures__/broken.nii');
  expect(await raisedNotice(page, 'warning', 'broken.nii')).toContain('HTTP 500');
  expect(await layerState(page, broken.id!)).not.toBe('label');
  expect(await layerState(page, alone.id!)).not.toBe('label');
  await expect(page.locator('.notice').filter({ hasText: 'alone' })).toHaveCount(0);
});

test('Open… of a volume and its .json: the names attach to the volume, the .json is not opened as one', async ({ page }) => {
  await openEmpty(page);
  const json = JSON.stringify([{ index: 2, name: 'Second' }, { index: 5, name: 'Fifth' }]);
  await page.getByTestId('file-input').setInputFiles([
    { name: 'dropped.json', mimeType: 'application/json', buffer: Buffer.from(json) },
    { name: 'dropped.nii', mimeType: 'application/octet-stream', buffer: Buffer.from(volume()) },
  ]);
  await expect(page.getByTestId('label-lookup')).toHaveText('dropped.json');
  expect(await page.evaluate(() => window.voxlens.layers().map((l) => [l.name, l.display.colormap]))).toEqual([['dropped.nii', 'label']]);
  await expect(await probeLabelAt(page, [5, 0, 0])).toHaveText('Fifth (5)');
  await expect(page.locator('.notice')).toHaveCount(0);
});

test('hostile extensions (a huge esize, one not a multiple of 16) load the volume without names', async ({ page }) => {
  await serveFixtures(page, {
    'huge.nii': volume({ extensions: [{ ecode: 6, data: text(namesText), esize: 2 ** 31 - 16 }] }),
    'odd.nii.gz': volume({ extensions: [{ ecode: 6, data: text(namesText), esize: 33 }] }),
  });
  await openEmpty(page);
  for (const name of ['huge.nii', 'odd.nii.gz']) {
    const { id, code, message } = await loadInPage(page, `/__fixtures__/${name}`);
    expect(code, message).toBeUndefined();
    expect(await layerState(page, id!)).toBe('gray');
    const [p] = await page.evaluate((layerId) => window.voxlens.probe({ ijk: [3, 4, 5] }, layerId), id!);
    expect(p.raw).toBe(7);
    await page.evaluate((layerId) => window.voxlens.close(layerId), id!);
  }
});

test.describe('AAL from ../shared/data', () => {
  test.skip(!hasSharedData, SKIP_REASON);
  test('aal.nii.gz names its regions in the probe panel and pins (the names it keeps after its header)', async ({ page }, testInfo) => {
    await serveSharedData(page);
    await openEmpty(page);
    const { id } = await loadInPage(page, '/__shared__/aal.nii.gz');
    await expect(page.getByTestId('label-lookup')).toHaveText('names stored after the NIfTI header');
    // The manifest's nonzero sample: (46, 66, 129) holds 61, the 61st of AAL's names.
    await expect(await probeLabelAt(page, [46, 66, 129])).toHaveText('Parietal_Inf_L (61)');
    const pin = await page.evaluate(() => window.voxlens.pins.add(window.voxlens.crosshair()!));
    expect(pin.layers[0]).toMatchObject({ layerId: id, raw: 61, labelName: 'Parietal_Inf_L' });
    const table = await page.evaluate((layerId) => window.voxlens.labelVolumes(layerId), id!);
    expect(table.find((r) => r.label === 1)?.name).toBe('Precentral_L');
    expect(table.filter((r) => r.name).length).toBe(116);
    await page.getByTestId('probe-panel').screenshot({ path: testInfo.outputPath('aal-probe.png') });
  });
});
