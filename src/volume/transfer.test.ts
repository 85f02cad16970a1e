import { describe, expect, it } from 'vitest';
import { colorAt, normalizeColors, normalizePoints, opacityAt, transferDomain, transferTable, windowRampPoints, type ColorPoint, type TransferPoint } from './transfer';

describe('transfer functions', () => {
  const points = normalizePoints([[100, 1], [0, 0], [50, 0.5], [NaN, 1], [200, 2]]);

  it('sorts, clamps and drops bad points', () => {
    expect(points).toEqual([[0, 0], [50, 0.5], [100, 1], [200, 1]]);
  });

  it('interpolates opacity linearly, 0 outside the points', () => {
    expect(opacityAt(points, 25)).toBeCloseTo(0.25, 9);
    expect(opacityAt(points, 75)).toBeCloseTo(0.75, 9);
    expect(opacityAt(points, -1)).toBe(0);
    expect(opacityAt(points, 201)).toBe(0);
    expect(opacityAt(points, 200)).toBe(1);
  });

  it('the table spans the points and carries the colormap', () => {
    const gray = new Uint8Array(1024).map((_, i) => (i % 4 === 3 ? 255 : i >> 2));
    const t = transferTable(points, gray);
    expect(transferDomain(points)).toEqual([0, 200]);
    expect(t[0 * 4 + 3]).toBe(0);
    expect(t[255 * 4 + 3]).toBe(255);
    expect(t[64 * 4 + 3]).toBe(Math.round(opacityAt(points, (64 / 255) * 200) * 255));
    expect(t[128 * 4]).toBe(128);
  });

  it('the generic default ramp follows the robust window', () => {
    expect(windowRampPoints([0, 100])).toEqual([[0, 0], [25, 0.02], [100, 0.35], [150, 0.8]]);
  });
});

describe('colour points', () => {
  const gray = new Uint8Array(1024).map((_, i) => (i % 4 === 3 ? 255 : i >> 2));
  const opaque: TransferPoint[] = [[0, 1], [100, 1]];
  const colors: ColorPoint[] = [[20, 1, 0, 0], [60, 0, 0, 1]];

  it('are sorted, clamped to 0…1, and dropped when not four finite numbers', () => {
    expect(normalizeColors([[60, 0, 0, 2], [20, -1, 0.5, 0], [NaN, 1, 1, 1], [5, 1, 1], [7, 1, Infinity, 1]])).toEqual([[20, 0, 0.5, 0], [60, 0, 0, 1]]);
  });

  it('ramp linearly between points and hold the end colours beyond them', () => {
    expect(colorAt(colors, 40)).toEqual([0.5, 0, 0.5]);
    expect(colorAt(colors, -1000)).toEqual([1, 0, 0]);
    expect(colorAt(colors, 1e9)).toEqual([0, 0, 1]);
    // Two points at one value: a step.
    expect(colorAt([[0, 0, 0, 0], [10, 0, 0, 0], [10, 1, 1, 1], [20, 1, 1, 1]], 10.001)).toEqual([1, 1, 1]);
  });

  it('colour the table where given, instead of the colormap; the colormap where not', () => {
    const t = transferTable(opaque, gray, colors);
    const rgb = (b: number) => [t[b * 4], t[b * 4 + 1], t[b * 4 + 2]];
    // Entry b is the value b / 255 × 100.
    expect(rgb(0)).toEqual([255, 0, 0]);
    expect(rgb(255)).toEqual([0, 0, 255]);
    const b40 = Math.round(0.4 * 255);
    const at = colorAt(colors, (b40 / 255) * 100).map((c) => Math.round(c * 255));
    expect(rgb(b40)).toEqual(at);
    expect(t[b40 * 4 + 3]).toBe(255);
    expect(Array.from(transferTable(opaque, gray, []))).toEqual(Array.from(transferTable(opaque, gray)));
    expect(rgb(128)).not.toEqual([128, 128, 128]);
  });

  it('the table spans the range that shows, and its ends stay transparent past a step', () => {
    const lung: TransferPoint[] = [[-1000, 0], [-600, 0], [-599, 0.15], [-400, 0.15], [-399, 0], [2952, 0]];
    expect(transferDomain(lung)).toEqual([-600, -399]);
    const t = transferTable(lung, gray);
    expect(t[3]).toBe(0);
    expect(t[255 * 4 + 3]).toBe(0);
    expect(t[128 * 4 + 3]).toBe(Math.round(0.15 * 255));
    // A step down at the top end (DTI-FA-Brain): the opaque side does not reach past it.
    const step: TransferPoint[] = [[0, 0], [0.5, 1], [0.995, 1], [0.995, 0], [0.995, 0]];
    expect(transferDomain(step)).toEqual([0, 0.995]);
    expect(transferTable(step, gray)[255 * 4 + 3]).toBe(0);
    // The colormap still spans the points, first to last: the middle of the lung window is a third of the way along.
    const mid = (-600 + -399) / 2;
    expect(t[128 * 4]).toBe(Math.round(((mid + 1000) / 3952) * 255));
    // Nothing opaque: the whole range.
    expect(transferDomain([[0, 0], [5, 0], [9, 0]])).toEqual([0, 9]);
  });
});
