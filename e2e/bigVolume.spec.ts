// Volumes one texture cannot hold: an axis of 3000 voxels (past MAX_3D_TEXTURE_SIZE, 2048 here) is
// drawn whole from bricks (tiles along x and y, z-slabs), each over its part of the memory; a
// texture larger than ?gpuBudgetMiB= leaves room for (a NIfTI file and a DICOM series) is drawn in
// every pane from a display level (one stored voxel in 2 along the long axis), while probes, pins,
// profiles, label volumes and views read the full grid exactly; closing the layer lets go of both
// buffers.
import { gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { ctSeries, type CtSeries } from '../scripts/makeDicomSeries';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { loadInPage, loseAndRestoreContext, openEmpty, raisedNotice, raisedNotices, serveFixtures, stripIsolationHeaders } from './helpers';
import { grab } from './pixels';

const value = (i: number, j: number, k: number) => ((i * 3 + j * 17 + k * 29) % 1500) - 200;

/** `outlier`: one voxel [i, j, k, value] off the formula. */
function niftiFile(dims: [number, number, number], mm: [number, number, number], outlier?: [number, number, number, number]): Uint8Array {
  const [nx, ny, nz] = dims;
  const v = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) v[(k * ny + j) * nx + i] = value(i, j, k);
  if (outlier) v[(outlier[2] * ny + outlier[1]) * nx + outlier[0]] = outlier[3];
  const affine = [mm[0], 0, 0, -((nx - 1) * mm[0]) / 2, 0, mm[1], 0, -((ny - 1) * mm[1]) / 2, 0, 0, mm[2], -((nz - 1) * mm[2]) / 2, 0, 0, 0, 1];
  return encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(v.buffer), affine });
}

async function lit(page: Page, pane: string): Promise<number> {
  const shot = await grab(page.getByTestId(`view-${pane}`));
  let n = 0;
  for (let y = 0; y < shot.height; y += 3) for (let x = 0; x < shot.width; x += 3) if (Math.max(...shot.at(x, y)) > 30) n++;
  return n;
}

/** Every slice of a generated series, by file name, for serveFixtures. */
const seriesFiles = (series: CtSeries): Record<string, Uint8Array> => Object.fromEntries(Array.from({ length: series.dims[2] }, (_, k) => [series.fileName(k), series.file(k)]));

const pinnedBuffers = (page: Page) => page.evaluate(() => window.voxlens.memory().buffers.filter((b) => b.pins.length > 0).map((b) => ({ bytes: b.bytes, owners: b.pins.map((p) => p.owner).sort() })));

/**
 * Pixels of `pane` along a line (`samples` of them), each checked against the probe at the point
 * under it: its grey is `grey(raw)`, unless the point is within `edge` (per axis, in voxels) of a
 * voxel edge, where the pixel and the pointer may fall on different voxels. The slices met (or
 * the indices met along `axis`).
 */
async function checkLine(page: Page, pane: string, from: [number, number], to: [number, number], opts: { toIjk: (w: number[]) => number[]; grey: (raw: number) => number; stored: (ijk: number[]) => number; edge?: number[]; samples?: number; axis?: number }): Promise<Set<number>> {
  const { edge = [0.3, 0.3, 0.3], samples = 40, axis = 2 } = opts;
  const el = page.getByTestId(`view-${pane}`);
  const box = (await el.boundingBox())!;
  const shot = await grab(el);
  const met = new Set<number>();
  for (let n = 0; n <= samples; n++) {
    const x = Math.round(from[0] + ((to[0] - from[0]) * n) / samples), y = Math.round(from[1] + ((to[1] - from[1]) * n) / samples);
    await page.mouse.move(box.x + x + 0.5, box.y + y + 0.5);
    const at = await page.evaluate(() => {
      const w = window.voxlens.cursor();
      return w && { w, p: window.voxlens.probe({ world: w })[0] };
    });
    if (!at || !at.p.inside) continue;
    if (opts.toIjk(at.w).some((c, a) => Math.abs(c - Math.round(c)) > edge[a])) continue;
    met.add(at.p.ijk[axis]);
    expect(at.p.raw).toBe(opts.stored(at.p.ijk));
    expect(Math.abs(shot.at(x, y)[0] - opts.grey(Number(at.p.raw))), `${pane} pixel ${x},${y} (voxel ${at.p.ijk.join(',')})`).toBeLessThanOrEqual(2);
  }
  return met;
}

/** A grid whose neighbours along every axis differ by a grey level or more (window [0, 1200]), so a fetch from the wrong brick shows. */
const shade = (i: number, j: number, k: number) => ((i * 3 + j * 5 + k * 11) % 13) * 100;

function shadedFile(dims: [number, number, number], mm: [number, number, number]): Uint8Array {
  const [nx, ny, nz] = dims;
  const v = new Int16Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) v[(k * ny + j) * nx + i] = shade(i, j, k);
  const affine = [mm[0], 0, 0, -((nx - 1) * mm[0]) / 2, 0, mm[1], 0, -((ny - 1) * mm[1]) / 2, 0, 0, mm[2], -((nz - 1) * mm[2]) / 2, 0, 0, 0, 1];
  return encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(v.buffer), affine });
}

/**
 * A shadedFile grid served as `name` and loaded into an empty page (`query` its options): drawn
 * whole (no display level), grey over [0, 1200], nearest, one frame drawn.
 */
async function openShaded(page: Page, name: string, dims: [number, number, number], mm: [number, number, number], query: string) {
  await serveFixtures(page, { [name]: shadedFile(dims, mm) });
  await openEmpty(page, query);
  const info = await page.evaluate((url) => window.voxlens.load(url), `/__fixtures__/${name}`);
  expect(info.dims).toEqual(dims);
  expect(info.fullDims).toBeUndefined();
  await page.evaluate((id) => window.voxlens.setDisplay(id, { window: [0, 1200], colormap: 'gray', interpolation: 'nearest' }), info.id);
  await page.evaluate(() => window.voxlens.frame());
  return info;
}

/** checkLine's options for a shadedFile grid of `dims` and voxel size `mm`, window [0, 1200]. */
const shaded = (dims: number[], mm: number[]) => ({
  toIjk: (w: number[]) => w.map((c, a) => c / mm[a] + (dims[a] - 1) / 2),
  grey: (raw: number) => Math.round((raw / 1200) * 255),
  stored: (ijk: number[]) => shade(ijk[0], ijk[1], ijk[2]),
});

