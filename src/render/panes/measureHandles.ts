// Editing drawn measurements: where their handles are on a pane and what the pointer grabbed.
// Each measurement has a handle per point (a line's ends, an angle's arms and vertex, an ROI's two
// corners) and one that moves it whole (a line's middle, an angle's centroid, an ROI's centre);
// its outline also selects it. Pure: screen positions in, a grab out.
import { planePoints } from '../../state/measurements';
import type { Measurement, Vec3 } from '../../state/viewerStore';

/**
 * Whether a measurement lies in a pane's current plane, as a pin does: drawn on this pane, and
 * every point of it (an ROI: its box's corners) within `tol` mm of the plane through `origin` with
 * unit normal `normal`. On turned planes the same rule: a measurement drawn before a turn shows
 * again where the plane comes back through it, and one tilted out of the plane by a turn does not.
 */
export function onSlice(m: Pick<Measurement, 'kind' | 'plane' | 'points' | 'axes'>, plane: Measurement['plane'], normal: readonly number[], origin: readonly number[], tol: number): boolean {
  if (m.plane !== plane) return false;
  return planePoints(m).every((p) => Math.abs((p[0] - origin[0]) * normal[0] + (p[1] - origin[1]) * normal[1] + (p[2] - origin[2]) * normal[2]) <= tol);
}

/** Pixels from a handle (or the outline) that still grab it. */
export const GRAB_PX = 6;

export type Grab = { id: string; point: number } | { id: string; move: true } | { id: string; select: true };

type Px = [number, number];

const segmentDistance = (p: Px, a: Px, b: Px): number => {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2)) : 0;
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
};

/** The handle that moves a measurement whole, in screen px. */
export function moveHandle(kind: Measurement['kind'], pts: readonly Px[]): Px {
  if (kind === 'angle') return [(pts[0][0] + pts[1][0] + pts[2][0]) / 3, (pts[0][1] + pts[1][1] + pts[2][1]) / 3];
  return [(pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2];
}

/** Distance from p to a measurement's outline, in px. */
function outlineDistance(kind: Measurement['kind'], pts: readonly Px[], p: Px): number {
  if (kind === 'line') return segmentDistance(p, pts[0], pts[1]);
  if (kind === 'angle') return Math.min(segmentDistance(p, pts[0], pts[1]), segmentDistance(p, pts[1], pts[2]));
  const [x0, x1] = [Math.min(pts[0][0], pts[1][0]), Math.max(pts[0][0], pts[1][0])];
  const [y0, y1] = [Math.min(pts[0][1], pts[1][1]), Math.max(pts[0][1], pts[1][1])];
  if (kind === 'rectangle') {
    const c: Px[] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
    return Math.min(...c.map((a, i) => segmentDistance(p, a, c[(i + 1) % 4])));
  }
  // Ellipse: how far off the boundary along the ray from its centre.
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, rx = Math.max((x1 - x0) / 2, 1e-9), ry = Math.max((y1 - y0) / 2, 1e-9);
  const r = Math.hypot((p[0] - cx) / rx, (p[1] - cy) / ry);
  const along = Math.hypot(p[0] - cx, p[1] - cy);
  return r > 0 ? Math.abs(along - along / r) : Math.min(rx, ry);
}

/**
 * What a press at `p` grabs among the measurements shown (topmost, i.e. last drawn, first): a
 * point handle, else the move handle, else the outline (to select); null when nothing is near.
 */
export function grabAt(shown: readonly Pick<Measurement, 'id' | 'kind' | 'points'>[], screen: (w: Vec3) => Px, p: Px): Grab | null {
  for (let n = shown.length - 1; n >= 0; n--) {
    const m = shown[n];
    const pts = m.points.map(screen);
    const near = pts.map((q, i) => ({ i, d: Math.hypot(q[0] - p[0], q[1] - p[1]) })).filter((x) => x.d <= GRAB_PX);
    if (near.length) return { id: m.id, point: near.reduce((a, b) => (b.d < a.d ? b : a)).i };
    const mh = moveHandle(m.kind, pts);
    if (Math.hypot(mh[0] - p[0], mh[1] - p[1]) <= GRAB_PX) return { id: m.id, move: true };
    if (outlineDistance(m.kind, pts, p) <= GRAB_PX / 2) return { id: m.id, select: true };
  }
  return null;
}

/** The measurement's points after dragging a grab by `delta` (world mm) from `from`, its points when the drag began. */
export function draggedPoints(from: readonly Vec3[], grab: Grab, delta: Vec3): Vec3[] {
  const moved = (q: Vec3): Vec3 => [q[0] + delta[0], q[1] + delta[1], q[2] + delta[2]];
  if ('move' in grab) return from.map(moved);
  if ('point' in grab) return from.map((q, i) => (i === grab.point ? moved(q) : ([...q] as Vec3)));
  return from.map((q) => [...q] as Vec3);
}
