// The defects a new user met in the first ten minutes (the interaction issue), each as it looks to
// that user: typed window/level, keys after a sidebar control, statistic overlays over anatomy,
// right-drag on a label-topped stack, the 3D layer choice, the 3D toolbar, an intensity image with
// few levels, the crosshair kept inside the volumes, a relative URL, the PACS dialog, and frames
// counted from 1 on screen.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PNG } from 'pngjs';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { hasSharedData } from '../src/testing/sharedData';
import { ctSeries } from '../scripts/makeDicomSeries';
import { loadInPage, openEmpty, serveFixtures, serveSharedData } from './helpers';

const N = 32;
const AFFINE = [1, 0, 0, -15.5, 0, 1, 0, -15.5, 0, 0, 1, -15.5, 0, 0, 0, 1];

function fill(dims: number[], value: (i: number, j: number, k: number, t: number) => number, make: (n: number) => Int16Array | Uint8Array | Float32Array) {
  const [nx, ny, nz, nt = 1] = dims;
  const data = make(nx * ny * nz * nt);
  for (let t = 0; t < nt; t++)
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) data[i + nx * (j + ny * (k + nz * t))] = value(i, j, k, t);
  return new Uint8Array(data.buffer);
}

/** A CT-like int16 volume: −1000 (air) outside a ball of 40 HU with a 1000 HU rod. */
const ctFile = () =>
  encodeNifti({
    dims: [N, N, N], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, affine: AFFINE,
    data: fill([N, N, N], (i, j, k) => (Math.hypot(i - 15.5, j - 15.5, k - 15.5) > 13 ? -1000 : Math.hypot(i - 20, j - 12) < 3 ? 1000 : 40), (n) => new Int16Array(n)),
  });

/** Anatomy-like uint8: a textured ball. */
const anatomyFile = () =>
  encodeNifti({
    dims: [N, N, N], datatypeCode: 2, bitpix: 8, bytesPerValue: 1, affine: AFFINE,
    data: fill([N, N, N], (i, j, k) => (Math.hypot(i - 15.5, j - 15.5, k - 15.5) > 14 ? 10 : 80 + ((i * 7 + j * 3 + k * 5) % 60)), (n) => new Uint8Array(n)),
  });

/** A signed t-map: zero everywhere but a positive blob (peak 8) at the centre and a negative one (−6) off it. */
const tmapFile = () =>
  encodeNifti({
    dims: [N, N, N], datatypeCode: 16, bitpix: 32, bytesPerValue: 4, affine: AFFINE,
    data: fill(
      [N, N, N],
      (i, j, k) => {
        const pos = Math.hypot(i - 15.5, j - 15.5, k - 15.5);
        const neg = Math.hypot(i - 6, j - 24, k - 15.5);
        return pos < 7 ? 8 * Math.exp(-(pos * pos) / 18) : neg < 6 ? -6 * Math.exp(-(neg * neg) / 12) : 0;
      },
      (n) => new Float32Array(n),
    ),
  });

/** A label map: a few codes in blocks. */
const labelFile = () =>
  encodeNifti({
    dims: [N, N, N], datatypeCode: 2, bitpix: 8, bytesPerValue: 1, affine: AFFINE, intentCode: 1002,
    data: fill([N, N, N], (i, j) => (i < 8 ? 0 : i < 16 ? 2 : j < 16 ? 7 : 12), (n) => new Uint8Array(n)),
  });

/** A bright cube (second volume for the 3D choice): unlike the ball, seen the same from every side. */
const cubeFile = () =>
  encodeNifti({
    dims: [N, N, N], datatypeCode: 2, bitpix: 8, bytesPerValue: 1, affine: AFFINE,
    data: fill([N, N, N], (i, j, k) => (i > 4 && i < 27 && j > 4 && j < 27 && k > 4 && k < 27 ? 250 : 0), (n) => new Uint8Array(n)),
  });

const fmriFile = () =>
  // A repetition time of 2 s (pixdim[4]; the writer's time unit is seconds).
  encodeNifti({ dims: [8, 8, 8, 5], datatypeCode: 2, bitpix: 8, bytesPerValue: 1, pixdim: [1, 1, 1, 1, 2, 1, 1, 1], data: fill([8, 8, 8, 5], (i, _j, _k, t) => 10 * t + i, (n) => new Uint8Array(n)) });

const fixtures = () => ({ 'ct.nii': ctFile(), 'anatomy.nii': anatomyFile(), 'tmap.nii': tmapFile(), 'labels.nii': labelFile(), 'cube.nii': cubeFile(), 'fmri.nii': fmriFile() });

