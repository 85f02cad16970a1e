import { describe, expect, it } from 'vitest';
import { infoFromTags } from '../dicom/tags';
import { jsonTags } from './metadata';
import type { DicomJson } from './qido';

// As Orthanc answers /studies/…/series/…/metadata: numbers for US/DS/IS, PN as groups, empty values
// with no Value (or null inside one), and no file meta or bulk data.
const classic: DicomJson = {
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
  '00080018': { vr: 'UI', Value: ['1.2.3.4.5'] },
  '00080060': { vr: 'CS', Value: ['CT'] },
  '00080080': { vr: 'LO' },
  '0008103E': { vr: 'LO', Value: ['Head  '] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Doe^Jane' }] },
  '0020000E': { vr: 'UI', Value: ['1.2.3'] },
  '00200013': { vr: 'IS', Value: [7] },
  '00200032': { vr: 'DS', Value: [-115.5, -1.85, 696.21] },
  '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
  '00280010': { vr: 'US', Value: [4] },
  '00280011': { vr: 'US', Value: [3] },
  '00280030': { vr: 'DS', Value: [0.45, 0.5] },
  '00280100': { vr: 'US', Value: [16] },
  '00280101': { vr: 'US', Value: [12] },
  '00280103': { vr: 'US', Value: [1] },
  '00281050': { vr: 'DS', Value: ['40', '400'] },
  '00281051': { vr: 'DS', Value: [null, 80] },
  '00281052': { vr: 'DS', Value: [-1024] },
  '00281053': { vr: 'DS', Value: [1] },
};

describe('DICOMweb metadata as tags', () => {
  it('reads a classic image the way a parsed file is read, the transfer syntax left unknown', () => {
    const info = infoFromTags(jsonTags(classic), 3, 'instance', false);
    if (info.kind === 'error') throw new Error(info.message);
    const v = info.value;
    expect(v.transferSyntax).toBe('');
    expect(v.file).toBe(3);
    expect(v.planes).toEqual([{ file: 3, frame: 0, position: [-115.5, -1.85, 696.21], orientation: [1, 0, 0, 0, 1, 0], pixelSpacing: [0.45, 0.5], rows: 4, columns: 3, slope: 1, intercept: -1024, instanceNumber: 7 }]);
    expect(v.pixel).toMatchObject({ bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 1, samplesPerPixel: 1, photometric: 'MONOCHROME2' });
    expect(v.windowCenter).toBe(40);
    // A null value is an empty one, not zero.
    expect(v.windowWidth).toBeUndefined();
    expect(v.meta).toMatchObject({ patientName: 'Doe Jane', seriesDescription: 'Head', modality: 'CT' });
    expect(v.meta.institution).toBeUndefined();
    expect(v.seriesUid).toBe('1.2.3');
  });

  it('takes each frame of an enhanced object from its functional groups', () => {
    const frame = (z: number) => ({
      '00209113': { vr: 'SQ', Value: [{ '00200032': { vr: 'DS', Value: [0, 0, z] } }] },
      '00289145': { vr: 'SQ', Value: [{ '00281052': { vr: 'DS', Value: [z * 10] }, '00281053': { vr: 'DS', Value: [2] } }] },
    });
    const enhanced: DicomJson = {
      ...classic,
      '00200032': undefined,
      '00200037': undefined,
      '00280030': undefined,
      '00280008': { vr: 'IS', Value: ['3'] },
      '52009229': {
        vr: 'SQ',
        Value: [
          {
            '00209116': { vr: 'SQ', Value: [{ '00200037': { vr: 'DS', Value: [0, 1, 0, 0, 0, -1] } }] },
            '00289110': { vr: 'SQ', Value: [{ '00280030': { vr: 'DS', Value: [2, 3] } }] },
          },
        ],
      },
      '52009230': { vr: 'SQ', Value: [frame(0), frame(2.5), frame(5)] },
    };
    const info = infoFromTags(jsonTags(enhanced), 0, 'enhanced', false);
    if (info.kind === 'error') throw new Error(info.message);
    expect(info.value.frames).toBe(3);
    expect(info.value.planes.map((p) => p.position)).toEqual([
      [0, 0, 0],
      [0, 0, 2.5],
      [0, 0, 5],
    ]);
    expect(info.value.planes.map((p) => [p.slope, p.intercept])).toEqual([
      [2, 0],
      [2, 25],
      [2, 50],
    ]);
    expect(info.value.planes.every((p) => p.orientation?.join() === '0,1,0,0,0,-1' && p.pixelSpacing?.join() === '2,3')).toBe(true);
  });

  it('refuses an instance without rows as not an image, and rows of zero as no image', () => {
    const sr: DicomJson = { '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.88.11'] }, '00080018': { vr: 'UI', Value: ['9'] } };
    const a = infoFromTags(jsonTags(sr), 0, 'report', false);
    expect(a.kind === 'error' && a.code).toBe('unsupported-format');
    const b = infoFromTags(jsonTags({ ...classic, '00280010': { vr: 'US', Value: [0] } }), 0, 'empty', false);
    expect(b.kind === 'error' && b.code).toBe('bad-dims');
  });
});
