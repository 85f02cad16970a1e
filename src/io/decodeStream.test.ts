import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { invert } from '../volume/affine';
import { DATA_TYPES, voxelView } from '../volume/dataTypes';
import { voxelCount } from '../volume/header';
import { probeIndex } from '../volume/sampling';
import { decodeVolume, engineForHead, LEAN_BYTES, type ByteSource, type DecodeIO, type Decoded, type GunzipEngine } from './decodeStream';
import { encodeNifti } from './decoders/niftiWrite';
import type { Result } from './errors';
import { blobSource } from './sources';
import { close, hasSharedData, manifestDatatype, SHARED_DATA_DIR, SKIP_REASON, volumeEntries } from '../testing/sharedData';

function plainIO(budgetBytes = 1 << 30): DecodeIO & { allocated: number } {
  const io = {
    allocated: 0,
    async acquire(_h: unknown, bytes: number): Promise<Result<Uint8Array>> {
      if (bytes > budgetBytes) return { kind: 'error', code: 'over-budget', message: `needs ${bytes}` };
      io.allocated += bytes;
      return { kind: 'ok', value: new Uint8Array(new SharedArrayBuffer(bytes)) };
    },
  };
  return io;
}

const decodeBytes = (bytes: Uint8Array, name = 'test.nii', io: DecodeIO = plainIO(), gunzip?: GunzipEngine[]) =>
  decodeVolume(blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), name), io, gunzip ? { gunzip } : {});

