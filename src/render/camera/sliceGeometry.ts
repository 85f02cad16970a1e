// Where a slice view looks: plane orientation, the world rectangle it shows, and the mapping
// between screen pixels, clip space and world (RAS mm). Pure: the shader, the SVG overlay and the
// probe all use these same functions, so what is drawn and what is probed cannot disagree.
import type { Mat4 } from '../../volume/affine';
import type { Convention, Vec3 } from '../../state/viewerStore';
import { applyMat3, cross3, dot3 as dot, IDENTITY3, isIdentity3, normalize3, PLANE_NORMAL_AXIS, type Mat3 } from '../../state/orientation';

export type Plane = 'axial' | 'coronal' | 'sagittal';

export interface PlaneFrame {
  /** World direction of screen right and screen up (unit, orthogonal). */
  right: Vec3;
  up: Vec3;
  /** World unit normal of the plane: R applied to the pane's patient axis (+x, +y or +z). */
  normal: Vec3;
  /** The patient axis the pane is named for (0 x, 1 y, 2 z): its normal without rotation. */
  normalAxis: 0 | 1 | 2;
}

/** Screen right and up of each pane on the patient axes (radiological: the patient's right on screen left). */
function patientFrame(plane: Plane, convention: Convention): { right: Vec3; up: Vec3 } {
  const lr = convention === 'radiological' ? -1 : 1;
  switch (plane) {
    case 'axial':
      return { right: [lr, 0, 0], up: [0, 1, 0] };
    case 'coronal':
      return { right: [lr, 0, 0], up: [0, 0, 1] };
    case 'sagittal':
      return { right: [0, -1, 0], up: [0, 0, 1] };
  }
}

/**
 * Radiological convention: the patient's right is on the screen's left (as if facing the patient
 * from the feet for axial, from the front for coronal). Neurological: right on the right.
 * Sagittal shows anterior on the left in both.
 *
 * Oblique (`rotation` R, state/orientation.ts): the normal is R applied to the pane's patient axis.
 * Screen up is the pane's patient up (anterior for axial, superior otherwise) projected onto the
 * plane, so turning the planes about a pane's own normal never turns that pane's image (its
 * crosshair lines turn instead, as in Cornerstone3D); where the plane is nearly perpendicular to
 * that up, R's own image of it. Screen right completes the frame with the handedness of the
 * unrotated pane, so the convention still holds.
 */
export function planeFrame(plane: Plane, convention: Convention, rotation: Mat3 = IDENTITY3): PlaneFrame {
  const normalAxis = PLANE_NORMAL_AXIS[plane];
  const base = patientFrame(plane, convention);
  const n0: Vec3 = [0, 0, 0];
  n0[normalAxis] = 1;
  if (isIdentity3(rotation)) return { ...base, normal: n0, normalAxis };
  const normal = normalize3(applyMat3(rotation, n0));
  const project = (d: Vec3): Vec3 => {
    const t = dot(d, normal);
    return [d[0] - t * normal[0], d[1] - t * normal[1], d[2] - t * normal[2]];
  };
  let up = project(base.up);
  // Past about 66° of tilt toward the up axis, its projection turns too fast to follow: use R's.
  if (Math.hypot(...up) < 0.4) up = project(applyMat3(rotation, base.up));
  up = normalize3(up);
  const handed = dot(cross3(base.up, n0), base.right) >= 0 ? 1 : -1;
  const c = cross3(up, normal);
  const right: Vec3 = [c[0] * handed, c[1] * handed, c[2] * handed];
  return { right, up, normal, normalAxis };
}

/** The anatomical letter a world direction points to (the largest component decides). */
export function directionLetter(d: Vec3): string {
  const a = [Math.abs(d[0]), Math.abs(d[1]), Math.abs(d[2])];
  const axis = a[0] >= a[1] && a[0] >= a[2] ? 0 : a[1] >= a[2] ? 1 : 2;
  return [['L', 'R'], ['P', 'A'], ['I', 'S']][axis][d[axis] >= 0 ? 1 : 0];
}

/** A component past this (sin 15°) adds its letter to an oblique direction's label. */
const OBLIQUE_LETTER = Math.sin((15 * Math.PI) / 180);

/**
 * The anatomical letters a world direction points to, strongest first, as 3D Slicer labels
 * oblique views: "R" on a patient axis, "RA" turned toward anterior, "RAS" double oblique. A
 * component under 15° of tilt adds no letter.
 */
