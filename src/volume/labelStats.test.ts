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

it('counts int8 labels, negative ones and both ends of the range included', () => {
  const i8 = new Int8Array([-128, -1, 0, 127, -1, 5, -1]);
  expect(countLabels(i8, 0, 7)).toEqual([[-128, 1], [-1, 3], [0, 1], [5, 1], [127, 1]]);
  expect(countLabels(i8, 4, 3)).toEqual([[-1, 2], [5, 1]]);
});

it('counts the whole range of uint16 and int16, and 64-bit integers', () => {
  expect(countLabels(new Uint16Array([65535, 0, 300, 65535]), 0, 4)).toEqual([[0, 1], [300, 1], [65535, 2]]);
  expect(countLabels(new Int16Array([-32768, 32767, -32768]), 0, 3)).toEqual([[-32768, 2], [32767, 1]]);
  expect(countLabels(new BigInt64Array([-3n, 9n, -3n, 4n]), 1, 3)).toEqual([[-3, 1], [4, 1], [9, 1]]);
  expect(countLabels(new BigUint64Array([2n, 2n]), 0, 2)).toEqual([[2, 2]]);
  expect(countLabels(new Uint8Array([1, 2, 3]), 1, 0)).toEqual([]);
});

it('counts only the span asked for in every type (start and length)', () => {
  expect(countLabels(new Float64Array([9, 1, 1, 2, 9]), 1, 3)).toEqual([[1, 2], [2, 1]]);
  expect(countLabels(new Uint32Array([9, 1, 1, 2, 9]), 1, 3)).toEqual([[1, 2], [2, 1]]);
  expect(countLabels(new BigInt64Array([9n, 1n, 9n]), 1, 1)).toEqual([[1, 1]]);
  expect(countLabels(new Int8Array([9, 1, 1, 2, 9]), 1, 3)).toEqual([[1, 2], [2, 1]]);
});
