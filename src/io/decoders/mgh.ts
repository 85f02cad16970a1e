// FreeSurfer MGH (.mgh) and MGZ (.mgz, .mgh.gz: the same bytes gzipped whole, which the engine
// undoes before this sees them). Always big-endian. Layout (FreeSurfer utils/mriio.cpp mghRead;
// nibabel freesurfer/mghformat.py):
//    0 version int32 (1)    4 width  8 height  12 depth  16 nframes  20 type  24 dof   (int32)
//   28 goodRASflag int16   30 delta[3] float32 (voxel sizes, mm)
//   42 Mdc[9] float32: x_r x_a x_s  y_r y_a y_s  z_r z_a z_s (the direction of each voxel axis)
//   78 c_ras[3] float32 (RAS of the volume's centre)
//  284 voxels, x fastest, then frames; then optional scan parameters and tags, which Voxlens ignores
//      (the engine stops at the declared voxel bytes).
import { axisCodes, type Mat4 } from '../../volume/affine';
import { DATA_TYPES, type DataType } from '../../volume/dataTypes';
import type { VolumeHeader } from '../../volume/header';
import { fail, formatBytes, ok, type Result } from '../errors';
import { voxelBytesOf } from './niftiCommon';
import type { HeaderContext, HeaderLength, ParsedVolume, VolumeDecoder } from './types';

export const MGH_DATA_OFFSET = 284;
export const MGH_FIELDS = { version: 0, dims: 4, type: 20, dof: 24, goodRAS: 28, delta: 30, mdc: 42, cras: 78 } as const;

/**
 * FreeSurfer's type numbers (include/mri.h). Those mghRead and load_mgh.m read map to a DataType;
 * MRI_INT stays int32, never converted. MRI_USHRT (10) is read by FreeSurfer 8 and nibabel.
 */
const SUPPORTED: Record<number, DataType> = { 0: 'uint8', 1: 'int32', 3: 'float32', 4: 'int16', 10: 'uint16' };
const TYPE_NAMES: Record<number, string> = {
  0: 'MRI_UCHAR', 1: 'MRI_INT', 2: 'MRI_LONG', 3: 'MRI_FLOAT', 4: 'MRI_SHORT', 5: 'MRI_BITMAP',
  6: 'MRI_TENSOR', 7: 'MRI_FLOAT_COMPLEX', 8: 'MRI_DOUBLE_COMPLEX', 9: 'MRI_RGB', 10: 'MRI_USHRT',
};
export const mghTypeName = (type: number): string => TYPE_NAMES[type] ?? `unknown type ${type}`;

const AXES = ['x', 'y', 'z'] as const;
const RAS = ['r', 'a', 's'] as const;

/**
 * FreeSurfer's scanner vox2ras (`mri_info --vox2ras`, nibabel's MGHHeader.get_affine()), which
 * Voxlens uses, with d = (width, height, depth):
 *   M  = Mdc · diag(delta)          (column c: axis c's direction times its voxel size)
 *   P0 = c_ras − M · (d / 2)        (float division: the centre lies between voxels for even d)
 *   vox2ras = [M P0; 0 0 0 1]
 * Not the tkregister vox2ras (`mri_info --vox2ras-tkr`, nibabel get_vox2ras_tkr()), which ignores
 * Mdc and c_ras and centres a coronal LIA grid:
 *   [[−δx, 0, 0, δx·w/2], [0, 0, δz, −δz·d/2], [0, −δy, 0, δy·h/2], [0, 0, 0, 1]].
 */
export function mghVox2ras(dims: readonly number[], delta: readonly number[], mdc: readonly number[], cras: readonly number[]): Mat4 {
  const m: Mat4 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
  for (let r = 0; r < 3; r++) {
    let centre = 0;
    for (let c = 0; c < 3; c++) {
      m[r * 4 + c] = mdc[c * 3 + r] * delta[c];
      centre += m[r * 4 + c] * (dims[c] / 2);
    }
    m[r * 4 + 3] = cras[r] - centre;
  }
  return m;
}

/**
 * What FreeSurfer's mghRead uses when goodRASflag ≤ 0: MRIalloc's 1 mm voxels and centre 0, and
 * setDirectionCosine(MRI_CORONAL): x_r = −1, y_s = −1, z_a = 1, i.e. coronal LIA. (nibabel's
 * _set_affine_default writes Mdc rows [[−1,0,0],[0,0,1],[0,−1,0]], y → S and z → P, the
 * transpose; FreeSurfer, whose format it is, decides.)
 */
const DEFAULT_GEOMETRY = { delta: [1, 1, 1], mdc: [-1, 0, 0, 0, 0, -1, 0, 1, 0], cras: [0, 0, 0] };

/** Refuses NaN, infinite, non-positive sizes and a direction matrix that does not span 3-D. */
function checkGeometry(delta: number[], mdc: number[], cras: number[]): string | null {
  const d = delta.findIndex((v) => !(Number.isFinite(v) && v > 0));
  if (d >= 0) return `MGH delta (voxel size) is [${delta.join(', ')}]; delta[${d}] must be a finite positive number of mm.`;
  const m = mdc.findIndex((v) => !Number.isFinite(v));
  if (m >= 0) return `MGH direction cosine ${AXES[Math.floor(m / 3)]}_${RAS[m % 3]} (Mdc) is ${mdc[m]}, not a finite number.`;
  const c = cras.findIndex((v) => !Number.isFinite(v));
  if (c >= 0) return `MGH c_ras (the volume centre) has c_${RAS[c]} = ${cras[c]}, not a finite number.`;
  const cols = [0, 1, 2].map((k) => mdc.slice(k * 3, k * 3 + 3));
  const norms = cols.map((v) => Math.hypot(...v));
  const zero = norms.findIndex((n) => n === 0);
  if (zero >= 0) {
    const a = AXES[zero];
    return `MGH direction cosines ${a}_r, ${a}_a, ${a}_s (Mdc) are all zero: the ${a} axis has no direction.`;
  }
  const [x, y, z] = cols;
  const det = x[0] * (y[1] * z[2] - y[2] * z[1]) - x[1] * (y[0] * z[2] - y[2] * z[0]) + x[2] * (y[0] * z[1] - y[1] * z[0]);
  if (Math.abs(det / (norms[0] * norms[1] * norms[2])) < 1e-6) {
    return 'MGH direction cosines (Mdc) are singular: the x, y and z axes do not span 3-D space.';
  }
  return null;
}

