// Multiscale detail for slice panes: which level of an image pyramid (OME-Zarr, or a full grid in
// memory drawn from its display level) a pane needs for the screen pixel it shows, the box of that
// level's voxels it sees on the current slice, the chunks holding them, and the copy of those
// voxels out of each decoded chunk (or out of the grid in memory). Pure: no fetch, no GL, so the
// choice and the copy are tested in Node.
import { invert, transformPoint, type Mat4 } from './affine';
import { DATA_TYPES, type DataType, type VoxelArray } from './dataTypes';
import type { SampleSource } from './sampling';

export interface PyramidLevel {
  path: string;
  /** The Zarr array's shape and chunk shape (its own axis order). */
  shape: number[];
  chunks: number[];
  /** [nx, ny, nz(, nt)] and voxel → world, x y z drawn as R A S. */
  dims: number[];
  affine: Mat4;
}

/** What choosing a box needs of a level: its grid and where it lies. */
export type LevelGrid = Pick<PyramidLevel, 'dims' | 'affine'>;

export interface PyramidSource {
  url: string;
  /** Indices into the arrays' axes. */
  axes: { x: number; y: number; z?: number; t?: number; c?: number };
  channel: number;
  datatype: DataType;
  /** Finest (0) to coarsest. */
  levels: PyramidLevel[];
}

/** A box of one level's voxels (x, y, z; one voxel thick along the pane's normal) at one time point. */
export interface DetailBox {
  level: number;
  frame: number;
  lo: [number, number, number];
  size: [number, number, number];
}

/**
 * What a slice pane shows: the world points of its four corners on the current slice and its mm
 * per screen pixel. `normalAxis`: the world axis the plane is normal to; null for a turned plane
 * (oblique MPR), whose box then spans every voxel the plane crosses within the pane, with the
 * neighbours linear sampling reads.
 */
export interface PaneWindow {
  corners: readonly (readonly number[])[];
  mmPerPixel: number;
  normalAxis: 0 | 1 | 2 | null;
  /**
   * A thick slab: the corners are both faces' (eight), and along normalAxis too the box spans every
   * voxel between them with linear sampling's neighbours; the level is still chosen in the plane.
   */
  slab?: boolean;
}

const voxelMm = (level: LevelGrid, axes: number[]) => Math.min(...axes.map((a) => Math.hypot(level.affine[a], level.affine[4 + a], level.affine[8 + a])));

/**
 * The box of voxels a pane needs from a finer level than the one drawn (`drawn`), or null when
 * the drawn level is already as fine as the screen pixel (or the slice is outside the image): the
 * coarsest level whose voxels are no larger than a screen pixel (level 0 at most), coarser again
 * while the box would pass `maxTexels` or `fits` refuses it (a Zarr level's chunks: 3D chunks hold
 * many slices, so a slice box fetches far more than it shows).
 */
export function detailBox(levels: readonly LevelGrid[], drawn: number, pane: PaneWindow, frame: number, maxTexels: number, fits: (box: DetailBox) => boolean = () => true): DetailBox | null {
  // A turned plane runs along every voxel axis: the finest of them decides.
  const inPlane = [0, 1, 2].filter((a) => a !== pane.normalAxis);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut for drawn 0; below, the search then ends at level 0 and the box loop (level < drawn) runs no step, so the answer is null too
  if (drawn <= 0 || voxelMm(levels[drawn], inPlane) <= pane.mmPerPixel) return null;
  let level = 0;
  // Stryker disable next-line EqualityOperator: level starts at 0, so finding level 0 changes nothing
  for (let l = drawn - 1; l >= 0; l--) {
    if (voxelMm(levels[l], inPlane) <= pane.mmPerPixel) {
      level = l;
      break;
    }
  }
  for (; level < drawn; level++) {
    const box = boxAt(levels[level], pane, frame, level);
    if (box === null) return null;
    if (box.size[0] * box.size[1] * box.size[2] <= maxTexels && fits(box)) return box;
  }
  return null;
}

function boxAt(level: LevelGrid, pane: PaneWindow, frame: number, index: number): DetailBox | null {
  const inverse = invert(level.affine);
  const ijk = pane.corners.map((c) => transformPoint(inverse, c));
  const lo: [number, number, number] = [0, 0, 0];
  const size: [number, number, number] = [1, 1, 1];
  for (let a = 0; a < 3; a++) {
    const values = ijk.map((v) => v[a]);
    if (a === pane.normalAxis && !pane.slab) {
      const k = Math.round(values[0]);
      if (k < 0 || k >= level.dims[a]) return null;
      lo[a] = k;
      continue;
    }
    const from = Math.max(0, Math.floor(Math.min(...values)));
    const to = Math.min(level.dims[a] - 1, Math.ceil(Math.max(...values)));
    if (from > to) return null;
    lo[a] = from;
    size[a] = to - from + 1;
  }
  return { level: index, frame, lo, size };
}

