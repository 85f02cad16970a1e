import { describe, expect, it } from 'vitest';
import type { Result } from '../../errors';
import { sliceSpacing, type SliceSpacing } from './sliceSpacing';

function spacing(positions: number[]): SliceSpacing {
  const r = sliceSpacing(positions);
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

function refused(r: Result<unknown>, code: string, mentions: RegExp): void {
  if (r.kind === 'ok') throw new Error('expected an error');
  expect(r.code, r.message).toBe(code);
  expect(r.message).toMatch(mentions);
}

const regular = (count: number, first = 0, step = 2.5) => Array.from({ length: count }, (_, k) => first + k * step);

describe('sliceSpacing', () => {
  it('returns the median step of a regular stack, without warnings', () => {
    const s = spacing(regular(20, -17.6875, 5));
    expect(s.medianStepMm).toBeCloseTo(5, 12);
    expect(s.warnings).toEqual([]);
    expect(s.missing).toEqual([]);
    expect(s.uneven).toBe(false);
  });

  it('tolerates rounding in the positions (well under 1 %)', () => {
    const s = spacing(regular(10).map((p, k) => p + (k % 2 ? 0.004 : -0.004)));
    expect(s.warnings).toEqual([]);
  });

  it('warns about uneven spacing with the range, the median and where', () => {
    // 15, 17.5, …, 40 (slice 11), then 43.5: a 3.5 mm step between slices 11 and 12.
    const positions = [...regular(11, 15), 43.5, 46, 48.5];
    const s = spacing(positions);
    expect(s.uneven).toBe(true);
    expect(s.missing).toEqual([]);
    expect(s.warnings).toEqual(['slice spacing varies from 2.50 to 3.50 mm (median 2.50 mm) between slices 11 and 12']);
  });

  it('counts the other uneven places after the worst', () => {
    const s = spacing([0, 2.5, 5, 7.6, 10.1, 12.6, 15.1, 18.6, 21.1]);
    expect(s.warnings).toEqual(['slice spacing varies from 2.50 to 3.50 mm (median 2.50 mm) between slices 7 and 8 and at 1 other place']);
  });

  it('reports a missing slice by its position', () => {
    // 15 + 2.5k up to slice 11 at 40 mm, then 45: the slice at 42.5 mm is missing.
    const positions = [...regular(11, 15), 45, 47.5, 50];
    const s = spacing(positions);
    expect(s.medianStepMm).toBe(2.5);
    expect(s.missing).toEqual([{ afterSlice: 10, positionsMm: [42.5] }]);
    expect(s.uneven).toBe(false);
    expect(s.warnings).toEqual(['a slice is missing at 42.50 mm along the normal (between slices 11 and 12)']);
    expect(s.maxStepMm).toBe(5);
  });

  it('reports several slices missing in one gap, and gaps close to (not exactly) a multiple', () => {
    const s = spacing([0, 2, 4, 10.1, 12.1, 14.1, 16.1, 18.1]);
    expect(s.missing).toHaveLength(1);
    expect(s.missing[0].afterSlice).toBe(2);
    expect(s.missing[0].positionsMm[0]).toBeCloseTo(6.0333, 3);
    expect(s.missing[0].positionsMm[1]).toBeCloseTo(8.0667, 3);
    expect(s.warnings).toEqual(['2 slices are missing at 6.03, 8.07 mm along the normal (between slices 3 and 4)']);
  });

  it('has no step for a single slice', () => {
    expect(spacing([12])).toEqual({ medianStepMm: null, minStepMm: null, maxStepMm: null, missing: [], uneven: false, warnings: [] });
  });

  it('refuses duplicated, unsorted, missing and non-finite positions', () => {
    refused(sliceSpacing([0, 2.5, 2.5, 5]), 'bad-dims', /Slices 2 and 3 are both at 2\.50 mm/);
    refused(sliceSpacing([0, 5, 2.5]), 'bad-dims', /not in ascending order: slice 3 \(2\.50 mm\) follows slice 2 \(5\.00 mm\)/);
    refused(sliceSpacing([]), 'bad-dims', /no slice positions/);
    refused(sliceSpacing([0, NaN, 5]), 'bad-header', /Slice 2/);
  });
});
