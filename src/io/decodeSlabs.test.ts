// A volume larger than one buffer holds is decoded into z-slabs of whole slices: every byte lands
// where the single-buffer decode puts it, whatever the slab size, the gzip chunking, the byte
// order, interleaved components or a byte skip of -1. Probes, decimation and the pool's slab
// requests read and hand out the same voxels.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../memory/pool';
import { invert } from '../volume/affine';
import { DATA_TYPES } from '../volume/dataTypes';
import { decimate, decimatedDims } from '../volume/decimate';
import { voxelCount, type VolumeHeader } from '../volume/header';
import { probeIndex, valueCount, type SampleSource } from '../volume/sampling';
import { decodeVolume, type ByteSource, type DecodeIO, type Decoded, type GunzipEngine } from './decodeStream';
import { encodeNifti } from './decoders/niftiWrite';
import { ok as okResult, type Result } from './errors';
import { blobSource } from './sources';

/** Memory as the main thread lends it past its slab limit: `slabSlices` whole slices per array, the last the rest. */
function slabIO(slabSlices: number): DecodeIO & { given: number[] } {
  const io = {
    given: [] as number[],
    async acquire(h: VolumeHeader, bytes: number): Promise<Result<Uint8Array[]>> {
      const slice = h.dims[0] * h.dims[1] * DATA_TYPES[h.datatype].bytesPerVoxel;
      const slabs: Uint8Array[] = [];
      for (let at = 0; at < bytes; at += slabSlices * slice) slabs.push(new Uint8Array(new SharedArrayBuffer(Math.min(slabSlices * slice, bytes - at))));
      io.given = slabs.map((s) => s.length);
      return okResult(slabs);
    },
  };
  return io;
}

const single: DecodeIO = { acquire: async (_h, bytes) => okResult(new Uint8Array(new SharedArrayBuffer(bytes))) };

const done = (r: Result<Decoded>): Decoded => {
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
};

const joined = (d: Decoded) => {
  const out = new Uint8Array(d.slabs.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of d.slabs) {
    out.set(s, at);
    at += s.length;
  }
  return out;
};

const source = (bytes: Uint8Array, name: string): ByteSource => blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), name);

/** 37 × 29 × 11 × 2 int16, every value distinct along a slice: any misplaced byte shows. */
function volume4d() {
  const dims = [37, 29, 11, 2];
  const values = Int16Array.from({ length: voxelCount(dims) }, (_, n) => ((n * 7919) % 65536) - 32768);
  return { dims, values, bytes: new Uint8Array(values.buffer) };
}

describe('decoding into z-slabs', () => {
  const { dims, values, bytes } = volume4d();
  const cases: { label: string; file: Uint8Array; name: string; engines?: GunzipEngine[] }[] = [
    { label: 'raw, little-endian', file: encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: bytes }), name: 'a.nii' },
    { label: 'big-endian (swapped slab by slab)', file: encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: bytes, littleEndian: false }), name: 'b.nii' },
    { label: 'gzipped, pako chunks across slab ends', file: gzipSync(encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: bytes })), name: 'c.nii.gz', engines: ['pako'] },
    { label: 'gzipped, native chunks', file: gzipSync(encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: bytes })), name: 'd.nii.gz', engines: ['native', 'pako'] },
  ];
  for (const c of cases) {
    for (const slabSlices of [1, 3, 7, 21]) {
      it(`${c.label}, ${slabSlices} slices per slab: the same bytes as one buffer`, async () => {
        const io = slabIO(slabSlices);
        const d = done(await decodeVolume(source(c.file, c.name), io, c.engines ? { gunzip: c.engines } : {}));
        expect(d.slabs.length).toBe(Math.ceil((dims[2] * dims[3]) / slabSlices));
        expect(d.slabs.map((s) => s.length)).toEqual(io.given);
        expect(Array.from(new Int16Array(joined(d).buffer))).toEqual(Array.from(values));
        expect(d.voxels).toBe(d.slabs[0]);
        // Sampled over every slab: the extremes of a 64K sample of 23 K values are the true ones.
        expect([d.stats.min, d.stats.max, d.stats.exact]).toEqual([Math.min(...values), Math.max(...values), false]);
      });
    }
  }

  it('interleaved components are stored as frames across slabs', async () => {
    // 3 components per voxel of a 5×4×3 grid: each component is a frame of 3 slices.
    const n = 5 * 4 * 3;
    const file = new Uint8Array([
      ...new TextEncoder().encode('NRRD0004\ntype: short\ndimension: 4\nsizes: 3 5 4 3\nkinds: vector domain domain domain\nendian: little\nencoding: raw\n\n'),
      ...new Uint8Array(Int16Array.from({ length: 3 * n }, (_, i) => i).buffer),
    ]);
    const one = done(await decodeVolume(source(file, 'v.nrrd'), single));
    const slabbed = done(await decodeVolume(source(file, 'v.nrrd'), slabIO(2)));
    expect(slabbed.slabs.length).toBe(5);
    expect(joined(slabbed)).toEqual(one.voxels);
  });

  it('byte skip -1 on a stream of unknown length keeps its ring across slabs', async () => {
    const grid = Int16Array.from({ length: 4 * 3 * 5 }, (_, i) => i * 3 - 50);
    const junk = new Uint8Array(1001).map((_, i) => i * 13);
    const data = new Uint8Array([...junk, ...new Uint8Array(grid.buffer)]);
    const header = new TextEncoder().encode('NRRD0004\ntype: short\ndimension: 3\nsizes: 4 3 5\nendian: little\nencoding: raw\nbyte skip: -1\ndata file: a.raw\n');
    const unsized = (name: string, b: Uint8Array): ByteSource => {
      const s = source(b, name);
      return { name, open: async (signal) => {
        const r = await s.open(signal);
        return r.kind === 'ok' ? okResult({ stream: r.value.stream }) : r;
      } };
    };
    const src: ByteSource = { ...unsized('a.nhdr', header), sibling: (n) => (n === 'a.raw' ? unsized('a.raw', data) : undefined) };
    const d = done(await decodeVolume(src, slabIO(2)));
    expect(d.slabs.length).toBe(3);
    expect(Array.from(new Int16Array(joined(d).buffer))).toEqual(Array.from(grid));
  });

  it('refuses memory that does not add up to the voxels', async () => {
    const file = encodeNifti({ dims: [4, 3, 2], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(48) });
    const r = await decodeVolume(source(file, 'x.nii'), { acquire: async () => okResult([new Uint8Array(24), new Uint8Array(20)]) });
    expect(r.kind === 'error' && r.code).toBe('internal');
  });
});

