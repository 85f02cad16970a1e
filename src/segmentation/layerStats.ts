// Statistics of any image layer inside each segment: mean, SD (n − 1), min and max of its scaled
// values at the centres of the segment's voxels. On the segmentation's own grid a voxel reads the
// same index; on another grid, the layer's nearest voxel to the centre (world mm through both
// affines), and centres outside the layer are counted apart (`outside`), not guessed. One pass
// over the label buffer per layer, run when an operation ends (the base layer's statistics are
// kept incrementally by LabelAccumulator instead). Pure.
import type { Mat4 } from '../volume/affine';
import { multiply } from '../volume/affine';
import type { LabelArray, Vec3 } from './grid';

export interface ImageSource {
  /** The layer's values of the frame to measure (a view over its buffer; frame offset applied by the caller). */
  values: ArrayLike<number>;
  dims: readonly number[];
  /** Voxel → world, row-major 4×4. */
  affine: Mat4;
  slope: number;
  inter: number;
}

export interface LayerSegmentStats {
  value: number;
  /** Segment voxels whose centre lies in the layer. */
  voxels: number;
  /** Segment voxels whose centre lies outside the layer's grid. */
  outside: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

const sameGrid = (a: readonly number[], b: readonly number[]) => a.length >= 16 && a.every((v, i) => Math.abs(v - b[i]) < 1e-5 * Math.max(1, Math.abs(v)));

/**
 * Per-segment statistics of `image` inside `labels` (on a grid of `dims` with voxel → world
 * `labelAffine`), for the values `wanted` (1..). `worldToImage` is the image's inverse affine.
 */
export function layerStatsInSegments(labels: LabelArray, dims: Vec3, labelAffine: Mat4, image: ImageSource, worldToImage: Mat4, wanted: readonly number[]): LayerSegmentStats[] {
  const maxValue = Math.max(0, ...wanted);
  const n = maxValue + 1;
  const count = new Float64Array(n);
  const outside = new Float64Array(n);
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  const min = new Float64Array(n).fill(Infinity);
  const max = new Float64Array(n).fill(-Infinity);
  const take = new Uint8Array(n);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: take[0] is never read (label 0 is skipped before it).
  for (const v of wanted) if (v > 0) take[v] = 1;
  const { values, slope, inter } = image;
  const add = (l: number, raw: number) => {
    const x = raw * slope + inter;
    count[l]++;
    sum[l] += x;
    sumSq[l] += x * x;
    if (x < min[l]) min[l] = x;
    if (x > max[l]) max[l] = x;
  };
  const [nx, ny, nz] = dims;
  if (sameGrid(labelAffine, image.affine) && image.dims[0] === nx && image.dims[1] === ny && image.dims[2] === nz) {
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: a label not asked for only fills its own slot (never reported) or writes past the arrays (ignored); the guards save the work.
      if (l !== 0 && l < n && take[l]) add(l, values[i]);
    }
  } else {
    // Label voxel → image voxel in one matrix; rows step by a constant per i.
    const M = multiply(worldToImage, labelAffine);
    const [mx, my, mz] = image.dims;
    for (let k = 0, at = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++, at++) {
          const l = labels[at];
          // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: as above, on the general path.
          if (l === 0 || l >= n || !take[l]) continue;
          const a = Math.round(M[0] * i + M[1] * j + M[2] * k + M[3]);
          const b = Math.round(M[4] * i + M[5] * j + M[6] * k + M[7]);
          const c = Math.round(M[8] * i + M[9] * j + M[10] * k + M[11]);
          if (a < 0 || b < 0 || c < 0 || a >= mx || b >= my || c >= mz) outside[l]++;
          else add(l, values[a + mx * (b + my * c)]);
        }
  }
  return wanted.map((value) => {
    const c = count[value] ?? 0;
    if (!c) return { value, voxels: 0, outside: outside[value] ?? 0, mean: NaN, sd: NaN, min: NaN, max: NaN };
    const mean = sum[value] / c;
    const variance = c > 1 ? Math.max(0, (sumSq[value] - c * mean * mean) / (c - 1)) : 0;
    return { value, voxels: c, outside: outside[value], mean, sd: Math.sqrt(variance), min: min[value], max: max[value] };
  });
}
