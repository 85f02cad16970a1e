// Pinned probes in the 3D pane: a yellow point at each pin, drawn over the volume (as the
// crosshair is) so a pin inside the rendering stays findable.
import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, Points, PointsMaterial } from 'three';
import { useViewerStore } from '../../state/viewerStore';

export function Pins3D() {
  const points = useMemo(() => {
    const p = new Points(new BufferGeometry(), new PointsMaterial({ color: 0xffd54f, size: 7, sizeAttenuation: false, depthTest: false, transparent: true }));
    p.renderOrder = 95;
    p.frustumCulled = false;
    return p;
  }, []);
  useLayoutEffect(
    () => () => {
      points.geometry.dispose();
      (points.material as PointsMaterial).dispose();
    },
    [points],
  );
  useFrame(() => {
    const pins = useViewerStore.getState().pins;
    points.visible = pins.length > 0;
    const attr = points.geometry.getAttribute('position') as BufferAttribute | undefined;
    if (!attr || attr.count !== pins.length) points.geometry.setAttribute('position', new BufferAttribute(new Float32Array(3 * pins.length), 3));
    const pos = points.geometry.getAttribute('position') as BufferAttribute;
    pins.forEach((p, n) => (pos.array as Float32Array).set(p.world, 3 * n));
    pos.needsUpdate = true;
  });
  return <primitive object={points} />;
}
