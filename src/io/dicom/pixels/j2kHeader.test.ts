// The JPEG 2000 / HTJ2K image header (SIZ) and the checks made before a codec is called, on
// headers built here byte by byte (no codec is loaded: a refusal must come before it is used), and
// writeCodecSamples, the one copy of a codec's output into the frame's slot. The real encoded
// streams are in wasmCodecs.test.ts.
import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { writeCodecSamples, type WasmCodec } from './codecs';
import { frameLayout } from './frame';
import { decodeHtj2kFrame, decodeJpeg2000Frame, readJ2kHeader } from './jpeg2000';

const format = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});

const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const be16 = (v: number) => [(v >> 8) & 0xff, v & 0xff];

interface Siz {
  xsiz?: number;
  ysiz?: number;
  x0?: number;
  y0?: number;
  /** Per component: [Ssiz, XRsiz, YRsiz]. */
  components?: number[][];
  /** Lsiz as written (default: the right one). */
  length?: number;
  /** FF D9 after the header (default true). */
  eoc?: boolean;
}

/** SOC, SIZ (37×29, one unsigned 12-bit component unless told), a stand-in for the rest, EOC. */
function codestream({ xsiz = 37, ysiz = 29, x0 = 0, y0 = 0, components = [[11, 1, 1]], length, eoc = true }: Siz = {}): Uint8Array {
  const siz = [
    ...be16(length ?? 38 + 3 * components.length),
    ...be16(0), // Rsiz
    ...be32(xsiz),
    ...be32(ysiz),
    ...be32(x0),
    ...be32(y0),
    ...be32(xsiz),
    ...be32(ysiz), // one tile
    ...be32(0),
    ...be32(0),
    ...be16(components.length),
    ...components.flat(),
  ];
  return Uint8Array.from([0xff, 0x4f, 0xff, 0x51, ...siz, 0xff, 0x90, 1, 2, 3, ...(eoc ? [0xff, 0xd9] : [])]);
}

const box = (type: string, body: ArrayLike<number>, length = Array.from(body).length + 8) => [...be32(length), ...[...type].map((c) => c.charCodeAt(0)), ...Array.from(body)];
const SIGNATURE = box('jP  ', [0x0d, 0x0a, 0x87, 0x0a]);
const FTYP = box('ftyp', [...'jp2 '].map((c) => c.charCodeAt(0)).concat(0, 0, 0, 0));

