// Fill a closed outline drawn in a slice: the voxels of the slice whose centres lie inside the
// polygon (even-odd rule), found row by row from the polygon's crossings.
import type { Vec3 } from './grid';
import type { VoxelList } from './brush';
import type { GridSlice } from './regionGrow';

/** The two in-plane voxel axes of a slice, in order (u, v). */
export const planeAxes = (axis: 0 | 1 | 2): [0 | 1 | 2, 0 | 1 | 2] => (axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1]);

/**
 * Voxels inside `polygon` (points as continuous voxel coordinates [u, v] along the slice's two
 * in-plane axes, closed implicitly) in slice `slice`.
 */
export function polygonVoxels(dims: Vec3, slice: GridSlice, polygon: readonly (readonly [number, number])[]): VoxelList {
  const [ua, va] = planeAxes(slice.axis);
  const nu = dims[ua];
  const nv = dims[va];
  const stride = [1, dims[0], dims[0] * dims[1]];
  const list: number[] = [];
  if (polygon.length >= 3 && slice.index >= 0 && slice.index < dims[slice.axis]) {
    const vMin = Math.max(0, Math.ceil(Math.min(...polygon.map((p) => p[1]))));
    const vMax = Math.min(nv - 1, Math.floor(Math.max(...polygon.map((p) => p[1]))));
    for (let v = vMin; v <= vMax; v++) {
      const xs: number[] = [];
      for (let n = 0; n < polygon.length; n++) {
        const [u0, v0] = polygon[n];
        const [u1, v1] = polygon[(n + 1) % polygon.length];
        // Half-open in v, so a vertex on the row counts once.
        if ((v0 <= v && v < v1) || (v1 <= v && v < v0)) xs.push(u0 + ((v - v0) / (v1 - v0)) * (u1 - u0));
      }
      xs.sort((a, b) => a - b);
      for (let n = 0; n + 1 < xs.length; n += 2) {
        for (let u = Math.max(0, Math.ceil(xs[n])); u <= Math.min(nu - 1, Math.floor(xs[n + 1])); u++) {
          list.push(u * stride[ua] + v * stride[va] + slice.index * stride[slice.axis]);
        }
      }
    }
  }
  return { indices: Int32Array.from(list), count: list.length };
}
