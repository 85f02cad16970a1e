// Gzip members built piece by piece (node:zlib), so the corpus can regzip a 16 MiB volume whose
// header was edited without recompressing the voxels each time, and write a 200 MiB gzip bomb
// without holding 200 MiB. Output is deterministic: mtime 0, OS byte 255, fixed levels.
import { constants, crc32, deflateRawSync } from 'node:zlib';

const MiB = 1 << 20;

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A gzip member around deflate pieces (all non-final but the last), with the content's CRC and size. */
export function gzipMember(deflate: readonly Uint8Array[], crc: number, size: number): Uint8Array {
  const head = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
  const trailer = new Uint8Array(8);
  const dv = new DataView(trailer.buffer);
  dv.setUint32(0, crc >>> 0, true);
  dv.setUint32(4, size >>> 0, true);
  return concatBytes([head, ...deflate, trailer]);
}

/** Deflate that leaves the stream open (non-final blocks, byte-aligned) so more pieces may follow. */
const deflateOpen = (b: Uint8Array) => new Uint8Array(deflateRawSync(b, { finishFlush: constants.Z_SYNC_FLUSH, level: 6 }));
const deflateFinal = (b: Uint8Array, level = 6) => new Uint8Array(deflateRawSync(b, { level }));

export function gzip(content: Uint8Array, level = 6): Uint8Array {
  return gzipMember([deflateFinal(content, level)], crc32(content), content.length);
}

/**
 * gzip(prefix ++ tail) for many prefixes and one tail: the tail is deflated once (it never refers
 * back into the prefix, since it was compressed on its own), the prefix each time.
 */
export class SplitGzip {
  private tailDeflate: Uint8Array | undefined;
  constructor(private readonly tail: Uint8Array) {}

  gzip(prefix: Uint8Array): Uint8Array {
    this.tailDeflate ??= deflateFinal(this.tail, 1);
    const crc = crc32(this.tail, crc32(prefix));
    return gzipMember([deflateOpen(prefix), this.tailDeflate], crc, prefix.length + this.tail.length);
  }
}

/** gzip(prefix ++ zeroMiB MiB of zeros) without holding the zeros: one deflated MiB, repeated. */
export function gzipWithZeroTail(prefix: Uint8Array, zeroMiB: number): Uint8Array {
  const zeros = new Uint8Array(MiB);
  // A full flush makes the block byte-aligned and self-contained, so copies of it can follow each other.
  const block = new Uint8Array(deflateRawSync(zeros, { finishFlush: constants.Z_FULL_FLUSH, level: 9 }));
  let crc = crc32(prefix);
  for (let i = 0; i < zeroMiB; i++) crc = crc32(zeros, crc);
  const parts = [deflateOpen(prefix), ...new Array<Uint8Array>(zeroMiB).fill(block), deflateFinal(new Uint8Array(0))];
  return gzipMember(parts, crc, prefix.length + zeroMiB * MiB);
}