async function open(page: Page, files: string[], query = 'layout=axial'): Promise<string[]> {
  await serveFixtures(page, fixtures());
  await openEmpty(page, query);
  const ids: string[] = [];
  for (const f of files) {
    const { id, message } = await loadInPage(page, `/__fixtures__/${f}`);
    expect(id, message).toBeTruthy();
    ids.push(id!);
  }
  await page.evaluate(() => window.voxlens.frame());
  return ids;
}

const layerOf = (page: Page, id: string) => page.evaluate((layerId) => window.voxlens.layers().find((l) => l.id === layerId)!, id);

test('window/level fields take typed values: a minus sign, a cleared field, Escape, bad text and low above high', async ({ page }) => {
  const [id] = await open(page, ['ct.nii']);
  const level = page.getByLabel('Level');
  const width = page.getByLabel('Width');
  const before = (await layerOf(page, id)).display.window;
  const w0 = before[1] - before[0];

  await level.click();
  await level.press('ControlOrMeta+a');
  await level.pressSequentially('-600');
  await level.press('Enter');
  let win = (await layerOf(page, id)).display.window;
  expect((win[0] + win[1]) / 2).toBeCloseTo(-600, 6);
  expect(win[1] - win[0]).toBeCloseTo(w0, 6);
  await expect(level).toHaveValue('-600');

  await width.click();
  await width.press('ControlOrMeta+a');
  await width.press('Backspace');
  await expect(width).toHaveValue('');
  await width.pressSequentially('1500');
  await width.press('Tab');
  win = (await layerOf(page, id)).display.window;
  expect(win).toEqual([-1350, 150]);
  await expect(width).toHaveValue('1500');

  // Escape puts back the value from before the edit.
  await level.click();
  await level.press('ControlOrMeta+a');
  await level.pressSequentially('123');
  await level.press('Escape');
  await expect(level).toHaveValue('-600');
  expect((await layerOf(page, id)).display.window).toEqual([-1350, 150]);

  // Text that is not a number is marked, kept, and changes nothing.
  await level.press('ControlOrMeta+a');
  await level.pressSequentially('abc');
  await level.press('Enter');
  await expect(level).toHaveAttribute('aria-invalid', 'true');
  await expect(level).toHaveValue('abc');
  expect((await layerOf(page, id)).display.window).toEqual([-1350, 150]);
  await level.press('Escape');
  await expect(level).toHaveAttribute('aria-invalid', 'false');

  // Low above high is refused with a hint, and the window stays.
  const low = page.getByLabel('Window low');
  await low.click();
  await low.press('ControlOrMeta+a');
  await low.pressSequentially('500');
  await low.press('Enter');
  await expect(low).toHaveAttribute('aria-invalid', 'true');
  await expect(low).toHaveAttribute('title', /below high \(150\)/);
  expect((await layerOf(page, id)).display.window).toEqual([-1350, 150]);
});

test('keys reach the viewer after a sidebar select; panes are reachable with Tab', async ({ page }) => {
  const [id] = await open(page, ['anatomy.nii'], 'layout=2x2');
  const colormap = page.getByLabel('Colormap of anatomy.nii');
  await colormap.selectOption('hot');
  await colormap.focus();
  const pane = page.getByTestId('view-axial');
  const box = (await pane.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const z0 = (await page.evaluate(() => window.voxlens.crosshair()))![2];
  await page.keyboard.press('ArrowDown');
  expect((await page.evaluate(() => window.voxlens.crosshair()))![2]).toBeCloseTo(z0 - 1, 6);
  expect((await layerOf(page, id)).display.colormap).toBe('hot');
  await page.keyboard.press('p');
  expect(await page.evaluate(() => window.voxlens.pins.list().length)).toBe(1);
  await page.keyboard.press('1');
  expect(await page.evaluate(() => window.voxlens.layout())).toBe('axial');
  await page.keyboard.press('5');
  expect(await page.evaluate(() => window.voxlens.layout())).toBe('2x2');
  await expect(colormap).toHaveValue('hot');

  // Tab reaches the panes; the focused pane pages with the pointer elsewhere.
  await page.mouse.move(2, 2);
  let reached: string | null = null;
  for (let n = 0; n < 80 && !reached; n++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null);
    if (reached !== 'view-coronal') reached = null;
  }
  expect(reached).toBe('view-coronal');
  const outline = await page.getByTestId('view-coronal').evaluate((el) => getComputedStyle(el).outlineWidth);
  expect(outline).toBe('2px');
  const y0 = (await page.evaluate(() => window.voxlens.crosshair()))![1];
  await page.keyboard.press('ArrowUp');
  expect((await page.evaluate(() => window.voxlens.crosshair()))![1]).toBeCloseTo(y0 + 1, 6);

  // Typing in a text field keeps its keys.
  const level = page.getByLabel('Level');
  await level.click();
  await level.press('ControlOrMeta+a');
  await level.pressSequentially('1');
  expect(await page.evaluate(() => window.voxlens.layout())).toBe('2x2');
});

