// A segmentation as NIfTI-1: intent 1002 (label indices), uint8 or uint16, the reference grid's
// affine as sform, and its colour table both inside (an extension holding the FreeSurfer lines, so
// Voxlens reopens it with names and colours) and beside it (the same text as a .txt download).
import { encodeNifti } from '../io/decoders/niftiWrite';
import type { Mat4 } from '../volume/affine';
import { NIFTI_INTENT_LABEL } from '../volume/labels';
import type { LabelArray, Vec3 } from './grid';
import { lutText, type Segment } from './segments';

/** NIFTI_ECODE_COMMENT: free text. */
const ECODE_COMMENT = 6;

export function segmentationNifti(labels: LabelArray, dims: Vec3, affine: Mat4, segments: readonly Segment[], description = 'voxlens segmentation'): Uint8Array {
  const wide = labels instanceof Uint16Array;
  // The voxel bytes as they lie in memory (little-endian, as NIfTI is written here): a view, no copy before encodeNifti's one.
  const data = new Uint8Array(labels.buffer, labels.byteOffset, labels.byteLength);
  const max = segments.reduce((m, s) => Math.max(m, s.value), 0);
  return encodeNifti({
    dims: [...dims],
    datatypeCode: wide ? 512 : 2,
    bitpix: wide ? 16 : 8,
    bytesPerValue: wide ? 2 : 1,
    data,
    affine,
    intentCode: NIFTI_INTENT_LABEL,
    calRange: [0, Math.max(1, max)],
    description,
    extensions: [{ ecode: ECODE_COMMENT, data: new TextEncoder().encode(lutText(segments)) }],
  });
}
