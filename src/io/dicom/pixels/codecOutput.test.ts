// What each wasm-codec decoder does with what its codec hands back, on stand-in codec modules (no
// wasm: fast): the codec's frame info checked against the stream's header with the numbers, the
// output copied into the slot (planar JPEG-LS interleaved, 8-bit samples widened), BitsStored
// applied without the HighBit shift, the codestream alone given to the codec, the decoder freed.
// The real codecs on real encoded streams are in wasmCodecs.test.ts; the header checks made before
// the codec is called in jpegChecks.test.ts and j2kHeader.test.ts.
import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import type { CodecModules, WasmCodec, WasmCodecKind } from './codecs';
import { decodeHtj2kFrame, decodeJpeg2000Frame } from './jpeg2000';
import { decodeJpegBaselineFrame } from './jpegBaseline';
import { decodeJpegLsFrame } from './jpegLs';

const format = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const rgb = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB' });
const OK = { kind: 'ok', value: undefined };
const refused = (code: string, message: string) => ({ kind: 'error', code, message });

const W = 5;
const H = 3;
const PIXELS = W * H;

interface Info {
  width?: number;
  height?: number;
  componentCount?: number;
  bitsPerSample?: number;
  isSigned?: boolean;
}

interface StandIn<K extends WasmCodecKind> {
  codec: WasmCodec<K>;
  /** What happened to the decoders: "buffer <size>", "decode", "delete". */
  calls: string[];
  /** The stream as the codec was given it. */
  given: () => number[];
}

/**
 * A codec module whose decoder (of any of the four kinds) reports `info` (a 5×3 frame of 12-bit
 * unsigned samples unless told) and hands back `output`; `printed` is what its decode prints.
 */
function standIn<K extends WasmCodecKind>(kind: K, output: ArrayLike<number>, info: Info = {}, interleave = 2, printed: string[] = [], thrown?: Error): StandIn<K> {
  const calls: string[] = [];
  let buffer = new Uint8Array(0);
  const log: string[] = ['stale'];
  class Decoder {
    getEncodedBuffer(size: number) {
      calls.push(`buffer ${size}`);
      buffer = new Uint8Array(size);
      return buffer;
    }
    decode() {
      calls.push('decode');
      log.push(...printed);
      if (thrown) throw thrown;
    }
    getFrameInfo() {
      return { width: W, height: H, componentCount: 1, bitsPerSample: 12, isSigned: false, ...info };
    }
    getInterleaveMode() {
      return interleave;
    }
    getDecodedBuffer() {
      return output;
    }
    delete() {
      calls.push('delete');
    }
  }
  const module = { JpegLSDecoder: Decoder, JPEGDecoder: Decoder, J2KDecoder: Decoder, HTJ2KDecoder: Decoder } as unknown as CodecModules[K];
  return { codec: { kind, name: 'STAND-IN', module, log }, calls, given: () => Array.from(buffer) };
}

/** Little-endian bytes of 16-bit words. */
const words = (values: number[]) => Array.from(new Uint8Array(new Uint16Array(values).buffer));
const int16s = (t: Uint8Array) => Array.from(new Int16Array(t.buffer, t.byteOffset, t.length / 2));
const uint16s = (t: Uint8Array) => Array.from(new Uint16Array(t.buffer, t.byteOffset, t.length / 2));
/** 15 twelve-bit patterns: 0xfff (−1 signed), 0x800 (−2048), 0x7ff, and bits above bit 11 set. */
const PATTERNS = [0x0fff, 0x0800, 0x07ff, 0x0000, 0xf001, 0x1234, 5, 6, 7, 8, 9, 10, 11, 12, 0xffff];

/** SOI, a frame header (5×3 unless told), a scan header, three bytes of "scan", EOI. */
function jpeg(sof: number, precision: number, components = 1, rows = H, columns = W): Uint8Array {
  const sofBody = [precision, rows >> 8, rows & 0xff, columns >> 8, columns & 0xff, components, ...Array.from({ length: components }, (_, c) => [c + 1, 0x11, 0]).flat()];
  const sos = [components, ...Array.from({ length: components }, (_, c) => [c + 1, 0]).flat(), 0, 0, 0];
  return Uint8Array.from([0xff, 0xd8, 0xff, sof, 0, sofBody.length + 2, ...sofBody, 0xff, 0xda, 0, sos.length + 2, ...sos, 1, 2, 3, 0xff, 0xd9]);
}