/** The axial pane's pixels with the overlay hidden and shown. */
async function overlayDiff(page: Page, overlayId: string): Promise<{ changed: number; tissue: number; warm: number; cool: number }> {
  const grabAxial = async () => PNG.sync.read(await page.getByTestId('view-axial').screenshot());
  await page.evaluate((id) => window.voxlens.setDisplay(id, { visible: false }), overlayId);
  await page.evaluate(() => window.voxlens.frame());
  const base = await grabAxial();
  await page.evaluate((id) => window.voxlens.setDisplay(id, { visible: true }), overlayId);
  await page.evaluate(() => window.voxlens.frame());
  const shown = await grabAxial();
  let changed = 0, tissue = 0, cool = 0, warm = 0;
  for (let o = 0; o < base.data.length; o += 4) {
    if (base.data[o] > 5) tissue++;
    if (base.data[o] !== shown.data[o] || base.data[o + 1] !== shown.data[o + 1] || base.data[o + 2] !== shown.data[o + 2]) {
      changed++;
      if (shown.data[o + 2] > shown.data[o] + 60) cool++;
      if (shown.data[o] > shown.data[o + 2] + 60) warm++;
    }
  }
  return { changed, tissue, warm, cool };
}

test('a signed t-map over anatomy shows its two tails and leaves the anatomy around them as it was', async ({ page }) => {
  const [, tmap] = await open(page, ['anatomy.nii', 'tmap.nii']);
  await page.getByLabel('Show crosshair lines').uncheck();
  const layer = await layerOf(page, tmap);
  expect(layer.display.colormap).toBe('hot');
  expect(layer.display.window[0]).toBeGreaterThan(0);
  expect(layer.display.negative).toMatchObject({ colormap: 'cool' });
  const d = await overlayDiff(page, tmap);
  // Only the blobs change (each a few % of the slice); before, the whole box turned dark red.
  expect(d.changed).toBeGreaterThan(20);
  expect(d.changed).toBeLessThan(d.tissue * 0.15);
  expect(d.warm).toBeGreaterThan(5); // the positive blob is in 'hot'
  expect(d.cool).toBeGreaterThan(5); // the negative blob is cool

  // One |t| threshold for both tails, from the layer panel.
  const field = page.getByLabel('Symmetric threshold of tmap.nii');
  await field.click();
  await field.press('ControlOrMeta+a');
  await field.pressSequentially('3.1');
  await field.press('Enter');
  const after = await layerOf(page, tmap);
  expect(after.display.window[0]).toBe(3.1);
  expect(after.display.negative!.window[0]).toBe(3.1);
  // Without the negative colormap the negative blob is gone.
  await page.getByLabel('Negative values of tmap.nii').uncheck();
  expect(await page.evaluate((id) => window.voxlens.layers().find((l) => l.id === id)!.display.negative, tmap)).toBeNull();
  expect((await overlayDiff(page, tmap)).cool).toBe(0);

  // A later overlay takes another colormap.
  const { id: third } = await loadInPage(page, '/__fixtures__/cube.nii');
  expect((await layerOf(page, third!)).display.colormap).not.toBe('hot');
});