describe('reading a grid held in slabs', () => {
  const { dims, values } = volume4d();
  const affine = [1.5, 0, 0, -20, 0, 2, 0, 5, 0, 0, 2.5, 7, 0, 0, 0, 1] as const;
  const sourceOf = (arrays: Int16Array[]): SampleSource => ({
    dims, datatype: 'int16', channels: 1, slope: 2, inter: -1, affine: [...affine], inverseAffine: invert([...affine]),
    values: arrays[0],
    ...(arrays.length > 1 ? { slabs: { arrays, slabValues: arrays[0].length } } : {}),
  });
  const inSlabs = (slabSlices: number) => {
    const per = slabSlices * dims[0] * dims[1];
    const arrays: Int16Array[] = [];
    for (let at = 0; at < values.length; at += per) arrays.push(values.slice(at, at + per));
    return arrays;
  };

  it('probes both sides of every slab boundary exactly, in every frame', () => {
    const slabbed = sourceOf(inSlabs(4));
    const whole = sourceOf([values]);
    expect(valueCount(slabbed)).toBe(values.length);
    for (let k = 0; k < dims[2]; k++) for (const t of [0, 1]) for (const [i, j] of [[0, 0], [36, 28], [17, 9]]) {
      expect(probeIndex(slabbed, [i, j, k, t])).toEqual(probeIndex(whole, [i, j, k, t]));
    }
  });

  it('decimates from slabs to the same display level as from one array', () => {
    for (const f of [[2, 2, 2], [1, 4, 3], [8, 1, 1]] as [number, number, number][]) {
      const n = voxelCount(decimatedDims(dims, f));
      const a = new Int16Array(n);
      const b = new Int16Array(n);
      decimate(values, dims, 1, f, a);
      decimate({ arrays: inSlabs(5), slabValues: 5 * dims[0] * dims[1] }, dims, 1, f, b);
      expect(b).toEqual(a);
    }
  });
});

describe('BufferPool.acquireSlabs', () => {
  const slice = 1000;
  it('one buffer up to the slab limit, whole-slice slabs past it, the last holding the rest', () => {
    const pool = new BufferPool({ budgetBytes: 1e6, shared: true, slabBytes: 4500 });
    const one = pool.acquireSlabs(4000, slice, 'small');
    expect(one.kind === 'ok' && one.slabs.map((s) => s.buffer.value.byteLength)).toEqual([4000]);
    const many = pool.acquireSlabs(10 * slice, slice, 'big');
    expect(many.kind === 'ok' && [many.slabSlices, many.slabs.map((s) => s.buffer.value.byteLength)]).toEqual([4, [4000, 4000, 2000]]);
    expect(many.kind === 'ok' && many.slabs.map((s) => s.buffer.value.pinList()[0].label)).toEqual(['big (slices 0–3)', 'big (slices 4–7)', 'big (slices 8–9)']);
  });

  it('checks the budget for the whole before allocating any slab', () => {
    const pool = new BufferPool({ budgetBytes: 9000, shared: true, slabBytes: 4000 });
    const r = pool.acquireSlabs(10 * slice, slice, 'big');
    expect(r.kind === 'error' && r.code).toBe('over-budget');
    expect(pool.allocations).toBe(0);
    expect(pool.liveBytes()).toBe(0);
  });

  it('counts what the caller needs after (a display level) in the budget, one buffer or slabs', () => {
    const pool = new BufferPool({ budgetBytes: 5000, shared: true, slabBytes: 4000 });
    for (const bytes of [3000, 10_000]) {
      const r = pool.acquireSlabs(bytes, slice, 'shown smaller', 2500);
      expect(r.kind === 'error' && r.message).toMatch(/\(and 0\.0 MiB more for the level it is drawn from\)/);
      expect(pool.allocations).toBe(0);
    }
    expect(pool.acquireSlabs(2000, slice, 'fits', 2500).kind).toBe('ok');
  });

  it('refuses a slice larger than one buffer', () => {
    const pool = new BufferPool({ budgetBytes: 1e6, shared: true, slabBytes: 500 });
    const r = pool.acquireSlabs(10 * slice, slice, 'wide');
    expect(r.kind === 'error' && r.code).toBe('too-large');
    expect(r.kind === 'error' && r.message).toMatch(/one slice is/);
  });
});
