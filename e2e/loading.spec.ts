import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { fitView, worldToScreen } from '../src/render/camera/sliceGeometry';
import { loadInPage, openEmpty, raisedNotice, serveFixtures, stripIsolationHeaders } from './helpers';
import { expectedGrey, grab } from './pixels';

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
    // Mid-stream: the worker holds the new buffer under a 'decode' pin, and the texture being
    // filled from it as it arrives (allocated when the header was read) under a 'texture' pin,
    // its GPU bytes counted.
    const during = await page.evaluate(() => window.voxlens.memory());
    expect(during.liveBytes).toBe(before.liveBytes + voxelBytes);
    expect(during.buffers.filter((b) => b.bytes === voxelBytes).map((b) => b.pins.map((p) => p.owner))).toEqual([['decode', 'texture']]);
    expect(during.textureBytes).toBe(before.textureBytes + voxelBytes);

    await progress.getByRole('button', { name: 'Cancel' }).click();
    expect((await pending).code).toBe('cancelled');
    await expect(progress).toHaveCount(0);
    // Memory exactly as before: no buffer added (live or pooled), no 'decode' pin, same live bytes,
    // the texture made for it freed (no GPU bytes, no pin).
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

test('a volume\'s texture is uploaded in runs of slices while it inflates (the first before voxlens:decoded), zero-copy, and draws exactly; the layer panel shows the exact range once the worker has scanned every voxel', async ({ page }) => {
  // 128 × 128 × 96 int16 (3 MiB): the worker tells how far the voxels are written every 2 MiB and
  // at the end, so the texture arrives in two runs: slices 0 to 63 or a few more while inflating, the rest after.
  const dims = [128, 128, 96];
  const value = (i: number, j: number, k: number) => 2 * k + ((i + j) & 1);
  const voxels = new Int16Array(dims[0] * dims[1] * dims[2]).map((_, n) => value(n % 128, (n >> 7) % 128, n >> 14));
  const a = new Int16Array(64 * 64 * 32).map((_, i) => i % 100);
  a[12345] = 30000; // not in the strided sample
  await serveFixtures(page, {
    'arrive.nii.gz': gzipSync(encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(voxels.buffer) })),
    'r.nii': encodeNifti({ dims: [64, 64, 32], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(a.buffer) }),
  });
  // Every 3D upload of a 128-wide texture: when, which slices, over which memory.
  await page.addInitScript(() => {
    const w = window as unknown as { arriveUploads: { at: number; z: number; depth: number; data: ArrayBufferView }[] };
    w.arriveUploads = [];
    const sub = WebGL2RenderingContext.prototype.texSubImage3D;
    WebGL2RenderingContext.prototype.texSubImage3D = function (this: WebGL2RenderingContext, ...args: unknown[]) {
      const data = args[10];
      if (args[5] === 128 && ArrayBuffer.isView(data)) w.arriveUploads.push({ at: performance.now(), z: args[4] as number, depth: args[7] as number, data });
      return (sub as (...a: unknown[]) => void).apply(this, args);
    } as typeof sub;
  });
  await openEmpty(page);
  const arrived = await loadInPage(page, '/__fixtures__/arrive.nii.gz');
  expect(arrived.code, arrived.message).toBeUndefined();
  const uploads = await page.evaluate(async (id) => {
    const v = window.voxlens;
    v.setDisplay(id, { window: [0, 255] });
    await v.frame();
    const decoded = performance.getEntriesByType('mark').find((m) => m.name.startsWith('voxlens:decoded:'))!.startTime;
    const h = v.view(id);
    const list = (window as unknown as { arriveUploads: { at: number; z: number; depth: number; data: ArrayBufferView }[] }).arriveUploads;
    const r = { runs: list.map((u) => [u.z, u.depth]), beforeDecoded: list.filter((u) => u.at < decoded).length, sameMemory: list.every((u) => u.data.buffer === h.array.buffer) };
    h.release();
    return r;
  }, arrived.id!);
  // Two runs, the first sent while the worker was still inflating, the last after; nothing more
  // at the first frame; every one a view of the layer's own shared memory.
  expect(uploads.runs).toHaveLength(2);
  const [[z0, first], [z1, last]] = uploads.runs;
  expect([z0, z1, first + last]).toEqual([0, first, 96]);
  expect(first).toBeGreaterThanOrEqual(64); // 2 MiB of 128 KiB slices
  expect(first).toBeLessThan(96);
  expect(uploads.beforeDecoded).toBeGreaterThanOrEqual(1);
  expect(uploads.sameMemory).toBe(true);
  // The slices drawn are exact, in the first run and in the last (the part sent after the decode).
  await page.addStyleTag({ content: '.slice-overlay, .pane-label { visibility: hidden; }' });
  for (const k of [40, 95]) {
    await page.evaluate((z) => {
      window.voxlens.setCrosshair([63.5, 63.5, z]);
      return window.voxlens.frame();
    }, k);
    const shot = await grab(page.getByTestId('view-axial'));
    const geometry = fitView('axial', 'radiological', { lo: [0, 0, 0], hi: [127, 127, 95] }, [63.5, 63.5, k], shot.width, shot.height);
    for (const [i, j] of [[0, 0], [1, 0], [64, 64], [65, 64], [127, 126], [127, 127]]) {
      const [x, y] = worldToScreen(geometry, [i, j, k]);
      expect(Math.abs(shot.at(x, y)[0] - expectedGrey(value(i, j, k), [0, 255])), `voxel ${i},${j},${k}`).toBeLessThanOrEqual(2);
    }
  }
  await page.evaluate((id) => window.voxlens.close(id), arrived.id!);

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
