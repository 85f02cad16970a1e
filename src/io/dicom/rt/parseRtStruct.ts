// A DICOM RT Structure Set (PS3.3 A.19, C.8.8.5–C.8.8.8): each ROI's number, name, colour and
// interpreted type, and its closed planar contours (ROIContourSequence › ContourSequence ›
// ContourData, LPS mm) turned into RAS mm, the world Voxlens layers share. Points and lines
// (POINT, OPEN_PLANAR, OPEN_NONPLANAR) are kept out: they enclose no volume. Pure.
import type { DataSet } from 'dicom-parser';
import { fail, ok, type Result } from '../../errors';
import { parseDataSet } from '../tags';

export const RTSTRUCT_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.481.3';

export type Rgb = [number, number, number];

export interface RtRoi {
  number: number;
  name: string;
  rgb: Rgb;
  /** RTROIInterpretedType: PTV, CTV, GTV, ORGAN, EXTERNAL, … where stated. */
  interpretedType?: string;
  /** Closed planar polygons: x, y, z triples in RAS mm (LPS with x and y negated). */
  contours: Float64Array[];
}

export interface RtStructureSet {
  name: string;
  label?: string;
  seriesUid: string;
  studyUid: string;
  frameOfReferenceUid?: string;
  /** The image series the structures were drawn on (ReferencedFrameOfReferenceSequence › … › SeriesInstanceUID). */
  referencedSeriesUid?: string;
  rois: RtRoi[];
  /** Contours skipped (not CLOSED_PLANAR, or fewer than three points), for a notice. */
  skipped: number;
}

const items = (ds: DataSet | undefined, tag: string): DataSet[] => (ds?.elements[tag]?.items ?? []).flatMap((i) => (i.dataSet ? [i.dataSet] : []));
const clean = (s: string | undefined) => s?.replace(/\0/g, '').trim() || undefined;

/** Colours for ROIs that state none (ROIDisplayColor is optional). */
const FALLBACK: Rgb[] = [
  [255, 80, 80],
  [80, 200, 255],
  [120, 230, 90],
  [255, 210, 60],
  [210, 120, 255],
  [255, 150, 60],
];

/** Reads an RTSTRUCT from its file's bytes; refuses (typed) files that are not one or hold no ROI. */
export function parseRtStruct(bytes: Uint8Array, name: string): Result<RtStructureSet> {
  const parsed = parseDataSet(bytes, name, false);
  if (parsed.kind === 'error') return parsed;
  const ds = parsed.value;
  const sopClass = clean(ds.string('x00080016'));
  if (sopClass !== RTSTRUCT_SOP_CLASS) return fail('unsupported-format', `${name} is not an RT Structure Set (SOP class ${sopClass ?? 'missing'}).`);
  const roiInfo = new Map<number, { name: string; frameOfReferenceUid?: string }>();
  for (const r of items(ds, 'x30060020')) {
    const number = r.intString('x30060022');
    if (number !== undefined) roiInfo.set(number, { name: clean(r.string('x30060026')) ?? `ROI ${number}`, frameOfReferenceUid: clean(r.string('x30060024')) });
  }
  const interpreted = new Map<number, string>();
  for (const o of items(ds, 'x30060080')) {
    const n = o.intString('x30060084');
    const t = clean(o.string('x300600a4'));
    if (n !== undefined && t) interpreted.set(n, t);
  }
  const rois: RtRoi[] = [];
  let skipped = 0;
  for (const [index, rc] of items(ds, 'x30060039').entries()) {
    const number = rc.intString('x30060084');
    if (number === undefined) return fail('bad-header', `${name}: item ${index + 1} of ROIContourSequence (3006,0039) has no ReferencedROINumber (3006,0084).`);
    const colour = [0, 1, 2].map((i) => rc.intString('x3006002a', i));
    const rgb = colour.every((v) => v !== undefined && v >= 0 && v <= 255) ? (colour as Rgb) : FALLBACK[index % FALLBACK.length];
    const contours: Float64Array[] = [];
    for (const c of items(rc, 'x30060040')) {
      const type = clean(c.string('x30060042'));
      const element = c.elements.x30060050;
      const values = element ? (c.string('x30060050') ?? '').split('\\').map(Number) : [];
      if (type !== 'CLOSED_PLANAR' || values.length < 9 || values.length % 3 !== 0 || !values.every(Number.isFinite)) {
        skipped++;
        continue;
      }
      const ras = new Float64Array(values.length);
      for (let p = 0; p < values.length; p += 3) {
        ras[p] = -values[p];
        ras[p + 1] = -values[p + 1];
        ras[p + 2] = values[p + 2];
      }
      contours.push(ras);
    }
    const info = roiInfo.get(number);
    rois.push({ number, name: info?.name ?? `ROI ${number}`, rgb, interpretedType: interpreted.get(number), contours });
  }
  if (!rois.length) return fail('bad-header', `${name}: the structure set's ROIContourSequence (3006,0039) holds no ROI.`);
  const frame = items(ds, 'x30060010')[0];
  const study = items(frame, 'x30060012')[0];
  const series = items(study, 'x30060014')[0];
  return ok({
    name,
    label: clean(ds.string('x30060002')),
    seriesUid: clean(ds.string('x0020000e')) ?? 'no series UID',
    studyUid: clean(ds.string('x0020000d')) ?? '',
    frameOfReferenceUid: clean(frame?.string('x00200052')) ?? [...roiInfo.values()].find((r) => r.frameOfReferenceUid)?.frameOfReferenceUid,
    referencedSeriesUid: clean(series?.string('x0020000e')),
    rois,
    skipped,
  });
}
