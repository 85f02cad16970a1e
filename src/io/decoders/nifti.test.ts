import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA_DIR } from '../../testing/sharedData';
import type { Result } from '../errors';
import { encodeNiftiPair } from './analyzeWrite';
import { niftiDatatypeName, niftiDecoder, niftiExtensions } from './nifti';
import { companionImageNames } from './niftiCommon';
import { NIFTI_LAYOUT } from './niftiLayout';
import { encodeNifti } from './niftiWrite';

/** A 2×2×2 uint8 file whose intent_code is set by hand (the writer has no option for it). */
function withIntent(version: 1 | 2, littleEndian: boolean, intent: number): Uint8Array {
  const bytes = encodeNifti({ version, littleEndian, dims: [2, 2, 2], datatypeCode: 2, bitpix: 8, data: new Uint8Array(8) });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // NIfTI-1 intent_code is int16 at 68, NIfTI-2's int32 at 504.
  if (version === 1) dv.setInt16(NIFTI_LAYOUT[1].intentCode, intent, littleEndian);
  else dv.setInt32(NIFTI_LAYOUT[2].intentCode, intent, littleEndian);
  return bytes;
}

const intentOf = (bytes: Uint8Array) => {
  const r = niftiDecoder.parseHeader(bytes, { name: 'x.nii', fileBytes: bytes.length });
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value.header.intentCode;
};

describe('intent_code', () => {
  for (const version of [1, 2] as const) {
    for (const littleEndian of [true, false]) {
      it(`NIfTI-${version}, ${littleEndian ? 'little' : 'big'}-endian`, () => {
        expect(intentOf(withIntent(version, littleEndian, 1002))).toBe(1002);
        expect(intentOf(withIntent(version, littleEndian, 0))).toBe(0);
      });
    }
  }
  it('a NIfTI-2 code beyond int16', () => {
    expect(intentOf(withIntent(2, true, 70000))).toBe(70000);
  });
  it.skipIf(!hasSharedData)('aal.nii.gz is a label map (NIFTI_INTENT_LABEL)', () => {
    expect(intentOf(gunzipSync(readFileSync(join(SHARED_DATA_DIR, 'aal.nii.gz'))))).toBe(1002);
  });
});

const must = <T>(r: Result<T>): T => {
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
};
const refusal = <T>(r: Result<T>) => {
  if (r.kind === 'ok') throw new Error('expected a refusal');
  expect(r.message.length).toBeGreaterThanOrEqual(20);
  return r;
};
const int16Data = new Uint8Array(new Int16Array([1, -2, 3, -4, 5, -6, 7, -8]).buffer);
const small = { dims: [2, 2, 2], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: int16Data };

