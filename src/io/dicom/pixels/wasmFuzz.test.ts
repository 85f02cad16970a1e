// No codec exception escapes: seeded mutations of valid streams, decoded through decodeFrameAsync,
// end in ok or a typed error, the slot untouched on error. Apart from wasmCodecs.test.ts (exact
// values, typed refusals) because it is the slowest test of the folder: the mutation-testing runs
// (MUTATE_TESTS) may leave it out.
import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { encodeHtj2k, encodeJ2k, encodeJpeg8, encodeJpegLs, samples, words } from './testCodecEncoders';
import { decodeFrameAsync } from './transferSyntaxes';

const UID = { jpegLs: '1.2.840.10008.1.2.4.80', j2k: '1.2.840.10008.1.2.4.90', htj2k: '1.2.840.10008.1.2.4.201', baseline: '1.2.840.10008.1.2.4.50' };
const u12: DicomPixelFormat = { bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2' };
const u8: DicomPixelFormat = { ...u12, bitsAllocated: 8, bitsStored: 8, highBit: 7 };
const COLUMNS = 37;
const ROWS = 29;
const PIXELS = COLUMNS * ROWS;

describe('no codec exception escapes (seeded mutations of valid streams)', () => {
  const cases: [string, string, () => Promise<Uint8Array>, DicomPixelFormat][] = [
    ['JPEG-LS', UID.jpegLs, () => encodeJpegLs({ bytes: words(samples(PIXELS, 0, 4095, 30)), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 }), u12],
    ['JPEG 2000', UID.j2k, () => encodeJ2k({ bytes: words(samples(PIXELS, 0, 4095, 31)), columns: COLUMNS, rows: ROWS, bitsPerSample: 12 }), u12],
    ['HTJ2K', UID.htj2k, () => encodeHtj2k({ bytes: words(samples(PIXELS, 0, 4095, 32)), columns: COLUMNS, rows: ROWS, bitsPerSample: 16 }), u12],
    ['JPEG', UID.baseline, () => encodeJpeg8({ bytes: Uint8Array.from({ length: PIXELS }, (_, i) => (i % COLUMNS) * 6 + Math.floor(i / COLUMNS)), columns: COLUMNS, rows: ROWS, bitsPerSample: 8 }, { quality: 80 }), u8],
  ];
  for (const [name, uid, make, f] of cases) {
    it(`${name}: 60 mutations end in ok or a typed error, the slot untouched on error`, async () => {
      const src = await make();
      let seed = 12345;
      const random = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * n);
      for (let i = 0; i < 60; i++) {
        const m = src.slice();
        if (i % 3 === 0) for (let k = 0; k <= random(8); k++) m[random(m.length - 2)] = random(256);
        else if (i % 3 === 1) m.set([0xff, random(256)], 20 + random(m.length - 40));
        else m.fill(random(256), random(m.length - 2), Math.min(m.length - 2, random(m.length) + 64));
        const bytes = PIXELS * (f.bitsAllocated / 8);
        const slot = new Uint8Array(bytes).fill(0xa5);
        const r = await decodeFrameAsync(uid, m, slot, f);
        if (r.kind === 'error') {
          expect(['bad-header', 'truncated', 'unsupported-format'], r.message).toContain(r.code);
          expect(slot.every((b) => b === 0xa5), `${name} mutation ${i}: slot untouched`).toBe(true);
        }
      }
      expect(await decodeFrameAsync(uid, src, new Uint8Array(PIXELS * (f.bitsAllocated / 8)), f)).toEqual({ kind: 'ok', value: undefined });
    });
  }
});

