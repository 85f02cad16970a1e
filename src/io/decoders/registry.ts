import type { VolumeHeader } from '../../volume/header';
import type { Result } from '../errors';
import { niftiDecoder } from './nifti';

/**
 * A format whose voxels follow its header as one contiguous block: the stream decoder reads the
 * header, asks for memory once, then streams the block straight into it.
 */
export interface VolumeDecoder {
  name: string;
  extensions: string[];
  /** True when the first bytes (at least 4) look like this format. */
  sniff(bytes: Uint8Array): boolean;
  /** How many leading bytes parseHeader needs. */
  headerBytes(bytes: Uint8Array): number;
  /** `fileBytes` is the decompressed size where it is known (an uncompressed Blob), for early checks. */
  parseHeader(bytes: Uint8Array, fileBytes: number | undefined): Result<VolumeHeader>;
}

// Registered by magic; NRRD and MGH/MGZ join here.
export const DECODERS: readonly VolumeDecoder[] = [niftiDecoder];

export const SNIFF_BYTES = 4;

export function findDecoder(bytes: Uint8Array): VolumeDecoder | undefined {
  return DECODERS.find((d) => d.sniff(bytes));
}