test('right-drag windows the topmost intensity layer under a label map, or the selected one, and says which', async ({ page }) => {
  const [anatomy, labels] = await open(page, ['anatomy.nii', 'labels.nii']);
  expect((await layerOf(page, labels)).display.colormap).toBe('label');
  const before = (await layerOf(page, anatomy)).display.window;
  const pane = page.getByTestId('view-axial');
  const box = (await pane.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(box.x + box.width / 2 + 40, box.y + box.height / 2 + 30, { steps: 4 });
  await expect(page.getByTestId('window-note')).toContainText('W/L anatomy.nii');
  await page.mouse.up({ button: 'right' });
  await expect(page.getByTestId('window-note')).toHaveCount(0);
  const after = (await layerOf(page, anatomy)).display.window;
  expect(after).not.toEqual(before);
  expect((await layerOf(page, labels)).display.window).toEqual((await layerOf(page, labels)).display.window);

  // With a third (intensity) layer on top, selecting the bottom one in the layer panel makes it the target.
  const { id: cube } = await loadInPage(page, '/__fixtures__/cube.nii');
  const cubeBefore = (await layerOf(page, cube!)).display.window;
  await page.getByTestId(`layer-${anatomy}`).locator('.layer-facts').click();
  const anatomyBefore = (await layerOf(page, anatomy)).display.window;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(box.x + box.width / 2 - 30, box.y + box.height / 2 - 20, { steps: 4 });
  await page.mouse.up({ button: 'right' });
  expect((await layerOf(page, anatomy)).display.window).not.toEqual(anatomyBefore);
  expect((await layerOf(page, cube!)).display.window).toEqual(cubeBefore);
});

test('the 3D pane casts the chosen layer (default: the first intensity layer), whatever the order', async ({ page }) => {
  // A small window: five ray-cast images in software (the pane's size plays no part here).
  await page.setViewportSize({ width: 620, height: 420 });
  const [labels, anatomy, cube] = await open(page, ['labels.nii', 'anatomy.nii', 'cube.nii'], 'layout=3d');
  await page.getByLabel('Show crosshair lines').uncheck();
  await page.evaluate(() => window.voxlens.setRenderMode('mip'));
  const shot = async () => {
    await page.evaluate(() => window.voxlens.frame());
    return page.getByTestId('view-3d').screenshot();
  };
  // The label map is at the bottom: the anatomy is cast, not the atlas.
  await expect(page.getByTestId(`render3d-${anatomy}`)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId(`render3d-${labels}`)).toHaveAttribute('aria-pressed', 'false');
  const anatomyImage = await shot();
  await page.getByTestId(`render3d-${cube}`).click();
  await expect(page.getByTestId(`render3d-${cube}`)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId(`render3d-${anatomy}`)).toHaveAttribute('aria-pressed', 'false');
  const cubeImage = await shot();
  expect(Buffer.compare(cubeImage, anatomyImage)).not.toBe(0);
  // Reordering keeps the choice: the same image.
  await page.evaluate((id) => window.voxlens.moveLayer(id, 0), cube);
  expect(Buffer.compare(await shot(), cubeImage)).toBe(0);
  await page.evaluate((id) => window.voxlens.moveLayer(id, 2), cube);
  expect(Buffer.compare(await shot(), cubeImage)).toBe(0);
  // And the API sets it too.
  await page.evaluate((id) => window.voxlens.setDisplay(id, { render3d: true }), anatomy);
  expect((await page.evaluate(() => window.voxlens.layers())).filter((l) => l.display.render3d).map((l) => l.id)).toEqual([anatomy]);
});

test('the 3D toolbar stays inside its pane at 1280 px in 1+3, keeps its width across modes, and orbiting selects no text', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, ['anatomy.nii'], 'layout=1%2B3');
  const pane = (await page.getByTestId('view-3d').boundingBox())!;
  const big = (await page.getByTestId('view-axial').boundingBox())!;
  const tools = page.getByTestId('view-3d').locator('.pane-tools button, .pane-tools select:visible');
  const boxes = await tools.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(boxes.length).toBeGreaterThan(4);
  for (const b of boxes) {
    expect(b.left).toBeGreaterThanOrEqual(pane.x - 0.5);
    expect(b.right).toBeLessThanOrEqual(pane.x + pane.width + 0.5);
    expect(b.left).toBeGreaterThanOrEqual(big.x + big.width);
  }
  // The buttons do not move when the mode changes (the projection menu appears in MIP only).
  const place = () => page.getByTestId('view-3d').locator('.pane-tools button').evaluateAll((els) => els.map((e) => JSON.stringify(e.getBoundingClientRect())));
  await page.getByTestId('render-composite').click();
  const composite = await place();
  await page.getByTestId('render-mip').click();
  expect(await place()).toEqual(composite);
  await page.getByTestId('render-iso').click();
  expect(await place()).toEqual(composite);
  // Orbiting by dragging over the pane selects nothing.
  await page.mouse.move(pane.x + 10, pane.y + pane.height - 10);
  await page.mouse.down();
  await page.mouse.move(pane.x + pane.width - 10, pane.y + 10, { steps: 6 });
  await page.mouse.up();
  expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
});

test('the crosshair cannot be dragged outside every volume', async ({ page }) => {
  await open(page, ['anatomy.nii']);
  await page.evaluate(() => window.voxlens.setPaneView('axial', { zoom: 0.4 }));
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 4, box.y + 4, { steps: 5 });
  await page.mouse.up();
  const c = (await page.evaluate(() => window.voxlens.crosshair()))!;
  for (const v of c.slice(0, 2)) {
    expect(Math.abs(v)).toBeLessThanOrEqual(15.5 + 1e-9);
  }
  expect(Math.max(Math.abs(c[0]), Math.abs(c[1]))).toBeCloseTo(15.5, 6);
});

test('URL… opens a relative address, and names an address it cannot open', async ({ page }) => {
  await open(page, []);
  await page.getByRole('button', { name: 'URL…' }).click();
  await page.getByTestId('url-input').fill('/__fixtures__/anatomy.nii');
  await page.getByTestId('url-input').press('Enter');
  await page.waitForFunction(() => window.voxlens.layers().length === 1);
  expect((await page.evaluate(() => window.voxlens.layers()))[0].name).toBe('anatomy.nii');
  await page.getByRole('button', { name: 'URL…' }).click();
  await page.getByTestId('url-input').fill('ftp://host/x.nii');
  await page.getByTestId('url-input').press('Enter');
  await expect(page.getByTestId('url-error')).toContainText('ftp:');
});

