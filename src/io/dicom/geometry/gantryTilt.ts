import type { Orientation, Vec3 } from '../types';
import { sliceNormal } from './sliceNormal';
import { angleDegrees, isFiniteVec3, length, subtract } from './vector3';

/** Tilts up to this angle are rounding in the tags, not a sheared acquisition. */
export const GANTRY_TILT_TOLERANCE_DEGREES = 0.1;

export interface GantryTilt {
  /** Angle between the slice normal and the line through the first and last positions, 0…90°. */
  degrees: number;
  /** A sentence for the user when the angle exceeds 0.1°, else null. */
  warning: string | null;
}

/**
 * How far the stack leans: the angle between the slice normal and the line from the first slice's
 * ImagePositionPatient to the last's (CT gantry tilt, or any stack acquired off its normal). Such a
 * volume is sheared, not rotated; the affine built from the actual positions (dicomAffine)
 * represents the shear exactly, so the warning only informs.
 *
 * Null when the orientation is unusable or a position is not finite. A single position (first and
 * last the same) has no line through it: 0°, no warning.
 */
export function gantryTilt(orientation: Orientation, firstPosition: Vec3, lastPosition: Vec3): GantryTilt | null {
  const normal = sliceNormal(orientation);
  if (!normal || !isFiniteVec3(firstPosition) || !isFiniteVec3(lastPosition)) return null;
  const line = subtract(lastPosition, firstPosition);
  if (length(line) === 0) return { degrees: 0, warning: null };
  const angle = angleDegrees(line, normal);
  // The line's direction depends on which end is "first"; the tilt does not.
  const degrees = Math.min(angle, 180 - angle);
  const warning =
    degrees > GANTRY_TILT_TOLERANCE_DEGREES
      ? `the slices are tilted by ${degrees.toFixed(2)}° from their normal (gantry tilt): the volume is sheared; Voxlens places every slice at its recorded position, so positions and distances stay exact`
      : null;
  return { degrees, warning };
}
