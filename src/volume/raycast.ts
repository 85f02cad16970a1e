// The ray caster's march on the CPU, for exact picking: the same ray (voxel space, through the
// inverse affine), the same clipping, the same step and the same trilinear sampling as
// render/shaders/rayShader.ts, read from the pinned buffer. Keep the two in step.
import { transformPoint, type Mat4 } from './affine';
import { voxelsPerFrame } from './header';
import { valueAt, type SampleSource } from './sampling';

export type PickMode =
  | { kind: 'max' | 'min' | 'mean' }
  | { kind: 'composite'; opacityAt: (scaled: number) => number }
  | { kind: 'iso'; iso: number; sign: 1 | -1 };

export interface RayClip {
  /** Scaled values above this show on the cut faces (the layer's window low). */
  faceAbove?: number;
  /** World-axis clip box (mm). */
  lo: [number, number, number];
  hi: [number, number, number];
  /**
   * The removed octant: world points with (w − centre)·axis_a × sign_a > 0 on every axis a. The
   * axes are the slice planes' normals (the columns of the oblique rotation, row-major 3×3
   * `rotation`); absent, the world axes.
   */
  cut?: { centre: [number, number, number]; sign: [number, number, number]; rotation?: readonly number[] };
}

type V3 = [number, number, number];

/** Where a line o + t·d enters and leaves an axis-aligned box: [tEnter, tLeave] (empty when tLeave ≤ tEnter). */
export function slab(o: readonly number[], d: readonly number[], lo: readonly number[], hi: readonly number[]): [number, number] {
  let t0 = -Infinity;
  let t1 = Infinity;
  for (let a = 0; a < 3; a++) {
    const da = d[a] === 0 ? 1e-9 : d[a];
    const ta = (lo[a] - o[a]) / da;
    const tb = (hi[a] - o[a]) / da;
    t0 = Math.max(t0, Math.min(ta, tb));
    t1 = Math.min(t1, Math.max(ta, tb));
  }
  return [t0, t1];
}

/** Trilinear raw value at a voxel coordinate, clamped to the edge: the shader's sampleTexel with uLinear. */
export function sampleTrilinear(src: Pick<SampleSource, 'dims' | 'values' | 'slabs'>, v: readonly number[], frame = 0): number {
  const [nx, ny, nz] = src.dims;
  const c = [Math.min(nx - 1, Math.max(0, v[0])), Math.min(ny - 1, Math.max(0, v[1])), Math.min(nz - 1, Math.max(0, v[2]))];
  const i0 = Math.floor(c[0]), j0 = Math.floor(c[1]), k0 = Math.floor(c[2]);
  const i1 = Math.min(i0 + 1, nx - 1), j1 = Math.min(j0 + 1, ny - 1), k1 = Math.min(k0 + 1, nz - 1);
  const fx = c[0] - i0, fy = c[1] - j0, fz = c[2] - k0;
  const base = frame * voxelsPerFrame(src.dims);
  const at = (i: number, j: number, k: number) => valueAt(src, base + (k * ny + j) * nx + i);
  const lerp = (a: number, b: number, f: number) => a + (b - a) * f;
  const c00 = lerp(at(i0, j0, k0), at(i1, j0, k0), fx);
  const c10 = lerp(at(i0, j1, k0), at(i1, j1, k0), fx);
  const c01 = lerp(at(i0, j0, k1), at(i1, j0, k1), fx);
  const c11 = lerp(at(i0, j1, k1), at(i1, j1, k1), fx);
  return lerp(lerp(c00, c10, fy), lerp(c01, c11, fy), fz);
}

export interface PickResult {
  /** Voxel coordinate of the picked point (not rounded). */
  voxel: V3;
  world: V3;
}

/**
 * Marches the ray from `originWorld` along `dirWorld` through the layer, as the shader does, and
 * returns the point the mode picks: the first crossing of the iso value (refined by bisection), the
 * point where composite opacity passes 0.5, the maximum (or minimum) along the ray; null if none.
 */
