// The shapes shared by the fuzz corpus modules (see ../fuzzCorpus.ts).

/** What the front door must answer: a typed error, a correct load, or either of the two. */
export type Expect = 'error' | 'ok' | 'either';

export type CaseKind = 'cut' | 'field' | 'framing' | 'junk' | 'companion' | 'random';

export interface FuzzCase {
  /** Unique, file-system safe. */
  name: string;
  /** The seed the case was made from. */
  base: string;
  /** What was done to the seed, in words. */
  mutation: string;
  expect: Expect;
  /**
   * 'cut': truncated; 'field': a header field or line changed; 'framing': gzip members and bytes
   * around them; 'junk': bytes that are no seed's; 'companion': a header with its data files (some
   * missing, cut or damaged); 'random': a seeded random mutation.
   */
  kind: CaseKind;
  /** The name the decoder is given (its extension: .nii, .nii.gz, .nrrd, .mgz). */
  fileName: string;
  /**
   * The header alone shows the problem, before any voxel memory is needed: either it is invalid, or
   * the stored size is known up front (an uncompressed file) and cannot hold the voxels, or the
   * declared volume is over the test budget. Nothing may be allocated.
   */
  noAlloc: boolean;
  /** Built on demand, so a corpus of big volumes does not sit in memory at once. */
  bytes(): Uint8Array;
  /**
   * Files given with the main one, by name (a detached NRRD's data files, a .hdr's .img): what the
   * ByteSource's `sibling` finds. Absent: the main file comes alone.
   */
  companions?(): Record<string, Uint8Array>;
}

export type SeedFormat = 'nifti1' | 'nifti2' | 'mgh' | 'nrrd';

/** Where the parts of a seed's (decompressed) content lie. */
export interface Layout {
  /** Bytes of the fixed or text header (NIfTI sizeof_hdr, MGH 284, NRRD up to and including the blank line). */
  headerEnd: number;
  /** First voxel byte (NIfTI vox_offset; NRRD: first data byte, encoded). */
  voxStart: number;
  /** One past the last voxel byte as stored (NRRD gzip: the end of the gzip data). */
  voxEnd: number;
  /** Declared voxel bytes (decoded). */
  voxelBytes: number;
  bytesPerVoxel: number;
  littleEndian: boolean;
  /** NRRD only: the `encoding` field. */
  encoding?: string;
}

export interface Seed {
  name: string;
  /** The name the decoder sees. */
  fileName: string;
  format: SeedFormat;
  /** Whole-file gzip (.nii.gz, .mgz). */
  gz: boolean;
  /** The bytes as stored (compressed when gz). */
  stored: Uint8Array;
  /** The bytes after whole-file gunzip (= stored when not gz). */
  content: Uint8Array;
  layout: Layout;
  /** Made in memory (no ../shared/data), or shrunk from a real file. */
  origin: 'shared' | 'synthetic' | 'mini';
}
