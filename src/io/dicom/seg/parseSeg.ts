// A DICOM Segmentation object (PS3.3 A.51, C.8.20): its segments (number, label, colour, category)
// and its frames (each one segment's mask on one plane, placed by the per-frame functional groups'
// PlanePositionSequence and named by SegmentIdentificationSequence's ReferencedSegmentNumber).
// Binary SEGs store 1-bit pixels packed across frames with no padding between them, so a frame may
// start in the middle of a byte; fractional SEGs store 8-bit values up to MaximumFractionalValue.
// Pure: reads bytes, allocates nothing the size of the volume (the pixels stay a view of the file).
import type { DataSet } from 'dicom-parser';
import { fail, ok, type Result } from '../../errors';
import { rowColumnDirections } from '../geometry/rowColumnDirections';
import { parseDataSet } from '../tags';
import type { Orientation, Vec3 } from '../types';
import { dicomLabToRgb, type Rgb8 } from './cielab';

export const SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';

export interface SegSegment {
  number: number;
  label: string;
  rgb: Rgb8;
  /** SegmentedPropertyCategoryCodeSequence's CodeMeaning (e.g. "Anatomical Structure"). */
  category?: string;
  /** SegmentedPropertyTypeCodeSequence's CodeMeaning (e.g. "Kidney"). */
  type?: string;
  algorithm?: string;
}

export interface SegFrame {
  segment: number;
  /** ImagePositionPatient of the frame, LPS mm. */
  position: Vec3;
}

export interface ParsedSeg {
  name: string;
  description?: string;
  seriesUid: string;
  studyUid: string;
  frameOfReferenceUid?: string;
  /** ReferencedSeriesSequence's first SeriesInstanceUID: the images the SEG was drawn on. */
  referencedSeriesUid?: string;
  kind: 'binary' | 'fractional';
  /** FRACTIONAL only: PROBABILITY or OCCUPANCY. */
  fractionalType?: string;
  /** The stored value meaning 1 (MaximumFractionalValue; 1 for binary). */
  maxFractional: number;
  rows: number;
  columns: number;
  orientation: Orientation;
  /** [between rows, between columns], mm, as DICOM orders PixelSpacing. */
  pixelSpacing: [number, number];
  /** SpacingBetweenSlices (or SliceThickness) of the shared pixel measures, mm, where stated. */
  sliceSpacing?: number;
  segments: SegSegment[];
  frames: SegFrame[];
  bitsAllocated: 1 | 8;
  /** The pixel data as stored (a view into the file's bytes). */
  pixels: Uint8Array;
}

const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99']);

/** Item `n` of sequence `tag` in `ds`. */
const item = (ds: DataSet | undefined, tag: string, n = 0): DataSet | undefined => ds?.elements[tag]?.items?.[n]?.dataSet;
const itemCount = (ds: DataSet, tag: string) => ds.elements[tag]?.items?.length ?? 0;

function numbers(ds: DataSet | undefined, tag: string, count: number): number[] | undefined {
  if (!ds?.elements[tag]) return undefined;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = ds.floatString(tag, i);
    if (v === undefined || !Number.isFinite(v)) return undefined;
    out.push(v);
  }
  return out;
}

const clean = (s: string | undefined) => s?.replace(/\0/g, '').trim() || undefined;

/** A segment's category/type: the CodeMeaning of the first item of `tag`. */
const codeMeaning = (ds: DataSet, tag: string) => clean(item(ds, tag)?.string('x00080104'));

/** Distinct colours for segments that recommend none (DICOM leaves RecommendedDisplayCIELabValue optional). */
const FALLBACK: Rgb8[] = [
  [230, 60, 60],
  [60, 140, 230],
  [90, 200, 90],
  [240, 200, 40],
  [190, 90, 220],
  [40, 200, 200],
];

