// The 3D pane's fast path: the layer ray-cast from its RG8 render copy (one hardware-filtered fetch
// a sample) against the exact path (eight texelFetch and trilinear in the shader), on a smooth
// int16 head-like phantom in MIP, composite (shaded) and iso, and against a MIP this test computes
// on the CPU; when each path is taken (renderPath()), the copy's GPU bytes, its lifetime, a context
// restore, and that a window change does not rebuild it. SwiftShader draws these in software:
// volumes stay at 48³ or less, the viewport at 620 × 420.
import { expect, test, type Page } from '@playwright/test';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { changedPixels, difference, grab, litPixels, type Shot } from './pixels';
import { loadInPage, loseAndRestoreContext, openEmpty, serveFixtures } from './helpers';

type V3 = [number, number, number];
const N = 48;
/** Voxel → world, 1 mm voxels, the grid's centre at the world origin. */
const AFFINE = [1, 0, 0, -(N - 1) / 2, 0, 1, 0, -(N - 1) / 2, 0, 0, 1, -(N - 1) / 2, 0, 0, 0, 1];

/**
 * A smooth head-like int16 volume (as the MNI template is smooth at this scale): an ellipsoid whose
 * values fall off softly at its edge, a slow radial swell, and a few broad blobs; 0 outside.
 */
function headPhantom(): Uint8Array {
  const data = new Int16Array(N * N * N);
  const blobs: [V3, number, number][] = [
    [[6, 4, 3], 350, 40],
    [[-7, -5, 2], 280, 30],
    [[1, 8, -6], 220, 25],
  ];
  for (let k = 0; k < N; k++)
    for (let j = 0; j < N; j++)
      for (let i = 0; i < N; i++) {
        const w: V3 = [i - (N - 1) / 2, j - (N - 1) / 2, k - (N - 1) / 2];
        const r = Math.hypot(w[0] / 19, w[1] / 21, w[2] / 17);
        const edge = Math.min(1, Math.max(0, (1 - r) / 0.15));
        let v = (420 + 160 * Math.cos(Math.PI * r)) * edge * edge * (3 - 2 * edge);
        for (const [c, amp, s2] of blobs) v += amp * edge * Math.exp(-((w[0] - c[0]) ** 2 + (w[1] - c[1]) ** 2 + (w[2] - c[2]) ** 2) / s2);
        data[i + N * (j + N * k)] = Math.round(v);
      }
  return encodeNifti({ dims: [N, N, N], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(data.buffer), affine: AFFINE });
}

const CONE_RADIUS_MM = 12;
const PEAK = 200;
/** The radial cone of volume.spec.ts: PEAK at the centre falling linearly to 0 at CONE_RADIUS_MM (float32, 32³). */
const radial = (r: number) => PEAK * Math.max(0, 1 - r / CONE_RADIUS_MM);
/** `nan`: NaN in the 2 × 2 voxels around each axis through the centre, one voxel in from each face (where the cone is 0). */
function conePhantom(nan = false): Uint8Array {
  const n = 32;
  const c = (n - 1) / 2;
  const data = new Float32Array(n * n * n);
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) data[i + n * (j + n * k)] = radial(Math.hypot(i - c, j - c, k - c));
  if (nan)
    for (const a of [15, 16])
      for (const b of [15, 16])
        for (const f of [1, n - 2]) for (const [i, j, k] of [[a, b, f], [a, f, b], [f, a, b]]) data[i + n * (j + n * k)] = NaN;
  const affine = [1, 0, 0, -c, 0, 1, 0, -c, 0, 0, 1, -c, 0, 0, 0, 1];
  return encodeNifti({ dims: [n, n, n], datatypeCode: 16, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(data.buffer), affine });
}

test.use({ viewport: { width: 620, height: 420 } });

