import { expect, it } from 'vitest';
import { BRICK, brickRanges, coarserGrid, emptyDistance, float32Down, float32Up, MAX_EMPTY_DISTANCE } from './bricks';
import { sampleTrilinear } from './raycast';
import type { SampleSource } from './sampling';

/** The brute-force range of every trilinear sample a brick's ray positions can produce. */
function reference(values: ArrayLike<number>, dims: number[], b: number[], size: number): [number, number] {
  const [nx, ny, nz] = dims;
  const nt = values.length / (nx * ny * nz);
  let lo = Infinity, hi = -Infinity;
  for (let t = 0; t < nt; t++)
    for (let k = Math.max(0, b[2] * size - 1); k <= Math.min(nz - 1, (b[2] + 1) * size); k++)
      for (let j = Math.max(0, b[1] * size - 1); j <= Math.min(ny - 1, (b[1] + 1) * size); j++)
        for (let i = Math.max(0, b[0] * size - 1); i <= Math.min(nx - 1, (b[0] + 1) * size); i++) {
          const v = values[((t * nz + k) * ny + j) * nx + i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
  return [lo, hi];
}

it('each brick holds its voxels and a one-voxel apron, for sizes that do not divide the grid and over 4D frames', () => {
  const dims = [19, 10, 17, 2];
  let seed = 7;
  const values = new Int16Array(dims.reduce((a, b) => a * b)).map(() => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 2001) - 1000);
  const grid = brickRanges(values, dims, 4)!;
  expect(grid.dims).toEqual([5, 3, 5]);
  for (let bz = 0; bz < 5; bz++)
    for (let by = 0; by < 3; by++)
      for (let bx = 0; bx < 5; bx++) {
        const n = (bz * 3 + by) * 5 + bx;
        expect([grid.ranges[2 * n], grid.ranges[2 * n + 1]]).toEqual(reference(values, dims, [bx, by, bz], 4));
      }
});

it('every trilinear sample the shader can take inside a brick lies in its range', () => {
  const dims = [20, 20, 20];
  const values = new Float32Array(8000).map((_, i) => Math.sin(i * 0.37) * 100);
  const grid = brickRanges(values, dims)!;
  const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const src: SampleSource = { values, dims, datatype: 'float32', channels: 1, slope: 1, inter: 0, affine: identity, inverseAffine: identity };
  for (let s = 0; s < 5000; s++) {
    // Sample positions cover the whole box, [−0.5, n − 0.5) on each axis.
    const p = [0, 1, 2].map((a) => -0.5 + ((s * [0.618, 0.754, 0.569][a] * 97.13) % 1) * dims[a]);
    const b = p.map((x) => Math.floor((x + 0.5) / BRICK));
    const n = (b[2] * grid.dims[1] + b[1]) * grid.dims[0] + b[0];
    const v = sampleTrilinear(src, p);
    expect(v).toBeGreaterThanOrEqual(grid.ranges[2 * n]);
    expect(v).toBeLessThanOrEqual(grid.ranges[2 * n + 1]);
  }
});

it('ignores NaN, and rounds ranges outward where float32 cannot hold them', () => {
  const nan = brickRanges(new Float32Array([NaN, 2, NaN, -3, 5, NaN, 1, 0]), [2, 2, 2])!;
  expect(Array.from(nan.ranges)).toEqual([-3, 5]);
  const big = brickRanges(new Int32Array([16777217, 16777219, -16777217, 0]), [2, 2, 1])!;
  expect(big.ranges[0]).toBeLessThanOrEqual(-16777217);
  expect(big.ranges[1]).toBeGreaterThanOrEqual(16777219);
  expect(float32Down(0.1)).toBeLessThanOrEqual(0.1);
  expect(float32Up(0.1)).toBeGreaterThanOrEqual(0.1);
  expect(float32Down(-0.1)).toBeLessThanOrEqual(-0.1);
  expect(float32Up(-0.1)).toBeGreaterThanOrEqual(-0.1);
  expect(float32Down(3)).toBe(3);
  expect(brickRanges(new BigInt64Array(8), [2, 2, 2])).toBeUndefined();
});

it('a coarser grid joins the bricks under each cell', () => {
  const dims = [40, 24, 17];
  const values = new Int16Array(40 * 24 * 17).map((_, i) => (i * 7919) % 1000);
  const fine = brickRanges(values, dims, 4)!;
  const coarse = coarserGrid(fine, 4);
  expect(coarse.size).toBe(16);
  expect(coarse.dims).toEqual([3, 2, 2]);
  // Cell (2, 1, 1) covers bricks i 8–9, j 4–5, k 4 (the grid's edges cut it short).
  let lo = Infinity, hi = -Infinity;
  for (let k = 4; k < 5; k++)
    for (let j = 4; j < 6; j++)
      for (let i = 8; i < 10; i++) {
        const n = (k * fine.dims[1] + j) * fine.dims[0] + i;
        lo = Math.min(lo, fine.ranges[2 * n]);
        hi = Math.max(hi, fine.ranges[2 * n + 1]);
      }
  const c = (1 * 2 + 1) * 3 + 2;
  expect([coarse.ranges[2 * c], coarse.ranges[2 * c + 1]]).toEqual([lo, hi]);
});

it('the empty distance is the chessboard distance to the nearest brick that is not empty', () => {
  const dims: [number, number, number] = [9, 7, 5];
  const ranges = new Float32Array(2 * 9 * 7 * 5);
  const full = [[1, 1, 1], [7, 5, 3], [4, 0, 4]];
  for (const [i, j, k] of full) ranges[2 * ((k * 7 + j) * 9 + i) + 1] = 10;
  const d = emptyDistance({ size: 8, dims, ranges }, (_lo, hi) => hi < 5);
  for (let k = 0; k < 5; k++)
    for (let j = 0; j < 7; j++)
      for (let i = 0; i < 9; i++) {
        const expected = Math.min(...full.map((f) => Math.max(Math.abs(f[0] - i), Math.abs(f[1] - j), Math.abs(f[2] - k))));
        expect(d[(k * 7 + j) * 9 + i], `brick ${i},${j},${k}`).toBe(expected);
      }
  // Nothing but empty bricks: every distance is the cap.
  expect(emptyDistance({ size: 8, dims, ranges }, () => true).every((v) => v === MAX_EMPTY_DISTANCE)).toBe(true);
});

it('a grid in z-slabs of whole slices (slab ends inside bricks) gives the same ranges as the grid in one array', () => {
  const dims = [9, 7, 13];
  let seed = 3;
  const values = new Float32Array(9 * 7 * 13).map(() => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 1000) - 500);
  const slice = 9 * 7;
  // Slabs of 5, 5 and 3 slices: ends at k = 5 and 10, inside 4³ bricks 1 and 2.
  const arrays = [values.slice(0, 5 * slice), values.slice(5 * slice, 10 * slice), values.slice(10 * slice)];
  const whole = brickRanges(values, dims)!;
  const slabbed = brickRanges({ arrays, slabValues: 5 * slice }, dims)!;
  expect(slabbed.dims).toEqual(whole.dims);
  expect([...slabbed.ranges]).toEqual([...whole.ranges]);
});