test('the PACS dialog closes with Escape every time it is opened, and keeps the last search', async ({ page }) => {
  await open(page, []);
  for (let round = 0; round < 3; round++) {
    await page.getByRole('button', { name: 'PACS…' }).click();
    await expect(page.getByTestId('pacs-browser')).toBeVisible();
    if (round === 0) await page.getByTestId('pacs-patientName').fill('DOE^J');
    else await expect(page.getByTestId('pacs-patientName')).toHaveValue('DOE^J');
    // Focus elsewhere on the page first: Escape still closes it.
    if (round === 2) await page.locator('body').click({ position: { x: 5, y: 5 }, force: true });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('pacs-browser')).toHaveCount(0);
  }
});

test('frames count from 1 on screen, in the probe as on the slider (0 in the API)', async ({ page }) => {
  const [id] = await open(page, ['fmri.nii']);
  await page.evaluate((layerId) => window.voxlens.setDisplay(layerId, { frame: 2 }), id);
  await expect(page.getByTestId('frame-label')).toHaveText('3 / 5');
  await expect(page.getByTestId('probe-frame')).toContainText('3 / 5');
  expect((await layerOf(page, id)).display.frame).toBe(2);
  // The time course's axis is in seconds from the header's repetition time.
  await expect(page.getByTestId('timecourse-plot')).toContainText('Time (s)');
});

test.describe('shared data', () => {
  test.skip(!hasSharedData, 'needs ../shared/data');
  test('FreeSurfer wm.mgz (52 levels, most in one run) opens as a grey image with its window controls', async ({ page }) => {
    await serveSharedData(page);
    await openEmpty(page);
    const { id, message } = await loadInPage(page, '/__shared__/wm.mgz');
    expect(id, message).toBeTruthy();
    expect((await layerOf(page, id!)).display.colormap).toBe('gray');
    await expect(page.getByLabel('Window low')).toBeVisible();
    // And the user can switch it to labels and back.
    await page.getByLabel('Draw wm.mgz as labels').check();
    expect((await layerOf(page, id!)).display.colormap).toBe('label');
    await page.getByLabel('Draw wm.mgz as labels').uncheck();
    expect((await layerOf(page, id!)).display.colormap).toBe('gray');
  });
});

test('2x2 and 1+3 with two layers at 1024, 1280 and 1920 px: screenshots kept as artefacts, no pane tool over another pane', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await open(page, ['anatomy.nii', 'tmap.nii'], 'layout=2x2');
  for (const width of [1024, 1280, 1920]) {
    await page.setViewportSize({ width, height: Math.round(width * 0.6) });
    for (const layout of ['2x2', '1+3'] as const) {
      await page.evaluate((l) => window.voxlens.setLayout(l), layout);
      await page.evaluate(() => window.voxlens.frame());
      await page.screenshot({ path: testInfo.outputPath(`${layout === '1+3' ? '1plus3' : layout}-${width}.png`) });
      // Every pane's label and tools lie inside that pane.
      const overlaps = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.pane')].flatMap((pane) => {
          const p = pane.getBoundingClientRect();
          return [...pane.querySelectorAll<HTMLElement>('.pane-label, .pane-tools > *')]
            .filter((el) => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
            .map((el) => el.getBoundingClientRect())
            .filter((r) => r.left < p.left - 0.5 || r.right > p.right + 0.5 || r.top < p.top - 0.5 || r.bottom > p.bottom + 0.5)
            .map((r) => `${pane.dataset.testid}: ${JSON.stringify(r)}`);
        }),
      );
      expect(overlaps, `${layout} at ${width}`).toEqual([]);
    }
  }
});

