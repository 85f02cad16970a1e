// Writes .hdr + .img pairs: NIfTI-1 pairs (magic "ni1") and Analyze 7.5 headers (no magic, with
// hist.orient and SPM's originator). Used by tests, the benchmark and fuzzing; Voxlens itself
// never writes these formats.
import { swapBytesInPlace } from '../../volume/dataTypes';
import { ANALYZE_LAYOUT as at } from './niftiLayout';
import { encodeNifti, type NiftiWriteOptions } from './niftiWrite';

export interface PairFiles {
  hdr: Uint8Array;
  img: Uint8Array;
}

/** The .img: `offset` zero bytes (what vox_offset skips), then the voxels in the file's byte order. */
function imageFile(data: Uint8Array, offset: number, bytesPerValue: number, littleEndian: boolean): Uint8Array {
  const img = new Uint8Array(offset + data.length);
  img.set(data, offset);
  if (!littleEndian) swapBytesInPlace(img.subarray(offset), bytesPerValue);
  return img;
}

/** A NIfTI-1 pair: the single-file header with magic "ni1" and vox_offset counting into the .img. */
export function encodeNiftiPair(o: Omit<NiftiWriteOptions, 'version' | 'extensionBytes'> & { imgOffset?: number }): PairFiles {
  const le = o.littleEndian ?? true;
  const offset = o.imgOffset ?? 0;
  const hdr = encodeNifti({ ...o, version: 1, data: new Uint8Array(0) }).slice(0, at.headerBytes);
  hdr.set([0x6e, 0x69, 0x31, 0], at.magic); // "ni1\0"
  new DataView(hdr.buffer).setFloat32(at.voxOffset, offset, le);
  return { hdr, img: imageFile(o.data, offset, o.bytesPerValue ?? 1, le) };
}

export interface AnalyzeWriteOptions {
  dims: number[];
  datatypeCode: number;
  bitpix: number;
  /** Voxel bytes in the host's (little-endian) order; swapped when `littleEndian` is false. */
  data: Uint8Array;
  bytesPerValue?: number;
  littleEndian?: boolean;
  /** Voxel sizes (pixdim[1..3]); 1 mm when left out. */
  voxelSizes?: number[];
  /** hist.orient, 0..5 in the standard; any byte can be written. */
  orient?: number;
  /** SPM's originator: the 1-based voxel at world 0 (left out: all zero, unset). */
  originator?: [number, number, number];
  /** funused1, SPM's scale factor (left out: 0, no scaling). */
  scale?: number;
  /** vox_offset: zero bytes before the voxels in the .img. */
  imgOffset?: number;
  description?: string;
  calRange?: [number, number];
  /** hist.smin, an int32 at 344, where NIfTI keeps its magic: Analyze readers must not take it for one. */
  smin?: number;
}

export function encodeAnalyzePair(o: AnalyzeWriteOptions): PairFiles {
  const le = o.littleEndian ?? true;
  const offset = o.imgOffset ?? 0;
  const hdr = new Uint8Array(at.headerBytes);
  const dv = new DataView(hdr.buffer);
  dv.setInt32(0, at.headerBytes, le);
  dv.setInt32(at.extents, 16384, le); // what Analyze's own tools write; readers ignore it
  hdr[at.regular] = 0x72; // 'r'
  dv.setInt16(at.dim, o.dims.length, le);
  for (let i = 1; i < 8; i++) dv.setInt16(at.dim + i * 2, o.dims[i - 1] ?? 1, le);
  dv.setInt16(at.datatype, o.datatypeCode, le);
  dv.setInt16(at.bitpix, o.bitpix, le);
  const sizes = o.voxelSizes ?? [1, 1, 1];
  for (let i = 0; i < 8; i++) dv.setFloat32(at.pixdim + i * 4, i === 0 ? 0 : (sizes[i - 1] ?? 1), le);
  dv.setFloat32(at.voxOffset, offset, le);
  dv.setFloat32(at.funused1, o.scale ?? 0, le);
  if (o.calRange) {
    dv.setFloat32(at.calMin, o.calRange[0], le);
    dv.setFloat32(at.calMax, o.calRange[1], le);
  }
  const descrip = (o.description ?? 'voxlens analyze').slice(0, 79);
  for (let i = 0; i < descrip.length; i++) hdr[at.descrip + i] = descrip.charCodeAt(i) & 0x7f;
  hdr[at.orient] = o.orient ?? 0;
  (o.originator ?? [0, 0, 0]).forEach((v, i) => dv.setInt16(at.originator + i * 2, v, le));
  dv.setInt32(at.magic, o.smin ?? 0, le);
  return { hdr, img: imageFile(o.data, offset, o.bytesPerValue ?? 1, le) };
}
