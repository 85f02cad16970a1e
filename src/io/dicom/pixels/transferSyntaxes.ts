// The transfer syntaxes Voxlens knows, and the frame decoder each one goes to.
import { fail, type Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { decodeJpegLosslessFrame } from './jpegLossless';
import { writeNativeFrame } from './nativeFrame';
import { decodeRleFrame } from './rle';

export type TransferSyntaxKind = 'native-le' | 'native-be' | 'deflated' | 'rle' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000' | 'htj2k' | 'jpeg-baseline';

export interface TransferSyntaxInfo {
  name: string;
  kind: TransferSyntaxKind;
  /** Whether decodeFrame can decode its pixel data now (the other codecs come later). */
  supported: boolean;
}

export const TRANSFER_SYNTAXES: Readonly<Record<string, TransferSyntaxInfo>> = {
  '1.2.840.10008.1.2': { name: 'Implicit VR Little Endian', kind: 'native-le', supported: true },
  '1.2.840.10008.1.2.1': { name: 'Explicit VR Little Endian', kind: 'native-le', supported: true },
  '1.2.840.10008.1.2.2': { name: 'Explicit VR Big Endian', kind: 'native-be', supported: true },
  // The parser inflates the whole data set; its pixel data is then native little endian.
  '1.2.840.10008.1.2.1.99': { name: 'Deflated Explicit VR Little Endian', kind: 'deflated', supported: true },
  '1.2.840.10008.1.2.5': { name: 'RLE Lossless', kind: 'rle', supported: true },
  '1.2.840.10008.1.2.4.57': { name: 'JPEG Lossless, Non-Hierarchical (Process 14)', kind: 'jpeg-lossless', supported: true },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])', kind: 'jpeg-lossless', supported: true },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless Image Compression', kind: 'jpeg-ls', supported: false },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Lossy (Near-Lossless) Image Compression', kind: 'jpeg-ls', supported: false },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Image Compression (Lossless Only)', kind: 'jpeg2000', supported: false },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000 Image Compression', kind: 'jpeg2000', supported: false },
  '1.2.840.10008.1.2.4.201': { name: 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', kind: 'htj2k', supported: false },
  '1.2.840.10008.1.2.4.202': { name: 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)', kind: 'htj2k', supported: false },
  '1.2.840.10008.1.2.4.203': { name: 'High-Throughput JPEG 2000 Image Compression', kind: 'htj2k', supported: false },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', kind: 'jpeg-baseline', supported: false },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended (Process 2 & 4)', kind: 'jpeg-baseline', supported: false },
};

/** A UID as read from a file: trailing NUL / space padding removed. */
export const cleanUid = (uid: string): string => uid.replace(/[\0\s]+$/, '').trim();

/** The table's entry for a transfer syntax UID (padding ignored), or undefined. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  const key = cleanUid(uid);
  return Object.prototype.hasOwnProperty.call(TRANSFER_SYNTAXES, key) ? TRANSFER_SYNTAXES[key] : undefined;
}

/**
 * Decodes one frame of pixel data in the given transfer syntax into its slot (`target`, exactly
 * rows × columns × samples × bytes). `src` is the frame's bytes: native data from the frame's
 * first byte, or the whole encapsulated frame (its fragments joined) for RLE and JPEG.
 * `littleEndian` overrides the byte order of native data (by default the syntax's: big endian
 * only for 1.2.840.10008.1.2.2); codecs ignore it. Unknown and not yet supported syntaxes are
 * refused with 'unsupported-format'.
 */
export function decodeFrame(transferSyntax: string, src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, littleEndian?: boolean): Result<void> {
  const uid = cleanUid(transferSyntax);
  const info = transferSyntaxInfo(uid);
  if (info === undefined || !info.supported) return fail('unsupported-format', `unsupported transfer syntax ${uid} (${info?.name ?? 'unknown'})`);
  switch (info.kind) {
    case 'native-le':
    case 'native-be':
    case 'deflated':
      return writeNativeFrame(src, target, format, littleEndian ?? info.kind !== 'native-be');
    case 'rle':
      return decodeRleFrame(src, target, format);
    case 'jpeg-lossless':
      return decodeJpegLosslessFrame(src, target, format);
    default:
      return fail('unsupported-format', `unsupported transfer syntax ${uid} (${info.name})`);
  }
}
