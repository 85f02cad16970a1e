// Oblique MPR and thick slabs (issue 23): a pane's pixels on a turned plane against the plane this
// test computes on the CPU from the volume's affine; MIP, MinIP and mean slabs against the CPU
// along the normal; an oblique rod seen end-on as a dot; a rotation handle dragged by a known
// angle; ROI statistics on a turned plane; and no texture upload on rotation or slab change.
// The geometry is restated here (not imported from the app): the pane's normal is R applied to its
// patient axis, its screen up the patient up (anterior for axial) projected onto the plane, its
// screen right completing the radiological frame; the voxel centres' bounding box fitted with a
// 6 % margin and square pixels, the plane through the crosshair.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { grab } from './pixels';
import { loadInPage, loseAndRestoreContext, openEmpty, serveFixtures } from './helpers';

type V3 = [number, number, number];
type M3 = number[][];

const N = 24;
/** Anisotropic voxels (mm), the grid centred on the origin: voxel and world steps differ on every axis. */
const SP: V3 = [1, 1.25, 1.5];
const ORIGIN = SP.map((s) => (-(N - 1) / 2) * s) as V3;
const worldOf = (i: number, j: number, k: number): V3 => [ORIGIN[0] + i * SP[0], ORIGIN[1] + j * SP[1], ORIGIN[2] + k * SP[2]];
/** Half the voxels' cover along each axis (mm): the centres' half extent plus half a voxel. */
const COVER = SP.map((s) => (N / 2) * s) as V3;
const WINDOW: [number, number] = [300, 1700];
const deg = Math.PI / 180;

/** The analytic phantom (int16): smooth, different along every axis. */
const phantom = (x: number, y: number, z: number) => Math.round(1000 + 300 * Math.sin(0.35 * x) + 200 * Math.cos(0.3 * y) + 150 * Math.sin(0.25 * z + 0.5));

function volumeFile(value: (x: number, y: number, z: number) => number): Uint8Array {
  const data = new Int16Array(N * N * N);
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) data[i + N * (j + N * k)] = value(...worldOf(i, j, k));
  const affine = [SP[0], 0, 0, ORIGIN[0], 0, SP[1], 0, ORIGIN[1], 0, 0, SP[2], ORIGIN[2], 0, 0, 0, 1];
  return encodeNifti({ dims: [N, N, N], datatypeCode: 4, bitpix: 16, data: new Uint8Array(data.buffer), affine });
}

