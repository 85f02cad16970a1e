// The gunzip engines against zlib (Node's gunzipSync, the reference): pako inflating straight into
// the caller's memory (ByteReader.fill over its DirectStream), and the chunked path the other
// engines take, bit for bit, over input cut into any pieces, several members, trailing garbage and
// push-back; and the default engine decoding a volume of LEAN_BYTES or more through that path.
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ByteReader, gunzipStream, type GunzipEngine } from './byteReader';
import { decodeVolume, LEAN_BYTES } from './decodeStream';
import { encodeNifti } from './decoders/niftiWrite';
import { blobSource } from './sources';

/** Bytes as a stream of `piece`-byte chunks. */
const pieces = (bytes: Uint8Array, piece: number) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += piece) c.enqueue(bytes.slice(i, i + piece));
      c.close();
    },
  });

/** Half noise (incompressible), half long runs (inflates 1 KiB into megabytes): both of inflate's paths. */
function mixed(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n >> 1; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  for (let i = n >> 1; i < n; i++) out[i] = (i >> 12) & 0xff;
  return out;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;

describe('ByteReader.fill over each gunzip engine', () => {
  const data = mixed(3_000_000);
  const gz = gzipSync(data);
  for (const engine of ['pako', 'native', 'fflate'] as GunzipEngine[]) {
    for (const piece of [13, 4096, 1 << 20]) {
      it(`${engine}, input in ${piece}-byte pieces, filled into shared memory in uneven parts: zlib's bytes exactly`, async () => {
        const reader = new ByteReader(gunzipStream(pieces(gz, piece), engine));
        const dest = new Uint8Array(new SharedArrayBuffer(data.length));
        // A header's worth read as chunks first (pushed back in part), then the rest filled in parts.
        const head = await reader.peek(352);
        expect(same(head.subarray(0, 352), data.subarray(0, 352))).toBe(true);
        let at = 0;
        for (const part of [100_000, 1, 777_777, data.length]) {
          const n = await reader.fill(dest.subarray(at, Math.min(data.length, at + part)));
          at += n;
        }
        expect(at).toBe(data.length);
        expect(same(dest, gunzipSync(gz))).toBe(true);
        expect(reader.position).toBe(data.length);
        // The end: nothing more, and fill says so by writing nothing.
        expect(await reader.fill(new Uint8Array(10))).toBe(0);
      });
    }
  }

  it('pako inflates straight into the memory it is given: one run per input chunk, not a chunk per 256 KiB of output', async () => {
    // 8 MiB of runs, stored in a few KiB: one input chunk.
    const runs = new Uint8Array(8 << 20).map((_, i) => (i >> 16) & 0xff);
    const packed = gzipSync(runs);
    expect(packed.length).toBeLessThan(1 << 16);
    const reader = new ByteReader(gunzipStream(pieces(packed, 1 << 16), 'pako'));
    const dest = new Uint8Array(new SharedArrayBuffer(runs.length));
    const landed: number[] = [];
    expect(await reader.fill(dest, (n) => landed.push(n))).toBe(runs.length);
    expect(same(dest, runs)).toBe(true);
    expect(landed).toEqual([runs.length]);
  });

  it('pako reads on across members and stops at trailing garbage, as gzip(1) does, filling straight into place', async () => {
    const a = mixed(200_000, 2), b = mixed(300_000, 3);
    const file = new Uint8Array([...gzipSync(a), ...gzipSync(b), ...new Uint8Array(64).fill(0x55)]);
    const reader = new ByteReader(gunzipStream(pieces(file, 1000), 'pako'));
    const dest = new Uint8Array(a.length + b.length + 100);
    const n = await reader.fill(dest);
    expect(n).toBe(a.length + b.length);
    expect(same(dest.subarray(0, n), new Uint8Array([...a, ...b]))).toBe(true);
  });

  it('pako filling straight into place says how far it got when the stream breaks off', async () => {
    const reader = new ByteReader(gunzipStream(pieces(gz.subarray(0, gz.length >> 1), 4096), 'pako'));
    let landed = 0;
    await expect(reader.fill(new Uint8Array(data.length), (n) => (landed += n))).rejects.toThrow(/unexpected end of data/);
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(data.length);
  });
});

describe('the default engine for a volume of LEAN_BYTES or more', () => {
  it('is pako, inflating straight into the voxel memory: the voxels bit for bit as zlib gives them', async () => {
    const dims = [128, 128, 1024 + 7];
    const voxels = mixed(dims[0] * dims[1] * dims[2] * 2, 5);
    expect(voxels.length).toBeGreaterThanOrEqual(LEAN_BYTES);
    const gz = gzipSync(encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: voxels }));
    const r = await decodeVolume(blobSource(new Blob([gz as Uint8Array<ArrayBuffer>]), 'lean.nii.gz'), { acquire: async (_h, n) => ({ kind: 'ok', value: new Uint8Array(new SharedArrayBuffer(n)) }) }, { sampledStatsOnly: true });
    if (r.kind === 'error') throw new Error(r.message);
    expect(r.value.gunzip).toBe('pako');
    expect(same(r.value.voxels, gunzipSync(gz).subarray(352))).toBe(true);
  });
});
