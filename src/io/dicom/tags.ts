// One DICOM file's header → DicomFileInfo, with dicom-parser. The pixel data is not touched here:
// its element's offset and length (or fragments) are read later, in pixelData().
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { inflateSync } from 'fflate';
import { fail, ok, type Result } from '../errors';
import { frameFragments, joinFragments, readOv } from './pixels/encapsulatedFrames';
import { nativeFrameBytes } from './pixels/frame';
import { transferSyntaxInfo } from './pixels/transferSyntaxes';
import type { DicomFileInfo, DicomPalette, DicomPlane, FrameTags, Orientation, Vec3 } from './types';

/** A Part 10 file has "DICM" after a 128-byte preamble; files without it are sniffed by their first tag. */
export function looksLikeDicom(bytes: Uint8Array): boolean {
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) return true;
  // A bare data set (no preamble) starts with a group 0x0008 (or 0x0002) element, little endian.
  return bytes.length >= 8 && (bytes[0] === 0x08 || bytes[0] === 0x02) && bytes[1] === 0x00 && bytes[3] === 0x00;
}

const DEFLATED = '1.2.840.10008.1.2.1.99';

/**
 * dicom-parser calls this for the deflated transfer syntax: the data set after the meta header is
 * raw deflate. It wants the whole file back with that part inflated.
 */
function inflater(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateSync(bytes.subarray(position));
  const out = new Uint8Array(position + inflated.length);
  out.set(bytes.subarray(0, position));
  out.set(inflated, position);
  return out;
}

/**
 * dicom-parser 1.8 does not know the VR OV (64-bit words), which the Extended Offset Table
 * (7FE0,0001) and its lengths (7FE0,0002) have: it would read a 2-byte length and lose its place.
 * Their VR is relabelled OB in place (the same layout: 2 reserved bytes, a 4-byte length); their
 * values are read as 64-bit words anyway (see framePixels).
 */
function relabelOv(bytes: Uint8Array): void {
  // (7FE0,0001) / (7FE0,0002) in little endian: E0 7F 01|02 00, then "OV".
  for (let at = bytes.indexOf(0xe0); at >= 0 && at + 6 <= bytes.length; at = bytes.indexOf(0xe0, at + 1)) {
    if (bytes[at + 1] === 0x7f && (bytes[at + 2] === 0x01 || bytes[at + 2] === 0x02) && bytes[at + 3] === 0 && bytes[at + 4] === 0x4f && bytes[at + 5] === 0x56) bytes[at + 5] = 0x42;
  }
}

/** Parses a file's bytes (header only when `headerOnly`); dicom-parser throws strings on bad input. */
export function parseDataSet(bytes: Uint8Array, name: string, headerOnly: boolean): Result<DataSet> {
  relabelOv(bytes);
  try {
    const options = { inflater, ...(headerOnly ? { untilTag: 'x7fe00010' } : {}) };
    try {
      return ok(dicomParser.parseDicom(bytes, options));
    } catch (e) {
      // No Part 10 meta header: a bare data set, implicit VR little endian by default.
      if (String(e).includes('DICM')) return ok(dicomParser.parseDicom(bytes, { ...options, TransferSyntaxUID: '1.2.840.10008.1.2' }));
      throw e;
    }
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    return fail('bad-header', `${name} is not a DICOM file Voxlens can read: ${text.replace(/^dicomParser\.\w+: /, '')}.`);
  }
}

/**
 * What fileInfo reads a header through: a parsed file (dataSetTags) or a DICOMweb metadata object
 * (dicomweb/metadata.ts jsonTags). Tags are written as dicom-parser names them: 'x00280010'.
 */
export interface TagReader {
  /** The value as text (several values joined by a backslash). */
  string(tag: string): string | undefined;
  uint16(tag: string): number | undefined;
  intString(tag: string): number | undefined;
  floatString(tag: string, index?: number): number | undefined;
  /** Item `n` (0: the first) of a sequence. */
  item(tag: string, n?: number): TagReader | undefined;
  has(tag: string): boolean;
  /** An element's value bytes (a parsed file only: DICOMweb metadata leaves bulk data out). */
  bytes?(tag: string): Uint8Array | undefined;
}

