// NIfTI-1 and NIfTI-2 headers: single files (.nii, .nii.gz; the engine gunzips the whole file
// first) and NIfTI-1 .hdr/.img pairs. A 348-byte header without a NIfTI magic is Analyze 7.5,
// read by ./analyze.ts. The header is validated completely before any voxel memory is asked for;
// the voxels themselves are streamed by ../decodeStream.ts.
import { axisCodes, pixdimAffine, qformToAffine, type Mat4 } from '../../volume/affine';
import { DATA_TYPES, type DataType } from '../../volume/dataTypes';
import { niftiUnits, type VolumeHeader } from '../../volume/header';
import { fail, formatBytes, ok, type Result } from '../errors';
import { parseAnalyze } from './analyze';
import { ascii, companionSegment, readDims, voxelBytesOf } from './niftiCommon';
import { NIFTI_LAYOUT } from './niftiLayout';
import type { HeaderContext, HeaderLength, ParsedVolume, VolumeDecoder, VoxelSegment } from './registry';

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

/** The header's length is known from sizeof_hdr alone (its first 4 bytes). */
function headerLength(bytes: Uint8Array, atEnd: boolean): Result<HeaderLength> {
  if (bytes.length < 4) {
    return atEnd ? fail('truncated', `The file ends after ${bytes.length} bytes, before the NIfTI header's size field.`) : ok('more');
  }
  const kind = detect(bytes);
  if (!kind) return fail('bad-magic', 'Not a NIfTI file: sizeof_hdr is neither 348 (NIfTI-1) nor 540 (NIfTI-2).');
  const length = kind.version === 1 ? NIFTI1_HEADER_BYTES : NIFTI2_HEADER_BYTES;
  if (atEnd && bytes.length < length) {
    return fail('truncated', `The file ends after ${bytes.length} bytes, inside the ${length}-byte NIfTI-${kind.version} header.`);
  }
  return ok(length);
}

/** A single file's name: its header cannot point at a companion, so a missing magic is an error, not Analyze. */
const isSingleFileName = (name: string) => /\.nii(\.gz)?$/i.test(name);

function parse(bytes: Uint8Array, context: HeaderContext): Result<ParsedVolume> {
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
  // 'ni1': the voxels are in the companion .img. No NIfTI magic in a 348-byte header: Analyze 7.5,
  // unless the name says it is a single file, whose voxels could be nowhere else.
  const pair = version === 1 && magic === 'ni1';
  if (version === 1 && !pair && magic !== 'n+1' && !isSingleFileName(context.name)) return parseAnalyze(bytes, le, context);
  if (version === 2 && magic === 'ni2') {
    return fail('unsupported-format', 'This is the header of a NIfTI-2 .hdr/.img pair, which Voxlens does not read; convert it to a single-file .nii.');
  }
  if (!pair && magic !== `n+${version}`) {
    return fail('bad-magic', `NIfTI-${version} magic is "${magic}", expected "n+${version}".`);
  }

  const dim: number[] = [];
  for (let d = 0; d < 8; d++) dim.push(int(at.dim + d * intSize));
  const shape = readDims(dim, 'NIfTI');
  if (shape.kind === 'error') return shape;
  const { dims, sizes } = shape.value;

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
  // In a pair vox_offset counts into the .img, so 0 (the usual value) is fine.
  if (pair && !(Number.isInteger(voxOffset) && voxOffset >= 0)) {
    return fail('bad-offset', `vox_offset is ${voxOffset}; in a .hdr/.img pair it must be a whole number of bytes into the .img, 0 or more.`);
  }
  if (!pair && (!Number.isFinite(voxOffset) || voxOffset < headerBytes || !Number.isInteger(voxOffset))) {
    return fail('bad-offset', `vox_offset is ${voxOffset}; it must be a whole number of at least ${headerBytes} (the header size).`);
  }
  const byteCount = voxelBytesOf(sizes, info.bytesPerVoxel);
  if (byteCount.kind === 'error') return byteCount;
  const voxelBytes = byteCount.value;
  // A pair's header file says nothing about the size of its .img; the engine checks that one.
  const { fileBytes } = context;
  if (fileBytes !== undefined && !pair) {
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

  const header: VolumeHeader = {
    format: pair ? 'nifti1-pair' : version === 1 ? 'nifti1' : 'nifti2',
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
  };
  const segment: VoxelSegment = pair
    ? companionSegment(context.name, voxOffset, voxelBytes)
    : { file: 'self', start: voxOffset, encoding: 'raw', lineSkip: 0, byteSkip: 0, bytes: voxelBytes };
  return ok({ header, segments: [segment] });
}

/** Sniffed by sizeof_hdr alone, so Analyze 7.5 headers (also 348) come here too and parse dispatches. */
export const niftiDecoder: VolumeDecoder = {
  name: 'NIfTI',
  extensions: ['.nii', '.nii.gz', '.hdr', '.hdr.gz'],
  sniff: (bytes) => detect(bytes) !== null,
  headerLength,
  parseHeader: parse,
};
