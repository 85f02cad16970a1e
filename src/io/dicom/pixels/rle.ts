// DICOM RLE Lossless (PS3.5 Annex G), decoded straight into the frame's slot.
//
// A frame is a 64-byte header (16 little-endian uint32: the segment count, then up to 15 segment
// offsets from the start of the header) followed by the segments. Each segment is one byte plane,
// PackBits coded: a header byte n in 0..127 copies the next n+1 bytes, n in −127..−1 repeats the
// next byte −n+1 times, −128 does nothing. Segments run sample by sample and, within a sample,
// most significant byte first (16-bit grey: high bytes, then low bytes; 8-bit RGB: R, G, B). Each
// plane is scattered into the slot with a stride of one pixel, at its byte's place in the host's
// order, so the slot ends interleaved (PlanarConfiguration does not apply to RLE output).
//
// Nothing is ever written outside the slot: a segment that would decode past its plane is an
// error, one that ends short is 'truncated'. Bytes left in a segment after its plane is full are
// ignored (segments are padded to an even length).
import { fail, ok, type Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { applyBitsStored, frameLayout, HOST_LITTLE_ENDIAN } from './frame';

const HEADER_BYTES = 64;
const MAX_SEGMENTS = 15;

/** Decodes one RLE Lossless frame (`src`: the frame's whole encapsulated data) into `target`, then applies BitsStored. */
export function decodeRleFrame(src: Uint8Array, target: Uint8Array, format: DicomPixelFormat): Result<void> {
  const layout = frameLayout(format, target);
  if (layout.kind === 'error') return layout;
  const { bytesPerValue, samples, pixels } = layout.value;

  if (src.length < HEADER_BYTES) return fail('truncated', `RLE frame holds ${src.length} bytes, less than its ${HEADER_BYTES}-byte header`);
  const header = new DataView(src.buffer, src.byteOffset, HEADER_BYTES);
  const count = header.getUint32(0, true);
  const expected = samples * bytesPerValue;
  if (count > MAX_SEGMENTS) return fail('bad-header', `RLE header lists ${count} segments (at most ${MAX_SEGMENTS})`);
  if (count !== expected) {
    return fail('bad-header', `RLE header lists ${count} segments, the format needs ${expected} (SamplesPerPixel ${samples} × BitsAllocated ${format.bitsAllocated} / 8)`);
  }

  const offsets: number[] = [];
  for (let s = 0; s < count; s++) {
    const offset = header.getUint32(4 + 4 * s, true);
    const previous = s === 0 ? HEADER_BYTES : offsets[s - 1];
    if (offset < previous || (s > 0 && offset === previous)) {
      return fail('bad-offset', `RLE segment ${s} offset ${offset} is out of order (segments start at ${HEADER_BYTES} or later, each after the one before: previous ${previous})`);
    }
    if (offset >= src.length) return fail('truncated', `RLE segment ${s} starts at byte ${offset}, but the frame holds ${src.length} bytes`);
    offsets.push(offset);
  }

  const stride = samples * bytesPerValue;
  for (let s = 0; s < count; s++) {
    const sample = Math.floor(s / bytesPerValue);
    const significance = s % bytesPerValue; // 0: most significant byte
    const byteInValue = HOST_LITTLE_ENDIAN ? bytesPerValue - 1 - significance : significance;
    const end = s + 1 < count ? offsets[s + 1] : src.length;
    const decoded = decodeSegment(src, offsets[s], end, target, sample * bytesPerValue + byteInValue, stride, pixels);
    if (decoded !== pixels) {
      if (decoded < 0) return fail('bad-header', `RLE segment ${s} decodes to more than the frame's ${pixels} pixels (corrupt run or literal length)`);
      return fail('truncated', `RLE segment ${s} (bytes ${offsets[s]}..${end}) decodes to ${decoded} of the frame's ${pixels} pixels`);
    }
  }
  applyBitsStored(target, format);
  return ok(undefined);
}

/**
 * PackBits-decodes src[start..end) into every `stride`-th byte of target from `first`, at most
 * `pixels` bytes. Returns how many were written, or −1 when a run or literal would go past them.
 */
function decodeSegment(src: Uint8Array, start: number, end: number, target: Uint8Array, first: number, stride: number, pixels: number): number {
  let written = 0;
  let at = first;
  let i = start;
  while (i < end && written < pixels) {
    const n = src[i++];
    if (n < 128) {
      // Literal: n + 1 bytes follow.
      const length = n + 1;
      if (written + length > pixels) return -1;
      if (i + length > end) return written; // the segment ends inside the literal: short
      for (let k = 0; k < length; k++, at += stride) target[at] = src[i + k];
      i += length;
      written += length;
    } else if (n > 128) {
      // Run: the next byte 257 − n times (−n + 1 with n as a signed byte).
      const length = 257 - n;
      if (written + length > pixels) return -1;
      if (i >= end) return written;
      const value = src[i++];
      for (let k = 0; k < length; k++, at += stride) target[at] = value;
      written += length;
    }
    // n = 128 (−128): no operation.
  }
  return written;
}
