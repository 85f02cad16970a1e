import { describe, expect, it } from 'vitest';
import { patientDirectionsKnown, singleSliceAxis } from './SingleSliceNote';

describe('singleSliceAxis', () => {
  it('names the axis a single slice is stacked along, from the affine k column', () => {
    // A 2D image placed as DICOM's default orientation: stacked along z (seen in the axial pane only).
    expect(singleSliceAxis([12, 10, 1], [-0.25, 0, 0, 0, 0, -0.5, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(2);
    // A coronal single slice (rows along x, columns along −z): stacked along y.
    expect(singleSliceAxis([12, 10, 1], [-1, 0, 0, 0, 0, 0, 1, 0, 0, -1, 0, 0, 0, 0, 0, 1])).toBe(1);
    expect(singleSliceAxis([12, 10, 2], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBeNull();
  });
});

describe('patientDirectionsKnown', () => {
  const layer = (visible: boolean, noPatientGeometry?: boolean) => ({
    display: { visible } as never,
    dicom: { seriesUid: '1', transferSyntax: 'x', images: 1, ...(noPatientGeometry ? { noPatientGeometry } : {}) },
  });
  it('is false only when every visible layer lacks patient geometry', () => {
    expect(patientDirectionsKnown([layer(true, true)])).toBe(false);
    expect(patientDirectionsKnown([layer(true, true), layer(false)])).toBe(false);
    // A CT under the secondary capture still has directions.
    expect(patientDirectionsKnown([layer(true, true), layer(true)])).toBe(true);
    expect(patientDirectionsKnown([layer(true)])).toBe(true);
    expect(patientDirectionsKnown([])).toBe(true);
  });
});
