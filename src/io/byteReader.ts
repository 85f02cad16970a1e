// Byte-level reading for the stream decoder: a reader that can give bytes back, skip bytes and
// lines, and hand its remainder on as a stream (to pipe a NRRD's gzip-encoded voxels through an
// inflater after its plain-text header), plus the three gunzip engines.
import { Gunzip } from 'fflate';
import { Z_BUF_ERROR, Z_NO_FLUSH, Z_OK, Z_STREAM_END, ZStream, zlibInflate, zlibInflateInit2, zlibInflateReset } from 'pako';

/**
 * 'pako': zlib's inflate (pako's port) into one reused output buffer, or straight into the
 * caller's memory (DirectStream): no garbage per chunk, the lean default. 'native': DecompressionStream, faster, but every output chunk is a new
 * ArrayBuffer that waits for a GC (measured: about the voxel bytes again, uncollected, at the end
 * of a 256³ load). 'fflate': fflate's streaming Gunzip (fresh arrays per chunk too).
 */
export type GunzipEngine = 'pako' | 'native' | 'fflate';

export const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

/** fflate's code for "invalid gzip data": bytes after a complete member that do not start another. */
const FFLATE_INVALID_HEADER = 6;

function fflateGunzip(): TransformStream<Uint8Array, Uint8Array> {
  let inflater: Gunzip;
  let produced = 0;
  let consumed = 0;
  let ended = false;
  // Bytes after the last complete member that are not a gzip member (an appended checksum, padding)
  // end the stream as gzip(1) does ("trailing garbage ignored"); the engine then checks the count.
  const push = (controller: TransformStreamDefaultController<Uint8Array>, chunk: Uint8Array, final: boolean) => {
    if (ended) return;
    try {
      inflater.push(chunk, final);
    } catch (e) {
      if (produced > 0 && (e as { code?: number }).code === FFLATE_INVALID_HEADER) {
        ended = true;
        controller.terminate();
        return;
      }
      throw e;
    }
  };
  return new TransformStream({
    start(controller) {
      // fflate hands out fresh arrays per chunk (it slices its window), so enqueueing is safe.
      inflater = new Gunzip((chunk) => {
        produced += chunk.length;
        if (!ended) controller.enqueue(chunk);
      });
    },
    transform(chunk, controller) {
      consumed += chunk.length;
      push(controller, chunk, false);
    },
    flush(controller) {
      push(controller, new Uint8Array(0), true);
      // fflate ends silently on a stream cut inside its 10-byte header (or its file name field).
      if (consumed > 0 && produced === 0) throw new Error(`unexpected end of data: the stream ends after ${consumed} bytes, inside its gzip header`);
    },
  });
}

/** Output bytes per inflate call: zlib copies up to 32 KiB of each call's output into its window, so not much smaller. */
const PAKO_OUTPUT_BYTES = 1 << 18;
/** windowBits for inflateInit2: 15 (32 KiB window) + 16, gzip wrapper only. */
const GZIP_WINDOW_BITS = 16 + 15;

/**
 * A stream that can also inflate straight into the caller's memory: `inflateInto(dest)` fills
 * `dest` (from its start) with the next bytes, and returns how many it wrote (fewer only at the
 * end of the stream). Reading the stream and inflating into memory may alternate, never overlap.
 */
export interface DirectStream extends ReadableStream<Uint8Array> {
  /** `onBytes`: told of each run of bytes as it lands (so a failure can say how far it got). */
  inflateInto(dest: Uint8Array, onBytes?: (n: number) => void): Promise<number>;
}

/**
 * Gunzips `input` on demand: each read inflates at most PAKO_OUTPUT_BYTES into one buffer that
 * is reused, so a chunk read from this stream is valid only until the next read (ByteReader's
 * callers copy it into place or give it back first); inflateInto writes into the caller's memory
 * instead (the voxel buffer: no copy, and zlib runs with room for the whole volume, which is
 * about twice as fast on compressible data as 256 KiB at a time). Reads on across gzip members;
 * bytes after the last complete member that do not start another end the stream, as gzip(1) does
 * ("trailing garbage ignored"). Input is pulled only as inflating needs it, so a gzip bomb is read
 * no further than the voxels that were asked for.
 */
