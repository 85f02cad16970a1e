// What of a structure a slice pane shows: the pane is the world plane x, y or z = position (RAS).
// Parallel to the structure's planes, it is the polygons of the plane whose slab holds the pane
// (the same rule rasterizing uses); across them, it is the outline of the slabs the pane cuts: for
// each contour plane, the intervals where the pane's line crosses the polygons (even–odd), drawn as
// the slab's stepped edge, so the drawing outlines exactly the voxels rasterizing would fill. Pure.
import type { Vec3 } from '../types';
import type { Structure } from './structure';

export interface Section {
  /** Closed polygons in world coordinates (parallel panes). */
  polygons: Vec3[][];
  /** Line segments in world coordinates (panes across the planes). */
  segments: [Vec3, Vec3][];
}

/** How close to the pane's normal the structure's normal must be to count as parallel. */
const PARALLEL = 0.9999;

/** The structure on the pane `axis` (0: sagittal x, 1: coronal y, 2: axial z) at `position` mm; `slabMm` for single-plane structures. */
export function sectionOnPlane(s: Structure, axis: 0 | 1 | 2, position: number, slabMm = s.slabMm ?? 1): Section {
  const m: Vec3 = [0, 0, 0];
  m[axis] = 1;
  return sectionOnPane(s, m, position, slabMm);
}

/** The structure on the pane plane m·w = position (m a unit normal: an oblique pane too). */
export function sectionOnPane(s: Structure, m: Vec3, position: number, slabMm = s.slabMm ?? 1): Section {
  const slab = s.slabMm ?? slabMm;
  const { normal: n, u, v } = s;
  const dot = (a: readonly number[]) => a[0] * m[0] + a[1] * m[1] + a[2] * m[2];
  const c = dot(n);
  const at = (offset: number, x: number, y: number): Vec3 => [0, 1, 2].map((k) => offset * n[k] + x * u[k] + y * v[k]) as Vec3;
  // A point moved onto the pane's plane along its normal.
  const onPane = (w: Vec3): Vec3 => {
    const d = position - dot(w);
    return [w[0] + d * m[0], w[1] + d * m[1], w[2] + d * m[2]];
  };
  if (Math.abs(c) > PARALLEL) {
    // The pane's position along the structure's normal (a pane plane x_axis = position meets it at position / c).
    const along = position / c;
    const plane = s.planes.find((p) => along - p.offset >= -slab / 2 && along - p.offset < slab / 2);
    if (!plane) return { polygons: [], segments: [] };
    return {
      polygons: plane.polygons.map((p) => {
        const out: Vec3[] = [];
        for (let i = 0; i < p.length; i += 2) {
          // Drawn on the pane's plane (the contour may sit up to half a slab away).
          out.push(onPane(at(plane.offset, p[i], p[i + 1])));
        }
        return out;
      }),
      segments: [],
    };
  }
  // Across: the pane meets each plane's (u, v) coordinates along the line alpha·U + beta·V = gamma(offset).
  const alpha = dot(u), beta = dot(v);
  // Direction of that line in (U, V) and its parameter t (mm along it).
  const norm = Math.hypot(alpha, beta);
  const dirU = -beta / norm, dirV = alpha / norm;
  const intervals = s.planes.map((plane) => {
    const gamma = position - plane.offset * c;
    const ts: number[] = [];
    for (const p of plane.polygons) {
      const count = p.length / 2;
      for (let i = 0, j = count - 1; i < count; j = i++) {
        const fi = alpha * p[i * 2] + beta * p[i * 2 + 1] - gamma;
        const fj = alpha * p[j * 2] + beta * p[j * 2 + 1] - gamma;
        // Half-open (≥ 0 against < 0) so a vertex on the line counts once.
        if (fi >= 0 !== fj >= 0) {
          const w = fi / (fi - fj);
          const U = p[i * 2] + (p[j * 2] - p[i * 2]) * w;
          const V = p[i * 2 + 1] + (p[j * 2 + 1] - p[i * 2 + 1]) * w;
          ts.push(U * dirU + V * dirV);
        }
      }
    }
    ts.sort((a, b) => a - b);
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < ts.length; i += 2) out.push([ts[i], ts[i + 1]]);
    return out;
  });
  // A point on the pane's line in plane `offset` at parameter t: (U, V) = base + t·dir, with base on the line.
  const point = (offset: number, t: number, h: number): Vec3 => {
    const gamma = position - offset * c;
    const U = (alpha * gamma) / (norm * norm) + t * dirU;
    const V = (beta * gamma) / (norm * norm) + t * dirV;
    return onPane(at(offset + h, U, V));
  };
  const segments: [Vec3, Vec3][] = [];
  s.planes.forEach((plane, i) => {
    const mine = intervals[i];
    if (!mine.length) return;
    const below = i > 0 && Math.abs(plane.offset - s.planes[i - 1].offset - slab) < 1e-3 ? intervals[i - 1] : [];
    const above = i + 1 < s.planes.length && Math.abs(s.planes[i + 1].offset - plane.offset - slab) < 1e-3 ? intervals[i + 1] : [];
    for (const [t0, t1] of mine) {
      segments.push([point(plane.offset, t0, -slab / 2), point(plane.offset, t0, slab / 2)]);
      segments.push([point(plane.offset, t1, -slab / 2), point(plane.offset, t1, slab / 2)]);
    }
    for (const [t0, t1] of subtract(mine, below)) segments.push([point(plane.offset, t0, -slab / 2), point(plane.offset, t1, -slab / 2)]);
    for (const [t0, t1] of subtract(mine, above)) segments.push([point(plane.offset, t0, slab / 2), point(plane.offset, t1, slab / 2)]);
  });
  return { polygons: [], segments };
}

/** Interval set difference a − b (both sorted, disjoint). */
export function subtract(a: readonly [number, number][], b: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [s0, s1] of a) {
    let start = s0;
    for (const [b0, b1] of b) {
      if (b1 <= start || b0 >= s1) continue;
      if (b0 > start) out.push([start, b0]);
      start = Math.max(start, b1);
    }
    if (start < s1) out.push([start, s1]);
  }
  return out;
}

