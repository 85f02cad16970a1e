// Messages between the main thread (../dicom/client.ts) and the DICOM worker (dicom.worker.ts).
// A job first scans every file's header, then (once the main thread has chosen a series, built its
// geometry and taken the memory) writes the chosen planes' pixels into that memory.
import type { DataType } from '../../volume/dataTypes';
import type { VolumeStats } from '../../volume/header';
import type { DicomFileInfo, DicomPixelFormat } from '../dicom/types';
import type { LoadError } from '../errors';
import type { FileSpec } from './protocol';

export type ScanResult = { kind: 'ok'; info: DicomFileInfo } | { kind: 'skipped'; file: number; name: string; error: LoadError };

export interface PixelPlan {
  /** Index into the job's files, frame in that file, and the slot (slice index) it fills. */
  slices: { file: number; frame: number; slot: number }[];
  format: DicomPixelFormat;
  /** What the memory holds: the stored type, or float32 when the planes disagree on rescale. */
  datatype: DataType;
  /** Per slot, when converting to float32: the plane's own rescale. */
  rescale?: { slope: number; intercept: number }[];
  /** [columns, rows, slices(, frames)], for the statistics. */
  dims: number[];
}

export type ToDicom =
  | { type: 'scan'; jobId: number; files: FileSpec[] }
  /** A job whose headers are already known (DICOMweb metadata): no scan, pixels next. */
  | { type: 'adopt'; jobId: number; files: FileSpec[]; infos: DicomFileInfo[] }
  /** `memories`: one buffer, or z-slabs of whole slices (slots) for a series larger than one buffer holds. */
  | { type: 'pixels'; jobId: number; plan: PixelPlan; memories: (SharedArrayBuffer | ArrayBuffer)[] }
  /** A small grey picture of one plane, for the series picker. */
  | { type: 'thumbnail'; jobId: number; requestId: number; file: number; frame: number; format: DicomPixelFormat; slope: number; intercept: number; window?: [number, number]; maxSize: number }
  /**
   * To a helper worker (the DICOM worker starts them for compressed series): write these planes
   * into the shared memory. `kept` hands over the bytes of URL files already fetched.
   */
  | { type: 'assist'; jobId: number; files: FileSpec[]; infos: DicomFileInfo[]; kept: [number, Uint8Array][]; plan: PixelPlan; memories: SharedArrayBuffer[] }
  /** Ends a job: cancels what runs and drops the bytes it kept. */
  | { type: 'end'; jobId: number };

export type FromDicom =
  | { type: 'scanned'; jobId: number; results: ScanResult[] }
  /** In the pixel pass, `slots` names the slices just written (the memory holds them now). */
  | { type: 'progress'; jobId: number; done: number; total: number; bytes: number; slots?: number[] }
  /** `transferSyntaxes`: the UIDs the written images were stored in. */
  | { type: 'pixels-done'; jobId: number; stats: VolumeStats; transferSyntaxes: string[]; memories?: ArrayBuffer[] }
  | { type: 'error'; jobId: number; error: LoadError; memories?: ArrayBuffer[] }
  | { type: 'stats'; jobId: number; stats: VolumeStats }
  /** From a helper worker: its planes are written; the transfer syntax each of its files was stored in. */
  | { type: 'assisted'; jobId: number; transferSyntaxes: [number, string][] }
  | { type: 'thumbnail'; jobId: number; requestId: number; picture?: Thumbnail };

/** RGBA pixels of a picture `width` × `height`. */
export interface Thumbnail {
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}
