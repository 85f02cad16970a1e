// NIfTI-1 and NIfTI-2 single-file headers (.nii, .nii.gz). The header is validated completely
// before any voxel memory is asked for; the voxels themselves are streamed by ../decodeStream.ts.
import { axisCodes, pixdimAffine, qformToAffine, type Mat4 } from '../../volume/affine';
import { DATA_TYPES, type DataType } from '../../volume/dataTypes';
import { niftiUnits, type VolumeHeader } from '../../volume/header';
import { fail, formatBytes, ok, type Result } from '../errors';
import { NIFTI_LAYOUT } from './niftiLayout';
import type { VolumeDecoder } from './registry';

const NIFTI1_HEADER_BYTES = NIFTI_LAYOUT[1].headerBytes;
const NIFTI2_HEADER_BYTES = NIFTI_LAYOUT[2].headerBytes;

/** NIfTI datatype codes: the supported ones map to a DataType, the rest name why they are refused. */
const SUPPORTED: Record<number, DataType> = {
  2: 'uint8',
  4: 'int16',
  8: 'int32',
  16: 'float32',
  64: 'float64',
  128: 'rgb24',
  256: 'int8',
  512: 'uint16',
  768: 'uint32',
  1024: 'int64',
  1280: 'uint64',
  2304: 'rgba32',
};
const REFUSED: Record<number, string> = {
  1: 'BINARY (1-bit)',
  32: 'COMPLEX64',
  1536: 'FLOAT128',
  1792: 'COMPLEX128',
  2048: 'COMPLEX256',
};

export function niftiDatatypeName(code: number): string {
  return SUPPORTED[code]?.toUpperCase() ?? REFUSED[code] ?? `unknown (${code})`;
}

interface Endian {
  version: 1 | 2;
  littleEndian: boolean;
}

function detect(bytes: Uint8Array): Endian | null {
  if (bytes.length < 4) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const littleEndian of [true, false]) {
    const size = dv.getInt32(0, littleEndian);
    if (size === NIFTI1_HEADER_BYTES) return { version: 1, littleEndian };
    if (size === NIFTI2_HEADER_BYTES) return { version: 2, littleEndian };
  }
  return null;
}

const ascii = (bytes: Uint8Array, start: number, length: number) => {
  let s = '';
  for (let i = start; i < start + length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]);
  return s;
};

