// A real PACS: Orthanc over DICOMweb, through the preview server's /dicom-web proxy. Search by
// patient name and modality (QIDO-RS), list a study's series, open one (WADO-RS, as stored: the MR
// series is RLE on the server) and check it against the manifest. Skips without ../shared/data.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hasSharedData, loadManifest, SHARED_DATA_DIR, SKIP_REASON, type ManifestEntry } from '../src/testing/sharedData';
import { openEmpty } from './helpers';
import { hasOrthanc, ORTHANC_SKIP, startOrthanc, type Orthanc } from './orthanc';

test.skip(!hasSharedData, SKIP_REASON);
test.skip(!hasOrthanc, ORTHANC_SKIP);

const entry = (file: string) => loadManifest().find((e) => e.file === file)!;
const seriesFiles = (e: ManifestEntry) => readdirSync(join(SHARED_DATA_DIR, e.file)).map((f) => join(SHARED_DATA_DIR, e.file, f));

let orthanc: Orthanc;
test.beforeAll(async () => {
  orthanc = await startOrthanc();
  await orthanc.upload([...seriesFiles(entry('dicom/philips_ct_head_phantom')), ...seriesFiles(entry('dicom/ge_epi_axial_i2s_rle'))]);
});
test.afterAll(async () => orthanc?.stop());

test('search the PACS by patient name, open the CT series: dims, rescale, affine and probes as the manifest says', async ({ page }) => {
  const ct = entry('dicom/philips_ct_head_phantom');
  await openEmpty(page);
  await page.getByRole('button', { name: 'PACS…' }).click();
  const dialog = page.getByTestId('pacs-browser');
  await dialog.getByTestId('pacs-patientName').fill('HEA');
  await dialog.getByRole('button', { name: 'Search' }).click();
  await expect(dialog.getByTestId('pacs-study')).toHaveCount(1);
  await expect(dialog.getByTestId('pacs-study')).toContainText('HEAD');
  await dialog.getByTestId('pacs-study').locator('summary').click();
  await dialog.getByTestId('pacs-series').first().click();
  await page.waitForFunction(() => window.voxlens.layers().length === 1, undefined, { timeout: 60_000 });
  const info = await page.evaluate(() => window.voxlens.layers()[0]);
  expect(info.format).toBe('dicom');
  expect(info.dims).toEqual(ct.dims);
  expect(info.inter).toBe(-1024);
  ct.affine.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(info.affine[i][j] - v)).toBeLessThan(1e-3)));
  const probes = await page.evaluate(([id, ijks]) => ijks.map((ijk) => window.voxlens.probe({ ijk }, id)[0].raw), [info.id, ct.probes.map((p) => p.ijk)] as const);
  expect(probes).toEqual(ct.probes.map((p) => p.raw));
  await expect(page.getByTestId('dicom-panel')).toContainText('Not for diagnostic use');
});

test('search by modality finds the MR study; its RLE series opens exactly', async ({ page }) => {
  const mr = entry('dicom/ge_epi_axial_i2s_rle');
  await openEmpty(page);
  await page.getByRole('button', { name: 'PACS…' }).click();
  const dialog = page.getByTestId('pacs-browser');
  await dialog.getByTestId('pacs-modality').selectOption('MR');
  await dialog.getByRole('button', { name: 'Search' }).click();
  await expect(dialog.getByTestId('pacs-study')).toHaveCount(1);
  await dialog.getByTestId('pacs-study').locator('summary').click();
  await dialog.getByTestId('pacs-series').first().click();
  await page.waitForFunction(() => window.voxlens.layers().length === 1, undefined, { timeout: 60_000 });
  const info = await page.evaluate(() => window.voxlens.layers()[0]);
  expect(info.dims).toEqual(mr.dims);
  const probes = await page.evaluate(([id, ijks]) => ijks.map((ijk) => window.voxlens.probe({ ijk }, id)[0].raw), [info.id, mr.probes.map((p) => p.ijk)] as const);
  expect(probes).toEqual(mr.probes.map((p) => p.raw));
  await expect(page.getByTestId('dicom-panel')).toContainText('RLE');
});

test('a search the server cannot answer says so in the dialog', async ({ page }) => {
  await page.goto('/?empty&layout=axial&dicomweb=/no-such-dicomweb');
  await page.waitForFunction(() => typeof window.voxlens === 'object');
  await page.getByRole('button', { name: 'PACS…' }).click();
  const dialog = page.getByTestId('pacs-browser');
  await dialog.getByRole('button', { name: 'Search' }).click();
  await expect(dialog.getByRole('alert')).toContainText(/no-such-dicomweb/);
});

test('every DICOM series of ../shared/data through the PACS (voxlens.pacs): as stored on the server, each transfer syntax decodes to the manifest\'s values', async ({ page }) => {
  test.setTimeout(240_000);
  await openEmpty(page);
  // The re-encoded series share their originals' UIDs, so the server holds one at a time.
  for (const e of loadManifest().filter((x) => x.format === 'dicom')) {
    await orthanc.clear();
    await orthanc.upload(seriesFiles(e));
    const r = await page.evaluate(async () => {
      const [study] = await window.voxlens.pacs.search({});
      const [series] = await window.voxlens.pacs.series(study.studyUid);
      return window.voxlens.pacs.open(study.studyUid, series.seriesUid).then(
        (info) => ({ info, probes: [] as (number | number[])[], error: undefined }),
        (err: { code: string; message: string }) => ({ info: undefined, probes: [], error: err }),
      );
    });
    const syntax = (e as ManifestEntry & { transfer_syntax: string }).transfer_syntax;
    if (r.error) {
      // Codecs not built yet are refused by name; nothing else may fail.
      expect(r.error.code, `${e.file}: ${r.error.message}`).toBe('unsupported-format');
      expect(r.error.message).toContain(syntax);
      continue;
    }
    const info = r.info!;
    expect(info.dims, e.file).toEqual(e.dims);
    e.affine.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(info.affine[i][j] - v), `${e.file} affine`).toBeLessThan(1e-3)));
    const raws = await page.evaluate(([id, ijks]) => ijks.map((ijk) => window.voxlens.probe({ ijk }, id)[0].raw), [info.id, e.probes.map((p) => p.ijk)] as const);
    expect(raws, e.file).toEqual(e.probes.map((p) => p.raw));
    await page.evaluate((id) => window.voxlens.close(id), info.id);
  }
});
