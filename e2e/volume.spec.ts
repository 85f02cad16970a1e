// The 3D pane's ray caster against rays this test casts itself on the CPU: MIP of a radial
// phantom, the isosurface silhouette and the same silhouette from an opaque composite step, the
// camera convention with balls on the patient's right and anterior in several affines, exact
// picking, and context loss in the 3d layout.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { samplePhantom } from '../scripts/sample';
import { changedPixels, difference, grab, litPixels, type Shot } from './pixels';
import { decodesStarted, loadInPage, loseAndRestoreContext, openEmpty, serveFixtures } from './helpers';

type V3 = [number, number, number];
const N = 32;
const RADIUS_MM = 12;
const PEAK = 200;
/** A cone: PEAK at the centre falling linearly to 0 at RADIUS_MM, so trilinear sampling is nearly exact. */
const radial = (r: number) => PEAK * Math.max(0, 1 - r / RADIUS_MM);

const IDENTITY_ROT = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
/** Voxel → world with the volume's centre at the world origin. */
function centredAffine(rot: number[][]): number[] {
  const c = (N - 1) / 2;
  return [0, 1, 2].flatMap((r) => [...rot[r], -(rot[r][0] * c + rot[r][1] * c + rot[r][2] * c)]).concat([0, 0, 0, 1]);
}

function volumeFrom(affine: number[], value: (w: V3) => number): Uint8Array {
  const data = new Float32Array(N * N * N);
  for (let k = 0; k < N; k++)
    for (let j = 0; j < N; j++)
      for (let i = 0; i < N; i++) {
        const w = [0, 1, 2].map((r) => affine[r * 4] * i + affine[r * 4 + 1] * j + affine[r * 4 + 2] * k + affine[r * 4 + 3]) as V3;
        data[i + N * (j + N * k)] = value(w);
      }
  return encodeNifti({ dims: [N, N, N], datatypeCode: 16, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(data.buffer), affine });
}

test.use({ viewport: { width: 620, height: 420 } });

async function open3d(page: Page, file: Uint8Array, win: [number, number]): Promise<string> {
  await serveFixtures(page, { 'v.nii': file });
  await openEmpty(page, 'layout=3d');
  const { id } = await loadInPage(page, '/__fixtures__/v.nii');
  await page.evaluate(([layerId, w]) => window.voxlens.setDisplay(layerId, { window: w, colormap: 'gray' }), [id!, win] as const);
  await page.getByLabel('Show crosshair lines').uncheck();
  return id!;
}

/** The camera's rays, from the pose the page reports (position, direction, up, field of view). */
async function rays(page: Page) {
  await page.evaluate(() => window.voxlens.frame());
  const pose = (await page.evaluate(() => window.voxlens.cameraPose()))!;
  const cross = (a: number[], b: number[]): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const right = cross(pose.direction, pose.up);
  const tanHalf = Math.tan(((pose.fovDeg / 2) * Math.PI) / 180);
  return {
    pose,
    /** Unit direction of the ray through pixel (x, y) of a w × h pane. */
    through(x: number, y: number, w: number, h: number): V3 {
      const u = ((x + 0.5) / w) * 2 - 1;
      const v = 1 - ((y + 0.5) / h) * 2;
      const d = [0, 1, 2].map((a) => pose.direction[a] + u * tanHalf * pose.aspect * right[a] + v * tanHalf * pose.up[a]);
      const len = Math.hypot(...d);
      return d.map((c) => c / len) as V3;
    },
    /** Distance from the world origin (the phantom's centre) to the ray. */
    missDistance(d: V3): number {
      const c = cross(pose.position, d);
      return Math.hypot(...c);
    },
  };
}

test('MIP of a radial phantom matches the maximum along each ray computed on the CPU', async ({ page }) => {
  await open3d(page, volumeFrom(centredAffine(IDENTITY_ROT), (w) => radial(Math.hypot(...w))), [0, PEAK]);
  await page.evaluate(() => window.voxlens.setRenderMode('mip', { projection: 'max' }));
  await page.evaluate(() => window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 1.6 }));
  const r = await rays(page);
  const shot = await grab(page.getByTestId('view-3d'));
  let sum = 0;
  let n = 0;
  for (let y = 40; y < shot.height - 20; y += 3)
    for (let x = 10; x < shot.width - 10; x += 3) {
      const d = r.missDistance(r.through(x, y, shot.width, shot.height));
      if (d > RADIUS_MM + 2) continue; // the background, where only the box outline is drawn
      const want = (radial(d) / PEAK) * 255;
      sum += Math.abs(shot.at(x, y)[0] - want);
      n++;
    }
  expect(n).toBeGreaterThan(300);
  expect(sum / n).toBeLessThan(3);
  // MinIP of the same volume is black inside the box (the corners hold 0); average is dimmer than MIP.
  await page.evaluate(() => window.voxlens.setRenderMode('mip', { projection: 'mean' }));
  await page.evaluate(() => window.voxlens.frame());
  const mean = await grab(page.getByTestId('view-3d'));
  const [cx, cy] = [Math.floor(shot.width / 2), Math.floor(shot.height / 2)];
  expect(mean.at(cx, cy)[0]).toBeLessThan(shot.at(cx, cy)[0] - 50);
  expect(mean.at(cx, cy)[0]).toBeGreaterThan(10);
});

