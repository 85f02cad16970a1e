import { expect, it } from 'vitest';
import { countLabels } from './labelStats';

it('counts voxels per label value over the frame asked for, for every integer type and floats', () => {
  const i16 = new Int16Array([0, 3, 3, -2, 0, 3, 7, 7, 7, 7]);
  expect(countLabels(i16, 0, 10)).toEqual([[-2, 1], [0, 2], [3, 3], [7, 4]]);
  expect(countLabels(i16, 5, 5)).toEqual([[3, 1], [7, 4]]);
  expect(countLabels(new Uint8Array([255, 255, 1]), 0, 3)).toEqual([[1, 1], [255, 2]]);
  expect(countLabels(new Int32Array([100000, 100000, -5]), 0, 3)).toEqual([[-5, 1], [100000, 2]]);
  expect(countLabels(new Float32Array([1, 1.5, NaN, 2, 1]), 0, 5)).toEqual([[1, 2], [2, 1]]);
});
