// The wasm codecs: JPEG-LS (CharLS), JPEG 2000 (OpenJPEG), HTJ2K (OpenJPH) and 8-bit JPEG
// (libjpeg-turbo), the emscripten builds of the npm packages @cornerstonejs/codec-*.
//
// Loading. Each codec is loaded on its first use (ensureCodec), then kept: its JS glue by a dynamic
// import (so a worker that never meets the syntax never loads it) and its .wasm from the URL that a
// `?url` import gives. Vite emits the .wasm as an asset of the build (dist/assets/…wasm, same origin,
// so cross-origin isolation is no obstacle) and serves it from node_modules in dev; the glue is told
// where it is through emscripten's locateFile. Under Node (Vitest) the glue finds its .wasm beside
// itself, so the URL is not used. A load that fails is an 'internal' error and is tried again on
// the next frame.
//
// Calling. Decoders call into a module through callCodec: whatever the module throws (a C++
// exception, which reaches JS as a bare pointer number since these builds do not catch them; an
// emscripten abort; an embind error) becomes a typed error with the codec's own message, never an
// exception. The module is then dropped, because a C++ exception thrown through wasm leaves the
// objects of the unwound frames, and the wasm stack, as they were: the next frame loads a fresh one.
// What a module prints (its error and warning lines) goes to its `log`, not to the console.
//
// Output. writeCodecSamples makes the one copy of a codec's decoded samples into the frame's slot.
import type { CharlsModule, EmscriptenArgs } from '@cornerstonejs/codec-charls/decodewasmjs';
import type { LibJpegTurboModule } from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';
import type { OpenJpegModule } from '@cornerstonejs/codec-openjpeg/decodewasmjs';
import type { OpenJphModule } from '@cornerstonejs/codec-openjph/wasmjs';
import { fail, ok, type LoadErrorCode, type Result } from '../../errors';
import { swapBytesInPlace } from '../../../volume/dataTypes';
import { HOST_LITTLE_ENDIAN, type FrameLayout } from './frame';

export type WasmCodecKind = 'jpeg-ls' | 'jpeg2000' | 'htj2k' | 'jpeg-baseline';

export interface CodecModules {
  'jpeg-ls': CharlsModule;
  jpeg2000: OpenJpegModule;
  htj2k: OpenJphModule;
  'jpeg-baseline': LibJpegTurboModule;
}

export interface WasmCodec<K extends WasmCodecKind> {
  kind: K;
  /** The codec as messages name it: "JPEG-LS (CharLS)". */
  name: string;
  module: CodecModules[K];
  /** The lines the module printed since the last callCodec (the newest 40). */
  log: string[];
}

interface CodecSource<K extends WasmCodecKind> {
  name: string;
  factory: () => Promise<(args: EmscriptenArgs) => Promise<CodecModules[K]>>;
  wasmUrl: () => Promise<string>;
  /** The message of a C++ exception pointer, where the module can tell it. */
  exceptionMessage?: (module: CodecModules[K], pointer: number) => string;
}

