// DICOM SEG, RTSTRUCT and RT Dose from scripts/makeDicomRt.ts (issue 22): a CT dropped with a
// binary SEG, a fractional SEG and a structure set; segment labels at known voxels in register
// with the CT; the contours drawn in the axial pane with the polygons' areas; structure statistics,
// Rasterize, the DVH against the analytic curve of a linear dose, isodose lines; typed refusals.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CIRCLE, DOSE_PLANES, doseGy, fractionalValue, regularPolygonArea, rtCt, rtCtFiles, rtDoseObject, rtStructObject, SEG_SEGMENTS, segObject, SQUARE } from '../scripts/makeDicomRt';
import { colourImage, paletteEntry, paletteImage, rgbToYbrFull, rgbValue } from '../scripts/makeDicomBreadth';
import { ybrFullToRgb } from '../src/io/dicom/pixels/colour';
import { dropFixtures, openEmpty, raisedNotice, serveFixtures } from './helpers';
import { hasOrthanc, ORTHANC_SKIP, startOrthanc } from './orthanc';

const ct = rtCt();
const [nx, ny] = ct.dims;
const fixtures: Record<string, Uint8Array> = {
  'seg.dcm': segObject(ct, 'binary'),
  'seg-fractional.dcm': segObject(ct, 'fractional'),
  'rtstruct.dcm': rtStructObject(ct),
  'rtdose.dcm': rtDoseObject(ct),
  'broken-rtstruct.dcm': rtStructObject(ct).subarray(0, 900),
};
for (const f of rtCtFiles(ct)) fixtures[f.name] = f.bytes;
const world = (ijk: number[]) => [0, 1, 2].map((r) => ct.affine[r][0] * ijk[0] + ct.affine[r][1] * ijk[1] + ct.affine[r][2] * ijk[2] + ct.affine[r][3]) as [number, number, number];

/** Shoelace area of an SVG polygon's points, px². */
const pointsArea = (points: string) => {
  const p = points.trim().split(/\s+/).map((xy) => xy.split(',').map(Number));
  return Math.abs(p.reduce((s, a, i) => s + a[0] * p[(i + 1) % p.length][1] - p[(i + 1) % p.length][0] * a[1], 0)) / 2;
};

