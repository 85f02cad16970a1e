// The DICOM figure's generator (scripts/makeDicomSeries.ts): its Part 10 files are well formed
// (preamble, DICM, a meta group whose length is right, elements in tag order with even lengths)
// and Voxlens's own DICOM reading (header scan, series building, frame decoding) gives back the
// generator's geometry and voxels.
import { describe, expect, it } from 'vitest';
import { CT_IMAGE_STORAGE, ENHANCED_CT_IMAGE_STORAGE, EXPLICIT_VR_LITTLE_ENDIAN, ctSeries, encodePart10, enhancedCtObject } from '../scripts/makeDicomSeries';
import { decodeFrame } from '../src/io/dicom/pixels';
import { buildSeries, seriesCandidates } from '../src/io/dicom/series';
import { fileInfo, framePixels, parseDataSet } from '../src/io/dicom/tags';
import type { ScanResult } from '../src/io/worker/dicomProtocol';

const LONG = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

/** Every element of an explicit VR little endian stream from `at` to the end: [group, element, vr, length, offset]. */
function walk(bytes: Uint8Array, at: number) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { tag: number; vr: string; length: number; at: number }[] = [];
  while (at < bytes.length) {
    const tag = (dv.getUint16(at, true) << 16) | dv.getUint16(at + 2, true);
    const vr = String.fromCharCode(bytes[at + 4], bytes[at + 5]);
    const long = LONG.has(vr);
    const length = long ? dv.getUint32(at + 8, true) : dv.getUint16(at + 6, true);
    out.push({ tag: tag >>> 0, vr, length, at });
    at += (long ? 12 : 8) + length;
  }
  expect(at).toBe(bytes.length);
  return out;
}

