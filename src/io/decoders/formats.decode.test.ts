// MGH/MGZ, NIfTI-1 pairs and Analyze 7.5 through the whole engine (decodeVolume): headers,
// companion files found by name, gzip and byte order. The real wm.mgz is checked probe by probe
// with every other shared volume in ../decodeStream.test.ts.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { voxelCount } from '../../volume/header';
import { decodeVolume, type DecodeIO, type Decoded } from '../decodeStream';
import type { Result } from '../errors';
import { specSource } from '../sources';
import { encodeAnalyzePair, encodeNiftiPair } from './analyzeWrite';
import { encodeMgh, encodeMgz } from './mghWrite';

const io: DecodeIO = {
  acquire: async (_h, bytes) => ({ kind: 'ok', value: new Uint8Array(new SharedArrayBuffer(bytes)) }),
};
const blob = (b: Uint8Array) => new Blob([b as Uint8Array<ArrayBuffer>]);

/** The main file and the files given with it, as the app passes a drop or voxlens.load([...]). */
function decode(name: string, main: Uint8Array, companions: Record<string, Uint8Array> = {}): Promise<Result<Decoded>> {
  const given = Object.entries(companions).map(([n, b]) => ({ kind: 'blob' as const, blob: blob(b), name: n }));
  return decodeVolume(specSource({ kind: 'blob', blob: blob(main), name, companions: given }), io);
}
const must = (r: Result<Decoded>): Decoded => {
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
};

const DIMS = [6, 5, 4];
/** Each voxel's value says where it is: i + 10 j + 100 k. */
const ramp = () => Int16Array.from({ length: 120 }, (_, v) => (v % 6) + 10 * (Math.floor(v / 6) % 5) + 100 * Math.floor(v / 30));
const rampBytes = () => new Uint8Array(ramp().buffer);
const int16 = (d: Decoded) => Array.from(new Int16Array(d.voxels.buffer, d.voxels.byteOffset, voxelCount(d.header.dims)));

describe('MGH through the engine', () => {
  it('MGZ int32 stays int32, big-endian swapped, the tags after the voxels unread', async () => {
    const values = Int32Array.from(ramp(), (v) => v - 2_000_000_000);
    const o = { dims: DIMS, type: 1, data: new Uint8Array(values.buffer), bytesPerValue: 4, trailer: new Uint8Array(64).fill(7) };
    for (const [name, file] of [['seg.mgz', encodeMgz(o)], ['seg.mgh', encodeMgh(o)]] as const) {
      const d = must(await decode(name, file));
      expect(d.header.datatype).toBe('int32');
      expect(Array.from(new Int32Array(d.voxels.buffer, d.voxels.byteOffset, 120))).toEqual(Array.from(values));
    }
  });

  it('an .mgh cut inside its voxels is refused before memory is asked for', async () => {
    const file = encodeMgh({ dims: DIMS, type: 4, data: rampBytes(), bytesPerValue: 2 });
    const r = await decode('cut.mgh', file.subarray(0, file.length - 2));
    expect(r.kind === 'error' && r.code).toBe('truncated');
  });
});

describe('.hdr/.img pairs through the engine', () => {
  it('a big-endian NIfTI-1 pair, the .img given with the header', async () => {
    const pair = encodeNiftiPair({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: rampBytes(), littleEndian: false });
    const d = must(await decode('brain.hdr', pair.hdr, { 'brain.img': pair.img }));
    expect(d.header.format).toBe('nifti1-pair');
    expect(int16(d)).toEqual(Array.from(ramp()));
  });

  it('a gzipped .img, and vox_offset bytes skipped inside it', async () => {
    const pair = encodeNiftiPair({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: rampBytes(), imgOffset: 40 });
    const d = must(await decode('BRAIN.HDR', pair.hdr, { 'BRAIN.IMG.GZ': gzipSync(pair.img) }));
    expect(int16(d)).toEqual(Array.from(ramp()));
  });

  it('an Analyze 7.5 pair with SPM scale and originator, and its orientation notice', async () => {
    const pair = encodeAnalyzePair({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: rampBytes(), orient: 0, scale: 0.5, originator: [1, 1, 1], littleEndian: false });
    const d = must(await decode('old.hdr', pair.hdr, { 'old.img': pair.img }));
    expect(d.header.format).toBe('analyze');
    expect(d.header.slope).toBe(0.5);
    expect(d.header.affine.slice(0, 4)).toEqual([-1, 0, 0, 0]);
    expect(d.header.notices?.[0]).toMatch(/LAS.*left and right may be swapped/);
    expect(int16(d)).toEqual(Array.from(ramp()));
  });

  it('a header without its .img names the files it tried', async () => {
    const pair = encodeAnalyzePair({ dims: DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: rampBytes() });
    const r = await decode('alone.hdr', pair.hdr);
    if (r.kind === 'ok') throw new Error('expected a refusal');
    expect(r.code).toBe('missing-file');
    expect(r.message).toContain('alone.img');
  });
});


