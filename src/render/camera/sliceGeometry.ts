// Where a slice view looks: plane orientation, the world rectangle it shows, and the mapping
// between screen pixels, clip space and world (RAS mm). Pure: the shader, the SVG overlay and the
// probe all use these same functions, so what is drawn and what is probed cannot disagree.
import type { Mat4 } from '../../volume/affine';
import type { Convention, Vec3 } from '../../state/viewerStore';

export type Plane = 'axial' | 'coronal' | 'sagittal';

export interface PlaneFrame {
  /** World direction of screen right and screen up. */
  right: Vec3;
  up: Vec3;
  /** World axis the plane is perpendicular to (0 x, 1 y, 2 z). */
  normalAxis: 0 | 1 | 2;
}

/**
 * Radiological convention: the patient's right is on the screen's left (as if facing the patient
 * from the feet for axial, from the front for coronal). Neurological: right on the right.
 * Sagittal shows anterior on the left in both.
 */
export function planeFrame(plane: Plane, convention: Convention): PlaneFrame {
  const lr = convention === 'radiological' ? -1 : 1;
  switch (plane) {
    case 'axial':
      return { right: [lr, 0, 0], up: [0, 1, 0], normalAxis: 2 };
    case 'coronal':
      return { right: [lr, 0, 0], up: [0, 0, 1], normalAxis: 1 };
    case 'sagittal':
      return { right: [0, -1, 0], up: [0, 0, 1], normalAxis: 0 };
  }
}

/** The anatomical letter a world direction points to (the largest component decides). */
export function directionLetter(d: Vec3): string {
  const a = [Math.abs(d[0]), Math.abs(d[1]), Math.abs(d[2])];
  const axis = a[0] >= a[1] && a[0] >= a[2] ? 0 : a[1] >= a[2] ? 1 : 2;
  return [['L', 'R'], ['P', 'A'], ['I', 'S']][axis][d[axis] >= 0 ? 1 : 0];
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

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

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
): ViewTransform {
  const frame = planeFrame(plane, convention);
  let rMin = Infinity, rMax = -Infinity, uMin = Infinity, uMax = -Infinity;
  for (const x of [bounds.lo[0], bounds.hi[0]]) for (const y of [bounds.lo[1], bounds.hi[1]]) for (const z of [bounds.lo[2], bounds.hi[2]]) {
    const r = dot([x, y, z], frame.right), u = dot([x, y, z], frame.up);
    rMin = Math.min(rMin, r); rMax = Math.max(rMax, r); uMin = Math.min(uMin, u); uMax = Math.max(uMax, u);
  }
  const margin = 1.06;
  const mmPerPx = Math.max(((rMax - rMin) * margin || 100) / widthPx, ((uMax - uMin) * margin || 100) / heightPx) / zoom;
  const rc = (rMin + rMax) / 2 - panMm[0];
  const uc = (uMin + uMax) / 2 - panMm[1];
  const centre: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) centre[a] = frame.right[a] * rc + frame.up[a] * uc;
  centre[frame.normalAxis] = slicePoint[frame.normalAxis];
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
