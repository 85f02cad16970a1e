// decodeJpegLosslessFrame around a stand-in for jpeg-lossless-decoder-js (vi.mock): what it gives
// the decoder (the padded copy, its length, the bytes a value), and what it makes of each way the
// decoder can end: a throw, a frame not wholly output, a stream read past its end, an output of
// the wrong size or none. The real decoder on encoded streams is in jpegLossless.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { decodeJpegLosslessFrame, withLookAheadPadding } from './jpegLossless';
import { encodeJpegLossless } from './testEncoders';

interface Run {
  /** What decode returns, or throws when `throws` is set. */
  output: Uint8Array | Uint16Array | null;
  throws?: unknown;
  /** The decoder's state after decode. */
  xDim: number;
  yDim: number;
  xLoc: number;
  yLoc: number;
  stream: { buffer: Uint8Array; index: number } | null;
}

const stub = vi.hoisted(() => ({
  run: undefined as unknown as Run,
  args: [] as unknown[],
}));

vi.mock('jpeg-lossless-decoder-js', () => ({
  Decoder: class {
    xDim = 0;
    yDim = 0;
    xLoc = 0;
    yLoc = 0;
    stream: Run['stream'] = null;
    decode(...args: unknown[]) {
      stub.args = args;
      const { output, throws, ...state } = stub.run;
      Object.assign(this, state);
      if (throws !== undefined) throw throws;
      return output;
    }
  },
}));

const format = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 1, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
// A 3×2 frame of 12-bit values; the stand-in decodes nothing of it.
const src = encodeJpegLossless([1, 2, 3, 4, 5, 6], 2, 3, 12);
const done = (output: Run['output']): Run => ({ output, xDim: 3, yDim: 2, xLoc: 0, yLoc: 2, stream: { buffer: new Uint8Array(10), index: 10 } });

beforeEach(() => {
  stub.args = [];
});

describe('decodeJpegLosslessFrame with a stand-in decoder', () => {
  it('gives it the padded copy from 0 and the bytes a value; copies its output once, then sign-extends from BitsStored with no HighBit shift', () => {
    stub.run = done(new Uint16Array([0x0fff, 0x0800, 0x07ff, 0, 0xf001, 5]));
    const target = new Uint8Array(12);
    expect(decodeJpegLosslessFrame(src, target, format({ highBit: 15 }))).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(new Int16Array(target.buffer))).toEqual([-1, -2048, 2047, 0, 1, 5]);
    const padded = withLookAheadPadding(src);
    const [buffer, offset, length, bytes] = stub.args as [ArrayBuffer, number, number, number];
    expect([new Uint8Array(buffer), offset, length, bytes]).toEqual([padded, 0, padded.length, 2]);
    stub.run = done(new Uint8Array([1, 2, 3, 4, 5, 0xff]));
    const narrow = new Uint8Array(6);
    expect(decodeJpegLosslessFrame(encodeJpegLossless([1, 2, 3, 4, 5, 6], 2, 3, 8), narrow, format({ bitsAllocated: 8, bitsStored: 7, highBit: 6, pixelRepresentation: 0 }))).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(narrow)).toEqual([1, 2, 3, 4, 5, 0x7f]);
    expect(stub.args[3]).toBe(1);
  });

  it('a throw (an Error or anything else) is bad-header with its words', () => {
    stub.run = { ...done(null), throws: new Error('invalid marker') };
    expect(decodeJpegLosslessFrame(src, new Uint8Array(12), format())).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG Lossless stream could not be decoded: invalid marker' });
    stub.run = { ...done(null), throws: 'no huffman table' };
    expect(decodeJpegLosslessFrame(src, new Uint8Array(12), format())).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG Lossless stream could not be decoded: no huffman table' });
  });

  it('a frame not wholly output is truncated, naming the pixels that were', () => {
    stub.run = { ...done(new Uint16Array(6)), xLoc: 2, yLoc: 1 };
    const target = new Uint8Array(12);
    expect(decodeJpegLosslessFrame(src, target, format())).toEqual({ kind: 'error', code: 'truncated', message: `JPEG Lossless stream of ${src.length} bytes ends before the frame's 6 pixels are decoded (5 were)` });
    expect(target.every((b) => b === 0)).toBe(true);
    // Without a stream (the decoder stopped before its scan).
    stub.run = { ...done(null), xLoc: 0, yLoc: 0, stream: null };
    expect(decodeJpegLosslessFrame(src, target, format())).toMatchObject({ kind: 'error', code: 'truncated', message: expect.stringContaining('(0 were)') });
  });

  it('a stream read past its end is truncated, the frame whole or not', () => {
    stub.run = { ...done(new Uint16Array(6)), stream: { buffer: new Uint8Array(10), index: 11 } };
    const target = new Uint8Array(12);
    expect(decodeJpegLosslessFrame(src, target, format())).toEqual({ kind: 'error', code: 'truncated', message: `JPEG Lossless stream of ${src.length} bytes ends before the frame's 6 pixels are decoded` });
    expect(target.every((b) => b === 0)).toBe(true);
    // Read up to its very end: complete.
    stub.run = { ...done(new Uint16Array(6)), stream: { buffer: new Uint8Array(10), index: 10 } };
    expect(decodeJpegLosslessFrame(src, target, format())).toEqual({ kind: 'ok', value: undefined });
  });

  it('an output of another size, or none, is bad-header', () => {
    stub.run = done(new Uint16Array(5));
    const target = new Uint8Array(12);
    expect(decodeJpegLosslessFrame(src, target, format())).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG Lossless decoder gave 10 bytes, the frame needs 12' });
    stub.run = done(new Uint8Array(6));
    expect(decodeJpegLosslessFrame(src, target, format())).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG Lossless decoder gave 6 bytes, the frame needs 12' });
    stub.run = done(null);
    expect(decodeJpegLosslessFrame(src, target, format())).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG Lossless decoder gave 0 bytes, the frame needs 12' });
    expect(target.every((b) => b === 0)).toBe(true);
  });
});

