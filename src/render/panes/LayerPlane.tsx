// One layer drawn in one slice pane: a full-pane quad whose fragment shader samples the layer's
// texture (borrowed from the cache, which the canvas's LayerTextures owns) through its inverse
// affine. Owns its material. The pane's transform is read from the store in useFrame, not passed
// as a prop, so moving the crosshair re-renders nothing in React.
import { useFrame } from '@react-three/fiber';
import { useLayoutEffect, useMemo, useSyncExternalStore } from 'react';
import { GLSL3, Matrix4, NoBlending, NormalBlending, RawShaderMaterial } from 'three';
import { getRecord } from '../../state/layerRegistry';
import { toMatrix4 } from '../camera/matrix4';
import { useViewerStore, type LayerMeta } from '../../state/viewerStore';
import { multiply } from '../../volume/affine';
import { paneTransform } from '../camera/paneView';
import { clipToWorld, type Plane } from '../camera/sliceGeometry';
import { markLayerDrawn } from '../frameSignal';
import { layerFragmentShader, paneVertexShader, type LayerStyle } from '../shaders/layerShader';
import { colormapTexture } from '../textures/colormaps';
import { labelTableFor } from '../textures/labelTables';
import { subscribeTextures, textureFor } from '../textures/textureCache';


export function styleOf(layer: LayerMeta, order: number): LayerStyle {
  if (layer.display.colormap === 'label') return layer.display.outline ? 'outline' : 'label';
  return order > 0 ? 'overlay' : 'base';
}

export function LayerPlane({ layer, order, plane }: { layer: LayerMeta; order: number; plane: Plane }) {
  const volume = useSyncExternalStore(subscribeTextures, () => textureFor(layer.id) ?? null);
  const style = styleOf(layer, order);

  const material = useMemo(() => {
    if (!volume) return null;
    const [nx, ny, nz] = layer.dims;
    return new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: paneVertexShader,
      fragmentShader: layerFragmentShader(volume.format, style),
      uniforms: {
        uVolume: { value: volume.texture },
        uClipToVoxel: { value: new Matrix4() },
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
      depthTest: false,
      depthWrite: false,
    });
  }, [volume, layer.dims, layer.slope, layer.inter, style]);

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
    const v = record && paneTransform(s, plane);
    if (record && v) toMatrix4(multiply(record.inverseAffine, clipToWorld(v)), u.uClipToVoxel.value as Matrix4);
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
    <mesh frustumCulled={false} renderOrder={order} material={material}>
      <planeGeometry args={[2, 2]} />
    </mesh>
  );
}
