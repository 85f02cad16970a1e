// The 3D pane's orbit camera. Convention (ARCHITECTURE.md, the ray-casting issue): azimuth 0,
// elevation 0 looks from the patient's anterior toward posterior with superior up, so the
// patient's right is on the screen's left; azimuth turns the camera about the superior axis toward
// the patient's left (90 = from the left); elevation raises it toward superior. World is RAS mm.
import type { OrbitCamera, Vec3 } from '../../state/viewerStore';

const rad = Math.PI / 180;
/**
 * Dragging stops short of the poles. At exactly ±90° (the superior and inferior presets, or the
 * API) "superior up" has no meaning and the convention puts the anterior side up instead; no
 * continuous orbit gives both, so the poles are reached by preset, not by dragging across them.
 */
export const MAX_ELEVATION = 89;

export const VIEW_PRESETS = {
  anterior: { azimuth: 0, elevation: 0 },
  posterior: { azimuth: 180, elevation: 0 },
  left: { azimuth: 90, elevation: 0 },
  right: { azimuth: -90, elevation: 0 },
  superior: { azimuth: 0, elevation: 90 },
  inferior: { azimuth: 0, elevation: -90 },
} as const;
export type ViewPreset = keyof typeof VIEW_PRESETS;

export interface OrbitPose {
  position: Vec3;
  target: Vec3;
  up: Vec3;
  fovDeg: number;
}

/** Unit vector from the target toward the camera. */
export function orbitDirection(azimuthDeg: number, elevationDeg: number): Vec3 {
  const az = azimuthDeg * rad;
  const el = Math.max(-90, Math.min(90, elevationDeg)) * rad;
  return [-Math.sin(az) * Math.cos(el), Math.cos(az) * Math.cos(el), Math.sin(el)];
}

/**
 * Places the camera so a sphere of `radiusMm` around `centre` fills the pane at zoom 1; `panMm`
 * slides camera and target together along the screen's right and up (mm at the centre's depth).
 */
export function orbitPose(orbit: OrbitCamera, centre: Vec3, radiusMm: number, aspect: number, panMm: readonly [number, number] = [0, 0]): OrbitPose {
  const fovDeg = 30;
  const d = orbitDirection(orbit.azimuth, orbit.elevation);
  const up: Vec3 = Math.abs(orbit.elevation) >= 90 ? [-Math.sin(orbit.azimuth * rad), Math.cos(orbit.azimuth * rad), 0] : [0, 0, 1];
  // Screen right = forward × up, forward = −d; screen up completes the frame.
  const right = normalize(cross([-d[0], -d[1], -d[2]], up));
  const screenUp = cross(right, [-d[0], -d[1], -d[2]]);
  const target: Vec3 = [0, 1, 2].map((a) => centre[a] - right[a] * panMm[0] - screenUp[a] * panMm[1]) as Vec3;
  // The vertical half-angle must hold the sphere; in a tall pane the horizontal one decides.
  const halfV = (fovDeg / 2) * rad;
  const halfH = Math.atan(Math.tan(halfV) * aspect);
  const distance = (radiusMm / Math.sin(Math.min(halfV, halfH))) * 1.05 / Math.max(0.05, orbit.zoom);
  return {
    position: [target[0] + d[0] * distance, target[1] + d[1] * distance, target[2] + d[2] * distance],
    target,
    up,
    fovDeg,
  };
}

/** Degrees of orbit per pixel of drag. */
export const ORBIT_DEG_PER_PX = 0.5;

/**
 * The orbit after a rotate-drag of (dxPx, dyPx) from `start`: dragging right turns the volume right
 * (the camera moves left around it, azimuth in (−180, 180]); dragging down raises the camera, stopping
 * short of the poles (a drag from a pole preset starts just off it).
 */
export function orbitAfterDrag(start: { azimuth: number; elevation: number }, dxPx: number, dyPx: number): { azimuth: number; elevation: number } {
  const azimuth = (((start.azimuth - dxPx * ORBIT_DEG_PER_PX) % 360) + 540) % 360 - 180;
  const from = Math.abs(start.elevation) >= 90 ? Math.sign(start.elevation) * MAX_ELEVATION : start.elevation;
  const elevation = Math.max(-MAX_ELEVATION, Math.min(MAX_ELEVATION, from + dyPx * ORBIT_DEG_PER_PX));
  return { azimuth, elevation };
}

/** The pan (orbitPose's `panMm`) after a pan-drag of (dxPx, dyPx) screen pixels from `fromMm`: the volume follows the pointer. */
export function panAfterDrag(fromMm: readonly [number, number], dxPx: number, dyPx: number, mmPerPx: number): [number, number] {
  return [fromMm[0] + dxPx * mmPerPx, fromMm[1] - dyPx * mmPerPx];
}

const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalize = (a: Vec3): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]) || 1;
  // Stryker disable next-line ArithmeticOperator: only screen right is normalized here, and its z is 0 (or ~1e-17 at a pole)
  return [a[0] / n, a[1] / n, a[2] / n];
};
