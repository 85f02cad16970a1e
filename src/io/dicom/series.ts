// Scanned files → series a user can open, and a chosen series → the volume's header and the plan
// that places each plane's pixels in the one voxel buffer. Pure: no worker, no DOM.
import { axisCodes, type Mat4 } from '../../volume/affine';
import { DATA_TYPES, type DataType } from '../../volume/dataTypes';
import type { VolumeHeader } from '../../volume/header';
import { fail, ok, type Result } from '../errors';
import type { PixelPlan, ScanResult } from '../worker/dicomProtocol';
import { dicomAffine, gantryTilt, sliceSpacing, sortPlanesByPosition, splitIntoStacks, type DicomStack } from './geometry';
import { isFiniteVec3 } from './geometry/vector3';
import { decodedPixelFormat, storedDataType, transferSyntaxInfo, type TransferSyntaxKind } from './pixels';
import type { DicomFileInfo, DicomPlane, FrameTags, Orientation } from './types';

export interface SeriesCandidate {
  /** SeriesInstanceUID, plus the stack's number when a series mixes orientations or sizes. */
  key: string;
  seriesUid: string;
  /** "CT · HEAD 5MM · axial 512×512 (120 images, …)" */
  description: string;
  modality?: string;
  imageCount: number;
  stack: DicomStack;
  files: DicomFileInfo[];
  /** Files dropped as copies of another's SOPInstanceUID (the fastest to decode kept), with the series. */
  duplicatesDropped?: number;
}

export interface Scanned {
  candidates: SeriesCandidate[];
  /** Files that are not DICOM images, with why. */
  skipped: { name: string; message: string }[];
}

/** Groups by SeriesInstanceUID, then splits each series into stacks of one orientation and size; largest first. */
export function seriesCandidates(results: readonly ScanResult[]): Scanned {
  const skipped = results.flatMap((r) => (r.kind === 'skipped' ? [{ name: r.name, message: r.error.message }] : []));
  const bySeries = new Map<string, DicomFileInfo[]>();
  for (const r of results) if (r.kind === 'ok') bySeries.set(r.info.seriesUid, [...(bySeries.get(r.info.seriesUid) ?? []), r.info]);
  const candidates: SeriesCandidate[] = [];
  for (const [seriesUid, all] of bySeries) {
    const files = dropDuplicates(all);
    const dropped = all.length - files.length;
    const stacks = splitIntoStacks(files.flatMap((f) => f.planes));
    const meta = files[0].meta;
    stacks.forEach((stack, n) => {
      const fileSet = new Set(stack.planes.map((p) => p.file));
      const label = [meta.modality, meta.seriesDescription ?? (meta.seriesNumber !== undefined ? `series ${meta.seriesNumber}` : undefined), stack.description].filter(Boolean).join(' · ');
      candidates.push({
        key: stacks.length > 1 ? `${seriesUid}#${n + 1}` : seriesUid,
        seriesUid,
        description: label,
        modality: meta.modality,
        imageCount: stack.planes.length,
        stack,
        files: files.filter((f) => fileSet.has(f.file)),
        ...(dropped ? { duplicatesDropped: dropped } : {}),
      });
    });
  }
  candidates.sort((a, b) => b.imageCount - a.imageCount);
  return { candidates, skipped };
}

/**
 * Decoding cost by transfer syntax, cheapest first: which of several copies of one instance to
 * keep. Native bytes are copied; RLE is one pass; the wasm codecs come next, JPEG Lossless (a JS
 * decoder) and JPEG 2000 last. A syntax Voxlens cannot decode comes after all of them.
 */
const DECODE_COST: Record<TransferSyntaxKind, number> = { 'native-le': 0, 'native-be': 1, deflated: 2, rle: 3, 'jpeg-baseline': 4, htj2k: 5, 'jpeg-ls': 6, 'jpeg-lossless': 7, jpeg2000: 8 };

const decodeCost = (f: DicomFileInfo) => {
  const ts = transferSyntaxInfo(f.transferSyntax);
  return ts?.supported ? DECODE_COST[ts.kind] : 99;
};

/**
 * One file per SOPInstanceUID: folders often hold the same instance twice (copies, or re-encodings
 * in another transfer syntax), which would otherwise pose as extra time frames. The copy cheapest
 * to decode is kept (then the first given).
 */
export function dropDuplicates(files: readonly DicomFileInfo[]): DicomFileInfo[] {
  const best = new Map<string, DicomFileInfo>();
  for (const f of files) {
    const kept = best.get(f.sopInstanceUid);
    if (!kept || decodeCost(f) < decodeCost(kept)) best.set(f.sopInstanceUid, f);
  }
  const keep = new Set(best.values());
  return files.filter((f) => keep.has(f));
}

