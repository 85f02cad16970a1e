import { expect, it } from 'vitest';
import { intentValueName, niftiUnits } from './header';

it('reads NIfTI xyzt_units into unit names, leaving unknown ones out', () => {
  expect(niftiUnits(2 | 8)).toEqual({ spaceUnit: 'mm', timeUnit: 's' });
  expect(niftiUnits(3 | 16)).toEqual({ spaceUnit: 'µm', timeUnit: 'ms' });
  expect(niftiUnits(0)).toEqual({});
  expect(niftiUnits(1)).toEqual({ spaceUnit: 'm' });
});

it('names the statistic an intent code stores', () => {
  expect(intentValueName(5)).toBe('z score');
  expect(intentValueName(3)).toBe('t statistic');
  expect(intentValueName(0)).toBeUndefined();
});
