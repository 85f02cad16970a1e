// Where the 3D pane puts its three slice planes: each spans the bounding box of all layers and
// passes through the crosshair, perpendicular to its world axis.
import type { Object3D } from 'three';
import type { ViewerState } from '../../state/viewerStore';
import { layerBounds } from '../camera/paneView';
import type { Plane } from '../camera/sliceGeometry';

/**
 * Sets `object`'s transform so a unit quad in its XY plane covers the plane's slice of the bounds;
 * with `cutSign`, only the quarter that bounds the octant cut away on that side of the crosshair.
 */
export function placePlane(object: Object3D, s: Pick<ViewerState, 'layers' | 'crosshair'>, plane: Plane, cutSign?: readonly number[]): void {
  const bounds = layerBounds(s.layers);
  const c = s.crosshair ?? [0, 1, 2].map((a) => (bounds.lo[a] + bounds.hi[a]) / 2);
  // Half a voxel of margin is not known here; a few percent keeps edge voxels inside the quad.
  const pad = [0, 1, 2].map((a) => (bounds.hi[a] - bounds.lo[a]) * 0.02 + 1);
  let lo = [0, 1, 2].map((a) => bounds.lo[a] - pad[a]);
  let hi = [0, 1, 2].map((a) => bounds.hi[a] + pad[a]);
  if (cutSign) {
    lo = lo.map((v, a) => (cutSign[a] > 0 ? c[a] : v));
    hi = hi.map((v, a) => (cutSign[a] > 0 ? v : c[a]));
  }
  const size = [0, 1, 2].map((a) => Math.max(1e-3, hi[a] - lo[a]));
  const mid = [0, 1, 2].map((a) => (lo[a] + hi[a]) / 2);
  object.rotation.set(0, 0, 0);
  switch (plane) {
    case 'axial':
      object.position.set(mid[0], mid[1], c[2]);
      object.scale.set(size[0], size[1], 1);
      break;
    case 'coronal': // quad XY → world XZ
      object.rotation.set(Math.PI / 2, 0, 0);
      object.position.set(mid[0], c[1], mid[2]);
      object.scale.set(size[0], size[2], 1);
      break;
    case 'sagittal': // quad XY → world YZ
      object.rotation.set(Math.PI / 2, Math.PI / 2, 0);
      object.position.set(c[0], mid[1], mid[2]);
      object.scale.set(size[1], size[2], 1);
      break;
  }
  object.updateMatrix();
}