// ---- the CPU side -----------------------------------------------------------------------------
const dot = (a: V3, b: V3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: V3): V3 => {
  const n = Math.hypot(...a);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const apply = (m: M3, v: V3): V3 => [dot(m[0] as V3, v), dot(m[1] as V3, v), dot(m[2] as V3, v)];
function rotation(axis: V3, radians: number): M3 {
  const [x, y, z] = unit(axis);
  const c = Math.cos(radians), s = Math.sin(radians), t = 1 - c;
  return [
    [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
    [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
    [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
  ];
}
const times = (a: M3, b: M3): M3 => a.map((row) => [0, 1, 2].map((c) => row[0] * b[0][c] + row[1] * b[1][c] + row[2] * b[2][c]));

/** Trilinear on the stored grid, clamped to the edge; null outside the voxels' cover (the shader's outsideVolume). */
function trilinear(values: Int16Array, w: V3): number | null {
  const v = w.map((c, a) => (c - ORIGIN[a]) / SP[a]);
  if (v.some((c) => c < -0.5 || c >= N - 0.5)) return null;
  const c = v.map((q) => Math.min(N - 1, Math.max(0, q)));
  const p0 = c.map(Math.floor), p1 = p0.map((q) => Math.min(q + 1, N - 1)), f = c.map((q, a) => q - p0[a]);
  const at = (i: number, j: number, k: number) => values[i + N * (j + N * k)];
  const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
  const x00 = lerp(at(p0[0], p0[1], p0[2]), at(p1[0], p0[1], p0[2]), f[0]);
  const x10 = lerp(at(p0[0], p1[1], p0[2]), at(p1[0], p1[1], p0[2]), f[0]);
  const x01 = lerp(at(p0[0], p0[1], p1[2]), at(p1[0], p0[1], p1[2]), f[0]);
  const x11 = lerp(at(p0[0], p1[1], p1[2]), at(p1[0], p1[1], p1[2]), f[0]);
  return lerp(lerp(x00, x10, f[1]), lerp(x01, x11, f[1]), f[2]);
}

function grid(value: (x: number, y: number, z: number) => number): Int16Array {
  const out = new Int16Array(N * N * N);
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) out[i + N * (j + N * k)] = value(...worldOf(i, j, k));
  return out;
}

/** The axial pane's frame under R (radiological), restated. */
function axialFrame(r: M3): { right: V3; up: V3; normal: V3 } {
  const normal = unit(apply(r, [0, 0, 1]));
  const a: V3 = [0, 1, 0];
  const up = unit([a[0] - dot(a, normal) * normal[0], a[1] - dot(a, normal) * normal[1], a[2] - dot(a, normal) * normal[2]]);
  // Unrotated: right −x, up +y, normal +z, so right = −(up × normal) there and turned.
  const c = cross(up, normal);
  const right: V3 = [-c[0], -c[1], -c[2]];
  return { right, up, normal };
}

/** Pixel (x right, y down) of the axial pane → world, for a pane of width × height showing the crosshair's plane (zoomed about the fitted centre). */
function pixelToWorld(r: M3, crosshair: V3, width: number, height: number, zoom = 1): (px: number, py: number) => V3 {
  const { right, up, normal } = axialFrame(r);
  const rs: number[] = [], us: number[] = [];
  for (const x of [ORIGIN[0], -ORIGIN[0]]) for (const y of [ORIGIN[1], -ORIGIN[1]]) for (const z of [ORIGIN[2], -ORIGIN[2]]) {
    rs.push(dot([x, y, z], right));
    us.push(dot([x, y, z], up));
  }
  const [r0, r1, u0, u1] = [Math.min(...rs), Math.max(...rs), Math.min(...us), Math.max(...us)];
  const mmPerPx = Math.max(((r1 - r0) * 1.06) / width, ((u1 - u0) * 1.06) / height) / zoom;
  const rc = (r0 + r1) / 2, uc = (u0 + u1) / 2, nc = dot(crosshair, normal);
  return (px, py) => {
    const a = rc + (px - width / 2) * mmPerPx, b = uc - (py - height / 2) * mmPerPx;
    return [0, 1, 2].map((i) => right[i] * a + up[i] * b + normal[i] * nc) as V3;
  };
}

const grey = (v: number) => Math.round(Math.min(1, Math.max(0, (v - WINDOW[0]) / (WINDOW[1] - WINDOW[0]))) * 255);

/** One voxel along n: 1 / max |n_a / spacing_a|; the slab's samples: ceil(T / step) + 1, evenly over ±T/2. */
const voxelStep = (n: V3) => 1 / Math.max(...n.map((c, a) => Math.abs(c / SP[a])));
function slabCpu(values: Int16Array, centre: V3, n: V3, thickness: number, mode: 'max' | 'min' | 'mean', step = voxelStep(n)): number | null {
  const count = Math.ceil(thickness / step - 1e-9) + 1;
  const spacing = thickness / (count - 1);
  const got: number[] = [];
  for (let s = 0; s < count; s++) {
    const t = -thickness / 2 + s * spacing;
    const w: V3 = [centre[0] + n[0] * t, centre[1] + n[1] * t, centre[2] + n[2] * t];
    // A sample within rounding of the voxels' cover edge may fall either side: not compared.
    if (w.some((c, a) => Math.abs(Math.abs(c) - COVER[a]) < 0.05)) return null;
    const v = trilinear(values, w);
    if (v !== null) got.push(v);
  }
  if (got.length === 0) return null;
  return mode === 'max' ? Math.max(...got) : mode === 'min' ? Math.min(...got) : got.reduce((a, b) => a + b, 0) / got.length;
}

// ---- the page ---------------------------------------------------------------------------------
/**
 * Counts 3D texture uploads, every one (the voxels' in any format, and the MIP/MinIP skip grids: RG
 * float, raw min and max per brick, which go up with the brick ranges after the load); the skip
 * grids are counted apart too.
 */
async function countUploads(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __texUploads: number; __rangeUploads: number };
    w.__texUploads = 0;
    w.__rangeUploads = 0;
    const proto = WebGL2RenderingContext.prototype;
    const img = proto.texImage3D;
    const sub = proto.texSubImage3D;
    const count = (format: unknown, type: unknown) => {
      if (format === WebGL2RenderingContext.RG && type === WebGL2RenderingContext.FLOAT) w.__rangeUploads++;
      w.__texUploads++;
    };
    proto.texImage3D = function (this: WebGL2RenderingContext, ...args: unknown[]) {
      count(args[7], args[8]);
      return (img as (...a: unknown[]) => void).apply(this, args);
    } as typeof proto.texImage3D;
    proto.texSubImage3D = function (this: WebGL2RenderingContext, ...args: unknown[]) {
      count(args[8], args[9]);
      return (sub as (...a: unknown[]) => void).apply(this, args);
    } as typeof proto.texSubImage3D;
  });
}
/** Counts draws by the slab programs (their fragment shader marches uThickCount samples) in `__slabDraws`. */
async function countSlabDraws(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __slabDraws: number };
    w.__slabDraws = 0;
    const proto = WebGL2RenderingContext.prototype;
    const slabShaders = new WeakSet<WebGLShader>();
    const slabPrograms = new WeakSet<WebGLProgram>();
    let current: WebGLProgram | null = null;
    const source = proto.shaderSource, attach = proto.attachShader, use = proto.useProgram, elements = proto.drawElements, arrays = proto.drawArrays;
    proto.shaderSource = function (this: WebGL2RenderingContext, shader: WebGLShader, text: string) {
      if (text.includes('uThickCount')) slabShaders.add(shader);
      return source.call(this, shader, text);
    };
    proto.attachShader = function (this: WebGL2RenderingContext, program: WebGLProgram, shader: WebGLShader) {
      if (slabShaders.has(shader)) slabPrograms.add(program);
      return attach.call(this, program, shader);
    };
    proto.useProgram = function (this: WebGL2RenderingContext, program: WebGLProgram | null) {
      current = program;
      return use.call(this, program);
    };
    proto.drawElements = function (this: WebGL2RenderingContext, ...args: Parameters<typeof elements>) {
      if (current && slabPrograms.has(current)) w.__slabDraws++;
      return elements.apply(this, args);
    };
    proto.drawArrays = function (this: WebGL2RenderingContext, ...args: Parameters<typeof arrays>) {
      if (current && slabPrograms.has(current)) w.__slabDraws++;
      return arrays.apply(this, args);
    };
  });
}
const uploads = (page: Page) => page.evaluate(() => (window as unknown as { __texUploads: number }).__texUploads);
const rangeUploads = (page: Page) => page.evaluate(() => (window as unknown as { __rangeUploads: number }).__rangeUploads);

