// Colour pixel data that reaches the volume as interleaved 8-bit RGB (rgb24):
//   YBR_FULL (native or RLE): converted in the slot after decoding (PS3.3 C.7.6.3.1.2, the JPEG
//     File Interchange Format equations), rounded and clamped to bytes;
//   YBR_FULL_422 (native): each pair of pixels stored as Y Y Cb Cr (PS3.5 8.2.1: the pair shares
//     its chroma), expanded to two RGB pixels;
//   PALETTE COLOR: each stored value looked up in the file's red, green and blue tables
//     (PS3.3 C.7.6.3.1.5), entries of 16 bits reduced to their high byte (8-bit entries as they are).
// The JPEG-family codecs convert their own YBR (see transferSyntaxes.ts decodedPixelFormat).
import { fail, ok, type Result } from '../../errors';
import type { DicomPalette, DicomPixelFormat } from '../types';
import { HOST_LITTLE_ENDIAN, truncatedFrame } from './frame';

const byte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** One YBR_FULL pixel → RGB bytes. */
export function ybrFullToRgb(y: number, cb: number, cr: number): [number, number, number] {
  return [byte(y + 1.402 * (cr - 128)), byte(y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)), byte(y + 1.772 * (cb - 128))];
}

/** Converts interleaved YBR_FULL bytes (Y Cb Cr per pixel) to RGB in place. */
export function ybrFullToRgbInPlace(pixels: Uint8Array): void {
  for (let p = 0; p + 2 < pixels.length; p += 3) {
    const [r, g, b] = ybrFullToRgb(pixels[p], pixels[p + 1], pixels[p + 2]);
    pixels[p] = r;
    pixels[p + 1] = g;
    pixels[p + 2] = b;
  }
}

/** Native YBR_FULL_422 (Y0 Y1 Cb Cr per pair of pixels) → interleaved RGB in `target` (pixels × 3 bytes). */
export function writeYbr422Frame(src: Uint8Array, target: Uint8Array): Result<void> {
  const pixels = target.length / 3;
  if (pixels % 2 !== 0) return fail('bad-header', `YBR_FULL_422 needs an even number of pixels per frame (Columns even), not ${pixels}`);
  const need = pixels * 2;
  if (src.length < need) return truncatedFrame('YBR_FULL_422 pixel data (2 bytes a pixel)', src.length, need);
  for (let p = 0, s = 0, t = 0; p < pixels; p += 2, s += 4) {
    const cb = src[s + 2], cr = src[s + 3];
    for (const y of [src[s], src[s + 1]]) {
      const [r, g, b] = ybrFullToRgb(y, cb, cr);
      target[t++] = r;
      target[t++] = g;
      target[t++] = b;
    }
  }
  return ok(undefined);
}

/** A frame's values (decoded, BitsStored applied: 1 or 2 bytes each, host order) through the palette into RGB `target`. */
export function applyPalette(values: Uint8Array, format: DicomPixelFormat, palette: DicomPalette, target: Uint8Array): void {
  const bytes = format.bitsAllocated / 8;
  const count = target.length / 3;
  const view = bytes === 2 ? new DataView(values.buffer, values.byteOffset, values.byteLength) : null;
  const signed = format.pixelRepresentation === 1;
  const last = palette.red.length - 1;
  for (let p = 0; p < count; p++) {
    let v = view ? (signed ? view.getInt16(p * 2, HOST_LITTLE_ENDIAN) : view.getUint16(p * 2, HOST_LITTLE_ENDIAN)) : signed ? (values[p] << 24) >> 24 : values[p];
    // Values below the first mapped one take the first entry, above the last the last (PS3.3 C.7.6.3.1.5).
    v -= palette.first;
    const k = v < 0 ? 0 : v > last ? last : v;
    target[p * 3] = palette.red[k];
    target[p * 3 + 1] = palette.green[k];
    target[p * 3 + 2] = palette.blue[k];
  }
}
