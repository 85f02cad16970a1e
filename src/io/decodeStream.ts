// The streaming decoder: bytes → (gunzip) → header → one voxel buffer, written chunk by chunk.
// Runs in the decode worker and in Node tests alike: no DOM, no React, no three.
//
// Memory: the only voxel-sized allocation is the destination `acquire` returns (the pooled
// SharedArrayBuffer). The default engine for large volumes (pako) inflates straight into it
// (ByteReader.fill), so inflating leaves no garbage behind and copies nothing; other engines'
// chunks are copied into it as they arrive. There is no whole-file intermediate buffer. Reading stops
// at the declared voxel count: bytes after it (an MGH's tags, trailing garbage, the rest of a
// gzip bomb) are never read or inflated.
import { isSingular } from '../volume/affine';
import { DATA_TYPES, swapBytesInPlace, voxelView } from '../volume/dataTypes';
import { voxelCount, voxelsPerFrame, type VolumeHeader, type VolumeStats } from '../volume/header';
import { computeStats, sampleStats } from '../volume/stats';
import { ByteReader, concat, gunzipStream, isGzip, type GunzipEngine } from './byteReader';
import { describeBytes, unknownFormatMessage, type HttpOrigin } from './describeBytes';
import { FORMAT_NAMES, findDecoder, SNIFF_BYTES } from './decoders/registry';
import type { ParsedVolume, VoxelSegment } from './decoders/types';
import { fail, formatBytes, ok, type Result } from './errors';

export type { GunzipEngine } from './byteReader';

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
  /** Stored size where known before opening (a Blob). */
  size?: number;
  open(signal?: AbortSignal): Promise<Result<OpenedSource>>;
  /**
   * A file this one's header names, relative to it (a detached NRRD's data file, a .hdr's .img):
   * a URL beside this one, or a file given with it. Undefined when there is none to try.
   */
  sibling?(name: string): ByteSource | undefined;
}

export interface DecodeIO {
  /**
   * Asked once, with the validated header, for exactly `bytes` bytes of voxel memory: one array, or
   * z-slabs of whole slices (a volume larger than one buffer holds), every one but the last the
   * same length, which together hold `bytes`.
   */
  acquire(header: VolumeHeader, bytes: number): Promise<Result<Uint8Array | Uint8Array[]>>;
  onProgress?(loadedBytes: number, totalBytes: number | undefined): void;
  /**
   * The first `bytes` bytes of the voxel memory hold their final values (called as they are
   * written, often: the caller throttles). Only while the bytes land in place as stored (no byte
   * swap, no interleaved components), and once more with every byte after the last fix-up, so a
   * reader may upload a prefix while the rest inflates. A retry with another inflater writes the
   * same bytes again from 0.
   */
  onWritten?(bytes: number): void;
  signal?: AbortSignal;
}

export interface DecodeOptions {
  /**
   * Engines to try in order (default: 'auto', then 'pako'); a 'native' failure is retried with the
   * next. 'native' is DecompressionStream; 'auto' picks native or pako by the volume's size.
   */
  gunzip?: DecodeEngine[];
  /**
   * Return sampled stats only (`exact: false`) and leave the full min/max pass to the caller, which
   * can run it after the first frame (the worker does, over shared memory).
   */
  sampledStatsOnly?: boolean;
}

export interface Decoded {
  header: VolumeHeader;
  /** The voxels: with more than one slab, the first slab's only. */
  voxels: Uint8Array;
  /** The voxels as acquired: one array, or z-slabs of whole slices. */
  slabs: Uint8Array[];
  stats: VolumeStats;
  gunzip: GunzipEngine | 'none';
}

class Cancelled extends Error {}

/**
 * 'auto': native for a volume under LEAN_BYTES, pako from there (or when its header cannot be read
 * from the first compressed bytes; the decode then says what is wrong with it).
 */
const engineFor = async (raw: ByteReader, name: string) => engineForHead(await raw.peek(ENGINE_SNIFF_BYTES), name);

