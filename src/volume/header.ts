import type { Mat4 } from './affine';
import type { BrickGrid } from './bricks';
import type { DataType } from './dataTypes';
import type { LabelLookup } from './labels';

/** 'nifti1-pair': a .hdr/.img pair with magic ni1; 'analyze': Analyze 7.5 (no magic); 'mgh' covers .mgz. */
export type VolumeFormat = 'nifti1' | 'nifti2' | 'nifti1-pair' | 'analyze' | 'nrrd' | 'mgh' | 'dicom' | 'ome-zarr';

/** Everything a decoder learns from a header; the voxels live in a VoxelBuffer, not here. */
export interface VolumeHeader {
  format: VolumeFormat;
  /** [nx, ny, nz] or [nx, ny, nz, nt]; trailing dims of 1 beyond the 3rd are dropped. */
  dims: number[];
  datatype: DataType;
  /** The file's own code for the type (NIfTI/Analyze datatype code, MGH type; 0 for NRRD, which names types). */
  datatypeCode: number;
  littleEndian: boolean;
  /** Identity scaling is slope 1, inter 0 (a file's slope of 0 or NaN means no scaling). */
  slope: number;
  inter: number;
  /** voxel → RAS+ mm, row-major. */
  affine: Mat4;
  /**
   * Where the affine came from: NIfTI sform/qform/pixdim; NRRD 'space directions' (with space
   * origin) or 'spacings'; MGH 'vox2ras' (Mdc, delta, c_ras) or 'mgh-default' (goodRASflag unset);
   * OME-Zarr 'ome-zarr' (the level's scale and translation, no orientation);
   * Analyze 'orient' (the hist.orient code, ambiguous).
   */
  affineSource: 'sform' | 'qform' | 'pixdim' | 'space directions' | 'spacings' | 'vox2ras' | 'mgh-default' | 'orient' | 'dicom' | 'ome-zarr';
  axcodes: string;
  /** Byte offset of the voxels in the (decompressed) file. */
  voxOffset: number;
  description: string;
  /** The file's intended display range in scaled units (NIfTI cal_min/cal_max), when it sets one. */
  displayRange?: [number, number];
  /** What the values mean (NIfTI intent_code): 0 none, 1002 label indices (NIFTI_INTENT_LABEL). */
  intentCode: number;
  /** Units of the grid and of time when the file states them (NIfTI xyzt_units): 'mm', 'µm', 'm'; 's', 'ms', 'µs'. */
  spaceUnit?: string;
  timeUnit?: string;
  /** Seconds between frames of a time series, when the file states it (NIfTI pixdim[4] with a time unit). */
  frameSeconds?: number;
  /**
   * What the user must be told about how this file was read (Analyze orientation is ambiguous;
   * NRRD vector components stored as frames; MGH without a valid vox2ras). Shown as a notice on load.
   */
  notices?: string[];
  /** A DICOM series: who and what it is, for the metadata panel. */
  dicom?: DicomSeriesMeta;
  /**
   * Label names the file itself carries (a NIfTI extension, or text between the NIfTI header and
   * the voxels as AAL stores it), and where they were found, for the layer panel. Its Maps cross
   * from the worker by structured clone.
   */
  labelNames?: { source: string; lookup: LabelLookup };
}

export interface DicomSeriesMeta {
  patientName?: string;
  patientId?: string;
  studyDate?: string;
  studyDescription?: string;
  seriesDescription?: string;
  seriesNumber?: number;
  modality?: string;
  institution?: string;
  manufacturer?: string;
  seriesUid: string;
  /** What a DICOM SEG drawn on this series refers to: its study, frame of reference, SOP class, and the image of each slice k (frame 1-based, in a multi-frame file). */
  studyUid?: string;
  frameOfReferenceUid?: string;
  sopClassUid?: string;
  sliceImages?: { sopInstanceUid: string; frame?: number }[];
  /** The transfer syntax's name (of the first image). */
  transferSyntax: string;
  images: number;
  /** What the frames of a multi-volume series are ('echo time', 'b-value', 'time point'…), named from the tag that differs. */
  frameAxis?: string;
  /** What a scaled value is in ('Gy' for RT Dose, 'HU' for CT), where the object says. */
  valueUnit?: string;
  /** No ImageOrientationPatient/ImagePositionPatient: nothing is known of the patient's directions (no A/P/R/L letters). */
  noPatientGeometry?: boolean;
}

