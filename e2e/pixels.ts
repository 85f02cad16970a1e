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

/** A screenshot grabbed by `grab`. */
export type Shot = Awaited<ReturnType<typeof grab>>;

/** Mean and largest absolute difference of every channel of every pixel. */
export function difference(a: Shot, b: Shot): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  let n = 0;
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) {
      const p = a.at(x, y);
      const q = b.at(x, y);
      for (let c = 0; c < 3; c++) {
        const d = Math.abs(p[c] - q[c]);
        sum += d;
        max = Math.max(max, d);
        n++;
      }
    }
  return { mean: sum / n, max };
}

/** How many pixels differ in any channel. */
export function changedPixels(a: Shot, b: Shot): number {
  let n = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) if (a.at(x, y).some((c, i) => c !== b.at(x, y)[i])) n++;
  return n;
}

/** Lit pixels (red above 40) on a grid of every `step`-th pixel: the image shows something, so a difference of two black images cannot pass. */
export function litPixels(s: Shot, step = 2): number {
  let lit = 0;
  for (let y = 0; y < s.height; y += step) for (let x = 0; x < s.width; x += step) if (s.at(x, y)[0] > 40) lit++;
  return lit;
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
