// A segmentation as a DICOM Segmentation object (PS3.3 A.51): BINARY, one frame per segment and
// slice it appears in (1-bit pixels packed across frames, least significant bit first), placed by
// the per-frame PlanePositionSequence on the label grid (LPS: DICOM's patient axes), named by
// SegmentIdentificationSequence, each segment with its label and colour (CIELab, as DICOM wants).
// Written by a small Explicit VR Little Endian encoder here (Part 10: preamble, "DICM", group 0002),
// elements in ascending tag order, sequences and items of defined length. Pure.
import type { Mat4 } from '../volume/affine';
import type { LabelArray, Vec3 } from './grid';
import type { Segment } from './segments';

export const SEG_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.66.4';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

type Vr = 'AT' | 'CS' | 'DA' | 'DS' | 'IS' | 'LO' | 'PN' | 'SH' | 'TM' | 'UI' | 'UL' | 'US' | 'OB' | 'SQ';
type Element = { tag: number; vr: Exclude<Vr, 'SQ'>; value: string | number[] | Uint8Array } | { tag: number; vr: 'SQ'; items: Element[][] };

const LONG_LENGTH = new Set<Vr>(['OB', 'SQ']);

function valueBytes(e: Exclude<Element, { vr: 'SQ' }>): Uint8Array {
  if (e.value instanceof Uint8Array) return e.value.length % 2 ? concat([e.value, new Uint8Array(1)]) : e.value;
  if (e.vr === 'US') {
    const out = new Uint8Array((e.value as number[]).length * 2);
    const dv = new DataView(out.buffer);
    (e.value as number[]).forEach((v, i) => dv.setUint16(i * 2, v, true));
    return out;
  }
  if (e.vr === 'UL') {
    const out = new Uint8Array((e.value as number[]).length * 4);
    const dv = new DataView(out.buffer);
    (e.value as number[]).forEach((v, i) => dv.setUint32(i * 4, v, true));
    return out;
  }
  if (e.vr === 'AT') {
    // A tag: its group, then its element (PS3.5 6.2).
    const out = new Uint8Array((e.value as number[]).length * 4);
    const dv = new DataView(out.buffer);
    (e.value as number[]).forEach((t, i) => {
      dv.setUint16(i * 4, t >>> 16, true);
      dv.setUint16(i * 4 + 2, t & 0xffff, true);
    });
    return out;
  }
  let s = e.value as string;
  if (s.length % 2) s += e.vr === 'UI' ? '\0' : ' ';
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0x7f);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function head(tag: number, vr: Vr, length: number): Uint8Array {
  const long = LONG_LENGTH.has(vr);
  const out = new Uint8Array(long ? 12 : 8);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, tag >>> 16, true);
  dv.setUint16(2, tag & 0xffff, true);
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) dv.setUint32(8, length, true);
  else dv.setUint16(6, length, true);
  return out;
}

function encode(elements: readonly Element[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  return concat(
    sorted.flatMap((e) => {
      if (e.vr === 'SQ') {
        const items = e.items.map((it) => {
          const body = encode(it);
          const h = new Uint8Array(8);
          const dv = new DataView(h.buffer);
          dv.setUint16(0, 0xfffe, true);
          dv.setUint16(2, 0xe000, true);
          dv.setUint32(4, body.length, true);
          return concat([h, body]);
        });
        const body = concat(items);
        return [head(e.tag, 'SQ', body.length), body];
      }
      const v = valueBytes(e);
      return [head(e.tag, e.vr, v.length), v];
    }),
  );
}

/** A fresh UID under 2.25 (a random 128-bit number, PS3.5 B.2). */
export function newUid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `2.25.${BigInt(`0x${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`).toString()}`;
}

/** 8-bit sRGB → DICOM-scaled CIELab (D65; L* 0…100 → 0…65535, a*, b* −128…127 → 0…65535), the inverse of the reader's conversion. */
export function rgbToDicomLab(rgb: readonly number[]): [number, number, number] {
  const lin = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const X = (0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2]) / 0.950456;
  const Y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.072175 * lin[2];
  const Z = (0.0193339 * lin[0] + 0.119192 * lin[1] + 0.9503041 * lin[2]) / 1.088754;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const L = 116 * f(Y) - 16;
  const a = 500 * (f(X) - f(Y));
  const b = 200 * (f(Y) - f(Z));
  const clamp = (v: number) => Math.round(Math.min(65535, Math.max(0, v)));
  return [clamp((L * 65535) / 100), clamp(((a + 128) * 65535) / 255), clamp(((b + 128) * 65535) / 255)];
}

