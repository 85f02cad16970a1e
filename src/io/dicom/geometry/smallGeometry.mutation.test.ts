// The small DICOM geometry helpers at their tolerances (issue 27: mutation testing).
import { describe, expect, it } from 'vitest';
import { gantryTilt, GANTRY_TILT_TOLERANCE_DEGREES } from './gantryTilt';
import { isSameOrientation, SAME_ORIENTATION_TOLERANCE_DEGREES } from './isSameOrientation';
import { OBLIQUE_THRESHOLD_DEGREES, planeOrientationName } from './planeOrientationName';
import { ORTHOGONALITY_TOLERANCE, rowColumnDirections } from './rowColumnDirections';
import { sliceNormal } from './sliceNormal';
import type { Orientation } from '../types';
import { angleDegrees, cross, dot, isFiniteVec3, length, normalize, subtract } from './vector3';

const deg = Math.PI / 180;
const AXIAL: Orientation = [1, 0, 0, 0, 1, 0];

describe('vector3', () => {
  it('dot, cross, subtract, length, normalize, angle', () => {
    expect(dot([1, 2, 3], [4, -5, 6])).toBe(12);
    expect(cross([1, 2, 3], [4, 5, 6])).toEqual([-3, 6, -3]);
    expect(subtract([5, 7, 9], [1, 2, 3])).toEqual([4, 5, 6]);
    expect(length([2, 3, 6])).toBe(7);
    expect(normalize([0, 3, 4])).toEqual([0, 0.6, 0.8]);
    expect(normalize([0, 0, 0])).toBeNull();
    expect(normalize([Infinity, 0, 0])).toBeNull();
    expect(normalize([NaN, 1, 0])).toBeNull();
    expect(angleDegrees([1, 0, 0], [0, 1, 0])).toBeCloseTo(90, 12);
    expect(angleDegrees([1, 0, 0], [-1, 0, 0])).toBeCloseTo(180, 12);
    expect(angleDegrees([1, 0, 0], [1, 1e-9, 0])).toBeCloseTo(1e-9 / deg, 15);
    expect(angleDegrees([2, 0, 0], [1, 1, 0])).toBeCloseTo(45, 12);
  });

  it('isFiniteVec3 wants three finite numbers', () => {
    expect(isFiniteVec3([1, 2, 3])).toBe(true);
    expect(isFiniteVec3(undefined)).toBe(false);
    expect(isFiniteVec3([1, 2])).toBe(false);
    expect(isFiniteVec3([1, 2, 3, 4])).toBe(false);
    expect(isFiniteVec3([NaN, 2, 3])).toBe(false);
    expect(isFiniteVec3([1, Infinity, 3])).toBe(false);
    expect(isFiniteVec3([1, 2, -Infinity])).toBe(false);
  });
});

describe('rowColumnDirections and sliceNormal', () => {
  it('normalises rounded cosines; refuses short, non-finite, zero or non-perpendicular ones', () => {
    expect(rowColumnDirections([2, 0, 0, 0, 0, -3])).toEqual({ row: [1, 0, 0], column: [0, 0, -1] });
    expect(rowColumnDirections([1, 0, 0, 0, 1])).toBeNull();
    expect(rowColumnDirections([1, 0, 0, 0, 1, 0, 0])).toBeNull();
    expect(rowColumnDirections([1, 0, NaN, 0, 1, 0])).toBeNull();
    expect(rowColumnDirections([0, 0, 0, 0, 1, 0])).toBeNull();
    expect(rowColumnDirections([1, 0, 0, 0, 0, 0])).toBeNull();
    expect(ORTHOGONALITY_TOLERANCE).toBe(1e-3);
    expect(rowColumnDirections([1, 0, 0, 0.0009, 1, 0])).not.toBeNull();
    expect(rowColumnDirections([1, 0, 0, 0.0011, 1, 0])).toBeNull();
    expect(rowColumnDirections([1, 0, 0, -0.0011, 1, 0])).toBeNull();
  });

  it('the normal is row × column, unit length', () => {
    expect(sliceNormal([1, 0, 0, 0, 1, 0])).toEqual([0, 0, 1]);
    expect(sliceNormal([0, 1, 0, 0, 0, -1])).toEqual([-1, 0, 0]);
    expect(sliceNormal([1, 0, 0, 0, 0, -1])!.map((v) => v + 0)).toEqual([0, 1, 0]);
    expect(sliceNormal([1, 0, 0, 1, 0, 0])).toBeNull();
  });
});

