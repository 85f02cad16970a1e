// Every stored type reaches the screen exactly: each voxel of a small volume is drawn with the
// grey its stored value deserves under a narrow window (so −128 and −127 must differ), and the
// zero-copy upload hands WebGL a view over the layer's own SharedArrayBuffer.
import { expect, test } from './fixtures';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { fitView, worldToScreen } from '../src/render/camera/sliceGeometry';
import { grab, expectedGrey } from './pixels';
import { decodesStarted, loadInPage, openEmpty, raisedNotice, recordUploads, serveFixtures } from './helpers';

const DIMS = [8, 8, 3];
const N = DIMS[0] * DIMS[1] * DIMS[2];

interface Case {
  name: string;
  code: number;
  bits: number;
  make: (i: number) => number;
  array: (n: number) => Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array | Float64Array;
  window: [number, number];
  texture: string;
}

// Values cycle through lo, lo+1, lo+2 so that a window of [lo, lo+2] maps them to 0, 128, 255.
const cycle = (lo: number, step = 1) => (i: number) => lo + (i % 3) * step;
const CASES: Case[] = [
  { name: 'int8', code: 256, bits: 8, make: cycle(-128), array: (n) => new Int8Array(n), window: [-128, -126], texture: 'R8I' },
  { name: 'uint8', code: 2, bits: 8, make: cycle(253), array: (n) => new Uint8Array(n), window: [253, 255], texture: 'R8' },
  { name: 'int16', code: 4, bits: 16, make: cycle(-32768), array: (n) => new Int16Array(n), window: [-32768, -32766], texture: 'R16I' },
  { name: 'uint16', code: 512, bits: 16, make: cycle(65533), array: (n) => new Uint16Array(n), window: [65533, 65535], texture: 'R16UI' },
  { name: 'int32', code: 8, bits: 32, make: cycle(-1000000), array: (n) => new Int32Array(n), window: [-1000000, -999998], texture: 'R32I' },
  { name: 'float32', code: 16, bits: 32, make: cycle(-0.5, 0.25), array: (n) => new Float32Array(n), window: [-0.5, 0], texture: 'R32F' },
  { name: 'float64', code: 64, bits: 64, make: cycle(1e-3, 1e-3), array: (n) => new Float64Array(n), window: [1e-3, 3e-3], texture: 'R32F' },
];

function fixture(c: Case): Uint8Array {
  const a = c.array(N);
  for (let i = 0; i < N; i++) a[i] = c.make(i);
  return encodeNifti({ dims: DIMS, datatypeCode: c.code, bitpix: c.bits, bytesPerValue: c.bits / 8, data: new Uint8Array(a.buffer) });
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript(recordUploads);
});

for (const c of CASES) {
  test(`${c.name}: exact values on screen, ${c.texture} texture`, async ({ page }) => {
    await serveFixtures(page, { [`${c.name}.nii`]: fixture(c) });
    await openEmpty(page);
    const { id } = await loadInPage(page, `/__fixtures__/${c.name}.nii`);
    expect(id).toBeTruthy();
    const info = await page.evaluate((layerId) => window.voxlens.layers().find((l) => l.id === layerId)!, id!);
    expect(info.texture.internalFormat).toBe(c.texture);
    expect(Boolean(info.texture.converted)).toBe(c.name === 'float64');

    await page.evaluate(([layerId, w]) => window.voxlens.setDisplay(layerId, { window: w, colormap: 'gray' }), [id!, c.window] as const);
    await page.evaluate(() => window.voxlens.frame());

    // Zero copy: every 3D upload of the layer's texture is a view over the very buffer
    // voxlens.view() exposes; float64 uploads a converted float32 copy of every voxel instead.
    const sameMemory = await page.evaluate((layerId) => {
      const handle = window.voxlens.view(layerId);
      const uploads = window.layerUploads!(8, 8);
      const result = {
        count: uploads.length,
        every: uploads.every((u) => u.buffer === handle.array.buffer),
        copies: uploads.filter((u) => u.buffer !== handle.array.buffer).map((u) => ({ float32: u instanceof Float32Array, length: (u as Float32Array).length })),
        shared: handle.array.buffer instanceof SharedArrayBuffer,
      };
      handle.release();
      return result;
    }, id!);
    expect(sameMemory.shared).toBe(true);
    expect(sameMemory.count).toBeGreaterThan(0);
    if (c.name === 'float64') expect(sameMemory.copies).toEqual(Array(sameMemory.count).fill({ float32: true, length: N }));
    else expect(sameMemory.copies).toEqual([]);

    if (c.name === 'float64') {
      // The conversion is visible to the user, then dismissed so the notice does not cover the view.
      await raisedNotice(page, 'warning', 'float32 copy');
      await expect(page.getByTestId('layer-panel')).toContainText('converted copy');
      // It may have faded by itself already (warnings do, after a while).
      for (const shown of await page.getByTestId('notice-warning').all()) await shown.getByRole('button', { name: 'Dismiss' }).click();
    }
    // The slice label and orientation letters are drawn over the canvas; this test reads the canvas.
    await page.addStyleTag({ content: '.slice-overlay, .pane-label { visibility: hidden; }' });
    const view = page.getByTestId('view-axial');
    const shot = await grab(view);
    const geometry = fitView('axial', 'radiological', { lo: [0, 0, 0], hi: [7, 7, 2] }, [3.5, 3.5, 1], shot.width, shot.height);
    const k = 1;
    for (let j = 0; j < DIMS[1]; j++) {
      for (let i = 0; i < DIMS[0]; i++) {
        const [x, y] = worldToScreen(geometry, [i, j, k]);
        const want = expectedGrey(c.make(i + DIMS[0] * (j + DIMS[1] * k)), c.window);
        const got = shot.at(x, y);
        expect(Math.abs(got[0] - want), `voxel ${i},${j},${k}: grey ${got[0]}, expected ${want}`).toBeLessThanOrEqual(2);
      }
    }
  });
}