const be32 = (v: number) => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

/** SOC, SIZ (5×3, `components` of Ssiz `ssiz`), a stand-in for the rest, EOC. */
function codestream(ssiz = 11, components = 1): Uint8Array {
  const siz = [0, 38 + 3 * components, 0, 0, ...be32(W), ...be32(H), ...be32(0), ...be32(0), ...be32(W), ...be32(H), ...be32(0), ...be32(0), 0, components];
  for (let c = 0; c < components; c++) siz.push(ssiz, 1, 1);
  return Uint8Array.from([0xff, 0x4f, 0xff, 0x51, ...siz, 0xff, 0x90, 1, 2, 3, 0xff, 0xd9]);
}

describe('JPEG-LS (CharLS stand-in)', () => {
  const src = jpeg(0xf7, 12);
  const ls = <F extends DicomPixelFormat>(s: StandIn<'jpeg-ls'>, f: F, stream = src) => {
    const target = new Uint8Array(PIXELS * f.samplesPerPixel * (f.bitsAllocated / 8));
    return { result: decodeJpegLsFrame(stream, target, f, s.codec), target };
  };

  it('copies the output, then sign-extends from BitsStored with no HighBit shift; the decoder is freed after the read', () => {
    const s = standIn('jpeg-ls', words(PATTERNS));
    const { result, target } = ls(s, format({ pixelRepresentation: 1, highBit: 15 }));
    expect(result).toEqual(OK);
    expect(int16s(target)).toEqual([-1, -2048, 2047, 0, 1, 0x234, 5, 6, 7, 8, 9, 10, 11, 12, -1]);
    expect(s.calls).toEqual([`buffer ${src.length}`, 'decode', 'delete']);
    expect(s.given()).toEqual(Array.from(src));
    expect(s.codec.log).toEqual([]);
    const unsigned = ls(standIn('jpeg-ls', words(PATTERNS)), format());
    expect(uint16s(unsigned.target)).toEqual(PATTERNS.map((v) => v & 0xfff));
  });

  it('takes one byte a sample up to precision 8, two above', () => {
    const f8 = format({ bitsStored: 8, highBit: 7 });
    const bytes = Array.from({ length: PIXELS }, (_, i) => 250 - i);
    const eight = ls(standIn('jpeg-ls', bytes, { bitsPerSample: 8 }), f8, jpeg(0xf7, 8));
    expect(eight.result).toEqual(OK);
    expect(uint16s(eight.target)).toEqual(bytes);
    const nine = ls(standIn('jpeg-ls', bytes, { bitsPerSample: 9 }), format({ bitsStored: 9, highBit: 8 }), jpeg(0xf7, 9));
    expect(nine.result).toEqual(refused('bad-header', "CharLS gave 15 bytes of samples, the frame's 15 pixels × 1 sample(s) need 30"));
    expect(nine.target.every((b) => b === 0)).toBe(true);
  });

  it('interleaves colour of interleave mode none (planar), copies the other modes as they are', () => {
    const planes = Array.from({ length: PIXELS * 3 }, (_, i) => i);
    const colour = jpeg(0xf7, 8, 3);
    const none = ls(standIn('jpeg-ls', planes, { componentCount: 3, bitsPerSample: 8 }, 0), rgb, colour);
    expect(none.result).toEqual(OK);
    expect(Array.from(none.target.subarray(0, 6))).toEqual([0, 15, 30, 1, 16, 31]);
    for (const mode of [1, 2]) {
      const other = ls(standIn('jpeg-ls', planes, { componentCount: 3, bitsPerSample: 8 }, mode), rgb, colour);
      expect(Array.from(other.target), `mode ${mode}`).toEqual(planes);
    }
  });

  it('refuses a frame the codec decoded otherwise than the header said, with both', () => {
    const says = (got: string) => refused('bad-header', `CharLS decoded a ${got}, its header says 5×3, 1 × 12-bit`);
    const f = format();
    expect(ls(standIn('jpeg-ls', words(PATTERNS), { width: 3, height: 5 }), f).result).toEqual(says('3×5 frame of 1 × 12-bit samples'));
    expect(ls(standIn('jpeg-ls', words(PATTERNS), { width: 4 }), f).result).toEqual(says('4×3 frame of 1 × 12-bit samples'));
    expect(ls(standIn('jpeg-ls', words(PATTERNS), { height: 2 }), f).result).toEqual(says('5×2 frame of 1 × 12-bit samples'));
    expect(ls(standIn('jpeg-ls', words(PATTERNS), { componentCount: 3 }), f).result).toEqual(says('5×3 frame of 3 × 12-bit samples'));
    expect(ls(standIn('jpeg-ls', words(PATTERNS), { bitsPerSample: 11 }), f).result).toEqual(says('5×3 frame of 1 × 11-bit samples'));
  });
});

