// Pyramid chunks and copies with time and channel axes, a partial last chunk, a 2-D array and a
// coronal pane: the cases pyramid.test.ts (a z, y, x array, axial panes) leaves open (issue 27).
import { describe, expect, it } from 'vitest';
import { boxChunks, chunkBytes, copyChunkIntoBox, copyGridBox, detailBox, type DetailBox, type PyramidLevel, type PyramidSource } from './pyramid';

// A (t, c, z, y, x) float32 array of 2 frames, 3 channels, 5 × 6 × 7 voxels (x 7), chunks (2, 2, 2, 4, 4):
// frame 1 and channel 1 lie second in their chunks.
const shape = [2, 3, 5, 6, 7];
const chunks = [2, 2, 2, 4, 4];
const level: PyramidLevel = { path: '0', shape, chunks, dims: [7, 6, 5, 2], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] };
const value = (t: number, c: number, z: number, y: number, x: number) => t * 10000 + c * 1000 + z * 100 + y * 10 + x;
const source = (channel: number): PyramidSource => ({ url: 'mem', axes: { t: 0, c: 1, z: 2, y: 3, x: 4 }, channel, datatype: 'float32', levels: [level] });
/** Chunk `at` as a store returns it: the full chunk shape, C order, zero past the array's edge. */
const chunkAt = (at: number[]) => {
  const out = new Float32Array(chunks.reduce((a, b) => a * b, 1));
  let n = 0;
  for (let t = 0; t < chunks[0]; t++)
    for (let c = 0; c < chunks[1]; c++)
      for (let z = 0; z < chunks[2]; z++)
        for (let y = 0; y < chunks[3]; y++)
          for (let x = 0; x < chunks[4]; x++, n++) {
            const p = [t, c, z, y, x].map((v, a) => v + at[a] * chunks[a]);
            out[n] = p.every((v, a) => v < shape[a]) ? value(p[0], p[1], p[2], p[3], p[4]) : -1;
          }
  return out;
};

describe('a 5-D pyramid (t, c, z, y, x)', () => {
  const box: DetailBox = { level: 0, frame: 1, lo: [3, 2, 1], size: [4, 4, 3] };

  it('names the chunks of the box at its frame and channel only', () => {
    expect(boxChunks(source(2), level, box)).toEqual([
      [0, 1, 0, 0, 0], [0, 1, 0, 0, 1], [0, 1, 0, 1, 0], [0, 1, 0, 1, 1],
      [0, 1, 1, 0, 0], [0, 1, 1, 0, 1], [0, 1, 1, 1, 0], [0, 1, 1, 1, 1],
    ]);
    expect(boxChunks(source(1), level, { ...box, frame: 0 })[0]).toEqual([0, 0, 0, 0, 0]);
    // x 3…6 spans chunks 0 and 1, y 2…5 chunks 0 and 1, z 1…3 chunks 0 and 1: 8 chunks of 128 floats.
    expect(chunkBytes(source(2), level, box)).toBe(8 * 128 * 4);
  });

  it('copies the box out of its chunks, the last chunk cut at the array edge', () => {
    // Channel 1 lies second in its chunk (chunks hold two channels), channel 2 first in the next.
    for (const channel of [0, 1, 2]) {
      const p = source(channel);
      const out = new Float32Array(4 * 4 * 3).fill(NaN);
      for (const at of boxChunks(p, level, box)) copyChunkIntoBox(p, level, box, at, chunkAt(at), out);
      let o = 0;
      for (let z = 1; z < 4; z++) for (let y = 2; y < 6; y++) for (let x = 3; x < 7; x++) expect(out[o++], `${channel} ${x} ${y} ${z}`).toBe(value(1, channel, z, y, x));
    }
  });

  it('a box that reaches the last voxel reads no padding past the edge', () => {
    const p = source(0);
    const edge: DetailBox = { level: 0, frame: 0, lo: [6, 5, 4], size: [1, 1, 1] };
    const out = new Float32Array(1);
    for (const at of boxChunks(p, level, edge)) copyChunkIntoBox(p, level, edge, at, chunkAt(at), out);
    expect(out[0]).toBe(value(0, 0, 4, 5, 6));
  });
});

