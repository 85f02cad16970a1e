import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { applyBitsStored, frameLayout, HOST_LITTLE_ENDIAN, nativeFrameBytes, truncatedFrame } from './frame';

const grey = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const u16 = (...v: number[]) => new Uint8Array(new Uint16Array(v).buffer);
const i16 = (b: Uint8Array) => Array.from(new Int16Array(b.buffer, b.byteOffset, b.length / 2));
const uint16 = (b: Uint8Array) => Array.from(new Uint16Array(b.buffer, b.byteOffset, b.length / 2));

describe('frame layout', () => {
  it('the tests run on a little-endian host (as every browser Voxlens targets)', () => {
    expect(HOST_LITTLE_ENDIAN).toBe(true);
  });

  it('passes on the format refusals of storedDataType', () => {
    expect(frameLayout(grey({ bitsStored: 17 }), new Uint8Array(4))).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('BitsStored 17') });
  });

  it('sizes a native frame: samples × BitsAllocated / 8 a pixel, 2 bytes a pixel for 8-bit YBR_FULL_422', () => {
    expect(nativeFrameBytes(grey(), 3, 5)).toBe(30);
    expect(nativeFrameBytes(grey({ bitsAllocated: 8 }), 3, 5)).toBe(15);
    expect(nativeFrameBytes(grey({ bitsAllocated: 8, samplesPerPixel: 3, photometric: 'RGB' }), 3, 5)).toBe(45);
    expect(nativeFrameBytes(grey({ bitsAllocated: 8, samplesPerPixel: 3, photometric: ' ybr_full_422 ' }), 3, 4)).toBe(24);
    expect(nativeFrameBytes(grey({ bitsAllocated: 16, samplesPerPixel: 3, photometric: 'YBR_FULL_422' }), 3, 4)).toBe(72);
    expect(nativeFrameBytes(grey({ bitsAllocated: 8, samplesPerPixel: 3, photometric: 'YBR_FULL' }), 3, 4)).toBe(36);
  });

  it('sizes the frame from its slot', () => {
    expect(frameLayout(grey(), new Uint8Array(24))).toMatchObject({ kind: 'ok', value: { dataType: 'uint16', bytesPerValue: 2, samples: 1, pixels: 12 } });
    expect(frameLayout(grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB' }), new Uint8Array(24))).toMatchObject({ kind: 'ok', value: { pixels: 8 } });
  });

  it('a short source is truncated, with both sizes', () => {
    expect(truncatedFrame('native pixel data', 3, 8)).toEqual({ kind: 'error', code: 'truncated', message: 'native pixel data holds 3 bytes, the frame needs 8 (5 missing)' });
  });

  it('throws on a slot that is not a whole number of pixels (programmer error)', () => {
    expect(() => frameLayout(grey(), new Uint8Array(5))).toThrow(new RangeError('frame slot of 5 bytes is not a whole number of 2-byte pixels'));
    expect(() => frameLayout(grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB' }), new Uint8Array(7))).toThrow('frame slot of 7 bytes is not a whole number of 3-byte pixels');
  });
});

describe('applyBitsStored', () => {
  it('masks unsigned 12-in-16 values (overlay bits above BitsStored cleared)', () => {
    const f = u16(0xf123, 0x1fff, 0x8000, 0x0abc);
    applyBitsStored(f, grey({ bitsStored: 12, highBit: 11 }));
    expect(uint16(f)).toEqual([0x0123, 0x0fff, 0x0000, 0x0abc]);
  });

  it('sign-extends signed 12-in-16 values from bit 11', () => {
    const f = u16(0x0fff, 0x0800, 0x07ff, 0x0000, 0xf001, 0xa7ff);
    applyBitsStored(f, grey({ bitsStored: 12, highBit: 11, pixelRepresentation: 1 }));
    expect(i16(f)).toEqual([-1, -2048, 2047, 0, 1, 2047]);
  });

  it('shifts values whose HighBit is above BitsStored − 1 down to bit 0', () => {
    const unsigned = u16(0x1230, 0xfff7);
    applyBitsStored(unsigned, grey({ bitsStored: 12, highBit: 15 }));
    expect(uint16(unsigned)).toEqual([0x123, 0xfff]);
    const signed = u16(0xfff0, 0x8000, 0x7ff0, 0x0015);
    applyBitsStored(signed, grey({ bitsStored: 12, highBit: 15, pixelRepresentation: 1 }));
    expect(i16(signed)).toEqual([-1, -2048, 2047, 1]);
    const middle = u16(0b0101_1111_1111_1110); // bits 1..12 stored (HighBit 12)
    applyBitsStored(middle, grey({ bitsStored: 12, highBit: 12, pixelRepresentation: 1 }));
    expect(i16(middle)).toEqual([-1]);
  });

  it('skips the HighBit shift for right-aligned codec output', () => {
    const f = u16(0x0fff, 0xf123);
    applyBitsStored(f, grey({ bitsStored: 12, highBit: 15, pixelRepresentation: 1 }), true);
    expect(i16(f)).toEqual([-1, 0x123]);
  });

  it('leaves full-width values untouched', () => {
    const f = u16(0xffff, 0x8000);
    applyBitsStored(f, grey({ pixelRepresentation: 1 }));
    expect(i16(f)).toEqual([-1, -32768]);
  });

  it('handles 8-bit and 32-bit words', () => {
    const b = new Uint8Array([0x7f, 0x40, 0x3f, 0xc1]);
    applyBitsStored(b, grey({ bitsAllocated: 8, bitsStored: 7, highBit: 6, pixelRepresentation: 1 }));
    expect(Array.from(new Int8Array(b.buffer))).toEqual([-1, -64, 63, 65 - 128]);
    const w = new Uint8Array(new Uint32Array([0xff0fffff, 0x00080000, 0xffffffff]).buffer);
    applyBitsStored(w, grey({ bitsAllocated: 32, bitsStored: 20, highBit: 19, pixelRepresentation: 1 }));
    expect(Array.from(new Int32Array(w.buffer))).toEqual([-1, -(1 << 19), -1]);
    const m = new Uint8Array(new Uint32Array([0xffffffff, 0x80000001]).buffer);
    applyBitsStored(m, grey({ bitsAllocated: 32, bitsStored: 31, highBit: 30 }));
    expect(Array.from(new Uint32Array(m.buffer))).toEqual([0x7fffffff, 1]);
  });

  it('works on a slot that is not aligned to its word size', () => {
    const backing = new Uint8Array(9);
    backing.set(u16(0x0fff, 0xf800, 0x1001, 0x07ff), 1);
    const slot = backing.subarray(1);
    applyBitsStored(slot, grey({ bitsStored: 12, highBit: 11, pixelRepresentation: 1 }));
    const view = new DataView(backing.buffer, 1);
    expect([0, 2, 4, 6].map((o) => view.getInt16(o, true))).toEqual([-1, -2048, 1, 2047]);
    expect(backing[0]).toBe(0);
  });

  it('masks RGB samples (colour bytes are unsigned, whatever PixelRepresentation says)', () => {
    const b = new Uint8Array([0xff, 0x80, 0x7f, 0x40, 0x3f, 0xc1]);
    applyBitsStored(b, grey({ bitsAllocated: 8, bitsStored: 7, highBit: 6, pixelRepresentation: 1, samplesPerPixel: 3, photometric: 'RGB' }));
    expect(Array.from(b)).toEqual([0x7f, 0, 0x7f, 0x40, 0x3f, 0x41]);
  });

  it('leaves a trailing partial value alone, aligned or not', () => {
    const aligned = new Uint8Array([0xff, 0xff, 0xff]);
    applyBitsStored(aligned, grey({ bitsStored: 12, highBit: 11 }));
    expect(Array.from(aligned)).toEqual([0xff, 0x0f, 0xff]);
    const backing = new Uint8Array([0, 0xff, 0xff, 0xff]);
    applyBitsStored(backing.subarray(1), grey({ bitsStored: 12, highBit: 11 }));
    expect(Array.from(backing)).toEqual([0, 0xff, 0x0f, 0xff]);
  });

  it('works on 8-bit values at any offset', () => {
    const backing = new Uint8Array([0xff, 0xff, 0x80, 0x7f, 0xc1, 0xff]);
    applyBitsStored(backing.subarray(1, 5), grey({ bitsAllocated: 8, bitsStored: 7, highBit: 6, pixelRepresentation: 1 }));
    expect(Array.from(new Int8Array(backing.buffer))).toEqual([-1, -1, 0, -1, 65 - 128, -1]);
  });

  it('works on 32-bit words not aligned to 4 bytes', () => {
    const backing = new Uint8Array(10);
    const view = new DataView(backing.buffer);
    view.setUint32(2, 0xff0fffff, true);
    view.setUint32(6, 0x00080000, true);
    applyBitsStored(backing.subarray(2), grey({ bitsAllocated: 32, bitsStored: 20, highBit: 19, pixelRepresentation: 1 }));
    expect([view.getInt32(2, true), view.getInt32(6, true)]).toEqual([-1, -(1 << 19)]);
    expect(Array.from(backing.subarray(0, 2))).toEqual([0, 0]);
    view.setUint32(2, 0xfff12345, true);
    applyBitsStored(backing.subarray(2, 6), grey({ bitsAllocated: 32, bitsStored: 16, highBit: 19 }));
    expect(view.getUint32(2, true)).toBe(0x1234); // bits 4..19
  });
});