describe('withLookAheadPadding', () => {
  const pad = (...bytes: number[]) => Array.from(withLookAheadPadding(Uint8Array.from(bytes)));
  it('puts one zero byte before EOI, dropping fill bytes before it and zero padding after it', () => {
    expect(pad(1, 2, 0xff, 0xd9)).toEqual([1, 2, 0, 0xff, 0xd9]);
    expect(pad(1, 2, 0xff, 0xff, 0xff, 0xd9, 0, 0)).toEqual([1, 2, 0, 0xff, 0xd9]);
    expect(pad(0xff, 0xd9)).toEqual([0, 0xff, 0xd9]);
    expect(pad(0xff, 0xff, 0xd9)).toEqual([0, 0xff, 0xd9]);
    expect(pad()).toEqual([0, 0xff, 0xd9]);
  });

  it('gives a stream without EOI one; an EOI is looked for under at most 8 bytes of zero padding', () => {
    expect(pad(1, 2)).toEqual([1, 2, 0, 0xff, 0xd9]);
    expect(pad(1, 0xff, 0xd9, 1)).toEqual([1, 0xff, 0xd9, 1, 0, 0xff, 0xd9]);
    expect(pad(1, 0xff, 0xd9, 0, 0, 0, 0, 0, 0, 0, 0)).toEqual([1, 0, 0xff, 0xd9]);
    expect(pad(1, 0xff, 0xd9, 0, 0, 0, 0, 0, 0, 0, 0, 0)).toEqual([1, 0xff, 0xd9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xd9]);
    expect(pad(1, 0xd9)).toEqual([1, 0xd9, 0, 0xff, 0xd9]);
    expect(pad(1, 0xff)).toEqual([1, 0, 0xff, 0xd9]);
    expect(pad(0xff, 5)).toEqual([0xff, 5, 0, 0xff, 0xd9]);
    expect(pad(0, 0)).toEqual([0, 0, 0, 0xff, 0xd9]);
    expect(pad(0xff)).toEqual([0, 0xff, 0xd9]);
  });
});