async function open3d(page: Page, file: Uint8Array, query = 'layout=3d', more: Record<string, Uint8Array> = {}): Promise<string> {
  await serveFixtures(page, { 'v.nii': file, ...more });
  await openEmpty(page, query);
  const { id } = await loadInPage(page, '/__fixtures__/v.nii');
  await page.getByLabel('Show crosshair lines').uncheck();
  return id!;
}

const renderPath = (page: Page) => page.evaluate(() => window.voxlens.renderPath());
const copyBuilds = (page: Page, id: string) => page.evaluate((layerId) => performance.getEntriesByName(`voxlens:render-copy:${layerId}`).length, id);

async function shot(page: Page): Promise<Shot> {
  await page.evaluate(() => window.voxlens.frame());
  return grab(page.getByTestId('view-3d'));
}

/** The fast image, then the exact one (setQuality(1, { exact: true })), of the state as it is; the page is left on the fast path. */
async function fastAndExact(page: Page): Promise<{ fast: Shot; exact: Shot }> {
  await page.evaluate(() => window.voxlens.setQuality(1, { exact: false }));
  const fast = await shot(page);
  expect(await renderPath(page)).toEqual({ path: 'fast' });
  await page.evaluate(() => window.voxlens.setQuality(1, { exact: true }));
  const exact = await shot(page);
  expect((await renderPath(page)).path).toBe('exact');
  await page.evaluate(() => window.voxlens.setQuality(1, { exact: false }));
  return { fast, exact };
}


test('the fast path draws the smooth phantom as the exact path does in MIP, composite and iso (mean grey difference ≤ 1)', async ({ page }) => {
  const id = await open3d(page, headPhantom());
  await page.evaluate((layerId) => {
    window.voxlens.setDisplay(layerId, { window: [0, 900], colormap: 'gray' });
    window.voxlens.setCamera({ azimuth: 30, elevation: 20, zoom: 1.4 });
  }, id);
  const report: string[] = [];
  const modes: [string, (layerId: string) => void][] = [
    ['mip', () => window.voxlens.setRenderMode('mip', { projection: 'max' })],
    [
      'composite',
      (layerId) => {
        window.voxlens.setTransfer(layerId, { points: [[150, 0], [500, 0.08], [900, 0.6]], colormap: 'gray' });
        window.voxlens.setShading(layerId, { on: true });
        window.voxlens.setRenderMode('composite');
      },
    ],
    [
      'iso',
      (layerId) => {
        window.voxlens.setIso(layerId, 450);
        window.voxlens.setRenderMode('iso');
      },
    ],
  ];
  for (const [mode, setUp] of modes) {
    await page.evaluate(setUp, id);
    const { fast, exact } = await fastAndExact(page);
    expect(litPixels(exact), mode).toBeGreaterThan(1000);
    const d = difference(fast, exact);
    report.push(`${mode}: mean ${d.mean.toFixed(3)}, max ${d.max}`);
    expect(d.mean, mode).toBeLessThanOrEqual(1);
  }
  test.info().annotations.push({ type: 'fast vs exact (grey levels)', description: report.join('; ') });
  console.log(`fast vs exact, grey levels: ${report.join('; ')}`);
});

/**
 * Three flat-topped cones in a row along x on a 160 × 40 × 40 int16 grid (1 mm voxels): tops
 * `outer` at x = 25 and 135 and `middle` at x = 80, 4 voxels across, each falling to `base` 12
 * voxels out, `base` elsewhere, a margin of `air` around. Seen along x, a ray meets an outer cone in the first 64-voxel block it
 * crosses and the middle one in a later block: a projection skips bricks there only by the best it
 * has met so far.
 */
