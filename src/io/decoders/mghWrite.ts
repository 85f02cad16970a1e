// Writes FreeSurfer MGH bytes (and MGZ, the same gzipped) with a given header, for tests, the
// benchmark and fuzzing. The layout is mgh.ts's; the values are stored big-endian as MGH requires.
import { gzipSync } from 'fflate';
import { swapBytesInPlace } from '../../volume/dataTypes';
import { MGH_DATA_OFFSET, MGH_FIELDS } from './mgh';

export interface MghWriteOptions {
  /** [width, height, depth] or [width, height, depth, frames]. */
  dims: number[];
  /** FreeSurfer type: 0 MRI_UCHAR, 1 MRI_INT, 3 MRI_FLOAT, 4 MRI_SHORT, 10 MRI_USHRT (others for refusal tests). */
  type: number;
  /** Voxel bytes in the host's (little-endian) order; swapped to big-endian here. */
  data: Uint8Array;
  bytesPerValue?: number;
  /** Left out: FreeSurfer's coronal default (LIA, 1 mm, centre 0). */
  delta?: number[];
  /** x_r x_a x_s y_r y_a y_s z_r z_a z_s. */
  mdc?: number[];
  cras?: number[];
  /** 1 (default): the geometry fields are valid. */
  goodRAS?: number;
  version?: number;
  /** Bytes after the voxels: FreeSurfer's optional scan parameters and tags. */
  trailer?: Uint8Array;
}

export function encodeMgh(o: MghWriteOptions): Uint8Array {
  const out = new Uint8Array(MGH_DATA_OFFSET + o.data.length + (o.trailer?.length ?? 0));
  const dv = new DataView(out.buffer);
  dv.setInt32(MGH_FIELDS.version, o.version ?? 1, false);
  [0, 1, 2, 3].forEach((k) => dv.setInt32(MGH_FIELDS.dims + k * 4, o.dims[k] ?? 1, false));
  dv.setInt32(MGH_FIELDS.type, o.type, false);
  dv.setInt16(MGH_FIELDS.goodRAS, o.goodRAS ?? 1, false);
  const floats = (at: number, values: number[]) => values.forEach((v, k) => dv.setFloat32(at + k * 4, v, false));
  floats(MGH_FIELDS.delta, o.delta ?? [1, 1, 1]);
  floats(MGH_FIELDS.mdc, o.mdc ?? [-1, 0, 0, 0, 0, -1, 0, 1, 0]);
  floats(MGH_FIELDS.cras, o.cras ?? [0, 0, 0]);
  out.set(o.data, MGH_DATA_OFFSET);
  swapBytesInPlace(out.subarray(MGH_DATA_OFFSET, MGH_DATA_OFFSET + o.data.length), o.bytesPerValue ?? 1);
  if (o.trailer) out.set(o.trailer, MGH_DATA_OFFSET + o.data.length);
  return out;
}

/** .mgz: the whole .mgh gzipped. */
export const encodeMgz = (o: MghWriteOptions): Uint8Array => gzipSync(encodeMgh(o));
