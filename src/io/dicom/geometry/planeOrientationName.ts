import type { Vec3 } from '../types';
import { angleDegrees } from './vector3';

/** Within this many degrees of a patient axis a plane is called by that axis's name alone. */
export const OBLIQUE_THRESHOLD_DEGREES = 10;

const PLANES: { name: string; axis: Vec3 }[] = [
  // LPS: a sagittal plane's normal is x (left–right), coronal's y, axial's z.
  { name: 'sagittal', axis: [1, 0, 0] },
  { name: 'coronal', axis: [0, 1, 0] },
  { name: 'axial', axis: [0, 0, 1] },
];

/**
 * The plane a slice normal (LPS, unit) describes, as a radiologist names it: "axial", "coronal" or
 * "sagittal" when the normal is within 10° of that axis (either sign), else "oblique axial" and so
 * on after the nearest. A gantry-tilted CT (often 15–30°) therefore reads "oblique axial".
 */
export function planeOrientationName(normal: Vec3): string {
  let best = PLANES[0];
  let bestAngle = Infinity;
  for (const plane of PLANES) {
    const a = angleDegrees(normal, plane.axis);
    const angle = Math.min(a, 180 - a);
    if (angle < bestAngle) {
      best = plane;
      bestAngle = angle;
    }
  }
  return bestAngle <= OBLIQUE_THRESHOLD_DEGREES ? best.name : `oblique ${best.name}`;
}
