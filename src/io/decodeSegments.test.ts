// The engine's segment reading, with NRRD headers written by hand: companion files, line and byte
// skips (including -1 on a stream of unknown length), gzip-encoded data after a text header,
// interleaved components stored as frames, trailing garbage, and a data file that is missing.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeVolume, type ByteSource, type DecodeIO, type Decoded } from './decodeStream';
import { ok as okResult, type Result } from './errors';
import { blobSource } from './sources';

function io(): DecodeIO & { allocated: number } {
  const it = {
    allocated: 0,
    async acquire(_h: unknown, bytes: number): Promise<Result<Uint8Array>> {
      it.allocated += bytes;
      return okResult(new Uint8Array(new SharedArrayBuffer(bytes)));
    },
  };
  return it;
}

const text = (s: string) => new TextEncoder().encode(s);
const join = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const blob = (b: Uint8Array) => new Blob([b as Uint8Array<ArrayBuffer>]);

/** A source with files beside it; `unsized` hides every size (a chunked HTTP answer). */
function withFiles(name: string, main: Uint8Array, files: Record<string, Uint8Array>, unsized = false): ByteSource {
  const make = (n: string, b: Uint8Array): ByteSource => {
    const s = blobSource(blob(b), n);
    if (!unsized) return s;
    return { name: n, open: async (signal) => {
      const r = await s.open(signal);
      return r.kind === 'ok' ? okResult({ stream: r.value.stream }) : r;
    } };
  };
  return { ...make(name, main), sibling: (n) => (files[n] ? make(n, files[n]) : undefined) };
}

const done = (r: Result<Decoded>): Decoded => {
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
};
const shorts = (d: Decoded) => Array.from(new Int16Array(d.voxels.buffer, d.voxels.byteOffset, d.voxels.length / 2));

const values = Int16Array.from({ length: 8 }, (_, i) => i * 100 - 300);
const bytes = new Uint8Array(values.buffer);
const header = (extra: string) => text(`NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nendian: little\n${extra}`);

describe('voxel segments', () => {
  it('gzip-encoded voxels after a plain-text header, with trailing garbage after the member', async () => {
    const file = join(header('encoding: gzip\n\n'), gzipSync(bytes), text('garbage after the member'));
    for (const engine of ['pako', 'native', 'fflate'] as const) {
      const d = done(await decodeVolume(blobSource(blob(file), 'a.nrrd'), io(), { gunzip: [engine, 'fflate'] }));
      expect(shorts(d)).toEqual(Array.from(values));
    }
  });

  it('a detached data file with line skip and byte skip', async () => {
    const data = join(text('comment line 1\nline 2\n'), new Uint8Array(5), bytes);
    const src = withFiles('a.nhdr', header('encoding: raw\nline skip: 2\nbyte skip: 5\ndata file: a.raw\n'), { 'a.raw': data });
    expect(shorts(done(await decodeVolume(src, io())))).toEqual(Array.from(values));
  });

  for (const unsized of [false, true]) {
    it(`byte skip -1 takes the last bytes of the data file (${unsized ? 'length unknown: kept as a ring' : 'length known'})`, async () => {
      const junk = new Uint8Array(12345).map((_, i) => i * 7);
      const src = withFiles('a.nhdr', header('encoding: raw\nbyte skip: -1\ndata file: a.raw\n'), { 'a.raw': join(junk, bytes) }, unsized);
      expect(shorts(done(await decodeVolume(src, io())))).toEqual(Array.from(values));
    });
  }

  it('data files of a LIST, one slab each, gzipped and raw mixed as the encoding allows', async () => {
    const half = bytes.length / 2;
    const src = withFiles('a.nhdr', header('encoding: gzip\ndata file: LIST\nz0.raw.gz\nz1.raw.gz\n'), {
      'z0.raw.gz': gzipSync(bytes.subarray(0, half)),
      'z1.raw.gz': gzipSync(bytes.subarray(half)),
    });
    expect(shorts(done(await decodeVolume(src, io())))).toEqual(Array.from(values));
  });

  it('components interleaved along the first axis are stored as frames', async () => {
    // 3 components per voxel, 2×1×1 voxels: file order (v0 c0, v0 c1, v0 c2, v1 c0, …).
    const file = join(text('NRRD0004\ntype: short\ndimension: 4\nsizes: 3 2 1 1\nkinds: vector domain domain domain\nendian: little\nencoding: raw\n\n'), new Uint8Array(Int16Array.from([1, 2, 3, 4, 5, 6]).buffer));
    const d = done(await decodeVolume(blobSource(blob(file), 'v.nrrd'), io()));
    expect(d.header.dims).toEqual([2, 1, 1, 3]);
    expect(shorts(d)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(d.header.notices?.join(' ')).toMatch(/3 components/);
  });

  it('a missing data file is named, and nothing is allocated', async () => {
    const mem = io();
    const r = await decodeVolume(withFiles('a.nhdr', header('encoding: raw\ndata file: gone.raw\n'), {}), mem);
    expect(r.kind === 'error' && r.code).toBe('missing-file');
    expect(r.kind === 'error' && r.message).toContain('gone.raw');
    expect(mem.allocated).toBe(0);
  });

  it('a data file shorter than its share is truncated, naming the file', async () => {
    const src = withFiles('a.nhdr', header('encoding: raw\ndata file: a.raw\n'), { 'a.raw': bytes.subarray(0, 10) });
    const r = await decodeVolume(src, io());
    expect(r.kind === 'error' && r.code).toBe('truncated');
    expect(r.kind === 'error' && r.message).toContain('a.raw');
  });

  it('a .img on its own says it is half of a pair', async () => {
    const r = await decodeVolume(blobSource(blob(bytes), 'scan.img'), io());
    expect(r.kind === 'error' && r.message).toContain('open the .hdr together with it');
  });
});
