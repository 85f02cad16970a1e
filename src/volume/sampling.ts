import { voxelToWorld, worldToVoxel, type Mat4, type VoxelIndex, type WorldMm } from './affine';
import type { DataType, VoxelArray } from './dataTypes';
import { voxelsPerFrame } from './header';

export interface SampleSource {
  dims: readonly number[];
  datatype: DataType;
  channels: number;
  slope: number;
  inter: number;
  affine: Mat4;
  inverseAffine: Mat4;
  values: VoxelArray;
  /** While a series arrives: 1 for each slice (k + t·nz) not written yet, whose memory holds no value. */
  pending?: Uint8Array;
}

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
  const offset = ((t * voxelsPerFrame(src.dims) + (k * ny + j) * nx + i) | 0) * src.channels;
  if (src.channels > 1) {
    const raw: number[] = [];
    for (let c = 0; c < src.channels; c++) raw.push(Number(src.values[offset + c]));
    return { ijk: index, world, raw, scaled: raw.slice(), inside };
  }
  const raw = Number(src.values[offset]);
  return { ijk: index, world, raw, scaled: scaleValue(raw, src.slope, src.inter), inside };
}