async function open(page: Page, files: Record<string, Uint8Array>, layout: string): Promise<string[]> {
  await page.setViewportSize({ width: 760, height: 560 });
  await countUploads(page);
  await serveFixtures(page, files);
  await openEmpty(page, `layout=${layout}`);
  const ids: string[] = [];
  for (const name of Object.keys(files)) {
    const { id, message } = await loadInPage(page, `/__fixtures__/${name}`);
    expect(id, message).toBeTruthy();
    ids.push(id!);
    await page.evaluate(([layerId, w]) => window.voxlens.setDisplay(layerId, { window: w, colormap: 'gray', interpolation: 'linear' }), [id!, WINDOW] as const);
  }
  await page.getByLabel('Show crosshair lines').uncheck();
  await page.evaluate(() => window.voxlens.setCrosshair([0.3, -0.2, 0.4]));
  await page.evaluate(() => window.voxlens.frame());
  return ids;
}

/** Compares the axial pane's pixels on a grid with `want(world)` (null: outside, not compared). */
async function comparePane(page: Page, r: M3, want: (w: V3) => number | null, label: string, zoom = 1): Promise<number> {
  await page.evaluate(() => window.voxlens.frame());
  const shot = await grab(page.getByTestId('view-axial'));
  const toWorld = pixelToWorld(r, [0.3, -0.2, 0.4], shot.width, shot.height, zoom);
  let checked = 0, worst = 0, where = '';
  // Clear of the corner texts, the slab button and a notice along the bottom.
  for (let py = 30; py < shot.height - 50; py += 9)
    for (let px = 30; px < shot.width - 30; px += 9) {
      // Sample off the pixel's centre, a hair inside the voxel cover: skip where the edge is near.
      const w = toWorld(px + 0.5, py + 0.5);
      if (w.some((c, a) => Math.abs(c) > -ORIGIN[a] - 0.2)) continue;
      const v = want(w);
      if (v === null) continue;
      const d = Math.abs(shot.at(px, py)[0] - grey(v));
      if (d > worst) [worst, where] = [d, `(${px}, ${py}) world ${w.map((c) => c.toFixed(2))}: ${shot.at(px, py)[0]} vs ${grey(v)}`];
      checked++;
    }
  expect(checked, label).toBeGreaterThan(300);
  expect(worst, `${label}: worst ${where}`).toBeLessThanOrEqual(3);
  return checked;
}