test('an axis of 3001 voxels: drawn whole at full resolution from two tiles along x (1501 + 1500) over the one buffer; every pane reads the right tile on both sides of the boundary', async ({ page }) => {
  // Odd along every axis: the panes' centres (the volume's) fall on voxel centres, the tile boundary one voxel off.
  const dims: [number, number, number] = [3001, 25, 21];
  const mm: [number, number, number] = [0.1, 2, 2];
  const info = await openShaded(page, 'long.nii', dims, mm, 'layout=2x2');
  expect((await page.evaluate(() => window.voxlens.layers()[0].texture)).tiles).toEqual([2, 1]);
  await expect(page.getByTestId('texture-slabs')).toHaveText(' in 2 × 1 tiles');
  expect(await raisedNotices(page, 'warning')).toEqual([]);
  for (const pane of ['axial', 'coronal', 'sagittal', '3d']) expect(await lit(page, pane), pane).toBeGreaterThan(40);
  await page.screenshot({ path: test.info().outputPath('long-axis.png') });
  // One buffer, pinned by the layer and the texture: both tiles are uploaded from it, no copy.
  expect(await pinnedBuffers(page)).toEqual([{ bytes: 3001 * 25 * 21 * 2, owners: ['layer', 'texture'] }]);
  for (const ijk of [[0, 0, 0], [1500, 24, 20], [1501, 0, 0], [3000, 24, 20]]) {
    const p = await page.evaluate((at) => window.voxlens.probe({ ijk: at })[0], ijk);
    expect(p, ijk.join(',')).toMatchObject({ ijk, raw: shade(ijk[0], ijk[1], ijk[2]), inside: true });
  }
  // The axial and coronal panes zoomed on the tile boundary (voxels 1500 | 1501), each voxel many pixels wide.
  await page.getByLabel('Show crosshair lines').uncheck();
  const line = shaded(dims, mm);
  for (const pane of ['axial', 'coronal']) {
    await page.evaluate((p) => window.voxlens.setLayout(p as 'axial' | 'coronal'), pane);
    const boundary = await page.evaluate(() => window.voxlens.probe({ ijk: [1501, 12, 10] })[0].world);
    await page.evaluate((w) => window.voxlens.setCrosshair([w[0] - 0.05, w[1], w[2]]), boundary);
    await page.evaluate((p) => window.voxlens.setPaneView(p as 'axial' | 'coronal', { zoom: 60 }), pane);
    await page.evaluate(() => window.voxlens.frame());
    const box = (await page.getByTestId(`view-${pane}`).boundingBox())!;
    const met = await checkLine(page, pane, [box.width * 0.2, box.height / 2 + 3], [box.width * 0.8, box.height / 2 - 3], { ...line, axis: 0 });
    expect([...met].some((i) => i < 1501) && [...met].some((i) => i >= 1501), `${pane}: x met ${[...met].sort((a, b) => a - b).join(',')}`).toBe(true);
    if (pane === 'axial') await page.screenshot({ path: test.info().outputPath('x-tiles.png') });
  }
  // After a context loss both tiles are uploaded again from the same memory.
  await loseAndRestoreContext(page);
  await page.evaluate(() => window.voxlens.frame());
  const box = (await page.getByTestId('view-coronal').boundingBox())!;
  const met = await checkLine(page, 'coronal', [box.width * 0.2, box.height / 2 + 3], [box.width * 0.8, box.height / 2 - 3], { ...line, axis: 0 });
  expect([...met].some((i) => i < 1501) && [...met].some((i) => i >= 1501)).toBe(true);
  // A view is of the grid.
  const viewed = await page.evaluate((id) => {
    const v = window.voxlens.view(id);
    const out = { length: v.array.length, at: Number(v.array[(9 * 25 + 5) * 3001 + 1777]) };
    v.release();
    return out;
  }, info.id);
  expect(viewed).toEqual({ length: 3001 * 25 * 21, at: shade(1777, 5, 9) });
  await page.evaluate((id) => window.voxlens.close(id), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await pinnedBuffers(page)).toEqual([]);
});

test('x and y past the 3D size limit in slabs of two slices (?slabMiB=): 2 × 2 tiles × 2 z-slabs, eight textures drawn as one volume, exact across every boundary', async ({ page }) => {
  const dims: [number, number, number] = [2101, 2091, 4];
  const mm: [number, number, number] = [0.1, 0.1, 1];
  // Two slices of 2101 × 2091 int16 (8.4 MiB each) per buffer.
  const info = await openShaded(page, 'wide.nii', dims, mm, 'slabMiB=18&layout=axial');
  expect(info.slabs).toEqual([2, 2]);
  expect(await page.evaluate(() => window.voxlens.layers()[0].texture)).toMatchObject({ slabs: [2, 2], tiles: [2, 2] });
  await expect(page.getByTestId('texture-slabs')).toHaveText(' in 2 × 2 tiles × 2 z-slabs');
  expect(await raisedNotices(page, 'warning')).toEqual([]);
  await page.getByLabel('Show crosshair lines').uncheck();
  const line = shaded(dims, mm);
  // Zoomed on the corner where the four tiles meet (1051 | 1050 voxels along x, 1046 | 1045 along y), on each slice.
  for (const k of [0, 1, 2, 3]) {
    const corner = await page.evaluate((kk) => window.voxlens.probe({ ijk: [1051, 1046, kk] })[0].world, k);
    await page.evaluate((w) => window.voxlens.setCrosshair([w[0] - 0.05, w[1] - 0.05, w[2]]), corner);
    await page.evaluate(() => window.voxlens.setPaneView('axial', { zoom: 150 }));
    await page.evaluate(() => window.voxlens.frame());
    const box = (await page.getByTestId('view-axial').boundingBox())!;
    const [x0, y0, x1, y1] = [box.width * 0.3, box.height * 0.3, box.width * 0.7, box.height * 0.7];
    const across = [
      await checkLine(page, 'axial', [x0, y0], [x1, y1], { ...line, axis: 0 }),
      await checkLine(page, 'axial', [x1, y0], [x0, y1], { ...line, axis: 1 }),
    ];
    expect([...across[0]].some((i) => i < 1051) && [...across[0]].some((i) => i >= 1051), `slice ${k}: x met ${[...across[0]].join(',')}`).toBe(true);
    expect([...across[1]].some((j) => j < 1046) && [...across[1]].some((j) => j >= 1046), `slice ${k}: y met ${[...across[1]].join(',')}`).toBe(true);
    if (k === 2) await page.screenshot({ path: test.info().outputPath('xy-tiles.png') });
  }
  await page.evaluate(() => window.voxlens.setLayout('3d'));
  await page.evaluate(() => window.voxlens.frame());
  expect(await lit(page, '3d')).toBeGreaterThan(40);
  await page.evaluate((id) => window.voxlens.close(id), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await pinnedBuffers(page)).toEqual([]);
});

