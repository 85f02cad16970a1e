import { fail, ok, type Result } from '../../errors';
import { SAME_POSITION_TOLERANCE_MM } from './sortPlanesByPosition';

/** A step may differ from the median by this fraction before the spacing counts as uneven. */
export const UNEVEN_SPACING_FRACTION = 0.01;
/** A step within this fraction of the median from a whole multiple (≥ 2) of it is a gap of missing slices. */
export const MISSING_SLICE_FRACTION = 0.1;

export interface MissingSlices {
  /** Index (k, from 0) of the slice before the gap. */
  afterSlice: number;
  /** Where the missing slices would be along the normal (mm), spread evenly over the gap. */
  positionsMm: number[];
}

export interface SliceSpacing {
  /** Median step between neighbouring slices (mm); null for a single slice. */
  medianStepMm: number | null;
  /** Smallest and largest step (mm), gaps of missing slices included; null for a single slice. */
  minStepMm: number | null;
  maxStepMm: number | null;
  /** Gaps that are whole multiples of the median: slices missing from the series. */
  missing: MissingSlices[];
  /** True when some step (not a missing-slice gap) differs from the median by more than 1 %. */
  uneven: boolean;
  /** Sentences for the user, one per problem: uneven spacing, each gap of missing slices. */
  warnings: string[];
}

const mm = (v: number) => v.toFixed(2);

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The steps between slice positions along the normal (ascending, one per distinct position, as
 * sortPlanesByPosition returns them): their median, and what is wrong with them. Messages count
 * slices from 1, as a slice counter on screen does; `afterSlice` counts from 0 like k.
 *
 * - A step close to a whole multiple m ≥ 2 of the median (within 10 % of the median): m − 1 slices
 *   are missing there; reported by their positions.
 * - Any other step differing from the median by more than 1 %: uneven spacing; one warning with
 *   the range, the median and the worst place.
 *
 * Errors: no positions (bad-dims), a non-finite position (bad-header), a zero or negative step
 * (bad-dims: duplicated images, or positions not sorted ascending).
 */
export function sliceSpacing(positionsMm: readonly number[]): Result<SliceSpacing> {
  if (positionsMm.length === 0) return fail('bad-dims', 'The DICOM series has no slice positions.');
  const bad = positionsMm.findIndex((p) => !Number.isFinite(p));
  if (bad >= 0) return fail('bad-header', `Slice ${bad + 1} has no usable position along the slice normal (${positionsMm[bad]}).`);
  if (positionsMm.length === 1) return ok({ medianStepMm: null, minStepMm: null, maxStepMm: null, missing: [], uneven: false, warnings: [] });

  const steps = positionsMm.slice(1).map((p, i) => p - positionsMm[i]);
  for (const [i, step] of steps.entries()) {
    const [a, b] = [positionsMm[i], positionsMm[i + 1]];
    if (Math.abs(step) <= SAME_POSITION_TOLERANCE_MM)
      return fail('bad-dims', `Slices ${i + 1} and ${i + 2} are both at ${mm(a)} mm along the slice normal: duplicated images, or echoes or time points that were not grouped.`);
    // Stryker disable next-line EqualityOperator: a zero step was refused just above, so < 0 and <= 0 agree
    if (step < 0)
      return fail('bad-dims', `Slice positions are not in ascending order: slice ${i + 2} (${mm(b)} mm) follows slice ${i + 1} (${mm(a)} mm) along the slice normal.`);
  }

  const med = median(steps);
  const missing: MissingSlices[] = [];
  const warnings: string[] = [];
  const unevenAt: number[] = [];
  steps.forEach((step, i) => {
    const multiple = Math.round(step / med);
    if (multiple >= 2 && Math.abs(step - multiple * med) <= MISSING_SLICE_FRACTION * med) {
      const positions = Array.from({ length: multiple - 1 }, (_, j) => positionsMm[i] + ((j + 1) * step) / multiple);
      missing.push({ afterSlice: i, positionsMm: positions });
      const where = `between slices ${i + 1} and ${i + 2}`;
      warnings.push(
        positions.length === 1
          ? `a slice is missing at ${mm(positions[0])} mm along the normal (${where})`
          : `${positions.length} slices are missing at ${positions.map(mm).join(', ')} mm along the normal (${where})`,
      );
    } else if (Math.abs(step - med) > UNEVEN_SPACING_FRACTION * med) unevenAt.push(i);
  });

  if (unevenAt.length > 0) {
    // Name the worst step; the range covers every step that is not a gap of missing slices.
    const regular = steps.filter((_, i) => !missing.some((m) => m.afterSlice === i));
    const worst = unevenAt.reduce((w, i) => (Math.abs(steps[i] - med) > Math.abs(steps[w] - med) ? i : w));
    const others = unevenAt.length - 1;
    warnings.unshift(
      `slice spacing varies from ${mm(Math.min(...regular))} to ${mm(Math.max(...regular))} mm (median ${mm(med)} mm) between slices ${worst + 1} and ${worst + 2}` +
        (others > 0 ? ` and at ${others} other place${others > 1 ? 's' : ''}` : ''),
    );
  }
  return ok({ medianStepMm: med, minStepMm: Math.min(...steps), maxStepMm: Math.max(...steps), missing, uneven: unevenAt.length > 0, warnings });
}
