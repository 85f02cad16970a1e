// Per-layer brick-range textures (RG32F: raw min, max per brick) for the slice panes' thick slabs'
// empty-space skipping (volume/bricks.ts): the bricks as computed with the stats (uploaded straight
// from their Float32Array), and a middle grid of 4³ bricks (measured faster there than 8³ cells,
// which a slab's short line seldom passes whole). The ray caster reads its bricks from the leap
// distances' texture instead (textures/emptyDistance.ts). Each texture goes up at its first use. Rebuilt
// when the layer's stats bring a new grid; disposed with the layer.
import { FloatType, RGFormat, type Data3DTexture } from 'three';
import { coarserGrid, type BrickGrid } from '../../volume/bricks';
import { memoryChanged } from '../../state/runtime';
import { nearestTexture3D, texture3DBytes } from './texture3d';

/** Bricks per middle cell along each axis (the thick slabs'). */
const MID_FACTOR = 4;

export interface BrickTextures {
  fine: Data3DTexture;
  mid: Data3DTexture;
  fineSize: number;
  midSize: number;
  /** The last brick index along each axis of the fine and middle grids (dims − 1), for the slab shader's clamp. */
  fineTop: [number, number, number];
  midTop: [number, number, number];
}

const entries = new Map<string, { grid: BrickGrid; textures: BrickTextures }>();

const rangeTexture = (grid: BrickGrid) => nearestTexture3D(grid.ranges, grid.dims, { internalFormat: 'RG32F', format: RGFormat, type: FloatType });

export function brickTexturesFor(layerId: string, grid: BrickGrid | undefined): BrickTextures | null {
  const existing = entries.get(layerId);
  if (existing && existing.grid === grid) return existing.textures;
  disposeBrickTextures(layerId);
  if (!grid) return null;
  const mid = coarserGrid(grid, MID_FACTOR);
  const top = (g: BrickGrid): [number, number, number] => [g.dims[0] - 1, g.dims[1] - 1, g.dims[2] - 1];
  const textures = {
    fine: rangeTexture(grid),
    mid: rangeTexture(mid),
    fineSize: grid.size,
    midSize: mid.size,
    fineTop: top(grid),
    midTop: top(mid),
  };
  entries.set(layerId, { grid, textures });
  // (Made while a pane draws: the memory panel hears of it after.)
  queueMicrotask(memoryChanged);
  return textures;
}

const fitted = new WeakMap<BrickGrid, { max: number; grid: BrickGrid }>();

/**
 * `grid`, or its bricks merged 2³ at a time until every side fits a 3D texture of `max` texels (a
 * grid tiled past the GPU's 3D size limit has more 4-voxel bricks along x or y than one texture
 * holds). Merged ranges are the union of the bricks', so skipping stays exact, only coarser. The
 * same object for the same grid, so the textures made from it are kept.
 */
export function textureBrickGrid(grid: BrickGrid, max: number): BrickGrid {
  const known = fitted.get(grid);
  if (known?.max === max) return known.grid;
  let g = grid;
  while (Math.max(...g.dims) > max) g = coarserGrid(g, 2);
  fitted.set(grid, { max, grid: g });
  return g;
}

export function disposeBrickTextures(layerId: string): void {
  const entry = entries.get(layerId);
  if (!entry) return;
  entry.textures.fine.dispose();
  entry.textures.mid.dispose();
  entries.delete(layerId);
  queueMicrotask(memoryChanged);
}

/** GPU bytes of every layer's brick ranges, fine and middle grids (8 a brick: RG32F; memory().mapBytes). */
export function brickTextureBytes(): number {
  let bytes = 0;
  for (const { textures } of entries.values()) bytes += texture3DBytes(textures.fine, 8) + texture3DBytes(textures.mid, 8);
  return bytes;
}