function pakoGunzip(input: ReadableStream<Uint8Array>): DirectStream {
  const reader = input.getReader();
  const strm = new ZStream();
  zlibInflateInit2(strm, GZIP_WINDOW_BITS);
  const out = new Uint8Array(PAKO_OUTPUT_BYTES);
  strm.input = new Uint8Array(0);
  let inputDone = false;
  let consumed = 0;
  let members = 0;
  /** Bytes produced since the current member began. */
  let memberBytes = 0;
  /** At the end of a member: another may follow, and zlib starts over on it. */
  const nextMember = () => {
    members++;
    memberBytes = 0;
    zlibInflateReset(strm);
  };
  const readInput = async () => {
    const r = await reader.read();
    if (r.done) {
      inputDone = true;
      return;
    }
    consumed += r.value.length;
    strm.input = r.value;
    strm.next_in = 0;
    strm.avail_in = r.value.length;
  };
  /**
   * Inflates into `into` from `at` (at most to its end); the bytes written, 0 only at the end of
   * the last member.
   */
  const inflateSome = async (into: Uint8Array, at: number): Promise<number> => {
    for (;;) {
      if (strm.avail_in === 0 && !inputDone) await readInput();
      // A view of shared memory at run time; pako's typing says ArrayBuffer.
      strm.output = into as Uint8Array<ArrayBuffer>;
      strm.next_out = at;
      strm.avail_out = into.length - at;
      // Called even with no input left: a match cut by the end of the last output may still be pending.
      const status = zlibInflate(strm, Z_NO_FLUSH);
      const produced = strm.next_out - at;
      memberBytes += produced;
      if (status === Z_STREAM_END) nextMember();
      if (produced > 0) return produced;
      // Progress without output (headers, block boundaries), or a member that ended: go on.
      if (status === Z_OK || status === Z_STREAM_END) continue;
      const betweenMembers = members > 0 && memberBytes === 0;
      if (status === Z_BUF_ERROR && strm.avail_in === 0) {
        // No progress without more input.
        if (!inputDone) continue;
        if (betweenMembers) return 0;
        throw new Error(`unexpected end of data: the gzip stream ends inside a member, after ${consumed} bytes`);
      }
      // Bytes where a member could begin that are not one: trailing garbage after a complete member.
      if (betweenMembers) return 0;
      throw new Error(strm.msg || `inflate failed (zlib status ${status})`);
    }
  };
  let ended = false;
  const end = () => {
    ended = true;
    // Trailing bytes after the last member are never read.
    void reader.cancel();
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const produced = ended ? 0 : await inflateSome(out, 0);
        if (produced) controller.enqueue(out.subarray(0, produced));
        else {
          controller.close();
          if (!ended) end();
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // No read-ahead: a chunk is handed out only when asked for, so the buffer is free again by then.
    { highWaterMark: 0 },
  );
  return Object.assign(stream, {
    async inflateInto(dest: Uint8Array, onBytes?: (n: number) => void): Promise<number> {
      let written = 0;
      while (written < dest.length && !ended) {
        const produced = await inflateSome(dest, written);
        if (!produced) end();
        written += produced;
        onBytes?.(produced);
      }
      return written;
    },
  });
}

/** `stream` gunzipped by `engine` (pako's can also inflate straight into memory: DirectStream). */
export function gunzipStream(stream: ReadableStream<Uint8Array>, engine: GunzipEngine): ReadableStream<Uint8Array> | DirectStream {
  switch (engine) {
    case 'pako':
      return pakoGunzip(stream);
    case 'native':
      // DOM typings give DecompressionStream a BufferSource input; it takes our Uint8Arrays.
      return stream.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
    case 'fflate':
      return stream.pipeThrough(fflateGunzip());
    default: {
      const never: never = engine;
      throw new Error(`INTERNAL ERROR: unknown gunzip engine ${String(never)}`);
    }
  }
}

export function concat(parts: Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A stream reader with one chunk of push-back, counting the bytes it hands out. */
export class ByteReader {
  private pending: Uint8Array | null = null;
  /** Bytes handed out (and not given back) so far. */
  position = 0;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  /** The stream's inflateInto, where it has one (pako). */
  private readonly direct: DirectStream['inflateInto'] | undefined;

  constructor(stream: ReadableStream<Uint8Array> | DirectStream) {
    this.reader = stream.getReader();
    this.direct = 'inflateInto' in stream ? stream.inflateInto.bind(stream) : undefined;
  }

  /**
   * Fills `dest` with the next bytes (push-back first); returns how many it wrote, fewer only at
   * the end of the stream; `onBytes` is told of each run as it lands. From an inflater that can,
   * straight into `dest` (no chunk, no copy).
   */
  async fill(dest: Uint8Array, onBytes?: (n: number) => void): Promise<number> {
    let written = 0;
    while (written < dest.length) {
      if (this.direct && !this.pending) {
        written += await this.direct(dest.subarray(written), (n) => {
          this.position += n;
          onBytes?.(n);
        });
        break;
      }
      const chunk = await this.next();
      if (!chunk) break;
      const take = Math.min(chunk.length, dest.length - written);
      dest.set(chunk.subarray(0, take), written);
      written += take;
      onBytes?.(take);
      if (take < chunk.length) this.unread(chunk.subarray(take));
    }
    return written;
  }

  async next(): Promise<Uint8Array | null> {
    let chunk = this.pending;
    this.pending = null;
    while (!chunk) {
      const r = await this.reader.read();
      if (r.done) return null;
      if (r.value.length) chunk = r.value;
    }
    this.position += chunk.length;
    return chunk;
  }

  unread(bytes: Uint8Array): void {
    if (!bytes.length) return;
    this.pending = this.pending ? concat([bytes, this.pending]) : bytes;
    this.position -= bytes.length;
  }

  /** Reads until `want` bytes are available or the stream ends; gives them back unconsumed. */
  async peek(want: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < want) {
      const chunk = await this.next();
      if (!chunk) break;
      // Copied: an inflater's chunk is valid only until the next read (see pakoGunzip).
      parts.push(chunk.slice());
      have += chunk.length;
    }
    const head = concat(parts, have);
    this.unread(head);
    return head;
  }

  /** Skips `count` bytes; returns how many it could. */
  async skip(count: number): Promise<number> {
    let left = count;
    while (left > 0) {
      const chunk = await this.next();
      if (!chunk) break;
      if (chunk.length > left) this.unread(chunk.subarray(left));
      left -= Math.min(left, chunk.length);
    }
    return count - left;
  }

  /** Skips `count` lines (through each '\n'); false when the stream ends first. */
  async skipLines(count: number): Promise<boolean> {
    let left = count;
    while (left > 0) {
      const chunk = await this.next();
      if (!chunk) return false;
      let at = 0;
      while (left > 0) {
        const nl = chunk.indexOf(0x0a, at);
        if (nl < 0) break;
        at = nl + 1;
        left--;
      }
      if (left === 0) this.unread(chunk.subarray(at));
    }
    return true;
  }

  /**
   * The rest of the bytes (push-back first) as a stream; this reader is spent afterwards. Read on
   * demand only (no read-ahead), so when this reader's chunks are an inflater's reused buffer (a
   * gzip-encoded segment inside a gzipped file) each is taken before the next is made.
   */
  rest(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          const chunk = await this.next();
          if (chunk) controller.enqueue(chunk);
          else controller.close();
        },
        cancel: (reason) => this.reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
  }

  cancel(reason?: unknown): Promise<void> {
    this.pending = null;
    return this.reader.cancel(reason).catch(() => {});
  }
}
