// Which of the 3D pane's overlays one ray-cast draw can read. WebGL2 grants 16 texture units to a
// draw; the cast layer takes one per slab plus five units for its tables (colormap, transfer, leap
// distances and the render copy on the fast path; the fifth, the brick ranges' until the ray caster
// read its bricks from the leap distances, is kept spare), and each overlay one per slab plus its
// label table. Segmentations and other label maps are placed first, so a segmentation is drawn
// whatever the layer order; then the other overlays, each in draw order, while they fit.

export const TEXTURE_UNITS = 16;
const BASE_TABLES = 5;

export interface OverlayCandidate {
  slabs: number;
  label: boolean;
}

/** Indices into `candidates` (draw order): those drawn, in draw order, and those left out. */
export function fitOverlays(baseSlabs: number, candidates: readonly OverlayCandidate[]): { drawn: number[]; leftOut: number[] } {
  let free = TEXTURE_UNITS - baseSlabs - BASE_TABLES;
  const order = [...candidates.keys()].sort((a, b) => Number(candidates[b].label) - Number(candidates[a].label) || a - b);
  const drawn: number[] = [];
  const leftOut: number[] = [];
  for (const i of order) {
    const units = candidates[i].slabs + 1;
    if (units <= free) {
      free -= units;
      drawn.push(i);
    } else leftOut.push(i);
  }
  return { drawn: drawn.sort((a, b) => a - b), leftOut: leftOut.sort((a, b) => a - b) };
}
