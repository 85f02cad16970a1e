// Radiotherapy and segmentation objects that reference a small generated CT (scripts/makeDicomSeries.ts
// ctSeries, written with its encoder): a DICOM SEG, binary (1-bit frames packed without padding
// between frames: the CT is 30 × 27, 810 bits a frame, so frames start mid-byte) and fractional
// (8-bit, MaximumFractionalValue 255); and an RTSTRUCT with a square and a regular 72-gon ("circle")
// on known planes, whose areas and volumes the tests compute from the same numbers.
//
// Every object is in the CT's frame of reference; the SEG's frames are stored in a scrambled
// order and placed only by their PlanePositionSequence, the SEG's geometry is only in its
// functional groups.
//
//   npx tsx scripts/makeDicomRt.ts OUT_DIR   (writes ct/IM*.dcm, seg.dcm, seg-fractional.dcm, rtstruct.dcm, rtdose.dcm)
//
// Also an RT Dose on the CT's grid in-plane, 1 mm planes, rising linearly along x, for the DVH
// whose analytic curve the tests know.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rgbToDicomLab, type Rgb8 } from '../src/io/dicom/seg/cielab';
import { ctSeries, ds, encodePart10, uidFrom, writeCtSeries, type CtSeries, type DicomElement } from './makeDicomSeries';

export const SEG_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';
export const RT_DOSE_STORAGE = '1.2.840.10008.5.1.4.1.1.481.2';
export const RTSTRUCT_STORAGE = '1.2.840.10008.5.1.4.1.1.481.3';

/** The CT every object here refers to: 30 columns × 27 rows × 10 slices, 1 mm pixels, 2 mm slices, centred on the origin. */
export const rtCt = (): CtSeries => ctSeries({ dims: [30, 27, 10], pixelSpacing: 1, sliceSpacing: 2, seed: 'voxlens rt' });

/** A box of voxels [lo, hi] inclusive, in the CT's (column, row, slice) indices. */
export interface VoxelBox {
  lo: [number, number, number];
  hi: [number, number, number];
}

export interface SegSegment {
  number: number;
  label: string;
  rgb: Rgb8;
  category: { code: string; meaning: string };
  type: { code: string; meaning: string };
  box: VoxelBox;
}

/** The binary SEG's two segments (they do not overlap). */
export const SEG_SEGMENTS: readonly SegSegment[] = [
  { number: 1, label: 'Tumour', rgb: [230, 40, 40], category: { code: '49755003', meaning: 'Morphologically Altered Structure' }, type: { code: '108369006', meaning: 'Neoplasm' }, box: { lo: [5, 4, 2], hi: [12, 10, 5] } },
  { number: 2, label: 'Kidney', rgb: [40, 120, 230], category: { code: '123037004', meaning: 'Anatomical Structure' }, type: { code: '64033007', meaning: 'Kidney' }, box: { lo: [15, 14, 4], hi: [24, 22, 8] } },
];

const inBox = (b: VoxelBox, i: number, j: number, k: number) => i >= b.lo[0] && i <= b.hi[0] && j >= b.lo[1] && j <= b.hi[1] && k >= b.lo[2] && k <= b.hi[2];

/** The fractional SEG's one segment: its stored value (0…255) at a voxel; 0 outside its box. */
export const FRACTIONAL_BOX: VoxelBox = { lo: [3, 3, 3], hi: [20, 18, 6] };
export const fractionalValue = (i: number, j: number, k: number): number => (inBox(FRACTIONAL_BOX, i, j, k) ? ((i + 2 * j + 3 * k) % 11) * 25 + 5 : 0);

const code = (c: { code: string; meaning: string }): DicomElement[] => [
  { tag: 0x00080100, vr: 'SH', value: c.code },
  { tag: 0x00080102, vr: 'SH', value: 'SCT' },
  { tag: 0x00080104, vr: 'LO', value: c.meaning },
];

