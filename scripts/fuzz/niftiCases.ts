// Structural NIfTI-1/2 mutations: truncation at each boundary and every header field the decoder
// trusts set to extremes. Expectations follow the standard, not the decoder: a field the file's
// affine depends on that is NaN must be refused; a field that only might matter is 'either'.
import { CaseList, FUZZ_BUDGET_BYTES } from './caseKit';
import { NiftiFields, niftiInfo } from './formats';
import type { Seed } from './types';

const INT16_MAX = 32767;
const INT32_MAX = 2 ** 31 - 1;

export function niftiCases(seed: Seed, list: CaseList): void {
  const info = niftiInfo(seed.content);
  if (!info) return;
  const { layout, content, gz } = seed;
  const { version, littleEndian } = info;
  const sizeKnown = !gz;
  const fields = (head: Uint8Array) => new NiftiFields(head, version, littleEndian);
  const at = new NiftiFields(new Uint8Array(0), version, littleEndian).at;
  const hdr = at.headerBytes;

  // Truncations of the content (regzipped for .nii.gz).
  list.cutContent('empty', 0, 'error', true);
  list.cutContent('inside sizeof_hdr', 3, 'error', true);
  list.cutContent('inside the header', 100, 'error', true);
  list.cutContent('one byte short of the header', hdr - 1, 'error', true);
  list.cutContent('at the header end', hdr, 'error', sizeKnown);
  list.cutContent('at the first voxel', layout.voxStart, 'error', sizeKnown);
  list.cutContent('one byte into the voxels', layout.voxStart + 1, 'error', sizeKnown);
  list.cutContent('half way through the voxels', layout.voxStart + Math.floor(layout.voxelBytes / 2), 'error', sizeKnown);
  list.cutContent('one byte short of the voxel end', layout.voxEnd - 1, 'error', sizeKnown);
  if (content.length > layout.voxEnd) list.cutContent('one byte short of the end (after the voxels)', content.length - 1, 'either', false);
  list.storedCuts();

  // Dims. A declared volume the stored bytes cannot hold is refused before allocating when the
  // size is known up front, or when it is over the budget.
  const bpv = layout.bytesPerVoxel;
  const declared = (dims: number[]) => dims.reduce((a, d) => a * d, 1) * bpv;
  const hugeNoAlloc = (dims: number[]) => sizeKnown || declared(dims) > FUZZ_BUDGET_BYTES;
  const dimMax = version === 1 ? INT16_MAX : INT32_MAX;
  for (let i = 1; i <= Math.min(3, Math.max(info.rank, 1)); i++) {
    list.edit(`dim[${i}] = 0`, 'error', true, (h) => fields(h).dim(i, 0));
    list.edit(`dim[${i}] = -1`, 'error', true, (h) => fields(h).dim(i, -1));
    list.edit(`dim[${i}] = ${version === 1 ? '-32768' : '-2^63'}`, 'error', true, (h) => fields(h).dim(i, version === 1 ? -32768 : -(2n ** 63n)));
    const big = info.dims.map((d, j) => (j === i - 1 ? dimMax : d));
    list.edit(`dim[${i}] = ${dimMax}`, 'error', hugeNoAlloc(big), (h) => fields(h).dim(i, dimMax));
  }
  if (version === 1) {
    list.edit('dim[0] = 7 and dim[1..7] = 32767 (product over 2^53)', 'error', true, (h) => {
      fields(h).dim(0, 7);
      for (let i = 1; i <= 7; i++) fields(h).dim(i, INT16_MAX);
    });
  } else {
    list.edit('dim[1..3] = 2^31-1 (product over 2^53)', 'error', true, (h) => [1, 2, 3].forEach((i) => fields(h).dim(i, INT32_MAX)));
    list.edit('dim[1] = 2^53 + 1', 'error', true, (h) => fields(h).dim(1, 2n ** 53n + 1n));
    list.edit('dim[1] = 2^62', 'error', true, (h) => fields(h).dim(1, 2n ** 62n));
    list.edit('dim[1..3] = 2^40 (int64 product over 2^53 and over 2^64)', 'error', true, (h) => [1, 2, 3].forEach((i) => fields(h).dim(i, 2n ** 40n)));
    list.edit('dim[1] = 2^63 - 1', 'error', true, (h) => fields(h).dim(1, 2n ** 63n - 1n));
  }
  list.edit('dim[0] = 0', 'error', true, (h) => fields(h).dim(0, 0));
  list.edit('dim[0] = 8', 'error', true, (h) => fields(h).dim(0, 8));
  list.edit('dim[0] = -1', 'error', true, (h) => fields(h).dim(0, -1));
  list.edit('dim[0] = 4 with dim[4] = 0', 'error', true, (h) => {
    fields(h).dim(0, 4);
    fields(h).dim(4, 0);
  });
  list.edit('dim[0] = 2 (fewer dimensions than stored)', 'either', false, (h) => fields(h).dim(0, 2));
  list.edit('unused dim[5..7] = 0', 'either', false, (h) => [5, 6, 7].forEach((i) => i > info.rank && fields(h).dim(i, 0)));

  // Datatype and bitpix.
  const bitpix = bpv * 8;
  list.edit(`bitpix = ${bitpix * 2} (contradicts the datatype)`, 'error', true, (h) => fields(h).int16(at.bitpix, bitpix * 2));
  list.edit('bitpix = 0', 'error', true, (h) => fields(h).int16(at.bitpix, 0));
  list.edit('bitpix = -8', 'error', true, (h) => fields(h).int16(at.bitpix, -8));
  list.edit('datatype = 0 (unknown)', 'error', true, (h) => fields(h).int16(at.datatype, 0));
  list.edit('datatype = 32 (complex64, bitpix 64)', 'error', true, (h) => {
    fields(h).int16(at.datatype, 32);
    fields(h).int16(at.bitpix, 64);
  });
  list.edit('datatype = 1 (binary, bitpix 1)', 'error', true, (h) => {
    fields(h).int16(at.datatype, 1);
    fields(h).int16(at.bitpix, 1);
  });
  list.edit('datatype = 999', 'error', true, (h) => fields(h).int16(at.datatype, 999));
  list.edit('datatype = -1', 'error', true, (h) => fields(h).int16(at.datatype, -1));

  // vox_offset.
  list.edit('vox_offset negative', 'error', true, (h) => fields(h).voxOffset(-hdr));
  list.edit('vox_offset = 0', 'error', true, (h) => fields(h).voxOffset(0));
  list.edit('vox_offset = 100 (inside the header)', 'error', true, (h) => fields(h).voxOffset(100));
  list.edit('vox_offset one byte short of the header end', 'error', true, (h) => fields(h).voxOffset(hdr - 1));
  list.edit('vox_offset one past the end of the file', 'error', sizeKnown, (h) => fields(h).voxOffset(content.length + 1));
  list.edit('vox_offset = 1e9 (past the end)', 'error', sizeKnown, (h) => fields(h).voxOffset(1e9));
  list.edit('vox_offset one voxel late (the last voxel is missing)', 'error', sizeKnown, (h) => fields(h).voxOffset(layout.voxStart + bpv));
  if (version === 1) {
    list.edit('vox_offset NaN', 'error', true, (h) => fields(h).voxOffset(NaN));
    list.edit('vox_offset +Inf', 'error', true, (h) => fields(h).voxOffset(Infinity));
    list.edit('vox_offset fractional', 'error', true, (h) => fields(h).voxOffset(layout.voxStart + 0.5));
  } else {
    list.edit('vox_offset = 2^62', 'error', sizeKnown, (h) => fields(h).voxOffset(2n ** 62n));
    list.edit('vox_offset = -2^63', 'error', true, (h) => fields(h).voxOffset(-(2n ** 63n)));
  }

  // Geometry: NaN or Inf in the transform the file says to use is an error; elsewhere either.
  const sform = info.sformCode > 0;
  const qform = !sform && info.qformCode > 0;
  for (const [label, v] of [
    ['NaN', NaN],
    ['+Inf', Infinity],
  ] as const) {
    list.edit(`srow_x[0] = ${label}`, sform ? 'error' : 'either', sform, (h) => fields(h).float(at.srow, v, 0));
    list.edit(`srow_z[3] = ${label}`, sform ? 'error' : 'either', sform, (h) => fields(h).float(at.srow, v, 11));
    list.edit(`quatern_b = ${label}`, qform ? 'error' : 'either', qform, (h) => fields(h).float(at.quat, v, 0));
    list.edit(`qoffset_x = ${label}`, qform ? 'error' : 'either', qform, (h) => fields(h).float(at.quat, v, 3));
    // pixdim scales the qform and the fallback affine; a reader may take a NaN or non-positive
    // spacing as 1 (Voxlens does) rather than refuse, so this is 'either' (a load's affine must be finite).
    list.edit(`pixdim[1] = ${label}`, 'either', false, (h) => fields(h).float(at.pixdim, v, 1));
    list.edit(`pixdim[3] = ${label}`, 'either', false, (h) => fields(h).float(at.pixdim, v, 3));
    list.edit(`pixdim[0] (qfac) = ${label}`, 'either', false, (h) => fields(h).float(at.pixdim, v, 0));
    list.edit(`pixdim[4] (TR) = ${label}`, 'either', false, (h) => fields(h).float(at.pixdim, v, 4));
    list.edit(`scl_slope = ${label}`, 'either', false, (h) => fields(h).float(at.slope, v));
    list.edit(`scl_inter = ${label}`, 'either', false, (h) => fields(h).float(at.inter, v));
    list.edit(`cal_max = ${label}`, 'either', false, (h) => fields(h).float(at.calMax, v));
  }
  list.edit('scl_slope = -Inf', 'either', false, (h) => fields(h).float(at.slope, -Infinity));
  list.edit('scl_slope = 0', 'either', false, (h) => fields(h).float(at.slope, 0));
  list.edit('scl_slope = 1e38, scl_inter = -1e38', 'either', false, (h) => {
    fields(h).float(at.slope, 1e38);
    fields(h).float(at.inter, -1e38);
  });
  list.edit('all pixdim = 0', 'either', false, (h) => [0, 1, 2, 3, 4, 5, 6, 7].forEach((i) => fields(h).float(at.pixdim, 0, i)));
  list.edit('sform_code = 99, qform_code = -1', 'either', false, (h) => {
    fields(h).code(at.scode, 99);
    fields(h).code(at.qcode, -1);
  });
  list.edit('sform and qform codes 0 (pixdim only)', 'either', false, (h) => {
    fields(h).code(at.scode, 0);
    fields(h).code(at.qcode, 0);
  });
  list.edit('srow all zero (singular sform)', 'either', false, (h) => {
    for (let i = 0; i < 12; i++) fields(h).float(at.srow, 0, i);
  });

  // sizeof_hdr and magic.
  const other = version === 1 ? 540 : 348;
  list.edit('sizeof_hdr = 0', 'error', true, (h) => fields(h).int32(0, 0));
  list.edit('sizeof_hdr = 349', 'error', true, (h) => fields(h).int32(0, 349));
  list.edit(`sizeof_hdr = ${other} (the other version)`, 'error', true, (h) => fields(h).int32(0, other));
  list.edit('sizeof_hdr byte-swapped (the rest in the old order)', 'either', false, (h) => {
    new DataView(h.buffer, h.byteOffset).setInt32(0, hdr, !littleEndian);
  });
  const magicAt = at.magic;
  list.edit('magic "n+3"', 'error', true, (h) => h.set([0x6e, 0x2b, 0x33], magicAt));
  list.edit('magic "xyz"', 'error', true, (h) => h.set([0x78, 0x79, 0x7a], magicAt));
  list.edit(`magic "n+${version === 1 ? 2 : 1}" (the other version)`, 'error', true, (h) => h.set([0x6e, 0x2b, version === 1 ? 0x32 : 0x31], magicAt));
  if (version === 1) {
    list.edit('magic "ni1" (a .hdr of a pair, no .img given)', 'error', true, (h) => h.set([0x6e, 0x69, 0x31], magicAt));
    list.edit('magic zeroed (Analyze 7.5)', 'either', false, (h) => h.fill(0, magicAt, magicAt + 4));
  }

  // Extensions and free text: never trusted for the voxels' position.
  list.edit('extension flag set, esize 0', 'either', false, (h) => {
    h[hdr] = 1;
    if (h.length >= hdr + 8) fields(h).int32(hdr + 4, 0);
  });
  list.edit('extension flag set, esize 2^31-1', 'either', false, (h) => {
    h[hdr] = 1;
    if (h.length >= hdr + 8) fields(h).int32(hdr + 4, INT32_MAX);
  });
  list.edit('extension flag set, esize negative', 'either', false, (h) => {
    h[hdr] = 1;
    if (h.length >= hdr + 8) fields(h).int32(hdr + 4, -16);
  });
  list.edit('descrip of 0xff bytes, no terminator', 'either', false, (h) => h.fill(0xff, at.descrip, at.descrip + 80));
  list.edit('intent_code 0x7fff, xyzt_units 0xff', 'either', false, (h) => {
    fields(h).code(at.intentCode, INT16_MAX);
    if (version === 1) h[at.units] = 0xff;
    else fields(h).int32(at.units, -1);
  });
}
