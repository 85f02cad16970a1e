import { describe, expect, it } from 'vitest';
import { gantryTilt } from './gantryTilt';
import { AXIAL, CORONAL } from './planeFixtures';

const rad = (deg: number) => (deg * Math.PI) / 180;

describe('gantryTilt', () => {
  it('is 0° when the slices step along their normal', () => {
    expect(gantryTilt(AXIAL, [-100, -120, 50], [-100, -120, 72])).toEqual({ degrees: 0, warning: null });
    expect(gantryTilt(CORONAL, [0, 10, 0], [0, -30, 0])?.degrees).toBeCloseTo(0, 12);
  });

  it('measures a tilted CT stack and warns that the volume is sheared', () => {
    // Slice planes stay axial; the table moves 5 mm in z per slice while each slice shifts
    // 5·tan 20° in y: a 20° gantry tilt.
    const first: [number, number, number] = [0, 0, 0];
    const last: [number, number, number] = [0, 9 * 5 * Math.tan(rad(20)), 9 * 5];
    const tilt = gantryTilt(AXIAL, first, last);
    expect(tilt?.degrees).toBeCloseTo(20, 10);
    expect(tilt?.warning).toMatch(/20\.00°/);
    expect(tilt?.warning).toMatch(/sheared/);
    // Which end is first does not change the angle.
    expect(gantryTilt(AXIAL, last, first)?.degrees).toBeCloseTo(20, 10);
  });

  it('stays quiet up to 0.1°', () => {
    const tilt = gantryTilt(AXIAL, [0, 0, 0], [0, 100 * Math.tan(rad(0.05)), 100]);
    expect(tilt?.degrees).toBeCloseTo(0.05, 10);
    expect(tilt?.warning).toBeNull();
    expect(gantryTilt(AXIAL, [0, 0, 0], [0, 100 * Math.tan(rad(0.2)), 100])?.warning).toMatch(/0\.20°/);
  });

  it('is 0° for a single position and null for unusable tags', () => {
    expect(gantryTilt(AXIAL, [1, 2, 3], [1, 2, 3])).toEqual({ degrees: 0, warning: null });
    expect(gantryTilt([1, 0, 0, 1, 0, 0], [0, 0, 0], [0, 0, 1])).toBeNull();
    expect(gantryTilt(AXIAL, [0, NaN, 0], [0, 0, 1])).toBeNull();
    expect(gantryTilt(AXIAL, [0, 0, 0], [0, 0, Infinity])).toBeNull();
  });
});
