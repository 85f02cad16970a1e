// DICOM series from files, in the browser: every series of ../shared/data against its manifest
// (dims, datatype, rescale, affine, exact probes), shuffled drops with a non-DICOM file, a missing
// slice, several series in one drop, and the metadata panel. Skips without ../shared/data.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { close, hasSharedData, loadManifest, SHARED_DATA_DIR, SKIP_REASON, type ManifestEntry } from '../src/testing/sharedData';
import { openEmpty, raisedNotice, serveSharedData } from './helpers';

test.skip(!hasSharedData, SKIP_REASON);

type DicomEntry = ManifestEntry & { transfer_syntax: string; transfer_syntax_name: string; sorted_files: string[]; slope: number; inter: number };
const entries = () => loadManifest().filter((e) => e.format === 'dicom') as DicomEntry[];
/** Codecs not built yet: these series must be refused by name. */
const NOT_YET: string[] = [];

const filesOf = (entry: DicomEntry) => readdirSync(join(SHARED_DATA_DIR, entry.file)).filter((f) => !f.startsWith('.'));

/** Puts files into the page as File objects: shared-data files fetched there (fast), others as text. */
async function pageFiles(page: Page, files: { name: string; path?: string; text?: string }[]) {
  await page.evaluate(async (list) => {
    (window as unknown as { testFiles: File[] }).testFiles = await Promise.all(
      list.map(async (f) => new File([f.path ? await (await fetch(`/__shared__/${f.path}`)).blob() : (f.text ?? '')], f.name)),
    );
  }, files);
}

async function drop(page: Page) {
  await page.evaluate(() => {
    const dt = new DataTransfer();
    for (const f of (window as unknown as { testFiles: File[] }).testFiles) dt.items.add(f);
    const target = document.querySelector('.app')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
}

const shuffled = <T,>(a: T[]) => a.map((x, i) => [((i * 7919) % 101) + i / 1000, x] as const).sort((p, q) => p[0] - q[0]).map(([, x]) => x);

test('every DICOM series of ../shared/data by URL: dims, datatype, rescale, affine and exact probes; codecs not built yet are refused by name', async ({ page }) => {
  test.setTimeout(180_000);
  await serveSharedData(page);
  await openEmpty(page);
  for (const entry of entries()) {
    const urls = shuffled(filesOf(entry)).map((f) => `/__shared__/${entry.file}/${f}`);
    const r = await page.evaluate(
      (list) =>
        window.voxlens.load(list).then(
          (info) => ({ info, error: undefined }),
          (e: { code: string; message: string }) => ({ info: undefined, error: { code: e.code, message: e.message } }),
        ),
      urls,
    );
    if (NOT_YET.includes(entry.transfer_syntax)) {
      expect(r.error?.code, entry.file).toBe('unsupported-format');
      expect(r.error?.message).toContain(entry.transfer_syntax);
      continue;
    }
    expect(r.error, `${entry.file}: ${r.error?.message}`).toBeUndefined();
    const info = r.info!;
    expect(info.format).toBe('dicom');
    expect(info.dims, entry.file).toEqual(entry.dims);
    expect(info.datatype).toBe(entry.datatype.toLowerCase());
    expect([info.slope, info.inter]).toEqual([entry.slope, entry.inter]);
    expect(info.axcodes).toBe(entry.axcodes);
    entry.affine.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(info.affine[i][j] - v), `${entry.file} affine[${i}][${j}]`).toBeLessThan(1e-3)));
    const probes = await page.evaluate(([id, ijks]) => ijks.map((ijk) => window.voxlens.probe({ ijk }, id)[0]), [info.id, entry.probes.map((p) => p.ijk)] as const);
    entry.probes.forEach((p, n) => {
      expect(probes[n].raw, `${entry.file} ${p.label}`).toBe(p.raw);
      expect(close(probes[n].scaled as number, p.scaled as number), `${entry.file} ${p.label} scaled`).toBe(true);
    });
    await page.evaluate((id) => window.voxlens.close(id), info.id);
  }
  expect(await page.evaluate(() => window.voxlens.memory().liveBytes)).toBe(0);
});

test('a dropped series, shuffled, with a text file among it: one layer, the text file skipped with a notice, the metadata panel and its not-for-diagnosis note', async ({ page }) => {
  const entry = entries().find((e) => e.file === 'dicom/philips_ct_head_phantom')!;
  await serveSharedData(page);
  await openEmpty(page);
  const files = shuffled(filesOf(entry)).map((name) => ({ name, path: `${entry.file}/${name}` }));
  await pageFiles(page, [...files.slice(0, 5), { name: 'README.txt', text: 'not an image' }, ...files.slice(5)]);
  await drop(page);
  await page.waitForFunction(() => window.voxlens.layers().length === 1 && !window.voxlens.layers()[0].arriving);
  const info = await page.evaluate(() => window.voxlens.layers()[0]);
  expect(info.dims).toEqual(entry.dims);
  const probe = await page.evaluate(([id, ijk]) => window.voxlens.probe({ ijk }, id)[0], [info.id, entry.probes[3].ijk] as const);
  expect(probe.raw).toBe(entry.probes[3].raw);
  await raisedNotice(page, 'info', 'README.txt');
  const panel = page.getByTestId('dicom-panel');
  await expect(panel).toContainText('Not for diagnostic use');
  await expect(panel).toContainText('CT');
  await expect(panel).toContainText(`${entry.dims[2]} · Explicit VR Little Endian`);
  // CT: the probe shows Hounsfield units (rescaled) next to the stored value.
  await expect(page.getByTestId('probe-scaled').first()).toContainText('HU');
});

