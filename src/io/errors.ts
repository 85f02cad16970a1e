// Typed load errors: every failure a user can cause with a file or URL has a code and a message
// a person can act on. Programmer errors throw instead.

export type LoadErrorCode =
  | 'unknown-format'
  | 'bad-magic'
  | 'bad-header'
  | 'bad-dims'
  | 'bitpix-mismatch'
  | 'bad-offset'
  | 'unsupported-dtype'
  | 'unsupported-format'
  | 'truncated'
  // A header whose data file (a detached NRRD's, a .hdr's .img) was not given or not found.
  | 'missing-file'
  // DICOM files holding several series, loaded without saying which.
  | 'several-series'
  | 'gzip'
  | 'over-budget'
  | 'too-large'
  | 'fetch-failed'
  | 'cancelled'
  | 'no-webgl'
  // A label lookup table (names and colours for a label map) that cannot be read.
  | 'bad-lookup'
  // An API call whose arguments name nothing there is (a slab past the last).
  | 'bad-argument'
  | 'internal';

export interface LoadError {
  code: LoadErrorCode;
  message: string;
}

export type Result<T> = { kind: 'ok'; value: T } | ({ kind: 'error' } & LoadError);

export const ok = <T>(value: T): Result<T> => ({ kind: 'ok', value });
export const fail = (code: LoadErrorCode, message: string): { kind: 'error' } & LoadError => ({ kind: 'error', code, message });

/** An Error that carries a LoadError across `await` boundaries and out of `load()` rejections. */
export class VoxlensLoadError extends Error implements LoadError {
  readonly code: LoadErrorCode;
  constructor(error: LoadError) {
    super(error.message);
    this.name = 'VoxlensLoadError';
    this.code = error.code;
  }
}

export const isLoadError = (e: unknown): e is LoadError =>
  typeof e === 'object' && e !== null && typeof (e as LoadError).code === 'string' && typeof (e as LoadError).message === 'string';

export const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} bytes`;
