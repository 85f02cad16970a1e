import { describe, expect, it } from 'vitest';
import { formatMm, formatValue } from './format';

it('writes probe values exactly for integers and to 7 digits for floats', () => {
  expect(formatValue(-32768)).toBe('-32768');
  expect(formatValue(0.8848257064819336)).toBe('0.8848257');
  expect(formatValue(1.5)).toBe('1.5');
  expect(formatValue([0, 239, 255])).toBe('0 239 255');
  expect(formatValue(NaN)).toBe('NaN');
  expect(formatValue(1e-9)).toBe('1.000000e-9');
});

describe('formatMm', () => {
  it('prints one decimal, and a value that rounds to zero without a minus sign', () => {
    expect(formatMm(-12.345)).toBe('-12.3');
    expect(formatMm(-0.04)).toBe('0.0');
    expect(formatMm(-0)).toBe('0.0');
    expect(formatMm(0.06)).toBe('0.1');
  });
});