export function dataSetTags(ds: DataSet): TagReader {
  return {
    string: (tag) => ds.string(tag),
    uint16: (tag) => ds.uint16(tag),
    intString: (tag) => ds.intString(tag),
    // dicom-parser throws (reading past the last value) for an index the element does not hold.
    floatString: (tag, index = 0) => (index < (ds.string(tag)?.split('\\').length ?? 0) ? ds.floatString(tag, index) : undefined),
    item: (tag, n = 0) => {
      const inner = ds.elements[tag]?.items?.[n]?.dataSet;
      return inner ? dataSetTags(inner) : undefined;
    },
    has: (tag) => ds.elements[tag] !== undefined,
    bytes: (tag) => {
      const e = ds.elements[tag];
      return e && !e.encapsulatedPixelData ? ds.byteArray.subarray(e.dataOffset, e.dataOffset + e.length) : undefined;
    },
  };
}

/**
 * A PALETTE COLOR image's tables (PS3.3 C.7.6.3.1.5), each entry reduced to a byte; undefined
 * when they are not all there whole (segmented palettes, DICOMweb metadata without bulk data) or
 * disagree: the caller refuses the image, naming them.
 */
export function readPalette(ds: TagReader): DicomPalette | undefined {
  const tables = (['1', '2', '3'] as const).map((c) => {
    const descriptor = ds.bytes?.(`x0028110${c}`);
    const data = ds.bytes?.(`x0028120${c}`);
    if (!descriptor || descriptor.length < 6 || !data) return undefined;
    const d = new DataView(descriptor.buffer, descriptor.byteOffset, 6);
    const entries = d.getUint16(0, true) || 65536;
    const bits = d.getUint16(4, true);
    // The first mapped value is US or SS as the pixels are; small tables put it below 32768 either way.
    const first = d.getUint16(2, true);
    if (data.length < entries * 2 && !(bits === 8 && data.length >= entries)) return undefined;
    const out = new Uint8Array(entries);
    const words = data.length >= entries * 2;
    const view = new DataView(data.buffer, data.byteOffset, data.length);
    for (let k = 0; k < entries; k++) out[k] = words ? (bits === 8 ? view.getUint16(k * 2, true) & 0xff : view.getUint16(k * 2, true) >> 8) : data[k];
    return { first, entries: out };
  });
  if (tables.some((t) => !t) || new Set(tables.map((t) => `${t!.first}/${t!.entries.length}`)).size !== 1) return undefined;
  const [red, green, blue] = tables.map((t) => t!.entries);
  return { first: tables[0]!.first, red, green, blue };
}

const numbers = (tags: TagReader, tag: string, count: number): number[] | undefined => {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = tags.floatString(tag, i);
    if (v === undefined || !Number.isFinite(v)) return undefined;
    out.push(v);
  }
  return out;
};

const cleanString = (s: string | undefined) => (s === undefined ? undefined : s.replace(/\^+/g, ' ').trim() || undefined);

const positiveNumber = (v: number | undefined) => v !== undefined && Number.isFinite(v) && v > 0;

/**
 * Plane `f` of an RT Dose grid (PS3.3 C.8.8.3.2): GridFrameOffsetVector relative to the first
 * plane when its first value is 0 (position + normal × offset), else absolute, the planes' place
 * along the normal in patient coordinates (position moved along the normal to offset).
 */
export function doseFramePosition(position: Vec3, orientation: Orientation, offsets: readonly number[], f: number): Vec3 {
  const [r0, r1, r2, c0, c1, c2] = orientation;
  const n = [r1 * c2 - r2 * c1, r2 * c0 - r0 * c2, r0 * c1 - r1 * c0];
  const length = Math.hypot(n[0], n[1], n[2]) || 1;
  const unit = n.map((v) => v / length);
  const along = offsets[0] === 0 ? offsets[f] : offsets[f] - (position[0] * unit[0] + position[1] * unit[1] + position[2] * unit[2]);
  return [position[0] + unit[0] * along, position[1] + unit[1] * along, position[2] + unit[2] * along];
}

/** The tags that tell apart frames at one position, from the frame's functional groups or the top level. */
function frameTagsOf(ds: TagReader, frameGroups: TagReader | undefined): FrameTags | undefined {
  const content = frameGroups?.item('x00209111');
  const tags: FrameTags = {
    bValue: frameGroups?.item('x00189117')?.floatString('x00189087') ?? ds.floatString('x00189087'),
    echoTime: frameGroups?.item('x00189114')?.floatString('x00189082') ?? ds.floatString('x00180081'),
    echoNumber: ds.intString('x00180086'),
    temporalPosition: content?.intString('x00209128') ?? ds.intString('x00200100'),
    triggerTime: ds.floatString('x00181060'),
    acquisitionTime: ds.string('x00080032')?.trim() || undefined,
  };
  const present = Object.entries(tags).filter(([, v]) => v !== undefined && !(typeof v === 'number' && !Number.isFinite(v)));
  return present.length ? (Object.fromEntries(present) as FrameTags) : undefined;
}