describe('NIfTI header length and segments', () => {
  it('headerLength: 348 or 540 from sizeof_hdr, more before 4 bytes', () => {
    const one = encodeNifti(small);
    const two = encodeNifti({ ...small, version: 2, littleEndian: false });
    expect(must(niftiDecoder.headerLength(one.subarray(0, 4), false))).toBe(348);
    expect(must(niftiDecoder.headerLength(two.subarray(0, 10), false))).toBe(540);
    expect(must(niftiDecoder.headerLength(one.subarray(0, 3), false))).toBe('more');
    expect(refusal(niftiDecoder.headerLength(one.subarray(0, 3), true)).code).toBe('truncated');
    expect(refusal(niftiDecoder.headerLength(one.subarray(0, 200), true)).code).toBe('truncated');
    expect(refusal(niftiDecoder.headerLength(new Uint8Array(8), false)).code).toBe('bad-magic');
  });

  it('a single file: one raw segment of its own bytes at vox_offset', () => {
    const file = encodeNifti({ ...small, extensionBytes: 16 });
    const p = must(niftiDecoder.parseHeader(file, { name: 'a.nii', fileBytes: file.length }));
    expect(p.header.format).toBe('nifti1');
    expect(p.segments).toEqual([{ file: 'self', start: 368, encoding: 'raw', lineSkip: 0, byteSkip: 0, bytes: 16 }]);
  });

  it('keeps the single-file checks: truncated voxels, offset past the end, bad offset', () => {
    const file = encodeNifti(small);
    expect(refusal(niftiDecoder.parseHeader(file, { name: 'a.nii', fileBytes: file.length - 1 })).code).toBe('truncated');
    expect(refusal(niftiDecoder.parseHeader(file, { name: 'a.nii', fileBytes: 300 })).code).toBe('bad-offset');
    new DataView(file.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, 0, true);
    expect(refusal(niftiDecoder.parseHeader(file, { name: 'a.nii' })).message).toMatch(/at least 348/);
    expect(refusal(niftiDecoder.parseHeader(file.subarray(0, 300), { name: 'a.nii' })).code).toBe('truncated');
  });

  it('keeps the dims, datatype and bitpix checks', () => {
    const dims0 = encodeNifti(small);
    new DataView(dims0.buffer).setInt16(NIFTI_LAYOUT[1].dim, 0, true);
    expect(refusal(niftiDecoder.parseHeader(dims0, { name: 'a.nii' })).code).toBe('bad-dims');
    const complex = encodeNifti({ ...small, datatypeCode: 32, bitpix: 64 });
    expect(refusal(niftiDecoder.parseHeader(complex, { name: 'a.nii' })).message).toMatch(/COMPLEX64/);
    const bitpix = encodeNifti({ ...small, bitpix: 8 });
    expect(refusal(niftiDecoder.parseHeader(bitpix, { name: 'a.nii' })).code).toBe('bitpix-mismatch');
  });

  it('a single file without the magic is refused by its name, not read as Analyze', () => {
    const file = encodeNifti(small);
    file.set([0x6e, 0x2b, 0x39], NIFTI_LAYOUT[1].magic);
    for (const name of ['a.nii', 'A.NII.GZ']) {
      const r = refusal(niftiDecoder.parseHeader(file, { name }));
      expect(r.code).toBe('bad-magic');
      expect(r.message).toMatch(/"n\+9", expected "n\+1"/);
    }
    expect(must(niftiDecoder.parseHeader(file, { name: 'a.hdr' })).header.format).toBe('analyze');
  });

  it('a NIfTI-2 pair (ni2) is refused as unsupported', () => {
    const file = encodeNifti({ ...small, version: 2 });
    file.set([0x6e, 0x69, 0x32], NIFTI_LAYOUT[2].magic);
    expect(refusal(niftiDecoder.parseHeader(file, { name: 'a.hdr' })).code).toBe('unsupported-format');
  });
});

describe('NIfTI-1 .hdr/.img pairs (ni1)', () => {
  it('reads the header and points at the companion .img from vox_offset 0', () => {
    const { hdr, img } = encodeNiftiPair({ ...small, affine: [2, 0, 0, -3, 0, 2, 0, -4, 0, 0, 2, -5, 0, 0, 0, 1] });
    expect(hdr.length).toBe(348);
    expect(img).toEqual(int16Data);
    // fileBytes is the .hdr's size, which says nothing about the voxels: no truncation check.
    const p = must(niftiDecoder.parseHeader(hdr, { name: 'dir/scan.hdr', fileBytes: hdr.length }));
    expect(p.header.format).toBe('nifti1-pair');
    expect(p.header.affine.slice(0, 4)).toEqual([2, 0, 0, -3]);
    expect(p.header.voxOffset).toBe(0);
    expect(p.segments).toEqual([{ file: ['scan.img', 'scan.img.gz'], start: 0, encoding: 'auto', lineSkip: 0, byteSkip: 0, bytes: 16 }]);
  });

  it('vox_offset skips bytes of the .img; big-endian headers read', () => {
    const { hdr, img } = encodeNiftiPair({ ...small, littleEndian: false, imgOffset: 32 });
    expect(img.length).toBe(48);
    const p = must(niftiDecoder.parseHeader(hdr, { name: 'x.hdr.gz' }));
    expect(p.header.littleEndian).toBe(false);
    expect(p.segments[0]).toMatchObject({ file: ['x.img', 'x.img.gz'], byteSkip: 32, bytes: 16 });
  });

  it('refuses a negative or fractional vox_offset', () => {
    for (const v of [-4, 1.5, NaN]) {
      const { hdr } = encodeNiftiPair(small);
      new DataView(hdr.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, v, true);
      const r = refusal(niftiDecoder.parseHeader(hdr, { name: 'x.hdr' }));
      expect(r.code).toBe('bad-offset');
      expect(r.message).toMatch(/0 or more/);
    }
  });
});

