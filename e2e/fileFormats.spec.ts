// Formats beyond single-file NIfTI, in the browser: MGH/MGZ, NIfTI and Analyze .hdr/.img pairs,
// NRRD attached and detached, loaded by URL, by the URL box, by voxlens.load([...]) and by a drop
// of several files; and remote hosts that refuse cross-origin reads, served over real HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { encodeAnalyzePair, encodeNiftiPair } from '../src/io/decoders/analyzeWrite';
import { encodeMgz } from '../src/io/decoders/mghWrite';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { encodeNrrd } from '../src/io/decoders/nrrdWrite';
import { loadInPage, openEmpty, raisedNotice, serveFixtures } from './helpers';

const DIMS = [6, 5, 4];
const N = DIMS[0] * DIMS[1] * DIMS[2];
/** Every voxel's value says where it is: i + 10 j + 100 k (plus an offset per file). */
const ramp = (offset = 0) => Int32Array.from({ length: N }, (_, v) => offset + (v % 6) + 10 * (Math.floor(v / 6) % 5) + 100 * Math.floor(v / 30));
const int16Bytes = (offset = 0) => new Uint8Array(Int16Array.from(ramp(offset)).buffer);

const probeAt = (page: Page, id: string, ijk: number[]) => page.evaluate(([layer, at]) => window.voxlens.probe({ ijk: at }, layer)[0].raw, [id, ijk] as const);

/** Files as the page's File objects, for voxlens.load([...]) and drops. */
async function asFiles(page: Page, files: Record<string, Uint8Array>): Promise<void> {
  await page.evaluate((entries) => {
    (window as unknown as { testFiles: File[] }).testFiles = entries.map(([name, data]) => new File([new Uint8Array(data)], name));
  }, Object.entries(files).map(([name, b]) => [name, Array.from(b)] as [string, number[]]));
}

test('MGZ int32 stays exact (R32I), with the vox2ras geometry and the tags after the voxels ignored', async ({ page }) => {
  const values = ramp(-2_000_000_000);
  const mgz = encodeMgz({ dims: DIMS, type: 1, data: new Uint8Array(values.buffer), bytesPerValue: 4, delta: [2, 2, 2], cras: [10, 20, 30], trailer: new Uint8Array(64).fill(7) });
  await serveFixtures(page, { 'seg.mgz': mgz });
  await openEmpty(page);
  const r = await loadInPage(page, '/__fixtures__/seg.mgz');
  expect(r.message).toBeUndefined();
  const info = await page.evaluate((id) => window.voxlens.layers().find((l) => l.id === id)!, r.id!);
  expect(info).toMatchObject({ format: 'mgh', datatype: 'int32', dims: DIMS, axcodes: 'LIA', texture: { internalFormat: 'R32I' } });
  expect(await probeAt(page, r.id!, [5, 4, 3])).toBe(values[5 + 6 * 4 + 30 * 3]);
  // FreeSurfer's scanner vox2ras: M = Mdc·diag(delta), P0 = c_ras − M·(dims / 2), dims / 2 = (3, 2.5, 2).
  expect(info.affine).toEqual([
    [-2, 0, 0, 16],
    [0, 0, 2, 16],
    [0, -2, 0, 35],
    [0, 0, 0, 1],
  ]);
});

test('a NIfTI .hdr/.img pair loads from voxlens.load([hdr, img]) in either order, and by URL with the .img found beside it', async ({ page }) => {
  const pair = encodeNiftiPair({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Bytes(), littleEndian: false });
  await serveFixtures(page, { 'brain.hdr': pair.hdr, 'brain.img': pair.img });
  await openEmpty(page);
  const byUrl = await loadInPage(page, '/__fixtures__/brain.hdr');
  expect(byUrl.message).toBeUndefined();
  expect(await probeAt(page, byUrl.id!, [4, 3, 2])).toBe(234);
  await asFiles(page, { 'scan.img': pair.img, 'scan.hdr': pair.hdr });
  const byFiles = await page.evaluate(async () => {
    const info = await window.voxlens.load((window as unknown as { testFiles: File[] }).testFiles);
    return { name: info.name, format: info.format, raw: window.voxlens.probe({ ijk: [5, 4, 3] }, info.id)[0].raw };
  });
  expect(byFiles).toEqual({ name: 'scan.hdr', format: 'nifti1-pair', raw: 345 });
});

