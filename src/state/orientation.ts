// The slice panes' orientation (oblique MPR) and thick slabs, as pure values and math: no store,
// no React, no three. The viewer store holds one rotation R for the three panes, so the planes stay
// mutually orthogonal whatever the user turns: the axial pane's normal is R·S, the coronal's R·A
// and the sagittal's R·R (columns of R in world RAS). Identity = the patient axes.

export type Vec3 = [number, number, number];

/** A 3×3 matrix, row-major: m[3 * row + column]. */
export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export const IDENTITY3: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export type SlabMode = 'max' | 'min' | 'mean';
export const SLAB_MODES: readonly SlabMode[] = ['max', 'min', 'mean'];
export const isSlabMode = (s: unknown): s is SlabMode => s === 'max' || s === 'min' || s === 'mean';

/** A pane's slab: its full thickness in mm along the pane's normal (0 = a thin slice) and how the samples reduce. */
export interface Slab {
  thickness: number;
  mode: SlabMode;
}
export const THIN_SLAB: Slab = { thickness: 0, mode: 'max' };
export type SlicePlane = 'axial' | 'coronal' | 'sagittal';
export const thinSlabs = (): Record<SlicePlane, Slab> => ({ axial: THIN_SLAB, coronal: THIN_SLAB, sagittal: THIN_SLAB });
/** The thickest slab a pane takes (mm): far past any clinical slab, short of marching a whole body at 0.5 mm. */
export const MAX_SLAB_MM = 500;

export const applyMat3 = (m: Mat3, v: readonly number[]): Vec3 => [
  m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
  m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
  m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
];

export function multiplyMat3(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
  return out as unknown as Mat3;
}

export const transposeMat3 = (m: Mat3): Mat3 => [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];

export const dot3 = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross3 = (a: readonly number[], b: readonly number[]): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const normalize3 = (a: readonly number[]): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return n > 0 ? [a[0] / n, a[1] / n, a[2] / n] : [0, 0, 0];
};

/** Column `c` of m: where m takes the patient axis c (0 R, 1 A, 2 S). */
export const columnMat3 = (m: Mat3, c: 0 | 1 | 2): Vec3 => [m[c], m[3 + c], m[6 + c]];

/** The rotation by `radians` about the unit `axis`, right-handed (Rodrigues). */
export function rotationAbout(axis: readonly number[], radians: number): Mat3 {
  const [x, y, z] = normalize3(axis);
  const c = Math.cos(radians), s = Math.sin(radians), t = 1 - c;
  return [t * x * x + c, t * x * y - s * z, t * x * z + s * y, t * x * y + s * z, t * y * y + c, t * y * z - s * x, t * x * z - s * y, t * y * z + s * x, t * z * z + c];
}

/** The angle of a rotation matrix (radians, 0…π). */
export const rotationAngle = (m: Mat3) => Math.acos(Math.min(1, Math.max(-1, (m[0] + m[4] + m[8] - 1) / 2)));

export const determinant3 = (m: Mat3) => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);

/** Within `tol` of a proper rotation: orthonormal columns and determinant +1. */
export function isRotation(m: Mat3, tol = 1e-4): boolean {
  if (!m.every(Number.isFinite)) return false;
  const p = multiplyMat3(transposeMat3(m), m);
  for (let i = 0; i < 9; i++) if (Math.abs(p[i] - IDENTITY3[i]) > tol) return false;
  return Math.abs(determinant3(m) - 1) <= tol;
}

export const isIdentity3 = (m: Mat3, tol = 1e-9) => m.every((v, i) => Math.abs(v - IDENTITY3[i]) <= tol);

/**
 * The nearest rotation to a near-rotation (Gram-Schmidt from the S column: the axial normal is
 * kept exactly, then A, and R = A × S): a long drag composes many small rotations, whose rounding
 * must not let the planes drift from orthogonal.
 */
