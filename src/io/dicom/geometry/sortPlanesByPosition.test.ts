import { describe, expect, it } from 'vitest';
import type { Result } from '../../errors';
import type { DicomPlane } from '../types';
import { AXIAL, CORONAL, OBLIQUE, SAGITTAL, plane, shuffled, stack } from './planeFixtures';
import { sortPlanesByPosition, type PlanesByPosition } from './sortPlanesByPosition';

function sorted(planes: readonly DicomPlane[]): PlanesByPosition {
  const r = sortPlanesByPosition(planes);
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

function refused(r: Result<unknown>, code: string, mentions?: RegExp): string {
  if (r.kind === 'ok') throw new Error('expected an error');
  expect(r.code, r.message).toBe(code);
  if (mentions) expect(r.message).toMatch(mentions);
  return r.message;
}

const files = (planes: readonly DicomPlane[]) => planes.map((p) => p.file);

describe('sortPlanesByPosition', () => {
  const axial = stack({ origin: [-100, -120, 50], step: [0, 0, 2], count: 12 });

  it('orders an axial stack by position along the normal, whatever order it is given in', () => {
    const want = files(axial);
    for (const input of [axial, [...axial].reverse(), shuffled(axial, 7), shuffled(axial, 42)]) {
      const s = sorted(input);
      expect(files(s.frames[0])).toEqual(want);
      expect(s.framesPerPosition).toBe(1);
      expect(s.positionsMm).toEqual(axial.map((_, k) => 50 + 2 * k));
      expect(s.normal).toEqual([0, 0, 1]);
    }
  });

  it('ignores InstanceNumber and file order for placing slices', () => {
    // Interleaved acquisition numbering: instance numbers say nothing about anatomy.
    const planes = stack({ step: [0, 0, 3], count: 6, instance: (k) => [1, 4, 2, 5, 3, 6][k] });
    const renamed = planes.map((p, k) => ({ ...p, file: 5 - k }));
    expect(files(sorted(shuffled(renamed, 3)).frames[0])).toEqual([5, 4, 3, 2, 1, 0]);
  });

  it('sorts coronal, sagittal and oblique stacks ascending along row × column', () => {
    // Coronal: normal +y (posterior). Given anterior-most first.
    const coronal = stack({ orientation: CORONAL, origin: [0, 30, 0], step: [0, -1.5, 0], count: 5 });
    expect(files(sorted(shuffled(coronal)).frames[0])).toEqual([4, 3, 2, 1, 0]);
    // Sagittal: normal −x (towards the right), so ascending puts the left-most slice (largest x) first.
    const sagittal = stack({ orientation: SAGITTAL, origin: [-20, 0, 0], step: [4, 0, 0], count: 5 });
    const s = sorted(shuffled(sagittal, 9));
    expect(files(s.frames[0])).toEqual([4, 3, 2, 1, 0]);
    expect(s.positionsMm).toEqual([-(-20 + 16), -(-20 + 12), -(-20 + 8), -(-20 + 4), 20]);
    const n = [0, -Math.sin(Math.PI / 6), Math.cos(Math.PI / 6)];
    const oblique = stack({ orientation: OBLIQUE, origin: [1, 2, 3], step: [0, 2 * n[1], 2 * n[2]], count: 7 });
    const o = sorted([...oblique].reverse());
    expect(files(o.frames[0])).toEqual([0, 1, 2, 3, 4, 5, 6]);
    o.positionsMm.slice(1).forEach((p, k) => expect(p - o.positionsMm[k]).toBeCloseTo(2, 12));
  });

  it('groups a 4D series (3 positions × 2 time points) into frames by InstanceNumber', () => {
    // Time point t at position k has InstanceNumber 1 + k + 3t, as scanners number volumes.
    const planes: DicomPlane[] = [];
    for (let t = 0; t < 2; t++)
      for (let k = 0; k < 3; k++) planes.push(plane({ file: planes.length, position: [0, 0, 10 + 5 * k], instanceNumber: 1 + k + 3 * t }));
    for (const input of [planes, [...planes].reverse(), shuffled(planes, 11)]) {
      const s = sorted(input);
      expect(s.framesPerPosition).toBe(2);
      expect(s.positionsMm).toEqual([10, 15, 20]);
      expect(s.slices.map((g) => g.map((p) => p.instanceNumber))).toEqual([[1, 4], [2, 5], [3, 6]]);
      expect(s.frames.map(files)).toEqual([[0, 1, 2], [3, 4, 5]]);
    }
  });

  it('groups positions that differ only by floating-point noise', () => {
    const planes = [0, 1, 2, 3].map((i) => plane({ file: i, position: [0, 0, i < 2 ? 7.5 : 10 + (i === 3 ? 1e-9 : 0)], instanceNumber: i }));
    const s = sorted(planes);
    expect(s.framesPerPosition).toBe(2);
    expect(s.positionsMm).toHaveLength(2);
  });

  it('refuses positions holding different numbers of images, naming them', () => {
    const planes = [10, 10, 15, 15, 20].map((z, i) => plane({ file: i, position: [0, 0, z], instanceNumber: i + 1 }));
    const message = refused(sortPlanesByPosition(planes), 'bad-dims', /1 at 20\.00 mm; 2 at 10\.00 mm, 15\.00 mm/);
    expect(message).toMatch(/time points/);
  });

  it('refuses planes it cannot place', () => {
    refused(sortPlanesByPosition([]), 'bad-dims');
    refused(sortPlanesByPosition([plane({ orientation: undefined })]), 'bad-header', /ImageOrientationPatient/);
    refused(sortPlanesByPosition([plane({ orientation: [1, 0, 0, 1, 0, 0] })]), 'bad-header', /perpendicular/);
    refused(sortPlanesByPosition([plane(), plane({ file: 1, position: undefined })]), 'bad-header', /file #1 has no usable ImagePositionPatient/);
    refused(sortPlanesByPosition([plane(), plane({ file: 1, position: [0, 0, NaN] })]), 'bad-header', /ImagePositionPatient/);
    refused(sortPlanesByPosition([plane(), plane({ file: 3, frame: 2, orientation: CORONAL, position: [0, 0, 1] })]), 'bad-header', /file #3 frame #2 .*stacks/);
  });

  it('keeps one plane as a one-slice stack', () => {
    const s = sorted([plane({ orientation: AXIAL, position: [1, 2, 3] })]);
    expect(s.positionsMm).toEqual([3]);
    expect(s.frames).toHaveLength(1);
  });

  it('orders the planes at one position by InstanceNumber (absent last), then file, then frame', () => {
    // Two positions; at each, InstanceNumbers run against file order, one plane has none, and two share one.
    const at = (z: number, file: number, instanceNumber?: number, frame = 0) => plane({ file, frame, position: [0, 0, z], instanceNumber });
    const planes = [at(5, 0, undefined), at(5, 1, 9), at(5, 2, 3), at(5, 3, 3, 2), at(5, 3, 3, 1), at(1, 4), at(1, 5, 2), at(1, 6, 1), at(1, 4, 1, 1), at(1, 7, 2)];
    const s = sorted(shuffled(planes, 5));
    expect(s.slices.map((g) => g.map((p) => [p.file, p.frame]))).toEqual([
      [[4, 1], [6, 0], [5, 0], [7, 0], [4, 0]],
      [[2, 0], [3, 1], [3, 2], [1, 0], [0, 0]],
    ]);
  });

  it('orders by InstanceNumber within a position even where noise puts them the other way along the normal', () => {
    const planes = [plane({ file: 0, position: [0, 0, 10], instanceNumber: 2 }), plane({ file: 1, position: [0, 0, 10 + 1e-6], instanceNumber: 1 })];
    expect(sorted(planes).slices[0].map((p) => p.instanceNumber)).toEqual([1, 2]);
  });

  it('one position holds planes up to 1 µm apart, that bound included', () => {
    const two = (dz: number) => sorted([plane({ file: 0, instanceNumber: 1 }), plane({ file: 1, position: [0, 0, dz], instanceNumber: 2 })]);
    expect(two(0.001).framesPerPosition).toBe(2);
    expect(two(0.002).positionsMm).toEqual([0, 0.002]);
  });

  it('says exactly why it refuses', () => {
    refused(sortPlanesByPosition([]), 'bad-dims', /^The DICOM series has no image planes to sort\.$/);
    refused(sortPlanesByPosition([plane({ file: 2, orientation: undefined })]), 'bad-header', /^file #2 has no ImageOrientationPatient \(0020,0037\): its slices cannot be placed in space\.$/);
    refused(
      sortPlanesByPosition([plane({ orientation: [1, 0, 0, 1, 0, 0] })]),
      'bad-header',
      /^ImageOrientationPatient \(0020,0037\) of file #0 is \[1, 0, 0, 1, 0, 0\]: not two perpendicular directions, so the slice normal is undefined\.$/,
    );
    refused(
      sortPlanesByPosition([plane(), plane({ file: 1, orientation: undefined })]),
      'bad-header',
      /^file #1 has ImageOrientationPatient \[missing\], unlike \[1, 0, 0, 0, 1, 0\] of file #0: split the series into stacks of one orientation first\.$/,
    );
    refused(sortPlanesByPosition([plane(), plane({ file: 1, orientation: CORONAL })]), 'bad-header', /^file #1 has ImageOrientationPatient \[1, 0, 0, 0, 0, -1\], unlike/);
  });

  it('names at most six positions per count, then how many more', () => {
    // Eight positions with one plane, one with two.
    const planes = [0, 1, 2, 3, 4, 5, 6, 7].map((z) => plane({ file: z, position: [0, 0, z] }));
    planes.push(plane({ file: 8, position: [0, 0, 7] }));
    refused(sortPlanesByPosition(planes), 'bad-dims', /\(2 at 7\.00 mm; 1 at 0\.00 mm, 1\.00 mm, 2\.00 mm, 3\.00 mm, 4\.00 mm, 5\.00 mm and 1 more along/);
    // Exactly six: no "more".
    refused(sortPlanesByPosition(planes.slice(1)), 'bad-dims', /\(2 at 7\.00 mm; 1 at 1\.00 mm, 2\.00 mm, 3\.00 mm, 4\.00 mm, 5\.00 mm, 6\.00 mm along/);
  });
});
