import { describe, expect, it } from 'vitest';
import type { Reference, Vec3 } from './grid';
import { regionGrow, type Connectivity, type GridSlice } from './regionGrow';
import { randomReference } from './testGrids';

/** A plain breadth-first flood fill over (i, j, k) triples: the reference. */
function cpuFlood(dims: Vec3, ref: Reference, seed: Vec3, [lo, hi]: [number, number], conn: Connectivity, slice?: GridSlice): number[] {
  const [nx, ny, nz] = dims;
  const ok = (i: number, j: number, k: number) => {
    const s = ref.values[i + nx * (j + ny * k)] * ref.slope + ref.inter;
    return s >= lo && s <= hi;
  };
  if (!ok(...seed)) return [];
  const seen = new Set<number>([seed[0] + nx * (seed[1] + ny * seed[2])]);
  const queue: Vec3[] = [seed];
  while (queue.length) {
    const [i, j, k] = queue.shift()!;
    for (let dk = -1; dk <= 1; dk++) for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) {
      const n = Math.abs(di) + Math.abs(dj) + Math.abs(dk);
      if (n === 0 || (conn === 6 && n > 1)) continue;
      if (slice && [di, dj, dk][slice.axis] !== 0) continue;
      const [a, b, c] = [i + di, j + dj, k + dk];
      if (a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz) continue;
      const v = a + nx * (b + ny * c);
      if (seen.has(v) || !ok(a, b, c)) continue;
      seen.add(v);
      queue.push([a, b, c]);
    }
  }
  return [...seen].sort((x, y) => x - y);
}

const sorted = (l: { indices: Int32Array; count: number }) => [...l.indices.subarray(0, l.count)].sort((a, b) => a - b);

describe('regionGrow', () => {
  const dims: Vec3 = [24, 21, 18];
  const ref = randomReference(24 * 21 * 18, 11, 0.5, 20);
  for (const conn of [6, 26] as const) {
    it(`equals a CPU flood fill, ${conn}-connected`, () => {
      for (const [seed, range] of [[[3, 4, 5], [170, 290]], [[12, 10, 9], [200, 330]], [[0, 0, 0], [0, 1000]], [[23, 20, 17], [240, 300]]] as [Vec3, [number, number]][]) {
        const want = cpuFlood(dims, ref, seed, range, conn);
        expect(sorted(regionGrow(dims, ref, { seed, range, connectivity: conn }))).toEqual(want);
      }
    });
    it(`grows within one slice when asked (2D, ${conn}-connected)`, () => {
      for (const slice of [{ axis: 2, index: 9 }, { axis: 0, index: 12 }, { axis: 1, index: 10 }] as GridSlice[]) {
        const seed: Vec3 = [12, 10, 9];
        const want = cpuFlood(dims, ref, seed, [180, 330], conn, slice);
        expect(want.length).toBeGreaterThan(3);
        expect(sorted(regionGrow(dims, ref, { seed, range: [180, 330], connectivity: conn, slice }))).toEqual(want);
      }
    });
  }
  it('26-connectivity reaches diagonal neighbours that 6 does not', () => {
    const values = new Uint8Array(27);
    values[0] = 1;
    values[13] = 1;
    values[26] = 1;
    const r: Reference = { values, slope: 1, inter: 0 };
    expect(regionGrow([3, 3, 3], r, { seed: [0, 0, 0], range: [1, 1], connectivity: 6 }).count).toBe(1);
    expect(regionGrow([3, 3, 3], r, { seed: [0, 0, 0], range: [1, 1], connectivity: 26 }).count).toBe(3);
  });
  it('a seed outside the range or the grid grows nothing', () => {
    expect(regionGrow(dims, ref, { seed: [3, 4, 5], range: [5000, 6000], connectivity: 6 }).count).toBe(0);
    expect(regionGrow(dims, ref, { seed: [-1, 4, 5], range: [0, 6000], connectivity: 6 }).count).toBe(0);
    // Just past each edge (a flat index that wraps into the grid would grow: the range holds every voxel).
    const all = [-1e9, 1e9] as const;
    for (const seed of [[24, 4, 5], [4, 21, 5], [4, -1, 5], [4, 5, -1], [4, 5, 18]] as Vec3[]) expect(regionGrow(dims, ref, { seed, range: all, connectivity: 6 }).count).toBe(0);
    expect(regionGrow(dims, ref, { seed: [23, 20, 17], range: all, connectivity: 6 }).count).toBe(24 * 21 * 18);
    // A 2D grow whose seed is off its slice grows nothing.
    expect(regionGrow(dims, ref, { seed: [3, 4, 5], range: all, connectivity: 6, slice: { axis: 2, index: 6 } }).count).toBe(0);
    expect(regionGrow(dims, ref, { seed: [3, 4, 6], range: all, connectivity: 6, slice: { axis: 2, index: 6 } }).count).toBe(24 * 21);
  });
});
