// 12-bit JPEG (extended, process 4) through the vendored decoder, on a stream built here bit by bit:
// 8×8 blocks of one flat value each (a DC coefficient and end of block), so each block decodes to
// a known grey. The refusals made before the decoder is called are in jpegChecks.test.ts.
import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { decodeJpegExtendedFrame } from './jpegExtended';
import { readJpegFrameHeader } from './jpegLossless';
import { decodeFrame } from './transferSyntaxes';
import JpegImage from './vendor/jpeg12';

/**
 * A 12-bit SOF1 stream of `diffs.length` 8×8 blocks side by side (one row), quantiser 1: block k's
 * DC coefficient is diffs[0] + … + diffs[k]; every difference must lie in ±512..1023 (category 10,
 * the one DC code), and no AC coefficient is coded.
 */
function jpeg12(diffs: number[]): Uint8Array {
  const columns = 8 * diffs.length;
  const bits: number[] = [];
  const put = (value: number, count: number) => {
    for (let b = count - 1; b >= 0; b--) bits.push((value >> b) & 1);
  };
  for (const d of diffs) {
    if (Math.abs(d) < 512 || Math.abs(d) > 1023) throw new Error(`difference ${d} is not of category 10`);
    put(0, 1); // the DC code (category 10)
    put(d > 0 ? d : d + 1023, 10);
    put(0, 1); // the AC code: end of block
  }
  while (bits.length % 8 !== 0) bits.push(1);
  const scan: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const byte = bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0);
    scan.push(byte, ...(byte === 0xff ? [0] : []));
  }
  const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const oneCode = (tableClass: number, value: number) => segment(0xc4, [tableClass, 1, ...new Array<number>(15).fill(0), value]);
  return Uint8Array.from([
    0xff, 0xd8,
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xc1, [12, 0, 8, columns >> 8, columns & 0xff, 1, 1, 0x11, 0]),
    ...oneCode(0x00, 10),
    ...oneCode(0x10, 0x00),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff, 0xd9,
  ]);
}

const format = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});

/** Block values: 2048 + DC / 8 (the 12-bit level shift; a flat block's IDCT is DC / 8). */
const src = jpeg12([800, -600, 1000]); // DC 800, 200, 1200
const FLAT = [2148, 2073, 2198];
const expected = Array.from({ length: 8 * 24 }, (_, i) => FLAT[Math.floor((i % 24) / 8)]);
const int16s = (t: Uint8Array) => Array.from(new Int16Array(t.buffer, t.byteOffset, t.length / 2));

describe('12-bit JPEG (vendored decoder)', () => {
  it('the stream built here decodes to its flat blocks (the decoder itself)', () => {
    const reference = new JpegImage();
    reference.parse(src);
    expect(Array.from(reference.getData16(24, 8))).toEqual(expected);
  });

  it('decodes into a 16-bit slot, through decodeFrame under .51 and .50 (12-bit goes to this decoder)', () => {
    const header = readJpegFrameHeader(src);
    expect(header).toEqual({ kind: 'ok', value: { sof: 0xc1, precision: 12, rows: 8, columns: 24, components: 1 } });
    if (header.kind !== 'ok') return;
    const target = new Uint8Array(8 * 24 * 2);
    expect(decodeJpegExtendedFrame(src, target, format(), header.value)).toEqual({ kind: 'ok', value: undefined });
    expect(int16s(target)).toEqual(expected);
    for (const uid of ['1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.50']) {
      const viaSyntax = new Uint8Array(8 * 24 * 2);
      expect(decodeFrame(uid, src, viaSyntax, format())).toEqual({ kind: 'ok', value: undefined });
      expect(int16s(viaSyntax), uid).toEqual(expected);
    }
  });

  it('sign-extends from BitsStored with no HighBit shift (signed values are coded as their bit patterns)', () => {
    const target = new Uint8Array(8 * 24 * 2);
    expect(decodeFrame('1.2.840.10008.1.2.4.51', src, target, format({ pixelRepresentation: 1, highBit: 15 }))).toEqual({ kind: 'ok', value: undefined });
    expect(int16s(target)).toEqual(expected.map((v) => v - 4096));
    const masked = new Uint8Array(8 * 24 * 2);
    decodeFrame('1.2.840.10008.1.2.4.51', src, masked, format({ bitsStored: 11, highBit: 15 }));
    expect(int16s(masked)).toEqual(expected.map((v) => v & 0x7ff));
  });

  it('writes into a slot at an odd byte offset, and nothing beside it', () => {
    const memory = new Uint8Array(8 * 24 * 2 + 2);
    const slot = memory.subarray(1, memory.length - 1);
    expect(decodeFrame('1.2.840.10008.1.2.4.51', src, slot, format())).toEqual({ kind: 'ok', value: undefined });
    const view = new DataView(memory.buffer, 1);
    expect(Array.from({ length: 8 * 24 }, (_, i) => view.getUint16(2 * i, true))).toEqual(expected);
    expect([memory[0], memory[memory.length - 1]]).toEqual([0, 0]);
  });

  it('a stream the decoder cannot read is bad-header with its words (it throws strings and Errors)', () => {
    const header = { sof: 0xc1, precision: 12, rows: 1, columns: 2, components: 1 };
    const target = new Uint8Array(4);
    expect(decodeJpegExtendedFrame(Uint8Array.from([0xff, 0xd8, 0xff, 0x01, 0xff, 0xd9]), target, format(), header)).toEqual({ kind: 'error', code: 'bad-header', message: 'the 12-bit JPEG stream cannot be decoded: unknown JPEG marker ff01' });
    expect(decodeJpegExtendedFrame(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]), target, format(), header)).toEqual({
      kind: 'error',
      code: 'bad-header',
      message: "the 12-bit JPEG stream cannot be decoded: Cannot read properties of undefined (reading 'samplesPerLine')",
    });
    expect(target.every((b) => b === 0)).toBe(true);
  });
});