export interface DicomSegSource {
  /** The series the segmentation was drawn on, when it is a DICOM series. */
  referencedSeriesUid?: string;
  /** Its SOP class, and the image of each slice k (frame 1-based in a multi-frame file): each frame's source image. */
  referencedSopClassUid?: string;
  sliceImages?: readonly { sopInstanceUid: string; frame?: number }[];
  patientName?: string;
  patientId?: string;
  studyUid?: string;
  studyDate?: string;
  frameOfReferenceUid?: string;
  seriesDescription: string;
}

export type DicomSegResult = { kind: 'ok'; bytes: Uint8Array; frames: number; studyUid: string; seriesUid: string; sopInstanceUid: string } | { kind: 'error'; code: 'bad-argument'; message: string };

const ds = (v: number) => {
  for (let digits = 8; digits >= 0; digits--) {
    const s = String(Number(v.toFixed(digits)));
    if (s.length <= 16) return s;
  }
  return v.toExponential(6);
};

/** The segmentation's bytes as a Part 10 DICOM SEG. The grid's i and j axes must be perpendicular (DICOM rows and columns are). */
export function segmentationDicomSeg(labels: LabelArray, dims: Vec3, affine: Mat4, segments: readonly Segment[], source: DicomSegSource): DicomSegResult {
  const [nx, ny, nz] = dims;
  const col = (c: number): Vec3 => [affine[c], affine[4 + c], affine[8 + c]];
  const len = (v: Vec3) => Math.hypot(v[0], v[1], v[2]);
  const [ci, cj, ck] = [col(0), col(1), col(2)];
  if (Math.abs(ci[0] * cj[0] + ci[1] * cj[1] + ci[2] * cj[2]) > 1e-4 * len(ci) * len(cj)) {
    return { kind: 'error', code: 'bad-argument', message: 'The grid is sheared (its i and j axes are not perpendicular): a DICOM SEG cannot hold it; save as NIfTI.' };
  }
  // RAS → LPS: x and y change sign.
  const lps = (v: readonly number[]): Vec3 => [-v[0], -v[1], v[2]];
  const unit = (v: Vec3): Vec3 => [v[0] / len(v), v[1] / len(v), v[2] / len(v)];
  const orientation = [...lps(unit(ci)), ...lps(unit(cj))];
  const present = segments.filter((s) => s.value > 0).sort((a, b) => a.value - b.value);
  const slice = nx * ny;
  const frames: { segment: number; k: number }[] = [];
  for (const s of present)
    for (let k = 0; k < nz; k++) {
      const row = labels.subarray(k * slice, (k + 1) * slice);
      if (row.includes(s.value)) frames.push({ segment: s.value, k });
    }
  if (!frames.length) return { kind: 'error', code: 'bad-argument', message: 'The segmentation is empty: a DICOM SEG needs at least one segment with voxels.' };
  const pixels = new Uint8Array(Math.ceil((frames.length * slice) / 8));
  frames.forEach((f, n) => {
    const base = f.k * slice;
    for (let p = 0; p < slice; p++) {
      if (labels[base + p] !== f.segment) continue;
      const at = n * slice + p;
      pixels[at >> 3] |= 1 << (at & 7);
    }
  });
  const codeIn = (value: string, scheme: string, meaning: string): Element[] => [
    { tag: 0x00080100, vr: 'SH', value },
    { tag: 0x00080102, vr: 'SH', value: scheme },
    { tag: 0x00080104, vr: 'LO', value: meaning },
  ];
  const code = (value: string, meaning: string) => codeIn(value, 'SCT', meaning);
  const position = (k: number) => lps([affine[2] * k + affine[3], affine[6] * k + affine[7], affine[10] * k + affine[11]]);
  const now = new Date();
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  const time = now.toISOString().slice(11, 19).replace(/:/g, '');
  const sopInstanceUid = newUid();
  const studyUid = source.studyUid ?? newUid();
  const seriesUid = newUid();
  const dimensionUid = newUid();
  const segmentIndex = new Map(present.map((s, n) => [s.value, n + 1]));
  const images = source.sliceImages?.length === nz && source.referencedSopClassUid && source.sliceImages.every((im) => im.sopInstanceUid) ? source.sliceImages : undefined;
  const imageRef = (k: number): Element[] => [
    { tag: 0x00081150, vr: 'UI', value: source.referencedSopClassUid! },
    { tag: 0x00081155, vr: 'UI', value: images![k].sopInstanceUid },
    ...(images![k].frame !== undefined ? [{ tag: 0x00081160, vr: 'IS' as const, value: String(images![k].frame) }] : []),
  ];
  const uniqueInstances = images ? [...new Map(images.map((im, k) => [im.sopInstanceUid, k])).values()] : [];
  // Dimensions: the segment, then the frame's position (as highdicom and dcmqi organise a SEG).
  const dimension = (pointer: number, group: number): Element[] => [
    { tag: 0x00209164, vr: 'UI', value: dimensionUid },
    { tag: 0x00209165, vr: 'AT', value: [pointer] },
    { tag: 0x00209167, vr: 'AT', value: [group] },
  ];
  const data: Element[] = [
    { tag: 0x00080016, vr: 'UI', value: SEG_SOP_CLASS_UID },
    { tag: 0x00080018, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00080020, vr: 'DA', value: source.studyDate ?? date },
    { tag: 0x00080023, vr: 'DA', value: date },
    { tag: 0x00080030, vr: 'TM', value: time },
    { tag: 0x00080033, vr: 'TM', value: time },
    { tag: 0x00080060, vr: 'CS', value: 'SEG' },
    { tag: 0x00080070, vr: 'LO', value: 'Voxlens' },
    { tag: 0x0008103e, vr: 'LO', value: source.seriesDescription.slice(0, 64) },
    { tag: 0x00080008, vr: 'CS', value: 'DERIVED\\PRIMARY' },
    { tag: 0x00080050, vr: 'SH', value: '' },
    { tag: 0x00080090, vr: 'PN', value: '' },
    { tag: 0x00081090, vr: 'LO', value: 'Voxlens' },
    ...(source.referencedSeriesUid
      ? [
          {
            tag: 0x00081115,
            vr: 'SQ' as const,
            items: [
              [
                ...(images ? [{ tag: 0x0008114a, vr: 'SQ' as const, items: uniqueInstances.map((k) => imageRef(k).filter((e) => e.tag !== 0x00081160)) }] : []),
                { tag: 0x0020000e, vr: 'UI' as const, value: source.referencedSeriesUid },
              ],
            ],
          },
        ]
      : []),
    { tag: 0x00100030, vr: 'DA', value: '' },
    { tag: 0x00100040, vr: 'CS', value: '' },
    { tag: 0x00181000, vr: 'LO', value: '1' },
    { tag: 0x00181020, vr: 'LO', value: 'Voxlens' },
    { tag: 0x00200010, vr: 'SH', value: '' },
    { tag: 0x00100010, vr: 'PN', value: source.patientName ?? '' },
    { tag: 0x00100020, vr: 'LO', value: source.patientId ?? '' },
    { tag: 0x0020000d, vr: 'UI', value: studyUid },
    { tag: 0x0020000e, vr: 'UI', value: seriesUid },
    { tag: 0x00200011, vr: 'IS', value: '300' },
    { tag: 0x00200013, vr: 'IS', value: '1' },
    { tag: 0x00200052, vr: 'UI', value: source.frameOfReferenceUid ?? newUid() },
    { tag: 0x00280002, vr: 'US', value: [1] },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: String(frames.length) },
    { tag: 0x00280010, vr: 'US', value: [ny] },
    { tag: 0x00280011, vr: 'US', value: [nx] },
    { tag: 0x00280100, vr: 'US', value: [1] },
    { tag: 0x00280101, vr: 'US', value: [1] },
    { tag: 0x00280102, vr: 'US', value: [0] },
    { tag: 0x00280103, vr: 'US', value: [0] },
    { tag: 0x00282110, vr: 'CS', value: '00' },
    { tag: 0x00209221, vr: 'SQ', items: [[{ tag: 0x00209164, vr: 'UI', value: dimensionUid }]] },
    {
      tag: 0x00209222,
      vr: 'SQ',
      items: [dimension(0x0062000b, 0x0062000a), dimension(0x00200032, 0x00209113)],
    },
    { tag: 0x00700080, vr: 'CS', value: 'VOXLENS' },
    { tag: 0x00700081, vr: 'LO', value: source.seriesDescription.slice(0, 64) },
    { tag: 0x00700084, vr: 'PN', value: '' },
    { tag: 0x00620001, vr: 'CS', value: 'BINARY' },
    {
      tag: 0x00620002,
      vr: 'SQ',
      items: present.map((s) => [
        { tag: 0x00620003, vr: 'SQ', items: [code('91723000', 'Anatomical Structure')] },
        { tag: 0x00620004, vr: 'US', value: [s.value] },
        { tag: 0x00620005, vr: 'LO', value: s.name.slice(0, 64) },
        { tag: 0x00620008, vr: 'CS', value: 'MANUAL' },
        { tag: 0x0062000d, vr: 'US', value: rgbToDicomLab(s.color) },
        { tag: 0x0062000f, vr: 'SQ', items: [code('85756007', 'Tissue')] },
      ]),
    },
    {
      tag: 0x52009229,
      vr: 'SQ',
      items: [
        [
          { tag: 0x00209116, vr: 'SQ', items: [[{ tag: 0x00200037, vr: 'DS', value: orientation.map(ds).join('\\') }]] },
          {
            tag: 0x00289110,
            vr: 'SQ',
            items: [
              [
                { tag: 0x00180050, vr: 'DS', value: ds(len(ck)) },
                { tag: 0x00180088, vr: 'DS', value: ds(len(ck)) },
                // PixelSpacing: between rows (a j step), then between columns (an i step).
                { tag: 0x00280030, vr: 'DS', value: `${ds(len(cj))}\\${ds(len(ci))}` },
              ],
            ],
          },
        ],
      ],
    },
    {
      tag: 0x52009230,
      vr: 'SQ',
      items: frames.map((f) => [
        ...(images
          ? [
              {
                tag: 0x00089124,
                vr: 'SQ' as const,
                items: [
                  [
                    { tag: 0x00082112, vr: 'SQ' as const, items: [[...imageRef(f.k), { tag: 0x0040a170, vr: 'SQ' as const, items: [codeIn('121322', 'DCM', 'Source image for image processing operation')] }]] },
                    { tag: 0x00089215, vr: 'SQ' as const, items: [codeIn('113076', 'DCM', 'Segmentation')] },
                  ],
                ],
              },
            ]
          : []),
        { tag: 0x00209111, vr: 'SQ', items: [[{ tag: 0x00209157, vr: 'UL', value: [segmentIndex.get(f.segment)!, f.k + 1] }]] },
        { tag: 0x00209113, vr: 'SQ', items: [[{ tag: 0x00200032, vr: 'DS', value: position(f.k).map(ds).join('\\') }]] },
        { tag: 0x0062000a, vr: 'SQ', items: [[{ tag: 0x0062000b, vr: 'US', value: [f.segment] }]] },
      ]),
    },
    { tag: 0x7fe00010, vr: 'OB', value: pixels },
  ];
  const body = encode(data);
  const metaBody = encode([
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: SEG_SOP_CLASS_UID },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: EXPLICIT_LE },
    { tag: 0x00020012, vr: 'UI', value: '2.25.1' },
  ]);
  const groupLength = new Uint8Array(12);
  groupLength.set(head(0x00020000, 'US', 4).subarray(0, 8));
  groupLength[4] = 0x55; // 'U'
  groupLength[5] = 0x4c; // 'L'
  new DataView(groupLength.buffer).setUint32(8, metaBody.length, true);
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  return { kind: 'ok', bytes: concat([preamble, groupLength, metaBody, body]), frames: frames.length, studyUid, seriesUid, sopInstanceUid };
}
