// Messages between the main thread (../omezarr/client.ts) and the Zarr worker (zarr.worker.ts).
import type { DataType } from '../../volume/dataTypes';
import type { VolumeStats } from '../../volume/header';
import type { LoadError } from '../errors';

/** Which part of a level becomes one layer's voxels: one channel, every time point. */
export interface LevelFill {
  /** The OME-Zarr image group's URL and the level's path in it. */
  url: string;
  path: string;
  /** Indices into the array's axes. */
  axes: { x: number; y: number; z?: number; t?: number; c?: number };
  channel: number;
  datatype: DataType;
  /** [nx, ny, nz(, nt)]: the layer's grid (x fastest). */
  dims: number[];
  /** A voxel of this grid (x, y, z) whose chunks come first, the rest by distance from it: the crosshair. */
  focus?: [number, number, number];
}

export type ToZarr =
  | { type: 'fill'; jobId: number; fill: LevelFill; memory: SharedArrayBuffer | ArrayBuffer }
  | { type: 'cancel'; jobId: number }
  /**
   * One chunk of a level, decoded (C order, the full chunk shape): written into `into` (shared
   * memory of exactly its size: a chunk cache entry) where given, else handed back by transfer.
   */
  | { type: 'chunk'; jobId: number; url: string; path: string; coords: number[]; into?: SharedArrayBuffer };

export type FromZarr =
  /** Chunks done of total, and the bytes fetched for them as stored (compressed). */
  | { type: 'progress'; jobId: number; done: number; total: number; fetched: number }
  | { type: 'filled'; jobId: number; stats: VolumeStats; memory?: ArrayBuffer }
  | { type: 'stats'; jobId: number; stats: VolumeStats }
  | { type: 'error'; jobId: number; error: LoadError; memory?: ArrayBuffer }
  /** A chunk's bytes: `data` by transfer, or null when they were written into the `into` memory. */
  | { type: 'chunk'; jobId: number; data: ArrayBuffer | null; byteOffset: number; byteLength: number };