test('?gpuBudgetMiB=: a texture larger than the budget leaves room for is drawn from a display level; the full grid stays exact', async ({ page }) => {
  // 128 × 96 × 64 int16 = 1.5 MiB of texture; the budget is 1 MiB: x is halved (0.75 MiB).
  await serveFixtures(page, { 'ct.nii': niftiFile([128, 96, 64], [1, 1, 1.5]) });
  await openEmpty(page, 'gpuBudgetMiB=1&layout=2x2');
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/ct.nii'));
  expect(info.dims).toEqual([64, 96, 64]);
  expect(info.fullDims).toEqual([128, 96, 64]);
  expect(await raisedNotice(page, 'warning', 'Drawn at 64 × 96 × 64')).toContain('more than the GPU budget has left');
  // The layer's texture, and the full-resolution details its fitted panes draw (their pixels are finer than its 2 mm voxels along x).
  await expect(page.getByTestId('memory-panel')).toContainText(/GPU textures [\d.]+ KiB \(pane detail [\d.]+ KiB\)( \+ empty-space maps [\d.]+ KiB)? · budget 1\.0 MiB/);
  await page.evaluate(() => window.voxlens.frame());
  const shown = await page.evaluate(() => window.voxlens.memory());
  expect(shown.textureBytes - shown.detailBytes).toBe(768 * 1024);
  expect(shown.textureBytes).toBeLessThanOrEqual(shown.gpuBudgetBytes);
  expect(await page.evaluate(() => window.voxlens.memory().gpuBudgetBytes)).toBe(2 ** 20);
  for (const ijk of [[127, 95, 63], [33, 40, 21], [32, 40, 21]]) {
    expect(await page.evaluate((at) => window.voxlens.probe({ ijk: at })[0].raw, ijk)).toBe(value(ijk[0], ijk[1], ijk[2]));
  }
  await page.evaluate(() => window.voxlens.frame());
  for (const pane of ['axial', 'coronal', 'sagittal']) expect(await lit(page, pane), pane).toBeGreaterThan(40);
  // A second volume gets what the budget has left (256 KiB): a coarser display level, exact probes.
  await serveFixtures(page, { 'ct2.nii': niftiFile([128, 96, 64], [1, 1, 1.5]) });
  const second = await page.evaluate(() => window.voxlens.load('/__fixtures__/ct2.nii'));
  expect(second.fullDims).toEqual([128, 96, 64]);
  expect(second.dims).toEqual([32, 48, 64]);
  expect(await page.evaluate((id) => window.voxlens.probe({ ijk: [101, 33, 7] }, id)[0].raw, second.id)).toBe(value(101, 33, 7));
  await page.evaluate(() => window.voxlens.frame());
  const m = await page.evaluate(() => window.voxlens.memory());
  expect(m.textureBytes).toBeLessThanOrEqual(m.gpuBudgetBytes);
  await page.screenshot({ path: test.info().outputPath('gpu-budget.png') });
});

test('a DICOM series larger than the GPU budget leaves room for: drawn from its display level once all slices are in, probed exactly', async ({ page }) => {
  // 96 × 80 × 24 uint16 = 360 KiB of texture against a 256 KiB budget: x is halved.
  const series = ctSeries({ dims: [96, 80, 24], pixelSpacing: 0.8, sliceSpacing: 2, seed: 'e2e display level' });
  const files = seriesFiles(series);
  await serveFixtures(page, files);
  await openEmpty(page, 'gpuBudgetMiB=0.25&layout=2x2');
  const info = await page.evaluate((names) => window.voxlens.load(names.map((n) => `/__fixtures__/${n}`)), Object.keys(files));
  expect(info.fullDims).toEqual([96, 80, 24]);
  expect(info.dims).toEqual([48, 80, 24]);
  expect(info.arriving).toBeUndefined();
  const [nx, ny] = series.dims;
  for (const [i, j, k] of [[95, 79, 23], [47, 3, 11], [48, 3, 11], [1, 60, 0]]) {
    const p = await page.evaluate((at) => window.voxlens.probe({ ijk: at })[0], [i, j, k]);
    expect(p, `${i},${j},${k}`).toMatchObject({ raw: series.voxels[(k * ny + j) * nx + i], scaled: series.voxels[(k * ny + j) * nx + i] - 1024, fullResolution: true });
  }
  await page.evaluate(() => window.voxlens.frame());
  for (const pane of ['axial', 'coronal', 'sagittal']) expect(await lit(page, pane), pane).toBeGreaterThan(40);
});

