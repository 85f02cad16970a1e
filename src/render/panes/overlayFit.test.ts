import { describe, expect, it } from 'vitest';
import { fitOverlays } from './overlayFit';

describe('fitOverlays', () => {
  it('draws every overlay that fits the 16 texture units, in draw order', () => {
    // 1 + 5 for the base; 2 per one-slab overlay: five fit, the sixth does not.
    const six = Array.from({ length: 6 }, () => ({ slabs: 1, label: false }));
    expect(fitOverlays(1, six)).toEqual({ drawn: [0, 1, 2, 3, 4], leftOut: [5] });
    expect(fitOverlays(1, [])).toEqual({ drawn: [], leftOut: [] });
  });
  it('places a segmentation before another overlay that precedes it, and keeps the draw order', () => {
    // The base (4 slabs) leaves 7 units: the 5-slab image (6) and the segmentation (2) cannot both fit.
    const stack = [{ slabs: 5, label: false }, { slabs: 1, label: true }];
    expect(fitOverlays(4, stack)).toEqual({ drawn: [1], leftOut: [0] });
    // Exactly full: 16 − 3 − 5 = 8 = 6 + 2.
    expect(fitOverlays(3, stack)).toEqual({ drawn: [0, 1], leftOut: [] });
    // Both segmentations before the image between them.
    expect(fitOverlays(4, [{ slabs: 1, label: true }, { slabs: 4, label: false }, { slabs: 1, label: true }])).toEqual({ drawn: [0, 2], leftOut: [1] });
  });
});
