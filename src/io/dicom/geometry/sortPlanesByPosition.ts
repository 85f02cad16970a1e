import { fail, ok, type Result } from '../../errors';
import type { DicomPlane, Vec3 } from '../types';
import { isSameOrientation } from './isSameOrientation';
import { sliceNormal } from './sliceNormal';
import { dot, isFiniteVec3 } from './vector3';

/**
 * Planes closer than this along the normal are at the same position (several echoes or time
 * points). Scanners write the same ImagePositionPatient string for them, so only floating-point
 * noise separates their projections; real slices are never 1 µm apart.
 */
export const SAME_POSITION_TOLERANCE_MM = 1e-3;

export interface PlanesByPosition {
  /** Unit slice normal (LPS): row direction × column direction of the first plane. */
  normal: Vec3;
  /** Each distinct position along the normal (ImagePositionPatient · normal, mm), ascending. */
  positionsMm: number[];
  /** slices[k][t]: the planes at position k, ordered by InstanceNumber (then file, frame). */
  slices: DicomPlane[][];
  /** frames[t][k]: the same planes, one volume per frame; frames[0] alone for a 3D series. */
  frames: DicomPlane[][];
  /** Planes per position: 1 for a 3D series, the number of echoes or time points for 4D. */
  framesPerPosition: number;
}

const planeName = (p: DicomPlane) => (p.frame > 0 ? `file #${p.file} frame #${p.frame}` : `file #${p.file}`);
const mm = (v: number) => `${v.toFixed(2)} mm`;

/** InstanceNumber first (absent last), then file and frame so the order never depends on input order. */
function byInstance(a: DicomPlane, b: DicomPlane): number {
  const ia = a.instanceNumber ?? Infinity;
  const ib = b.instanceNumber ?? Infinity;
  if (ia !== ib) return ia < ib ? -1 : 1;
  return a.file - b.file || a.frame - b.frame;
}

/**
 * Sorts one stack's planes by ImagePositionPatient projected on the slice normal, ascending, so
 * slice k grows along row × column. Never by file name or InstanceNumber: neither follows anatomy
 * (interleaved acquisitions, files renamed, numbering restarted). Planes at the same position are
 * grouped; when every position holds the same number n of them the series is 4D with n frames,
 * ordered by InstanceNumber within each position.
 *
 * Errors (bad-header): no planes, a plane without ImagePositionPatient or ImageOrientationPatient,
 * an unusable orientation, or orientations that differ (split the series with splitIntoStacks
 * first). Error (bad-dims): positions holding different numbers of planes, naming the positions.
 */
export function sortPlanesByPosition(planes: readonly DicomPlane[]): Result<PlanesByPosition> {
  if (planes.length === 0) return fail('bad-dims', 'The DICOM series has no image planes to sort.');
  const orientation = planes[0].orientation;
  if (!orientation) return fail('bad-header', `${planeName(planes[0])} has no ImageOrientationPatient (0020,0037): its slices cannot be placed in space.`);
  const normal = sliceNormal(orientation);
  if (!normal)
    return fail('bad-header', `ImageOrientationPatient (0020,0037) of ${planeName(planes[0])} is [${orientation.join(', ')}]: not two perpendicular directions, so the slice normal is undefined.`);

  const projected: { plane: DicomPlane; along: number }[] = [];
  for (const plane of planes) {
    if (!plane.orientation || !isSameOrientation(plane.orientation, orientation))
      return fail(
        'bad-header',
        `${planeName(plane)} has ImageOrientationPatient [${plane.orientation?.join(', ') ?? 'missing'}], unlike [${orientation.join(', ')}] of ${planeName(planes[0])}: split the series into stacks of one orientation first.`,
      );
    if (!isFiniteVec3(plane.position))
      return fail('bad-header', `${planeName(plane)} has no usable ImagePositionPatient (0020,0032): its slice cannot be placed.`);
    projected.push({ plane, along: dot(plane.position, normal) });
  }
  projected.sort((a, b) => a.along - b.along || byInstance(a.plane, b.plane));

  // Group by distance from the group's first plane, not the previous one, so noise cannot chain
  // distinct slices together.
  const positionsMm: number[] = [];
  const slices: DicomPlane[][] = [];
  for (const { plane, along } of projected) {
    // The first plane starts a group: nothing lies within the tolerance of −∞.
    if (along - (positionsMm.at(-1) ?? -Infinity) <= SAME_POSITION_TOLERANCE_MM) slices[slices.length - 1].push(plane);
    else {
      positionsMm.push(along);
      slices.push([plane]);
    }
  }
  for (const group of slices) group.sort(byInstance);

  const framesPerPosition = slices[0].length;
  if (slices.some((group) => group.length !== framesPerPosition)) {
    const byCount = new Map<number, number[]>();
    slices.forEach((group, k) => byCount.set(group.length, [...(byCount.get(group.length) ?? []), positionsMm[k]]));
    const listed = [...byCount.entries()]
      .sort((a, b) => a[1].length - b[1].length)
      .map(([count, at]) => `${count} at ${at.slice(0, 6).map(mm).join(', ')}${at.length > 6 ? ` and ${at.length - 6} more` : ''}`);
    return fail(
      'bad-dims',
      `The slice positions hold different numbers of images (${listed.join('; ')} along the slice normal): a 4D series needs the same number of echoes or time points at every position; some are missing or duplicated.`,
    );
  }
  const frames = Array.from({ length: framesPerPosition }, (_, t) => slices.map((group) => group[t]));
  return ok({ normal, positionsMm, slices, frames, framesPerPosition });
}
