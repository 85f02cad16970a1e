// A generated CT-like DICOM series: one Part 10 file per axial slice, Explicit VR Little Endian,
// written by a small encoder here (no DICOM library): the 128-byte preamble, "DICM", the file meta
// group (0002) with its group length, then the data set's elements in ascending tag order, every
// value padded to an even length (UI with NUL, other strings with a space, binary with 0).
//
// The voxels: the 3D Shepp–Logan head of scripts/sample.ts in Hounsfield-like units, with a
// smooth intensity drift inside the head (±25 HU) and seeded noise (σ ≈ 8 HU in tissue, ≈ 3 HU in
// air), stored the way many CT scanners store them: BitsAllocated 16, BitsStored 12, HighBit 11,
// PixelRepresentation 0 (unsigned), raw = HU + 1024, RescaleSlope 1, RescaleIntercept −1024
// (RescaleType HU), WindowCenter 40 / WindowWidth 400. The same bytes every run.
//
// Geometry (LPS, as DICOM has it): ImageOrientationPatient 1\0\0\0\1\0 (rows run to the patient's
// left, columns to posterior), PixelSpacing equal in both directions, ImagePositionPatient
// stepping 1 mm (by default) in z per slice, the grid centred on the origin. `affine` is that grid
// as voxel → RAS mm (what Voxlens shows), for writing the same voxels as NIfTI.
//
// Used by the benchmark (bench/dicom.ts) and by tests; from the command line:
//   npx tsx scripts/makeDicomSeries.ts OUT_DIR [--dims 512x512x300] [--nifti FILE.nii.gz]
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'fflate';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { noisyPhantom } from './sample';

/** Value representations the encoder writes. */
export type Vr = 'AE' | 'AS' | 'CS' | 'DA' | 'DS' | 'DT' | 'IS' | 'LO' | 'LT' | 'PN' | 'SH' | 'ST' | 'TM' | 'UI' | 'UT' | 'US' | 'SS' | 'UL' | 'SL' | 'FL' | 'FD' | 'OB' | 'OW' | 'OV';

export type DicomElement =
  | {
      /** (group << 16) | element, e.g. 0x00280010 for Rows. */
      tag: number;
      vr: Vr;
      /** Strings (several joined with a backslash), numbers of a binary VR, or the bytes of OB / OW / OV (little endian). */
      value: string | readonly string[] | number | readonly number[] | Uint8Array;
    }
  /** A sequence: each item is a list of elements (written with undefined lengths and delimiters). */
  | { tag: number; vr: 'SQ'; items: readonly (readonly DicomElement[])[] }
  /**
   * Encapsulated Pixel Data (PS3.5 A.4): undefined length, the Basic Offset Table item (empty
   * unless `basicOffsetTable` is given), one item per fragment, a sequence delimiter.
   */
  | { tag: number; vr: 'OB'; fragments: readonly Uint8Array[]; basicOffsetTable?: readonly number[] };

/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 7.1.2); the others have a 2-byte length. */
const LONG_VRS = new Set<Vr>(['OB', 'OW', 'OV', 'UT']);
const BINARY: Partial<Record<Vr, { bytes: number; set: (dv: DataView, at: number, v: number) => void }>> = {
  US: { bytes: 2, set: (dv, at, v) => dv.setUint16(at, v, true) },
  SS: { bytes: 2, set: (dv, at, v) => dv.setInt16(at, v, true) },
  UL: { bytes: 4, set: (dv, at, v) => dv.setUint32(at, v, true) },
  SL: { bytes: 4, set: (dv, at, v) => dv.setInt32(at, v, true) },
  FL: { bytes: 4, set: (dv, at, v) => dv.setFloat32(at, v, true) },
  FD: { bytes: 8, set: (dv, at, v) => dv.setFloat64(at, v, true) },
};

