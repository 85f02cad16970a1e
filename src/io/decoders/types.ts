// The types every decoder and the registry share (registry.ts lists the decoders; the decoders
// import only this file, so the two never import each other).
import type { VolumeHeader } from '../../volume/header';
import type { Result } from '../errors';

/**
 * Where one run of voxel bytes is stored. Most formats have one segment: the bytes after the header
 * in the same file. A detached NRRD header or a NIfTI/Analyze .hdr names other files; a NRRD
 * `data file: LIST` names several, each holding the next run of voxels.
 */
export interface VoxelSegment {
  /**
   * 'self': the header's own file, from byte `start` of its stream (after whole-file gunzip, as for
   * .nii.gz and .mgz). Otherwise the names the header gives for a companion file, relative to the
   * header's location, tried in order (`foo.img`, then `foo.img.gz`).
   */
  file: 'self' | string[];
  /** 'self' only: where the segment starts in the header file's (decompressed) bytes. */
  start: number;
  /** How the segment's bytes are stored. 'auto': gunzipped when they start with the gzip magic. */
  encoding: 'raw' | 'gzip' | 'auto';
  /** Lines to skip (up to and including each '\n') before `byteSkip`, counted in the stored bytes (NRRD `line skip`). */
  lineSkip: number;
  /** Bytes to skip after decoding and line skipping (NRRD `byte skip`); -1: the voxels are the segment's last `bytes` bytes. */
  byteSkip: number;
  /** How many voxel bytes this segment holds. The segments' sum is the volume's voxel bytes. */
  bytes: number;
}

export interface ParsedVolume {
  header: VolumeHeader;
  segments: VoxelSegment[];
  /**
   * A first (fastest) axis of this many components that is not a colour the format table shows
   * (a NRRD vector or list axis): the engine writes component c of voxel v to frame c, so the
   * volume is stored as `interleaved` frames. The header's dims already say [x, y, z, components].
   */
  interleaved?: number;
}

export interface HeaderContext {
  /** The file's name as the user gave it (for companion names and messages). */
  name: string;
  /** The stored size of the header's file where known before reading (a Blob; not a gzip stream). */
  fileBytes?: number;
}

/** `more`: the header's length is not known yet from these bytes; read on. */
export type HeaderLength = number | 'more';

/**
 * A format: sniffed by its first bytes, then its header is read whole and validated before any
 * voxel memory is asked for; the engine (../decodeStream.ts) streams the segments into that memory.
 */
export interface VolumeDecoder {
  name: string;
  extensions: string[];
  /** True when the first SNIFF_BYTES bytes look like this format. */
  sniff(bytes: Uint8Array, name: string): boolean;
  /**
   * How many leading bytes the header takes, from the bytes read so far. `atEnd`: the file has no
   * more bytes (a detached NRRD header ends with its file). An error for a header that cannot be
   * one (longer than the format allows).
   */
  headerLength(bytes: Uint8Array, atEnd: boolean): Result<HeaderLength>;
  /** Validates the whole header; `bytes` holds at least headerLength bytes. Allocates nothing. */
  parseHeader(bytes: Uint8Array, context: HeaderContext): Result<ParsedVolume>;
}