/** engineFor, from the first compressed bytes of the file. */
export async function engineForHead(compressed: Uint8Array, name: string): Promise<GunzipEngine> {
  const plain = await inflatedHead(compressed);
  const decoder = findDecoder(plain, name);
  const length = decoder?.headerLength(plain, false);
  if (!decoder || !length || length.kind === 'error' || length.value === 'more' || length.value > plain.length) return 'pako';
  const parsed = decoder.parseHeader(plain.subarray(0, length.value), { name });
  if (parsed.kind === 'error') return 'pako';
  const { header } = parsed.value;
  return voxelCount(header.dims) * DATA_TYPES[header.datatype].bytesPerVoxel >= LEAN_BYTES ? 'pako' : 'native';
}

/** What the first compressed bytes of a gzip stream inflate to (the stream cut there is expected). */
async function inflatedHead(compressed: Uint8Array): Promise<Uint8Array> {
  const reader = new ByteReader(gunzipStream(new Blob([compressed as Uint8Array<ArrayBuffer>]).stream(), 'pako'));
  const parts: Uint8Array[] = [];
  let have = 0;
  try {
    // A highly compressible volume inflates 16 KiB into megabytes: the head is all that is wanted.
    for (let chunk = await reader.next(); chunk && have < ENGINE_HEAD_BYTES; chunk = await reader.next()) {
      parts.push(chunk.slice(0, ENGINE_HEAD_BYTES - have));
      have += Math.min(chunk.length, ENGINE_HEAD_BYTES - have);
    }
  } catch {
    // The stream ends inside a member: what came before is the head.
  }
  void reader.cancel();
  return concat(parts);
}

/** An error of the stored bytes' source (network, file), as opposed to the inflater's. */
class SourceError extends Error {}

/** The source's bytes, counted as they arrive, with its errors told apart from the inflater's. */
function counted(stream: ReadableStream<Uint8Array>, onBytes: (n: number) => void): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        throw new SourceError(errorText(e));
      }
      if (r.done) controller.close();
      else {
        onBytes(r.value.length);
        controller.enqueue(r.value);
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * Which inflater: DecompressionStream ('native') is fast, but each of its output chunks is a new
 * ArrayBuffer that no GC reclaims during a load (the whole volume again: 2.35× the voxel bytes of
 * anonymous memory in the renderer at a 256³ int16 decode, 1.35× with pako into a reused
 * buffer), which breaks the memory rule (renderer peak ≤ 1.1 × voxel bytes + 64 MiB) from about
 * 40 MiB of voxels. pako inflating 256 KiB at a time into a reused buffer and copying was 1.3–3×
 * slower than native; inflating straight into the voxel memory (no copy, zlib's window updated
 * once per input chunk) takes about the CPU time of Node's native inflate or less (bench/inflate.ts:
 * 256³ int16 225 ms against 499, float32 1794 against 1685) and leaves no garbage. 'auto' decides
 * per volume from its header, inflated from the first compressed bytes: pako from LEAN_BYTES of
 * voxels up (a 256³ int16 volume and anything larger), native below, where the garbage is a few
 * MiB. A native failure (a multi-member file) is retried with pako, which reads multi-member gzip
 * itself.
 */
const DEFAULT_ENGINES: DecodeEngine[] = ['auto', 'pako'];

/** Voxel bytes from which 'auto' inflates with pako. */
export const LEAN_BYTES = 16 * 2 ** 20;

/** Compressed bytes read to find the header's engine, and the most of their contents kept: enough for any header Voxlens reads whole. */
const ENGINE_SNIFF_BYTES = 16 * 1024;
const ENGINE_HEAD_BYTES = 64 * 1024;

export type DecodeEngine = GunzipEngine | 'auto';

export async function decodeVolume(source: ByteSource, io: DecodeIO, options: DecodeOptions = {}): Promise<Result<Decoded>> {
  const engines = options.gunzip ?? DEFAULT_ENGINES;
  const held: Held = { parsed: null, voxels: null };
  for (let attempt = 0; ; attempt++) {
    const engine = engines[Math.min(attempt, engines.length - 1)];
    const result = await new Decode(source, io, engine, options, held).run();
    if (result.kind === 'retry' && attempt + 1 < engines.length) continue;
    if (result.kind === 'retry') return fail('gzip', `Could not decompress ${source.name}: ${result.reason}`);
    return result.result;
  }
}