test('an Analyze 7.5 pair loads with a visible notice that its orientation is ambiguous', async ({ page }) => {
  const pair = encodeAnalyzePair({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Bytes(), orient: 0 });
  await serveFixtures(page, { 'old.hdr': pair.hdr, 'old.img': pair.img });
  await openEmpty(page);
  const r = await loadInPage(page, '/__fixtures__/old.hdr');
  expect(r.message).toBeUndefined();
  expect(await probeAt(page, r.id!, [1, 2, 3])).toBe(321);
  const notice = await raisedNotice(page, 'warning', 'old.hdr');
  expect(notice).toMatch(/Analyze/);
  expect(notice).toMatch(/left and right/i);
});

test('a detached NRRD (.nhdr + gzip data) opens by URL, and a drop of several files groups header and data and keeps the drop order', async ({ page }) => {
  const nrrd = encodeNrrd({ type: 'short', sizes: DIMS, data: int16Bytes(), encoding: 'gzip', endian: 'little', space: 'left-posterior-superior', directions: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], origin: [0, 0, 0], dataFile: 'vol.raw.gz' });
  if (!('header' in nrrd)) throw new Error('expected a detached NRRD');
  const nifti = encodeNifti({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Bytes(1000) });
  await serveFixtures(page, { 'vol.nhdr': nrrd.header, 'vol.raw.gz': nrrd.dataFiles['vol.raw.gz'] });
  await openEmpty(page);
  const byUrl = await loadInPage(page, '/__fixtures__/vol.nhdr');
  expect(byUrl.message).toBeUndefined();
  expect(await page.evaluate((id) => window.voxlens.layers().find((l) => l.id === id)!.axcodes, byUrl.id!)).toBe('LPS');
  expect(await probeAt(page, byUrl.id!, [2, 1, 3])).toBe(312);

  // Dropped: a NIfTI first, then the data file before its header: two layers, NIfTI at the bottom.
  await asFiles(page, { 'first.nii': nifti, 'vol.raw.gz': nrrd.dataFiles['vol.raw.gz'], 'vol.nhdr': nrrd.header });
  await page.evaluate(() => window.voxlens.close(window.voxlens.layers()[0].id));
  await page.evaluate(() => {
    const dt = new DataTransfer();
    for (const f of (window as unknown as { testFiles: File[] }).testFiles) dt.items.add(f);
    const target = document.querySelector('.app')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => window.voxlens.layers().length === 2);
  const layers = await page.evaluate(() => window.voxlens.layers().map((l) => ({ name: l.name, raw: window.voxlens.probe({ ijk: [2, 1, 3] }, l.id)[0].raw })));
  expect(layers).toEqual([
    { name: 'first.nii', raw: 1312 },
    { name: 'vol.nhdr', raw: 312 },
  ]);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a header without its data file says which file it needs; nothing is allocated and loaded layers stay', async ({ page }) => {
  const nrrd = encodeNrrd({ type: 'short', sizes: DIMS, data: int16Bytes(), encoding: 'raw', endian: 'little', dataFile: 'missing.raw' });
  if (!('header' in nrrd)) throw new Error('expected a detached NRRD');
  await serveFixtures(page, { 'good.nii': encodeNifti({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Bytes() }) });
  await openEmpty(page);
  const good = await loadInPage(page, '/__fixtures__/good.nii');
  // The exact value range arrives after the load: wait for it, or layers() changes under the test.
  await page.waitForFunction(() => window.voxlens.layers().every((l) => l.range.exact));
  const before = await page.evaluate(() => ({ layers: window.voxlens.layers(), memory: window.voxlens.memory() }));
  await asFiles(page, { 'alone.nhdr': nrrd.header });
  await page.getByTestId('file-input').setInputFiles({ name: 'alone.nhdr', mimeType: 'application/octet-stream', buffer: Buffer.from(nrrd.header) });
  const alert = page.getByRole('alert').filter({ hasText: 'alone.nhdr' });
  await expect(alert).toContainText('missing.raw');
  await expect(alert).toHaveAttribute('data-code', 'missing-file');
  const after = await page.evaluate(() => ({ layers: window.voxlens.layers(), memory: window.voxlens.memory() }));
  expect(after.layers).toEqual(before.layers);
  expect(after.memory.liveBytes).toBe(before.memory.liveBytes);
  expect(await probeAt(page, good.id!, [1, 1, 1])).toBe(111);
});

