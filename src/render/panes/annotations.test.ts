import { describe, expect, it } from 'vitest';
import { invert } from '../../volume/affine';
import type { ColormapName } from '../../state/viewerStore';
import { colourBarLayer, frameLayer, sliceOf } from './annotations';

const layer = (colormap: ColormapName, dims = [4, 4, 4], visible = true, datatype = 'int16') => ({ dims, datatype, display: { colormap, visible } }) as never;

describe('sliceOf', () => {
  const affine = [2, 0, 0, -10, 0, 3, 0, 0, 0, 0, 1.5, 5, 0, 0, 0, 1];
  const l = { dims: [10, 20, 30], affine };
  it('counts the crosshair’s slice from 1 along the voxel axis that runs along the normal', () => {
    expect(sliceOf(l, invert(affine), [-10, 0, 5], 2)).toEqual({ slice: 1, of: 30 });
    expect(sliceOf(l, invert(affine), [-10, 0, 5 + 1.5 * 29], 2)).toEqual({ slice: 30, of: 30 });
    expect(sliceOf(l, invert(affine), [-10, 3 * 7, 5], 1)).toEqual({ slice: 8, of: 20 });
    expect(sliceOf(l, invert(affine), [-10 + 2 * 4.4, 0, 5], 0)).toEqual({ slice: 5, of: 10 });
  });
  it('is null outside the layer', () => {
    expect(sliceOf(l, invert(affine), [-10, 0, 5 - 1.5], 2)).toBeNull();
    expect(sliceOf(l, invert(affine), [-10, 0, 5 + 1.5 * 30], 2)).toBeNull();
  });
  it('follows a permuted affine (voxel k along world x)', () => {
    const p = [0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1];
    expect(sliceOf({ dims: [3, 4, 9], affine: p }, invert(p), [6, 1, 2], 0)).toEqual({ slice: 7, of: 9 });
  });
});

describe('colourBarLayer and frameLayer', () => {
  it('explains the topmost visible coloured layer, never grey or labels', () => {
    const hot = layer('hot');
    const green = layer('green');
    expect(colourBarLayer([layer('gray'), hot, layer('label')])).toBe(hot);
    expect(colourBarLayer([layer('gray'), hot, green])).toBe(green);
    expect(colourBarLayer([layer('gray'), hot, layer('green', [4, 4, 4], false)])).toBe(hot);
    expect(colourBarLayer([layer('gray')])).toBeUndefined();
  });
  it('explains no colour (RGB) layer: it shows its own colours whatever colormap its display holds', () => {
    const hot = layer('hot');
    expect(colourBarLayer([hot, layer('green', [4, 4, 4], true, 'rgb48')])).toBe(hot);
    expect(colourBarLayer([hot, layer('green', [4, 4, 4], true, 'rgb24')])).toBe(hot);
    expect(colourBarLayer([layer('green', [4, 4, 4], true, 'rgba32')])).toBeUndefined();
  });
  it('steps the topmost visible 4D layer', () => {
    const a = layer('gray', [4, 4, 4, 10]);
    const b = layer('hot', [4, 4, 4, 3]);
    expect(frameLayer([a, layer('hot')])).toBe(a);
    expect(frameLayer([a, b])).toBe(b);
    expect(frameLayer([a, layer('hot', [4, 4, 4, 3], false)])).toBe(a);
    expect(frameLayer([layer('gray'), layer('gray', [4, 4, 4, 1])])).toBeUndefined();
  });
});
