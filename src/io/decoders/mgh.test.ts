import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasSharedData, loadManifest, manifestDatatype, SHARED_DATA_DIR } from '../../testing/sharedData';
import type { Result } from '../errors';
import { MGH_FIELDS, mghDecoder } from './mgh';
import { encodeMgh, encodeMgz, type MghWriteOptions } from './mghWrite';
import type { ParsedVolume } from './types';

const must = <T>(r: Result<T>): T => {
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
};
const refusal = <T>(r: Result<T>) => {
  if (r.kind === 'ok') throw new Error('expected a refusal');
  expect(r.message.length).toBeGreaterThanOrEqual(20);
  return r;
};

const base: MghWriteOptions = { dims: [4, 6, 8], type: 0, data: new Uint8Array(192) };
const parse = (o: Partial<MghWriteOptions> = {}, fileBytes?: number): Result<ParsedVolume> => {
  const file = encodeMgh({ ...base, ...o });
  return mghDecoder.parseHeader(file, { name: 'x.mgh', fileBytes: fileBytes ?? file.length });
};
const rows = (affine: number[]) => [affine.slice(0, 4), affine.slice(4, 8), affine.slice(8, 12)];

describe('MGH sniff and header length', () => {
  const head = encodeMgh(base).subarray(0, 4);
  it('version 1 big-endian and an MGH name', () => {
    for (const name of ['a.mgh', 'b.MGZ', 'c.mgh.gz']) expect(mghDecoder.sniff(head, name)).toBe(true);
    // The magic alone is too weak: 00 00 00 01 starts many files.
    expect(mghDecoder.sniff(head, 'a.bin')).toBe(false);
    expect(mghDecoder.sniff(new Uint8Array([1, 0, 0, 0]), 'a.mgh')).toBe(false);
  });
  it('the voxels start at 284', () => {
    expect(must(mghDecoder.headerLength(head, false))).toBe(284);
    expect(refusal(mghDecoder.headerLength(head, true)).code).toBe('truncated');
  });
});

describe('MGH types', () => {
  const read: [number, string, number][] = [[0, 'uint8', 1], [1, 'int32', 4], [3, 'float32', 4], [4, 'int16', 2], [10, 'uint16', 2]];
  for (const [type, dtype, bytes] of read) {
    it(`type ${type} reads as ${dtype}, big-endian, one segment at 284`, () => {
      const p = must(parse({ type, data: new Uint8Array(192 * bytes), bytesPerValue: bytes }));
      expect(p.header.datatype).toBe(dtype);
      expect(p.header.datatypeCode).toBe(type);
      expect(p.header.littleEndian).toBe(false);
      expect(p.header.format).toBe('mgh');
      expect(p.segments).toEqual([{ file: 'self', start: 284, encoding: 'raw', lineSkip: 0, byteSkip: 0, bytes: 192 * bytes }]);
    });
  }
  const refused: [number, string][] = [[2, 'MRI_LONG'], [5, 'MRI_BITMAP'], [6, 'MRI_TENSOR'], [7, 'MRI_FLOAT_COMPLEX'], [8, 'MRI_DOUBLE_COMPLEX'], [9, 'MRI_RGB'], [11, 'unknown type 11'], [-1, 'unknown type -1']];
  for (const [type, name] of refused) {
    it(`type ${type} is refused naming ${name}`, () => {
      const r = refusal(parse({ type }));
      expect(r.code).toBe('unsupported-dtype');
      expect(r.message).toContain(name);
    });
  }
});