/** What a first attempt learnt and acquired; a retry with the other gunzip engine reuses it. */
interface Held {
  parsed: ParsedVolume | null;
  voxels: Uint8Array[] | null;
}

type Attempt = { kind: 'retry'; reason: string } | { kind: 'done'; result: Result<Decoded> };

const done = (result: Result<Decoded>): Attempt => ({ kind: 'done', result });

/** Ends an attempt from deep inside it with a typed error. */
class Stop extends Error {
  constructor(readonly attempt: Attempt) {
    super('stop');
  }
}
const stop = (error: ReturnType<typeof fail>): never => {
  throw new Stop(done(error));
};

/** One attempt at a decode, with one gunzip engine. */
class Decode {
  private readonly readers: ByteReader[] = [];
  private rawBytes = 0;
  private lastReport = 0;
  /** Stored size of the header's own file, where known. */
  private mainBytes: number | undefined;
  /** Stored sizes of the data files a header names, in segment order, as they become known. */
  private dataFileBytes: (number | undefined)[] = [];
  /** True while bytes come through an inflater: its errors are gzip errors. */
  private inflating = false;
  /** The file being read, for messages, and its stored size where known. */
  private file: string;
  private fileSize: number | undefined;
  private written = 0;
  /** Whether bytes written are final as they land (io.onWritten may tell them). */
  private inPlace = false;
  private usedGzip = false;
  /** The inflater in use: the requested one, or what 'auto' chose for this volume. */
  private engine: GunzipEngine = 'pako';

  constructor(
    private readonly source: ByteSource,
    private readonly io: DecodeIO,
    private readonly requested: DecodeEngine,
    private readonly options: DecodeOptions,
    private readonly held: Held,
  ) {
    this.file = source.name;
  }

  private cancelled = () => done(fail('cancelled', `Loading ${this.source.name} was cancelled.`));

  async run(): Promise<Attempt> {
    const { io } = this;
    if (io.signal?.aborted) return this.cancelled();
    const onAbort = () => {
      for (const r of this.readers) void r.cancel(new Cancelled());
    };
    io.signal?.addEventListener('abort', onAbort);
    try {
      const attempt = await this.decode();
      // Cancelling ends a pending read as the end of the stream: whatever that looked like, it was the cancel.
      return io.signal?.aborted ? this.cancelled() : attempt;
    } catch (e) {
      if (io.signal?.aborted || e instanceof Cancelled) return this.cancelled();
      if (e instanceof Stop) return e.attempt;
      if (e instanceof SourceError) {
        return done(fail('fetch-failed', `Reading ${this.file} failed after ${formatBytes(this.rawBytes)}: ${e.message}.`));
      }
      // Chromium's inflater stops at a second gzip member ("Junk found…"), Node's at any bytes after
      // the first ("incorrect header check"): fflate, which reads on across members and ignores
      // trailing garbage as gzip(1) does, decides every native failure.
      if (this.inflating && this.engine === 'native') return { kind: 'retry', reason: errorText(e) };
      if (this.inflating && this.held.voxels) {
        return done(fail('truncated', `${this.file}: the compressed stream breaks off after ${formatBytes(this.written)} of ${formatBytes(byteLength(this.held.voxels))} of voxels (${errorText(e)}).`));
      }
      if (this.inflating) return done(fail('gzip', `${this.file} is not a valid gzip stream: ${errorText(e)}.`));
      throw e;
    } finally {
      io.signal?.removeEventListener('abort', onAbort);
      // Every early return (bad header, refused memory) stops the downloads too.
      for (const r of this.readers) void r.cancel();
    }
  }

  private onRaw = (n: number) => {
    this.rawBytes += n;
    const { io, rawBytes, totalBytes } = this;
    if (io.onProgress && (rawBytes - this.lastReport >= 1 << 22 || rawBytes === totalBytes)) {
      this.lastReport = rawBytes;
      io.onProgress(rawBytes, totalBytes);
    }
  };

  private reader(stream: ReadableStream<Uint8Array>): ByteReader {
    const r = new ByteReader(stream);
    this.readers.push(r);
    return r;
  }