/** The elements every object here shares with the CT: patient, study, frame of reference. */
function common(ct: CtSeries, modality: string, seriesUid: string, sopClassUid: string, sopInstanceUid: string, description: string): DicomElement[] {
  return [
    { tag: 0x00080016, vr: 'UI', value: sopClassUid },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00080020, vr: 'DA', value: '20260101' },
    { tag: 0x00080030, vr: 'TM', value: '120000' },
    { tag: 0x00080060, vr: 'CS', value: modality },
    { tag: 0x00080070, vr: 'LO', value: 'Voxlens synthetic' },
    { tag: 0x0008103e, vr: 'LO', value: description },
    { tag: 0x00100010, vr: 'PN', value: 'Phantom^CT' },
    { tag: 0x00100020, vr: 'LO', value: 'VOXLENS-BENCH' },
    { tag: 0x0020000d, vr: 'UI', value: ct.studyUid },
    { tag: 0x0020000e, vr: 'UI', value: seriesUid },
    { tag: 0x00200011, vr: 'IS', value: modality === 'SEG' ? '300' : modality === 'RTSTRUCT' ? '400' : '500' },
    { tag: 0x00200013, vr: 'IS', value: '1' },
    { tag: 0x00200052, vr: 'UI', value: ct.frameOfReferenceUid },
  ];
}

const ctInstanceUid = (ct: CtSeries, k: number) => uidFrom(`voxlens rt instance ${ct.dims.join('x')} ${k}`);

