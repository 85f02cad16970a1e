// Probing and measurement: profiles, time courses and ROI statistics through the API against
// values computed here from the generated volume, pinned probes through the keyboard, shift+click
// and the API (table, markers, CSV, a closed layer), and the time course of a real 4D file.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { hasSharedData } from '../src/testing/sharedData';
import { loadInPage, openEmpty, serveFixtures, serveSharedData } from './helpers';

// 24 × 20 × 16 int16, 2 × 2 × 3 mm, value = 7·i + 3·j + k, scaled × 0.5 + 100.
const dims = [24, 20, 16];
const mm = [2, 2, 3];
const affine = [mm[0], 0, 0, -23, 0, mm[1], 0, -19, 0, 0, mm[2], -22.5, 0, 0, 0, 1];
const valueAt = (i: number, j: number, k: number) => 7 * i + 3 * j + k;
const scaledAt = (i: number, j: number, k: number) => valueAt(i, j, k) * 0.5 + 100;
const worldOf = (i: number, j: number, k: number): [number, number, number] => [mm[0] * i - 23, mm[1] * j - 19, mm[2] * k - 22.5];

function rampVolume(frames = 1): Uint8Array {
  const n = dims[0] * dims[1] * dims[2];
  const data = new Int16Array(n * frames);
  for (let t = 0; t < frames; t++)
    for (let k = 0; k < dims[2]; k++)
      for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[t * n + (k * dims[1] + j) * dims[0] + i] = valueAt(i, j, k) + 1000 * t;
  return encodeNifti({ dims: frames > 1 ? [...dims, frames] : dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(data.buffer), affine, slope: 0.5, inter: 100 });
}

async function openRamp(page: Page, query = 'layout=axial'): Promise<string> {
  await serveFixtures(page, { 'ramp.nii': rampVolume(), 'ramp4d.nii': rampVolume(5) });
  await openEmpty(page, query);
  return (await loadInPage(page, '/__fixtures__/ramp.nii')).id!;
}

test('profile, time course and ROI statistics: the numbers computed from the stored values', async ({ page }) => {
  const id = await openRamp(page);
  // A line along x through voxel row j = 5, k = 4: 12 samples from i = 2 to i = 13.
  const from = worldOf(2, 5, 4), to = worldOf(13, 5, 4);
  const profile = await page.evaluate(([a, b, layerId]) => window.voxlens.profile({ from: a, to: b, samples: 12 }, layerId), [from, to, id] as const);
  expect(profile.distance[11]).toBeCloseTo(22);
  expect(profile.ijk).toEqual([...Array(12).keys()].map((s) => [2 + s, 5, 4]));
  expect(profile.scaled).toEqual([...Array(12).keys()].map((s) => scaledAt(2 + s, 5, 4)));
  expect(profile.raw).toEqual([...Array(12).keys()].map((s) => valueAt(2 + s, 5, 4)));
  // Each point is exactly what probe({ world }) says there, off-grid points included.
  const odd = await page.evaluate((layerId) => {
    const line = { from: [-20.3, -7.7, 1.1] as [number, number, number], to: [15.9, 12.2, -9.4] as [number, number, number], samples: 17 };
    const p = window.voxlens.profile(line, layerId);
    const probes = p.distance.map((_, s) => {
      const f = s / 16;
      const w = [0, 1, 2].map((a) => line.from[a] + (line.to[a] - line.from[a]) * f) as [number, number, number];
      return window.voxlens.probe({ world: w }, layerId)[0];
    });
    return { p, probes };
  }, id);
  expect(odd.p.raw).toEqual(odd.probes.map((r) => r.raw));
  expect(odd.p.ijk).toEqual(odd.probes.map((r) => r.ijk));

  // ROI: an 8 × 6 mm rectangle centred on voxel (10, 8, 5) in the axial plane: i 8–12, j 7–9.
  const roi = await page.evaluate(([c, layerId]) => window.voxlens.roi({ shape: 'rectangle', pane: 'axial', center: c, size: [8, 6] }, layerId), [worldOf(10, 8, 5), id] as const);
  const values: number[] = [];
  for (let i = 8; i <= 12; i++) for (let j = 7; j <= 9; j++) values.push(scaledAt(i, j, 5));
  const mean = values.reduce((a, b) => a + b) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
  expect(roi.count).toBe(15);
  expect(roi.areaMm2).toBe(60);
  expect(roi.mean).toBeCloseTo(mean, 9);
  expect(roi.sd).toBeCloseTo(sd, 9);
  expect([roi.min, roi.max]).toEqual([Math.min(...values), Math.max(...values)]);
  // An ellipse of 9 mm diameters in the coronal plane (x, z) through j = 8.
  const ell = await page.evaluate(([c, layerId]) => window.voxlens.roi({ shape: 'ellipse', pane: 'coronal', center: c, size: [9, 9] }, layerId), [worldOf(10, 8, 5), id] as const);
  let n = 0, sum = 0;
  for (let i = 0; i < dims[0]; i++)
    for (let k = 0; k < dims[2]; k++) {
      const dx = mm[0] * (i - 10), dz = mm[2] * (k - 5);
      if ((dx / 4.5) ** 2 + (dz / 4.5) ** 2 <= 1) {
        n++;
        sum += scaledAt(i, 8, k);
      }
    }
  expect(ell.count).toBe(n);
  expect(ell.mean).toBeCloseTo(sum / n, 9);
  expect(ell.areaMm2).toBe(n * mm[0] * mm[2]);

  // Time course of a 4D layer: one entry per frame, by index and by world point.
  const four = (await loadInPage(page, '/__fixtures__/ramp4d.nii')).id!;
  const tc = await page.evaluate((layerId) => window.voxlens.timecourse({ ijk: [3, 4, 5] }, layerId), four);
  expect(tc.raw).toEqual([0, 1, 2, 3, 4].map((t) => valueAt(3, 4, 5) + 1000 * t));
  expect(tc.scaled).toEqual(tc.raw.map((r) => r * 0.5 + 100));
  const byWorld = await page.evaluate(([w, layerId]) => window.voxlens.timecourse({ world: w }, layerId), [worldOf(3, 4, 5), four] as const);
  expect(byWorld.raw).toEqual(tc.raw);
  // Bad arguments are refused by name.
  const errors = await page.evaluate((layerId) => {
    const tries = [
      () => window.voxlens.profile({ from: [0, 0, 0], to: [1, 1, 1], samples: 1 }, layerId),
      () => window.voxlens.roi({ shape: 'star' as never, pane: 'axial', center: [0, 0, 0], size: [1, 1] }, layerId),
      () => window.voxlens.roi({ shape: 'ellipse', pane: 'axial', center: [0, 0, 0], size: [1, 1] }, 'nope'),
    ];
    return tries.map((f) => {
      try {
        f();
        return 'accepted';
      } catch (e) {
        return String(e);
      }
    });
  }, id);
  expect(errors[0]).toContain('samples');
  expect(errors[1]).toContain('shape');
  expect(errors[2]).toContain('No layer');
});

