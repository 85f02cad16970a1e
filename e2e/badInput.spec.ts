// Bad files opened through the UI: a readable error, the app alive, loaded layers untouched,
// nothing left allocated.
import { gzipSync } from 'node:zlib';
import { expect, test } from './fixtures';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { loadInPage, openEmpty, serveFixtures } from './helpers';

const good = () => {
  const a = new Int16Array(6 * 5 * 4).map((_, i) => i);
  return encodeNifti({ dims: [6, 5, 4], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(a.buffer) });
};
const edit = (f: (dv: DataView) => void) => {
  const b = good();
  f(new DataView(b.buffer));
  return b;
};

const CASES: { name: string; bytes: () => Uint8Array; text: RegExp }[] = [
  { name: 'truncated.nii', bytes: () => good().subarray(0, 400), text: /truncated/i },
  { name: 'truncated.nii.gz', bytes: () => { const z = gzipSync(good()); return z.subarray(0, z.length - 30); }, text: /breaks off|truncated|gzip/i },
  { name: 'wrong-magic.nii', bytes: () => edit((dv) => dv.setUint8(344, 0x78)), text: /magic/i },
  { name: 'not-a-volume.nii', bytes: () => new TextEncoder().encode('<html>404 page served as a volume</html>'), text: /not a format Voxlens reads/i },
  { name: 'zero-dim.nii', bytes: () => edit((dv) => dv.setInt16(44, 0, true)), text: /not all positive/i },
  { name: 'negative-dim.nii', bytes: () => edit((dv) => dv.setInt16(42, -3, true)), text: /not all positive/i },
  { name: 'huge-dims.nii.gz', bytes: () => gzipSync(edit((dv) => { dv.setInt16(42, 30000, true); dv.setInt16(44, 30000, true); dv.setInt16(46, 30000, true); })), text: /limit is 2048\.0 MiB|budget/i },
  { name: 'bitpix.nii', bytes: () => edit((dv) => dv.setInt16(72, 32, true)), text: /bitpix is 32/ },
  { name: 'offset.nii', bytes: () => edit((dv) => dv.setFloat32(108, 1e7, true)), text: /vox_offset .* past the end/ },
  { name: 'complex.nii', bytes: () => edit((dv) => { dv.setInt16(70, 32, true); dv.setInt16(72, 64, true); }), text: /COMPLEX64/ },
  { name: 'float128.nii', bytes: () => edit((dv) => { dv.setInt16(70, 1536, true); dv.setInt16(72, 128, true); }), text: /FLOAT128/ },
];

test('each bad file gets a readable error in the UI; the loaded layer and memory are untouched', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await serveFixtures(page, { 'good.nii': good() });
  await openEmpty(page);
  const ok = await loadInPage(page, '/__fixtures__/good.nii');
  await page.evaluate(() => window.voxlens.frame());
  const memory = await page.evaluate(() => window.voxlens.memory());

  for (const c of CASES) {
    await page.getByTestId('file-input').setInputFiles({ name: c.name, mimeType: 'application/octet-stream', buffer: Buffer.from(c.bytes()) });
    const alert = page.getByRole('alert').filter({ hasText: `Could not open ${c.name}` });
    await expect(alert).toContainText(c.text);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toHaveCount(0);
  }
  expect(await page.evaluate(() => window.voxlens.layers().map((l) => l.id))).toEqual([ok.id]);
  expect(await page.evaluate(() => window.voxlens.memory())).toEqual(memory);
  expect(await page.evaluate(() => window.voxlens.probe({ ijk: [5, 4, 3] })[0].raw)).toBe(5 + 6 * (4 + 5 * 3));
  expect(errors).toEqual([]);
});

test('the API rejects with { code, message }', async ({ page }) => {
  await serveFixtures(page, { 'complex.nii': CASES[9].bytes() });
  await openEmpty(page);
  expect(await loadInPage(page, '/__fixtures__/complex.nii')).toMatchObject({ code: 'unsupported-dtype', message: expect.stringContaining('COMPLEX64') });
  expect(await loadInPage(page, '/__fixtures__/missing.nii')).toMatchObject({ code: 'fetch-failed', message: expect.stringContaining('404') });
});

test('a URL that answers with a web page (the server has no such file) says so: status, content type, an HTML page', async ({ page }) => {
  await openEmpty(page);
  // The preview server answers a path it does not have with the app's index page (HTTP 200).
  const r = await loadInPage(page, '/no-such-volume.nii');
  expect(r.code).toBe('unknown-format');
  expect(r.message).toContain('/no-such-volume.nii answered HTTP 200 (text/html) with an HTML page');
  expect(r.message).toContain('Check the URL');
  await expect(page.getByRole('alert').filter({ hasText: 'no-such-volume.nii' })).toContainText('HTTP 200 (text/html)');
});
