// JPEG-LS and 8-bit JPEG: the checks of the frame header against the DICOM format made before the
// codec is called, on headers built here byte by byte, and what callCodec makes of a codec that
// throws (an Error, a C++ exception pointer, with and without the codec's own message). The real
// codecs on real encoded streams are in wasmCodecs.test.ts.
import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { callCodec, codecSays, decodeWith, endsWithMarker, type CodecModules, type WasmCodec, type WasmCodecKind } from './codecs';
import { decodeJpegBaselineFrame } from './jpegBaseline';
import { decodeJpegExtendedFrame } from './jpegExtended';
import { readJpegFrameHeader } from './jpegLossless';
import { decodeJpegLsFrame } from './jpegLs';

const format = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const u8 = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7 });
const rgb = format({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB' });

interface Frame {
  sof?: number;
  precision?: number;
  rows?: number;
  columns?: number;
  components?: number;
  eoi?: boolean;
}

/** SOI, a frame header (37×29, one component), a scan header, three bytes of "scan", EOI. */
function jpeg({ sof = 0xf7, precision = 12, rows = 29, columns = 37, components = 1, eoi = true }: Frame = {}): Uint8Array {
  const sofBody = [precision, rows >> 8, rows & 0xff, columns >> 8, columns & 0xff, components, ...Array.from({ length: components }, (_, c) => [c + 1, 0x11, 0]).flat()];
  const sos = [components, ...Array.from({ length: components }, (_, c) => [c + 1, 0]).flat(), 0, 0, 0];
  return Uint8Array.from([0xff, 0xd8, 0xff, sof, 0, sofBody.length + 2, ...sofBody, 0xff, 0xda, 0, sos.length + 2, ...sos, 1, 2, 3, ...(eoi ? [0xff, 0xd9] : [])]);
}

const slot = (f: DicomPixelFormat, pixels = 37 * 29) => new Uint8Array(pixels * f.samplesPerPixel * (f.bitsAllocated / 8));

/**
 * A stand-in codec whose decoder constructor throws `thrown` (after the checks, the decode is the
 * first thing that touches the module), with the module's printed lines in `log`.
 */
function throwingCodec<K extends WasmCodecKind>(kind: K, name: string, thrown: unknown, extra: Record<string, unknown> = {}, log: string[] = []): WasmCodec<K> {
  const Decoder = function () {
    throw thrown;
  };
  const module = { JpegLSDecoder: Decoder, JPEGDecoder: Decoder, J2KDecoder: Decoder, HTJ2KDecoder: Decoder, ...extra } as unknown as CodecModules[K];
  return { kind, name, module, log };
}
const reached = <K extends 'jpeg-ls' | 'jpeg-baseline'>(kind: K) => throwingCodec(kind, 'STAND-IN', new Error('reached'));

describe('JPEG-LS: the frame header against the format, before CharLS is called', () => {
  const ls = (src: Uint8Array, f: DicomPixelFormat, pixels?: number) => decodeJpegLsFrame(src, slot(f, pixels), f, reached('jpeg-ls'));
  const refused = (code: string, message: string) => ({ kind: 'error', code, message });

  it('refuses each mismatch with its numbers', () => {
    expect(ls(jpeg(), format({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }))).toEqual(refused('unsupported-format', 'JPEG-LS with BitsAllocated 32 is not supported (at most 16)'));
    expect(ls(jpeg({ sof: 0xc3 }), format())).toEqual(refused('bad-header', 'JPEG-LS frame has frame header FF C3, not the JPEG-LS SOF55 (FF F7)'));
    expect(ls(jpeg(), rgb)).toEqual(refused('bad-header', 'JPEG-LS frame has 1 components, SamplesPerPixel is 3'));
    expect(ls(jpeg(), format(), 37 * 29 + 1)).toEqual(refused('bad-header', 'JPEG-LS frame is 37×29 (1073 pixels), the DICOM frame has 1074 pixels'));
    expect(ls(jpeg({ precision: 1 }), format())).toEqual(refused('bad-header', 'JPEG-LS sample precision 1 does not fit BitsAllocated 16'));
    expect(ls(jpeg({ precision: 17 }), format())).toEqual(refused('bad-header', 'JPEG-LS sample precision 17 does not fit BitsAllocated 16'));
    expect(ls(jpeg({ precision: 12 }), u8)).toEqual(refused('bad-header', 'JPEG-LS sample precision 12 does not fit BitsAllocated 8'));
    expect(ls(jpeg({ eoi: false }), format())).toEqual(refused('truncated', 'JPEG-LS stream of 28 bytes does not end with its EOI marker (FF D9): it is cut'));
    expect(ls(jpeg().subarray(0, 5), format())).toMatchObject({ kind: 'error', code: 'truncated', message: expect.stringContaining('ends inside its headers') });
  });

  it('passes precision 2, 8 and 16 on to the codec', () => {
    for (const [precision, f] of [
      [2, format()],
      [8, u8],
      [16, format({ bitsStored: 16, highBit: 15 })],
    ] as const) {
      expect(ls(jpeg({ precision }), f), `precision ${precision}`).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('STAND-IN failed: reached') });
    }
  });
});

