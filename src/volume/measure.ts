// Measurements read from the pinned CPU buffer, never from the GPU: line profiles (each point
// exactly what a probe at that world point returns), time courses across a 4D layer's frames,
// and ROI statistics over the voxels whose centres fall inside an ellipse or rectangle drawn on
// a slice pane's plane.
import { transformPoint } from './affine';
import { probeIndex, probeWorld, valueAt, valueCount, type SampleSource } from './sampling';
import { voxelsPerFrame } from './header';

type V3 = [number, number, number];

export interface Profile {
  /** mm from `from` to each point. */
  distance: number[];
  raw: number[];
  scaled: number[];
  ijk: number[][];
  /** The nearest voxel's centre lies inside the layer's grid. */
  inside: boolean[];
}

/** `samples` points evenly spaced from `from` to `to` inclusive, each probed at the nearest voxel. */
export function profileAlong(src: SampleSource, from: readonly number[], to: readonly number[], samples: number, frame = 0): Profile {
  const n = Math.max(2, Math.floor(samples));
  const length = Math.hypot(to[0] - from[0], to[1] - from[1], to[2] - from[2]);
  const out: Profile = { distance: [], raw: [], scaled: [], ijk: [], inside: [] };
  for (let s = 0; s < n; s++) {
    const f = s / (n - 1);
    const w = [0, 1, 2].map((a) => from[a] + (to[a] - from[a]) * f);
    const p = probeWorld(src, w, frame);
    out.distance.push(length * f);
    out.raw.push(firstChannel(p.raw));
    out.scaled.push(firstChannel(p.scaled));
    out.ijk.push(p.ijk);
    out.inside.push(p.inside);
  }
  return out;
}

const firstChannel = (v: number | number[]) => (Array.isArray(v) ? v[0] : v);

export interface TimeCourse {
  raw: number[];
  scaled: number[];
}

/** The voxel `ijk` in every frame (one entry for a 3D layer); NaN outside the grid. */
export function timeCourse(src: SampleSource, ijk: readonly number[]): TimeCourse {
  const frames = frameCount(src);
  const out: TimeCourse = { raw: [], scaled: [] };
  for (let t = 0; t < frames; t++) {
    const p = probeIndex(src, [ijk[0], ijk[1], ijk[2], t]);
    out.raw.push(firstChannel(p.raw));
    out.scaled.push(firstChannel(p.scaled));
  }
  return out;
}

export const frameCount = (src: Pick<SampleSource, 'dims' | 'values' | 'slabs' | 'channels'>) => Math.max(1, Math.round(valueCount(src) / src.channels / voxelsPerFrame(src.dims)));

export type RoiShape = 'ellipse' | 'rectangle';
export type RoiPlane = 'axial' | 'coronal' | 'sagittal';

/** The world axes a pane's plane spans, and its normal axis (panes sample world-aligned planes). */
export const PLANE_AXES: Record<RoiPlane, { u: 0 | 1 | 2; v: 0 | 1 | 2; normal: 0 | 1 | 2 }> = {
  axial: { u: 0, v: 1, normal: 2 },
  coronal: { u: 0, v: 2, normal: 1 },
  sagittal: { u: 1, v: 2, normal: 0 },
};

export interface RoiSpec {
  shape: RoiShape;
  plane: RoiPlane;
  /** World mm; the plane passes through it. */
  center: readonly number[];
  /** Full extent along the plane's first and second world axes (mm): the ellipse's diameters. */
  size: readonly [number, number];
  /**
   * An oblique plane (the panes turned, state/orientation.ts): its in-plane unit axes u and v and
   * its unit normal, in world RAS, instead of the pane's patient axes.
   */
  axes?: { u: readonly number[]; v: readonly number[]; normal: readonly number[] };
}

const unitAxis = (a: 0 | 1 | 2): V3 => [a === 0 ? 1 : 0, a === 1 ? 1 : 0, a === 2 ? 1 : 0];

export interface RoiStats {
  count: number;
  areaMm2: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single voxel. */
  sd: number;
  min: number;
  max: number;
}

/**
 * Statistics of the scaled values of the voxels the pane shows inside the shape: a voxel counts
 * when its centre, projected onto the plane, lies inside the shape and the plane's nearest voxel
 * at that projected point is the voxel itself (what nearest sampling of the pane shows there), so
 * for an axis-aligned grid it is the slice through the centre, and for an oblique one the voxels
 * the plane cuts. Area: count × the voxel's footprint on the plane (voxel volume over its
 * thickness along the plane's normal). NaN values are left out of the statistics.
 */
