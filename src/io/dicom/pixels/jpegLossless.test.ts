import { describe, expect, it } from 'vitest';
import type { Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { decodeJpegLosslessFrame, readJpegFrameHeader } from './jpegLossless';
import { encodeJpegLossless } from './testEncoders';

const grey = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const refusal = (r: Result<unknown>, code: string, ...named: string[]) => {
  expect(r).toMatchObject({ kind: 'error', code });
  if (r.kind === 'error') for (const n of named) expect(r.message).toContain(n);
};
const pattern = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('decodeJpegLosslessFrame', () => {
  it('reads the frame header after other marker segments', () => {
    const src = encodeJpegLossless(pattern(12, (i) => i), 3, 4, 8);
    expect(readJpegFrameHeader(src)).toEqual({ kind: 'ok', value: { sof: 0xc3, precision: 8, rows: 3, columns: 4, components: 1 } });
  });

  it('decodes 8-bit grey', () => {
    const values = pattern(7 * 9, (i) => (i * 29) % 256);
    const target = new Uint8Array(values.length);
    expect(decodeJpegLosslessFrame(encodeJpegLossless(values, 7, 9, 8), target, grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7 }))).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(target)).toEqual(values);
  });

  it('decodes 16-bit unsigned, full range', () => {
    const values = pattern(5 * 6, (i) => (i * 7919 + (i % 3) * 40000) % 65536);
    const target = new Uint8Array(values.length * 2);
    expect(decodeJpegLosslessFrame(encodeJpegLossless(values, 5, 6, 16), target, grey()).kind).toBe('ok');
    expect(Array.from(new Uint16Array(target.buffer))).toEqual(values);
  });

  it('sign-extends signed 12-bit values coded as their bit patterns (precision 12)', () => {
    const signed = pattern(4 * 4, (i) => (i % 2 ? -1 : 1) * ((i * 131) % 2048));
    signed[0] = -2048;
    signed[1] = 2047;
    const target = new Uint8Array(signed.length * 2);
    const format = grey({ bitsStored: 12, highBit: 11, pixelRepresentation: 1 });
    expect(decodeJpegLosslessFrame(encodeJpegLossless(signed.map((v) => v & 0xfff), 4, 4, 12), target, format).kind).toBe('ok');
    expect(Array.from(new Int16Array(target.buffer))).toEqual(signed);
  });

  it('decodes 8-bit RGB into interleaved pixels', () => {
    const values = pattern(3 * 5 * 3, (i) => (i * 53) % 256);
    const target = new Uint8Array(values.length);
    const format = grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB' });
    expect(decodeJpegLosslessFrame(encodeJpegLossless(values, 3, 5, 8, 3), target, format).kind).toBe('ok');
    expect(Array.from(target)).toEqual(values);
  });

  it('keeps the last pixel when its code ends exactly before EOI (a decoder bug worked around)', () => {
    // Eight pixels of 128 at precision 8: eight 5-bit zero codes, 40 bits, no padding bits.
    const src = encodeJpegLossless(new Array<number>(8).fill(128), 2, 4, 8);
    expect(Array.from(src.subarray(src.length - 3))).toEqual([0x00, 0xff, 0xd9]);
    const target = new Uint8Array(8);
    expect(decodeJpegLosslessFrame(src, target, grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7 })).kind).toBe('ok');
    expect(Array.from(target)).toEqual(new Array(8).fill(128));
  });

  it('accepts fill bytes before EOI, zero padding after it, or no EOI at all', () => {
    const values = pattern(24, (i) => (i * 41) % 256);
    const src = encodeJpegLossless(values, 4, 6, 8);
    const scan = src.subarray(0, src.length - 2);
    const format = grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7 });
    for (const tail of [[0xff, 0xff, 0xd9], [0xff, 0xff, 0xff, 0xd9, 0x00], [0xff, 0xd9, 0x00, 0x00], []]) {
      const stream = new Uint8Array([...scan, ...tail]);
      const target = new Uint8Array(24);
      expect(decodeJpegLosslessFrame(stream, target, format).kind).toBe('ok');
      expect(Array.from(target)).toEqual(values);
    }
  });

  it('does not change the caller\'s stream', () => {
    const src = encodeJpegLossless(new Array<number>(8).fill(128), 2, 4, 8);
    const before = src.slice();
    decodeJpegLosslessFrame(src, new Uint8Array(8), grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7 }));
    expect(src).toEqual(before);
  });

  it('writes into its slot of a shared buffer and nowhere else', () => {
    const values = pattern(16, (i) => i * 100);
    const memory = new Uint8Array(new SharedArrayBuffer(64)).fill(0xee);
    const slot = memory.subarray(16, 48);
    expect(decodeJpegLosslessFrame(encodeJpegLossless(values, 4, 4, 16), slot, grey()).kind).toBe('ok');
    expect(Array.from(new Uint16Array(memory.buffer, 16, 16))).toEqual(values);
    expect([...memory.subarray(0, 16), ...memory.subarray(48)]).toEqual(new Array(32).fill(0xee));
  });

  it('refuses a frame header that does not match the slot or the format', () => {
    const src = encodeJpegLossless(pattern(12, (i) => i), 3, 4, 12);
    const bad = (message: string) => ({ kind: 'error', code: 'bad-header', message });
    expect(decodeJpegLosslessFrame(src, new Uint8Array(26), grey())).toEqual(bad('JPEG frame is 4×3 (12 pixels), the DICOM frame has 13 pixels'));
    expect(decodeJpegLosslessFrame(src, new Uint8Array(36), grey({ samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, highBit: 7, photometric: 'RGB' }))).toEqual(bad('JPEG frame has 1 components, SamplesPerPixel is 3'));
    expect(decodeJpegLosslessFrame(src, new Uint8Array(12), grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7 }))).toEqual(bad('JPEG sample precision 12 does not fit BitsAllocated 8'));
    expect(decodeJpegLosslessFrame(encodeJpegLossless([0, 1, 1, 0], 2, 2, 1), new Uint8Array(8), grey())).toEqual(bad('JPEG sample precision 1 does not fit BitsAllocated 16'));
    expect(decodeJpegLosslessFrame(src, new Uint8Array(48), grey({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }))).toEqual({ kind: 'error', code: 'unsupported-format', message: 'JPEG Lossless with BitsAllocated 32 is not supported (at most 16)' });
    expect(decodeJpegLosslessFrame(src, new Uint8Array(12), grey({ bitsStored: 17 }))).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('BitsStored 17') });
  });

  it('decodes the edge precision 2', () => {
    const target = new Uint8Array(8);
    expect(decodeJpegLosslessFrame(encodeJpegLossless([0, 1, 3, 2], 2, 2, 2), target, grey({ bitsStored: 2, highBit: 1 }))).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(new Uint16Array(target.buffer))).toEqual([0, 1, 3, 2]);
  });

  it('refuses frames that are not lossless process 14', () => {
    const src = encodeJpegLossless(pattern(12, (i) => i), 3, 4, 8);
    const sof = src.findIndex((b, i) => b === 0xff && src[i + 1] === 0xc3);
    src[sof + 1] = 0xc1;
    expect(decodeJpegLosslessFrame(src, new Uint8Array(12), grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7 }))).toEqual({ kind: 'error', code: 'unsupported-format', message: 'JPEG frame type SOF1 (FF C1) is not lossless process 14 (SOF3, FF C3)' });
  });

  it('refuses what is not a JPEG stream, and headers cut short', () => {
    const format = grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7 });
    refusal(decodeJpegLosslessFrame(new Uint8Array([1, 2, 3, 4]), new Uint8Array(4), format), 'bad-header', 'SOI');
    refusal(decodeJpegLosslessFrame(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]), new Uint8Array(4), format), 'bad-header', 'SOS');
    const src = encodeJpegLossless(pattern(12, (i) => i), 3, 4, 8);
    const sos = src.findIndex((b, i) => b === 0xff && src[i + 1] === 0xda);
    for (const cut of [3, 8, 20, 40, sos + 4]) refusal(decodeJpegLosslessFrame(src.subarray(0, cut), new Uint8Array(12), format), 'truncated', 'ends inside its headers');
    refusal(decodeJpegLosslessFrame(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), new Uint8Array(4), format), 'bad-header', 'EOI');
  });

  it('refuses a stream cut inside its scan as truncated', () => {
    const values = pattern(16 * 16, (i) => (i * 7919) % 65536);
    const src = encodeJpegLossless(values, 16, 16, 16);
    // (A cut inside the last pixel's code cannot be told from padding: the decoder, like others,
    // takes what bits there are for it.)
    const sos = src.findIndex((b, i) => b === 0xff && src[i + 1] === 0xda);
    for (const cut of [7, 10, 200, src.length - sos - 20]) {
      refusal(decodeJpegLosslessFrame(src.subarray(0, src.length - cut), new Uint8Array(512), grey()), 'truncated', 'ends before the frame\'s 256 pixels');
    }
    expect(src.length).toBe(657);
    expect(decodeJpegLosslessFrame(src.subarray(0, 457), new Uint8Array(512), grey())).toEqual({ kind: 'error', code: 'truncated', message: "JPEG Lossless stream of 457 bytes ends before the frame's 256 pixels are decoded (169 were)" });
    expect(decodeJpegLosslessFrame(src.subarray(0, 650), new Uint8Array(512), grey())).toEqual({ kind: 'error', code: 'truncated', message: "JPEG Lossless stream of 650 bytes ends before the frame's 256 pixels are decoded" });
  });

});
