// Voxel index ↔ world (RAS+ millimetres). The only module that converts between the two spaces.

export type VoxelIndex = [i: number, j: number, k: number] & { readonly _brand: 'voxlens.voxelIndex' };
export type WorldMm = [x: number, y: number, z: number] & { readonly _brand: 'voxlens.worldMm' };

export const asVoxel = (ijk: readonly number[]): VoxelIndex => [ijk[0], ijk[1], ijk[2]] as VoxelIndex;
export const asWorld = (xyz: readonly number[]): WorldMm => [xyz[0], xyz[1], xyz[2]] as WorldMm;

/** 4×4 row-major matrix, 16 numbers. */
export type Mat4 = number[];

export const identity = (): Mat4 => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

export function multiply(a: Mat4, b: Mat4): Mat4 {
  // Stryker disable next-line ArrayDeclaration: the loop below writes all 16 entries
  const out = new Array<number>(16).fill(0);
  for (let r = 0; r < 4; r++)
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[r * 4 + k] * b[k * 4 + c];
      out[r * 4 + c] = s;
    }
  return out;
}

export function transformPoint(m: Mat4, p: readonly number[]): [number, number, number] {
  const [x, y, z] = p;
  return [
    m[0] * x + m[1] * y + m[2] * z + m[3],
    m[4] * x + m[5] * y + m[6] * z + m[7],
    m[8] * x + m[9] * y + m[10] * z + m[11],
  ];
}

/**
 * True when the affine's 3×3 part cannot be inverted: its determinant is not finite, or tiny next
 * to the product of its column lengths (relative, so micrometre voxels in mm are not "singular").
 */
export function isSingular(m: Mat4): boolean {
  const col = (c: number) => Math.hypot(m[c], m[4 + c], m[8 + c]);
  const scale = col(0) * col(1) * col(2);
  const det = m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8]) + m[2] * (m[4] * m[9] - m[5] * m[8]);
  return (
    !Number.isFinite(det) ||
    // Stryker disable next-line ConditionalExpression,EqualityOperator: scale is a product of lengths (≥ 0), and where it is 0 a column is 0, so det is 0 and the test below holds too
    !(scale > 0) ||
    Math.abs(det) <= 1e-9 * scale
  );
}

export function invert(m: Mat4): Mat4 {
  // Affine inverse: invert the 3×3 part, then the translation.
  const [a, b, c, , d, e, f, , g, h, i] = m;
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g;
  const det = a * A + b * B + c * C;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: isSingular(m) computes this same det (the same products in the same order), so it holds whenever det is 0 or not finite; those two tests only spare the call
  if (!Number.isFinite(det) || det === 0 || isSingular(m)) throw new Error('INTERNAL ERROR: singular affine');
  const inv3 = [
    A / det, -(b * i - c * h) / det, (b * f - c * e) / det,
    B / det, (a * i - c * g) / det, -(a * f - c * d) / det,
    C / det, -(a * h - b * g) / det, (a * e - b * d) / det,
  ];
  const t = [m[3], m[7], m[11]];
  const out: Mat4 = [
    inv3[0], inv3[1], inv3[2], 0,
    inv3[3], inv3[4], inv3[5], 0,
    inv3[6], inv3[7], inv3[8], 0,
    0, 0, 0, 1,
  ];
  for (let r = 0; r < 3; r++) out[r * 4 + 3] = -(inv3[r * 3] * t[0] + inv3[r * 3 + 1] * t[1] + inv3[r * 3 + 2] * t[2]);
  return out;
}

export function voxelToWorld(affine: Mat4, ijk: readonly number[]): WorldMm {
  return transformPoint(affine, ijk) as WorldMm;
}

export function worldToVoxel(inverseAffine: Mat4, world: readonly number[]): VoxelIndex {
  return transformPoint(inverseAffine, world) as VoxelIndex;
}

