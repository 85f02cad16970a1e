// Clinical slice review in several panes of one canvas: every pane's pixels at positions this test
// computes itself (pane size, dims, spacing; not the app's own geometry functions), the linked
// crosshair, orientation from the affine, interpolation, one texture per layer in every layout,
// context loss in 2x2, layer order under racing loads, label maps and CT presets.
import { type Locator, type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { grab } from './pixels';
import { decodesStarted, loadInPage, loseAndRestoreContext, openEmpty, recordUploads, serveFixtures } from './helpers';

type V3 = [number, number, number];
type PaneName = 'axial' | 'coronal' | 'sagittal';

// ---- an anisotropic test pattern: neighbouring voxels differ widely in grey -------------------
const DIMS: V3 = [12, 10, 8];
const SPACING: V3 = [2, 1.5, 2.5];
const ORIGIN: V3 = [-11, -6.75, -8.75];
const pattern = (i: number, j: number, k: number) => ((i * 7 + j * 13 + k * 29) % 16) * 16 + 8;
const worldOf = (i: number, j: number, k: number): V3 => [ORIGIN[0] + i * SPACING[0], ORIGIN[1] + j * SPACING[1], ORIGIN[2] + k * SPACING[2]];

function patternFile(): Uint8Array {
  const data = new Uint8Array(DIMS[0] * DIMS[1] * DIMS[2]);
  for (let k = 0; k < DIMS[2]; k++) for (let j = 0; j < DIMS[1]; j++) for (let i = 0; i < DIMS[0]; i++) data[i + DIMS[0] * (j + DIMS[1] * k)] = pattern(i, j, k);
  const affine = [SPACING[0], 0, 0, ORIGIN[0], 0, SPACING[1], 0, ORIGIN[1], 0, 0, SPACING[2], ORIGIN[2], 0, 0, 0, 1];
  return encodeNifti({ dims: DIMS, datatypeCode: 2, bitpix: 8, data, affine });
}

/**
 * Where a world point lands in a pane, derived here from the convention alone: radiological axial
 * and coronal put the patient's right (+x) on the screen's left; sagittal puts anterior on the
 * left; the bounding box of the voxel centres is fitted with a 6 % margin, square pixels.
 */
const AXES: Record<PaneName, { right: V3; up: V3 }> = {
  axial: { right: [-1, 0, 0], up: [0, 1, 0] },
  coronal: { right: [-1, 0, 0], up: [0, 0, 1] },
  sagittal: { right: [0, -1, 0], up: [0, 0, 1] },
};
function paneMapper(pane: PaneName, width: number, height: number, lo: V3, hi: V3) {
  const { right, up } = AXES[pane];
  const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const corners: V3[] = [];
  for (const x of [lo[0], hi[0]]) for (const y of [lo[1], hi[1]]) for (const z of [lo[2], hi[2]]) corners.push([x, y, z]);
  const rs = corners.map((c) => dot(c, right));
  const us = corners.map((c) => dot(c, up));
  const [r0, r1, u0, u1] = [Math.min(...rs), Math.max(...rs), Math.min(...us), Math.max(...us)];
  const mmPerPx = Math.max(((r1 - r0) * 1.06) / width, ((u1 - u0) * 1.06) / height);
  return (p: V3): [number, number] => [width / 2 + (dot(p, right) - (r0 + r1) / 2) / mmPerPx, height / 2 - (dot(p, up) - (u0 + u1) / 2) / mmPerPx];
}

const patternBounds = (): [V3, V3] => [worldOf(0, 0, 0), worldOf(DIMS[0] - 1, DIMS[1] - 1, DIMS[2] - 1)];

async function setup(page: Page, query = 'layout=2x2'): Promise<string> {
  await serveFixtures(page, { 'pattern.nii': patternFile() });
  await openEmpty(page, query);
  const { id } = await loadInPage(page, '/__fixtures__/pattern.nii');
  await page.evaluate((layerId) => window.voxlens.setDisplay(layerId, { window: [0, 255], colormap: 'gray' }), id!);
  await page.getByLabel('Show crosshair lines').uncheck(); // the lines would cover the pixels under test
  return id!;
}

/** Checks the voxels of the slice a pane shows (the edge ring is skipped: letters sit there). */
async function checkPane(page: Page, pane: PaneName, at: V3, label: string) {
  await page.evaluate(() => window.voxlens.frame());
  const shot = await grab(page.getByTestId(`view-${pane}`));
  const [lo, hi] = patternBounds();
  const toPx = paneMapper(pane, shot.width, shot.height, lo, hi);
  const fixed = pane === 'axial' ? 2 : pane === 'coronal' ? 1 : 0;
  const [a, b] = [0, 1, 2].filter((x) => x !== fixed);
  let checked = 0;
  for (let u = 1; u < DIMS[a] - 1; u++) {
    for (let v = 1; v < DIMS[b] - 1; v++) {
      const ijk: V3 = [0, 0, 0];
      ijk[fixed] = at[fixed];
      ijk[a] = u;
      ijk[b] = v;
      const [x, y] = toPx(worldOf(...ijk));
      const got = shot.at(x, y);
      const want = pattern(...ijk);
      expect(Math.abs(got[0] - want), `${label}: ${pane} voxel ${ijk} at (${x.toFixed(1)}, ${y.toFixed(1)}): grey ${got[0]}, expected ${want}`).toBeLessThanOrEqual(2);
      checked++;
    }
  }
  expect(checked).toBeGreaterThan(20);
}

test('2x2: every pane shows its slice through the crosshair, voxel by voxel', async ({ page }) => {
  await setup(page);
  const at: V3 = [5, 4, 3];
  await page.evaluate((w) => window.voxlens.setCrosshair(w), worldOf(...at));
  for (const pane of ['axial', 'coronal', 'sagittal'] as const) await checkPane(page, pane, at, 'crosshair at 5,4,3');
  // The 3D pane draws the three planes: it is not empty.
  const shot3d = await grab(page.getByTestId('view-3d'));
  let lit = 0;
  for (let y = 0; y < shot3d.height; y += 4) for (let x = 0; x < shot3d.width; x += 4) if (shot3d.at(x, y)[0] > 20) lit++;
  expect(lit).toBeGreaterThan(50);
});

test('a click in the axial pane moves the shared crosshair: the coronal and sagittal panes follow', async ({ page }) => {
  const id = await setup(page);
  await page.evaluate(() => window.voxlens.frame());
  const pane = page.getByTestId('view-axial');
  const box = (await pane.boundingBox())!;
  const [lo, hi] = patternBounds();
  const target: V3 = [2, 7, Math.round((DIMS[2] - 1) / 2)];
  const before = (await page.evaluate(() => window.voxlens.crosshair()))!;
  const [x, y] = paneMapper('axial', box.width, box.height, lo, hi)(worldOf(target[0], target[1], 0));
  await page.mouse.click(box.x + x, box.y + y);
  const after = (await page.evaluate(() => window.voxlens.crosshair()))!;
  expect(after[2]).toBeCloseTo(before[2], 6); // the axial slice itself does not move
  const probed = await page.evaluate(([w, layerId]) => window.voxlens.probe({ world: w }, layerId)[0], [after, id] as const);
  expect(probed.ijk.slice(0, 2)).toEqual([2, 7]);
  expect(probed.raw).toBe(pattern(2, 7, probed.ijk[2]));
  const shown: V3 = [2, 7, probed.ijk[2]];
  await checkPane(page, 'coronal', shown, 'after the click');
  await checkPane(page, 'sagittal', shown, 'after the click');
});

test('one texture per layer in every layout; switching layouts uploads nothing', async ({ page }) => {
  // A small window: the 3D pane ray-casts in software in four of the layouts (pixels play no part here).
  await page.setViewportSize({ width: 620, height: 420 });
  await page.addInitScript(recordUploads);
  const id = await setup(page);
  const small = new Float32Array(4 * 4 * 4).fill(1.5);
  await serveFixtures(page, { 'pattern.nii': patternFile(), 'small.nii': encodeNifti({ dims: [4, 4, 4], datatypeCode: 16, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(small.buffer) }) });
  const second = await loadInPage(page, '/__fixtures__/small.nii');
  expect(second.id).toBeTruthy();
  const expectedBytes = DIMS[0] * DIMS[1] * DIMS[2] * 1 + 4 * 4 * 4 * 4;
  const uploadsAtStart = await page.evaluate(() => window.layerUploads!(12, 10).length + window.layerUploads!(4, 4).length);
  for (const layout of ['axial', 'coronal', 'sagittal', '3d', '2x2', '1+3', '2x2'] as const) {
    const r = await page.evaluate(async (l) => {
      window.voxlens.setLayout(l);
      await window.voxlens.frame();
      return { bytes: window.voxlens.memory().textureBytes, panes: [...document.querySelectorAll('[data-testid^="view-"]')].map((e) => e.getAttribute('data-testid')), canvases: document.querySelectorAll('canvas').length };
    }, layout);
    // Where the 3D pane shows, its R16F render copy of the cast layer (2 bytes a voxel) counts too.
    const copy = ['3d', '2x2', '1+3'].includes(layout) ? DIMS[0] * DIMS[1] * DIMS[2] * 2 : 0;
    expect(r.bytes, layout).toBe(expectedBytes + copy);
    expect(r.canvases, layout).toBe(1);
    expect(r.panes.length, layout).toBe(layout === '2x2' || layout === '1+3' ? 4 : 1);
  }
  const uploads = await page.evaluate((layerId) => {
    const h = window.voxlens.view(layerId);
    const all = window.layerUploads!(12, 10);
    const r = { count: all.length + window.layerUploads!(4, 4).length, every: all.every((u) => u.buffer === h.array.buffer) };
    h.release();
    return r;
  }, id);
  expect(uploads.count).toBe(uploadsAtStart);
  expect(uploads.every).toBe(true);
  expect(await page.evaluate(() => { try { window.voxlens.setLayout('4x4' as never); return 'accepted'; } catch (e) { return String(e); } })).toContain('Unknown layout');
});

test('keyboard and toolbar: layouts by number keys, a small pane promoted by double-click, Reset restores zoom', async ({ page }) => {
  await setup(page);
  const panes = page.getByTestId('panes');
  await page.keyboard.press('6');
  await expect(panes).toHaveAttribute('data-layout', '1+3');
  await page.getByTestId('pane-label-sagittal').dblclick();
  const big = (await page.getByTestId('view-sagittal').boundingBox())!;
  const small = (await page.getByTestId('view-axial').boundingBox())!;
  expect(big.width * big.height).toBeGreaterThan(4 * small.width * small.height);
  await page.keyboard.press('1');
  await expect(panes).toHaveAttribute('data-layout', 'axial');
  await expect(page.getByTestId('layout-axial')).toHaveAttribute('title', /key 1/);
  // Arrow keys page one voxel of the top layer (2.5 mm in z) in the pane under the pointer.
  const axial = page.getByTestId('view-axial');
  const box = (await axial.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const z0 = (await page.evaluate(() => window.voxlens.crosshair()))![2];
  await page.keyboard.press('ArrowUp');
  expect((await page.evaluate(() => window.voxlens.crosshair()))![2]).toBeCloseTo(z0 + 2.5, 6);
  await page.keyboard.press('PageDown');
  expect((await page.evaluate(() => window.voxlens.crosshair()))![2]).toBeCloseTo(z0, 6);
  // Zoom with ctrl+wheel changes the picture; Reset brings back the default view.
  const before = await axial.screenshot();
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -300);
  await page.keyboard.up('Control');
  await page.evaluate(() => window.voxlens.frame());
  expect(Buffer.compare(await axial.screenshot(), before)).not.toBe(0);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.evaluate(() => window.voxlens.frame());
  expect(Buffer.compare(await axial.screenshot(), before)).toBe(0);
});

// ---- orientation: a phantom with distinct values on its R, A and S sides ---------------------
const SIDE = { R: 250, A: 170, S: 100, base: 40 };

/** 20³ phantom whose value depends on the world position of each voxel, through the given affine. */
function sidedPhantom(affine: number[]): Uint8Array {
  const n = 20;
  const data = new Uint8Array(n * n * n);
  const centre = (n - 1) / 2;
  const c = [0, 1, 2].map((r) => affine[r * 4] * centre + affine[r * 4 + 1] * centre + affine[r * 4 + 2] * centre + affine[r * 4 + 3]);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const w = [0, 1, 2].map((r) => affine[r * 4] * i + affine[r * 4 + 1] * j + affine[r * 4 + 2] * k + affine[r * 4 + 3] - c[r]);
        data[i + n * (j + n * k)] = w[0] > 8 ? SIDE.R : w[1] > 8 ? SIDE.A : w[2] > 8 ? SIDE.S : SIDE.base;
      }
  return encodeNifti({ dims: [n, n, n], datatypeCode: 2, bitpix: 8, data, affine });
}

