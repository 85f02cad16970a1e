// The sidebar as a reader meets it: collapsible sections (by click and keyboard, remembered across
// a reload) in the order Layers, Probe, Pins, Measurements, 3D, DICOM, Details (memory folded); the
// `?` help overlay; a profile plot tall enough to read with labelled axes; tables that stay inside
// a 340 px sidebar; and screenshots of it all at 1024 and 1920 px for a look by eye.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { loadInPage, openEmpty, serveFixtures } from './helpers';

// 24 × 20 × 16 int16 at 2 × 2 × 3 mm (a ramp, scaled × 0.5 + 100), a float32 map with long
// fractions on the same grid, and a 4D copy for the time course.
const dims = [24, 20, 16];
const affine = [2, 0, 0, -23, 0, 2, 0, -19, 0, 0, 3, -22.5, 0, 0, 0, 1];
const n = dims[0] * dims[1] * dims[2];

function ramp(frames = 1): Uint8Array {
  const data = new Int16Array(n * frames);
  for (let v = 0; v < n * frames; v++) data[v] = (v % n) % 997 + 1000 * Math.floor(v / n);
  const file = encodeNifti({ dims: frames > 1 ? [...dims, frames] : dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(data.buffer), affine, slope: 0.5, inter: 100 });
  // No time unit (xyzt_units: mm only), so the frames have no stated repetition time and count from 1.
  file[123] = 2;
  return file;
}

function floatMap(): Uint8Array {
  const data = new Float32Array(n);
  for (let v = 0; v < n; v++) data[v] = Math.sin(v * 0.37) * 1234.56789 + 0.000123;
  return encodeNifti({ dims, datatypeCode: 16, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(data.buffer), affine });
}

function labels(): Uint8Array {
  const data = new Uint8Array(n);
  for (let v = 0; v < n; v++) data[v] = v < n / 3 ? 0 : v < (2 * n) / 3 ? 17 : 253;
  return encodeNifti({ dims, datatypeCode: 2, bitpix: 8, data, affine, intentCode: 1002 });
}

async function open(page: Page, files: string[] = ['ramp.nii']): Promise<string[]> {
  await serveFixtures(page, { 'ramp.nii': ramp(), 'map-with-a-long-name.nii': floatMap(), 'ramp4d.nii': ramp(4), 'labels.nii': labels() });
  await openEmpty(page);
  const ids: string[] = [];
  for (const f of files) ids.push((await loadInPage(page, `/__fixtures__/${f}`)).id!);
  return ids;
}

const toggle = (page: Page, section: string) => page.locator(`[data-section="${section}"] > h2 > button`);

/** Draws a line, then an ellipse, in the axial pane with the mouse (fractions of the pane). */
async function drawLineAndRoi(page: Page): Promise<void> {
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  const drag = async (tool: string, from: [number, number], to: [number, number]) => {
    await page.getByTestId(`tool-${tool}`).click();
    await page.mouse.move(box.x + box.width * from[0], box.y + box.height * from[1]);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * (from[0] + to[0]) / 2, box.y + box.height * (from[1] + to[1]) / 2, { steps: 2 });
    await page.mouse.move(box.x + box.width * to[0], box.y + box.height * to[1], { steps: 2 });
    await page.mouse.up();
  };
  await drag('line', [0.2, 0.5], [0.8, 0.5]);
  await drag('ellipse', [0.35, 0.3], [0.6, 0.45]);
  await page.getByTestId('tool-crosshair').click();
}

