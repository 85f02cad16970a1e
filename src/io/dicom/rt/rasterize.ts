// Which voxels of an image's grid a structure holds: a voxel counts when its centre is inside (no
// partial volumes). Used for Rasterize (a label layer), the statistics and the DVH, so all three
// agree on the same voxels. Only voxels in the structure's bounding box are tested. Pure.
import { invert, transformPoint, type Mat4 } from '../../../volume/affine';
import { insidePolygons, planeAt, type Structure } from './structure';

export interface Grid {
  dims: readonly number[];
  /** Voxel → RAS mm, row-major flat. */
  affine: Mat4;
}

/** The grid's step along `direction` (mm): how far apart its slices lie across the structure's planes. */
export function gridStepAlong(grid: Grid, direction: readonly number[]): number {
  const a = grid.affine;
  // The projection of each voxel axis on the direction; the largest is the step between slices across it.
  return Math.max(...[0, 1, 2].map((c) => Math.abs(a[c] * direction[0] + a[4 + c] * direction[1] + a[8 + c] * direction[2])));
}

/** The voxel indices (i + nx·(j + ny·k), ascending) whose centres lie inside `s`. */
export function rasterizeStructure(s: Structure, grid: Grid): Uint32Array {
  const [nx, ny, nz] = grid.dims;
  const slab = s.slabMm ?? gridStepAlong(grid, s.normal);
  // The bounding box, grown by half a slab along the normal, in voxel indices.
  const inv = invert(grid.affine);
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let c = 0; c < 8; c++) {
    const corner = [0, 1, 2].map((k) => ((c >> k) & 1 ? s.hi[k] + (Math.abs(s.normal[k]) * slab) / 2 : s.lo[k] - (Math.abs(s.normal[k]) * slab) / 2));
    const ijk = transformPoint(inv, corner);
    for (let k = 0; k < 3; k++) {
      lo[k] = Math.min(lo[k], ijk[k]);
      hi[k] = Math.max(hi[k], ijk[k]);
    }
  }
  const from = lo.map((v) => Math.max(0, Math.floor(v)));
  const to = hi.map((v, k) => Math.min(grid.dims[k] - 1, Math.ceil(v)));
  const a = grid.affine;
  const { normal: n, u, v } = s;
  // Per voxel step, the change of the three plane coordinates (along, u, v): affine columns projected.
  const step = (c: number) => [0, 1, 2].map((r) => a[r * 4 + c]);
  const proj = (w: number[]) => [w[0] * n[0] + w[1] * n[1] + w[2] * n[2], w[0] * u[0] + w[1] * u[1] + w[2] * u[2], w[0] * v[0] + w[1] * v[1] + w[2] * v[2]];
  const di = proj(step(0)), dj = proj(step(1)), dk = proj(step(2));
  const origin = proj([a[3], a[7], a[11]]);
  if (to.some((t, k) => t < from[k]) || nx * ny * nz === 0) return new Uint32Array(0);
  // Indices written into a typed array that doubles as it fills (millions of voxels for a large
  // structure on a CT grid: a number[] and a copy cost several times more).
  let out = new Uint32Array(4096);
  let count = 0;
  const room = (more: number) => {
    if (count + more <= out.length) return;
    const grown = new Uint32Array(Math.max(out.length * 2, count + more));
    grown.set(out.subarray(0, count));
    out = grown;
  };
  // Rows that stay in one contour plane and one v (the usual case: an axial structure on an axial
  // grid) are filled as scanlines, from where the row crosses the polygons' edges: the same even–odd
  // rule as insidePolygons, in rows × edges instead of voxels × edges.
  const scanline = Math.abs(di[0]) < 1e-9 && Math.abs(di[2]) < 1e-9 && Math.abs(di[1]) > 1e-9;
  for (let k = from[2]; k <= to[2]; k++)
    for (let j = from[1]; j <= to[1]; j++) {
      const base = [0, 1, 2].map((c) => origin[c] + dj[c] * j + dk[c] * k);
      if (scanline) {
        const plane = planeAt(s, base[0], slab);
        if (!plane) continue;
        const row = nx * (j + ny * k);
        for (const [i0, i1] of rowRuns(plane.polygons, base[2], base[1], di[1], from[0], to[0])) {
          room(i1 - i0 + 1);
          for (let i = i0; i <= i1; i++) out[count++] = i + row;
        }
        continue;
      }
      for (let i = from[0]; i <= to[0]; i++) {
        const along = base[0] + di[0] * i;
        const plane = planeAt(s, along, slab);
        if (plane && insidePolygons(plane.polygons, base[1] + di[1] * i, base[2] + di[2] * i)) {
          room(1);
          out[count++] = i + nx * (j + ny * k);
        }
      }
    }
  return out.slice(0, count);
}

/**
 * The runs of i in [lo, hi] (ascending) whose point u = u0 + du·i on the line v = y is inside the
 * polygons by insidePolygons' rule: inside when an odd number of edge crossings lie beyond it, so
 * the sorted crossings c0 ≤ c1 ≤ … bound [c0, c1), [c2, c3), ….
 */
function rowRuns(polygons: readonly Float64Array[], y: number, u0: number, du: number, lo: number, hi: number): [number, number][] {
  const crossings: number[] = [];
  for (const p of polygons) {
    const n = p.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = p[i * 2 + 1], yj = p[j * 2 + 1];
      if (yi > y !== yj > y) crossings.push(((p[j * 2] - p[i * 2]) * (y - yi)) / (yj - yi) + p[i * 2]);
    }
  }
  crossings.sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (let m = 0; m + 1 < crossings.length; m += 2) {
    const [c0, c1] = [crossings[m], crossings[m + 1]];
    // u(i) ≥ c0 and u(i) < c1, solved for i with the sign of du.
    const start = du > 0 ? Math.ceil((c0 - u0) / du) : Math.floor((c1 - u0) / du) + 1;
    const end = du > 0 ? Math.ceil((c1 - u0) / du) - 1 : Math.floor((c0 - u0) / du);
    const a = Math.max(lo, start), b = Math.min(hi, end);
    if (a <= b) runs.push([a, b]);
  }
  return runs.sort((p, q) => p[0] - q[0]);
}