test('an overlay is transparent at or below its window low: the base layer shows through unchanged', async ({ page }) => {
  const base = CASES[2]; // int16
  const overlay = new Uint8Array(N); // all zero but one voxel on the centre slice
  overlay[2 + DIMS[0] * (2 + DIMS[1] * 1)] = 200;
  await serveFixtures(page, {
    'base.nii': fixture(base),
    'overlay.nii': encodeNifti({ dims: DIMS, datatypeCode: 2, bitpix: 8, data: overlay }),
  });
  await openEmpty(page);
  const a = await loadInPage(page, '/__fixtures__/base.nii');
  const b = await loadInPage(page, '/__fixtures__/overlay.nii');
  await page.evaluate(
    ([baseId, overlayId, w]) => {
      window.voxlens.setDisplay(baseId, { window: w });
      window.voxlens.setDisplay(overlayId, { window: [0, 200], colormap: 'red', opacity: 1 });
      return window.voxlens.frame();
    },
    [a.id!, b.id!, base.window] as const,
  );
  const shot = await grab(page.getByTestId('view-axial'));
  const geometry = fitView('axial', 'radiological', { lo: [0, 0, 0], hi: [7, 7, 2] }, [3.5, 3.5, 1], shot.width, shot.height);
  for (const [i, j] of [[0, 0], [5, 6], [2, 2]]) {
    const [x, y] = worldToScreen(geometry, [i, j, 1]);
    const got = shot.at(x, y);
    if (i === 2 && j === 2) expect(got).toEqual([255, 0, 0]);
    else {
      const want = expectedGrey(base.make(i + DIMS[0] * (j + DIMS[1])), base.window);
      expect(got.map((c) => Math.abs(c - want)).every((d) => d <= 2), `voxel ${i},${j}: ${got} vs grey ${want}`).toBe(true);
    }
  }
});

