// Brick ranges for empty-space skipping in the ray caster: the volume cut into BRICK³ voxel bricks,
// each with the min and max raw value a sample inside it can see. A ray sample at voxel position p
// belongs to brick floor((p + 0.5) / BRICK) and reads (trilinear) voxels floor(p) and floor(p) + 1,
// so a brick's range covers its voxels and one voxel of apron on every side. Skipping a brick
// whose range cannot change the ray is then exact: the shader and the CPU pick (raycast.ts, which
// marches every sample) give the same answer. Computed once, off the main thread, with the exact
// stats; 4D layers get the union over their frames.
import type { Slabs, VoxelArray } from './dataTypes';

export const BRICK = 4;

export interface BrickGrid {
  /** Voxels per brick edge. */
  size: number;
  /** Bricks along i, j, k. */
  dims: [number, number, number];
  /** Raw min then max per brick, i fastest; rounded outward to float32 (they upload as RG32F). */
  ranges: Float32Array;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The largest float32 ≤ x (x itself where it is representable). */
export function float32Down(x: number): number {
  f32[0] = x;
  if (f32[0] <= x || Number.isNaN(x)) return f32[0];
  // Rounded up: step one ulp toward −∞ (the bit pattern moves away from zero for negatives).
  if (f32[0] > 0) u32[0]--;
  // Stryker disable next-line ConditionalExpression: only −0 gets here (x < 0 rounded up to zero), and the next line's u32++ turns −0 into the same smallest negative float32
  else if (f32[0] === 0) f32[0] = -1.401298464324817e-45;
  else u32[0]++;
  return f32[0];
}

/** The smallest float32 ≥ x. */
export const float32Up = (x: number): number => -float32Down(-x);

/** The bricks whose apron-widened span [bB − 1, (b + 1)B] holds index `n`, as [first, last]. */
function bricksHolding(n: number, size: number, count: number): [number, number] {
  const b = Math.floor(n / size);
  const first = n % size === 0 && b > 0 ? b - 1 : b;
  const last = n % size === size - 1 && b + 1 < count ? b + 1 : b;
  return [first, last];
}

/**
 * Min and max raw value per brick of a single-channel volume (`dims` i, j, k[, t]); undefined for
 * 64-bit integers, which the ray caster does not draw.
 */
export function brickRanges(src: VoxelArray | Slabs, dims: readonly number[], size = BRICK): BrickGrid | undefined {
  // One array, or z-slabs of whole slices: a row lies in one slab.
  const { arrays, slabValues } = 'arrays' in src ? src : { arrays: [src], slabValues: src.length };
  if (arrays[0] instanceof BigInt64Array || arrays[0] instanceof BigUint64Array) return undefined;
  const [nx, ny, nz] = dims;
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const nt = Math.max(1, Math.floor(total / (nx * ny * nz)));
  const bx = Math.ceil(nx / size), by = Math.ceil(ny / size), bz = Math.ceil(nz / size);
  // Written straight into the result (min and max interleaved, rounded outward to float32; rounding
  // is monotone, so the rounded min of the rows is the rounded min of the brick): no brick-sized
  // temporaries, which at 4³ bricks would be a fifth of the voxel bytes again.
  const ranges = new Float32Array(2 * bx * by * bz);
  // Stryker disable next-line EqualityOperator: one pass more writes past the typed array's end, which does nothing
  for (let n = 0; n < ranges.length; n += 2) {
    ranges[n] = Infinity;
    ranges[n + 1] = -Infinity;
  }
  // Per row, the min and max over each brick's apron-widened i span; then the row joins the
  // bricks (one, or two or four at a brick boundary in j or k) whose span holds it.
  const rowLo = new Float64Array(bx);
  const rowHi = new Float64Array(bx);
  for (let t = 0; t < nt; t++) {
    for (let k = 0; k < nz; k++) {
      const [kz0, kz1] = bricksHolding(k, size, bz);
      for (let j = 0; j < ny; j++) {
        const at = ((t * nz + k) * ny + j) * nx;
        const slab = Math.floor(at / slabValues);
        const values = arrays[slab] as Exclude<VoxelArray, BigInt64Array | BigUint64Array>;
        const row = at - slab * slabValues;
        // Stryker disable next-line EqualityOperator: a brick bx would be written to rowLo[bx], past the typed array's end, where writes are dropped
        for (let b = 0; b < bx; b++) {
          let mn = Infinity, mx = -Infinity;
          const end = Math.min(nx - 1, (b + 1) * size);
          for (let i = Math.max(0, b * size - 1); i <= end; i++) {
            const v = values[row + i];
            // Stryker disable next-line EqualityOperator: an equal value leaves the same min
            if (v < mn) mn = v;
            // Stryker disable next-line EqualityOperator: an equal value leaves the same max
            if (v > mx) mx = v; // NaN fails both: it never widens a range
          }
          rowLo[b] = float32Down(mn);
          rowHi[b] = float32Up(mx);
        }
        const [jy0, jy1] = bricksHolding(j, size, by);
        for (let cz = kz0; cz <= kz1; cz++) {
          for (let cy = jy0; cy <= jy1; cy++) {
            const base = 2 * (cz * by + cy) * bx;
            // Stryker disable next-line EqualityOperator: rowLo[bx] is undefined, and comparisons with undefined are false
            for (let b = 0; b < bx; b++) {
              // Stryker disable next-line EqualityOperator: an equal value leaves the same min
              if (rowLo[b] < ranges[base + 2 * b]) ranges[base + 2 * b] = rowLo[b];
              // Stryker disable next-line EqualityOperator: an equal value leaves the same max
              if (rowHi[b] > ranges[base + 2 * b + 1]) ranges[base + 2 * b + 1] = rowHi[b];
            }
          }
        }
      }
    }
  }
  return { size, dims: [bx, by, bz], ranges };
}

/**
 * A coarser grid over `grid`: each cell joins `factor`³ bricks (min of mins, max of maxes), so a
 * ray crosses large empty regions in one step and only looks at bricks where the cell is not empty.
 */
export function coarserGrid(grid: BrickGrid, factor: number): BrickGrid {
  const [bx, by, bz] = grid.dims;
  const dims: [number, number, number] = [Math.ceil(bx / factor), Math.ceil(by / factor), Math.ceil(bz / factor)];
  const ranges = new Float32Array(2 * dims[0] * dims[1] * dims[2]);
  // Stryker disable next-line EqualityOperator: one pass more writes past the typed array's end, which does nothing
  for (let n = 0; n < ranges.length; n += 2) {
    ranges[n] = Infinity;
    ranges[n + 1] = -Infinity;
  }
  for (let k = 0; k < bz; k++)
    for (let j = 0; j < by; j++)
      for (let i = 0; i < bx; i++) {
        const from = 2 * ((k * by + j) * bx + i);
        const to = 2 * ((Math.floor(k / factor) * dims[1] + Math.floor(j / factor)) * dims[0] + Math.floor(i / factor));
        ranges[to] = Math.min(ranges[to], grid.ranges[from]);
        ranges[to + 1] = Math.max(ranges[to + 1], grid.ranges[from + 1]);
      }
  return { size: grid.size * factor, dims, ranges };
}

/** Distances past this are stored as this (they still skip that far). */
export const MAX_EMPTY_DISTANCE = 255;

/**
 * For each brick, the chessboard distance (in bricks) to the nearest brick `isEmpty` refuses:
 * 0 for such a brick, d > 0 when every brick within d − 1 of it (a cube of 2d − 1 bricks) is empty,
 * so a ray can leave that whole cube in one step. Two raster passes over the 26 neighbours give
 * the exact distance (a chamfer with unit weights is exact for the chessboard metric).
 */
export function emptyDistance(grid: BrickGrid, isEmpty: (lo: number, hi: number) => boolean): Uint8Array {
  const [bx, by, bz] = grid.dims;
  const n = bx * by * bz;
  const d = new Uint8Array(n);
  // Stryker disable next-line EqualityOperator: d[n] is past the typed array's end, where writes are dropped
  for (let c = 0; c < n; c++) d[c] = isEmpty(grid.ranges[2 * c], grid.ranges[2 * c + 1]) ? MAX_EMPTY_DISTANCE : 0;
  const pass = (forward: boolean) => {
    const s = forward ? 1 : -1;
    // Stryker disable next-line EqualityOperator: a plane past either end reads undefined (NaN + 1 is never less) and writes past the array, where writes are dropped
    for (let k0 = 0; k0 < bz; k0++) {
      const k = forward ? k0 : bz - 1 - k0;
      for (let j0 = 0; j0 < by; j0++) {
        const j = forward ? j0 : by - 1 - j0;
        for (let i0 = 0; i0 < bx; i0++) {
          const i = forward ? i0 : bx - 1 - i0;
          const c = (k * by + j) * bx + i;
          let best = d[c];
          // Stryker disable next-line ConditionalExpression: a shortcut; a neighbour's distance + 1 is never below 0
          if (best === 0) continue;
          // The neighbours already visited in this pass: the previous plane, row and brick.
          for (let dk = -1; dk <= 0; dk++) {
            const kk = k + s * dk;
            // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a plane outside the grid (kk = bz included) reads past the array's ends, undefined, and NaN + 1 is never less than best
            if (kk < 0 || kk >= bz) continue;
            for (let dj = -1; dj <= 1; dj++) {
              // Stryker disable next-line ConditionalExpression: a neighbour not yet visited holds an upper bound of its distance, so + 1 never goes below the true distance
              if (dk === 0 && dj === 1) break;
              const jj = j + s * dj;
              if (jj < 0 || jj >= by) continue;
              for (let di = -1; di <= 1; di++) {
                // Stryker disable next-line ConditionalExpression: the brick itself and unvisited neighbours hold upper bounds; + 1 never lowers best below the true distance
                if (dk === 0 && dj === 0 && di === 0) break;
                const ii = i + s * di;
                if (ii < 0 || ii >= bx) continue;
                const v = d[(kk * by + jj) * bx + ii] + 1;
                // Stryker disable next-line EqualityOperator: an equal value leaves the same best
                if (v < best) best = v;
              }
            }
          }
          d[c] = best;
        }
      }
    }
  };
  pass(true);
  pass(false);
  return d;
}