/** The frame axis of a multi-volume series: the first of these tags whose values tell the frames at one position apart. */
const FRAME_AXES: { key: keyof FrameTags; name: string }[] = [
  { key: 'bValue', name: 'b-value' },
  { key: 'echoTime', name: 'echo time' },
  { key: 'echoNumber', name: 'echo' },
  { key: 'temporalPosition', name: 'time point' },
  { key: 'triggerTime', name: 'trigger time' },
  { key: 'acquisitionTime', name: 'acquisition time' },
];

/** Names the frame axis from the planes at one position (one per frame), or undefined when no tag differs among them all. */
export function frameAxisOf(planesAtOnePosition: readonly DicomPlane[]): string | undefined {
  for (const { key, name } of FRAME_AXES) {
    const values = planesAtOnePosition.map((p) => p.frameTags?.[key]);
    if (values.every((v) => v !== undefined) && new Set(values).size === values.length) return name;
  }
  return undefined;
}

export interface SeriesVolume {
  header: VolumeHeader;
  plan: PixelPlan;
  /** Voxel bytes to take from the pool. */
  bytes: number;
  /** PhotometricInterpretation MONOCHROME1: the layer's default colormap is gray-inverted. */
  monochrome1: boolean;
}

/** The header (geometry, type, rescale, window) and pixel plan of one series, or why it cannot be shown. */
export function buildSeries(c: SeriesCandidate): Result<SeriesVolume> {
  const first = c.files[0];
  for (const f of c.files) {
    const ts = transferSyntaxInfo(f.transferSyntax.replace(/\0/g, '').trim());
    // '' : planned from DICOMweb metadata, which leaves the transfer syntax out; each instance's
    // own is checked when it is decoded.
    if (f.transferSyntax !== '' && !ts?.supported) return fail('unsupported-format', `${f.name}: unsupported transfer syntax ${f.transferSyntax} (${ts?.name ?? 'unknown'}).`);
    const p = f.pixel;
    const q = first.pixel;
    if (p.bitsAllocated !== q.bitsAllocated || p.pixelRepresentation !== q.pixelRepresentation || p.samplesPerPixel !== q.samplesPerPixel) {
      return fail('unsupported-format', `${f.name} stores its pixels differently from ${first.name} (BitsAllocated ${p.bitsAllocated}/${q.bitsAllocated}, PixelRepresentation ${p.pixelRepresentation}/${q.pixelRepresentation}): one series must share one pixel format.`);
    }
  }
  const pixelFormat = decodedPixelFormat(first.transferSyntax, first.pixel);
  // From DICOMweb metadata a palette's tables are bulk data left out: each instance brings its own,
  // which the pixel pass reads (instanceFormat.ts). The plan checks the rest of the format.
  const tablesLater = first.transferSyntax === '' && pixelFormat.photometric.trim().toUpperCase() === 'PALETTE COLOR' && !pixelFormat.palette;
  const stored = storedDataType(tablesLater ? { ...pixelFormat, palette: { first: 0, red: new Uint8Array(1), green: new Uint8Array(1), blue: new Uint8Array(1) } } : pixelFormat);
  if (stored.kind === 'error') return fail(stored.code, `${first.name}: ${stored.message}`);
  const placed = hasPatientGeometry(c) ? placeInSpace(c, first) : placeFlat(c, first);
  if (placed.kind === 'error') return placed;
  const { affine, frames, positions, frameAxis, frameSeconds } = placed.value;
  const notices = [...placed.value.notices];
  if (stored.value.monochrome1) notices.push(`${first.name} is MONOCHROME1 (the lowest value is white): shown inverted, as the standard intends (colormap gray-inverted); probes give the values as stored.`);
  if (c.duplicatesDropped) {
    notices.push(`${c.duplicatesDropped} file${c.duplicatesDropped > 1 ? 's' : ''} dropped as duplicates: the same SOPInstanceUID as another file (a copy or a re-encoding); the copy fastest to decode is shown.`);
  }

  // Rescale lives in the header when every plane agrees (raw values stay exact); otherwise the
  // scaled values are stored as float32, said in a notice.
  const planes = frames.flat();
  const agree = planes.every((p) => p.slope === planes[0].slope && p.intercept === planes[0].intercept);
  let datatype: DataType = stored.value.dataType;
  if (!agree) {
    if (DATA_TYPES[datatype].channels > 1) return fail('unsupported-format', `${first.name}: colour planes with differing rescale cannot be shown.`);
    datatype = 'float32';
    notices.push(`The images disagree on RescaleSlope/RescaleIntercept (${describeRescales(planes)}): Voxlens stores the rescaled values as float32, so probes show rescaled values and no raw ones.`);
  }
  const rows = c.stack.rows;
  const columns = c.stack.columns;
  const dims = [columns, rows, positions, ...(frames.length > 1 ? [frames.length] : [])];
  const slices = frames.flatMap((volume, t) => volume.map((p, k) => ({ file: p.file, frame: p.frame, slot: t * positions + k })));
  const slope = agree ? planes[0].slope : 1;
  const inter = agree ? planes[0].intercept : 0;
  const window = first.windowWidth !== undefined && first.windowCenter !== undefined && first.windowWidth > 0 ? first.windowWidth : undefined;
  const header: VolumeHeader = {
    format: 'dicom',
    dims,
    datatype,
    datatypeCode: first.pixel.bitsAllocated,
    littleEndian: true,
    slope,
    inter,
    affine,
    affineSource: 'dicom',
    axcodes: axisCodes(affine),
    voxOffset: 0,
    description: c.description,
    // WindowCenter/Width are in rescaled units, as the display range is.
    // 16-bit colour is windowed per component: by default over the whole BitsStored range.
    displayRange: window !== undefined ? [first.windowCenter! - window / 2, first.windowCenter! + window / 2] : datatype === 'rgb48' ? [0, 2 ** first.pixel.bitsStored - 1] : undefined,
    intentCode: 0,
    spaceUnit: 'mm',
    ...(frameSeconds ? { frameSeconds, timeUnit: 's' } : {}),
    notices: notices.length ? notices : undefined,
    dicom: {
      ...first.meta,
      seriesUid: c.seriesUid,
      ...seriesReferences(c, frames[0]),
      transferSyntax: first.transferSyntax === '' ? 'as stored on the server' : (transferSyntaxInfo(first.transferSyntax)?.name ?? first.transferSyntax),
      images: planes.length,
      ...(frameAxis ? { frameAxis } : {}),
      ...(first.valueUnit ? { valueUnit: first.valueUnit } : {}),
      ...(hasPatientGeometry(c) ? {} : { noPatientGeometry: true }),
    },
  };
  const plan: PixelPlan = {
    slices,
    format: pixelFormat,
    datatype,
    dims,
    ...(agree ? {} : { rescale: slotsRescale(frames.flat(), slices) }),
  };
  return ok({ header, plan, bytes: columns * rows * slices.length * DATA_TYPES[datatype].bytesPerVoxel, monochrome1: stored.value.monochrome1 });
}