test('slice panes carry their annotations: window, slice k / N, zoom, a colour bar, the patient (I hides it) and 4D frame controls (space, [ ])', async ({ page }, testInfo) => {
  const series = ctSeries({ dims: [24, 20, 6], pixelSpacing: 1, sliceSpacing: 2, seed: 'e2e annotations' });
  const files = Object.fromEntries(Array.from({ length: series.dims[2] }, (_, k) => [series.fileName(k), series.file(k)]));
  await serveFixtures(page, { ...fixtures(), ...files });
  await openEmpty(page, 'layout=axial');
  await page.evaluate((names) => window.voxlens.load(names.map((n) => `/__fixtures__/${n}`)), Object.keys(files));
  const axial = page.getByTestId('annotations-axial');
  await expect(axial.getByTestId('ann-patient')).toContainText('Phantom CT');
  await expect(axial.getByTestId('ann-patient')).toContainText('ID VOXLENS-BENCH');
  await expect(axial.getByTestId('ann-slice')).toHaveText(/^Im [1-6] \/ 6$/);
  const [lo, hi] = (await page.evaluate(() => window.voxlens.layers()[0].display.window));
  await expect(axial.getByTestId('ann-window')).toHaveText(`W ${+(hi - lo).toPrecision(5)} L ${+((lo + hi) / 2).toPrecision(5)}`);
  await page.evaluate(() => window.voxlens.setPaneView('axial', { zoom: 2 }));
  await expect(axial.getByTestId('ann-zoom')).toHaveText('Zoom 200%');
  // Paging moves the slice number.
  const before = await axial.getByTestId('ann-slice').textContent();
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press(before === 'Im 6 / 6' ? 'ArrowDown' : 'ArrowUp');
  await expect(axial.getByTestId('ann-slice')).not.toHaveText(before!);
  await page.keyboard.press('i');
  await expect(axial.getByTestId('ann-patient')).toHaveCount(0);
  await page.keyboard.press('i');
  await expect(axial.getByTestId('ann-patient')).toHaveCount(1);
  await expect(axial.getByTestId('ann-colourbar')).toHaveCount(0);

  // A t-map over it: its colour bar with both tails; a 4D layer: the frame controls.
  await loadInPage(page, '/__fixtures__/tmap.nii');
  await expect(axial.getByTestId('ann-colourbar')).toContainText('−');
  // Two intensity layers: the corner names the one its window belongs to (the one right-drag sets).
  await expect(axial.getByTestId('ann-window-layer')).toHaveText('tmap.nii');
  await page.evaluate(() => window.voxlens.frame());
  await page.getByTestId('view-axial').screenshot({ path: testInfo.outputPath('annotations.png') });
  const { id: fmri } = await loadInPage(page, '/__fixtures__/fmri.nii');
  const frame = axial.getByTestId('ann-frame');
  await expect(frame).toContainText('t 1 / 5');
  await frame.getByRole('button', { name: 'Next frame' }).click();
  await expect(frame).toContainText('t 2 / 5');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press(']');
  await expect(frame).toContainText('t 3 / 5');
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  await expect(frame).toContainText('t 5 / 5');
  expect((await layerOf(page, fmri!)).display.frame).toBe(4);
  await page.keyboard.press(' ');
  await expect(frame.getByTestId('ann-play')).toHaveAttribute('aria-label', 'Pause');
  await page.keyboard.press(' ');
  await expect(frame.getByTestId('ann-play')).toHaveAttribute('aria-label', 'Play');
});

test('measurements can be edited: drag an end to resize, the middle to move, Delete removes the selected one; a name and a colour', async ({ page }) => {
  await open(page, ['anatomy.nii']);
  await page.getByLabel('Show crosshair lines').uncheck();
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];
  const drag = async (from: [number, number], to: [number, number]) => {
    await page.mouse.move(...from);
    await page.mouse.down();
    await page.mouse.move(...to, { steps: 5 });
    await page.mouse.up();
  };
  await page.getByTestId('tool-line').click();
  await drag(at(0.3, 0.5), at(0.6, 0.5));
  await page.getByTestId('tool-crosshair').click();
  const [line] = await page.evaluate(() => window.voxlens.measurements());
  const length0 = line.lengthMm!;
  await expect(page.getByTestId('measure-handles')).toHaveCount(1);
  const crosshair = await page.evaluate(() => window.voxlens.crosshair());

  // The far end, dragged further out: longer; the near end stays; the crosshair does not move.
  await drag(at(0.6, 0.5), at(0.7, 0.5));
  let m = (await page.evaluate(() => window.voxlens.measurements()))[0];
  expect(m.points[0]).toEqual(line.points[0]);
  expect(m.lengthMm!).toBeGreaterThan(length0 * 1.2);
  expect(await page.evaluate(() => window.voxlens.crosshair())).toEqual(crosshair);
  // The middle, dragged down: both ends move by the same amount, the length stays.
  const length1 = m.lengthMm!;
  await drag(at(0.5, 0.5), at(0.5, 0.6));
  m = (await page.evaluate(() => window.voxlens.measurements()))[0];
  expect(m.lengthMm!).toBeCloseTo(length1, 6);
  expect(m.points[0][1]).not.toBeCloseTo(line.points[0][1], 1);
  expect(m.points[0][1] - line.points[0][1]).toBeCloseTo(m.points[1][1] - line.points[1][1], 6);

  // An ellipse ROI: dragging its corner changes its statistics.
  await page.getByTestId('tool-ellipse').click();
  await drag(at(0.35, 0.3), at(0.5, 0.4));
  await page.getByTestId('tool-crosshair').click();
  const roi = (await page.evaluate(() => window.voxlens.measurements())).find((x) => x.kind === 'ellipse')!;
  await drag(at(0.5, 0.4), at(0.6, 0.45));
  const roi2 = (await page.evaluate(() => window.voxlens.measurements())).find((x) => x.kind === 'ellipse')!;
  expect(roi2.stats![0].stats!.count).toBeGreaterThan(roi.stats![0].stats!.count);

  // Name and colour, shown on the image.
  await page.evaluate((id) => window.voxlens.editMeasurement(id, { name: 'AP', color: 'rgb(255, 0, 0)' }), line.id);
  await expect(page.getByTestId('measure-line').locator('text')).toContainText('AP:');
  await expect(page.getByTestId('measure-line').locator('line')).toHaveCSS('stroke', 'rgb(255, 0, 0)');
  expect(await page.evaluate(() => { try { window.voxlens.editMeasurement('nope', {}); return 'no error'; } catch (e) { return String(e); } })).toContain('No measurement');

  // Select the line by clicking its outline, then Delete removes it alone.
  await page.mouse.click(...at(0.45, 0.6));
  await page.keyboard.press('Delete');
  const left = await page.evaluate(() => window.voxlens.measurements());
  expect(left.map((x) => x.kind)).toEqual(['ellipse']);
});

