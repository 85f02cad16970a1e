import { describe, expect, it } from 'vitest';
import { brushVoxels, diskThicknessMm, keepWithinRange } from './brush';
import type { Vec3 } from './grid';
import { ANISO, grid, OBLIQUE, PLAIN, randomReference, worldOf } from './testGrids';

const sorted = (l: { indices: Int32Array; count: number }) => [...l.indices.subarray(0, l.count)].sort((a, b) => a - b);

/** Every voxel of the grid tested directly: the reference the brush must equal. */
function bruteForce(g: ReturnType<typeof grid>, center: Vec3, r: number, normal?: Vec3): number[] {
  const out: number[] = [];
  const half = normal ? diskThicknessMm(g.affine, normal) / 2 : 0;
  for (let v = 0; v < g.dims[0] * g.dims[1] * g.dims[2]; v++) {
    const p = worldOf(g, v);
    const d = [p[0] - center[0], p[1] - center[1], p[2] - center[2]];
    if (Math.hypot(d[0], d[1], d[2]) > r) continue;
    if (normal) {
      const along = d[0] * normal[0] + d[1] * normal[1] + d[2] * normal[2];
      if (along <= -half || along > half) continue;
    }
    out.push(v);
  }
  return out;
}

describe('brushVoxels', () => {
  for (const [name, affine] of [['plain', PLAIN], ['anisotropic', ANISO], ['oblique', OBLIQUE]] as const) {
    it(`sphere equals testing every voxel centre (${name} grid)`, () => {
      const g = grid([23, 19, 17], affine);
      for (const [center, r] of [[worldOf(g, 5 + 23 * (7 + 19 * 8)), 6], [[0.3, 1.7, 12.2] as Vec3, 4.4], [worldOf(g, 0), 3]] as [Vec3, number][]) {
        const got = sorted(brushVoxels(g, center, r, { kind: 'sphere' }));
        const want = bruteForce(g, center, r);
        expect(got.length).toBeGreaterThan(0);
        expect(got).toEqual(want);
      }
    });
    it(`disk equals testing every voxel centre in the plane (${name} grid)`, () => {
      const g = grid([23, 19, 17], affine);
      const center = worldOf(g, 11 + 23 * (9 + 19 * 8));
      for (const normal of [[0, 0, 1], [0, 1, 0], [1, 0, 0], [0.6, 0, 0.8]] as Vec3[]) {
        const got = sorted(brushVoxels(g, center, 5, { kind: 'disk', normal }));
        expect(got).toEqual(bruteForce(g, center, 5, normal));
      }
    });
  }

  it('an axial disk on a plain grid is one slice: the disk of a 2D raster', () => {
    const g = grid([21, 21, 9], PLAIN);
    const center = worldOf(g, 10 + 21 * (10 + 21 * 4));
    const got = sorted(brushVoxels(g, center, 4, { kind: 'disk', normal: [0, 0, 1] }));
    const slices = new Set(got.map((v) => Math.floor(v / (21 * 21))));
    expect([...slices]).toEqual([4]);
    // Integer points within radius 4 of the origin: 49 (Gauss circle problem, r² = 16).
    expect(got.length).toBe(49);
    // Centred halfway between two slices: one slice still (the slab is half-open), the upper, as nearest display rounds.
    const between: Vec3 = [center[0], center[1], center[2] + 0.5];
    const halfway = sorted(brushVoxels(g, between, 4, { kind: 'disk', normal: [0, 0, 1] }));
    expect([...new Set(halfway.map((v) => Math.floor(v / (21 * 21))))]).toEqual([5]);
  });

  it('a sphere counts voxels whose centre is exactly at the radius', () => {
    const g = grid([9, 9, 9], PLAIN);
    const center = worldOf(g, 4 + 9 * (4 + 9 * 4));
    // Radius 1: the centre and its 6 face neighbours.
    expect(brushVoxels(g, center, 1, { kind: 'sphere' }).count).toBe(7);
  });

  it('keepWithinRange keeps only voxels whose scaled value is in range', () => {
    const g = grid([15, 15, 15], PLAIN);
    const ref = randomReference(15 ** 3, 3, 2, -100);
    const list = brushVoxels(g, worldOf(g, 7 + 15 * (7 + 15 * 7)), 6, { kind: 'sphere' });
    const all = sorted(list);
    keepWithinRange(list, ref, [300, 900]);
    const kept = sorted(list);
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.length).toBeLessThan(all.length);
    expect(kept).toEqual(all.filter((v) => {
      const s = ref.values[v] * 2 - 100;
      return s >= 300 && s <= 900;
    }));
  });
});
