// The float32 path of a series whose planes disagree on rescale (series.ts buildSeries): each
// plane is decoded into a scratch slot in its stored type, then written to the volume as its own
// slope · stored + intercept.
import { voxelView } from '../../../volume/dataTypes';
import type { DicomPixelFormat } from '../types';

/** `stored` (one plane of stored values, in `format`) → `dest` as float32 scaled values (as many as `stored` holds). */
export function rescaleToFloat32(stored: Uint8Array, dest: Uint8Array, format: Pick<DicomPixelFormat, 'bitsAllocated' | 'pixelRepresentation'>, r: { slope: number; intercept: number }): void {
  const { bitsAllocated, pixelRepresentation } = format;
  const type = bitsAllocated === 8 ? (pixelRepresentation ? 'int8' : 'uint8') : bitsAllocated === 16 ? (pixelRepresentation ? 'int16' : 'uint16') : pixelRepresentation ? 'int32' : 'uint32';
  const src = voxelView(type, stored.buffer, stored.length / (bitsAllocated / 8), stored.byteOffset);
  const out = new Float32Array(dest.buffer, dest.byteOffset, src.length);
  for (let i = 0; i < src.length; i++) out[i] = Number(src[i]) * r.slope + r.intercept;
}