/** An element's value bytes, padded to an even length. */
function valueBytes(e: Extract<DicomElement, { value: unknown }>): Uint8Array {
  const binary = BINARY[e.vr];
  if (binary) {
    const list = typeof e.value === 'number' ? [e.value] : (e.value as readonly number[]);
    const out = new Uint8Array(list.length * binary.bytes);
    const dv = new DataView(out.buffer);
    list.forEach((v, i) => binary.set(dv, i * binary.bytes, v));
    return out;
  }
  if (e.value instanceof Uint8Array) {
    if (e.vr !== 'OB' && e.vr !== 'OW' && e.vr !== 'OV') throw new Error(`(${tagText(e.tag)}) ${e.vr}: bytes are only for OB, OW and OV`);
    if (e.value.length % 2 === 0) return e.value;
    const out = new Uint8Array(e.value.length + 1);
    out.set(e.value);
    return out;
  }
  const text = Array.isArray(e.value) ? e.value.join('\\') : String(e.value);
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`(${tagText(e.tag)}) ${e.vr}: only printable ASCII is written, not ${JSON.stringify(text)}`);
  const padded = text.length % 2 ? text + (e.vr === 'UI' ? '\0' : ' ') : text;
  const out = new Uint8Array(padded.length);
  for (let i = 0; i < padded.length; i++) out[i] = padded.charCodeAt(i);
  return out;
}

const tagText = (tag: number) => `${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')}`.toUpperCase();

const UNDEFINED_LENGTH = 0xffffffff;

/** An item or sequence delimiter tag (group FFFE) with a 4-byte length. */
function delimiter(element: number, length: number): Uint8Array {
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, 0xfffe, true);
  dv.setUint16(2, element, true);
  dv.setUint32(4, length, true);
  return out;
}

/** A sequence of undefined length: each item (undefined length) holds its elements, sorted by tag. */
function sequenceBytes(items: readonly (readonly DicomElement[])[]): Uint8Array {
  const parts = items.flatMap((item) => [delimiter(0xe000, UNDEFINED_LENGTH), encodeElements([...item].sort((a, b) => a.tag - b.tag)), delimiter(0xe00d, 0)]);
  parts.push(delimiter(0xe0dd, 0));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Elements in explicit VR little endian, in the order given (the caller sorts). */
function encodeElements(elements: readonly DicomElement[]): Uint8Array {
  const parts = elements.map((e) => {
    if ('fragments' in e) return encapsulatedBytes(e.tag, e.fragments, e.basicOffsetTable ?? []);
    if (e.vr === 'SQ') {
      const head = new Uint8Array(12);
      const dv = new DataView(head.buffer);
      dv.setUint16(0, e.tag >>> 16, true);
      dv.setUint16(2, e.tag & 0xffff, true);
      head[4] = 0x53; // S
      head[5] = 0x51; // Q
      dv.setUint32(8, UNDEFINED_LENGTH, true);
      return [head, sequenceBytes(e.items)];
    }
    const value = valueBytes(e);
    const long = LONG_VRS.has(e.vr);
    if (!long && value.length > 0xffff) throw new Error(`(${tagText(e.tag)}) ${e.vr}: ${value.length} bytes do not fit a 2-byte length`);
    const head = new Uint8Array(long ? 12 : 8);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, e.tag >>> 16, true);
    dv.setUint16(2, e.tag & 0xffff, true);
    head[4] = e.vr.charCodeAt(0);
    head[5] = e.vr.charCodeAt(1);
    if (long) dv.setUint32(8, value.length, true);
    else dv.setUint16(6, value.length, true);
    return [head, value];
  });
  const out = new Uint8Array(parts.reduce((n, [h, v]) => n + h.length + v.length, 0));
  let at = 0;
  for (const [h, v] of parts) {
    out.set(h, at);
    out.set(v, at + h.length);
    at += h.length + v.length;
  }
  return out;
}

/** An item (FFFE,E000) holding `value`, padded to an even length. */
function itemBytes(value: Uint8Array): Uint8Array {
  const padded = value.length % 2 ? new Uint8Array(value.length + 1) : value;
  if (padded !== value) padded.set(value);
  const out = new Uint8Array(8 + padded.length);
  out.set(delimiter(0xe000, padded.length));
  out.set(padded, 8);
  return out;
}