const rot = (ax: number, deg: number) => {
  const c = Math.cos((deg * Math.PI) / 180), s = Math.sin((deg * Math.PI) / 180);
  return ax === 0 ? [[1, 0, 0], [0, c, -s], [0, s, c]] : ax === 1 ? [[c, 0, s], [0, 1, 0], [-s, 0, c]] : [[c, -s, 0], [s, c, 0], [0, 0, 1]];
};
const mul = (a: number[][], b: number[][]) => a.map((row) => [0, 1, 2].map((c) => row[0] * b[0][c] + row[1] * b[1][c] + row[2] * b[2][c]));
/** Row-major 4×4 voxel → world: the rotation `m` scaled by the spacing, then the origin. */
const affineFrom = (m: number[][], spacing = 1.2, origin: V3 = [3, -5, 7]) => [0, 1, 2].flatMap((r) => [...m[r].map((v) => v * spacing), origin[r]]).concat([0, 0, 0, 1]);
const AFFINES: Record<string, number[]> = {
  RAS: affineFrom([[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
  LAS: affineFrom([[-1, 0, 0], [0, 1, 0], [0, 0, 1]]),
  LIA: affineFrom([[-1, 0, 0], [0, 0, 1], [0, -1, 0]]),
  oblique: affineFrom(mul(rot(2, 25), rot(0, 15))),
};

/** From the pane's edge labelled `letter`, walks inward along the pane's middle line (offset a little) to the first lit pixel. */
async function valueAtSide(pane: Locator, letter: string): Promise<number> {
  const sides = ['left', 'right', 'top', 'bottom'] as const;
  let side: (typeof sides)[number] | undefined;
  for (const s of sides) if ((await pane.getByTestId(`orient-${s}`).textContent()) === letter) side = s;
  if (!side) throw new Error(`no side of the pane is labelled ${letter}`);
  const shot = await grab(pane);
  const { width: w, height: h } = shot;
  const steps = side === 'left' || side === 'right' ? w : h;
  for (let t = 22; t < steps / 2; t++) {
    const [x, y] = side === 'left' ? [t, h / 2 + 6] : side === 'right' ? [w - 1 - t, h / 2 + 6] : side === 'top' ? [w / 2 + 6, t] : [w / 2 + 6, h - 1 - t];
    const px = shot.at(x, y);
    if (px[0] > 10 && px[0] === px[1] && px[1] === px[2]) {
      // Three pixels further in: clear of the edge of the volume.
      const [x2, y2] = side === 'left' ? [x + 3, y] : side === 'right' ? [x - 3, y] : side === 'top' ? [x, y + 3] : [x, y - 3];
      return shot.at(x2, y2)[0];
    }
  }
  throw new Error(`nothing drawn from the ${side} edge`);
}

for (const [name, affine] of Object.entries(AFFINES)) {
  test(`orientation (${name} affine): the side labelled R, A or S shows that side of the patient in every pane`, async ({ page }) => {
    await serveFixtures(page, { 'sided.nii': sidedPhantom(affine) });
    await openEmpty(page, 'layout=2x2');
    const { id } = await loadInPage(page, '/__fixtures__/sided.nii');
    await page.evaluate((layerId) => window.voxlens.setDisplay(layerId, { window: [0, 255], colormap: 'gray' }), id!);
    await page.getByLabel('Show crosshair lines').uncheck();
    await page.evaluate(() => window.voxlens.frame());
    const checks: [PaneName, keyof typeof SIDE][] = [['axial', 'R'], ['axial', 'A'], ['coronal', 'R'], ['coronal', 'S'], ['sagittal', 'A'], ['sagittal', 'S']];
    for (const [pane, letter] of checks) {
      const got = await valueAtSide(page.getByTestId(`view-${pane}`), letter);
      expect(Math.abs(got - SIDE[letter]), `${name}: ${pane} pane, side ${letter}: grey ${got}`).toBeLessThanOrEqual(2);
    }
  });
}

// ---- interpolation -------------------------------------------------------------------------
const RAMPS = [
  { name: 'int16', code: 4, bits: 16, make: (n: number) => new Int16Array(n), lo: -1000, hi: 1000 },
  { name: 'uint8', code: 2, bits: 8, make: (n: number) => new Uint8Array(n), lo: 0, hi: 200 },
  { name: 'float32', code: 16, bits: 32, make: (n: number) => new Float32Array(n), lo: -0.5, hi: 2.5 },
];
for (const r of RAMPS) {
  test(`linear interpolation (${r.name}): halfway between two voxels shows their mean`, async ({ page }) => {
    // 4×4×4 voxels of 10 mm: i = 0, 1 hold lo, i = 2, 3 hold hi; x = 15 mm is halfway between 1 and 2.
    const n = 4;
    const a = r.make(n * n * n);
    for (let v = 0; v < a.length; v++) a[v] = v % n < 2 ? r.lo : r.hi;
    const affine = [10, 0, 0, 0, 0, 10, 0, 0, 0, 0, 10, 0, 0, 0, 0, 1];
    await serveFixtures(page, { 'ramp.nii': encodeNifti({ dims: [n, n, n], datatypeCode: r.code, bitpix: r.bits, bytesPerValue: r.bits / 8, data: new Uint8Array(a.buffer), affine }) });
    await openEmpty(page);
    const { id } = await loadInPage(page, '/__fixtures__/ramp.nii');
    await page.evaluate(([layerId, w]) => window.voxlens.setDisplay(layerId, { window: w, colormap: 'gray', interpolation: 'linear' }), [id!, [r.lo, r.hi] as [number, number]] as const);
    await page.getByLabel('Show crosshair lines').uncheck();
    await page.evaluate(() => window.voxlens.setCrosshair([15, 15, 15]));
    await page.evaluate(() => window.voxlens.frame());
    expect(await page.evaluate(() => window.voxlens.layers()[0].display.interpolation)).toBe('linear');
    const shot = await grab(page.getByTestId('view-axial'));
    const toPx = paneMapper('axial', shot.width, shot.height, [0, 0, 0], [30, 30, 30]);
    // Each pixel's own centre decides the expected value: grey = 255 × (x − 10) / 10 between the
    // centres. Radiological: screen x grows toward the patient's left (world x falls).
    const [cx, cy] = toPx([15, 15, 15]);
    const mmPerPx = 15 / (toPx([0, 15, 15])[0] - cx);
    for (const dx of [-2, 0, 2]) {
      const px = Math.floor(cx) + dx;
      const xMm = 15 - (px + 0.5 - cx) * mmPerPx;
      const want = Math.round(Math.min(255, Math.max(0, ((xMm - 10) / 10) * 255)));
      const got = shot.at(px, cy)[0];
      expect(Math.abs(got - want), `pixel ${px} (x ${xMm.toFixed(3)} mm): grey ${got}, expected ${want}`).toBeLessThanOrEqual(1);
    }
    // Halfway exactly: the mean, 127.5 grey.
    expect(Math.abs(shot.at(cx, cy)[0] - 127.5)).toBeLessThanOrEqual(1 + Math.abs(mmPerPx * 25.5));
    // Nearest shows a hard step instead.
    await page.evaluate((layerId) => window.voxlens.setDisplay(layerId, { interpolation: 'nearest' }), id!);
    await page.evaluate(() => window.voxlens.frame());
    const nearest = await grab(page.getByTestId('view-axial'));
    expect(nearest.at(cx + 6, cy)[0]).toBe(0);
    expect(nearest.at(cx - 6, cy)[0]).toBe(255);
  });
}

// ---- context loss in 2x2 -------------------------------------------------------------------
test('2x2: a WebGL context loss and restore redraws every pane identically from the pinned buffer, no decode', async ({ page }) => {
  await page.addInitScript(recordUploads);
  const id = await setup(page);
  await page.evaluate((w) => window.voxlens.setCrosshair(w), worldOf(5, 4, 3));
  await page.evaluate(() => window.voxlens.frame());
  const names = ['axial', 'coronal', 'sagittal', '3d'];
  const before = await Promise.all(names.map((n) => page.getByTestId(`view-${n}`).screenshot()));
  const uploadsBefore = await page.evaluate(() => window.layerUploads!(12, 10).length);
  await loseAndRestoreContext(page);
  const after = await Promise.all(names.map((n) => page.getByTestId(`view-${n}`).screenshot()));
  names.forEach((n, i) => expect(Buffer.compare(after[i], before[i]), `pane ${n}`).toBe(0));
  const r = await page.evaluate((layerId) => {
    const h = window.voxlens.view(layerId);
    const uploads = window.layerUploads!(12, 10);
    const out = { count: uploads.length, every: uploads.every((u) => u.buffer === h.array.buffer) };
    h.release();
    return out;
  }, id);
  expect(r.count).toBeGreaterThan(uploadsBefore);
  expect(r.every).toBe(true);
  expect(await decodesStarted(page)).toBe(1);
  await checkPane(page, 'coronal', [5, 4, 3], 'after restore');
});

// ---- layer order under racing loads -----------------------------------------------------------
test('?url=a&url=b keeps the given order even when b finishes first', async ({ page }) => {
  const bigData = new Int16Array(48 * 48 * 48).map((_, i) => i % 300);
  const big = encodeNifti({ dims: [48, 48, 48], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(bigData.buffer), description: 'big' });
  const small = encodeNifti({ dims: [4, 4, 4], datatypeCode: 16, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(new Float32Array(64).fill(2).buffer) });
  let smallServed = false;
  await page.route((url) => url.pathname.startsWith('/__fixtures__/'), async (route) => {
    const name = new URL(route.request().url()).pathname.split('/__fixtures__/')[1];
    if (name === 'big.nii') {
      // The first volume arrives only after the second has been served and decoded.
      for (let i = 0; i < 100 && !smallServed; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));
      return route.fulfill({ status: 200, body: Buffer.from(big) });
    }
    smallServed = true;
    return route.fulfill({ status: 200, body: Buffer.from(small) });
  });
  await page.goto('/?layout=axial&url=/__fixtures__/big.nii&url=/__fixtures__/small.nii');
  await page.waitForFunction(() => window.voxlens?.layers().length === 2);
  const layers = await page.evaluate(() => window.voxlens.layers().map((l) => ({ name: l.name, colormap: l.display.colormap, opacity: l.display.opacity })));
  expect(layers).toEqual([
    { name: 'big.nii', colormap: 'gray', opacity: 1 },
    { name: 'small.nii', colormap: 'hot', opacity: 0.5 },
  ]);
  // moveLayer reorders; the panel lists the top first and its buttons do the same.
  await page.evaluate(() => window.voxlens.moveLayer(window.voxlens.layers()[1].id, 0));
  expect(await page.evaluate(() => window.voxlens.layers().map((l) => l.name))).toEqual(['small.nii', 'big.nii']);
  await page.getByRole('button', { name: 'Move small.nii up' }).click();
  expect(await page.evaluate(() => window.voxlens.layers().map((l) => l.name))).toEqual(['big.nii', 'small.nii']);
  await expect(page.getByTestId('layer-panel').locator('.layer-name').first()).toHaveText('small.nii');
});

// ---- label maps ------------------------------------------------------------------------------
test('a label map (intent 1002) draws each label in its colour, 0 transparent, names from a lookup file, outlines', async ({ page }) => {
  const n = 16;
  const labels = new Uint8Array(n * n * n);
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) labels[i + n * (j + n * k)] = i < 4 ? 0 : i < 10 ? 3 : 17;
  await serveFixtures(page, { 'atlas.nii': encodeNifti({ dims: [n, n, n], datatypeCode: 2, bitpix: 8, data: labels, intentCode: 1002 }) });
  await openEmpty(page);
  const { id } = await loadInPage(page, '/__fixtures__/atlas.nii');
  const info = await page.evaluate((layerId) => window.voxlens.layers().find((l) => l.id === layerId)!.display, id!);
  expect(info.colormap).toBe('label');
  await page.getByLabel('Show crosshair lines').uncheck();
  await page.evaluate(() => window.voxlens.frame());
  const view = page.getByTestId('view-axial');
  const shot = await grab(view);
  const map = paneMapper('axial', shot.width, shot.height, [0, 0, 0], [n - 1, n - 1, n - 1]);
  const at = (i: number, j: number) => shot.at(...map([i, j, Math.floor(n / 2)]));
  expect(at(1, 8)).toEqual([0, 0, 0]); // label 0: transparent over the black background
  const three = at(6, 8);
  const seventeen = at(13, 8);
  expect(Math.max(...three)).toBeGreaterThan(100);
  expect(three.some((c, i) => Math.abs(c - seventeen[i]) > 40)).toBe(true);

  // A FreeSurfer-style lookup names and colours the labels.
  await page.getByTestId(`lookup-input-${id}`).setInputFiles({ name: 'atlasLUT.txt', mimeType: 'text/plain', buffer: Buffer.from('# index name r g b a\n0 Unknown 0 0 0 0\n3 Left-Thing 255 0 0 0\n17 Left-Hippocampus 0 0 255 0\n') });
  await expect(page.getByTestId('label-lookup')).toHaveText('atlasLUT.txt');
  await page.evaluate(() => window.voxlens.frame());
  const named = await grab(view);
  expect(named.at(...map([6, 8, Math.floor(n / 2)]))).toEqual([255, 0, 0]);
  expect(named.at(...map([13, 8, Math.floor(n / 2)]))).toEqual([0, 0, 255]);
  const box = (await view.boundingBox())!;
  const [px, py] = map([13, 8, Math.floor(n / 2)]);
  await page.mouse.move(box.x + px, box.y + py);
  await expect(page.getByTestId('probe-label')).toHaveText('Left-Hippocampus (17)');

  // Outline: the inside of a region is clear, its border drawn.
  await page.getByLabel(`Outline atlas.nii`).check();
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.voxlens.frame());
  const outlined = await grab(view);
  expect(outlined.at(...map([6.5, 8, Math.floor(n / 2)]))).toEqual([0, 0, 0]);
  const [bx, by] = map([9.5, 8, Math.floor(n / 2)]); // the border between 3 and 17
  const near = [-1, 0, 1].map((d) => outlined.at(bx + d, by));
  expect(near.some((c) => Math.max(...c) > 100)).toBe(true);

  // A malformed lookup is refused with its line number; the layer keeps its names.
  await page.getByTestId(`lookup-input-${id}`).setInputFiles({ name: 'bad.txt', mimeType: 'text/plain', buffer: Buffer.from('3 Left-Thing 255 0\n') });
  await expect(page.getByRole('alert')).toContainText('line 1');
  await expect(page.getByTestId('label-lookup')).toHaveText('atlasLUT.txt');
});

