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
}

export interface DicomFileInfo {
  file: number;
  name: string;
  transferSyntax: string;
  sopClassUid: string;
  sopInstanceUid: string;
  seriesUid: string;
  studyUid: string;
  frames: number;
  pixel: DicomPixelFormat;
  planes: DicomPlane[];
  windowCenter?: number;
  windowWidth?: number;
  sliceThickness?: number;
  spacingBetweenSlices?: number;
  /** Shown in the metadata panel. */
  meta: { patientName?: string; patientId?: string; studyDate?: string; studyDescription?: string; seriesDescription?: string; seriesNumber?: number; modality?: string; institution?: string; manufacturer?: string };
}