/** The UIDs a DICOM SEG drawn on the series refers to (the images of frame 0, one per slice). */
function seriesReferences(c: SeriesCandidate, slices: readonly DicomPlane[]) {
  const byFile = new Map(c.files.map((f) => [f.file, f]));
  const first = c.files[0];
  return {
    ...(first.studyUid ? { studyUid: first.studyUid } : {}),
    ...(first.frameOfReferenceUid ? { frameOfReferenceUid: first.frameOfReferenceUid } : {}),
    ...(first.sopClassUid ? { sopClassUid: first.sopClassUid } : {}),
    sliceImages: slices.map((p) => {
      const f = byFile.get(p.file);
      return { sopInstanceUid: f?.sopInstanceUid ?? '', ...(f && f.frames > 1 ? { frame: p.frame + 1 } : {}) };
    }),
  };
}

/** Where a stack's planes go: the voxel → RAS affine, and frames[t][k] (the plane of frame t at position k). */
interface Placement {
  affine: Mat4;
  frames: DicomPlane[][];
  positions: number;
  notices: string[];
  frameAxis?: string;
  frameSeconds?: number;
}

const hasPatientGeometry = (c: SeriesCandidate) => c.stack.orientation !== null && c.stack.planes.every((p) => isFiniteVec3(p.position));

/** The in-plane spacing [between rows, between columns]: PixelSpacing, else ImagerPixelSpacing, else 1 mm; and what it came from. */
function inPlaneSpacing(c: SeriesCandidate, first: DicomFileInfo): { spacing: [number, number]; said: string } {
  const mm = ([r, col]: readonly number[]) => `${+col.toFixed(4)} × ${+r.toFixed(4)} mm`;
  if (c.stack.pixelSpacing) return { spacing: c.stack.pixelSpacing, said: `PixelSpacing ${mm(c.stack.pixelSpacing)}` };
  if (first.imagerPixelSpacing) return { spacing: first.imagerPixelSpacing, said: `ImagerPixelSpacing ${mm(first.imagerPixelSpacing)} (no PixelSpacing)` };
  return { spacing: [1, 1], said: '1 × 1 mm (neither PixelSpacing nor ImagerPixelSpacing is given)' };
}