test('an oblique plane and MIP, MinIP and mean slabs match the CPU; nothing is uploaded again', async ({ page }) => {
  const values = grid(phantom);
  await open(page, { 'phantom.nii': volumeFile(phantom) }, 'axial');
  // The skip grids (fine and coarse) went up with the brick ranges, before any slab and with no 3D pane shown.
  await expect.poll(() => rangeUploads(page), { timeout: 5000 }).toBe(2);
  const before = await uploads(page);
  expect(before).toBeGreaterThan(2);

  // A double oblique: 30° about R, then 20° about S.
  const r = times(rotation([0, 0, 1], 20 * deg), rotation([1, 0, 0], 30 * deg));
  await page.evaluate((rot) => window.voxlens.setOrientation({ rotation: rot }), r);
  const got = await page.evaluate(() => window.voxlens.orientation().rotation);
  got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(r[i][j], 9)));
  await comparePane(page, r, (w) => trilinear(values, w), 'thin oblique');

  const n = axialFrame(r).normal;
  for (const mode of ['max', 'min', 'mean'] as const) {
    await page.evaluate((m) => window.voxlens.setSlab('axial', { thickness: 9, mode: m }), mode);
    expect(await page.evaluate(() => window.voxlens.slab('axial'))).toEqual({ thickness: 9, mode });
    await comparePane(page, r, (w) => slabCpu(values, w, n, 9, mode), `${mode} slab`);
  }
  // The probe in a MIP slab: the voxel that gave the maximum, with its value, on the CPU's slab.
  await page.evaluate(() => window.voxlens.setSlab('axial', { thickness: 9, mode: 'max' }));
  const p = await page.evaluate(() => window.voxlens.slabProbe('axial', [2, 3, 0.4]));
  expect(p?.value).toBeCloseTo(slabCpu(values, [2, 3, 0.4], n, 9, 'max')!, 3);
  expect(p?.at?.scaled).toBe(p?.value);
  // The probe panel, with the pointer over the slab pane: the slab's value there and the voxel that gave it.
  const ax = (await page.getByTestId('view-axial').boundingBox())!;
  await page.mouse.move(ax.x + ax.width / 2 + 17, ax.y + ax.height / 2 - 11);
  const under = (await page.evaluate(() => window.voxlens.cursor()))!;
  const sp = (await page.evaluate((w) => window.voxlens.slabProbe('axial', w), under))!;
  expect(sp.at!.ijk).not.toEqual((await page.evaluate((w) => window.voxlens.probe({ world: w })[0].ijk, under)));
  await expect(page.getByTestId('probe-slab-source')).toContainText(` at ${sp.at!.ijk.join(', ')} (`);
  expect(parseFloat((await page.getByTestId('probe-slab-source').textContent())!)).toBeCloseTo(sp.at!.scaled, 2);

  // Rotating and changing slabs compiled shaders and set uniforms: no texture went up, the MIP's
  // and MinIP's skip grids included.
  expect(await uploads(page)).toBe(before);
  expect(await page.evaluate(() => window.voxlens.setOrientation({ rotation: [[1, 0, 0], [0, 1, 0], [0, 0, -1]] })).catch((e: Error) => e.message)).toMatch(/Not a rotation/);
  await expect(page.evaluate(() => window.voxlens.setSlab('axial', { thickness: -1, mode: 'max' }))).rejects.toThrow(/thickness/);

  // Cut at the crosshair in 3D follows the turned planes: turned 90° about S the removed octant is
  // the same one (the image too), turned 45° it is another.
  await page.evaluate(() => {
    window.voxlens.setLayout('3d');
    window.voxlens.setCamera({ azimuth: 35, elevation: 25 });
    window.voxlens.setClip(null, { cut: true });
  });
  const shot3d = async (rot: M3) => {
    await page.evaluate((m) => window.voxlens.setOrientation({ rotation: m }), rot);
    await page.evaluate(() => window.voxlens.frame());
    return grab(page.getByTestId('view-3d'));
  };
  const unturned = await shot3d([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const meanDiff = (a: typeof unturned, b: typeof unturned) => {
    let sum = 0, count = 0;
    for (let y = 40; y < a.height - 40; y += 3) for (let x = 20; x < a.width - 20; x += 3, count++) sum += Math.abs(a.at(x, y)[0] - b.at(x, y)[0]);
    return sum / count;
  };
  expect(meanDiff(unturned, await shot3d(rotation([0, 0, 1], 90 * deg)))).toBeLessThan(1);
  expect(meanDiff(unturned, await shot3d(rotation([0, 0, 1], 45 * deg)))).toBeGreaterThan(5);
});

