import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { writeNativeFrame } from './nativeFrame';

const grey = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const rgb = (o: Partial<DicomPixelFormat> = {}) => grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB', ...o });
const bytes16 = (values: number[], littleEndian: boolean) => {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, v & 0xffff, littleEndian));
  return out;
};
const i16 = (b: Uint8Array) => Array.from(new Int16Array(b.buffer, b.byteOffset, b.length / 2));
const u16 = (b: Uint8Array) => Array.from(new Uint16Array(b.buffer, b.byteOffset, b.length / 2));

describe('writeNativeFrame', () => {
  it('copies little-endian 16-bit values as they are', () => {
    const values = [0, 1, 0x1234, 0xffff, 0x8000, 42];
    const target = new Uint8Array(12);
    expect(writeNativeFrame(bytes16(values, true), target, grey(), true)).toEqual({ kind: 'ok', value: undefined });
    expect(u16(target)).toEqual(values);
  });

  it('swaps big-endian values into the host order', () => {
    const values = [0, 1, 0x1234, 0xfffe, 0x8000, 42];
    const target = new Uint8Array(12);
    expect(writeNativeFrame(bytes16(values, false), target, grey(), false).kind).toBe('ok');
    expect(u16(target)).toEqual(values);
  });

  it('masks 12 bits stored in 16 with overlay bits set (little and big endian)', () => {
    const raw = [0xf123, 0x1fff, 0x8000, 0x0abc];
    for (const le of [true, false]) {
      const target = new Uint8Array(8);
      expect(writeNativeFrame(bytes16(raw, le), target, grey({ bitsStored: 12, highBit: 11 }), le).kind).toBe('ok');
      expect(u16(target)).toEqual([0x123, 0xfff, 0, 0xabc]);
    }
  });

  it('sign-extends signed 12-bit values: 0x0FFF → −1 (little and big endian)', () => {
    const raw = [0x0fff, 0x0800, 0x07ff, 0xf001, 0x0000];
    for (const le of [true, false]) {
      const target = new Uint8Array(10);
      expect(writeNativeFrame(bytes16(raw, le), target, grey({ bitsStored: 12, highBit: 11, pixelRepresentation: 1 }), le).kind).toBe('ok');
      expect(i16(target)).toEqual([-1, -2048, 2047, 1, 0]);
    }
  });

  it('follows HighBit above BitsStored − 1 (values shifted down to bit 0)', () => {
    const target = new Uint8Array(4);
    expect(writeNativeFrame(bytes16([0xfff0, 0x7ff0], false), target, grey({ bitsStored: 12, highBit: 15, pixelRepresentation: 1 }), false).kind).toBe('ok');
    expect(i16(target)).toEqual([-1, 2047]);
  });

  it('swaps 32-bit big-endian signed values', () => {
    const src = new Uint8Array(8);
    const view = new DataView(src.buffer);
    view.setInt32(0, -123456, false);
    view.setInt32(4, 0x12345678, false);
    const target = new Uint8Array(8);
    expect(writeNativeFrame(src, target, grey({ bitsAllocated: 32, bitsStored: 32, highBit: 31, pixelRepresentation: 1 }), false).kind).toBe('ok');
    expect(Array.from(new Int32Array(target.buffer))).toEqual([-123456, 0x12345678]);
  });

  it('copies 8-bit signed values and masks 8-bit unsigned ones', () => {
    const target = new Uint8Array(3);
    expect(writeNativeFrame(new Uint8Array([0xff, 0x80, 0x7f]), target, grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 1 }), false).kind).toBe('ok');
    expect(Array.from(new Int8Array(target.buffer))).toEqual([-1, -128, 127]);
    expect(writeNativeFrame(new Uint8Array([0xff, 0x80, 0x7f]), target, grey({ bitsAllocated: 8, bitsStored: 6, highBit: 5 }), true).kind).toBe('ok');
    expect(Array.from(target)).toEqual([0x3f, 0, 0x3f]);
  });

  it('interleaves planar RGB (PlanarConfiguration 1)', () => {
    const planar = new Uint8Array([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24]);
    const target = new Uint8Array(12);
    expect(writeNativeFrame(planar, target, rgb({ planarConfiguration: 1 }), true).kind).toBe('ok');
    expect(Array.from(target)).toEqual([1, 11, 21, 2, 12, 22, 3, 13, 23, 4, 14, 24]);
  });

  it('copies interleaved RGB as it is, whatever the byte order', () => {
    const src = new Uint8Array([1, 11, 21, 2, 12, 22]);
    const target = new Uint8Array(6);
    expect(writeNativeFrame(src, target, rgb(), false).kind).toBe('ok');
    expect(Array.from(target)).toEqual(Array.from(src));
  });

  it('refuses a short source as truncated, with the numbers, and leaves the slot untouched', () => {
    const target = new Uint8Array(8).fill(7);
    const r = writeNativeFrame(new Uint8Array(6), target, grey(), true);
    expect(r).toMatchObject({ kind: 'error', code: 'truncated' });
    if (r.kind === 'error') {
      expect(r.message).toContain('6 bytes');
      expect(r.message).toContain('needs 8');
    }
    expect(Array.from(target)).toEqual(new Array(8).fill(7));
    expect(writeNativeFrame(new Uint8Array(11), new Uint8Array(12), rgb({ planarConfiguration: 1 }), true)).toMatchObject({ kind: 'error', code: 'truncated' });
  });

  it('ignores bytes past the frame (padding, later frames)', () => {
    const target = new Uint8Array(4);
    expect(writeNativeFrame(bytes16([5, 6, 7], true), target, grey(), true).kind).toBe('ok');
    expect(u16(target)).toEqual([5, 6]);
  });

  it('writes into its slot of a shared buffer and nowhere else', () => {
    const memory = new Uint8Array(new SharedArrayBuffer(16)).fill(0xee);
    const slot = memory.subarray(4, 12);
    expect(writeNativeFrame(bytes16([0x0fff, 1, 2, 0x0800], false), slot, grey({ bitsStored: 12, highBit: 11, pixelRepresentation: 1 }), false).kind).toBe('ok');
    expect(Array.from(new Int16Array(memory.buffer, 4, 4))).toEqual([-1, 1, 2, -2048]);
    expect([...memory.subarray(0, 4), ...memory.subarray(12)]).toEqual(new Array(8).fill(0xee));
  });

  it('passes on the format refusals of storedDataType', () => {
    expect(writeNativeFrame(new Uint8Array(4), new Uint8Array(4), grey({ photometric: 'PALETTE COLOR' }), true)).toMatchObject({ kind: 'error', code: 'unsupported-format' });
  });
});

