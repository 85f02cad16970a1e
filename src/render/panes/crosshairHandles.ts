// Where a slice pane draws the other two planes through the crosshair, and the rotation handles
// near their ends (as Cornerstone3D's crosshairs tool has them); what a handle drag turns. Pure:
// the SVG, the pointer handler and the tests all use these.
import { columnMat3, cross3, multiplyMat3, normalize3, orthonormalize, PLANE_NORMAL_AXIS, rotationAbout, type Mat3, type Vec3 } from '../../state/orientation';
import { worldToScreen, type Plane, type ViewTransform } from '../camera/sliceGeometry';

const PLANES: readonly Plane[] = ['axial', 'coronal', 'sagittal'];

export interface CrosshairLine {
  /** The plane this line is the trace of. */
  other: Plane;
  /** Unit screen direction (pixels, y down). */
  dir: [number, number];
  /** The handle positions (pixels), one toward each end. */
  handles: [[number, number], [number, number]];
}

/** The handles sit this fraction of the pane's smaller side from the crosshair. */
export const HANDLE_FRACTION = 0.38;
/** Pixels from a handle's centre that still grab it. */
export const HANDLE_GRAB_PX = 9;

/**
 * The traces of the other two planes on this pane's plane: through the crosshair, along the
 * intersection of the planes (this normal × the other's). On the patient axes, the pane's
 * horizontal and vertical lines.
 */
export function crosshairLines(view: ViewTransform, crosshair: Vec3, rotation: Mat3, plane: Plane): { centre: [number, number]; lines: CrosshairLine[] } {
  const centre = worldToScreen(view, crosshair);
  const n = view.frame.normal;
  const reach = HANDLE_FRACTION * Math.min(view.widthPx, view.heightPx);
  const lines = PLANES.filter((p) => p !== plane).map((other): CrosshairLine => {
    const d = normalize3(cross3(n, columnMat3(rotation, PLANE_NORMAL_AXIS[other])));
    const sx = d[0] * view.frame.right[0] + d[1] * view.frame.right[1] + d[2] * view.frame.right[2];
    const sy = -(d[0] * view.frame.up[0] + d[1] * view.frame.up[1] + d[2] * view.frame.up[2]);
    const len = Math.hypot(sx, sy) || 1;
    const dir: [number, number] = [sx / len, sy / len];
    return {
      other,
      dir,
      handles: [
        [centre[0] + dir[0] * reach, centre[1] + dir[1] * reach],
        [centre[0] - dir[0] * reach, centre[1] - dir[1] * reach],
      ],
    };
  });
  return { centre, lines };
}

/** The handle under a pointer (pixels), if any. */
export function handleAt(lines: readonly CrosshairLine[], at: readonly [number, number], grabPx = HANDLE_GRAB_PX): CrosshairLine | null {
  let best: CrosshairLine | null = null;
  let bestD = grabPx;
  for (const l of lines)
    for (const h of l.handles) {
      const d = Math.hypot(h[0] - at[0], h[1] - at[1]);
      if (d <= bestD) {
        bestD = d;
        best = l;
      }
    }
  return best;
}

/**
 * The rotation after dragging a handle from `from` to `to` (pixels) about the crosshair at `centre`:
 * the pointer's turn about the centre, counter-clockwise on screen positive, as a rotation about
 * this pane's normal (screen right × screen up) composed onto the rotation the drag began with.
 * This pane's normal is unchanged; the other two planes turn with the handle.
 */
export function draggedRotation(view: ViewTransform, start: Mat3, centre: readonly [number, number], from: readonly [number, number], to: readonly [number, number]): { rotation: Mat3; radians: number } {
  // Screen y grows downward: negate it for counter-clockwise angles.
  const a0 = Math.atan2(-(from[1] - centre[1]), from[0] - centre[0]);
  const a1 = Math.atan2(-(to[1] - centre[1]), to[0] - centre[0]);
  let radians = a1 - a0;
  if (radians > Math.PI) radians -= 2 * Math.PI;
  if (radians < -Math.PI) radians += 2 * Math.PI;
  const axis = cross3(view.frame.right, view.frame.up);
  return { rotation: orthonormalize(multiplyMat3(rotationAbout(axis, radians), start)), radians };
}
