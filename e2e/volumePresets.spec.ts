// 3D presets and lighting: each preset (3D Slicer's, volume/presets.ts) applied to small phantoms
// in its units renders something, its points and colours round-trip through setTransfer, shading
// changes a sphere and leaves a constant region one grey, and the preset menu shows thumbnails
// rendered from the volume with the active preset marked.
import { expect, test, type Page } from '@playwright/test';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { grab } from './pixels';
import { openEmpty, serveFixtures } from './helpers';

type V3 = [number, number, number];
const N = 32;
const RADIUS_MM = 13;

/** A float32 N³ volume, 1 mm voxels, its centre at the world origin (RAS). */
function volume(value: (w: V3) => number): Uint8Array {
  const c = (N - 1) / 2;
  const affine = [1, 0, 0, -c, 0, 1, 0, -c, 0, 0, 1, -c, 0, 0, 0, 1];
  const data = new Float32Array(N * N * N);
  for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) for (let i = 0; i < N; i++) data[i + N * (j + N * k)] = value([i - c, j - c, k - c]);
  return encodeNifti({ dims: [N, N, N], datatypeCode: 16, bytesPerValue: 4, bitpix: 32, data: new Uint8Array(data.buffer), affine });
}

/** A cone: `lo` at RADIUS_MM and beyond, rising linearly to `hi` at the centre, so every value between shows as a shell. */
const cone = (lo: number, hi: number) => volume((w) => lo + (hi - lo) * Math.max(0, 1 - Math.hypot(...w) / RADIUS_MM));

const FIXTURES = {
  'ct.nii': cone(-1000, 1500),
  'mr.nii': cone(0, 800),
  'fa.nii': cone(0, 1),
  // A ball of bone on the patient's right (+x), in air: the thumbnails must show it on their left.
  'right.nii': volume((w) => (Math.hypot(w[0] - 8, w[1], w[2]) < 6 ? 1200 : -1000)),
  'flat.nii': volume(() => 100),
};

async function open3d(page: Page, name: keyof typeof FIXTURES): Promise<string> {
  await serveFixtures(page, FIXTURES);
  await openEmpty(page, 'layout=3d');
  await page.getByLabel('Show crosshair lines').uncheck();
  return loadOnly(page, name);
}

/** Closes what is open and loads `name`, in composite mode. */
async function loadOnly(page: Page, name: string): Promise<string> {
  return page.evaluate(async (file) => {
    for (const l of window.voxlens.layers()) window.voxlens.close(l.id);
    const { id } = await window.voxlens.load(`/__fixtures__/${file}`);
    window.voxlens.setRenderMode('composite');
    return id;
  }, name);
}

/** Pixels of the 3D pane brighter than 30 in some channel (every third pixel each way). */
async function litPixels(page: Page): Promise<number> {
  await page.evaluate(() => window.voxlens.frame());
  const shot = await grab(page.getByTestId('view-3d'));
  let n = 0;
  for (let y = 0; y < shot.height; y += 3) for (let x = 0; x < shot.width; x += 3) if (Math.max(...shot.at(x, y)) > 30) n++;
  return n;
}

