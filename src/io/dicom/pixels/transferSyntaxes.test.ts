import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { encodeJpegLossless, encodeRle } from './testEncoders';
import { decodedPixelFormat, decodeFrame, decodeFrameAsync, TRANSFER_SYNTAXES, transferSyntaxInfo, wasmCodecOf } from './transferSyntaxes';

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

  it('sends the wasm codecs\' syntaxes to their codec once it is loaded (decodeFrameAsync loads it)', async () => {
    const jpegLs = '1.2.840.10008.1.2.4.80';
    // Not a JPEG-LS stream: the codec's decoder is reached and refuses it by its header.
    const r = await decodeFrameAsync(jpegLs, le, new Uint8Array(12), int16());
    expect(r).toMatchObject({ kind: 'error', code: 'bad-header' });
    expect(decodeFrame(jpegLs, le, new Uint8Array(12), int16())).toMatchObject({ kind: 'error', code: 'bad-header' });
    expect(await decodeFrameAsync('1.2.840.10008.1.2.1', le, new Uint8Array(12), int16())).toEqual({ kind: 'ok', value: undefined });
  });

  it('refuses unknown syntaxes as unknown', () => {
    expect(decodeFrame('1.2.3.4\0', le, new Uint8Array(12), int16())).toEqual({ kind: 'error', code: 'unsupported-format', message: 'unsupported transfer syntax 1.2.3.4 (unknown)' });
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
