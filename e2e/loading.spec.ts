import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { loadInPage, openEmpty, raisedNotice, serveFixtures, stripIsolationHeaders } from './helpers';

const volume = () => {
  const a = new Uint16Array(32 * 32 * 16).map((_, i) => (i * 7) % 65536);
  return encodeNifti({ dims: [32, 32, 16], datatypeCode: 512, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(a.buffer) });
};

test('multi-member gzip (pigz -i, bgzip style) loads in Chromium, whose DecompressionStream stops at the first member; its slices draw with the program compiled at page open', async ({ page }) => {
  const file = volume();
  const members = Buffer.concat([gzipSync(file.subarray(0, 5000)), gzipSync(file.subarray(5000, 20000)), gzipSync(file.subarray(20000))]);
  await serveFixtures(page, { 'multi.nii.gz': members });
  // Counts the slice-pane shaders (their vertex shader names uClipToVoxel) handed to WebGL.
  await page.addInitScript(() => {
    const w = window as unknown as { sliceShaders: number };
    w.sliceShaders = 0;
    const source = WebGL2RenderingContext.prototype.shaderSource;
    WebGL2RenderingContext.prototype.shaderSource = function (shader, text) {
      if (text.includes('uClipToVoxel')) w.sliceShaders++;
      source.call(this, shader, text);
    };
  });
  await openEmpty(page);
  await page.waitForFunction(() => performance.getEntriesByName('voxlens:shaders-warm').length > 0);
  const compiledAtOpen = await page.evaluate(() => (window as unknown as { sliceShaders: number }).sliceShaders);
  expect(compiledAtOpen).toBeGreaterThan(0);
  const r = await loadInPage(page, '/__fixtures__/multi.nii.gz');
  expect(r.code, r.message).toBeUndefined();
  const values = await page.evaluate((id) => window.voxlens.probe({ ijk: [31, 31, 15] }, id)[0].raw, r.id!);
  expect(values).toBe(((32 * 32 * 16 - 1) * 7) % 65536);
  // A uint16 layer's first frame compiled no slice program: the one warmed at page open drew it.
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => (window as unknown as { sliceShaders: number }).sliceShaders)).toBe(compiledAtOpen);
});

test('big-endian NIfTI-2 with an extension block loads with the right values', async ({ page }) => {
  const a = new Int32Array(4 * 4 * 4).map((_, i) => -i * 100000);
  const file = encodeNifti({ version: 2, dims: [4, 4, 4], datatypeCode: 8, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(a.buffer), littleEndian: false, extensionBytes: 48 });
  await serveFixtures(page, { 'be.nii.gz': gzipSync(file) });
  await openEmpty(page);
  const r = await loadInPage(page, '/__fixtures__/be.nii.gz');
  const raw = await page.evaluate((id) => window.voxlens.probe({ ijk: [3, 2, 1] }, id)[0].raw, r.id!);
  expect(raw).toBe(-(3 + 4 * (2 + 4 * 1)) * 100000);
});

test('drag and drop opens files; several volumes open side by side; closing one keeps the other', async ({ page }) => {
  await openEmpty(page);
  const bytes = Array.from(volume());
  await page.evaluate(async (data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], 'dropped.nii'));
    dt.items.add(new File([new Uint8Array(data)], 'second.nii'));
    const target = document.querySelector('.app')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, bytes);
  await expect(page.getByTestId('layer-panel').locator('.layer')).toHaveCount(2);
  await page.getByRole('button', { name: 'Close dropped.nii' }).click();
  await expect(page.getByTestId('layer-panel').locator('.layer')).toHaveCount(1);
  await expect(page.getByTestId('layer-panel')).toContainText('second.nii');
  expect(await page.evaluate(() => window.voxlens.layers().map((l) => l.name))).toEqual(['second.nii']);
});

test('?url= opens volumes on start', async ({ page }) => {
  await serveFixtures(page, { 'a.nii': volume(), 'b.nii': volume() });
  await page.goto('/?url=/__fixtures__/a.nii&url=/__fixtures__/b.nii');
  await page.waitForFunction(() => window.voxlens?.layers().length === 2);
  expect(await page.evaluate(() => window.voxlens.layers().map((l) => l.name).sort())).toEqual(['a.nii', 'b.nii']);
});

