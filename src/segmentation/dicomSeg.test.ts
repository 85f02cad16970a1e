import { describe, expect, it } from 'vitest';
import { parseSeg } from '../io/dicom/seg/parseSeg';
import { fillSegLayer, segGrid, segLayers } from '../io/dicom/seg/segVolume';
import { dicomLabToRgb } from '../io/dicom/seg/cielab';
import { brushVoxels } from './brush';
import { rgbToDicomLab, segmentationDicomSeg } from './dicomSeg';
import { LabelEditor } from './editor';
import { newSegment } from './segments';
import { grid, OBLIQUE, worldOf } from './testGrids';

describe('segmentationDicomSeg', () => {
  it('round-trips through the DICOM SEG reader: same segments, names, colours and voxels on the same grid', () => {
    const dims: [number, number, number] = [24, 20, 12];
    const g = grid(dims, OBLIQUE);
    const ed = new LabelEditor(new Uint8Array(24 * 20 * 12), g, null);
    ed.write(brushVoxels(g, worldOf(g, 8 + 24 * (9 + 20 * 5)), 4, { kind: 'sphere' }), 1);
    ed.write(brushVoxels(g, worldOf(g, 16 + 24 * (10 + 20 * 6)), 3.5, { kind: 'sphere' }), 7);
    const segments = [{ ...newSegment(1, 'Liver'), color: [200, 90, 40] as [number, number, number] }, newSegment(7, 'Lesion')];
    const out = segmentationDicomSeg(ed.labels, dims, OBLIQUE, segments, { seriesDescription: 'test seg', referencedSeriesUid: '1.2.3.4', patientName: 'Doe^Jane', patientId: 'P1' });
    if (out.kind === 'error') throw new Error(out.message);
    const parsed = parseSeg(out.bytes, 'seg.dcm');
    if (parsed.kind === 'error') throw new Error(parsed.message);
    const seg = parsed.value;
    expect(seg.kind).toBe('binary');
    expect(seg.referencedSeriesUid).toBe('1.2.3.4');
    expect(seg.segments.map((s) => [s.number, s.label])).toEqual([[1, 'Liver'], [7, 'Lesion']]);
    seg.segments[0].rgb.forEach((c, i) => expect(Math.abs(c - 200 * +(i === 0) - 90 * +(i === 1) - 40 * +(i === 2))).toBeLessThanOrEqual(1));
    const placed = segGrid(seg, { dims, affine: OBLIQUE });
    if (placed.kind === 'error') throw new Error(placed.message);
    expect(placed.value.own).toBe(false);
    const back = new Uint8Array(ed.labels.length);
    for (const layer of segLayers(seg, placed.value)) fillSegLayer(seg, placed.value, layer, back);
    expect([...back]).toEqual([...ed.labels]);
    // Without the reference grid, the SEG's own geometry has the same axes and spacing (from its first drawn slice on).
    const own = segGrid(seg);
    if (own.kind === 'error') throw new Error(own.message);
    own.value.affine.forEach((v, i) => (i % 4 === 3 ? undefined : expect(v).toBeCloseTo(OBLIQUE[i], 3)));
  });

  it('CIELab colours convert back to the same sRGB', () => {
    for (const rgb of [[255, 0, 0], [12, 200, 99], [128, 128, 128], [0, 0, 0]]) dicomLabToRgb(rgbToDicomLab(rgb)).forEach((c, i) => expect(Math.abs(c - rgb[i])).toBeLessThanOrEqual(1));
  });

  it('refuses an empty segmentation and a sheared grid', () => {
    const empty = segmentationDicomSeg(new Uint8Array(8), [2, 2, 2], OBLIQUE, [newSegment(1)], { seriesDescription: 's' });
    expect(empty.kind).toBe('error');
    const sheared = segmentationDicomSeg(new Uint8Array(8).fill(1), [2, 2, 2], [1, 0.5, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], [newSegment(1)], { seriesDescription: 's' });
    expect(sheared.kind).toBe('error');
  });
});
