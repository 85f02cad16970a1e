import { describe, expect, it } from 'vitest';
import { thumbnailRgba } from './thumbnail';

const grey = { slope: 1, intercept: 0, maxSize: 96, bitsStored: 8 };
const pixel = (rgba: Uint8ClampedArray, p: number) => Array.from(rgba.subarray(p * 4, p * 4 + 4));

describe('thumbnailRgba', () => {
  it('windows grey values; MONOCHROME1 is drawn inverted, as the layer is', () => {
    const frame = Uint8Array.from([0, 50, 100, 200]);
    const opts = { ...grey, dataType: 'uint8' as const, window: [0, 200] as [number, number] };
    const m2 = thumbnailRgba(frame, 2, 2, { ...opts, monochrome1: false });
    const m1 = thumbnailRgba(frame, 2, 2, { ...opts, monochrome1: true });
    expect([0, 1, 3].map((p) => pixel(m2.rgba, p))).toEqual([[0, 0, 0, 255], [64, 64, 64, 255], [255, 255, 255, 255]]);
    expect([0, 1, 3].map((p) => pixel(m1.rgba, p))).toEqual([[255, 255, 255, 255], [191, 191, 191, 255], [0, 0, 0, 255]]);
  });

  it('draws colour in colour: rgb24 as stored, rgb48 over its BitsStored range', () => {
    const rgb24 = Uint8Array.from([10, 20, 30, 200, 100, 0]);
    expect(thumbnailRgba(rgb24, 1, 2, { ...grey, dataType: 'rgb24', monochrome1: false })).toEqual({ width: 2, height: 1, rgba: Uint8ClampedArray.from([10, 20, 30, 255, 200, 100, 0, 255]) });
    const rgb48 = new Uint8Array(Uint16Array.from([4095, 0, 2048, 1000, 4000, 4095]).buffer);
    const t = thumbnailRgba(rgb48, 1, 2, { ...grey, dataType: 'rgb48', monochrome1: false, bitsStored: 12 });
    expect(Array.from(t.rgba)).toEqual([255, 0, 128, 255, 62, 249, 255, 255]);
  });

  it('shrinks to maxSize a side, nearest sampling', () => {
    const frame = new Uint8Array(200 * 100).map((_, p) => (p % 200 < 100 ? 0 : 255));
    const t = thumbnailRgba(frame, 100, 200, { ...grey, dataType: 'uint8', monochrome1: false, window: [0, 255], maxSize: 50 });
    expect([t.width, t.height]).toEqual([50, 25]);
    expect([pixel(t.rgba, 0)[0], pixel(t.rgba, 49)[0]]).toEqual([0, 255]);
  });

  it("keeps the file's window over the percentiles, and takes the 2nd–98th percentile without one", () => {
    // 100 values 0…99 (rescaled ×2 + 10): the file's window [10, 60] saturates half; the percentiles span 14…206.
    const frame = Uint8Array.from({ length: 100 }, (_, p) => p);
    const opts = { ...grey, dataType: 'uint8' as const, monochrome1: false, slope: 2, intercept: 10 };
    const windowed = thumbnailRgba(frame, 10, 10, { ...opts, window: [10, 60] });
    expect([0, 10, 25, 99].map((p) => pixel(windowed.rgba, p)[0])).toEqual([0, 102, 255, 255]);
    const auto = thumbnailRgba(frame, 10, 10, opts);
    expect([0, 2, 50, 98, 99].map((p) => pixel(auto.rgba, p)[0])).toEqual([0, 0, 128, 255, 255]);
    // A window of no width is no window: the percentiles again.
    const flat = thumbnailRgba(frame, 10, 10, { ...opts, window: [110, 110] });
    expect(Array.from(flat.rgba)).toEqual(Array.from(auto.rgba));
  });

  it('places every colour pixel by row and column; rgb24 ignores BitsStored', () => {
    // 2 × 2 rgb24: pixel p is [p, 10p, 100 + p].
    const frame = Uint8Array.from([0, 1, 2, 3].flatMap((p) => [p, 10 * p, 100 + p]));
    const t = thumbnailRgba(frame, 2, 2, { ...grey, dataType: 'rgb24', monochrome1: false, bitsStored: 12 });
    expect(Array.from(t.rgba)).toEqual([0, 1, 2, 3].flatMap((p) => [p, 10 * p, 100 + p, 255]));
  });

  it('shrinks rows as well as columns', () => {
    // 100 rows × 200 columns, the bottom half white: a 50 × 25 thumbnail is white from row 13 (source row 52).
    const frame = new Uint8Array(200 * 100).map((_, p) => (p < 200 * 50 ? 0 : 255));
    const t = thumbnailRgba(frame, 100, 200, { ...grey, dataType: 'uint8', monochrome1: false, window: [0, 255], maxSize: 50 });
    expect([0, 12, 13, 24].map((row) => pixel(t.rgba, row * 50 + 7)[0])).toEqual([0, 0, 255, 255]);
  });
});
