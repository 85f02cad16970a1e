// The clip box's six face handles in the 3D pane: where each sits (the centre of its face), which
// one is under the pointer (projected with the pane's camera), and how far a drag moves it (the
// pointer's motion along the face's axis as the screen shows it). Used by ClipBox3D (drawing) and
// VolumePane (dragging).
import { Vector3, type Camera } from 'three';
import type { ClipBox, Vec3 } from '../../state/viewerStore';

export interface ClipHandle {
  axis: 0 | 1 | 2;
  side: 'lo' | 'hi';
}

export const CLIP_HANDLES: readonly ClipHandle[] = ([0, 1, 2] as const).flatMap((axis) => [{ axis, side: 'lo' as const }, { axis, side: 'hi' as const }]);

/** Pointer distance (CSS px) within which a handle is grabbed. */
export const HANDLE_REACH_PX = 10;

/** The thinnest a clip box may become along an axis when its faces are dragged (mm). */
export const MIN_CLIP_MM = 1;

export function handlePosition(box: ClipBox, h: ClipHandle): Vec3 {
  const p: Vec3 = [(box.lo[0] + box.hi[0]) / 2, (box.lo[1] + box.hi[1]) / 2, (box.lo[2] + box.hi[2]) / 2];
  p[h.axis] = box[h.side][h.axis];
  return p;
}

/** World → pane pixels (CSS px from the pane's top-left); null behind the camera. */
function toPane(camera: Camera, world: Vec3, width: number, height: number): [number, number] | null {
  const v = new Vector3(...world).project(camera);
  if (v.z > 1) return null;
  return [((v.x + 1) / 2) * width, ((1 - v.y) / 2) * height];
}

/** The handle nearest the pointer within HANDLE_REACH_PX, or null. */
export function handleAt(camera: Camera, box: ClipBox, x: number, y: number, width: number, height: number): ClipHandle | null {
  camera.updateMatrixWorld();
  let best: ClipHandle | null = null;
  let bestD = HANDLE_REACH_PX;
  for (const h of CLIP_HANDLES) {
    const p = toPane(camera, handlePosition(box, h), width, height);
    if (!p) continue;
    const d = Math.hypot(p[0] - x, p[1] - y);
    if (d <= bestD) {
      best = h;
      bestD = d;
    }
  }
  return best;
}

/**
 * Screen pixels per mm along the handle's axis at its position: a drag of (dx, dy) px moves the
 * face by (dx, dy) · s / |s|² mm. Null when the axis points at the camera (no usable direction).
 */
export function screenPerMm(camera: Camera, box: ClipBox, h: ClipHandle, width: number, height: number): [number, number] | null {
  const at = handlePosition(box, h);
  const step = Math.max(1e-3, (box.hi[h.axis] - box.lo[h.axis]) / 10);
  const ahead: Vec3 = [...at];
  ahead[h.axis] += step;
  const a = toPane(camera, at, width, height);
  const b = toPane(camera, ahead, width, height);
  if (!a || !b) return null;
  const s: [number, number] = [(b[0] - a[0]) / step, (b[1] - a[1]) / step];
  return Math.hypot(...s) < 0.05 ? null : s;
}

/** The box with one face moved to `value`, kept within `bounds` and at least MIN_CLIP_MM thick. */
export function movedFace(box: ClipBox, h: ClipHandle, value: number, bounds: { lo: readonly number[]; hi: readonly number[] }): ClipBox {
  const next: ClipBox = { lo: [...box.lo], hi: [...box.hi] };
  const a = h.axis;
  if (h.side === 'lo') next.lo[a] = Math.max(bounds.lo[a], Math.min(value, box.hi[a] - MIN_CLIP_MM));
  else next.hi[a] = Math.min(bounds.hi[a], Math.max(value, box.lo[a] + MIN_CLIP_MM));
  return next;
}
