import { describe, expect, it } from 'vitest';
import type { DataType } from '../volume/dataTypes';
import { fitsTexture, MAX_TEXTURE_BYTES, MAX_TEXTURE_SLABS, slabSliceLimit, slabTextureSplit, splitDepth, stacksFrames, texelBytes, textureBytesOf, tiling } from './plan';

const caps = { max3DSize: 2048 };
const small = { max3DSize: 4 };

describe('the limits', () => {
  it('eight brick textures a layer, 512 MiB each', () => {
    expect(MAX_TEXTURE_SLABS).toBe(8);
    expect(MAX_TEXTURE_BYTES).toBe(512 * 2 ** 20);
  });
});

describe('texelBytes', () => {
  it('is the stored size, or 4 where the display uses a float32 copy', () => {
    const want: Record<DataType, number> = {
      uint8: 1, int8: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4, rgb24: 3, rgba32: 4, rgb48: 6,
      float64: 4, int64: 4, uint64: 4,
    };
    for (const [dtype, bytes] of Object.entries(want)) expect(texelBytes(dtype as DataType), dtype).toBe(bytes);
  });
});

describe('slabSliceLimit', () => {
  it('a slab texture holds at most 512 MiB: 64 slices of 2048² int16, 32 of float32', () => {
    expect(slabSliceLimit(2048, 2048, 2, caps)).toBe(64);
    expect(slabSliceLimit(2048, 2048, 4, caps)).toBe(32);
    expect(slabSliceLimit(512, 512, 2, caps)).toBe(1024);
  });

  it('whole slices only: one byte more a slice holds one slice fewer', () => {
    expect(slabSliceLimit(2048, 2049, 2, caps)).toBe(63);
    expect(slabSliceLimit(1024, 1024, 1, { max3DSize: 1 << 20 })).toBe(512);
    expect(slabSliceLimit(1025, 1024, 1, { max3DSize: 1 << 20 })).toBe(511);
  });

  it("within the GPU's 3D size limit, however small the slices", () => {
    expect(slabSliceLimit(8, 8, 1, caps)).toBe(2048);
    expect(slabSliceLimit(8, 8, 1, small)).toBe(4);
    expect(slabSliceLimit(8, 8, 1, { max3DSize: 2049 })).toBe(2049);
  });

  it('at least one slice, even where one slice passes 512 MiB', () => {
    expect(slabSliceLimit(16384, 16384, 4, { max3DSize: 16384 })).toBe(1);
    expect(slabSliceLimit(16384, 16384, 2, { max3DSize: 16384 })).toBe(1);
    expect(slabSliceLimit(16384, 8192, 4, { max3DSize: 16384 })).toBe(1);
    expect(slabSliceLimit(16384, 8192, 2, { max3DSize: 16384 })).toBe(2);
  });
});

describe('tiling', () => {
  it('as few tiles as the limit allows, near equal, and the z-slabs they leave room for', () => {
    expect(tiling(3000, 24, 2, caps)).toEqual({ tiles: [2, 1], tileSize: [1500, 24], sliceLimit: 2048, maxSlabs: 4 });
    expect(tiling(4096, 4096, 2, caps)).toEqual({ tiles: [2, 2], tileSize: [2048, 2048], sliceLimit: 64, maxSlabs: 2 });
    expect(tiling(512, 512, 2, caps)).toEqual({ tiles: [1, 1], tileSize: [512, 512], sliceLimit: 1024, maxSlabs: 8 });
  });

  it('a side of exactly the limit is one tile; one voxel more makes two, each half rounded up', () => {
    expect(tiling(2048, 2048, 1, caps).tiles).toEqual([1, 1]);
    expect(tiling(2049, 2048, 1, caps)).toMatchObject({ tiles: [2, 1], tileSize: [1025, 2048], maxSlabs: 4 });
    expect(tiling(2048, 2049, 1, caps)).toMatchObject({ tiles: [1, 2], tileSize: [2048, 1025], maxSlabs: 4 });
    expect(tiling(5, 9, 1, small)).toMatchObject({ tiles: [2, 3], tileSize: [3, 3], maxSlabs: 1 });
  });

  it("each tile's slab holds what its own size allows", () => {
    // 3000 × 3000 int16 in 2 × 2 tiles of 1500²: 119 slices of 4.5 MB within 512 MiB.
    expect(tiling(3000, 3000, 2, caps).sliceLimit).toBe(Math.floor(2 ** 29 / (1500 * 1500 * 2)));
    expect(tiling(3000, 3000, 2, caps).sliceLimit).toBe(119);
  });

  it('the slabs left: eight textures shared by the tiles, none past eight tiles', () => {
    const slabsFor = (tx: number, ty: number) => tiling(tx * 4, ty * 4, 1, small).maxSlabs;
    expect([slabsFor(1, 1), slabsFor(2, 1), slabsFor(3, 1), slabsFor(2, 2), slabsFor(5, 1), slabsFor(8, 1), slabsFor(3, 3)]).toEqual([8, 4, 2, 2, 1, 1, 0]);
  });
});

