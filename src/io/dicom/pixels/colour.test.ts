// The colour conversions of native pixel data: YBR_FULL and YBR_FULL_422 to RGB, and palettes,
// on values worked out by hand (the decoders' tests in io/dicom reach them through whole files).
import { describe, expect, it } from 'vitest';
import type { DicomPalette, DicomPixelFormat } from '../types';
import { applyPalette, writeYbr422Frame, ybrFullToRgb, ybrFullToRgbInPlace } from './colour';

const format = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'PALETTE COLOR', ...o,
});

describe('YBR_FULL → RGB', () => {
  it('converts by the PS3.3 equations, rounding, clamped to 0..255 on both sides', () => {
    expect(ybrFullToRgb(128, 128, 128)).toEqual([128, 128, 128]);
    // r = 100 + 1.402 × 20 = 128.04, g = 100 − 0.344136 × (−30) − 0.714136 × 20 = 96.04, b = 100 + 1.772 × (−30) = 46.84
    expect(ybrFullToRgb(100, 98, 148)).toEqual([128, 96, 47]);
    // Past either end: r = 255 + 178.05 and b = 255 − 226.8; r = 0 − 179.5.
    expect(ybrFullToRgb(255, 0, 255)).toEqual([255, 208, 28]);
    expect(ybrFullToRgb(0, 0, 255)).toEqual([178, 0, 0]);
    expect(ybrFullToRgb(0, 255, 0)).toEqual([0, 48, 225]);
  });

  it('converts whole pixels in place and leaves a trailing partial pixel alone', () => {
    const pixels = Uint8Array.from([100, 98, 148, 128, 128, 128, 7, 9]);
    ybrFullToRgbInPlace(pixels);
    expect(Array.from(pixels)).toEqual([128, 96, 47, 128, 128, 128, 7, 9]);
    const five = Uint8Array.from([128, 128, 128, 0, 255]);
    ybrFullToRgbInPlace(five);
    expect(Array.from(five)).toEqual([128, 128, 128, 0, 255]);
  });
});

describe('YBR_FULL_422 → RGB', () => {
  it('two lumas share each chroma pair', () => {
    const target = new Uint8Array(12);
    expect(writeYbr422Frame(Uint8Array.from([100, 128, 98, 148, 0, 255, 128, 128, 9, 9]), target)).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(target)).toEqual([128, 96, 47, ...ybrFullToRgb(128, 98, 148), 0, 0, 0, 255, 255, 255]);
  });

  it('refuses an odd pixel count and a short source, with the numbers', () => {
    expect(writeYbr422Frame(new Uint8Array(10), new Uint8Array(9))).toEqual({ kind: 'error', code: 'bad-header', message: 'YBR_FULL_422 needs an even number of pixels per frame (Columns even), not 3' });
    const target = new Uint8Array(12).fill(7);
    expect(writeYbr422Frame(new Uint8Array(7), target)).toEqual({ kind: 'error', code: 'truncated', message: 'YBR_FULL_422 pixel data (2 bytes a pixel) holds 7 bytes, the frame needs 8 (1 missing)' });
    expect(target.every((b) => b === 7)).toBe(true);
  });
});

describe('applyPalette', () => {
  const palette: DicomPalette = { first: 100, red: Uint8Array.from([1, 2, 3, 4]), green: Uint8Array.from([11, 12, 13, 14]), blue: Uint8Array.from([21, 22, 23, 24]) };
  const rgb = (k: number) => [palette.red[k], palette.green[k], palette.blue[k]];

  it('maps 8-bit values from the first entry on, clamping below and above', () => {
    const target = new Uint8Array(5 * 3);
    applyPalette(Uint8Array.from([99, 100, 102, 103, 200]), format(), palette, target);
    expect(Array.from(target)).toEqual([...rgb(0), ...rgb(0), ...rgb(2), ...rgb(3), ...rgb(3)]);
  });

  it('reads 16-bit values in host order, signed where PixelRepresentation is 1', () => {
    const target = new Uint8Array(4 * 3);
    applyPalette(new Uint8Array(Uint16Array.from([101, 1000, 65535, 100]).buffer), format({ bitsAllocated: 16, bitsStored: 16, highBit: 15 }), palette, target);
    expect(Array.from(target)).toEqual([...rgb(1), ...rgb(3), ...rgb(3), ...rgb(0)]);
    const signed = { ...palette, first: -2 };
    const s = new Uint8Array(4 * 3);
    applyPalette(new Uint8Array(Int16Array.from([-3, -2, 0, 1]).buffer), format({ bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 1 }), signed, s);
    expect(Array.from(s)).toEqual([...rgb(0), ...rgb(0), ...rgb(2), ...rgb(3)]);
    const s8 = new Uint8Array(3 * 3);
    applyPalette(Uint8Array.from([0xfe, 0xff, 0x01]), format({ pixelRepresentation: 1 }), signed, s8);
    expect(Array.from(s8)).toEqual([...rgb(0), ...rgb(1), ...rgb(3)]);
  });

  it('reads 16-bit values from a slot that is not at the start of its buffer', () => {
    const backing = new Uint8Array(2 + 4);
    new DataView(backing.buffer).setUint16(2, 102, true);
    new DataView(backing.buffer).setUint16(4, 101, true);
    const target = new Uint8Array(2 * 3);
    applyPalette(backing.subarray(2), format({ bitsAllocated: 16, bitsStored: 16, highBit: 15 }), palette, target);
    expect(Array.from(target)).toEqual([...rgb(2), ...rgb(1)]);
  });
});
