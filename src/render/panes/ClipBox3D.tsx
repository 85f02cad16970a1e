// The clip box in the 3D pane, drawn over the volume while one is set: its edges and a square
// handle at the centre of each face (dragged in VolumePane, placed by clipHandles.ts).
import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { BoxGeometry, BufferAttribute, BufferGeometry, EdgesGeometry, Group, LineBasicMaterial, LineSegments, Points, PointsMaterial } from 'three';
import { useViewerStore } from '../../state/viewerStore';
import { CLIP_HANDLES, handlePosition } from './clipHandles';

const CLIP_COLOUR = 0xffa726;

export function ClipBox3D() {
  const group = useMemo(() => {
    const edges = new LineSegments(new EdgesGeometry(new BoxGeometry(1, 1, 1)), new LineBasicMaterial({ color: CLIP_COLOUR, depthTest: false, transparent: true, opacity: 0.8 }));
    const handles = new BufferGeometry();
    handles.setAttribute('position', new BufferAttribute(new Float32Array(3 * CLIP_HANDLES.length), 3));
    const points = new Points(handles, new PointsMaterial({ color: CLIP_COLOUR, size: 9, sizeAttenuation: false, depthTest: false, transparent: true }));
    const g = new Group();
    g.add(edges, points);
    g.renderOrder = 90;
    edges.renderOrder = 90;
    points.renderOrder = 91;
    points.frustumCulled = false;
    return { g, edges, points };
  }, []);
  useLayoutEffect(
    () => () => {
      for (const o of [group.edges, group.points]) {
        o.geometry.dispose();
        (o.material as LineBasicMaterial | PointsMaterial).dispose();
      }
    },
    [group],
  );
  useFrame(() => {
    const box = useViewerStore.getState().clip;
    group.g.visible = box !== null;
    if (!box) return;
    group.edges.position.set((box.lo[0] + box.hi[0]) / 2, (box.lo[1] + box.hi[1]) / 2, (box.lo[2] + box.hi[2]) / 2);
    group.edges.scale.set(box.hi[0] - box.lo[0], box.hi[1] - box.lo[1], box.hi[2] - box.lo[2]);
    const p = group.points.geometry.getAttribute('position') as BufferAttribute;
    CLIP_HANDLES.forEach((h, n) => (p.array as Float32Array).set(handlePosition(box, h), 3 * n));
    p.needsUpdate = true;
  });
  return <primitive object={group.g} />;
}
