// OME-Zarr by URL: pyramids written by scripts/makeOmeZarr.ts (NGFF 0.4 on Zarr v2 with blosc,
// 0.5 on Zarr v3 with gzip) served over HTTP, read by the Zarr worker: dims, affine from the
// level's scale and translation, exact probes against the formula the volume was made from; a
// budget too small for level 0 shows level 1 and says so; a missing or non-OME group is an error.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { volumeFromFile, writeOmeZarr, type ZarrVolume } from '../scripts/makeOmeZarr';
import { close, hasSharedData, SHARED_DATA_DIR, SKIP_REASON, volumeEntries } from '../src/testing/sharedData';
import { openEmpty, raisedNotice, serveFixtures } from './helpers';

const dims: [number, number, number] = [40, 36, 20];
const formula = (i: number, j: number, k: number) => ((i * 7 + j * 13 + k * 31) % 2000) - 1000;
const values = new Int16Array(dims[0] * dims[1] * dims[2]);
for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) values[(k * dims[1] + j) * dims[0] + i] = formula(i, j, k);
const volume: ZarrVolume = { dims, datatype: 'int16', values, spacing: [0.5, 0.75, 2], origin: [-10, 5, 3], name: 'formula' };
const ijks = [
  [0, 0, 0],
  [39, 35, 19],
  [17, 3, 11],
  [31, 22, 5],
];

