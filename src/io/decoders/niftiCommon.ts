// What the NIfTI-1 and Analyze 7.5 readers share: the 348-byte header's dim[] rules, its strings,
// and where a .hdr's voxels live (the companion .img). One copy, so the two readers cannot drift.
import { fail, ok, type Result } from '../errors';
import type { VoxelSegment } from './types';

/** A NUL-terminated ASCII field. */
export const ascii = (bytes: Uint8Array, start: number, length: number): string => {
  let s = '';
  for (let i = start; i < start + length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]);
  return s;
};

export interface Dims {
  /** [nx, ny, nz] or [nx, ny, nz, frames]: every dimension past the third folded into frames. */
  dims: number[];
  /** dim[1..rank], padded with 1 to three: what the voxel byte count multiplies. */
  sizes: number[];
}

/** dim[0] is the rank, dim[1..rank] the sizes; `what` names the format in messages. */
export function readDims(dim: readonly number[], what: string): Result<Dims> {
  const rank = dim[0];
  if (!(rank >= 1 && rank <= 7)) return fail('bad-dims', `dim[0] is ${rank}; a ${what} image has 1 to 7 dimensions.`);
  const sizes = dim.slice(1, rank + 1);
  while (sizes.length < 3) sizes.push(1);
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    return fail('bad-dims', `Dimensions [${sizes.join(', ')}] are not all positive.`);
  }
  const dims = sizes.slice(0, 3);
  const frames = sizes.slice(3).reduce((a, b) => a * b, 1);
  if (frames > 1) dims.push(frames);
  return ok({ dims, sizes });
}

// Each letter of the header's extension is mapped to the image's in the same case, so FOO.HDR
// finds FOO.IMG on a case-sensitive server; the lower-case names follow for the mixed-up cases.
const HDR_TO_IMG: Record<string, string> = { h: 'i', d: 'm', r: 'g', H: 'I', D: 'M', R: 'G' };

/**
 * The names to try for a .hdr's voxels, relative to the header's folder: `<stem>.img`, then
 * `<stem>.img.gz` (gzipped pairs are common, e.g. from FSL), in the header's case, then in
 * lower case. The stem drops any folder, and `.hdr` / `.hdr.gz` (or `.nii`, for a pair
 * header that was renamed); any other name is its own stem.
 */
export function companionImageNames(headerName: string): string[] {
  const base = headerName.slice(Math.max(headerName.lastIndexOf('/'), headerName.lastIndexOf('\\')) + 1);
  const m = /^(.*)\.(hdr|nii)(\.gz)?$/i.exec(base);
  const stem = m ? m[1] : base;
  // Stryker disable next-line Regex: m[2] is the captured "hdr" or "nii" alone, so the anchors change nothing
  const ext = m && /^hdr$/i.test(m[2]) ? [...m[2]].map((c) => HDR_TO_IMG[c]).join('') : 'img';
  const gz = ext[2] === 'G' ? '.GZ' : '.gz';
  const names = [`${stem}.${ext}`, `${stem}.${ext}${gz}`, `${stem}.img`, `${stem}.img.gz`];
  return names.filter((n, i) => names.indexOf(n) === i);
}

/** The voxels of a .hdr: `voxOffset` bytes into the companion image, gunzipped when it is gzipped. */
export const companionSegment = (headerName: string, voxOffset: number, bytes: number): VoxelSegment => ({
  file: companionImageNames(headerName),
  start: 0,
  encoding: 'auto',
  lineSkip: 0,
  byteSkip: voxOffset,
  bytes,
});

/** The voxel bytes of `sizes` at `bytesPerVoxel`, refused when they pass what a number counts exactly. */
export function voxelBytesOf(sizes: readonly number[], bytesPerVoxel: number): Result<number> {
  const bytes = sizes.reduce((a, b) => a * b, 1) * bytesPerVoxel;
  if (!Number.isSafeInteger(bytes)) {
    return fail('bad-dims', `Dimensions [${sizes.join(' × ')}] at ${bytesPerVoxel} bytes per voxel make more bytes than any file can hold.`);
  }
  return ok(bytes);
}