test('pinned probes: P at the cursor and shift+click pin, the table holds exact values, markers show, CSV exports, a closed layer says so', async ({ page }) => {
  const id = await openRamp(page);
  const pane = page.getByTestId('view-axial');
  const box = (await pane.boundingBox())!;
  // Hover a point, press P: a pin at the voxel under the cursor.
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.55);
  await page.keyboard.press('p');
  const table = page.getByTestId('pins-panel');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  const [pin] = await page.evaluate(() => window.voxlens.pins.list());
  const probe = (await page.evaluate(([w, layerId]) => window.voxlens.probe({ world: w }, layerId), [pin.world, id] as const))[0];
  expect(pin.layers[0]).toMatchObject({ layerId: id, closed: false, inside: true, ijk: probe.ijk, raw: probe.raw, scaled: probe.scaled });
  const [i, j, k] = probe.ijk;
  expect(probe.raw).toBe(valueAt(i, j, k));
  await expect(table.getByTestId(`pin-${pin.id}`).locator('.pin-values [data-v]')).toHaveText([`${i}, ${j}, ${k}`, `${valueAt(i, j, k)}`, `${scaledAt(i, j, k)}`]);
  // Shift+click another point: a second pin there; the crosshair stays where it was.
  const crosshair = await page.evaluate(() => window.voxlens.crosshair());
  await page.keyboard.down('Shift');
  await page.mouse.click(box.x + box.width * 0.6, box.y + box.height * 0.35);
  await page.keyboard.up('Shift');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  expect(await page.evaluate(() => window.voxlens.crosshair())).toEqual(crosshair);
  // Both are on the axial plane shown: two markers.
  await expect(pane.getByTestId('pin-marker')).toHaveCount(2);
  // Rename the first, then export.
  await table.getByLabel('Label of P1').fill('lesion');
  const csv = await page.evaluate(() => window.voxlens.pins.export('csv'));
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('pin,label,x_mm,y_mm,z_mm,layer,i,j,k,t,raw,scaled,status');
  expect(lines[1]).toBe([pin.id, 'lesion', ...pin.world, 'ramp.nii', i, j, k, '', valueAt(i, j, k), scaledAt(i, j, k), 'ok'].join(','));
  expect(lines).toHaveLength(3);
  const download = page.waitForEvent('download');
  await table.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toBe('voxlens-pins.csv');
  // A click on a row moves the crosshair to the pin.
  await table.getByTestId(`pin-${pin.id}`).locator('td').nth(1).click();
  expect(await page.evaluate(() => window.voxlens.crosshair())).toEqual(pin.world);
  // Closing the layer: the rows say so instead of keeping the numbers.
  await page.evaluate((layerId) => window.voxlens.close(layerId), id);
  await expect(table.getByTestId(`pin-${pin.id}`)).toContainText('layer closed');
  const after = await page.evaluate(() => window.voxlens.pins.list());
  expect(after[0].layers[0]).toMatchObject({ closed: true });
  expect(await page.evaluate(() => window.voxlens.pins.export('csv'))).toContain('layer closed');
  // Remove and clear through the API and the panel.
  await page.evaluate((pinId) => window.voxlens.pins.remove(pinId), pin.id);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await table.getByRole('button', { name: 'Clear' }).click();
  expect(await page.evaluate(() => window.voxlens.pins.list())).toEqual([]);
});