test('2x2 slab panes: paging one pane redraws only it; each change that moves another pane redraws that one, as a fresh context draws it', async ({ page }) => {
  await countSlabDraws(page);
  const [id] = await open(page, { 'phantom.nii': volumeFile(phantom) }, '2x2');
  const r = times(rotation([0, 0, 1], 20 * deg), rotation([1, 0, 0], 30 * deg));
  await page.evaluate((rot) => {
    window.voxlens.setOrientation({ rotation: rot });
    for (const p of ['axial', 'coronal', 'sagittal'] as const) window.voxlens.setSlab(p, { thickness: 9, mode: 'max' });
  }, r);
  const panes = ['axial', 'coronal', 'sagittal'] as const;
  const shots = async () => {
    await page.evaluate(() => window.voxlens.frame());
    return Promise.all(panes.map((p) => grab(page.getByTestId(`view-${p}`))));
  };
  /**
   * Pixels that differ by more than `tolerance` grey levels, clear of the corner texts (which name
   * each pane's own slice).
   */
  const differing = (a: Awaited<ReturnType<typeof grab>>, b: Awaited<ReturnType<typeof grab>>, tolerance = 1) => {
    let n = 0;
    for (let y = 30; y < a.height - 40; y += 2) for (let x = 30; x < a.width - 30; x += 2) if (a.at(x, y).some((c, i) => Math.abs(c - b.at(x, y)[i]) > tolerance)) n++;
    return n;
  };
  let before = await shots();
  /**
   * A change, then each pane's image against the one before: changed where `changed` says, else the
   * same up to `stray` pixels (a plane moved within itself keeps its image up to the float rounding
   * of its offset, which flips samples at the volume's edge in or out of the slab).
   */
  const step = async (what: string, change: () => Promise<unknown>, changed: readonly boolean[], stray = 0) => {
    await change();
    const after = await shots();
    panes.forEach((p, i) => {
      const n = differing(before[i], after[i]);
      if (changed[i]) expect(n, `${what}: the ${p} pane shows the change`).toBeGreaterThan(500);
      else expect(n, `${what}: the ${p} pane is unchanged`).toBeLessThanOrEqual(stray);
    });
    before = after;
  };

  // One voxel along the turned axial normal: the coronal and sagittal planes hold the crosshair's
  // other two coordinates, so their slabs are the same, and only the axial slab is marched.
  const n = axialFrame(r).normal;
  await page.evaluate(() => window.voxlens.frame());
  await page.evaluate(() => ((window as unknown as { __slabDraws: number }).__slabDraws = 0));
  await step('a page in the axial pane', () => page.evaluate((d) => window.voxlens.setCrosshair([0.3 + 1.5 * d[0], -0.2 + 1.5 * d[1], 0.4 + 1.5 * d[2]]), n), [true, false, false]);
  expect(await page.evaluate(() => (window as unknown as { __slabDraws: number }).__slabDraws)).toBe(1);

  await step('the window', () => page.evaluate((layer) => window.voxlens.setDisplay(layer, { window: [600, 1400] }), id), [true, true, true]);
  // Within the (turned) axial plane: that pane's slab stays; the other two planes move.
  const { right, up } = axialFrame(r);
  const moved = [0, 1, 2].map((a) => [0.3, -0.2, 0.4][a] + 1.5 * n[a] + 3 * right[a] - 2 * up[a]) as V3;
  await step('the crosshair moved in the plane of the axial pane', () => page.evaluate((c) => window.voxlens.setCrosshair(c), moved), [false, true, true], 40);
  await step("the coronal pane's slab", () => page.evaluate(() => window.voxlens.setSlab('coronal', { thickness: 4, mode: 'mean' })), [false, true, false]);
  await step("the sagittal pane's zoom", () => page.evaluate(() => window.voxlens.setPaneView('sagittal', { zoom: 1.6 })), [false, false, true]);
  await step('the colormap', () => page.evaluate((layer) => window.voxlens.setDisplay(layer, { colormap: 'hot' }), id), [true, true, true]);

  // Every pane drawn again from nothing: the same pixels as the images kept.
  await loseAndRestoreContext(page);
  const fresh = await shots();
  panes.forEach((p, i) => expect(differing(before[i], fresh[i], 0), `${p} after a context restore`).toBe(0));
});