describe('8-bit JPEG (libjpeg-turbo stand-in)', () => {
  const src = jpeg(0xc0, 8);
  const jpg = (s: StandIn<'jpeg-baseline'>, f: DicomPixelFormat, stream = src) => {
    const target = new Uint8Array(PIXELS * f.samplesPerPixel * (f.bitsAllocated / 8));
    return { result: decodeJpegBaselineFrame(stream, target, f, s.codec), target };
  };
  const bytes = [0xff, 0x80, 0x7f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xfe];

  it('widens its bytes into a 16-bit slot and sign-extends from BitsStored with no HighBit shift; the decoder is freed', () => {
    const s = standIn('jpeg-baseline', bytes, { componentCount: 1 });
    const { result, target } = jpg(s, format({ bitsStored: 8, highBit: 15, pixelRepresentation: 1 }));
    expect(result).toEqual(OK);
    expect(int16s(target)).toEqual([-1, -128, 127, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -2]);
    expect(s.calls).toEqual([`buffer ${src.length}`, 'decode', 'delete']);
    expect(s.given()).toEqual(Array.from(src));
    const narrow = jpg(standIn('jpeg-baseline', bytes), format({ bitsAllocated: 8, bitsStored: 7, highBit: 6 }));
    expect(Array.from(narrow.target)).toEqual(bytes.map((v) => v & 0x7f));
  });

  it('refuses a frame the codec decoded otherwise than the header said, with both', () => {
    const says = (got: string) => refused('bad-header', `libjpeg-turbo decoded a ${got}, its header says 5×3, 1`);
    const u8 = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7 });
    expect(jpg(standIn('jpeg-baseline', bytes, { width: 3, height: 5 }), u8).result).toEqual(says('3×5 frame of 1 components'));
    expect(jpg(standIn('jpeg-baseline', bytes, { width: 6 }), u8).result).toEqual(says('6×3 frame of 1 components'));
    expect(jpg(standIn('jpeg-baseline', bytes, { height: 4 }), u8).result).toEqual(says('5×4 frame of 1 components'));
    expect(jpg(standIn('jpeg-baseline', bytes, { componentCount: 3 }), u8).result).toEqual(says('5×3 frame of 3 components'));
    const short = jpg(standIn('jpeg-baseline', bytes.slice(1)), u8);
    expect(short.result).toEqual(refused('bad-header', "libjpeg-turbo gave 14 bytes of samples, the frame's 15 pixels × 1 sample(s) need 15"));
    expect(short.target.every((b) => b === 0)).toBe(true);
  });

  it('RGB comes out as the codec gave it', () => {
    const colour = Array.from({ length: PIXELS * 3 }, (_, i) => 3 * i);
    const { result, target } = jpg(standIn('jpeg-baseline', colour, { componentCount: 3 }), rgb, jpeg(0xc0, 8, 3));
    expect(result).toEqual(OK);
    expect(Array.from(target)).toEqual(colour);
  });
});

