import type { Locator, Page } from '@playwright/test';
import { PNG } from 'pngjs';

/** A screenshot of an element as RGBA pixels. */
export async function grab(locator: Locator): Promise<{ width: number; height: number; at(x: number, y: number): [number, number, number] }> {
  const png = PNG.sync.read(await locator.screenshot());
  return {
    width: png.width,
    height: png.height,
    at(x, y) {
      const o = (Math.floor(y) * png.width + Math.floor(x)) * 4;
      return [png.data[o], png.data[o + 1], png.data[o + 2]];
    },
  };
}

/** The grey level a gray-colormap layer should show for a scaled value under a window. */
export function expectedGrey(scaled: number, window: [number, number]): number {
  const t = Math.min(1, Math.max(0, (scaled - window[0]) / (window[1] - window[0])));
  return Math.round(t * 255);
}

/** World point under a pixel of the axial view, computed by the page's own geometry. */
export async function worldAtPixel(page: Page, x: number, y: number, box: { x: number; y: number }): Promise<[number, number, number]> {
  await page.mouse.move(box.x + x, box.y + y);
  const text = await page.getByTestId('probe-world').textContent();
  const m = /World RAS ([-\d.]+), ([-\d.]+), ([-\d.]+)/.exec(text ?? '');
  if (!m) throw new Error(`no world coordinate in "${text}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}