describe('readJ2kHeader', () => {
  it('reads size, offset, components, precision and sign; the whole SIZ at the start of the frame', () => {
    const src = codestream();
    expect(readJ2kHeader(src)).toEqual({
      kind: 'ok',
      value: { start: 0, end: src.length, columns: 37, rows: 29, x0: 0, y0: 0, components: 1, precision: 12, signed: false, uniform: true, subsampled: false, complete: true },
    });
    expect(readJ2kHeader(codestream({ components: [[0x8f, 1, 1]] }))).toMatchObject({ kind: 'ok', value: { precision: 16, signed: true } });
    expect(readJ2kHeader(codestream({ components: [[7, 1, 1], [7, 1, 1], [7, 1, 1]] }))).toMatchObject({ kind: 'ok', value: { components: 3, precision: 8, uniform: true, subsampled: false } });
  });

  it('takes the image area past the offset, with 32-bit sizes above 2³¹', () => {
    const big = 0x80000000;
    expect(readJ2kHeader(codestream({ xsiz: big + 40, ysiz: big + 7, x0: big, y0: big + 2 }))).toMatchObject({ kind: 'ok', value: { columns: 40, rows: 5, x0: big, y0: big + 2 } });
    expect(readJ2kHeader(codestream({ xsiz: 50, ysiz: 30, x0: 13, y0: 1 }))).toMatchObject({ kind: 'ok', value: { columns: 37, rows: 29, x0: 13, y0: 1 } });
  });

  it('flags components of differing precision or sign, and sub-sampled ones (in x or in y, any component)', () => {
    expect(readJ2kHeader(codestream({ components: [[7, 1, 1], [7, 1, 1], [0x87, 1, 1]] }))).toMatchObject({ value: { uniform: false, subsampled: false } });
    expect(readJ2kHeader(codestream({ components: [[7, 1, 1], [11, 1, 1], [7, 1, 1]] }))).toMatchObject({ value: { uniform: false } });
    expect(readJ2kHeader(codestream({ components: [[7, 1, 1], [7, 2, 1], [7, 1, 1]] }))).toMatchObject({ value: { uniform: true, subsampled: true } });
    expect(readJ2kHeader(codestream({ components: [[7, 1, 1], [7, 1, 1], [7, 1, 2]] }))).toMatchObject({ value: { subsampled: true } });
  });

  it('is complete only when the codestream ends with EOC, zero padding after it allowed', () => {
    expect(readJ2kHeader(codestream({ eoc: false }))).toMatchObject({ value: { complete: false } });
    expect(readJ2kHeader(Uint8Array.from([...codestream(), 0, 0]))).toMatchObject({ value: { complete: true } });
    expect(readJ2kHeader(Uint8Array.from([...codestream(), 0]))).toMatchObject({ value: { complete: true } });
    const endsD9 = codestream({ eoc: false });
    endsD9[endsD9.length - 1] = 0xd9; // … 03 D9: not FF D9
    expect(readJ2kHeader(endsD9)).toMatchObject({ value: { complete: false } });
    const endsFF = Uint8Array.from([...codestream({ eoc: false }), 0xff, 0xd8]);
    expect(readJ2kHeader(endsFF)).toMatchObject({ value: { complete: false } });
  });

  it('refuses a frame cut inside its header, naming the bytes it needs', () => {
    const src = codestream();
    expect(readJ2kHeader(src.subarray(0, 3))).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG 2000 stream of 3 bytes ends inside its image header (needs at least 4)' });
    expect(readJ2kHeader(src.subarray(0, 4))).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG 2000 stream of 4 bytes ends inside its image header (needs at least 42)' });
    expect(readJ2kHeader(src.subarray(0, 41), 'HTJ2K')).toEqual({ kind: 'error', code: 'truncated', message: 'HTJ2K stream of 41 bytes ends inside its image header (needs at least 42)' });
    expect(readJ2kHeader(src.subarray(0, 42))).toMatchObject({ kind: 'error', code: 'truncated', message: 'JPEG 2000 stream of 42 bytes ends inside its image header (needs at least 45)' });
    expect(readJ2kHeader(src.subarray(0, 45))).toMatchObject({ kind: 'ok', value: { end: 45, complete: false } });
  });

  it('refuses what is not a codestream, and a SIZ that does not fit its components or has no image', () => {
    expect(readJ2kHeader(Uint8Array.from([0xff, 0x4f, 0xff, 0x52, ...codestream().subarray(4)]))).toEqual({
      kind: 'error',
      code: 'bad-header',
      message: 'JPEG 2000 frame starts with neither a codestream\'s SOC and SIZ markers (FF 4F FF 51) nor a JP2 signature',
    });
    for (const bytes of [[0xfe, 0x4f, 0xff, 0x51], [0xff, 0x4e, 0xff, 0x51], [0xff, 0x4f, 0xfe, 0x51]]) {
      expect(readJ2kHeader(Uint8Array.from([...bytes, ...codestream().subarray(4)])), bytes.join()).toMatchObject({ kind: 'error', code: 'bad-header' });
    }
    expect(readJ2kHeader(codestream({ length: 40 }))).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG 2000 image header (SIZ) of 40 bytes does not fit its 1 components' });
    expect(readJ2kHeader(codestream({ components: [], length: 38 }))).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG 2000 image header (SIZ) of 38 bytes does not fit its 0 components' });
    expect(readJ2kHeader(codestream({ xsiz: 10, x0: 10 }), 'HTJ2K')).toEqual({ kind: 'error', code: 'bad-header', message: 'HTJ2K image header (SIZ) has an empty image area (10×29 from 10, 0)' });
    expect(readJ2kHeader(codestream({ ysiz: 5, y0: 5 }))).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG 2000 image header (SIZ) has an empty image area (37×5 from 0, 5)' });
    expect(readJ2kHeader(codestream({ ysiz: 4, y0: 5 }))).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('(37×4 from 0, 5)') });
    expect(readJ2kHeader(codestream({ xsiz: 11, x0: 10, ysiz: 1 }))).toMatchObject({ kind: 'ok', value: { columns: 1, rows: 1 } });
  });

  describe('in a JP2 / JPH file', () => {
    const stream = codestream();
    it('finds the jp2c box after the others, with a box length of 0 (to the end) and an 8-byte length', () => {
      const plain = Uint8Array.from([...SIGNATURE, ...FTYP, ...box('jp2c', stream)]);
      expect(readJ2kHeader(plain)).toMatchObject({ kind: 'ok', value: { start: 36, end: 36 + stream.length, columns: 37, complete: true } });
      // An empty box (its 8-byte header alone) is stepped over.
      const empty = Uint8Array.from([...SIGNATURE, ...box('free', []), ...box('jp2c', stream)]);
      expect(readJ2kHeader(empty)).toMatchObject({ kind: 'ok', value: { start: 28, end: 28 + stream.length } });
      const toEnd = Uint8Array.from([...SIGNATURE, ...FTYP, ...box('jp2c', stream, 0)]);
      expect(readJ2kHeader(toEnd)).toMatchObject({ kind: 'ok', value: { start: 36, end: toEnd.length } });
      // XLBox: length 1, then the length in 64 bits; a box after the codestream is not read.
      const xl = Uint8Array.from([...SIGNATURE, ...FTYP, ...be32(1), ...[...'jp2c'].map((c) => c.charCodeAt(0)), ...be32(0), ...be32(stream.length + 16), ...stream, ...box('free', [9, 9])]);
      expect(readJ2kHeader(xl)).toMatchObject({ kind: 'ok', value: { start: 44, end: 44 + stream.length, complete: true } });
      // An 8-byte length above 2³²: the codestream runs to the file's end.
      const huge = Uint8Array.from([...SIGNATURE, ...be32(1), ...[...'jp2c'].map((c) => c.charCodeAt(0)), ...be32(1), ...be32(stream.length + 16), ...stream, ...box('free', [9, 9])]);
      expect(readJ2kHeader(huge)).toMatchObject({ kind: 'ok', value: { start: 28, end: huge.length } });
      // A box claiming more than the file: the codestream runs to the file's end.
      const long = Uint8Array.from([...SIGNATURE, ...box('jp2c', stream, stream.length + 100)]);
      expect(readJ2kHeader(long)).toMatchObject({ kind: 'ok', value: { start: 20, end: long.length } });
    });

    it('refuses a file without a codestream box, a box shorter than its header, and a cut file', () => {
      expect(readJ2kHeader(Uint8Array.from([...SIGNATURE, ...FTYP]))).toEqual({ kind: 'error', code: 'bad-header', message: 'JP2 file holds no codestream (jp2c) box' });
      expect(readJ2kHeader(Uint8Array.from([...SIGNATURE, ...box('ftyp', [1, 2, 3, 4], 7), ...box('jp2c', stream)]))).toEqual({ kind: 'error', code: 'bad-header', message: 'JP2 box at 12 has length 7' });
      expect(readJ2kHeader(Uint8Array.from([...SIGNATURE, ...be32(1), ...[...'jp2c'].map((c) => c.charCodeAt(0)), ...be32(0), ...be32(8), ...stream]))).toEqual({ kind: 'error', code: 'bad-header', message: 'JP2 box at 12 has length 8' });
      expect(readJ2kHeader(Uint8Array.from([...SIGNATURE, ...box('ftyp', [1, 2, 3, 4], 40)]))).toEqual({ kind: 'error', code: 'truncated', message: 'JP2 file holds no codestream (jp2c) box' });
      // An 8-byte length cut short: not read, and nothing after it.
      expect(readJ2kHeader(Uint8Array.from([...SIGNATURE, ...be32(1), ...[...'jp2c'].map((c) => c.charCodeAt(0)), 0, 0]))).toEqual({ kind: 'error', code: 'bad-header', message: 'JP2 file holds no codestream (jp2c) box' });
      // An 8-byte length that ends the file: read, and the codestream after it is empty.
      expect(readJ2kHeader(Uint8Array.from([...SIGNATURE, ...be32(1), ...[...'jp2c'].map((c) => c.charCodeAt(0)), ...be32(0), ...be32(16)]))).toEqual({
        kind: 'error',
        code: 'truncated',
        message: 'JPEG 2000 stream of 0 bytes ends inside its image header (needs at least 4)',
      });
      // An empty jp2c box (its header alone) ending the file: read, and its codestream is empty.
      expect(readJ2kHeader(Uint8Array.from([...SIGNATURE, ...box('jp2c', [])]))).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG 2000 stream of 0 bytes ends inside its image header (needs at least 4)' });
      // A last box of length 0 (to the end) that is not the codestream: none.
      expect(readJ2kHeader(Uint8Array.from([...SIGNATURE, ...box('free', [1, 2], 0)]))).toEqual({ kind: 'error', code: 'bad-header', message: 'JP2 file holds no codestream (jp2c) box' });
      // Exactly 12 bytes of signature: a JP2 file with no box after it.
      expect(readJ2kHeader(Uint8Array.from(SIGNATURE))).toMatchObject({ kind: 'error', code: 'bad-header', message: 'JP2 file holds no codestream (jp2c) box' });
      // One signature byte wrong: read as a bare codestream, which it is not.
      const almost = Uint8Array.from([...SIGNATURE, ...box('jp2c', stream)]);
      almost[11] = 0x0b;
      expect(readJ2kHeader(almost)).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('nor a JP2 signature') });
    });
  });
});

