// JPEG Lossless on seeded mutations of a valid stream: a Result always, never an exception. Apart
// from jpegLossless.test.ts because it decodes 300 streams: the mutation-testing runs
// (MUTATE_TESTS) may leave it out.
import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { decodeJpegLosslessFrame } from './jpegLossless';
import { encodeJpegLossless } from './testEncoders';

const grey = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const pattern = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

describe('decodeJpegLosslessFrame on mutated streams', () => {
  it('never throws on mutated streams', () => {
    const values = pattern(8 * 8, (i) => (i * 331) % 4096);
    const good = encodeJpegLossless(values, 8, 8, 12);
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1664525 + 1013904223) >>> 0) >>> 8) % n;
    for (let round = 0; round < 300; round++) {
      const src = good.slice();
      for (let k = random(3) + 1; k > 0; k--) src[random(src.length)] = random(256);
      const r = decodeJpegLosslessFrame(src, new Uint8Array(128), grey({ bitsStored: 12, highBit: 11 }));
      if (r.kind === 'error') expect(['bad-header', 'truncated', 'unsupported-format']).toContain(r.code);
    }
  });
});
