// The transfer syntaxes Voxlens knows, and the frame decoder each one goes to.
import { fail, ok, type Result } from '../../errors';
import { applyPalette, writeYbr422Frame, ybrFullToRgbInPlace } from './colour';
import { storedDataType } from './storedDataType';
import type { DicomPixelFormat } from '../types';
import { ensureCodec, loadedCodec, type WasmCodec, type WasmCodecKind } from './codecs';
import { decodeHtj2kFrame, decodeJpeg2000Frame } from './jpeg2000';
import { decodeJpegBaselineFrame } from './jpegBaseline';
import { decodeJpegExtendedFrame, needsExtendedDecoder } from './jpegExtended';
import { decodeJpegLosslessFrame, readJpegFrameHeader } from './jpegLossless';
import { decodeJpegLsFrame } from './jpegLs';
import { writeNativeFrame } from './nativeFrame';
import { decodeRleFrame } from './rle';

export type TransferSyntaxKind = 'native-le' | 'native-be' | 'deflated' | 'rle' | 'jpeg-lossless' | 'jpeg-ls' | 'jpeg2000' | 'htj2k' | 'jpeg-baseline';

export interface TransferSyntaxInfo {
  name: string;
  kind: TransferSyntaxKind;
  /** Whether Voxlens decodes its pixel data (the wasm codecs' syntaxes through decodeFrameAsync, or after ensureCodec). */
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
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS Lossless Image Compression', kind: 'jpeg-ls', supported: true },
  '1.2.840.10008.1.2.4.81': { name: 'JPEG-LS Lossy (Near-Lossless) Image Compression', kind: 'jpeg-ls', supported: true },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 Image Compression (Lossless Only)', kind: 'jpeg2000', supported: true },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000 Image Compression', kind: 'jpeg2000', supported: true },
  '1.2.840.10008.1.2.4.201': { name: 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', kind: 'htj2k', supported: true },
  '1.2.840.10008.1.2.4.202': { name: 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)', kind: 'htj2k', supported: true },
  '1.2.840.10008.1.2.4.203': { name: 'High-Throughput JPEG 2000 Image Compression', kind: 'htj2k', supported: true },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG Baseline (Process 1)', kind: 'jpeg-baseline', supported: true },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG Extended (Process 2 & 4)', kind: 'jpeg-baseline', supported: true },
};

/** A UID as read from a file: trailing NUL / space padding removed. */
export const cleanUid = (uid: string): string => uid.replace(/[\0\s]+$/, '').trim();

/** The table's entry for a transfer syntax UID (padding ignored), or undefined. */
export function transferSyntaxInfo(uid: string): TransferSyntaxInfo | undefined {
  const key = cleanUid(uid);
  return Object.prototype.hasOwnProperty.call(TRANSFER_SYNTAXES, key) ? TRANSFER_SYNTAXES[key] : undefined;
}

/** The wasm codec a transfer syntax kind needs, if any. */
export function wasmCodecOf(kind: TransferSyntaxKind): WasmCodecKind | undefined {
  return kind === 'jpeg-ls' || kind === 'jpeg2000' || kind === 'htj2k' || kind === 'jpeg-baseline' ? kind : undefined;
}

/**
 * Decodes one frame of pixel data in the given transfer syntax into its slot (`target`, exactly
 * rows × columns × samples × bytes). `src` is the frame's bytes: native data from the frame's
 * first byte, or the whole encapsulated frame (its fragments joined) for RLE and JPEG.
 * `littleEndian` overrides the byte order of native data (by default the syntax's: big endian
 * only for 1.2.840.10008.1.2.2); codecs ignore it. Unknown and not supported syntaxes are
 * refused with 'unsupported-format'.
 *
 * Synchronous: the syntaxes of the wasm codecs (JPEG-LS, JPEG 2000, HTJ2K, 8-bit JPEG) need their
 * codec loaded first (ensureCodec, or use decodeFrameAsync); without it they fail with 'internal'.
 */
export function decodeFrame(transferSyntax: string, src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, littleEndian?: boolean): Result<void> {
  const photometric = format.photometric.trim().toUpperCase();
  if (photometric === 'PALETTE COLOR') {
    const stored = storedDataType(format);
    if (stored.kind === 'error') return stored;
    // The stored values first (one sample each), then each through the palette into the RGB slot.
    const indices = new Uint8Array((target.length / 3) * (format.bitsAllocated / 8));
    const decoded = decodeStored(transferSyntax, src, indices, { ...format, photometric: 'MONOCHROME2', palette: undefined }, littleEndian);
    if (decoded.kind === 'error') return decoded;
    applyPalette(indices, format, format.palette!, target);
    return ok(undefined);
  }
  const kind = transferSyntaxInfo(transferSyntax)?.kind;
  const native = kind === 'native-le' || kind === 'native-be' || kind === 'deflated';
  if (photometric === 'YBR_FULL_422') {
    if (!native) return fail('unsupported-format', `YBR_FULL_422 in ${transferSyntaxInfo(transferSyntax)?.name ?? cleanUid(transferSyntax)}: only uncompressed YBR_FULL_422 (or JPEG, which its codec converts) is supported`);
    const stored = storedDataType(format);
    if (stored.kind === 'error') return stored;
    return writeYbr422Frame(src, target);
  }
  const decoded = decodeStored(transferSyntax, src, target, format, littleEndian);
  if (decoded.kind === 'ok' && photometric === 'YBR_FULL' && (native || kind === 'rle')) ybrFullToRgbInPlace(target);
  return decoded;
}

