// Saving a segmentation of a DICOM series as DICOM SEG: the loader keeps the series' study, frame of
// reference and per-slice images; the SEG written from them refers to exactly those, reopens on
// the CT's grid with the same voxels, names and colours, and DCMTK's dcmdump reads it (skipped
// without DCMTK). Off DICOM, export is refused with the reason. STOW-RS body and answers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CT_IMAGE_STORAGE, ctSeries, ENHANCED_CT_IMAGE_STORAGE, enhancedCtObject, uidFrom } from '../../scripts/makeDicomSeries';
import { loadInNode } from '../io/dicom/loadInNode';
import { parseSeg } from '../io/dicom/seg/parseSeg';
import { fillSegLayer, segGrid, segLayers } from '../io/dicom/seg/segVolume';
import { parseDataSet } from '../io/dicom/tags';
import type { Mat4 } from '../volume/affine';
import { brushVoxels } from './brush';
import { segmentationDicomSeg } from './dicomSeg';
import { dicomSegSourceOf, stowBody, stowFailure } from './dicomSegExport';
import { LabelEditor } from './editor';
import { labelGrid, type Vec3 } from './grid';
import { newSegment } from './segments';

const hasDcmdump = (() => {
  try {
    execFileSync('dcmdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const dir = hasDcmdump ? mkdtempSync(join(tmpdir(), 'voxlens-seg-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const series = ctSeries({ dims: [20, 16, 9], seed: 'seg export test' });
const sopOf = (bytes: Uint8Array) => {
  const p = parseDataSet(bytes, 'x', false);
  if (p.kind === 'error') throw new Error(p.message);
  return p.value.string('x00080018')!.replace(/\0/g, '');
};

async function loadedCt() {
  // Shuffled: the slice order comes from the geometry, not the file order.
  const order = [4, 0, 8, 2, 6, 1, 7, 3, 5];
  const got = await loadInNode(order.map((k) => series.file(k)));
  if (got.kind === 'error') throw new Error(got.message);
  return got.value;
}

describe('the DICOM loader keeps what a SEG refers to', () => {
  it('a series of files: StudyInstanceUID, FrameOfReferenceUID, SOP class and the SOPInstanceUID of each slice k', async () => {
    const { header } = await loadedCt();
    const d = header.dicom!;
    expect(d.studyUid).toBe(series.studyUid);
    expect(d.seriesUid).toBe(series.seriesUid);
    expect(d.frameOfReferenceUid).toBe(series.frameOfReferenceUid);
    expect(d.sopClassUid).toBe(CT_IMAGE_STORAGE);
    expect(d.sliceImages).toEqual(Array.from({ length: 9 }, (_, k) => ({ sopInstanceUid: sopOf(series.file(k)) })));
  });

  it('an enhanced multi-frame object: one instance, each slice its 1-based frame number', async () => {
    const order = [3, 0, 8, 1, 7, 2, 6, 4, 5];
    const got = await loadInNode([enhancedCtObject(series, order)]);
    if (got.kind === 'error') throw new Error(got.message);
    const d = got.value.header.dicom!;
    expect(d.sopClassUid).toBe(ENHANCED_CT_IMAGE_STORAGE);
    expect(d.frameOfReferenceUid).toBe(series.frameOfReferenceUid);
    const sop = d.sliceImages![0].sopInstanceUid;
    expect(sop).not.toBe('');
    expect(d.sliceImages).toEqual(Array.from({ length: 9 }, (_, k) => ({ sopInstanceUid: sop, frame: order.indexOf(k) + 1 })));
  });
});

describe('DICOM SEG of a segmentation drawn on a CT series', () => {
  it('refers to the CT (study, frame of reference, series, each frame its source slice), reopens with the same voxels, and dcmdump reads it', async () => {
    const { header } = await loadedCt();
    const dims = header.dims.slice(0, 3) as Vec3;
    const affine = header.affine as Mat4;
    const g = labelGrid(dims, affine);
    const ed = new LabelEditor(new Uint8Array(dims[0] * dims[1] * dims[2]), g, null);
    const at = (i: number, j: number, k: number): Vec3 => [0, 1, 2].map((r) => affine[r * 4] * i + affine[r * 4 + 1] * j + affine[r * 4 + 2] * k + affine[r * 4 + 3]) as Vec3;
    ed.write(brushVoxels(g, at(6, 7, 3), 2.5, { kind: 'sphere' }), 1);
    ed.write(brushVoxels(g, at(13, 8, 6), 2, { kind: 'sphere' }), 3);
    expect(ed.stats.voxels(1)).toBeGreaterThan(20);
    const segments = [{ ...newSegment(1, 'Liver'), color: [200, 90, 40] as [number, number, number] }, newSegment(3, 'Lesion')];
    const source = dicomSegSourceOf(header.dicom, 'CT', 'Liver seg');
    if (source.kind === 'error') throw new Error(source.message);
    const out = segmentationDicomSeg(ed.labels, dims, affine, segments, source.value);
    if (out.kind === 'error') throw new Error(out.message);
    expect(out.studyUid).toBe(series.studyUid);

    const parsed = parseSeg(out.bytes, 'seg.dcm');
    if (parsed.kind === 'error') throw new Error(parsed.message);
    const seg = parsed.value;
    expect([seg.studyUid, seg.frameOfReferenceUid, seg.referencedSeriesUid]).toEqual([series.studyUid, series.frameOfReferenceUid, series.seriesUid]);
    expect(seg.seriesUid).not.toBe(series.seriesUid);
    expect(seg.segments.map((s) => [s.number, s.label])).toEqual([[1, 'Liver'], [3, 'Lesion']]);
    const placed = segGrid(seg, { dims, affine });
    if (placed.kind === 'error') throw new Error(placed.message);
    expect(placed.value.own).toBe(false);
    const back = new Uint8Array(ed.labels.length);
    for (const layer of segLayers(seg, placed.value)) fillSegLayer(seg, placed.value, layer, back);
    expect([...back]).toEqual([...ed.labels]);

    // Each frame's source image is the CT slice it lies on (its ImagePositionPatient's slice).
    const ds = parseDataSet(out.bytes, 'seg.dcm', false);
    if (ds.kind === 'error') throw new Error(ds.message);
    const perFrame = ds.value.elements.x52009230.items!;
    expect(perFrame).toHaveLength(seg.frames.length);
    perFrame.forEach((item, n) => {
      const src = item.dataSet!.elements.x00089124.items![0].dataSet!.elements.x00082112.items![0].dataSet!;
      const z = seg.frames[n].position[2];
      const k = Math.round((z - affine[11]) / affine[10]);
      expect(src.string('x00081155')).toBe(sopOf(series.file(k)));
      expect(src.string('x00081150')).toBe(CT_IMAGE_STORAGE);
    });
    const referenced = ds.value.elements.x00081115.items![0].dataSet!.elements.x0008114a.items!.map((it) => it.dataSet!.string('x00081155'));
    expect(new Set(referenced)).toEqual(new Set(Array.from({ length: 9 }, (_, k) => sopOf(series.file(k)))));

    if (hasDcmdump) {
      const path = join(dir, 'seg.dcm');
      writeFileSync(path, out.bytes);
      // -E: errors to stderr; a parse problem makes it exit non-zero or print "E:"/"W:" lines.
      const text = execFileSync('dcmdump', ['-q', '+L', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(text).toMatch(/\(0008,0016\) UI =SegmentationStorage/);
      expect(text).toContain(`(0020,0052) UI [${series.frameOfReferenceUid}]`);
      expect(text).toContain(`(0020,000d) UI [${series.studyUid}]`);
      expect(text).toMatch(/\(0062,0005\) LO \[Liver\]/);
      expect(text).toMatch(/\(0020,9157\) UL 1\\\d+/);
      expect(text).toMatch(/\(0020,9165\) AT \(0062,000b\)/);
      expect(text).not.toMatch(/^[EW]:/m);
    }
  });

  it('is refused off DICOM (NIfTI only, said), and without a study or frame of reference', () => {
    const off = dicomSegSourceOf(undefined, 'brain.nii.gz', 's');
    expect(off.kind === 'error' && off.code === 'unsupported-format' && /brain\.nii\.gz is not a DICOM series.*NIfTI only/.test(off.message)).toBe(true);
    const noFor = dicomSegSourceOf({ seriesUid: '1.2', studyUid: '1.2.3', transferSyntax: 'x', images: 1 }, 'CT', 's');
    expect(noFor.kind === 'error' && /no FrameOfReferenceUID/.test(noFor.message)).toBe(true);
    const noStudy = dicomSegSourceOf({ seriesUid: '1.2', frameOfReferenceUid: '1.2.4', transferSyntax: 'x', images: 1 }, 'CT', 's');
    expect(noStudy.kind === 'error' && /no StudyInstanceUID/.test(noStudy.message)).toBe(true);
  });

  it('leaves the per-frame source images out when the slices do not match the grid', () => {
    const ed = new Uint8Array(8).fill(1);
    const out = segmentationDicomSeg(ed, [2, 2, 2], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], [newSegment(1)], {
      seriesDescription: 's',
      referencedSeriesUid: '1.2',
      referencedSopClassUid: CT_IMAGE_STORAGE,
      sliceImages: [{ sopInstanceUid: uidFrom('only one') }],
    });
    if (out.kind === 'error') throw new Error(out.message);
    const ds = parseDataSet(out.bytes, 'seg.dcm', false);
    if (ds.kind === 'error') throw new Error(ds.message);
    expect(ds.value.elements.x52009230.items![0].dataSet!.elements.x00089124).toBeUndefined();
  });
});

describe('STOW-RS', () => {
  it('wraps the instance in one application/dicom part', () => {
    const body = new TextDecoder('latin1').decode(stowBody(new Uint8Array([68, 73, 67, 77]), 'b0'));
    expect(body).toBe('--b0\r\nContent-Type: application/dicom\r\n\r\nDICM\r\n--b0--\r\n');
  });

  it('is a success only on HTTP 200 without a FailedSOPSequence', () => {
    expect(stowFailure(200, { '00081199': {} })).toBeNull();
    // Orthanc answers a success with an empty FailedSOPSequence.
    expect(stowFailure(200, { '00081198': { vr: 'SQ' }, '00081199': {} })).toBeNull();
    expect(stowFailure(200, null)).toBeNull();
    expect(stowFailure(202, { '00081199': {} })).toBe('HTTP 202');
    const failed = { '00081198': { vr: 'SQ', Value: [{ '00081197': { vr: 'US', Value: [0xc000] } }] } };
    expect(stowFailure(200, failed)).toMatch(/FailedSOPSequence/);
    expect(stowFailure(409, [failed])).toMatch(/HTTP 409.*FailedSOPSequence/);
    expect(stowFailure(409, null)).toBe('HTTP 409');
  });
});