// Written against the mutants Stryker left alive in nativeFrame.ts (issue 27).
describe('writeNativeFrame: 16-bit planar RGB and a short source', () => {
  it('interleaves planar RGB of 16-bit samples in either byte order', () => {
    // Two pixels: red plane, green plane, blue plane.
    const planes = [0x0102, 0x0304, 0x0506, 0x0708, 0x090a, 0x0b0c];
    for (const le of [true, false]) {
      const target = new Uint8Array(12);
      const format = rgb({ bitsAllocated: 16, bitsStored: 16, highBit: 15, planarConfiguration: 1 });
      expect(writeNativeFrame(bytes16(planes, le), target, format, le).kind).toBe('ok');
      expect(u16(target), le ? 'little endian' : 'big endian').toEqual([0x0102, 0x0506, 0x090a, 0x0304, 0x0708, 0x0b0c]);
    }
  });

  it('a source shorter than the frame is an error that names native pixel data, and leaves the slot alone', () => {
    const target = new Uint8Array(4).fill(9);
    const result = writeNativeFrame(new Uint8Array(3), target, grey(), true);
    expect(result.kind).toBe('error');
    expect(result.kind === 'error' && result.message).toContain('native pixel data');
    expect([...target]).toEqual([9, 9, 9, 9]);
  });
});
