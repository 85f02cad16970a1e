// Region grow: the voxels connected to a seed (6- or 26-connected) whose reference value, scaled,
// is within [lo, hi]. A stack of flat indices and a visited bitset (one bit a voxel): about 1 M
// voxels grow in tens of ms on the main thread. Optionally limited to one slice (2D grow).
import type { Reference, Vec3 } from './grid';
import type { VoxelList } from './brush';

export type Connectivity = 6 | 26;

/** A plane of the grid: voxel axis 0 (i), 1 (j) or 2 (k) fixed at `index`. */
export interface GridSlice {
  axis: 0 | 1 | 2;
  index: number;
}

const OFFSETS_26: Vec3[] = [];
for (let dk = -1; dk <= 1; dk++) for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) if (di || dj || dk) OFFSETS_26.push([di, dj, dk]);
const OFFSETS_6: Vec3[] = OFFSETS_26.filter((o) => Math.abs(o[0]) + Math.abs(o[1]) + Math.abs(o[2]) === 1);

export interface GrowOptions {
  seed: Vec3;
  range: readonly [number, number];
  connectivity: Connectivity;
  /** Grow within this slice only. */
  slice?: GridSlice;
}

/**
 * The voxels reached from `seed` (voxel indices, rounded) through voxels within range; none when
 * the seed itself is outside the grid or the range. A scanline fill: each popped seed grows into
 * its whole run along x, then the neighbouring rows (4 for 6-connectivity, 8 and one voxel wider
 * for 26) are scanned over that run for new runs, one seed each. One division per run, not per
 * voxel, and a stack of runs, not of voxels.
 */
export function regionGrow(dims: Vec3, ref: Reference, o: GrowOptions): VoxelList {
  const [nx, ny, nz] = dims;
  const [si, sj, sk] = o.seed.map((v) => Math.round(v));
  const empty: VoxelList = { indices: new Int32Array(0), count: 0 };
  if (si < 0 || sj < 0 || sk < 0 || si >= nx || sj >= ny || sk >= nz) return empty;
  if (o.slice && [si, sj, sk][o.slice.axis] !== o.slice.index) return empty;
  const { values, slope, inter } = ref;
  const [lo, hi] = o.range;
  // The same expression as every reader of scaled values (raw · slope + inter), so the boundary agrees exactly.
  const inside = (v: number) => {
    const s = v * slope + inter;
    return s >= lo && s <= hi;
  };
  const seed = si + nx * (sj + ny * sk);
  if (!inside(values[seed])) return empty;
  const axis = o.slice?.axis;
  // Neighbouring rows (dj, dk), and how far past the run they are scanned (diagonals in x for 26).
  const rows = (o.connectivity === 26 ? OFFSETS_26 : OFFSETS_6).filter((d) => d[0] === 0 || o.connectivity === 26).map((d) => [d[1], d[2]] as const);
  const rowSet = [...new Map(rows.filter(([dj, dk]) => (dj || dk) && (axis !== 1 || dj === 0) && (axis !== 2 || dk === 0)).map((r) => [`${r[0]},${r[1]}`, r])).values()];
  const widen = o.connectivity === 26 && axis !== 0 ? 1 : 0;
  // A 2D grow across x (the slice fixes i) keeps every run one voxel long.
  const xMin = axis === 0 ? si : 0;
  const xMax = axis === 0 ? si : nx - 1;
  const visited = new Uint32Array(Math.ceil((nx * ny * nz) / 32));
  const seen = (w: number) => (visited[w >>> 5] & (1 << (w & 31))) !== 0;
  let out = new Int32Array(1024);
  let count = 0;
  let stack = new Int32Array(256);
  let top = 0;
  stack[top++] = seed;
  while (top > 0) {
    const v = stack[--top];
    if (seen(v)) continue;
    const r = Math.floor(v / nx);
    const row = r * nx;
    const i = v - row;
    const k = Math.floor(r / ny);
    const j = r - k * ny;
    let a = i;
    while (a > xMin && !seen(row + a - 1) && inside(values[row + a - 1])) a--;
    let b = i;
    while (b < xMax && !seen(row + b + 1) && inside(values[row + b + 1])) b++;
    if (count + (b - a + 1) > out.length) {
      const grown = new Int32Array(Math.max(out.length * 2, count + (b - a + 1)));
      grown.set(out.subarray(0, count));
      out = grown;
    }
    for (let x = a; x <= b; x++) {
      const w = row + x;
      visited[w >>> 5] |= 1 << (w & 31);
      out[count++] = w;
    }
    for (const [dj, dk] of rowSet) {
      const jj = j + dj;
      const kk = k + dk;
      if (jj < 0 || kk < 0 || jj >= ny || kk >= nz) continue;
      const nrow = (jj + ny * kk) * nx;
      let inRun = false;
      for (let x = Math.max(xMin, a - widen), end = Math.min(xMax, b + widen); x <= end; x++) {
        const w = nrow + x;
        const ok = !seen(w) && inside(values[w]);
        if (ok && !inRun) {
          if (top === stack.length) {
            const grown = new Int32Array(top * 2);
            grown.set(stack);
            stack = grown;
          }
          stack[top++] = w;
        }
        inRun = ok;
      }
    }
  }
  return { indices: out, count };
}
