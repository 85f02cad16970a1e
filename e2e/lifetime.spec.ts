// The bug class the lifetime manager exists for: a view outliving the layer it reads
// (arr = asarray(image); del image; arr[1,1,1]), a pooled buffer reused under a live view.
import { expect, test } from '@playwright/test';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { loadInPage, openEmpty, serveFixtures } from './helpers';

const volume = (fill: (i: number) => number, dims = [16, 16, 8]) => {
  const a = new Int16Array(dims[0] * dims[1] * dims[2]);
  a.forEach((_, i) => (a[i] = fill(i)));
  return encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(a.buffer) });
};

test.beforeEach(async ({ page }) => {
  await serveFixtures(page, {
    'a.nii': volume((i) => (i % 1000) - 500),
    'b.nii': volume((i) => 7000 + (i % 7)),
    'c.nii': volume(() => 1),
    'big.nii': volume(() => 3, [128, 128, 80]),
  });
  await openEmpty(page);
});

test('a view taken before close reads the same values after close, and after another same-size load', async ({ page }) => {
  const a = await loadInPage(page, '/__fixtures__/a.nii');
  const result = await page.evaluate(async (id) => {
    const v = window.voxlens;
    const handle = v.view(id);
    const arr = handle.array as Int16Array;
    const before = [arr[0], arr[123], arr[2047]];
    v.close(id);
    await v.frame(); // the slice view unmounts and its texture is disposed
    const afterClose = [arr[0], arr[123], arr[2047]];
    const pinsAfterClose = v.memory().buffers.find((b) => b.bytes === arr.byteLength)!.pins.map((p) => p.owner);
    const b = await v.load('/__fixtures__/b.nii'); // same byte size: must not reuse the pinned buffer
    await v.frame();
    const afterOtherLoad = [arr[0], arr[123], arr[2047]];
    const bValue = v.probe({ ijk: [0, 0, 0] }, b.id)[0].raw;
    const buffers = v.memory().buffers.length;
    handle.release();
    handle.release(); // twice is harmless
    const pooledAfterRelease = v.memory().buffers.filter((x) => x.pooled).length;
    v.close(b.id);
    await v.frame();
    const c = await v.load('/__fixtures__/c.nii'); // reuses a pooled buffer: no new allocation
    await v.frame();
    const m = v.memory();
    return { before, afterClose, pinsAfterClose, afterOtherLoad, bValue, buffers, pooledAfterRelease, afterC: m.buffers.length, cPins: m.buffers.filter((x) => !x.pooled).map((x) => x.pins.map((p) => p.owner).sort().join('+')), cValue: v.probe({ ijk: [5, 5, 5] }, c.id)[0].raw };
  }, a.id!);
  expect(result.before).toEqual([-500, -377, -453]);
  expect(result.afterClose).toEqual(result.before);
  expect(result.pinsAfterClose).toEqual(['view']);
  expect(result.afterOtherLoad).toEqual(result.before);
  expect(result.bValue).toBe(7000);
  expect(result.buffers).toBe(2);
  expect(result.pooledAfterRelease).toBe(1);
  expect(result.afterC).toBe(2); // one live (c, in a reused buffer), one pooled (b's): nothing new allocated
  expect(result.cPins).toEqual(['layer+texture']);
  expect(result.cValue).toBe(1);
});

test('a copy is independent: writes never reach the layer or its probe', async ({ page }) => {
  const a = await loadInPage(page, '/__fixtures__/a.nii');
  const r = await page.evaluate(async (id) => {
    await window.voxlens.frame();
    const copy = window.voxlens.view(id, { copy: true });
    (copy.array as Int16Array)[0] = 12345;
    const live = window.voxlens.view(id);
    const out = { probe: window.voxlens.probe({ ijk: [0, 0, 0] }, id)[0].raw, live: (live.array as Int16Array)[0], copy: (copy.array as Int16Array)[0], pins: window.voxlens.memory().buffers[0].pins.map((p) => p.owner) };
    live.release();
    return out;
  }, a.id!);
  expect(r).toEqual({ probe: -500, live: -500, copy: 12345, pins: ['layer', 'texture', 'view'] });
});

test('the memory panel shows buffers and their pins', async ({ page }) => {
  await loadInPage(page, '/__fixtures__/a.nii');
  await page.evaluate(() => window.voxlens.frame());
  const panel = page.getByTestId('memory-panel');
  await expect(panel).toContainText('4.0 KiB');
  await expect(panel.locator('.pin')).toHaveText(['layer', 'texture']);
});

test('a load over the budget is refused with the numbers, allocates nothing and keeps loaded layers', async ({ page }) => {
  await openEmpty(page, 'budgetMiB=1');
  const a = await loadInPage(page, '/__fixtures__/a.nii');
  await page.evaluate(() => window.voxlens.frame());
  const before = await page.evaluate(() => window.voxlens.memory());
  const r = await loadInPage(page, '/__fixtures__/big.nii');
  expect(r.code).toBe('over-budget');
  expect(r.message).toMatch(/big\.nii needs 2\.5 MiB .* 1\.0 MiB voxel budget/);
  expect(await page.evaluate(() => window.voxlens.memory())).toEqual(before);
  expect(await page.evaluate(() => window.voxlens.layers().map((l) => l.id))).toEqual([a.id]);
  await expect(page.getByRole('alert')).toContainText('Could not open big.nii');
});

test('views dropped without release() are released by the garbage collector and counted as leaks', async ({ page, browserName }) => {
  test.skip(browserName !== 'chromium', 'needs --js-flags=--expose-gc');
  const a = await loadInPage(page, '/__fixtures__/a.nii');
  await page.evaluate((id) => {
    window.voxlens.view(id); // handle dropped on the floor
  }, a.id!);
  // Force collection through the DevTools protocol, then let finalizers run.
  const cdp = await page.context().newCDPSession(page);
  let leaks = 0;
  for (let i = 0; i < 20 && leaks === 0; i++) {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.waitForTimeout(50);
    leaks = await page.evaluate(() => window.voxlens.memory().leaks);
  }
  expect(leaks).toBe(1);
  const pins = await page.evaluate(() => window.voxlens.memory().buffers[0].pins.map((p) => p.owner));
  expect(pins).not.toContain('view');
});