test('isosurface and an opaque composite step at the same threshold give the sphere silhouette (±3 %)', async ({ page }) => {
  const id = await open3d(page, volumeFrom(centredAffine(IDENTITY_ROT), (w) => radial(Math.hypot(...w))), [0, PEAK]);
  const iso = 100; // radius 6 mm
  await page.evaluate(([layerId, v]) => {
    window.voxlens.setIso(layerId, v);
    window.voxlens.setRenderMode('iso');
    window.voxlens.setCamera({ azimuth: 30, elevation: 20, zoom: 2.5 });
  }, [id, iso] as const);
  const r = await rays(page);
  const silhouette = async () => {
    const shot = await grab(page.getByTestId('view-3d'));
    let lit = 0;
    let expected = 0;
    for (let y = 30; y < shot.height; y++)
      for (let x = 0; x < shot.width; x++) {
        const [red, g, b] = shot.at(x, y);
        if (red > 25 && Math.abs(red - b) < 20 && Math.abs(red - g) < 20) lit++;
        if (r.missDistance(r.through(x, y, shot.width, shot.height)) < RADIUS_MM * (1 - iso / PEAK)) expected++;
      }
    return { lit, expected };
  };
  const isoArea = await silhouette();
  expect(isoArea.expected).toBeGreaterThan(2000);
  expect(Math.abs(isoArea.lit - isoArea.expected) / isoArea.expected).toBeLessThan(0.03);
  await page.evaluate(([layerId, v, peak]) => {
    // The colour ramp spans 0…peak, so the surface (at mid-ramp) is grey, not black.
    window.voxlens.setTransfer(layerId, { points: [[0, 0], [v - 1e-3, 0], [v, 1], [peak, 1]], colormap: 'gray' });
    window.voxlens.setRenderMode('composite');
  }, [id, iso, PEAK] as const);
  await page.evaluate(() => window.voxlens.frame());
  const composite = await silhouette();
  expect(Math.abs(composite.lit - isoArea.lit) / isoArea.lit).toBeLessThan(0.03);
});

test('clicking the sphere in iso mode moves the crosshair to the near surface point (within half a voxel)', async ({ page }) => {
  const id = await open3d(page, volumeFrom(centredAffine(IDENTITY_ROT), (w) => radial(Math.hypot(...w))), [0, PEAK]);
  await page.evaluate((layerId) => {
    window.voxlens.setIso(layerId, 100);
    window.voxlens.setRenderMode('iso');
    window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 2 });
  }, id);
  await page.evaluate(() => window.voxlens.frame());
  const pane = page.getByTestId('view-3d');
  const box = (await pane.boundingBox())!;
  const r = await rays(page);
  const x = Math.floor(box.width / 2) + 4, y = Math.floor(box.height / 2) + 3;
  await page.mouse.click(box.x + x + 0.5, box.y + y + 0.5);
  const crosshair = (await page.evaluate(() => window.voxlens.crosshair()))!;
  // The near surface point along that ray: radius 6 mm, entered from the camera's side.
  const d = r.through(x, y, box.width, box.height);
  const o = r.pose.position;
  const b = o[0] * d[0] + o[1] * d[1] + o[2] * d[2];
  const c = o[0] ** 2 + o[1] ** 2 + o[2] ** 2 - 36;
  const t = -b - Math.sqrt(b * b - c);
  const want = [0, 1, 2].map((a) => o[a] + t * d[a]);
  expect(Math.hypot(...[0, 1, 2].map((a) => crosshair[a] - want[a])), `crosshair ${crosshair} vs ${want}`).toBeLessThanOrEqual(0.5);
  // The probe reads the stored value there, exactly.
  const probed = await page.evaluate((w) => window.voxlens.probe({ world: w })[0], crosshair);
  expect(probed.inside).toBe(true);

  // Cut at the crosshair (put at the centre): the octant facing the camera is gone, and the ray
  // through the centre of the pane stops on the cut faces, at their corner, not on the sphere.
  await page.evaluate(() => {
    window.voxlens.setCrosshair([0, 0, 0]);
    window.voxlens.setCamera({ azimuth: 35, elevation: 25 });
    window.voxlens.setClip(null, { cut: true });
  });
  await page.evaluate(() => window.voxlens.frame());
  const cut = await rays(page);
  const cx = Math.floor(box.width / 2), cy = Math.floor(box.height / 2);
  await page.mouse.click(box.x + cx + 0.5, box.y + cy + 0.5);
  const onFace = (await page.evaluate(() => window.voxlens.crosshair()))!;
  const dCentre = cut.through(cx, cy, box.width, box.height);
  // Where that ray meets the cut's corner region: within a voxel or two of the centre, far inside the 6 mm surface.
  expect(Math.hypot(...onFace), `picked ${onFace} along ${dCentre}`).toBeLessThan(2);
});

