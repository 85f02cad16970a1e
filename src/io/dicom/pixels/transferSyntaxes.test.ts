import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { encodeJpegLossless, encodeRle } from './testEncoders';
import { dropCodec } from './codecs';
import { cleanUid, decodedPixelFormat, decodeFrame, TRANSFER_SYNTAXES, transferSyntaxInfo, wasmCodecOf } from './transferSyntaxes';

const int16 = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 1, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const values = [-1, 2047, -2048, 0, 5, -7];
const le = new Uint8Array(new Int16Array(values).buffer);
const be = (() => {
  const out = new Uint8Array(12);
  values.forEach((v, i) => new DataView(out.buffer).setInt16(i * 2, v, false));
  return out;
})();
const read = (t: Uint8Array) => Array.from(new Int16Array(t.buffer, t.byteOffset, t.length / 2));

describe('transfer syntax registry', () => {
  const expected: [string, string, boolean][] = [
    ['1.2.840.10008.1.2', 'native-le', true],
    ['1.2.840.10008.1.2.1', 'native-le', true],
    ['1.2.840.10008.1.2.2', 'native-be', true],
    ['1.2.840.10008.1.2.1.99', 'deflated', true],
    ['1.2.840.10008.1.2.5', 'rle', true],
    ['1.2.840.10008.1.2.4.57', 'jpeg-lossless', true],
    ['1.2.840.10008.1.2.4.70', 'jpeg-lossless', true],
    ['1.2.840.10008.1.2.4.80', 'jpeg-ls', true],
    ['1.2.840.10008.1.2.4.81', 'jpeg-ls', true],
    ['1.2.840.10008.1.2.4.90', 'jpeg2000', true],
    ['1.2.840.10008.1.2.4.91', 'jpeg2000', true],
    ['1.2.840.10008.1.2.4.201', 'htj2k', true],
    ['1.2.840.10008.1.2.4.202', 'htj2k', true],
    ['1.2.840.10008.1.2.4.203', 'htj2k', true],
    ['1.2.840.10008.1.2.4.50', 'jpeg-baseline', true],
    ['1.2.840.10008.1.2.4.51', 'jpeg-baseline', true],
  ];

  it('lists exactly the expected syntaxes, kinds and support', () => {
    expect(Object.keys(TRANSFER_SYNTAXES).sort()).toEqual(expected.map(([uid]) => uid).sort());
    for (const [uid, kind, supported] of expected) {
      expect(TRANSFER_SYNTAXES[uid]).toMatchObject({ kind, supported });
      expect(TRANSFER_SYNTAXES[uid].name.length).toBeGreaterThan(5);
    }
  });

  it('cleans a UID of its trailing NUL and space padding, and of leading spaces', () => {
    expect(cleanUid('1.2.3')).toBe('1.2.3');
    expect(cleanUid('1.2.3\0\0')).toBe('1.2.3');
    expect(cleanUid('1.2.3 \0 ')).toBe('1.2.3');
    expect(cleanUid('  1.2.3\0')).toBe('1.2.3');
    expect(cleanUid('\0')).toBe('');
  });

  it('finds UIDs with DICOM padding, and not inherited keys', () => {
    expect(transferSyntaxInfo('1.2.840.10008.1.2.5\0')?.kind).toBe('rle');
    expect(transferSyntaxInfo(' 1.2.840.10008.1.2.1 ')?.kind).toBe('native-le');
    expect(transferSyntaxInfo('toString')).toBeUndefined();
    expect(transferSyntaxInfo('1.2.3')).toBeUndefined();
  });
});

