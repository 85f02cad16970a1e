import { describe, expect, it } from 'vitest';
import type { DicomPlane, Orientation } from '../types';
import { CORONAL, SAGITTAL, plane, shuffled, stack } from './planeFixtures';
import { splitIntoStacks } from './splitIntoStacks';

const rotatedAboutZ = (deg: number): Orientation => {
  const r = (deg * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r), 0, -Math.sin(r), Math.cos(r), 0];
};
const files = (planes: readonly DicomPlane[]) => planes.map((p) => p.file).sort((a, b) => a - b);

describe('splitIntoStacks', () => {
  it('keeps a clean series as one stack and describes it', () => {
    const planes = stack({ step: [0, 0, 5], count: 14, rows: 512, columns: 512, pixelSpacing: [0.451171875, 0.451171875] });
    const stacks = splitIntoStacks(shuffled(planes));
    expect(stacks).toHaveLength(1);
    expect(stacks[0].description).toBe('axial 512×512 (14 images, 0.451×0.451 mm pixels)');
    expect(stacks[0].normal).toEqual([0, 0, 1]);
    expect(stacks[0].planes).toHaveLength(14);
  });

  it('separates orientations, image sizes and pixel spacings, largest stack first', () => {
    const axial = stack({ step: [0, 0, 2], count: 20, rows: 512, columns: 512, pixelSpacing: [0.5, 0.5] });
    const localizer = stack({ orientation: CORONAL, step: [0, 10, 0], count: 3, rows: 256, columns: 256, pixelSpacing: [1, 1], firstFile: 100 });
    const sagittal = stack({ orientation: SAGITTAL, step: [5, 0, 0], count: 2, rows: 256, columns: 256, pixelSpacing: [1, 1], firstFile: 200 });
    const smaller = stack({ step: [0, 0, 2], count: 5, rows: 256, columns: 320, pixelSpacing: [0.5, 0.5], firstFile: 300 });
    const coarser = stack({ step: [0, 0, 2], count: 4, rows: 512, columns: 512, pixelSpacing: [0.7, 0.6], firstFile: 400 });
    const stacks = splitIntoStacks(shuffled([...localizer, ...axial, ...sagittal, ...smaller, ...coarser], 17));
    expect(stacks.map((s) => s.description)).toEqual([
      'axial 512×512 (20 images, 0.5×0.5 mm pixels)',
      'axial 320×256 (5 images, 0.5×0.5 mm pixels)',
      'axial 512×512 (4 images, 0.6×0.7 mm pixels)',
      'coronal 256×256 (3 images, 1×1 mm pixels)',
      'sagittal 256×256 (2 images, 1×1 mm pixels)',
    ]);
    expect(files(stacks[0].planes)).toEqual(files(axial));
    expect(files(stacks[3].planes)).toEqual(files(localizer));
    expect(stacks[2].pixelSpacing).toEqual([0.7, 0.6]);
  });

  it('splits orientations more than 0.5° apart, keeps rounding noise together', () => {
    const base = stack({ step: [0, 0, 2], count: 4 });
    const nearly = stack({ orientation: rotatedAboutZ(0.3), step: [0, 0, 2], count: 2, firstFile: 10 });
    const rotated = stack({ orientation: rotatedAboutZ(1), step: [0, 0, 2], count: 2, firstFile: 20 });
    const stacks = splitIntoStacks([...base, ...nearly, ...rotated]);
    expect(stacks.map((s) => s.planes.length)).toEqual([6, 2]);
    expect(files(stacks[1].planes)).toEqual([20, 21]);
    // Same normal, rotated in plane by 90°: pixels would not line up, so another stack.
    expect(splitIntoStacks([...base, ...stack({ orientation: rotatedAboutZ(90), step: [0, 0, 2], count: 2, firstFile: 30 })])).toHaveLength(2);
    // A tilted plane (1° off the normal): another stack.
    const tilted: Orientation = [1, 0, 0, 0, Math.cos(Math.PI / 180), Math.sin(Math.PI / 180)];
    expect(splitIntoStacks([...base, plane({ file: 40, orientation: tilted })])).toHaveLength(2);
  });

  it('puts planes without a usable orientation in stacks of their own', () => {
    const planes = [...stack({ step: [0, 0, 2], count: 3 }), plane({ file: 7, orientation: undefined }), plane({ file: 8, orientation: [1, 0, 0, 1, 0, 0] })];
    const stacks = splitIntoStacks(planes);
    expect(stacks.map((s) => s.description)).toEqual(['axial 4×4 (3 images, 1×1 mm pixels)', 'unplaced (no orientation) 4×4 (2 images, 1×1 mm pixels)']);
    expect(stacks[1].orientation).toBeNull();
    expect(stacks[1].normal).toBeNull();
    expect(splitIntoStacks([plane({ pixelSpacing: undefined })])[0].description).toBe('axial 4×4 (1 image)');
    expect(splitIntoStacks([])).toEqual([]);
  });

  it('compares rows and columns each, and pixel spacing per axis within 0.01 % of the larger', () => {
    const base = stack({ step: [0, 0, 2], count: 2, rows: 4, columns: 6, pixelSpacing: [0.5, 0.5] });
    const sizes = (planes: DicomPlane[]) => splitIntoStacks(planes).map((s) => s.planes.length);
    // Only the rows differ, then only the columns.
    expect(sizes([...base, plane({ file: 9, rows: 5, columns: 6, pixelSpacing: [0.5, 0.5] })])).toEqual([2, 1]);
    expect(sizes([...base, plane({ file: 9, rows: 4, columns: 7, pixelSpacing: [0.5, 0.5] })])).toEqual([2, 1]);
    // Only the spacing between columns differs.
    expect(sizes([...base, plane({ file: 9, rows: 4, columns: 6, pixelSpacing: [0.5, 0.6] })])).toEqual([2, 1]);
    // 0.5 against 0.5001 is 0.02 % apart (another stack); 0.50002 is 0.004 % (the same).
    expect(sizes([...base, plane({ file: 9, rows: 4, columns: 6, pixelSpacing: [0.5001, 0.5] })])).toEqual([2, 1]);
    expect(sizes([...base, plane({ file: 9, rows: 4, columns: 6, pixelSpacing: [0.50002, 0.5] })])).toEqual([3]);
    // Exactly 0.01 % of the larger (1 of 10000) still counts as the same; of the smaller it would not.
    const wide = [plane({ file: 1, pixelSpacing: [10000, 1] }), plane({ file: 2, pixelSpacing: [9999, 1], position: [0, 0, 1] })];
    expect(sizes(wide)).toEqual([2]);
    expect(sizes([wide[1], wide[0]])).toEqual([2]);
  });

  it('keeps planes with and without PixelSpacing apart, and those without together', () => {
    const given = plane({ file: 1 });
    const none = plane({ file: 2, pixelSpacing: undefined, position: [0, 0, 1] });
    const none2 = plane({ file: 3, pixelSpacing: undefined, position: [0, 0, 2] });
    const split = splitIntoStacks([given, none, none2]);
    expect(split.map((s) => files(s.planes))).toEqual([[2, 3], [1]]);
    expect(split[0].pixelSpacing).toBeUndefined();
    expect(splitIntoStacks([none, given]).map((s) => files(s.planes))).toEqual([[2], [1]]);
  });

  it('an unplaced plane first does not take the placed planes after it', () => {
    const unplaced = plane({ file: 7, orientation: undefined });
    const stacks = splitIntoStacks([unplaced, ...stack({ step: [0, 0, 2], count: 3 }), plane({ file: 8, orientation: undefined })]);
    expect(stacks.map((s) => files(s.planes))).toEqual([[0, 1, 2], [7, 8]]);
    expect(stacks[0].orientation).toEqual([1, 0, 0, 0, 1, 0]);
  });
});
