// The 3D pane: the bottom visible layer ray-cast (MIP, composite or isosurface) inside the outline
// of the layers' bounding box, with the crosshair drawn in 3D, seen by the orbit camera
// (camera/orbit.ts states its convention). With "cut at the crosshair" the octant facing the
// camera is removed and its faces, the three slice planes, show the tissue they cut (the ray
// caster draws them: shaders/rayShader.ts).
import { createPortal, useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { BoxGeometry, EdgesGeometry, LineBasicMaterial, LineSegments, PerspectiveCamera, Scene } from 'three';
import { useViewerStore } from '../../state/viewerStore';
import { orbitPose } from '../camera/orbit';
import { layerBounds } from '../camera/paneView';
import { ClipBox3D } from './ClipBox3D';
import { coarse3D } from './rayParams';
import { Crosshair3D } from './Crosshair3D';
import { Pins3D } from './Pins3D';
import { VolumeRender } from './VolumeRender';
import { registerPaneScene } from './paneRegistry';
import { texturesVersion } from '../textures/textureCache';

export function VolumeScene() {
  const layers = useViewerStore((s) => s.layers);
  const scene = useMemo(() => new Scene(), []);
  const camera = useMemo(() => new PerspectiveCamera(30, 1, 1, 1e5), []);
  const box = useMemo(() => new LineSegments(new EdgesGeometry(new BoxGeometry(1, 1, 1)), new LineBasicMaterial({ color: 0x4cc2ff, transparent: true, opacity: 0.5, depthTest: false })), []);
  const overlay = useMemo(() => new Scene(), []);
  useLayoutEffect(() => registerPaneScene('3d', scene, camera, { overlay, cacheKey: volumeImageKey, resolution: volumeResolution }), [scene, camera, overlay]);
  // An outline, drawn over the rendering: its far edges show through, as a box drawn in wire does.
  box.renderOrder = 50;
  useLayoutEffect(
    () => () => {
      box.geometry.dispose();
      (box.material as LineBasicMaterial).dispose();
    },
    [box],
  );

  useFrame(() => {
    const s = useViewerStore.getState();
    const size = s.paneSizes['3d'];
    if (!size || s.layers.length === 0) return;
    const { lo, hi } = layerBounds(s.layers);
    const centre: [number, number, number] = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
    const radius = Math.max(1, Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) / 2);
    const aspect = size[0] / Math.max(1, size[1]);
    const pose = orbitPose(s.orbit, centre, radius, aspect, s.paneViews['3d'].panMm);
    camera.fov = pose.fovDeg;
    camera.aspect = aspect;
    camera.near = Math.max(0.1, radius * 0.01);
    camera.far = radius * 100 + 1e3;
    camera.up.set(...pose.up);
    camera.position.set(...pose.position);
    camera.lookAt(...pose.target);
    camera.updateProjectionMatrix();
    box.position.set(...centre);
    box.scale.set(Math.max(1e-3, hi[0] - lo[0]), Math.max(1e-3, hi[1] - lo[1]), Math.max(1e-3, hi[2] - lo[2]));
  });

  const visible = layers.filter((l) => l.display.visible && l.dims.length >= 3);
  const [base, inner] = visible;
  const volume = createPortal(
    <>
      <primitive object={box} />
      {base && <VolumeRender key={base.id} layer={base} overlay={inner} camera={camera} />}
    </>,
    scene,
  );
  // The crosshair is drawn over the cached volume image every frame.
  return (
    <>
      {volume}
      {createPortal(
        <>
          <Crosshair3D />
          <ClipBox3D />
          <Pins3D />
        </>,
        overlay,
      )}
    </>
  );
}

/** While the user drags (or skipping is not ready), half the resolution (a quarter of the rays), refined after. */
const volumeResolution = () => (coarse3D(useViewerStore.getState()) ? 0.5 : 1);

/** Everything the volume image depends on; the crosshair only when the cut follows it. */
function volumeImageKey(): readonly unknown[] {
  const s = useViewerStore.getState();
  return [
    s.layers, s.orbit, s.paneViews['3d'], s.paneSizes['3d'], s.renderMode, s.projection, s.volumeStyles,
    s.clip, s.cut, s.cut ? s.crosshair : null, s.quality, s.skipEmpty, s.interacting, texturesVersion(),
  ];
}