// ---- the camera convention, with a bright ball on the patient's right and a dim one anterior ----
const ROTATIONS: Record<string, number[][]> = {
  RAS: IDENTITY_ROT,
  LAS: [[-1, 0, 0], [0, 1, 0], [0, 0, 1]],
  LIA: [[-1, 0, 0], [0, 0, 1], [0, -1, 0]],
};
const balls = (w: V3) => (Math.hypot(w[0] - 9, w[1], w[2]) < 3.5 ? 250 : Math.hypot(w[0], w[1] - 9, w[2]) < 3.5 ? 120 : 0);

async function centroids(page: Page) {
  // The pane's own buttons and hint are white text over the image: out of the count.
  await page.addStyleTag({ content: '.pane-tools, .pane-hint, .pane-label { visibility: hidden; }' });
  await page.evaluate(() => window.voxlens.frame());
  const shot = await grab(page.getByTestId('view-3d'));
  const acc = { bright: [0, 0, 0], dim: [0, 0, 0] };
  for (let y = 30; y < shot.height; y++)
    for (let x = 0; x < shot.width; x++) {
      const [g, , b] = shot.at(x, y);
      if (Math.abs(g - b) > 20) continue; // the blue box outline
      const key = g > 200 ? 'bright' : g > 90 && g < 150 ? 'dim' : null;
      if (!key) continue;
      acc[key][0] += x;
      acc[key][1] += y;
      acc[key][2]++;
    }
  const at = (a: number[]) => (a[2] > 20 ? { x: a[0] / a[2] - shot.width / 2, y: a[1] / a[2] - shot.height / 2 } : null);
  return { bright: at(acc.bright), dim: at(acc.dim) };
}

for (const [name, rot] of Object.entries(ROTATIONS)) {
  test(`camera convention (${name} affine): the balls on the patient's right and anterior appear where the convention says`, async ({ page }) => {
    await open3d(page, volumeFrom(centredAffine(rot), balls), [0, 255]);
    await page.evaluate(() => window.voxlens.setRenderMode('mip', { projection: 'max' }));
    // From anterior: the patient's right on the screen's left; the anterior ball in front of the centre.
    await page.evaluate(() => window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 1.5 }));
    let c = await centroids(page);
    expect(c.bright!.x, 'anterior view: right ball on the left').toBeLessThan(-15);
    expect(Math.abs(c.bright!.y)).toBeLessThan(6);
    // From the patient's left: anterior on the screen's left.
    await page.evaluate(() => window.voxlens.setCamera({ azimuth: 90, elevation: 0 }));
    c = await centroids(page);
    expect(c.dim!.x, 'left view: anterior ball on the left').toBeLessThan(-15);
    // From superior: anterior up, the patient's right then on the screen's right.
    await page.evaluate(() => window.voxlens.setCamera({ azimuth: 0, elevation: 90 }));
    c = await centroids(page);
    expect(c.dim!.y, 'superior view: anterior ball up').toBeLessThan(-15);
    expect(c.bright!.x, 'superior view: right ball on the right').toBeGreaterThan(15);
    expect(await page.evaluate(() => window.voxlens.camera())).toEqual({ azimuth: 0, elevation: 90, zoom: 1.5 });
  });
}

