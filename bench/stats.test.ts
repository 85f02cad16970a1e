import { expect, it } from 'vitest';
import { ratio, summarize, table } from './stats';

it('summarizes medians of odd and even counts, ignoring non-finite runs', () => {
  expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
  expect(summarize([4, 1, 2, 3, NaN])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
  expect(summarize([])).toBeNull();
  expect(ratio(summarize([2]), summarize([4]))).toBe(0.5);
  expect(ratio(null, summarize([4]))).toBeNull();
  expect(table(['a', 'bb'], [['xyz', '1']]).split('\n')[0]).toBe('a   | bb');
});
