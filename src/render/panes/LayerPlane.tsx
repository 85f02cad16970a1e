// One layer drawn on one plane: a slice pane's full-pane quad, or one of the 3D pane's three
// planes placed in world space. The fragment shader samples the layer's texture (borrowed from the
// cache, which the canvas's LayerTextures owns) through its inverse affine. Owns its material.
// Per-frame values (the pane's transform, the plane's placement) are read from the store in
// useFrame, not passed as props, so moving the crosshair re-renders nothing in React.
import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { DoubleSide, FrontSide, GLSL3, Matrix4, NoBlending, NormalBlending, RawShaderMaterial, type Camera, type Mesh } from 'three';
import { getRecord } from '../../state/layerRegistry';
import { useViewerStore, type LayerMeta } from '../../state/viewerStore';
import { multiply, type Mat4 } from '../../volume/affine';
import { paneTransform } from '../camera/paneView';
import { clipToWorld, type Plane } from '../camera/sliceGeometry';
import { markLayerDrawn } from '../frameSignal';
import { layerFragmentShader, paneVertexShader, worldVertexShader, type LayerStyle } from '../shaders/layerShader';
import { colormapTexture } from '../textures/colormaps';
import { labelTableFor } from '../textures/labelTables';
import { subscribeTextures, textureFor } from '../textures/textureCache';
import { placePlane } from './planePlacement';
import { cutSign } from './rayParams';

const rowMajor = (m: Mat4, out = new Matrix4()) => out.set(...(m as Parameters<Matrix4['set']>));

/** A slice pane's plane, or a plane in the 3D pane (only the face of the cut octant when `cutFaceOf` is its camera). */
export type PlaneTarget = { kind: 'pane'; plane: Plane } | { kind: 'world'; plane: Plane; cutFaceOf?: Camera };

export function styleOf(layer: LayerMeta, order: number): LayerStyle {
  if (layer.display.colormap === 'label') return layer.display.outline ? 'outline' : 'label';
  return order > 0 ? 'overlay' : 'base';
}

export function LayerPlane({ layer, order, target }: { layer: LayerMeta; order: number; target: PlaneTarget }) {
  const volume = useSyncExternalStore(subscribeTextures, () => textureFor(layer.id) ?? null);
  const style = styleOf(layer, order);
  const world = target.kind === 'world';
  const mesh = useRef<Mesh>(null);

  const material = useMemo(() => {
    if (!volume) return null;
    const [nx, ny, nz] = layer.dims;
    return new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: world ? worldVertexShader : paneVertexShader,
      fragmentShader: layerFragmentShader(volume.format, style),
      uniforms: {
        uVolume: { value: volume.texture },
        uClipToVoxel: { value: new Matrix4() },
        uWorldToVoxel: { value: new Matrix4() },
        uDims: { value: [nx, ny, nz] },
        uFrameZ: { value: 0 },
        uLinear: { value: false },
        uRawScale: { value: volume.format.rawScale },
        uSlope: { value: layer.slope },
        uInter: { value: layer.inter },
        uWinLo: { value: 0 },
        uWinHi: { value: 1 },
        uOpacity: { value: 1 },
        uLut: { value: colormapTexture('gray') },
        uLabels: { value: null },
        uLabelCount: { value: 0 },
      },
      transparent: true,
      blending: NormalBlending,
      depthTest: world,
      depthWrite: world,
      // The 3D pane sees its planes from both sides as the camera orbits.
      side: world ? DoubleSide : FrontSide,
    });
  }, [volume, layer.dims, layer.slope, layer.inter, style, world]);

  useLayoutEffect(() => {
    if (!material) return;
    markLayerDrawn(layer.id, true);
    return () => {
      markLayerDrawn(layer.id, false);
      material.dispose();
    };
  }, [material, layer.id]);

  useFrame(() => {
    if (!material || !volume) return;
    const s = useViewerStore.getState();
    const u = material.uniforms;
    // The bottom layer at full opacity replaces the background: no blending to pay for.
    const blend = order > 0 || layer.display.opacity < 1 || style === 'label' || style === 'outline';
    if (material.transparent !== blend) {
      material.transparent = blend;
      material.blending = blend ? NormalBlending : NoBlending;
      material.needsUpdate = true;
    }
    // After close the record is gone but the texture (and its pin) live until unmount: keep the last matrices.
    const record = getRecord(layer.id);
    if (record) {
      if (target.kind === 'pane') {
        const v = paneTransform(s, target.plane);
        if (v) rowMajor(multiply(record.inverseAffine, clipToWorld(v)), u.uClipToVoxel.value as Matrix4);
      } else {
        rowMajor(record.inverseAffine, u.uWorldToVoxel.value as Matrix4);
        const sign = target.cutFaceOf && s.crosshair ? cutSign(target.cutFaceOf.position.toArray(), s.crosshair) : undefined;
        if (mesh.current) placePlane(mesh.current, s, target.plane, sign);
      }
    }
    u.uFrameZ.value = volume.allFrames ? layer.display.frame * layer.dims[2] : 0;
    u.uLinear.value = layer.display.interpolation === 'linear' && style !== 'label' && style !== 'outline';
    u.uWinLo.value = layer.display.window[0];
    u.uWinHi.value = layer.display.window[1];
    u.uOpacity.value = layer.display.opacity;
    if (style === 'label' || style === 'outline') {
      const table = labelTableFor(layer);
      u.uLabels.value = table.texture;
      u.uLabelCount.value = table.count;
    } else {
      u.uLut.value = colormapTexture(layer.display.colormap);
    }
  });

  if (!material || !layer.display.visible) return null;
  return (
    <mesh ref={mesh} frustumCulled={false} renderOrder={order} material={material}>
      <planeGeometry args={world ? [1, 1] : [2, 2]} />
    </mesh>
  );
}
