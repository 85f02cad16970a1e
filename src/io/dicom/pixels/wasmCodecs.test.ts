// The wasm codecs (JPEG-LS, JPEG 2000, HTJ2K, 8-bit JPEG) through decodeFrameAsync, on streams made
// from known samples by the same packages' encoders (testCodecEncoders.ts): exact values for the
// lossless ones (unsigned, signed, BitsStored below BitsAllocated, colour), bounded error for the
// lossy ones, typed errors (never an exception) for cut, corrupt and lying streams. The shared
// real data (JPEG-LS and JPEG 2000 CT series against their uncompressed twin) is in realData.test.ts.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { codecSays, dropCodec, endsWithMarker, ensureCodec, loadedCodec, type WasmCodecKind } from './codecs';
import { readJ2kHeader } from './jpeg2000';
import { encodeHtj2k, encodeJ2k, encodeJpeg8, encodeJpegLs, samples, words } from './testCodecEncoders';
import { encodeJpegLossless } from './testEncoders';
import { decodeFrame, decodeFrameAsync } from './transferSyntaxes';

const UID = {
  jpegLs: '1.2.840.10008.1.2.4.80',
  jpegLsNear: '1.2.840.10008.1.2.4.81',
  j2k: '1.2.840.10008.1.2.4.90',
  j2kAny: '1.2.840.10008.1.2.4.91',
  htj2k: '1.2.840.10008.1.2.4.201',
  htj2kRpcl: '1.2.840.10008.1.2.4.202',
  htj2kAny: '1.2.840.10008.1.2.4.203',
  baseline: '1.2.840.10008.1.2.4.50',
  extended: '1.2.840.10008.1.2.4.51',
};

const format = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const u12 = format();
const s12 = format({ pixelRepresentation: 1 });
const s16 = format({ bitsStored: 16, highBit: 15, pixelRepresentation: 1 });
const u16 = format({ bitsStored: 16, highBit: 15 });
const u8 = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7 });
const rgb = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB' });

// Odd sizes, so that no row or block boundary lines up by chance.
const COLUMNS = 37;
const ROWS = 29;
const PIXELS = COLUMNS * ROWS;

interface Decoded {
  result: Result<void>;
  slot: Uint8Array;
}

/** Decodes into slot 1 of three in one SharedArrayBuffer, as the worker does; slots 0 and 2 must stay zero. */
async function decode(uid: string, src: Uint8Array, f: DicomPixelFormat, pixels = PIXELS): Promise<Decoded> {
  const bytes = pixels * f.samplesPerPixel * (f.bitsAllocated / 8);
  const memory = new Uint8Array(new SharedArrayBuffer(3 * bytes));
  const slot = memory.subarray(bytes, 2 * bytes);
  const result = await decodeFrameAsync(uid, src, slot, f);
  expect(memory.subarray(0, bytes).every((b) => b === 0) && memory.subarray(2 * bytes).every((b) => b === 0), 'neighbouring slots untouched').toBe(true);
  return { result, slot };
}

const int16s = (t: Uint8Array) => Array.from(new Int16Array(t.buffer, t.byteOffset, t.length / 2));
const uint16s = (t: Uint8Array) => Array.from(new Uint16Array(t.buffer, t.byteOffset, t.length / 2));
const OK = { kind: 'ok', value: undefined };

function refusal(r: Result<void>, code: string, ...words: string[]) {
  expect(r.kind, JSON.stringify(r)).toBe('error');
  if (r.kind !== 'error') return;
  expect(r.code, r.message).toBe(code);
  for (const w of words) expect(r.message).toContain(w);
}

/** A copy of the stream with `n` bytes from `at` xor-ed: corrupt data, its end markers intact. */
function corrupt(src: Uint8Array, at: number, n: number): Uint8Array {
  const out = src.slice();
  for (let i = at; i < at + n; i++) out[i] ^= 0x5a;
  return out;
}

