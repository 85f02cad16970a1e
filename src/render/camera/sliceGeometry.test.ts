import { describe, expect, it } from 'vitest';
import { transformPoint } from '../../volume/affine';
import { applyMat3, cross3, dot3, multiplyMat3, rotationAbout } from '../../state/orientation';
import { clipToWorld, directionLabel, directionLetter, fitView, planeFrame, screenToWorld, worldToScreen } from './sliceGeometry';

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

describe('oblique slice geometry', () => {
  const deg = Math.PI / 180;
  it('the identity rotation is the patient frame exactly', () => {
    for (const p of ['axial', 'coronal', 'sagittal'] as const) {
      const a = planeFrame(p, 'radiological');
      const b = planeFrame(p, 'radiological', rotationAbout([0, 0, 1], 0));
      expect(b.right.map((v, i) => v - a.right[i]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
      expect(b.up.map((v, i) => v - a.up[i]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    }
  });

  it('every pane: an orthonormal frame with the normal R applied to its patient axis, and the convention kept', () => {
    const r = multiplyMat3(rotationAbout([0, 0, 1], 25 * deg), rotationAbout([1, 0, 0], -35 * deg));
    for (const p of ['axial', 'coronal', 'sagittal'] as const) {
      for (const c of ['radiological', 'neurological'] as const) {
        const f = planeFrame(p, c, r);
        const e: [number, number, number] = [0, 0, 0];
        e[f.normalAxis] = 1;
        applyMat3(r, e).forEach((v, i) => expect(f.normal[i]).toBeCloseTo(v, 12));
        expect(dot3(f.right, f.up)).toBeCloseTo(0, 12);
        expect(dot3(f.right, f.normal)).toBeCloseTo(0, 12);
        expect(dot3(f.up, f.normal)).toBeCloseTo(0, 12);
        // Same handedness as the unrotated pane: right × up points the same way along the normal.
        const f0 = planeFrame(p, c);
        const e0: [number, number, number] = [0, 0, 0];
        e0[f0.normalAxis] = 1;
        expect(Math.sign(dot3(cross3(f.right, f.up), f.normal))).toBe(Math.sign(dot3(cross3(f0.right, f0.up), e0)));
      }
    }
  });

  it("turning about a pane's own normal leaves its image still", () => {
    const r = rotationAbout([0, 0, 1], 40 * deg);
    const f = planeFrame('axial', 'radiological', r);
    f.right.forEach((v, i) => expect(v).toBeCloseTo([-1, 0, 0][i], 12));
    expect(f.up[1]).toBeCloseTo(1, 12);
    // The coronal plane turned about S: its normal is R·A, its up still S.
    const c = planeFrame('coronal', 'radiological', r);
    expect(c.up[2]).toBeCloseTo(1, 12);
    expect(c.normal[0]).toBeCloseTo(-Math.sin(40 * deg), 12);
  });

  it('the plane passes through the crosshair; screen ↔ world round trips', () => {
    const r = multiplyMat3(rotationAbout([0, 1, 0], 30 * deg), rotationAbout([0, 0, 1], 20 * deg));
    const x: [number, number, number] = [4, -7, 11];
    const v = fitView('sagittal', 'neurological', bounds, x, 300, 200, 1.3, [4, 2], r);
    const w = screenToWorld(v, 123.5, 77.5);
    expect(dot3([w[0] - x[0], w[1] - x[1], w[2] - x[2]], v.frame.normal)).toBeCloseTo(0, 9);
    const [px, py] = worldToScreen(v, w);
    expect(px).toBeCloseTo(123.5, 9);
    expect(py).toBeCloseTo(77.5, 9);
    transformPoint(clipToWorld(v), [(123.5 / 300) * 2 - 1, 1 - (77.5 / 200) * 2, 0]).forEach((c, i) => expect(c).toBeCloseTo(w[i], 9));
  });

  it('oblique directions combine letters, strongest first', () => {
    expect(directionLabel([1, 0, 0])).toBe('R');
    expect(directionLabel([0.8, 0.6, 0])).toBe('RA');
    expect(directionLabel([-0.6, 0.8, 0])).toBe('AL');
    expect(directionLabel([0.99, 0.1, 0])).toBe('R'); // under 15°: no second letter
    expect(directionLabel([0.6, -0.6, 0.53])).toBe('RPS');
  });
});