describe('makeDicomSeries', () => {
  const series = ctSeries({ dims: [24, 20, 6], pixelSpacing: 0.5, sliceSpacing: 1.25, seed: 'test' });

  it('writes Part 10 files: preamble, DICM, a meta group of the right length, then tags ascending with even lengths', () => {
    const file = series.file(2);
    expect([...file.subarray(0, 128)].every((b) => b === 0)).toBe(true);
    expect(String.fromCharCode(...file.subarray(128, 132))).toBe('DICM');
    const elements = walk(file, 132);
    expect(elements[0].tag).toBe(0x00020000);
    const groupLength = new DataView(file.buffer, file.byteOffset).getUint32(elements[0].at + 8, true);
    const firstData = elements.find((e) => e.tag >>> 16 !== 0x0002)!;
    expect(firstData.at - (elements[0].at + 12)).toBe(groupLength);
    for (let i = 1; i < elements.length; i++) expect(elements[i].tag).toBeGreaterThan(elements[i - 1].tag);
    for (const e of elements) expect(e.length % 2, `(${e.tag.toString(16)}) has an odd length`).toBe(0);
    const pixels = elements[elements.length - 1];
    expect(pixels).toMatchObject({ tag: 0x7fe00010, vr: 'OW', length: 24 * 20 * 2 });
  });

  it('refuses meta elements and duplicate tags in the data set', () => {
    const meta = { sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: '1.2.3' };
    expect(() => encodePart10([{ tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LITTLE_ENDIAN }], meta)).toThrow(/meta group/);
    expect(() => encodePart10([{ tag: 0x00080060, vr: 'CS', value: 'CT' }, { tag: 0x00080060, vr: 'CS', value: 'MR' }], meta)).toThrow(/twice/);
  });

  it("reads back through Voxlens's DICOM reading with the generator's geometry, scaling, window and voxels", () => {
    const [nx, ny, nz] = series.dims;
    const results: ScanResult[] = [];
    const sets = [];
    // Out of order on purpose: the series is sorted by position, not by file.
    const order = [3, 0, 5, 1, 4, 2];
    for (const [i, k] of order.entries()) {
      const ds = parseDataSet(series.file(k), series.fileName(k), false);
      if (ds.kind === 'error') throw new Error(ds.message);
      const info = fileInfo(ds.value, i, series.fileName(k));
      if (info.kind === 'error') throw new Error(info.message);
      expect(info.value).toMatchObject({ transferSyntax: EXPLICIT_VR_LITTLE_ENDIAN, sopClassUid: CT_IMAGE_STORAGE, seriesUid: series.seriesUid, studyUid: series.studyUid, windowCenter: 40, windowWidth: 400 });
      expect(info.value.pixel).toMatchObject({ bitsAllocated: 16, bitsStored: 12, highBit: 11, pixelRepresentation: 0, photometric: 'MONOCHROME2' });
      expect(info.value.planes[0].position).toEqual(series.position(k));
      results.push({ kind: 'ok', info: info.value });
      sets.push(ds.value);
    }
    const { candidates, skipped } = seriesCandidates(results);
    expect(skipped).toEqual([]);
    expect(candidates).toHaveLength(1);
    const built = buildSeries(candidates[0]);
    if (built.kind === 'error') throw new Error(built.message);
    const { header, plan } = built.value;
    expect(header.dims).toEqual([nx, ny, nz]);
    expect(header.datatype).toBe('uint16');
    expect([header.slope, header.inter]).toEqual([1, -1024]);
    expect(header.displayRange).toEqual([-160, 240]);
    header.affine.forEach((v, i) => expect(v).toBeCloseTo(series.affine[Math.floor(i / 4)][i % 4], 9));
    const volume = new Uint8Array(nx * ny * nz * 2);
    for (const s of plan.slices) {
      const info = (results[s.file] as Extract<ScanResult, { kind: 'ok' }>).info;
      const src = framePixels(sets[s.file], info, s.frame);
      if (src.kind === 'error') throw new Error(src.message);
      const r = decodeFrame(info.transferSyntax, src.value, volume.subarray(s.slot * nx * ny * 2, (s.slot + 1) * nx * ny * 2), plan.format);
      expect(r.kind).toBe('ok');
    }
    expect(new Uint16Array(volume.buffer)).toEqual(series.voxels);
    expect(Math.max(...series.voxels)).toBeLessThanOrEqual(4095);
  });

  it('writes the series as one enhanced multi-frame object whose frames, stored shuffled, Voxlens places by their functional groups', () => {
    const [nx, ny, nz] = series.dims;
    const order = [4, 1, 5, 0, 3, 2];
    const file = enhancedCtObject(series, order);
    const ds = parseDataSet(file, 'enhanced.dcm', false);
    if (ds.kind === 'error') throw new Error(ds.message);
    // Sequences of undefined length with their items, as dicom-parser reads them.
    expect(ds.value.elements.x52009230.items).toHaveLength(nz);
    const info = fileInfo(ds.value, 0, 'enhanced.dcm');
    if (info.kind === 'error') throw new Error(info.message);
    expect(info.value).toMatchObject({ sopClassUid: ENHANCED_CT_IMAGE_STORAGE, frames: nz, windowCenter: 40, windowWidth: 400 });
    expect(info.value.planes.map((p) => p.position)).toEqual(order.map((k) => series.position(k)));
    expect(info.value.planes.every((p) => p.slope === 1 && p.intercept === -1024 && p.pixelSpacing?.join() === '0.5,0.5' && p.orientation?.join() === '1,0,0,0,1,0')).toBe(true);
    const built = buildSeries(seriesCandidates([{ kind: 'ok', info: info.value }]).candidates[0]);
    if (built.kind === 'error') throw new Error(built.message);
    const { header, plan } = built.value;
    expect(header.dims).toEqual([nx, ny, nz]);
    header.affine.forEach((v, i) => expect(v).toBeCloseTo(series.affine[Math.floor(i / 4)][i % 4], 9));
    const volume = new Uint8Array(nx * ny * nz * 2);
    for (const s of plan.slices) {
      const src = framePixels(ds.value, info.value, s.frame);
      if (src.kind === 'error') throw new Error(src.message);
      expect(decodeFrame(info.value.transferSyntax, src.value, volume.subarray(s.slot * nx * ny * 2, (s.slot + 1) * nx * ny * 2), plan.format).kind).toBe('ok');
    }
    expect(new Uint16Array(volume.buffer)).toEqual(series.voxels);
  });
});
