// JPEG Lossless, non-hierarchical, process 14 (transfer syntaxes 1.2.840.10008.1.2.4.57 and .70),
// through the npm package jpeg-lossless-decoder-js.
//
// The decoder allocates its own output array (Uint8Array, or Uint16Array for 9..16-bit samples)
// sized from the stream's frame header; it cannot decode into a given buffer. That output is
// copied once into the frame's slot ("a codec's own output is copied once into its slot") and then
// dropped. Before decoding, the frame header (SOF) is read here and checked against the format and
// the slot, so a lying header cannot make the decoder allocate or produce a frame of another size.
//
// The decoder drops the last pixel when that pixel's code ends exactly at the last bit before the
// EOI marker (no padding bits): it takes the marker, seen in its 8-bit look-ahead, as reached one
// bit early (getHuffmanValue's `index < markerIndex`; getn has a last-pixel exception, it does
// not). So the decoder is given a copy of the compressed stream with one zero byte between the
// scan data and EOI (fill bytes before EOI dropped): look-ahead bits only, never decoded as a
// pixel. That copy is of the compressed bytes (a fraction of the frame); after decoding, a frame
// not wholly output, or a stream read past its end, is 'truncated'. (A stream cut inside its last
// pixel's code is not caught: the decoder takes what bits there are for that pixel, as it did
// before the padding.)
//
// JPEG values are right aligned whatever HighBit says, so BitsStored is applied without the
// HighBit shift (mask or sign-extend only; see frame.ts). Signed images are coded as their
// two's-complement bit patterns: sign extension from BitsStored turns them back into values.
import { Decoder } from 'jpeg-lossless-decoder-js';
import { fail, ok, type Result } from '../../errors';
import { swapBytesInPlace } from '../../../volume/dataTypes';
import type { DicomPixelFormat } from '../types';
import { applyBitsStored, frameLayout, HOST_LITTLE_ENDIAN } from './frame';

export interface JpegFrameHeader {
  /** The SOF marker's low byte: 0xC3 for lossless Huffman (process 14). */
  sof: number;
  precision: number;
  rows: number;
  columns: number;
  components: number;
}

const truncated = (need: number, have: number) => fail('truncated', `JPEG stream of ${have} bytes ends inside its headers (needs at least ${need})`);

/**
 * Reads the frame header (SOF; for JPEG-LS SOF55, FF F7) of a JPEG stream, walking its marker
 * segments up to the start of the scan (SOS) and checking that each lies wholly inside the stream.
 */
