// What every frame decoder shares: the frame's layout checked against its slot, and the
// BitsStored / HighBit normalisation done in place on the slot once the frame is in it.
//
// BitsStored handling (applyBitsStored). A stored value occupies bits HighBit−BitsStored+1 ..
// HighBit of its BitsAllocated-bit word; the other bits may hold overlays or garbage.
//   - The value is shifted down by HighBit−(BitsStored−1) so that it starts at bit 0 (a no-op in
//     the usual case HighBit = BitsStored−1). With HighBit above that, the held value is what the
//     stored bits mean; rescale slope/intercept then apply to it as DICOM defines.
//   - Unsigned (PixelRepresentation 0): the bits above BitsStored are cleared (masked).
//   - Signed (PixelRepresentation 1): bit BitsStored−1 is the sign bit; it is copied into every bit
//     above it (sign extension), so 12 bits stored 0x0FFF reads as −1 in an int16.
//   - BitsStored = BitsAllocated (and HighBit = BitsAllocated−1): nothing to do, nothing is touched.
// RGB samples are unsigned bytes: each is masked the same way. Codecs whose output is right aligned whatever
// HighBit says (JPEG) pass rightAligned, which skips the shift and keeps the mask / extension.
//
// Everything is written in the host's byte order (the volume's typed views read it so).
import { fail, ok, type Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { storedDataType, type StoredType } from './storedDataType';

export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface FrameLayout extends StoredType {
  /** Bytes of one sample value: 1, 2 or 4. */
  bytesPerValue: number;
  samples: number;
  /** rows × columns of the frame, from the slot's size. */
  pixels: number;
}

/**
 * Checks the format (see storedDataType) and sizes the frame from its slot. A slot whose length is
 * not a whole number of pixels is a programmer error and throws.
 */
export function frameLayout(format: DicomPixelFormat, target: Uint8Array): Result<FrameLayout> {
  const stored = storedDataType(format);
  if (stored.kind === 'error') return stored;
  const bytesPerValue = format.bitsAllocated / 8;
  const samples = format.samplesPerPixel;
  const bytesPerPixel = bytesPerValue * samples;
  if (target.length % bytesPerPixel !== 0) {
    throw new RangeError(`frame slot of ${target.length} bytes is not a whole number of ${bytesPerPixel}-byte pixels`);
  }
  return ok({ ...stored.value, bytesPerValue, samples, pixels: target.length / bytesPerPixel });
}

/** A source shorter than the frame, refused with both sizes. */
export const truncatedFrame = (what: string, have: number, need: number) =>
  fail('truncated', `${what} holds ${have} bytes, the frame needs ${need} (${need - have} missing)`);

/**
 * Normalises the stored values of a frame in place (see the header): shift down to bit 0, then
 * mask (unsigned) or sign-extend (signed) from BitsStored. The format must have passed
 * storedDataType.
 */
export function applyBitsStored(frame: Uint8Array, format: DicomPixelFormat, rightAligned = false): void {
  const bits = format.bitsAllocated;
  const stored = format.bitsStored;
  const shift = rightAligned ? 0 : format.highBit - (stored - 1);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; for full-width values the passes below change nothing (mask 2^bits − 1, sign extension by 0 bits), and BitsStored = BitsAllocated implies HighBit = BitsAllocated − 1 (storedDataType), so shift 0
  if (stored >= bits && shift === 0) return;
  const signed = format.pixelRepresentation === 1 && format.samplesPerPixel === 1;
  const bytes = bits / 8;
  const count = Math.floor(frame.length / bytes);
  const up = 32 - stored;
  const mask = 2 ** stored - 1; // 0xffffffff for 32 bits
  // raw → normalised value as a 32-bit pattern; typed-array stores keep its low `bits` bits.
  const fix = signed ? (raw: number) => ((raw >>> shift) << up) >> up : (raw: number) => (raw >>> shift) & mask;

  if (frame.byteOffset % bytes === 0) {
    const values = bytes === 1 ? frame : bytes === 2 ? new Uint16Array(frame.buffer, frame.byteOffset, count) : new Uint32Array(frame.buffer, frame.byteOffset, count);
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path (see below); without it the fix() loop gives the same values
    if (!signed && shift === 0) {
      // The common case (12 of 16 bits, nothing above them): a read-only pass, then writes only if
      // some value carries bits above BitsStored. Without a closure per value: ~10× faster.
      let i = 0;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: the read-only scan only skips values the mask leaves as they are (reading before or past the ends gives undefined, which stops it); the loop below masks from wherever it stopped
      while (i < count && values[i] <= mask) i++;
      // Stryker disable next-line EqualityOperator: a typed-array write past the end is dropped
      for (; i < count; i++) values[i] &= mask;
      return;
    }
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path for fix() with shift 0; taken or not, the values are the same
    if (signed && shift === 0) {
      // Stryker disable next-line EqualityOperator: a typed-array write past the end is dropped
      for (let i = 0; i < count; i++) values[i] = (values[i] << up) >> up;
      return;
    }
    // Stryker disable next-line EqualityOperator: a typed-array write past the end is dropped
    for (let i = 0; i < count; i++) values[i] = fix(values[i]);
    return;
  }
  // An unaligned slot (not the volume's layout, but allowed): the same through a DataView.
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  for (let i = 0; i < count; i++) {
    const at = i * bytes;
    // setUint16 / setUint32 keep the low 16 / 32 bits of the pattern.
    if (bytes === 2) view.setUint16(at, fix(view.getUint16(at, HOST_LITTLE_ENDIAN)), HOST_LITTLE_ENDIAN);
    else view.setUint32(at, fix(view.getUint32(at, HOST_LITTLE_ENDIAN)), HOST_LITTLE_ENDIAN);
  }
}

/** Bytes of one native (uncompressed) frame: YBR_FULL_422 stores 2 bytes a pixel (Y Y Cb Cr per pair), the rest samples × BitsAllocated / 8. */
export function nativeFrameBytes(format: Pick<DicomPixelFormat, 'bitsAllocated' | 'samplesPerPixel' | 'photometric'>, rows: number, columns: number): number {
  if (format.photometric.trim().toUpperCase() === 'YBR_FULL_422' && format.bitsAllocated === 8) return rows * columns * 2;
  return (rows * columns * format.samplesPerPixel * format.bitsAllocated) / 8;
}