describe('isSameOrientation', () => {
  const turned = (degrees: number) => [Math.cos(degrees * deg), Math.sin(degrees * deg), 0, -Math.sin(degrees * deg), Math.cos(degrees * deg), 0];
  it('row and column each within 0.5°', () => {
    expect(SAME_ORIENTATION_TOLERANCE_DEGREES).toBe(0.5);
    expect(isSameOrientation(AXIAL, turned(0.49))).toBe(true);
    expect(isSameOrientation(AXIAL, turned(0.51))).toBe(false);
    // The same normal, flipped in plane: not the same voxel axes.
    expect(isSameOrientation(AXIAL, [-1, 0, 0, 0, -1, 0])).toBe(false);
    // Row agrees, column does not.
    expect(isSameOrientation([1, 0, 0, 0, 1, 0], [1, 0, 0, 0, Math.cos(deg), Math.sin(deg)])).toBe(false);
    // Column agrees, row does not.
    expect(isSameOrientation([1, 0, 0, 0, 1, 0], [Math.cos(deg), 0, Math.sin(deg), 0, 1, 0])).toBe(false);
    expect(isSameOrientation(AXIAL, [0, 0, 0, 0, 1, 0])).toBe(false);
    expect(isSameOrientation([1, 0, 0, 1, 0, 0], AXIAL)).toBe(false);
  });
});

describe('planeOrientationName', () => {
  it('names each axis (either sign) within 10°, else oblique after the nearest', () => {
    expect(OBLIQUE_THRESHOLD_DEGREES).toBe(10);
    expect(planeOrientationName([0, 0, 1])).toBe('axial');
    expect(planeOrientationName([0, 0, -1])).toBe('axial');
    expect(planeOrientationName([1, 0, 0])).toBe('sagittal');
    expect(planeOrientationName([0, -1, 0])).toBe('coronal');
    expect(planeOrientationName([0, Math.sin(9.9 * deg), Math.cos(9.9 * deg)])).toBe('axial');
    expect(planeOrientationName([0, Math.sin(10.1 * deg), Math.cos(10.1 * deg)])).toBe('oblique axial');
    expect(planeOrientationName([Math.cos(30 * deg), 0, Math.sin(30 * deg)])).toBe('oblique sagittal');
    expect(planeOrientationName([0, Math.cos(40 * deg), -Math.sin(40 * deg)])).toBe('oblique coronal');
    // Exactly between two axes: the first in the list (sagittal, coronal, axial) wins.
    expect(planeOrientationName([Math.SQRT1_2, Math.SQRT1_2, 0])).toBe('oblique sagittal');
    expect(planeOrientationName([0, Math.SQRT1_2, Math.SQRT1_2])).toBe('oblique coronal');
  });
});

describe('gantryTilt', () => {
  it('the angle between the normal and the first-to-last line, either way round, warned past 0.1°', () => {
    expect(GANTRY_TILT_TOLERANCE_DEGREES).toBe(0.1);
    const straight = gantryTilt(AXIAL, [0, 0, 0], [0, 0, 50]);
    expect(straight).toEqual({ degrees: 0, warning: null });
    const t = Math.tan(20 * deg) * 50;
    const tilted = gantryTilt(AXIAL, [0, 0, 0], [0, t, 50])!;
    expect(tilted.degrees).toBeCloseTo(20, 9);
    expect(tilted.warning).toBe('the slices are tilted by 20.00° from their normal (gantry tilt): the volume is sheared; Voxlens places every slice at its recorded position, so positions and distances stay exact');
    expect(gantryTilt(AXIAL, [0, t, 50], [0, 0, 0])!.degrees).toBeCloseTo(20, 9);
    expect(gantryTilt(AXIAL, [0, 0, 0], [0, Math.tan(0.09 * deg) * 50, 50])!.warning).toBeNull();
    expect(gantryTilt(AXIAL, [0, 0, 0], [0, Math.tan(0.11 * deg) * 50, 50])!.warning).not.toBeNull();
    expect(gantryTilt(AXIAL, [1, 2, 3], [1, 2, 3])).toEqual({ degrees: 0, warning: null });
    expect(gantryTilt([1, 0, 0, 1, 0, 0], [0, 0, 0], [0, 0, 1])).toBeNull();
    expect(gantryTilt(AXIAL, [NaN, 0, 0], [0, 0, 1])).toBeNull();
    expect(gantryTilt(AXIAL, [0, 0, 0], [0, Infinity, 1])).toBeNull();
  });
});