  /** A reader over the stored bytes, gunzipped when `gzip` says so. */
  private async open(source: ByteSource): Promise<{ raw: ByteReader; opened: Result<{ http?: HttpOrigin; totalBytes?: number }> }> {
    const opened = await source.open(this.io.signal);
    if (opened.kind === 'error') return { raw: this.reader(new ReadableStream()), opened };
    return { raw: this.reader(counted(opened.value.stream, this.onRaw)), opened: ok(opened.value) };
  }

  private inflate(raw: ByteReader): ByteReader {
    this.inflating = true;
    this.usedGzip = true;
    return this.reader(gunzipStream(raw.rest(), this.engine));
  }

  private async decode(): Promise<Attempt> {
    const { source, held } = this;
    const { raw, opened } = await this.open(source);
    if (opened.kind === 'error') return done(opened);
    this.mainBytes = opened.value.totalBytes;
    const head = await raw.peek(SNIFF_BYTES);
    const wholeFileGzip = isGzip(head);
    if (this.requested !== 'auto') this.engine = this.requested;
    else if (wholeFileGzip) this.engine = await engineFor(raw, source.name);
    const main = wholeFileGzip ? this.inflate(raw) : raw;

    // 1. The header, whole, before anything is allocated.
    let bytes: Uint8Array = new Uint8Array(0);
    let atEnd = false;
    let decoder = undefined as ReturnType<typeof findDecoder>;
    for (;;) {
      if (!decoder && (bytes.length >= SNIFF_BYTES || atEnd)) {
        decoder = findDecoder(bytes, source.name);
        if (!decoder) {
          if (!bytes.length) return done(fail('truncated', `${source.name} is empty (0 bytes): there is no header to read.`));
          return done(fail('unknown-format', unknownFormatMessage(source.name, bytes, FORMAT_NAMES, opened.value.http) + companionHint(source.name)));
        }
      }
      if (decoder) {
        const length = decoder.headerLength(bytes, atEnd);
        if (length.kind === 'error') return done(length);
        if (length.value !== 'more' && bytes.length >= length.value) break;
        if (atEnd) {
          const of = length.value === 'more' ? `its ${decoder.name} header` : `its ${length.value}-byte ${decoder.name} header`;
          return done(fail('truncated', `${source.name} ends after ${bytes.length} bytes, inside ${of}.`));
        }
      }
      const chunk = await main.next();
      if (chunk) bytes = concat([bytes, chunk]);
      else atEnd = true;
    }
    main.unread(bytes);
    let parsed = held.parsed;
    if (!parsed) {
      const got = decoder.parseHeader(bytes, { name: source.name, fileBytes: wholeFileGzip ? undefined : this.mainBytes });
      if (got.kind === 'error') return done(got);
      parsed = got.value;
    }
    const { header, segments } = parsed;
    // Every format's geometry must map voxels to distinct points: the panes and probes invert it.
    if (header.affine.length !== 16 || header.affine.some((v) => !Number.isFinite(v)) || isSingular(header.affine)) {
      return done(fail('bad-header', `${source.name}: the voxel-to-world affine (${header.affineSource}) is ${header.affine.some((v) => !Number.isFinite(v)) ? 'not finite' : 'singular (its axes are zero or parallel)'}: [${header.affine.slice(0, 12).map((v) => +v.toPrecision(4)).join(', ')}].`));
    }
    const need = voxelCount(header.dims) * DATA_TYPES[header.datatype].bytesPerVoxel;
    // A plain header with gzipped data (NRRD's gzip encoding): 'auto' decides from the header read.
    if (this.requested === 'auto' && !wholeFileGzip) this.engine = need >= LEAN_BYTES ? 'pako' : 'native';
    const declared = segments.reduce((n, s) => n + s.bytes, 0);
    if (declared !== need) return done(fail('internal', `INTERNAL ERROR: ${decoder.name} segments hold ${declared} bytes for ${need} bytes of voxels.`));
    if (segments.some((s) => s.file !== 'self' && !s.file.length)) return done(fail('internal', `INTERNAL ERROR: ${decoder.name} names no data file.`));
    this.dataFileBytes = segments.map((s) => (s.file === 'self' ? 0 : this.source.sibling?.(s.file[0])?.size));
    // A header file that holds no voxels (.nhdr, .hdr) counts what was read of it, when its size was not sent.
    if (this.mainBytes === undefined && segments.every((s) => s.file !== 'self')) this.mainBytes = this.rawBytes;

    // 2. A missing data file is found out before memory is asked for (the first one, at least).
    const first = segments[0].file === 'self' ? null : await this.openSibling(segments[0], 0);

    // 3. The memory, once.
    let voxels = held.voxels;
    if (!voxels) {
      const got = await this.io.acquire(header, need);
      if (got.kind === 'error') return done(got);
      voxels = Array.isArray(got.value) ? got.value : [got.value];
      if (byteLength(voxels) !== need || voxels.slice(0, -1).some((v) => v.length !== voxels?.[0].length) || voxels.some((v) => v.length % DATA_TYPES[header.datatype].bytesPerVoxel)) {
        return done(fail('internal', `INTERNAL ERROR: ${need} bytes of voxels were asked for, [${voxels.map((v) => v.length).join(', ')}] given.`));
      }
      held.parsed = parsed;
      held.voxels = voxels;
    }

    // 4. The voxels, segment by segment, straight into place.
    const write = writer(voxels, header, parsed.interleaved);
    const info = DATA_TYPES[header.datatype];
    const hostLittle = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    const swapped = header.littleEndian !== hostLittle && info.bytesPerValue > 1;
    // Bytes in place as stored are final as they land, unless swapped or scattered after.
    this.inPlace = !swapped && !write.scatters;
    for (const [n, segment] of segments.entries()) {
      let stored: ByteReader;
      if (segment.file === 'self') {
        this.inflating = wholeFileGzip;
        this.file = source.name;
        stored = main;
        const gap = segment.start - main.position;
        if (gap < 0 || (await main.skip(gap)) < gap) {
          stop(fail('truncated', `${source.name} ends after ${formatBytes(main.position)}, before its voxels begin at byte ${segment.start}.`));
        }
      } else {
        stored = n === 0 && first ? first : await this.openSibling(segment, n);
      }
      await this.readSegment(stored, segment, write);
      if (segment.file !== 'self') void stored.cancel();
    }
    if (this.io.onProgress && this.totalBytes !== undefined) this.io.onProgress(this.totalBytes, this.totalBytes);

    if (header.littleEndian !== hostLittle) for (const slab of voxels) swapBytesInPlace(slab, info.bytesPerValue);
    this.io.onWritten?.(need);
    const arrays = voxels.map((v) => voxelView(header.datatype, v.buffer, v.length / info.bytesPerVoxel, v.byteOffset));
    // A volume in slabs is drawn from a display level, whose own exact stats replace these.
    const stats =
      arrays.length > 1 ? sampleStats({ arrays, slabValues: arrays[0].length }, info.channels)
      : this.options.sampledStatsOnly ? sampleStats(arrays[0], info.channels)
      : computeStats(arrays[0], info.channels, header.dims);
    return done(ok({ header, voxels: voxels[0], slabs: voxels, stats, gunzip: this.usedGzip ? this.engine : 'none' }));
  }