describe('fitsTexture', () => {
  it('up to eight slabs deep, one slice more does not fit', () => {
    expect(fitsTexture([2048, 2048, 512], 2, caps)).toBe(true);
    expect(fitsTexture([2048, 2048, 513], 2, caps)).toBe(false);
    expect(fitsTexture([512, 512, 8192], 2, caps)).toBe(true);
    expect(fitsTexture([512, 512, 8193], 2, caps)).toBe(false);
    expect(fitsTexture([4, 4, 32], 1, small)).toBe(true);
    expect(fitsTexture([4, 4, 33], 1, small)).toBe(false);
  });

  it('past the size limit in x or y: tiles, each cut into z-slabs, eight textures in all', () => {
    expect(fitsTexture([2049, 16, 16], 2, caps)).toBe(true);
    expect(fitsTexture([4096, 4096, 128], 2, caps)).toBe(true);
    expect(fitsTexture([4096, 4096, 129], 2, caps)).toBe(false);
    expect(fitsTexture([8192, 2048, 64], 2, caps)).toBe(true);
    expect(fitsTexture([8193, 16, 16], 2, caps)).toBe(true); // five tiles
    expect(fitsTexture([16384, 16, 1], 2, caps)).toBe(true); // eight
    expect(fitsTexture([16385, 16, 1], 2, caps)).toBe(false); // nine: not one slice
  });

  it('reads one frame: a 4D grid fits where its frames do', () => {
    expect(fitsTexture([4, 4, 32, 100], 1, small)).toBe(true);
    expect(fitsTexture([4, 4, 33, 2], 1, small)).toBe(false);
  });

  it('wider texels take more slabs', () => {
    expect(fitsTexture([2048, 2048, 256], 4, caps)).toBe(true);
    expect(fitsTexture([2048, 2048, 257], 4, caps)).toBe(false);
  });
});

describe('stacksFrames', () => {
  it('stacked in one texture where their slices fit the size limit and the bricks', () => {
    expect(stacksFrames([64, 64, 30, 60], 2, caps)).toBe(true); // 1800 slices
    expect(stacksFrames([64, 64, 40, 60], 2, caps)).toBe(false); // 2400
    // 2048² int16 slices: 64 a texture, eight textures: 512 slices.
    expect(stacksFrames([2048, 2048, 100, 5], 2, caps)).toBe(true);
    expect(stacksFrames([2048, 2048, 100, 6], 2, caps)).toBe(false);
  });

  it('a 3D grid, or one frame, has nothing to stack', () => {
    expect(stacksFrames([64, 64, 40], 2, caps)).toBe(false);
    expect(stacksFrames([2, 2, 2, 1], 1, caps)).toBe(false);
  });

  it("the stack's depth up to the size limit, inclusive", () => {
    expect(stacksFrames([2, 2, 2, 2], 1, small)).toBe(true); // 4 slices
    expect(stacksFrames([2, 2, 1, 4], 1, small)).toBe(true);
    expect(stacksFrames([2, 2, 1, 5], 1, small)).toBe(false);
    expect(stacksFrames([8, 8, 1024, 2], 1, caps)).toBe(true); // 2048
    expect(stacksFrames([8, 8, 1024, 2, 1], 1, caps)).toBe(true);
    expect(stacksFrames([8, 8, 683, 3], 1, caps)).toBe(false); // 2049
  });

  it('every frame dimension past the third counts', () => {
    expect(stacksFrames([2, 2, 1, 2, 2], 1, small)).toBe(true); // 4 slices
    expect(stacksFrames([2, 2, 1, 2, 3], 1, small)).toBe(false); // 6
  });

  it("the stack's slabs up to the bricks the tiles leave", () => {
    // 2048 × 4096 int16: two tiles, 64 slices a slab, four slabs: 256 slices.
    expect(stacksFrames([2048, 4096, 64, 4], 2, caps)).toBe(true);
    expect(stacksFrames([2048, 4096, 65, 4], 2, caps)).toBe(false);
    expect(stacksFrames([2048, 4096, 1, 256], 2, caps)).toBe(true);
    expect(stacksFrames([2048, 4096, 1, 257], 2, caps)).toBe(false);
  });
});