test('hovering a label map names the region under the pointer on the image', async ({ page }) => {
  const [, labels] = await open(page, ['anatomy.nii', 'labels.nii']);
  await page.getByTestId(`lookup-input-${labels}`).setInputFiles({ name: 'atlasLUT.txt', mimeType: 'text/plain', buffer: Buffer.from('2 Second-Region 200 100 0 255\n7 Seven-Region 0 200 0 255\n12 Twelve-Region 0 0 200 255\n') });
  await expect(page.getByTestId('label-lookup')).toHaveText('atlasLUT.txt');
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  const seen = new Set<string>();
  let named: [number, number] | null = null;
  for (const [fx, fy] of [[0.3, 0.3], [0.7, 0.3], [0.3, 0.7], [0.7, 0.7], [0.5, 0.5], [0.45, 0.55]]) {
    await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
    const raw = await page.evaluate((id) => {
      const at = window.voxlens.cursor();
      const p = at ? window.voxlens.probe({ world: at }, id)[0] : undefined;
      return p?.inside ? (p.raw as number) : null;
    }, labels);
    const want = { 2: 'Second-Region', 7: 'Seven-Region', 12: 'Twelve-Region' }[raw ?? 0];
    if (want) {
      await expect(page.getByTestId('hover-label')).toHaveText(want);
      seen.add(want);
      named = [fx, fy];
    } else await expect(page.getByTestId('hover-label')).toHaveCount(0);
  }
  expect(seen.size).toBeGreaterThanOrEqual(2);
  // The probe API and a pin carry the name too, and the pins panel shows it.
  await page.mouse.move(box.x + box.width * named![0], box.y + box.height * named![1]);
  const at = (await page.evaluate(() => window.voxlens.cursor()))!;
  const probed = await page.evaluate(([w, id]) => window.voxlens.probe({ world: w }, id)[0], [at, labels] as const);
  const want = { 2: 'Second-Region', 7: 'Seven-Region', 12: 'Twelve-Region' }[probed.raw as number];
  expect(want).toBeTruthy();
  expect(probed.labelName).toBe(want);
  await page.evaluate((w) => window.voxlens.pins.add(w), at);
  await expect(page.getByTestId('pin-label-name')).toHaveText(want!);
  await page.mouse.move(2, 2);
  await expect(page.getByTestId('hover-label')).toHaveCount(0);
});

test('the clip sliders show their millimetres', async ({ page }) => {
  await page.setViewportSize({ width: 620, height: 420 }); // a small 3D pane: one ray-cast image in software
  await open(page, ['anatomy.nii'], 'layout=3d');
  await expect(page.getByTestId('clip-2-hi')).toHaveText('15.5 mm');
  await expect(page.getByTestId('clip-0-lo')).toHaveText('-15.5');
  await page.evaluate(() => window.voxlens.setClip({ lo: [-15.5, -15.5, -4.25], hi: [15.5, 15.5, 10] }));
  await expect(page.getByTestId('clip-2-lo')).toHaveText('-4.3');
  await expect(page.getByTestId('clip-2-hi')).toHaveText('10.0 mm');
});

