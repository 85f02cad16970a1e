// DICOM geometry: one small pure function per file (STYLE.md §12 in ../shared), each testable
// with a handful of slices' tags; no DOM, no worker, no pixel data.
// Typical use for one series: splitIntoStacks → sortPlanesByPosition → sliceSpacing and
// gantryTilt (warnings) → dicomAffine(frames[0], …).
export { dicomAffine, type SingleSliceThickness } from './dicomAffine';
export { gantryTilt, GANTRY_TILT_TOLERANCE_DEGREES, type GantryTilt } from './gantryTilt';
export { isSameOrientation, SAME_ORIENTATION_TOLERANCE_DEGREES } from './isSameOrientation';
export { planeOrientationName, OBLIQUE_THRESHOLD_DEGREES } from './planeOrientationName';
export { rowColumnDirections, ORTHOGONALITY_TOLERANCE } from './rowColumnDirections';
export { sliceNormal } from './sliceNormal';
export { sliceSpacing, MISSING_SLICE_FRACTION, UNEVEN_SPACING_FRACTION, type MissingSlices, type SliceSpacing } from './sliceSpacing';
export { sortPlanesByPosition, SAME_POSITION_TOLERANCE_MM, type PlanesByPosition } from './sortPlanesByPosition';
export { splitIntoStacks, SAME_PIXEL_SPACING_FRACTION, type DicomStack } from './splitIntoStacks';
