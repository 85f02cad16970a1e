// Real series from ../shared/data: the RLE and JPEG Lossless copies of a series hold the same
// pixels as their uncompressed twins (same file names), so each decoded frame must equal the twin's
// frame byte for byte.
import dicomParser from 'dicom-parser';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA_DIR } from '../../../testing/sharedData';
import type { DicomPixelFormat } from '../types';
import { decodeFrame, decodeFrameAsync } from './transferSyntaxes';

interface Frame {
  transferSyntax: string;
  format: DicomPixelFormat;
  frameBytes: number;
  /** The pixel data: native bytes, or the (single) frame's fragments joined. */
  src: Uint8Array;
}

function readFrame(path: string): Frame {
  const bytes = new Uint8Array(readFileSync(path));
  const ds = dicomParser.parseDicom(bytes);
  const num = (tag: string) => {
    const v = ds.uint16(tag);
    if (v === undefined) throw new Error(`${path}: no ${tag}`);
    return v;
  };
  const format: DicomPixelFormat = {
    bitsAllocated: num('x00280100'),
    bitsStored: num('x00280101'),
    highBit: num('x00280102'),
    pixelRepresentation: num('x00280103') === 1 ? 1 : 0,
    samplesPerPixel: num('x00280002'),
    planarConfiguration: ds.uint16('x00280006') === 1 ? 1 : 0,
    photometric: ds.string('x00280004') ?? '',
  };
  const frameBytes = num('x00280010') * num('x00280011') * format.samplesPerPixel * (format.bitsAllocated / 8);
  const element = ds.elements.x7fe00010;
  const src = element.encapsulatedPixelData
    ? new Uint8Array(dicomParser.readEncapsulatedPixelDataFromFragments(ds, element, 0, element.fragments?.length ?? 0))
    : bytes.subarray(element.dataOffset, element.dataOffset + element.length);
  return { transferSyntax: ds.string('x00020010') ?? '', format, frameBytes, src };
}

const series = [
  { compressed: 'ge_epi_axial_i2s_rle', plain: 'ge_epi_axial_i2s', transferSyntax: '1.2.840.10008.1.2.5' },
  { compressed: 'philips_ct_head_phantom_jpeg_lossless', plain: 'philips_ct_head_phantom', transferSyntax: '1.2.840.10008.1.2.4.70' },
  // Through the wasm codecs (CharLS, OpenJPEG), loaded in Node from their packages.
  { compressed: 'philips_ct_head_phantom_jpegls', plain: 'philips_ct_head_phantom', transferSyntax: '1.2.840.10008.1.2.4.80' },
  { compressed: 'philips_ct_head_phantom_j2k', plain: 'philips_ct_head_phantom', transferSyntax: '1.2.840.10008.1.2.4.90' },
];

describe.skipIf(!hasSharedData)('compressed DICOM frames equal their uncompressed twins (shared data)', () => {
  for (const { compressed, plain, transferSyntax } of series) {
    const dir = join(SHARED_DATA_DIR, 'dicom', compressed);
    it.skipIf(!existsSync(dir))(`${compressed}: every file decodes to its ${plain} twin`, async () => {
      const names = readdirSync(dir).filter((n) => n.endsWith('.dcm')).sort();
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const packed = readFrame(join(dir, name));
        const twin = readFrame(join(SHARED_DATA_DIR, 'dicom', plain, name));
        expect(packed.transferSyntax).toBe(transferSyntax);
        expect(packed.format).toEqual(twin.format);
        expect(packed.frameBytes).toBe(twin.frameBytes);

        // Into slots of one shared buffer, as the worker does; slot 1, with slots 0 and 2 around it.
        const memory = new Uint8Array(new SharedArrayBuffer(3 * packed.frameBytes));
        const decoded = memory.subarray(packed.frameBytes, 2 * packed.frameBytes);
        const r = await decodeFrameAsync(packed.transferSyntax, packed.src, decoded, packed.format);
        expect(r, `${compressed}/${name}`).toEqual({ kind: 'ok', value: undefined });
        const expected = new Uint8Array(twin.frameBytes);
        expect(decodeFrame(twin.transferSyntax, twin.src, expected, twin.format).kind).toBe('ok');
        expect(Buffer.from(decoded).equals(Buffer.from(expected)), `${compressed}/${name}`).toBe(true);
        // These series keep their values inside BitsStored: the twin's raw bytes are the frame too.
        expect(Buffer.from(decoded).equals(Buffer.from(twin.src.subarray(0, twin.frameBytes))), `${name} raw`).toBe(true);
        expect(memory.subarray(0, packed.frameBytes).every((b) => b === 0) && memory.subarray(2 * packed.frameBytes).every((b) => b === 0)).toBe(true);
      }
    });
  }
});