test('3d layout: context loss and restore redraws identical pixels, one texture, no decode', async ({ page }) => {
  await open3d(page, volumeFrom(centredAffine(IDENTITY_ROT), (w) => radial(Math.hypot(...w))), [0, PEAK]);
  await page.evaluate(() => window.voxlens.setRenderMode('composite'));
  await page.evaluate(() => window.voxlens.frame());
  const before = await page.getByTestId('view-3d').screenshot();
  await loseAndRestoreContext(page);
  expect(Buffer.compare(await page.getByTestId('view-3d').screenshot(), before)).toBe(0);
  // One texture (float32), and the 3D pane's R16F render copy made from it on the GPU (the fast path: e2e/volumeFast.spec.ts).
  expect(await page.evaluate(() => window.voxlens.memory().textureBytes)).toBe(N * N * N * 4 + N * N * N * 2);
  expect(await decodesStarted(page)).toBe(1);
});

test('the transfer editor adds points by click; a malformed saved transfer function is refused by name', async ({ page }) => {
  const id = await open3d(page, volumeFrom(centredAffine(IDENTITY_ROT), (w) => radial(Math.hypot(...w))), [0, PEAK]);
  await page.getByTestId('render-composite').click();
  const plot = page.getByTestId('tf-plot');
  const count = () => page.locator('[data-testid="tf-plot"] circle').count();
  const before = await count();
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.2);
  expect(await count()).toBe(before + 1);
  await page.getByTestId('tf-load').setInputFiles({ name: 'tf.json', mimeType: 'application/json', buffer: Buffer.from('{"points": [[0, 0.5]]}') });
  await expect(page.getByTestId('volume-panel').getByRole('alert')).toContainText('tf.json: a transfer function needs at least two points');
  await page.getByTestId('tf-load').setInputFiles({ name: 'ok.json', mimeType: 'application/json', buffer: Buffer.from('{"points": [[10, 0], [150, 0.7]], "colormap": "hot"}') });
  await expect(page.getByLabel('Transfer colormap')).toHaveValue('hot');
  await expect(page.locator('[data-testid="tf-plot"] circle')).toHaveCount(2);
  // The API checks what it is given.
  const errors = await page.evaluate((layerId) => {
    const tries = [
      () => window.voxlens.setTransfer(layerId, { points: [[1, 1]] }),
      () => window.voxlens.setIso(layerId, NaN),
      () => window.voxlens.setCamera({ elevation: 120 }),
      () => window.voxlens.setRenderMode('xray' as never),
      () => window.voxlens.setClip({ lo: [0, 0, 0], hi: [0, 1, 1] }),
    ];
    return tries.map((f) => {
      try {
        f();
        return 'accepted';
      } catch (e) {
        return String(e);
      }
    });
  }, id);
  expect(errors.every((e) => e !== 'accepted')).toBe(true);
});

test('a second layer renders as an opaque label surface inside the first (composite), hidden behind its isosurface', async ({ page }) => {
  const affine = centredAffine(IDENTITY_ROT);
  const labels = new Uint8Array(N * N * N);
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) if ([i, j, k].every((c) => Math.abs(c - (N - 1) / 2) < 3)) labels[i + N * (j + N * k)] = 5;
  await serveFixtures(page, {
    'v.nii': volumeFrom(affine, (w) => radial(Math.hypot(...w))),
    'labels.nii': encodeNifti({ dims: [N, N, N], datatypeCode: 2, bitpix: 8, data: labels, affine, intentCode: 1002 }),
  });
  await openEmpty(page, 'layout=3d');
  const base = (await loadInPage(page, '/__fixtures__/v.nii')).id!;
  await loadInPage(page, '/__fixtures__/labels.nii');
  await page.getByLabel('Show crosshair lines').uncheck();
  // A transparent base: only the label surface shows, in its label colour, at the centre.
  await page.evaluate((id) => {
    window.voxlens.setTransfer(id, { points: [[0, 0], [200, 0]] });
    window.voxlens.setRenderMode('composite');
    window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 2 });
  }, base);
  await page.evaluate(() => window.voxlens.frame());
  const shot = await grab(page.getByTestId('view-3d'));
  const centre = shot.at(shot.width / 2, shot.height / 2);
  expect(Math.max(...centre) - Math.min(...centre), `label colour ${centre}`).toBeGreaterThan(40);
  // In iso mode the sphere's surface (radius 6 mm) is in front of the 6 mm cube: grey, not the label colour.
  await page.evaluate((id) => {
    window.voxlens.setIso(id, 100);
    window.voxlens.setRenderMode('iso');
  }, base);
  await page.evaluate(() => window.voxlens.frame());
  const iso = await grab(page.getByTestId('view-3d'));
  const c2 = iso.at(iso.width / 2, iso.height / 2);
  expect(Math.max(...c2) - Math.min(...c2), `surface ${c2}`).toBeLessThan(12);
  expect(c2[0]).toBeGreaterThan(60);
});