export function roiStats(src: SampleSource, spec: RoiSpec, frame = 0): RoiStats {
  const axes = PLANE_AXES[spec.plane];
  const U = spec.axes?.u ?? unitAxis(axes.u), V = spec.axes?.v ?? unitAxis(axes.v), N = spec.axes?.normal ?? unitAxis(axes.normal);
  const [a, b] = [Math.abs(spec.size[0]) / 2, Math.abs(spec.size[1]) / 2];
  const c = spec.center;
  // A flat ellipse (a or b 0) holds nothing: du / 0 is ±Infinity, or NaN at du = 0, and neither is ≤ 1.
  const inside = (du: number, dv: number) => (spec.shape === 'ellipse' ? (du / a) ** 2 + (dv / b) ** 2 <= 1 : Math.abs(du) <= a && Math.abs(dv) <= b);
  // Voxel-space bounds of the shape's box, one voxel wider, to look for candidates in.
  // Stryker disable next-line UnaryOperator: a start of +Infinity for hi widens the search to the grid's end; the voxels counted are the same
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const su of [-1, 1])
    for (const sv of [-1, 1]) {
      // Stryker disable next-line ArithmeticOperator: su and sv each run over ±1, so a flipped sign gives the same four corners
      const w = [0, 1, 2].map((r) => c[r] + su * a * U[r] + sv * b * V[r]);
      const p = transformPoint(src.inverseAffine, w);
      // Stryker disable next-line EqualityOperator: a fourth step writes lo[3] and hi[3], which nothing reads
      for (let k = 0; k < 3; k++) {
        lo[k] = Math.min(lo[k], p[k]);
        hi[k] = Math.max(hi[k], p[k]);
      }
    }
  const [nx, ny, nz] = src.dims;
  const range = (k: number, n: number) => [Math.max(0, Math.floor(lo[k]) - 1), Math.min(n - 1, Math.ceil(hi[k]) + 1)];
  const [i0, i1] = range(0, nx), [j0, j1] = range(1, ny), [k0, k1] = range(2, nz);
  let count = 0, min = Infinity, max = -Infinity;
  // Welford's update keeps the variance exact for large, offset values (CT's −1000s).
  let mean = 0, m2 = 0;
  const A = src.affine;
  const M = src.inverseAffine;
  const base = frame * voxelsPerFrame(src.dims);
  // The inner loop allocates nothing: world = A·[i j k 1], then the inverse of that point moved
  // onto the plane along the normal, which differs from [i j k] by dn · M·N.
  const mn = [0, 1, 2].map((r) => M[4 * r] * N[0] + M[4 * r + 1] * N[1] + M[4 * r + 2] * N[2]);
  // Stryker disable next-line ArrayDeclaration: both are written before they are read
  const w = [0, 0, 0], d = [0, 0, 0];
  for (let k = k0; k <= k1; k++)
    for (let j = j0; j <= j1; j++)
      for (let i = i0; i <= i1; i++) {
        // Stryker disable next-line EqualityOperator: a fourth step writes w[3], which nothing reads
        for (let r = 0; r < 3; r++) w[r] = A[4 * r] * i + A[4 * r + 1] * j + A[4 * r + 2] * k + A[4 * r + 3];
        // Stryker disable next-line EqualityOperator: a fourth step writes d[3], which nothing reads
        for (let r = 0; r < 3; r++) d[r] = w[r] - c[r];
        if (!inside(d[0] * U[0] + d[1] * U[1] + d[2] * U[2], d[0] * V[0] + d[1] * V[1] + d[2] * V[2])) continue;
        const dn = -(d[0] * N[0] + d[1] * N[1] + d[2] * N[2]);
        if (Math.round(i + mn[0] * dn) !== i || Math.round(j + mn[1] * dn) !== j || Math.round(k + mn[2] * dn) !== k) continue;
        const raw = valueAt(src, (base + (k * ny + j) * nx + i) * src.channels);
        const value = raw * src.slope + src.inter;
        if (Number.isNaN(value)) continue;
        count++;
        const delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
        // Stryker disable next-line EqualityOperator: an equal value leaves the same min
        if (value < min) min = value;
        // Stryker disable next-line EqualityOperator: an equal value leaves the same max
        if (value > max) max = value;
      }
  if (count === 0) return { count: 0, areaMm2: 0, mean: NaN, sd: NaN, min: NaN, max: NaN };
  return { count, areaMm2: count * footprintMm2(src, N), mean, sd: count > 1 ? Math.sqrt(m2 / (count - 1)) : 0, min, max };
}

/** A voxel's area on a plane: its volume over its thickness along the plane's unit normal. */
function footprintMm2(src: SampleSource, n: readonly number[]): number {
  const A = src.affine;
  const col = (k: number): V3 => [A[k], A[4 + k], A[8 + k]];
  const [c0, c1, c2] = [col(0), col(1), col(2)];
  const volume = Math.abs(c0[0] * (c1[1] * c2[2] - c1[2] * c2[1]) - c0[1] * (c1[0] * c2[2] - c1[2] * c2[0]) + c0[2] * (c1[0] * c2[1] - c1[1] * c2[0]));
  const along = (c: V3) => Math.abs(c[0] * n[0] + c[1] * n[1] + c[2] * n[2]);
  const thickness = Math.max(along(c0), along(c1), along(c2));
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a guard; a layer's affine is never singular (refused at load), so some column leaves the plane
  return thickness > 0 ? volume / thickness : 0;
}