/** Encapsulated pixel data's head (tag, OB, undefined length) and body: offset table item, fragment items, delimiter. */
function encapsulatedBytes(tag: number, fragments: readonly Uint8Array[], basicOffsetTable: readonly number[]): [Uint8Array, Uint8Array] {
  const head = new Uint8Array(12);
  const dv = new DataView(head.buffer);
  dv.setUint16(0, tag >>> 16, true);
  dv.setUint16(2, tag & 0xffff, true);
  head[4] = 0x4f; // O
  head[5] = 0x42; // B
  dv.setUint32(8, UNDEFINED_LENGTH, true);
  const table = new Uint8Array(basicOffsetTable.length * 4);
  basicOffsetTable.forEach((v, i) => new DataView(table.buffer).setUint32(i * 4, v, true));
  const parts = [itemBytes(table), ...fragments.map(itemBytes), delimiter(0xe0dd, 0)];
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (body.set(p, at), at + p.length), 0);
  return [head, body];
}

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';
/** This generator's implementation class UID (PS3.7 C.3.2: any UID the writer owns; a 2.25 UUID-derived one). */
export const IMPLEMENTATION_CLASS_UID = uidFrom('voxlens makeDicomSeries implementation');

/**
 * A Part 10 file: preamble, "DICM", the meta group (0002,0000 group length, 0001 version 00\01,
 * 0002 SOP class, 0003 SOP instance, 0010 transfer syntax, 0012 implementation class, 0013 version
 * name), then `dataSet` sorted by tag (group 0002 is not allowed there; duplicates throw).
 */
export function encodePart10(dataSet: readonly DicomElement[], meta: { sopClassUid: string; sopInstanceUid: string; transferSyntaxUid?: string }): Uint8Array {
  const sorted = [...dataSet].sort((a, b) => a.tag - b.tag);
  sorted.forEach((e, i) => {
    if (e.tag >>> 16 === 0x0002) throw new Error(`(${tagText(e.tag)}) belongs in the meta group, which encodePart10 writes`);
    if (i > 0 && sorted[i - 1].tag === e.tag) throw new Error(`(${tagText(e.tag)}) appears twice`);
  });
  const metaBody = encodeElements([
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: meta.sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: meta.sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: meta.transferSyntaxUid ?? EXPLICIT_VR_LITTLE_ENDIAN },
    { tag: 0x00020012, vr: 'UI', value: IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: 'SH', value: 'VOXLENS_BENCH' },
  ]);
  const groupLength = encodeElements([{ tag: 0x00020000, vr: 'UL', value: metaBody.length }]);
  const body = encodeElements(sorted);
  const out = new Uint8Array(132 + groupLength.length + metaBody.length + body.length);
  out.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  out.set(groupLength, 132);
  out.set(metaBody, 132 + groupLength.length);
  out.set(body, 132 + groupLength.length + metaBody.length);
  return out;
}

/** A UID under 2.25 (PS3.5 B.2: a UUID as one decimal integer) derived from `seed`: the same seed, the same UID. */
export function uidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}

/** A decimal string (DS) of at most 16 characters for `v`. */
export function ds(v: number): string {
  for (let digits = 10; digits >= 0; digits--) {
    const s = String(Number(v.toFixed(digits)));
    if (s.length <= 16) return s;
  }
  throw new Error(`${v} does not fit a DS`);
}

export interface CtSeriesOptions {
  /** [columns, rows, slices]. */
  dims: readonly [number, number, number];
  /** PixelSpacing, mm, both directions (default 0.68359375: a 350 mm field of view over 512). */
  pixelSpacing?: number;
  /** The step of ImagePositionPatient along z between slices, mm (default 1); also SliceThickness. */
  sliceSpacing?: number;
  /** Seeds the UIDs (default 'voxlens bench CT'): another seed, another study. */
  seed?: string;
}

export interface CtSeries {
  dims: [number, number, number];
  pixelSpacing: number;
  sliceSpacing: number;
  /** Stored values (raw = HU + 1024, 0…4095), column fastest, then row, then slice: slice k is voxels[k·columns·rows …]. */
  voxels: Uint16Array;
  slope: number;
  intercept: number;
  /** Voxel (column, row, slice) → RAS mm, 4×4 row-major, as read back from the DICOM geometry. */
  affine: number[][];
  studyUid: string;
  seriesUid: string;
  frameOfReferenceUid: string;
  /** ImagePositionPatient of slice k (LPS mm), as written (DS strings parsed back). */
  position(k: number): [number, number, number];
  /** The file name of slice k (IM00001.dcm, … in slice order). */
  fileName(k: number): string;
  /** The Part 10 bytes of slice k. */
  file(k: number): Uint8Array;
}

