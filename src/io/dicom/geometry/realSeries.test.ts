// The geometry functions on real series from ../shared/data, against the manifest's affine and
// dims (computed there with pydicom). Tags are read here with dicom-parser directly, so this test
// does not depend on the loader's own tag reader.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { describe, expect, it } from 'vitest';
import { hasSharedData, loadManifest, SHARED_DATA_DIR } from '../../../testing/sharedData';
import type { DicomPlane, Orientation, Vec3 } from '../types';
import { dicomAffine } from './dicomAffine';
import { gantryTilt } from './gantryTilt';
import { shuffled } from './planeFixtures';
import { sliceSpacing } from './sliceSpacing';
import { sortPlanesByPosition } from './sortPlanesByPosition';
import { splitIntoStacks } from './splitIntoStacks';

/** The few tags the geometry needs, from one file's header. */
function readPlane(path: string, file: number): DicomPlane {
  // A Node Buffer, not a copy: dicom-parser inflates the deflated transfer syntax with zlib and
  // Buffer.copy, which a plain Uint8Array lacks.
  const data = dicomParser.parseDicom(readFileSync(path), { untilTag: 'x7fe00010' });
  const numbers = (tag: string, count: number) => Array.from({ length: count }, (_, i) => data.floatString(tag, i) ?? NaN);
  return {
    file,
    frame: 0,
    position: numbers('x00200032', 3) as Vec3,
    orientation: numbers('x00200037', 6) as Orientation,
    pixelSpacing: numbers('x00280030', 2) as [number, number],
    rows: data.uint16('x00280010') ?? 0,
    columns: data.uint16('x00280011') ?? 0,
    slope: 1,
    intercept: 0,
    instanceNumber: data.intString('x00200013'),
  };
}

const series = hasSharedData ? loadManifest().filter((e) => e.format === 'dicom') : [];

describe.skipIf(!hasSharedData)('real DICOM series from ../shared/data', () => {
  it('the manifest lists DICOM series', () => expect(series.length).toBeGreaterThan(0));

  for (const entry of series) {
    it(`${entry.file}: order, spacing, dims and affine match the manifest`, () => {
      const dir = join(SHARED_DATA_DIR, entry.file);
      const names = readdirSync(dir).filter((n) => n.endsWith('.dcm'));
      const planes = shuffled(names.map((n, i) => readPlane(join(dir, n), i)), 13);

      const stacks = splitIntoStacks(planes);
      expect(stacks).toHaveLength(1);
      const sorted = sortPlanesByPosition(stacks[0].planes);
      if (sorted.kind === 'error') throw new Error(sorted.message);
      const { frames, positionsMm, framesPerPosition } = sorted.value;
      expect(framesPerPosition).toBe(1);
      const sortedNames = frames[0].map((p) => names[p.file]);
      if ('sorted_files' in entry) expect(sortedNames).toEqual(entry.sorted_files);

      const spacing = sliceSpacing(positionsMm);
      if (spacing.kind === 'error') throw new Error(spacing.message);
      expect(spacing.value.warnings).toEqual([]);
      if ('slice_step_mm' in entry) expect(spacing.value.medianStepMm).toBeCloseTo(Number(entry.slice_step_mm), 4);

      const first = frames[0][0];
      const last = frames[0][frames[0].length - 1];
      const orientation = first.orientation as Orientation;
      expect(gantryTilt(orientation, first.position as Vec3, last.position as Vec3)?.warning).toBeNull();

      expect([first.columns, first.rows, frames[0].length]).toEqual(entry.dims);
      const affine = dicomAffine(frames[0], orientation, first.pixelSpacing as [number, number]);
      if (affine.kind === 'error') throw new Error(affine.message);
      expect(entry.affine.flat()).toHaveLength(16);
      entry.affine.flat().forEach((want, i) => expect(Math.abs(affine.value[i] - want), `affine element ${i}: ${affine.value[i]} vs ${want}`).toBeLessThanOrEqual(1e-4));
    });
  }
});