export function pickAlongRay(
  src: SampleSource,
  frame: number,
  originWorld: readonly number[],
  dirWorld: readonly number[],
  stepVoxels: number,
  mode: PickMode,
  clip: RayClip,
): PickResult | null {
  const inv: Mat4 = src.inverseAffine;
  const o = transformPoint(inv, originWorld);
  const far = transformPoint(inv, [originWorld[0] + dirWorld[0], originWorld[1] + dirWorld[1], originWorld[2] + dirWorld[2]]);
  const len = Math.hypot(far[0] - o[0], far[1] - o[1], far[2] - o[2]);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; a zero or NaN length makes d NaN, the box test below fails on NaN, and the pick is null all the same
  if (!(len > 0)) return null;
  const d: V3 = [(far[0] - o[0]) / len, (far[1] - o[1]) / len, (far[2] - o[2]) / len];
  const [nx, ny, nz] = src.dims;
  const box = slab(o, d, [-0.5, -0.5, -0.5], [nx - 0.5, ny - 0.5, nz - 0.5]);
  const wo = transformPoint(src.affine, o);
  const wd: V3 = [0, 1, 2].map((r) => src.affine[r * 4] * d[0] + src.affine[r * 4 + 1] * d[1] + src.affine[r * 4 + 2] * d[2]) as V3;
  const clipT = slab(wo, wd, clip.lo, clip.hi);
  const t0 = Math.max(box[0], clipT[0], 0);
  const t1 = Math.min(box[1], clipT[1]);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; with t1 ≤ t0 no sample lies in [t0, t1] (the loop stops at t ≤ t1), so bestT stays −1 and the pick is null
  if (!(t1 > t0)) return null;
  const pointAt = (t: number): V3 => [o[0] + d[0] * t, o[1] + d[1] * t, o[2] + d[2] * t];
  const scaledAt = (p: V3) => sampleTrilinear(src, p, frame) * src.slope + src.inter;
  const cutAway = (p: V3) => {
    if (!clip.cut) return false;
    const { centre, sign, rotation: m = [1, 0, 0, 0, 1, 0, 0, 0, 1] } = clip.cut;
    const w = transformPoint(src.affine, p);
    const d = [w[0] - centre[0], w[1] - centre[1], w[2] - centre[2]];
    // Along column a of the rotation: the slice plane's normal that the octant's face a lies in.
    // Stryker disable next-line ArithmeticOperator: sign is ±1, and dividing by ±1 is multiplying by it
    return [0, 1, 2].every((a) => (d[0] * m[a] + d[1] * m[3 + a] + d[2] * m[6 + a]) * sign[a] > 0);
  };
  const done = (t: number): PickResult => {
    const voxel = pointAt(t);
    return { voxel, world: transformPoint(src.affine, voxel) };
  };

  // Stryker disable next-line ArithmeticOperator: the loop also stops past t1, which bounds it first (steps is the shader's loop count)
  const steps = Math.ceil((t1 - t0) / stepVoxels);
  let best = mode.kind === 'min' ? Infinity : -Infinity;
  let bestT = -1;
  let alpha = 0;
  let havePrevious = false;
  let inCut = false;
  let t = t0 + 0.5 * stepVoxels;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: sample s lies at t0 + (s + ½)·step, so t ≤ t1 stops the loop by s ≤ (t1 − t0)/step − ½ < steps: the count is the shader's cap only
  for (let s = 0; s < steps && t <= t1; s++, t += stepVoxels) {
    const p = pointAt(t);
    if (cutAway(p)) {
      havePrevious = false;
      inCut = true;
      continue;
    }
    const v = scaledAt(p);
    if (Number.isNaN(v)) continue;
    if (inCut) {
      inCut = false;
      // The cut's faces show the slice planes where they cut tissue: the ray stops there.
      if (v > (clip.faceAbove ?? Infinity)) return done(t);
    }
    switch (mode.kind) {
      case 'max':
        if (v > best) [best, bestT] = [v, t];
        break;
      case 'min':
        if (v < best) [best, bestT] = [v, t];
        break;
      case 'mean':
        // Stryker disable next-line EqualityOperator: bestT is −1 or a sample's t, which is > 0 (t0 ≥ 0 plus half a step)
        if (bestT < 0) bestT = t; // an average has no depth: the entry point
        break;
      case 'composite': {
        const a = 1 - Math.pow(1 - Math.min(0.9999, Math.max(0, mode.opacityAt(v))), stepVoxels);
        alpha += (1 - alpha) * a;
        if (alpha > 0.5) return done(t);
        break;
      }
      case 'iso': {
        // Stryker disable next-line ArithmeticOperator: sign is ±1, and dividing by ±1 is multiplying by it
        const side = (v - mode.iso) * mode.sign;
        if (side >= 0 && !havePrevious) return done(t);
        if (side >= 0) {
          let ta = t - stepVoxels, tb = t;
          // Stryker disable next-line EqualityOperator: the count of halvings sets only the precision (2⁻²⁰ of a step); one more lands within it
          for (let r = 0; r < 20; r++) {
            const tm = 0.5 * (ta + tb);
            // Stryker disable next-line EqualityOperator,ArithmeticOperator: a midpoint exactly on the iso value may go to either end (the crossing lies between them, within the bisection's precision); sign is ±1, so ÷ is ×
            if ((scaledAt(pointAt(tm)) - mode.iso) * mode.sign >= 0) tb = tm;
            else ta = tm;
          }
          return done(tb);
        }
        havePrevious = true;
        break;
      }
    }
  }
  // Stryker disable next-line EqualityOperator: bestT is −1 or a sample's t, which is > 0
  return bestT >= 0 ? done(bestT) : null;
}