function headerLength(bytes: Uint8Array, atEnd: boolean): Result<HeaderLength> {
  if (atEnd && bytes.length < MGH_DATA_OFFSET) {
    return fail('truncated', `The file ends after ${bytes.length} bytes, inside the ${MGH_DATA_OFFSET}-byte MGH header.`);
  }
  return ok(MGH_DATA_OFFSET);
}

function parse(bytes: Uint8Array, context: HeaderContext): Result<ParsedVolume> {
  if (bytes.length < MGH_DATA_OFFSET) {
    return fail('truncated', `The file ends after ${bytes.length} bytes, inside the ${MGH_DATA_OFFSET}-byte MGH header.`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const i32 = (o: number) => dv.getInt32(o, false);
  const f32s = (o: number, n: number) => Array.from({ length: n }, (_, k) => dv.getFloat32(o + k * 4, false));

  const version = i32(MGH_FIELDS.version);
  if (version !== 1) return fail('bad-magic', `MGH version is ${version}; FreeSurfer writes only version 1.`);
  const sizes = [0, 1, 2, 3].map((k) => i32(MGH_FIELDS.dims + k * 4));
  if (sizes.some((n) => n < 1)) {
    return fail('bad-dims', `MGH width, height, depth and frames are [${sizes.join(', ')}]; each must be at least 1.`);
  }
  const type = i32(MGH_FIELDS.type);
  const datatype = SUPPORTED[type];
  if (!datatype) {
    return fail(
      'unsupported-dtype',
      `MGH voxel type ${mghTypeName(type)} (${type}) is not read: Voxlens reads MRI_UCHAR, MRI_INT, MRI_FLOAT, MRI_SHORT and MRI_USHRT, and refuses the rest rather than reinterpret their bytes.`,
    );
  }
  const byteCount = voxelBytesOf(sizes, DATA_TYPES[datatype].bytesPerVoxel);
  if (byteCount.kind === 'error') return byteCount;
  const voxelBytes = byteCount.value;
  const { fileBytes } = context;
  if (fileBytes !== undefined && MGH_DATA_OFFSET + voxelBytes > fileBytes) {
    return fail(
      'truncated',
      `The file holds ${formatBytes(Math.max(0, fileBytes - MGH_DATA_OFFSET))} of voxels after the ${MGH_DATA_OFFSET}-byte header, but [${sizes.join(' × ')}] ${mghTypeName(type)} needs ${formatBytes(voxelBytes)}.`,
    );
  }

  const goodRAS = dv.getInt16(MGH_FIELDS.goodRAS, false);
  const good = goodRAS > 0;
  // Without the flag FreeSurfer does not read the geometry fields at all, so neither does Voxlens.
  const { delta, mdc, cras } = good
    ? { delta: f32s(MGH_FIELDS.delta, 3), mdc: f32s(MGH_FIELDS.mdc, 9), cras: f32s(MGH_FIELDS.cras, 3) }
    : DEFAULT_GEOMETRY;
  const bad = checkGeometry(delta, mdc, cras);
  if (bad) return fail('bad-header', bad);
  const dims = sizes.slice(0, 3);
  if (sizes[3] > 1) dims.push(sizes[3]);
  const affine = mghVox2ras(dims, delta, mdc, cras);

  const header: VolumeHeader = {
    format: 'mgh',
    dims,
    datatype,
    datatypeCode: type,
    littleEndian: false,
    slope: 1,
    inter: 0,
    affine,
    affineSource: good ? 'vox2ras' : 'mgh-default',
    axcodes: axisCodes(affine),
    voxOffset: MGH_DATA_OFFSET,
    description: '',
    intentCode: 0,
    spaceUnit: 'mm',
    ...(good
      ? {}
      : {
          notices: [
            `This MGH file has no valid orientation (goodRASflag ${goodRAS}): read as FreeSurfer does, coronal LIA with 1 mm voxels centred at 0; positions, voxel sizes and left-right may be wrong.`,
          ],
        }),
  };
  return ok({ header, segments: [{ file: 'self', start: MGH_DATA_OFFSET, encoding: 'raw', lineSkip: 0, byteSkip: 0, bytes: voxelBytes }] });
}

/**
 * Version 1 as a big-endian int32 is a weak magic (any file starting 00 00 00 01), and sniff sees
 * only SNIFF_BYTES (4) bytes, so the name must say MGH too: .mgh, .mgz or .mgh.gz, any case.
 */
const sniff = (bytes: Uint8Array, name: string): boolean =>
  bytes.length >= 4 && new DataView(bytes.buffer, bytes.byteOffset, 4).getInt32(0, false) === 1 && /\.(mgh|mgz|mgh\.gz)$/i.test(name);

export const mghDecoder: VolumeDecoder = {
  name: 'MGH',
  // Stryker disable next-line ArrayDeclaration,StringLiteral: nothing reads a decoder's extensions; they document the format
  extensions: ['.mgh', '.mgz', '.mgh.gz'],
  sniff,
  headerLength,
  parseHeader: parse,
};
