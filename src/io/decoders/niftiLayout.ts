// Byte offsets of the NIfTI-1 and NIfTI-2 header fields Voxlens reads and writes: one table for
// the decoder (nifti.ts) and the writer (niftiWrite.ts), so the two cannot drift apart.
// NIfTI-1 stores floats as float32 and ints as int16; NIfTI-2 as float64 and int64, except the
// codes (qform/sform/intent code, units), which are int32 there.
export const NIFTI_LAYOUT = {
  1: {
    headerBytes: 348,
    floatBytes: 4,
    intBytes: 2,
    magic: 344, dim: 40, datatype: 70, bitpix: 72, pixdim: 76, voxOffset: 108, slope: 112, inter: 116,
    calMax: 124, calMin: 128, units: 123, descrip: 148, qcode: 252, scode: 254, quat: 256, srow: 280,
    intentCode: 68,
  },
  2: {
    headerBytes: 540,
    floatBytes: 8,
    intBytes: 8,
    magic: 4, dim: 16, datatype: 12, bitpix: 14, pixdim: 104, voxOffset: 168, slope: 176, inter: 184,
    calMax: 192, calMin: 200, units: 500, descrip: 240, qcode: 344, scode: 348, quat: 352, srow: 400,
    intentCode: 504,
  },
} as const;

/**
 * Analyze 7.5 (dbh.h) shares NIfTI-1's first 148 bytes (sizeof_hdr, dim, datatype, bitpix, pixdim,
 * vox_offset, cal_max/min at the same offsets) and differs after: the byte NIfTI uses for
 * qform_code is hist.orient, followed by SPM's originator (five int16, 1-based voxel indices of
 * the origin, unaligned); funused1, where NIfTI has scl_slope, is SPM's scale factor.
 */
export const ANALYZE_LAYOUT = {
  ...NIFTI_LAYOUT[1],
  extents: 32, regular: 38, funused1: 112, orient: 252, originator: 253,
} as const;