test('the cut shows the same faces with skipping on and off where composite and iso leap over a transparent block', async ({ page }) => {
  // A block of 100 everywhere: transparent under the transfer function and below the iso value, so
  // with skipping on every ray leaps from end to end; the window shows 100 as mid grey on the faces.
  await open3d(page, volumeFrom(centredAffine(IDENTITY_ROT), () => 100), [0, 200]);
  await page.evaluate(() => {
    const v = window.voxlens;
    const id = v.layers()[0].id;
    v.setTransfer(id, { points: [[500, 0], [600, 1]] });
    v.setIso(id, 500);
    v.setCrosshair([3, -2, 1]);
    v.setCamera({ azimuth: 35, elevation: 25 });
    v.setClip(null, { cut: true });
  });
  for (const mode of ['composite', 'iso'] as const) {
    await page.evaluate((m) => window.voxlens.setRenderMode(m), mode);
    const shots: Awaited<ReturnType<typeof grab>>[] = [];
    for (const skipEmpty of [false, true]) {
      await page.evaluate((on) => window.voxlens.setQuality(1, { skipEmpty: on }), skipEmpty);
      await page.evaluate(() => window.voxlens.frame());
      shots.push(await grab(page.getByTestId('view-3d')));
    }
    // Every ray starts in the octant (it faces the camera) and leaps out of it in one step with
    // skipping on: it lands on the first sample past it, where the faces are, as the march does.
    let faces = 0, differ = 0;
    for (let y = 30; y < shots[0].height; y++)
      for (let x = 0; x < shots[0].width; x++) {
        const [a, b] = [shots[0].at(x, y), shots[1].at(x, y)];
        if (Math.abs(a[0] - 128) < 20 && Math.abs(a[0] - a[2]) < 8) faces++;
        if (a.some((c, i) => c !== b[i])) differ++;
      }
    expect(faces, `${mode}: the faces, mid grey`).toBeGreaterThan(500);
    expect(differ, `${mode}: with and without skipping`).toBe(0);
  }
});

