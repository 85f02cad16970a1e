// Analyze 7.5 headers (.hdr with a companion .img): a 348-byte header with no NIfTI magic, handed
// over by ./nifti.ts, which sniffs both. Analyze cannot store an affine, so the orientation is a
// guess from hist.orient, and every load says so.
import { axisCodes, type Mat4 } from '../../volume/affine';
import { DATA_TYPES, type DataType } from '../../volume/dataTypes';
import type { VolumeHeader } from '../../volume/header';
import { fail, ok, type Result } from '../errors';
import { ascii, companionSegment, readDims, voxelBytesOf } from './niftiCommon';
import { ANALYZE_LAYOUT as at } from './niftiLayout';
import type { HeaderContext, ParsedVolume } from './types';

/** The datatypes Analyze 7.5 defines (dbh.h); its DT_BINARY and DT_COMPLEX are refused like NIfTI's. */
const SUPPORTED: Record<number, DataType> = { 2: 'uint8', 4: 'int16', 8: 'int32', 16: 'float32', 64: 'float64', 128: 'rgb24' };
const NAMES: Record<number, string> = {
  0: 'DT_UNKNOWN', 1: 'DT_BINARY (1-bit)', 2: 'DT_UNSIGNED_CHAR', 4: 'DT_SIGNED_SHORT', 8: 'DT_SIGNED_INT',
  16: 'DT_FLOAT', 32: 'DT_COMPLEX', 64: 'DT_DOUBLE', 128: 'DT_RGB', 255: 'DT_ALL',
};

export const analyzeDatatypeName = (code: number): string => NAMES[code] ?? `unknown (${code})`;

/**
 * hist.orient → the RAS+ direction each voxel axis points to. Source: ITK's NiftiImageIO
 * (Modules/IO/NIFTI/src/itkNiftiImageIO.cxx, SetImageIOOrientationFromNIfTI, Analyze branch; ITK
 * names each axis by where it runs from and to, e.g. RightToLeft, and the "to" side is the code):
 *
 *   code  Analyze name          ITK axes (i, j, k)                                      axcodes
 *   0     transverse unflipped  RightToLeft, PosteriorToAnterior, InferiorToSuperior    LAS
 *   1     coronal unflipped     RightToLeft, InferiorToSuperior, PosteriorToAnterior    LSA
 *   2     sagittal unflipped    PosteriorToAnterior, InferiorToSuperior, RightToLeft    ASL
 *   3     transverse flipped    RightToLeft, AnteriorToPosterior, InferiorToSuperior    LPS
 *   4     coronal flipped       RightToLeft, SuperiorToInferior, PosteriorToAnterior    LIA
 *   5     sagittal flipped      PosteriorToAnterior, InferiorToSuperior, LeftToRight    ASR
 *
 * Code 0 is also nibabel's reading of every Analyze file (analyze.py: default_x_flip, i.e.
 * "radiological" R→L storage, affine diag(−x, y, z)). Other codes are read as 0: ITK falls back
 * to coronal there, but transverse is by far the common Analyze layout, and the notice names
 * the code either way.
 */
export const ANALYZE_ORIENT: readonly { name: string; axcodes: string }[] = [
  { name: 'transverse unflipped', axcodes: 'LAS' },
  { name: 'coronal unflipped', axcodes: 'LSA' },
  { name: 'sagittal unflipped', axcodes: 'ASL' },
  { name: 'transverse flipped', axcodes: 'LPS' },
  { name: 'coronal flipped', axcodes: 'LIA' },
  { name: 'sagittal flipped', axcodes: 'ASR' },
];

const DIRECTION: Record<string, [number, number, number]> = {
  L: [-1, 0, 0], R: [1, 0, 0], P: [0, -1, 0], A: [0, 1, 0], I: [0, 0, -1], S: [0, 0, 1],
};

/**
 * The voxel → RAS affine for an axis-code string, voxel sizes and the voxel (0-based) at world 0:
 * world = Σ direction_c · size_c · (i_c − origin_c).
 */
export function orientAffine(axcodes: string, sizes: readonly number[], origin: readonly number[]): Mat4 {
  const m: Mat4 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  for (let c = 0; c < 3; c++) {
    const d = DIRECTION[axcodes[c]];
    for (let r = 0; r < 3; r++) {
      m[r * 4 + c] = d[r] * sizes[c];
      m[r * 4 + 3] -= d[r] * sizes[c] * origin[c];
    }
  }
  return m;
}

