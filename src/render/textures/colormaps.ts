// 256-entry RGBA lookup tables, built from a few control points each.
import { DataTexture, LinearFilter, RGBAFormat, UnsignedByteType } from 'three';
import type { ColormapName } from '../../state/viewerStore';

type Stop = [t: number, r: number, g: number, b: number];

const STOPS: Record<ColormapName, Stop[]> = {
  gray: [[0, 0, 0, 0], [1, 255, 255, 255]],
  // DICOM MONOCHROME1 (the lowest value white): its default, the values left as stored.
  'gray-inverted': [[0, 255, 255, 255], [1, 0, 0, 0]],
  hot: [[0, 0, 0, 0], [0.375, 255, 0, 0], [0.75, 255, 255, 0], [1, 255, 255, 255]],
  // Marrow red through ivory: CT bone and tissue renderings.
  bone: [[0, 70, 20, 10], [0.35, 170, 80, 50], [0.7, 235, 205, 160], [1, 255, 250, 235]],
  // viridis, sampled at 9 points from matplotlib's table
  viridis: [
    [0, 68, 1, 84], [0.125, 71, 44, 122], [0.25, 59, 81, 139], [0.375, 44, 113, 142], [0.5, 33, 144, 141],
    [0.625, 39, 173, 129], [0.75, 92, 200, 99], [0.875, 170, 220, 50], [1, 253, 231, 37],
  ],
  cool: [[0, 0, 255, 255], [1, 255, 0, 255]],
  red: [[0, 0, 0, 0], [1, 255, 0, 0]],
  green: [[0, 0, 0, 0], [1, 0, 255, 0]],
  blue: [[0, 0, 0, 0], [1, 0, 0, 255]],
  // Label layers are coloured per value from their label table (textures/labelTables.ts); these
  // stops only draw the panel's swatch.
  label: [[0, 230, 25, 75], [0.2, 60, 180, 75], [0.4, 255, 225, 25], [0.6, 0, 130, 200], [0.8, 245, 130, 48], [1, 145, 30, 180]],
};

export function colormapTable(name: ColormapName): Uint8Array {
  const stops = STOPS[name];
  const out = new Uint8Array(256 * 4);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let s = 0;
    while (s < stops.length - 2 && t > stops[s + 1][0]) s++;
    const [t0, r0, g0, b0] = stops[s];
    const [t1, r1, g1, b1] = stops[s + 1];
    const f = t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 0;
    out.set([r0 + (r1 - r0) * f, g0 + (g1 - g0) * f, b0 + (b1 - b0) * f, 255].map(Math.round), i * 4);
  }
  return out;
}

/** CSS gradient of a colormap, for the layer panel's swatch. */
/** The colormap as a CSS gradient, low to high along `direction` (a colour bar runs 'to top'). */
export function colormapCss(name: ColormapName, direction = 'to right'): string {
  return `linear-gradient(${direction}, ${STOPS[name].map(([t, r, g, b]) => `rgb(${r},${g},${b}) ${Math.round(t * 100)}%`).join(', ')})`;
}

const cache = new Map<ColormapName, DataTexture>();

export function colormapTexture(name: ColormapName): DataTexture {
  let t = cache.get(name);
  if (!t) {
    t = new DataTexture(colormapTable(name), 256, 1, RGBAFormat, UnsignedByteType);
    t.minFilter = LinearFilter;
    t.magFilter = LinearFilter;
    t.needsUpdate = true;
    cache.set(name, t);
  }
  return t;
}