describe('companion image names', () => {
  it('keeps the header name’s case, then tries lower case', () => {
    expect(companionImageNames('FOO.HDR')).toEqual(['FOO.IMG', 'FOO.IMG.GZ', 'FOO.img', 'FOO.img.gz']);
    expect(companionImageNames('Foo.Hdr.gz')).toEqual(['Foo.Img', 'Foo.Img.gz', 'Foo.img', 'Foo.img.gz']);
    expect(companionImageNames('https://host/a/b.hdr')).toEqual(['b.img', 'b.img.gz']);
    expect(companionImageNames('C:\\data\\b.hdr')).toEqual(['b.img', 'b.img.gz']);
    expect(companionImageNames('renamed.nii')).toEqual(['renamed.img', 'renamed.img.gz']);
    expect(companionImageNames('noext')).toEqual(['noext.img', 'noext.img.gz']);
    // .hdr must end the name: a backup copy is its own stem.
    expect(companionImageNames('scan.hdr.old')).toEqual(['scan.hdr.old.img', 'scan.hdr.old.img.gz']);
  });
});

describe('frame spacing of a time series (pixdim[4] in the time unit)', () => {
  const series = (pixdim4: number, units?: number, dims = [2, 2, 2, 3]) => {
    const bytes = encodeNifti({ dims, datatypeCode: 2, bitpix: 8, data: new Uint8Array(dims.reduce((a, b) => a * b, 1)), pixdim: [1, 1, 1, 1, pixdim4, 1, 1, 1] });
    if (units !== undefined) bytes[NIFTI_LAYOUT[1].units] = units;
    const r = niftiDecoder.parseHeader(bytes, { name: 'x.nii', fileBytes: bytes.length });
    if (r.kind === 'error') throw new Error(r.message);
    return r.value.header.frameSeconds;
  };
  it('reads seconds, and milliseconds as seconds', () => {
    expect(series(2)).toBe(2); // the writer's units: mm and s
    expect(series(2500, 2 | 16)).toBeCloseTo(2.5, 12);
  });
  it('is absent for a 3D volume, an unstated unit, a zero or negative step, or a non-time unit', () => {
    expect(series(2, undefined, [2, 2, 2])).toBeUndefined();
    expect(series(2, 2)).toBeUndefined();
    expect(series(0)).toBeUndefined();
    expect(series(-1)).toBeUndefined();
    expect(series(2, 2 | 32)).toBeUndefined(); // Hz
  });
});

describe('NIfTI header fields (issue 27: mutation survivors)', () => {
  const head = (o: Partial<Parameters<typeof encodeNifti>[0]> = {}) => {
    const bytes = encodeNifti({ ...small, ...o });
    return must(niftiDecoder.parseHeader(bytes, { name: 'x.nii', fileBytes: bytes.length })).header;
  };

  it('scl_slope/scl_inter: kept when the slope is finite and non-zero; a zero or broken slope means unscaled', () => {
    for (const version of [1, 2] as const) {
      for (const littleEndian of [true, false]) {
        expect(head({ version, littleEndian, slope: 2, inter: -3 })).toMatchObject({ slope: 2, inter: -3 });
      }
    }
    for (const slope of [0, NaN, Infinity]) expect(head({ slope, inter: 5 })).toMatchObject({ slope: 1, inter: 0 });
    expect(head({ slope: 0.5, inter: NaN })).toMatchObject({ slope: 0.5, inter: 0 });
    expect(head({ slope: 0.5, inter: -Infinity })).toMatchObject({ slope: 0.5, inter: 0 });
  });

  it('cal_min/cal_max: a display range when both are finite and max > min, NIfTI-1 and -2', () => {
    expect(head({ calRange: [-100, 300] }).displayRange).toEqual([-100, 300]);
    expect(head({ version: 2, littleEndian: false, calRange: [0.25, 0.5] }).displayRange).toEqual([0.25, 0.5]);
    for (const calRange of [[5, 5], [9, 1], [NaN, 9], [1, Infinity]] as [number, number][]) expect(head({ calRange }).displayRange).toBeUndefined();
  });

  it('format, description, units and datatype code, NIfTI-1 and -2 in both byte orders', () => {
    for (const version of [1, 2] as const) {
      for (const littleEndian of [true, false]) {
        const h = head({ version, littleEndian, description: 'phantom scan' });
        expect(h).toMatchObject({ format: version === 1 ? 'nifti1' : 'nifti2', description: 'phantom scan', spaceUnit: 'mm', timeUnit: 's', datatype: 'int16', datatypeCode: 4, littleEndian, voxOffset: version === 1 ? 352 : 544, affineSource: 'sform' });
      }
    }
    const two = head({ version: 2, affine: [2, 0, 0, -3, 0, 3, 0, -4, 0, 0, 4, -5, 0, 0, 0, 1] });
    expect(two.affine).toEqual([2, 0, 0, -3, 0, 3, 0, -4, 0, 0, 4, -5, 0, 0, 0, 1]);
    expect(two.axcodes).toBe('RAS');
  });

  it('NIfTI-2 qform and pixdim affines read float64 fields', () => {
    const q = head({ version: 2, littleEndian: false, pixdim: [1, 0.5, 0.25, 2, 1, 1, 1, 1], qform: { quatern: [0, 0, 1], offset: [7, 8, 9], qfac: 1 } });
    // 180° about z: i → −x, j → −y.
    expect(q.affineSource).toBe('qform');
    expect(q.affine).toEqual([-0.5, 0, 0, 7, 0, -0.25, 0, 8, 0, 0, 2, 9, 0, 0, 0, 1]);
  });

  it('names NIfTI datatypes: supported upper-case, refused by their NIfTI name, others unknown', () => {
    expect(niftiDatatypeName(16)).toBe('FLOAT32');
    expect(niftiDatatypeName(1)).toBe('BINARY (1-bit)');
    expect(niftiDatatypeName(7)).toBe('unknown (7)');
  });
});

