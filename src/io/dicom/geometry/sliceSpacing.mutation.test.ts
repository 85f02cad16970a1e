// Edges of sliceSpacing that one-line bugs slipped past (issue 27).
import { describe, expect, it } from 'vitest';
import { SAME_POSITION_TOLERANCE_MM } from './sortPlanesByPosition';
import { MISSING_SLICE_FRACTION, sliceSpacing, UNEVEN_SPACING_FRACTION, type SliceSpacing } from './sliceSpacing';

function spacing(positions: number[]): SliceSpacing {
  const r = sliceSpacing(positions);
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

describe('sliceSpacing: missing slices near a whole multiple', () => {
  it('a gap slightly short of a whole multiple is a missing slice, not uneven spacing', () => {
    // Steps 1, 1, 1.95, 1, 1: the gap is 0.05 short of 2 × the median.
    const s = spacing([0, 1, 2, 3.95, 4.95, 5.95]);
    expect(s.uneven).toBe(false);
    expect(s.missing).toEqual([{ afterSlice: 2, positionsMm: [2.975] }]);
    expect(s.warnings).toEqual(['a slice is missing at 2.98 mm along the normal (between slices 3 and 4)']);
  });

  it('a gap slightly over a whole multiple is one too', () => {
    const s = spacing([0, 1, 2, 5.07, 6.07]);
    expect(s.uneven).toBe(false);
    expect(s.missing).toHaveLength(1);
    expect(s.missing[0].positionsMm.map((p) => +p.toFixed(4))).toEqual([3.0233, 4.0467]);
  });

  it('the tolerance is a tenth of the median: 1.89 × is uneven, 1.91 × missing; 2.11 × uneven, 2.09 × missing', () => {
    expect(MISSING_SLICE_FRACTION).toBe(0.1);
    const at = (gap: number) => spacing([0, 1, 2, 2 + gap, 3 + gap, 4 + gap]);
    expect(at(1.89).uneven).toBe(true);
    expect(at(1.89).missing).toEqual([]);
    expect(at(1.91).uneven).toBe(false);
    expect(at(1.91).missing).toHaveLength(1);
    expect(at(2.09).missing).toHaveLength(1);
    expect(at(2.11).missing).toEqual([]);
    expect(at(2.11).uneven).toBe(true);
  });

  it('a step of about 1.5 × the median is uneven, never a missing slice', () => {
    const s = spacing([0, 1, 2, 3.5, 4.5, 5.5]);
    expect(s.missing).toEqual([]);
    expect(s.uneven).toBe(true);
  });

  it('uneven means more than 1 % off the median', () => {
    expect(UNEVEN_SPACING_FRACTION).toBe(0.01);
    expect(spacing([0, 10, 20, 30.09, 40.09]).uneven).toBe(false);
    expect(spacing([0, 10, 20, 30.11, 40.11]).uneven).toBe(true);
    expect(spacing([0, 10, 20, 29.89, 39.89]).uneven).toBe(true);
  });

  it('the median of an even count of steps is the mean of the middle two', () => {
    const s = spacing([0, 1, 2.02, 3.04, 4.04]); // steps 1, 1.02, 1.02, 1 → median 1.01
    expect(s.medianStepMm).toBeCloseTo(1.01, 12);
    expect(s.uneven).toBe(false);
    expect(s.minStepMm).toBe(1);
    expect(s.maxStepMm).toBeCloseTo(1.02, 12);
  });

  it('uneven steps and a missing slice together: the range leaves the gap out, the uneven warning comes first', () => {
    // Steps 2, 2, 4 (a missing slice), 2, 2.5, 2, 3 → median 2; uneven at 2.5 and (worst) 3.
    const s = spacing([0, 2, 4, 8, 10, 12.5, 14.5, 17.5]);
    expect(s.missing).toEqual([{ afterSlice: 2, positionsMm: [6] }]);
    expect(s.uneven).toBe(true);
    expect(s.warnings).toEqual([
      'slice spacing varies from 2.00 to 3.00 mm (median 2.00 mm) between slices 7 and 8 and at 1 other place',
      'a slice is missing at 6.00 mm along the normal (between slices 3 and 4)',
    ]);
    expect(s.maxStepMm).toBe(4);
  });

  it('names several other uneven places in the plural; the worst may come first', () => {
    const s = spacing([0, 3, 5, 7.5, 9.5, 12, 14, 16, 18]); // steps 3, 2, 2.5, 2, 2.5, 2, 2, 2
    expect(s.warnings).toEqual(['slice spacing varies from 2.00 to 3.00 mm (median 2.00 mm) between slices 1 and 2 and at 2 other places']);
  });

  it('two slices: one step, its own median', () => {
    const s = spacing([3, 5.5]);
    expect(s).toEqual({ medianStepMm: 2.5, minStepMm: 2.5, maxStepMm: 2.5, missing: [], uneven: false, warnings: [] });
  });

  it('positions closer than the same-position tolerance are duplicates; a little more apart is a step', () => {
    expect(SAME_POSITION_TOLERANCE_MM).toBe(1e-3);
    const dup = sliceSpacing([0, 0.0009, 1]);
    expect(dup.kind === 'error' && dup.code).toBe('bad-dims');
    expect(dup.kind === 'error' && dup.message).toMatch(/Slices 1 and 2 are both at 0\.00 mm/);
    expect(sliceSpacing([0, 0.0011, 0.0022]).kind).toBe('ok');
    expect(sliceSpacing([0, 0.001, 0.002]).kind).toBe('error');
    const inf = sliceSpacing([0, Infinity]);
    expect(inf.kind === 'error' && inf.code).toBe('bad-header');
    expect(inf.kind === 'error' && inf.message).toMatch(/^Slice 2 has no usable position along the slice normal \(Infinity\)/);
  });

  it('the first position may be the unusable one', () => {
    const r = sliceSpacing([NaN, 1, 2]);
    expect(r.kind === 'error' && [r.code, r.message]).toEqual(['bad-header', 'Slice 1 has no usable position along the slice normal (NaN).']);
  });

  it('both tolerances include their bound: a gap exactly a tenth of the median off is missing, a step exactly 1 % off is even', () => {
    // Median 2.5 mm; a 5.25 mm gap is 0.25 mm (exactly a tenth of 2.5) past two steps.
    const gap = spacing([0, 2.5, 5, 10.25, 12.75]);
    expect(gap.missing).toEqual([{ afterSlice: 2, positionsMm: [7.625] }]);
    expect(gap.uneven).toBe(false);
    // Median 100 mm; a 101 mm step is exactly 1 % off.
    expect(spacing([0, 100, 200, 301, 401]).uneven).toBe(false);
    expect(spacing([0, 100, 200, 301.5, 401.5]).uneven).toBe(true);
  });

  it('of two equally uneven steps the first is named', () => {
    const s = spacing([0, 1, 2, 3, 4.5, 5.5, 6.5, 8, 9]); // steps 1, 1, 1, 1.5, 1, 1, 1.5, 1
    expect(s.warnings).toEqual(['slice spacing varies from 1.00 to 1.50 mm (median 1.00 mm) between slices 4 and 5 and at 1 other place']);
  });
});
