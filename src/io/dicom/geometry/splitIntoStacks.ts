import type { DicomPlane, Orientation, Vec3 } from '../types';
import { isSameOrientation } from './isSameOrientation';
import { planeOrientationName } from './planeOrientationName';
import { sliceNormal } from './sliceNormal';

/** Pixel spacings closer than this fraction are the same (decimal strings round differently). */
export const SAME_PIXEL_SPACING_FRACTION = 1e-4;

export interface DicomStack {
  /** For a chooser: "axial 512×512 (14 images, 0.451×0.451 mm pixels)", columns × rows. */
  description: string;
  /** Its planes, in the order given (sortPlanesByPosition orders them). */
  planes: DicomPlane[];
  /** The first plane's ImageOrientationPatient and slice normal; null when absent or unusable. */
  orientation: Orientation | null;
  normal: Vec3 | null;
  rows: number;
  columns: number;
  /** PixelSpacing [between rows, between columns] (mm), as DICOM orders it; absent when not given. */
  pixelSpacing?: [number, number];
}

const sameSpacing = (a: readonly number[] | undefined, b: readonly number[] | undefined): boolean =>
  a === undefined || b === undefined
    ? a === b
    : [0, 1].every((i) => Math.abs(a[i] - b[i]) <= SAME_PIXEL_SPACING_FRACTION * Math.max(Math.abs(a[i]), Math.abs(b[i])));

const usableOrientation = (p: DicomPlane): Orientation | null => (p.orientation && sliceNormal(p.orientation) ? p.orientation : null);

const fitsStack = (stack: DicomStack, plane: DicomPlane, orientation: Orientation | null): boolean =>
  stack.rows === plane.rows &&
  stack.columns === plane.columns &&
  sameSpacing(stack.pixelSpacing, plane.pixelSpacing) &&
  (stack.orientation === null || orientation === null ? stack.orientation === orientation : isSameOrientation(stack.orientation, orientation));

const trimmed = (v: number) => String(Number(v.toFixed(3)));

function describe(stack: DicomStack): string {
  const plane = stack.normal ? planeOrientationName(stack.normal) : 'unplaced (no orientation)';
  const count = `${stack.planes.length} image${stack.planes.length === 1 ? '' : 's'}`;
  // Width × height, the way the image appears: PixelSpacing[1] (between columns) first.
  const spacing = stack.pixelSpacing ? `, ${trimmed(stack.pixelSpacing[1])}×${trimmed(stack.pixelSpacing[0])} mm pixels` : '';
  return `${plane} ${stack.columns}×${stack.rows} (${count}${spacing})`;
}

/**
 * Splits a series into stacks that can each become one volume: same orientation (row and column
 * directions within 0.5°; see isSameOrientation), same Rows and Columns, same PixelSpacing (within
 * 0.01 %). Localizers, reformats and mixed acquisitions under one SeriesInstanceUID end up apart.
 * Planes without a usable ImageOrientationPatient form stacks of their own (normal null), so every
 * plane lands in exactly one stack.
 *
 * Stacks come largest first (most planes; ties in order of first appearance): the caller may
 * take the first or let the user choose by description. Never fails; no planes → no stacks.
 */
export function splitIntoStacks(planes: readonly DicomPlane[]): DicomStack[] {
  const stacks: DicomStack[] = [];
  for (const plane of planes) {
    const orientation = usableOrientation(plane);
    const stack = stacks.find((s) => fitsStack(s, plane, orientation));
    if (stack) stack.planes.push(plane);
    else
      stacks.push({
        // Stryker disable next-line StringLiteral: every stack's description is written below, once its planes are known
        description: '',
        planes: [plane],
        orientation,
        normal: orientation ? sliceNormal(orientation) : null,
        rows: plane.rows,
        columns: plane.columns,
        ...(plane.pixelSpacing ? { pixelSpacing: plane.pixelSpacing } : {}),
      });
  }
  for (const stack of stacks) stack.description = describe(stack);
  // Array.prototype.sort is stable, so equal sizes keep their order of first appearance.
  return stacks.sort((a, b) => b.planes.length - a.planes.length);
}
