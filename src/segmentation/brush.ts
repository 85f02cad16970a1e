// Which voxels a brush covers: a sphere, or a disk in a plane, centred at a world point with a
// radius in mm. A voxel counts when its centre is within the radius (and, for a disk, within the
// plane's one-voxel slab). The result is a list of flat voxel indices, for the editor to write.
import { transformPoint } from '../volume/affine';
import type { LabelGrid, Reference, Vec3 } from './grid';

export type BrushShape = { kind: 'sphere' } | { kind: 'disk'; /** unit world normal of the plane */ normal: Vec3 };

/** Flat voxel indices, the first `count` of `indices` valid. */
export interface VoxelList {
  indices: Int32Array;
  count: number;
}

/**
 * The slab a disk occupies along its normal: the largest step one voxel axis makes along the
 * normal. Along that axis every line of voxels has exactly one centre in (−h/2, h/2], so the disk
 * has no holes, in an oblique plane too. Half-open that way round, a centre exactly between two
 * slices paints the upper one, as nearest-neighbour display (round half up) shows it.
 */
export function diskThicknessMm(affine: readonly number[], normal: Vec3): number {
  let h = 0;
  for (let a = 0; a < 3; a++) h = Math.max(h, Math.abs(affine[a] * normal[0] + affine[4 + a] * normal[1] + affine[8 + a] * normal[2]));
  return h;
}

/** The voxels of a sphere or disk of `radiusMm` around world point `center`, in the grid. */
export function brushVoxels(grid: LabelGrid, center: Vec3, radiusMm: number, shape: BrushShape): VoxelList {
  const [nx, ny, nz] = grid.dims;
  const A = grid.affine;
  const inv = grid.inverseAffine;
  const c = transformPoint(inv, center);
  const lo: number[] = [];
  const hi: number[] = [];
  for (let a = 0; a < 3; a++) {
    const reach = radiusMm * Math.hypot(inv[a * 4], inv[a * 4 + 1], inv[a * 4 + 2]);
    lo.push(Math.max(0, Math.ceil(c[a] - reach - 1e-9)));
    hi.push(Math.min([nx, ny, nz][a] - 1, Math.floor(c[a] + reach + 1e-9)));
  }
  const r2 = radiusMm * radiusMm;
  const disk = shape.kind === 'disk';
  const n = disk ? shape.normal : [0, 0, 0];
  const half = disk ? diskThicknessMm(A, shape.normal) / 2 : 0;
  let indices = new Int32Array(64);
  let count = 0;
  for (let k = lo[2]; k <= hi[2]; k++)
    for (let j = lo[1]; j <= hi[1]; j++) {
      // World offset from the centre of voxel (lo[0], j, k); each step in i adds column 0.
      let dx = A[0] * lo[0] + A[1] * j + A[2] * k + A[3] - center[0];
      let dy = A[4] * lo[0] + A[5] * j + A[6] * k + A[7] - center[1];
      let dz = A[8] * lo[0] + A[9] * j + A[10] * k + A[11] - center[2];
      const row = nx * (j + ny * k);
      for (let i = lo[0]; i <= hi[0]; i++, dx += A[0], dy += A[4], dz += A[8]) {
        if (dx * dx + dy * dy + dz * dz > r2) continue;
        if (disk) {
          const along = dx * n[0] + dy * n[1] + dz * n[2];
          if (along <= -half || along > half) continue;
        }
        if (count === indices.length) {
          const grown = new Int32Array(count * 2);
          grown.set(indices);
          indices = grown;
        }
        indices[count++] = row + i;
      }
    }
  return { indices, count };
}

/** Keeps (in place) the voxels whose reference value, scaled, is within [lo, hi]. */
export function keepWithinRange(list: VoxelList, ref: Reference, [lo, hi]: readonly [number, number]): VoxelList {
  const { values, slope, inter } = ref;
  let kept = 0;
  for (let n = 0; n < list.count; n++) {
    const v = values[list.indices[n]] * slope + inter;
    if (v >= lo && v <= hi) list.indices[kept++] = list.indices[n];
  }
  list.count = kept;
  return list;
}