test('after a WebGL context loss and restore, textures are rebuilt from the pinned buffers', async ({ page }) => {
  const c = CASES[2]; // int16
  await serveFixtures(page, { 'v.nii': fixture(c) });
  await openEmpty(page);
  const { id } = await loadInPage(page, '/__fixtures__/v.nii');
  await page.evaluate(([layerId, w]) => {
    window.voxlens.setDisplay(layerId, { window: w });
    return window.voxlens.frame();
  }, [id!, c.window] as const);
  const view = page.getByTestId('view-axial');
  const check = async () => {
    const shot = await grab(view);
    const geometry = fitView('axial', 'radiological', { lo: [0, 0, 0], hi: [7, 7, 2] }, [3.5, 3.5, 1], shot.width, shot.height);
    for (const [i, j] of [[0, 0], [1, 0], [2, 0], [6, 5]]) {
      const [x, y] = worldToScreen(geometry, [i, j, 1]);
      const want = expectedGrey(c.make(i + DIMS[0] * (j + DIMS[1])), c.window);
      expect(Math.abs(shot.at(x, y)[0] - want), `voxel ${i},${j}`).toBeLessThanOrEqual(2);
    }
  };
  await check();
  const uploadsBefore = await page.evaluate(() => window.layerUploads!(8, 8).length);
  const lost = await page.evaluate(async () => {
    const canvas = document.querySelector('canvas')!;
    const ext = canvas.getContext('webgl2')!.getExtension('WEBGL_lose_context')!;
    const seen = new Promise<boolean>((resolve) => canvas.addEventListener('webglcontextlost', () => resolve(true), { once: true }));
    ext.loseContext();
    const wasLost = await seen;
    await new Promise((r) => setTimeout(r, 100));
    const restored = new Promise<boolean>((resolve) => canvas.addEventListener('webglcontextrestored', () => resolve(true), { once: true }));
    ext.restoreContext();
    await restored;
    await window.voxlens.frame();
    return wasLost;
  });
  expect(lost).toBe(true);
  await check();
  // The restore uploaded again, every byte from the layer's own pinned buffer, and decoded nothing.
  const after = await page.evaluate((layerId) => {
    const h = window.voxlens.view(layerId);
    const uploads = window.layerUploads!(8, 8);
    const r = { count: uploads.length, every: uploads.every((u) => u.buffer === h.array.buffer) };
    h.release();
    return r;
  }, id!);
  expect(after.count).toBeGreaterThan(uploadsBefore);
  expect(after.every).toBe(true);
  expect(await decodesStarted(page)).toBe(1);
  // Nothing was reloaded: still one buffer, pinned by the layer and its texture.
  expect(await page.evaluate(() => window.voxlens.memory().buffers.map((b) => b.pins.map((p) => p.owner).sort().join('+')))).toEqual(['layer+texture']);
});

test('4D: choosing a frame shows and probes that frame (a view over the same buffer)', async ({ page }) => {
  const frames = 3;
  const a = new Int16Array(N * frames);
  for (let t = 0; t < frames; t++) for (let i = 0; i < N; i++) a[t * N + i] = t * 100 + (i % 3);
  await serveFixtures(page, { '4d.nii': encodeNifti({ dims: [...DIMS, frames], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(a.buffer) }) });
  await openEmpty(page);
  const { id } = await loadInPage(page, '/__fixtures__/4d.nii');
  const win: [number, number] = [200, 202];
  await page.evaluate(([layerId, w]) => {
    window.voxlens.setDisplay(layerId, { window: w, frame: 2 });
    return window.voxlens.frame();
  }, [id!, win] as const);
  await expect(page.getByTestId('frame-label')).toHaveText('3 / 3');
  expect(await page.evaluate((layerId) => window.voxlens.probe({ ijk: [1, 0, 0] }, layerId)[0].raw, id!)).toBe(201);
  const shot = await grab(page.getByTestId('view-axial'));
  const geometry = fitView('axial', 'radiological', { lo: [0, 0, 0], hi: [7, 7, 2] }, [3.5, 3.5, 1], shot.width, shot.height);
  for (const [i, j] of [[0, 0], [1, 0], [2, 0]]) {
    const [x, y] = worldToScreen(geometry, [i, j, 1]);
    expect(Math.abs(shot.at(x, y)[0] - expectedGrey(200 + ((i + DIMS[0] * (j + DIMS[1])) % 3), win))).toBeLessThanOrEqual(2);
  }
  // Every frame lives in the one texture (stacked along k): one upload of the whole buffer, and
  // switching frames uploads nothing and adds no GPU bytes.
  const uploads = await page.evaluate(async (layerId) => {
    const h = window.voxlens.view(layerId);
    const before = { count: window.layerUploads!(8, 8).length, gpu: window.voxlens.memory().textureBytes };
    window.voxlens.setDisplay(layerId, { frame: 1 });
    await window.voxlens.frame();
    const all = window.layerUploads!(8, 8);
    const after = { count: all.length, gpu: window.voxlens.memory().textureBytes };
    const r = { before, after, every: all.every((u) => u.buffer === h.array.buffer && u.byteOffset === 0 && u.byteLength === h.array.byteLength) };
    h.release();
    return r;
  }, id!);
  expect(uploads.every).toBe(true);
  expect(uploads.after).toEqual(uploads.before);
  expect(uploads.before.gpu).toBe(N * frames * 2);
  expect(await page.evaluate((layerId) => window.voxlens.probe({ ijk: [1, 0, 0] }, layerId)[0].raw, id!)).toBe(101);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await page.evaluate((layerId) => { try { window.voxlens.setDisplay(layerId, { frame: 3 }); return 'accepted'; } catch (e) { return String(e); } }, id!)).toContain('outside 0…2');
});
