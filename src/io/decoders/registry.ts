import { mghDecoder } from './mgh';
import { niftiDecoder } from './nifti';
import { nrrdDecoder } from './nrrd';
import type { VolumeDecoder } from './types';

// Registered by magic, first match wins: NRRD's "NRRD000", MGH's version 1 in big-endian int32,
// NIfTI's sizeof_hdr (which Analyze 7.5 and .hdr/.img pairs share).
export const DECODERS: readonly VolumeDecoder[] = [nrrdDecoder, niftiDecoder, mghDecoder];

export const SNIFF_BYTES = 4;

/** What the front door reads, for "not a format Voxlens reads" messages. */
export const FORMAT_NAMES = 'NIfTI-1/2 (.nii, .nii.gz, .hdr/.img), Analyze 7.5, NRRD (.nrrd, .nhdr), MGH/MGZ';

export function findDecoder(bytes: Uint8Array, name: string): VolumeDecoder | undefined {
  return DECODERS.find((d) => d.sniff(bytes, name));
}