/** NIfTI xyzt_units → the spatial and temporal unit names (undefined where the file leaves them unknown). */
/** Seconds between frames from NIfTI's pixdim[4] and its time unit; undefined where unstated or not a time. */
export function frameSecondsOf(step: number, timeUnit: string | undefined): number | undefined {
  const scale = timeUnit === 's' ? 1 : timeUnit === 'ms' ? 1e-3 : timeUnit === 'µs' ? 1e-6 : undefined;
  return scale !== undefined && Number.isFinite(step) && step > 0 ? step * scale : undefined;
}

export function niftiUnits(xyzt: number): { spaceUnit?: string; timeUnit?: string } {
  const space = ({ 1: 'm', 2: 'mm', 3: 'µm' } as Record<number, string>)[xyzt & 0x07];
  const time = ({ 8: 's', 16: 'ms', 24: 'µs', 32: 'Hz', 40: 'ppm', 48: 'rad/s' } as Record<number, string>)[xyzt & 0x38];
  return { ...(space ? { spaceUnit: space } : {}), ...(time ? { timeUnit: time } : {}) };
}

/** What a scaled value is, from the NIfTI intent code, where it names a statistic or quantity. */
export function intentValueName(intentCode: number): string | undefined {
  return ({ 2: 'correlation r', 3: 't statistic', 4: 'F statistic', 5: 'z score', 6: 'χ²', 22: 'p value', 23: 'ln p', 24: 'log10 p', 1001: 'estimate', 1002: 'label index', 1005: 'displacement vector', 1007: 'vector', 1011: 'quaternion', 2001: 'dimensionless' } as Record<number, string>)[intentCode];
}

export const voxelsPerFrame = (dims: readonly number[]) => dims[0] * dims[1] * dims[2];
// Stryker disable next-line ConditionalExpression,EqualityOperator: for three dims, slice(3) is empty and the product of nothing is 1
export const frameCount = (dims: readonly number[]) => (dims.length > 3 ? dims.slice(3).reduce((a, b) => a * b, 1) : 1);
export const voxelCount = (dims: readonly number[]) => voxelsPerFrame(dims) * frameCount(dims);

/** Display statistics, computed after decoding (in the worker). */
export interface VolumeStats {
  /** Raw (unscaled) extremes, ignoring NaN and ±Infinity: from a sample until `exact`. */
  min: number;
  max: number;
  /** Raw 2nd and 98th percentiles from a sample of the voxels: the default window. */
  robustMin: number;
  robustMax: number;
  /** NaN and ±Infinity values seen (in the sample until `exact`). */
  nonFinite: number;
  /**
   * Distinct finite values in the sample, counted up to DISTINCT_CAP (1024, meaning "that many or
   * more"). Never made exact: it only has to tell a handful of label codes from an image's levels.
   */
  sampledDistinct: number;
  /**
   * The longest run of consecutive integers among the sampled values (…, 108, 109, 110, …): an
   * image's grey levels come in long runs, a label map's codes in short ones. Absent where not sampled.
   */
  sampledRun?: number;
  /**
   * A signed volume's two tails (raw min < 0 < raw max), from the sample: for the positive values
   * and for the magnitudes of the negative ones, [95th percentile, largest]. A statistic map's
   * default overlay window comes from them.
   */
  tails?: { pos: [number, number]; neg: [number, number] };
  /** True once min, max and nonFinite cover every value. */
  exact: boolean;
  /**
   * Counts of raw values in HISTOGRAM_BINS equal bins over [min, max], every value (not a sample),
   * once `exact`; single-channel volumes only. Drawn under the transfer-function editor.
   */
  histogram?: number[];
  /** Min and max per brick for the ray caster's empty-space skipping, once `exact`; single channel. */
  bricks?: BrickGrid;
}

export const HISTOGRAM_BINS = 256;
