// Byte-level reading for the stream decoder: a reader that can give bytes back, skip bytes and
// lines, and hand its remainder on as a stream (to pipe a NRRD's gzip-encoded voxels through an
// inflater after its plain-text header), plus the two gunzip engines.
import { Gunzip } from 'fflate';

export type GunzipEngine = 'native' | 'fflate';

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

export function inflater(engine: GunzipEngine): TransformStream<Uint8Array, Uint8Array> {
  // DOM typings give DecompressionStream a BufferSource input; it takes our Uint8Arrays.
  return engine === 'native' ? (new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>) : fflateGunzip();
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

  constructor(stream: ReadableStream<Uint8Array>) {
    this.reader = stream.getReader();
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
      parts.push(chunk);
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

  /** The rest of the bytes (push-back first) as a stream; this reader is spent afterwards. */
  rest(): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = await this.next();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
      cancel: (reason) => this.reader.cancel(reason),
    });
  }

  cancel(reason?: unknown): Promise<void> {
    this.pending = null;
    return this.reader.cancel(reason).catch(() => {});
  }
}