test('empty-space skipping changes no pixel (a MIP or MinIP on the fast path: by a grey level at most): MIP, MinIP, composite, iso and the cut, on a head phantom with air around it', async ({ page }) => {
  const dims = [48, 48, 40];
  const phantom = samplePhantom(dims);
  const mm = 4;
  const affine = [mm, 0, 0, (-(dims[0] - 1) * mm) / 2, 0, mm, 0, (-(dims[1] - 1) * mm) / 2, 0, 0, mm, (-(dims[2] - 1) * mm) / 2, 0, 0, 0, 1];
  await serveFixtures(page, { 'head.nii': encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(phantom.buffer), affine, inter: -1024 }) });
  await openEmpty(page, 'layout=3d');
  const id = (await loadInPage(page, '/__fixtures__/head.nii')).id!;
  await page.getByLabel('Show crosshair lines').uncheck();
  // The brick ranges come with the exact stats, off the main thread.
  await page.waitForFunction((layerId) => window.voxlens.layers().find((l) => l.id === layerId)?.range.exact === true, id);
  await page.evaluate((layerId) => {
    window.voxlens.setDisplay(layerId, { window: [-100, 1100] });
    window.voxlens.setCamera({ azimuth: 30, elevation: 20, zoom: 1.3 });
    window.voxlens.setTransfer(layerId, { points: [[150, 0], [400, 0.3], [1000, 0.9]] });
    window.voxlens.setIso(layerId, 300);
  }, id);
  const setups: [string, () => void][] = [
    ['mip', () => window.voxlens.setRenderMode('mip')],
    ['minip', () => window.voxlens.setRenderMode('mip', { projection: 'min' })],
    ['composite', () => window.voxlens.setRenderMode('composite')],
    ['iso', () => window.voxlens.setRenderMode('iso')],
    ['cut', () => {
      window.voxlens.setRenderMode('composite');
      window.voxlens.setCrosshair([8, -8, 4]);
      window.voxlens.setClip(null, { cut: true });
    }],
    // The projections' runs stop before the removed octant (rayParams.ts runSamples).
    ['cut, MIP', () => window.voxlens.setRenderMode('mip')],
    ['cut, MinIP', () => window.voxlens.setRenderMode('mip', { projection: 'min' })],
    // While dragging, a step of four voxels: a ray's first sample in the box it is cast through
    // (rayParams.ts rayBox) may lie past the surface, which it crossed on the way from the grid's face.
    ['iso, dragging', () => {
      window.voxlens.setClip(null, { cut: false });
      window.voxlens.setRenderMode('iso');
      window.voxlens.setInteraction(true);
    }],
    ['composite, dragging', () => window.voxlens.setRenderMode('composite')],
    ['MIP, dragging', () => window.voxlens.setRenderMode('mip', { projection: 'max' })],
    // A MIP ray through air alone shows the window's low end, inside the box rays are cast through
    // or not: seen with a colormap whose low end is not black.
    ['MIP, viridis', () => {
      window.voxlens.setInteraction(false);
      window.voxlens.setDisplay(window.voxlens.layers()[0].id, { colormap: 'viridis' });
    }],
  ];
  for (const [name, setup] of setups) {
    await page.evaluate(setup);
    // A projection on the fast path passes over what shows within a grey level of its best
    // (rayParams.ts PROJECTION_TOLERANCE); on the exact path, and in composite and iso, nothing that shows.
    const projection = /mip/i.test(name);
    for (const exact of projection ? [false, true] : [false]) {
      const shots: Shot[] = [];
      for (const skipEmpty of [false, true]) {
        await page.evaluate((q) => window.voxlens.setQuality(1, q), { skipEmpty, exact });
        await page.evaluate(() => window.voxlens.frame());
        shots.push(await grab(page.getByTestId('view-3d')));
      }
      const label = `${name}${projection ? (exact ? ', exact' : ', fast') : ''}: with and without skipping`;
      // (A MinIP of a head in air shows the air: black but for the cut's faces.)
      if (!/minip/i.test(name)) expect(litPixels(shots[0], 1), label).toBeGreaterThan(300);
      if (projection && !exact) expect(difference(shots[0], shots[1]).max, label).toBeLessThanOrEqual(1);
      else expect(changedPixels(shots[0], shots[1]), label).toBe(0);
    }
  }
  await page.evaluate(() => {
    window.voxlens.setInteraction(false);
    window.voxlens.setQuality(1, { skipEmpty: true, exact: false });
  });
});

test('turning the camera at the default style re-uploads no texture: its transfer table and leap distances are kept (composite, iso, MIP)', async ({ page }) => {
  // Every texture upload the page makes, by kind: a 3D texture (the volume, its render copy, the
  // leap distances) or a 2D one 256 texels wide (a transfer table or a colormap).
  await page.addInitScript(() => {
    const counts = { volume: 0, table: 0 };
    (window as unknown as { uploads: typeof counts }).uploads = counts;
    const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of ['texImage3D', 'texSubImage3D']) {
      const original = proto[name];
      proto[name] = function (this: unknown, ...a: unknown[]) {
        counts.volume++;
        return original.apply(this, a);
      };
    }
    for (const name of ['texImage2D', 'texSubImage2D']) {
      const original = proto[name];
      proto[name] = function (this: unknown, ...a: unknown[]) {
        // (target, level, internalformat, width, …) and (target, level, x, y, width, …)
        if (a[name === 'texImage2D' ? 3 : 4] === 256) counts.table++;
        return original.apply(this, a);
      };
    }
  });
  // An MR-like volume (no HU range): its default style is a ramp over its window, made from the
  // layer, not a preset's fixed points.
  const dims = [40, 40, 32];
  const phantom = samplePhantom(dims);
  await serveFixtures(page, { 'mr.nii': encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(phantom.buffer), affine: [4, 0, 0, -78, 0, 4, 0, -78, 0, 0, 4, -62, 0, 0, 0, 1] }) });
  await openEmpty(page, 'layout=3d');
  const id = (await loadInPage(page, '/__fixtures__/mr.nii')).id!;
  await page.waitForFunction((layerId) => window.voxlens.layers().find((l) => l.id === layerId)?.range.exact === true, id);
  for (const mode of ['composite', 'iso', 'mip'] as const) {
    const uploads = await page.evaluate(async (m) => {
      const v = window.voxlens;
      v.setRenderMode(m);
      v.setQuality(1, { skipEmpty: true, exact: false });
      await v.frame();
      await v.frame();
      const counts = (window as unknown as { uploads: { volume: number; table: number } }).uploads;
      const before = { ...counts };
      for (let i = 0; i < 4; i++) {
        v.setCamera({ azimuth: v.camera().azimuth + 10 });
        await v.frame();
      }
      return { volume: counts.volume - before.volume, table: counts.table - before.table };
    }, mode);
    expect(uploads, mode).toEqual({ volume: 0, table: 0 });
    // The pane shows the volume (the frames drew something).
    expect(litPixels(await grab(page.getByTestId('view-3d')), 1), mode).toBeGreaterThan(300);
  }
  // A new window is a new default: the leap distances and the table follow it.
  const after = await page.evaluate(async (layerId) => {
    const v = window.voxlens;
    v.setRenderMode('composite');
    await v.frame();
    const counts = (window as unknown as { uploads: { volume: number; table: number } }).uploads;
    const before = { ...counts };
    const [lo, hi] = v.layers().find((l) => l.id === layerId)!.display.window;
    v.setDisplay(layerId, { window: [lo, (lo + hi) / 2] });
    await v.frame();
    return { volume: counts.volume - before.volume, table: counts.table - before.table };
  }, id);
  expect(after.volume, 'leap distances after a new window').toBeGreaterThan(0);
  expect(after.table, 'transfer table after a new window').toBeGreaterThan(0);
});

