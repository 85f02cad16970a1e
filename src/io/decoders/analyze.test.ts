import { describe, expect, it } from 'vitest';
import type { Result } from '../errors';
import { ANALYZE_ORIENT, parseAnalyze } from './analyze';
import { encodeAnalyzePair, type AnalyzeWriteOptions } from './analyzeWrite';
import { niftiDecoder } from './nifti';
import { ANALYZE_LAYOUT } from './niftiLayout';
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

const base: AnalyzeWriteOptions = { dims: [3, 5, 7], datatypeCode: 2, bitpix: 8, data: new Uint8Array(105), voxelSizes: [3, 2, 1] };
// Analyze comes in through the NIfTI sniffer (same sizeof_hdr); parse hands it over.
const parse = (o: Partial<AnalyzeWriteOptions> = {}, name = 'scan.hdr'): Result<ParsedVolume> => {
  const { hdr } = encodeAnalyzePair({ ...base, ...o });
  expect(niftiDecoder.sniff(hdr.subarray(0, 4), name)).toBe(true);
  return niftiDecoder.parseHeader(hdr, { name, fileBytes: hdr.length });
};
const rows = (affine: number[]) => [affine.slice(0, 4), affine.slice(4, 8), affine.slice(8, 12)];

describe('Analyze 7.5 orientation (hist.orient, ITK table)', () => {
  const expected = ['LAS', 'LSA', 'ASL', 'LPS', 'LIA', 'ASR'];
  const names = ['transverse unflipped', 'coronal unflipped', 'sagittal unflipped', 'transverse flipped', 'coronal flipped', 'sagittal flipped'];
  for (let code = 0; code < 6; code++) {
    it(`orient ${code} (${names[code]}) reads as ${expected[code]} with a notice`, () => {
      const { header } = must(parse({ orient: code }));
      expect(ANALYZE_ORIENT[code].axcodes).toBe(expected[code]);
      expect(header.axcodes).toBe(expected[code]);
      expect(header.format).toBe('analyze');
      expect(header.affineSource).toBe('orient');
      expect(header.notices).toHaveLength(1);
      const notice = header.notices?.[0] ?? '';
      expect(notice).toContain(expected[code]);
      expect(notice).toContain(`orient code ${code} (${names[code]})`);
      expect(notice).toMatch(/left and right may be swapped/);
    });
  }

  it('coronal flipped: each voxel axis along its letter, scaled by its size', () => {
    const { header } = must(parse({ orient: 4, originator: [1, 1, 1] }));
    // LIA: i → −x (3 mm), j → −z (2 mm), k → +y (1 mm); voxel 0 at world 0.
    expect(rows(header.affine)).toEqual([
      [-3, 0, 0, 0],
      [0, 0, 1, 0],
      [0, -2, 0, 0],
    ]);
  });

  it('an unknown orient code reads as 0 and the notice says so', () => {
    const { header } = must(parse({ orient: 9 }));
    expect(header.axcodes).toBe('LAS');
    expect(header.notices?.[0]).toMatch(/unknown orient code 9/);
  });
});

describe('Analyze 7.5 origin (SPM originator) and scaling', () => {
  it('no originator: the centre of the volume (nibabel get_origin_affine doctest)', () => {
    const { header } = must(parse());
    expect(rows(header.affine)).toEqual([
      [-3, 0, 0, 3],
      [0, 2, 0, -4],
      [0, 0, 1, -3],
    ]);
  });

  it('originator [3, 4, 5] (1-based) is the voxel at world 0 (same doctest)', () => {
    const { header } = must(parse({ originator: [3, 4, 5] }));
    expect(rows(header.affine)).toEqual([
      [-3, 0, 0, 6],
      [0, 2, 0, -6],
      [0, 0, 1, -4],
    ]);
  });

  it('an implausible originator falls back to the centre', () => {
    const { header } = must(parse({ originator: [100, 0, 0] }));
    expect(header.affine[3]).toBe(3);
  });

  it('funused1 is the scale factor when finite and positive', () => {
    expect(must(parse({ scale: 2.5 })).header.slope).toBe(2.5);
    for (const scale of [0, -1, NaN, Infinity]) {
      const { header } = must(parse({ scale }));
      expect([header.slope, header.inter]).toEqual([1, 0]);
    }
  });

  it('non-positive or non-finite pixdim reads as 1 mm; negative is its magnitude', () => {
    const { header } = must(parse({ voxelSizes: [-2, 0, NaN] }));
    expect([header.affine[0], header.affine[5], header.affine[10]]).toEqual([-2, 1, 1]);
  });
});

