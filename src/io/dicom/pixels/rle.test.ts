import { describe, expect, it } from 'vitest';
import type { Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { writeNativeFrame } from './nativeFrame';
import { decodeRleFrame } from './rle';
import { encodeRle, rleFrame, rleHeader } from './testEncoders';

const grey = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const int16 = grey({ bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 1 });
const rgb = grey({ samplesPerPixel: 3, photometric: 'RGB' });
const i16 = (b: Uint8Array) => Array.from(new Int16Array(b.buffer, b.byteOffset, b.length / 2));
const refusal = (r: Result<void>, code: string, ...named: string[]) => {
  expect(r).toMatchObject({ kind: 'error', code });
  if (r.kind === 'error') for (const n of named) expect(r.message).toContain(n);
};

/** A slot in the middle of a larger buffer filled with a sentinel, to catch writes outside it. */
function guardedSlot(bytes: number) {
  const memory = new Uint8Array(bytes + 32).fill(0xa5);
  const slot = memory.subarray(16, 16 + bytes);
  const outside = () => [...memory.subarray(0, 16), ...memory.subarray(16 + bytes)].every((b) => b === 0xa5);
  return { slot, outside };
}

describe('decodeRleFrame', () => {
  it('decodes an 8-bit frame of literal, run and no-op codes', () => {
    // 3 literal bytes, a run of 4 × 9, a no-op (−128), a run of 2 × 0, one literal byte.
    const src = rleFrame([[2, 10, 20, 30, 0xfd, 9, 0x80, 0xff, 0, 0, 77]]);
    const target = new Uint8Array(10);
    expect(decodeRleFrame(src, target, grey())).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(target)).toEqual([10, 20, 30, 9, 9, 9, 9, 0, 0, 77]);
  });

  it('decodes 16-bit signed values from a high-byte and a low-byte segment', () => {
    // −1, 0x1234, −32768, 5, 5, 5: high bytes ff 12 80 00 00 00, low bytes ff 34 00 05 05 05.
    const high = [2, 0xff, 0x12, 0x80, 0xfe, 0x00];
    const low = [2, 0xff, 0x34, 0x00, 0xfe, 0x05];
    const target = new Uint8Array(12);
    expect(decodeRleFrame(rleFrame([high, low]), target, int16).kind).toBe('ok');
    expect(i16(target)).toEqual([-1, 0x1234, -32768, 5, 5, 5]);
  });

  it('decodes RGB from one segment per sample into interleaved pixels', () => {
    const target = new Uint8Array(12);
    const frame = rleFrame([[0xfd, 255], [3, 0, 64, 128, 192], [0xfe, 7, 0, 1]]);
    expect(decodeRleFrame(frame, target, rgb).kind).toBe('ok');
    expect(Array.from(target)).toEqual([255, 0, 7, 255, 64, 7, 255, 128, 7, 255, 192, 1]);
  });

  it('sign-extends 12 bits stored in 16 and masks unsigned ones', () => {
    // 0x0FFF with overlay-free high bits, 0xF800 (garbage above bit 11).
    const segments = [[1, 0x0f, 0xf8], [1, 0xff, 0x00]];
    const signed = new Uint8Array(4);
    expect(decodeRleFrame(rleFrame(segments), signed, grey({ bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 1 })).kind).toBe('ok');
    expect(i16(signed)).toEqual([-1, -2048]);
    const unsigned = new Uint8Array(4);
    expect(decodeRleFrame(rleFrame(segments), unsigned, grey({ bitsAllocated: 16, bitsStored: 12, highBit: 11 })).kind).toBe('ok');
    expect(Array.from(new Uint16Array(unsigned.buffer))).toEqual([0x0fff, 0x0800]);
  });

  it('round-trips random frames against the native decoder (8, 16 signed, 32, RGB, 16-bit RGB)', () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const formats = [grey(), grey({ bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 1 }), grey({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }), rgb, grey({ bitsAllocated: 16, bitsStored: 16, highBit: 15, samplesPerPixel: 3, photometric: 'RGB' })];
    for (const format of formats) {
      const bytes = (format.bitsAllocated / 8) * format.samplesPerPixel * 37 * 5;
      // Runs and noise: each value repeats a random number of times.
      const native = new Uint8Array(bytes);
      for (let i = 0; i < bytes; ) {
        const v = random();
        const n = random() % 5 === 0 ? random() : 1;
        for (let k = 0; k < n && i < bytes; k++) native[i++] = v;
      }
      const expected = new Uint8Array(bytes);
      expect(writeNativeFrame(native, expected, format, true).kind).toBe('ok');
      const target = new Uint8Array(bytes);
      expect(decodeRleFrame(encodeRle(native, format.bitsAllocated / 8, format.samplesPerPixel), target, format).kind).toBe('ok');
      expect(target).toEqual(expected);
    }
  });

  it('ignores a segment padding byte after its plane is full', () => {
    const target = new Uint8Array(3);
    expect(decodeRleFrame(rleFrame([[2, 1, 2, 3, 0x00]]), target, grey()).kind).toBe('ok');
    expect(Array.from(target)).toEqual([1, 2, 3]);
  });

  it('refuses a segment count that does not match the format', () => {
    refusal(decodeRleFrame(rleFrame([[0xfd, 1]]), new Uint8Array(8), int16), 'bad-header', 'lists 1 segments', 'needs 2');
    refusal(decodeRleFrame(rleHeader([64], 16), new Uint8Array(4), grey()), 'bad-header', '16 segments');
    // 15 is the most a header can list: refused for not matching the format, not for the count.
    expect(decodeRleFrame(rleHeader([64], 15), new Uint8Array(4), grey())).toEqual({
      kind: 'error',
      code: 'bad-header',
      message: 'RLE header lists 15 segments, the format needs 1 (SamplesPerPixel 1 × BitsAllocated 8 / 8)',
    });
    expect(decodeRleFrame(rleHeader([64], 16), new Uint8Array(4), grey())).toEqual({ kind: 'error', code: 'bad-header', message: 'RLE header lists 16 segments (at most 15)' });
  });

  it('refuses a segment that starts at the frame\'s end, with the numbers', () => {
    const src = rleFrame([[1, 1, 2], [1, 3, 4]]);
    src.set(rleHeader([64, src.length]));
    expect(decodeRleFrame(src, new Uint8Array(4), int16)).toEqual({ kind: 'error', code: 'truncated', message: `RLE segment 1 starts at byte ${src.length}, but the frame holds ${src.length} bytes` });
  });

  it('passes on the format refusals of storedDataType', () => {
    expect(decodeRleFrame(rleFrame([[0xfd, 1]]), new Uint8Array(4), grey({ bitsStored: 9 }))).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('BitsStored 9') });
  });

  it('refuses a frame shorter than its header', () => {
    refusal(decodeRleFrame(new Uint8Array(40), new Uint8Array(4), grey()), 'truncated', '40 bytes');
  });

  it('refuses lying offsets with typed errors, writing nothing outside the slot', () => {
    const good = rleFrame([[1, 1, 2], [1, 3, 4]]);
    const cases: [string, number[], string][] = [
      ['inside the header', [10, 68], 'bad-offset'],
      ['out of order', [68, 64], 'bad-offset'],
      ['repeated', [64, 64], 'bad-offset'],
      ['past the end', [64, 5000], 'truncated'],
    ];
    for (const [, offsets, code] of cases) {
      const src = good.slice();
      src.set(rleHeader(offsets));
      const { slot, outside } = guardedSlot(4);
      const r = decodeRleFrame(src, slot, int16);
      expect(r).toMatchObject({ kind: 'error', code });
      if (r.kind === 'error') expect(r.message).toMatch(/segment 1|segment 0/);
      expect(outside()).toBe(true);
    }
  });

  it('refuses runs and literals longer than the plane (a lying length), never writing past the slot', () => {
    for (const segment of [[0x81, 7], [127, ...new Array<number>(128).fill(3)], [1, 1, 2, 0xfe, 9]]) {
      const { slot, outside } = guardedSlot(4);
      refusal(decodeRleFrame(rleFrame([segment]), slot, grey()), 'bad-header', 'more than the frame');
      expect(outside()).toBe(true);
    }
  });

  it('refuses a truncated segment, with the numbers', () => {
    // A literal promising 4 bytes with 2 given; a plane of 6 given 3; a run missing its byte.
    refusal(decodeRleFrame(rleFrame([[3, 1, 2]]), new Uint8Array(4), grey()), 'truncated', 'segment 0');
    refusal(decodeRleFrame(rleFrame([[0xfe, 1]]), new Uint8Array(6), grey()), 'truncated', '3 of the frame\'s 6 pixels');
    const src = rleFrame([[0xfe, 1], [0xfe]]);
    refusal(decodeRleFrame(src.subarray(0, src.length - 1), new Uint8Array(6), int16), 'truncated', 'segment 1');
  });

  it('never throws or writes outside the slot on mutated frames', () => {
    const native = new Uint8Array(2 * 64);
    for (let i = 0; i < native.length; i++) native[i] = (i * 37) % 11 < 4 ? 0 : i & 0xff;
    const good = encodeRle(native, 2, 1);
    let seed = 99;
    const random = (n: number) => ((seed = (seed * 1664525 + 1013904223) >>> 0) >>> 8) % n;
    for (let round = 0; round < 2000; round++) {
      const src = good.slice(0, random(4) === 0 ? random(good.length) : good.length);
      for (let k = random(4) + 1; k > 0 && src.length > 0; k--) src[random(src.length)] = random(256);
      const { slot, outside } = guardedSlot(native.length);
      const r = decodeRleFrame(src, slot, int16);
      if (r.kind === 'error') expect(['bad-header', 'bad-offset', 'truncated']).toContain(r.code);
      expect(outside()).toBe(true);
    }
  });
});