test('a volume larger than one buffer holds (?slabMiB= set small) and than the GPU budget: z-slabs of whole slices, drawn as one volume from a display level, probed exactly on both sides of every slab boundary', async ({ page }) => {
  // 128 × 96 × 40 int16 = 960 KiB; a slice is 24 KiB, so a 0.25 MiB buffer holds 10: four slabs.
  // Its texture passes the 0.5 MiB GPU budget, and the display level must fit one buffer too: 64 × 48 × 40 (240 KiB).
  // One voxel the display level skips (odd i and j) holds the volume's maximum.
  await serveFixtures(page, { 'slabs.nii': niftiFile([128, 96, 40], [1, 1, 2], [101, 55, 33, 30000]) });
  await openEmpty(page, 'slabMiB=0.25&gpuBudgetMiB=0.5&layout=2x2');
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/slabs.nii'));
  expect(info.fullDims).toEqual([128, 96, 40]);
  expect(info.dims).toEqual([64, 48, 40]);
  expect(info.slabs).toEqual([10, 10, 10, 10]);
  expect(await raisedNotice(page, 'warning', 'Drawn at 64 × 48 × 40')).toContain('held in 4 slabs of whole slices');
  await expect(page.getByTestId('layer-slabs')).toHaveText('· in 4 slabs');
  for (const k of [0, 9, 10, 19, 20, 29, 30, 39]) {
    for (const [i, j] of [[0, 0], [127, 95], [77, 31]]) {
      const p = await page.evaluate((at) => window.voxlens.probe({ ijk: at })[0], [i, j, k]);
      expect(p, `${i},${j},${k}`).toMatchObject({ raw: value(i, j, k), fullResolution: true, inside: true });
    }
  }
  // A profile along z (2 mm slices) across the boundary between slabs 1 and 2 reads each stored slice.
  const world = await page.evaluate(() => window.voxlens.probe({ ijk: [77, 31, 18] })[0].world);
  const profile = await page.evaluate((w) => window.voxlens.profile({ from: [w[0], w[1], w[2]], to: [w[0], w[1], w[2] + 6], samples: 4 }), world);
  expect(profile.raw).toEqual([18, 19, 20, 21].map((k) => value(77, 31, k)));
  // Views come one slab at a time.
  const whole = await page.evaluate((id) => {
    try {
      window.voxlens.view(id);
      return 'no error';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, info.id);
  expect(whole).toContain('held in 4 slabs of whole slices (10, 10, 10, 10 slices; slice index k + t·nz): view one with { slab: n }, n from 0 to 3');
  const noSlab = await page.evaluate((id) => {
    try {
      window.voxlens.view(id, { slab: 4 });
      return '';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }, info.id);
  expect(noSlab).toContain('there is no slab 4');
  const slab2 = await page.evaluate((id) => {
    const v = window.voxlens.view(id, { slab: 2 });
    const out = { length: v.array.length, first: Number(v.array[0]), at: Number(v.array[(3 * 96 + 31) * 128 + 77]) };
    v.release();
    return out;
  }, info.id);
  expect(slab2).toEqual({ length: 10 * 96 * 128, first: value(0, 0, 20), at: value(77, 31, 23) });
  // Added with the display level's sampled stats; the exact range follows, the full grid's: it holds the skipped maximum.
  await expect.poll(() => page.evaluate(() => window.voxlens.layers()[0].range)).toEqual({ min: -200, max: 30000, exact: true });
  expect(await page.evaluate(() => window.voxlens.probe({ ijk: [101, 55, 33] })[0].raw)).toBe(30000);
  await page.evaluate(() => window.voxlens.frame());
  for (const pane of ['axial', 'coronal', 'sagittal', '3d']) expect(await lit(page, pane), pane).toBeGreaterThan(40);
  await page.screenshot({ path: test.info().outputPath('slabs.png') });
  // A pane whose pixel is finer than the display level's voxels (2 mm along x and y; the fitted
  // axial pane shows about 0.3 mm per pixel) draws the full grid over it, copied from the slabs: a
  // row of the pane then steps at every stored voxel instead of every other one.
  await page.getByLabel('Show crosshair lines').uncheck();
  for (let n = await page.getByRole('button', { name: 'Dismiss' }).count(); n > 0; n--) await page.getByRole('button', { name: 'Dismiss' }).first().click();
  await page.evaluate(() => window.voxlens.setLayout('axial'));
  await page.evaluate((id) => window.voxlens.setDisplay(id, { window: [-200, 100], interpolation: 'nearest' }), info.id);
  await page.evaluate(() => window.voxlens.frame());
  await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial'))).toEqual([expect.objectContaining({ level: 0, source: 'memory', ready: true })]);
  await expect(page.getByTestId('detail-label')).toHaveText(/full resolution$/);
  const steps = async () => {
    const shot = await grab(page.getByTestId('view-axial'));
    const y = Math.round(shot.height / 2);
    let n = 0;
    for (let x = 1; x < shot.width; x++) if (shot.at(x, y)[0] !== shot.at(x - 1, y)[0]) n++;
    return n;
  };
  const fine = await steps();
  await page.screenshot({ path: test.info().outputPath('slabs-full-resolution.png') });
  // Translucent, the layer shows its display level alone (a detail would let the coarse one show through).
  await page.evaluate((id) => window.voxlens.setDisplay(id, { opacity: 0.99 }), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.paneDetail('axial'))).toEqual([]);
  const coarse = await steps();
  expect(fine, `${fine} steps at full resolution, ${coarse} at the display level`).toBeGreaterThan(1.6 * coarse);
  expect(coarse).toBeGreaterThan(20);
  const slab = 10 * 96 * 128 * 2;
  expect(await pinnedBuffers(page)).toEqual(
    expect.arrayContaining([
      { bytes: 64 * 48 * 40 * 2, owners: ['layer', 'texture'] },
      ...[0, 1, 2, 3].map(() => ({ bytes: slab, owners: ['layer'] })),
    ]),
  );
  await page.evaluate((id) => window.voxlens.close(id), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await pinnedBuffers(page)).toEqual([]);
});

test('a volume larger than one buffer holds whose texture fits: drawn whole at full resolution from a texture per slab, every pane exact across slab boundaries', async ({ page }) => {
  // 128 × 96 × 40 int16 in four slabs of 10 slices (?slabMiB=0.25), as above, but the GPU budget holds its 960 KiB texture.
  await serveFixtures(page, { 'slabs.nii': niftiFile([128, 96, 40], [1, 1, 2], [101, 55, 33, 30000]) });
  await openEmpty(page, 'slabMiB=0.25&layout=2x2&interactionVoxels=100000');
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/slabs.nii'));
  expect(info.dims).toEqual([128, 96, 40]);
  expect(info.fullDims).toBeUndefined();
  expect(info.slabs).toEqual([10, 10, 10, 10]);
  await expect(page.getByTestId('layer-slabs')).toHaveText('· in 4 slabs');
  expect(await raisedNotices(page, 'warning')).toEqual([]);
  await page.evaluate(() => window.voxlens.frame());
  expect((await page.evaluate(() => window.voxlens.layers()[0].texture)).slabs).toEqual([10, 10, 10, 10]);
  await expect(page.getByTestId('texture-slabs')).toHaveText(' in 4 z-slabs');
  // The exact range, histogram and brick ranges come from every slab (the outlier at 101, 55, 33 is the maximum).
  await expect.poll(() => page.evaluate(() => window.voxlens.layers()[0].range)).toEqual({ min: -200, max: 30000, exact: true });
  for (const k of [0, 9, 10, 19, 20, 29, 30, 39]) {
    const p = await page.evaluate((at) => window.voxlens.probe({ ijk: at })[0], [77, 31, k]);
    expect(p, `k ${k}`).toMatchObject({ raw: value(77, 31, k), inside: true });
  }
  for (const pane of ['axial', 'coronal', 'sagittal', '3d']) expect(await lit(page, pane), pane).toBeGreaterThan(40);
  await page.screenshot({ path: test.info().outputPath('slabs-whole.png') });
  // Each slab's memory is pinned by the layer and by the texture: no display level, no copy. (The
  // 3D pane's coarse copy, made for its first image while the brick ranges were on their way, is apart.)
  const slab = 10 * 96 * 128 * 2;
  expect((await pinnedBuffers(page)).map((b) => ({ ...b, owners: [...new Set(b.owners)] }))).toEqual([...[0, 1, 2, 3].map(() => ({ bytes: slab, owners: ['layer', 'texture'] })), { bytes: 16 * 24 * 20 * 2, owners: ['texture'] }]);
  // The coronal pane, top to bottom through every slab boundary (2 mm slices, about 7 pixels each): each pixel is its voxel's grey.
  await page.evaluate(() => window.voxlens.setLayout('coronal'));
  // On a voxel centre in y (the volume's centre is on a voxel edge).
  await page.evaluate(() => window.voxlens.setCrosshair(window.voxlens.probe({ ijk: [64, 31, 20] })[0].world));
  await page.evaluate((id) => window.voxlens.setDisplay(id, { window: [-200, 1300], interpolation: 'nearest' }), info.id);
  await page.getByLabel('Show crosshair lines').uncheck();
  for (let n = await page.getByRole('button', { name: 'Dismiss' }).count(); n > 0; n--) await page.getByRole('button', { name: 'Dismiss' }).first().click();
  await page.evaluate(() => window.voxlens.frame());
  const cor = (await page.getByTestId('view-coronal').boundingBox())!;
  const affine = (await page.evaluate(() => window.voxlens.layers()[0].affine)).flat();
  const met = await checkLine(page, 'coronal', [cor.width / 2 + 3, 30], [cor.width / 2 - 3, cor.height - 30], {
    toIjk: (w) => [(w[0] - affine[3]) / affine[0], (w[1] - affine[7]) / affine[5], (w[2] - affine[11]) / affine[10]],
    grey: (raw) => Math.round(((Math.min(1300, raw) + 200) / 1500) * 255),
    stored: (ijk) => (ijk.join() === '101,55,33' ? 30000 : value(ijk[0], ijk[1], ijk[2])),
    // Neighbours along x differ by half a grey level: an x edge does not matter.
    edge: [0.5, 0.3, 0.3],
    samples: 160,
  });
  for (const k of [9, 10, 19, 20, 29, 30]) expect(met.has(k), `slice ${k} met (${[...met].sort((a, b) => a - b).join(',')})`).toBe(true);
  // 3D: while the view moves, a coarse copy read across the slabs; the full grid when still.
  await page.evaluate(() => window.voxlens.setLayout('3d'));
  await page.evaluate(() => window.voxlens.setInteraction(true));
  await page.evaluate(() => window.voxlens.frame());
  await expect(page.getByTestId('interaction-level')).toHaveText('coarse copy 16 × 24 × 20 while moving');
  expect(await lit(page, '3d')).toBeGreaterThan(40);
  await page.evaluate(() => window.voxlens.setInteraction(false));
  await page.evaluate(() => window.voxlens.frame());
  await expect(page.getByTestId('interaction-level')).toHaveCount(0);
  expect(await lit(page, '3d')).toBeGreaterThan(40);
  await page.evaluate((id) => window.voxlens.close(id), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await pinnedBuffers(page)).toEqual([]);
});

test('a DICOM series larger than one buffer holds (?slabMiB= set small) and than the GPU budget: written into z-slabs, drawn from its display level, probed exactly across slab boundaries', async ({ page }) => {
  // 96 × 80 × 24 uint16: a slice is 15 KiB, so a 0.1 MiB buffer holds 6: four slabs; its 360 KiB texture passes the budget.
  const series = ctSeries({ dims: [96, 80, 24], pixelSpacing: 0.8, sliceSpacing: 2, seed: 'e2e slabs' });
  const files = seriesFiles(series);
  await serveFixtures(page, files);
  await openEmpty(page, 'slabMiB=0.1&gpuBudgetMiB=0.2&layout=2x2');
  const info = await page.evaluate((names) => window.voxlens.load(names.map((n) => `/__fixtures__/${n}`)), Object.keys(files));
  expect(info.fullDims).toEqual([96, 80, 24]);
  expect(info.dims).toEqual([48, 40, 24]);
  expect(info.slabs).toEqual([6, 6, 6, 6]);
  expect(await raisedNotice(page, 'warning', 'Drawn at 48 × 40 × 24')).toContain('held in 4 slabs of whole slices');
  const [nx, ny] = series.dims;
  for (const k of [0, 5, 6, 11, 12, 17, 18, 23]) {
    for (const [i, j] of [[95, 79], [47, 3], [0, 60]]) {
      const p = await page.evaluate((at) => window.voxlens.probe({ ijk: at })[0], [i, j, k]);
      const stored = series.voxels[(k * ny + j) * nx + i];
      expect(p, `${i},${j},${k}`).toMatchObject({ raw: stored, scaled: stored - 1024, fullResolution: true });
    }
  }
  await page.evaluate(() => window.voxlens.frame());
  for (const pane of ['axial', 'coronal', 'sagittal']) expect(await lit(page, pane), pane).toBeGreaterThan(40);
  await page.evaluate((id) => window.voxlens.close(id), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await pinnedBuffers(page)).toEqual([]);
});

test('a volume in slabs whose display level would not fit the voxel budget is refused before its bytes are read; nothing is allocated', async ({ page }) => {
  // 960 KiB of slabs and a 240 KiB display level (its texture passes the GPU budget) against a 1 MiB budget.
  await serveFixtures(page, { 'slabs.nii': niftiFile([128, 96, 40], [1, 1, 2]) });
  await openEmpty(page, 'slabMiB=0.25&budgetMiB=1&gpuBudgetMiB=0.5');
  const outcome = await loadInPage(page, '/__fixtures__/slabs.nii');
  expect(outcome.code).toBe('over-budget');
  expect(outcome.message).toContain('more for the level it is drawn from');
  await expect(page.getByTestId('notice-error')).toContainText('voxel budget');
  expect(await page.evaluate(() => window.voxlens.memory().buffers)).toEqual([]);
});

test('a volume whose display level would not fit the GPU budget is refused from its header, before its voxels are read', async ({ page }) => {
  // The first layer's texture (64 × 64 × 12 int16, 96 KiB) takes the whole GPU budget: nothing is left for a display level.
  await serveFixtures(page, { 'small.nii': niftiFile([64, 64, 12], [1, 1, 1]), 'slabs.nii': niftiFile([128, 96, 40], [1, 1, 2]) });
  await openEmpty(page, 'slabMiB=0.25&gpuBudgetMiB=0.09375');
  await page.evaluate(() => window.voxlens.load('/__fixtures__/small.nii'));
  const before = await page.evaluate(() => window.voxlens.memory().buffers.map((b) => b.id));
  const outcome = await loadInPage(page, '/__fixtures__/slabs.nii');
  expect(outcome).toEqual({ code: 'over-budget', message: 'slabs.nii: the GPU budget (96.0 KiB) is taken by the open layers. Close a layer or raise ?gpuBudgetMiB=.' });
  // No slab was taken: the buffers are the first layer's.
  expect(await page.evaluate(() => window.voxlens.memory().buffers.map((b) => b.id))).toEqual(before);
});

test('two layers in seven slab textures each: the 3D pane draws the first and leaves out the second surface, whose samplers would pass 16 texture units', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    // The label lookups looked for beside each volume (a.txt, a.lut, a.json) answer 404: expected.
    if (/Failed to load resource.*404/.test(m.text())) return;
    if (m.type() === 'error' || /GL_INVALID|link|shader/i.test(m.text())) errors.push(m.text());
  });
  // 64 × 48 × 20 int16 under ?slabMiB=0.02: seven slabs of 3 slices (the last 2), each drawn from its own texture.
  await serveFixtures(page, { 'a.nii': niftiFile([64, 48, 20], [1, 1, 2]), 'b.nii': niftiFile([64, 48, 20], [1, 1, 2]) });
  await openEmpty(page, 'slabMiB=0.02&layout=3d');
  await page.evaluate(() => window.voxlens.load('/__fixtures__/a.nii'));
  await page.evaluate(() => window.voxlens.load('/__fixtures__/b.nii'));
  await page.evaluate(() => window.voxlens.setRenderMode('composite'));
  await page.evaluate(() => window.voxlens.frame());
  expect((await page.evaluate(() => window.voxlens.layers().map((l) => l.texture.slabs?.length)))).toEqual([7, 7]);
  expect(await lit(page, '3d')).toBeGreaterThan(40);
  expect(await raisedNotice(page, 'warning', 'b.nii is not drawn in the 3D pane')).toContain('16 texture units');
  await page.screenshot({ path: test.info().outputPath('overlay-left-out.png') });
  expect(errors).toEqual([]);
});