test('the clip box: the pane button sets it to the volume, dragging a face handle moves that face and clips the rendering', async ({ page }) => {
  await open3d(page, volumeFrom(centredAffine(IDENTITY_ROT), (w) => radial(Math.hypot(...w))), [0, PEAK]);
  await page.evaluate(() => {
    window.voxlens.setRenderMode('mip');
    window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 1.5 });
  });
  await page.getByTestId('clip-toggle').click();
  const half = (N - 1) / 2;
  expect(await page.evaluate(() => window.voxlens.clip())).toEqual({ lo: [-half, -half, -half], hi: [half, half, half] });
  const { pose } = await rays(page);
  const pane = page.getByTestId('view-3d');
  const box = (await pane.boundingBox())!;
  // Where a world point shows in the pane, from the camera's pose.
  const toScreen = (w: V3): [number, number] => {
    const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
    const right = cross(pose.direction, pose.up);
    const rel = [0, 1, 2].map((a) => w[a] - pose.position[a]);
    const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    const tanHalf = Math.tan(((pose.fovDeg / 2) * Math.PI) / 180);
    const depth = dot(rel, pose.direction);
    const x = dot(rel, right) / (depth * tanHalf * pose.aspect);
    const y = dot(rel, pose.up) / (depth * tanHalf);
    return [box.x + ((x + 1) / 2) * box.width, box.y + ((1 - y) / 2) * box.height];
  };
  const before = await grab(pane);
  const probe = toScreen([0, 0, 5]);
  const at = (shot: typeof before) => shot.at(probe[0] - box.x, probe[1] - box.y)[0];
  expect(at(before), 'the upper half of the ball shows before clipping').toBeGreaterThan(60);
  // The superior face's handle (z = +15.5 mm) is dragged down to z = 0: the box's top follows the pointer.
  const [hx, hy] = toScreen([0, 0, half]);
  const [, y0] = toScreen([0, 0, 0]);
  await page.mouse.move(hx, hy);
  await expect(pane).toHaveCSS('cursor', 'move');
  await page.mouse.down();
  await page.mouse.move(hx, (hy + y0) / 2, { steps: 3 });
  await page.mouse.move(hx, y0, { steps: 3 });
  await page.mouse.up();
  const clip = (await page.evaluate(() => window.voxlens.clip()))!;
  expect(clip.hi[2]).toBeCloseTo(0, 0);
  expect(clip.lo).toEqual([-half, -half, -half]);
  expect(clip.hi.slice(0, 2)).toEqual([half, half]);
  expect(await page.evaluate(() => window.voxlens.crosshair())).toEqual([0, 0, 0]); // a handle drag is no pick
  await page.evaluate(() => window.voxlens.frame());
  const after = await grab(pane);
  expect(at(after), 'the upper half is clipped away').toBeLessThan(10);
  // The lower half still shows.
  const low = toScreen([0, 0, -5]);
  expect(after.at(low[0] - box.x, low[1] - box.y)[0]).toBeGreaterThan(60);
  await page.getByTestId('clip-toggle').click();
  expect(await page.evaluate(() => window.voxlens.clip())).toBeNull();
});