describe('decodeFrame', () => {
  it('decodes native little endian (implicit, explicit, deflated) and big endian by the syntax', () => {
    for (const uid of ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99']) {
      const target = new Uint8Array(12);
      expect(decodeFrame(uid, le, target, int16()).kind).toBe('ok');
      expect(read(target)).toEqual(values);
    }
    const target = new Uint8Array(12);
    expect(decodeFrame('1.2.840.10008.1.2.2\0', be, target, int16()).kind).toBe('ok');
    expect(read(target)).toEqual(values);
  });

  it('lets the caller override the byte order of native data', () => {
    const target = new Uint8Array(12);
    expect(decodeFrame('1.2.840.10008.1.2.1', be, target, int16(), false).kind).toBe('ok');
    expect(read(target)).toEqual(values);
  });

  it('dispatches RLE and JPEG Lossless (.57 and .70)', () => {
    const rle = new Uint8Array(12);
    expect(decodeFrame('1.2.840.10008.1.2.5', encodeRle(le, 2, 1), rle, int16()).kind).toBe('ok');
    expect(read(rle)).toEqual(values);
    for (const uid of ['1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70']) {
      const jpeg = new Uint8Array(12);
      expect(decodeFrame(uid, encodeJpegLossless(values.map((v) => v & 0xfff), 2, 3, 12), jpeg, int16()).kind).toBe('ok');
      expect(read(jpeg)).toEqual(values);
    }
  });

  it('refuses unknown syntaxes as unknown', () => {
    expect(decodeFrame('1.2.3.4\0', le, new Uint8Array(12), int16())).toEqual({ kind: 'error', code: 'unsupported-format', message: 'unsupported transfer syntax 1.2.3.4 (unknown)' });
  });
});

describe('decodeFrame: colour', () => {
  const colour = (photometric: string, o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
    bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 0, samplesPerPixel: 3, planarConfiguration: 0, photometric, ...o,
  });
  // Y Cb Cr (100, 98, 148) is RGB (128, 96, 47); grey (128, 128, 128) stays.
  const ybr = Uint8Array.from([100, 98, 148, 128, 128, 128]);
  const RGB = [128, 96, 47, 128, 128, 128];

  it('converts YBR_FULL to RGB after native and RLE decoding, not after a JPEG codec (which converts itself)', () => {
    for (const uid of ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99']) {
      const target = new Uint8Array(6);
      expect(decodeFrame(uid, ybr, target, colour(' ybr_full ')), uid).toEqual({ kind: 'ok', value: undefined });
      expect(Array.from(target), uid).toEqual(RGB);
    }
    const rle = new Uint8Array(6);
    expect(decodeFrame('1.2.840.10008.1.2.5', encodeRle(ybr, 1, 3), rle, colour('YBR_FULL'))).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(rle)).toEqual(RGB);
    const lossless = new Uint8Array(6);
    expect(decodeFrame('1.2.840.10008.1.2.4.70', encodeJpegLossless(ybr, 1, 2, 8, 3), lossless, colour('YBR_FULL'))).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(lossless)).toEqual(Array.from(ybr));
    // A failed decode converts nothing.
    const cut = new Uint8Array(6);
    expect(decodeFrame('1.2.840.10008.1.2.1', ybr.subarray(0, 5), cut, colour('YBR_FULL'))).toMatchObject({ kind: 'error', code: 'truncated' });
    expect(Array.from(cut)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('expands native YBR_FULL_422 (Y Y Cb Cr a pair) to RGB, and refuses it compressed or in a format it cannot hold', () => {
    const target = new Uint8Array(6);
    expect(decodeFrame('1.2.840.10008.1.2.1.99', Uint8Array.from([100, 128, 98, 148]), target, colour('ybr_full_422 '))).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(target.subarray(0, 3))).toEqual([128, 96, 47]);
    for (const uid of ['1.2.840.10008.1.2', '1.2.840.10008.1.2.2']) {
      const t = new Uint8Array(6);
      expect(decodeFrame(uid, Uint8Array.from([100, 128, 98, 148]), t, colour('YBR_FULL_422')).kind, uid).toBe('ok');
      expect(Array.from(t.subarray(0, 3)), uid).toEqual([128, 96, 47]);
    }
    const only = 'only uncompressed YBR_FULL_422 (or JPEG, which its codec converts) is supported';
    expect(decodeFrame('1.2.840.10008.1.2.5', new Uint8Array(80), new Uint8Array(6), colour('YBR_FULL_422'))).toEqual({ kind: 'error', code: 'unsupported-format', message: `YBR_FULL_422 in RLE Lossless: ${only}` });
    expect(decodeFrame('1.2.3.4\0', new Uint8Array(4), new Uint8Array(6), colour('YBR_FULL_422'))).toEqual({ kind: 'error', code: 'unsupported-format', message: `YBR_FULL_422 in 1.2.3.4: ${only}` });
    expect(decodeFrame('1.2.840.10008.1.2.1', new Uint8Array(8), new Uint8Array(12), colour('YBR_FULL_422', { bitsAllocated: 16, bitsStored: 16, highBit: 15 }))).toMatchObject({
      kind: 'error',
      code: 'unsupported-format',
      message: expect.stringContaining('YBR_FULL_422 with BitsAllocated 16'),
    });
  });

  it('looks PALETTE COLOR values up in the palette, after decoding them as one-sample data', () => {
    const palette = { first: 10, red: Uint8Array.from([1, 2, 3]), green: Uint8Array.from([4, 5, 6]), blue: Uint8Array.from([7, 8, 9]) };
    const f = colour('palette color', { samplesPerPixel: 1, palette });
    const target = new Uint8Array(12);
    expect(decodeFrame('1.2.840.10008.1.2.1', Uint8Array.from([10, 12, 11, 200]), target, f)).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(target)).toEqual([1, 4, 7, 3, 6, 9, 2, 5, 8, 3, 6, 9]);
    // 16-bit values, big endian (the syntax's byte order reaches the stored values).
    const wide = new Uint8Array(6);
    expect(decodeFrame('1.2.840.10008.1.2.2', Uint8Array.from([0, 11, 1, 0]), wide, { ...f, bitsAllocated: 16, bitsStored: 16, highBit: 15 })).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(wide)).toEqual([2, 5, 8, 3, 6, 9]);
    // The decoded values' errors and the format's refusals come back, the slot untouched.
    const untouched = new Uint8Array(12);
    expect(decodeFrame('1.2.840.10008.1.2.1', Uint8Array.from([10, 12, 11]), untouched, f)).toEqual({ kind: 'error', code: 'truncated', message: 'native pixel data holds 3 bytes, the frame needs 4 (1 missing)' });
    expect(decodeFrame('1.2.840.10008.1.2.1', new Uint8Array(4), untouched, { ...f, palette: undefined })).toMatchObject({ kind: 'error', code: 'unsupported-format', message: expect.stringContaining('PALETTE COLOR without its lookup tables') });
    expect(untouched.every((b) => b === 0)).toBe(true);
  });

  it('names the syntax whose codec is not loaded', () => {
    dropCodec('jpeg2000');
    expect(decodeFrame('1.2.840.10008.1.2.4.91', new Uint8Array(4), new Uint8Array(12), int16())).toEqual({
      kind: 'error',
      code: 'internal',
      message: "INTERNAL ERROR: the codec for JPEG 2000 Image Compression is not loaded (await ensureCodec('jpeg2000'), or use decodeFrameAsync)",
    });
  });
});

