import { describe, expect, it } from 'vitest';
import type { DicomPixelFormat } from '../types';
import { storedDataType } from './storedDataType';

const grey = (o: Partial<DicomPixelFormat> = {}): DicomPixelFormat => ({
  bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 0, samplesPerPixel: 1, planarConfiguration: 0, photometric: 'MONOCHROME2', ...o,
});
const rgb = (o: Partial<DicomPixelFormat> = {}) => grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7, samplesPerPixel: 3, photometric: 'RGB', ...o });

describe('storedDataType', () => {
  const accepted: [string, DicomPixelFormat, string][] = [
    ['8-bit unsigned', grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7 }), 'uint8'],
    ['8-bit signed', grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7, pixelRepresentation: 1 }), 'int8'],
    ['16-bit unsigned', grey(), 'uint16'],
    ['12 in 16 signed', grey({ bitsStored: 12, highBit: 11, pixelRepresentation: 1 }), 'int16'],
    ['12 in 16 with HighBit 15', grey({ bitsStored: 12, highBit: 15 }), 'uint16'],
    ['32-bit unsigned', grey({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }), 'uint32'],
    ['32-bit signed', grey({ bitsAllocated: 32, bitsStored: 32, highBit: 31, pixelRepresentation: 1 }), 'int32'],
    ['RGB interleaved', rgb(), 'rgb24'],
    ['RGB planar', rgb({ planarConfiguration: 1 }), 'rgb24'],
    ['16-bit RGB', rgb({ bitsAllocated: 16, bitsStored: 16, highBit: 15 }), 'rgb48'],
    ['12-bit RGB in 16', rgb({ bitsAllocated: 16, bitsStored: 12, highBit: 11, planarConfiguration: 1 }), 'rgb48'],
    ['absent photometric', grey({ photometric: '' }), 'uint16'],
    ['padded photometric', grey({ photometric: 'MONOCHROME2 ' }), 'uint16'],
  ];
  for (const [label, format, dataType] of accepted) {
    it(`${label} → ${dataType}`, () => {
      expect(storedDataType(format)).toEqual({ kind: 'ok', value: { dataType, monochrome1: false } });
    });
  }

  it('YBR_FULL, YBR_FULL_422 and PALETTE COLOR (with its tables) are held as rgb24', () => {
    for (const photometric of ['YBR_FULL', 'YBR_FULL_422']) expect(storedDataType(rgb({ photometric }))).toEqual({ kind: 'ok', value: { dataType: 'rgb24', monochrome1: false } });
    const palette = { first: 0, red: new Uint8Array(4), green: new Uint8Array(4), blue: new Uint8Array(4) };
    expect(storedDataType(grey({ photometric: 'PALETTE COLOR', palette }))).toEqual({ kind: 'ok', value: { dataType: 'rgb24', monochrome1: false } });
  });

  it('MONOCHROME1 is held as is and flagged for the caller', () => {
    expect(storedDataType(grey({ photometric: 'MONOCHROME1', pixelRepresentation: 1 }))).toEqual({ kind: 'ok', value: { dataType: 'int16', monochrome1: true } });
  });

  const refused: [string, DicomPixelFormat, string, string][] = [
    ['1-bit', grey({ bitsAllocated: 1, bitsStored: 1, highBit: 0 }), 'unsupported-format', 'BitsAllocated 1'],
    ['packed 12-bit', grey({ bitsAllocated: 12, bitsStored: 12, highBit: 11 }), 'unsupported-format', 'BitsAllocated 12'],
    ['24-bit', grey({ bitsAllocated: 24, bitsStored: 24, highBit: 23 }), 'unsupported-format', 'BitsAllocated 24'],
    ['64-bit', grey({ bitsAllocated: 64, bitsStored: 64, highBit: 63 }), 'unsupported-format', 'BitsAllocated 64'],
    ['PALETTE COLOR without its tables', grey({ bitsAllocated: 8, bitsStored: 8, highBit: 7, photometric: 'PALETTE COLOR' }), 'unsupported-format', 'PALETTE COLOR without its lookup tables'],
    ['YBR_PARTIAL_420 (a codec-only colour space)', rgb({ photometric: 'YBR_PARTIAL_420' }), 'unsupported-format', 'YBR_PARTIAL_420'],
    ['YBR_RCT', rgb({ photometric: 'YBR_RCT' }), 'unsupported-format', 'YBR_RCT'],
    ['16-bit YBR_FULL', rgb({ photometric: 'YBR_FULL', bitsAllocated: 16, bitsStored: 16, highBit: 15 }), 'unsupported-format', 'YBR_FULL with BitsAllocated 16'],
    ['32-bit RGB', rgb({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }), 'unsupported-format', 'RGB with BitsAllocated 32'],
    ['RGB with one sample', grey({ photometric: 'RGB' }), 'unsupported-format', 'RGB with SamplesPerPixel 1'],
    ['MONOCHROME2 with three samples', rgb({ photometric: 'MONOCHROME2' }), 'unsupported-format', 'MONOCHROME2 with SamplesPerPixel 3'],
    ['four samples (ARGB)', grey({ samplesPerPixel: 4, photometric: 'ARGB' }), 'unsupported-format', 'SamplesPerPixel 4'],
    ['BitsStored above BitsAllocated', grey({ bitsStored: 17, highBit: 16 }), 'bad-header', 'BitsStored 17'],
    ['BitsStored 0', grey({ bitsStored: 0, highBit: 0 }), 'bad-header', 'BitsStored 0'],
    ['HighBit below BitsStored − 1', grey({ bitsStored: 12, highBit: 10 }), 'bad-header', 'HighBit 10'],
    ['HighBit past the word', grey({ bitsStored: 12, highBit: 16 }), 'bad-header', 'HighBit 16'],
  ];
  for (const [label, format, code, named] of refused) {
    it(`refuses ${label} (${code}), naming ${named}`, () => {
      const r = storedDataType(format);
      expect(r.kind).toBe('error');
      if (r.kind === 'error') {
        expect(r.code).toBe(code);
        expect(r.message).toContain(named);
      }
    });
  }

  it('refuses float and double float pixel data, naming the element', () => {
    for (const [tag, named] of [['x7fe00008', 'Float Pixel Data (7FE0,0008)'], ['x7fe00009', 'Double Float Pixel Data (7FE0,0009)']] as const) {
      const r = storedDataType(grey({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }), tag);
      expect(r).toMatchObject({ kind: 'error', code: 'unsupported-format' });
      if (r.kind === 'error') expect(r.message).toContain(named);
    }
  });
});

