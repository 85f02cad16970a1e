// A real PACS: Orthanc over DICOMweb, through the preview server's /dicom-web proxy. Search by
// patient name and modality (QIDO-RS), list a study's series, open one (WADO-RS, as stored: the MR
// series is RLE on the server) and check it against the manifest. Skips without ../shared/data.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { hasSharedData, loadManifest, SHARED_DATA_DIR, SKIP_REASON, type ManifestEntry } from '../src/testing/sharedData';
import { loseAndRestoreContext, openEmpty } from './helpers';
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
  await page.waitForFunction(() => window.voxlens.layers().length === 1 && !window.voxlens.layers()[0].arriving, undefined, { timeout: 60_000 });
  const info = await page.evaluate(() => window.voxlens.layers()[0]);
  expect(info.format).toBe('dicom');
  expect(info.dims).toEqual(ct.dims);
  expect(info.inter).toBe(-1024);
  ct.affine.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(info.affine[i][j] - v)).toBeLessThan(1e-3)));
  const probes = await page.evaluate(([id, ijks]) => ijks.map((ijk) => window.voxlens.probe({ ijk }, id)[0].raw), [info.id, ct.probes.map((p) => p.ijk)] as const);
  expect(probes).toEqual(ct.probes.map((p) => p.raw));
  await expect(page.getByTestId('dicom-panel')).toContainText('Not for diagnostic use');
});

test('a PACS series is drawn while it arrives: geometry first, the middle slices shown, the rest "loading" until their instances come', async ({ page }) => {
  const ct = entry('dicom/philips_ct_head_phantom');
  const [nx, ny, nz] = ct.dims;
  // Let two instance requests through, hold the rest until the test releases them.
  const held: (() => Promise<void>)[] = [];
  let passed = 0;
  let released = false;
  await page.route(/\/dicom-web\/studies\/[^/]+\/series\/[^/]+\/instances\//, (route) => {
    if (passed < 2 || released) {
      passed++;
      return route.continue();
    }
    held.push(() => route.continue());
  });
  await openEmpty(page, 'layout=2x2');
  await page.evaluate(async () => {
    const [study] = await window.voxlens.pacs.search({ patientName: 'HEA' });
    const [series] = await window.voxlens.pacs.series(study.studyUid);
    (window as unknown as { opening: Promise<unknown> }).opening = window.voxlens.pacs.open(study.studyUid, series.seriesUid);
  });
  await page.waitForFunction(() => window.voxlens.layers()[0]?.arriving?.slices === 2);
  const info = await page.evaluate(() => window.voxlens.layers()[0]);
  // The whole geometry is there before the pixels: dims and affine as the manifest says.
  expect(info.dims).toEqual(ct.dims);
  expect(info.arriving).toEqual({ slices: 2, of: nz });
  ct.affine.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(info.affine[i][j] - v)).toBeLessThan(1e-3)));
  // Slices near the middle first (the workers start where the crosshair starts); every other slice says it is loading.
  const column = await page.evaluate(([id, x, y, n]) => Array.from({ length: n }, (_, k) => window.voxlens.probe({ ijk: [x, y, k] }, id)[0]), [info.id, nx / 2, ny / 2, nz] as const);
  const loaded = column.flatMap((p, k) => (p.loading ? [] : [k]));
  // (Helper workers share the files out, so which two of the middle ones came first may vary.)
  expect(loaded).toHaveLength(2);
  for (const k of loaded) expect(Math.abs(k - (nz - 1) / 2), `slice ${k} is not near the middle`).toBeLessThanOrEqual(2);
  for (const p of column.filter((x) => x.loading)) expect(p.raw).toBeNaN();
  // A slice that is in reads its final value already (checked again once all are in).
  const early = column[loaded[0]].raw;
  expect(typeof early).toBe('number');
  await page.evaluate((id) => window.voxlens.setCrosshair(window.voxlens.probe({ ijk: [256, 256, 2] }, id)[0].world), info.id);
  await expect(page.getByTestId('probe-loading').first()).toContainText('slice 2 is still loading');
  await page.evaluate(() => window.voxlens.frame());
  const sagittalWhileArriving = await page.getByTestId('view-sagittal').screenshot({ path: test.info().outputPath('arriving-sagittal.png') });
  await page.screenshot({ path: test.info().outputPath('arriving.png') });

  // Release the rest: every slice arrives, probes are exact, and the panes hold what a full upload holds.
  released = true;
  for (const go of held.splice(0)) await go();
  await page.evaluate(() => (window as unknown as { opening: Promise<unknown> }).opening);
  expect(await page.evaluate(() => window.voxlens.layers()[0].arriving)).toBeUndefined();
  const raws = await page.evaluate(([id, ijks]) => ijks.map((ijk) => window.voxlens.probe({ ijk }, id)[0].raw), [info.id, ct.probes.map((p) => p.ijk)] as const);
  expect(raws).toEqual(ct.probes.map((p) => p.raw));
  expect(await page.evaluate(([id, ijk]) => window.voxlens.probe({ ijk }, id)[0].raw, [info.id, [nx / 2, ny / 2, loaded[0]]] as [string, number[]])).toBe(early);
  await page.evaluate(() => window.voxlens.frame());
  const sagittal = await page.getByTestId('view-sagittal').screenshot();
  await page.screenshot({ path: test.info().outputPath('arrived.png') });
  expect(Buffer.compare(sagittal, sagittalWhileArriving)).not.toBe(0);
  // A context loss rebuilds the texture whole from memory: slice by slice it had to be the same.
  await loseAndRestoreContext(page);
  expect(Buffer.compare(await page.getByTestId('view-sagittal').screenshot(), sagittal)).toBe(0);
});

test('an instance the server fails mid-series: the half-drawn layer is closed again, the error names the answer, nothing stays pinned', async ({ page }) => {
  let seen = 0;
  await page.route(/\/dicom-web\/studies\/[^/]+\/series\/[^/]+\/instances\//, (route) => (++seen === 5 ? route.fulfill({ status: 503, body: 'busy' }) : route.continue()));
  await openEmpty(page, 'layout=2x2');
  const error = await page.evaluate(async () => {
    const [study] = await window.voxlens.pacs.search({ patientName: 'HEA' });
    const [series] = await window.voxlens.pacs.series(study.studyUid);
    return window.voxlens.pacs.open(study.studyUid, series.seriesUid).then(
      () => null,
      (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
    );
  });
  expect(error?.code).toBe('fetch-failed');
  expect(error?.message).toContain('HTTP 503');
  expect(await page.evaluate(() => window.voxlens.layers().length)).toBe(0);
  await expect(page.getByTestId('notice-error')).toContainText('HTTP 503');
  // The series' memory is unpinned once the canvas has let go of its texture.
  await page.waitForFunction(() => window.voxlens.memory().buffers.every((b) => b.pins.length === 0));
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
  await page.waitForFunction(() => window.voxlens.layers().length === 1 && !window.voxlens.layers()[0].arriving, undefined, { timeout: 60_000 });
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