// Written against the mutants Stryker left alive in bricks.ts (issue 27).
it('bricks that divide the grid (a last voxel on a brick edge), and volumes of one sign only', () => {
  const dims = [8, 8, 8];
  let seed = 11;
  const mixed = new Float32Array(512).map(() => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 2001) - 1000);
  for (const values of [mixed, mixed.map((v) => Math.abs(v) + 1), mixed.map((v) => -Math.abs(v) - 1)]) {
    const grid = brickRanges(values, dims, 4)!;
    expect(grid.dims).toEqual([2, 2, 2]);
    for (let n = 0; n < 8; n++) expect([grid.ranges[2 * n], grid.ranges[2 * n + 1]]).toEqual(reference(values, dims, [n % 2, (n >> 1) % 2, n >> 2], 4));
    // One cell over all eight bricks: the range of the whole volume.
    const one = coarserGrid(grid, 2);
    expect([...one.ranges]).toEqual([Math.min(...values), Math.max(...values)]);
  }
});

it('float32Down of a negative number that rounds to −0 is the smallest negative float32', () => {
  expect(float32Down(-1e-50)).toBe(-1.401298464324817e-45);
  expect(float32Up(1e-50)).toBe(1.401298464324817e-45);
  expect(float32Down(1e-50)).toBe(0);
});

it('empty distances along a single row, from a full brick in the first plane, and with a test on the low end', () => {
  const row = { size: 4, dims: [9, 1, 1] as [number, number, number], ranges: new Float32Array(18) };
  row.ranges[1] = 10;
  expect([...emptyDistance(row, (_lo, hi) => hi < 5)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const dims: [number, number, number] = [5, 5, 3];
  const ranges = new Float32Array(2 * 75);
  ranges[2 * (0 * 25 + 2 * 5 + 2)] = 10; // brick (2, 2, 0): its low end is 10
  const d = emptyDistance({ size: 4, dims, ranges }, (lo) => lo < 5);
  for (let k = 0; k < 3; k++)
    for (let j = 0; j < 5; j++)
      for (let i = 0; i < 5; i++) expect(d[(k * 5 + j) * 5 + i], `brick ${i},${j},${k}`).toBe(Math.max(Math.abs(i - 2), Math.abs(j - 2), k));
});