test('a CT dropped with a binary and a fractional SEG and an RTSTRUCT: labels in register, contours, statistics, Rasterize, DVH and isodoses', async ({ page }) => {
  test.setTimeout(60_000);
  await serveFixtures(page, fixtures);
  await openEmpty(page);
  await dropFixtures(page, [...rtCtFiles(ct).map((f) => f.name), 'seg.dcm', 'seg-fractional.dcm', 'rtstruct.dcm']);
  await expect.poll(() => page.evaluate(() => [window.voxlens.layers().length, window.voxlens.rt.structures().length])).toEqual([3, 2]);
  const layers = await page.evaluate(() => window.voxlens.layers().map((l) => ({ id: l.id, name: l.name, dims: l.dims, affine: l.affine, colormap: l.display.colormap })));
  const [ctLayer, segLayer, fracLayer] = layers;
  expect(ctLayer.dims).toEqual(ct.dims);
  // The SEG is on the CT's grid (it was open): same dims and affine.
  expect(segLayer.dims).toEqual(ct.dims);
  expect(segLayer.affine).toEqual(ctLayer.affine);
  expect(segLayer.colormap).toBe('label');

  // Segment labels at known voxels, probed at the CT's world points: the same voxel in every layer.
  for (const [ijk, label, name] of [[[8, 7, 3], 1, 'Tumour'], [[20, 18, 6], 2, 'Kidney'], [[1, 1, 1], 0, undefined], [[12, 10, 5], 1, 'Tumour'], [[13, 10, 5], 0, undefined]] as const) {
    const probes = await page.evaluate((w) => window.voxlens.probe({ world: w }), world([...ijk]));
    const seg = probes.find((p) => p.layerId === segLayer.id)!;
    expect(probes.find((p) => p.layerId === ctLayer.id)!.ijk, `CT ijk at ${ijk}`).toEqual([...ijk]);
    expect(seg.ijk).toEqual([...ijk]);
    expect(seg.raw, `label at ${ijk}`).toBe(label);
    expect((seg as { labelName?: string }).labelName).toBe(name);
    const frac = probes.find((p) => p.layerId === fracLayer.id)!;
    expect(frac.raw).toBe(fractionalValue(ijk[0], ijk[1], ijk[2]));
    expect(frac.scaled as number).toBeCloseTo(fractionalValue(ijk[0], ijk[1], ijk[2]) / 255, 9);
  }
  // Per-label volumes use the segment names.
  const volumes = await page.evaluate((id) => window.voxlens.labelVolumes(id), segLayer.id);
  const boxVoxels = (b: { lo: number[]; hi: number[] }) => (b.hi[0] - b.lo[0] + 1) * (b.hi[1] - b.lo[1] + 1) * (b.hi[2] - b.lo[2] + 1);
  expect(volumes.filter((v) => v.label !== 0).map((v) => [v.name, v.voxels])).toEqual(SEG_SEGMENTS.map((s) => [s.label, boxVoxels(s.box)]));
  await expect(page.getByTestId('segment-row')).toHaveText([/1\. Tumour.*Morphologically Altered Structure › Neoplasm/, /2\. Kidney.*Anatomical Structure › Kidney/, /1\. Uptake probability/]);

  // Contours in the axial pane at z = −1: the square's and the 72-gon's areas, from the drawn polygons.
  await page.evaluate(() => window.voxlens.setCrosshair([0, 0, -1]));
  const structures = await page.evaluate(() => window.voxlens.rt.structures());
  expect(structures.map((s) => [s.name, s.type])).toEqual([['PTV square', 'PTV'], ['Circle organ', 'ORGAN']]);
  const pane = page.locator('[data-testid="contours-axial"]');
  const mmPerPx = Number(await pane.getAttribute('data-mm-per-px'));
  const squareArea = (SQUARE.x[1] - SQUARE.x[0]) * (SQUARE.y[1] - SQUARE.y[0]);
  const drawn = await pane.locator('[data-testid="rt-contour"] polygon').evaluateAll((ps) => ps.map((p) => p.getAttribute('points') ?? ''));
  expect(drawn.length).toBe(2);
  // Points are written to 0.1 px: the area is good to about the perimeter × 0.05 px.
  expect(Math.abs(pointsArea(drawn[0]) * mmPerPx ** 2 - squareArea)).toBeLessThan(40 * 0.05 * mmPerPx + 0.01);
  const circleArea = regularPolygonArea(CIRCLE.sides, CIRCLE.radius);
  expect(Math.abs(pointsArea(drawn[1]) * mmPerPx ** 2 - circleArea)).toBeLessThan(2 * Math.PI * CIRCLE.radius * 0.05 * mmPerPx + 0.01);
  // In patient space: the square's centre at LPS (−3, 2.5), RAS (3, −2.5), on the pane's plane.
  const squareWorld = await page.evaluate(() => window.voxlens.rt.contours('axial')[0].polygons[0]);
  expect([0, 1, 2].map((a) => squareWorld.reduce((s, p) => s + p[a], 0) / squareWorld.length)).toEqual([3, -2.5, -1]);
  // Hidden from the list: gone from the pane.
  await page.getByRole('checkbox', { name: 'Show Circle organ' }).uncheck();
  await expect(pane.locator('[data-testid="rt-contour"]')).toHaveCount(1);
  await page.getByRole('checkbox', { name: 'Show Circle organ' }).check();

  // Statistics over the CT: the square's voxels (columns 7…16, rows 11…20, slices 3…6), in HU.
  const stats = await page.evaluate(([s, l]) => window.voxlens.rt.stats(s, l), [structures[0].id, ctLayer.id] as const);
  const hu: number[] = [];
  for (let k = 3; k <= 6; k++) for (let j = 11; j <= 20; j++) for (let i = 7; i <= 16; i++) hu.push(ct.voxels[(k * ny + j) * nx + i] + ct.intercept);
  const mean = hu.reduce((a, b) => a + b, 0) / hu.length;
  expect([stats.count, stats.unit, stats.min, stats.max]).toEqual([400, 'HU', Math.min(...hu), Math.max(...hu)]);
  expect(stats.volumeCm3).toBeCloseTo(0.8, 12);
  expect(stats.contourVolumeCm3).toBeCloseTo(0.8, 12);
  expect(stats.mean).toBeCloseTo(mean, 9);
  await expect(page.locator(`[data-testid="structure-stats-row"][data-structure="${structures[0].id}"]`)).toContainText(String(+mean.toPrecision(4)));

  // Rasterize from the panel: a label layer of the square on the CT's grid.
  await page.locator(`[data-testid="structure-stats-row"][data-structure="${structures[0].id}"] [data-testid="rasterize"]`).click();
  await expect.poll(() => page.evaluate(() => window.voxlens.layers().length)).toBe(4);
  const raster = await page.evaluate(async () => {
    const l = window.voxlens.layers()[3];
    return { name: l.name, volumes: await window.voxlens.labelVolumes(l.id) };
  });
  expect(raster.name).toBe('PTV square (on Bench CT 30x27x10)');
  expect(raster.volumes.filter((v) => v.label === 1).map((v) => [v.name, v.voxels])).toEqual([['PTV square', 400]]);

  // RT Dose: its DVH against the analytic curve of a dose rising 2 Gy per mm across the square.
  const dose = await page.evaluate(() => window.voxlens.load('/__fixtures__/rtdose.dcm').then((l) => l.id));
  const dvh = await page.evaluate(([d, s]) => window.voxlens.rt.dvh(d, [s]), [dose, structures[0].id] as const);
  const row = dvh[0];
  // Voxels: columns 7…16 (24…42 Gy), rows 11…20, dose planes z = −4…3: 800 of 1 mm³.
  expect(row.volumeCm3).toBeCloseTo(0.8, 12);
  expect(row.dmax).toBeCloseTo(doseGy(16), 9);
  expect(row.dmean).toBeCloseTo((doseGy(7) + doseGy(16)) / 2, 9);
  expect(row.d50).toBeCloseTo(doseGy(12), 9); // the hottest 400: columns 12…16
  expect(row.d95).toBeCloseTo(doseGy(7), 9); // the hottest 760 reach into column 7
  expect(row.v20Percent).toBe(100);
  // The continuous curve: uniform between 23 and 43 Gy (the square's edges); sampled at 1 of 10 columns.
  const analytic = (d: number) => Math.min(100, Math.max(0, (100 * (43 - d)) / 20));
  row.curve.dose.forEach((d, n) => expect(Math.abs(row.curve.percent[n] - analytic(d)), `V(${d} Gy)`).toBeLessThanOrEqual(5 + 1e-9));
  await expect(page.locator(`[data-testid="dvh-row"][data-structure="${structures[0].id}"]`)).toContainText('42');
  const download = page.waitForEvent('download');
  await page.getByTestId('dvh-export').click();
  const csv = await (await download).createReadStream().then(async (s) => {
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  });
  expect(csv.split('\n')[1]).toBe('PTV square,0.8,24,34,42,33,100,0.8');

  // Isodose lines at 30 and 40 Gy on the axial pane: vertical lines at the columns those doses cross, with a legend.
  await page.evaluate((d) => window.voxlens.rt.setIsodose({ layerId: d, levels: [40, 30], unit: 'Gy' }), dose);
  const lines = page.locator('[data-testid="isodoses-axial"] path.isodose-line');
  await expect(lines).toHaveCount(2);
  expect(await lines.first().getAttribute('data-level-gy')).toBe('40');
  expect((await lines.first().getAttribute('d'))!.length).toBeGreaterThan(20);
  await expect(page.getByTestId('isodose-legend')).toContainText('40 Gy');
  await page.evaluate((d) => window.voxlens.rt.setIsodose({ layerId: d, levels: [50], unit: 'percent-max' }), dose);
  await expect(page.getByTestId('isodose-legend')).toContainText(`50% max (${+(doseGy(29) / 2).toPrecision(4)} Gy)`);
  // Colour bands: a translucent picture of the bands under the lines.
  await page.evaluate(() => window.voxlens.rt.setIsodose({ style: 'both' }));
  await expect(page.locator('[data-testid="isodoses-axial"] [data-testid="isodose-bands"]')).toHaveCount(1);
  await expect(lines).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('dicom-rt.png') });

  // A structure set cut short: a typed error naming it; everything open stays.
  await dropFixtures(page, ['broken-rtstruct.dcm']);
  expect(await raisedNotice(page, 'error', 'broken-rtstruct.dcm')).toMatch(/broken-rtstruct\.dcm/);
  expect(await page.evaluate(() => [window.voxlens.layers().length, window.voxlens.rt.structures().length])).toEqual([5, 2]);
  const refused = await page.evaluate(() => window.voxlens.rt.open('/__fixtures__/IM00001.dcm').then(() => null, (e: { code: string; message: string }) => ({ code: e.code, message: e.message })));
  expect(refused?.code).toBe('unsupported-format');
  expect(refused?.message).toMatch(/IM00001\.dcm is neither a DICOM SEG nor an RT Structure Set/);
});

