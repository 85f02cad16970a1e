// The 3D pane: the layer chosen for 3D (state/layerRoles.ts) ray-cast (MIP, composite or isosurface) inside the outline
// of the layers' bounding box, with the crosshair drawn in 3D, seen by the orbit camera
// (camera/orbit.ts states its convention). With "cut at the crosshair" the octant facing the
// camera is removed and its faces, the three slice planes, show the tissue they cut (the ray
// caster draws them: shaders/rayShader.ts).
import { createPortal, useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo } from 'react';
import { BoxGeometry, EdgesGeometry, LineBasicMaterial, LineSegments, PerspectiveCamera, Scene } from 'three';
import { volumeLayers } from '../../state/layerRoles';
import { useViewerStore } from '../../state/viewerStore';
import { ClipBox3D } from './ClipBox3D';
import { coarse3D, interactionResolution } from './rayParams';
import { Crosshair3D } from './Crosshair3D';
import { Pins3D } from './Pins3D';
import { Structures3D } from './Structures3D';
import { VolumeRender } from './VolumeRender';
import { registerPaneScene } from './paneRegistry';
import { texturesVersion } from '../textures/textureCache';
import { cameraPoseKey, volumeCameraSetup, volumeImageKey } from './volumeImage';

export function VolumeScene() {
  const layers = useViewerStore((s) => s.layers);
  const scene = useMemo(() => new Scene(), []);
  const camera = useMemo(() => new PerspectiveCamera(30, 1, 1, 1e5), []);
  const box = useMemo(() => new LineSegments(new EdgesGeometry(new BoxGeometry(1, 1, 1)), new LineBasicMaterial({ color: 0x4cc2ff, transparent: true, opacity: 0.5, depthTest: false })), []);
  const overlay = useMemo(() => new Scene(), []);
  useLayoutEffect(
    () =>
      registerPaneScene('3d', scene, camera, {
        overlay,
        // Read when the compositor draws the pane, after every frame callback has run.
        cacheKey: () => volumeImageKey(useViewerStore.getState(), cameraPoseKey(camera), scene, texturesVersion()),
        resolution: volumeResolution,
      }),
    [scene, camera, overlay],
  );
  // An outline, drawn over the rendering: its far edges show through, as a box drawn in wire does.
  box.renderOrder = 50;
  useLayoutEffect(
    () => () => {
      box.geometry.dispose();
      (box.material as LineBasicMaterial).dispose();
    },
    [box],
  );

  // Priority −1: the camera is placed before any other frame callback reads it. r3f runs callbacks
  // of equal priority in the order they subscribed, and after this pane is unmounted and mounted
  // again with a layer open, VolumeRender (a child) subscribes first.
  useFrame(() => {
    const setup = volumeCameraSetup(useViewerStore.getState());
    if (!setup) return;
    camera.fov = setup.fovDeg;
    camera.aspect = setup.aspect;
    camera.near = setup.near;
    camera.far = setup.far;
    camera.up.set(...setup.up);
    camera.position.set(...setup.position);
    camera.lookAt(...setup.target);
    camera.updateProjectionMatrix();
    camera.updateMatrixWorld();
    box.position.set(...setup.centre);
    box.scale.set(...setup.extent);
  }, -1);

  const { base, overlays } = volumeLayers(layers);
  const volume = createPortal(<>{base && <VolumeRender key={base.id} layer={base} overlays={overlays} />}</>, scene);
  // The outline and the crosshair are drawn over the cached volume image every frame, at the
  // pane's full resolution (sharp while a drag draws the volume at a fraction of it).
  return (
    <>
      {volume}
      {createPortal(
        <>
          <primitive object={box} />
          <Crosshair3D />
          <ClipBox3D />
          <Pins3D />
          <Structures3D />
        </>,
        overlay,
      )}
    </>
  );
}

/** While the user drags (or skipping is not ready), a reduced resolution (rayParams.ts), refined after. */
const volumeResolution = () => {
  const s = useViewerStore.getState();
  return coarse3D(s) ? interactionResolution(s.renderMode) : 1;
};