test('without cross-origin isolation, slabs are lent to the workers by transfer and come back (a NIfTI file and a DICOM series): the same exact probes', async ({ page }) => {
  await stripIsolationHeaders(page);
  // 64 × 48 × 20 int16: a slice is 6 KiB, a 0.02 MiB buffer holds 3: seven slabs.
  await serveFixtures(page, { 'slabs.nii': niftiFile([64, 48, 20], [1, 1, 2]) });
  await openEmpty(page, 'slabMiB=0.02');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/slabs.nii'));
  // Drawn whole: seven slab textures, one over each transferred buffer.
  expect(info.fullDims).toBeUndefined();
  expect(info.slabs).toEqual([3, 3, 3, 3, 3, 3, 2]);
  await expect.poll(() => page.evaluate(() => window.voxlens.layers()[0].texture.slabs)).toEqual([3, 3, 3, 3, 3, 3, 2]);
  for (const k of [0, 2, 3, 5, 6, 17, 18, 19]) {
    expect(await page.evaluate((at) => window.voxlens.probe({ ijk: at })[0].raw, [63, 47, k]), `k ${k}`).toBe(value(63, 47, k));
  }
  const slab = await page.evaluate((id) => {
    const v = window.voxlens.view(id, { slab: 6 });
    const out = { shared: typeof SharedArrayBuffer !== 'undefined' && v.array.buffer instanceof SharedArrayBuffer, length: v.array.length, first: Number(v.array[0]) };
    v.release();
    return out;
  }, info.id);
  expect(slab).toEqual({ shared: false, length: 2 * 48 * 64, first: value(0, 0, 18) });
  await page.evaluate(() => window.voxlens.frame());
  expect(await lit(page, 'axial')).toBeGreaterThan(40);
  // A DICOM series too: its slices written into transferred slabs.
  const series = ctSeries({ dims: [40, 32, 12], pixelSpacing: 1, sliceSpacing: 2, seed: 'e2e slabs, no isolation' });
  const files = seriesFiles(series);
  await serveFixtures(page, files);
  const ct = await page.evaluate((names) => window.voxlens.load(names.map((n) => `/__fixtures__/${n}`)), Object.keys(files));
  // Two slabs (8 + 4 slices): drawn whole, a texture per slab, its exact stats worked out on the main thread.
  expect(ct.fullDims).toBeUndefined();
  expect(ct.slabs).toEqual([8, 4]);
  await expect.poll(() => page.evaluate((id) => window.voxlens.layers().find((l) => l.id === id)!.texture.slabs, ct.id)).toEqual([8, 4]);
  await expect.poll(() => page.evaluate((id) => window.voxlens.layers().find((l) => l.id === id)!.range, ct.id)).toEqual({ min: Math.min(...series.voxels), max: Math.max(...series.voxels), exact: true });
  for (const k of [0, 7, 8, 11]) {
    const stored = series.voxels[(k * 32 + 31) * 40 + 39];
    expect(await page.evaluate(([id, at]) => window.voxlens.probe({ ijk: at }, id)[0].raw, [ct.id, [39, 31, k]] as [string, number[]]), `k ${k}`).toBe(stored);
  }
});

