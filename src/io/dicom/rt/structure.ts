// A structure's closed planar contours as a solid: contours grouped into parallel planes, each
// plane standing for the slab of tissue about it (half the spacing between contour planes on
// either side: the convention of treatment planning systems), and inside meaning even–odd over the
// plane's polygons (so a contour inside another is a hole). What rasterizing, statistics, the DVH
// and the slice panes' drawing all share. Pure; world coordinates are RAS mm.
import type { Vec3 } from '../types';

export interface StructurePlane {
  /** Position along the normal, mm. */
  offset: number;
  /** The polygons as (u, v) pairs in the plane's own 2D coordinates. */
  polygons: Float64Array[];
}

export interface Structure {
  /** The planes' unit normal, and two in-plane unit axes (u, v, normal right-handed). */
  normal: Vec3;
  u: Vec3;
  v: Vec3;
  /** Sorted by offset. */
  planes: StructurePlane[];
  /** Each plane's slab thickness: the smallest step between planes (undefined with one plane: the grid's step is used). */
  slabMm?: number;
  /** World bounding box of the contour points. */
  lo: Vec3;
  hi: Vec3;
  /** Contours left out: not parallel to the others, or of no area. */
  skipped: number;
}

const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: readonly number[], b: readonly number[]): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a: readonly number[]): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};

/** A polygon's area vector (Newell's method): its normal times twice its area. */
function newell(p: Float64Array): Vec3 {
  const out: Vec3 = [0, 0, 0];
  const n = p.length / 3;
  for (let i = 0; i < n; i++) {
    const j = ((i + 1) % n) * 3;
    const a = i * 3;
    out[0] += (p[a + 1] - p[j + 1]) * (p[a + 2] + p[j + 2]);
    out[1] += (p[a + 2] - p[j + 2]) * (p[a] + p[j]);
    out[2] += (p[a] - p[j]) * (p[a + 1] + p[j + 1]);
  }
  return out;
}

/** Offsets closer than this (mm) are one plane. */
const SAME_PLANE_MM = 1e-3;

/** Groups closed planar contours (xyz triples, RAS mm) into a structure; null when none has an area. */
export function buildStructure(contours: readonly Float64Array[]): Structure | null {
  const first = contours.map(newell).find((a) => Math.hypot(a[0], a[1], a[2]) > 1e-9);
  if (!first) return null;
  // Components that are rounding noise (a plane's Newell sum over exact axial points can leave
  // 1e-16 in x) are zero: the in-plane axes below then follow the world axes, and an axial
  // structure meets an axial grid's rows along one in-plane axis (rasterize.ts fills them as scanlines).
  let normal = unit(unit(first).map((c) => (Math.abs(c) < 1e-12 ? 0 : c)) as Vec3);
  // The normal points the way of its largest component, so axial planes go inferior → superior.
  const big = [0, 1, 2].reduce((m, i) => (Math.abs(normal[i]) > Math.abs(normal[m]) ? i : m), 0);
  if (normal[big] < 0) normal = [-normal[0], -normal[1], -normal[2]];
  // In-plane axes: the world axis least along the normal, made perpendicular to it.
  const least = [0, 1, 2].reduce((m, i) => (Math.abs(normal[i]) < Math.abs(normal[m]) ? i : m), 0);
  const e: Vec3 = [0, 0, 0];
  e[least] = 1;
  const u = unit([e[0] - normal[least] * normal[0], e[1] - normal[least] * normal[1], e[2] - normal[least] * normal[2]]);
  const v = cross(normal, u);
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  const byOffset: { offset: number; polygons: Float64Array[] }[] = [];
  let skipped = 0;
  for (const c of contours) {
    const a = newell(c);
    const area = Math.hypot(a[0], a[1], a[2]);
    if (area <= 1e-9 || Math.abs(dot(a, normal)) < area * 0.9999) {
      skipped++;
      continue;
    }
    const n = c.length / 3;
    const flat = new Float64Array(n * 2);
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const p = [c[i * 3], c[i * 3 + 1], c[i * 3 + 2]];
      flat[i * 2] = dot(p, u);
      flat[i * 2 + 1] = dot(p, v);
      offset += dot(p, normal) / n;
      for (let k = 0; k < 3; k++) {
        lo[k] = Math.min(lo[k], p[k]);
        hi[k] = Math.max(hi[k], p[k]);
      }
    }
    const plane = byOffset.find((q) => Math.abs(q.offset - offset) < SAME_PLANE_MM);
    if (plane) plane.polygons.push(flat);
    else byOffset.push({ offset, polygons: [flat] });
  }
  if (!byOffset.length) return null;
  byOffset.sort((a, b) => a.offset - b.offset);
  const steps = byOffset.slice(1).map((p, i) => p.offset - byOffset[i].offset);
  return { normal, u, v, planes: byOffset, slabMm: steps.length ? Math.min(...steps) : undefined, lo, hi, skipped };
}

/** Even–odd: whether (x, y) is inside the polygons (a point inside two nested ones is in a hole). */
export function insidePolygons(polygons: readonly Float64Array[], x: number, y: number): boolean {
  let inside = false;
  for (const p of polygons) {
    const n = p.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = p[i * 2 + 1], yj = p[j * 2 + 1];
      if (yi > y !== yj > y) {
        const xi = p[i * 2], xj = p[j * 2];
        if (x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** The plane whose slab holds `along` (half-open: [offset − slab/2, offset + slab/2)), or undefined. */
export function planeAt(s: Structure, along: number, slabMm: number): StructurePlane | undefined {
  const planes = s.planes;
  let lo = 0, hi = planes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (planes[mid].offset < along) lo = mid + 1;
    else hi = mid;
  }
  for (const i of [lo - 1, lo]) {
    const p = planes[i];
    if (p && along - p.offset >= -slabMm / 2 && along - p.offset < slabMm / 2) return p;
  }
  return undefined;
}

/** Whether world point `p` is inside the structure (its plane's slab, then even–odd in the plane). */
export function insideStructure(s: Structure, p: readonly number[], slabMm: number): boolean {
  const plane = planeAt(s, dot(p, s.normal), slabMm);
  return plane !== undefined && insidePolygons(plane.polygons, dot(p, s.u), dot(p, s.v));
}

/** Shoelace area of a 2D polygon (u, v pairs), mm², unsigned. */
export function polygonArea(p: Float64Array): number {
  let twice = 0;
  const n = p.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) twice += p[j * 2] * p[i * 2 + 1] - p[i * 2] * p[j * 2 + 1];
  return Math.abs(twice) / 2;
}

/** A plane's even–odd area: polygons nested an odd number of times are holes. */
export function planeArea(plane: StructurePlane): number {
  return plane.polygons.reduce((sum, p, i) => {
    const others = plane.polygons.filter((_, j) => j !== i);
    const hole = insidePolygons(others, p[0], p[1]);
    return sum + (hole ? -1 : 1) * polygonArea(p);
  }, 0);
}

/** The structure's volume from its contours (Σ plane area × slab), mm³; `slabMm` for a single plane. */
export function contourVolumeMm3(s: Structure, slabMm = s.slabMm ?? 0): number {
  return s.planes.reduce((sum, p) => sum + planeArea(p) * slabMm, 0);
}