test('from the PACS: the study lists the SEG, RTSTRUCT and RTDOSE series by modality; opening the SEG offers its CT, and both open in register', async ({ page }) => {
  test.skip(!hasOrthanc, ORTHANC_SKIP);
  test.setTimeout(90_000);
  const orthanc = await startOrthanc();
  const dir = mkdtempSync(join(tmpdir(), 'voxlens-rt-'));
  try {
    const names = [...rtCtFiles(ct).map((f) => f.name), 'seg.dcm', 'rtstruct.dcm', 'rtdose.dcm'];
    for (const n of names) writeFileSync(join(dir, n), fixtures[n]);
    await orthanc.upload(names.map((n) => join(dir, n)));
    await openEmpty(page);
    await page.getByRole('button', { name: 'PACS…' }).click();
    const dialog = page.getByTestId('pacs-browser');
    await dialog.getByTestId('pacs-patientName').fill('Phantom');
    await dialog.getByRole('button', { name: 'Search' }).click();
    await dialog.getByTestId('pacs-study').locator('summary').click();
    const series = dialog.getByTestId('pacs-series');
    await expect(series).toHaveCount(4);
    for (const modality of ['CT', 'SEG', 'RTSTRUCT', 'RTDOSE']) await expect(series.filter({ hasText: new RegExp(`^${modality} `) })).toHaveCount(1);
    await series.filter({ hasText: /^SEG / }).click();
    await expect(dialog.getByTestId('pacs-offer')).toContainText('This SEG refers to CT #1');
    await dialog.getByTestId('pacs-offer-both').click();
    await expect.poll(() => page.evaluate(() => window.voxlens.layers().map((l) => l.name))).toEqual(['Bench CT 30x27x10', 'Segmentation']);
    const [ctLayer, segLayer] = await page.evaluate(() => window.voxlens.layers());
    expect(segLayer.affine).toEqual(ctLayer.affine);
    const probe = await page.evaluate((w) => window.voxlens.probe({ world: w }), world([8, 7, 3]));
    expect(probe.map((p) => p.raw)).toEqual([ct.voxels[(3 * ny + 7) * nx + 8], 1]);
    // The structure set through the API (its CT is open: nothing more is opened).
    const rt = await page.evaluate(async () => {
      const [study] = await window.voxlens.pacs.search({ patientName: 'Phantom' });
      const s = (await window.voxlens.pacs.series(study.studyUid)).find((x) => x.modality === 'RTSTRUCT')!;
      return window.voxlens.rt.openFromPacs(study.studyUid, s.seriesUid);
    });
    expect(rt.structureSets.length).toBe(1);
    expect(rt.referenced).toBe(ct.seriesUid);
    expect(await page.evaluate(() => [window.voxlens.layers().length, window.voxlens.rt.structures().map((s) => s.name)])).toEqual([2, ['PTV square', 'Circle organ']]);
    // pacs.open takes each series' path by its modality: the RTSTRUCT opens as structures drawn on
    // the CT (its layer is what it resolves to), the RTDOSE as an image layer in Gy.
    const opened = await page.evaluate(async () => {
      const [study] = await window.voxlens.pacs.search({ patientName: 'Phantom' });
      const list = await window.voxlens.pacs.series(study.studyUid);
      const open = (m: string) => window.voxlens.pacs.open(study.studyUid, list.find((x) => x.modality === m)!.seriesUid);
      const structures = await open('RTSTRUCT');
      const dose = await open('RTDOSE');
      return { structures: [structures.id, structures.structureSets?.length], dose: [dose.dims, dose.structureSets, window.voxlens.probe({ ijk: [5, 3, 1] }, dose.id)[0].scaled] };
    });
    expect(opened.structures).toEqual([ctLayer.id, 1]);
    expect(opened.dose).toEqual([[nx, ny, DOSE_PLANES], undefined, expect.closeTo(doseGy(5), 6)]);
    expect(await page.evaluate(() => window.voxlens.rt.structures().length)).toBe(4);

    // PALETTE COLOR and YBR from the PACS (issue 22): the metadata leaves out the palette's tables
    // and the transfer syntax, so each instance is decoded with its own format. Exact components.
    const colour = { 'palette.dcm': paletteImage(), 'ybr.dcm': colourImage({ photometric: 'YBR_FULL' }), 'ybr422.dcm': colourImage({ photometric: 'YBR_FULL_422' }) };
    for (const [n, bytes] of Object.entries(colour)) writeFileSync(join(dir, n), bytes);
    await orthanc.upload(Object.keys(colour).map((n) => join(dir, n)));
    const probed = await page.evaluate(async () => {
      const study = (await window.voxlens.pacs.search({})).find((x) => x.patientName?.includes('Breadth'))!;
      const list = await window.voxlens.pacs.series(study.studyUid);
      const out: Record<string, { datatype: string; raw: unknown[] }> = {};
      for (const photometric of ['PALETTE COLOR', 'YBR_FULL', 'YBR_FULL_422']) {
        const s = list.find((x) => x.description === `Breadth OT ${photometric}`)!;
        const layer = await window.voxlens.pacs.open(study.studyUid, s.seriesUid);
        out[photometric] = { datatype: layer.datatype, raw: [[0, 0], [5, 2], [3, 3]].map(([i, j]) => window.voxlens.probe({ ijk: [i, j, 0] }, layer.id)[0].raw) };
      }
      return out;
    });
    const ybrExpected = (i: number, j: number, pairChroma: boolean) => {
      const [y] = rgbToYbrFull(rgbValue(i, j));
      const [, cb, cr] = rgbToYbrFull(rgbValue(pairChroma ? i - (i % 2) : i, j));
      return ybrFullToRgb(y, cb, cr);
    };
    const at = [[0, 0], [5, 2], [3, 3]];
    expect(probed).toEqual({
      'PALETTE COLOR': { datatype: 'rgb24', raw: at.map(([i, j]) => paletteEntry((i + j) % 16).map((v) => v >> 8)) },
      YBR_FULL: { datatype: 'rgb24', raw: at.map(([i, j]) => ybrExpected(i, j, false)) },
      YBR_FULL_422: { datatype: 'rgb24', raw: at.map(([i, j]) => ybrExpected(i, j, true)) },
    });
  } finally {
    await orthanc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
