// Hand-made slices for the geometry tests: only the tags the functions read. Test-only.
import type { DicomPlane, Orientation, Vec3 } from '../types';

export const AXIAL: Orientation = [1, 0, 0, 0, 1, 0];
export const CORONAL: Orientation = [1, 0, 0, 0, 0, -1];
export const SAGITTAL: Orientation = [0, 1, 0, 0, 0, -1];
/** Axial rotated 30° about x (a common oblique). */
export const OBLIQUE: Orientation = [1, 0, 0, 0, Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];

export interface StackSpec {
  orientation?: Orientation;
  /** ImagePositionPatient of slice 0, LPS mm. */
  origin?: Vec3;
  /** Position step from slice to slice, LPS mm. */
  step: Vec3;
  count: number;
  rows?: number;
  columns?: number;
  pixelSpacing?: [number, number];
  /** File index of slice 0; slice k is file firstFile + k. */
  firstFile?: number;
  /** InstanceNumber of slice k (default k + 1). */
  instance?: (k: number) => number;
}

export function plane(o: Partial<DicomPlane> = {}): DicomPlane {
  return { file: 0, frame: 0, rows: 4, columns: 4, slope: 1, intercept: 0, orientation: AXIAL, pixelSpacing: [1, 1], position: [0, 0, 0], ...o };
}

/** `count` slices from `origin`, `step` apart, in acquisition order. */
export function stack(s: StackSpec): DicomPlane[] {
  const origin = s.origin ?? [0, 0, 0];
  return Array.from({ length: s.count }, (_, k) =>
    plane({
      file: (s.firstFile ?? 0) + k,
      orientation: s.orientation ?? AXIAL,
      position: [origin[0] + k * s.step[0], origin[1] + k * s.step[1], origin[2] + k * s.step[2]],
      rows: s.rows ?? 4,
      columns: s.columns ?? 4,
      pixelSpacing: s.pixelSpacing ?? [1, 1],
      instanceNumber: s.instance ? s.instance(k) : k + 1,
    }),
  );
}

/** A deterministic shuffle (LCG-driven Fisher–Yates), so failures reproduce. */
export function shuffled<T>(items: readonly T[], seed = 1): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
