import { describe, expect, it } from 'vitest';
import { brickRanges } from '../../volume/bricks';
import { brickTexturesFor, disposeBrickTextures, textureBrickGrid } from './brickTextures';

describe('textureBrickGrid', () => {
  it('merges bricks 2³ at a time until every side fits a 3D texture, each range the union of those it covers', () => {
    // 40 voxels along x: 10 bricks of 4; a texture of 3 texels a side takes bricks of 16 (3 of them).
    const values = Int16Array.from({ length: 40 * 2 * 2 }, (_, n) => n % 40);
    const grid = brickRanges(values, [40, 2, 2])!;
    expect(grid.dims).toEqual([10, 1, 1]);
    const fitted = textureBrickGrid(grid, 3);
    expect(fitted.size).toBe(16);
    expect(fitted.dims).toEqual([3, 1, 1]);
    // Voxels 0–15, 16–31, 32–39 with one voxel of apron on each side.
    expect([...fitted.ranges]).toEqual([0, 16, 15, 32, 31, 39]);
    // The same object again (its textures are kept), and a grid that fits is itself.
    expect(textureBrickGrid(grid, 3)).toBe(fitted);
    expect(textureBrickGrid(grid, 2048)).toBe(grid);
  });
});

describe('brickTexturesFor', () => {
  it('the bricks and the slabs\' 4³-brick middle cells, with their last indices', () => {
    // 40 × 72 × 8 voxels: 10 × 18 × 2 bricks of 4; middle cells of 16 voxels: 3 × 5 × 1.
    const values = Int16Array.from({ length: 40 * 72 * 8 }, (_, n) => n % 97);
    const grid = brickRanges(values, [40, 72, 8])!;
    const t = brickTexturesFor('layer-mid', grid)!;
    try {
      expect([t.fineSize, t.midSize]).toEqual([4, 16]);
      expect(t.fineTop).toEqual([9, 17, 1]);
      expect(t.midTop).toEqual([2, 4, 0]);
      expect([t.mid.image.width, t.mid.image.height, t.mid.image.depth]).toEqual([3, 5, 1]);
      expect([t.fine.image.width, t.fine.image.height, t.fine.image.depth]).toEqual([10, 18, 2]);
      // The same textures for the same grid.
      expect(brickTexturesFor('layer-mid', grid)).toBe(t);
    } finally {
      disposeBrickTextures('layer-mid');
    }
  });
});