  /**
   * Stored bytes of every file: Blobs' sizes are known up front, a URL's once it answered; data
   * files not opened yet count as big as the last one that was (a LIST's slabs are alike).
   */
  private get totalBytes(): number | undefined {
    let total = this.mainBytes;
    let last: number | undefined;
    for (const size of this.dataFileBytes) {
      if (size !== undefined) last = size;
      const add = size ?? last ?? this.dataFileBytes.find((b) => b !== undefined && b > 0);
      total = total !== undefined && add !== undefined ? total + add : undefined;
    }
    return total;
  }

  /** The first of the segment's candidate files that exists, opened. */
  private async openSibling(segment: VoxelSegment, index: number): Promise<ByteReader> {
    const names = segment.file === 'self' ? [] : segment.file;
    const tried: string[] = [];
    for (const name of names) {
      const sibling = this.source.sibling?.(name);
      if (!sibling) {
        tried.push(name);
        continue;
      }
      const { raw, opened } = await this.open(sibling);
      if (opened.kind === 'ok') {
        this.file = sibling.name;
        this.fileSize = sibling.size ?? opened.value.totalBytes;
        this.dataFileBytes[index] = this.fileSize;
        return raw;
      }
      if (opened.code === 'cancelled') stop(opened);
      tried.push(`${name} (${opened.message})`);
    }
    return stop(
      fail(
        'missing-file',
        `${this.source.name} keeps its voxels in ${names.join(' or ')}, which ${names.length > 1 ? 'are' : 'is'} not available: ${tried.join('; ')}. ` +
          'Open the header together with its data file (drop both, or voxlens.load([header, data])).',
      ),
    );
  }