function ok(r: Result<Decoded>): Decoded {
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

const int16Volume = () => {
  const values = new Int16Array(4 * 3 * 2);
  values.forEach((_, i) => (values[i] = i * 1000 - 32768));
  return new Uint8Array(values.buffer);
};

describe.skipIf(!hasSharedData)('real NIfTI, NRRD and MGZ files from ../shared/data', () => {
  for (const entry of volumeEntries()) {
    it(`${entry.file}: dims, datatype, affine, axis codes and every probe`, async () => {
      const blob = await openAsBlob(join(SHARED_DATA_DIR, entry.file));
      const d = ok(await decodeVolume(blobSource(blob, entry.file), plainIO()));
      expect(d.header.dims).toEqual(entry.dims);
      expect(d.header.datatype).toBe(manifestDatatype(entry));
      expect(d.header.axcodes).toBe(entry.axcodes);
      if (entry.raw_max !== undefined && typeof entry.raw_max === 'number') expect(close(d.stats.max, entry.raw_max), `max ${d.stats.max} vs ${entry.raw_max}`).toBe(true);
      entry.affine.flat().forEach((v, i) => expect(Math.abs(d.header.affine[i] - v)).toBeLessThan(1e-4));
      const info = DATA_TYPES[d.header.datatype];
      const src = {
        ...d.header,
        channels: info.channels,
        inverseAffine: invert(d.header.affine),
        values: voxelView(d.header.datatype, d.voxels.buffer, voxelCount(d.header.dims)),
      };
      for (const p of entry.probes) {
        const got = probeIndex(src, p.ijk);
        const pairs: [unknown, unknown][] = [
          [got.raw, p.raw],
          [got.scaled, p.scaled],
        ];
        for (const [a, e] of pairs) {
          const as = ([] as number[]).concat(a as number | number[]);
          const es = ([] as number[]).concat(e as number | number[]);
          expect(as.length).toBe(es.length);
          as.forEach((v, i) => expect(close(v, es[i]), `${p.label} ${p.ijk}: ${v} vs ${es[i]}`).toBe(true));
        }
        got.world.forEach((v, i) => expect(Math.abs(v - p.world[i])).toBeLessThan(1e-3));
      }
    });
  }
});

if (!hasSharedData) console.warn(SKIP_REASON);

describe('synthetic NIfTI', () => {
  const base = { dims: [4, 3, 2], datatypeCode: 4, bitpix: 16, bytesPerValue: 2 };

  it('reads big-endian NIfTI-1 and swaps in place', async () => {
    const data = int16Volume();
    const d = ok(await decodeBytes(encodeNifti({ ...base, data, littleEndian: false })));
    expect(d.header.littleEndian).toBe(false);
    expect(Array.from(new Int16Array(d.voxels.buffer))).toEqual(Array.from(new Int16Array(data.buffer)));
  });

  it('reads big-endian NIfTI-2 float32 with an extension block, gzipped', async () => {
    const f = new Float32Array([1.5, -2.25, 3e-7, NaN, 1e30, 0, -0, 7]);
    const file = encodeNifti({ version: 2, dims: [2, 2, 2], datatypeCode: 16, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(f.buffer), littleEndian: false, extensionBytes: 32 });
    const d = ok(await decodeBytes(gzipSync(file), 'x.nii.gz'));
    expect(d.header.format).toBe('nifti2');
    expect(d.header.voxOffset).toBe(540 + 4 + 32);
    expect(Array.from(new Float32Array(d.voxels.buffer))).toEqual(Array.from(f));
    expect(d.stats.nonFinite).toBe(1);
    expect(d.stats.max).toBe(Math.fround(1e30));
  });

  it('reads cal_min/cal_max as the display range, ignoring an empty one', async () => {
    const withRange = ok(await decodeBytes(encodeNifti({ ...base, data: int16Volume(), calRange: [-10, 90] })));
    expect(withRange.header.displayRange).toEqual([-10, 90]);
    const without = ok(await decodeBytes(encodeNifti({ ...base, data: int16Volume() })));
    expect(without.header.displayRange).toBeUndefined();
  });

  it('reads 4D volumes as frames', async () => {
    const data = new Uint8Array(2 * 2 * 2 * 3).map((_, i) => i);
    const d = ok(await decodeBytes(encodeNifti({ dims: [2, 2, 2, 3], datatypeCode: 2, bitpix: 8, data })));
    expect(d.header.dims).toEqual([2, 2, 2, 3]);
    expect(Array.from(d.voxels)).toEqual(Array.from(data));
  });

  for (const engine of ['pako', 'native', 'fflate'] as GunzipEngine[]) {
    it(`reads a multi-member gzip file with the ${engine} engine first`, async () => {
      const file = encodeNifti({ ...base, data: int16Volume() });
      const multi = new Uint8Array([...gzipSync(file.subarray(0, 100)), ...gzipSync(file.subarray(100, 360)), ...gzipSync(file.subarray(360))]);
      const d = ok(await decodeBytes(multi, 'm.nii.gz', plainIO(), [engine, 'fflate']));
      expect(Array.from(d.voxels)).toEqual(Array.from(int16Volume()));
    });
  }

  it('retries with fflate when the native engine stops at trailing data', async () => {
    // Chromium's DecompressionStream throws on a second gzip member; Node's does not. Simulate it.
    const file = encodeNifti({ ...base, data: int16Volume() });
    const multi = new Uint8Array([...gzipSync(file.subarray(0, 400)), ...gzipSync(file.subarray(400))]);
    const Native = globalThis.DecompressionStream;
    class Strict extends TransformStream<Uint8Array, Uint8Array> {
      constructor() {
        let seen = 0;
        super({
          transform(chunk, controller) {
            seen += chunk.length;
            if (seen > multi.length / 2) throw new TypeError('Junk found after end of compressed data.');
            controller.enqueue(new Uint8Array(0));
          },
        });
      }
    }
    globalThis.DecompressionStream = Strict as unknown as typeof DecompressionStream;
    try {
      const d = ok(await decodeBytes(multi, 'm.nii.gz', plainIO(), ['native', 'fflate']));
      expect(d.gunzip).toBe('fflate');
      expect(Array.from(d.voxels)).toEqual(Array.from(int16Volume()));
    } finally {
      globalThis.DecompressionStream = Native;
    }
  });
});

describe('onWritten: how far the voxel memory holds its final bytes, while it inflates', () => {
  /** Decodes `file`, checking at each call that the memory's first `bytes` bytes are already `want`'s. */
  async function track(file: Uint8Array, name: string, want: Uint8Array, gunzip: GunzipEngine[] = ['pako']) {
    const calls: number[] = [];
    let dest: Uint8Array | null = null;
    let prefixWrong = 0;
    const io: DecodeIO = {
      async acquire(_h, bytes) {
        dest = new Uint8Array(new SharedArrayBuffer(bytes));
        return { kind: 'ok', value: dest };
      },
      onWritten(bytes) {
        calls.push(bytes);
        if (!Buffer.from(dest!.buffer, 0, bytes).equals(Buffer.from(want.buffer, want.byteOffset, bytes))) prefixWrong++;
      },
    };
    const d = ok(await decodeBytes(file, name, io, gunzip));
    return { d, calls, prefixWrong };
  }
  // 128 × 128 × 40 int16, 1.25 MiB, every slice different.
  const dims = [128, 128, 40];
  const values = new Int16Array(dims[0] * dims[1] * dims[2]).map((_, i) => (i * 7 + (i >> 14) * 131) % 30000);
  const bytes = new Uint8Array(values.buffer);

  it('a gzipped little-endian volume: many growing prefixes, each already final, the last every byte', async () => {
    const { d, calls, prefixWrong } = await track(gzipSync(encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: bytes })), 'p.nii.gz', bytes);
    expect(Array.from(d.voxels.subarray(0, 64))).toEqual(Array.from(bytes.subarray(0, 64)));
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.some((n) => n > 0 && n < bytes.length)).toBe(true);
    expect(calls.every((n, i) => i === 0 || n >= calls[i - 1])).toBe(true);
    expect(calls[calls.length - 1]).toBe(bytes.length);
    expect(prefixWrong).toBe(0);
  });

  it('a big-endian volume is told once, after its bytes are swapped', async () => {
    const { calls, prefixWrong } = await track(gzipSync(encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: bytes, littleEndian: false })), 'b.nii.gz', bytes);
    expect(calls).toEqual([bytes.length]);
    expect(prefixWrong).toBe(0);
  });

  it('a big-endian volume of one-byte values needs no swap: told as it inflates', async () => {
    const u8 = bytes.slice(0, bytes.length / 2).map((b, i) => (b + i) & 0xff);
    const { calls, prefixWrong } = await track(gzipSync(encodeNifti({ dims, datatypeCode: 2, bitpix: 8, bytesPerValue: 1, data: u8, littleEndian: false })), 'b8.nii.gz', u8);
    expect(calls.some((n) => n > 0 && n < u8.length)).toBe(true);
    expect(calls[calls.length - 1]).toBe(u8.length);
    expect(prefixWrong).toBe(0);
  });
});