/** decodeFrame without the colour conversions: the stored samples into the slot. */
function decodeStored(transferSyntax: string, src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, littleEndian?: boolean): Result<void> {
  const uid = cleanUid(transferSyntax);
  const info = transferSyntaxInfo(uid);
  // Stryker disable next-line ConditionalExpression: every syntax in the table is supported today, so `!info.supported` is false whatever it is mutated to
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
    case 'jpeg-ls':
      return withCodec('jpeg-ls', info, (codec) => decodeJpegLsFrame(src, target, format, codec));
    case 'jpeg2000':
      return withCodec('jpeg2000', info, (codec) => decodeJpeg2000Frame(src, target, format, codec));
    case 'htj2k':
      return withCodec('htj2k', info, (codec) => decodeHtj2kFrame(src, target, format, codec));
    case 'jpeg-baseline': {
      const header = readJpegFrameHeader(src);
      if (header.kind === 'ok' && needsExtendedDecoder(header.value)) return decodeJpegExtendedFrame(src, target, format, header.value);
      return withCodec('jpeg-baseline', info, (codec) => decodeJpegBaselineFrame(src, target, format, codec));
    }
    // Stryker disable all: unreachable, the cases above cover every kind (the `never` makes the type checker say so)
    default: {
      const never: never = info.kind;
      return fail('unsupported-format', `unsupported transfer syntax ${uid} (${String(never)})`);
    }
    // Stryker restore all
  }
}

function withCodec<K extends WasmCodecKind>(kind: K, info: TransferSyntaxInfo, decode: (codec: WasmCodec<K>) => Result<void>): Result<void> {
  const codec = loadedCodec(kind);
  if (codec === undefined) return fail('internal', `INTERNAL ERROR: the codec for ${info.name} is not loaded (await ensureCodec('${kind}'), or use decodeFrameAsync)`);
  return decode(codec);
}

/**
 * decodeFrame, after loading the codec the syntax needs (once; see codecs.ts). A codec that cannot
 * be loaded is an 'internal' error. Native, RLE and JPEG Lossless frames decode as by decodeFrame.
 */
export async function decodeFrameAsync(transferSyntax: string, src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, littleEndian?: boolean): Promise<Result<void>> {
  const info = transferSyntaxInfo(transferSyntax);
  // 12-bit JPEG goes to its own (JavaScript) decoder: the 8-bit wasm codec is not loaded for it.
  const header = info?.kind === 'jpeg-baseline' ? readJpegFrameHeader(src) : undefined;
  const extended = header?.kind === 'ok' && needsExtendedDecoder(header.value);
  const codec = info?.supported && !extended ? wasmCodecOf(info.kind) : undefined;
  if (codec !== undefined) {
    const loaded = await ensureCodec(codec);
    if (loaded.kind === 'error') return fail(loaded.code, `${info?.name ?? cleanUid(transferSyntax)}: ${loaded.message}`);
  }
  return decodeFrame(transferSyntax, src, target, format, littleEndian);
}

/**
 * The pixel format a frame has once decoded. JPEG baseline and JPEG 2000 / HTJ2K codecs hand back
 * RGB, interleaved, for the YBR colour spaces those streams are labelled with (the colour transform
 * is part of the codec). An unknown transfer syntax ('', from DICOMweb metadata) with YBR pixels is
 * taken as such a stream: uncompressed YBR is refused anyway, and the worker checks each instance.
 */
export function decodedPixelFormat(transferSyntax: string, pixel: DicomPixelFormat): DicomPixelFormat {
  const kind = transferSyntax === '' ? 'unknown' : transferSyntaxInfo(transferSyntax.replace(/\0/g, '').trim())?.kind;
  const codecRgb = (kind === 'jpeg-baseline' || kind === 'jpeg2000' || kind === 'htj2k' || kind === 'unknown') && /^YBR/i.test(pixel.photometric) && pixel.samplesPerPixel === 3;
  return codecRgb ? { ...pixel, photometric: 'RGB', planarConfiguration: 0 } : pixel;
}
