import { describe, expect, it } from 'vitest';
import type { Mat4 } from './affine';
import { boxAffine, boxChunks, chunkBytes, copyChunkIntoBox, copyGridBox, detailBox, type DetailBox, type PyramidSource } from './pyramid';

// A (z, y, x) uint16 pyramid of 3 levels over a 256 × 128 × 32 grid, 1 µm voxels at level 0, chunks 16³.
const value = (i: number, j: number, k: number) => (i * 7 + j * 13 + k * 31) % 65536;
const dims0 = [256, 128, 32];
const level = (l: number) => {
  const f = 2 ** l;
  const dims = dims0.map((n) => n / f);
  const affine: Mat4 = [f, 0, 0, 10, 0, f, 0, -5, 0, 0, f, 2, 0, 0, 0, 1];
  return { path: String(l), shape: [dims[2], dims[1], dims[0]], chunks: [16, 16, 16], dims, affine };
};
const pyramid: PyramidSource = { url: 'mem', axes: { x: 2, y: 1, z: 0 }, channel: 0, datatype: 'uint16', levels: [0, 1, 2].map(level) };
const chunkOf = (l: number, at: number[]) => {
  const f = 2 ** l;
  const out = new Uint16Array(16 ** 3);
  for (let z = 0; z < 16; z++) for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) out[(z * 16 + y) * 16 + x] = value((at[2] * 16 + x) * f, (at[1] * 16 + y) * f, (at[0] * 16 + z) * f);
  return out;
};
/** An axial pane around world (cx, cy) at slice z, `mmPerPixel`, 100 × 80 pixels. */
const axial = (cx: number, cy: number, z: number, mmPerPixel: number) => {
  const [hw, hh] = [50 * mmPerPixel, 40 * mmPerPixel];
  return { corners: [[cx - hw, cy - hh, z], [cx + hw, cy - hh, z], [cx - hw, cy + hh, z], [cx + hw, cy + hh, z]], mmPerPixel, normalAxis: 2 as const };
};

const fetchesAtMost = (bytes: number) => (box: DetailBox) => chunkBytes(pyramid, pyramid.levels[box.level], box) <= bytes;

describe('detailBox', () => {
  it('is null when the drawn level is as fine as the screen pixel', () => {
    expect(detailBox(pyramid.levels, 2, axial(100, 50, 10, 4), 0, 1 << 20)).toBeNull();
    expect(detailBox(pyramid.levels, 0, axial(100, 50, 10, 0.1), 0, 1 << 20)).toBeNull();
  });
  it('takes the coarsest level whose voxels are no larger than a pixel, and the box the pane sees on the slice', () => {
    const box = detailBox(pyramid.levels, 2, axial(100, 50, 10, 2.5), 0, 1 << 20)!;
    // Level 1 (2 µm voxels) ≤ 2.5 µm per pixel. x from (100 − 125 − 10) / 2 → 0 to (100 + 125 − 10) / 2 = 107.5 → 108, both ends in.
    expect(box.level).toBe(1);
    expect(box.lo).toEqual([0, 0, 4]);
    expect(box.size).toEqual([109, 64, 1]);
    expect(detailBox(pyramid.levels, 2, axial(100, 50, 10, 0.5), 0, 1 << 20)!.level).toBe(0);
  });
  it('takes a coarser level while the box passes the texel limit, and is null off the image', () => {
    expect(detailBox(pyramid.levels, 2, axial(100, 50, 10, 0.9), 0, 50 * 40)!.level).toBe(1);
    expect(detailBox(pyramid.levels, 2, axial(100, 50, 100, 0.9), 0, 1 << 20)).toBeNull();
  });
  it('a thick slab on the patient axes: the level a thin pane takes, the box through the whole slab', () => {
    // 6 µm thick about z = 20: level 1's voxels z = (17 − 2) / 2 = 7.5 → 7 to (23 − 2) / 2 = 10.5 → 11.
    const thin = axial(100, 50, 20, 2.5);
    const faces = [17, 23].flatMap((z) => thin.corners.map(([x, y]) => [x, y, z]));
    const box = detailBox(pyramid.levels, 2, { ...thin, corners: faces, slab: true }, 0, 1 << 20)!;
    const flat = detailBox(pyramid.levels, 2, thin, 0, 1 << 20)!;
    expect(box.level).toBe(flat.level);
    expect(box.lo).toEqual([flat.lo[0], flat.lo[1], 7]);
    expect(box.size).toEqual([flat.size[0], flat.size[1], 5]);
    // Without the flag the same corners give one slice (a thin pane's box).
    expect(detailBox(pyramid.levels, 2, { ...thin, corners: faces }, 0, 1 << 20)!.size[2]).toBe(1);
  });
  it('on a turned plane: the box spans every voxel the plane crosses in the pane, with linear sampling\'s neighbours', () => {
    // The axial pane of `axial(100, 50, 20, 2.5)` tilted 5° about R: its edges 100 µm from the centre
    // in y now reach z = 20 ± 100 sin 5° = 20 ± 8.72.
    const flat = axial(100, 50, 20, 2.5);
    const th = (5 * Math.PI) / 180;
    const corners = flat.corners.map(([x, y]) => [x, 50 + (y - 50) * Math.cos(th), 20 + (y - 50) * Math.sin(th)]);
    const box = detailBox(pyramid.levels, 2, { corners, mmPerPixel: 2.5, normalAxis: null }, 0, 1 << 20)!;
    expect(box.level).toBe(1);
    // Level 1: voxel = (world − origin) / 2. Every corner's voxel coordinate, floored and ceiled, is in the box.
    const origin = [10, -5, 2];
    for (const c of corners)
      for (let a = 0; a < 3; a++) {
        const v = Math.min(Math.max((c[a] - origin[a]) / 2, 0), pyramid.levels[1].dims[a] - 1);
        expect(Math.floor(v)).toBeGreaterThanOrEqual(box.lo[a]);
        expect(Math.ceil(v)).toBeLessThanOrEqual(box.lo[a] + box.size[a] - 1);
      }
    // z from (11.28 − 2) / 2 = 4.64 → 4 to (28.72 − 2) / 2 = 13.36 → 14.
    expect([box.lo[2], box.size[2]]).toEqual([4, 11]);
    // Taken as a patient-axis plane, the same corners would give one slice only.
    expect(detailBox(pyramid.levels, 2, { corners, mmPerPixel: 2.5, normalAxis: 2 }, 0, 1 << 20)!.size[2]).toBe(1);
  });
  it('takes a coarser level while the chunks to fetch pass their byte limit', () => {
    // Level 0 at 0.9 µm per pixel sees x 45…135 and y 19…91: 7 × 5 chunks of 8 KiB.
    expect(detailBox(pyramid.levels, 2, axial(100, 50, 10, 0.9), 0, 1 << 20, fetchesAtMost(35 * 8192))!.level).toBe(0);
    expect(detailBox(pyramid.levels, 2, axial(100, 50, 10, 0.9), 0, 1 << 20, fetchesAtMost(34 * 8192))!.level).toBe(1);
  });
});