describe('storedDataType: the whole message of each refusal', () => {
  const palette = { first: 0, red: new Uint8Array(4), green: new Uint8Array(4), blue: new Uint8Array(4) };
  const unsupported = (what: string) => ({ kind: 'error', code: 'unsupported-format', message: `unsupported DICOM pixel data: ${what}` });
  const inconsistent = (what: string) => ({ kind: 'error', code: 'bad-header', message: `inconsistent DICOM pixel attributes: ${what}` });
  // A value a file may hold though the type does not allow it (the parser passes the element on).
  const two = 2 as unknown as 0 | 1;
  const cases: [DicomPixelFormat, object][] = [
    [grey({ bitsAllocated: 1, bitsStored: 1, highBit: 0 }), unsupported('BitsAllocated 1 (bit-packed pixels)')],
    [grey({ bitsAllocated: 12, bitsStored: 12, highBit: 11 }), unsupported('BitsAllocated 12 (packed 12-bit pixels)')],
    [grey({ bitsAllocated: 24, bitsStored: 24, highBit: 23 }), unsupported('BitsAllocated 24 (only 8, 16 and 32 are supported)')],
    [
      rgb({ photometric: 'YBR_PARTIAL_420' }),
      unsupported('PhotometricInterpretation YBR_PARTIAL_420 with SamplesPerPixel 3 (YBR_FULL and YBR_FULL_422 are converted to RGB; YBR_PARTIAL_420 only comes from the JPEG family\'s codecs, which convert it themselves)'),
    ],
    [grey({ photometric: 'PALETTE COLOR', palette, samplesPerPixel: 3 }), unsupported('PALETTE COLOR with SamplesPerPixel 3 and BitsAllocated 16 (a palette maps one 8- or 16-bit sample)')],
    [grey({ photometric: 'PALETTE COLOR', palette, bitsAllocated: 32, bitsStored: 32, highBit: 31 }), unsupported('PALETTE COLOR with SamplesPerPixel 1 and BitsAllocated 32 (a palette maps one 8- or 16-bit sample)')],
    [grey({ bitsStored: 17, highBit: 16 }), inconsistent('BitsStored 17 with BitsAllocated 16 (BitsStored must be 1..16)')],
    [grey({ bitsStored: 12, highBit: 10 }), inconsistent('HighBit 10 with BitsStored 12 and BitsAllocated 16 (HighBit must be 11..15)')],
    [grey({ pixelRepresentation: two }), inconsistent('PixelRepresentation 2 (must be 0 or 1)')],
    [rgb({ planarConfiguration: two }), inconsistent('PlanarConfiguration 2 (must be 0 or 1)')],
    [rgb({ bitsAllocated: 16, bitsStored: 16, highBit: 15, planarConfiguration: two }), inconsistent('PlanarConfiguration 2 (must be 0 or 1)')],
    [
      rgb({ bitsAllocated: 32, bitsStored: 32, highBit: 31 }),
      unsupported('RGB with BitsAllocated 32: RGB is held with 8- or 16-bit components, so 32-bit components cannot be shown exactly'),
    ],
    [
      rgb({ photometric: 'YBR_FULL', bitsAllocated: 16, bitsStored: 16, highBit: 15 }),
      unsupported('YBR_FULL with BitsAllocated 16: YBR_FULL is converted to RGB from 8-bit components, so 16-bit components cannot be shown exactly'),
    ],
  ];
  for (const [format, refusal] of cases) {
    it(`${(refusal as { message: string }).message.slice(0, 90)}`, () => expect(storedDataType(format)).toEqual(refusal));
  }

  it('takes BitsStored 1 (a mask in bytes) and a 16-bit palette', () => {
    expect(storedDataType(grey({ bitsAllocated: 8, bitsStored: 1, highBit: 0 }))).toEqual({ kind: 'ok', value: { dataType: 'uint8', monochrome1: false } });
    expect(storedDataType(grey({ photometric: 'PALETTE COLOR', palette }))).toEqual({ kind: 'ok', value: { dataType: 'rgb24', monochrome1: false } });
    expect(storedDataType(grey({ photometric: 'PALETTE COLOR', palette, bitsAllocated: 8, bitsStored: 8, highBit: 7 }))).toEqual({ kind: 'ok', value: { dataType: 'rgb24', monochrome1: false } });
  });
});
