// A parsed SEG → label volumes: the grid its frames go on (the referenced series' when that is open
// and the frames fall on its slices, else one built from the SEG's own functional groups), which
// segments share a label layer (those that never overlap; one layer each for fractional SEGs), and
// the filling of a layer's voxels. Pure: the caller takes the memory (the pool) and hands in a view.
import { invert, transformPoint, type Mat4 } from '../../../volume/affine';
import { fail, ok, type Result } from '../../errors';
import { rowColumnDirections } from '../geometry/rowColumnDirections';
import { cross, dot } from '../geometry/vector3';
import type { Vec3 } from '../types';
import { segPixel, type ParsedSeg } from './parseSeg';

export interface SegGrid {
  dims: [number, number, number];
  /** Voxel → RAS mm, row-major, flat (as layers hold it). */
  affine: Mat4;
  /** The slice (k) of each frame. */
  slots: number[];
  /** True when the grid is the SEG's own (the referenced series was not given, or its slices do not match). */
  own: boolean;
}

const lpsToRas = (p: readonly number[]): Vec3 => [-p[0], -p[1], p[2]];

/** How far (in voxels) a frame may sit from a grid's slice and still be on it. */
const ON_GRID = 1e-3;

/**
 * The frames placed on `reference` (an open layer of the referenced series): every frame's first
 * and last pixel must land on voxel (0, 0, k) and (columns−1, rows−1, k) of its grid. Null when they
 * do not (another grid: the SEG goes on its own).
 */
function onReference(seg: ParsedSeg, reference: { dims: readonly number[]; affine: Mat4 }): number[] | null {
  if (reference.dims[0] !== seg.columns || reference.dims[1] !== seg.rows) return null;
  const dirs = rowColumnDirections(seg.orientation)!;
  const inv = invert(reference.affine);
  const slots: number[] = [];
  for (const f of seg.frames) {
    const far = [0, 1, 2].map((a) => f.position[a] + dirs.row[a] * seg.pixelSpacing[1] * (seg.columns - 1) + dirs.column[a] * seg.pixelSpacing[0] * (seg.rows - 1));
    const a = transformPoint(inv, lpsToRas(f.position));
    const b = transformPoint(inv, lpsToRas(far));
    const k = Math.round(a[2]);
    const want = [0, 0, k, seg.columns - 1, seg.rows - 1, k];
    if ([...a, ...b].some((v, i) => Math.abs(v - want[i]) > ON_GRID) || k < 0 || k >= reference.dims[2]) return null;
    slots.push(k);
  }
  return slots;
}

/** The SEG's own grid: its frames' planes, sorted along the normal, spaced by SpacingBetweenSlices (or their smallest step). */
function ownGrid(seg: ParsedSeg): Result<SegGrid> {
  const { row, column } = rowColumnDirections(seg.orientation)!;
  const normal = cross(row, column);
  const along = seg.frames.map((f) => dot(f.position, normal));
  const distinct = [...new Set(along.map((d) => Math.round(d * 1e4) / 1e4))].sort((a, b) => a - b);
  const steps = distinct.slice(1).map((d, i) => d - distinct[i]);
  const step = seg.sliceSpacing ?? (steps.length ? Math.min(...steps) : 1);
  const first = distinct[0];
  const nz = Math.round((distinct[distinct.length - 1] - first) / step) + 1;
  const slots = along.map((d) => Math.round((d - first) / step));
  const misplaced = along.findIndex((d, i) => Math.abs(d - first - slots[i] * step) > 1e-3 * step + 1e-4);
  if (misplaced >= 0) return fail('unsupported-format', `${seg.name}: frame ${misplaced + 1} lies ${(along[misplaced] - first).toFixed(3)} mm along the normal, not a multiple of the slice spacing ${step} mm; its frames do not form one grid.`);
  // The in-plane origin must be common to all frames (the grid is not sheared).
  const origin = seg.frames[along.indexOf(Math.min(...along))].position;
  for (const [i, f] of seg.frames.entries()) {
    const d = [0, 1, 2].map((a) => f.position[a] - origin[a] - normal[a] * (along[i] - along[along.indexOf(Math.min(...along))]));
    if (Math.hypot(d[0], d[1], d[2]) > 1e-3) return fail('unsupported-format', `${seg.name}: frame ${i + 1} is shifted ${Math.hypot(d[0], d[1], d[2]).toFixed(3)} mm within its plane from the others; its frames do not form one grid.`);
  }
  const [rs, cs] = seg.pixelSpacing;
  // LPS columns: i along the row direction (column spacing), j along the column direction (row spacing), k along the normal.
  const lps = [
    [row[0] * cs, column[0] * rs, normal[0] * step, origin[0]],
    [row[1] * cs, column[1] * rs, normal[1] * step, origin[1]],
    [row[2] * cs, column[2] * rs, normal[2] * step, origin[2]],
  ];
  const affine = [...lps[0].map((v) => -v), ...lps[1].map((v) => -v), ...lps[2], 0, 0, 0, 1].map((v) => v + 0);
  return ok({ dims: [seg.columns, seg.rows, nz], affine, slots, own: true });
}

/** Where the SEG's frames go: on `reference` when given and they fit it, else on the SEG's own grid. */
export function segGrid(seg: ParsedSeg, reference?: { dims: readonly number[]; affine: Mat4 }): Result<SegGrid> {
  if (reference) {
    const slots = onReference(seg, reference);
    if (slots) return ok({ dims: [reference.dims[0], reference.dims[1], reference.dims[2]], affine: [...reference.affine], slots, own: false });
  }
  return ownGrid(seg);
}

/** Which segments share a layer: binary segments that never set the same voxel share one; fractional ones get one each. */
export function segLayers(seg: ParsedSeg, grid: SegGrid): number[][] {
  if (seg.kind === 'fractional') return seg.segments.map((s) => [s.number]);
  const framesOf = new Map<number, number[]>();
  seg.frames.forEach((f, n) => framesOf.set(f.segment, [...(framesOf.get(f.segment) ?? []), n]));
  const pixels = seg.rows * seg.columns;
  const overlaps = (a: number, b: number) => {
    for (const fa of framesOf.get(a) ?? [])
      for (const fb of framesOf.get(b) ?? []) {
        if (grid.slots[fa] !== grid.slots[fb]) continue;
        for (let p = 0; p < pixels; p++) if (segPixel(seg, fa, p) && segPixel(seg, fb, p)) return true;
      }
    return false;
  };
  const layers: number[][] = [];
  for (const s of seg.segments) {
    const home = layers.find((l) => l.every((other) => !overlaps(s.number, other)));
    if (home) home.push(s.number);
    else layers.push([s.number]);
  }
  return layers;
}

/**
 * Writes the frames of `segments` into `out` (the layer's voxels, zeroed by the caller, column
 * fastest): a binary segment's set pixels become its segment number, a fractional segment's pixels
 * their stored value.
 */
export function fillSegLayer(seg: ParsedSeg, grid: SegGrid, segments: readonly number[], out: Uint8Array | Uint16Array): void {
  const wanted = new Set(segments);
  const [nx, ny] = grid.dims;
  const slice = nx * ny;
  seg.frames.forEach((f, n) => {
    if (!wanted.has(f.segment)) return;
    const base = grid.slots[n] * slice;
    for (let p = 0; p < slice; p++) {
      const v = segPixel(seg, n, p);
      if (v) out[base + p] = seg.kind === 'binary' ? f.segment : v;
    }
  });
}