// Each import names its file literally, so that Vite sees it: the glue becomes a chunk of the
// worker, the .wasm an asset.
const SOURCES: { [K in WasmCodecKind]: CodecSource<K> } = {
  'jpeg-ls': {
    name: 'JPEG-LS (CharLS)',
    factory: async () => (await import('@cornerstonejs/codec-charls/decodewasmjs')).default,
    wasmUrl: async () => (await import('@cornerstonejs/codec-charls/decodewasm?url')).default,
    exceptionMessage: (module, pointer) => module.getExceptionMessage(pointer),
  },
  jpeg2000: {
    name: 'JPEG 2000 (OpenJPEG)',
    factory: async () => (await import('@cornerstonejs/codec-openjpeg/decodewasmjs')).default,
    wasmUrl: async () => (await import('@cornerstonejs/codec-openjpeg/decodewasm?url')).default,
  },
  htj2k: {
    name: 'HTJ2K (OpenJPH)',
    factory: async () => (await import('@cornerstonejs/codec-openjph/wasmjs')).default,
    wasmUrl: async () => (await import('@cornerstonejs/codec-openjph/wasm?url')).default,
  },
  'jpeg-baseline': {
    name: 'JPEG (libjpeg-turbo)',
    factory: async () => (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')).default,
    wasmUrl: async () => (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url')).default,
  },
};

/** Node (Vitest, scripts): the emscripten glue reads its .wasm from its own folder. */
// Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,EqualityOperator: equivalent under Node, where the tests run and each part is true; only a browser (no process) tells them apart
const IN_NODE = typeof process === 'object' && typeof process.versions === 'object' && typeof process.versions.node === 'string';

/** The URL of a codec's .wasm in the build (a `?url` import, which Vite resolves). */
export const codecWasmUrl = (kind: WasmCodecKind): Promise<string> => SOURCES[kind].wasmUrl();

const ready: { [K in WasmCodecKind]?: WasmCodec<K> } = {};
const pending: { [K in WasmCodecKind]?: Promise<Result<void>> } = {};

/** Loads the codec once (concurrent callers share the load); ok when it is ready. */
export function ensureCodec(kind: WasmCodecKind): Promise<Result<void>> {
  if (ready[kind]) return Promise.resolve(ok(undefined));
  const loading = pending[kind] ?? instantiate(kind).finally(() => delete pending[kind]);
  pending[kind] = loading;
  return loading;
}

/** The codec if loaded (see ensureCodec), else undefined. */
export function loadedCodec<K extends WasmCodecKind>(kind: K): WasmCodec<K> | undefined {
  return ready[kind];
}

/** Forgets a loaded codec: the next ensureCodec loads a fresh module. */
export function dropCodec(kind: WasmCodecKind): void {
  delete ready[kind];
}

/** Adds a line a module printed to its log, which keeps the newest 40. */
export function keepLine(log: string[], line: string): void {
  log.push(line);
  if (log.length > 40) log.shift();
}

/** emscripten's locateFile: the .wasm from `wasmUrl` where there is one (the browser), else beside the glue. */
export const locateWasm =
  (wasmUrl: string | undefined) =>
  (path: string, prefix: string): string =>
    wasmUrl !== undefined && path.endsWith('.wasm') ? wasmUrl : prefix + path;

async function instantiate<K extends WasmCodecKind>(kind: K): Promise<Result<void>> {
  const source: CodecSource<K> = SOURCES[kind];
  const log: string[] = [];
  const note = (line: string) => keepLine(log, line);
  try {
    const [factory, wasmUrl] = await Promise.all([source.factory(), IN_NODE ? undefined : codecWasmUrl(kind)]);
    const module = await factory({ locateFile: locateWasm(wasmUrl), print: note, printErr: note });
    const codec: WasmCodec<K> = { kind, name: source.name, module, log };
    (ready as Record<K, WasmCodec<K>>)[kind] = codec;
    return ok(undefined);
  } catch (e) {
    const printed = log.length > 0 ? ` (${log[log.length - 1]})` : '';
    return fail('internal', `the ${source.name} codec could not be loaded: ${describe(e)}${printed}`);
  }
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs `work` (calls into the codec's module). A throw becomes fail(code, "<what>: <the codec's
 * message>") and drops the module (see the header); the module's log is cleared first.
 */
export function callCodec<K extends WasmCodecKind, T>(codec: WasmCodec<K>, code: LoadErrorCode, what: string, work: (module: CodecModules[K]) => T): Result<T> {
  codec.log.length = 0;
  try {
    return ok(work(codec.module));
  } catch (e) {
    dropCodec(codec.kind);
    return fail(code, `${what}: ${exceptionText(codec, e)}`);
  }
}

/** What every emscripten decoder here shares. */
interface WasmDecoder {
  getEncodedBuffer(size: number): Uint8Array;
  decode(): void;
  delete(): void;
}

/**
 * One decode with an emscripten decoder: the stream copied into wasm memory, decoded, `read` takes
 * what it needs (before the free: decoded buffers may be views of wasm memory), then the decoder
 * is freed. A throw leaves it to callCodec, which drops the whole module.
 */
export function decodeWith<D extends WasmDecoder, T>(decoder: D, stream: Uint8Array, read: (decoder: D) => T): T {
  decoder.getEncodedBuffer(stream.length).set(stream);
  decoder.decode();
  const result = read(decoder);
  decoder.delete();
  return result;
}

function exceptionText<K extends WasmCodecKind>(codec: WasmCodec<K>, e: unknown): string {
  if (typeof e === 'number') {
    const explain = (SOURCES[codec.kind] as CodecSource<K>).exceptionMessage;
    if (explain) {
      try {
        return `${codec.name}: ${explain(codec.module, e)}`;
      } catch {
        // fall through to the log
      }
    }
    return `${codec.name} failed${codecSays(codec.log)}`;
  }
  return `${codec.name} failed: ${describe(e)}${codecSays(codec.log)}`;
}

/** The codec's printed error lines, or its last line, as "(…)" for a message; '' when it said nothing. */
export function codecSays(log: readonly string[]): string {
  const errors = log.filter((line) => /error|abort/i.test(line));
  const lines = (errors.length > 0 ? errors : log.slice(-1)).map((line) => line.trim()).filter((line) => line.length > 0);
  return lines.length > 0 ? ` (${lines.slice(-3).join('; ')})` : '';
}

/**
 * Copies a codec's decoded samples into the frame's slot: the frame's one copy. `output` holds
 * pixels × samples values of `outBytes` bytes each (1, or 2 in little endian: wasm's byte order),
 * pixel-interleaved, or plane by plane (RRR…GGG…BBB…) when `planar`. One-byte samples widen into a
 * 2-byte slot (zero-extended: BitsStored then sign-extends them where signed). An output of
 * another size is refused as 'bad-header' and the slot is left untouched.
 */
export function writeCodecSamples(output: ArrayLike<number>, outBytes: 1 | 2, planar: boolean, target: Uint8Array, layout: FrameLayout, what: string): Result<void> {
  const { bytesPerValue, samples, pixels } = layout;
  const need = pixels * samples * outBytes;
  if (output.length !== need) return fail('bad-header', `${what} gave ${output.length} bytes of samples, the frame's ${pixels} pixels × ${samples} sample(s) need ${need}`);
  if (outBytes > bytesPerValue) return fail('bad-header', `${what} gave ${outBytes * 8}-bit samples, BitsAllocated is ${bytesPerValue * 8}`);
  if (planar && samples > 1) {
    if (outBytes !== 1 || bytesPerValue !== 1) return fail('unsupported-format', `${what}: planar colour of more than 8 bits is not supported`);
    for (let s = 0; s < samples; s++) {
      for (let p = 0, from = s * pixels, to = s; p < pixels; p++, to += samples) target[to] = output[from + p];
    }
    return ok(undefined);
  }
  if (outBytes === bytesPerValue) {
    target.set(output);
    // Stryker disable next-line ConditionalExpression: equivalent on the little-endian hosts the tests run on (frame.test.ts checks it), where this never swaps
    if (outBytes === 2 && !HOST_LITTLE_ENDIAN) swapBytesInPlace(target, 2);
    return ok(undefined);
  }
  // 1-byte samples into 2-byte values.
  // Stryker disable next-line ConditionalExpression: equivalent on the little-endian hosts the tests run on (frame.test.ts checks it)
  const low = HOST_LITTLE_ENDIAN ? 0 : 1;
  for (let i = 0; i < output.length; i++) {
    target[2 * i + low] = output[i];
    target[2 * i + 1 - low] = 0;
  }
  return ok(undefined);
}

/**
 * Whether a JPEG family stream ends with the marker FF `marker` (EOI / EOC, both FF D9), after any
 * zero padding (DICOM pads fragments to an even length).
 */
export function endsWithMarker(src: Uint8Array, marker = 0xd9): boolean {
  let end = src.length;
  while (end > 0 && src[end - 1] === 0) end--;
  return end >= 2 && src[end - 2] === 0xff && src[end - 1] === marker;
}