test('CT presets are offered for HU-like volumes and set level/width in HU', async ({ page }) => {
  await page.goto('/?layout=axial');
  await page.waitForFunction(() => window.voxlens?.layers().length === 1);
  await page.getByLabel('Window preset').selectOption('Lung');
  await expect(page.getByLabel('Window low')).toHaveValue('-1350');
  await expect(page.getByLabel('Window high')).toHaveValue('150');
  await expect(page.getByLabel('Level')).toHaveValue('-600');
  await expect(page.getByLabel('Width')).toHaveValue('1500');
  await page.getByLabel('Width').fill('80');
  await page.getByLabel('Width').press('Enter');
  await expect(page.getByLabel('Window low')).toHaveValue('-640');
});

test('presets are not offered for a volume that is not HU-like', async ({ page }) => {
  await setup(page, 'layout=axial');
  await expect(page.getByLabel('Window low')).toBeVisible();
  await expect(page.getByLabel('Window preset')).toHaveCount(0);
});

test('4D: play advances frames at the chosen rate, pause stops; frames switch without uploads', async ({ page }) => {
  await page.addInitScript(recordUploads);
  const frames = 4;
  const a = new Int16Array(8 * 8 * 3 * frames);
  for (let v = 0; v < a.length; v++) a[v] = Math.floor(v / (8 * 8 * 3)) * 10;
  await serveFixtures(page, { 'series.nii': encodeNifti({ dims: [8, 8, 3, frames], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(a.buffer) }) });
  await openEmpty(page);
  await loadInPage(page, '/__fixtures__/series.nii');
  await page.evaluate(() => window.voxlens.frame());
  const start = await page.evaluate(() => ({ uploads: window.layerUploads!(8, 8).length, gpu: window.voxlens.memory().textureBytes }));
  await page.getByLabel('Frames per second').selectOption('20');
  await page.getByRole('button', { name: 'Play series.nii' }).click();
  const seen = new Set<string>();
  for (let i = 0; i < 40 && seen.size < frames; i++) {
    seen.add((await page.getByTestId('frame-label').textContent()) ?? '');
    await page.waitForTimeout(25);
  }
  expect(seen.size).toBe(frames);
  await page.getByRole('button', { name: 'Pause series.nii' }).click();
  const stopped = await page.getByTestId('frame-label').textContent();
  await page.waitForTimeout(200);
  await expect(page.getByTestId('frame-label')).toHaveText(stopped!);
  const end = await page.evaluate(() => ({ uploads: window.layerUploads!(8, 8).length, gpu: window.voxlens.memory().textureBytes }));
  expect(end).toEqual(start);
  // The probe follows the shown frame.
  const frame = Number(stopped!.split('/')[0]) - 1;
  expect(await page.evaluate(() => window.voxlens.probe({ ijk: [1, 1, 1] })[0].raw)).toBe(frame * 10);
});

