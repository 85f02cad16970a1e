// The streaming decoder: bytes → (gunzip) → header → one voxel buffer, written chunk by chunk.
// Runs in the decode worker and in Node tests alike: no DOM, no React, no three.
//
// Memory: the only voxel-sized allocation is the destination `acquire` returns (the pooled
// SharedArrayBuffer). Decompressed chunks are copied into it as they arrive and dropped; there is
// no whole-file intermediate buffer.
import { Gunzip } from 'fflate';
import { DATA_TYPES, swapBytesInPlace, voxelView } from '../volume/dataTypes';
import { voxelCount, type VolumeHeader, type VolumeStats } from '../volume/header';
import { computeStats, sampleStats } from '../volume/stats';
import { fail, formatBytes, ok, type Result } from './errors';
import { unknownFormatMessage, type HttpOrigin } from './describeBytes';
import { findDecoder, SNIFF_BYTES, type VolumeDecoder } from './decoders/registry';

export interface OpenedSource {
  stream: ReadableStream<Uint8Array>;
  /** Size of the bytes as stored (compressed, if gzipped), where known. */
  totalBytes?: number;
  /** For a URL: what the server answered, so an unreadable answer (a web page) can be named. */
  http?: HttpOrigin;
}

/** A source that can be opened more than once (the multi-member gzip fallback reads it again). */
export interface ByteSource {
  name: string;
  open(signal?: AbortSignal): Promise<Result<OpenedSource>>;
}

export interface DecodeIO {
  /** Asked once, with the validated header, for exactly `bytes` bytes of voxel memory. */
  acquire(header: VolumeHeader, bytes: number): Promise<Result<Uint8Array>>;
  onProgress?(loadedBytes: number, totalBytes: number | undefined): void;
  signal?: AbortSignal;
}

export type GunzipEngine = 'native' | 'fflate';

export interface DecodeOptions {
  /** Engines to try in order; 'native' is DecompressionStream. */
  gunzip?: GunzipEngine[];
  /**
   * Return sampled stats only (`exact: false`) and leave the full min/max pass to the caller, which
   * can run it after the first frame (the worker does, over shared memory).
   */
  sampledStatsOnly?: boolean;
}

export interface Decoded {
  header: VolumeHeader;
  voxels: Uint8Array;
  stats: VolumeStats;
  gunzip: GunzipEngine | 'none';
}

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** Chromium's DecompressionStream stops at the end of the first gzip member; fflate continues. */
const isTrailingDataError = (e: unknown) => e instanceof Error && /junk|trailing/i.test(e.message);

function fflateGunzip(): TransformStream<Uint8Array, Uint8Array> {
  let inflater: Gunzip;
  return new TransformStream({
    start(controller) {
      // fflate hands out fresh arrays per chunk (it slices its window), so enqueueing is safe.
      inflater = new Gunzip((chunk) => controller.enqueue(chunk));
    },
    transform(chunk) {
      inflater.push(chunk);
    },
    flush() {
      inflater.push(new Uint8Array(0), true);
    },
  });
}