/** Length of each voxel axis in mm (columns of the 3×3 part). */
export function voxelSizes(affine: Mat4): [number, number, number] {
  const col = (c: number) => Math.hypot(affine[c], affine[4 + c], affine[8 + c]);
  return [col(0), col(1), col(2)];
}

const AXIS_LETTERS = [
  ['L', 'R'],
  ['P', 'A'],
  ['I', 'S'],
] as const;

/**
 * The RAS+ direction each voxel axis points to (nibabel's aff2axcodes): for each axis, the world
 * axis its direction is closest to, chosen greedily by the largest component so no two voxel axes
 * claim the same world axis.
 */
export function axisCodes(affine: Mat4): string {
  const cols = [0, 1, 2].map((c) => [affine[c], affine[4 + c], affine[8 + c]]);
  const taken = new Set<number>();
  const result = ['', '', ''];
  // Stryker disable next-line ArrayDeclaration: a stray first element destructures to axis undefined and is skipped (result[undefined] is not ''); its NaN weight compares as equal, which left the order of 100 000 random affines unchanged
  const candidates: { axis: number; world: number; weight: number }[] = [];
  for (let c = 0; c < 3; c++) {
    const norm = Math.hypot(...cols[c]) || 1;
    for (let w = 0; w < 3; w++) candidates.push({ axis: c, world: w, weight: Math.abs(cols[c][w]) / norm });
  }
  candidates.sort((x, y) => y.weight - x.weight);
  for (const { axis, world } of candidates) {
    if (result[axis] !== '' || taken.has(world)) continue;
    taken.add(world);
    result[axis] = AXIS_LETTERS[world][cols[axis][world] >= 0 ? 1 : 0];
  }
  return result.join('');
}

/**
 * NIfTI qform: rotation from the quaternion (b, c, d), a = sqrt(1 - b² - c² - d²), voxel sizes
 * from pixdim[1..3], qfac = pixdim[0] (−1 flips k; 0 is treated as 1, as the standard says).
 */
export function qformToAffine(
  quatern: [b: number, c: number, d: number],
  offset: [number, number, number],
  pixdim: readonly number[],
): Mat4 {
  let [b, c, d] = quatern;
  let a = 1 - (b * b + c * c + d * d);
  // Stryker disable next-line EqualityOperator: a = 1 − (b² + c² + d²) is never exactly 1e-7 (near 1 the subtraction is exact, a multiple of 2⁻⁵³)
  if (a < 1e-7) {
    // Special case from nifti1_io.c: a 180° rotation; renormalise (b, c, d).
    a = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= a;
    c *= a;
    d *= a;
    a = 0;
  } else {
    a = Math.sqrt(a);
  }
  const qfac = pixdim[0] < 0 ? -1 : 1;
  const dx = pixdim[1] > 0 ? pixdim[1] : 1;
  const dy = pixdim[2] > 0 ? pixdim[2] : 1;
  // Stryker disable next-line ArithmeticOperator: qfac is ±1, and dividing by ±1 is multiplying by it
  const dz = (pixdim[3] > 0 ? pixdim[3] : 1) * qfac;
  const r = [
    a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c),
    2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b),
    2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b,
  ];
  return [
    r[0] * dx, r[1] * dy, r[2] * dz, offset[0],
    r[3] * dx, r[4] * dy, r[5] * dz, offset[1],
    r[6] * dx, r[7] * dy, r[8] * dz, offset[2],
    0, 0, 0, 1,
  ];
}

/** Neither sform nor qform: voxel sizes only (NIfTI "method 1"), origin at voxel 0. */
export function pixdimAffine(pixdim: readonly number[]): Mat4 {
  const s = (v: number) => (v > 0 && Number.isFinite(v) ? v : 1);
  return [s(pixdim[1]), 0, 0, 0, 0, s(pixdim[2]), 0, 0, 0, 0, s(pixdim[3]), 0, 0, 0, 0, 1];
}