test('layers reorder by dragging a row in the layer panel', async ({ page }) => {
  const make = (fill: number) => encodeNifti({ dims: [4, 4, 4], datatypeCode: 2, bitpix: 8, data: new Uint8Array(64).map((_, i) => fill + (i % 50)) });
  await serveFixtures(page, { 'one.nii': make(0), 'two.nii': make(100), 'three.nii': make(200) });
  await openEmpty(page);
  for (const f of ['one', 'two', 'three']) await loadInPage(page, `/__fixtures__/${f}.nii`);
  const names = () => page.evaluate(() => window.voxlens.layers().map((l) => l.name));
  expect(await names()).toEqual(['one.nii', 'two.nii', 'three.nii']);
  // The panel lists the top first: drag the bottom layer (last row) onto the top row.
  // HTML5 drag and drop, as the browser dispatches it, with one DataTransfer carried through.
  await page.evaluate(() => {
    const rows = document.querySelectorAll('[data-testid="layer-panel"] li.layer');
    const dt = new DataTransfer();
    const fire = (el: Element, type: string) => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    fire(rows[2], 'dragstart');
    fire(rows[0], 'dragenter');
    fire(rows[0], 'dragover');
    fire(rows[0], 'drop');
    fire(rows[2], 'dragend');
  });
  expect(await names()).toEqual(['two.nii', 'three.nii', 'one.nii']);
});