function conesInARow(outer: number, middle: number, base: number, air = 0): Uint8Array {
  const [nx, ny, nz] = [160, 40, 40];
  const data = new Int16Array(nx * ny * nz);
  const cones: [number, number][] = [
    [25, outer],
    [80, middle],
    [135, outer],
  ];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        let v = base;
        if (i < 2 || j < 2 || k < 2 || i >= nx - 2 || j >= ny - 2 || k >= nz - 2) {
          data[i + nx * (j + ny * k)] = air;
          continue;
        }
        for (const [x, peak] of cones) {
          const r = Math.hypot(i - x, j - 19.5, k - 19.5);
          if (r < 12) v = base + (peak - base) * Math.min(1, (12 - r) / 8);
        }
        data[i + nx * (j + ny * k)] = Math.round(v);
      }
  const affine = [1, 0, 0, -(nx - 1) / 2, 0, 1, 0, -(ny - 1) / 2, 0, 0, 1, -(nz - 1) / 2, 0, 0, 0, 1];
  return encodeNifti({ dims: [nx, ny, nz], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(data.buffer), affine });
}

/**
 * Noisy air around a cone, as a CT's air is: on a 64 × 40 × 40 int16 grid, cells of 2³ voxels each
 * hold 1 or 2, now and then 0 or 3 (so a brick's maximum is mostly 2, at times 3, while samples
 * along a ray stay at 1 to 2), and a cone rises to `peak` at the centre (falling to the air 12
 * voxels out). `flip`: every value v as 255 − v (for MinIP).
 */
function noisyAir(peak: number, flip = false): Uint8Array {
  const [nx, ny, nz] = [64, 40, 40];
  const data = new Int16Array(nx * ny * nz);
  const cell = (i: number, j: number, k: number) => {
    let h = Math.imul(i >> 1, 73856093) ^ Math.imul(j >> 1, 19349663) ^ Math.imul(k >> 1, 83492791);
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
    const u = ((h ^ (h >>> 15)) >>> 0) / 2 ** 32;
    return u < 0.08 ? 0 : u < 0.12 ? 3 : u < 0.56 ? 1 : 2;
  };
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const r = Math.hypot(i - 31.5, j - 19.5, k - 19.5);
        const v = Math.max(cell(i, j, k), r < 12 ? peak * Math.min(1, (12 - r) / 8) : 0);
        data[i + nx * (j + ny * k)] = Math.round(flip ? 255 - v : v);
      }
  const affine = [1, 0, 0, -(nx - 1) / 2, 0, 1, 0, -(ny - 1) / 2, 0, 0, 1, -(nz - 1) / 2, 0, 0, 0, 1];
  return encodeNifti({ dims: [nx, ny, nz], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(data.buffer), affine });
}