test('a truncated file bound for slabs is refused by name, and every slab it took is given back', async ({ page }) => {
  // Gzipped, so its size says nothing before the voxels are read: the slabs are taken, then the stream ends.
  const gz = gzipSync(niftiFile([128, 96, 40], [1, 1, 2]));
  await serveFixtures(page, { 'cut.nii.gz': gz.subarray(0, gz.length - 2000) });
  await openEmpty(page, 'slabMiB=0.25');
  const outcome = await loadInPage(page, '/__fixtures__/cut.nii.gz');
  expect(outcome.code).toBe('truncated');
  expect(outcome.message).toMatch(/cut\.nii\.gz: the compressed stream breaks off after .* of 960\.0 KiB of voxels/);
  // Nothing live or pinned, nothing pooled: the garbage is dropped.
  expect(await page.evaluate(() => window.voxlens.memory().buffers)).toEqual([]);
});

// 64 × 48 × 10 × 6 int16: a slice is 6 KiB, so a 0.1 MiB buffer holds 17 slices (k + t·10): slab ends fall inside frames.
const fmriDims = [64, 48, 10, 6];
const fmriAt = (i: number, j: number, k: number, t: number) => ((i * 5 + j * 11 + k * 23 + t * 301) % 2000) - 500;
function fmriFile(): Uint8Array {
  const v = new Int16Array(64 * 48 * 10 * 6);
  for (let t = 0; t < 6; t++) for (let k = 0; k < 10; k++) for (let j = 0; j < 48; j++) for (let i = 0; i < 64; i++) v[((t * 10 + k) * 48 + j) * 64 + i] = fmriAt(i, j, k, t);
  return encodeNifti({ dims: fmriDims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(v.buffer), affine: [3, 0, 0, -96, 0, 3, 0, -72, 0, 0, 4, -20, 0, 0, 0, 1] });
}