test('an oblique rod is a dot end-on in a slab MIP and a streak on the patient axes; paging follows the normal', async ({ page }) => {
  const d = unit([0.5, -0.3, 1]);
  const rod = (x: number, y: number, z: number) => {
    const t = x * d[0] + y * d[1] + z * d[2];
    return Math.hypot(x - t * d[0], y - t * d[1], z - t * d[2]) <= 1.3 ? 1600 : 400;
  };
  // A GPU budget the rod fits in and a second layer does not: that one is drawn from a display level.
  await open(page, { 'rod.nii': volumeFile(rod) }, 'axial&gpuBudgetMiB=0.05');
  await page.evaluate(() => window.voxlens.setCrosshair([0, 0, 0]));
  // R taking S onto the rod: about S × d by the angle between them.
  const axis = cross([0, 0, 1], d);
  const r = rotation(axis, Math.acos(d[2]));
  await page.evaluate((rot) => window.voxlens.setOrientation({ rotation: rot }), r);
  await page.evaluate(() => window.voxlens.setSlab('axial', { thickness: 20, mode: 'max' }));

  /** How far from the crosshair (mm, in the plane) the bright pixels reach. */
  async function brightReach(rot: M3): Promise<number> {
    await page.evaluate(() => window.voxlens.frame());
    const shot = await grab(page.getByTestId('view-axial'));
    const toWorld = pixelToWorld(rot, [0, 0, 0], shot.width, shot.height);
    const { normal } = axialFrame(rot);
    let reach = 0, bright = 0;
    // Within 150 px of the crosshair (the pane's centre): the corner texts are not the image.
    const [mx, my] = [shot.width / 2, shot.height / 2];
    for (let py = my - 150; py < my + 150; py += 2)
      for (let px = mx - 150; px < mx + 150; px += 2) {
        const [red, , blue] = shot.at(px, py);
        if (red < 160 || Math.abs(red - blue) > 30) continue; // grey only: the yellow letters are not the image
        bright++;
        const w = toWorld(px + 0.5, py + 0.5);
        const inPlane = [0, 1, 2].map((a) => w[a] - dot(w, normal) * normal[a]);
        reach = Math.max(reach, Math.hypot(...inPlane));
      }
    expect(bright).toBeGreaterThan(0);
    return reach;
  }
  expect(await brightReach(r)).toBeLessThan(3);
  await page.evaluate(() => window.voxlens.setOrientation({ alignTo: 'patient' }));
  expect(await brightReach([[1, 0, 0], [0, 1, 0], [0, 0, 1]])).toBeGreaterThan(5);

  // Plateaus crossed by the rod: a MIP passes over the bricks and cells that cannot change a pixel
  // and samples those the rod runs through; the picture is still every sample's (the CPU's). The
  // rod's edge is a step of 1200 in a voxel: a pixel is compared only where the CPU's slab holds
  // within 2 grey levels over ±0.1 mm in the plane (the test's own pixel fit is that close).
  const rodValues = grid(rod);
  await page.evaluate(() => window.voxlens.setCrosshair([0.3, -0.2, 0.4]));
  for (const turn of [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], times(rotation([0, 0, 1], 20 * deg), rotation([1, 0, 0], 30 * deg))]) {
    const { right, up, normal: along } = axialFrame(turn);
    const steady = (w: V3) => {
      const near = [[0, 0], [0.1, 0], [-0.1, 0], [0, 0.1], [0, -0.1]].map(([a, b]) => slabCpu(rodValues, [0, 1, 2].map((q) => w[q] + a * right[q] + b * up[q]) as V3, along, 20, 'max'));
      if (near.some((v) => v === null)) return null;
      const got = near as number[];
      return Math.max(...got) - Math.min(...got) <= 11 ? got[0] : null;
    };
    await page.evaluate((m) => window.voxlens.setOrientation({ rotation: m }), turn);
    expect(await comparePane(page, turn, steady, 'rod MIP slab')).toBeGreaterThan(300);
  }
  await page.evaluate(() => {
    window.voxlens.setOrientation({ alignTo: 'patient' });
    window.voxlens.setCrosshair([0, 0, 0]);
  });

  // Paging an oblique pane: one voxel of the layer along the normal.
  await page.evaluate((rot) => window.voxlens.setOrientation({ rotation: rot }), r);
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press('ArrowUp');
  const c = (await page.evaluate(() => window.voxlens.crosshair()))!;
  const step = voxelStep(d);
  c.forEach((v, a) => expect(v).toBeCloseTo(d[a] * step, 6));

  // Finer levels on turned planes: the phantom, past what the budget leaves, is drawn from a display
  // level (x halved); the thin oblique pane zoomed in (its pixels far finer than those 2 mm voxels,
  // the box of what it shows within the budget's room) draws the full grid over it (its pixels are
  // the full grid's), and so does a slab, through a box holding the whole slab, its samples one
  // voxel of the layer as drawn apart (slabProbe's).
  await page.evaluate(() => window.voxlens.setSlab('axial', { thickness: 0, mode: 'max' }));
  const fine = grid(phantom);
  const rodId = (await page.evaluate(() => window.voxlens.layers()))[0].id;
  await page.route('**/__fixtures__/phantom.nii', (route) => route.fulfill({ body: Buffer.from(volumeFile(phantom)), contentType: 'application/octet-stream' }));
  const { id: pid, message } = await loadInPage(page, '/__fixtures__/phantom.nii');
  expect(pid, message).toBeTruthy();
  const shownLayer = (await page.evaluate(() => window.voxlens.layers()))[1];
  expect(shownLayer.fullDims).toEqual([N, N, N]);
  expect(shownLayer.dims).not.toEqual([N, N, N]);
  await page.evaluate(([rid, id, w]) => {
    window.voxlens.setDisplay(rid, { visible: false });
    // Opaque (a second layer opens translucent): a finer level is drawn only over an opaque layer.
    window.voxlens.setDisplay(id, { window: w, colormap: 'gray', interpolation: 'linear', opacity: 1 });
    window.voxlens.setCrosshair([0.3, -0.2, 0.4]);
    window.voxlens.setPaneView('axial', { zoom: 3 });
  }, [rodId, pid!, WINDOW] as const);
  await page.evaluate(() => window.voxlens.frame());
  const fullGrid = expect.objectContaining({ level: 0, source: 'memory', ready: true });
  await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial'))).toEqual([fullGrid]);
  await comparePane(page, r, (w) => trilinear(fine, w), 'thin oblique, full grid over a display level', 3);
  await page.mouse.move(5, 5); // the pointer off the pane: no probe text or source marker over the image
  await page.evaluate(() => window.voxlens.setSlab('axial', { thickness: 6, mode: 'max' }));
  await expect.poll(() => page.evaluate(() => window.voxlens.paneDetail('axial'))).toEqual([fullGrid]);
  // The slab's step: one voxel of the layer as drawn (its display level's affine) along the normal.
  const col = (a: number) => Math.hypot(shownLayer.affine[0][a], shownLayer.affine[1][a], shownLayer.affine[2][a]);
  const drawnStep = 1 / Math.max(...axialFrame(r).normal.map((x, a) => Math.abs(x / col(a))));
  await comparePane(page, r, (w) => slabCpu(fine, w, axialFrame(r).normal, 6, 'max', drawnStep), 'MIP slab, full grid over a display level', 3);
});