test('MIP and MinIP skip only what cannot change a pixel (fast path: by more than one grey level): skipping on and off, fast and exact', async ({ page }) => {
  // Window [0, 1000]: 600 shows as LUT entry 153, 604 as 154, 608 as 155; 110 as 28, 106 as 27, 102 as 26.
  await open3d(page, headPhantom(), 'layout=3d', {
    'maxcones.nii': conesInARow(600, 604, 100),
    'maxcones2.nii': conesInARow(600, 608, 100),
    // MinIP's air above the window: every ray's minimum is inside.
    'mincones.nii': conesInARow(110, 106, 600, 1200),
    'mincones2.nii': conesInARow(110, 102, 600, 1200),
    'maxair.nii': noisyAir(150),
    'minair.nii': noisyAir(150, true),
  });
  // The fast path may pass over values one entry past its best (rayParams.ts PROJECTION_TOLERANCE,
  // a grey level in gray), so its pixels may differ by one, and no more; the exact path's may not
  // differ. `passesOver`: the fast path does pass over a middle cone one entry past the outer ones.
  const cases = [
    // The middle cone's top one LUT entry past the outer ones', behind one of them from either side.
    { file: 'maxcones.nii', projection: 'max', window: [0, 1000], clip: null, azimuth: 90, passesOver: true },
    { file: 'maxcones.nii', projection: 'max', window: [0, 1000], clip: null, azimuth: 270, passesOver: true },
    // Two entries past: the fast path draws its top too (one grey level off at most on its flanks).
    { file: 'maxcones2.nii', projection: 'max', window: [0, 1000], clip: null, azimuth: 90, passesOver: false },
    // The middle cone's top at the window's end (600 shows as entry 254): its rays stop there.
    { file: 'maxcones.nii', projection: 'max', window: [0, 602], clip: null, azimuth: 90, passesOver: false },
    { file: 'mincones.nii', projection: 'min', window: [0, 1000], clip: null, azimuth: 90, passesOver: true },
    { file: 'mincones2.nii', projection: 'min', window: [0, 1000], clip: null, azimuth: 90, passesOver: false },
    // Air (0) inside the window's first LUT entry, above its low end: the bricks around the head are
    // passed over for their entry alone.
    { file: 'v.nii', projection: 'max', window: [-1, 1000], clip: null, azimuth: 30, passesOver: false },
    // MinIP inside a box within the head (outside it the air is every ray's minimum); rays through
    // its corners end before their first sample.
    { file: 'v.nii', projection: 'min', window: [300, 700], clip: { lo: [-8, -8, -8], hi: [8, 8, 8] }, azimuth: 30, passesOver: false },
    // Noisy air in entries 0 … 3 (window [0, 255]: a value is its entry): the fast path leaps over
    // bricks up to entry 2 once its rays show entry 1, and walks those reaching 3.
    { file: 'maxair.nii', projection: 'max', window: [0, 255], clip: null, azimuth: 90, passesOver: false },
    { file: 'maxair.nii', projection: 'max', window: [0, 255], clip: null, azimuth: 30, passesOver: false },
    { file: 'minair.nii', projection: 'min', window: [0, 255], clip: null, azimuth: 30, passesOver: false },
  ] as const;
  const report: string[] = [];
  for (const c of cases) {
    await page.evaluate(() => window.voxlens.close(window.voxlens.layers()[0].id));
    const { id } = await loadInPage(page, `/__fixtures__/${c.file}`);
    await page.evaluate(
      ({ layerId, c }) => {
        window.voxlens.setDisplay(layerId, { window: [...c.window], colormap: 'gray' });
        window.voxlens.setClip(c.clip ? { lo: [...c.clip.lo], hi: [...c.clip.hi] } : null);
        window.voxlens.setRenderMode('mip', { projection: c.projection });
        window.voxlens.setCamera({ azimuth: c.azimuth, elevation: c.file === 'v.nii' ? 20 : 0, zoom: c.file === 'v.nii' ? 1.4 : 1.2 });
      },
      { layerId: id!, c },
    );
    for (const exact of [false, true]) {
      const image = async (skipEmpty: boolean) => {
        await page.evaluate((q) => window.voxlens.setQuality(1, q), { exact, skipEmpty });
        const s = await shot(page);
        expect((await renderPath(page)).path).toBe(exact ? 'exact' : 'fast');
        return s;
      };
      const skipping = await image(true);
      const every = await image(false);
      const name = `${c.file} ${c.projection} window ${c.window.join('…')} azimuth ${c.azimuth} ${exact ? 'exact' : 'fast'}`;
      expect(litPixels(every), name).toBeGreaterThan(500);
      const d = difference(skipping, every);
      const moved = changedPixels(skipping, every);
      report.push(`${name}: mean ${d.mean.toFixed(4)}, max ${d.max}, ${moved} pixels differ`);
      // The same samples either way: t is stepped a little differently, so a value on an entry's
      // edge may fall the other side, in a handful of pixels at most.
      expect(d.max, name).toBeLessThanOrEqual(1);
      if (exact) expect(moved, name).toBeLessThanOrEqual(20);
      else if (c.passesOver) expect(moved, name).toBeGreaterThan(50);
    }
  }
  await page.evaluate(() => window.voxlens.setQuality(1, { exact: false, skipEmpty: true }));
  console.log(`skipping on vs off:\n${report.join('\n')}`);
});

