// NIfTI-1 and NIfTI-2 headers: single files (.nii, .nii.gz; the engine gunzips the whole file
// first) and NIfTI-1 .hdr/.img pairs. A 348-byte header without a NIfTI magic is Analyze 7.5,
// read by ./analyze.ts. The header is validated completely before any voxel memory is asked for;
// the voxels themselves are streamed by ../decodeStream.ts.
import { axisCodes, pixdimAffine, qformToAffine, type Mat4 } from '../../volume/affine';
import { DATA_TYPES, type DataType } from '../../volume/dataTypes';
import { frameSecondsOf, niftiUnits, type VolumeHeader } from '../../volume/header';
import { decodeLabelText, labelListFromText } from '../../volume/labels';
import { fail, formatBytes, ok, type Result } from '../errors';
import { parseAnalyze } from './analyze';
import { ascii, companionSegment, readDims, voxelBytesOf } from './niftiCommon';
import { NIFTI_LAYOUT } from './niftiLayout';
import type { HeaderContext, HeaderLength, ParsedVolume, VolumeDecoder, VoxelSegment } from './types';

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

/**
 * The most bytes read past the fixed header for its extensions (or the text AAL keeps before its
 * voxels): room for any atlas's names, and never what a hostile vox_offset or esize asks for.
 */
export const NIFTI_EXTENSION_BYTES = 2 << 20;

/**
 * The header's length is known from sizeof_hdr alone (its first 4 bytes); what follows it up to the
 * voxels (extensions) is read too, up to NIFTI_EXTENSION_BYTES, and as far as the file goes.
 */
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
  if (bytes.length < length) return ok(length);
  const wanted = extensionsEnd(bytes, kind);
  // A file that ends first is parsed as it is: parse says what is missing, as it did without extensions.
  return ok(atEnd ? Math.max(length, Math.min(wanted, bytes.length)) : wanted);
}

/** Where the bytes worth reading for extensions end: vox_offset (a pair's .hdr: its end), capped. */
function extensionsEnd(bytes: Uint8Array, { version, littleEndian }: Endian): number {
  const at = NIFTI_LAYOUT[version];
  const cap = at.headerBytes + 4 + NIFTI_EXTENSION_BYTES;
  const magic = ascii(bytes, at.magic, 3);
  // A pair's .hdr holds its extensions after the header, up to its end.
  if (version === 1 && magic === 'ni1') return cap;
  if (magic !== `n+${version}`) return at.headerBytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const voxOffset = version === 1 ? dv.getFloat32(at.voxOffset, littleEndian) : Number(dv.getBigInt64(at.voxOffset, littleEndian));
  // A broken vox_offset is parse's to report.
  // Stryker disable next-line EqualityOperator: at vox_offset = headerBytes both ways give headerBytes
  if (!Number.isInteger(voxOffset) || voxOffset <= at.headerBytes) return at.headerBytes;
  return Math.min(voxOffset, cap);
}

export interface NiftiExtension {
  ecode: number;
  /** The block's data after its 8-byte head: a view into the header bytes, not a copy. */
  data: Uint8Array;
}

/**
 * The extension blocks in `bytes` between the header and `end`, when the extension flag is set:
 * [esize int32, ecode int32, data], esize counting the head and a multiple of 16. Reading stops at
 * the first block whose esize is not a multiple of 16 of at least 16, or that runs past `end` or the
 * bytes given (`malformed` then says why); the blocks before it are kept. Nothing is allocated by
 * size, so a hostile esize costs nothing.
 */
export function niftiExtensions(bytes: Uint8Array, headerBytes: number, end: number, littleEndian: boolean): { blocks: NiftiExtension[]; malformed?: string } {
  const stop = Math.min(end, bytes.length);
  const blocks: NiftiExtension[] = [];
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: below headerBytes + 8 the loop takes no step, so the first test only returns early
  if (stop < headerBytes + 4 || bytes[headerBytes] === 0) return { blocks };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Each step moves on by at least 16 bytes, and `stop` is within the bytes read.
  for (let o = headerBytes + 4; o + 8 <= stop; ) {
    const esize = dv.getInt32(o, littleEndian);
    const ecode = dv.getInt32(o + 4, littleEndian);
    if (esize < 16 || esize % 16 !== 0) return { blocks, malformed: `extension ${blocks.length + 1} at byte ${o} has esize ${esize}, not a multiple of 16 of at least 16` };
    if (esize > stop - o) return { blocks, malformed: `extension ${blocks.length + 1} at byte ${o} (esize ${esize}) runs past byte ${stop}, where the voxels or the bytes read begin` };
    blocks.push({ ecode, data: bytes.subarray(o + 8, o + esize) });
    o += esize;
  }
  return { blocks };
}

/**
 * Label names the file carries: the first extension whose text is a list of names (lines
 * `index name`, JSON, LabelTable XML: see labelListFromText), else text between the header and the
 * voxels outside any extension, where AAL keeps its 116 names (extension flag 0, vox_offset 2368).
 */
function carriedLabelNames(bytes: Uint8Array, headerBytes: number, end: number, littleEndian: boolean): VolumeHeader['labelNames'] {
  const stop = Math.min(end, bytes.length);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: with stop = headerBytes there are no blocks and no text below, so undefined follows anyway
  if (stop <= headerBytes) return undefined;
  const { blocks } = niftiExtensions(bytes, headerBytes, stop, littleEndian);
  for (const block of blocks) {
    const lookup = labelListFromText(decodeLabelText(block.data));
    if (lookup) return { source: 'names from the NIfTI extension', lookup };
  }
  if (blocks.length) return undefined;
  // No extension: the flag bytes are 0, or text starts where they would be.
  const from = bytes[headerBytes] === 0 ? headerBytes + 4 : headerBytes;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty or reversed range is no text, and no text is no names
  if (stop <= from) return undefined;
  const lookup = labelListFromText(decodeLabelText(bytes.subarray(from, stop)));
  return lookup ? { source: 'names stored after the NIfTI header', lookup } : undefined;
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
  // Stryker disable next-line EqualityOperator: a ninth entry would never be read (readDims takes dim[1..rank], rank at most 7)
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
  // Stryker disable next-line EqualityOperator: a ninth entry would never be read (pixdim[0..4] are)
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
  const frameSeconds = header.dims.length > 3 ? frameSecondsOf(pixdim[4], header.timeUnit) : undefined;
  if (frameSeconds !== undefined) header.frameSeconds = frameSeconds;
  // A pair's vox_offset counts into the .img: its .hdr's extensions run to the end of the .hdr.
  const labelNames = carriedLabelNames(bytes, headerBytes, pair ? bytes.length : voxOffset, le);
  if (labelNames) header.labelNames = labelNames;
  const segment: VoxelSegment = pair
    ? companionSegment(context.name, voxOffset, voxelBytes)
    : { file: 'self', start: voxOffset, encoding: 'raw', lineSkip: 0, byteSkip: 0, bytes: voxelBytes };
  return ok({ header, segments: [segment] });
}

/** Sniffed by sizeof_hdr alone, so Analyze 7.5 headers (also 348) come here too and parse dispatches. */
export const niftiDecoder: VolumeDecoder = {
  name: 'NIfTI',
  // Stryker disable next-line ArrayDeclaration,StringLiteral: nothing reads a decoder's extensions; they document the format
  extensions: ['.nii', '.nii.gz', '.hdr', '.hdr.gz'],
  sniff: (bytes) => detect(bytes) !== null,
  headerLength,
  parseHeader: parse,
};
