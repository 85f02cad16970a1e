import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../state/viewerStore';
import { draggedPoints, grabAt, moveHandle, onSlice } from './measureHandles';

/** Screen = world x, y (1 px per mm). */
const screen = (w: Vec3): [number, number] => [w[0], w[1]];
const line = { id: 'l', kind: 'line' as const, points: [[0, 0, 0], [100, 0, 0]] as Vec3[] };
const ellipse = { id: 'e', kind: 'ellipse' as const, points: [[200, 0, 0], [300, 100, 0]] as Vec3[] };
const rect = { id: 'r', kind: 'rectangle' as const, points: [[0, 200, 0], [100, 300, 0]] as Vec3[] };
const angle = { id: 'a', kind: 'angle' as const, points: [[0, 400, 0], [30, 430, 0], [60, 400, 0]] as Vec3[] };
const all = [line, ellipse, rect, angle];

describe('grabAt', () => {
  it('grabs the nearest point handle within reach', () => {
    expect(grabAt(all, screen, [99, 2])).toEqual({ id: 'l', point: 1 });
    expect(grabAt(all, screen, [3, -3])).toEqual({ id: 'l', point: 0 });
    expect(grabAt(all, screen, [29, 428])).toEqual({ id: 'a', point: 1 });
    expect(grabAt(all, screen, [301, 99])).toEqual({ id: 'e', point: 1 });
  });
  it('grabs the move handle: a line’s middle, an ROI’s centre, an angle’s centroid', () => {
    expect(grabAt(all, screen, [50, 1])).toEqual({ id: 'l', move: true });
    expect(grabAt(all, screen, [250, 50])).toEqual({ id: 'e', move: true });
    expect(grabAt(all, screen, [50, 250])).toEqual({ id: 'r', move: true });
    expect(grabAt(all, screen, [30, 410])).toEqual({ id: 'a', move: true });
  });
  it('selects by the outline, and nothing away from it', () => {
    expect(grabAt(all, screen, [25, 1])).toEqual({ id: 'l', select: true });
    expect(grabAt(all, screen, [25, 8])).toBeNull();
    expect(grabAt(all, screen, [250, 1])).toEqual({ id: 'e', select: true }); // the ellipse's top
    expect(grabAt(all, screen, [225, 25])).toBeNull(); // inside, off the boundary
    expect(grabAt(all, screen, [0, 240])).toEqual({ id: 'r', select: true }); // the rectangle's left edge
    expect(grabAt(all, screen, [20, 240])).toBeNull();
    expect(grabAt(all, screen, [15, 415])).toEqual({ id: 'a', select: true });
  });
  it('prefers the measurement drawn last where two overlap', () => {
    const twin = { ...line, id: 'l2' };
    expect(grabAt([line, twin], screen, [100, 0])).toEqual({ id: 'l2', point: 1 });
  });
});

describe('draggedPoints', () => {
  const from: Vec3[] = [[0, 0, 5], [10, 0, 5]];
  it('moves one point, or all of them, by the drag', () => {
    expect(draggedPoints(from, { id: 'l', point: 1 }, [2, 3, 0])).toEqual([[0, 0, 5], [12, 3, 5]]);
    expect(draggedPoints(from, { id: 'l', move: true }, [2, 3, 0])).toEqual([[2, 3, 5], [12, 3, 5]]);
    expect(draggedPoints(from, { id: 'l', select: true }, [2, 3, 0])).toEqual(from);
  });
});

describe('moveHandle and onSlice', () => {
  it('puts the move handle at the middle or centroid', () => {
    expect(moveHandle('line', [[0, 0], [10, 20]])).toEqual([5, 10]);
    expect(moveHandle('angle', [[0, 0], [3, 3], [6, 0]])).toEqual([3, 1]);
  });
  it('shows a measurement on its plane within the tolerance only', () => {
    const m = { kind: 'line' as const, plane: 'axial' as const, points: [[0, 0, 5], [1, 1, 5.4]] as Vec3[] };
    expect(onSlice(m, 'axial', [0, 0, 1], [9, 9, 5], 0.5)).toBe(true);
    expect(onSlice(m, 'axial', [0, 0, 1], [9, 9, 4.8], 0.5)).toBe(false);
    expect(onSlice(m, 'coronal', [0, 0, 1], [9, 9, 5], 0.5)).toBe(false);
  });

  it('on turned planes: the points within the tolerance of the plane through the crosshair, along its normal', () => {
    // The axial plane turned 30° about R: normal (0, −sin 30°, cos 30°) through the origin.
    const s = Math.sin(Math.PI / 6), c = Math.cos(Math.PI / 6);
    const n = [0, -s, c];
    const inPlane = (y: number, x = 0): Vec3 => [x, y * c, y * s];
    const line = { kind: 'line' as const, plane: 'axial' as const, points: [inPlane(-10), inPlane(10, 3)] };
    expect(onSlice(line, 'axial', n, [0, 0, 0], 0.5)).toBe(true);
    // Turned back to the patient axes, the line tilts 5 mm out of the plane at its ends.
    expect(onSlice(line, 'axial', [0, 0, 1], [0, 0, 0], 0.5)).toBe(false);
    // Paged 0.6 mm along the normal: off; 0.4 mm: still on.
    expect(onSlice(line, 'axial', n, [0, -0.6 * s, 0.6 * c], 0.5)).toBe(false);
    expect(onSlice(line, 'axial', n, [0, -0.4 * s, 0.4 * c], 0.5)).toBe(true);
    // An ROI's box corners count, not only its two drawn corners: a box on the patient plane z = 0
    // from (−10, −4, 0) to (10, 4, 0), and a plane through both drawn corners but not the other two.
    const flat = { kind: 'rectangle' as const, plane: 'axial' as const, points: [[-10, -4, 0], [10, 4, 0]] as Vec3[] };
    const tilt = [-0.8, 2, 1].map((x) => x / Math.hypot(0.8, 2, 1));
    expect(onSlice({ ...flat, kind: 'line' }, 'axial', tilt, [0, 0, 0], 0.5)).toBe(true);
    expect(onSlice(flat, 'axial', tilt, [0, 0, 0], 0.5)).toBe(false);
    expect(onSlice(flat, 'axial', [0, 0, 1], [0, 0, 0], 0.5)).toBe(true);
    const turned = { ...flat, points: [inPlane(-4, -10), inPlane(4, 10)], axes: { u: [1, 0, 0] as Vec3, v: inPlane(1), normal: n as Vec3 } };
    expect(onSlice(turned, 'axial', n, [0, 0, 0], 0.5)).toBe(true);
    expect(onSlice(turned, 'axial', [0, 0, 1], [0, 0, 0], 0.5)).toBe(false);
  });
});