export const CT_RAW_MAX = 4095;
const CT_INTERCEPT = -1024;

/** The phantom as 12-bit unsigned stored CT values (raw = HU + 1024), with the smooth drift and noise of the header. */
export function ctPhantom(dims: readonly [number, number, number]): Uint16Array {
  const out = new Uint16Array(dims[0] * dims[1] * dims[2]);
  noisyPhantom(dims, 0x6d2b79f5, (n, value) => (out[n] = Math.min(CT_RAW_MAX, Math.max(0, Math.round(value)))));
  return out;
}

/** The series of `opts` (the voxels are made once; each file is encoded when asked for). */
export function ctSeries(opts: CtSeriesOptions): CtSeries {
  const dims = [...opts.dims] as [number, number, number];
  const [columns, rows, slices] = dims;
  if (!dims.every((d) => Number.isInteger(d) && d > 0) || columns > 0xffff || rows > 0xffff) throw new Error(`bad dims ${dims.join('×')}`);
  const ps = opts.pixelSpacing ?? 0.68359375;
  const dz = opts.sliceSpacing ?? 1;
  const seed = opts.seed ?? 'voxlens bench CT';
  const voxels = ctPhantom(dims);
  const studyUid = uidFrom(`${seed} study`);
  const seriesUid = uidFrom(`${seed} series ${dims.join('x')}`);
  const frameOfReferenceUid = uidFrom(`${seed} frame of reference`);
  // Centred on the origin; the strings written are what a reader parses, so the geometry uses them.
  const x0 = ds((-(columns - 1) * ps) / 2), y0 = ds((-(rows - 1) * ps) / 2);
  const zText = (k: number) => ds((k - (slices - 1) / 2) * dz);
  const position = (k: number): [number, number, number] => [Number(x0), Number(y0), Number(zText(k))];
  const first = position(0), last = position(slices - 1);
  const step = slices > 1 ? (last[2] - first[2]) / (slices - 1) : dz;
  // LPS → RAS: x and y negated (rows run along +x LPS = patient left, columns along +y = posterior).
  const affine = [
    [-ps, 0, 0, -first[0] || 0],
    [0, -ps, 0, -first[1] || 0],
    [0, 0, step, first[2]],
    [0, 0, 0, 1],
  ];
  const sliceBytes = columns * rows * 2;
  const fileName = (k: number) => `IM${String(k + 1).padStart(5, '0')}.dcm`;
  const file = (k: number): Uint8Array => {
    if (!(Number.isInteger(k) && k >= 0 && k < slices)) throw new Error(`no slice ${k}`);
    const sopInstanceUid = uidFrom(`${seed} instance ${dims.join('x')} ${k}`);
    // Little-endian stored values of this slice (the host is little endian on every machine this runs on; checked).
    const pixels = new Uint8Array(voxels.buffer, voxels.byteOffset + k * sliceBytes, sliceBytes);
    if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('a big-endian host would need the pixel bytes swapped');
    const elements: DicomElement[] = [
      { tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' },
      { tag: 0x00080008, vr: 'CS', value: ['ORIGINAL', 'PRIMARY', 'AXIAL'] },
      { tag: 0x00080016, vr: 'UI', value: CT_IMAGE_STORAGE },
      { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
      { tag: 0x00080020, vr: 'DA', value: '20260101' },
      { tag: 0x00080030, vr: 'TM', value: '120000' },
      { tag: 0x00080050, vr: 'SH', value: '' },
      { tag: 0x00080060, vr: 'CS', value: 'CT' },
      { tag: 0x00080070, vr: 'LO', value: 'Voxlens synthetic' },
      { tag: 0x00080090, vr: 'PN', value: '' },
      { tag: 0x00081030, vr: 'LO', value: 'Phantom head' },
      { tag: 0x0008103e, vr: 'LO', value: `Bench CT ${dims.join('x')}` },
      { tag: 0x00100010, vr: 'PN', value: 'Phantom^CT' },
      { tag: 0x00100020, vr: 'LO', value: 'VOXLENS-BENCH' },
      { tag: 0x00100030, vr: 'DA', value: '' },
      { tag: 0x00100040, vr: 'CS', value: 'O' },
      { tag: 0x00180050, vr: 'DS', value: ds(dz) },
      { tag: 0x00180060, vr: 'DS', value: '120' },
      { tag: 0x00185100, vr: 'CS', value: 'HFS' },
      { tag: 0x0020000d, vr: 'UI', value: studyUid },
      { tag: 0x0020000e, vr: 'UI', value: seriesUid },
      { tag: 0x00200010, vr: 'SH', value: '1' },
      { tag: 0x00200011, vr: 'IS', value: '1' },
      { tag: 0x00200013, vr: 'IS', value: String(k + 1) },
      { tag: 0x00200032, vr: 'DS', value: [x0, y0, zText(k)] },
      { tag: 0x00200037, vr: 'DS', value: ['1', '0', '0', '0', '1', '0'] },
      { tag: 0x00200052, vr: 'UI', value: frameOfReferenceUid },
      { tag: 0x00201040, vr: 'LO', value: '' },
      { tag: 0x00201041, vr: 'DS', value: zText(k) },
      { tag: 0x00280002, vr: 'US', value: 1 },
      { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
      { tag: 0x00280010, vr: 'US', value: rows },
      { tag: 0x00280011, vr: 'US', value: columns },
      { tag: 0x00280030, vr: 'DS', value: [ds(ps), ds(ps)] },
      { tag: 0x00280100, vr: 'US', value: 16 },
      { tag: 0x00280101, vr: 'US', value: 12 },
      { tag: 0x00280102, vr: 'US', value: 11 },
      { tag: 0x00280103, vr: 'US', value: 0 },
      { tag: 0x00281050, vr: 'DS', value: '40' },
      { tag: 0x00281051, vr: 'DS', value: '400' },
      { tag: 0x00281052, vr: 'DS', value: ds(CT_INTERCEPT) },
      { tag: 0x00281053, vr: 'DS', value: '1' },
      { tag: 0x00281054, vr: 'LO', value: 'HU' },
      { tag: 0x7fe00010, vr: 'OW', value: pixels },
    ];
    return encodePart10(elements, { sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid });
  };
  return { dims, pixelSpacing: ps, sliceSpacing: dz, voxels, slope: 1, intercept: CT_INTERCEPT, affine, studyUid, seriesUid, frameOfReferenceUid, position, fileName, file };
}

export const ENHANCED_CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2.1';

/**
 * The series as one enhanced multi-frame CT object (PS3.3 A.38): NumberOfFrames = slices, the
 * frames stored in `frameOrder` (slice indices, e.g. shuffled), each frame's ImagePositionPatient
 * in its PerFrameFunctionalGroupsSequence item (PlanePositionSequence), and orientation, pixel
 * spacing, slice thickness and rescale once in the SharedFunctionalGroupsSequence. No top-level
 * ImagePositionPatient, ImageOrientationPatient, PixelSpacing or rescale: a reader must take them
 * from the functional groups.
 */
export function enhancedCtObject(series: CtSeries, frameOrder: readonly number[] = Array.from({ length: series.dims[2] }, (_, k) => k)): Uint8Array {
  const [columns, rows, slices] = series.dims;
  if (frameOrder.length !== slices || new Set(frameOrder).size !== slices) throw new Error('frameOrder must name every slice once');
  const sliceBytes = columns * rows * 2;
  const pixels = new Uint8Array(sliceBytes * slices);
  const bytes = new Uint8Array(series.voxels.buffer, series.voxels.byteOffset, series.voxels.byteLength);
  frameOrder.forEach((k, f) => pixels.set(bytes.subarray(k * sliceBytes, (k + 1) * sliceBytes), f * sliceBytes));
  const sopInstanceUid = uidFrom(`${series.seriesUid} enhanced ${frameOrder.join(',')}`);
  const elements: DicomElement[] = [
    { tag: 0x00080008, vr: 'CS', value: ['ORIGINAL', 'PRIMARY', 'AXIAL', 'NONE'] },
    { tag: 0x00080016, vr: 'UI', value: ENHANCED_CT_IMAGE_STORAGE },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00080020, vr: 'DA', value: '20260101' },
    { tag: 0x00080060, vr: 'CS', value: 'CT' },
    { tag: 0x0008103e, vr: 'LO', value: `Enhanced CT ${series.dims.join('x')}` },
    { tag: 0x00100010, vr: 'PN', value: 'Phantom^Enhanced' },
    { tag: 0x00100020, vr: 'LO', value: 'VOXLENS-ENHANCED' },
    { tag: 0x0020000d, vr: 'UI', value: series.studyUid },
    { tag: 0x0020000e, vr: 'UI', value: uidFrom(`${series.seriesUid} enhanced`) },
    { tag: 0x00200011, vr: 'IS', value: '2' },
    { tag: 0x00200013, vr: 'IS', value: '1' },
    { tag: 0x00200052, vr: 'UI', value: series.frameOfReferenceUid },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: String(slices) },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: columns },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 12 },
    { tag: 0x00280102, vr: 'US', value: 11 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    {
      tag: 0x52009229,
      vr: 'SQ',
      items: [
        [
          { tag: 0x00209116, vr: 'SQ', items: [[{ tag: 0x00200037, vr: 'DS', value: ['1', '0', '0', '0', '1', '0'] }]] },
          {
            tag: 0x00289110,
            vr: 'SQ',
            items: [
              [
                { tag: 0x00180050, vr: 'DS', value: ds(series.sliceSpacing) },
                { tag: 0x00280030, vr: 'DS', value: [ds(series.pixelSpacing), ds(series.pixelSpacing)] },
              ],
            ],
          },
          {
            tag: 0x00289145,
            vr: 'SQ',
            items: [
              [
                { tag: 0x00281052, vr: 'DS', value: ds(series.intercept) },
                { tag: 0x00281053, vr: 'DS', value: ds(series.slope) },
                { tag: 0x00281054, vr: 'LO', value: 'HU' },
              ],
            ],
          },
          { tag: 0x00289132, vr: 'SQ', items: [[{ tag: 0x00281050, vr: 'DS', value: '40' }, { tag: 0x00281051, vr: 'DS', value: '400' }]] },
        ],
      ],
    },
    {
      tag: 0x52009230,
      vr: 'SQ',
      items: frameOrder.map((k) => [{ tag: 0x00209113, vr: 'SQ', items: [[{ tag: 0x00200032, vr: 'DS', value: series.position(k).map(ds) }]] } as DicomElement]),
    },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
  ];
  return encodePart10(elements, { sopClassUid: ENHANCED_CT_IMAGE_STORAGE, sopInstanceUid });
}