describe('textureBytesOf', () => {
  it('every frame where they stack, which is all the GPU budget counts; else the frame shown', () => {
    expect(textureBytesOf([64, 64, 30, 60], 2, caps)).toBe(64 * 64 * 30 * 60 * 2);
    expect(textureBytesOf([64, 64, 40, 60], 2, caps)).toBe(64 * 64 * 40 * 2);
    expect(textureBytesOf([3, 5, 7], 4, caps)).toBe(3 * 5 * 7 * 4);
    expect(textureBytesOf([2, 2, 1, 2, 2], 3, small)).toBe(2 * 2 * 4 * 3);
  });

  it("over z-slab buffers a frame's textures are made at each switch: one frame", () => {
    expect(textureBytesOf([64, 64, 30, 60], 2, caps, false)).toBe(64 * 64 * 30 * 2);
    expect(textureBytesOf([64, 64, 30, 60], 2, caps, true)).toBe(64 * 64 * 30 * 60 * 2);
  });
});

describe('splitDepth', () => {
  it('as few slabs as the limit allows, near equal, from the first slice', () => {
    expect(splitDepth(0, 10, 4)).toEqual([[0, 4], [4, 4], [8, 2]]);
    expect(splitDepth(0, 9, 4)).toEqual([[0, 3], [3, 3], [6, 3]]);
    expect(splitDepth(0, 8, 4)).toEqual([[0, 4], [4, 4]]);
    expect(splitDepth(5, 4, 4)).toEqual([[5, 4]]);
    expect(splitDepth(5, 5, 4)).toEqual([[5, 3], [8, 2]]);
    expect(splitDepth(0, 1, 1)).toEqual([[0, 1]]);
    expect(splitDepth(0, 3, 1)).toEqual([[0, 1], [1, 1], [2, 1]]);
  });
});

describe('slabTextureSplit', () => {
  it("splits each buffer's slices on their own, as few slabs as the limit allows, at most eight", () => {
    expect(slabTextureSplit([10, 10, 10, 10], 2048)).toEqual([[0, 10], [10, 10], [20, 10], [30, 10]]);
    expect(slabTextureSplit([3000, 500], 2048)).toEqual([[0, 1500], [1500, 1500], [3000, 500]]);
    expect(slabTextureSplit([63, 17], 2048)).toEqual([[0, 63], [63, 17]]);
    expect(slabTextureSplit([3, 3, 3, 3, 3, 3, 3, 3], 2048)).toHaveLength(8);
    expect(slabTextureSplit([3, 3, 3, 3, 3, 3, 3, 3, 3], 2048)).toBeNull();
    expect(slabTextureSplit([9000, 9000], 2048)).toBeNull();
    expect(slabTextureSplit([8192], 2048)).toHaveLength(4);
    expect(slabTextureSplit([16384], 2048)).toHaveLength(8);
    expect(slabTextureSplit([16385], 2048)).toBeNull();
  });

  it("one frame's window: its slices in each buffer that holds some, cut where a buffer ends", () => {
    // 9 slices in buffers of 4, 4 and 1; frames of 3.
    expect(slabTextureSplit([4, 4, 1], 2048, 0, 3)).toEqual([[0, 3]]);
    expect(slabTextureSplit([4, 4, 1], 2048, 3, 3)).toEqual([[3, 1], [4, 2]]);
    expect(slabTextureSplit([4, 4, 1], 2048, 6, 3)).toEqual([[6, 2], [8, 1]]);
    expect(slabTextureSplit([4, 4, 1], 2048, 4, 4)).toEqual([[4, 4]]);
    expect(slabTextureSplit([4, 4, 1], 2, 3, 5)).toEqual([[3, 1], [4, 2], [6, 2]]);
  });

  it('a buffer outside the window, or empty, adds no slab', () => {
    expect(slabTextureSplit([4, 0, 4], 2048)).toEqual([[0, 4], [4, 4]]);
    expect(slabTextureSplit([4, 4, 4], 2048, 4, 4)).toEqual([[4, 4]]);
  });

  it('fewer slabs where each is cut into tiles', () => {
    expect(slabTextureSplit([1, 1], 2048, 0, 2, 2)).toEqual([[0, 1], [1, 1]]);
    expect(slabTextureSplit([1, 1, 1], 2048, 0, 3, 2)).toBeNull();
    expect(slabTextureSplit([1, 1], 2048, 0, 2, 0)).toBeNull();
  });
});
