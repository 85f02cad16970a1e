import { describe, expect, it } from 'vitest';
import { brushVoxels } from './brush';
import { LabelEditor } from './editor';
import type { Vec3 } from './grid';
import { interpolationVoxels, signedDistance2d } from './interpolate';
import { islandVoxels } from './islands';
import { polygonVoxels } from './outline';
import { grid, PLAIN, worldOf } from './testGrids';

describe('islandVoxels', () => {
  it('keeps the largest 6-connected component of the label only', () => {
    const dims: Vec3 = [12, 12, 12];
    const g = grid(dims, PLAIN);
    const ed = new LabelEditor(new Uint8Array(12 ** 3), g, null);
    const big = ed.write(brushVoxels(g, worldOf(g, 4 + 12 * (4 + 12 * 4)), 3, { kind: 'sphere' }), 5).changed;
    ed.labels[11 + 12 * (11 + 12 * 11)] = 5;
    ed.labels[0] = 5;
    // Diagonal to the corner voxel only: a component of its own under 6-connectivity.
    ed.labels[1 + 12 * (1 + 12 * 1)] = 5;
    ed.labels[1] = 7;
    const list = islandVoxels(ed.labels, dims, 5);
    expect([...list.indices.subarray(0, list.count)].sort((a, b) => a - b)).toEqual([0, 1 + 12 * (1 + 12 * 1), 11 + 12 * (11 + 12 * 11)]);
    ed.write(list, 0);
    expect(ed.labels.filter((l) => l === 5).length).toBe(big);
    expect(ed.labels[1]).toBe(7);
  });
});

describe('polygonVoxels', () => {
  it('fills the voxels whose centres are inside a closed outline in the slice', () => {
    const dims: Vec3 = [10, 8, 6];
    // A square from (2.5, 1.5) to (6.5, 5.5) in slice k = 3: centres u 3..6, v 2..5.
    const list = polygonVoxels(dims, { axis: 2, index: 3 }, [[2.5, 1.5], [6.5, 1.5], [6.5, 5.5], [2.5, 5.5]]);
    const want: number[] = [];
    for (let v = 2; v <= 5; v++) for (let u = 3; u <= 6; u++) want.push(u + 10 * (v + 8 * 3));
    expect([...list.indices.subarray(0, list.count)].sort((a, b) => a - b)).toEqual(want);
    // A triangle in a sagittal slice (axis 0: u = j, v = k).
    const tri = polygonVoxels(dims, { axis: 0, index: 4 }, [[0, 0], [7, 0], [0, 5]]);
    for (const idx of tri.indices.subarray(0, tri.count)) {
      const j = Math.floor(idx / 10) % 8;
      const k = Math.floor(idx / 80);
      expect(idx % 10).toBe(4);
      expect(j / 7 + k / 5).toBeLessThanOrEqual(1);
    }
    expect(tri.count).toBeGreaterThan(10);
  });
});

describe('interpolation between slices', () => {
  it('signed distance of a disk is negative inside and crosses zero at its edge', () => {
    const n = 21;
    const mask = new Uint8Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) mask[x + n * y] = (x - 10) ** 2 + (y - 10) ** 2 <= 25 ? 1 : 0;
    const sd = signedDistance2d(mask, n, n, [1, 1]);
    // The nearest pixel outside the centre's disk is (1, 5) away: √26.
    expect(sd[10 + n * 10]).toBeCloseTo(0.5 - Math.sqrt(26), 5);
    expect(sd[10 + n * 15]).toBeCloseTo(-0.5, 5);
    expect(sd[10 + n * 16]).toBeCloseTo(0.5, 5);
    expect(sd[0]).toBeGreaterThan(8);
  });

  it('two drawn discs give the intermediate discs (radius within one voxel of the linear blend)', () => {
    const dims: Vec3 = [41, 41, 21];
    const spacing: Vec3 = [1, 1, 2];
    const g = grid(dims, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
    const ed = new LabelEditor(new Uint8Array(41 * 41 * 21), g, null);
    const at = (i: number, j: number, k: number) => worldOf(g, i + 41 * (j + 41 * k));
    ed.write(brushVoxels(g, at(20, 20, 4), 4, { kind: 'disk', normal: [0, 0, 1] }), 3);
    ed.write(brushVoxels(g, at(20, 20, 16), 12, { kind: 'disk', normal: [0, 0, 1] }), 3);
    ed.write(interpolationVoxels(ed.labels, dims, 3, 2, spacing), 3);
    for (let k = 5; k < 16; k++) {
      const t = (k - 4) / 12;
      const r = 4 + t * 8;
      // Every voxel of slice k: inside the expected disc by more than a voxel → labelled; outside by more → not.
      for (let j = 0; j < 41; j++)
        for (let i = 0; i < 41; i++) {
          const d = Math.hypot(i - 20, j - 20);
          const l = ed.labels[i + 41 * (j + 41 * k)];
          if (d <= r - 1) expect(l, `slice ${k} (${i}, ${j}) inside`).toBe(3);
          if (d >= r + 1) expect(l, `slice ${k} (${i}, ${j}) outside`).toBe(0);
        }
    }
    // Outside the drawn range nothing is added.
    expect(ed.labels.subarray(0, 41 * 41 * 4).some((l) => l !== 0)).toBe(false);
    expect(ed.labels.subarray(41 * 41 * 17).some((l) => l !== 0)).toBe(false);
  });
});