  private async readSegment(stored: ByteReader, segment: VoxelSegment, write: Writer): Promise<void> {
    const self = segment.file === 'self';
    // The header's own file, gunzipped whole (.nii.gz, .mgz), has no size to count back from.
    const storedSize = self ? (this.inflating ? undefined : this.mainBytes) : this.fileSize;
    if (!self) this.inflating = false;
    // NRRD's line skip counts lines of the stored bytes, before any inflating (as teem's
    // nrrdLineSkip runs before the encoding's read); byte skip counts decoded bytes.
    if (segment.lineSkip > 0 && !(await stored.skipLines(segment.lineSkip))) {
      stop(fail('truncated', `${this.file} ends before the ${segment.lineSkip} lines its header says to skip.`));
    }
    let raw: 'raw' | 'gzip' = 'raw';
    if (segment.encoding !== 'raw') {
      const head = await stored.peek(8);
      if (isGzip(head)) raw = 'gzip';
      else if (segment.encoding === 'gzip') stop(fail('gzip', `${this.file} should hold gzip-compressed voxels, but its first bytes are ${describeBytes(head)}.`));
    }
    const reader = raw === 'gzip' ? this.inflate(stored) : stored;
    if (segment.byteSkip > 0 && (await reader.skip(segment.byteSkip)) < segment.byteSkip) {
      stop(fail('truncated', `${this.file} ends before the ${segment.byteSkip} bytes its header says to skip.`));
    }
    const start = this.written;
    const end = start + segment.bytes;
    if (segment.byteSkip === -1) {
      const size = storedSize;
      if (raw === 'raw' && size !== undefined) {
        const gap = size - reader.position - segment.bytes;
        if (gap < 0) stop(this.short(segment, size - reader.position));
        await reader.skip(gap);
      } else {
        await this.copyLast(reader, segment, write);
        return;
      }
    }
    if (write.scatters) {
      for (;;) {
        const chunk = await reader.next();
        if (!chunk) break;
        const take = Math.min(chunk.length, end - this.written);
        write(take === chunk.length ? chunk : chunk.subarray(0, take), this.written);
        this.written += take;
        if (take < chunk.length) reader.unread(chunk.subarray(take));
        if (this.written === end) return;
      }
      stop(this.short(segment, this.written - start));
    }
    // Straight into the voxel memory, slab by slab: pako inflates into it itself (no chunks, no copy).
    for (const part of write.region(this.written, end - this.written)) {
      const n = await reader.fill(part, (k) => {
        this.written += k;
        if (this.inPlace) this.io.onWritten?.(this.written);
      });
      if (n < part.length) stop(this.short(segment, this.written - start));
    }
  }

  /** byte skip -1 on a stream of unknown length: keep the last `bytes` bytes in place, as a ring. */
  private async copyLast(reader: ByteReader, segment: VoxelSegment, write: Writer): Promise<void> {
    if (write.scatters) stop(fail('unsupported-format', `${this.file}: "byte skip: -1" with interleaved components needs a known file size.`));
    const start = this.written;
    const ring = segment.bytes;
    let total = 0;
    for (;;) {
      let chunk = await reader.next();
      if (!chunk) break;
      if (chunk.length > ring) {
        total += chunk.length - ring;
        chunk = chunk.subarray(chunk.length - ring);
      }
      const at = total % ring;
      const first = Math.min(chunk.length, ring - at);
      write(chunk.subarray(0, first), start + at);
      if (first < chunk.length) write(chunk.subarray(first), start);
      total += chunk.length;
    }
    if (total < ring) stop(this.short(segment, total));
    write.rotate(start, ring, total % ring);
    this.written = start + ring;
  }