test.describe('rendering', () => {
  test.use({ viewport: { width: 620, height: 420 } });

  test('presets render something on a phantom in their units; points and colours round-trip through setTransfer', async ({ page }) => {
    const ct = await open3d(page, 'ct.nii');
    const presets = await page.evaluate(() => window.voxlens.presets());
    const names = presets.map((p) => p.name);
    for (const n of ['CT-AAA', 'CT-Bone', 'CT-Cardiac', 'CT-Chest-Contrast-Enhanced', 'CT-Lung', 'CT-MIP', 'CT-Muscle', 'CT-Soft-Tissue', 'MR-Angio', 'MR-Default', 'MR-MIP', 'MR-T2-Brain'])
      expect(names).toContain(n);
    for (const p of presets) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['name', 'points', 'colors', 'shading']));
      expect(typeof p.shading).toBe('boolean');
    }
    // A CT volume opens with CT-AAA.
    expect((await page.evaluate((id) => window.voxlens.transfer(id), ct)).preset).toBe('CT-AAA');
    expect(await litPixels(page)).toBeGreaterThan(100);

    // Every preset's points and colours, through setTransfer, come back the same (and name it).
    const trips = await page.evaluate((id) => {
      return window.voxlens.presets().map((p) => {
        window.voxlens.setTransfer(id, { points: p.points, colors: p.colors });
        const back = window.voxlens.transfer(id);
        return { name: p.name, same: JSON.stringify([back.points, back.colors]) === JSON.stringify([p.points, p.colors]), named: back.preset };
      });
    }, ct);
    for (const t of trips) expect(t, t.name).toEqual({ name: t.name, same: true, named: t.name });
    // A colormap given without colours goes back to colouring by the colormap.
    await page.evaluate((id) => window.voxlens.setTransfer(id, { points: [[0, 0], [1000, 1]], colormap: 'hot' }), ct);
    expect(await page.evaluate((id) => window.voxlens.transfer(id).colors, ct)).toBeNull();

    const groups: [string, string[]][] = [
      ['ct.nii', ['CT-AAA', 'CT-Bone', 'CT-Cardiac', 'CT-Chest-Contrast-Enhanced', 'CT-Lung', 'CT-MIP', 'CT-Muscle', 'CT-Soft-Tissue', 'CT-Air', 'CT-Fat']],
      ['mr.nii', ['MR-Angio', 'MR-Default', 'MR-MIP', 'MR-T2-Brain']],
      ['fa.nii', ['DTI-FA-Brain']],
    ];
    let id = ct;
    for (const [file, group] of groups) {
      if (file !== 'ct.nii') id = await loadOnly(page, file);
      for (const name of group) {
        await page.evaluate(([layer, n]) => window.voxlens.applyPreset(layer, n), [id, name] as const);
        const applied = await page.evaluate((layer) => window.voxlens.transfer(layer), id);
        const preset = presets.find((p) => p.name === name)!;
        expect(applied.preset).toBe(name);
        expect(applied.shading.on).toBe(preset.shading);
        expect(await litPixels(page), `${name} on ${file}`).toBeGreaterThan(60);
      }
    }
    // Bad input is refused by name.
    const errors = await page.evaluate((id) => {
      const tries = [
        () => window.voxlens.applyPreset(id, 'CT-Nothing'),
        () => window.voxlens.setTransfer(id, { points: [[0, 0], [1, 1]], colors: [[0, 2, 0, 0]] }),
        () => window.voxlens.setTransfer(id, { points: [[0, 0], [1, 1]], colors: [[0, 1, 0]] as never }),
        () => window.voxlens.setShading(id, { ambient: 3 }),
        () => window.voxlens.setShading(id, { specularPower: 0 }),
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
    expect(errors.filter((e) => e === 'accepted')).toEqual([]);
    expect(errors[0]).toContain('CT-AAA');
  });

  test('shading on and off differ on a sphere (brighter where it faces the camera); a constant region shades to one grey', async ({ page }) => {
    const id = await open3d(page, 'mr.nii');
    await page.evaluate((layer) => {
      window.voxlens.setCamera({ azimuth: 0, elevation: 0, zoom: 1.6 });
      // An opaque grey surface where the cone passes 300: a sphere of radius 13 × 5/8 mm.
      window.voxlens.setTransfer(layer, { points: [[0, 0], [299, 0], [300, 1], [800, 1]], colors: [[0, 0.8, 0.8, 0.8], [800, 0.8, 0.8, 0.8]] });
      window.voxlens.setShading(layer, { on: false });
    }, id);
    await page.evaluate(() => window.voxlens.frame());
    const off = await grab(page.getByTestId('view-3d'));
    await page.evaluate((layer) => window.voxlens.setShading(layer, { on: true, ambient: 0.1, diffuse: 0.9, specular: 0 }), id);
    await page.evaluate(() => window.voxlens.frame());
    const on = await grab(page.getByTestId('view-3d'));
    await page.getByTestId('view-3d').screenshot({ path: test.info().outputPath('sphere-shaded.png') });
    // The disc along its middle row: where the unshaded grey is lit.
    const cy = Math.floor(off.height / 2);
    const litXs = Array.from({ length: off.width }, (_, x) => x).filter((x) => off.at(x, cy)[0] > 100);
    expect(litXs.length).toBeGreaterThan(40);
    const [left, right] = [Math.min(...litXs), Math.max(...litXs)];
    const cx = Math.round((left + right) / 2);
    const rimX = Math.round(cx + 0.85 * ((right - left) / 2));
    let differ = 0;
    for (let y = 0; y < off.height; y += 2) for (let x = 0; x < off.width; x += 2) if (Math.abs(on.at(x, y)[0] - off.at(x, y)[0]) > 8) differ++;
    expect(differ).toBeGreaterThan(200);
    // Unshaded, the disc is flat: its centre and a point near its rim have the same grey.
    expect(Math.abs(off.at(cx, cy)[0] - off.at(rimX, cy)[0])).toBeLessThan(4);
    // Shaded with a headlight: the centre faces the camera and is lit fully; towards the rim it darkens.
    expect(on.at(cx, cy)[0]).toBeGreaterThan(on.at(rimX, cy)[0] + 20);
    expect(Math.abs(on.at(cx, cy)[0] - 0.8 * 255)).toBeLessThan(12);

    // A constant volume: no gradient anywhere, so shading only scales the colour by ambient + diffuse.
    const flat = await loadOnly(page, 'flat.nii');
    await page.evaluate((layer) => {
      window.voxlens.setCamera({ azimuth: 30, elevation: 20, zoom: 1.2 });
      window.voxlens.setTransfer(layer, { points: [[0, 1], [200, 1]], colors: [[0, 0.5, 0.5, 0.5], [200, 0.5, 0.5, 0.5]] });
      window.voxlens.setShading(layer, { on: true, ambient: 0.3, diffuse: 0.5, specular: 0.8, specularPower: 10 });
    }, flat);
    await page.evaluate(() => window.voxlens.frame());
    await page.getByTestId('view-3d').screenshot({ path: test.info().outputPath('flat.png') });
    const shot = await grab(page.getByTestId('view-3d'));
    const want = 0.5 * (0.3 + 0.5) * 255;
    const values: number[] = [];
    let outline = 0;
    for (let y = Math.floor(shot.height * 0.3); y < shot.height * 0.7; y++)
      for (let x = Math.floor(shot.width * 0.3); x < shot.width * 0.7; x++) {
        const [r, g, b] = shot.at(x, y);
        // The box outline is drawn over the rendering in blue: its far edges cross the faces.
        if (b > r + 3) outline++;
        else {
          expect(Math.abs(r - g) + Math.abs(g - b)).toBeLessThanOrEqual(2);
          values.push(r);
        }
      }
    expect(outline).toBeLessThan(values.length / 10);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(Math.floor(want) - 1);
    expect(Math.max(...values)).toBeLessThanOrEqual(Math.ceil(want) + 1);
  });
});

