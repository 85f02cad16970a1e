// Writes single-file NIfTI-1/2 (.nii bytes). Used by the sample and fixture generators in
// scripts/, the benchmark, and tests that need files with a given header (big-endian, NIfTI-2,
// extensions, broken fields).
import type { Mat4 } from '../../volume/affine';
import { NIFTI_LAYOUT } from './niftiLayout';

export interface NiftiWriteOptions {
  version?: 1 | 2;
  dims: number[];
  datatypeCode: number;
  bitpix: number;
  /** Voxel bytes in the host's (little-endian) order; swapped when `littleEndian` is false. */
  data: Uint8Array;
  bytesPerValue?: number;
  littleEndian?: boolean;
  affine?: Mat4;
  /** Write the affine as sform (default) or leave sform_code 0 and write a qform. */
  qform?: { quatern: [number, number, number]; offset: [number, number, number]; qfac: 1 | -1 };
  pixdim?: number[];
  slope?: number;
  inter?: number;
  description?: string;
  /** cal_min/cal_max: the intended display range, in scaled units. */
  calRange?: [number, number];
  /** intent_code (1002: a label map). */
  intentCode?: number;
  /** Extra bytes between header and voxels (an extension block); vox_offset moves accordingly. */
  extensionBytes?: number;
  /**
   * Extension blocks with their data (each padded with NULs to a multiple of 16, esize counting its
   * 8-byte head), written after the extension flag; `esize` overrides the size written (a broken file).
   */
  extensions?: { ecode: number; data: Uint8Array; esize?: number }[];
  /** Bytes between the 4 extension-flag bytes (left 0) and the voxels: how AAL stores its names. */
  gap?: Uint8Array;
}

const paddedBlock = (data: Uint8Array) => Math.ceil((8 + data.length) / 16) * 16;

export function encodeNifti(o: NiftiWriteOptions): Uint8Array {
  const version = o.version ?? 1;
  const le = o.littleEndian ?? true;
  const at = NIFTI_LAYOUT[version];
  const { headerBytes } = at;
  const blocks = o.extensions ?? [];
  const ext = (o.extensionBytes ?? 0) + blocks.reduce((n, b) => n + paddedBlock(b.data), 0) + (o.gap?.length ?? 0);
  const voxOffset = headerBytes + 4 + ext;
  const out = new Uint8Array(voxOffset + o.data.length);
  const dv = new DataView(out.buffer);
  const int = version === 1 ? (p: number, v: number) => dv.setInt16(p, v, le) : (p: number, v: number) => dv.setBigInt64(p, BigInt(v), le);
  const flt = version === 1 ? (p: number, v: number) => dv.setFloat32(p, v, le) : (p: number, v: number) => dv.setFloat64(p, v, le);
  const intSize = at.intBytes;
  const fSize = at.floatBytes;

  dv.setInt32(0, headerBytes, le);
  if (version === 1) {
    out.set([0x6e, 0x2b, 0x31, 0], at.magic); // "n+1\0"
    dv.setFloat32(at.voxOffset, voxOffset, le);
  } else {
    out.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], at.magic); // "n+2\0\r\n\032\n"
    dv.setBigInt64(at.voxOffset, BigInt(voxOffset), le);
  }
  int(at.dim, o.dims.length);
  o.dims.forEach((d, i) => int(at.dim + (i + 1) * intSize, d));
  for (let i = o.dims.length + 1; i < 8; i++) int(at.dim + i * intSize, 1);
  dv.setInt16(at.datatype, o.datatypeCode, le);
  dv.setInt16(at.bitpix, o.bitpix, le);

  const affine = o.affine ?? [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const size = (c: number) => Math.hypot(affine[c], affine[4 + c], affine[8 + c]);
  const pixdim = o.pixdim ?? [o.qform?.qfac ?? 1, size(0), size(1), size(2), 1, 1, 1, 1];
  pixdim.forEach((v, i) => flt(at.pixdim + i * fSize, v));
  flt(at.slope, o.slope ?? 1);
  flt(at.inter, o.inter ?? 0);
  if (o.calRange) {
    flt(at.calMin, o.calRange[0]);
    flt(at.calMax, o.calRange[1]);
  }
  const descrip = (o.description ?? 'voxlens').slice(0, 79);
  for (let i = 0; i < descrip.length; i++) out[at.descrip + i] = descrip.charCodeAt(i) & 0x7f;
  if (version === 1) out[at.units] = 10;
  else dv.setInt32(at.units, 10, le);

  const code = (p: number, v: number) => (version === 1 ? dv.setInt16(p, v, le) : dv.setInt32(p, v, le));
  if (o.intentCode) code(at.intentCode, o.intentCode);
  if (o.qform) {
    code(at.qcode, 1);
    code(at.scode, 0);
    [...o.qform.quatern, ...o.qform.offset].forEach((v, i) => flt(at.quat + i * fSize, v));
  } else {
    code(at.qcode, 0);
    code(at.scode, 2);
    for (let i = 0; i < 12; i++) flt(at.srow + i * fSize, affine[i]);
  }

  if (blocks.length) {
    out[headerBytes] = 1;
    let at = headerBytes + 4;
    for (const b of blocks) {
      dv.setInt32(at, b.esize ?? paddedBlock(b.data), le);
      dv.setInt32(at + 4, b.ecode, le);
      out.set(b.data, at + 8);
      at += paddedBlock(b.data);
    }
  } else if (o.gap) {
    out.set(o.gap, headerBytes + 4);
  } else if (ext > 0) {
    // Extension flag, then one extension of `ext` bytes (esize includes its 8-byte head; ecode 0).
    out[headerBytes] = 1;
    dv.setInt32(headerBytes + 4, ext, le);
    dv.setInt32(headerBytes + 8, 0, le);
  }
  out.set(o.data, voxOffset);
  const bpv = o.bytesPerValue ?? 1;
  if (!le && bpv > 1) {
    const body = out.subarray(voxOffset);
    for (let i = 0; i + bpv <= body.length; i += bpv) body.subarray(i, i + bpv).reverse();
  }
  return out;
}