/** Reads a SEG from its file's bytes; refuses (typed) what it cannot place or decode, naming what is missing. */
export function parseSeg(bytes: Uint8Array, name: string): Result<ParsedSeg> {
  const parsed = parseDataSet(bytes, name, false);
  if (parsed.kind === 'error') return parsed;
  const ds = parsed.value;
  const sopClass = clean(ds.string('x00080016'));
  if (sopClass !== SEG_SOP_CLASS) return fail('unsupported-format', `${name} is not a DICOM Segmentation (SOP class ${sopClass ?? 'missing'}).`);
  const ts = clean(ds.string('x00020010')) ?? '1.2.840.10008.1.2';
  if (!NATIVE.has(ts)) return fail('unsupported-format', `${name}: DICOM SEG ${ts === '1.2.840.10008.1.2.5' ? 'compressed with RLE' : `in transfer syntax ${ts}`} is not read yet; only uncompressed SEG objects are.`);
  const type = clean(ds.string('x00620001'));
  if (type !== 'BINARY' && type !== 'FRACTIONAL') return fail('bad-header', `${name}: SegmentationType (0062,0001) is ${type ? `"${type}"` : 'missing'}; a SEG is BINARY or FRACTIONAL.`);
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const frameCount = ds.intString('x00280008') ?? 1;
  if (!(rows > 0 && columns > 0 && frameCount > 0)) return fail('bad-dims', `${name}: Rows ${rows}, Columns ${columns}, NumberOfFrames ${frameCount} describe no segmentation frames.`);
  const bits = ds.uint16('x00280100');
  if ((type === 'BINARY' && bits !== 1) || (type === 'FRACTIONAL' && bits !== 8)) return fail('bad-header', `${name}: a ${type} SEG stores ${type === 'BINARY' ? 1 : 8}-bit pixels, but BitsAllocated is ${bits ?? 'missing'}.`);
  const element = ds.elements.x7fe00010;
  if (!element) return fail('bad-header', `${name}: the SEG has no Pixel Data (7FE0,0010).`);
  const pixelsPerFrame = rows * columns;
  const need = Math.ceil((pixelsPerFrame * frameCount * (bits === 1 ? 1 : 8)) / 8);
  const available = Math.min(element.length, ds.byteArray.length - element.dataOffset);
  if (available < need) return fail('truncated', `${name}: ${frameCount} frame(s) of ${rows} × ${columns} ${bits}-bit pixels need ${need} bytes of Pixel Data, but it holds ${Math.max(0, available)}.`);
  const pixels = (ds.byteArray as Uint8Array).subarray(element.dataOffset, element.dataOffset + need);

  const segments: SegSegment[] = [];
  for (let n = 0; n < itemCount(ds, 'x00620002'); n++) {
    const s = item(ds, 'x00620002', n)!;
    const number = s.uint16('x00620004');
    if (number === undefined) return fail('bad-header', `${name}: item ${n + 1} of SegmentSequence has no SegmentNumber (0062,0004).`);
    const lab = [0, 1, 2].map((i) => s.uint16('x0062000d', i));
    const rgb = lab.every((v) => v !== undefined) ? dicomLabToRgb(lab as [number, number, number]) : FALLBACK[(number - 1) % FALLBACK.length];
    segments.push({ number, label: clean(s.string('x00620005')) ?? `Segment ${number}`, rgb, category: codeMeaning(s, 'x00620003'), type: codeMeaning(s, 'x0062000f'), algorithm: clean(s.string('x00620008')) });
  }
  if (!segments.length) return fail('bad-header', `${name}: the SEG's SegmentSequence (0062,0002) lists no segments.`);

  const shared = item(ds, 'x52009229');
  const frames: SegFrame[] = [];
  let orientation: number[] | undefined;
  let spacing: number[] | undefined;
  let sliceSpacing: number | undefined;
  for (let f = 0; f < frameCount; f++) {
    const own = item(ds, 'x52009230', f);
    const group = (seq: string) => item(own, seq) ?? item(shared, seq);
    const position = numbers(group('x00209113'), 'x00200032', 3);
    if (!position) return fail('bad-header', `${name}: frame ${f + 1} has no ImagePositionPatient in a PlanePositionSequence (0020,9113), so it cannot be placed.`);
    const segment = group('x0062000a')?.uint16('x0062000b') ?? (segments.length === 1 ? segments[0].number : undefined);
    if (segment === undefined) return fail('bad-header', `${name}: frame ${f + 1} names no segment (SegmentIdentificationSequence's ReferencedSegmentNumber, 0062,000B).`);
    if (!segments.some((s) => s.number === segment)) return fail('bad-header', `${name}: frame ${f + 1} refers to segment ${segment}, which the SegmentSequence does not list.`);
    const o = numbers(group('x00209116'), 'x00200037', 6) ?? numbers(ds, 'x00200037', 6);
    if (!o) return fail('bad-header', `${name}: frame ${f + 1} has no ImageOrientationPatient (PlaneOrientationSequence, 0020,9116).`);
    if (orientation && o.some((v, i) => Math.abs(v - orientation![i]) > 1e-4)) return fail('unsupported-format', `${name}: its frames lie in different orientations; Voxlens reads SEGs whose frames are parallel.`);
    orientation = o;
    const measures = group('x00289110');
    const ps = numbers(measures, 'x00280030', 2) ?? numbers(ds, 'x00280030', 2);
    if (!ps || !(ps[0] > 0 && ps[1] > 0)) return fail('bad-header', `${name}: frame ${f + 1} has no PixelSpacing (PixelMeasuresSequence, 0028,9110).`);
    spacing ??= ps;
    sliceSpacing ??= measures?.floatString('x00180088') ?? measures?.floatString('x00180050');
    frames.push({ segment, position: position as Vec3 });
  }
  if (!rowColumnDirections(orientation as Orientation)) return fail('bad-header', `${name}: ImageOrientationPatient [${orientation!.join(', ')}] is not two perpendicular directions.`);
  const max = type === 'FRACTIONAL' ? (ds.uint16('x0062000e') ?? 255) : 1;
  return ok({
    name,
    description: clean(ds.string('x0008103e')),
    seriesUid: clean(ds.string('x0020000e')) ?? 'no series UID',
    studyUid: clean(ds.string('x0020000d')) ?? '',
    frameOfReferenceUid: clean(ds.string('x00200052')),
    referencedSeriesUid: clean(item(ds, 'x00081115')?.string('x0020000e')),
    kind: type === 'BINARY' ? 'binary' : 'fractional',
    fractionalType: type === 'FRACTIONAL' ? clean(ds.string('x00620010')) : undefined,
    maxFractional: max > 0 ? max : 255,
    rows,
    columns,
    orientation: orientation as Orientation,
    pixelSpacing: spacing as [number, number],
    sliceSpacing: sliceSpacing !== undefined && sliceSpacing > 0 ? sliceSpacing : undefined,
    segments,
    frames,
    bitsAllocated: bits === 1 ? 1 : 8,
    pixels,
  });
}

/** The stored value of pixel `index` (row-major in the frame) of frame `frame`: 0/1 for binary, 0…max for fractional. */
export function segPixel(seg: Pick<ParsedSeg, 'bitsAllocated' | 'pixels' | 'rows' | 'columns'>, frame: number, index: number): number {
  const at = frame * seg.rows * seg.columns + index;
  if (seg.bitsAllocated === 8) return seg.pixels[at];
  // Bits fill each byte from its least significant bit (PS3.5 D.2, "bit packing").
  return (seg.pixels[at >> 3] >> (at & 7)) & 1;
}