describe('copyChunkIntoBox', () => {
  it('assembles the box from the chunks it names, each voxel the level\'s own', () => {
    const box = { level: 0, frame: 0, lo: [30, 7, 19] as [number, number, number], size: [40, 20, 1] as [number, number, number] };
    const chunks = boxChunks(pyramid, pyramid.levels[0], box);
    expect(chunks).toEqual([[1, 0, 1], [1, 0, 2], [1, 0, 3], [1, 0, 4], [1, 1, 1], [1, 1, 2], [1, 1, 3], [1, 1, 4]]);
    const out = new Uint16Array(40 * 20);
    for (const at of chunks) copyChunkIntoBox(pyramid, pyramid.levels[0], box, at, chunkOf(0, at), out);
    for (let j = 0; j < 20; j++) for (let i = 0; i < 40; i++) expect(out[j * 40 + i]).toBe(value(30 + i, 7 + j, 19));
    // The box's first voxel is the level's (30, 7, 19).
    const a = boxAffine(pyramid.levels[0], box);
    expect([a[3], a[7], a[11]]).toEqual([40, 2, 21]);
  });
});

describe('copyGridBox', () => {
  it('copies a box of a grid in memory, one array or z-slabs, at a frame, rows from the slab that holds them', () => {
    const dims = [20, 12, 9, 2];
    const grid = Int16Array.from({ length: 20 * 12 * 9 * 2 }, (_, n) => n - 2000);
    const slice = 20 * 12;
    const slabs = [0, 4, 8, 12, 16].map((k) => grid.slice(k * slice, Math.min(18, k + 4) * slice));
    const box: DetailBox = { level: 0, frame: 1, lo: [3, 2, 3], size: [10, 7, 3] };
    const expected = new Int16Array(10 * 7 * 3);
    let o = 0;
    for (let k = 3; k < 6; k++) for (let j = 2; j < 9; j++) for (let i = 3; i < 13; i++) expected[o++] = grid[((9 + k) * 12 + j) * 20 + i];
    const one = new Int16Array(expected.length);
    copyGridBox({ dims, values: grid, channels: 1 }, box, one);
    expect(one).toEqual(expected);
    const fromSlabs = new Int16Array(expected.length);
    copyGridBox({ dims, values: slabs[0], slabs: { arrays: slabs, slabValues: 4 * slice }, channels: 1 }, box, fromSlabs);
    expect(fromSlabs).toEqual(expected);
  });
});
