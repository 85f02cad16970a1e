import { describe, expect, it } from 'vitest';
import { axisCodes, transformPoint, voxelSizes, type Mat4 } from '../../../volume/affine';
import type { Result } from '../../errors';
import type { DicomPlane, Orientation, Vec3 } from '../types';
import { dicomAffine } from './dicomAffine';
import { AXIAL, CORONAL, OBLIQUE, SAGITTAL, plane, shuffled, stack } from './planeFixtures';
import { sortPlanesByPosition } from './sortPlanesByPosition';

function affineOf(r: Result<Mat4>): Mat4 {
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

function refused(r: Result<unknown>, code: string, mentions: RegExp): void {
  if (r.kind === 'ok') throw new Error('expected an error');
  expect(r.code, r.message).toBe(code);
  expect(r.message).toMatch(mentions);
}

/** Sort, then build the affine, as the loader will. */
function sortedAffine(planes: readonly DicomPlane[], orientation: Orientation, pixelSpacing: [number, number]): Mat4 {
  const s = sortPlanesByPosition(planes);
  if (s.kind === 'error') throw new Error(s.message);
  return affineOf(dicomAffine(s.value.frames[0], orientation, pixelSpacing));
}

const expectMatrix = (got: Mat4, want: readonly number[], digits = 10) => want.forEach((v, i) => expect(got[i], `element ${i}`).toBeCloseTo(v, digits));
const ras = (lps: readonly number[]): Vec3 => [-lps[0], -lps[1], lps[2]];

/** The patient position (RAS) of pixel (i, j) of a plane, straight from its tags. */
function pixelRas(p: DicomPlane, i: number, j: number): Vec3 {
  const o = p.orientation ?? AXIAL;
  const [rowSpacing, columnSpacing] = p.pixelSpacing ?? [1, 1];
  const pos = p.position ?? [0, 0, 0];
  return ras([0, 1, 2].map((a) => pos[a] + i * columnSpacing * o[a] + j * rowSpacing * o[3 + a]));
}

describe('dicomAffine', () => {
  it('matches the worked example: IOP [1,0,0,0,1,0], IPP (−100, −120, 50 + 2k), PixelSpacing [0.5, 0.8]', () => {
    const planes = stack({ origin: [-100, -120, 50], step: [0, 0, 2], count: 10, pixelSpacing: [0.5, 0.8] });
    const a = affineOf(dicomAffine(planes, AXIAL, [0.5, 0.8]));
    expect(a).toEqual([-0.8, 0, 0, 100, 0, -0.5, 0, 120, 0, 0, 2, 50, 0, 0, 0, 1]);
    expect(axisCodes(a)).toBe('LPS');
  });

  it('puts every pixel of every slice where its tags say, for axial, coronal, sagittal and oblique stacks', () => {
    const n = [0, -Math.sin(Math.PI / 6), Math.cos(Math.PI / 6)];
    const cases: { name: string; orientation: Orientation; step: Vec3; codes: string }[] = [
      { name: 'axial', orientation: AXIAL, step: [0, 0, 3], codes: 'LPS' },
      { name: 'coronal', orientation: CORONAL, step: [0, 2, 0], codes: 'LIP' },
      { name: 'sagittal', orientation: SAGITTAL, step: [-1.5, 0, 0], codes: 'PIR' },
      { name: 'oblique', orientation: OBLIQUE, step: [0, 2.5 * n[1], 2.5 * n[2]], codes: 'LPS' },
    ];
    for (const c of cases) {
      // Non-square pixels catch a PixelSpacing order mix-up.
      const planes = stack({ orientation: c.orientation, origin: [12.5, -30, 44], step: c.step, count: 6, pixelSpacing: [0.7, 1.1], rows: 3, columns: 5 });
      const a = sortedAffine(shuffled(planes, 5), c.orientation, [0.7, 1.1]);
      expect(axisCodes(a), c.name).toBe(c.codes);
      planes.forEach((p, k) => {
        for (const [i, j] of [[0, 0], [4, 0], [0, 2], [4, 2]]) {
          const want = pixelRas(p, i, j);
          transformPoint(a, [i, j, k]).forEach((v, axis) => expect(v, `${c.name} slice ${k} pixel ${i},${j}`).toBeCloseTo(want[axis], 9));
        }
      });
    }
  });

  it('gives the same affine whether the slices come sorted, reversed or shuffled', () => {
    const planes = stack({ orientation: OBLIQUE, origin: [3, -7, 11], step: [0, -1, Math.sqrt(3)], count: 9 });
    const want = sortedAffine(planes, OBLIQUE, [1, 1]);
    for (const input of [[...planes].reverse(), shuffled(planes, 2), shuffled(planes, 99)]) expectMatrix(sortedAffine(input, OBLIQUE, [1, 1]), want, 12);
  });

  it('keeps a gantry tilt as a shear: slice k lands on its own position', () => {
    const shift = 5 * Math.tan((20 * Math.PI) / 180);
    const planes = stack({ origin: [-120, -110, -40], step: [0, shift, 5], count: 8, pixelSpacing: [0.5, 0.5] });
    const a = affineOf(dicomAffine(planes, AXIAL, [0.5, 0.5]));
    expectMatrix(a, [-0.5, 0, 0, 120, 0, -0.5, -shift, 110, 0, 0, 5, -40, 0, 0, 0, 1], 12);
    planes.forEach((p, k) => transformPoint(a, [0, 0, k]).forEach((v, axis) => expect(v).toBeCloseTo(ras(p.position ?? [])[axis], 9)));
    expect(voxelSizes(a)[2]).toBeCloseTo(5 / Math.cos((20 * Math.PI) / 180), 9);
  });

  it('uses the mean step when the spacing is uneven (first to last over n − 1)', () => {
    const planes = [0, 2, 4, 7].map((z, k) => plane({ file: k, position: [0, 0, z] }));
    expect(affineOf(dicomAffine(planes, AXIAL, [1, 1]))[10]).toBeCloseTo(7 / 3, 12);
  });

  it('gives a single slice SpacingBetweenSlices, else SliceThickness, else 1 mm along the normal', () => {
    const one = [plane({ orientation: CORONAL, position: [1, 2, 3] })];
    const kColumn = (a: Mat4) => [a[2], a[6], a[10]];
    // Coronal normal +y (LPS) → −y (RAS).
    expect(kColumn(affineOf(dicomAffine(one, CORONAL, [1, 1], { spacingBetweenSlices: 4, sliceThickness: 3 })))).toEqual([0, -4, 0]);
    expect(kColumn(affineOf(dicomAffine(one, CORONAL, [1, 1], { sliceThickness: 3 })))).toEqual([0, -3, 0]);
    expect(kColumn(affineOf(dicomAffine(one, CORONAL, [1, 1], { spacingBetweenSlices: 0, sliceThickness: -2 })))).toEqual([0, -1, 0]);
    expect(kColumn(affineOf(dicomAffine(one, CORONAL, [1, 1])))).toEqual([0, -1, 0]);
    expect(affineOf(dicomAffine(one, CORONAL, [1, 1])).slice(3, 12).filter((_, i) => i % 4 === 0)).toEqual([-1, -2, 3]);
  });

  it('refuses what cannot make an invertible affine', () => {
    const two = stack({ step: [0, 0, 1], count: 2 });
    refused(dicomAffine([], AXIAL, [1, 1]), 'bad-dims', /no slices/);
    refused(dicomAffine(two, [1, 0, 0, 0.5, 0.5, 0], [1, 1]), 'bad-header', /ImageOrientationPatient/);
    refused(dicomAffine(two, AXIAL, [0, 1]), 'bad-header', /PixelSpacing/);
    refused(dicomAffine(two, AXIAL, [1, NaN]), 'bad-header', /PixelSpacing/);
    refused(dicomAffine(two, AXIAL, [-1, 1]), 'bad-header', /PixelSpacing/);
    refused(dicomAffine([two[0], plane({ file: 1, position: undefined })], AXIAL, [1, 1]), 'bad-header', /ImagePositionPatient/);
    refused(dicomAffine([two[0], plane({ file: 1, position: [0, 0, 0] })], AXIAL, [1, 1]), 'bad-header', /no thickness/);
    // Stepping within the image plane (along the rows) gives no third axis either.
    refused(dicomAffine([two[0], plane({ file: 1, position: [5, 0, 0] })], AXIAL, [1, 1]), 'bad-header', /no thickness/);
  });

  it('places every pixel of a double-oblique stack with non-square pixels (each direction cosine non-zero)', () => {
    // Row and column directions turned about two axes, so every entry of both cosines is non-zero.
    const a = 0.3, b = 0.5;
    const rowDir: Vec3 = [Math.cos(a), Math.sin(a) * Math.cos(b), Math.sin(a) * Math.sin(b)];
    const colDir: Vec3 = [-Math.sin(a), Math.cos(a) * Math.cos(b), Math.cos(a) * Math.sin(b)];
    const orientation: Orientation = [...rowDir, ...colDir];
    const normal: Vec3 = [rowDir[1] * colDir[2] - rowDir[2] * colDir[1], rowDir[2] * colDir[0] - rowDir[0] * colDir[2], rowDir[0] * colDir[1] - rowDir[1] * colDir[0]];
    const planes = [0, 1, 2].map((k) => plane({ file: k, orientation, pixelSpacing: [0.6, 1.7], position: [10 + 3 * k * normal[0], -20 + 3 * k * normal[1], 30 + 3 * k * normal[2]] }));
    const affine = affineOf(dicomAffine(planes, orientation, [0.6, 1.7]));
    for (const p of planes)
      for (const [i, j] of [[0, 0], [3, 0], [0, 2], [3, 2]]) {
        const got = transformPoint(affine, [i, j, p.file]);
        pixelRas(p, i, j).forEach((v, axis) => expect(got[axis]).toBeCloseTo(v, 10));
      }
  });

  it('says exactly why it refuses', () => {
    const two = stack({ step: [0, 0, 1], count: 2 });
    const message = (r: Result<unknown>) => (r.kind === 'error' ? r.message : 'accepted');
    expect(message(dicomAffine([], AXIAL, [1, 1]))).toBe('The DICOM stack has no slices to place.');
    expect(message(dicomAffine(two, [1, 0, 0, 0.5, 0.5, 0], [1, 1]))).toBe('ImageOrientationPatient (0020,0037) [1, 0, 0, 0.5, 0.5, 0] is not two perpendicular directions.');
    expect(message(dicomAffine(two, AXIAL, [0.5, -2]))).toBe('PixelSpacing (0028,0030) [0.5, -2] is not two positive distances in mm.');
    expect(message(dicomAffine(two, AXIAL, [Infinity, 1]))).toBe('PixelSpacing (0028,0030) [Infinity, 1] is not two positive distances in mm.');
    expect(message(dicomAffine([two[0], plane({ file: 1, position: [1.234, -5, 0] })], AXIAL, [1, 1]))).toBe(
      'The first and last slices (at [0.00, 0.00, 0.00] and [1.23, -5.00, 0.00] mm) do not step across the image plane: the stack has no thickness.',
    );
  });
});
