// Loading the wasm codecs (codecs.ts) with stand-in emscripten factories (vi.mock, no wasm): what
// the factory is given, what a failed load says, that a failed load is tried again, that
// concurrent callers share one load; the module's printed lines kept (the newest 40); where the
// .wasm is looked for. The real codecs load in wasmCodecs.test.ts.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { codecWasmUrl, dropCodec, ensureCodec, keepLine, loadedCodec, locateWasm } from './codecs';
import { decodeFrameAsync } from './transferSyntaxes';

interface Args {
  locateFile: (path: string, prefix: string) => string;
  print: (line: string) => void;
  printErr: (line: string) => void;
}

/** What each stand-in factory does when called; `calls` counts the calls. */
const factories = vi.hoisted(() => ({
  calls: { charls: 0, openjpeg: 0, openjph: 0, libjpeg: 0 },
  libjpeg: (_args: Args): Promise<unknown> => Promise.resolve({}),
  charls: (_args: Args): Promise<unknown> => Promise.resolve({}),
  openjpeg: (_args: Args): Promise<unknown> => Promise.resolve({}),
  openjph: (_args: Args): Promise<unknown> => Promise.resolve({}),
}));

/** A codec package's module: its default export counts the call and runs the stand-in of that kind. */
const standIn = vi.hoisted(() => (kind: 'charls' | 'openjpeg' | 'openjph' | 'libjpeg') => ({
  default: (args: Args) => {
    factories.calls[kind]++;
    return factories[kind](args);
  },
}));

vi.mock('@cornerstonejs/codec-charls/decodewasmjs', () => standIn('charls'));
vi.mock('@cornerstonejs/codec-openjpeg/decodewasmjs', () => standIn('openjpeg'));
vi.mock('@cornerstonejs/codec-openjph/wasmjs', () => standIn('openjph'));
vi.mock('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', () => standIn('libjpeg'));