describe('NIfTI magic, pairs and header length (issue 27: mutation survivors)', () => {
  const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
  const parse = (bytes: Uint8Array, name: string, fileBytes?: number) => niftiDecoder.parseHeader(bytes, { name, ...(fileBytes === undefined ? {} : { fileBytes }) });

  it('348 bytes read of a single file: the header length is vox_offset, past them', () => {
    const file = encodeNifti(small);
    expect(niftiDecoder.headerLength(file.subarray(0, 348), false)).toEqual({ kind: 'ok', value: 352 });
  });

  it('a single file named .hdr is still NIfTI-1; a .nii.bak without magic is Analyze', () => {
    expect(must(parse(encodeNifti(small), 'renamed.hdr')).header.format).toBe('nifti1');
    const noMagic = encodeNifti(small);
    noMagic.set([0, 0, 0], NIFTI_LAYOUT[1].magic);
    expect(must(parse(noMagic, 'scan.nii.bak')).header.format).toBe('analyze');
  });

  it('magics of the other version are refused as bad magic: ni1 in NIfTI-2, ni2 in a NIfTI-1 .nii', () => {
    const two = encodeNifti({ ...small, version: 2 });
    two.set(text('ni1'), NIFTI_LAYOUT[2].magic);
    expect(niftiDecoder.headerLength(two, false)).toEqual({ kind: 'ok', value: 540 });
    expect(parse(two, 'a.hdr')).toEqual({ kind: 'error', code: 'bad-magic', message: 'NIfTI-2 magic is "ni1", expected "n+2".' });
    const one = encodeNifti(small);
    one.set(text('ni2'), NIFTI_LAYOUT[1].magic);
    expect(parse(one, 'a.nii')).toEqual({ kind: 'error', code: 'bad-magic', message: 'NIfTI-1 magic is "ni2", expected "n+1".' });
  });

  it('a pair header is not checked against its own size: its voxels are in the .img', () => {
    const { hdr } = encodeNiftiPair({ dims: [10, 10, 10], datatypeCode: 2, bitpix: 8, data: new Uint8Array(1000) });
    expect(must(parse(hdr, 'big.hdr', hdr.length)).segments[0].bytes).toBe(1000);
  });

  it('a block head exactly at the end of the bytes read is reported as running past them', () => {
    const file = encodeNifti({ ...small, extensions: [{ ecode: 6, data: text('1 One\n') }] });
    expect(niftiExtensions(file, 348, 348 + 4 + 8, true)).toEqual({ blocks: [], malformed: 'extension 1 at byte 352 (esize 16) runs past byte 360, where the voxels or the bytes read begin' });
  });

  it('a 3-D volume without names has no frameSeconds or labelNames keys', () => {
    const h = must(parse(encodeNifti(small), 'a.nii'));
    expect(h.header).not.toHaveProperty('frameSeconds');
    expect(h.header).not.toHaveProperty('labelNames');
  });
});
