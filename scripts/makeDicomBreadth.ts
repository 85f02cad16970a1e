// DICOM objects as they come from other scanners and from treatment planning, for the tests of
// issue 22: images without patient geometry (secondary capture, single and multi-frame), colour
// (RGB, YBR_FULL, YBR_FULL_422, PALETTE COLOR), MONOCHROME1, multi-frame RLE and JPEG Lossless
// with an empty Basic Offset Table (one fragment per frame, several, or an Extended Offset Table),
// RT Dose grids with relative and absolute GridFrameOffsetVector, multi-echo series, and copies of
// one instance in another transfer syntax. Written with makeDicomSeries.ts's encoder; every value
// is a formula of its indices, so tests know each voxel without a fixture file.
import { encodeJpegLossless, encodeRle } from '../src/io/dicom/pixels/testEncoders';
import { ds, encodePart10, uidFrom, type DicomElement } from './makeDicomSeries';

export const SECONDARY_CAPTURE_STORAGE = '1.2.840.10008.5.1.4.1.1.7';
export const MULTIFRAME_GRAYSCALE_WORD_SC = '1.2.840.10008.5.1.4.1.1.7.3';
export const RT_DOSE_STORAGE = '1.2.840.10008.5.1.4.1.1.481.2';
export const MR_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.4';
export const RLE_LOSSLESS = '1.2.840.10008.1.2.5';
export const JPEG_LOSSLESS_SV1 = '1.2.840.10008.1.2.4.70';

/**
 * The grey value of pixel (column i, row j) of frame f in the geometry-less test images: a ramp
 * whose values run contiguously (so it reads as an image, not as label codes), different per frame.
 */
export const greyValue = (i: number, j: number, f: number) => 100 + i + 9 * j + 7 * f;

export interface ImageObject {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesUid: string;
  modality: string;
  rows: number;
  columns: number;
  frames: number;
  bitsAllocated: number;
  bitsStored?: number;
  pixelRepresentation?: 0 | 1;
  samplesPerPixel?: number;
  photometric: string;
  planarConfiguration?: 0 | 1;
  /** Native bytes, or encapsulated fragments (with an optional Extended Offset Table). */
  pixels: Uint8Array | { fragments: Uint8Array[]; basicOffsetTable?: number[]; extendedOffsetTable?: { offsets: number[]; lengths: number[] } };
  transferSyntaxUid?: string;
  /** More elements: geometry, spacing, RT Dose attributes. */
  extra?: DicomElement[];
  instanceNumber?: number;
  studyUid?: string;
}

/** One Part 10 file from its description. */
export function imageObject(o: ImageObject): Uint8Array {
  const samples = o.samplesPerPixel ?? 1;
  const pixels: DicomElement[] =
    o.pixels instanceof Uint8Array
      ? [{ tag: 0x7fe00010, vr: o.bitsAllocated > 8 ? 'OW' : 'OB', value: o.pixels }]
      : [
          { tag: 0x7fe00010, vr: 'OB', fragments: o.pixels.fragments, basicOffsetTable: o.pixels.basicOffsetTable },
          ...(o.pixels.extendedOffsetTable
            ? ([
                { tag: 0x7fe00001, vr: 'OV', value: ov(o.pixels.extendedOffsetTable.offsets) },
                { tag: 0x7fe00002, vr: 'OV', value: ov(o.pixels.extendedOffsetTable.lengths) },
              ] as DicomElement[])
            : []),
        ];
  const elements: DicomElement[] = [
    { tag: 0x00080016, vr: 'UI', value: o.sopClassUid },
    { tag: 0x00080018, vr: 'UI', value: o.sopInstanceUid },
    { tag: 0x00080060, vr: 'CS', value: o.modality },
    { tag: 0x0008103e, vr: 'LO', value: `Breadth ${o.modality} ${o.photometric}` },
    { tag: 0x00100010, vr: 'PN', value: 'Phantom^Breadth' },
    { tag: 0x0020000d, vr: 'UI', value: o.studyUid ?? uidFrom('voxlens breadth study') },
    { tag: 0x0020000e, vr: 'UI', value: o.seriesUid },
    { tag: 0x00200013, vr: 'IS', value: String(o.instanceNumber ?? 1) },
    { tag: 0x00280002, vr: 'US', value: samples },
    { tag: 0x00280004, vr: 'CS', value: o.photometric },
    ...(samples > 1 ? ([{ tag: 0x00280006, vr: 'US', value: o.planarConfiguration ?? 0 }] as DicomElement[]) : []),
    ...(o.frames > 1 ? ([{ tag: 0x00280008, vr: 'IS', value: String(o.frames) }] as DicomElement[]) : []),
    { tag: 0x00280010, vr: 'US', value: o.rows },
    { tag: 0x00280011, vr: 'US', value: o.columns },
    { tag: 0x00280100, vr: 'US', value: o.bitsAllocated },
    { tag: 0x00280101, vr: 'US', value: o.bitsStored ?? o.bitsAllocated },
    { tag: 0x00280102, vr: 'US', value: (o.bitsStored ?? o.bitsAllocated) - 1 },
    { tag: 0x00280103, vr: 'US', value: o.pixelRepresentation ?? 0 },
    ...(o.extra ?? []),
    ...pixels,
  ];
  return encodePart10(elements, { sopClassUid: o.sopClassUid, sopInstanceUid: o.sopInstanceUid, transferSyntaxUid: o.transferSyntaxUid });
}