test.describe('the preset menu', () => {
  test.use({ viewport: { width: 1000, height: 760 } });

  test('shows a thumbnail of each preset rendered from the volume and marks the active one', async ({ page }) => {
    const id = await open3d(page, 'right.nii');
    await page.getByTestId('preset-menu-button').click();
    const menu = page.getByTestId('preset-menu');
    const count = await page.evaluate(() => window.voxlens.presets().length);
    await expect(menu.locator('canvas[data-ready="true"]')).toHaveCount(count, { timeout: 30_000 });
    // Each thumbnail: lit pixels, and their centroid (the ball on the patient's right) on the left half.
    const stats = await menu.locator('canvas').evaluateAll((canvases) =>
      canvases.map((c) => {
        const canvas = c as HTMLCanvasElement;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let lit = 0;
        let sx = 0;
        for (let i = 0; i < px.length; i += 4)
          if (Math.max(px[i], px[i + 1], px[i + 2]) > 30) {
            lit++;
            sx += (i / 4) % canvas.width;
          }
        return { label: canvas.getAttribute('aria-label'), lit, meanX: lit ? sx / lit / canvas.width : -1, hash: Array.from(px.slice(0, px.length)).reduce((h, v) => (h * 31 + v) >>> 0, 7) };
      }),
    );
    expect(stats).toHaveLength(count);
    const bone = stats.find((s) => s.label?.startsWith('CT-Bone '))!;
    expect(bone.lit).toBeGreaterThan(200);
    expect(bone.meanX).toBeLessThan(0.45);
    // Most presets show the ball or the air around it; they are not one image repeated.
    expect(stats.filter((s) => s.lit > 20).length).toBeGreaterThan(count / 2);
    expect(new Set(stats.map((s) => s.hash)).size).toBeGreaterThan(count / 2);

    // The CT default is marked; a click applies another and marks it instead.
    await expect(page.getByTestId('preset-CT-AAA')).toHaveAttribute('aria-pressed', 'true');
    await page.getByTestId('preset-CT-Bone').click();
    await expect(page.getByTestId('preset-CT-Bone')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('preset-CT-AAA')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('preset-menu-button')).toContainText('CT-Bone');
    const style = await page.evaluate((layer) => window.voxlens.transfer(layer), id);
    expect(style.preset).toBe('CT-Bone');
    expect(style.shading.on).toBe(true);
    await expect(page.getByLabel('Shading', { exact: true })).toBeChecked();
    await page.evaluate(() => window.voxlens.frame());
    await page.screenshot({ path: test.info().outputPath('preset-menu.png') });
    // Editing a point makes it a custom function: no preset is marked.
    await page.evaluate((layer) => window.voxlens.setTransfer(layer, { points: [[0, 0], [500, 0.5]] }), id);
    await expect(page.getByTestId('preset-menu-button')).toContainText('custom');
    await expect(menu.locator('[aria-pressed="true"]')).toHaveCount(0);
  });
});
