// Uncompressed (native) pixel data: one frame copied into its slot of the volume buffer, in the
// host's byte order, RGB interleaved, values normalised to BitsStored (see frame.ts).
import { ok, type Result } from '../../errors';
import { swapBytesInPlace } from '../../../volume/dataTypes';
import type { DicomPixelFormat } from '../types';
import { applyBitsStored, frameLayout, HOST_LITTLE_ENDIAN, truncatedFrame } from './frame';

/**
 * Copies one native frame from `src` (the frame's bytes, from its first; anything past the frame
 * is ignored) into `target` (exactly rows × columns × samples × bytes): swapped when the file's
 * byte order (`littleEndian`) is not the host's, planar RGB (PlanarConfiguration 1) interleaved,
 * then BitsStored applied. A short source is a 'truncated' error and leaves the slot untouched.
 */
export function writeNativeFrame(src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, littleEndian: boolean): Result<void> {
  const layout = frameLayout(format, target);
  if (layout.kind === 'error') return layout;
  const { bytesPerValue, samples, pixels } = layout.value;
  if (src.length < target.length) return truncatedFrame('native pixel data', src.length, target.length);

  if (samples === 3 && format.planarConfiguration === 1) {
    // RRR…GGG…BBB… → RGBRGB…, a sample (1 or 2 bytes) at a time; then swapped like the rest.
    const b = bytesPerValue;
    for (let s = 0; s < 3; s++) {
      const plane = src.subarray(s * pixels * b, (s + 1) * pixels * b);
      for (let p = 0, t = s * b; p < pixels; p++, t += 3 * b) for (let k = 0; k < b; k++) target[t + k] = plane[p * b + k];
    }
    if (littleEndian !== HOST_LITTLE_ENDIAN) swapBytesInPlace(target, bytesPerValue);
  } else {
    target.set(src.subarray(0, target.length));
    if (littleEndian !== HOST_LITTLE_ENDIAN) swapBytesInPlace(target, bytesPerValue);
  }
  applyBitsStored(target, format);
  return ok(undefined);
}
