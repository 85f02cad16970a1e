import { describe, expect, it } from 'vitest';
import { parseNumber } from './NumberField';

describe('parseNumber', () => {
  it('reads what a user types as a number', () => {
    expect(parseNumber('-600')).toBe(-600);
    expect(parseNumber(' 1500 ')).toBe(1500);
    expect(parseNumber('−40')).toBe(-40);
    expect(parseNumber('+2.5')).toBe(2.5);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('3.')).toBe(3);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('-2.5E-2')).toBe(-0.025);
  });
  it('refuses what is not yet, or not at all, a number', () => {
    for (const t of ['', ' ', '-', '+', '.', '1e', '1e-', '4o', 'abc', '1,5', '0x10', 'Infinity', 'NaN', '1e999', '--1']) expect(parseNumber(t), t).toBeNull();
  });
});