/** A stack with ImageOrientationPatient and ImagePositionPatient: sorted along its normal, 3D or 4D. */
function placeInSpace(c: SeriesCandidate, first: DicomFileInfo): Result<Placement> {
  const sorted = sortPlanesByPosition(c.stack.planes);
  if (sorted.kind === 'error') return fail(sorted.code, `${first.name}: ${sorted.message}`);
  const { positionsMm, frames, framesPerPosition, slices } = sorted.value;
  const notices: string[] = [];
  const spacing = sliceSpacing(positionsMm);
  if (spacing.kind === 'error') return fail(spacing.code, `${first.name}: ${spacing.message}`);
  notices.push(...spacing.value.warnings);
  const orientation = c.stack.orientation as Orientation;
  const { spacing: pixelSpacing, said } = inPlaneSpacing(c, first);
  if (!c.stack.pixelSpacing) notices.push(`${first.name}: no PixelSpacing; shown at ${said}.`);
  const volume0 = frames[0];
  const tilt = gantryTilt(orientation, volume0[0].position!, volume0[volume0.length - 1].position!);
  if (tilt?.warning) notices.push(tilt.warning);
  const affine = dicomAffine(volume0, orientation, pixelSpacing, { spacingBetweenSlices: first.spacingBetweenSlices, sliceThickness: first.sliceThickness });
  if (affine.kind === 'error') return fail(affine.code, `${first.name}: ${affine.message}`);
  let frameAxis: string | undefined;
  if (framesPerPosition > 1) {
    frameAxis = frameAxisOf(slices[0]);
    if (!frameAxis) {
      notices.push(
        `${framesPerPosition} different images (distinct SOPInstanceUIDs) lie at each slice position, and no temporal, echo or diffusion tag (TemporalPositionIdentifier, EchoTime, DiffusionBValue, TriggerTime, AcquisitionTime) tells them apart: shown as ${framesPerPosition} frames in InstanceNumber order.`,
      );
    }
  }
  return ok({ affine: affine.value, frames, positions: positionsMm.length, notices, frameAxis });
}

/**
 * A stack without patient geometry (secondary capture, many US, XA, CR/DX, NM): a 2D image as the
 * axial pane shows DICOM's default orientation (column 0 on the left, row 0 at the top), the
 * frames of a multi-frame image (or the images, in InstanceNumber order) as frames.
 */
function placeFlat(c: SeriesCandidate, first: DicomFileInfo): Result<Placement> {
  const planes = [...c.stack.planes].sort((a, b) => (a.instanceNumber ?? Infinity) - (b.instanceNumber ?? Infinity) || a.file - b.file || a.frame - b.frame);
  const { spacing, said } = inPlaneSpacing(c, first);
  const thickness = first.sliceThickness && first.sliceThickness > 0 ? first.sliceThickness : 1;
  // LPS rows along +x, columns along +y, as ImageOrientationPatient 1\0\0\0\1\0; RAS negates x and y.
  const affine: Mat4 = [-spacing[1], 0, 0, 0, 0, -spacing[0], 0, 0, 0, 0, thickness, 0, 0, 0, 0, 1];
  const n = planes.length;
  const missing = c.stack.orientation === null ? 'ImageOrientationPatient' : 'ImagePositionPatient';
  return ok({
    affine,
    frames: planes.map((p) => [p]),
    positions: 1,
    notices: [`${first.name}: no patient geometry (no ${missing}): shown as a 2D image${n > 1 ? ` of ${n} frames` : ''} at ${said}.`],
    ...(n > 1 ? { frameAxis: 'frame' } : {}),
    ...(n > 1 && first.frameTimeMs ? { frameSeconds: first.frameTimeMs / 1000 } : {}),
  });
}

function describeRescales(planes: { slope: number; intercept: number }[]): string {
  const distinct = [...new Set(planes.map((p) => `${p.slope}×+${p.intercept}`))];
  return `${distinct.length} different, e.g. ${distinct.slice(0, 3).join(', ')}`;
}

function slotsRescale(planes: { slope: number; intercept: number; file: number; frame: number }[], slices: PixelPlan['slices']) {
  const out: { slope: number; intercept: number }[] = [];
  slices.forEach((s, i) => (out[s.slot] = { slope: planes[i].slope, intercept: planes[i].intercept }));
  return out;
}

/** The plane in the middle of a candidate's stack (by position), for its thumbnail; with its file's window. */
export function middlePlane(c: SeriesCandidate): { file: number; frame: number; slope: number; intercept: number; window?: [number, number]; format: DicomFileInfo['pixel'] } | undefined {
  const sorted = sortPlanesByPosition(c.stack.planes);
  const planes = sorted.kind === 'ok' ? sorted.value.frames[0] : c.stack.planes;
  const plane = planes[Math.floor(planes.length / 2)];
  const info = c.files.find((f) => f.file === plane?.file);
  if (!plane || !info) return undefined;
  const { windowCenter: wc, windowWidth: ww } = info;
  return { file: plane.file, frame: plane.frame, slope: plane.slope, intercept: plane.intercept, format: info.pixel, ...(wc !== undefined && ww !== undefined && ww > 0 ? { window: [wc - ww / 2, wc + ww / 2] as [number, number] } : {}) };
}
