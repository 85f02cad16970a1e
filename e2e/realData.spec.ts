// Every single-file volume (NIfTI, NRRD, MGZ) in ../shared/data, loaded in the browser through window.voxlens, against the
// independently computed manifest. Skips when ../shared/data is absent.
import { expect, test } from './fixtures';
import { PNG } from 'pngjs';
import { close, hasSharedData, manifestDatatype, volumeEntries, SKIP_REASON } from '../src/testing/sharedData';
import { formatValue } from '../src/ui/format';
import { loadInPage, openEmpty, serveSharedData } from './helpers';

test.skip(!hasSharedData, SKIP_REASON);

test('every NIfTI, NRRD and MGZ file: dims, datatype, affine, axis codes and probes match the manifest', async ({ page }) => {
  test.setTimeout(120_000);
  await serveSharedData(page);
  await openEmpty(page);
  for (const entry of volumeEntries()) {
    const r = await loadInPage(page, `/__shared__/${entry.file}`);
    expect(r.code, `${entry.file}: ${r.message}`).toBeUndefined();
    const { info, probes } = await page.evaluate(
      ([id, ijks]) => {
        const info = window.voxlens.layers().find((l) => l.id === id)!;
        return { info, probes: ijks.map((ijk) => window.voxlens.probe({ ijk }, id)[0]) };
      },
      [r.id!, entry.probes.map((p) => p.ijk)] as const,
    );
    expect(info.dims, entry.file).toEqual(entry.dims);
    expect(info.datatype).toBe(manifestDatatype(entry));
    expect(info.axcodes).toBe(entry.axcodes);
    entry.affine.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(info.affine[i][j] - v), `${entry.file} affine[${i}][${j}]`).toBeLessThan(1e-4)));
    entry.probes.forEach((p, n) => {
      const got = probes[n];
      for (const [a, e] of [[got.raw, p.raw], [got.scaled, p.scaled]] as const) {
        const as = ([] as number[]).concat(a);
        const es = ([] as number[]).concat(e);
        as.forEach((v, i) => expect(close(v, es[i]), `${entry.file} ${p.label} ${p.ijk}: ${v} vs ${es[i]}`).toBe(true));
      }
      got.world.forEach((v, i) => expect(Math.abs(v - p.world[i])).toBeLessThan(1e-3));
    });
    await page.evaluate((id) => window.voxlens.close(id), r.id!);
  }
  // Everything closed: no pins left behind.
  const memory = await page.evaluate(async () => {
    await window.voxlens.frame();
    return window.voxlens.memory();
  });
  expect(memory.liveBytes).toBe(0);
  expect(memory.buffers.every((b) => b.pins.length === 0)).toBe(true);
});

test('FLAIR with the AAL atlas over it (2x2): given order, grey base, the atlas as a label map in every pane', async ({ page }) => {
  await serveSharedData(page);
  await page.goto('/?layout=2x2&url=/__shared__/FLAIR.nii.gz&url=/__shared__/aal.nii.gz');
  await page.waitForFunction(() => window.voxlens?.layers().length === 2);
  await page.evaluate(() => window.voxlens.frame());
  const layers = await page.evaluate(() => window.voxlens.layers().map((l) => ({ name: l.name, colormap: l.display.colormap, interpolation: l.display.interpolation })));
  expect(layers).toEqual([
    { name: 'FLAIR.nii.gz', colormap: 'gray', interpolation: 'nearest' },
    { name: 'aal.nii.gz', colormap: 'label', interpolation: 'nearest' },
  ]);
  // The atlas (intent_code 1002) colours regions in each 2D pane: many saturated pixels.
  for (const pane of ['axial', 'coronal', 'sagittal']) {
    const png = await page.getByTestId(`view-${pane}`).screenshot();
    const img = PNG.sync.read(png);
    let coloured = 0;
    for (let o = 0; o < img.data.length; o += 4 * 7) {
      const [r, g, b] = [img.data[o], img.data[o + 1], img.data[o + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    }
    expect(coloured, pane).toBeGreaterThan(500);
  }
  // The probe names the label index under the crosshair (no lookup opened: the index itself).
  await expect(page.getByTestId('probe-panel')).toContainText('Label');
});

test('every NIfTI, NRRD and MGZ file: each manifest probe by world point through the API, and by hovering its voxel in the axial pane (the panel text)', async ({ page }) => {
  test.setTimeout(180_000);
  await serveSharedData(page);
  await openEmpty(page);
  for (const entry of volumeEntries()) {
    const r = await loadInPage(page, `/__shared__/${entry.file}`);
    expect(r.code, `${entry.file}: ${r.message}`).toBeUndefined();
    const id = r.id!;
    const pane = page.getByTestId('view-axial');
    for (const p of entry.probes) {
      const t = p.ijk.length > 3 ? p.ijk[3] : 0;
      // By world point: the inverse affine, rounded to the nearest voxel centre, at the probe's frame.
      const got = await page.evaluate(
        ([layerId, w, frame]) => {
          window.voxlens.setDisplay(layerId, { frame });
          return window.voxlens.probe({ world: w }, layerId)[0];
        },
        [id, p.world as [number, number, number], t] as const,
      );
      expect(got.ijk.slice(0, 3), `${entry.file} ${p.label} by world`).toEqual(p.ijk.slice(0, 3));
      ([] as number[]).concat(got.raw).forEach((v, i) => expect(close(v, ([] as number[]).concat(p.raw)[i]), `${entry.file} ${p.label}: ${v}`).toBe(true));
      // By hovering: the crosshair on the voxel puts its slice in the axial pane and its centre under the crosshair lines.
      await page.evaluate((w) => window.voxlens.setCrosshair(w), p.world as [number, number, number]);
      const lines = pane.getByTestId('crosshair-lines').locator('line');
      const cy = Number(await lines.nth(0).getAttribute('y1'));
      const cx = Number(await lines.nth(1).getAttribute('x1'));
      const box = (await pane.boundingBox())!;
      await page.mouse.move(box.x + cx, box.y + cy);
      const row = page.getByTestId(`probe-${id}`);
      await expect(row.getByTestId('probe-ijk'), `${entry.file} ${p.label} hovered`).toHaveText(p.ijk.slice(0, 3).join(', '));
      await expect(row.getByTestId('probe-raw')).toHaveText(formatValue(got.raw));
    }
    await page.mouse.move(0, 0);
    await page.evaluate((layerId) => window.voxlens.close(layerId), id);
  }
});