function parse(bytes: Uint8Array, fileBytes: number | undefined): Result<VolumeHeader> {
  const kind = detect(bytes);
  if (!kind) return fail('bad-magic', 'Not a NIfTI file: sizeof_hdr is neither 348 (NIfTI-1) nor 540 (NIfTI-2).');
  const { version, littleEndian: le } = kind;
  const at = NIFTI_LAYOUT[version];
  const { headerBytes } = at;
  if (bytes.length < headerBytes) {
    return fail('truncated', `The file ends after ${bytes.length} bytes, inside the ${headerBytes}-byte NIfTI-${version} header.`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f = version === 1 ? (o: number) => dv.getFloat32(o, le) : (o: number) => dv.getFloat64(o, le);
  const fSize = at.floatBytes;
  const int = version === 1 ? (o: number) => dv.getInt16(o, le) : (o: number) => Number(dv.getBigInt64(o, le));
  const intSize = at.intBytes;

  const magic = ascii(bytes, at.magic, 3);
  if (version === 1 && magic === 'ni1') {
    return fail('unsupported-format', 'This is the header of a NIfTI-1 .hdr/.img pair; open the single-file .nii form instead.');
  }
  if ((version === 1 && magic !== 'n+1') || (version === 2 && magic !== 'n+2')) {
    return fail('bad-magic', `NIfTI-${version} magic is "${magic}", expected "n+${version}".`);
  }

  const dim: number[] = [];
  for (let d = 0; d < 8; d++) dim.push(int(at.dim + d * intSize));
  const rank = dim[0];
  if (!(rank >= 1 && rank <= 7)) return fail('bad-dims', `dim[0] is ${rank}; a NIfTI image has 1 to 7 dimensions.`);
  const sizes = dim.slice(1, rank + 1);
  while (sizes.length < 3) sizes.push(1);
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    return fail('bad-dims', `Dimensions [${sizes.join(', ')}] are not all positive.`);
  }
  const dims = sizes.slice(0, 3);
  const frames = sizes.slice(3).reduce((a, b) => a * b, 1);
  if (frames > 1) dims.push(frames);

  const datatypeCode = dv.getInt16(at.datatype, le);
  const datatype = SUPPORTED[datatypeCode];
  if (!datatype) {
    return fail(
      'unsupported-dtype',
      `Datatype ${niftiDatatypeName(datatypeCode)} (code ${datatypeCode}) cannot be shown exactly; Voxlens refuses it rather than reinterpret its bytes.`,
    );
  }
  const info = DATA_TYPES[datatype];
  const bitpix = dv.getInt16(at.bitpix, le);
  if (bitpix !== info.bytesPerVoxel * 8) {
    return fail('bitpix-mismatch', `bitpix is ${bitpix} but datatype ${datatype.toUpperCase()} has ${info.bytesPerVoxel * 8} bits per voxel.`);
  }

  const voxOffset = version === 1 ? f(at.voxOffset) : Number(dv.getBigInt64(at.voxOffset, le));
  if (!Number.isFinite(voxOffset) || voxOffset < headerBytes || !Number.isInteger(voxOffset)) {
    return fail('bad-offset', `vox_offset is ${voxOffset}; it must be a whole number of at least ${headerBytes} (the header size).`);
  }
  const voxelBytes = sizes.reduce((a, b) => a * b, 1) * info.bytesPerVoxel;
  if (fileBytes !== undefined) {
    if (voxOffset > fileBytes) {
      return fail('bad-offset', `vox_offset (${voxOffset}) lies past the end of the ${formatBytes(fileBytes)} file.`);
    }
    if (voxOffset + voxelBytes > fileBytes) {
      return fail(
        'truncated',
        `The file holds ${formatBytes(fileBytes - voxOffset)} of voxels after the header, but [${sizes.join(' × ')}] ${datatype.toUpperCase()} needs ${formatBytes(voxelBytes)}.`,
      );
    }
  }

  const pixdim: number[] = [];
  for (let d = 0; d < 8; d++) pixdim.push(f(at.pixdim + d * fSize));
  const code = version === 1 ? (o: number) => dv.getInt16(o, le) : (o: number) => dv.getInt32(o, le);
  const qcode = code(at.qcode);
  const scode = code(at.scode);
  let affine: Mat4;
  let affineSource: VolumeHeader['affineSource'];
  if (scode > 0) {
    affine = [];
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) affine.push(f(at.srow + (r * 4 + c) * fSize));
    affine.push(0, 0, 0, 1);
    affineSource = 'sform';
  } else if (qcode > 0) {
    const q = (n: number) => f(at.quat + n * fSize);
    affine = qformToAffine([q(0), q(1), q(2)], [q(3), q(4), q(5)], pixdim);
    affineSource = 'qform';
  } else {
    affine = pixdimAffine(pixdim);
    affineSource = 'pixdim';
  }
  if (affine.some((v) => !Number.isFinite(v))) {
    return fail('bad-header', `The ${affineSource} affine holds a non-finite number.`);
  }

  let slope = f(at.slope);
  let inter = f(at.inter);
  if (!Number.isFinite(slope) || slope === 0) {
    slope = 1;
    inter = 0;
  } else if (!Number.isFinite(inter)) {
    inter = 0;
  }

  const calMin = f(at.calMin);
  const calMax = f(at.calMax);
  const displayRange: [number, number] | undefined = Number.isFinite(calMin) && Number.isFinite(calMax) && calMax > calMin ? [calMin, calMax] : undefined;

  return ok({
    format: version === 1 ? 'nifti1' : 'nifti2',
    dims,
    datatype,
    datatypeCode,
    littleEndian: le,
    slope,
    inter,
    affine,
    affineSource,
    axcodes: axisCodes(affine),
    voxOffset,
    description: ascii(bytes, at.descrip, 80),
    displayRange,
    intentCode: code(at.intentCode),
    ...niftiUnits(version === 1 ? dv.getUint8(at.units) : dv.getInt32(at.units, le)),
  });
}

export const niftiDecoder: VolumeDecoder = {
  name: 'NIfTI',
  extensions: ['.nii', '.nii.gz'],
  sniff: (bytes) => detect(bytes) !== null,
  headerBytes: (bytes) => (detect(bytes)?.version === 2 ? NIFTI2_HEADER_BYTES : NIFTI1_HEADER_BYTES),
  parseHeader: parse,
};