export function readJpegFrameHeader(src: Uint8Array): Result<JpegFrameHeader> {
  if (src[0] !== 0xff || src[1] !== 0xd8) return fail('bad-header', 'JPEG frame does not start with a JPEG SOI marker (FF D8)');
  let frame: JpegFrameHeader | undefined;
  let i = 2;
  for (;;) {
    if (i + 2 > src.length) return truncated(i + 2, src.length);
    if (src[i] !== 0xff) return fail('bad-header', `JPEG stream has byte 0x${src[i].toString(16)} at ${i} where a marker should start`);
    const marker = src[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    i += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue; // TEM, RSTn, SOI: no length
    if (marker === 0xd9) return fail('bad-header', 'JPEG stream ends (EOI) before its scan');
    if (i + 2 > src.length) return truncated(i + 2, src.length);
    const length = (src[i] << 8) | src[i + 1];
    if (length < 2) return fail('bad-header', `JPEG marker segment FF ${hex(marker)} at ${i - 2} has length ${length}`);
    if (i + length > src.length) return truncated(i + length, src.length);
    const isSof = (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xf7;
    if (isSof && frame === undefined) {
      if (length < 8) return fail('bad-header', `JPEG frame header (FF ${hex(marker)}) is ${length} bytes long, too short`);
      frame = { sof: marker, precision: src[i + 2], rows: (src[i + 3] << 8) | src[i + 4], columns: (src[i + 5] << 8) | src[i + 6], components: src[i + 7] };
    }
    if (marker === 0xda) return frame === undefined ? fail('bad-header', 'JPEG stream reaches its scan (SOS) before any frame header (SOF)') : ok(frame);
    i += length;
  }
}

const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0');

/** Decodes one JPEG Lossless (process 14) frame into `target`, then applies BitsStored. */
export function decodeJpegLosslessFrame(src: Uint8Array, target: Uint8Array, format: DicomPixelFormat): Result<void> {
  const layout = frameLayout(format, target);
  if (layout.kind === 'error') return layout;
  const { bytesPerValue, samples, pixels } = layout.value;
  if (bytesPerValue > 2) return fail('unsupported-format', `JPEG Lossless with BitsAllocated ${format.bitsAllocated} is not supported (at most 16)`);

  const header = readJpegFrameHeader(src);
  if (header.kind === 'error') return header;
  const { sof, precision, rows, columns, components } = header.value;
  if (sof !== 0xc3) return fail('unsupported-format', `JPEG frame type SOF${sof - 0xc0} (FF ${hex(sof)}) is not lossless process 14 (SOF3, FF C3)`);
  if (components !== samples) return fail('bad-header', `JPEG frame has ${components} components, SamplesPerPixel is ${samples}`);
  if (rows * columns !== pixels) {
    return fail('bad-header', `JPEG frame is ${columns}×${rows} (${rows * columns} pixels), the DICOM frame has ${pixels} pixels`);
  }
  if (precision < 2 || precision > format.bitsAllocated) {
    return fail('bad-header', `JPEG sample precision ${precision} does not fit BitsAllocated ${format.bitsAllocated}`);
  }

  const padded = withLookAheadPadding(src);
  let output: Uint8Array | Uint16Array | null;
  const decoder = new Decoder();
  try {
    output = decoder.decode(padded.buffer, 0, padded.length, bytesPerValue);
  } catch (e) {
    return fail('bad-header', `JPEG Lossless stream could not be decoded: ${e instanceof Error ? e.message : String(e)}`);
  }
  const stream = decoder.stream;
  if ((stream !== null && stream.index > stream.buffer.length) || decoder.yLoc < decoder.yDim) {
    const done = decoder.yLoc < decoder.yDim ? ` (${decoder.yLoc * decoder.xDim + decoder.xLoc} were)` : '';
    return fail('truncated', `JPEG Lossless stream of ${src.length} bytes ends before the frame's ${pixels} pixels are decoded${done}`);
  }
  if (output === null || output.byteLength !== target.length) {
    return fail('bad-header', `JPEG Lossless decoder gave ${output?.byteLength ?? 0} bytes, the frame needs ${target.length}`);
  }
  // The one copy: the decoder's own array into the slot.
  target.set(new Uint8Array(output.buffer, output.byteOffset, output.byteLength));
  // Stryker disable next-line ConditionalExpression: equivalent on the little-endian hosts the tests run on (frame.test.ts checks it), where this never swaps
  if (!HOST_LITTLE_ENDIAN) swapBytesInPlace(target, bytesPerValue); // its 16-bit output is little endian
  applyBitsStored(target, format, true);
  return ok(undefined);
}

/**
 * A copy of the stream with one zero byte before its EOI marker (see the header). The EOI may be
 * followed by zero padding and preceded by FF fill bytes; a stream without one gets one.
 */
export function withLookAheadPadding(src: Uint8Array): Uint8Array {
  // Reads before the start give undefined: never FF D9, never zero, so both loops stop at the start.
  let scanEnd = src.length;
  for (let end = src.length; end >= src.length - 8; end--) {
    if (src[end - 2] === 0xff && src[end - 1] === 0xd9) {
      scanEnd = end - 2;
      break;
    }
    if (src[end - 1] !== 0x00) break;
  }
  while (src[scanEnd - 1] === 0xff) scanEnd--;
  const out = new Uint8Array(scanEnd + 3);
  out.set(src.subarray(0, scanEnd));
  out[scanEnd + 1] = 0xff;
  out[scanEnd + 2] = 0xd9;
  return out;
}