test('a measurement is named and coloured in its row; the measurements export as CSV too', async ({ page }) => {
  await open(page, ['anatomy.nii']);
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  await page.getByTestId('tool-rectangle').click();
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.35);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 4 });
  await page.mouse.up();
  const [m] = await page.evaluate(() => window.voxlens.measurements());
  const name = page.getByLabel(`Name of Rectangle ${m.id}`);
  await name.fill('Liver, segment 4');
  await name.press('Enter');
  await page.getByLabel(`Colour of Rectangle ${m.id}`).fill('#ff8800');
  const after = (await page.evaluate(() => window.voxlens.measurements()))[0];
  expect(after).toMatchObject({ name: 'Liver, segment 4', color: '#ff8800' });
  await expect(page.getByTestId('measure-rectangle').locator('rect')).toHaveCSS('stroke', 'rgb(255, 136, 0)');
  const csv = await page.evaluate(() => window.voxlens.exportMeasurements('csv'));
  const [head, row] = csv.trim().split('\n');
  expect(head).toBe('id,name,kind,plane,points_mm,length_mm,angle_deg,layer,n,area_mm2,mean,sd,min,max,status');
  expect(row.startsWith(`${m.id},"Liver, segment 4",rectangle,axial,`)).toBe(true);
  const stats = after.stats![0].stats!;
  expect(row).toContain(`,anatomy.nii,${stats.count},${stats.areaMm2},${stats.mean},`);
  const download = page.waitForEvent('download');
  await page.getByTestId('measurements-csv').click();
  expect((await download).suggestedFilename()).toBe('voxlens-measurements.csv');
});

test('notices: six bad loads leave three in view in a corner, the rest behind "N more" and in the history; information fades; a layer takes its notices when it closes', async ({ page }) => {
  test.setTimeout(120_000);
  const f64 = encodeNifti({ dims: [8, 8, 8], datatypeCode: 64, bitpix: 64, bytesPerValue: 8, data: fill([8, 8, 8], (i) => i, (n) => new Float64Array(n) as unknown as Float32Array) });
  await serveFixtures(page, { ...fixtures(), 'f64.nii': f64 });
  await openEmpty(page, 'layout=2x2');
  await loadInPage(page, '/__fixtures__/anatomy.nii');
  for (let n = 0; n < 6; n++) expect((await loadInPage(page, `/__fixtures__/missing-${n}.nii`)).code).toBeTruthy();
  await expect(page.getByTestId('notice-error')).toHaveCount(3);
  await expect(page.getByTestId('notice-more')).toHaveText('3 more');
  // None reaches the middle half of any pane.
  const overlaps = await page.evaluate(() => {
    const notices = [...document.querySelectorAll<HTMLElement>('[data-testid^="notice-"]')].filter((e) => e.offsetParent !== null).map((e) => e.getBoundingClientRect());
    return [...document.querySelectorAll<HTMLElement>('.pane')].flatMap((pane) => {
      const p = pane.getBoundingClientRect();
      const mid = { l: p.left + p.width / 4, r: p.right - p.width / 4, t: p.top + p.height / 4, b: p.bottom - p.height / 4 };
      return notices.filter((n) => n.left < mid.r && n.right > mid.l && n.top < mid.b && n.bottom > mid.t).map(() => pane.dataset.testid);
    });
  });
  expect(overlaps).toEqual([]);
  // The history keeps them all, with times; Escape closes it.
  await page.getByTestId('notice-more').click();
  await expect(page.getByTestId('notice-history').locator('li')).toHaveCount(6);
  await expect(page.getByTestId('notice-history').locator('time').first()).toHaveText(/\d/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('notice-history')).toHaveCount(0);
  for (let n = 0; n < 6; n++) await page.getByTestId('notice-error').first().getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('notice-error')).toHaveCount(0);
  // With nothing shown, the bell still opens the history.
  await page.getByTestId('notice-history-button').click();
  await expect(page.getByTestId('notice-history').locator('li')).toHaveCount(6);
  await page.keyboard.press('Escape');

  // A layer's own notice (its display is converted) leaves when it closes.
  const { id } = await loadInPage(page, '/__fixtures__/f64.nii');
  await expect(page.getByTestId('notice-warning').filter({ hasText: 'f64.nii: display converted' })).toHaveCount(1);
  await page.evaluate((layerId) => window.voxlens.close(layerId), id!);
  await expect(page.getByTestId('notice-warning').filter({ hasText: 'f64.nii' })).toHaveCount(0);

  // Information fades by itself (a file skipped in a DICOM drop).
  const series = ctSeries({ dims: [16, 12, 3], pixelSpacing: 1, sliceSpacing: 2, seed: 'e2e notices' });
  await page.getByTestId('file-input').setInputFiles([
    ...Array.from({ length: 3 }, (_, k) => ({ name: series.fileName(k), mimeType: 'application/dicom', buffer: Buffer.from(series.file(k)) })),
    { name: 'README.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') },
  ]);
  await expect(page.getByTestId('notice-info')).toContainText('README.txt');
  await expect(page.getByTestId('notice-info')).toHaveCount(0, { timeout: 20_000 });
});