test('the URL box opens a volume by its address', async ({ page }) => {
  await serveFixtures(page, { 'typed.nii': encodeNifti({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Bytes() }) });
  await openEmpty(page);
  await page.getByRole('button', { name: 'URL…' }).click();
  await page.getByTestId('url-input').fill(new URL('/__fixtures__/typed.nii', page.url()).href);
  await page.getByTestId('url-input').press('Enter');
  await page.waitForFunction(() => window.voxlens.layers().length === 1);
  expect(await page.evaluate(() => window.voxlens.layers()[0].name)).toBe('typed.nii');
  await expect(page.getByTestId('url-input')).toHaveCount(0);
});

test.describe('a host on another origin, over real HTTP', () => {
  let server: Server;
  let base = '';
  const file = encodeNifti({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Bytes() });
  test.beforeAll(async () => {
    server = createServer((req, res) => {
      const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
      if (req.url?.startsWith('/cors/')) headers['access-control-allow-origin'] = '*';
      if (req.url?.startsWith('/corp/')) headers['cross-origin-resource-policy'] = 'cross-origin';
      res.writeHead(200, headers);
      res.end(Buffer.from(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a host that sends Access-Control-Allow-Origin is read (isolation needs nothing more); one that does not is named, with the header it must send', async ({ page }) => {
    await openEmpty(page);
    const allowed = await loadInPage(page, `${base}/cors/ok.nii`);
    expect(allowed.message).toBeUndefined();
    expect(await probeAt(page, allowed.id!, [1, 2, 3])).toBe(321);

    // Answers, with CORP but without CORS: the probe proves the host is there.
    const refused = await loadInPage(page, `${base}/corp/no-cors.nii`);
    expect(refused.code).toBe('fetch-failed');
    expect(refused.message).toContain('answered but refuses cross-origin reads');
    expect(refused.message).toContain('Access-Control-Allow-Origin: http://127.0.0.1:');

    // Neither header: under isolation the browser cannot tell this from a host that is down.
    const silent = await loadInPage(page, `${base}/plain/none.nii`);
    expect(silent.code).toBe('fetch-failed');
    expect(silent.message).toContain("did not answer, or answered without the CORS header");
    expect(silent.message).toContain('Cross-Origin-Resource-Policy');
    await expect(page.getByRole('alert').filter({ hasText: 'none.nii' })).toContainText('Access-Control-Allow-Origin');
    expect(await page.evaluate(() => window.voxlens.layers().length)).toBe(1);
  });
});

test('a detached NRRD cancelled while its data file streams gives its buffer back; the header and data downloads both stop', async ({ page }) => {
  const dims = [128, 128, 160];
  const voxelBytes = dims[0] * dims[1] * dims[2] * 2;
  const nrrd = encodeNrrd({ type: 'short', sizes: dims, data: new Uint8Array(voxelBytes), encoding: 'raw', endian: 'little', dataFile: 'big.raw' });
  if (!('header' in nrrd)) throw new Error('expected a detached NRRD');
  const data = nrrd.dataFiles['big.raw'];
  let dataClosed = false;
  const server = createServer((req, res) => {
    const headers = { 'content-type': 'application/octet-stream', 'access-control-allow-origin': '*' };
    if (req.url === '/big.nhdr') return res.writeHead(200, headers).end(Buffer.from(nrrd.header));
    res.writeHead(200, { ...headers, 'content-length': String(data.length) });
    res.write(data.subarray(0, 4.5 * 1024 * 1024)); // then stall
    res.on('close', () => (dataClosed = true));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await serveFixtures(page, { 'a.nii': encodeNifti({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Bytes() }) });
    await openEmpty(page);
    const a = await loadInPage(page, '/__fixtures__/a.nii');
    await page.evaluate(() => window.voxlens.frame());
    const before = await page.evaluate(() => window.voxlens.memory());
    const pending = loadInPage(page, `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.nhdr`);
    const progress = page.getByTestId('load-progress');
    await page.waitForFunction(() => (document.querySelector<HTMLProgressElement>('[data-testid="load-progress"] progress')?.value ?? 0) > 0);
    const during = await page.evaluate(() => window.voxlens.memory());
    // The decoder's pin, and the texture's, made when the header was read and filled as the data streams.
    expect(during.buffers.filter((b) => b.bytes === voxelBytes).map((b) => b.pins.map((p) => p.owner))).toEqual([['decode', 'texture']]);
    await progress.getByRole('button', { name: 'Cancel' }).click();
    expect((await pending).code).toBe('cancelled');
    await expect(progress).toHaveCount(0);
    expect(await page.evaluate(() => window.voxlens.memory())).toEqual(before);
    expect(await probeAt(page, a.id!, [5, 4, 3])).toBe(345);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect.poll(() => dataClosed).toBe(true);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