describe('a 2-D array (y, x)', () => {
  const flat: PyramidLevel = { path: '0', shape: [6, 8], chunks: [4, 4], dims: [8, 6, 1], affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] };
  const p: PyramidSource = { url: 'mem', axes: { y: 0, x: 1 }, channel: 0, datatype: 'uint8', levels: [flat] };

  it('has no z chunks, and copies rows from each chunk', () => {
    const box: DetailBox = { level: 0, frame: 0, lo: [2, 1, 0], size: [5, 4, 1] };
    expect(boxChunks(p, flat, box)).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(chunkBytes(p, flat, box)).toBe(4 * 16);
    const out = new Uint8Array(20);
    for (const at of boxChunks(p, flat, box)) {
      const chunk = Uint8Array.from({ length: 16 }, (_, n) => (at[0] * 4 + Math.floor(n / 4)) * 10 + at[1] * 4 + (n % 4));
      copyChunkIntoBox(p, flat, box, at, chunk, out);
    }
    expect([...out]).toEqual([12, 13, 14, 15, 16, 22, 23, 24, 25, 26, 32, 33, 34, 35, 36, 42, 43, 44, 45, 46]);
  });
});

describe('detail boxes on other planes, and grids with channels', () => {
  const levels = [0, 1].map((l) => ({ dims: [64 >> l, 32 >> l, 16 >> l], affine: [2 ** l, 0, 0, 0, 0, 2 ** l, 0, 0, 0, 0, 2 ** l, 0, 0, 0, 0, 1] }));

  it('a coronal pane: the box is one voxel thick in y, at the slice it shows', () => {
    const pane = { corners: [[4, 9, 2], [20, 9, 2], [4, 9, 10], [20, 9, 10]], mmPerPixel: 1, normalAxis: 1 as const };
    expect(detailBox(levels, 1, pane, 0, 1 << 20)).toEqual({ level: 0, frame: 0, lo: [4, 9, 2], size: [17, 1, 9] });
    // A slice just outside the grid, on either side.
    expect(detailBox(levels, 1, { ...pane, corners: pane.corners.map(([x, , z]) => [x, 32, z]) }, 0, 1 << 20)).toBeNull();
    expect(detailBox(levels, 1, { ...pane, corners: pane.corners.map(([x, , z]) => [x, -1, z]) }, 0, 1 << 20)).toBeNull();
    // The box lies wholly beside the grid in x.
    expect(detailBox(levels, 1, { ...pane, corners: pane.corners.map(([x, y, z]) => [x + 100, y, z]) }, 0, 1 << 20)).toBeNull();
    // Exactly at the texel limit is within it.
    expect(detailBox(levels, 1, pane, 0, 17 * 9)?.level).toBe(0);
    expect(detailBox(levels, 1, pane, 0, 17 * 9 - 1)).toBeNull();
  });

  it('copies every channel of the box, rows of a frame', () => {
    const dims = [4, 3, 2, 2];
    const values = Uint8Array.from({ length: 4 * 3 * 2 * 2 * 2 }, (_, n) => n);
    const out = new Uint8Array(2 * 2 * 1 * 2);
    copyGridBox({ dims, values, channels: 2 }, { level: 0, frame: 1, lo: [1, 1, 1], size: [2, 2, 1] }, out);
    // Voxel (i, j, k, t) starts at 2 · (((t·2 + k)·3 + j)·4 + i).
    const at = (i: number, j: number) => 2 * (((1 * 2 + 1) * 3 + j) * 4 + i);
    expect([...out]).toEqual([at(1, 1), at(1, 1) + 1, at(2, 1), at(2, 1) + 1, at(1, 2), at(1, 2) + 1, at(2, 2), at(2, 2) + 1]);
  });
});

describe('detailBox picks the level by the finest in-plane voxel (issue 27, second pass)', () => {
  const grid = (sx: number, sy: number, sz: number, n: number) => ({ dims: [n, n, n], affine: [sx, 0, 0, 100, 0, sy, 0, 0, 0, 0, sz, 0, 0, 0, 0, 1] });
  const pane = (mmPerPixel: number) => ({ corners: [[101, 1, 1], [105, 5, 1]], mmPerPixel, normalAxis: 2 as const });

  it('a level drawn with voxels 8 × 2 mm is fine enough for 2.5 mm pixels (the finer axis decides, not the translation)', () => {
    const levels = [grid(4, 1, 1, 16), grid(8, 2, 2, 8)];
    expect(detailBox(levels, 1, pane(2.5), 0, 1e9)).toBeNull();
    expect(detailBox(levels, 1, pane(1.5), 0, 1e9)!.level).toBe(0);
  });

  it('a level whose voxels are exactly the pixel size is fine enough', () => {
    const levels = [grid(1, 1, 1, 32), grid(2, 2, 2, 16), grid(4, 4, 4, 8)];
    expect(detailBox(levels, 2, pane(2), 0, 1e9)!.level).toBe(1);
  });
});