describe('wasm codec loading', () => {
  it('loads each codec once, for concurrent callers too, and again after it was dropped', async () => {
    for (const kind of ['jpeg-ls', 'jpeg2000', 'htj2k', 'jpeg-baseline'] as WasmCodecKind[]) {
      const [a, b] = await Promise.all([ensureCodec(kind), ensureCodec(kind)]);
      expect([a, b]).toEqual([OK, OK]);
      const codec = loadedCodec(kind);
      expect(codec?.kind).toBe(kind);
      expect(await ensureCodec(kind)).toEqual(OK);
      expect(loadedCodec(kind)).toBe(codec);
      dropCodec(kind);
      expect(loadedCodec(kind)).toBeUndefined();
      expect(await ensureCodec(kind)).toEqual(OK);
      expect(loadedCodec(kind)).not.toBe(codec);
    }
  });

  it('decodeFrame (synchronous) refuses a wasm syntax whose codec is not loaded, as an internal error', () => {
    dropCodec('jpeg-ls');
    const r = decodeFrame(UID.jpegLs, new Uint8Array(8), new Uint8Array(8), u12);
    refusal(r, 'internal', 'not loaded', 'decodeFrameAsync');
  });

  it('names the end markers and what a codec printed', () => {
    expect(endsWithMarker(new Uint8Array([1, 0xff, 0xd9]))).toBe(true);
    expect(endsWithMarker(new Uint8Array([1, 0xff, 0xd9, 0, 0]))).toBe(true);
    expect(endsWithMarker(new Uint8Array([1, 0xff, 0xd8]))).toBe(false);
    expect(endsWithMarker(new Uint8Array([0xd9]))).toBe(false);
    expect(codecSays([])).toBe('');
    expect(codecSays(['[INFO] a', '[ERROR] b', '[INFO] c'])).toBe(' ([ERROR] b)');
    expect(codecSays(['[INFO] a', 'last'])).toBe(' (last)');
  });
});