test('a 4D series in slabs (slabs cut across frames), drawn whole: each frame from the slab textures over its slices, cut where a buffer ends; pixels exact on both sides', async ({ page }) => {
  await serveFixtures(page, { 'fmri.nii': fmriFile() });
  await openEmpty(page, 'slabMiB=0.1&layout=2x2&interactionVoxels=10000');
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/fmri.nii'));
  expect(info.fullDims).toBeUndefined();
  expect(info.dims).toEqual(fmriDims);
  expect(info.slabs).toEqual([17, 17, 17, 9]);
  const slabsAt = async (frame: number) => {
    await page.evaluate(([id, f]) => window.voxlens.setDisplay(id, { frame: f }), [info.id, frame] as const);
    await page.evaluate(() => window.voxlens.frame());
    return page.evaluate(() => window.voxlens.layers()[0].texture.slabs ?? [10]);
  };
  // Buffer ends at slice indices 17, 34, 51: frame 1 k 6/7, frame 3 k 3/4, frame 5 k 0/1.
  expect(await slabsAt(0)).toEqual([10]);
  expect(await slabsAt(1)).toEqual([7, 3]);
  expect(await slabsAt(5)).toEqual([1, 9]);
  expect(await slabsAt(3)).toEqual([4, 6]);
  await page.getByLabel('Show crosshair lines').uncheck();
  await page.evaluate((id) => window.voxlens.setDisplay(id, { window: [-500, 1500], interpolation: 'nearest' }), info.id);
  const line = { toIjk: (w: number[]) => [(w[0] + 96) / 3, (w[1] + 72) / 3, (w[2] + 20) / 4], grey: (raw: number) => Math.round(((raw + 500) / 2000) * 255), stored: (ijk: number[]) => fmriAt(ijk[0], ijk[1], ijk[2], 3), edge: [0.5, 0.5, 0.3] };
  // Frame 3, slices 3 (in the second buffer) and 4 (in the third): the axial pane against the probe.
  for (const k of [3, 4]) {
    await page.evaluate(([kk]) => window.voxlens.setCrosshair(window.voxlens.probe({ ijk: [32, 24, kk] })[0].world), [k]);
    await page.evaluate(() => window.voxlens.frame());
    const ax = (await page.getByTestId('view-axial').boundingBox())!;
    expect(await checkLine(page, 'axial', [ax.width * 0.2, ax.height * 0.3], [ax.width * 0.8, ax.height * 0.7], line), `slice ${k}`).toEqual(new Set([k]));
  }
  for (const pane of ['coronal', 'sagittal', '3d']) expect(await lit(page, pane), pane).toBeGreaterThan(40);
  await page.screenshot({ path: test.info().outputPath('4d-whole.png') });
  // While the view moves, the 3D pane casts a coarse copy of the frame shown, read across its buffers.
  await page.evaluate(() => window.voxlens.setInteraction(true));
  await page.evaluate(() => window.voxlens.frame());
  await expect(page.getByTestId('interaction-level')).toHaveText('coarse copy 8 × 12 × 10 while moving');
  expect(await lit(page, '3d')).toBeGreaterThan(40);
  await page.evaluate(() => window.voxlens.setInteraction(false));
  await page.evaluate((id) => window.voxlens.close(id), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await pinnedBuffers(page)).toEqual([]);
});

test('a 4D series in slabs (slabs cut across frames) past the GPU budget: every frame drawn from its display level and probed exactly; the full-resolution detail follows the frame', async ({ page }) => {
  const dims = fmriDims;
  const at = fmriAt;
  await serveFixtures(page, { 'fmri.nii': fmriFile() });
  // One frame (60 KiB) passes the budget too: a 4D series in slabs has one frame at a time on the GPU.
  await openEmpty(page, 'slabMiB=0.1&gpuBudgetMiB=0.055&layout=2x2');
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/fmri.nii'));
  expect(info.fullDims).toEqual(dims);
  expect(info.slabs).toEqual([17, 17, 17, 9]);
  expect(info.dims.slice(3)).toEqual([6]);
  // Slab ends at slice indices 17, 34, 51: frame 1 k 6/7, frame 3 k 3/4, frame 5 k 0/1.
  for (const [k, t] of [[6, 1], [7, 1], [3, 3], [4, 3], [0, 5], [1, 5], [9, 5], [0, 0]]) {
    for (const [i, j] of [[63, 47], [10, 20]]) {
      expect(await page.evaluate((ijk) => window.voxlens.probe({ ijk })[0].raw, [i, j, k, t]), `${i},${j},${k},${t}`).toBe(at(i, j, k, t));
    }
  }
  // The displayed frame is what probes by world point read, in the panes and through the API.
  await page.evaluate((id) => window.voxlens.setDisplay(id, { frame: 3 }), info.id);
  const w = await page.evaluate(() => window.voxlens.probe({ ijk: [40, 30, 4, 3] })[0].world);
  expect(await page.evaluate((p) => window.voxlens.probe({ world: p })[0].raw, w)).toBe(at(40, 30, 4, 3));
  await page.evaluate(() => window.voxlens.frame());
  await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial'))).toEqual([expect.objectContaining({ source: 'memory', level: 0, ready: true })]);
  for (const pane of ['axial', 'coronal', 'sagittal']) expect(await lit(page, pane), pane).toBeGreaterThan(40);
  const frame3 = await grab(page.getByTestId('view-axial'));
  await page.evaluate((id) => window.voxlens.setDisplay(id, { frame: 4 }), info.id);
  await page.evaluate(() => window.voxlens.frame());
  await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial'))).toEqual([expect.objectContaining({ source: 'memory', ready: true })]);
  const frame4 = await grab(page.getByTestId('view-axial'));
  let differ = 0;
  for (let y = 10; y < frame3.height; y += 7) for (let x = 10; x < frame3.width; x += 7) if (frame3.at(x, y)[0] !== frame4.at(x, y)[0]) differ++;
  expect(differ).toBeGreaterThan(20);
});