/** The bytes of the chunks holding a box (the fetch it costs). */
export function chunkBytes(p: PyramidSource, level: PyramidLevel, box: DetailBox): number {
  const perChunk = level.chunks.reduce((q, n) => q * n, 1) * DATA_TYPES[p.datatype].bytesPerVoxel;
  let count = 1;
  [p.axes.x, p.axes.y, p.axes.z].forEach((axis, a) => {
    if (axis !== undefined) count *= Math.floor((box.lo[a] + box.size[a] - 1) / level.chunks[axis]) - Math.floor(box.lo[a] / level.chunks[axis]) + 1;
  });
  return count * perChunk;
}

/** The box's voxel → world affine: the level's, moved to the box's first voxel. */
export function boxAffine(level: LevelGrid, box: DetailBox): Mat4 {
  const m = [...level.affine] as Mat4;
  for (let r = 0; r < 3; r++) m[r * 4 + 3] = level.affine[r * 4 + 3] + box.lo.reduce((s, v, c) => s + level.affine[r * 4 + c] * v, 0);
  return m;
}

/** The chunk coordinates (the array's axis order) holding the box's voxels. */
export function boxChunks(p: PyramidSource, level: PyramidLevel, box: DetailBox): number[][] {
  const ranges = level.shape.map(() => [0, 0]);
  const { x, y, z, t, c } = p.axes;
  [x, y, z].forEach((axis, a) => {
    if (axis !== undefined) ranges[axis] = [Math.floor(box.lo[a] / level.chunks[axis]), Math.floor((box.lo[a] + box.size[a] - 1) / level.chunks[axis])];
  });
  if (t !== undefined) ranges[t] = [Math.floor(box.frame / level.chunks[t]), Math.floor(box.frame / level.chunks[t])];
  if (c !== undefined) ranges[c] = [Math.floor(p.channel / level.chunks[c]), Math.floor(p.channel / level.chunks[c])];
  const out: number[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === ranges.length) out.push(prefix);
    else for (let v = ranges[prefix.length][0]; v <= ranges[prefix.length][1]; v++) walk([...prefix, v]);
  };
  walk([]);
  return out;
}

/** Copies the box's voxels that chunk `at` holds (its values C order, the full chunk shape) into `out` (the box, x fastest). */
export function copyChunkIntoBox(p: PyramidSource, level: PyramidLevel, box: DetailBox, at: readonly number[], chunk: VoxelArray, out: VoxelArray): void {
  const shape = level.chunks;
  const strides = shape.map((_, a) => shape.slice(a + 1).reduce((q, n) => q * n, 1));
  const { x, y, z, t, c } = p.axes;
  const origin = at.map((v, a) => v * shape[a]);
  let base = 0;
  if (t !== undefined) base += (box.frame - origin[t]) * strides[t];
  if (c !== undefined) base += (p.channel - origin[c]) * strides[c];
  const axisOf = [x, y, z];
  const span = (a: number): [number, number] => {
    const axis = axisOf[a];
    if (axis === undefined) return [0, 1];
    const from = Math.max(box.lo[a], origin[axis]);
    const to = Math.min(box.lo[a] + box.size[a], origin[axis] + shape[axis], level.shape[axis]);
    return [from, to];
  };
  const [[x0, x1], [y0, y1], [z0, z1]] = [span(0), span(1), span(2)];
  const src = chunk as { [i: number]: number | bigint };
  const dst = out as { [i: number]: number | bigint };
  const stride = (a: number) => (axisOf[a] === undefined ? 0 : strides[axisOf[a]!]);
  const local = (a: number, v: number) => (axisOf[a] === undefined ? 0 : v - origin[axisOf[a]!]);
  const [sx, sy, sz] = [stride(0), stride(1), stride(2)];
  for (let k = z0; k < z1; k++) {
    for (let j = y0; j < y1; j++) {
      const from = base + local(2, k) * sz + local(1, j) * sy;
      const to = ((k - box.lo[2]) * box.size[1] + (j - box.lo[1])) * box.size[0] - box.lo[0];
      for (let i = x0; i < x1; i++) dst[to + i] = src[from + local(0, i) * sx];
    }
  }
}

/**
 * Copies the box's voxels (all channels, x fastest) out of a grid held in memory: one array, or
 * z-slabs of whole slices, each row read from the slab that holds it.
 */
export function copyGridBox(src: Pick<SampleSource, 'dims' | 'values' | 'slabs' | 'channels'>, box: DetailBox, out: VoxelArray): void {
  const [nx, ny, nz] = src.dims;
  const { channels } = src;
  const slabs = src.slabs ?? { arrays: [src.values], slabValues: src.values.length };
  const dst = out as { [i: number]: number | bigint };
  const length = box.size[0] * channels;
  let o = 0;
  for (let k = box.lo[2]; k < box.lo[2] + box.size[2]; k++) {
    for (let j = box.lo[1]; j < box.lo[1] + box.size[1]; j++) {
      const row = (((box.frame * nz + k) * ny + j) * nx + box.lo[0]) * channels;
      const n = Math.floor(row / slabs.slabValues);
      const from = slabs.arrays[n] as { [i: number]: number | bigint };
      const start = row - n * slabs.slabValues;
      for (let i = 0; i < length; i++) dst[o++] = from[start + i];
    }
  }
}