test('sections fold by click and keyboard and stay folded across a reload; Layers first, memory behind Details', async ({ page }) => {
  await open(page);
  const order = await page.getByTestId('sidebar').locator(':scope > section').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
  expect(order).toEqual(['layers', 'probe', 'pins', 'measure', 'segment', 'volume3d', 'details']);
  // Every section but Details is open, with the panels' own test ids inside.
  for (const s of ['layers', 'probe', 'pins', 'measure', 'volume3d']) await expect(toggle(page, s)).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('layer-panel')).toBeVisible();
  await expect(page.getByTestId('volume-panel')).toBeVisible();
  await expect(toggle(page, 'details')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('memory-panel')).toBeHidden();
  await toggle(page, 'details').click();
  await expect(page.getByTestId('memory-panel')).toBeVisible();
  await expect(page.getByTestId('texture-formats')).toContainText('R16I');

  // Click folds the probe; Enter and Space on the focused heading fold and unfold the layers.
  await toggle(page, 'probe').click();
  await expect(toggle(page, 'probe')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('probe-world')).toBeHidden();
  await toggle(page, 'layers').focus();
  await page.keyboard.press('Enter');
  await expect(toggle(page, 'layers')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('layer-panel')).toBeHidden();
  await page.keyboard.press('Space');
  await expect(toggle(page, 'layers')).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('layer-panel')).toBeVisible();
  await page.keyboard.press('Enter');

  // After a reload the folds are as they were left.
  await page.reload();
  await page.waitForFunction(() => typeof window.voxlens === 'object');
  await loadInPage(page, '/__fixtures__/ramp.nii');
  await expect(toggle(page, 'probe')).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle(page, 'layers')).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle(page, 'details')).toHaveAttribute('aria-expanded', 'true');
  await expect(toggle(page, 'measure')).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('memory-panel')).toBeVisible();
  await expect(page.getByTestId('probe-world')).toBeHidden();
});

test('? opens the help overlay with every shortcut, Escape and ? close it, ? typed in a field does not', async ({ page }) => {
  await open(page);
  // The toolbar's hint moved into the overlay.
  await expect(page.locator('.toolbar .hint')).toHaveCount(0);
  const help = page.getByTestId('help-overlay');
  await page.getByTestId('tool-line').click();
  await page.getByTestId('view-axial').hover();
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  for (const text of ['1 – 6', '↑ / ↓, PgUp / PgDn', 'Escape', 'Tab', 'Ctrl + wheel', 'Right-drag', 'Middle-drag', 'Shift + click', 'Double-click', 'Rotate', 'Pick']) await expect(help).toContainText(text);
  // Escape closes the help and leaves the measurement tool alone.
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(page.getByTestId('tool-line')).toHaveAttribute('aria-pressed', 'true');
  // The toolbar button opens it, ? closes it.
  await page.getByTestId('help-button').click();
  await expect(help).toBeVisible();
  await page.keyboard.press('?');
  await expect(help).toBeHidden();
  // In a text field ? is a character.
  await page.evaluate(() => window.voxlens.pins.add([1, 1, 0], 'P1'));
  const label = page.getByTestId('pins-panel').getByLabel('Label of P1');
  await label.click();
  await page.keyboard.press('End');
  await page.keyboard.press('?');
  await expect(label).toHaveValue('P1?');
  await expect(help).toHaveCount(0);
});

test('the line profile is at least 140 px tall with labelled axes; the time course counts frames from 1', async ({ page }) => {
  await open(page, ['ramp.nii', 'ramp4d.nii']);
  await drawLineAndRoi(page);
  const plot = page.getByTestId('profile-plot');
  await expect(plot.locator('canvas')).toHaveCount(1);
  const area = (await plot.locator('.u-over').boundingBox())!;
  expect(area.height).toBeGreaterThanOrEqual(140);
  // uPlot draws axis labels on its canvas; the chart names what it drew on its host.
  const chart = plot.locator('.chart');
  await expect(chart).toHaveAttribute('data-x-label', 'Distance (mm)');
  await expect(chart).toHaveAttribute('data-y-label', 'Scaled value');
  const course = page.getByTestId('timecourse-plot');
  await expect(course.locator('.chart')).toHaveAttribute('data-x-label', 'Frame');
  await expect(course.locator('.chart')).toHaveAttribute('data-y-label', 'Scaled value');
  expect((await course.locator('.u-over').boundingBox())!.height).toBeGreaterThanOrEqual(140);
  // The legend's x reads the first frame as 1 (hovering the left edge of the plot).
  await course.scrollIntoViewIfNeeded();
  const over = (await course.locator('.u-over').boundingBox())!;
  await page.mouse.move(over.x + 2, over.y + over.height / 2, { steps: 2 });
  await expect(course.locator('.u-legend .u-series').first().locator('.u-value')).toHaveText('1');
});