/** Everything the series builder needs from one parsed file. */
export const fileInfo = (ds: DataSet, file: number, name: string): Result<DicomFileInfo> => infoFromTags(dataSetTags(ds), file, name);

/**
 * Everything the series builder needs from one image's header. `pixelDataKnown: false` (DICOMweb
 * metadata leaves bulk data out) takes Rows and Columns as the sign of an image instead.
 */
export function infoFromTags(ds: TagReader, file: number, name: string, pixelDataKnown = true): Result<DicomFileInfo> {
  const transferSyntax = ds.string('x00020010') ?? (pixelDataKnown ? '1.2.840.10008.1.2' : '');
  const hasPixels = pixelDataKnown ? ds.has('x7fe00010') || ds.has('x7fe00008') || ds.has('x7fe00009') : ds.has('x00280010');
  if (!hasPixels) {
    // Structured reports, presentation states, DICOMDIR: DICOM, but not images.
    return fail('unsupported-format', `${name} holds no pixel data (SOP class ${ds.string('x00080016') ?? 'unknown'}).`);
  }
  const rows = ds.uint16('x00280010') ?? 0;
  const columns = ds.uint16('x00280011') ?? 0;
  const frames = ds.intString('x00280008') ?? 1;
  if (!(rows > 0 && columns > 0 && frames > 0)) return fail('bad-dims', `${name}: Rows ${rows}, Columns ${columns}, NumberOfFrames ${frames} do not describe an image.`);
  const bitsAllocated = ds.uint16('x00280100') ?? 0;
  const pixel = {
    bitsAllocated,
    bitsStored: ds.uint16('x00280101') ?? bitsAllocated,
    highBit: ds.uint16('x00280102') ?? (ds.uint16('x00280101') ?? bitsAllocated) - 1,
    pixelRepresentation: (ds.uint16('x00280103') === 1 ? 1 : 0) as 0 | 1,
    samplesPerPixel: ds.uint16('x00280002') ?? 1,
    planarConfiguration: (ds.uint16('x00280006') === 1 ? 1 : 0) as 0 | 1,
    photometric: (ds.string('x00280004') ?? 'MONOCHROME2').trim(),
  };
  const palette = pixel.photometric.toUpperCase() === 'PALETTE COLOR' ? readPalette(ds) : undefined;
  const shared = ds.item('x52009229');
  // RT Dose (PS3.3 C.8.8.3): one multi-frame grid, its planes placed by GridFrameOffsetVector
  // along the normal, its values raw × DoseGridScaling.
  const gridOffsets = frames > 1 && ds.has('x3004000c') ? numbers(ds, 'x3004000c', frames) : undefined;
  if (frames > 1 && ds.has('x3004000c') && !gridOffsets) {
    return fail('bad-header', `${name}: GridFrameOffsetVector (3004,000C) must hold one number per frame (${frames}), so the dose planes cannot be placed.`);
  }
  const doseScaling = ds.has('x3004000e') ? ds.floatString('x3004000e') : undefined;
  if (doseScaling !== undefined && !(Number.isFinite(doseScaling) && doseScaling > 0)) return fail('bad-header', `${name}: DoseGridScaling (3004,000E) is ${ds.string('x3004000e')}, not a positive number.`);
  const doseUnits = ds.string('x30040002')?.trim().toUpperCase();
  const planes: DicomPlane[] = [];
  for (let f = 0; f < frames; f++) {
    const frameGroups = ds.item('x52009230', f);
    // Enhanced multi-frame objects keep geometry per frame in functional groups; classic images at the top level.
    const from = (seq: string, tag: string, count: number) => {
      for (const group of [frameGroups?.item(seq), shared?.item(seq)]) {
        const v = group && numbers(group, tag, count);
        if (v) return v;
      }
      return numbers(ds, tag, count);
    };
    const position = from('x00209113', 'x00200032', 3) as Vec3 | undefined;
    const orientation = from('x00209116', 'x00200037', 6) as Orientation | undefined;
    const spacing = from('x00289110', 'x00280030', 2) as [number, number] | undefined;
    const slope = from('x00289145', 'x00281053', 1)?.[0] ?? doseScaling ?? 1;
    const intercept = from('x00289145', 'x00281052', 1)?.[0] ?? 0;
    const tags = frameTagsOf(ds, frameGroups);
    planes.push({
      file,
      frame: f,
      position: gridOffsets && position && orientation ? doseFramePosition(position, orientation, gridOffsets, f) : position,
      orientation,
      pixelSpacing: spacing,
      rows,
      columns,
      slope: slope === 0 ? 1 : slope,
      intercept,
      instanceNumber: ds.intString('x00200013'),
      ...(tags ? { frameTags: tags } : {}),
    });
  }
  const voi = shared?.item('x00289132') ?? ds.item('x52009230', 0)?.item('x00289132') ?? ds;
  return ok({
    file,
    name,
    transferSyntax,
    sopClassUid: ds.string('x00080016') ?? '',
    sopInstanceUid: ds.string('x00080018') ?? `${name}#${file}`,
    seriesUid: ds.string('x0020000e') ?? 'no series UID',
    studyUid: ds.string('x0020000d') ?? '',
    ...(ds.string('x00200052') ? { frameOfReferenceUid: ds.string('x00200052')!.replace(/\0/g, '').trim() } : {}),
    frames,
    pixel: palette ? { ...pixel, palette } : pixel,
    planes,
    windowCenter: voi.floatString('x00281050'),
    windowWidth: voi.floatString('x00281051'),
    sliceThickness: ds.floatString('x00180050'),
    spacingBetweenSlices: ds.floatString('x00180088'),
    ...(numbers(ds, 'x00181164', 2) ? { imagerPixelSpacing: numbers(ds, 'x00181164', 2) as [number, number] } : {}),
    ...(positiveNumber(ds.floatString('x00181063')) ? { frameTimeMs: ds.floatString('x00181063') } : {}),
    ...(doseUnits === 'GY' ? { valueUnit: 'Gy' } : doseUnits === 'RELATIVE' ? { valueUnit: '% (relative dose)' } : ds.string('x00080060')?.trim() === 'CT' ? { valueUnit: 'HU' } : {}),
    meta: {
      patientName: cleanString(ds.string('x00100010')),
      patientId: cleanString(ds.string('x00100020')),
      studyDate: ds.string('x00080020'),
      studyDescription: cleanString(ds.string('x00081030')),
      seriesDescription: cleanString(ds.string('x0008103e')),
      seriesNumber: ds.intString('x00200011'),
      modality: ds.string('x00080060'),
      institution: cleanString(ds.string('x00080080')),
      manufacturer: cleanString(ds.string('x00080070')),
    },
  });
}