describe('bad input is refused with a typed error, before allocating where the header tells', () => {
  const good = () => encodeNifti({ dims: [4, 3, 2], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Volume() });
  const withHeader = (edit: (dv: DataView) => void) => {
    const f = good();
    edit(new DataView(f.buffer));
    return f;
  };
  const cases: [string, () => Uint8Array, string, boolean][] = [
    ['wrong magic', () => withHeader((dv) => dv.setUint8(345, 0x3f)), 'bad-magic', false],
    ['not NIfTI at all', () => new TextEncoder().encode('hello, this is not a volume at all'), 'unknown-format', false],
    ['zero dim', () => withHeader((dv) => dv.setInt16(42, 0, true)), 'bad-dims', false],
    ['negative dim', () => withHeader((dv) => dv.setInt16(44, -5, true)), 'bad-dims', false],
    ['dim[0] of 9', () => withHeader((dv) => dv.setInt16(40, 9, true)), 'bad-dims', false],
    ['bitpix contradicting datatype', () => withHeader((dv) => dv.setInt16(72, 8, true)), 'bitpix-mismatch', false],
    ['vox_offset past the end', () => withHeader((dv) => dv.setFloat32(108, 1e6, true)), 'bad-offset', false],
    ['vox_offset inside the header', () => withHeader((dv) => dv.setFloat32(108, 100, true)), 'bad-offset', false],
    ['complex64', () => withHeader((dv) => { dv.setInt16(70, 32, true); dv.setInt16(72, 64, true); }), 'unsupported-dtype', false],
    ['float128', () => withHeader((dv) => { dv.setInt16(70, 1536, true); dv.setInt16(72, 128, true); }), 'unsupported-dtype', false],
    ['unknown datatype code', () => withHeader((dv) => dv.setInt16(70, 999, true)), 'unsupported-dtype', false],
    ['truncated voxels', () => good().subarray(0, 360), 'truncated', false],
    ['truncated header', () => good().subarray(0, 200), 'truncated', false],
    ['truncated gzip', () => { const gz = gzipSync(good()); return gz.subarray(0, gz.length - 20); }, 'truncated', true],
    ['huge dims over the budget', () => withHeader((dv) => { dv.setInt16(42, 32767, true); dv.setInt16(44, 32767, true); dv.setInt16(46, 2, true); }), 'bad-offset|truncated', false],
  ];
  for (const [label, make, code, allocates] of cases) {
    it(label, async () => {
      const io = plainIO();
      const r = await decodeBytes(make(), label.includes('gzip') ? 'x.nii.gz' : 'x.nii', io);
      expect(r.kind).toBe('error');
      if (r.kind === 'error') {
        expect(r.code).toMatch(new RegExp(`^(${code})$`));
        expect(r.message.length).toBeGreaterThan(20);
      }
      if (!allocates) expect(io.allocated).toBe(0);
    });
  }

  it('huge dims in a gzip file (size unknown up front) are refused by the budget, nothing allocated', async () => {
    const f = withHeader((dv) => {
      dv.setInt16(42, 32767, true);
      dv.setInt16(44, 32767, true);
      dv.setInt16(46, 2, true);
    });
    const io = plainIO(1 << 30);
    const r = await decodeBytes(gzipSync(f), 'huge.nii.gz', io);
    expect(r.kind === 'error' && r.code).toBe('over-budget');
    expect(io.allocated).toBe(0);
  });

  it('cancelled before the first bytes arrive (an aborted fetch body errors) is cancelled, not a crash', async () => {
    const controller = new AbortController();
    const io = { ...plainIO(), signal: controller.signal };
    const stalled: ByteSource = {
      name: 'slow.nii',
      open: async (signal) => {
        const stream = new ReadableStream<Uint8Array>({
          start(c) {
            signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
          },
        });
        return { kind: 'ok', value: { stream, totalBytes: 1000 } };
      },
    };
    const pending = decodeVolume(stalled, io);
    setTimeout(() => controller.abort(), 10);
    const r = await pending;
    expect(r.kind === 'error' && r.code).toBe('cancelled');
    expect(io.allocated).toBe(0);
  });

  it('cancels on abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await decodeBytes(good(), 'x.nii', { ...plainIO(), signal: controller.signal });
    expect(r.kind === 'error' && r.code).toBe('cancelled');
  });
});

