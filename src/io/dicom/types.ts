// What Voxlens reads from each DICOM file's header (tags.ts fills it from dicom-parser), before
// any pixel data is decoded: enough to group files into series, sort them and size the volume.

export type Vec3 = [number, number, number];

/** ImageOrientationPatient: the row direction (first three) and column direction (last three), LPS. */
export type Orientation = [number, number, number, number, number, number];

/** One image plane: a single-frame file, or one frame of an enhanced multi-frame object. */
export interface DicomPlane {
  /** Which file (index into the files given) and which frame in it (0 for single-frame files). */
  file: number;
  frame: number;
  /** ImagePositionPatient: the centre of the first transmitted pixel, LPS mm. */
  position?: Vec3;
  orientation?: Orientation;
  /** PixelSpacing: [between rows (mm), between columns (mm)], as DICOM orders it. */
  pixelSpacing?: [number, number];
  rows: number;
  columns: number;
  /** RescaleSlope / RescaleIntercept of this plane (1 and 0 when absent). */
  slope: number;
  intercept: number;
  instanceNumber?: number;
  /** The tags that tell apart planes at one position (echoes, time points, b-values), where present. */
  frameTags?: FrameTags;
}

/** Values that name a multi-volume series' frame axis (see series.ts frameAxisOf). */
export interface FrameTags {
  /** DiffusionBValue (0018,9087), s/mm². */
  bValue?: number;
  /** EchoTime (0018,0081) or EffectiveEchoTime (0018,9082), ms. */
  echoTime?: number;
  /** EchoNumbers (0018,0086). */
  echoNumber?: number;
  /** TemporalPositionIdentifier (0020,0100) or TemporalPositionIndex (0020,9128). */
  temporalPosition?: number;
  /** TriggerTime (0018,1060), ms. */
  triggerTime?: number;
  /** AcquisitionTime (0008,0032) as written (HHMMSS.frac). */
  acquisitionTime?: string;
}

export interface DicomPixelFormat {
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  samplesPerPixel: number;
  /** 0: RGBRGB…, 1: RRR…GGG…BBB… */
  planarConfiguration: 0 | 1;
  photometric: string;
  /** PALETTE COLOR: the lookup tables, where the file holds them whole. */
  palette?: DicomPalette;
}

/** A PALETTE COLOR image's lookup tables (PS3.3 C.7.6.3.1.5), entries reduced to bytes. */
export interface DicomPalette {
  /** The stored value the first entry maps. */
  first: number;
  red: Uint8Array;
  green: Uint8Array;
  blue: Uint8Array;
}

export interface DicomFileInfo {
  file: number;
  name: string;
  transferSyntax: string;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesUid: string;
  studyUid: string;
  /** FrameOfReferenceUID (0020,0052), where present (a DICOM SEG drawn on this series keeps it). */
  frameOfReferenceUid?: string;
  frames: number;
  pixel: DicomPixelFormat;
  planes: DicomPlane[];
  windowCenter?: number;
  windowWidth?: number;
  sliceThickness?: number;
  spacingBetweenSlices?: number;
  /** ImagerPixelSpacing (0018,1164): the spacing used when PixelSpacing is absent. */
  imagerPixelSpacing?: [number, number];
  /** FrameTime (0018,1063), ms between frames of a multi-frame image (cine). */
  frameTimeMs?: number;
  /** What a scaled value is in: 'Gy' for an RT Dose in GY (DoseUnits), 'HU' for CT. */
  valueUnit?: string;
  /** Shown in the metadata panel. */
  meta: { patientName?: string; patientId?: string; studyDate?: string; studyDescription?: string; seriesDescription?: string; seriesNumber?: number; modality?: string; institution?: string; manufacturer?: string };
}
