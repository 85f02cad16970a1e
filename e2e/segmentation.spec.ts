// Segmentation editing (issue 24) on a small generated volume: a sphere's voxel count and mean
// against the test's own computation, region grow against a CPU flood fill, threshold paint inside
// its range only, byte-identical undo/redo (read through voxlens.view), locked segments, edits
// uploaded as texSubImage3D of the dirty box only (GL wrapped), the NIfTI export reopening with
// the same labels, a closed base layer; a brush stroke with the mouse in a pane; and a DICOM SEG
// sent to a real PACS (Orthanc) and reopened from it on its series.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ctSeries, writeCtSeries } from '../scripts/makeDicomSeries';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { loseAndRestoreContext, openEmpty, serveFixtures } from './helpers';
import { grab } from './pixels';
import { hasOrthanc, ORTHANC_SKIP, startOrthanc, type Orthanc } from './orthanc';

type V3 = [number, number, number];
const dims: V3 = [32, 28, 20];
const [nx, ny, nz] = dims;
const nvox = nx * ny * nz;
// Anisotropic, shifted: 1.25 × 1.0 × 1.5 mm (exact in float32, as the file stores them).
const affine = [1.25, 0, 0, -18, 0, 1, 0, -14, 0, 0, 1.5, -12, 0, 0, 0, 1];
const slope = 0.5;
const inter = -10;
/** int16 values: a bright blob (raw 400..460) in a noisy background (raw 0..199); scaled = raw·0.5 − 10. */
const raw = new Int16Array(nvox).map((_, v) => {
  const i = v % nx, j = Math.floor(v / nx) % ny, k = Math.floor(v / (nx * ny));
  const hash = (v * 2654435761) >>> 0;
  const inBlob = (i - 16) ** 2 / 64 + (j - 14) ** 2 / 49 + (k - 10) ** 2 / 25 <= 1;
  return inBlob ? 400 + (hash % 61) : hash % 200;
});
const scaled = (v: number) => raw[v] * slope + inter;
const ijkOf = (v: number): V3 => [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
const world = ([i, j, k]: V3): V3 => [affine[0] * i + affine[3], affine[5] * j + affine[7], affine[10] * k + affine[11]];
const volume = encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(raw.buffer), affine, slope, inter });

