// Which voxel type a DICOM image's pixels are held in, from its Image Pixel attributes, or a typed
// refusal naming the attribute values Voxlens cannot hold exactly.
//
// Colour (see colour.ts): RGB, YBR_FULL and YBR_FULL_422 with 8-bit samples, and PALETTE COLOR
// with its tables, all held as rgb24.
// Accepted:
//   SamplesPerPixel 1, MONOCHROME1 or MONOCHROME2 (an absent PhotometricInterpretation reads as
//   MONOCHROME2), BitsAllocated 8 / 16 / 32, PixelRepresentation 0 → uint8 / uint16 / uint32,
//   PixelRepresentation 1 → int8 / int16 / int32;
//   SamplesPerPixel 3, BitsAllocated 16, PhotometricInterpretation RGB → rgb48;
//   SamplesPerPixel 3, BitsAllocated 8, PhotometricInterpretation RGB → rgb24 (PixelRepresentation
//   is not looked at: colour samples are bytes).
// Refused with 'unsupported-format': bit-packed pixels (BitsAllocated 1), packed 12-bit pixels
//   (BitsAllocated 12) and any other BitsAllocated, Float / Double Float Pixel Data, PALETTE COLOR,
//   every YBR_* (none of the codecs here converts colour), other sample counts.
// Refused with 'bad-header': BitsStored outside 1..BitsAllocated, HighBit outside
//   BitsStored−1..BitsAllocated−1, PixelRepresentation or PlanarConfiguration not 0 or 1.
//
// MONOCHROME1 (0 is white) is held as is, values untouched: `monochrome1` tells the caller to
// invert the display's default window (grey map), not the data.
import type { DataType } from '../../../volume/dataTypes';
import { fail, ok, type Result } from '../../errors';
import type { DicomPixelFormat } from '../types';

export interface StoredType {
  dataType: DataType;
  /** PhotometricInterpretation MONOCHROME1: the caller shows the data with an inverted grey map. */
  monochrome1: boolean;
}

/** The tags pixel data can come in (7FE0,0010 Pixel Data, 7FE0,0008 Float, 7FE0,0009 Double Float), dicom-parser style. */
export type PixelDataTag = 'x7fe00010' | 'x7fe00008' | 'x7fe00009';

const refuse = (what: string) => fail('unsupported-format', `unsupported DICOM pixel data: ${what}`);
const badHeader = (what: string) => fail('bad-header', `inconsistent DICOM pixel attributes: ${what}`);

/**
 * The voxel type for a DICOM image's stored pixels. `pixelDataTag` is the element the pixels were
 * found in; the float ones are refused (they are not in DicomPixelFormat, so the caller says).
 */
// Stryker disable next-line StringLiteral: the default is compared only with the two float tags, so any other string behaves the same
export function storedDataType(format: DicomPixelFormat, pixelDataTag: PixelDataTag = 'x7fe00010'): Result<StoredType> {
  if (pixelDataTag === 'x7fe00008') return refuse('Float Pixel Data (7FE0,0008): 32-bit float pixels are not supported');
  if (pixelDataTag === 'x7fe00009') return refuse('Double Float Pixel Data (7FE0,0009): 64-bit float pixels are not supported');

  const { bitsAllocated, bitsStored, highBit, pixelRepresentation, samplesPerPixel, planarConfiguration } = format;
  const photometric = (format.photometric ?? '').trim().toUpperCase() || 'MONOCHROME2';

  if (photometric === 'PALETTE COLOR') {
    if (samplesPerPixel !== 1 || (bitsAllocated !== 8 && bitsAllocated !== 16)) return refuse(`PALETTE COLOR with SamplesPerPixel ${samplesPerPixel} and BitsAllocated ${bitsAllocated} (a palette maps one 8- or 16-bit sample)`);
    if (!format.palette) return refuse('PALETTE COLOR without its lookup tables (Red/Green/Blue Palette Color Lookup Table Descriptor and Data, 0028,1101–1103 and 0028,1201–1203, whole and of one length; segmented palettes are not supported)');
    return ok({ dataType: 'rgb24', monochrome1: false });
  }
  if (photometric.startsWith('YBR') && photometric !== 'YBR_FULL' && photometric !== 'YBR_FULL_422') {
    return refuse(`PhotometricInterpretation ${photometric} with SamplesPerPixel ${samplesPerPixel} (YBR_FULL and YBR_FULL_422 are converted to RGB; ${photometric} only comes from the JPEG family's codecs, which convert it themselves)`);
  }
  if (bitsAllocated === 1) return refuse('BitsAllocated 1 (bit-packed pixels)');
  if (bitsAllocated === 12) return refuse('BitsAllocated 12 (packed 12-bit pixels)');
  if (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32) return refuse(`BitsAllocated ${bitsAllocated} (only 8, 16 and 32 are supported)`);

  if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > bitsAllocated) {
    return badHeader(`BitsStored ${bitsStored} with BitsAllocated ${bitsAllocated} (BitsStored must be 1..${bitsAllocated})`);
  }
  if (!Number.isInteger(highBit) || highBit < bitsStored - 1 || highBit > bitsAllocated - 1) {
    return badHeader(`HighBit ${highBit} with BitsStored ${bitsStored} and BitsAllocated ${bitsAllocated} (HighBit must be ${bitsStored - 1}..${bitsAllocated - 1})`);
  }
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1) return badHeader(`PixelRepresentation ${String(pixelRepresentation)} (must be 0 or 1)`);

  if (samplesPerPixel === 1) {
    if (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') {
      return refuse(`PhotometricInterpretation ${photometric} with SamplesPerPixel 1 (only MONOCHROME1 and MONOCHROME2 are supported)`);
    }
    const signed = pixelRepresentation === 1;
    const dataType: DataType =
      bitsAllocated === 8 ? (signed ? 'int8' : 'uint8') : bitsAllocated === 16 ? (signed ? 'int16' : 'uint16') : signed ? 'int32' : 'uint32';
    return ok({ dataType, monochrome1: photometric === 'MONOCHROME1' });
  }
  if (samplesPerPixel === 3) {
    if (photometric !== 'RGB' && photometric !== 'YBR_FULL' && photometric !== 'YBR_FULL_422') return refuse(`PhotometricInterpretation ${photometric} with SamplesPerPixel 3 (RGB, YBR_FULL and YBR_FULL_422 are supported)`);
    // 16-bit components are held exactly (rgb48) for RGB; the YBR conversions work on bytes.
    if (bitsAllocated === 16 && photometric === 'RGB') {
      if (planarConfiguration !== 0 && planarConfiguration !== 1) return badHeader(`PlanarConfiguration ${String(planarConfiguration)} (must be 0 or 1)`);
      return ok({ dataType: 'rgb48', monochrome1: false });
    }
    if (bitsAllocated !== 8) {
      return refuse(
        `${photometric} with BitsAllocated ${bitsAllocated}: ${photometric === 'RGB' ? 'RGB is held with 8- or 16-bit components' : `${photometric} is converted to RGB from 8-bit components`}, so ${bitsAllocated}-bit components cannot be shown exactly`,
      );
    }
    if (planarConfiguration !== 0 && planarConfiguration !== 1) return badHeader(`PlanarConfiguration ${String(planarConfiguration)} (must be 0 or 1)`);
    return ok({ dataType: 'rgb24', monochrome1: false });
  }
  return refuse(`SamplesPerPixel ${samplesPerPixel} with PhotometricInterpretation ${photometric} (only 1 sample, or 3 for RGB, are supported)`);
}