export function directionLabel(d: Vec3): string {
  const order = [0, 1, 2].sort((p, q) => Math.abs(d[q]) - Math.abs(d[p]));
  const letters = [['L', 'R'], ['P', 'A'], ['I', 'S']];
  return order
    .filter((axis, i) => i === 0 || Math.abs(d[axis]) >= OBLIQUE_LETTER)
    .map((axis) => letters[axis][d[axis] >= 0 ? 1 : 0])
    .join('');
}

export interface ViewTransform {
  frame: PlaneFrame;
  /** World point at the centre of the view (its normal coordinate is the slice position). */
  centre: Vec3;
  /** Half the view's width and height in mm. */
  halfWidthMm: number;
  halfHeightMm: number;
  widthPx: number;
  heightPx: number;
}

/** Fits the bounding box of all layers into the view, keeping square pixels, then applies zoom and pan (mm). */
export function fitView(
  plane: Plane,
  convention: Convention,
  bounds: { lo: Vec3; hi: Vec3 },
  slicePoint: Vec3,
  widthPx: number,
  heightPx: number,
  zoom = 1,
  panMm: [number, number] = [0, 0],
  rotation: Mat3 = IDENTITY3,
): ViewTransform {
  const frame = planeFrame(plane, convention, rotation);
  let rMin = Infinity, rMax = -Infinity, uMin = Infinity, uMax = -Infinity;
  for (const x of [bounds.lo[0], bounds.hi[0]]) for (const y of [bounds.lo[1], bounds.hi[1]]) for (const z of [bounds.lo[2], bounds.hi[2]]) {
    const r = dot([x, y, z], frame.right), u = dot([x, y, z], frame.up);
    rMin = Math.min(rMin, r); rMax = Math.max(rMax, r); uMin = Math.min(uMin, u); uMax = Math.max(uMax, u);
  }
  const margin = 1.06;
  const mmPerPx = Math.max(((rMax - rMin) * margin || 100) / widthPx, ((uMax - uMin) * margin || 100) / heightPx) / zoom;
  const rc = (rMin + rMax) / 2 - panMm[0];
  const uc = (uMin + uMax) / 2 - panMm[1];
  // The plane passes through the slice point; its in-plane centre is the bounds' (then zoom and pan).
  const nc = dot(slicePoint, frame.normal);
  const centre: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) centre[a] = frame.right[a] * rc + frame.up[a] * uc + frame.normal[a] * nc;
  return { frame, centre, halfWidthMm: (mmPerPx * widthPx) / 2, halfHeightMm: (mmPerPx * heightPx) / 2, widthPx, heightPx };
}

/** Row-major matrix taking clip coordinates (u, v, 0, 1), u and v in [−1, 1], to world mm. */
export function clipToWorld(v: ViewTransform): Mat4 {
  const { right, up } = v.frame;
  return [
    right[0] * v.halfWidthMm, up[0] * v.halfHeightMm, 0, v.centre[0],
    right[1] * v.halfWidthMm, up[1] * v.halfHeightMm, 0, v.centre[1],
    right[2] * v.halfWidthMm, up[2] * v.halfHeightMm, 0, v.centre[2],
    0, 0, 0, 1,
  ];
}

/** Pixel (x right, y down, from the view's top-left corner; pixel centres at +0.5) to world mm. */
export function screenToWorld(v: ViewTransform, px: number, py: number): Vec3 {
  const u = (px / v.widthPx) * 2 - 1;
  const w = 1 - (py / v.heightPx) * 2;
  const out: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) out[a] = v.centre[a] + v.frame.right[a] * u * v.halfWidthMm + v.frame.up[a] * w * v.halfHeightMm;
  return out;
}

export function worldToScreen(v: ViewTransform, world: Vec3): [number, number] {
  const d: Vec3 = [world[0] - v.centre[0], world[1] - v.centre[1], world[2] - v.centre[2]];
  const u = dot(d, v.frame.right) / v.halfWidthMm;
  const w = dot(d, v.frame.up) / v.halfHeightMm;
  return [((u + 1) / 2) * v.widthPx, ((1 - w) / 2) * v.heightPx];
}

export const mmPerPixel = (v: ViewTransform) => (2 * v.halfWidthMm) / v.widthPx;