function ov(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  values.forEach((v, i) => new DataView(out.buffer).setBigUint64(i * 8, BigInt(v), true));
  return out;
}

const u16Bytes = (values: Uint16Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

/** Frame f of the grey test image, column fastest. */
export function greyFrame(columns: number, rows: number, f: number): Uint16Array {
  const out = new Uint16Array(columns * rows);
  for (let j = 0; j < rows; j++) for (let i = 0; i < columns; i++) out[j * columns + i] = greyValue(i, j, f);
  return out;
}

export interface SecondaryCaptureOptions {
  columns?: number;
  rows?: number;
  frames?: number;
  /** Which spacing tag to write: PixelSpacing, ImagerPixelSpacing, or none (1 mm). */
  spacing?: 'pixel' | 'imager' | 'none';
  photometric?: 'MONOCHROME1' | 'MONOCHROME2';
  /** Native (default), RLE or JPEG Lossless, with an empty offset table. */
  encoding?: 'native' | 'rle' | 'jpeg-lossless';
  /** Encapsulated only: how the frames are put into fragments and found. */
  fragments?: 'one-per-frame' | 'two-per-frame' | 'extended-offset-table';
  seed?: string;
}

/** The spacings written: PixelSpacing 0.5 \ 0.25 (rows 0.5 mm apart, columns 0.25 mm), ImagerPixelSpacing 0.2 \ 0.2. */
export const SC_PIXEL_SPACING: [number, number] = [0.5, 0.25];
export const SC_IMAGER_SPACING: [number, number] = [0.2, 0.2];

/**
 * A geometry-less 12-bit grey image (16 bits allocated, greyValue): no ImageOrientationPatient,
 * no ImagePositionPatient; one frame or several.
 */
export function secondaryCapture(opts: SecondaryCaptureOptions = {}): Uint8Array {
  const columns = opts.columns ?? 12, rows = opts.rows ?? 10, frames = opts.frames ?? 1;
  const seed = opts.seed ?? `sc ${columns}x${rows}x${frames} ${opts.spacing ?? 'pixel'} ${opts.photometric ?? ''} ${opts.encoding ?? 'native'} ${opts.fragments ?? ''}`;
  const spacing: DicomElement[] =
    opts.spacing === 'none' ? [] : opts.spacing === 'imager' ? [{ tag: 0x00181164, vr: 'DS', value: SC_IMAGER_SPACING.map(ds) }] : [{ tag: 0x00280030, vr: 'DS', value: SC_PIXEL_SPACING.map(ds) }];
  const frameData = Array.from({ length: frames }, (_, f) => greyFrame(columns, rows, f));
  let pixels: ImageObject['pixels'];
  let transferSyntaxUid: string | undefined;
  const encoding = opts.encoding ?? 'native';
  if (encoding === 'native') {
    const all = new Uint16Array(columns * rows * frames);
    frameData.forEach((d, f) => all.set(d, f * columns * rows));
    pixels = u16Bytes(all);
  } else {
    transferSyntaxUid = encoding === 'rle' ? RLE_LOSSLESS : JPEG_LOSSLESS_SV1;
    const streams = frameData.map((d) => (encoding === 'rle' ? encodeRle(u16Bytes(d), 2, 1) : encodeJpegLossless(d, rows, columns, 12)));
    const split = opts.fragments === 'two-per-frame';
    if (split && encoding === 'rle') throw new Error('RLE frames are one fragment each (PS3.5 A.4.2)');
    // Split at an even byte in the middle: the first half ends inside the entropy-coded data, never on FFD9.
    const fragments = split ? streams.flatMap((s) => [s.slice(0, Math.floor(s.length / 4) * 2), s.slice(Math.floor(s.length / 4) * 2)]) : streams;
    pixels = { fragments };
    if (opts.fragments === 'extended-offset-table') {
      // Offsets of each frame's item tag from the first fragment's (items: 8-byte tag + even data).
      const offsets: number[] = [];
      let at = 0;
      for (const s of streams) {
        offsets.push(at);
        at += 8 + s.length + (s.length % 2);
      }
      pixels.extendedOffsetTable = { offsets, lengths: streams.map((s) => s.length) };
    }
  }
  return imageObject({
    sopClassUid: frames > 1 ? MULTIFRAME_GRAYSCALE_WORD_SC : SECONDARY_CAPTURE_STORAGE,
    sopInstanceUid: uidFrom(`${seed} instance`),
    seriesUid: uidFrom(`${seed} series`),
    modality: 'OT',
    rows,
    columns,
    frames,
    bitsAllocated: 16,
    bitsStored: 12,
    photometric: opts.photometric ?? 'MONOCHROME2',
    pixels,
    transferSyntaxUid,
    extra: [...spacing, ...(frames > 1 ? ([{ tag: 0x00181063, vr: 'DS', value: '40' }] as DicomElement[]) : [])],
  });
}

/** The colour of pixel (i, j) in the colour test images: exact bytes. */
export const rgbValue = (i: number, j: number): [number, number, number] => [(i * 20 + 5) % 256, (j * 30 + 7) % 256, (i * 7 + j * 11 + 100) % 256];

/** RGB → YBR_FULL (PS3.3 C.7.6.3.1.2), rounded and clamped to bytes. */
export function rgbToYbrFull([r, g, b]: readonly number[]): [number, number, number] {
  const c = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
  return [c(0.299 * r + 0.587 * g + 0.114 * b), c(-0.168736 * r - 0.331264 * g + 0.5 * b + 128), c(0.5 * r - 0.418688 * g - 0.081312 * b + 128)];
}

/** The 16-bit RGB test image's components at column i, row j (16-bit colour: colourImage({ bits: 16 })). */
export const rgb16Value = (i: number, j: number): [number, number, number] => [(i * 4111 + 123) % 65536, (j * 9001 + 40000) % 65536, (i * 311 + j * 1777 + 300) % 65536];

export interface ColourOptions {
  photometric: 'RGB' | 'YBR_FULL' | 'YBR_FULL_422';
  planar?: boolean;
  /** 16: RGB with 16-bit components, rgb16Value (little-endian); only for RGB. Default 8. */
  bits?: 8 | 16;
  encoding?: 'native' | 'rle';
  columns?: number;
  rows?: number;
}

/**
 * A geometry-less 8-bit colour image: RGB (interleaved or planar, native or RLE), YBR_FULL
 * (native or RLE; its values rgbToYbrFull of rgbValue), or YBR_FULL_422 (native: Y Y Cb Cr per pair of
 * pixels, the pair's chroma from its left pixel).
 */
export function colourImage(opts: ColourOptions): Uint8Array {
  if (opts.bits === 16) return colourImage16(opts);
  const columns = opts.columns ?? 8, rows = opts.rows ?? 6;
  const n = columns * rows;
  const ybr = opts.photometric !== 'RGB';
  const px = (p: number) => (ybr ? rgbToYbrFull(rgbValue(p % columns, Math.floor(p / columns))) : rgbValue(p % columns, Math.floor(p / columns)));
  let data: Uint8Array;
  if (opts.photometric === 'YBR_FULL_422') {
    if (columns % 2) throw new Error('YBR_FULL_422 needs an even number of columns');
    data = new Uint8Array(n * 2);
    for (let p = 0; p < n; p += 2) {
      const [y0, cb, cr] = px(p);
      data.set([y0, px(p + 1)[0], cb, cr], p * 2);
    }
  } else if (opts.planar) {
    data = new Uint8Array(n * 3);
    for (let p = 0; p < n; p++) px(p).forEach((v, s) => (data[s * n + p] = v));
  } else {
    data = new Uint8Array(n * 3);
    for (let p = 0; p < n; p++) data.set(px(p), p * 3);
  }
  if (opts.encoding === 'rle' && opts.photometric === 'YBR_FULL_422') throw new Error('RLE does not carry YBR_FULL_422 (PS3.5 G.2: its colour is RGB or YBR_FULL)');
  return colourObject(`colour ${opts.photometric} ${opts.planar ? 'planar' : ''} ${opts.encoding ?? 'native'}`, opts, rows, columns, 8, data);
}

/** The secondary-capture object of a colour test image: its pixel bytes as given, or RLE (a segment per byte of each sample). */
function colourObject(seed: string, opts: ColourOptions, rows: number, columns: number, bitsAllocated: 8 | 16, data: Uint8Array): Uint8Array {
  const rle = opts.encoding === 'rle';
  return imageObject({
    sopClassUid: SECONDARY_CAPTURE_STORAGE,
    sopInstanceUid: uidFrom(`${seed} instance`),
    seriesUid: uidFrom(`${seed} series`),
    modality: 'OT',
    rows,
    columns,
    frames: 1,
    bitsAllocated,
    samplesPerPixel: 3,
    photometric: opts.photometric,
    planarConfiguration: rle ? 0 : opts.planar ? 1 : 0,
    pixels: rle ? { fragments: [encodeRle(data, bitsAllocated / 8, 3)] } : data,
    transferSyntaxUid: rle ? RLE_LOSSLESS : undefined,
    extra: [{ tag: 0x00280030, vr: 'DS', value: ['1', '1'] }],
  });
}

/** RGB with BitsAllocated/BitsStored 16: components rgb16Value, interleaved or planar, native or RLE (6 segments). */
function colourImage16(opts: ColourOptions): Uint8Array {
  if (opts.photometric !== 'RGB') throw new Error('16-bit colour test images are RGB');
  const columns = opts.columns ?? 8, rows = opts.rows ?? 6;
  const n = columns * rows;
  const data = new Uint8Array(n * 6);
  const view = new DataView(data.buffer);
  for (let p = 0; p < n; p++) {
    rgb16Value(p % columns, Math.floor(p / columns)).forEach((v, s) => view.setUint16((opts.planar ? s * n + p : p * 3 + s) * 2, v, true));
  }
  return colourObject(`colour16 ${opts.planar ? 'planar' : ''} ${opts.encoding ?? 'native'}`, opts, rows, columns, 16, data);
}

/** The palette of the PALETTE COLOR test image: 16-bit entries for stored values 10…10+count−1. */
export const PALETTE_FIRST = 10;
export const paletteEntry = (k: number): [number, number, number] => [(k * 4111) % 65536, (65535 - k * 1000) % 65536, (k * k * 97) % 65536];

/** An 8-bit PALETTE COLOR image whose stored value at (i, j) is PALETTE_FIRST + (i + j) % 16, with 16-bit LUTs of 16 entries. */
export function paletteImage(): Uint8Array {
  const columns = 8, rows = 4, count = 16;
  const data = new Uint8Array(columns * rows);
  for (let j = 0; j < rows; j++) for (let i = 0; i < columns; i++) data[j * columns + i] = PALETTE_FIRST + ((i + j) % count);
  const lut = (c: number) => {
    const out = new Uint8Array(count * 2);
    for (let k = 0; k < count; k++) new DataView(out.buffer).setUint16(k * 2, paletteEntry(k)[c], true);
    return out;
  };
  return imageObject({
    sopClassUid: SECONDARY_CAPTURE_STORAGE,
    sopInstanceUid: uidFrom('palette instance'),
    seriesUid: uidFrom('palette series'),
    modality: 'OT',
    rows,
    columns,
    frames: 1,
    bitsAllocated: 8,
    photometric: 'PALETTE COLOR',
    pixels: data,
    extra: [
      // Descriptors: entries, first stored value mapped, bits per entry (US, as PS3.3 C.7.6.3.1.5 allows).
      { tag: 0x00281101, vr: 'US', value: [count, PALETTE_FIRST, 16] },
      { tag: 0x00281102, vr: 'US', value: [count, PALETTE_FIRST, 16] },
      { tag: 0x00281103, vr: 'US', value: [count, PALETTE_FIRST, 16] },
      { tag: 0x00281201, vr: 'OW', value: lut(0) },
      { tag: 0x00281202, vr: 'OW', value: lut(1) },
      { tag: 0x00281203, vr: 'OW', value: lut(2) },
    ],
  });
}

export interface RtDoseOptions {
  /** GridFrameOffsetVector relative to the first plane (first element 0) or absolute z (PS3.3 C.8.8.3.2). */
  offsets: 'relative' | 'absolute';
  /** [columns, rows, planes] (default 6×5×4). */
  dims?: [number, number, number];
}

export interface RtDose {
  bytes: Uint8Array;
  dims: [number, number, number];
  /** Raw stored value at (i, j, k): uint32. */
  raw(i: number, j: number, k: number): number;
  scaling: number;
  /** ImagePositionPatient (LPS) of plane k. */
  position(k: number): [number, number, number];
  pixelSpacing: [number, number];
}

/** The dose test grid: axial, planes 2.5 mm apart, PixelSpacing 3 \\ 2, DoseGridScaling 2.5e-4 Gy, DoseUnits GY, 32-bit unsigned. */
export function rtDose(opts: RtDoseOptions): RtDose {
  const [columns, rows, planes] = opts.dims ?? [6, 5, 4];
  const origin: [number, number, number] = [-10, -20, 30];
  // Evenly spaced planes, 2.5 mm apart; relative and absolute differ only in how they say it.
  const relative = Array.from({ length: planes }, (_, k) => k * 2.5);
  const raw = (i: number, j: number, k: number) => 1000 * (k + 1) + 100 * j + i + (i * j * k) * 40000;
  const data = new Uint32Array(columns * rows * planes);
  for (let k = 0; k < planes; k++) for (let j = 0; j < rows; j++) for (let i = 0; i < columns; i++) data[(k * rows + j) * columns + i] = raw(i, j, k);
  const scaling = 2.5e-4;
  const pixelSpacing: [number, number] = [3, 2];
  const offsets = opts.offsets === 'relative' ? relative : relative.map((d) => origin[2] + d);
  const seed = `rtdose ${opts.offsets} ${columns}x${rows}x${planes}`;
  const bytes = imageObject({
    sopClassUid: RT_DOSE_STORAGE,
    sopInstanceUid: uidFrom(`${seed} instance`),
    seriesUid: uidFrom(`${seed} series`),
    modality: 'RTDOSE',
    rows,
    columns,
    frames: planes,
    bitsAllocated: 32,
    photometric: 'MONOCHROME2',
    pixels: new Uint8Array(data.buffer),
    extra: [
      { tag: 0x00200032, vr: 'DS', value: origin.map(ds) },
      { tag: 0x00200037, vr: 'DS', value: ['1', '0', '0', '0', '1', '0'] },
      { tag: 0x00200052, vr: 'UI', value: uidFrom('voxlens breadth frame of reference') },
      { tag: 0x00280030, vr: 'DS', value: pixelSpacing.map(ds) },
      { tag: 0x30040002, vr: 'CS', value: 'GY' },
      { tag: 0x30040004, vr: 'CS', value: 'PHYSICAL' },
      { tag: 0x3004000a, vr: 'CS', value: 'PLAN' },
      { tag: 0x3004000c, vr: 'DS', value: offsets.map(ds) },
      { tag: 0x3004000e, vr: 'DS', value: ds(scaling) },
    ],
  });
  return { bytes, dims: [columns, rows, planes], raw, scaling, position: (k) => [origin[0], origin[1], origin[2] + relative[k]], pixelSpacing };
}
