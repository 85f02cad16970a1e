import { describe, expect, it } from 'vitest';
import { formatMm, formatSignificant, formatStat, formatValue, mmDecimals, valueStep } from './format';

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

describe('formatMm with two decimals', () => {
  it('keeps the second decimal and never prints −0.00', () => {
    expect(formatMm(-12.345, 2)).toBe('-12.35');
    expect(formatMm(-0.004, 2)).toBe('0.00');
    expect(formatMm(3, 2)).toBe('3.00');
  });
});

describe('mmDecimals', () => {
  const diag = (x: number, y: number, z: number) => [x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1];
  it('is 0.01 mm when any layer has a voxel under 1 mm, else 0.1 mm', () => {
    expect(mmDecimals([diag(2, 2, 3)])).toBe(1);
    expect(mmDecimals([diag(1, 1, 1)])).toBe(1);
    expect(mmDecimals([diag(2, 2, 3), diag(0.5, 0.5, 1.25)])).toBe(2);
    expect(mmDecimals([diag(-0.9375, 0.9375, 5)])).toBe(2);
    expect(mmDecimals([])).toBe(1);
  });
  it('reads the spacing from rotated affines (the column norm, not the diagonal)', () => {
    const c = Math.SQRT1_2;
    expect(mmDecimals([[c, -c, 0, 0, c, c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]])).toBe(1);
    expect(mmDecimals([[0.5 * c, -0.5 * c, 0, 0, 0.5 * c, 0.5 * c, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]])).toBe(2);
  });
});

describe('formatStat: statistics to the precision the data has', () => {
  it('integer data: one decimal finer than the step', () => {
    expect(valueStep('int16', 1)).toBe(1);
    expect(formatStat(40.285714, valueStep('int16', 1))).toBe('40.3');
    expect(formatStat(12, valueStep('uint8', 1))).toBe('12.0');
    expect(formatStat(100.123456, valueStep('int16', 0.5))).toBe('100.12');
    expect(formatStat(100.123456, valueStep('int16', 0.25))).toBe('100.123');
    expect(formatStat(-0.04, valueStep('int16', 1))).toBe('0.0');
  });
  it('float data: five significant digits', () => {
    expect(valueStep('float32', 1)).toBeNull();
    expect(formatStat(0.0012345678, null)).toBe('0.0012346');
    expect(formatStat(1234.56789, null)).toBe('1234.6');
    expect(formatStat(2.5, null)).toBe('2.5');
    expect(formatStat(NaN, null)).toBe('NaN');
  });
});

describe('formatSignificant', () => {
  it('drops trailing zeros but not those of an integer part', () => {
    expect(formatSignificant(1200, 3)).toBe('1200');
    expect(formatSignificant(1.5, 7)).toBe('1.5');
    expect(formatSignificant(-0.00001, 1)).toBe('-0.00001');
  });
});
