// Hostile headers, format by format (issue 27): a truncated header, huge dims, negative or NaN
// voxel sizes, a wrong magic, an unknown datatype. Each is refused with its exact code and message
// (or, for voxel sizes a format tolerates, read as the documented fallback), before any voxel
// memory could be asked for.
import { describe, expect, it } from 'vitest';
import { encodeAnalyzePair } from './analyzeWrite';
import { mghDecoder } from './mgh';
import { encodeMgh } from './mghWrite';
import { niftiDecoder } from './nifti';
import { NIFTI_LAYOUT } from './niftiLayout';
import { encodeNifti, type NiftiWriteOptions } from './niftiWrite';
import { nrrdDecoder } from './nrrd';
import { encodeNrrd, type NrrdWriteOptions } from './nrrdWrite';

const fail = (code: string, message: string) => ({ kind: 'error', code, message });
const rows = (a: number[]) => [a.slice(0, 4), a.slice(4, 8), a.slice(8, 12)];

describe('NIfTI: hostile headers', () => {
  const nii = (o: Partial<NiftiWriteOptions> = {}) => encodeNifti({ dims: [2, 2, 2], datatypeCode: 2, bitpix: 8, data: new Uint8Array(8), ...o });
  const parse = (bytes: Uint8Array, fileBytes: number | undefined = bytes.length, name = 'x.nii') => niftiDecoder.parseHeader(bytes, { name, ...(fileBytes === undefined ? {} : { fileBytes }) });
  const header = (bytes: Uint8Array) => {
    const r = parse(bytes);
    if (r.kind === 'error') throw new Error(r.message);
    return r.value.header;
  };

  it('truncated: before the size field, inside the header (NIfTI-1 and -2), and at parse', () => {
    const one = nii();
    const two = nii({ version: 2 });
    expect(niftiDecoder.headerLength(one.subarray(0, 3), true)).toEqual(fail('truncated', "The file ends after 3 bytes, before the NIfTI header's size field."));
    expect(niftiDecoder.headerLength(one.subarray(0, 347), true)).toEqual(fail('truncated', 'The file ends after 347 bytes, inside the 348-byte NIfTI-1 header.'));
    expect(niftiDecoder.headerLength(two.subarray(0, 539), true)).toEqual(fail('truncated', 'The file ends after 539 bytes, inside the 540-byte NIfTI-2 header.'));
    expect(parse(one.subarray(0, 347))).toEqual(fail('truncated', 'The file ends after 347 bytes, inside the 348-byte NIfTI-1 header.'));
    expect(parse(two.subarray(0, 539))).toEqual(fail('truncated', 'The file ends after 539 bytes, inside the 540-byte NIfTI-2 header.'));
    // One byte short of its voxels.
    expect(parse(one, one.length - 1)).toEqual(fail('truncated', 'The file holds 7 bytes of voxels after the header, but [2 × 2 × 2] UINT8 needs 8 bytes.'));
    expect(parse(one, one.length).kind).toBe('ok');
    expect(parse(one, 352)).toEqual(fail('truncated', 'The file holds 0 bytes of voxels after the header, but [2 × 2 × 2] UINT8 needs 8 bytes.'));
    expect(parse(one, 351)).toEqual(fail('bad-offset', 'vox_offset (352) lies past the end of the 351 bytes file.'));
  });

  it('the whole file short of the 348 bytes: the header length is the size it claims, not the bytes there', () => {
    const one = nii();
    expect(niftiDecoder.headerLength(one.subarray(0, 100), false)).toEqual({ kind: 'ok', value: 348 });
    expect(niftiDecoder.headerLength(one.subarray(0, 4), false)).toEqual({ kind: 'ok', value: 348 });
    expect(niftiDecoder.headerLength(one.subarray(0, 3), false)).toEqual({ kind: 'ok', value: 'more' });
  });

  it('wrong magic: sizeof_hdr neither 348 nor 540, in either byte order; a single file named .nii without n+1', () => {
    const bad = nii();
    new DataView(bad.buffer).setInt32(0, 349, true);
    const msg = 'Not a NIfTI file: sizeof_hdr is neither 348 (NIfTI-1) nor 540 (NIfTI-2).';
    expect(niftiDecoder.headerLength(bad, false)).toEqual(fail('bad-magic', msg));
    expect(parse(bad)).toEqual(fail('bad-magic', msg));
    expect(niftiDecoder.sniff(bad, 'x.nii')).toBe(false);
    expect(niftiDecoder.sniff(bad.subarray(0, 3), 'x.nii')).toBe(false);
    const two = nii({ version: 2 });
    two[NIFTI_LAYOUT[2].magic + 2] = 0x33;
    expect(parse(two)).toEqual(fail('bad-magic', 'NIfTI-2 magic is "n+3", expected "n+2".'));
  });

  it('huge dims: past what a number counts exactly, or more than the file holds', () => {
    const huge = nii({ dims: [32767, 32767, 32767, 32767], data: new Uint8Array(0), datatypeCode: 64, bitpix: 64 });
    expect(parse(huge, undefined)).toEqual(fail('bad-dims', 'Dimensions [32767 × 32767 × 32767 × 32767] at 8 bytes per voxel make more bytes than any file can hold.'));
    const big = nii({ dims: [32767, 32767, 2], data: new Uint8Array(0) });
    expect(parse(big)).toEqual(fail('truncated', 'The file holds 0 bytes of voxels after the header, but [32767 × 32767 × 2] UINT8 needs 2047.9 MiB.'));
    // NIfTI-2 sizes are int64: 2^40 per axis is refused, not wrapped.
    const two = nii({ version: 2, dims: [2 ** 20, 2 ** 20, 2 ** 20], data: new Uint8Array(0) });
    expect(parse(two, undefined)).toEqual(fail('bad-dims', `Dimensions [${2 ** 20} × ${2 ** 20} × ${2 ** 20}] at 1 bytes per voxel make more bytes than any file can hold.`));
    const negative = nii({ dims: [2, -3, 2] });
    expect(parse(negative)).toEqual(fail('bad-dims', 'Dimensions [2, -3, 2] are not all positive.'));
    const rank = nii();
    new DataView(rank.buffer).setInt16(NIFTI_LAYOUT[1].dim, 8, true);
    expect(parse(rank)).toEqual(fail('bad-dims', 'dim[0] is 8; a NIfTI image has 1 to 7 dimensions.'));
  });

  it('unknown or refused datatype, and a bitpix that disagrees, with their exact messages', () => {
    expect(parse(nii({ datatypeCode: 999 }))).toEqual(fail('unsupported-dtype', 'Datatype unknown (999) (code 999) cannot be shown exactly; Voxlens refuses it rather than reinterpret its bytes.'));
    expect(parse(nii({ datatypeCode: 1792, bitpix: 128 }))).toEqual(fail('unsupported-dtype', 'Datatype COMPLEX128 (code 1792) cannot be shown exactly; Voxlens refuses it rather than reinterpret its bytes.'));
    expect(parse(nii({ datatypeCode: 16, bitpix: 16 }))).toEqual(fail('bitpix-mismatch', 'bitpix is 16 but datatype FLOAT32 has 32 bits per voxel.'));
  });

  it('negative, zero or NaN pixdim: 1 mm for a pixdim or qform affine; non-finite sform or quaternion refused', () => {
    for (const bad of [-2, 0, NaN, Infinity]) {
      const h = header(nii({ pixdim: [1, bad, 3, bad, 1, 1, 1, 1] }));
      // sform (the writer's default) wins; the pixdim affine below is used without one.
      expect(h.affineSource).toBe('sform');
      const bytes = nii({ pixdim: [1, bad, 3, bad, 1, 1, 1, 1] });
      new DataView(bytes.buffer).setInt16(NIFTI_LAYOUT[1].scode, 0, true);
      const p = header(bytes);
      expect(p.affineSource).toBe('pixdim');
      expect(rows(p.affine)).toEqual([[1, 0, 0, 0], [0, 3, 0, 0], [0, 0, 1, 0]]);
      const qform = nii({ pixdim: [1, bad, 3, bad, 1, 1, 1, 1], qform: { quatern: [0, 0, 0], offset: [4, 5, 6], qfac: 1 } });
      if (bad === Infinity) {
        // The qform takes any positive size as it is: an infinite one gives an infinite affine.
        expect(parse(qform)).toEqual(fail('bad-header', 'The qform affine holds a non-finite number.'));
        continue;
      }
      const q = header(qform);
      expect(q.affineSource).toBe('qform');
      expect(rows(q.affine)).toEqual([[1, 0, 0, 4], [0, 3, 0, 5], [0, 0, 1, 6]]);
    }
    expect(parse(nii({ affine: [1, 0, 0, 0, 0, NaN, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }))).toEqual(fail('bad-header', 'The sform affine holds a non-finite number.'));
    expect(parse(nii({ qform: { quatern: [0, 0, 0], offset: [Infinity, 0, 0], qfac: 1 } }))).toEqual(fail('bad-header', 'The qform affine holds a non-finite number.'));
    // A NaN time step is no frame spacing.
    expect(header(nii({ dims: [2, 2, 2, 2], data: new Uint8Array(16), pixdim: [1, 1, 1, 1, NaN, 1, 1, 1] })).frameSeconds).toBeUndefined();
  });

  it('vox_offset: NaN, infinite, fractional or inside the header', () => {
    for (const [v, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [352.5, '352.5'], [347, '347']] as const) {
      const bytes = nii();
      new DataView(bytes.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, v, true);
      expect(parse(bytes)).toEqual(fail('bad-offset', `vox_offset is ${shown}; it must be a whole number of at least 348 (the header size).`));
    }
    const two = nii({ version: 2 });
    new DataView(two.buffer).setBigInt64(NIFTI_LAYOUT[2].voxOffset, 539n, true);
    expect(parse(two)).toEqual(fail('bad-offset', 'vox_offset is 539; it must be a whole number of at least 540 (the header size).'));
    // Exactly the header size is allowed (no extension flag bytes).
    const edge = nii();
    new DataView(edge.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, 348, true);
    expect(parse(edge, undefined).kind).toBe('ok');
  });
});

describe('Analyze 7.5: hostile headers', () => {
  const base = { dims: [3, 5, 7], datatypeCode: 2, bitpix: 8, data: new Uint8Array(105) };
  const parse = (hdr: Uint8Array) => niftiDecoder.parseHeader(hdr, { name: 'x.hdr', fileBytes: hdr.length });

  it('truncated header, huge and negative dims, unknown datatype, NaN vox_offset', () => {
    const { hdr } = encodeAnalyzePair(base);
    expect(parse(hdr.subarray(0, 347))).toEqual(fail('truncated', 'The file ends after 347 bytes, inside the 348-byte NIfTI-1 header.'));
    expect(parse(encodeAnalyzePair({ ...base, dims: [32767, 32767, 32767, 32767, 32767], datatypeCode: 64, bitpix: 64 }).hdr)).toEqual(
      fail('bad-dims', 'Dimensions [32767 × 32767 × 32767 × 32767 × 32767] at 8 bytes per voxel make more bytes than any file can hold.'),
    );
    expect(parse(encodeAnalyzePair({ ...base, dims: [3, -5, 7] }).hdr)).toEqual(fail('bad-dims', 'Dimensions [3, -5, 7] are not all positive.'));
    expect(parse(encodeAnalyzePair({ ...base, datatypeCode: 255 }).hdr)).toEqual(
      fail('unsupported-dtype', 'Analyze datatype DT_ALL (code 255) cannot be shown exactly; Voxlens reads codes 2, 4, 8, 16, 64 and 128 and refuses the rest rather than reinterpret their bytes.'),
    );
    expect(parse(encodeAnalyzePair({ ...base, datatypeCode: 16, bitpix: 64 }).hdr)).toEqual(fail('bitpix-mismatch', 'bitpix is 64 but Analyze datatype DT_FLOAT has 32 bits per voxel.'));
    const nan = encodeAnalyzePair(base).hdr;
    new DataView(nan.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, NaN, true);
    expect(parse(nan)).toEqual(fail('bad-offset', 'vox_offset is NaN; in an Analyze .hdr it must be a whole number of bytes into the .img, 0 or more.'));
  });

  it('negative, zero, NaN and infinite pixdim: the magnitude, else 1 mm', () => {
    const r = parse(encodeAnalyzePair({ ...base, voxelSizes: [-2.5, Infinity, -0] }).hdr);
    if (r.kind === 'error') throw new Error(r.message);
    // Transverse unflipped (LAS), centred: i → −x.
    expect(rows(r.value.header.affine)).toEqual([[-2.5, 0, 0, 2.5], [0, 1, 0, -2], [0, 0, 1, -3]]);
  });
});

describe('MGH: hostile headers', () => {
  const base = { dims: [2, 3, 4], type: 0, data: new Uint8Array(24) };
  const parse = (bytes: Uint8Array, fileBytes: number | undefined = bytes.length) => mghDecoder.parseHeader(bytes, { name: 'x.mgh', ...(fileBytes === undefined ? {} : { fileBytes }) });

  it('truncated header (length and parse), and voxels short by one byte', () => {
    const file = encodeMgh(base);
    expect(mghDecoder.headerLength(file.subarray(0, 283), true)).toEqual(fail('truncated', 'The file ends after 283 bytes, inside the 284-byte MGH header.'));
    expect(mghDecoder.headerLength(file.subarray(0, 283), false)).toEqual({ kind: 'ok', value: 284 });
    expect(mghDecoder.headerLength(file.subarray(0, 284), true)).toEqual({ kind: 'ok', value: 284 });
    expect(parse(file.subarray(0, 283))).toEqual(fail('truncated', 'The file ends after 283 bytes, inside the 284-byte MGH header.'));
    expect(parse(file, file.length - 1)).toEqual(fail('truncated', 'The file holds 23 bytes of voxels after the 284-byte header, but [2 × 3 × 4 × 1] MRI_UCHAR needs 24 bytes.'));
    expect(parse(file, 100)).toEqual(fail('truncated', 'The file holds 0 bytes of voxels after the 284-byte header, but [2 × 3 × 4 × 1] MRI_UCHAR needs 24 bytes.'));
  });

  it('wrong version, huge and negative dims, unknown type', () => {
    expect(parse(encodeMgh({ ...base, version: 0x1000000 }))).toEqual(fail('bad-magic', 'MGH version is 16777216; FreeSurfer writes only version 1.'));
    expect(parse(encodeMgh({ ...base, dims: [2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1], data: new Uint8Array(0) }), undefined)).toEqual(
      fail('bad-dims', 'Dimensions [2147483647 × 2147483647 × 2147483647 × 1] at 1 bytes per voxel make more bytes than any file can hold.'),
    );
    expect(parse(encodeMgh({ ...base, dims: [2, -3, 4] }))).toEqual(fail('bad-dims', 'MGH width, height, depth and frames are [2, -3, 4, 1]; each must be at least 1.'));
    expect(parse(encodeMgh({ ...base, type: 12 }))).toEqual(
      fail('unsupported-dtype', 'MGH voxel type unknown type 12 (12) is not read: Voxlens reads MRI_UCHAR, MRI_INT, MRI_FLOAT, MRI_SHORT and MRI_USHRT, and refuses the rest rather than reinterpret their bytes.'),
    );
  });

  it('negative, NaN or infinite voxel sizes, and non-finite directions or centre, refused by name', () => {
    expect(parse(encodeMgh({ ...base, delta: [1, 1, -2] }))).toEqual(fail('bad-header', 'MGH delta (voxel size) is [1, 1, -2]; delta[2] must be a finite positive number of mm.'));
    expect(parse(encodeMgh({ ...base, delta: [Infinity, 1, 1] }))).toEqual(fail('bad-header', 'MGH delta (voxel size) is [Infinity, 1, 1]; delta[0] must be a finite positive number of mm.'));
    expect(parse(encodeMgh({ ...base, mdc: [-1, 0, 0, 0, 0, -1, 0, 1, NaN] }))).toEqual(fail('bad-header', 'MGH direction cosine z_s (Mdc) is NaN, not a finite number.'));
    expect(parse(encodeMgh({ ...base, mdc: [-1, 0, 0, 0, 0, -1, 0, 0, 0] }))).toEqual(fail('bad-header', 'MGH direction cosines z_r, z_a, z_s (Mdc) are all zero: the z axis has no direction.'));
    expect(parse(encodeMgh({ ...base, cras: [0, 0, -Infinity] }))).toEqual(fail('bad-header', 'MGH c_ras (the volume centre) has c_s = -Infinity, not a finite number.'));
    // Without goodRASflag the geometry fields are not read at all: NaN there is harmless.
    const r = parse(encodeMgh({ ...base, goodRAS: -1, delta: [NaN, NaN, NaN] }));
    expect(r.kind === 'ok' && r.value.header.affineSource).toBe('mgh-default');
  });
});

describe('NRRD: hostile headers', () => {
  const nrrd = (o: Partial<NrrdWriteOptions> = {}) => encodeNrrd({ type: 'uchar', sizes: [4, 3, 2], data: new Uint8Array(24), ...o, dataFile: undefined });
  const parse = (bytes: Uint8Array, fileBytes: number | undefined = bytes.length) => nrrdDecoder.parseHeader(bytes, { name: 't.nrrd', ...(fileBytes === undefined ? {} : { fileBytes }) });
  const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

  it('truncated voxels (with the skipped bytes named), and a header with no blank line within 1 MiB', () => {
    const file = nrrd();
    const head = file.length - 24;
    expect(parse(file, file.length - 1)).toEqual(fail('truncated', `t.nrrd holds 23 bytes after its ${head}-byte header, but [4 × 3 × 2] uchar needs 24 bytes.`));
    expect(parse(file, file.length).kind).toBe('ok');
    const skipped = nrrd({ byteSkip: 10 });
    const skippedHead = skipped.length - 34;
    expect(parse(skipped, skipped.length - 1)).toEqual(fail('truncated', `t.nrrd holds 33 bytes after its ${skippedHead}-byte header, but [4 × 3 × 2] uchar needs 24 bytes plus 10 bytes skipped.`));
    // gzip: the stored size says nothing about the voxels.
    expect(parse(nrrd({ encoding: 'gzip' }), 10).kind).toBe('ok');
    const long = new Uint8Array((1 << 20) + 1).fill(0x41);
    expect(nrrdDecoder.headerLength(long, false)).toEqual(fail('bad-header', 'No blank line ends the NRRD header within its first 1.0 MiB; a NRRD header is a few lines of text.'));
    expect(nrrdDecoder.headerLength(long.subarray(0, 1 << 20), false)).toEqual({ kind: 'ok', value: 'more' });
    // A blank line just past the limit does not make it a header.
    const late = new Uint8Array((1 << 20) + 2).fill(0x41);
    late.set([10, 10], 1 << 20);
    expect(nrrdDecoder.headerLength(late, false)).toEqual(fail('bad-header', 'No blank line ends the NRRD header within its first 1.0 MiB; a NRRD header is a few lines of text.'));
    const edge = new Uint8Array(1 << 20).fill(0x41);
    edge.set([10, 10], (1 << 20) - 2);
    expect(nrrdDecoder.headerLength(edge, false)).toEqual({ kind: 'ok', value: 1 << 20 });
    expect(nrrdDecoder.headerLength(text('NRRD0004\n\0\n\n'), false)).toEqual(
      fail('bad-header', 'The NRRD header holds a NUL byte at offset 9, before any blank line ends it: it is not a text header.'),
    );
    // A NUL after the blank line is voxel data.
    expect(nrrdDecoder.headerLength(text('NRRD0004\n\n\0'), false)).toEqual({ kind: 'ok', value: 10 });
  });

  it('wrong magic, unknown type, huge and negative sizes, exact messages', () => {
    expect(parse(text('NRRD0000\ntype: uchar\n\n'))).toEqual(fail('bad-magic', 'The first line is "NRRD0000"; a NRRD file starts with NRRD0001 to NRRD0005.'));
    expect(parse(text('NRRD0004 \ntype: uchar\n\n'))).toEqual(fail('bad-magic', 'The first line is "NRRD0004 "; a NRRD file starts with NRRD0001 to NRRD0005.'));
    expect(parse(nrrd({ type: 'float16' }))).toEqual(fail('unsupported-dtype', 'NRRD type "float16" is not one Voxlens reads (signed/unsigned 8 to 64-bit integers, float, double).'));
    expect(parse(nrrd({ type: ' Block ' }))).toEqual(
      fail('unsupported-dtype', 'NRRD type "block" (opaque blocks of bytes) has no numeric value to show; Voxlens reads integer and floating-point types.'),
    );
    expect(parse(nrrd({ omit: ['sizes'], extraLines: ['sizes: 4 -3 2'] }))).toEqual(fail('bad-dims', 'sizes "4 -3 2" must be 3 positive whole numbers (dimension 3).'));
    expect(parse(nrrd({ type: 'double', endian: 'big', omit: ['sizes'], extraLines: ['sizes: 2147483648 2147483648 2'] }))).toEqual(
      fail('bad-dims', 'sizes [2147483648 × 2147483648 × 2] of 8-byte values overflow any file size.'),
    );
    expect(parse(nrrd({ omit: ['dimension'], extraLines: ['dimension: 0'] }))).toEqual(fail('bad-dims', 'dimension is "0"; a NRRD array has 1 to 16 axes.'));
    expect(parse(nrrd({ omit: ['dimension'], extraLines: ['dimension: 16'] }))).toEqual(fail('bad-dims', 'sizes "4 3 2" must be 16 positive whole numbers (dimension 16).'));
  });

  it('negative, zero, NaN and infinite spacings and directions', () => {
    const ok = parse(nrrd({ spacings: [-2, 0.5, 3] }));
    expect(ok.kind === 'ok' && rows(ok.value.header.affine)).toEqual([[-2, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 3, 0]]);
    expect(parse(nrrd({ spacings: [1, 0, 1] }))).toEqual(fail('bad-header', 'spacings: "0" on axis 1 is not a finite, non-zero number.'));
    expect(parse(nrrd({ omit: [], extraLines: ['spacings: 1 1 -inf'] }))).toEqual(fail('bad-header', 'spacings: "-inf" on axis 2 is not a finite, non-zero number.'));
    expect(parse(nrrd({ space: 'RAS', directions: [[1, 0, 0], [0, NaN, 0], [0, 0, 1]] }))).toEqual(
      fail('bad-header', 'space directions: "(0,nan,0)" holds a number that is not finite (NaN or infinity).'),
    );
    expect(parse(nrrd({ space: 'RAS', directions: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], extraLines: ['space origin: (0,0)'] }))).toEqual(
      fail('bad-header', 'space origin: "(0,0)" is not a vector of 3 numbers in parentheses.'),
    );
  });
});