test('the fast MIP of the radial cone matches the maximum along each ray computed on the CPU, NaN voxels in its way or not', async ({ page }) => {
  const id = await open3d(page, conePhantom(), 'layout=3d', { 'nan.nii': conePhantom(true) });
  await page.evaluate((layerId) => {
    window.voxlens.setDisplay(layerId, { window: [0, 200], colormap: 'gray' });
    window.voxlens.setRenderMode('mip', { projection: 'max' });
    window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 1.6 });
  }, id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await renderPath(page)).toEqual({ path: 'fast' });
  const pose = (await page.evaluate(() => window.voxlens.cameraPose()))!;
  const cross = (a: number[], b: number[]): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const right = cross(pose.direction, pose.up);
  const tanHalf = Math.tan(((pose.fovDeg / 2) * Math.PI) / 180);
  /** The ray through pixel (x, y): its closest distance to the cone's centre (the world origin), where the MIP is. */
  const missDistance = (x: number, y: number, w: number, h: number) => {
    const u = ((x + 0.5) / w) * 2 - 1;
    const v = 1 - ((y + 0.5) / h) * 2;
    const d = [0, 1, 2].map((a) => pose.direction[a] + u * tanHalf * pose.aspect * right[a] + v * tanHalf * pose.up[a]);
    const len = Math.hypot(...d);
    return Math.hypot(...cross(pose.position, d.map((c) => c / len)));
  };
  const errors = (s: Shot, within = CONE_RADIUS_MM + 2) => {
    let sum = 0;
    let max = 0;
    let n = 0;
    for (let y = 40; y < s.height - 20; y += within < 5 ? 1 : 3)
      for (let x = 10; x < s.width - 10; x += within < 5 ? 1 : 3) {
        const dist = missDistance(x, y, s.width, s.height);
        if (dist > within) continue;
        const e = Math.abs(s.at(x, y)[0] - (radial(dist) / PEAK) * 255);
        sum += e;
        max = Math.max(max, e);
        n++;
      }
    expect(n).toBeGreaterThan(within < 5 ? 100 : 300);
    return { mean: sum / n, max };
  };
  const { fast, exact } = await fastAndExact(page);
  const f = errors(fast);
  const e = errors(exact);
  console.log(`MIP vs CPU rays: fast mean ${f.mean.toFixed(3)} max ${f.max.toFixed(1)}; exact mean ${e.mean.toFixed(3)} max ${e.max.toFixed(1)}`);
  // volume.spec.ts holds the exact path within 3 grey levels on average; the fast path stays within
  // that and within one grey level of the exact path's own error.
  expect(f.mean).toBeLessThan(3);
  expect(Math.abs(f.mean - e.mean)).toBeLessThanOrEqual(1);

  // The same cone with NaN voxels where the central rays enter and leave it (an R16F copy: RG8 has
  // no NaN). A sample touching one is skipped; it shows nothing and hides nothing behind it (GLSL
  // leaves max(NaN, x) undefined, so a run keeping its best with max() could lose the peak).
  await page.evaluate((layerId) => window.voxlens.close(layerId), id);
  const nan = await loadInPage(page, '/__fixtures__/nan.nii');
  await page.evaluate((layerId) => {
    window.voxlens.setDisplay(layerId, { window: [0, 200], colormap: 'gray' });
    window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 1.6 });
  }, nan.id!);
  expect(await page.evaluate(() => window.voxlens.cameraPose())).toEqual(pose);
  const withNaN = await fastAndExact(page);
  const nf = errors(withNaN.fast), ne = errors(withNaN.exact);
  const centre = errors(withNaN.fast, 3);
  console.log(`with NaN voxels: fast mean ${nf.mean.toFixed(3)} max ${nf.max.toFixed(1)}; exact mean ${ne.mean.toFixed(3)} max ${ne.max.toFixed(1)}; centre (3 mm) fast max ${centre.max.toFixed(1)}`);
  expect(nf.mean).toBeLessThan(3);
  expect(Math.abs(nf.mean - ne.mean)).toBeLessThanOrEqual(1);
  // The peak's rays pass through the NaN voxels: each still shows the cone's maximum along it.
  expect(centre.max).toBeLessThan(20);
});

