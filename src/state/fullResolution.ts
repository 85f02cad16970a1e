// Exact values at full resolution for a layer drawn from a coarser level (an OME-Zarr image whose
// finest level does not fit the GPU or the voxel budget): a probe reads the full-resolution voxel
// from its chunk, fetched on demand (Zarr worker) into the chunk cache. Until the chunk is in, the
// probe says "loading" (never a coarse value presented as the voxel's); voxlens.probeAsync waits.
import { ok, type Result } from '../io/errors';
import { invert, type Mat4 } from '../volume/affine';
import { DATA_TYPES, voxelView, type DataType } from '../volume/dataTypes';
import type { VoxelBuffer } from '../memory/voxelBuffer';
import type { SampleSource } from '../volume/sampling';
import { chunkCache, zarrClient } from './runtime';

export type FullValue = { kind: 'value'; raw: number } | { kind: 'loading' } | { kind: 'error'; message: string };

export interface FullResolution {
  /** The full-resolution grid [nx, ny, nz(, nt)] and its voxel → world affine. */
  dims: number[];
  affine: Mat4;
  inverseAffine: Mat4;
  /** The stored value at a full-resolution voxel now, or 'loading' (its chunk is on the way; `onArrive` follows). */
  read(ijk: readonly number[], frame: number): FullValue;
  /** The stored value once its chunk is in. */
  readAsync(ijk: readonly number[], frame: number): Promise<Result<number>>;
  /** The full grid in CPU memory (a single file too large for the GPU): probes, pins, profiles and statistics read it at once. */
  source?: SampleSource;
  /** Its memory, for views (`voxlens.view`): one buffer, or `slabs` of whole slices (a grid larger than one buffer holds). */
  buffer?: VoxelBuffer;
  slabs?: VoxelBuffer[];
  /** Lets go of what it holds (the layer's pin on the full grid) when the layer closes. */
  release?(): void;
}

export interface ZarrLevel0 {
  url: string;
  path: string;
  shape: number[];
  chunks: number[];
  axes: { x: number; y: number; z?: number; t?: number; c?: number };
  channel: number;
  datatype: DataType;
  dims: number[];
  affine: Mat4;
}

export function zarrFullResolution(level: ZarrLevel0, onArrive: () => void): FullResolution {
  const { axes, chunks } = level;
  const info = DATA_TYPES[level.datatype];
  const chunkValues = chunks.reduce((p, n) => p * n, 1);
  // C-order strides inside a chunk.
  const strides = chunks.map((_, a) => chunks.slice(a + 1).reduce((p, n) => p * n, 1));
  const failed = new Map<string, string>();
  const locate = (ijk: readonly number[], frame: number) => {
    const coord = level.shape.map(() => 0);
    coord[axes.x] = ijk[0];
    coord[axes.y] = ijk[1];
    if (axes.z !== undefined) coord[axes.z] = ijk[2];
    if (axes.t !== undefined) coord[axes.t] = ijk.length > 3 ? ijk[3] : frame;
    if (axes.c !== undefined) coord[axes.c] = level.channel;
    const chunk = coord.map((v, a) => Math.floor(v / chunks[a]));
    const offset = coord.reduce((sum, v, a) => sum + (v - chunk[a] * chunks[a]) * strides[a], 0);
    return { key: `${level.url}|${level.path}|${chunk.join('/')}`, chunk, offset };
  };
  const fill = (chunk: number[]) => (target: Uint8Array) => zarrClient.chunkInto(level.url, level.path, chunk, target);
  const valueAt = (memory: ArrayBufferLike, offset: number) => Number(voxelView(level.datatype, memory, chunkValues)[offset]);
  const fetchChunk = (key: string, chunk: number[]) => chunkCache.acquire(key, chunkValues * info.bytesPerVoxel, 'probe', `chunk ${chunk.join('/')} of ${level.url}`, fill(chunk));
  return {
    dims: level.dims,
    affine: level.affine,
    inverseAffine: invert(level.affine),
    read(ijk, frame) {
      const { key, chunk, offset } = locate(ijk, frame);
      const resident = chunkCache.peek(key);
      if (resident) return { kind: 'value', raw: valueAt(resident.memory, offset) };
      const error = failed.get(key);
      if (error) return { kind: 'error', message: error };
      void fetchChunk(key, chunk).then((r) => {
        if (r.kind === 'ok') r.value.pin.release();
        else failed.set(key, r.message);
        onArrive();
      });
      return { kind: 'loading' };
    },
    async readAsync(ijk, frame) {
      const { key, chunk, offset } = locate(ijk, frame);
      failed.delete(key);
      const r = await fetchChunk(key, chunk);
      if (r.kind === 'error') return r;
      try {
        return ok(valueAt(r.value.value.memory, offset));
      } finally {
        r.value.pin.release();
      }
    },
  };
}
