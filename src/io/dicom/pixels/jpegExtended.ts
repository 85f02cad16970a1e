// 12-bit JPEG, processes 2 and 4 ("extended", 1.2.840.10008.1.2.4.51, common in older CT and MR
// archives): decoded with the decoder Cornerstone3D's dicom-image-loader ships for it (vendored:
// vendor/jpeg12.js, pdf.js's baseline decoder with 12-bit support), since the libjpeg-turbo wasm
// build here is 8-bit only. Grey images only (SOF1 colour at 12 bits does not occur in DICOM
// practice); one copy into the frame's slot, then BitsStored applied (12-bit signed pixels are
// stored as their two's complement bits and sign-extended there).
import { fail, ok, type Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { applyBitsStored, frameLayout } from './frame';
import type { JpegFrameHeader } from './jpegLossless';
import JpegImage from './vendor/jpeg12';

/** Whether an 8-bit codec cannot take this stream: sample precision above 8 (12-bit extended). */
export const needsExtendedDecoder = (header: JpegFrameHeader) => header.precision > 8;

/** Decodes one 12-bit (or 8-bit) baseline / extended JPEG frame of one component into `target`. */
export function decodeJpegExtendedFrame(src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, header: JpegFrameHeader): Result<void> {
  const layout = frameLayout(format, target);
  if (layout.kind === 'error') return layout;
  const { bytesPerValue, samples, pixels } = layout.value;
  if (header.components !== 1 || samples !== 1) return fail('unsupported-format', `${header.precision}-bit JPEG with ${header.components} components: only grey (one component) is supported at more than 8 bits`);
  if (bytesPerValue !== 2) return fail('bad-header', `${header.precision}-bit JPEG samples need BitsAllocated 16, not ${format.bitsAllocated}`);
  if (header.rows * header.columns !== pixels) return fail('bad-header', `the JPEG frame is ${header.columns}×${header.rows}, the image's frame holds ${pixels} pixels`);
  let samplesOut: Uint16Array;
  try {
    const jpeg = new JpegImage();
    jpeg.parse(src);
    samplesOut = jpeg.getData16(header.columns, header.rows);
  } catch (e) {
    return fail('bad-header', `the ${header.precision}-bit JPEG stream cannot be decoded: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (target.byteOffset % 2 === 0) new Uint16Array(target.buffer, target.byteOffset, pixels).set(samplesOut.subarray(0, pixels));
  else new Uint8Array(target.buffer, target.byteOffset, pixels * 2).set(new Uint8Array(samplesOut.buffer, samplesOut.byteOffset, pixels * 2));
  applyBitsStored(target, format, true);
  return ok(undefined);
}