test('a 4D series too deep to stack in one texture (40 slices × 60 frames) counts one frame against the GPU budget: all its frames pass ?gpuBudgetMiB=, one does not, so it is drawn whole and each frame shown exactly', async ({ page }) => {
  const [nx, ny, nz, nt] = [16, 12, 40, 60];
  const at = (i: number, j: number, k: number, t: number) => ((i * 7 + j * 3 + k * 5 + t * 11) % 13) * 100;
  const v = new Int16Array(nx * ny * nz * nt);
  for (let t = 0; t < nt; t++) for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) v[((t * nz + k) * ny + j) * nx + i] = at(i, j, k, t);
  const affine = [1, 0, 0, -7.5, 0, 1, 0, -5.5, 0, 0, 1, -19.5, 0, 0, 0, 1];
  await serveFixtures(page, { 'long4d.nii': encodeNifti({ dims: [nx, ny, nz, nt], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(v.buffer), affine }) });
  // 900 KiB of frames, 15 KiB a frame, 100 KiB of GPU budget.
  await openEmpty(page, 'gpuBudgetMiB=0.1&layout=axial');
  const info = await page.evaluate(() => window.voxlens.load('/__fixtures__/long4d.nii'));
  expect(info.fullDims).toBeUndefined();
  expect(info.dims).toEqual([nx, ny, nz, nt]);
  expect(await raisedNotices(page, 'warning')).toEqual([]);
  await page.evaluate((id) => window.voxlens.setDisplay(id, { window: [0, 1200], colormap: 'gray', interpolation: 'nearest', frame: 37 }), info.id);
  // On a slice centre (the volume's centre is between slices 19 and 20).
  await page.evaluate(() => window.voxlens.setCrosshair(window.voxlens.probe({ ijk: [8, 6, 20] })[0].world));
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(nx * ny * nz * 2);
  await page.getByLabel('Show crosshair lines').uncheck();
  const line = { toIjk: (w: number[]) => [w[0] + 7.5, w[1] + 5.5, w[2] + 19.5], grey: (raw: number) => Math.round((raw / 1200) * 255), stored: (ijk: number[]) => at(ijk[0], ijk[1], ijk[2], 37), axis: 0 };
  const ax = (await page.getByTestId('view-axial').boundingBox())!;
  const met = await checkLine(page, 'axial', [ax.width * 0.25, ax.height * 0.4], [ax.width * 0.75, ax.height * 0.6], line);
  expect(met.size).toBeGreaterThan(5);
  await page.screenshot({ path: test.info().outputPath('4d-one-frame.png') });
  await page.evaluate((id) => window.voxlens.close(id), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await pinnedBuffers(page)).toEqual([]);
});

test('3000 slices: drawn whole at full resolution from two z-slab textures over one buffer; every pane reads the right slab on both sides of the boundary', async ({ page }) => {
  const dims: [number, number, number] = [16, 12, 3000];
  const mm: [number, number, number] = [1, 1, 0.05];
  const [nx, ny, nz] = dims;
  const info = await openShaded(page, 'deep.nii', dims, mm, 'layout=sagittal');
  expect((await page.evaluate(() => window.voxlens.layers()[0].texture)).slabs).toEqual([1500, 1500]);
  await expect(page.getByTestId('texture-slabs')).toHaveText(' in 2 z-slabs');
  expect(await raisedNotices(page, 'warning')).toEqual([]);
  // One buffer, pinned by the layer and the texture: the slabs are views of it.
  expect(await pinnedBuffers(page)).toEqual([{ bytes: nx * ny * nz * 2, owners: ['layer', 'texture'] }]);

  const deep = shaded(dims, mm);
  // The sagittal pane zoomed on the boundary (slices 1499 | 1500): each slice is several pixels tall.
  const boundary = await page.evaluate(() => window.voxlens.probe({ ijk: [8, 6, 1500] })[0].world);
  await page.evaluate((w) => window.voxlens.setCrosshair([w[0], w[1], w[2] - 0.025]), boundary);
  await page.evaluate(() => window.voxlens.setPaneView('sagittal', { zoom: 60 }));
  await page.evaluate(() => window.voxlens.frame());
  await page.getByLabel('Show crosshair lines').uncheck();
  const sag = (await page.getByTestId('view-sagittal').boundingBox())!;
  // Zoomed 60×, a slice is about 12 pixels tall and a 1 mm voxel about 220 wide: 0.45 of it is 10 pixels from its edge.
  const slices = await checkLine(page, 'sagittal', [sag.width / 2 - 20, sag.height / 2 - 60], [sag.width / 2 + 20, sag.height / 2 + 60], { ...deep, edge: [0.5, 0.45, 0.3] });
  expect([...slices].some((k) => k < 1500) && [...slices].some((k) => k >= 1500), `slices met: ${[...slices].join(',')}`).toBe(true);
  await page.screenshot({ path: test.info().outputPath('z-slabs.png') });
  // The first and last slices of each slab, in the axial pane.
  await page.evaluate(() => window.voxlens.setLayout('axial'));
  for (const k of [0, 1499, 1500, 2999]) {
    const w = await page.evaluate((kk) => window.voxlens.probe({ ijk: [8, 6, kk] })[0].world, k);
    await page.evaluate((ww) => window.voxlens.setCrosshair(ww), w);
    await page.evaluate(() => window.voxlens.frame());
    const ax = (await page.getByTestId('view-axial').boundingBox())!;
    expect(await checkLine(page, 'axial', [ax.width * 0.3, ax.height * 0.35], [ax.width * 0.7, ax.height * 0.65], deep), `slice ${k}`).toEqual(new Set([k]));
  }
  // After a context loss every slab is uploaded again from the same memory.
  await loseAndRestoreContext(page);
  await page.evaluate(() => window.voxlens.frame());
  const ax = (await page.getByTestId('view-axial').boundingBox())!;
  expect(await checkLine(page, 'axial', [ax.width * 0.3, ax.height * 0.35], [ax.width * 0.7, ax.height * 0.65], deep)).toEqual(new Set([2999]));
  await page.evaluate(() => window.voxlens.setLayout('3d'));
  await page.evaluate(() => window.voxlens.frame());
  expect(await lit(page, '3d')).toBeGreaterThan(40);
  await page.evaluate((id) => window.voxlens.close(id), info.id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await pinnedBuffers(page)).toEqual([]);
});