test('time course of pcasl.nii.gz at the manifest probes equals the decoded buffer', async ({ page }) => {
  test.skip(!hasSharedData, '../shared/data is absent');
  await serveSharedData(page);
  await openEmpty(page);
  const id = (await loadInPage(page, '/__shared__/pcasl.nii.gz')).id!;
  const check = await page.evaluate((layerId) => {
    const info = window.voxlens.layers().find((l) => l.id === layerId)!;
    const [nx, ny, nz, nt] = info.dims;
    const view = window.voxlens.view(layerId);
    const out: { tc: number[]; expected: number[] }[] = [];
    for (const ijk of [[26, 34, 10], [27, 60, 15], [0, 0, 0], [40, 20, 5]]) {
      const tc = window.voxlens.timecourse({ ijk }, layerId).raw;
      const expected = [...Array(nt).keys()].map((t) => Number(view.array[t * nx * ny * nz + (ijk[2] * ny + ijk[1]) * nx + ijk[0]]));
      out.push({ tc, expected });
    }
    view.release();
    return out;
  }, id);
  for (const { tc, expected } of check) expect(tc).toEqual(expected);
  // The manifest's probe at the centre, frame 5: 988.
  expect((await page.evaluate((layerId) => window.voxlens.timecourse({ ijk: [26, 34, 10] }, layerId), id)).raw[5]).toBe(988);
});

