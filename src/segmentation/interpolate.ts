// Interpolation between drawn slices, shape-based: each drawn slice of a label becomes a signed
// distance map (negative inside, in mm, from exact 2D Euclidean distance transforms), the maps of
// two drawn slices are blended linearly across the gap, and a voxel between them is inside where
// the blend is negative. Two discs of radius r1 and r2 give discs whose radius goes from r1 to r2.
import type { LabelArray, Vec3 } from './grid';
import type { VoxelList } from './brush';
import { planeAxes } from './outline';

/**
 * Squared distance transform of one line (Felzenszwalb & Huttenlocher 2012): f holds 0 at feature
 * samples and Infinity elsewhere; on return d holds the squared distance (in units of `step`²).
 */
function edt1d(f: Float64Array, n: number, step: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  const s2 = step * step;
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  // Skip leading samples with no feature yet: parabolas of height Infinity never win.
  for (let q = 1; q < n; q++) {
    if (f[q] === Infinity) continue;
    if (f[v[k]] === Infinity) {
      v[k] = q;
      continue;
    }
    let s = (f[q] + s2 * q * q - (f[v[k]] + s2 * v[k] * v[k])) / (2 * s2 * (q - v[k]));
    while (s <= z[k]) {
      k--;
      s = (f[q] + s2 * q * q - (f[v[k]] + s2 * v[k] * v[k])) / (2 * s2 * (q - v[k]));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (f[v[0]] === Infinity) {
    d.fill(Infinity, 0, n);
    return;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = s2 * dq * dq + f[v[k]];
  }
}

/** Distances (mm) from every pixel of an nu × nv image to the nearest pixel where `feature` is 1. */
export function distanceTransform2d(feature: Uint8Array, nu: number, nv: number, spacing: [number, number]): Float64Array {
  const out = new Float64Array(nu * nv);
  const n = Math.max(nu, nv);
  const f = new Float64Array(n);
  const d = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  for (let y = 0; y < nv; y++) {
    for (let x = 0; x < nu; x++) f[x] = feature[x + nu * y] ? 0 : Infinity;
    edt1d(f, nu, spacing[0], d, v, z);
    for (let x = 0; x < nu; x++) out[x + nu * y] = d[x];
  }
  for (let x = 0; x < nu; x++) {
    for (let y = 0; y < nv; y++) f[y] = out[x + nu * y];
    edt1d(f, nv, spacing[1], d, v, z);
    for (let y = 0; y < nv; y++) out[x + nu * y] = Math.sqrt(d[y]);
  }
  return out;
}

/** Signed distance (mm) to a mask's boundary: negative inside, positive outside, zero crossing half a pixel out. */
export function signedDistance2d(mask: Uint8Array, nu: number, nv: number, spacing: [number, number]): Float64Array {
  const outside = mask.map((m) => (m ? 0 : 1));
  const toInside = distanceTransform2d(mask, nu, nv, spacing);
  const toOutside = distanceTransform2d(outside, nu, nv, spacing);
  const half = Math.min(spacing[0], spacing[1]) / 2;
  const sd = new Float64Array(nu * nv);
  for (let p = 0; p < sd.length; p++) sd[p] = mask[p] ? half - toOutside[p] : toInside[p] - half;
  return sd;
}

/** The mask of `value` in slice `index` along voxel axis `axis`, as an nu × nv image over the two other axes. */
function sliceMask(labels: LabelArray, dims: Vec3, axis: 0 | 1 | 2, index: number, value: number): Uint8Array {
  const [ua, va] = planeAxes(axis);
  const stride = [1, dims[0], dims[0] * dims[1]];
  const nu = dims[ua];
  const nv = dims[va];
  const mask = new Uint8Array(nu * nv);
  const base = index * stride[axis];
  for (let v = 0; v < nv; v++) for (let u = 0; u < nu; u++) mask[u + nu * v] = labels[base + u * stride[ua] + v * stride[va]] === value ? 1 : 0;
  return mask;
}

/**
 * The voxels to fill between the drawn slices of `value` along voxel axis `axis` (each pair of
 * drawn slices with undrawn ones between them), by signed-distance interpolation. `spacing` is the
 * grid's voxel size in mm along its three axes.
 */
export function interpolationVoxels(labels: LabelArray, dims: Vec3, value: number, axis: 0 | 1 | 2, spacing: Vec3): VoxelList {
  const [ua, va] = planeAxes(axis);
  const stride = [1, dims[0], dims[0] * dims[1]];
  const nu = dims[ua];
  const nv = dims[va];
  const drawn: number[] = [];
  for (let s = 0; s < dims[axis]; s++) if (sliceMask(labels, dims, axis, s, value).includes(1)) drawn.push(s);
  const list: number[] = [];
  const inPlane: [number, number] = [spacing[ua], spacing[va]];
  for (let n = 0; n + 1 < drawn.length; n++) {
    const [a, b] = [drawn[n], drawn[n + 1]];
    if (b - a < 2) continue;
    const sa = signedDistance2d(sliceMask(labels, dims, axis, a, value), nu, nv, inPlane);
    const sb = signedDistance2d(sliceMask(labels, dims, axis, b, value), nu, nv, inPlane);
    for (let s = a + 1; s < b; s++) {
      const t = (s - a) / (b - a);
      for (let v = 0; v < nv; v++)
        for (let u = 0; u < nu; u++) {
          const p = u + nu * v;
          if ((1 - t) * sa[p] + t * sb[p] < 0) list.push(u * stride[ua] + v * stride[va] + s * stride[axis]);
        }
    }
  }
  return { indices: Int32Array.from(list), count: list.length };
}