describe('JPEG-LS (CharLS)', () => {
  it('unsigned 12-bit in 16: exact, under .80 and .81', async () => {
    const values = samples(PIXELS, 0, 4095);
    const src = await encodeJpegLs({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 });
    for (const uid of [UID.jpegLs, UID.jpegLsNear]) {
      const { result, slot } = await decode(uid, src, u12);
      expect(result).toEqual(OK);
      expect(uint16s(slot)).toEqual(values);
    }
  });

  it('signed 16-bit: the two\'s-complement patterns come back as exact int16 values', async () => {
    const values = samples(PIXELS, -32768, 32767, 2);
    const src = await encodeJpegLs({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 16 });
    const { result, slot } = await decode(UID.jpegLs, src, s16);
    expect(result).toEqual(OK);
    expect(int16s(slot)).toEqual(values);
  });

  it('signed 12-bit: sign-extended from BitsStored', async () => {
    const values = samples(PIXELS, -2048, 2047, 3);
    const src = await encodeJpegLs({ bytes: words(values.map((v) => v & 0xfff)), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 });
    const { result, slot } = await decode(UID.jpegLs, src, s12);
    expect(result).toEqual(OK);
    expect(int16s(slot)).toEqual(values);
  });

  it('8-bit grey, into an 8-bit slot and widened into a 16-bit one (signed too)', async () => {
    const values = samples(PIXELS, 0, 255, 4);
    const src = await encodeJpegLs({ bytes: Uint8Array.from(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 8 });
    const narrow = await decode(UID.jpegLs, src, u8);
    expect(narrow.result).toEqual(OK);
    expect(Array.from(narrow.slot)).toEqual(values);
    const wide = await decode(UID.jpegLs, src, format({ bitsStored: 8, highBit: 7 }));
    expect(wide.result).toEqual(OK);
    expect(uint16s(wide.slot)).toEqual(values);
    const signed = await decode(UID.jpegLs, src, format({ bitsStored: 8, highBit: 7, pixelRepresentation: 1 }));
    expect(int16s(signed.slot)).toEqual(values.map((v) => (v << 24) >> 24));
  });

  it('RGB in each interleave mode (none = planar, line, sample) comes out pixel-interleaved', async () => {
    const values = samples(PIXELS * 3, 0, 255, 5);
    // CharLS's encoder takes interleave mode none's samples plane by plane.
    const planar = Uint8Array.from({ length: PIXELS * 3 }, (_, i) => values[(i % PIXELS) * 3 + Math.floor(i / PIXELS)]);
    for (const interleave of [0, 1, 2]) {
      const src = await encodeJpegLs({ bytes: interleave === 0 ? planar : Uint8Array.from(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 8, components: 3 }, { interleave });
      const { result, slot } = await decode(UID.jpegLs, src, rgb);
      expect(result, `interleave ${interleave}`).toEqual(OK);
      expect(Array.from(slot), `interleave ${interleave}`).toEqual(values);
    }
  });

  it('near-lossless (.81, NEAR 3): every value within 3', async () => {
    const values = samples(PIXELS, 0, 4095, 6);
    const src = await encodeJpegLs({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 }, { near: 3 });
    const { result, slot } = await decode(UID.jpegLsNear, src, u12);
    expect(result).toEqual(OK);
    const got = uint16s(slot);
    expect(Math.max(...got.map((v, i) => Math.abs(v - values[i])))).toBeLessThanOrEqual(3);
  });

  it('refuses cut, corrupt and lying streams with typed errors, and decodes again after a codec failure', async () => {
    const values = samples(PIXELS, 0, 4095, 7);
    const src = await encodeJpegLs({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 });
    // Cut: refused before CharLS sees it (it would spin for seconds).
    for (const cut of [src.length - 1, src.length - 2, Math.floor(src.length / 2), 60]) refusal((await decode(UID.jpegLs, src.subarray(0, cut), u12)).result, 'truncated', 'EOI');
    refusal((await decode(UID.jpegLs, src.subarray(0, 20), u12)).result, 'truncated', 'ends inside its headers');
    // Corrupt scan data: CharLS throws; its message comes back.
    const before = loadedCodec('jpeg-ls');
    refusal((await decode(UID.jpegLs, corrupt(src, 60, 40), u12)).result, 'bad-header', 'CharLS');
    expect(loadedCodec('jpeg-ls')).toBeUndefined(); // dropped: the next frame loads a fresh one
    expect(before).toBeDefined();
    const again = await decode(UID.jpegLs, src, u12);
    expect(again.result).toEqual(OK);
    expect(uint16s(again.slot)).toEqual(values);
    // Lying or mismatched headers.
    refusal((await decode(UID.jpegLs, src, u12, PIXELS + 1)).result, 'bad-header', `${COLUMNS}×${ROWS}`);
    refusal((await decode(UID.jpegLs, src, format({ samplesPerPixel: 3, bitsAllocated: 8, bitsStored: 8, highBit: 7, photometric: 'RGB' }))).result, 'bad-header', '1 components');
    refusal((await decode(UID.jpegLs, src, u8)).result, 'bad-header', 'precision 12');
    refusal((await decode(UID.jpegLs, src, format({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }))).result, 'unsupported-format', 'BitsAllocated 32');
    refusal((await decode(UID.jpegLs, encodeJpegLossless(values, ROWS, COLUMNS, 12), u12)).result, 'bad-header', 'SOF55');
    refusal((await decode(UID.jpegLs, new Uint8Array([1, 2, 3, 4]), u12)).result, 'bad-header', 'SOI');
  });
});

describe('JPEG 2000 (OpenJPEG)', () => {
  it('unsigned 12-bit in 16, and unsigned 16-bit: exact, under .90 and .91', async () => {
    const values = samples(PIXELS, 0, 4095, 8);
    const src = await encodeJ2k({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 });
    for (const uid of [UID.j2k, UID.j2kAny]) {
      const { result, slot } = await decode(uid, src, u12);
      expect(result).toEqual(OK);
      expect(uint16s(slot)).toEqual(values);
    }
    const full = samples(PIXELS, 0, 65535, 9);
    const { result, slot } = await decode(UID.j2k, await encodeJ2k({ bytes: words(full), columns: COLUMNS, rows: ROWS, bitsPerSample: 16 }), u16);
    expect(result).toEqual(OK);
    expect(uint16s(slot)).toEqual(full);
  });

  it('signed: a signed component (16 and 12 bits) is exact; signed data coded as unsigned patterns too', async () => {
    const v16 = samples(PIXELS, -32768, 32767, 10);
    const a = await decode(UID.j2k, await encodeJ2k({ bytes: words(v16), columns: COLUMNS, rows: ROWS, bitsPerSample: 16, signed: true }), s16);
    expect(a.result).toEqual(OK);
    expect(int16s(a.slot)).toEqual(v16);
    const v12 = samples(PIXELS, -2048, 2047, 11);
    const b = await decode(UID.j2k, await encodeJ2k({ bytes: words(v12), columns: COLUMNS, rows: ROWS, bitsPerSample: 12, signed: true }), s12);
    expect(b.result).toEqual(OK);
    expect(int16s(b.slot)).toEqual(v12);
    const c = await decode(UID.j2k, await encodeJ2k({ bytes: words(v12.map((v) => v & 0xfff)), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 }), s12);
    expect(c.result).toEqual(OK);
    expect(int16s(c.slot)).toEqual(v12);
  });

  it('8-bit grey and RGB (reversible colour transform undone): exact', async () => {
    const grey = samples(PIXELS, 0, 255, 12);
    const a = await decode(UID.j2k, await encodeJ2k({ bytes: Uint8Array.from(grey), columns: COLUMNS, rows: ROWS, bitsPerSample: 8 }), u8);
    expect(a.result).toEqual(OK);
    expect(Array.from(a.slot)).toEqual(grey);
    const colour = samples(PIXELS * 3, 0, 255, 13);
    const b = await decode(UID.j2k, await encodeJ2k({ bytes: Uint8Array.from(colour), columns: COLUMNS, rows: ROWS, bitsPerSample: 8, components: 3 }), rgb);
    expect(b.result).toEqual(OK);
    expect(Array.from(b.slot)).toEqual(colour);
  });

  it('reads the codestream out of a JP2 file', async () => {
    const values = samples(PIXELS, 0, 4095, 14);
    const codestream = await encodeJ2k({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 });
    const box = (type: string, body: number[]) => [...u32(body.length + 8), ...[...type].map((c) => c.charCodeAt(0)), ...body];
    const jp2 = Uint8Array.from([...box('jP  ', [0x0d, 0x0a, 0x87, 0x0a]), ...box('ftyp', [...'jp2 '].map((c) => c.charCodeAt(0)).concat(0, 0, 0, 0)), ...box('jp2c', Array.from(codestream)), 0]);
    const header = readJ2kHeader(jp2);
    expect(header).toMatchObject({ kind: 'ok', value: { start: 36, end: 36 + codestream.length, columns: COLUMNS, rows: ROWS, components: 1, precision: 12, signed: false, complete: true } });
    const { result, slot } = await decode(UID.j2k, jp2, u12);
    expect(result).toEqual(OK);
    expect(uint16s(slot)).toEqual(values);
  });

  it('refuses cut, corrupt, lying and unsupported streams with typed errors', async () => {
    const values = samples(PIXELS, 0, 4095, 15);
    const src = await encodeJ2k({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 });
    for (const cut of [src.length - 1, src.length - 2, Math.floor(src.length / 2), 60]) refusal((await decode(UID.j2k, src.subarray(0, cut), u12)).result, 'truncated', 'EOC');
    refusal((await decode(UID.j2k, src.subarray(0, 30), u12)).result, 'truncated', 'image header');
    refusal((await decode(UID.j2k, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), u12)).result, 'bad-header', 'SOC');
    // A header and nothing else: OpenJPEG prints its error and gives no output.
    const headerOnly = Uint8Array.from([...src.subarray(0, 4 + ((src[4] << 8) | src[5])), 0xff, 0xd9]);
    refusal((await decode(UID.j2k, headerOnly, u12)).result, 'bad-header', 'could not be decoded');
    refusal((await decode(UID.j2k, src, u12, PIXELS - 1)).result, 'bad-header', `${COLUMNS}×${ROWS}`);
    refusal((await decode(UID.j2k, src, u8)).result, 'bad-header', 'precision 12');
    refusal((await decode(UID.j2k, src, rgb)).result, 'bad-header', '1 components');
    // An image offset on the reference grid (XOsiz, with Xsiz moved along): the codec would misread it.
    const offset = src.slice();
    const view = new DataView(offset.buffer);
    view.setUint32(8, COLUMNS + 5);
    view.setUint32(16, 5);
    refusal((await decode(UID.j2k, offset, u12)).result, 'unsupported-format', 'image offset');
    // Signed 8-bit: the codec clamps negatives to 0.
    const signed8 = await encodeJ2k({ bytes: Uint8Array.from(samples(PIXELS, 0, 255)), columns: COLUMNS, rows: ROWS, bitsPerSample: 8, signed: true });
    refusal((await decode(UID.j2k, signed8, format({ bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 1 }))).result, 'unsupported-format', 'clamps');
    // Corrupt data, markers intact: whatever OpenJPEG makes of it, a Result comes back.
    const r = (await decode(UID.j2k, corrupt(src, 120, 30), u12)).result;
    expect(['ok', 'error']).toContain(r.kind);
    expect((await decode(UID.j2k, src, u12)).result).toEqual(OK);
  });
});

describe('HTJ2K (OpenJPH)', () => {
  it('unsigned 12-bit values in a 16-bit codestream: exact, under .201, .202 and .203', async () => {
    const values = samples(PIXELS, 0, 4095, 16);
    const src = await encodeHtj2k({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 16 });
    for (const uid of [UID.htj2k, UID.htj2kRpcl, UID.htj2kAny]) {
      const { result, slot } = await decode(uid, src, u12);
      expect(result).toEqual(OK);
      expect(uint16s(slot)).toEqual(values);
    }
  });

  it('a 12-bit codestream (one row: the test encoder misplaces further rows of 12-bit samples)', async () => {
    const values = samples(COLUMNS * 3, 0, 4095, 17);
    const src = await encodeHtj2k({ bytes: words(values), columns: COLUMNS * 3, rows: 1, bitsPerSample: 12 });
    expect(readJ2kHeader(src)).toMatchObject({ kind: 'ok', value: { precision: 12, signed: false } });
    const { result, slot } = await decode(UID.htj2k, src, u12, COLUMNS * 3);
    expect(result).toEqual(OK);
    expect(uint16s(slot)).toEqual(values);
  });

  it('signed 16-bit: exact', async () => {
    const values = samples(PIXELS, -32768, 32767, 18);
    const { result, slot } = await decode(UID.htj2k, await encodeHtj2k({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 16, signed: true }), s16);
    expect(result).toEqual(OK);
    expect(int16s(slot)).toEqual(values);
  });

  it('8-bit grey and RGB, with and without the colour transform: exact', async () => {
    const grey = samples(PIXELS, 0, 255, 19);
    const a = await decode(UID.htj2k, await encodeHtj2k({ bytes: Uint8Array.from(grey), columns: COLUMNS, rows: ROWS, bitsPerSample: 8 }), u8);
    expect(a.result).toEqual(OK);
    expect(Array.from(a.slot)).toEqual(grey);
    const colour = samples(PIXELS * 3, 0, 255, 20);
    for (const transform of [true, false]) {
      const b = await decode(UID.htj2k, await encodeHtj2k({ bytes: Uint8Array.from(colour), columns: COLUMNS, rows: ROWS, bitsPerSample: 8, components: 3 }, transform), rgb);
      expect(b.result, `colour transform ${transform}`).toEqual(OK);
      expect(Array.from(b.slot), `colour transform ${transform}`).toEqual(colour);
    }
  });

  it('refuses cut, corrupt and lying streams with typed errors', async () => {
    const values = samples(PIXELS, 0, 4095, 21);
    const src = await encodeHtj2k({ bytes: words(values), columns: COLUMNS, rows: ROWS, bitsPerSample: 16 });
    // OpenJPH decodes a cut stream without a word: the EOC check catches it.
    for (const cut of [src.length - 1, src.length - 2, Math.floor(src.length / 2), 80]) refusal((await decode(UID.htj2k, src.subarray(0, cut), u12)).result, 'truncated', 'EOC');
    // A header and nothing else: OpenJPH throws; its printed error comes back.
    const headerOnly = Uint8Array.from([...src.subarray(0, 4 + ((src[4] << 8) | src[5])), 0xff, 0xd9]);
    refusal((await decode(UID.htj2k, headerOnly, u12)).result, 'bad-header', 'OpenJPH');
    expect((await decode(UID.htj2k, src, u12)).result).toEqual(OK);
    refusal((await decode(UID.htj2k, src, u12, PIXELS + 2)).result, 'bad-header', `${COLUMNS}×${ROWS}`);
    refusal((await decode(UID.htj2k, src, u8)).result, 'bad-header', 'precision 16');
    const r = (await decode(UID.htj2k, corrupt(src, 150, 30), u12)).result;
    expect(['ok', 'error']).toContain(r.kind);
  });
});

describe('8-bit JPEG (libjpeg-turbo)', () => {
  const W = 64;
  const H = 56;
  /** A smooth picture (the test encoder needs one, see testCodecEncoders.ts), `components` interleaved. */
  const smooth = (components = 1) =>
    Array.from({ length: W * H * components }, (_, i) => {
      const p = Math.floor(i / components);
      const c = i % components;
      return Math.round(127 + 100 * Math.sin((p % W) / (9 + 3 * c)) * Math.cos(Math.floor(p / W) / 11));
    });
  /** The codec's own output for a stream, straight from the module: what the slot must hold. */
  async function reference(src: Uint8Array): Promise<number[]> {
    expect(await ensureCodec('jpeg-baseline')).toEqual(OK);
    const decoder = new (loadedCodec('jpeg-baseline')!.module.JPEGDecoder)();
    decoder.getEncodedBuffer(src.length).set(src);
    decoder.decode();
    const out = Array.from(decoder.getDecodedBuffer());
    decoder.delete();
    return out;
  }
  const maxError = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

  it('grey baseline (SOF0), extended (.51) and progressive: the codec\'s output, close to the original', async () => {
    const values = smooth();
    for (const progressive of [false, true]) {
      const src = await encodeJpeg8({ bytes: Uint8Array.from(values), columns: W, rows: H, bitsPerSample: 8 }, { progressive });
      const sofMarker = progressive ? 0xc2 : 0xc0;
      expect(src.some((b, i) => b === 0xff && src[i + 1] === sofMarker)).toBe(true);
      for (const uid of [UID.baseline, UID.extended]) {
        const { result, slot } = await decode(uid, src, u8, W * H);
        expect(result).toEqual(OK);
        expect(Array.from(slot)).toEqual(await reference(src));
        expect(maxError(Array.from(slot), values)).toBeLessThanOrEqual(8);
      }
    }
  });

  it('RGB (coded as YCbCr): converted back to RGB, close to the original', async () => {
    const values = smooth(3);
    const src = await encodeJpeg8({ bytes: Uint8Array.from(values), columns: W, rows: H, bitsPerSample: 8, components: 3 });
    const { result, slot } = await decode(UID.baseline, src, rgb, W * H);
    expect(result).toEqual(OK);
    expect(Array.from(slot)).toEqual(await reference(src));
    expect(maxError(Array.from(slot), values)).toBeLessThanOrEqual(12);
  });

  it('refuses cut, corrupt, 12-bit and lossless streams with typed errors', async () => {
    const values = smooth();
    const src = await encodeJpeg8({ bytes: Uint8Array.from(values), columns: W, rows: H, bitsPerSample: 8 });
    const decodeAs = async (uid: string, stream: Uint8Array, f = u8, pixels = W * H) => (await decode(uid, stream, f, pixels)).result;
    for (const cut of [src.length - 2, src.length - 10, Math.floor(src.length * 0.8)]) refusal(await decodeAs(UID.baseline, src.subarray(0, cut)), 'truncated', 'libjpeg-turbo');
    refusal(await decodeAs(UID.baseline, src.subarray(0, 100)), 'truncated', 'ends inside its headers');
    const sos = src.findIndex((b, i) => b === 0xff && src[i + 1] === 0xda);
    refusal(await decodeAs(UID.baseline, corrupt(src, sos + 40, 200)), 'bad-header', 'libjpeg-turbo');
    expect(await decodeAs(UID.baseline, src)).toEqual(OK);
    const sof = src.findIndex((b, i) => b === 0xff && src[i + 1] === 0xc0);
    const twelve = src.slice();
    twelve[sof + 4] = 12;
    // A 12-bit stream goes to the extended decoder (jpegExtended.ts), which wants 16-bit slots.
    refusal(await decodeAs(UID.extended, twelve), 'bad-header', '12-bit JPEG samples need BitsAllocated 16');
    refusal(await decodeAs(UID.baseline, encodeJpegLossless(values, H, W, 8)), 'unsupported-format', 'SOF3');
    refusal(await decodeAs(UID.baseline, src, rgb), 'bad-header', '1 components');
    refusal(await decodeAs(UID.baseline, src, u8, W * H - 3), 'bad-header', `${W}×${H}`);
  });
});

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