describe('8-bit JPEG: the frame header against the format, before libjpeg-turbo is called', () => {
  const jpg = (src: Uint8Array, f: DicomPixelFormat, pixels?: number) => decodeJpegBaselineFrame(src, slot(f, pixels), f, reached('jpeg-baseline'));
  const refused = (code: string, message: string) => ({ kind: 'error', code, message });

  it('refuses each mismatch with its numbers', () => {
    expect(jpg(jpeg({ sof: 0xc0, precision: 8 }), format({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }))).toEqual(refused('unsupported-format', 'JPEG with BitsAllocated 32 is not supported'));
    expect(jpg(jpeg({ sof: 0xc3, precision: 8 }), u8)).toEqual(refused('unsupported-format', 'JPEG frame type SOF3 (FF C3) is not an 8-bit DCT frame (baseline, extended or progressive)'));
    expect(jpg(jpeg({ sof: 0xcb, precision: 8 }), u8)).toEqual(refused('unsupported-format', 'JPEG frame type SOF11 (FF CB) is not an 8-bit DCT frame (baseline, extended or progressive)'));
    expect(jpg(jpeg({ sof: 0xc1, precision: 12 }), format())).toEqual(refused('unsupported-format', 'JPEG with 12-bit samples is not supported (8-bit only)'));
    expect(jpg(jpeg({ sof: 0xc0, precision: 8 }), rgb)).toEqual(refused('bad-header', 'JPEG frame has 1 components, SamplesPerPixel is 3'));
    expect(jpg(jpeg({ sof: 0xc0, precision: 8 }), u8, 37 * 29 - 1)).toEqual(refused('bad-header', 'JPEG frame is 37×29 (1073 pixels), the DICOM frame has 1072 pixels'));
  });

  it('passes every DCT frame type on, into 8- and 16-bit slots; a failure is truncated when EOI is missing', () => {
    for (const sof of [0xc0, 0xc1, 0xc2, 0xc9, 0xca]) {
      for (const f of [u8, format({ bitsStored: 8, highBit: 7 })]) {
        expect(jpg(jpeg({ sof, precision: 8 }), f), `SOF ${sof}`).toEqual(refused('bad-header', 'JPEG stream of 30 bytes could not be decoded: STAND-IN failed: reached'));
      }
    }
    expect(jpg(jpeg({ sof: 0xc0, precision: 8, eoi: false }), u8)).toEqual(refused('truncated', 'JPEG stream of 28 bytes could not be decoded: STAND-IN failed: reached'));
  });
});

describe('12-bit JPEG (extended): what the vendored decoder is not given', () => {
  const header = { sof: 0xc1, precision: 12, rows: 29, columns: 37, components: 1 };
  it('refuses colour, 8-bit slots and a frame of another size; a stream it cannot read is bad-header', () => {
    expect(decodeJpegExtendedFrame(new Uint8Array(4), slot(rgb), rgb, { ...header, components: 3 })).toEqual({
      kind: 'error',
      code: 'unsupported-format',
      message: '12-bit JPEG with 3 components: only grey (one component) is supported at more than 8 bits',
    });
    expect(decodeJpegExtendedFrame(new Uint8Array(4), slot(rgb), rgb, header)).toMatchObject({ kind: 'error', code: 'unsupported-format' });
    expect(decodeJpegExtendedFrame(new Uint8Array(4), slot(u8), u8, header)).toEqual({ kind: 'error', code: 'bad-header', message: '12-bit JPEG samples need BitsAllocated 16, not 8' });
    expect(decodeJpegExtendedFrame(new Uint8Array(4), slot(format(), 100), format(), header)).toEqual({ kind: 'error', code: 'bad-header', message: "the JPEG frame is 37×29, the image's frame holds 100 pixels" });
    const target = slot(format());
    expect(decodeJpegExtendedFrame(new Uint8Array([1, 2, 3, 4]), target, format(), header)).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringMatching(/^the 12-bit JPEG stream cannot be decoded: ./) });
    expect(target.every((b) => b === 0)).toBe(true);
  });
});

