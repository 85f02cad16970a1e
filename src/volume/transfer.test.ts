import { describe, expect, it } from 'vitest';
import { normalizePoints, opacityAt, transferDomain, nextOpaqueRow, transferTable, TRANSFER_PRESETS } from './transfer';

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

  it('MR default follows the robust window; CT presets are in HU', () => {
    const mr = TRANSFER_PRESETS.find((p) => p.name === 'MR default')!.points([0, 100]);
    expect(mr[0]).toEqual([0, 0]);
    expect(TRANSFER_PRESETS.find((p) => p.name === 'CT bone')!.points([0, 1])[0][0]).toBe(150);
  });
});

it('the skip row names the first opaque bin at or after each bin', () => {
  const table = new Uint8Array(256 * 4);
  table[10 * 4 + 3] = 1;
  table[200 * 4 + 3] = 255;
  const next = nextOpaqueRow(table);
  const at = (b: number) => next[b * 4];
  expect([at(0), at(10), at(11), at(200), at(201), at(255)]).toEqual([10, 10, 200, 200, 255, 255]);
  // 255 is "none" unless bin 255 is itself opaque: the shader checks that bin's opacity.
  table[255 * 4 + 3] = 9;
  expect(nextOpaqueRow(table)[201 * 4]).toBe(255);
});