describe('decodedPixelFormat', () => {
  const ybr = int16({ bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 0, samplesPerPixel: 3, planarConfiguration: 1, photometric: 'YBR_FULL_422' });
  it('YBR colour from a JPEG, JPEG 2000 or HTJ2K codec (or an unknown syntax) comes out as interleaved RGB', () => {
    for (const uid of ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.50\0', '']) {
      expect(decodedPixelFormat(uid, ybr), uid).toEqual({ ...ybr, photometric: 'RGB', planarConfiguration: 0 });
    }
    expect(decodedPixelFormat('1.2.840.10008.1.2.4.91', { ...ybr, photometric: 'ybr_ict' })).toMatchObject({ photometric: 'RGB' });
  });
  it('leaves native, RLE, JPEG-LS and Lossless YBR, RGB, and one-sample data as they are', () => {
    for (const uid of ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.70', '9.9.9']) expect(decodedPixelFormat(uid, ybr), uid).toBe(ybr);
    const rgb = { ...ybr, photometric: 'RGB' };
    expect(decodedPixelFormat('1.2.840.10008.1.2.4.50', rgb)).toBe(rgb);
    const oneSample = { ...ybr, samplesPerPixel: 1 };
    expect(decodedPixelFormat('1.2.840.10008.1.2.4.50', oneSample)).toBe(oneSample);
    expect(decodedPixelFormat('1.2.840.10008.1.2.4.50', { ...ybr, photometric: 'MONOCHROME2' }).photometric).toBe('MONOCHROME2');
  });
  it('wasmCodecOf names the codec of the wasm syntaxes only', () => {
    expect((['jpeg-ls', 'jpeg2000', 'htj2k', 'jpeg-baseline', 'native-le', 'rle', 'jpeg-lossless', 'deflated'] as const).map(wasmCodecOf)).toEqual(['jpeg-ls', 'jpeg2000', 'htj2k', 'jpeg-baseline', undefined, undefined, undefined, undefined]);
  });
});
