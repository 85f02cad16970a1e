import { describe, expect, it } from 'vitest';
import { transformPoint } from '../../volume/affine';
import { clipToWorld, directionLetter, fitView, screenToWorld, worldToScreen } from './sliceGeometry';

const bounds = { lo: [-90, -126, -72] as [number, number, number], hi: [90, 90, 108] as [number, number, number] };

describe('slice geometry', () => {
  it('radiological axial: patient right on screen left, anterior up', () => {
    const v = fitView('axial', 'radiological', bounds, [0, 0, 10], 200, 200);
    expect(directionLetter(v.frame.right)).toBe('L');
    expect(directionLetter(v.frame.up)).toBe('A');
    const left = screenToWorld(v, 0, 100);
    const right = screenToWorld(v, 200, 100);
    expect(left[0]).toBeGreaterThan(right[0]); // screen left is more Right (+x)
    expect(left[2]).toBe(10);
  });

  it('neurological flips left-right only', () => {
    const v = fitView('axial', 'neurological', bounds, [0, 0, 0], 200, 100);
    expect(directionLetter(v.frame.right)).toBe('R');
  });

  it('screen ↔ world round trip and the shader matrix agree', () => {
    const v = fitView('coronal', 'radiological', bounds, [0, 12, 0], 320, 240, 1.7, [5, -3]);
    const w = screenToWorld(v, 37.5, 190.5);
    const [px, py] = worldToScreen(v, w);
    expect(px).toBeCloseTo(37.5, 9);
    expect(py).toBeCloseTo(190.5, 9);
    const u = (37.5 / 320) * 2 - 1, t = 1 - (190.5 / 240) * 2;
    transformPoint(clipToWorld(v), [u, t, 0]).forEach((c, i) => expect(c).toBeCloseTo(w[i], 9));
  });

  it('fits the whole bounding box with square pixels', () => {
    const v = fitView('axial', 'radiological', bounds, [0, 0, 0], 400, 200);
    expect(v.halfWidthMm / v.halfHeightMm).toBeCloseTo(2, 9);
    expect(v.halfHeightMm * 2).toBeGreaterThanOrEqual(216);
  });
});
