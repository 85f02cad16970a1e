import { useViewerStore, type LayerMeta } from '../../state/viewerStore';
import type { Plane } from '../camera/sliceGeometry';

/** Which RAS axis each pane looks along. */
const NORMAL_AXIS: Record<Plane, number> = { sagittal: 0, coronal: 1, axial: 2 };

/**
 * The RAS axis (0 x, 1 y, 2 z) a single-slice layer's one slice is stacked along (its affine's k
 * column), or null when the layer has more than one slice. Pure, for the pane note and its test.
 */
export function singleSliceAxis(dims: readonly number[], affine: readonly number[]): number | null {
  if (dims[2] !== 1) return null;
  const k = [Math.abs(affine[2]), Math.abs(affine[6]), Math.abs(affine[10])];
  return k.indexOf(Math.max(...k));
}

/**
 * Whether the panes may name patient directions (A/P, R/L, S/I): not when every visible layer is an
 * image without patient geometry (no ImageOrientationPatient/ImagePositionPatient), whose axes are
 * only the screen's. Pure, for SlicePane's letters and its test.
 */
export function patientDirectionsKnown(layers: readonly Pick<LayerMeta, 'display' | 'dicom'>[]): boolean {
  const visible = layers.filter((l) => l.display.visible);
  return visible.length === 0 || !visible.every((l) => l.dicom?.noPatientGeometry);
}

/**
 * Over a pane that would cut across a single 2D image (a secondary capture, an X-ray: one slice,
 * seen edge-on), a note saying so, covering the one-voxel smear the pane would draw. Only when every
 * visible layer is such an image: a volume under it keeps the pane useful.
 */
export function SingleSliceNote({ plane }: { plane: Plane }) {
  const edgeOn = useViewerStore((s) => {
    const visible = s.layers.filter((l) => l.display.visible);
    return visible.length > 0 && visible.every((l) => {
      const axis = singleSliceAxis(l.dims, l.affine);
      return axis !== null && axis !== NORMAL_AXIS[plane];
    });
  });
  if (!edgeOn) return null;
  return (
    <div className="single-slice-note" data-testid={`single-slice-note-${plane}`}>
      Single 2D image — no {plane} view
    </div>
  );
}
