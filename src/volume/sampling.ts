import { voxelToWorld, worldToVoxel, type Mat4, type VoxelIndex, type WorldMm } from './affine';
import type { DataType, Slabs, VoxelArray } from './dataTypes';
import { voxelsPerFrame } from './header';

export interface SampleSource {
  dims: readonly number[];
  datatype: DataType;
  channels: number;
  slope: number;
  inter: number;
  affine: Mat4;
  inverseAffine: Mat4;
  /** The voxels (all frames), or with `slabs` the first slab's only: read through `valueAt`. */
  values: VoxelArray;
  /** A volume held in z-slabs (more than one buffer holds): slab n has values [n·slabValues, (n + 1)·slabValues). */
  slabs?: Slabs;
  /** While a series arrives: 1 for each slice (k + t·nz) not written yet, whose memory holds no value. */
  pending?: Uint8Array;
}

export type { Slabs } from './dataTypes';

/** The value at `index` (into all frames, channels interleaved), wherever its slab is. */
export function valueAt(src: Pick<SampleSource, 'values' | 'slabs'>, index: number): number {
  const { slabs } = src;
  if (!slabs) return Number(src.values[index]);
  const n = Math.floor(index / slabs.slabValues);
  return Number(slabs.arrays[n][index - n * slabs.slabValues]);
}

/** How many values the source holds (all frames, all channels). */
export const valueCount = (src: Pick<SampleSource, 'values' | 'slabs'>): number =>
  src.slabs ? src.slabs.arrays.reduce((n, a) => n + a.length, 0) : src.values.length;

export interface ProbeSample {
  ijk: number[];
  world: WorldMm;
  raw: number | number[];
  scaled: number | number[];
  inside: boolean;
  /** The slice has not arrived yet: raw and scaled are NaN until it does. */
  loading?: boolean;
}

export const scaleValue = (raw: number, slope: number, inter: number) => raw * slope + inter;

/** Nearest voxel for a world point; exact stored value from CPU memory (never read back from GPU). */
export function probeWorld(src: SampleSource, world: readonly number[], frame = 0): ProbeSample {
  const v = worldToVoxel(src.inverseAffine, world);
  // Voxel centres sit on integers: round half away from the lower index consistently.
  const ijk = asRounded(v);
  return probeIndex(src, ijk, frame);
}

function asRounded(v: VoxelIndex): number[] {
  // + 0 turns −0 (a point a hair below a centre at 0) into 0: indices print and compare as integers.
  return [Math.round(v[0]) + 0, Math.round(v[1]) + 0, Math.round(v[2]) + 0];
}

export function probeIndex(src: SampleSource, ijk: readonly number[], frame = 0): ProbeSample {
  const [nx, ny, nz] = src.dims;
  const [i, j, k] = ijk;
  const world = voxelToWorld(src.affine, ijk);
  const inside = i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz;
  const index = [i, j, k];
  if (ijk.length > 3) index.push(ijk[3]);
  if (!inside) return { ijk: index, world, raw: NaN, scaled: NaN, inside };
  const t = ijk.length > 3 ? ijk[3] : frame;
  if (src.pending?.[t * nz + k]) return { ijk: index, world, raw: NaN, scaled: NaN, inside, loading: true };
  // Past 2^31 values (a volume in slabs) an index is no 32-bit integer: plain arithmetic, exact to 2^53.
  const offset = (t * voxelsPerFrame(src.dims) + (k * ny + j) * nx + i) * src.channels;
  if (src.channels > 1) {
    const raw: number[] = [];
    for (let c = 0; c < src.channels; c++) raw.push(valueAt(src, offset + c));
    return { ijk: index, world, raw, scaled: raw.slice(), inside };
  }
  const raw = valueAt(src, offset);
  return { ijk: index, world, raw, scaled: scaleValue(raw, src.slope, src.inter), inside };
}