/** The stored bytes of frame `frame`: a view into the file for native data, the frame's fragments for encapsulated. */
export function framePixels(ds: DataSet, info: DicomFileInfo, frame: number): Result<Uint8Array> {
  const element: Element | undefined = ds.elements.x7fe00010;
  if (!element) return fail('bad-header', `${info.name} has no Pixel Data element.`);
  const bytes = ds.byteArray as Uint8Array;
  try {
    if (element.encapsulatedPixelData) {
      const fragments = element.fragments ?? [];
      const eot = ds.elements.x7fe00001;
      const extended = eot ? readOv(bytes, eot.dataOffset, eot.length) : undefined;
      const kind = transferSyntaxInfo(info.transferSyntax)?.kind;
      const split = frameFragments(fragments, info.frames, { basic: element.basicOffsetTable ?? [], extended }, bytes, kind !== 'rle');
      if (split.kind === 'error') return fail(split.code, `${info.name}: frame ${frame + 1} of ${info.frames} cannot be found: ${split.message}.`);
      const range = split.value[frame];
      if (!range) return fail('bad-offset', `${info.name} has ${info.frames} frames, not a frame ${frame + 1}.`);
      return ok(joinFragments(bytes, fragments, range));
    }
    const { rows, columns } = info.planes[frame];
    const frameBytes = nativeFrameBytes(info.pixel, rows, columns);
    const start = element.dataOffset + frame * frameBytes;
    const end = Math.min(bytes.length, element.dataOffset + element.length, start + frameBytes);
    return ok(bytes.subarray(Math.min(start, end), end));
  } catch (e) {
    return fail('truncated', `${info.name}: the pixel data of frame ${frame + 1} cannot be read (${e instanceof Error ? e.message : String(e)}).`);
  }
}

export const isDeflated = (transferSyntax: string) => transferSyntax === DEFLATED;