describe('callCodec: what a codec throws becomes a typed error with its words', () => {
  it('an Error: its message and the codec\'s printed error lines; the module is dropped', () => {
    const codec = throwingCodec('jpeg2000', 'JPEG 2000 (OpenJPEG)', new Error('bad marker'), {}, ['stale line']);
    const r = callCodec(codec, 'bad-header', 'JPEG 2000 stream of 9 bytes could not be decoded', (m) => {
      codec.log.push('[INFO] start', '[ERROR] tile 0 broken', '[INFO] end');
      return new m.J2KDecoder();
    });
    expect(r).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG 2000 stream of 9 bytes could not be decoded: JPEG 2000 (OpenJPEG) failed: bad marker ([ERROR] tile 0 broken)' });
  });

  it('a C++ exception pointer: the codec\'s own message where it can tell it, else what it printed', () => {
    const explained = throwingCodec('jpeg-ls', 'JPEG-LS (CharLS)', 4242, { getExceptionMessage: (p: number) => `invalid data at ${p}` });
    expect(callCodec(explained, 'bad-header', 'JPEG-LS stream', (m) => new m.JpegLSDecoder())).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG-LS stream: JPEG-LS (CharLS): invalid data at 4242' });
    const mute = throwingCodec('jpeg-ls', 'JPEG-LS (CharLS)', 4242, {
      getExceptionMessage: () => {
        throw new Error('no message');
      },
    });
    expect(callCodec(mute, 'truncated', 'JPEG-LS stream', (m) => {
      mute.log.push('last words');
      return new m.JpegLSDecoder();
    })).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG-LS stream: JPEG-LS (CharLS) failed (last words)' });
    const pointerOnly = throwingCodec('htj2k', 'HTJ2K (OpenJPH)', 77);
    expect(callCodec(pointerOnly, 'bad-header', 'HTJ2K stream', (m) => new m.HTJ2KDecoder())).toEqual({ kind: 'error', code: 'bad-header', message: 'HTJ2K stream: HTJ2K (OpenJPH) failed' });
    const text = throwingCodec('jpeg-baseline', 'JPEG (libjpeg-turbo)', 'abort(oom)');
    expect(callCodec(text, 'bad-header', 'JPEG stream', (m) => new m.JPEGDecoder())).toEqual({ kind: 'error', code: 'bad-header', message: 'JPEG stream: JPEG (libjpeg-turbo) failed: abort(oom)' });
  });

  it('ok with what the work returned, the log cleared first', () => {
    const codec = throwingCodec('jpeg-ls', 'X', new Error('unused'), {}, ['old']);
    expect(callCodec(codec, 'bad-header', 'w', () => 5)).toEqual({ kind: 'ok', value: 5 });
    expect(codec.log).toEqual([]);
  });
});

describe('decodeWith', () => {
  it('copies the stream into the decoder, decodes, reads, then frees the decoder', () => {
    const calls: string[] = [];
    let buffer = new Uint8Array(0);
    const decoder = {
      getEncodedBuffer: (size: number) => {
        calls.push(`buffer ${size}`);
        buffer = new Uint8Array(size);
        return buffer;
      },
      decode: () => calls.push(`decode ${Array.from(buffer).join(',')}`),
      delete: () => calls.push('delete'),
    };
    expect(decodeWith(decoder, Uint8Array.from([7, 8, 9]), () => calls.push('read') && 'value')).toBe('value');
    expect(calls).toEqual(['buffer 3', 'decode 7,8,9', 'read', 'delete']);
  });
});