test('drawing on a slice pane: a line with its length and profile plot, an angle, an ellipse ROI whose panel numbers equal voxlens.roi', async ({ page }) => {
  const id = await openRamp(page);
  await page.evaluate(() => window.voxlens.setCrosshair([1, 1, 0]));
  const pane = page.getByTestId('view-axial');
  const box = (await pane.boundingBox())!;
  // Where a world point of the axial plane shows, from two probes of the pane's transform.
  const worldAtPx = async (x: number, y: number) => {
    await page.mouse.move(box.x + x, box.y + y);
    return (await page.evaluate(() => window.voxlens.cursor()))!;
  };
  const a = await worldAtPx(100, 120), b = await worldAtPx(220, 120);
  const mmPerPx = (b[0] - a[0]) / 120;
  // Line: drag 120 px to the right.
  await page.getByTestId('tool-line').click();
  await page.mouse.move(box.x + 100, box.y + 120);
  await page.mouse.down();
  await page.mouse.move(box.x + 160, box.y + 120, { steps: 2 });
  await page.mouse.move(box.x + 220, box.y + 120, { steps: 2 });
  await page.mouse.up();
  const panel = page.getByTestId('measure-panel');
  const lineRow = panel.locator('[data-testid^="measurement-"]').first();
  await expect(lineRow.getByTestId('measure-value')).toHaveText(`${(120 * Math.abs(mmPerPx)).toFixed(1)} mm`);
  await expect(pane.getByTestId('measure-line')).toHaveCount(1);
  // Its profile: one series for the layer, drawn with uPlot; hovering the plot marks the sample on the line.
  const plot = page.getByTestId('profile-plot');
  await expect(plot.locator('canvas')).toHaveCount(1);
  const over = (await plot.locator('.u-over').boundingBox())!;
  await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
  await expect(pane.getByTestId('profile-hover')).toHaveCount(1);
  const hover = (await pane.getByTestId('profile-hover').boundingBox())!;
  expect(Math.abs(hover.x + hover.width / 2 - (box.x + 160))).toBeLessThan(4);
  // The plotted values are the API's profile along the same line.
  const list = await page.evaluate(() => window.voxlens.measurements());
  expect(list[0]).toMatchObject({ kind: 'line', plane: 'axial' });
  expect(list[0].lengthMm).toBeCloseTo(120 * Math.abs(mmPerPx), 6);

  // Angle: first arm dragged from its end to the vertex, then a click at the second arm's end (a right angle).
  await page.getByTestId('tool-angle').click();
  await page.mouse.move(box.x + 100, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 160, box.y + 200, { steps: 3 });
  await page.mouse.up();
  await page.mouse.move(box.x + 160, box.y + 260, { steps: 3 });
  await page.mouse.click(box.x + 160, box.y + 260);
  const angle = (await page.evaluate(() => window.voxlens.measurements())).find((m) => m.kind === 'angle')!;
  expect(angle.angleDeg).toBeCloseTo(90, 6);
  await expect(pane.getByTestId('measure-angle')).toContainText('90.0°');

  // Ellipse: drag its box; the panel's numbers are voxlens.roi's for the same ellipse.
  await page.getByTestId('tool-ellipse').click();
  await page.mouse.move(box.x + 60, box.y + 60);
  await page.mouse.down();
  await page.mouse.move(box.x + 150, box.y + 110, { steps: 3 });
  await page.mouse.up();
  const ell = (await page.evaluate(() => window.voxlens.measurements())).find((m) => m.kind === 'ellipse')!;
  const [p, q] = ell.points;
  const centre = [0, 1, 2].map((k) => (p[k] + q[k]) / 2) as [number, number, number];
  const api = await page.evaluate(
    ([c, size, layerId]) => window.voxlens.roi({ shape: 'ellipse', pane: 'axial', center: c, size }, layerId),
    [centre, [Math.abs(q[0] - p[0]), Math.abs(q[1] - p[1])] as [number, number], id] as const,
  );
  expect(api.count).toBeGreaterThan(2);
  expect(ell.stats![0].stats).toEqual(api);
  const statsRow = panel.getByTestId('roi-stats').first();
  await expect(statsRow.locator('td').nth(1)).toHaveText(String(api.count));
  await expect(pane.getByTestId('measure-ellipse')).toContainText(`(n ${api.count})`);
  // Export, Escape back to the crosshair tool, and closing the layer removes the measurements.
  const json = JSON.parse(await page.evaluate(() => window.voxlens.exportMeasurements()));
  expect(json).toHaveLength(3);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('tool-crosshair')).toHaveAttribute('aria-pressed', 'true');
  await page.evaluate((layerId) => window.voxlens.close(layerId), id);
  expect(await page.evaluate(() => window.voxlens.measurements())).toEqual([]);
});

test('volume per label: counted off the main thread, voxels × voxel volume, in the panel and the API', async ({ page }) => {
  // 10 × 8 × 6 labels, 2 × 2 × 3 mm voxels: label 1 in the first 100 voxels, 7 in the next 20, 0 elsewhere.
  const labels = new Uint8Array(480);
  labels.fill(1, 0, 100);
  labels.fill(7, 100, 120);
  await serveFixtures(page, { 'labels.nii': encodeNifti({ dims: [10, 8, 6], datatypeCode: 2, bitpix: 8, data: labels, affine: [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1], intentCode: 1002 }) });
  await openEmpty(page);
  const id = (await loadInPage(page, '/__fixtures__/labels.nii')).id!;
  const rows = await page.evaluate((layerId) => window.voxlens.labelVolumes(layerId), id);
  expect(rows).toEqual([
    { label: 0, voxels: 360, volumeMm3: 4320 },
    { label: 1, voxels: 100, volumeMm3: 1200 },
    { label: 7, voxels: 20, volumeMm3: 240 },
  ]);
  // The count held a pin on the buffer only while it ran.
  const pins = await page.evaluate(() => window.voxlens.memory().buffers.flatMap((b) => b.pins.map((p) => p.owner)));
  expect(pins).not.toContain('analysis');
  const panel = page.getByTestId('label-volumes');
  await panel.getByRole('button', { name: 'Count' }).click();
  await expect(panel.getByTestId('label-volume')).toHaveCount(3);
  await expect(panel.getByTestId('label-volume').nth(2)).toHaveText(['7', '', '20', '240'].join(''));
});