test('a rotation handle turns the other planes by the dragged angle; labels combine; ROI on the turned plane', async ({ page }) => {
  // One pane at a time: SwiftShader would ray-cast the 3D pane of a 2x2 layout.
  const values = grid(phantom);
  await open(page, { 'phantom.nii': volumeFile(phantom) }, 'axial');
  await page.getByLabel('Show crosshair lines').check();
  await page.evaluate(() => window.voxlens.setCrosshair([0, 0, 0]));
  await page.evaluate(() => window.voxlens.frame());
  const pane = page.getByTestId('view-axial');
  const box = (await pane.boundingBox())!;
  // Where the crosshair sits in the axial pane (the test's own fit), and the coronal line's handle toward screen right.
  const toWorld = pixelToWorld([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0], box.width, box.height);
  const o = toWorld(box.width / 2, box.height / 2);
  const mmPerPx = Math.abs(toWorld(box.width / 2 + 1, box.height / 2)[0] - o[0]);
  const cx = box.width / 2 + o[0] / mmPerPx; // radiological: +x is screen left
  const cy = box.height / 2 + o[1] / mmPerPx;
  const reach = 0.38 * Math.min(box.width, box.height);
  await page.mouse.move(box.x + cx + reach, box.y + cy);
  await page.mouse.down();
  const angle = 30;
  for (let a = 5; a <= angle; a += 5) {
    await page.mouse.move(box.x + cx + reach * Math.cos(a * deg), box.y + cy - reach * Math.sin(a * deg));
  }
  await page.mouse.up();
  const dragged = await page.evaluate(() => window.voxlens.orientation().rotation);
  const turned = (Math.acos(Math.min(1, (dragged[0][0] + dragged[1][1] + dragged[2][2] - 1) / 2)) / deg);
  expect(Math.abs(turned - angle)).toBeLessThan(0.8);
  // About the axial normal: S stays S.
  expect(dragged[2][2]).toBeCloseTo(1, 9);
  // Counter-clockwise on a radiological axial (viewed from the feet) turns R toward P: R·x has y < 0.
  expect(dragged[1][0]).toBeLessThan(0);
  expect(await page.evaluate(() => window.voxlens.crosshair())).toEqual([0, 0, 0]); // a handle drag is no crosshair move
  // Turning about its own normal leaves the axial pane's image, and its letters, as they were.
  await expect(page.getByTestId('view-axial').getByTestId('orient-left')).toHaveText('R');
  await expect(page.getByTestId('view-axial').getByTestId('orient-top')).toHaveText('A');

  // The other panes' pixels match the same rotation set through the API.
  await page.getByLabel('Show crosshair lines').uncheck();
  await page.evaluate(() => window.voxlens.setLayout('coronal'));
  await page.evaluate(() => window.voxlens.frame());
  const byDrag = await grab(page.getByTestId('view-coronal'));
  const exact = rotation([0, 0, 1], -angle * deg);
  await page.evaluate((rot) => window.voxlens.setOrientation({ rotation: rot }), exact);
  await page.evaluate(() => window.voxlens.frame());
  const byApi = await grab(page.getByTestId('view-coronal'));
  let diff = 0, count = 0, bright = 0;
  for (let y = 24; y < byApi.height - 24; y += 3)
    for (let x = 24; x < byApi.width - 24; x += 3) {
      diff += Math.abs(byApi.at(x, y)[0] - byDrag.at(x, y)[0]);
      if (byApi.at(x, y)[0] > 20) bright++;
      count++;
    }
  expect(bright / count).toBeGreaterThan(0.3);
  expect(diff / count).toBeLessThan(4);

  // Oblique letters: the coronal plane turned 30° about S (R toward P) shows "RP" on the left, "LA" on the right.
  await expect(page.getByTestId('view-coronal').getByTestId('orient-left')).toHaveText('RP');
  await expect(page.getByTestId('view-coronal').getByTestId('orient-right')).toHaveText('LA');

  // ROI on the turned coronal plane: the test's own count of the voxels it cuts.
  const r = exact;
  const u = apply(r, [1, 0, 0]), v: V3 = [0, 0, 1], n = apply(r, [0, 1, 0]);
  const stats = await page.evaluate(() => window.voxlens.roi({ shape: 'ellipse', pane: 'coronal', center: [0, 0, 0], size: [12, 8] }));
  let count2 = 0;
  for (let k = 0; k < N; k++)
    for (let j = 0; j < N; j++)
      for (let i = 0; i < N; i++) {
        const w = worldOf(i, j, k);
        const a = dot(w, u), b = dot(w, v), dn = -dot(w, n);
        if ((a / 6) ** 2 + (b / 4) ** 2 > 1) continue;
        const p = w.map((c, q) => (c + n[q] * dn - ORIGIN[q]) / SP[q]);
        if (Math.round(p[0]) === i && Math.round(p[1]) === j && Math.round(p[2]) === k) count2++;
      }
  expect(count2).toBeGreaterThan(20);
  expect(stats.count).toBe(count2);

  // An ROI drawn with the mouse on the turned coronal pane shows there, measures that plane (as
  // roi() on its centre and size does), carries its axes in the view state, and hides when the
  // planes turn back to the patient axes.
  const cor = page.getByTestId('view-coronal');
  const cbox = (await cor.boundingBox())!;
  await page.getByTestId('tool-ellipse').click();
  await page.mouse.move(cbox.x + cbox.width / 2 - 40, cbox.y + cbox.height / 2 - 30);
  await page.mouse.down();
  await page.mouse.move(cbox.x + cbox.width / 2 + 40, cbox.y + cbox.height / 2 + 30, { steps: 3 });
  await page.mouse.up();
  await page.getByTestId('tool-crosshair').click();
  await expect(cor.getByTestId('measure-ellipse')).toHaveCount(1);
  const drawn = (await page.evaluate(() => window.voxlens.measurements()))[0];
  expect(drawn.axes?.normal.map((x) => +x.toFixed(6))).toEqual(n.map((x) => +x.toFixed(6)));
  const sizeOf = (k: 0 | 1) => Math.abs(dot(drawn.points[1].map((x, q) => x - drawn.points[0][q]) as V3, [u, v][k]));
  const centre = drawn.points[0].map((x, q) => (x + drawn.points[1][q]) / 2) as V3;
  const same = await page.evaluate(([c, size]) => window.voxlens.roi({ shape: 'ellipse', pane: 'coronal', center: c, size }), [centre, [sizeOf(0), sizeOf(1)]] as [V3, [number, number]]);
  expect(same.count).toBeGreaterThan(20);
  expect(drawn.stats?.[0].stats).toEqual(same);
  expect((await page.evaluate(() => window.voxlens.state())) as { measurements: { axes?: number[][] }[] }).toMatchObject({ measurements: [{ axes: [drawn.axes!.u, drawn.axes!.v, drawn.axes!.normal] }] });
  // The Measure panel calls it oblique, with its normal (R, A, S).
  const shown = (c: number) => (Math.abs(c) < 0.005 ? 0 : c).toFixed(2);
  await expect(page.getByTestId(`measurement-${drawn.id}`).getByTestId('measure-plane')).toHaveText('oblique (coronal)');
  await expect(page.getByTestId(`measurement-${drawn.id}`).getByTestId('measure-normal')).toHaveText(`plane normal (R, A, S) (${n.map(shown).join(', ')})`);

  // A line drawn on the turned pane lies in its plane, and its profile (the panel's CSV) is the
  // voxel nearest each sample, as the test finds it on the grid.
  await page.getByTestId('tool-line').click();
  await page.mouse.move(cbox.x + cbox.width / 2 - 70, cbox.y + cbox.height / 2 + 25);
  await page.mouse.down();
  await page.mouse.move(cbox.x + cbox.width / 2 + 60, cbox.y + cbox.height / 2 - 45, { steps: 3 });
  await page.mouse.up();
  await page.getByTestId('tool-crosshair').click();
  await expect(cor.getByTestId('measure-line')).toHaveCount(1);
  const line = (await page.evaluate(() => window.voxlens.measurements())).find((m) => m.kind === 'line')!;
  for (const p of line.points) expect(Math.abs(dot(p as V3, n))).toBeLessThan(1e-6);
  await expect(page.getByTestId(`measurement-${line.id}`).getByTestId('measure-plane')).toHaveText('oblique (coronal)');
  const download = page.waitForEvent('download');
  await page.getByTestId('profile-plot').getByRole('button', { name: 'Export CSV' }).click();
  const rows = readFileSync((await (await download).path())!, 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
  const [a, b] = line.points as V3[];
  expect(rows.length).toBe(Math.ceil(line.lengthMm! / 0.5) + 1); // two samples per finest voxel step (1 mm)
  let compared = 0;
  rows.forEach(([dist, ijk, , scaled], i) => {
    const f = i / (rows.length - 1);
    expect(+dist).toBeCloseTo(line.lengthMm! * f, 6);
    const v = [0, 1, 2].map((q) => (a[q] + (b[q] - a[q]) * f - ORIGIN[q]) / SP[q]);
    if (v.some((c) => Math.abs((c % 1) - 0.5) < 1e-6 || c < -0.5 || c >= N - 0.5)) return; // on a voxel boundary, or outside
    const want = v.map(Math.round);
    expect(ijk).toBe(want.join(' '));
    expect(+scaled).toBe(values[want[0] + N * (want[1] + N * want[2])]);
    compared++;
  });
  expect(rows.length).toBeGreaterThan(15);
  expect(compared).toBeGreaterThan(0.9 * rows.length);

  await page.evaluate(() => window.voxlens.setOrientation({ alignTo: 'patient' }));
  await expect(cor.getByTestId('measure-ellipse')).toHaveCount(0);
  await page.evaluate((rot) => window.voxlens.setOrientation({ rotation: rot }), exact);
  await expect(cor.getByTestId('measure-ellipse')).toHaveCount(1);

  // The pane's corner menu sets its slab and turns the planes back to the patient axes.
  const pane2 = page.getByTestId('view-coronal');
  await pane2.getByTestId('slab-button-coronal').click();
  await pane2.getByTestId('slab-thickness-coronal').fill('12');
  await pane2.getByTestId('slab-mode-coronal').selectOption('min');
  expect(await page.evaluate(() => window.voxlens.slab('coronal'))).toEqual({ thickness: 12, mode: 'min' });
  await expect(pane2.getByTestId('slab-button-coronal')).toContainText('MinIP 12 mm');
  await pane2.getByTestId('orientation-patient').click();
  expect(await page.evaluate(() => window.voxlens.orientation().rotation)).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
});
