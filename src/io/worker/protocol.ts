// Messages between the main thread (../load.ts) and the decode worker (decode.worker.ts).
import type { DataType } from '../../volume/dataTypes';
import type { VolumeHeader, VolumeStats } from '../../volume/header';
import type { GunzipEngine } from '../decodeStream';
import type { LoadError } from '../errors';

/** One file to read. A Blob crosses by structured clone: a handle, not a copy of its bytes. */
export type FileSpec = { kind: 'blob'; blob: Blob; name: string } | { kind: 'url'; url: string; name: string; /** Accept header (WADO-RS asks for multipart DICOM). */ accept?: string };

/** What to read: the main file (the header, for a pair or a detached NRRD) and the files given with it. */
export type SourceSpec = FileSpec & { companions?: FileSpec[] };

/** How often (in voxel bytes) the decode worker tells the main thread how far the voxels are written. */
export const WRITTEN_STEP_BYTES = 2 * 2 ** 20;

export type ToWorker =
  | { type: 'decode'; jobId: number; source: SourceSpec }
  /**
   * Voxel memory for a job: one buffer, or z-slabs of whole slices (a volume larger than one buffer
   * holds). A SharedArrayBuffer is shared; an ArrayBuffer is transferred and comes back with 'done'/'error'.
   */
  | { type: 'buffer'; jobId: number; memories: (SharedArrayBuffer | ArrayBuffer)[] }
  | { type: 'refused'; jobId: number; error: LoadError }
  | { type: 'cancel'; jobId: number };

export type FromWorker =
  | { type: 'progress'; jobId: number; loadedBytes: number; totalBytes?: number }
  | { type: 'need-buffer'; jobId: number; header: VolumeHeader; bytes: number }
  /**
   * The first `bytes` bytes of the job's shared memory hold their final values (one buffer only,
   * every WRITTEN_STEP_BYTES and once at the end, before 'done'): the main thread may upload
   * those whole slices while the rest inflates.
   */
  | { type: 'written'; jobId: number; bytes: number }
  | { type: 'done'; jobId: number; header: VolumeHeader; stats: VolumeStats; gunzip: GunzipEngine | 'none'; memories?: ArrayBuffer[] }
  | { type: 'error'; jobId: number; error: LoadError; memories?: ArrayBuffer[] }
  /** After 'done', when the stats in it were sampled: the exact range, read from the shared memory. */
  | { type: 'stats'; jobId: number; stats: VolumeStats };

/**
 * To the analysis worker (analysis.worker.ts): counts over a layer's shared memory, or a display
 * level decimated from it into `target`; the main thread keeps both pinned until the answer.
 */
export type ToAnalysis =
  | { type: 'label-counts'; jobId: number; memory: SharedArrayBuffer; datatype: DataType; start: number; length: number }
  /** `memory`: the grid in one buffer, or in z-slabs of whole slices. */
  /** `cancel`: an Int32 the main thread sets to 1 when the layer closes; the full grid's range pass then stops. */
  | { type: 'decimate'; jobId: number; memory: SharedArrayBuffer[]; cancel: SharedArrayBuffer; datatype: DataType; dims: number[]; factors: [number, number, number]; target: SharedArrayBuffer }
  /** The exact stats (range, histogram, brick ranges) of a grid drawn whole from z-slabs, over its `sampled` ones. */
  | { type: 'grid-stats'; jobId: number; memory: SharedArrayBuffer[]; cancel: SharedArrayBuffer; datatype: DataType; dims: number[]; sampled: VolumeStats };

export type FromAnalysis =
  | { type: 'label-counts'; jobId: number; counts: [number, number][] }
  /** The display level is written; its sampled stats. Its exact stats (with brick ranges of the display grid) follow. */
  | { type: 'decimated'; jobId: number; stats: VolumeStats }
  | { type: 'decimated-exact'; jobId: number; stats: VolumeStats }
  | { type: 'grid-stats'; jobId: number; stats: VolumeStats }
  | { type: 'error'; jobId: number; message: string };