function cpuFlood(seed: V3, [lo, hi]: [number, number], conn: 6 | 26): Set<number> {
  const ok = (v: number) => scaled(v) >= lo && scaled(v) <= hi;
  const s = seed[0] + nx * (seed[1] + ny * seed[2]);
  const seen = new Set<number>(ok(s) ? [s] : []);
  const stack = [...seen];
  while (stack.length) {
    const [i, j, k] = ijkOf(stack.pop()!);
    for (let dk = -1; dk <= 1; dk++) for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
      const m = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
      if (!m || (conn === 6 && m > 1)) continue;
      const [a, b, c] = [i + di, j + dj, k + dk];
      if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
      const w = a + nx * (b + ny * c);
      if (!seen.has(w) && ok(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen;
}

/** Init script: every texImage3D / texSubImage3D with its box, in window.__gl. */
function wrapGl(): void {
  const calls: { fn: string; box: number[]; bytes: number }[] = [];
  (window as unknown as { __gl: typeof calls }).__gl = calls;
  const proto = WebGL2RenderingContext.prototype;
  const sub = proto.texSubImage3D;
  proto.texSubImage3D = function (this: WebGL2RenderingContext, ...a: unknown[]) {
    const data = a[10];
    calls.push({ fn: 'sub', box: (a.slice(2, 8) as number[]), bytes: ArrayBuffer.isView(data) ? data.byteLength : 0 });
    return (sub as (...x: unknown[]) => void).apply(this, a);
  } as typeof proto.texSubImage3D;
  const img = proto.texImage3D;
  proto.texImage3D = function (this: WebGL2RenderingContext, ...a: unknown[]) {
    calls.push({ fn: 'img', box: (a.slice(3, 6) as number[]), bytes: 0 });
    return (img as (...x: unknown[]) => void).apply(this, a);
  } as typeof proto.texImage3D;
}

/** Pixels of a pane that are clearly green (the test's segment colour; the image is grey). */
async function greenPixels(page: Page, testId: string): Promise<number> {
  await page.evaluate(() => window.voxlens.frame());
  const g = await grab(page.getByTestId(testId));
  let n = 0;
  for (let y = 0; y < g.height; y++)
    for (let x = 0; x < g.width; x++) {
      const [r, gr, b] = g.at(x, y);
      if (gr > 100 && gr - r > 50 && gr - b > 50) n++;
    }
  return n;
}

const labelsOf = (page: Page, id: string) =>
  page.evaluate((segId) => Array.from(window.voxlens.view(segId, { copy: true }).array as Uint8Array), id);

async function setup(page: Page): Promise<{ base: string; seg: string }> {
  await page.addInitScript(wrapGl);
  await serveFixtures(page, { 'blob.nii': volume });
  await openEmpty(page);
  const base = await page.evaluate(async () => (await window.voxlens.load('/__fixtures__/blob.nii')).id);
  await page.evaluate(() => window.voxlens.frame());
  const seg = await page.evaluate(async (b) => (await window.voxlens.segmentation.create(b, { name: 'Blob seg' })).id, base);
  await page.evaluate(() => window.voxlens.frame());
  return { base, seg };
}

test('segmentation API: sphere stats, grow, threshold, undo/redo, locks, box uploads, NIfTI round trip, base closed', async ({ page }) => {
  const { base, seg } = await setup(page);
  const layers = await page.evaluate(() => window.voxlens.layers().map((l) => ({ id: l.id, colormap: l.display.colormap, datatype: l.datatype })));
  expect(layers.find((l) => l.id === seg)).toMatchObject({ colormap: 'label', datatype: 'uint8' });

  // A sphere of radius 4.2 mm around a voxel centre: count and mean against this test's own sums.
  const centre = world([15, 13, 9]);
  const r = 4.2;
  const inSphere: number[] = [];
  for (let v = 0; v < nvox; v++) {
    const p = world(ijkOf(v));
    if (Math.hypot(p[0] - centre[0], p[1] - centre[1], p[2] - centre[2]) <= r) inSphere.push(v);
  }
  const mean = inSphere.reduce((a, v) => a + scaled(v), 0) / inSphere.length;
  const glBefore = await page.evaluate(() => (window as unknown as { __gl: unknown[] }).__gl.length);
  await page.evaluate(({ id, c, rad }) => window.voxlens.segmentation.paint(id, { center: c, radius: rad, shape: 'sphere', value: 1 }), { id: seg, c: centre, rad: r });
  const [row] = await page.evaluate((id) => window.voxlens.segmentation.stats(id), seg);
  expect(row).toMatchObject({ value: 1, name: 'Segment 1', voxels: inSphere.length });
  expect(row.mean).toBeCloseTo(mean, 6);
  expect(row.mm3).toBeCloseTo(inSphere.length * 1.25 * 1.5, 6);
  expect(row.min).toBe(Math.min(...inSphere.map(scaled)));
  // The edit reached the GPU as one texSubImage3D of the sphere's box, no texImage3D.
  const calls = await page.evaluate((n) => (window as unknown as { __gl: { fn: string; box: number[]; bytes: number }[] }).__gl.slice(n), glBefore);
  expect(calls.filter((c) => c.fn === 'img')).toEqual([]);
  const boxLo = [0, 1, 2].map((a) => Math.min(...inSphere.map((v) => ijkOf(v)[a])));
  const boxHi = [0, 1, 2].map((a) => Math.max(...inSphere.map((v) => ijkOf(v)[a])) + 1);
  expect(calls.filter((c) => c.fn === 'sub').map((c) => c.box)).toEqual([[...boxLo, ...[0, 1, 2].map((a) => boxHi[a] - boxLo[a])]]);
  let labels = await labelsOf(page, seg);
  expect(labels.filter((l) => l === 1).length).toBe(inSphere.length);
  expect(inSphere.every((v) => labels[v] === 1)).toBe(true);

  // Region grow (3D, 6- and 26-connected) equals the CPU flood fill.
  const seed: V3 = [16, 14, 10];
  for (const [conn, value] of [[6, 2], [26, 3]] as const) {
    const range: [number, number] = [195, 221];
    await page.evaluate(({ id, s, v, c, rg }) => window.voxlens.segmentation.fill(id, { seed: s, value: v, range: rg, connectivity: c }), { id: seg, s: world(seed), v: value, c: conn, rg: range });
    const want = cpuFlood(seed, range, conn);
    labels = await labelsOf(page, seg);
    expect(want.size).toBeGreaterThan(50);
    expect(labels.filter((l) => l === value).length).toBe(want.size);
    expect([...want].every((v) => labels[v] === value)).toBe(true);
    await page.evaluate((id) => window.voxlens.segmentation.undo(id), seg);
  }
  // …and it ran in the grow worker, over the shared reference image.
  const grows = await page.evaluate(() => performance.getEntriesByName('voxlens:segmentation:grow').map((e) => (e as PerformanceMeasure).detail as { inWorker: boolean; workerMs: number }));
  expect(grows.length).toBe(2);
  expect(grows.every((g) => g.inWorker && g.workerMs >= 0)).toBe(true);

  // Undo/redo round trips are byte-identical.
  const afterSphere = await labelsOf(page, seg);
  await page.evaluate(({ id, c }) => window.voxlens.segmentation.paint(id, { center: c, radius: 6, shape: 'disk', pane: 'axial', value: 4 }), { id: seg, c: world([10, 10, 9]) });
  const afterDisk = await labelsOf(page, seg);
  expect(afterDisk.filter((l) => l === 4).length).toBeGreaterThan(50);
  await page.evaluate((id) => window.voxlens.segmentation.undo(id), seg);
  expect(await labelsOf(page, seg)).toEqual(afterSphere);
  await page.evaluate((id) => window.voxlens.segmentation.redo(id), seg);
  expect(await labelsOf(page, seg)).toEqual(afterDisk);

  // Threshold paint never touches voxels outside its range.
  await page.evaluate(({ id, c }) => window.voxlens.segmentation.paint(id, { center: c, radius: 7, shape: 'sphere', value: 5, threshold: [40, 80] }), { id: seg, c: world([8, 20, 6]) });
  labels = await labelsOf(page, seg);
  const fives = labels.flatMap((l, v) => (l === 5 ? [v] : []));
  expect(fives.length).toBeGreaterThan(20);
  expect(fives.every((v) => scaled(v) >= 40 && scaled(v) <= 80)).toBe(true);

  // A locked segment survives the brush, the eraser and region grow.
  const ones = (await labelsOf(page, seg)).flatMap((l, v) => (l === 1 ? [v] : []));
  expect(ones.length).toBeGreaterThan(50);
  await page.evaluate((id) => window.voxlens.segmentation.setSegment(id, 1, { locked: true }), seg);
  await page.evaluate(async ({ id, c, s }) => {
    await window.voxlens.segmentation.paint(id, { center: c, radius: 8, shape: 'sphere', value: 6 });
    await window.voxlens.segmentation.paint(id, { center: c, radius: 8, shape: 'sphere', value: 0 });
    await window.voxlens.segmentation.fill(id, { seed: s, value: 6, range: [-10, 1000], connectivity: 26 });
  }, { id: seg, c: centre, s: world([0, 0, 0]) });
  labels = await labelsOf(page, seg);
  expect(ones.every((v) => labels[v] === 1)).toBe(true);
  expect(labels.filter((l) => l === 1).length).toBe(ones.length);
  expect(labels.filter((l) => l === 6).length).toBeGreaterThan(1000);
  await page.evaluate((id) => window.voxlens.segmentation.undo(id), seg);

  // The NIfTI export reopens as a label map with the same labels and names.
  const before = await labelsOf(page, seg);
  const reopened = await page.evaluate(async (id) => {
    const bytes = await window.voxlens.segmentation.export(id, 'nifti');
    const layer = await window.voxlens.load(new File([bytes.slice()], 'seg.nii'));
    const h = window.voxlens.view(layer.id, { copy: true });
    return { id: layer.id, colormap: layer.display.colormap, labels: Array.from(h.array as Uint8Array), name: window.voxlens.probe({ ijk: [15, 13, 9] }, layer.id)[0].labelName };
  }, seg);
  expect(reopened.labels).toEqual(before);
  expect(reopened.colormap).toBe('label');
  expect(reopened.name).toBe('Segment 1');
  // The reopened label map is edited in place: its segments named, measured over the image on its grid.
  const edited = await page.evaluate(async (id) => {
    const { id: segId } = window.voxlens.segmentation.edit(id);
    return { segId, segments: window.voxlens.segmentation.segments(segId).map((s) => s.name), stats: window.voxlens.segmentation.stats(segId) };
  }, reopened.id);
  expect(edited.segId).toBe(reopened.id);
  expect(edited.segments).toContain('Segment 1');
  const onesNow = before.flatMap((l, v) => (l === 1 ? [v] : []));
  expect(edited.stats.find((r) => r.value === 1)).toMatchObject({ voxels: onesNow.length });
  expect(edited.stats.find((r) => r.value === 1)!.mean).toBeCloseTo(onesNow.reduce((a, v) => a + scaled(v), 0) / onesNow.length, 6);
  await page.evaluate((id) => window.voxlens.close(id), reopened.id);

  // A DICOM SEG of a non-DICOM image is refused, saying NIfTI only.
  const refusal = await page.evaluate((id) => window.voxlens.segmentation.export(id, 'dicom-seg').then(() => null, (e: { code: string; message: string }) => ({ code: e.code, message: e.message })), seg);
  expect(refusal?.message).toMatch(/NIfTI only/);

  // The base layer closed: the segmentation still edits and measures the same reference values.
  await page.evaluate((id) => window.voxlens.close(id), base);
  await page.evaluate(({ id, c }) => window.voxlens.segmentation.paint(id, { center: c, radius: 3, shape: 'sphere', value: 7 }), { id: seg, c: world([25, 6, 14]) });
  const seven = (await page.evaluate((id) => window.voxlens.segmentation.stats(id), seg)).find((s) => s.value === 7)!;
  labels = await labelsOf(page, seg);
  const sevens = labels.flatMap((l, v) => (l === 7 ? [v] : []));
  expect(seven.voxels).toBe(sevens.length);
  expect(seven.mean).toBeCloseTo(sevens.reduce((a, v) => a + scaled(v), 0) / sevens.length, 6);
  // The undo history's bytes are in the memory report.
  expect(await page.evaluate((id) => window.voxlens.segmentation.history(id).bytes, seg)).toBeGreaterThan(0);
});

test('Segment panel: a brush stroke with the mouse paints a disk trail in the axial slice, survives a context loss; Ctrl+Z undoes it', async ({ page }) => {
  // Tint, 3D and layer statistics share this page load (about 30 s on an idle machine; the limit is for a loaded one).
  test.setTimeout(180_000);
  const { seg } = await setup(page);
  const panel = page.getByTestId('segment-panel');
  await expect(panel.getByTestId('segment-1')).toBeVisible();
  await page.evaluate((id) => window.voxlens.segmentation.setSegment(id, 1, { color: [0, 255, 0] }), seg);
  // The threshold brush's range is tinted live in the segment's colour: the blob (scaled 190…220) under
  // a range around it, nothing under a range no voxel has, and none once the tool is put down.
  // (The crosshair is drawn in green too: counted before, as the baseline.)
  const baseline = await greenPixels(page, 'view-axial');
  await panel.getByTestId('segment-tool-threshold').click();
  await panel.getByLabel('Range low').fill('185');
  await panel.getByLabel('Range high').fill('225');
  const tinted = (await greenPixels(page, 'view-axial')) - baseline;
  expect(tinted).toBeGreaterThan(500);
  await page.screenshot({ path: test.info().outputPath('threshold-tint.png') });
  await panel.getByLabel('Range low').fill('1000');
  await panel.getByLabel('Range high').fill('2000');
  await expect.poll(() => greenPixels(page, 'view-axial')).toBe(baseline);
  await panel.getByLabel('Range low').fill('-20');
  await panel.getByLabel('Range high').fill('225');
  // The whole image's range: the tint covers more than the blob.
  await expect.poll(async () => (await greenPixels(page, 'view-axial')) - baseline).toBeGreaterThan(tinted * 2);
  await panel.getByTestId('segment-tool-threshold').click();
  await expect.poll(() => greenPixels(page, 'view-axial')).toBe(baseline);
  await panel.getByTestId('segment-tool-brush').click();
  await panel.getByTestId('segment-radius').fill('2.5');
  const pane = page.getByTestId('view-axial');
  const box = (await pane.boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(cx - 40, cy);
  await expect(page.getByTestId('segment-cursor')).toBeVisible();
  await page.mouse.down();
  for (let s = 1; s <= 8; s++) await page.mouse.move(cx - 40 + s * 10, cy);
  await page.mouse.up();
  await page.evaluate(() => window.voxlens.frame());
  const crosshair = (await page.evaluate(() => window.voxlens.crosshair()))!;
  const k = Math.round((crosshair[2] - affine[11]) / affine[10]);
  const labels = await labelsOf(page, seg);
  const painted = labels.flatMap((l, v) => (l === 1 ? [v] : []));
  // A trail in one axial slice, longer along x (the drag) than the 5 mm disk is wide.
  expect(painted.length).toBeGreaterThan(20);
  const is = painted.map((v) => ijkOf(v)[0]);
  const js = painted.map((v) => ijkOf(v)[1]);
  expect(Math.max(...is) - Math.min(...is)).toBeGreaterThan(Math.max(...js) - Math.min(...js) + 2);
  expect(new Set(painted.map((v) => ijkOf(v)[2]))).toEqual(new Set([k]));
  await expect(panel.getByTestId('segment-stats-1')).toContainText(String(painted.length));
  // One stroke is one undo step.
  expect(await page.evaluate((id) => window.voxlens.segmentation.history(id).undo, seg)).toBe(1);
  await page.screenshot({ path: test.info().outputPath('segment-panel.png') });
  // A lost WebGL context comes back showing the edited labels: textures rebuild from the edited buffer.
  const painted1 = await pane.screenshot();
  await loseAndRestoreContext(page);
  expect((await pane.screenshot()).equals(painted1)).toBe(true);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await labelsOf(page, seg)).some((l) => l !== 0)).toBe(false);
  await page.evaluate(() => window.voxlens.frame());
  // …and the painted picture differed from the unpainted one.
  expect((await pane.screenshot()).equals(painted1)).toBe(false);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(async () => (await labelsOf(page, seg)).filter((l) => l === 1).length).toBe(painted.length);

  // 3D: the segments are drawn as surfaces in their list colours, and follow each edit.
  await page.keyboard.press('Escape');
  await page.evaluate(() => window.voxlens.setLayout('3d'));
  const before3d = await greenPixels(page, 'view-3d');
  await page.evaluate(({ id, c }) => window.voxlens.segmentation.paint(id, { center: c, radius: 6, shape: 'sphere', value: 1 }), { id: seg, c: world([16, 14, 10]) });
  const sphere3d = await greenPixels(page, 'view-3d');
  expect(sphere3d).toBeGreaterThan(before3d + 300);
  await page.screenshot({ path: test.info().outputPath('segment-3d.png') });
  await page.evaluate((id) => window.voxlens.segmentation.undo(id), seg);
  await expect.poll(() => greenPixels(page, 'view-3d')).toBeLessThan(sphere3d - 300);
  await page.evaluate((id) => window.voxlens.segmentation.redo(id), seg);

  // Every visible image layer's statistics inside each segment: a second image (the same file) gets its own rows.
  await page.evaluate(() => window.voxlens.setLayout('axial'));
  const second = await page.evaluate(async () => (await window.voxlens.load('/__fixtures__/blob.nii', { name: 'second image' })).id);
  const layerStats = await page.evaluate((id) => window.voxlens.segmentation.layerStats(id), seg);
  expect(layerStats.map((l) => [l.layerName, l.reference])).toEqual([['blob.nii', true], ['second image', false]]);
  const ones = (await labelsOf(page, seg)).flatMap((l, v) => (l === 1 ? [v] : []));
  const mean = ones.reduce((a, v) => a + scaled(v), 0) / ones.length;
  for (const l of layerStats) {
    expect(l.rows[0].voxels).toBe(ones.length);
    expect(l.rows[0].mean).toBeCloseTo(mean, 6);
    expect(l.rows[0].max).toBe(Math.max(...ones.map(scaled)));
  }
  await expect(panel.getByTestId(`segment-layer-stats-${second}-1`)).toContainText(String(ones.length));
  await expect(panel.getByTestId(`segment-layer-stats-${second}`)).toContainText('In second image');
  const download = page.waitForEvent('download');
  await panel.getByTestId('segment-stats-csv').click();
  const csv = await (await download).createReadStream().then(async (st) => {
    const chunks: Buffer[] = [];
    for await (const c of st) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  });
  expect(csv.split('\n')[0]).toContain('second_image_mean,second_image_sd,second_image_min,second_image_max');
  expect(Number(csv.split('\n')[1].split(',').at(-4))).toBeCloseTo(mean, 6);
  await page.screenshot({ path: test.info().outputPath('segment-panel-layers.png'), fullPage: true });

  // 3D with another overlay before the segmentation in the layer order (base, second image,
  // segmentation): the segment is still drawn in its colour, and goes when the segmentation is hidden.
  // (The second image's window starts above its values: its own surface would hide the sphere inside.)
  await page.evaluate((second) => {
    window.voxlens.moveLayer(second, 1);
    window.voxlens.setDisplay(second, { window: [1000, 2000] });
    window.voxlens.setLayout('3d');
  }, second);
  expect((await page.evaluate(() => window.voxlens.layers().map((l) => l.id))).slice(1)).toEqual([second, seg]);
  const behind = await greenPixels(page, 'view-3d');
  expect(behind).toBeGreaterThan(before3d + 300);
  await page.screenshot({ path: test.info().outputPath('segment-3d-behind-overlay.png') });
  await page.evaluate((id) => window.voxlens.setDisplay(id, { visible: false }), seg);
  await expect.poll(() => greenPixels(page, 'view-3d')).toBeLessThan(behind - 300);
});

test.describe('DICOM SEG to the PACS', () => {
  test.skip(!hasOrthanc, ORTHANC_SKIP);
  let orthanc: Orthanc | undefined;
  let dir = '';
  // A generated CT series (no shared data needed) in a throwaway Orthanc.
  const ct = ctSeries({ dims: [24, 20, 10], seed: 'voxlens seg pacs' });
  test.beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voxlens-seg-ct-'));
    orthanc = await startOrthanc();
    await orthanc.upload(writeCtSeries(join(dir, 'ct'), ct).files);
  });
  test.afterAll(async () => {
    await orthanc?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a segmentation of a PACS CT: Send to PACS (STOW-RS), then the SEG opens from the PACS browser on its series with the same voxels, names and colours', async ({ page }) => {
    await openEmpty(page);
    const base = await page.evaluate(async () => {
      const [study] = await window.voxlens.pacs.search({});
      const [series] = await window.voxlens.pacs.series(study.studyUid);
      return (await window.voxlens.pacs.open(study.studyUid, series.seriesUid)).id;
    });
    await page.waitForFunction(() => window.voxlens.layers().every((l) => !l.arriving));
    const seg = await page.evaluate(async (b) => (await window.voxlens.segmentation.create(b, { name: 'Liver and lesion' })).id, base);
    const A = (await page.evaluate((id) => window.voxlens.layers().find((l) => l.id === id)!.affine, base)).flat();
    const at = (i: number, j: number, k: number): V3 => [0, 1, 2].map((r) => A[r * 4] * i + A[r * 4 + 1] * j + A[r * 4 + 2] * k + A[r * 4 + 3]) as V3;
    await page.evaluate(
      async ({ id, c1, c2 }) => {
        const s = window.voxlens.segmentation;
        await s.paint(id, { center: c1, radius: 2.5, shape: 'sphere', value: 1 });
        s.setSegment(id, 1, { name: 'Liver', color: [200, 90, 40] });
        await s.paint(id, { center: c2, radius: 2, shape: 'sphere', value: 2 });
        s.setSegment(id, 2, { name: 'Lesion', color: [40, 160, 230] });
      },
      { id: seg, c1: at(7, 8, 4), c2: at(16, 10, 6) },
    );
    const saved = await labelsOf(page, seg);
    expect(saved.filter((l) => l === 1).length).toBeGreaterThan(20);
    const bytes = await page.evaluate(async (id) => Array.from((await window.voxlens.segmentation.export(id, 'dicom-seg')).subarray(128, 132)), seg);
    expect(String.fromCharCode(...bytes)).toBe('DICM');

    const panel = page.getByTestId('segment-panel');
    await panel.getByTestId('segment-send-pacs').click();
    await expect(panel.getByTestId('segment-sent')).toContainText('Sent to the PACS');
    await expect(panel.getByTestId('segment-error')).toHaveCount(0);

    // Start over: nothing open; the SEG is in the CT's study and opens with its images.
    await page.evaluate(() => window.voxlens.layers().forEach((l) => window.voxlens.close(l.id)));
    await page.getByRole('button', { name: 'PACS…' }).click();
    const dialog = page.getByTestId('pacs-browser');
    await dialog.getByRole('button', { name: 'Search' }).click();
    await expect(dialog.getByTestId('pacs-study')).toHaveCount(1);
    await dialog.getByTestId('pacs-study').locator('summary').click();
    await dialog.getByTestId('pacs-series').filter({ hasText: 'SEG' }).click();
    await dialog.getByTestId('pacs-offer-both').click();
    await page.waitForFunction(() => window.voxlens.layers().length === 2 && window.voxlens.layers().every((l) => !l.arriving), undefined, { timeout: 60_000 });
    const [ctLayer, segLayer] = await page.evaluate(() => window.voxlens.layers());
    expect(ctLayer.format).toBe('dicom');
    expect(segLayer.dims).toEqual(ct.dims);
    segLayer.affine.flat().forEach((v, i) => expect(v).toBeCloseTo(A[i], 3));
    expect(await labelsOf(page, segLayer.id)).toEqual(saved);
    const segments = await page.evaluate((id) => window.voxlens.segmentation.segments(window.voxlens.segmentation.edit(id).id), segLayer.id);
    expect(segments.map((s) => s.name)).toEqual(['Liver', 'Lesion']);
    segments[0].color.forEach((c, i) => expect(Math.abs(c - [200, 90, 40][i])).toBeLessThanOrEqual(1));
    segments[1].color.forEach((c, i) => expect(Math.abs(c - [40, 160, 230][i])).toBeLessThanOrEqual(1));
  });
});