const files: Record<string, Uint8Array> = {};
test.beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'voxlens-omezarr-e2e-'));
  try {
    for (const [name, zarrVersion, codec] of [['v2-blosc.ome.zarr', 2, 'blosc'], ['v3-gzip.ome.zarr', 3, 'gzip']] as const) {
      for (const rel of await writeOmeZarr(join(root, name), volume, { zarr: zarrVersion, codec, chunk: 16 })) files[`${name}/${rel}`] = readFileSync(join(root, name, rel));
    }
    // Two channels (c, z, y, x) with omero labels and windows.
    const second = values.map((_, n) => n % 97);
    const twoChannels: ZarrVolume = { ...volume, label: 'DAPI', window: [-500, 500], color: '0000FF', channels: [{ values: second, label: 'GFP', window: [10, 90], color: '00FF00' }] };
    for (const rel of await writeOmeZarr(join(root, 'channels.ome.zarr'), twoChannels, { zarr: 3, codec: 'blosc', chunk: 16 })) files[`channels.ome.zarr/${rel}`] = readFileSync(join(root, 'channels.ome.zarr', rel));
    // Three time points (t, z, y, x): frames of one layer.
    const timeSeries: ZarrVolume = { ...volume, leadingAxis: 'time', channels: [1, 2].map((t) => ({ values: values.map((v) => v + 100 * t), label: `t${t}`, window: [0, 1] as [number, number] })) };
    for (const rel of await writeOmeZarr(join(root, 'time.ome.zarr'), timeSeries, { zarr: 2, codec: 'gzip', chunk: 16 })) files[`time.ome.zarr/${rel}`] = readFileSync(join(root, 'time.ome.zarr', rel));
    files['plain.zarr/.zgroup'] = new TextEncoder().encode('{"zarr_format":2}');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

for (const name of ['v2-blosc.ome.zarr', 'v3-gzip.ome.zarr']) {
  test(`${name}: dims, affine from scale and translation, exact probes at level 0`, async ({ page }) => {
    await serveFixtures(page, files);
    await openEmpty(page);
    const info = await page.evaluate((n) => window.voxlens.load(`/__fixtures__/${n}`), name);
    expect(info.format).toBe('ome-zarr');
    expect(info.dims).toEqual(dims);
    expect(info.datatype).toBe('int16');
    expect(info.affine).toEqual([
      [0.5, 0, 0, -10],
      [0, 0.75, 0, 5],
      [0, 0, 2, 3],
      [0, 0, 0, 1],
    ]);
    const raws = await page.evaluate(([id, at]) => at.map((ijk) => window.voxlens.probe({ ijk }, id)[0].raw), [info.id, ijks] as const);
    expect(raws).toEqual(ijks.map(([i, j, k]) => formula(i, j, k)));
    await raisedNotice(page, 'warning', 'no anatomical orientation');
  });
}

test('two channels become two layers named by their omero labels, each with its omero window and colour and its own exact values', async ({ page }) => {
  await serveFixtures(page, files);
  await openEmpty(page, 'layout=2x2');
  await page.evaluate(() => window.voxlens.load('/__fixtures__/channels.ome.zarr'));
  await page.waitForFunction(() => window.voxlens.layers().length === 2);
  const layers = await page.evaluate(() => window.voxlens.layers());
  expect(layers.map((l) => l.name)).toEqual(['channels.ome.zarr · DAPI', 'channels.ome.zarr · GFP']);
  expect(layers.map((l) => l.display.window)).toEqual([
    [-500, 500],
    [10, 90],
  ]);
  expect(layers.map((l) => l.display.colormap)).toEqual(['blue', 'green']);
  const [i, j, k] = [17, 3, 11];
  const raws = await page.evaluate(([ids, at]) => ids.map((id) => window.voxlens.probe({ ijk: at }, id)[0].raw), [layers.map((l) => l.id), [i, j, k]] as [string[], number[]]);
  expect(raws).toEqual([formula(i, j, k), ((k * dims[1] + j) * dims[0] + i) % 97]);
  await page.evaluate(() => window.voxlens.frame());
  await page.screenshot({ path: test.info().outputPath('channels.png') });
});

test('time points become the frames of one layer, each exact', async ({ page }) => {
  await serveFixtures(page, files);
  await openEmpty(page);
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/time.ome.zarr'));
  expect(info.dims).toEqual([...dims, 3]);
  const raws = await page.evaluate((id) => [0, 1, 2].map((t) => window.voxlens.probe({ ijk: [17, 3, 11, t] }, id)[0].raw), info.id);
  expect(raws).toEqual([0, 1, 2].map((t) => formula(17, 3, 11) + 100 * t));
});

test('a voxel budget too small for level 0 draws level 1 and says so; probes still read the full resolution, "loading" until each chunk arrives', async ({ page }) => {
  await serveFixtures(page, files);
  await openEmpty(page, 'budgetMiB=0.1');
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/v3-gzip.ome.zarr'));
  expect(info.dims).toEqual([20, 18, 10]);
  expect(info.affine[0][0]).toBe(1);
  expect(info.affine[2][2]).toBe(4);
  expect(await raisedNotice(page, 'warning', 'level 1')).toContain('Probes read the full resolution');
  // Full-resolution voxels: the first read starts the chunk's fetch and says so, the awaited one is exact.
  const first = await page.evaluate((id) => window.voxlens.probe({ ijk: [17, 3, 11] }, id)[0], info.id);
  expect(first).toMatchObject({ ijk: [17, 3, 11], loading: true, fullResolution: true });
  const exact = await page.evaluate((id) => window.voxlens.probeAsync({ ijk: [31, 22, 5] }, id), info.id);
  expect(exact[0]).toMatchObject({ ijk: [31, 22, 5], raw: formula(31, 22, 5), fullResolution: true });
  // By world point, as the panel reads it: the full-resolution voxel nearest the point.
  const world: [number, number, number] = [-10 + 0.5 * 9, 5 + 0.75 * 30, 3 + 2 * 14];
  const byWorld = await page.evaluate((w) => window.voxlens.probeAsync({ world: w }), world);
  expect(byWorld[0]).toMatchObject({ ijk: [9, 30, 14], raw: formula(9, 30, 14) });
  await page.evaluate((w) => window.voxlens.setCrosshair(w), world);
  await expect(page.getByTestId('probe-raw').first()).toHaveText(String(formula(9, 30, 14)));
  await expect(page.getByTestId('probe-ijk').first()).toContainText('9, 30, 14 full resolution');
  // The chunks read stay in the chunk cache (shown in the memory panel), unpinned once read.
  const chunks = await page.evaluate(() => window.voxlens.memory().chunks);
  expect(chunks.chunks).toBeGreaterThanOrEqual(2);
  expect(chunks.pinnedBytes).toBe(0);
  await expect(page.getByTestId('memory-chunks')).toContainText('Full-resolution chunks');
  await page.screenshot({ path: test.info().outputPath('coarse-level.png') });
});

test('a URL with no Zarr group, and a Zarr group that is not an OME image: typed errors, nothing added', async ({ page }) => {
  await serveFixtures(page, files);
  await openEmpty(page);
  const codes = await page.evaluate(async () =>
    Promise.all(
      ['/__fixtures__/nothing.ome.zarr', '/__fixtures__/plain.zarr'].map((u) =>
        window.voxlens.load(u).then(
          () => 'loaded',
          (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
        ),
      ),
    ),
  );
  expect(codes[0]).toMatch(/^missing-file: .*nothing\.ome\.zarr/);
  expect(codes[1]).toMatch(/^unknown-format: .*multiscales/);
  expect(await page.evaluate(() => window.voxlens.layers().length)).toBe(0);
});

test('every 3D single-channel volume of ../shared/data as an OME-Zarr pyramid (v2 blosc and v3 gzip in turn): level 0 probes equal the manifest', async ({ page }) => {
  test.skip(!hasSharedData, SKIP_REASON);
  test.setTimeout(180_000);
  const root = mkdtempSync(join(tmpdir(), 'voxlens-omezarr-shared-'));
  const served: Record<string, Uint8Array> = {};
  const entries = volumeEntries().filter((e) => e.dims.length === 3 && !Array.isArray(e.probes[0]?.raw));
  try {
    for (const [n, e] of entries.entries()) {
      const name = `shared${n}.ome.zarr`;
      const v3 = n % 2 === 1;
      for (const rel of await writeOmeZarr(join(root, name), await volumeFromFile(join(SHARED_DATA_DIR, e.file)), { zarr: v3 ? 3 : 2, codec: v3 ? 'gzip' : 'blosc', chunk: 64 })) served[`${name}/${rel}`] = readFileSync(join(root, name, rel));
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  await serveFixtures(page, served);
  await openEmpty(page, 'layout=axial');
  for (const [n, e] of entries.entries()) {
    const r = await page.evaluate(async ([url, ijks]) => {
      const info = await window.voxlens.load(url);
      const raws = ijks.map((ijk) => window.voxlens.probe({ ijk }, info.id)[0].raw as number);
      window.voxlens.close(info.id);
      return { dims: info.dims, raws };
    }, [`/__fixtures__/shared${n}.ome.zarr`, e.probes.map((p) => p.ijk)] as [string, number[][]]);
    expect(r.dims, e.file).toEqual(e.dims);
    r.raws.forEach((raw, i) => expect(close(raw, e.probes[i].raw as number), `${e.file} at ${e.probes[i].ijk.join(',')}: ${raw} vs ${String(e.probes[i].raw)}`).toBe(true));
  }
});
