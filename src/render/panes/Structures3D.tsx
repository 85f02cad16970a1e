// RT structures in the 3D pane: every visible structure's closed contours as coloured line loops in
// world space (lines, not surfaces), drawn over the volume as the crosshair and pins are, so a
// structure inside the rendering stays visible. Rebuilt only when the structures or their
// visibility change; the geometry is disposed with it.
import { useLayoutEffect, useMemo } from 'react';
import { BufferAttribute, BufferGeometry, LineBasicMaterial, LineSegments } from 'three';
import { structureGeometry, useRtStore } from '../../state/rtStore';

export function Structures3D() {
  const structures = useRtStore((s) => s.structures);
  const lines = useMemo(() => {
    const positions: number[] = [];
    const colours: number[] = [];
    for (const s of structures) {
      const g = s.visible ? structureGeometry(s.id) : undefined;
      if (!g) continue;
      const rgb = s.rgb.map((c) => c / 255);
      for (const plane of g.planes)
        for (const p of plane.polygons) {
          const n = p.length / 2;
          // Each edge of the loop as a segment; world = offset·normal + u·U + v·V.
          for (let i = 0; i < n; i++) {
            const j = (i + 1) % n;
            for (const q of [i, j]) {
              for (let k = 0; k < 3; k++) positions.push(plane.offset * g.normal[k] + p[q * 2] * g.u[k] + p[q * 2 + 1] * g.v[k]);
              colours.push(rgb[0], rgb[1], rgb[2]);
            }
          }
        }
    }
    const geometry = new BufferGeometry();
    geometry.setAttribute('position', new BufferAttribute(new Float32Array(positions), 3));
    geometry.setAttribute('color', new BufferAttribute(new Float32Array(colours), 3));
    const l = new LineSegments(geometry, new LineBasicMaterial({ vertexColors: true, depthTest: false, transparent: true }));
    l.renderOrder = 94;
    l.frustumCulled = false;
    l.visible = positions.length > 0;
    return l;
  }, [structures]);
  useLayoutEffect(
    () => () => {
      lines.geometry.dispose();
      (lines.material as LineBasicMaterial).dispose();
    },
    [lines],
  );
  return <primitive object={lines} />;
}
