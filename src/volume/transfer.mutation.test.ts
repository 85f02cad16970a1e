// Transfer functions' edges, written against the mutants Stryker left alive in transfer.ts (issue
// 27): steps (two points at one value), exact ends, empty and single-point lists, trimming.
import { describe, expect, it } from 'vitest';
import { colorAt, normalizeColors, normalizePoints, opacityAt, transferDomain, transferTable, windowRampPoints, type ColorPoint, type TransferPoint } from './transfer';

/** A grey ramp colormap: entry m is (m, m, m, 255). */
const ramp = Uint8Array.from({ length: 1024 }, (_, n) => (n % 4 === 3 ? 255 : Math.floor(n / 4)));

describe('transfer functions', () => {
  it('the window ramp spreads over the window’s width', () => {
    expect(windowRampPoints([10, 30])).toEqual([[10, 0], [15, 0.02], [30, 0.35], [40, 0.8]]);
  });

  it('normalising sorts, clamps and drops non-finite or short points', () => {
    expect(normalizePoints([[3, 0.5], [1, 2], [NaN, 1], [2, NaN], [5], [0, -1]])).toEqual([[0, 0], [1, 1], [3, 0.5]]);
    expect(normalizeColors([[5, 1, 1, 1], [1, 0, 2, 0], [2, 0, NaN, 0], [3, 0, 0], [Infinity, 0, 0, 0]])).toEqual([[1, 0, 1, 0], [5, 1, 1, 1]]);
  });

  it('opacity: the first point’s own value, the near side of a step at its value, 0 with no points', () => {
    expect(opacityAt([[0, 0.5], [10, 1]], 0)).toBe(0.5);
    const step: TransferPoint[] = [[0, 0], [5, 0.2], [5, 0.8], [10, 1]];
    expect(opacityAt(step, 5)).toBeCloseTo(0.2, 12);
    expect(opacityAt([[0, 0], [0, 1], [10, 1]], 0)).toBe(1);
    expect(opacityAt([], 5)).toBe(0);
  });

  it('colour: a step at the first value, a step inside, every channel interpolated, black with no points', () => {
    const red: ColorPoint = [0, 1, 0, 0];
    expect(colorAt([red, [0, 0, 1, 0], [10, 0, 0, 1]], 0)).toEqual([1, 0, 0]);
    expect(colorAt([[0, 0, 0, 0], [5, 1, 0, 0], [5, 0, 1, 0], [10, 0, 0, 1]], 5)).toEqual([1, 0, 0]);
    expect(colorAt([[0, 0, 0, 0], [10, 1, 0.5, 0.25]], 5)).toEqual([0.5, 0.25, 0.125]);
    expect(colorAt([], 3)).toEqual([0, 0, 0]);
  });

  it('the domain drops transparent runs at both ends, keeps all-transparent lists whole, and is never empty', () => {
    expect(transferDomain([[0, 0], [1, 0], [2, 0], [3, 0.5], [4, 0], [5, 0], [6, 0]])).toEqual([2, 4]);
    expect(transferDomain([[0, 0], [1, 0], [2, 0]])).toEqual([0, 2]);
    expect(transferDomain([[7, 0.5]])).toEqual([7, 8]);
    // A run is two transparent points in a row at an end; one transparent point between opaque ones is no run.
    expect(transferDomain([[0, 0.5], [1, 0], [2, 0.7]])).toEqual([0, 2]);
    expect(transferDomain([[0, 0], [1, 0.5], [2, 1]])).toEqual([0, 2]);
    expect(transferDomain([[0, 1], [1, 0.5], [2, 0]])).toEqual([0, 2]);
    expect(transferDomain([])).toEqual([0, 1]);
  });

  it('the table: no points, one point, green from colour points, and the ends made transparent only on a transparent point', () => {
    const none = transferTable([], ramp);
    expect(none.length).toBe(1024);
    expect([...none.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...none.subarray(1020)]).toEqual([255, 255, 255, 0]);
    // One point: opaque at its value, transparent past it; the colormap spans [5, 6].
    const one = transferTable([[5, 1]], ramp);
    expect([...one.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
    expect(one[7]).toBe(0);
    expect(opacityAt([[5, 1]], 5)).toBe(1);
    expect([...one.subarray(512, 515)]).toEqual([128, 128, 128]);
    const green = transferTable([[0, 1], [10, 1]], ramp, [[0, 0, 0, 0], [10, 0, 1, 0]]);
    expect([green[4 * 51], green[4 * 51 + 1], green[4 * 51 + 2], green[4 * 51 + 3]]).toEqual([0, 51, 0, 255]);
    // A step up at the start: the first entry is transparent, the next opaque.
    const stepUp = transferTable([[0, 0], [0, 1], [10, 1]], ramp);
    expect([stepUp[3], stepUp[7], stepUp[1023]]).toEqual([0, 255, 255]);
    // An opaque first point keeps its first entry.
    expect(transferTable([[0, 1], [10, 1]], ramp)[3]).toBe(255);
    const stepDown = transferTable([[0, 1], [10, 1], [10, 0]], ramp);
    expect([stepDown[3], stepDown[1023]]).toEqual([255, 0]);
  });
});
