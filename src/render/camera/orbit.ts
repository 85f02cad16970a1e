// The 3D pane's orbit camera. Convention (ARCHITECTURE.md, the ray-casting issue): azimuth 0,
// elevation 0 looks from the patient's anterior toward posterior with superior up, so the
// patient's right is on the screen's left; azimuth turns the camera about the superior axis toward
// the patient's left (90 = from the left); elevation raises it toward superior. World is RAS mm.
import type { OrbitCamera, Vec3 } from '../../state/viewerStore';

const rad = Math.PI / 180;
/** Elevation stops short of the poles, where "superior up" has no meaning. */
export const MAX_ELEVATION = 89;

export interface OrbitPose {
  position: Vec3;
  target: Vec3;
  up: Vec3;
  fovDeg: number;
}

/** Unit vector from the target toward the camera. */
export function orbitDirection(azimuthDeg: number, elevationDeg: number): Vec3 {
  const az = azimuthDeg * rad;
  const el = Math.max(-MAX_ELEVATION, Math.min(MAX_ELEVATION, elevationDeg)) * rad;
  return [-Math.sin(az) * Math.cos(el), Math.cos(az) * Math.cos(el), Math.sin(el)];
}

/** Places the camera so a sphere of `radiusMm` around `target` fills the pane at zoom 1. */
export function orbitPose(orbit: OrbitCamera, target: Vec3, radiusMm: number, aspect: number): OrbitPose {
  const fovDeg = 30;
  const d = orbitDirection(orbit.azimuth, orbit.elevation);
  // The vertical half-angle must hold the sphere; in a tall pane the horizontal one decides.
  const halfV = (fovDeg / 2) * rad;
  const halfH = Math.atan(Math.tan(halfV) * aspect);
  const distance = (radiusMm / Math.sin(Math.min(halfV, halfH))) * 1.05 / Math.max(0.05, orbit.zoom);
  return {
    position: [target[0] + d[0] * distance, target[1] + d[1] * distance, target[2] + d[2] * distance],
    target,
    up: [0, 0, 1],
    fovDeg,
  };
}