test('a large volume is cast from its coarse copy while the view moves and from the full grid when it stops', async ({ page }) => {
  // 32³ is "large" under ?interactionVoxels=4096: its copy keeps one voxel in 4 (8³). A bright plane at
  // i = 17 is not among the voxels kept, so only the full grid's MIP shows it.
  const affine = centredAffine(IDENTITY_ROT);
  const plane = 17 - (N - 1) / 2;
  await serveFixtures(page, { 'v.nii': volumeFrom(affine, (w) => (Math.abs(w[0] - plane) < 0.1 ? 2 * PEAK : radial(Math.hypot(...w)))) });
  await openEmpty(page, 'layout=3d&interactionVoxels=4096');
  const { id } = await loadInPage(page, '/__fixtures__/v.nii');
  await page.evaluate(([layerId, peak]) => window.voxlens.setDisplay(layerId, { window: [0, peak], colormap: 'gray' }), [id!, PEAK] as const);
  await page.getByLabel('Show crosshair lines').uncheck();
  await page.evaluate(() => window.voxlens.setRenderMode('mip', { projection: 'max' }));
  await page.evaluate(() => window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 1.6 }));
  await page.evaluate(() => window.voxlens.frame());
  const pane = page.getByTestId('view-3d');
  const note = page.getByTestId('interaction-level');
  const brightest = (shot: Awaited<ReturnType<typeof grab>>) => {
    let max = 0;
    // Inside the volume's outline, clear of the pane's tools and notes.
    for (let y = 40; y < shot.height - 40; y++) for (let x = 40; x < shot.width - 40; x++) max = Math.max(max, shot.at(x, y)[0]);
    return max;
  };
  await expect(note).toHaveCount(0);
  expect(brightest(await grab(pane)), 'the plane at i = 17 shows when still').toBe(255);

  const box = (await pane.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 8, box.y + box.height / 2, { steps: 4 });
  await page.evaluate(() => window.voxlens.frame());
  await expect(note).toHaveText('coarse copy 8 × 8 × 8 while moving');
  const moving = await grab(pane);
  const max = brightest(moving);
  expect(max, 'the cone shows from the coarse copy').toBeGreaterThan(150);
  expect(max, 'the plane between the kept voxels does not').toBeLessThan(250);
  // The copy is pooled memory the memory panel counts, pinned by its texture.
  const copy = await page.evaluate(() => window.voxlens.memory().buffers.filter((b) => b.pins.some((p) => p.label.includes('interaction level'))));
  expect(copy.map((b) => [b.bytes, b.pins.map((p) => p.owner)])).toEqual([[8 * 8 * 8 * 4, ['texture']]]);

  await page.mouse.up();
  await page.evaluate(() => window.voxlens.frame());
  await expect(note).toHaveCount(0);
  expect(brightest(await grab(pane))).toBe(255);

  // The coarse copy is cast on the fast path, from a render copy of its own (one filtered fetch a
  // sample), which the memory panel names; at a fixed camera its picture is the exact path's
  // within a grey level.
  await page.evaluate(() => window.voxlens.setInteraction(true));
  await page.evaluate(() => window.voxlens.frame());
  await expect(note).toHaveText('coarse copy 8 × 8 × 8 while moving');
  const fast = await grab(pane);
  await page.locator('[data-section="details"] > h2 > button').click();
  await expect(page.getByTestId('render-copies')).toContainText('3D render copy of v.nii (coarse, while the view moves), RG8, 1.0 KiB');
  await page.evaluate(() => window.voxlens.setQuality(1, { exact: true }));
  await page.evaluate(() => window.voxlens.frame());
  await expect(note).toHaveText('coarse copy 8 × 8 × 8 while moving');
  const exact = await grab(pane);
  expect(litPixels(exact, 1)).toBeGreaterThan(300);
  expect(difference(fast, exact).max, 'the coarse copy, fast against exact').toBeLessThanOrEqual(1);
  // The exact path needs no copy of it.
  await expect(page.getByTestId('render-copies')).toHaveCount(0);
  await page.evaluate(() => window.voxlens.setQuality(1, { exact: false }));
  await page.evaluate(() => window.voxlens.frame());
  expect(difference(fast, await grab(pane)).max, 'the fast path again').toBe(0);
  await page.evaluate(() => window.voxlens.setInteraction(false));
  // Closing the layer drops the copy with the texture.
  await page.evaluate((layerId) => window.voxlens.close(layerId), id!);
  await page.evaluate(() => window.voxlens.frame());
  expect(await page.evaluate(() => window.voxlens.memory().buffers.filter((b) => b.pins.some((p) => p.label.includes('interaction level'))).length)).toBe(0);
});
