// Scanned files → series a user can open, and a chosen series → the volume's header and the plan
// that places each plane's pixels in the one voxel buffer. Pure: no worker, no DOM.
import { axisCodes } from '../../volume/affine';
import { DATA_TYPES, type DataType } from '../../volume/dataTypes';
import type { VolumeHeader } from '../../volume/header';
import { fail, ok, type Result } from '../errors';
import type { PixelPlan, ScanResult } from '../worker/dicomProtocol';
import { dicomAffine, gantryTilt, sliceSpacing, sortPlanesByPosition, splitIntoStacks, type DicomStack } from './geometry';
import { decodedPixelFormat, storedDataType, transferSyntaxInfo } from './pixels';
import type { DicomFileInfo } from './types';

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
  for (const [seriesUid, files] of bySeries) {
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
      });
    });
  }
  candidates.sort((a, b) => b.imageCount - a.imageCount);
  return { candidates, skipped };
}

export interface SeriesVolume {
  header: VolumeHeader;
  plan: PixelPlan;
  /** Voxel bytes to take from the pool. */
  bytes: number;
  /** Files that hold the planes, for the message when one is wrong. */
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
  const stored = storedDataType(pixelFormat);
  if (stored.kind === 'error') return fail(stored.code, `${first.name}: ${stored.message}`);
  const sorted = sortPlanesByPosition(c.stack.planes);
  if (sorted.kind === 'error') return sorted;
  const { positionsMm, frames, framesPerPosition } = sorted.value;
  const notices: string[] = [];
  const spacing = sliceSpacing(positionsMm);
  if (spacing.kind === 'error') return spacing;
  notices.push(...spacing.value.warnings);
  const orientation = c.stack.orientation;
  const pixelSpacing = c.stack.pixelSpacing;
  if (!orientation || !pixelSpacing) return fail('bad-header', `${first.name}: no ImageOrientationPatient or PixelSpacing, so the series has no geometry to show it in.`);
  const volume0 = frames[0];
  const tilt = gantryTilt(orientation, volume0[0].position!, volume0[volume0.length - 1].position!);
  if (tilt?.warning) notices.push(tilt.warning);
  const affine = dicomAffine(volume0, orientation, pixelSpacing, { spacingBetweenSlices: first.spacingBetweenSlices, sliceThickness: first.sliceThickness });
  if (affine.kind === 'error') return affine;

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
  const dims = [columns, rows, positionsMm.length, ...(framesPerPosition > 1 ? [framesPerPosition] : [])];
  const slices = frames.flatMap((volume, t) => volume.map((p, k) => ({ file: p.file, frame: p.frame, slot: t * positionsMm.length + k })));
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
    affine: affine.value,
    affineSource: 'dicom',
    axcodes: axisCodes(affine.value),
    voxOffset: 0,
    description: c.description,
    // WindowCenter/Width are in rescaled units, as the display range is.
    displayRange: window !== undefined ? [first.windowCenter! - window / 2, first.windowCenter! + window / 2] : undefined,
    intentCode: 0,
    spaceUnit: 'mm',
    notices: notices.length ? notices : undefined,
    dicom: { ...first.meta, seriesUid: c.seriesUid, transferSyntax: first.transferSyntax === '' ? 'as stored on the server' : (transferSyntaxInfo(first.transferSyntax)?.name ?? first.transferSyntax), images: planes.length },
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
