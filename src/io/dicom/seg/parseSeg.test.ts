import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRACTIONAL_BOX, fractionalValue, rtCt, SEG_SEGMENTS, segObject } from '../../../../scripts/makeDicomRt';
import { transformPoint } from '../../../volume/affine';
import { dicomLabToRgb, rgbToDicomLab } from './cielab';
import { parseSeg, segPixel } from './parseSeg';
import { fillSegLayer, segGrid, segLayers } from './segVolume';

const ct = rtCt();
const [nx, ny, nz] = ct.dims;
const ctAffine = ct.affine.flat();
const binary = segObject(ct, 'binary');
const fractional = segObject(ct, 'fractional');
const inBox = (b: { lo: number[]; hi: number[] }, i: number, j: number, k: number) => i >= b.lo[0] && i <= b.hi[0] && j >= b.lo[1] && j <= b.hi[1] && k >= b.lo[2] && k <= b.hi[2];

describe('CIELab', () => {
  it('round-trips sRGB through DICOM-scaled CIELab within one level', () => {
    for (const rgb of [[230, 40, 40], [40, 120, 230], [0, 0, 0], [255, 255, 255], [128, 200, 7]] as const) {
      dicomLabToRgb(rgbToDicomLab([...rgb])).forEach((v, i) => expect(Math.abs(v - rgb[i])).toBeLessThanOrEqual(1));
    }
  });
  it('reads a known DICOM value: L*=53.24, a*=80.09, b*=67.2 is sRGB red', () => {
    expect(dicomLabToRgb([Math.round(0.5324 * 65535), Math.round(((80.09 + 128) / 255) * 65535), Math.round(((67.2 + 128) / 255) * 65535)])).toEqual([255, 0, 0]);
  });
});