describe('MGH vox2ras', () => {
  it('M = Mdc·diag(delta), P0 = c_ras − M·(dims/2), worked by hand', () => {
    // x → +A (2 mm), y → −S (3 mm), z → −R (4 mm): axis codes AIL.
    const { header } = must(parse({ delta: [2, 3, 4], mdc: [0, 1, 0, 0, 0, -1, -1, 0, 0], cras: [10, 20, 30] }));
    // M·(2, 3, 4) = (−16, 4, −9), so P0 = (26, 16, 39).
    expect(rows(header.affine)).toEqual([
      [0, 0, -4, 26],
      [2, 0, 0, 16],
      [0, -3, 0, 39],
    ]);
    expect(header.axcodes).toBe('AIL');
    expect(header.affineSource).toBe('vox2ras');
    expect(header.notices).toBeUndefined();
  });

  it('goodRASflag 0: FreeSurfer’s coronal LIA default, dims/2 in floats, with a notice', () => {
    const { header } = must(parse({ dims: [5, 5, 5], data: new Uint8Array(125), goodRAS: 0, delta: [9, 9, 9], cras: [50, 50, 50] }));
    expect(rows(header.affine)).toEqual([
      [-1, 0, 0, 2.5],
      [0, 0, 1, -2.5],
      [0, -1, 0, 2.5],
    ]);
    expect(header.axcodes).toBe('LIA');
    expect(header.affineSource).toBe('mgh-default');
    expect(header.notices?.[0]).toMatch(/goodRASflag 0.*coronal LIA.*left-right may be wrong/);
  });

  it('frames become the fourth dimension; tags after the voxels are not counted', () => {
    const p = must(parse({ dims: [4, 6, 8, 3], data: new Uint8Array(576), trailer: new Uint8Array(40).fill(7) }));
    expect(p.header.dims).toEqual([4, 6, 8, 3]);
    expect(p.segments[0].bytes).toBe(576);
  });
});

describe('MGH refusals', () => {
  const cases: [string, Partial<MghWriteOptions>, string, RegExp][] = [
    ['version 2', { version: 2 }, 'bad-magic', /version is 2/],
    ['a zero width', { dims: [0, 6, 8] }, 'bad-dims', /\[0, 6, 8, 1\]/],
    ['negative frames', { dims: [4, 6, 8, -1] }, 'bad-dims', /at least 1/],
    ['an unsafe product', { dims: [2 ** 30, 2 ** 30, 2 ** 30] }, 'bad-dims', /more bytes/],
    ['a zero delta', { delta: [1, 0, 1] }, 'bad-header', /delta\[1\]/],
    ['a NaN delta', { delta: [NaN, 1, 1] }, 'bad-header', /delta\[0\]/],
    ['an infinite Mdc entry', { mdc: [-1, 0, 0, 0, Infinity, -1, 0, 1, 0] }, 'bad-header', /y_a \(Mdc\)/],
    ['a zero Mdc column', { mdc: [-1, 0, 0, 0, 0, 0, 0, 1, 0] }, 'bad-header', /y_r, y_a, y_s .*all zero/],
    ['a singular Mdc', { mdc: [1, 0, 0, 0, 1, 0, 1, 1, 0] }, 'bad-header', /singular/],
    ['a NaN c_ras', { cras: [0, NaN, 0] }, 'bad-header', /c_a/],
  ];
  for (const [what, o, code, message] of cases) {
    it(`${what}: ${code}`, () => {
      const r = refusal(parse(o));
      expect(r.code).toBe(code);
      expect(r.message).toMatch(message);
    });
  }

  it('an uncompressed file must hold 284 bytes plus the voxels', () => {
    const r = refusal(parse({}, 284 + 191));
    expect(r.code).toBe('truncated');
    expect(r.message).toMatch(/191 bytes of voxels.*needs 192 bytes/);
    expect(must(parse({}, undefined)).segments[0].bytes).toBe(192);
  });

  it('a header cut short is truncated', () => {
    expect(refusal(mghDecoder.parseHeader(encodeMgh(base).subarray(0, 100), { name: 'x.mgh' })).code).toBe('truncated');
  });
});

describe('MGZ writer', () => {
  it('gzips the same bytes; voxels are stored big-endian', () => {
    const f = new Float32Array([1.5, -2, 3]);
    const o = { dims: [3, 1, 1], type: 3, data: new Uint8Array(f.buffer), bytesPerValue: 4 };
    const mgh = encodeMgh(o);
    expect(gunzipSync(encodeMgz(o))).toEqual(Buffer.from(mgh));
    expect(new DataView(mgh.buffer).getFloat32(284 + 4, false)).toBe(-2);
    expect(new DataView(mgh.buffer).getInt32(MGH_FIELDS.type, false)).toBe(3);
  });
});

