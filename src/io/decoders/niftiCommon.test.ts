// The NIfTI-1 / Analyze header rules the two readers share: dim[], NUL-terminated strings, the
// companion .img and the voxel byte count (issue 27: these were reached only through whole files).
import { describe, expect, it } from 'vitest';
import { DECODERS, findDecoder } from './registry';
import { ascii, companionSegment, readDims, voxelBytesOf } from './niftiCommon';

const ok = <T>(r: { kind: 'ok'; value: T } | { kind: 'error'; code: string; message: string }): T => {
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
};

describe('readDims', () => {
  it('takes dim[1..rank], pads to three, folds every dimension past the third into frames', () => {
    expect(ok(readDims([1, 5, 9, 9, 9, 9, 9, 9], 'NIfTI'))).toEqual({ dims: [5, 1, 1], sizes: [5, 1, 1] });
    expect(ok(readDims([2, 5, 6, 9, 9, 9, 9, 9], 'NIfTI'))).toEqual({ dims: [5, 6, 1], sizes: [5, 6, 1] });
    expect(ok(readDims([3, 5, 6, 7, 9, 9, 9, 9], 'NIfTI'))).toEqual({ dims: [5, 6, 7], sizes: [5, 6, 7] });
    expect(ok(readDims([4, 5, 6, 7, 1, 9, 9, 9], 'NIfTI'))).toEqual({ dims: [5, 6, 7], sizes: [5, 6, 7, 1] });
    expect(ok(readDims([5, 5, 6, 7, 2, 3, 9, 9], 'NIfTI'))).toEqual({ dims: [5, 6, 7, 6], sizes: [5, 6, 7, 2, 3] });
    expect(ok(readDims([7, 1, 1, 1, 2, 1, 1, 2], 'NIfTI'))).toEqual({ dims: [1, 1, 1, 4], sizes: [1, 1, 1, 2, 1, 1, 2] });
  });

  it('refuses a rank outside 1…7 and sizes that are not positive integers, naming the format', () => {
    for (const rank of [0, 8, -1, NaN]) {
      const r = readDims([rank, 2, 2, 2, 1, 1, 1, 1], 'Analyze 7.5');
      expect(r.kind).toBe('error');
      if (r.kind === 'error') {
        expect(r.code).toBe('bad-dims');
        expect(r.message).toBe(`dim[0] is ${rank}; a Analyze 7.5 image has 1 to 7 dimensions.`);
      }
    }
    for (const bad of [0, -2, 1.5, NaN]) {
      const r = readDims([3, 4, bad, 4, 1, 1, 1, 1], 'NIfTI');
      expect(r).toEqual({ kind: 'error', code: 'bad-dims', message: `Dimensions [4, ${bad}, 4] are not all positive.` });
    }
    // A bad size past the rank is not read.
    expect(readDims([2, 4, 4, 0, -1, 1, 1, 1], 'NIfTI').kind).toBe('ok');
  });
});

describe('strings, companions and byte counts', () => {
  it('reads a field up to its NUL or its length, from its start', () => {
    const bytes = new TextEncoder().encode('xxhello\0junkabc');
    expect(ascii(bytes, 2, 10)).toBe('hello');
    expect(ascii(bytes, 12, 3)).toBe('abc');
    expect(ascii(bytes, 12, 2)).toBe('ab');
    expect(ascii(bytes, 0, 0)).toBe('');
  });

  it("a .hdr's voxels are voxOffset bytes into its companion, found in the header's case first", () => {
    expect(companionSegment('dir/Scan.HDR', 352, 1000)).toEqual({
      file: ['Scan.IMG', 'Scan.IMG.GZ', 'Scan.img', 'Scan.img.gz'],
      start: 0,
      encoding: 'auto',
      lineSkip: 0,
      byteSkip: 352,
      bytes: 1000,
    });
  });

  it('counts voxel bytes, refusing counts past what a number holds exactly', () => {
    expect(ok(voxelBytesOf([2, 3, 4], 2))).toBe(48);
    expect(ok(voxelBytesOf([2, 3, 4, 5], 1))).toBe(120);
    expect(voxelBytesOf([2 ** 20, 2 ** 20, 2 ** 20], 8)).toEqual({
      kind: 'error',
      code: 'bad-dims',
      message: `Dimensions [${2 ** 20} × ${2 ** 20} × ${2 ** 20}] at 8 bytes per voxel make more bytes than any file can hold.`,
    });
  });
});

describe('the decoder registry', () => {
  it('finds each format by its first bytes, NRRD before NIfTI before MGH', () => {
    expect(DECODERS.map((d) => d.name)).toEqual(['NRRD', 'NIfTI', 'MGH']);
    expect(findDecoder(new TextEncoder().encode('NRRD0004\n'), 'a.nrrd')?.name).toBe('NRRD');
    expect(findDecoder(new Uint8Array([0x5c, 0x01, 0, 0]), 'a.nii')?.name).toBe('NIfTI');
    expect(findDecoder(new Uint8Array([0, 0, 0, 1]), 'a.mgh')?.name).toBe('MGH');
    expect(findDecoder(new Uint8Array([1, 2, 3, 4]), 'a.bin')).toBeUndefined();
  });
});