describe('JPEG 2000 and HTJ2K (OpenJPEG and OpenJPH stand-ins)', () => {
  const decoders = {
    'JPEG 2000': { kind: 'jpeg2000', codecName: 'OpenJPEG', decode: decodeJpeg2000Frame },
    HTJ2K: { kind: 'htj2k', codecName: 'OpenJPH', decode: decodeHtj2kFrame },
  } as const;
  for (const [name, { kind, codecName, decode }] of Object.entries(decoders)) {
    const run = (s: StandIn<typeof kind>, f: DicomPixelFormat, stream: Uint8Array) => {
      const target = new Uint8Array(PIXELS * f.samplesPerPixel * (f.bitsAllocated / 8));
      return { result: (decode as (src: Uint8Array, t: Uint8Array, f: DicomPixelFormat, c: WasmCodec<typeof kind>) => ReturnType<typeof decodeJpeg2000Frame>)(stream, target, f, s.codec), target };
    };

    it(`${name}: the codestream alone to the codec, its output sign-extended from BitsStored with no HighBit shift; the decoder freed`, () => {
      const stream = codestream();
      // In a JP2 file: a signature box, then the codestream box.
      const jp2 = Uint8Array.from([0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, ...be32(stream.length + 8), 0x6a, 0x70, 0x32, 0x63, ...stream]);
      const s = standIn(kind, words(PATTERNS));
      const { result, target } = run(s, format({ pixelRepresentation: 1, highBit: 15 }), jp2);
      expect(result).toEqual(OK);
      expect(int16s(target)).toEqual([-1, -2048, 2047, 0, 1, 0x234, 5, 6, 7, 8, 9, 10, 11, 12, -1]);
      expect(s.calls).toEqual([`buffer ${stream.length}`, 'decode', 'delete']);
      expect(s.given()).toEqual(Array.from(stream));
    });

    it(`${name}: one byte a sample up to precision 8, two above`, () => {
      const bytes = Array.from({ length: PIXELS }, (_, i) => 200 + i);
      const eight = run(standIn(kind, bytes, { bitsPerSample: 8 }), format({ bitsStored: 8, highBit: 7 }), codestream(7));
      expect(eight.result).toEqual(OK);
      expect(uint16s(eight.target)).toEqual(bytes);
      const nine = run(standIn(kind, bytes, { bitsPerSample: 9 }), format({ bitsStored: 9, highBit: 8 }), codestream(8));
      expect(nine.result).toEqual(refused('bad-header', `${codecName} gave 15 bytes of samples, the frame's 15 pixels × 1 sample(s) need 30`));
      expect(nine.target.every((b) => b === 0)).toBe(true);
    });

    it(`${name}: RGB comes out as the codec gave it (pixel-interleaved)`, () => {
      const colour = Array.from({ length: PIXELS * 3 }, (_, i) => 3 * i);
      const { result, target } = run(standIn(kind, colour, { componentCount: 3, bitsPerSample: 8 }), rgb, codestream(7, 3));
      expect(result).toEqual(OK);
      expect(Array.from(target)).toEqual(colour);
    });

    it(`${name}: a codec that throws is bad-header with its words, the slot untouched`, () => {
      const stream = codestream();
      const target = new Uint8Array(PIXELS * 2);
      const s = standIn(kind, words(PATTERNS), {}, 2, [], new Error('broken tile'));
      expect(decode(stream, target, format(), s.codec as never)).toEqual(refused('bad-header', `${name} stream of ${stream.length} bytes could not be decoded: STAND-IN failed: broken tile`));
      expect(target.every((b) => b === 0)).toBe(true);
    });

    it(`${name}: refuses a frame the codec decoded otherwise than the header said, with both`, () => {
      const says = (got: string) => refused('bad-header', `${codecName} decoded a ${got}, its header says 5×3, 1 × 12-bit`);
      const f = format();
      const stream = codestream();
      const check = (info: Info, got: string) => {
        const r = run(standIn(kind, words(PATTERNS), info), f, stream);
        expect(r.result, JSON.stringify(info)).toEqual(says(got));
        expect(r.target.every((b) => b === 0)).toBe(true);
      };
      check({ width: 3, height: 5 }, '3×5 frame of 1 × 12-bit samples');
      check({ width: 4 }, '4×3 frame of 1 × 12-bit samples');
      check({ height: 2 }, '5×2 frame of 1 × 12-bit samples');
      check({ componentCount: 3 }, '5×3 frame of 3 × 12-bit samples');
      check({ bitsPerSample: 13 }, '5×3 frame of 1 × 13-bit samples');
      check({ isSigned: true }, '5×3 frame of 1 × 12-bit samples');
      // A signed component, decoded as signed: as the header says.
      expect(run(standIn(kind, words(PATTERNS), { isSigned: true }), format({ pixelRepresentation: 1 }), codestream(0x8b)).result).toEqual(OK);
    });
  }

  it('JPEG 2000: no output (OpenJPEG only prints its error) is refused with what it printed', () => {
    const stream = codestream();
    const s = standIn('jpeg2000', [], {}, 2, ['[INFO] tile 1', '[ERROR] Stream too short']);
    const target = new Uint8Array(PIXELS * 2);
    expect(decodeJpeg2000Frame(stream, target, format(), s.codec)).toEqual(refused('bad-header', `JPEG 2000 stream of ${stream.length} bytes could not be decoded ([ERROR] Stream too short)`));
    expect(target.every((b) => b === 0)).toBe(true);
  });
});