test('renderPath(): fast by default, exact when asked, and exact (saying why) for a layer held in z-slabs', async ({ page }) => {
  await open3d(page, headPhantom());
  await page.evaluate(() => window.voxlens.frame());
  expect(await renderPath(page)).toEqual({ path: 'fast' });
  // The Quality row's checkbox is the same switch.
  await page.getByLabel('Exact samples (slower)').check();
  await page.evaluate(() => window.voxlens.frame());
  expect(await renderPath(page)).toEqual({ path: 'exact', reason: expect.stringMatching(/asked/) });
  await page.getByLabel('Exact samples (slower)').uncheck();
  await page.evaluate(() => window.voxlens.frame());
  expect(await renderPath(page)).toEqual({ path: 'fast' });

  // 48 × 48 × 48 int16 is 4.5 KiB a slice: buffers of 0.1 MiB hold 23 slices, so three z-slabs.
  await open3d(page, headPhantom(), 'layout=3d&slabMiB=0.1');
  await page.evaluate(() => window.voxlens.frame());
  expect((await page.evaluate(() => window.voxlens.layers()[0].texture.slabs))?.length).toBe(3);
  expect(await renderPath(page)).toEqual({ path: 'exact', reason: expect.stringMatching(/brick textures/) });
});

test('the render copy is 2 bytes a voxel of GPU memory while a 3D pane shows the layer, named in the memory panel, and freed without one', async ({ page }) => {
  const id = await open3d(page, headPhantom(), 'layout=axial');
  await page.evaluate(() => window.voxlens.frame());
  const without = await page.evaluate(() => window.voxlens.memory().textureBytes);
  await page.evaluate(() => window.voxlens.setLayout('3d'));
  await page.evaluate(() => window.voxlens.frame());
  expect(await renderPath(page)).toEqual({ path: 'fast' });
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(without + 2 * N ** 3);
  await page.locator('[data-section="details"] > h2 > button').click();
  await expect(page.getByTestId('render-copies')).toContainText('3D render copy of v.nii, RG8');
  // Its tooltip says what the copy holds.
  await expect(page.getByTestId('render-copies').locator('li')).toHaveAttribute('title', /in 16 bits, split over two 8-bit channels/);
  // The exact path needs no copy.
  await page.evaluate(() => window.voxlens.setQuality(1, { exact: true }));
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(without);
  await page.evaluate(() => window.voxlens.setQuality(1, { exact: false }));
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(without + 2 * N ** 3);
  await page.evaluate(() => window.voxlens.setLayout('axial'));
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(without);
  await expect(page.getByTestId('render-copies')).toHaveCount(0);
  // Back in 3D, then the layer closes: nothing of it stays on the GPU.
  await page.evaluate(() => window.voxlens.setLayout('3d'));
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(without + 2 * N ** 3);
  await page.evaluate((layerId) => window.voxlens.close(layerId), id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(0);
});

test('the empty-space maps are counted apart from the textures (memory().mapBytes, the memory panel) and go with their layer', async ({ page }) => {
  const id = await open3d(page, headPhantom(), 'layout=axial');
  // The maps come with the brick ranges, which come with the exact stats.
  await page.waitForFunction((layerId) => window.voxlens.layers().find((l) => l.id === layerId)?.range.exact === true, id);
  await page.evaluate(() => window.voxlens.frame());
  const bricks = (N / 4) ** 3;
  // The slice panes' thick-slab ranges: RG32F, the 4-voxel bricks and the middle grid of 4³ of them.
  const ranges = 8 * (bricks + (N / 16) ** 3);
  const textures = await page.evaluate(() => window.voxlens.memory().textureBytes);
  await expect.poll(() => page.evaluate(() => window.voxlens.memory().mapBytes)).toBe(ranges);
  // The 3D pane adds its leap distances, 4 bytes a brick; the textures' own count is unchanged by them.
  await page.evaluate(() => window.voxlens.setLayout('3d'));
  await page.evaluate(() => window.voxlens.frame());
  await expect.poll(() => page.evaluate(() => window.voxlens.memory().mapBytes)).toBe(ranges + 4 * bricks);
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(textures + 2 * N ** 3);
  await page.locator('[data-section="details"] > h2 > button').click();
  await expect(page.getByTestId('memory-maps')).toHaveText(/empty-space maps \d/);
  await page.evaluate((layerId) => window.voxlens.close(layerId), id);
  await page.evaluate(() => window.voxlens.frame());
  await expect.poll(() => page.evaluate(() => window.voxlens.memory().mapBytes)).toBe(0);
  await expect(page.getByTestId('memory-maps')).toHaveCount(0);
});

test('a GPU whose filtered 8-bit channels come back at 8 bits gets R16F copies (the RG8 probe), and the picture stays the exact path\'s', async ({ page }) => {
  // Such a GPU, played by the probe's own shader: its RG8 fetch rounded to 8 bits a channel.
  await page.addInitScript(() => {
    const source = WebGL2RenderingContext.prototype.shaderSource;
    WebGL2RenderingContext.prototype.shaderSource = function (this: WebGL2RenderingContext, shader: WebGLShader, text: string) {
      const rounded = text.includes('uniform sampler3D uPair') ? text.replace('texture(uPair, at).rg', '(floor(texture(uPair, at).rg * 255.0 + 0.5) / 255.0)') : text;
      return source.call(this, shader, rounded);
    };
  });
  await open3d(page, headPhantom());
  await page.evaluate(() => window.voxlens.frame());
  expect(await renderPath(page)).toEqual({ path: 'fast' });
  await page.locator('[data-section="details"] > h2 > button').click();
  await expect(page.getByTestId('render-copies')).toContainText('3D render copy of v.nii, R16F');
  await expect(page.getByTestId('render-copies').locator('li')).toHaveAttribute('title', /as half floats/);
  const { fast, exact } = await fastAndExact(page);
  expect(difference(fast, exact).mean).toBeLessThanOrEqual(1);
});

test('a window change reuses the render copy; a context loss and restore rebuilds it and draws the same pixels', async ({ page }) => {
  const id = await open3d(page, headPhantom());
  await page.evaluate((layerId) => {
    window.voxlens.setDisplay(layerId, { window: [0, 900], colormap: 'gray' });
    window.voxlens.setRenderMode('mip', { projection: 'max' });
    window.voxlens.setCamera({ azimuth: 20, elevation: 10, zoom: 1.4 });
  }, id);
  const before = await shot(page);
  expect(await renderPath(page)).toEqual({ path: 'fast' });
  const built = await copyBuilds(page, id);
  expect(built).toBeGreaterThan(0);
  // Another window, and back: two new images, no new copy (it holds range-normalised values).
  await page.evaluate((layerId) => window.voxlens.setDisplay(layerId, { window: [100, 600] }), id);
  const narrow = await shot(page);
  expect(difference(narrow, before).mean).toBeGreaterThan(5);
  await page.evaluate((layerId) => window.voxlens.setDisplay(layerId, { window: [0, 900] }), id);
  await page.evaluate(() => window.voxlens.frame());
  expect(await copyBuilds(page, id)).toBe(built);

  await loseAndRestoreContext(page);
  const after = await shot(page);
  expect(await renderPath(page)).toEqual({ path: 'fast' });
  expect(await copyBuilds(page, id)).toBeGreaterThan(built);
  expect(litPixels(after)).toBeGreaterThan(1000);
  expect(difference(after, before).max).toBe(0);
});