test('a series with a slice taken out loads with a warning naming where the slice is missing', async ({ page }) => {
  const entry = entries().find((e) => e.file === 'dicom/ge_epi_axial_i2s')!;
  await serveSharedData(page);
  await openEmpty(page);
  const names = entry.sorted_files.filter((_, i) => i !== 7);
  await pageFiles(page, names.map((name) => ({ name, path: `${entry.file}/${name}` })));
  await drop(page);
  await page.waitForFunction(() => window.voxlens.layers().length === 1 && !window.voxlens.layers()[0].arriving);
  await raisedNotice(page, 'warning', /missing/i);
});

test('two series in one drop: the picker lists both (largest first) and opens the one chosen', async ({ page }) => {
  const ct = entries().find((e) => e.file === 'dicom/philips_ct_head_phantom')!;
  const mr = entries().find((e) => e.file === 'dicom/ge_epi_axial_i2s')!;
  await serveSharedData(page);
  await openEmpty(page);
  const read = (e: DicomEntry) => filesOf(e).map((name) => ({ name: `${e.file.split('/')[1]}-${name}`, path: `${e.file}/${name}` }));
  await pageFiles(page, [...read(mr), ...read(ct)]);
  await drop(page);
  const picker = page.getByTestId('series-picker');
  await expect(picker.getByTestId('series-option')).toHaveCount(2);
  await expect(picker.getByTestId('series-option').first()).toContainText('15 images');
  // Each series shows its middle slice once the worker has decoded it.
  for (const thumb of await picker.getByTestId('series-thumbnail').all()) await expect(thumb).toHaveAttribute('data-ready', 'yes');
  await picker.getByTestId('series-option').filter({ hasText: 'CT' }).click();
  await page.waitForFunction(() => window.voxlens.layers().length === 1 && !window.voxlens.layers()[0].arriving);
  expect(await page.evaluate(() => window.voxlens.layers()[0].dims)).toEqual(ct.dims);
  await expect(picker).toHaveCount(0);
  // Through the API, several series need { series }.
  const refused = await page.evaluate(() =>
    window.voxlens.load((window as unknown as { testFiles: File[] }).testFiles).then(
      () => null,
      (e: { code: string }) => e.code,
    ),
  );
  expect(refused).toBe('several-series');
});

test('hostile DICOM (cut short, a lying Pixel Data length, Rows × Columns past the pixel data, an unknown transfer syntax): typed errors, nothing allocated, the loaded layer untouched', async ({ page }) => {
  const entry = entries().find((e) => e.file === 'dicom/ge_epi_axial_i2s')!;
  const good = readFileSync(join(SHARED_DATA_DIR, entry.file, entry.sorted_files[3]));
  const find = (bytes: Buffer, seq: number[]) => bytes.findIndex((_, i) => seq.every((b, j) => bytes[i + j] === b));
  const edit = (f: (b: Buffer) => void) => {
    const b = Buffer.from(good);
    f(b);
    return b;
  };
  const pixelTag = find(good, [0xe0, 0x7f, 0x10, 0x00]);
  const rowsTag = find(good, [0x28, 0x00, 0x10, 0x00, 0x55, 0x53]);
  const tsAt = good.indexOf('1.2.840.10008.1.2.1');
  const cases: [string, Buffer, RegExp][] = [
    ['cut.dcm', good.subarray(0, Math.floor(good.length * 0.7)), /truncated/],
    ['lying-length.dcm', edit((b) => b.writeUInt32LE(0x7ffffff0, pixelTag + 8)), /truncated|bad-header/],
    ['huge-rows.dcm', edit((b) => b.writeUInt16LE(60000, rowsTag + 8)), /truncated/],
    ['unknown-syntax.dcm', edit((b) => b.write('1.2.840.99999.1.2.1', tsAt, 'latin1')), /unsupported-format/],
  ];
  await serveSharedData(page);
  await openEmpty(page);
  const first = await page.evaluate((url) => window.voxlens.load(url).then((i) => i.id), `/__shared__/FA.nii`);
  // The exact value range arrives after the load: wait for it, or layers() changes under the test.
  await page.waitForFunction(() => window.voxlens.layers().every((l) => l.range.exact));
  const before = await page.evaluate(() => ({ layers: window.voxlens.layers(), live: window.voxlens.memory().liveBytes }));
  for (const [name, bytes, code] of cases) {
    const r = await page.evaluate(
      ([n, data]) =>
        window.voxlens.load(new File([new Uint8Array(data)], n)).then(
          () => ({ code: 'loaded', message: '' }),
          (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
        ),
      [name, Array.from(bytes)] as const,
    );
    expect(r.code, `${name}: ${r.message}`).toMatch(code);
    expect(r.message.length).toBeGreaterThan(20);
    expect(await page.evaluate(() => ({ layers: window.voxlens.layers(), live: window.voxlens.memory().liveBytes })), name).toEqual(before);
  }
  expect(await page.evaluate((id) => window.voxlens.probe({ ijk: [42, 46, 28] }, id)[0].raw, first)).toBeCloseTo(0.8848257, 6);
});
