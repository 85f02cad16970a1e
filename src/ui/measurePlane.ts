// How the Measure panel names the plane a measurement was drawn on: its pane's name on the patient
// axes; on a turned plane "oblique (coronal)" with the plane's normal in world RAS, so a list of
// measurements tells a turned coronal ROI from a plain coronal one.
import { measurementAxes } from '../state/measurements';
import type { Measurement, Vec3 } from '../state/viewerStore';

/** The patient axis each pane looks along (its normal on the patient axes). */
const PATIENT_NORMAL = { axial: 2, coronal: 1, sagittal: 0 } as const;

export interface PlaneLabel {
  /** "axial", or "oblique (axial)" on a turned plane. */
  text: string;
  /** Turned planes only: the normal (R, A, S components, unit length) as shown, e.g. "(0.50, 0.87, 0.00)". */
  normal?: string;
  /** The tooltip: what the label means. */
  title: string;
}

/**
 * A measurement's plane for the list. Oblique where its normal leaves the pane's patient axis (a
 * plane turned only about its own normal is the same plane, its in-plane axes turned: not oblique).
 */
export function measurementPlaneLabel(m: Pick<Measurement, 'plane' | 'axes'>): PlaneLabel {
  const normal: Vec3 = measurementAxes(m).normal;
  const along = Math.abs(normal[PATIENT_NORMAL[m.plane]]) / Math.hypot(...normal);
  if (!m.axes || along > 1 - 1e-9) return { text: m.plane, title: `Drawn on the ${m.plane} plane (patient axes)` };
  const shown = `(${normal.map((c) => (Math.abs(c) < 0.005 ? 0 : c).toFixed(2)).join(', ')})`;
  return {
    text: `oblique (${m.plane})`,
    normal: shown,
    title: `Drawn on the ${m.plane} pane turned off the patient axes; the plane's normal (R, A, S) is (${normal.map((c) => c.toFixed(4)).join(', ')})`,
  };
}