describe.skipIf(!hasSharedData)('wm.mgz from ../shared/data', () => {
  it('header: dims, datatype, axis codes and affine match the manifest', () => {
    const entry = loadManifest().find((e) => e.file === 'wm.mgz');
    if (!entry) throw new Error('wm.mgz is not in the manifest');
    const bytes = gunzipSync(readFileSync(join(SHARED_DATA_DIR, 'wm.mgz')));
    const head = new Uint8Array(bytes.buffer, bytes.byteOffset, 284);
    expect(mghDecoder.sniff(head, 'wm.mgz')).toBe(true);
    const { header, segments } = must(mghDecoder.parseHeader(head, { name: 'wm.mgz' }));
    expect(header.dims).toEqual(entry.dims);
    expect(header.datatype).toBe(manifestDatatype(entry));
    expect(header.axcodes).toBe(entry.axcodes);
    entry.affine.flat().forEach((v, i) => expect(Math.abs(header.affine[i] - v)).toBeLessThan(1e-3));
    expect(segments[0].bytes).toBe(256 ** 3);
    // The tags after the voxels (a command line, a path) are there and outside the segment.
    expect(bytes.length).toBeGreaterThan(284 + 256 ** 3);
  });
});

describe('MGH header fields and geometry checks (issue 27: mutation survivors)', () => {
  it('a 3-D file: three dims, and the fixed fields of every MGH header', () => {
    const { header } = must(parse());
    expect(header.dims).toEqual([4, 6, 8]);
    expect(header).toMatchObject({ slope: 1, inter: 0, voxOffset: 284, description: '', intentCode: 0, spaceUnit: 'mm' });
  });

  it('a bad first entry of each geometry field is named (index 0)', () => {
    const at0: [Partial<MghWriteOptions>, string][] = [
      [{ mdc: [NaN, 0, 0, 0, 0, -1, 0, 1, 0] }, 'MGH direction cosine x_r (Mdc) is NaN, not a finite number.'],
      [{ cras: [Infinity, 0, 0] }, 'MGH c_ras (the volume centre) has c_r = Infinity, not a finite number.'],
      [{ mdc: [0, 0, 0, 0, 0, -1, 0, 1, 0] }, 'MGH direction cosines x_r, x_a, x_s (Mdc) are all zero: the x axis has no direction.'],
    ];
    for (const [o, message] of at0) expect(parse(o)).toEqual({ kind: 'error', code: 'bad-header', message });
  });

  it('singular directions with every entry non-zero are refused; so are nearly parallel long axes', () => {
    const singular = 'MGH direction cosines (Mdc) are singular: the x, y and z axes do not span 3-D space.';
    // Columns (1, 2, 3), (4, 5, 6), (7, 8, 9): z = 2y − x, every term of the determinant non-zero.
    expect(parse({ mdc: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual({ kind: 'error', code: 'bad-header', message: singular });
    expect(parse({ mdc: [1, 4, 7, 2, 5, 8, 3, 6, 9] })).toEqual({ kind: 'error', code: 'bad-header', message: singular });
    // Long columns, nearly in one plane: det / (|x| |y| |z|) ≈ 7e-7.
    expect(parse({ mdc: [1000, 0, 0, 0, 1000, 0, 1000, 1000, 0.001] })).toEqual({ kind: 'error', code: 'bad-header', message: singular });
    // Oblique but sound: read.
    expect(must(parse({ mdc: [2, 1, 1, 1, 2, 1, 1, 1, 2] })).header.affineSource).toBe('vox2ras');
  });
});

describe('MGH sniff and flag edges (issue 27: mutation survivors)', () => {
  it('sniff: the MGH extension must end the name; fewer than 4 bytes are no MGH', () => {
    const head = encodeMgh(base).subarray(0, 4);
    expect(mghDecoder.sniff(head, 'a.mgh.bak')).toBe(false);
    expect(mghDecoder.sniff(head, 'a.mgz.txt')).toBe(false);
    expect(mghDecoder.sniff(new Uint8Array([0, 0, 0]), 'a.mgh')).toBe(false);
  });

  it('goodRASflag is a big-endian int16: −256 (ff 00) is not valid', () => {
    const { header } = must(parse({ goodRAS: -256 }));
    expect(header.affineSource).toBe('mgh-default');
    expect(header.notices?.[0]).toMatch(/goodRASflag -256/);
  });
});