const u12: DicomPixelFormat = { bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2' };

beforeEach(() => {
  for (const kind of ['jpeg-ls', 'jpeg2000', 'htj2k', 'jpeg-baseline'] as const) dropCodec(kind);
  factories.calls = { charls: 0, openjpeg: 0, openjph: 0, libjpeg: 0 };
  factories.charls = factories.openjpeg = factories.openjph = factories.libjpeg = () => Promise.resolve({});
});

describe('loading a codec', () => {
  it('gives the factory a locateFile that finds the .wasm beside the glue (Node), and a log for what it prints', async () => {
    const module = { name: 'the module' };
    let located = '';
    factories.openjph = async (args) => {
      located = args.locateFile('openjph.wasm', '/glue/');
      args.print('hello');
      args.printErr('[WARNING] odd');
      return module;
    };
    expect(await ensureCodec('htj2k')).toEqual({ kind: 'ok', value: undefined });
    expect(located).toBe('/glue/openjph.wasm');
    expect(loadedCodec('htj2k')).toEqual({ kind: 'htj2k', name: 'HTJ2K (OpenJPH)', module, log: ['hello', '[WARNING] odd'] });
    expect(await ensureCodec('htj2k')).toEqual({ kind: 'ok', value: undefined });
    expect(factories.calls.openjph).toBe(1);
  });

  it('shares one load between concurrent callers', async () => {
    factories.openjpeg = async () => ({});
    const all = await Promise.all([ensureCodec('jpeg2000'), ensureCodec('jpeg2000'), ensureCodec('jpeg2000')]);
    expect(all.map((r) => r.kind)).toEqual(['ok', 'ok', 'ok']);
    expect(factories.calls.openjpeg).toBe(1);
    expect(loadedCodec('jpeg2000')?.name).toBe('JPEG 2000 (OpenJPEG)');
  });

  it('a failed load is an internal error with the reason and the last line printed; the next call tries again', async () => {
    factories.charls = async (args) => {
      args.printErr('first');
      args.printErr('Aborted(no memory)');
      throw new Error('instantiate failed');
    };
    expect(await ensureCodec('jpeg-ls')).toEqual({ kind: 'error', code: 'internal', message: 'the JPEG-LS (CharLS) codec could not be loaded: instantiate failed (Aborted(no memory))' });
    expect(loadedCodec('jpeg-ls')).toBeUndefined();
    factories.charls = () => Promise.reject('no wasm'); // a thrown string, nothing printed
    expect(await ensureCodec('jpeg-ls')).toEqual({ kind: 'error', code: 'internal', message: 'the JPEG-LS (CharLS) codec could not be loaded: no wasm' });
    expect(factories.calls.charls).toBe(2);
    // decodeFrameAsync names the transfer syntax in front of it.
    expect(await decodeFrameAsync('1.2.840.10008.1.2.4.81\0', new Uint8Array(4), new Uint8Array(4), u12)).toEqual({
      kind: 'error',
      code: 'internal',
      message: 'JPEG-LS Lossy (Near-Lossless) Image Compression: the JPEG-LS (CharLS) codec could not be loaded: no wasm',
    });
    factories.charls = async () => ({});
    expect(await ensureCodec('jpeg-ls')).toEqual({ kind: 'ok', value: undefined });
    expect(factories.calls.charls).toBe(4);
  });
});

describe('decodeFrameAsync loads the codec a syntax needs, and only that', () => {
  const le = new Uint8Array(new Int16Array([1, 2, 3]).buffer);
  /** SOI, a frame header (`precision` bits, 1×1, one component), a scan header, EOI. */
  const jpegHeader = (precision: number, sof = 0xc1) => Uint8Array.from([0xff, 0xd8, 0xff, sof, 0, 11, precision, 0, 1, 0, 1, 1, 1, 0x11, 0, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 0, 0, 0xff, 0xd9]);

  it('a wasm syntax: its codec loaded first, then the frame decoded by it (here refused by its header)', async () => {
    expect(await decodeFrameAsync('1.2.840.10008.1.2.4.80', le, new Uint8Array(6), u12)).toMatchObject({ kind: 'error', code: 'bad-header', message: 'JPEG frame does not start with a JPEG SOI marker (FF D8)' });
    expect(factories.calls).toEqual({ charls: 1, openjpeg: 0, openjph: 0, libjpeg: 0 });
    expect(loadedCodec('jpeg-ls')).toBeDefined();
    for (const [uid, kind] of [['1.2.840.10008.1.2.4.90', 'jpeg2000'], ['1.2.840.10008.1.2.4.203', 'htj2k']] as const) {
      expect(await decodeFrameAsync(uid, le, new Uint8Array(6), u12), uid).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('SOC and SIZ') });
      expect(loadedCodec(kind), uid).toBeDefined();
    }
    expect(factories.calls).toEqual({ charls: 1, openjpeg: 1, openjph: 1, libjpeg: 0 });
    // A 12-bit JPEG-LS stream still goes to CharLS (only 12-bit JPEG has its own decoder).
    dropCodec('jpeg-ls');
    expect(await decodeFrameAsync('1.2.840.10008.1.2.4.80', jpegHeader(12, 0xf7), new Uint8Array(4), u12)).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('JPEG-LS frame is 1×1') });
    expect(factories.calls.charls).toBe(2);
  });

  it('native data and unknown syntaxes load nothing', async () => {
    const target = new Uint8Array(6);
    expect(await decodeFrameAsync('1.2.840.10008.1.2.1', le, target, { ...u12, bitsStored: 16, highBit: 15 })).toEqual({ kind: 'ok', value: undefined });
    expect(Array.from(target)).toEqual(Array.from(le));
    expect(await decodeFrameAsync('1.2.3', le, target, u12)).toEqual({ kind: 'error', code: 'unsupported-format', message: 'unsupported transfer syntax 1.2.3 (unknown)' });
    expect(factories.calls).toEqual({ charls: 0, openjpeg: 0, openjph: 0, libjpeg: 0 });
  });

  it('8-bit JPEG loads libjpeg-turbo; 12-bit JPEG goes to its JavaScript decoder and loads nothing', async () => {
    const twelve = await decodeFrameAsync('1.2.840.10008.1.2.4.50', jpegHeader(12), new Uint8Array(4), u12);
    expect(twelve).toEqual({ kind: 'error', code: 'bad-header', message: "the JPEG frame is 1×1, the image's frame holds 2 pixels" });
    expect(factories.calls.libjpeg).toBe(0);
    const eight = await decodeFrameAsync('1.2.840.10008.1.2.4.51', jpegHeader(8), new Uint8Array(1), { ...u12, bitsAllocated: 8, bitsStored: 8, highBit: 7 });
    // The stand-in module has no decoder: the codec is reached.
    expect(eight).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('JPEG (libjpeg-turbo) failed') });
    expect(factories.calls.libjpeg).toBe(1);
    // A stream without a readable header goes to the 8-bit codec, which refuses it.
    expect(await decodeFrameAsync('1.2.840.10008.1.2.4.50', Uint8Array.from([1, 2]), new Uint8Array(2), u12)).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringContaining('SOI') });
    expect(factories.calls.libjpeg).toBe(2);
  });
});

describe('a codec log and the .wasm location', () => {
  it('keeps the newest 40 lines', () => {
    const log: string[] = [];
    for (let i = 0; i < 40; i++) keepLine(log, `line ${i}`);
    expect(log.length).toBe(40);
    expect(log[0]).toBe('line 0');
    keepLine(log, 'line 40');
    expect(log.length).toBe(40);
    expect([log[0], log[39]]).toEqual(['line 1', 'line 40']);
  });

  it('looks for the .wasm at its URL where there is one (the browser), every other file beside the glue', () => {
    expect(locateWasm('/assets/charls-1a2b.wasm')('charlswasm_decode.wasm', '/glue/')).toBe('/assets/charls-1a2b.wasm');
    expect(locateWasm('/assets/charls-1a2b.wasm')('charlswasm_decode.data', '/glue/')).toBe('/glue/charlswasm_decode.data');
    expect(locateWasm(undefined)('charlswasm_decode.wasm', '/glue/')).toBe('/glue/charlswasm_decode.wasm');
  });
});

describe('codecWasmUrl', () => {
  it("names each codec's decode build", async () => {
    const urls = await Promise.all((['jpeg-ls', 'jpeg2000', 'htj2k', 'jpeg-baseline'] as const).map(codecWasmUrl));
    expect(urls.map((url) => url.split('/').slice(-3).join('/'))).toEqual([
      'codec-charls/dist/charlswasm_decode.wasm',
      'codec-openjpeg/dist/openjpegwasm_decode.wasm',
      'codec-openjph/dist/openjphjs.wasm',
      'codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.wasm',
    ]);
  });
});