describe('Analyze 7.5 fields and refusals', () => {
  it('datatypes 2, 4, 8, 16, 64, 128 read; the segment is the companion .img', () => {
    const types: [number, number, string][] = [[2, 8, 'uint8'], [4, 16, 'int16'], [8, 32, 'int32'], [16, 32, 'float32'], [64, 64, 'float64'], [128, 24, 'rgb24']];
    for (const [datatypeCode, bitpix, dtype] of types) {
      const p = must(parse({ datatypeCode, bitpix, imgOffset: 8 }, 'T1.HDR'));
      expect(p.header.datatype).toBe(dtype);
      expect(p.segments).toEqual([
        { file: ['T1.IMG', 'T1.IMG.GZ', 'T1.img', 'T1.img.gz'], start: 0, encoding: 'auto', lineSkip: 0, byteSkip: 8, bytes: 105 * (bitpix / 8) },
      ]);
    }
  });

  it('big-endian headers, 4-D dims, description and hist.smin where NIfTI has its magic', () => {
    const p = must(parse({ littleEndian: false, dims: [3, 5, 7, 2], data: new Uint8Array(210), smin: 0x6e2b3200 /* "n+2" */, description: 'spm' }));
    expect(p.header.littleEndian).toBe(false);
    expect(p.header.dims).toEqual([3, 5, 7, 2]);
    expect(p.header.description).toBe('spm');
    expect(p.segments[0].bytes).toBe(210);
  });

  it('refuses datatypes Analyze 7.5 does not define, or cannot be shown exactly, by their Analyze name', () => {
    for (const [code, name] of [[1, 'DT_BINARY'], [32, 'DT_COMPLEX'], [0, 'DT_UNKNOWN'], [512, 'unknown (512)']] as const) {
      const r = refusal(parse({ datatypeCode: code, bitpix: 8 }));
      expect(r.code).toBe('unsupported-dtype');
      expect(r.message).toContain(name);
    }
  });

  it('refuses a bitpix that disagrees with the datatype', () => {
    const r = refusal(parse({ datatypeCode: 4, bitpix: 8 }));
    expect(r.code).toBe('bitpix-mismatch');
    expect(r.message).toMatch(/DT_SIGNED_SHORT has 16 bits/);
  });

  it('refuses bad dims', () => {
    expect(refusal(parse({ dims: [3, 0, 7] })).code).toBe('bad-dims');
    const { hdr } = encodeAnalyzePair(base);
    new DataView(hdr.buffer).setInt16(ANALYZE_LAYOUT.dim, 9, true);
    expect(refusal(niftiDecoder.parseHeader(hdr, { name: 'x.hdr' })).message).toMatch(/Analyze 7.5 image has 1 to 7/);
  });

  it('vox_offset: 0 and whole numbers read; negative, fractional and NaN are refused', () => {
    expect(must(parse({ imgOffset: 0 })).header.voxOffset).toBe(0);
    for (const v of [-1, 0.5, NaN]) {
      const { hdr } = encodeAnalyzePair(base);
      new DataView(hdr.buffer).setFloat32(ANALYZE_LAYOUT.voxOffset, v, true);
      const r = refusal(niftiDecoder.parseHeader(hdr, { name: 'x.hdr' }));
      expect(r.code).toBe('bad-offset');
    }
  });

  it('a header cut short is truncated', () => {
    const { hdr } = encodeAnalyzePair(base);
    expect(refusal(niftiDecoder.parseHeader(hdr.subarray(0, 300), { name: 'x.hdr' })).code).toBe('truncated');
  });
});

describe('Analyze 7.5 edges (issue 27: mutation survivors)', () => {
  it('an originator on the edge of plausible: −dim and 2·dim fall back to the centre, one inside reads', () => {
    // dims [3, 5, 7], voxel sizes [3, 2, 1], transverse unflipped (i → −x): the centre gives x offset 3.
    expect(must(parse({ originator: [-3, 1, 1] })).header.affine[3]).toBe(3);
    expect(must(parse({ originator: [6, 1, 1] })).header.affine[3]).toBe(3);
    expect(must(parse({ originator: [1, 1, 14] })).header.affine[11]).toBe(-3);
    // −2 and 5 are inside: voxel −3 (0-based) and 4 sit at world 0.
    expect(must(parse({ originator: [-2, 1, 1] })).header.affine[3]).toBe(-9);
    expect(must(parse({ originator: [5, 1, 1] })).header.affine[3]).toBe(12);
  });

  it('cal_min/cal_max: a range when both are finite and max > min', () => {
    expect(must(parse({ calRange: [1, 9] })).header.displayRange).toEqual([1, 9]);
    expect(must(parse({ calRange: [5, 5] })).header.displayRange).toBeUndefined();
    expect(must(parse({ calRange: [9, 1] })).header.displayRange).toBeUndefined();
    expect(must(parse({ calRange: [NaN, 9] })).header.displayRange).toBeUndefined();
    expect(must(parse({ calRange: [1, Infinity] })).header.displayRange).toBeUndefined();
    expect(must(parse()).header).toMatchObject({ inter: 0, intentCode: 0, voxOffset: 0, description: 'voxlens analyze' });
  });

  it('a 348-byte header exactly is whole', () => {
    const { hdr } = encodeAnalyzePair(base);
    expect(hdr.length).toBe(348);
    expect(niftiDecoder.parseHeader(hdr, { name: 'x.hdr' }).kind).toBe('ok');
  });
});

describe('Analyze 7.5 direct and originator cases (issue 27: mutation survivors)', () => {
  it('parseAnalyze itself refuses a header cut short', () => {
    const { hdr } = encodeAnalyzePair(base);
    expect(parseAnalyze(hdr.subarray(0, 300), true, { name: 'x.hdr' })).toEqual({ kind: 'error', code: 'truncated', message: 'The file ends after 300 bytes, inside the 348-byte Analyze 7.5 header.' });
  });

  it('an originator with some zero components is still used (any component set)', () => {
    // [3, 0, 5], 1-based: voxel (2, −1, 4) at world 0.
    expect(rows(must(parse({ originator: [3, 0, 5] })).header.affine)).toEqual([
      [-3, 0, 0, 6],
      [0, 2, 0, 2],
      [0, 0, 1, -4],
    ]);
  });
});