describe('parseSeg', () => {
  it('reads segments (label, colour, category, type) and frames of a binary SEG with frames packed mid-byte', () => {
    const r = parseSeg(binary, 'seg.dcm');
    if (r.kind === 'error') throw new Error(r.message);
    const seg = r.value;
    expect(seg.kind).toBe('binary');
    expect((nx * ny) % 8).not.toBe(0); // frames really start mid-byte
    expect(seg.referencedSeriesUid).toBe(ct.seriesUid);
    expect(seg.segments.map((s) => [s.number, s.label, s.category, s.type])).toEqual(SEG_SEGMENTS.map((s) => [s.number, s.label, s.category.meaning, s.type.meaning]));
    seg.segments.forEach((s, n) => s.rgb.forEach((v, c) => expect(Math.abs(v - SEG_SEGMENTS[n].rgb[c])).toBeLessThanOrEqual(1)));
    expect(seg.frames.length).toBe(9);
    // Every frame's pixels are its segment's box on its slice.
    for (const [n, f] of seg.frames.entries()) {
      const k = Math.round((f.position[2] - ct.position(0)[2]) / ct.sliceSpacing);
      const box = SEG_SEGMENTS.find((s) => s.number === f.segment)!.box;
      for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) expect(segPixel(seg, n, j * nx + i), `frame ${n} (${i},${j})`).toBe(inBox(box, i, j, k) ? 1 : 0);
    }
  });

  it('places a binary SEG on the referenced CT: labels at known voxels, one layer for segments that do not overlap', () => {
    const seg = parseSeg(binary, 'seg.dcm');
    if (seg.kind === 'error') throw new Error(seg.message);
    const grid = segGrid(seg.value, { dims: ct.dims, affine: ctAffine });
    if (grid.kind === 'error') throw new Error(grid.message);
    expect(grid.value.own).toBe(false);
    expect(grid.value.dims).toEqual(ct.dims);
    const layers = segLayers(seg.value, grid.value);
    expect(layers).toEqual([[1, 2]]);
    const out = new Uint8Array(nx * ny * nz);
    fillSegLayer(seg.value, grid.value, layers[0], out);
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const want = SEG_SEGMENTS.find((s) => inBox(s.box, i, j, k))?.number ?? 0;
          if (out[(k * ny + j) * nx + i] !== want) throw new Error(`(${i},${j},${k}): ${out[(k * ny + j) * nx + i]} ≠ ${want}`);
        }
  });

  it("without the CT, builds the SEG's own grid from its functional groups, in register with the CT at the same world point", () => {
    const seg = parseSeg(binary, 'seg.dcm');
    if (seg.kind === 'error') throw new Error(seg.message);
    const grid = segGrid(seg.value);
    if (grid.kind === 'error') throw new Error(grid.message);
    const { own, dims, affine } = grid.value;
    expect(own).toBe(true);
    // Frames cover CT slices 2…8: 7 slices, the first at CT slice 2.
    expect(dims).toEqual([nx, ny, 7]);
    for (const ijk of [[0, 0, 0], [7, 5, 3], [nx - 1, ny - 1, 6]]) {
      const a = transformPoint(affine, ijk);
      const b = transformPoint(ctAffine, [ijk[0], ijk[1], ijk[2] + 2]);
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
    }
    // A CT grid that is not the SEG's (one slice fewer across): the SEG keeps its own grid.
    const other = segGrid(seg.value, { dims: [nx + 1, ny, nz], affine: ctAffine });
    expect(other.kind === 'ok' && other.value.own).toBe(true);
  });

  it('reads a fractional SEG: stored values up to MaximumFractionalValue, one layer per segment', () => {
    const seg = parseSeg(fractional, 'frac.dcm');
    if (seg.kind === 'error') throw new Error(seg.message);
    expect(seg.value.kind).toBe('fractional');
    expect(seg.value.maxFractional).toBe(255);
    expect(seg.value.fractionalType).toBe('PROBABILITY');
    const grid = segGrid(seg.value, { dims: ct.dims, affine: ctAffine });
    if (grid.kind === 'error') throw new Error(grid.message);
    expect(segLayers(seg.value, grid.value)).toEqual([[1]]);
    const out = new Uint8Array(nx * ny * nz);
    fillSegLayer(seg.value, grid.value, [1], out);
    for (const [i, j, k] of [[3, 3, 3], [10, 12, 5], [20, 18, 6], [2, 3, 3], [10, 10, 7]]) expect(out[(k * ny + j) * nx + i]).toBe(fractionalValue(i, j, k));
    expect(inBox(FRACTIONAL_BOX, 10, 12, 5)).toBe(true);
  });

  it('refuses, typed and naming what is missing: not a SEG, a SEG cut short, a frame with no position', () => {
    const notSeg = parseSeg(ct.file(0), 'IM00001.dcm');
    expect(notSeg.kind === 'error' && notSeg.code).toBe('unsupported-format');
    expect(notSeg.kind === 'error' && notSeg.message).toMatch(/not a DICOM Segmentation/);
    const short = parseSeg(binary.subarray(0, binary.length - 40), 'cut.dcm');
    expect(short.kind).toBe('error');
    // The first PlanePositionSequence tag (0020,9113) renamed to a private one: that frame cannot be placed.
    const noPosition = binary.slice();
    const at = findTag(noPosition, 0x0020, 0x9113);
    noPosition[at + 2] = 0x15;
    const r = parseSeg(noPosition, 'nopos.dcm');
    expect(r.kind === 'error' && r.code).toBe('bad-header');
    expect(r.kind === 'error' && r.message).toMatch(/frame 1 has no ImagePositionPatient/);
  });

  it.skipIf(!existsSync('/usr/bin/dcmdump'))('is read the same by DCMTK (dcmdump): SOP class, frames, segments', () => {
    const dir = mkdtempSync(join(tmpdir(), 'voxlens-seg-'));
    try {
      writeFileSync(join(dir, 'seg.dcm'), binary);
      const dump = execFileSync('dcmdump', ['+P', '0028,0008', '+P', '0062,0005', '+P', '0062,0001', join(dir, 'seg.dcm')], { encoding: 'utf8' });
      expect(dump).toMatch(/\(0028,0008\) IS \[9\]/);
      expect(dump).toMatch(/\(0062,0001\) CS \[BINARY\]/);
      expect(dump).toMatch(/\[Tumour\]/);
      expect(dump).toMatch(/\[Kidney\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The byte offset of the first element (group, element) in explicit-VR little-endian bytes. */
function findTag(bytes: Uint8Array, group: number, element: number): number {
  for (let i = 132; i < bytes.length - 4; i++) if (bytes[i] === (group & 0xff) && bytes[i + 1] === group >> 8 && bytes[i + 2] === (element & 0xff) && bytes[i + 3] === element >> 8) return i;
  throw new Error('tag not found');
}