function inflater(engine: GunzipEngine): TransformStream<Uint8Array, Uint8Array> {
  // DOM typings give DecompressionStream a BufferSource input; it takes our Uint8Arrays.
  return engine === 'native' ? (new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : fflateGunzip();
}

/** Reads the first bytes, then hands back a stream that yields them again followed by the rest. */
async function peek(stream: ReadableStream<Uint8Array>, want: number, onRaw: (n: number) => void) {
  const reader = stream.getReader();
  const head: Uint8Array[] = [];
  let have = 0;
  let done = false;
  while (have < want) {
    const r = await reader.read();
    if (r.done) {
      done = true;
      break;
    }
    head.push(r.value);
    have += r.value.length;
    onRaw(r.value.length);
  }
  const first = concat(head, have);
  const replay = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.length) controller.enqueue(first);
      if (done) controller.close();
    },
    async pull(controller) {
      const r = await reader.read();
      if (r.done) controller.close();
      else {
        onRaw(r.value.length);
        controller.enqueue(r.value);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { first, replay };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

class Cancelled extends Error {}

export async function decodeVolume(source: ByteSource, io: DecodeIO, options: DecodeOptions = {}): Promise<Result<Decoded>> {
  const engines = options.gunzip ?? ['native', 'fflate'];
  let voxels: Uint8Array | null = null;
  let header: VolumeHeader | null = null;
  for (let attempt = 0; ; attempt++) {
    const engine = engines[Math.min(attempt, engines.length - 1)];
    const result = await decodeOnce(source, io, engine, options, {
      header: () => header,
      voxels: () => voxels,
      set: (h, v) => {
        header = h;
        voxels = v;
      },
    });
    if (result.kind === 'retry' && attempt + 1 < engines.length) continue;
    if (result.kind === 'retry') return fail('gzip', `Could not decompress ${source.name}: ${result.reason}`);
    return result.result;
  }
}

interface Held {
  header(): VolumeHeader | null;
  voxels(): Uint8Array | null;
  set(header: VolumeHeader, voxels: Uint8Array): void;
}

type Attempt = { kind: 'retry'; reason: string } | { kind: 'done'; result: Result<Decoded> };

async function decodeOnce(source: ByteSource, io: DecodeIO, engine: GunzipEngine, options: DecodeOptions, held: Held): Promise<Attempt> {
  const done = (result: Result<Decoded>): Attempt => ({ kind: 'done', result });
  if (io.signal?.aborted) return done(fail('cancelled', `Loading ${source.name} was cancelled.`));
  const opened = await source.open(io.signal);
  if (opened.kind === 'error') return done(opened);
  const { totalBytes } = opened.value;
  let rawBytes = 0;
  let lastReport = 0;
  const onRaw = (n: number) => {
    rawBytes += n;
    if (io.onProgress && (rawBytes - lastReport >= 1 << 22 || rawBytes === totalBytes)) {
      lastReport = rawBytes;
      io.onProgress(rawBytes, totalBytes);
    }
  };

  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  const onAbort = () => void reader?.cancel(new Cancelled()).catch(() => {});
  io.signal?.addEventListener('abort', onAbort);
  try {
    let peeked: Awaited<ReturnType<typeof peek>>;
    try {
      peeked = await peek(opened.value.stream, SNIFF_BYTES, onRaw);
    } catch (e) {
      // A fetch aborted before the first bytes arrive errors its body with an AbortError.
      if (io.signal?.aborted) return done(fail('cancelled', `Loading ${source.name} was cancelled.`));
      throw e;
    }
    const { first, replay } = peeked;
    const gz = isGzip(first);
    const stream = gz ? replay.pipeThrough(inflater(engine)) : replay;
    reader = stream.getReader();

    let decoder: VolumeDecoder | undefined;
    let headerParts: Uint8Array[] = [];
    let headerHave = 0;
    let header = held.header();
    let voxels = held.voxels();
    let position = 0; // bytes of the decompressed file consumed so far
    let written = 0;

    for (;;) {
      let chunk: Uint8Array;
      try {
        const r = await reader.read();
        if (r.done) {
          // Cancelling the reader on abort (onAbort) ends a pending read as done, not as an error.
          if (io.signal?.aborted) return done(fail('cancelled', `Loading ${source.name} was cancelled.`));
          break;
        }
        chunk = r.value;
      } catch (e) {
        if (io.signal?.aborted || e instanceof Cancelled) return done(fail('cancelled', `Loading ${source.name} was cancelled.`));
        if (gz && engine === 'native' && isTrailingDataError(e)) return { kind: 'retry', reason: String(e) };
        if (voxels && header) {
          return done(fail('truncated', `${source.name}: the compressed stream breaks off after ${formatBytes(written)} of ${formatBytes(voxels.length)} of voxels (${errorText(e)}).`));
        }
        return done(fail('gzip', `${source.name} is not a valid gzip stream: ${errorText(e)}.`));
      }

      if (!header) {
        headerParts.push(chunk);
        headerHave += chunk.length;
        const bytes = concat(headerParts, headerHave);
        headerParts = [bytes];
        if (!decoder) {
          if (bytes.length < SNIFF_BYTES) continue;
          decoder = findDecoder(bytes);
          if (!decoder) return done(fail('unknown-format', unknownFormatMessage(source.name, bytes, 'NIfTI-1/2, .nii or .nii.gz', opened.value.http)));
        }
        if (bytes.length < decoder.headerBytes(bytes)) continue;
        const parsed = decoder.parseHeader(bytes, gz ? undefined : totalBytes);
        if (parsed.kind === 'error') return done(parsed);
        header = parsed.value;
        const info = DATA_TYPES[header.datatype];
        const need = voxelCount(header.dims) * info.bytesPerVoxel;
        if (!voxels) {
          const got = await io.acquire(header, need);
          if (got.kind === 'error') return done(got);
          voxels = got.value;
          held.set(header, voxels);
        }
        // The rest of this accumulated chunk is file content after the first `position` bytes.
        chunk = bytes;
        headerParts = [];
      }

      // Skip header and extensions up to vox_offset, then copy voxel bytes in place.
      const chunkStart = position;
      position += chunk.length;
      if (position <= header.voxOffset) continue;
      const offset = Math.max(0, header.voxOffset - chunkStart);
      const target = voxels as Uint8Array;
      const take = Math.min(chunk.length - offset, target.length - written);
      target.set(take === chunk.length ? chunk : chunk.subarray(offset, offset + take), written);
      written += take;
      if (written === target.length) {
        await reader.cancel().catch(() => {});
        break;
      }
    }

    if (!header) {
      return done(fail('truncated', `${source.name} ends after ${headerHave} bytes, before its header is complete.`));
    }
    const target = voxels as Uint8Array;
    if (written < target.length) {
      const ofVoxels = position > header.voxOffset ? `${formatBytes(written)} of voxels` : 'no voxels';
      return done(fail('truncated', `${source.name} is truncated: it holds ${ofVoxels} but [${header.dims.join(' × ')}] ${header.datatype.toUpperCase()} needs ${formatBytes(target.length)}.`));
    }
    if (io.onProgress && totalBytes !== undefined) io.onProgress(totalBytes, totalBytes);

    const info = DATA_TYPES[header.datatype];
    const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    if (header.littleEndian !== hostLittle) swapBytesInPlace(target, info.bytesPerValue);
    const values = voxelView(header.datatype, target.buffer, voxelCount(header.dims), target.byteOffset);
    const stats = options.sampledStatsOnly ? sampleStats(values, info.channels) : computeStats(values, info.channels, header.dims);
    return done(ok({ header, voxels: target, stats, gunzip: gz ? engine : 'none' }));
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
    // Every early return (bad header, refused memory) stops the download too.
    void reader?.cancel().catch(() => {});
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