describe('readJpegFrameHeader', () => {
  const SOI = [0xff, 0xd8];
  const sof = (marker: number, length = 11) => [0xff, marker, 0, length, 12, 0, 29, 0, 37, 1, 1, 0x11, 0].slice(0, 2 + length);
  const SOS = [0xff, 0xda, 0, 8, 1, 1, 0, 0, 0, 0];
  const header = (marker: number) => ({ kind: 'ok', value: { sof: marker, precision: 12, rows: 29, columns: 37, components: 1 } });
  const bad = (message: string) => ({ kind: 'error', code: 'bad-header', message });

  it('steps over fill bytes, TEM and RSTn (no length), segments and reserved SOF-like markers (DHT, JPG, DAC)', () => {
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff, 0xff, 0xff, 0x01, 0xff, 0xd0, 0xff, 0xd7, ...sof(0xc3), ...SOS]))).toEqual(header(0xc3));
    for (const reserved of [0xc4, 0xc8, 0xcc]) {
      expect(readJpegFrameHeader(Uint8Array.from([...SOI, ...sof(reserved), ...sof(0xc1), ...SOS])), reserved.toString(16)).toEqual(header(0xc1));
    }
    // The first frame header counts (hierarchical streams carry more).
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, ...sof(0xcf), ...sof(0xc0), ...SOS]))).toEqual(header(0xcf));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, ...sof(0xf7), ...SOS]))).toEqual(header(0xf7));
    // Another SOI has no length; a reserved marker below SOF0 is a segment stepped over, not a frame header.
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, ...SOI, ...sof(0xc3), ...SOS]))).toEqual(header(0xc3));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, ...sof(0xbf), ...sof(0xc3), ...SOS]))).toEqual(header(0xc3));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff, 0xe0, 0, 2, ...sof(0xc0, 8), ...SOS]))).toEqual({ kind: 'ok', value: { sof: 0xc0, precision: 12, rows: 29, columns: 37, components: 1 } });
  });

  it('refuses each malformed stream with its whole message', () => {
    expect(readJpegFrameHeader(Uint8Array.from([0xff, 0xd9]))).toEqual(bad('JPEG frame does not start with a JPEG SOI marker (FF D8)'));
    expect(readJpegFrameHeader(Uint8Array.from([0xff]))).toEqual(bad('JPEG frame does not start with a JPEG SOI marker (FF D8)'));
    expect(readJpegFrameHeader(new Uint8Array(0))).toEqual(bad('JPEG frame does not start with a JPEG SOI marker (FF D8)'));
    expect(readJpegFrameHeader(Uint8Array.from([0x00, 0xd8, ...sof(0xc3), ...SOS]))).toEqual(bad('JPEG frame does not start with a JPEG SOI marker (FF D8)'));
    expect(readJpegFrameHeader(Uint8Array.from(SOI))).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG stream of 2 bytes ends inside its headers (needs at least 4)' });
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff, 0x02, 0, 1, ...sof(0xc0), ...SOS]))).toEqual(bad('JPEG marker segment FF 02 at 2 has length 1'));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff, 0xe0, 0, 1, ...sof(0xc0), ...SOS]))).toEqual(bad('JPEG marker segment FF E0 at 2 has length 1'));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff, 0xe0, 0, 0, ...sof(0xc0), ...SOS]))).toEqual(bad('JPEG marker segment FF E0 at 2 has length 0'));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, ...sof(0xc3, 7), ...SOS]))).toEqual(bad('JPEG frame header (FF C3) is 7 bytes long, too short'));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, ...SOS]))).toEqual(bad('JPEG stream reaches its scan (SOS) before any frame header (SOF)'));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff, 0xd9]))).toEqual(bad('JPEG stream ends (EOI) before its scan'));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0x12, 0x34]))).toEqual(bad('JPEG stream has byte 0x12 at 2 where a marker should start'));
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff]))).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG stream of 3 bytes ends inside its headers (needs at least 4)' });
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff, 0xe0, 0]))).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG stream of 5 bytes ends inside its headers (needs at least 6)' });
    expect(readJpegFrameHeader(Uint8Array.from([...SOI, 0xff, 0xe0, 0, 6, 1]))).toEqual({ kind: 'error', code: 'truncated', message: 'JPEG stream of 7 bytes ends inside its headers (needs at least 10)' });
  });
});

describe('endsWithMarker and codecSays', () => {
  it('a stream ends with FF D9 (or another marker), zero padding after it allowed', () => {
    expect(endsWithMarker(Uint8Array.from([1, 0xff, 0xd9]))).toBe(true);
    expect(endsWithMarker(Uint8Array.from([0xff, 0xd9]))).toBe(true);
    expect(endsWithMarker(Uint8Array.from([1, 0xff, 0xd9, 0, 0]))).toBe(true);
    expect(endsWithMarker(Uint8Array.from([1, 0xff, 0xd8]))).toBe(false);
    expect(endsWithMarker(Uint8Array.from([1, 0xfe, 0xd9]))).toBe(false);
    expect(endsWithMarker(Uint8Array.from([0xd9]))).toBe(false);
    expect(endsWithMarker(Uint8Array.from([0xd9, 0, 0]))).toBe(false);
    expect(endsWithMarker(new Uint8Array(0))).toBe(false);
    expect(endsWithMarker(Uint8Array.from([1, 0xff, 0x4f]), 0x4f)).toBe(true);
    expect(endsWithMarker(Uint8Array.from([1, 0xff, 0xd9]), 0x4f)).toBe(false);
  });

  it('says the codec\'s error and abort lines (the last 3), else its last line, trimmed; nothing for an empty log', () => {
    expect(codecSays([])).toBe('');
    expect(codecSays(['  ', ''])).toBe('');
    expect(codecSays(['[INFO] a', '[ERROR] b', '[INFO] c'])).toBe(' ([ERROR] b)');
    expect(codecSays(['[INFO] a', '  last words  '])).toBe(' (last words)');
    expect(codecSays(['Aborted(OOM)', 'x', 'an Error', 'abort 2', 'ERROR 3', 'y'])).toBe(' (an Error; abort 2; ERROR 3)');
    expect(codecSays(['error one ', 'two'])).toBe(' (error one)');
  });
});
