// The bug class the lifetime manager exists for: a view outliving the layer it reads
// (arr = asarray(image); del image; arr[1,1,1]), a pooled buffer reused under a live view.
import { expect, test } from './fixtures';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { collectGarbage, loadInPage, openEmpty, serveFixtures } from './helpers';

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
  let leaks = 0;
  await collectGarbage(page, async () => (leaks = await page.evaluate(() => window.voxlens.memory().leaks)) > 0);
  expect(leaks).toBe(1);
  const pins = await page.evaluate(() => window.voxlens.memory().buffers[0].pins.map((p) => p.owner));
  expect(pins).not.toContain('view');
});

test('an array kept without its handle keeps the view pin through GC and close; dropping the array is the leak', async ({ page, browserName }) => {
  test.skip(browserName !== 'chromium', 'forces GC through the DevTools protocol');
  const a = await loadInPage(page, '/__fixtures__/a.nii');
  type Kept = { __kept?: Int16Array; __handleGone?: boolean; __sentinel?: FinalizationRegistry<string> };
  const leaksBefore = await page.evaluate(async (id) => {
    await window.voxlens.frame();
    const w = window as unknown as Kept;
    const handle = window.voxlens.view(id);
    w.__kept = handle.array as Int16Array; // the handle itself is dropped
    // Tells the test when the { array, release } wrapper has really been collected.
    w.__handleGone = false;
    w.__sentinel = new FinalizationRegistry(() => (w.__handleGone = true));
    w.__sentinel.register(handle, 'handle');
    return window.voxlens.memory().leaks;
  }, a.id!);
  const state = () =>
    page.evaluate(() => {
      const v = window.voxlens;
      const kept = (window as unknown as Kept).__kept;
      const m = v.memory();
      return {
        leaks: m.leaks,
        viewPins: m.buffers.flatMap((b) => b.pins).filter((p) => p.owner === 'view').length,
        values: kept ? [kept[0], kept[123], kept[2047]] : null,
      };
    });

  await collectGarbage(page, () => page.evaluate(() => (window as unknown as Kept).__handleGone === true));
  expect(await page.evaluate(() => (window as unknown as Kept).__handleGone)).toBe(true);
  await collectGarbage(page, async () => false, 2); // any finalizer for the wrapper has had its turn
  expect(await state()).toEqual({ leaks: leaksBefore, viewPins: 1, values: [-500, -377, -453] });

  // Closed, collected again, and a same-size load that would reuse the buffer if the pin had gone.
  const afterClose = await page.evaluate(async (id) => {
    window.voxlens.close(id);
    await window.voxlens.frame();
    return window.voxlens.memory().buffers.map((b) => b.pins.map((p) => p.owner));
  }, a.id!);
  expect(afterClose).toEqual([['view']]);
  await collectGarbage(page, async () => false, 2);
  const b = await loadInPage(page, '/__fixtures__/b.nii');
  expect(await page.evaluate((id) => window.voxlens.probe({ ijk: [0, 0, 0] }, id)[0].raw, b.id!)).toBe(7000);
  expect(await state()).toEqual({ leaks: leaksBefore, viewPins: 1, values: [-500, -377, -453] });

  // Now the array goes too: the collector releases the pin and counts the leak.
  await page.evaluate(() => delete (window as unknown as Kept).__kept);
  await collectGarbage(page, async () => (await state()).leaks > leaksBefore);
  expect(await state()).toEqual({ leaks: leaksBefore + 1, viewPins: 0, values: null });
  const buffers = await page.evaluate(() => window.voxlens.memory().buffers.map((x) => ({ pooled: x.pooled, pins: x.pins.map((p) => p.owner).sort() })));
  expect(buffers).toEqual([
    { pooled: false, pins: ['layer', 'texture'] },
    { pooled: true, pins: [] },
  ]);
});
