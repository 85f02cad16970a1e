import { describe, expect, it } from 'vitest';
import { nextOverlayColormap, OVERLAY_COLORMAPS, overlayWindow } from './overlayDefaults';
import type { ColormapName } from './viewerStore';

const withMap = (colormap: ColormapName) => ({ display: { colormap } }) as never;

describe('nextOverlayColormap', () => {
  it('gives each later overlay a colormap no overlay uses, starting with hot; the base layer does not count', () => {
    expect(nextOverlayColormap([withMap('gray')])).toBe('hot');
    expect(nextOverlayColormap([withMap('hot'), withMap('gray')])).toBe('hot');
    expect(nextOverlayColormap([withMap('gray'), withMap('hot')])).toBe('green');
    expect(nextOverlayColormap([withMap('gray'), withMap('green'), withMap('label')])).toBe('hot');
    expect(nextOverlayColormap([withMap('gray'), withMap('hot'), withMap('green')])).toBe('blue');
  });
  it('cycles when every one is taken', () => {
    const all = [withMap('gray'), ...OVERLAY_COLORMAPS.map(withMap)];
    expect(OVERLAY_COLORMAPS).toContain(nextOverlayColormap(all));
    expect(OVERLAY_COLORMAPS).not.toContain('cool');
  });
});

describe('overlayWindow', () => {
  const tails = { pos: [2.5, 12] as [number, number], neg: [2, 7] as [number, number] };
  it('shows a signed map as its two tails (positive window, negative in cool), scaled', () => {
    expect(overlayWindow({ tails }, 1, 0, [-1, 2])).toEqual({ window: [2.5, 12], negative: { colormap: 'cool', window: [2, 7] } });
    expect(overlayWindow({ tails }, 0.5, 0, [-1, 2])).toEqual({ window: [1.25, 6], negative: { colormap: 'cool', window: [1, 3.5] } });
  });
  it('keeps the fallback where raw 0 is not value 0, the slope is negative, or the map is not signed', () => {
    expect(overlayWindow({ tails }, 1, 5, [-1, 2])).toEqual({ window: [-1, 2], negative: null });
    expect(overlayWindow({ tails }, -1, 0, [-1, 2])).toEqual({ window: [-1, 2], negative: null });
    expect(overlayWindow({}, 1, 0, [0, 9])).toEqual({ window: [0, 9], negative: null });
  });
  it('never gives an empty window, and no negative tail without negative values', () => {
    const w = overlayWindow({ tails: { pos: [3, 3], neg: [0, 0] } }, 1, 0, [0, 1]);
    expect(w.window[1]).toBeGreaterThan(w.window[0]);
    expect(w.negative).toBeNull();
  });
});