/** ReferencedSeriesSequence: the CT series and its instances. */
const referencedSeries = (ct: CtSeries): DicomElement => ({
  tag: 0x00081115,
  vr: 'SQ',
  items: [
    [
      { tag: 0x0020000e, vr: 'UI', value: ct.seriesUid },
      { tag: 0x0008114a, vr: 'SQ', items: Array.from({ length: ct.dims[2] }, (_, k) => [{ tag: 0x00081150, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' }, { tag: 0x00081155, vr: 'UI', value: ctInstanceUid(ct, k) }] as DicomElement[]) },
    ],
  ],
});

/** A SEG of `ct`: 'binary' holds SEG_SEGMENTS as packed 1-bit frames; 'fractional' one segment of 8-bit fractions. */
export function segObject(ct: CtSeries, kind: 'binary' | 'fractional'): Uint8Array {
  const [columns, rows] = ct.dims;
  const segments: SegSegment[] =
    kind === 'binary' ? [...SEG_SEGMENTS] : [{ number: 1, label: 'Uptake probability', rgb: [250, 200, 30], category: { code: '91723000', meaning: 'Anatomical Structure' }, type: { code: '46027005', meaning: 'Region' }, box: FRACTIONAL_BOX }];
  // One frame per segment and slice it covers; stored in a scrambled order (the reader places them by position).
  const frames = segments.flatMap((s) => Array.from({ length: s.box.hi[2] - s.box.lo[2] + 1 }, (_, n) => ({ segment: s, k: s.box.lo[2] + n })));
  const order = frames.map((_, n) => n).sort((a, b) => ((a * 7 + 3) % frames.length) - ((b * 7 + 3) % frames.length));
  const pixelsPerFrame = columns * rows;
  let pixels: Uint8Array;
  if (kind === 'binary') {
    // PS3.5 8.1.1 / PS3.3 C.8.20.2: 1-bit pixels packed little-endian within each byte, frames contiguous (no padding).
    pixels = new Uint8Array(Math.ceil((pixelsPerFrame * frames.length) / 8));
    order.forEach((f, n) => {
      const { segment, k } = frames[f];
      for (let j = 0; j < rows; j++)
        for (let i = 0; i < columns; i++) {
          if (!inBox(segment.box, i, j, k)) continue;
          const bit = n * pixelsPerFrame + j * columns + i;
          pixels[bit >> 3] |= 1 << (bit & 7);
        }
    });
  } else {
    pixels = new Uint8Array(pixelsPerFrame * frames.length);
    order.forEach((f, n) => {
      const { k } = frames[f];
      for (let j = 0; j < rows; j++) for (let i = 0; i < columns; i++) pixels[n * pixelsPerFrame + j * columns + i] = fractionalValue(i, j, k);
    });
  }
  const seriesUid = uidFrom(`voxlens rt seg ${kind} series`);
  const sopInstanceUid = uidFrom(`voxlens rt seg ${kind} instance`);
  const elements: DicomElement[] = [
    ...common(ct, 'SEG', seriesUid, SEG_STORAGE, sopInstanceUid, kind === 'binary' ? 'Segmentation' : 'Segmentation (fractional)'),
    { tag: 0x00080008, vr: 'CS', value: ['DERIVED', 'PRIMARY'] },
    referencedSeries(ct),
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: String(frames.length) },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: columns },
    { tag: 0x00280100, vr: 'US', value: kind === 'binary' ? 1 : 8 },
    { tag: 0x00280101, vr: 'US', value: kind === 'binary' ? 1 : 8 },
    { tag: 0x00280102, vr: 'US', value: kind === 'binary' ? 0 : 7 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00620001, vr: 'CS', value: kind === 'binary' ? 'BINARY' : 'FRACTIONAL' },
    ...(kind === 'fractional'
      ? ([
          { tag: 0x00620010, vr: 'CS', value: 'PROBABILITY' },
          { tag: 0x0062000e, vr: 'US', value: 255 },
        ] as DicomElement[])
      : []),
    {
      tag: 0x00620002,
      vr: 'SQ',
      items: segments.map((s) => [
        { tag: 0x00620004, vr: 'US', value: s.number },
        { tag: 0x00620005, vr: 'LO', value: s.label },
        { tag: 0x00620008, vr: 'CS', value: 'MANUAL' },
        { tag: 0x0062000d, vr: 'US', value: rgbToDicomLab(s.rgb) },
        { tag: 0x00620003, vr: 'SQ', items: [code(s.category)] },
        { tag: 0x0062000f, vr: 'SQ', items: [code(s.type)] },
      ]),
    },
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
                { tag: 0x00180050, vr: 'DS', value: ds(ct.sliceSpacing) },
                { tag: 0x00180088, vr: 'DS', value: ds(ct.sliceSpacing) },
                { tag: 0x00280030, vr: 'DS', value: [ds(ct.pixelSpacing), ds(ct.pixelSpacing)] },
              ],
            ],
          },
        ],
      ],
    },
    {
      tag: 0x52009230,
      vr: 'SQ',
      items: order.map((f) => {
        const { segment, k } = frames[f];
        return [
          { tag: 0x00209113, vr: 'SQ', items: [[{ tag: 0x00200032, vr: 'DS', value: ct.position(k).map(ds) }]] },
          { tag: 0x0062000a, vr: 'SQ', items: [[{ tag: 0x0062000b, vr: 'US', value: segment.number }]] },
          {
            tag: 0x00089124,
            vr: 'SQ',
            items: [[{ tag: 0x00082112, vr: 'SQ', items: [[{ tag: 0x00081150, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.2' }, { tag: 0x00081155, vr: 'UI', value: ctInstanceUid(ct, k) }]] }]],
          },
        ] as DicomElement[];
      }),
    },
    { tag: 0x7fe00010, vr: kind === 'binary' ? 'OB' : 'OB', value: pixels },
  ];
  return encodePart10(elements, { sopClassUid: SEG_STORAGE, sopInstanceUid });
}

export interface RtRoi {
  number: number;
  name: string;
  rgb: Rgb8;
  interpreted: string;
  /** Closed planar polygons, LPS mm: each a list of [x, y, z]. */
  contours: [number, number, number][][];
}

/** The square: 10 mm sides, x −8…2, y −2.5…7.5 (LPS), on z −3, −1, 1, 3 (CT slices 3…6). No voxel centre of the CT or the dose lies on its edges (columns 7…16, rows 11…20). */
export const SQUARE = { x: [-8, 2] as const, y: [-2.5, 7.5] as const, z: [-3, -1, 1, 3] };
/** The circle: a regular 72-gon of radius 6 mm about (5, −4), on z −1 and 1. */
export const CIRCLE = { centre: [5, -4] as const, radius: 6, sides: 72, z: [-1, 1] };
/** The contours' slab: the CT's slice spacing (each contour stands for the 2 mm slab about its plane). */
export const CONTOUR_SLAB_MM = 2;

/** A regular polygon's area: (n/2)·r²·sin(2π/n). */
export const regularPolygonArea = (sides: number, radius: number) => (sides / 2) * radius * radius * Math.sin((2 * Math.PI) / sides);

export function rtRois(): RtRoi[] {
  const square = SQUARE.z.map((z): [number, number, number][] => [
    [SQUARE.x[0], SQUARE.y[0], z],
    [SQUARE.x[1], SQUARE.y[0], z],
    [SQUARE.x[1], SQUARE.y[1], z],
    [SQUARE.x[0], SQUARE.y[1], z],
  ]);
  const circle = CIRCLE.z.map((z) =>
    Array.from({ length: CIRCLE.sides }, (_, n): [number, number, number] => {
      const a = (2 * Math.PI * n) / CIRCLE.sides;
      return [CIRCLE.centre[0] + CIRCLE.radius * Math.cos(a), CIRCLE.centre[1] + CIRCLE.radius * Math.sin(a), z];
    }),
  );
  return [
    { number: 1, name: 'PTV square', rgb: [255, 0, 0], interpreted: 'PTV', contours: square },
    { number: 2, name: 'Circle organ', rgb: [0, 160, 255], interpreted: 'ORGAN', contours: circle },
  ];
}

/**
 * `count` spherical structures for the open-time benchmark: sphere n (radius 10…40 mm) about a
 * point on a ring of radius 80 mm in the axial plane, one 36-gon per CT slice it crosses (LPS mm).
 */
export function benchRois(ct: CtSeries, count: number): RtRoi[] {
  const slicesZ = Array.from({ length: ct.dims[2] }, (_, k) => ct.position(k)[2]);
  return Array.from({ length: count }, (_, n): RtRoi => {
    const a = (2 * Math.PI * n) / count;
    const centre = [80 * Math.cos(a), 80 * Math.sin(a), ((n % 5) - 2) * 20];
    const radius = 10 + (n % 7) * 5;
    const contours = slicesZ
      .filter((z) => Math.abs(z - centre[2]) < radius)
      .map((z) => {
        const r = Math.sqrt(radius * radius - (z - centre[2]) ** 2);
        return Array.from({ length: 36 }, (_, p): [number, number, number] => [centre[0] + r * Math.cos((2 * Math.PI * p) / 36), centre[1] + r * Math.sin((2 * Math.PI * p) / 36), z]);
      });
    return { number: n + 1, name: `Structure ${n + 1}`, rgb: [(n * 53) % 256, (n * 97 + 80) % 256, (n * 151 + 40) % 256], interpreted: 'ORGAN', contours };
  });
}

/** An RTSTRUCT of `rois` (default rtRois()) on `ct`. */
export function rtStructObject(ct: CtSeries, rois: readonly RtRoi[] = rtRois()): Uint8Array {
  const seriesUid = uidFrom('voxlens rt structure set series');
  const sopInstanceUid = uidFrom('voxlens rt structure set instance');
  const elements: DicomElement[] = [
    ...common(ct, 'RTSTRUCT', seriesUid, RTSTRUCT_STORAGE, sopInstanceUid, 'Structures'),
    { tag: 0x30060002, vr: 'SH', value: 'Plan structures' },
    { tag: 0x30060008, vr: 'DA', value: '20260101' },
    {
      tag: 0x30060010,
      vr: 'SQ',
      items: [
        [
          { tag: 0x00200052, vr: 'UI', value: ct.frameOfReferenceUid },
          {
            tag: 0x30060012,
            vr: 'SQ',
            items: [
              [
                { tag: 0x00081150, vr: 'UI', value: '1.2.840.10008.3.1.2.3.1' },
                { tag: 0x00081155, vr: 'UI', value: ct.studyUid },
                { tag: 0x30060014, vr: 'SQ', items: [[{ tag: 0x0020000e, vr: 'UI', value: ct.seriesUid }]] },
              ],
            ],
          },
        ],
      ],
    },
    {
      tag: 0x30060020,
      vr: 'SQ',
      items: rois.map((r) => [
        { tag: 0x30060022, vr: 'IS', value: String(r.number) },
        { tag: 0x30060024, vr: 'UI', value: ct.frameOfReferenceUid },
        { tag: 0x30060026, vr: 'LO', value: r.name },
        { tag: 0x30060036, vr: 'CS', value: 'MANUAL' },
      ]),
    },
    {
      tag: 0x30060039,
      vr: 'SQ',
      items: rois.map((r) => [
        { tag: 0x3006002a, vr: 'IS', value: r.rgb.map(String) },
        {
          tag: 0x30060040,
          vr: 'SQ',
          items: r.contours.map((c) => [
            { tag: 0x30060042, vr: 'CS', value: 'CLOSED_PLANAR' },
            { tag: 0x30060046, vr: 'IS', value: String(c.length) },
            { tag: 0x30060050, vr: 'DS', value: c.flat().map(ds) },
          ]),
        },
        { tag: 0x30060084, vr: 'IS', value: String(r.number) },
      ]),
    },
    {
      tag: 0x30060080,
      vr: 'SQ',
      items: rois.map((r) => [
        { tag: 0x30060082, vr: 'IS', value: String(r.number) },
        { tag: 0x30060084, vr: 'IS', value: String(r.number) },
        { tag: 0x300600a4, vr: 'CS', value: r.interpreted },
      ]),
    },
  ];
  return encodePart10(elements, { sopClassUid: RTSTRUCT_STORAGE, sopInstanceUid });
}

/** The dose grid: the CT's columns and rows (1 mm), 11 planes 1 mm apart from z = −5 (GridFrameOffsetVector relative). */
export const DOSE_PLANES = 11;
export const DOSE_SCALING = 0.01;
/** Dose (Gy) at column i of the dose grid: rising 2 Gy per mm along LPS x (the square, columns 7…16, gets 24…42 Gy). */
export const doseGy = (i: number) => 10 + 2 * i;

/** A dose grid of its own: [columns, rows, planes] and [column, row, plane] spacing (mm), centred on the origin (the bench CT's centre). */
export interface DoseGrid {
  dims: [number, number, number];
  spacing: [number, number, number];
}

/**
 * An RT Dose on `ct`'s frame of reference, patient and study (16-bit, DoseGridScaling 0.01 Gy,
 * relative GridFrameOffsetVector): on the CT's columns and rows with DOSE_PLANES 1 mm planes from
 * z −5, or on `grid`. Its value at column i is doseGy(i).
 */
export function rtDoseObject(ct: CtSeries, grid?: DoseGrid): Uint8Array {
  const [columns, rows, planes] = grid?.dims ?? [ct.dims[0], ct.dims[1], DOSE_PLANES];
  const [sx, sy, sz] = grid?.spacing ?? [ct.pixelSpacing, ct.pixelSpacing, 1];
  const data = new Uint16Array(columns * rows * planes);
  for (let k = 0; k < planes; k++) for (let j = 0; j < rows; j++) for (let i = 0; i < columns; i++) data[(k * rows + j) * columns + i] = Math.round(doseGy(i) / DOSE_SCALING);
  const [x0, y0, z0] = grid ? [(-(columns - 1) * sx) / 2, (-(rows - 1) * sy) / 2, (-(planes - 1) * sz) / 2] : [...ct.position(0).slice(0, 2), -5];
  const sopInstanceUid = uidFrom('voxlens rt dose instance');
  const elements: DicomElement[] = [
    ...common(ct, 'RTDOSE', uidFrom('voxlens rt dose series'), RT_DOSE_STORAGE, sopInstanceUid, 'Plan dose'),
    { tag: 0x00200032, vr: 'DS', value: [ds(x0), ds(y0), ds(z0)] },
    { tag: 0x00200037, vr: 'DS', value: ['1', '0', '0', '0', '1', '0'] },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: String(planes) },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: columns },
    { tag: 0x00280030, vr: 'DS', value: [ds(sy), ds(sx)] },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 16 },
    { tag: 0x00280102, vr: 'US', value: 15 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x30040002, vr: 'CS', value: 'GY' },
    { tag: 0x30040004, vr: 'CS', value: 'PHYSICAL' },
    { tag: 0x3004000a, vr: 'CS', value: 'PLAN' },
    { tag: 0x3004000c, vr: 'DS', value: Array.from({ length: planes }, (_, k) => ds(k * sz)) },
    { tag: 0x3004000e, vr: 'DS', value: ds(DOSE_SCALING) },
    { tag: 0x7fe00010, vr: 'OW', value: new Uint8Array(data.buffer) },
  ];
  return encodePart10(elements, { sopClassUid: RT_DOSE_STORAGE, sopInstanceUid });
}

/** The CT, with the instance UIDs the SEG's references name. */
export function rtCtFiles(ct: CtSeries): { name: string; bytes: Uint8Array }[] {
  return Array.from({ length: ct.dims[2] }, (_, k) => ({ name: ct.fileName(k), bytes: ct.file(k) }));
}

function main(argv: string[]) {
  const dir = argv[0];
  if (!dir) {
    console.error('usage: npx tsx scripts/makeDicomRt.ts OUT_DIR');
    process.exit(2);
  }
  const ct = rtCt();
  mkdirSync(resolve(dir), { recursive: true });
  writeCtSeries(join(resolve(dir), 'ct'), ct);
  writeFileSync(join(dir, 'seg.dcm'), segObject(ct, 'binary'));
  writeFileSync(join(dir, 'seg-fractional.dcm'), segObject(ct, 'fractional'));
  writeFileSync(join(dir, 'rtstruct.dcm'), rtStructObject(ct));
  writeFileSync(join(dir, 'rtdose.dcm'), rtDoseObject(ct));
  console.log(`wrote ct/, seg.dcm, seg-fractional.dcm, rtstruct.dcm, rtdose.dcm into ${resolve(dir)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main(process.argv.slice(2));