/** The same voxels as a NIfTI-1 (uint16, scl_slope 1, scl_inter −1024, the series' RAS affine as sform), gzipped by fflate (level 6). */
export function ctSeriesNiftiGz(series: CtSeries): Uint8Array {
  const nii = encodeNifti({
    dims: series.dims,
    datatypeCode: 512, // NIFTI_TYPE_UINT16
    bitpix: 16,
    bytesPerValue: 2,
    data: new Uint8Array(series.voxels.buffer, series.voxels.byteOffset, series.voxels.byteLength),
    affine: series.affine.flat(),
    slope: series.slope,
    inter: series.intercept,
    calRange: [40 - 200, 40 + 200],
    description: `Voxlens bench CT ${series.dims.join('x')}`,
  });
  return gzipSync(nii, { level: 6 });
}

/** Writes every slice of `series` into `dir` (created); returns the files' paths in slice order and their total bytes. */
export function writeCtSeries(dir: string, series: CtSeries): { files: string[]; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  for (let k = 0; k < series.dims[2]; k++) {
    const file = join(dir, series.fileName(k));
    const data = series.file(k);
    writeFileSync(file, data);
    files.push(file);
    bytes += data.length;
  }
  return { files, bytes };
}

function main(argv: string[]) {
  const option = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!dir) {
    console.error('usage: npx tsx scripts/makeDicomSeries.ts OUT_DIR [--dims 512x512x300] [--nifti FILE.nii.gz]');
    process.exit(2);
  }
  const dims = (option('--dims') ?? '512x512x300').split('x').map(Number) as [number, number, number];
  const t0 = Date.now();
  const series = ctSeries({ dims });
  const { files, bytes } = writeCtSeries(resolve(dir), series);
  console.log(`wrote ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) into ${resolve(dir)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const nifti = option('--nifti');
  if (nifti) {
    writeFileSync(nifti, ctSeriesNiftiGz(series));
    console.log(`wrote ${resolve(nifti)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main(process.argv.slice(2));
