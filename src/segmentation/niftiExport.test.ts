import { describe, expect, it } from 'vitest';
import { niftiDecoder } from '../io/decoders/nifti';
import { segmentationNifti } from './niftiExport';
import { lutText, newSegment, statsCsv } from './segments';
import { OBLIQUE } from './testGrids';

describe('segmentationNifti', () => {
  for (const wide of [false, true]) {
    it(`reopens with the same labels, intent 1002, the grid's affine and the names (${wide ? 'uint16' : 'uint8'})`, () => {
      const n = 6 * 5 * 4;
      const labels = wide ? new Uint16Array(n) : new Uint8Array(n);
      labels.forEach((_, i) => (labels[i] = (i * 7) % 3 === 0 ? (wide ? 300 : 2) : i % 5 === 0 ? 1 : 0));
      const segments = [{ ...newSegment(1, 'Left lobe'), color: [10, 20, 30] as [number, number, number] }, newSegment(wide ? 300 : 2, 'Lesion, core')];
      const bytes = segmentationNifti(labels, [6, 5, 4], OBLIQUE, segments);
      const parsed = niftiDecoder.parseHeader(bytes, { name: 'seg.nii', fileBytes: bytes.length });
      if (parsed.kind === 'error') throw new Error(parsed.message);
      const { header } = parsed.value;
      expect(header.intentCode).toBe(1002);
      expect(header.datatype).toBe(wide ? 'uint16' : 'uint8');
      expect(header.dims).toEqual([6, 5, 4]);
      header.affine.forEach((v, i) => expect(v).toBeCloseTo(OBLIQUE[i], 5));
      const voxels = bytes.subarray(header.voxOffset);
      const back = wide ? new Uint16Array(voxels.slice().buffer) : voxels;
      expect([...back]).toEqual([...labels]);
      expect(header.labelNames?.lookup.names.get(1)).toBe('Left lobe');
      expect(header.labelNames?.lookup.colors.get(1)).toEqual([10, 20, 30]);
      expect(header.labelNames?.lookup.names.get(wide ? 300 : 2)).toBe('Lesion, core');
    });
  }
  it('names itself in the description and keeps cal_min/cal_max at 0 and the highest segment value (at least 1)', () => {
    const header = (segments: ReturnType<typeof newSegment>[], description?: string) => {
      const bytes = segmentationNifti(new Uint8Array(8), [2, 2, 2], OBLIQUE, segments, description);
      const parsed = niftiDecoder.parseHeader(bytes, { name: 'seg.nii', fileBytes: bytes.length });
      if (parsed.kind === 'error') throw new Error(parsed.message);
      return parsed.value.header;
    };
    // The highest value wherever it sits in the list, not the first or the lowest.
    const h = header([newSegment(3), newSegment(9), newSegment(5)]);
    expect(h.displayRange).toEqual([0, 9]);
    expect(h.description).toBe('voxlens segmentation');
    expect(header([], 'liver').description).toBe('liver');
    // No segments: the range is [0, 1], never empty.
    expect(header([]).displayRange).toEqual([0, 1]);
  });
  it('the LUT is FreeSurfer lines and the CSV quotes names with commas', () => {
    expect(lutText([newSegment(2, 'B'), { ...newSegment(1, 'A b'), color: [1, 2, 3] }]).split('\n').slice(1, 4)).toEqual(['0 Unknown 0 0 0 0', '1 A b 1 2 3 0', `2 B ${newSegment(2).color.join(' ')} 0`]);
    expect(statsCsv([{ value: 1, name: 'a, b', voxels: 2, mm3: 3000, mean: 1, sd: 0, min: 1, max: 1 }]).split('\n')[1]).toBe('1,"a, b",2,3000,3,1,0,1,1');
  });
});