/** Every table in the sidebar lies inside its section, and the sidebar does not scroll sideways. */
async function expectTablesInside(page: Page): Promise<void> {
  const report = await page.getByTestId('sidebar').evaluate((sidebar) => {
    const out: string[] = [];
    if (sidebar.scrollWidth > sidebar.clientWidth + 1) out.push(`sidebar scrolls sideways: ${sidebar.scrollWidth} > ${sidebar.clientWidth}`);
    for (const table of sidebar.querySelectorAll('table')) {
      const section = table.closest('section.section')!.getBoundingClientRect();
      const t = table.getBoundingClientRect();
      if (t.left < section.left - 0.5 || t.right > section.right + 0.5) out.push(`${table.className} ${t.left}–${t.right} outside ${section.left}–${section.right}`);
      // Numbers are never clipped or spilled into the next column (layer names may end in an ellipsis).
      for (const cell of table.querySelectorAll<HTMLElement>('td:not(.layer-name), th')) {
        if (cell.scrollWidth > cell.clientWidth + 1) out.push(`${table.className} cell "${cell.textContent}" ${cell.scrollWidth} > ${cell.clientWidth}`);
      }
      // Neighbouring cells' text keeps a visible gap (headers such as "n" and "mm²" must not read as one word).
      const textBox = (cell: Element) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return range.getBoundingClientRect();
      };
      for (const row of table.querySelectorAll('tr')) {
        const cells = [...row.children].filter((c) => c.textContent?.trim());
        for (let i = 1; i < cells.length; i++) {
          // A cell that clips its text (an ellipsis) shows only what lies inside it.
          const clips = (c: Element) => getComputedStyle(c).overflow === 'hidden';
          const prev = cells[i - 1], next = cells[i];
          const prevRight = clips(prev) ? Math.min(textBox(prev).right, prev.getBoundingClientRect().right) : textBox(prev).right;
          const nextLeft = clips(next) ? Math.max(textBox(next).left, next.getBoundingClientRect().left) : textBox(next).left;
          const gap = nextLeft - prevRight;
          if (gap < 4) out.push(`${table.className} "${cells[i - 1].textContent}" and "${cells[i].textContent}" ${gap.toFixed(1)} px apart`);
        }
      }
    }
    return out;
  });
  expect(report).toEqual([]);
}

for (const width of [1024, 1920]) {
  test(`at ${width} px the sidebar tables stay inside their panel (screenshots)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await open(page, ['ramp.nii', 'map-with-a-long-name.nii', 'labels.nii']);
    await page.evaluate(() => window.voxlens.pins.add([-3.7, 1.1, 0.5], 'lesion'));
    await page.evaluate(() => window.voxlens.pins.add([12.4, -11.9, 9.5]));
    await drawLineAndRoi(page);
    await expect(page.getByTestId('roi-stats')).toHaveCount(3);
    const volumes = page.getByTestId('label-volumes');
    await volumes.getByRole('button', { name: 'Count' }).click();
    await expect(volumes.getByTestId('label-volume')).toHaveCount(3);
    await expectTablesInside(page);
    // The toolbar holds its controls and the help button on one row (the old hint was cut off here).
    const first = (await page.getByRole('button', { name: 'Open…' }).boundingBox())!;
    const helpButton = (await page.getByTestId('help-button').boundingBox())!;
    expect(Math.abs(helpButton.y + helpButton.height / 2 - (first.y + first.height / 2))).toBeLessThan(2);
    expect(helpButton.x + helpButton.width).toBeLessThanOrEqual(width);
    const dir = 'test-results-helper2';
    const sidebar = page.getByTestId('sidebar');
    await page.screenshot({ path: `${dir}/app-${width}.png` });
    // The whole sidebar, unscrolled: a window tall enough to hold it.
    const tall = await sidebar.evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top);
    await page.setViewportSize({ width, height: Math.ceil(tall) });
    await sidebar.screenshot({ path: `${dir}/sidebar-${width}.png` });
    // Each section apart, at full size for a close look.
    for (const section of await sidebar.locator(':scope > section').all()) {
      await section.screenshot({ path: `${dir}/sidebar-${width}-${await section.getAttribute('data-section')}.png` });
    }
    await page.setViewportSize({ width, height: 900 });
    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await page.screenshot({ path: `${dir}/help-${width}.png` });
  });
}
