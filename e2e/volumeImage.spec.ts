// The 3D pane always shows the image of the current state: after any layout round trip (the pane
// unmounted and mounted again), after closing and reopening the same file, after a camera step
// that follows such a remount, and over a repeated load → frame → compare loop. Each image is
// compared pixel for pixel with the one a fresh page draws in the same state.
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { loadInPage, openEmpty, serveFixtures } from './helpers';

const N = 24;
type Layout = 'axial' | 'coronal' | 'sagittal' | '3d' | '2x2' | '1+3';
const LAYOUTS: Layout[] = ['axial', 'coronal', 'sagittal', '3d', '2x2', '1+3'];
const SHOWS_3D = new Set<Layout>(['3d', '2x2', '1+3']);

/** An asymmetric phantom (a bright block off centre, a dimmer rod along x), so a mis-projection shows. */
function phantom(): Uint8Array {
  const data = new Uint8Array(N * N * N);
  for (let k = 0; k < N; k++)
    for (let j = 0; j < N; j++)
      for (let i = 0; i < N; i++) {
        const block = i >= 3 && i < 10 && j >= 12 && j < 20 && k >= 4 && k < 16;
        const rod = j >= 5 && j < 8 && k >= 15 && k < 19 && i >= 2;
        data[i + N * (j + N * k)] = block ? 220 : rod ? 140 : (i + 2 * j + 3 * k) % 7 === 0 ? 40 : 0;
      }
  const affine = [1.5, 0, 0, -17, 0, 1, 0, -12, 0, 0, 2, -20, 0, 0, 0, 1];
  return encodeNifti({ dims: [N, N, N], datatypeCode: 2, bitpix: 8, bytesPerValue: 1, data, affine });
}

test.use({ viewport: { width: 620, height: 420 } });

const POSE_A = { azimuth: 35, elevation: 20, zoom: 1.3 };
const POSE_B = { azimuth: -60, elevation: -10, zoom: 1.1 };

async function openAt(page: Page, layout: Layout): Promise<string> {
  await serveFixtures(page, { 'p.nii': phantom() });
  await openEmpty(page, `layout=${encodeURIComponent(layout)}`);
  await page.getByLabel('Show crosshair lines').uncheck();
  const id = await load(page);
  return id;
}

async function load(page: Page): Promise<string> {
  const { id, message } = await loadInPage(page, '/__fixtures__/p.nii');
  expect(id, message).toBeTruthy();
  await page.evaluate(([layerId, pose]) => {
    window.voxlens.setDisplay(layerId, { window: [0, 220] });
    window.voxlens.setRenderMode('mip', { projection: 'max' });
    window.voxlens.setCamera(pose);
  }, [id!, POSE_A] as const);
  await page.evaluate(() => window.voxlens.frame());
  return id!;
}

const shot3d = async (page: Page): Promise<PNG> => PNG.sync.read(await page.getByTestId('view-3d').screenshot());

/** Pixels whose RGB differ between two images of the same size. */
function differing(a: PNG, b: PNG): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let n = 0;
  for (let o = 0; o < a.data.length; o += 4) if (a.data[o] !== b.data[o] || a.data[o + 1] !== b.data[o + 1] || a.data[o + 2] !== b.data[o + 2]) n++;
  return n;
}

/** What a fresh page shows in the 3D pane of `layout`, at pose A and (after one camera step) pose B. */
async function references(page: Page): Promise<Map<string, PNG>> {
  const refs = new Map<string, PNG>();
  for (const layout of SHOWS_3D) {
    await openAt(page, layout);
    refs.set(`${layout} A`, await shot3d(page));
    await page.evaluate((pose) => window.voxlens.setCamera(pose), POSE_B);
    await page.evaluate(() => window.voxlens.frame());
    refs.set(`${layout} B`, await shot3d(page));
  }
  return refs;
}

async function switchTo(page: Page, layout: Layout): Promise<void> {
  await page.evaluate((l) => window.voxlens.setLayout(l), layout);
  await page.evaluate(() => window.voxlens.frame());
}

test('every ordered pair of layouts, and a camera step after the remount, leave the 3D pane as a fresh page draws it', async ({ page }) => {
  test.setTimeout(240_000);
  const refs = await references(page);
  // The fresh images are not blank, and the two poses differ: the comparison can fail.
  expect(differing(refs.get('2x2 A')!, refs.get('2x2 B')!)).toBeGreaterThan(500);

  await openAt(page, '2x2');
  expect(differing(await shot3d(page), refs.get('2x2 A')!), 'the page as opened').toBe(0);
  const wrong: string[] = [];
  for (const from of LAYOUTS)
    for (const to of LAYOUTS) {
      if (from === to) continue;
      await switchTo(page, from);
      await switchTo(page, to);
      const shown: Layout = SHOWS_3D.has(to) ? to : '2x2';
      if (shown !== to) await switchTo(page, shown);
      const d = differing(await shot3d(page), refs.get(`${shown} A`)!);
      if (d) wrong.push(`${from} → ${to}${shown !== to ? ' → 2x2' : ''}: ${d} pixels`);
    }
  expect(wrong, 'layout round trips whose 3D pane differs from a fresh page').toEqual([]);

  // The 3D pane mounted again (axial hides it): the next camera step is drawn at the new pose, not the last one.
  await switchTo(page, 'axial');
  await switchTo(page, '2x2');
  await page.evaluate((pose) => window.voxlens.setCamera(pose), POSE_B);
  await page.evaluate(() => window.voxlens.frame());
  expect(differing(await shot3d(page), refs.get('2x2 B')!), 'a camera step after a remount').toBe(0);
  await page.evaluate((pose) => window.voxlens.setCamera(pose), POSE_A);
  await page.evaluate(() => window.voxlens.frame());
  expect(differing(await shot3d(page), refs.get('2x2 A')!), 'and back').toBe(0);
});

test('closing and reopening the same file, and a layout round trip in between, draw what a fresh page draws', async ({ page }) => {
  const ref = await (async () => {
    await openAt(page, '2x2');
    return shot3d(page);
  })();
  await openAt(page, '2x2');
  const first = (await page.evaluate(() => window.voxlens.layers()))[0].id;
  await page.evaluate((id) => window.voxlens.close(id), first);
  await switchTo(page, 'axial');
  await switchTo(page, '2x2');
  await load(page);
  expect(differing(await shot3d(page), ref)).toBe(0);
  const second = (await page.evaluate(() => window.voxlens.layers()))[0].id;
  await page.evaluate((id) => window.voxlens.close(id), second);
  await load(page);
  expect(differing(await shot3d(page), ref)).toBe(0);
});

test.describe('repeated', () => {
  test.describe.configure({ retries: 0 });
  test('load → frame → compare, 20 times in a row, always the final image of the current state', async ({ page }) => {
    test.setTimeout(180_000);
    await openAt(page, '2x2');
    const ref = await shot3d(page);
    for (let round = 0; round < 20; round++) {
      const id = (await page.evaluate(() => window.voxlens.layers()))[0].id;
      await page.evaluate((layerId) => window.voxlens.close(layerId), id);
      await load(page);
      expect(differing(await shot3d(page), ref), `round ${round + 1}`).toBe(0);
    }
  });
});