test('a slow load shows progress and can be cancelled, leaving nothing allocated', async ({ page }) => {
  const file = volume();
  await openEmpty(page);
  // Serve the body slowly enough to see progress and press Cancel.
  await page.route('**/__slow__/slow.nii', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.fulfill({ status: 200, body: Buffer.from(file) });
  });
  const pending = loadInPage(page, '/__slow__/slow.nii');
  const progress = page.getByTestId('load-progress');
  await expect(progress).toContainText('Loading slow.nii');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  expect((await pending).code).toBe('cancelled');
  await expect(progress).toHaveCount(0);
  expect(await page.evaluate(() => window.voxlens.memory().buffers)).toEqual([]);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('cancelled mid-stream, with the voxel buffer taken and progress shown, gives the buffer back and keeps loaded layers', async ({ page }) => {
  // 5 MiB of voxels; the worker reports progress every 4 MiB, so the server sends 4.5 MiB and stalls.
  const dims = [128, 128, 160];
  const voxelBytes = dims[0] * dims[1] * dims[2] * 2;
  const big = encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(voxelBytes) });
  let requestClosed = false;
  // route.fulfill cannot stream: a local server (another origin, so it answers with CORS) sends part of the body and stalls.
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(big.length), 'access-control-allow-origin': '*' });
    res.write(big.subarray(0, 4.5 * 1024 * 1024));
    res.on('close', () => (requestClosed = true));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await serveFixtures(page, { 'a.nii': volume() });
    await openEmpty(page);
    const a = await loadInPage(page, '/__fixtures__/a.nii');
    await page.evaluate(() => window.voxlens.frame());
    const before = await page.evaluate(() => window.voxlens.memory());
    expect(before.buffers.map((b) => b.pins.map((p) => p.owner).sort())).toEqual([['layer', 'texture']]);

    const pending = loadInPage(page, `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.nii`);
    const progress = page.getByTestId('load-progress');
    await page.waitForFunction(() => (document.querySelector<HTMLProgressElement>('[data-testid="load-progress"] progress')?.value ?? 0) > 0);
    await expect(progress).toContainText('/ 5.0 MiB');
    // Mid-stream: the worker holds the new buffer under a 'decode' pin.
    const during = await page.evaluate(() => window.voxlens.memory());
    expect(during.liveBytes).toBe(before.liveBytes + voxelBytes);
    expect(during.buffers.filter((b) => b.bytes === voxelBytes).map((b) => b.pins.map((p) => p.owner))).toEqual([['decode']]);

    await progress.getByRole('button', { name: 'Cancel' }).click();
    expect((await pending).code).toBe('cancelled');
    await expect(progress).toHaveCount(0);
    // Memory exactly as before: no buffer added (live or pooled), no 'decode' pin, same live bytes.
    expect(await page.evaluate(() => window.voxlens.memory())).toEqual(before);
    expect(await page.evaluate(() => window.voxlens.layers().map((l) => l.id))).toEqual([a.id]);
    expect(await page.evaluate((id) => window.voxlens.probe({ ijk: [31, 31, 15] }, id)[0].raw, a.id!)).toBe(((32 * 32 * 16 - 1) * 7) % 65536);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect.poll(() => requestClosed).toBe(true); // the download stopped too
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('without cross-origin isolation: a notice says how to enable it, and volumes still load (transferred ArrayBuffer)', async ({ page }) => {
  await stripIsolationHeaders(page);
  await serveFixtures(page, { 'a.nii': volume() });
  await openEmpty(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await raisedNotice(page, 'warning', 'Cross-Origin-Embedder-Policy: require-corp');
  const r = await loadInPage(page, '/__fixtures__/a.nii');
  const out = await page.evaluate(async (id) => {
    await window.voxlens.frame();
    const h = window.voxlens.view(id);
    const result = { shared: typeof SharedArrayBuffer !== 'undefined' && h.array.buffer instanceof SharedArrayBuffer, value: window.voxlens.probe({ ijk: [1, 0, 0] }, id)[0].raw, buffers: window.voxlens.memory().buffers.length };
    h.release();
    return result;
  }, r.id!);
  expect(out).toEqual({ shared: false, value: 7, buffers: 1 });
});

test('the layer panel shows the exact range once the worker has scanned every voxel', async ({ page }) => {
  const a = new Int16Array(64 * 64 * 32).map((_, i) => i % 100);
  a[12345] = 30000; // not in the strided sample
  await serveFixtures(page, { 'r.nii': encodeNifti({ dims: [64, 64, 32], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(a.buffer) }) });
  await openEmpty(page);
  await loadInPage(page, '/__fixtures__/r.nii');
  await expect(page.getByTestId('layer-panel')).toContainText('range 0…30000');
});

test('in 2x2 the slice panes show a new layer first (mark voxlens:first-slices, the 3D pane not cast yet, no program compiled in that frame), and frame() resolves after, with it cast', async ({ page }) => {
  await serveFixtures(page, { 'first.nii.gz': gzipSync(volume()) });
  // Every shader source handed to WebGL, in order with the marks: which frame compiled what.
  await page.addInitScript(() => {
    const w = window as unknown as { shaderLog: string[] };
    w.shaderLog = [];
    const source = WebGL2RenderingContext.prototype.shaderSource;
    WebGL2RenderingContext.prototype.shaderSource = function (shader, text) {
      w.shaderLog.push(text.includes('uCamVoxel') ? 'ray' : /SHADER_TYPE (\w+)/.exec(text)?.[1] ?? 'raw');
      source.call(this, shader, text);
    };
  });
  await openEmpty(page, 'layout=2x2');
  await page.waitForFunction(() => performance.getEntriesByName('voxlens:shaders-warm').length > 0);
  const r = await page.evaluate(async () => {
    const v = window.voxlens;
    const log = (window as unknown as { shaderLog: string[] }).shaderLog;
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const canvas = gl.canvas as HTMLCanvasElement;
    // The middle pixel of a pane, read back from the frame being drawn.
    const middle = (id: string) => {
      const c = canvas.getBoundingClientRect(), p = document.querySelector(`[data-testid=${id}]`)!.getBoundingClientRect();
      const k = canvas.width / c.width;
      const px = new Uint8Array(4);
      gl.readPixels(Math.round((p.left - c.left + p.width / 2) * k), Math.round((c.bottom - p.bottom + p.height / 2) * k), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
      return Array.from(px.subarray(0, 3));
    };
    const mark = performance.mark.bind(performance);
    let atMark: { axial: number[]; volume: number[]; shaders: string[] } | undefined;
    performance.mark = (name: string, options?: PerformanceMarkOptions) => {
      if (name === 'voxlens:first-slices') atMark ??= { axial: middle('view-axial'), volume: middle('view-3d'), shaders: log.slice(before) };
      return mark(name, options);
    };
    const before = log.length;
    await v.load('/__fixtures__/first.nii.gz');
    await v.frame();
    const resolvedAt = performance.now();
    performance.mark = mark;
    return { marks: performance.getEntriesByName('voxlens:first-slices').map((m) => m.startTime), resolvedAt, atMark, after: log.slice(before), layout: document.querySelector<HTMLElement>('[data-testid=panes]')?.dataset.layout };
  });
  expect(r.layout).toBe('2x2');
  expect(r.marks).toHaveLength(1);
  expect(r.marks[0]).toBeLessThan(r.resolvedAt);
  // When the slice panes first showed the layer, the 3D pane was still blank (neither cast nor its
  // crosshair lines drawn, which cross in its middle): its cast came a frame later.
  expect(r.atMark!.axial.some((c) => c > 0)).toBe(true);
  expect(r.atMark!.volume).toEqual([0, 0, 0]);
  // Nor did that frame compile a program (the slice program was warmed at page open; the 3D pane's
  // ray-cast and line programs wait for its own frame); the ray-cast program came after the mark.
  expect(r.atMark!.shaders).toEqual([]);
  expect(r.after).toContain('ray');
});