  private short(segment: VoxelSegment, got: number) {
    const where = segment.file === 'self' ? this.file : `${this.file} (the data file)`;
    return fail('truncated', `${where} is truncated: it holds ${formatBytes(Math.max(0, got))} of voxels but the header needs ${formatBytes(segment.bytes)} there.`);
  }
}

interface Writer {
  (bytes: Uint8Array, at: number): void;
  /** True when bytes do not land where they are in the file (interleaved components). */
  scatters: boolean;
  /** Where bytes [at, at + length) land, as views of the slabs in order (not for a writer that scatters). */
  region(at: number, length: number): Uint8Array[];
  /** Rotates [start, start + length) left by `by` bytes (the ring of byte skip -1). */
  rotate(start: number, length: number, by: number): void;
}

/**
 * Puts voxel bytes in place: at their file offset, or (components interleaved in the file's first
 * axis) component c of voxel v into frame c, so each component is a frame the panes can show. The
 * target may be z-slabs: an offset past the first slab's end lands in the slab that holds it.
 */
function writer(slabs: Uint8Array[], header: VolumeHeader, interleaved: number | undefined): Writer {
  const slabBytes = slabs[0].length;
  const single = slabs.length === 1 ? slabs[0] : null;
  const put = (p: number, byte: number) => {
    const n = Math.floor(p / slabBytes);
    slabs[n][p - n * slabBytes] = byte;
  };
  const get = (p: number) => {
    const n = Math.floor(p / slabBytes);
    return slabs[n][p - n * slabBytes];
  };
  const reverse = (from: number, to: number) => {
    if (single) single.subarray(from, to).reverse();
    else for (let a = from, b = to - 1; a < b; a++, b--) {
      const t = get(a);
      put(a, get(b));
      put(b, t);
    }
  };
  const rotate = (start: number, length: number, by: number) => {
    if (!by) return;
    reverse(start, start + by);
    reverse(start + by, start + length);
    reverse(start, start + length);
  };
  const copy = (bytes: Uint8Array, at: number) => {
    if (single) return single.set(bytes, at);
    for (let done = 0; done < bytes.length; ) {
      const p = at + done;
      const n = Math.floor(p / slabBytes);
      const within = p - n * slabBytes;
      const take = Math.min(bytes.length - done, slabs[n].length - within);
      slabs[n].set(bytes.subarray(done, done + take), within);
      done += take;
    }
  };
  const region = (at: number, length: number) => {
    const parts: Uint8Array[] = [];
    for (let done = 0; done < length; ) {
      const p = at + done;
      const n = Math.floor(p / slabBytes);
      const within = p - n * slabBytes;
      const take = Math.min(length - done, slabs[n].length - within);
      parts.push(slabs[n].subarray(within, within + take));
      done += take;
    }
    return parts;
  };
  if (!interleaved || interleaved < 2) return Object.assign(copy, { scatters: false, rotate, region });
  const width = DATA_TYPES[header.datatype].bytesPerVoxel;
  const frameBytes = voxelsPerFrame(header.dims) * width;
  const stride = interleaved * width;
  return Object.assign(
    (bytes: Uint8Array, at: number) => {
      for (let i = 0; i < bytes.length; i++) {
        const p = at + i;
        const element = Math.floor(p / stride);
        const inElement = p - element * stride;
        const component = Math.floor(inElement / width);
        const to = component * frameBytes + element * width + (inElement - component * width);
        if (single) single[to] = bytes[i];
        else put(to, bytes[i]);
      }
    },
    {
      scatters: true,
      rotate,
      region: () => {
        throw new Error('INTERNAL ERROR: interleaved components are written byte by byte');
      },
    },
  );
}

const byteLength = (arrays: readonly Uint8Array[]) => arrays.reduce((n, a) => n + a.length, 0);

/** For bytes no decoder reads whose name says they are the data half of a pair. */
function companionHint(name: string): string {
  if (/\.img(\.gz)?$/i.test(name)) return ' It looks like the data half of an Analyze or NIfTI .hdr/.img pair: open the .hdr together with it.';
  if (/\.(raw|raw\.gz|dat)$/i.test(name)) return ' It looks like the data file of a detached NRRD header: open the .nhdr together with it.';
  return '';
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
