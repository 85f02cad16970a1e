import { describe, expect, it } from 'vitest';
import { measurementPlaneLabel } from './measurePlane';
import type { Vec3 } from '../state/viewerStore';

const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);

describe('measurementPlaneLabel', () => {
  it('names a plane on the patient axes by its pane', () => {
    expect(measurementPlaneLabel({ plane: 'coronal' })).toEqual({ text: 'coronal', title: 'Drawn on the coronal plane (patient axes)' });
  });

  it('calls a turned plane oblique, with its normal', () => {
    // The coronal plane turned 30° about S: its normal R·A leans toward R.
    const axes = { u: [c, -s, 0] as Vec3, v: [0, 0, 1] as Vec3, normal: [s, c, 0] as Vec3 };
    const label = measurementPlaneLabel({ plane: 'coronal', axes });
    expect(label.text).toBe('oblique (coronal)');
    expect(label.normal).toBe('(0.50, 0.87, 0.00)');
    expect(label.title).toContain('(0.5000, 0.8660, 0.0000)');
  });

  it('keeps a negative component and rounds away a tiny one', () => {
    const axes = { u: [1, 0, 0] as Vec3, v: [0, c, s] as Vec3, normal: [0.001, -s, c] as Vec3 };
    expect(measurementPlaneLabel({ plane: 'axial', axes }).normal).toBe('(0.00, -0.50, 0.87)');
  });

  it('a plane turned only about its own normal is the same plane: not oblique', () => {
    const axes = { u: [c, s, 0] as Vec3, v: [-s, c, 0] as Vec3, normal: [0, 0, 1] as Vec3 };
    expect(measurementPlaneLabel({ plane: 'axial', axes }).text).toBe('axial');
    expect(measurementPlaneLabel({ plane: 'sagittal', axes: { u: [0, c, s], v: [0, -s, c], normal: [-1, 0, 0] } }).text).toBe('sagittal');
  });
});
