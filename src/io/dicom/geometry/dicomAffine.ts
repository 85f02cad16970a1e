import { isSingular, type Mat4 } from '../../../volume/affine';
import { fail, ok, type Result } from '../../errors';
import type { DicomPlane, Orientation } from '../types';
import { rowColumnDirections } from './rowColumnDirections';
import { cross, isFiniteVec3, normalize } from './vector3';

/** Tags used only when the stack has a single slice, whose step cannot be measured. */
export interface SingleSliceThickness {
  /** SpacingBetweenSlices (0018,0088), mm. */
  spacingBetweenSlices?: number;
  /** SliceThickness (0018,0050), mm. */
  sliceThickness?: number;
}

const positive = (v: number | undefined): v is number => Number.isFinite(v) && (v ?? 0) > 0;

/**
 * The affine from voxel (i, j, k) to RAS+ mm for one stack, row-major 4×4 (see volume/affine.ts).
 * i is the column index (along a row), j the row index, k the slice index in `sortedPlanes`
 * (ascending along the normal: one frame of sortPlanesByPosition's result).
 *
 * DICOM conventions followed:
 * - ImageOrientationPatient (0020,0037) holds the row direction (the way i grows) and then the
 *   column direction (the way j grows), in the patient's LPS frame (x to the patient's Left,
 *   y Posterior, z Superior, i.e. Head).
 * - PixelSpacing (0028,0030) is [row spacing, column spacing]: first the distance between
 *   neighbouring rows (the step in j), then between neighbouring columns (the step in i). Hence
 *   the i column uses PixelSpacing[1] and the j column PixelSpacing[0]; swapping them is the
 *   classic bug that only shows on non-square pixels.
 * - ImagePositionPatient (0020,0032) is the centre of the first transmitted pixel (i = j = 0),
 *   not its corner, which matches a voxel-centre affine.
 *
 * The k column is (last position − first position) / (n − 1): the real mean step, including any
 * gantry tilt, so a sheared stack is represented exactly rather than forced onto the normal. With
 * one slice it is normal × (SpacingBetweenSlices ?? SliceThickness ?? 1). The translation is the
 * first position. Finally LPS → RAS: the x and y rows are negated.
 *
 * Errors (bad-header): no planes (bad-dims), unusable orientation, PixelSpacing not two positive
 * numbers, a plane without a finite position, or a singular result (first and last slice at the
 * same place, or the slices stepping within the image plane).
 */
export function dicomAffine(
  sortedPlanes: readonly DicomPlane[],
  orientation: Orientation,
  pixelSpacing: readonly [number, number],
  singleSlice: SingleSliceThickness = {},
): Result<Mat4> {
  const n = sortedPlanes.length;
  if (n === 0) return fail('bad-dims', 'The DICOM stack has no slices to place.');
  const directions = rowColumnDirections(orientation);
  if (!directions) return fail('bad-header', `ImageOrientationPatient (0020,0037) [${orientation.join(', ')}] is not two perpendicular directions.`);
  const [rowSpacing, columnSpacing] = pixelSpacing;
  if (!positive(rowSpacing) || !positive(columnSpacing))
    return fail('bad-header', `PixelSpacing (0028,0030) [${pixelSpacing.join(', ')}] is not two positive distances in mm.`);
  const first = sortedPlanes[0].position;
  const last = sortedPlanes[n - 1].position;
  if (!isFiniteVec3(first) || !isFiniteVec3(last)) return fail('bad-header', 'A slice of the DICOM stack has no usable ImagePositionPatient (0020,0032).');

  const { row, column } = directions;
  let step: number[];
  if (n > 1) step = [0, 1, 2].map((a) => (last[a] - first[a]) / (n - 1));
  else {
    // Stryker disable next-line ArrayDeclaration: rowColumnDirections gives two perpendicular unit vectors, so their cross is never zero and the fallback never runs
    const normal = normalize(cross(row, column)) ?? [0, 0, 1];
    const thickness = positive(singleSlice.spacingBetweenSlices) ? singleSlice.spacingBetweenSlices : positive(singleSlice.sliceThickness) ? singleSlice.sliceThickness : 1;
    step = normal.map((v) => v * thickness);
  }

  const lps: Mat4 = [
    row[0] * columnSpacing, column[0] * rowSpacing, step[0], first[0],
    row[1] * columnSpacing, column[1] * rowSpacing, step[1], first[1],
    row[2] * columnSpacing, column[2] * rowSpacing, step[2], first[2],
    0, 0, 0, 1,
  ];
  // LPS → RAS+: x and y change sign, z (superior) stays. `|| 0` keeps −0 out of the matrix.
  const ras = lps.map((v, idx) => (idx < 8 ? -v || 0 : v));
  if (isSingular(ras))
    return fail('bad-header', `The first and last slices (at [${first.map((v) => v.toFixed(2)).join(', ')}] and [${last.map((v) => v.toFixed(2)).join(', ')}] mm) do not step across the image plane: the stack has no thickness.`);
  return ok(ras);
}
