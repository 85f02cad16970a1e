import { expect, test } from './fixtures';

test.describe('the viewer on its built-in sample', () => {
  test('opens the sample, labels orientation, probes under the cursor, pages with the wheel', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    await page.waitForFunction(() => window.voxlens?.layers().length === 1);
    await page.evaluate(() => window.voxlens.frame());
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    const view = page.getByTestId('view-axial');
    // The sample's header asks for a brain window (cal_min 0, cal_max 80).
    await expect(page.getByLabel('Window low')).toHaveValue('0');
    await expect(page.getByLabel('Window high')).toHaveValue('80');
    await expect(view.getByTestId('orient-left')).toHaveText('R');
    await expect(view.getByTestId('orient-right')).toHaveText('L');
    await expect(view.getByTestId('orient-top')).toHaveText('A');
    await expect(view.getByTestId('orient-bottom')).toHaveText('P');

    // The picture is not empty: the phantom's bright skull and grey brain are drawn.
    const png = await view.screenshot();
    expect(png.length).toBeGreaterThan(5000);

    // Hover a point; the panel shows exactly what the API's CPU probe reads there.
    const box = (await view.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.3);
    await expect(page.getByTestId('probe-panel')).toContainText('under cursor');
    const raw = await page.getByTestId('probe-raw').textContent();
    const ijk = (await page.getByTestId('probe-ijk').textContent())!.split(',').map(Number);
    const fromApi = await page.evaluate((at) => window.voxlens.probe({ ijk: at })[0], ijk);
    expect(Number(raw)).toBe(fromApi.raw);
    await expect(page.getByTestId('probe-scaled')).toContainText(String((fromApi.raw as number) - 1024));

    // Wheel pages the slice: up (deltaY < 0) moves superior by one voxel (1.6 mm).
    await expect(view.getByTestId('slice-label')).toHaveText(/^(Axial )?[SI] 0\.0 mm$/);
    await page.mouse.wheel(0, -100);
    await expect(view.getByTestId('slice-label')).toHaveText(/^(Axial )?S 1\.6 mm$/);
    await page.mouse.wheel(0, 100);
    await page.mouse.wheel(0, 100);
    await expect(view.getByTestId('slice-label')).toHaveText(/^(Axial )?I 1\.6 mm$/);
    expect(errors).toEqual([]);
  });

  test('neurological convention puts the patient right on the screen right', async ({ page }) => {
    await page.goto('/');
    await page.waitForFunction(() => window.voxlens?.layers().length === 1);
    const view = page.getByTestId('view-axial');
    await page.getByLabel(/Radiological/).uncheck();
    await expect(view.getByTestId('orient-left')).toHaveText('L');
    await expect(view.getByTestId('orient-right')).toHaveText('R');
  });
});