describe("the 'pako' engine: one reused output buffer, handed out chunk by chunk", () => {
  /** A source whose stream yields `chunk`-byte pieces (fresh arrays), as a slow network would. */
  const chunkedSource = (bytes: Uint8Array, name: string, chunk: number): ByteSource => ({
    name,
    size: bytes.length,
    async open() {
      let at = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) return controller.close();
          controller.enqueue(bytes.slice(at, at + chunk));
          at += chunk;
        },
      });
      return { kind: 'ok', value: { stream, totalBytes: bytes.length } };
    },
  });
  // 96³ int16 (1.7 MiB): several times the inflater's 256 KiB output buffer, not very compressible.
  const dims = [96, 96, 96];
  const voxels = () => {
    const v = new Int16Array(dims[0] * dims[1] * dims[2]);
    let s = 0x12345678;
    for (let i = 0; i < v.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      v[i] = (i % 4096 < 2048 ? i & 0x3ff : s & 0x7fff) - 512;
    }
    return new Uint8Array(v.buffer);
  };
  const file = () => encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: voxels() });

  for (const chunk of [13, 4096, 1 << 20]) {
    it(`is exact over members split mid-stream, read in ${chunk}-byte pieces`, async () => {
      const f = file();
      // Three members, the cuts inside the header and inside the voxels.
      const gz = new Uint8Array([...gzipSync(f.subarray(0, 100)), ...gzipSync(f.subarray(100, 700_001)), ...gzipSync(f.subarray(700_001))]);
      const d = ok(await decodeVolume(chunkedSource(gz, 'm.nii.gz', chunk), plainIO(), { gunzip: ['pako'] }));
      expect(d.gunzip).toBe('pako');
      expect(Buffer.compare(Buffer.from(d.voxels), Buffer.from(voxels()))).toBe(0);
    });
  }

  it('gunzips a gzip-encoded NRRD inside a gzipped file (one inflater reading the other)', async () => {
    const v = voxels();
    const head = new TextEncoder().encode(`NRRD0004\ntype: short\ndimension: 3\nsizes: ${dims.join(' ')}\nendian: little\nencoding: gzip\n\n`);
    const nrrd = new Uint8Array([...head, ...gzipSync(v)]);
    const d = ok(await decodeVolume(chunkedSource(gzipSync(nrrd), 'v.nrrd.gz', 999), plainIO(), { gunzip: ['pako'] }));
    expect(Buffer.compare(Buffer.from(d.voxels), Buffer.from(v))).toBe(0);
  });

  it('is what the default (auto) engine takes for a volume of LEAN_BYTES or more; a smaller one inflates natively', async () => {
    expect(ok(await decodeBytes(gzipSync(file()), 'x.nii.gz')).gunzip).toBe('native');
    // Only the header counts: 256³ int16 (32 MiB) declared, its first voxels given.
    const big = encodeNifti({ dims: [256, 256, 256], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(4096) });
    expect(await engineForHead(gzipSync(big), 'big.nii.gz')).toBe('pako');
    const small = encodeNifti({ dims: [64, 64, 64], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(4096) });
    expect(await engineForHead(gzipSync(small), 'small.nii.gz')).toBe('native');
    // A head that is not a volume Voxlens reads: pako (the decode then names what is wrong).
    expect(await engineForHead(gzipSync(new Uint8Array(1000).fill(7)), 'odd.nii.gz')).toBe('pako');
    expect(LEAN_BYTES).toBe(16 * 2 ** 20);
  });

  // Before the voxel memory is asked for a broken stream is a gzip error; after, a truncation.
  for (const [label, cut, code] of [
    ['inside the gzip header', 5, 'gzip'],
    ['inside the NIfTI header', 150, 'gzip'],
    ['inside the voxels', 400_000, 'truncated'],
  ] as const) {
    it(`a stream cut ${label} is a typed error`, async () => {
      const gz = gzipSync(file());
      const r = await decodeVolume(chunkedSource(gz.subarray(0, cut), 'x.nii.gz', 4096), plainIO(), { gunzip: ['pako'] });
      expect(r.kind === 'error' && r.code, r.kind === 'error' ? r.message : '').toBe(code);
      expect(r.kind === 'error' && r.message).toContain('unexpected end of data');
    });
  }

  it('an invalid deflate block is a typed error naming zlib\'s reason', async () => {
    const gz = gzipSync(file());
    gz[10] = 0x07; // the first block's header (after the 10-byte gzip header): final, type 3 (reserved)
    const r = await decodeVolume(chunkedSource(gz, 'x.nii.gz', 4096), plainIO(), { gunzip: ['pako'] });
    expect(r.kind === 'error' && r.code).toBe('gzip');
    expect(r.kind === 'error' && r.message).toContain('invalid block type');
  });
});
