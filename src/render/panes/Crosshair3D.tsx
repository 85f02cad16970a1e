// The crosshair in the 3D pane: three short lines along the slice panes' normals through the point, drawn
// over the volume so it is never hidden.
import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, LineBasicMaterial, LineSegments } from 'three';
import { useViewerStore } from '../../state/viewerStore';
import { layerBounds } from '../camera/paneView';

export function Crosshair3D() {
  const lines = useMemo(() => {
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array(18), 3));
    const l = new LineSegments(geometry, new LineBasicMaterial({ color: 0x38e07b, depthTest: false, transparent: true, opacity: 0.9 }));
    l.renderOrder = 100;
    l.frustumCulled = false;
    return l;
  }, []);
  useLayoutEffect(
    () => () => {
      lines.geometry.dispose();
      (lines.material as LineBasicMaterial).dispose();
    },
    [lines],
  );
  useFrame(() => {
    const s = useViewerStore.getState();
    lines.visible = s.crosshair !== null && s.showCrosshair;
    if (!s.crosshair) return;
    const { lo, hi } = layerBounds(s.layers);
    const arm = 0.08 * Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2], 1);
    const c = s.crosshair;
    const p = lines.geometry.getAttribute('position') as BufferAttribute;
    // Along the slice panes' normals: the patient axes turned by the oblique rotation (its columns).
    const r = s.orientation;
    const a = p.array as Float32Array;
    for (let axis = 0; axis < 3; axis++)
      for (let q = 0; q < 3; q++) {
        a[axis * 6 + q] = c[q] - arm * r[3 * q + axis];
        a[axis * 6 + 3 + q] = c[q] + arm * r[3 * q + axis];
      }
    p.needsUpdate = true;
  });
  return <primitive object={lines} />;
}