describe('the checks before a JPEG 2000 / HTJ2K codec is called', () => {
  /** A codec that must not be reached: every refusal here comes before the decode. */
  const unreachable = <K extends 'jpeg2000' | 'htj2k'>(kind: K) =>
    new Proxy({ kind } as WasmCodec<K>, {
      get: (target, key) => {
        if (key === 'kind' || key === 'then') return target[key as 'kind'];
        throw new Error(`the codec was used (${String(key)})`);
      },
    });
  const j2k = (src: Uint8Array, f: DicomPixelFormat, pixels = 37 * 29) => decodeJpeg2000Frame(src, new Uint8Array(pixels * f.samplesPerPixel * (f.bitsAllocated / 8)), f, unreachable('jpeg2000'));
  const htj2k = (src: Uint8Array, f: DicomPixelFormat, pixels = 37 * 29) => decodeHtj2kFrame(src, new Uint8Array(pixels * f.samplesPerPixel * (f.bitsAllocated / 8)), f, unreachable('htj2k'));
  const both = (src: Uint8Array, f: DicomPixelFormat, code: string, message: (name: string) => string, pixels?: number) => {
    expect(j2k(src, f, pixels)).toEqual({ kind: 'error', code, message: message('JPEG 2000') });
    expect(htj2k(src, f, pixels)).toEqual({ kind: 'error', code, message: message('HTJ2K') });
  };
  const rgb = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB' });

  it('refuses a header that does not fit the DICOM format or the slot, with the numbers', () => {
    both(codestream(), format({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }), 'unsupported-format', (n) => `${n} with BitsAllocated 32 is not supported (at most 16)`);
    both(codestream(), rgb, 'bad-header', (n) => `${n} frame has 1 components, SamplesPerPixel is 3`);
    both(codestream(), format(), 'bad-header', (n) => `${n} frame is 37×29 (1073 pixels), the DICOM frame has 1072 pixels`, 1072);
    both(codestream({ components: [[7, 1, 1], [7, 1, 1], [11, 1, 1]] }), rgb, 'unsupported-format', (n) => `${n} frame has components of differing precision or sign`);
    both(codestream({ components: [[7, 1, 1], [7, 2, 2], [7, 2, 2]] }), rgb, 'unsupported-format', (n) => `${n} frame has sub-sampled components`);
    both(codestream({ components: [[11, 1, 1]] }), format({ bitsAllocated: 8, bitsStored: 8, highBit: 7 }), 'bad-header', (n) => `${n} precision 12 does not fit BitsAllocated 8`);
    both(codestream({ components: [[16, 1, 1]] }), format(), 'bad-header', (n) => `${n} precision 17 does not fit BitsAllocated 16`);
    both(codestream({ components: [[0x87, 1, 1]] }), format({ bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 1 }), 'unsupported-format', (n) => `${n} frame of signed 8-bit samples: the codec clamps them to 0..255`);
    both(codestream({ eoc: false }), format(), 'truncated', (n) => `${n} codestream of 50 bytes does not end with its EOC marker (FF D9): it is cut`);
    // In a JP2 file: the codestream's own length.
    both(Uint8Array.from([...SIGNATURE, ...box('jp2c', codestream({ eoc: false }))]), format(), 'truncated', (n) => `${n} codestream of 50 bytes does not end with its EOC marker (FF D9): it is cut`);
  });

  it('passes the edge values on to the codec: 16-bit precision in 16 bits, signed 9-bit, an exact pixel count', () => {
    // Past every check, the stand-in codec is reached: the decode is attempted.
    for (const [ssiz, f] of [
      [15, format({ bitsStored: 16, highBit: 15 })],
      [0x88, format({ bitsStored: 9, highBit: 8, pixelRepresentation: 1 })],
      [7, format({ bitsAllocated: 8, bitsStored: 8, highBit: 7 })],
    ] as const) {
      expect(() => j2k(codestream({ components: [[ssiz, 1, 1]] }), f), `Ssiz ${ssiz}`).toThrow('the codec was used');
      expect(() => htj2k(codestream({ components: [[ssiz, 1, 1]] }), f), `Ssiz ${ssiz}`).toThrow('the codec was used');
    }
  });

  it('refuses an image offset for OpenJPEG only (its output loop would misread it)', () => {
    const offset = codestream({ xsiz: 40, x0: 3 });
    expect(j2k(offset, format())).toEqual({ kind: 'error', code: 'unsupported-format', message: 'JPEG 2000 frame with an image offset (3, 0) is not supported' });
    expect(j2k(codestream({ ysiz: 31, y0: 2 }), format())).toEqual({ kind: 'error', code: 'unsupported-format', message: 'JPEG 2000 frame with an image offset (0, 2) is not supported' });
    expect(() => htj2k(offset, format())).toThrow('the codec was used');
  });

  it('passes on the format refusals of storedDataType and the header errors', () => {
    expect(j2k(codestream(), format({ bitsStored: 17 }))).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('BitsStored 17') });
    expect(htj2k(codestream(), format({ bitsStored: 17 }))).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('BitsStored 17') });
    expect(htj2k(codestream().subarray(0, 3), format())).toEqual({ kind: 'error', code: 'truncated', message: 'HTJ2K stream of 3 bytes ends inside its image header (needs at least 4)' });
    expect(j2k(codestream().subarray(0, 3), format())).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG 2000 stream of 3 bytes ends inside its image header (needs at least 4)' });
  });
});