/** `littleEndian`: from sizeof_hdr, already detected by the NIfTI sniffer. */
export function parseAnalyze(bytes: Uint8Array, le: boolean, context: HeaderContext): Result<ParsedVolume> {
  if (bytes.length < at.headerBytes) {
    return fail('truncated', `The file ends after ${bytes.length} bytes, inside the ${at.headerBytes}-byte Analyze 7.5 header.`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f = (o: number) => dv.getFloat32(o, le);
  const i16 = (o: number) => dv.getInt16(o, le);

  const dim: number[] = [];
  // Stryker disable next-line EqualityOperator: a ninth entry would never be read (readDims takes dim[1..rank], rank at most 7)
  for (let d = 0; d < 8; d++) dim.push(i16(at.dim + d * 2));
  const shape = readDims(dim, 'Analyze 7.5');
  if (shape.kind === 'error') return shape;
  const { dims, sizes } = shape.value;

  const datatypeCode = i16(at.datatype);
  const datatype = SUPPORTED[datatypeCode];
  if (!datatype) {
    return fail(
      'unsupported-dtype',
      `Analyze datatype ${analyzeDatatypeName(datatypeCode)} (code ${datatypeCode}) cannot be shown exactly; Voxlens reads codes 2, 4, 8, 16, 64 and 128 and refuses the rest rather than reinterpret their bytes.`,
    );
  }
  const info = DATA_TYPES[datatype];
  const bitpix = i16(at.bitpix);
  if (bitpix !== info.bytesPerVoxel * 8) {
    return fail('bitpix-mismatch', `bitpix is ${bitpix} but Analyze datatype ${analyzeDatatypeName(datatypeCode)} has ${info.bytesPerVoxel * 8} bits per voxel.`);
  }

  // vox_offset counts into the .img; 0 (the usual value) means the voxels start it.
  const voxOffset = f(at.voxOffset);
  if (!(Number.isInteger(voxOffset) && voxOffset >= 0)) {
    return fail('bad-offset', `vox_offset is ${voxOffset}; in an Analyze .hdr it must be a whole number of bytes into the .img, 0 or more.`);
  }
  const byteCount = voxelBytesOf(sizes, info.bytesPerVoxel);
  if (byteCount.kind === 'error') return byteCount;

  // FSL marks left-right storage with a negative pixdim[1]; the size is the magnitude either way.
  const size = (d: number) => {
    const v = Math.abs(f(at.pixdim + d * 4));
    return Number.isFinite(v) && v > 0 ? v : 1;
  };
  const voxelSizes = [size(1), size(2), size(3)];

  const orientCode = bytes[at.orient];
  const known = ANALYZE_ORIENT[orientCode];
  const { axcodes } = known ?? ANALYZE_ORIENT[0];
  const affine = orientAffine(axcodes, voxelSizes, originVoxel(dv, le, dims));
  const how = known ? `from orient code ${orientCode} (${known.name})` : `from an unknown orient code ${orientCode}, taken as 0 (transverse unflipped)`;

  // Analyze has no scl_slope; SPM stores a scale factor in funused1, which nibabel's spm99analyze
  // reads as scl_slope too. Without one (0, negative, NaN) the values are read unscaled.
  const scale = f(at.funused1);
  const calMin = f(at.calMin);
  const calMax = f(at.calMax);

  const header: VolumeHeader = {
    format: 'analyze',
    dims,
    datatype,
    datatypeCode,
    littleEndian: le,
    slope: Number.isFinite(scale) && scale > 0 ? scale : 1,
    inter: 0,
    affine,
    affineSource: 'orient',
    axcodes: axisCodes(affine),
    voxOffset,
    description: ascii(bytes, at.descrip, 80),
    displayRange: Number.isFinite(calMin) && Number.isFinite(calMax) && calMax > calMin ? [calMin, calMax] : undefined,
    intentCode: 0,
    notices: [
      `Analyze 7.5 has no reliable orientation: read as ${axcodes} ${how}; left and right may be swapped. Convert to NIfTI to be sure.`,
    ],
  };
  return ok({ header, segments: [companionSegment(context.name, voxOffset, byteCount.value)] });
}

/**
 * The voxel at world 0, 0-based: SPM's originator (1-based) where set and plausible, else the
 * volume's centre. nibabel's spm99analyze.get_origin_affine uses the same rule: any component
 * non-zero and each within (−dim, 2·dim), else (dim − 1) / 2.
 */
function originVoxel(dv: DataView, le: boolean, dims: readonly number[]): number[] {
  const o = [0, 1, 2].map((c) => dv.getInt16(at.originator + c * 2, le));
  const plausible = o.some((v) => v !== 0) && o.every((v, c) => v > -dims[c] && v < 2 * dims[c]);
  // Stryker disable next-line MethodExpression: orientAffine reads the first three entries only, so a fourth (frames) changes nothing
  return plausible ? o.map((v) => v - 1) : dims.slice(0, 3).map((n) => (n - 1) / 2);
}