export function orthonormalize(m: Mat3): Mat3 {
  const s = normalize3(columnMat3(m, 2));
  const a0 = columnMat3(m, 1);
  const a = normalize3([a0[0] - dot3(a0, s) * s[0], a0[1] - dot3(a0, s) * s[1], a0[2] - dot3(a0, s) * s[2]]);
  const r = cross3(a, s);
  return [r[0], a[0], s[0], r[1], a[1], s[1], r[2], a[2], s[2]];
}

export const mat3FromRows = (rows: readonly (readonly number[])[]): Mat3 => [rows[0][0], rows[0][1], rows[0][2], rows[1][0], rows[1][1], rows[1][2], rows[2][0], rows[2][1], rows[2][2]];
export const mat3Rows = (m: Mat3): number[][] => [[m[0], m[1], m[2]], [m[3], m[4], m[5]], [m[6], m[7], m[8]]];

/**
 * The rotation that aligns the panes to a volume's voxel axes (what an oblique MR slab needs):
 * each patient axis takes the voxel axis (affine column) that runs most along it, signed to point
 * the same way, so an axial acquisition tilted 20° shows in the axial pane, not the coronal.
 * Orthonormalised (a sheared grid has no exact rotation), the through-plane k axis kept first.
 */
export function acquisitionRotation(affine: readonly number[]): Mat3 {
  const cols = [0, 1, 2].map((c) => normalize3([affine[c], affine[4 + c], affine[8 + c]]));
  const taken = new Set<number>();
  const pick: Vec3[] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  // The patient axis each voxel axis is closest to, strongest matches first.
  const pairs: { c: number; a: number; w: number }[] = [];
  for (let c = 0; c < 3; c++) for (let a = 0; a < 3; a++) pairs.push({ c, a, w: Math.abs(cols[c][a]) });
  pairs.sort((p, q) => q.w - p.w);
  const axisDone = new Set<number>();
  for (const { c, a } of pairs) {
    if (taken.has(c) || axisDone.has(a)) continue;
    taken.add(c);
    axisDone.add(a);
    const sign = cols[c][a] < 0 ? -1 : 1;
    pick[a] = [cols[c][0] * sign, cols[c][1] * sign, cols[c][2] * sign];
  }
  const m: Mat3 = [pick[0][0], pick[1][0], pick[2][0], pick[0][1], pick[1][1], pick[2][1], pick[0][2], pick[1][2], pick[2][2]];
  if (!m.every(Number.isFinite) || Math.abs(determinant3(m)) < 1e-6) return IDENTITY3;
  return orthonormalize(m);
}

/** Each pane's normal in the patient-axis triplet: the axis R turns into the pane's normal. */
export const PLANE_NORMAL_AXIS: Record<SlicePlane, 0 | 1 | 2> = { axial: 2, coronal: 1, sagittal: 0 };

/**
 * The slab's samples along the normal: `count` evenly spaced offsets from −thickness/2 to
 * +thickness/2, no further apart than `stepMm` (one voxel of the top layer along the normal).
 * A thin slice is one sample at 0. The shader and the CPU reference both use this.
 */
export function slabSampling(thicknessMm: number, stepMm: number): { count: number; spacingMm: number; firstMm: number } {
  if (!(thicknessMm > 0) || !(stepMm > 0)) return { count: 1, spacingMm: 0, firstMm: 0 };
  const count = Math.ceil(thicknessMm / stepMm - 1e-9) + 1;
  return { count, spacingMm: thicknessMm / (count - 1), firstMm: -thicknessMm / 2 };
}

/**
 * The length along a world direction `n` (unit) of one voxel step of a grid: the distance along n
 * that moves at most one voxel along every voxel axis, 1 / max |M·n| with M the inverse affine's
 * linear part. For an axis-aligned grid and normal, that axis's spacing.
 */
export function voxelStepAlong(inverseAffine: readonly number[], n: readonly number[]): number {
  let most = 0;
  for (let r = 0; r < 3; r++) most = Math.max(most, Math.abs(inverseAffine[4 * r] * n[0] + inverseAffine[4 * r + 1] * n[1] + inverseAffine[4 * r + 2] * n[2]));
  return most > 0 ? 1 / most : 1;
}