describe('writeCodecSamples', () => {
  const layoutOf = (f: DicomPixelFormat, target: Uint8Array) => {
    const l = frameLayout(f, target);
    if (l.kind === 'error') throw new Error(l.message);
    return l.value;
  };
  const u8 = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7 });
  const rgb8 = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB' });
  const rgb16 = format({ bitsAllocated: 16, bitsStored: 16, highBit: 15, samplesPerPixel: 3, photometric: 'RGB' });

  it('copies samples of the slot\'s width as they are', () => {
    const target = new Uint8Array(6);
    expect(writeCodecSamples([1, 2, 3, 4, 5, 6], 2, false, target, layoutOf(format(), target), 'X')).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(target)).toEqual([1, 2, 3, 4, 5, 6]);
    const bytes = new Uint8Array(3);
    expect(writeCodecSamples([7, 8, 9], 1, false, bytes, layoutOf(u8, bytes), 'X').kind).toBe('ok');
    expect(Array.from(bytes)).toEqual([7, 8, 9]);
  });

  it('widens one-byte samples into two-byte values, zero-extended over what the slot held', () => {
    const target = new Uint8Array(6).fill(0xee);
    expect(writeCodecSamples([0x80, 0xff, 1], 1, false, target, layoutOf(format(), target), 'X').kind).toBe('ok');
    expect(Array.from(target)).toEqual([0x80, 0, 0xff, 0, 1, 0]);
  });

  it('interleaves planar 8-bit colour; planar means nothing for one sample', () => {
    const target = new Uint8Array(6);
    expect(writeCodecSamples([1, 2, 11, 12, 21, 22], 1, true, target, layoutOf(rgb8, target), 'X').kind).toBe('ok');
    expect(Array.from(target)).toEqual([1, 11, 21, 2, 12, 22]);
    const grey = new Uint8Array(3);
    expect(writeCodecSamples([5, 6, 7], 1, true, grey, layoutOf(u8, grey), 'X').kind).toBe('ok');
    expect(Array.from(grey)).toEqual([5, 6, 7]);
    const wide = new Uint8Array(4).fill(0xee);
    expect(writeCodecSamples([5, 6], 1, true, wide, layoutOf(format(), wide), 'X').kind).toBe('ok');
    expect(Array.from(wide)).toEqual([5, 0, 6, 0]);
  });

  it('refuses output of another size or width, and planar colour above 8 bits, leaving the slot untouched', () => {
    const target = new Uint8Array(6).fill(0xee);
    const layout = layoutOf(format(), target);
    expect(writeCodecSamples([1, 2, 3, 4, 5], 2, false, target, layout, 'OpenJPH')).toEqual({ kind: 'error', code: 'bad-header', message: "OpenJPH gave 5 bytes of samples, the frame's 3 pixels × 1 sample(s) need 6" });
    expect(writeCodecSamples([1, 2, 3, 4, 5, 6, 7], 2, false, target, layout, 'OpenJPH')).toMatchObject({ kind: 'error', code: 'bad-header' });
    expect(writeCodecSamples([1, 2, 3, 4], 1, false, target, layout, 'CharLS')).toEqual({ kind: 'error', code: 'bad-header', message: "CharLS gave 4 bytes of samples, the frame's 3 pixels × 1 sample(s) need 3" });
    const bytes = new Uint8Array(4).fill(0xee);
    expect(writeCodecSamples([1, 2, 3, 4, 5, 6, 7, 8], 2, false, bytes, layoutOf(u8, bytes), 'CharLS')).toEqual({ kind: 'error', code: 'bad-header', message: 'CharLS gave 16-bit samples, BitsAllocated is 8' });
    const colour = new Uint8Array(12).fill(0xee);
    expect(writeCodecSamples(new Uint8Array(12), 2, true, colour, layoutOf(rgb16, colour), 'CharLS')).toEqual({ kind: 'error', code: 'unsupported-format', message: 'CharLS: planar colour of more than 8 bits is not supported' });
    expect(writeCodecSamples(new Uint8Array(6), 1, true, colour, layoutOf(rgb16, colour), 'CharLS')).toMatchObject({ kind: 'error', code: 'unsupported-format' });
    for (const slot of [target, bytes, colour]) expect(slot.every((b) => b === 0xee)).toBe(true);
  });
});
