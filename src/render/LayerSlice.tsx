// One layer drawn in one slice view: a full-view quad whose fragment shader samples the layer's
// 3D texture through its inverse affine. Borrows the texture from the cache for as long as it is
// mounted; owns (and disposes) its material.
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useState } from 'react';
import { GLSL3, Matrix4, NoBlending, NormalBlending, RawShaderMaterial } from 'three';
import { getRecord } from '../state/layerRegistry';
import type { LayerMeta } from '../state/viewerStore';
import { multiply, type Mat4 } from '../volume/affine';
import { colormapTexture } from './colormaps';
import { markLayerReady } from './frameSignal';
import { sliceFragmentShader, sliceVertexShader } from './sliceShader';
import { clipToWorld, type ViewTransform } from './sliceGeometry';
import { acquireLayerTexture, releaseLayerTexture, setLayerTextureFrame } from './textureCache';
import type { VolumeTexture } from './textures';

const rowMajor = (m: Mat4) => new Matrix4().set(...(m as Parameters<Matrix4['set']>));

export function LayerSlice({ layer, view, order }: { layer: LayerMeta; view: ViewTransform; order: number }) {
  const [volume, setVolume] = useState<VolumeTexture | null>(null);
  const invalidate = useThree((s) => s.invalidate);

  // Layout effects run before the next animation frame, so the very first frame that draws this
  // layer can satisfy voxlens.frame(); passive effects would run after it and cost another frame.
  useLayoutEffect(() => {
    const texture = acquireLayerTexture(layer.id);
    // The texture lives in a cache outside React; this effect borrows it and gives it back.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setVolume(texture);
    if (!texture) markLayerReady(layer.id, true); // cannot be displayed (a notice says why): not awaited
    return () => {
      markLayerReady(layer.id, false);
      releaseLayerTexture(layer.id);
    };
  }, [layer.id]);

  const material = useMemo(() => {
    if (!volume) return null;
    return new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: sliceVertexShader,
      fragmentShader: sliceFragmentShader(volume.format, order > 0),
      uniforms: {
        uVolume: { value: volume.texture },
        uClipToVoxel: { value: new Matrix4() },
        uDims: { value: layer.dims.slice(0, 3) },
        uRawScale: { value: volume.format.rawScale },
        uSlope: { value: layer.slope },
        uInter: { value: layer.inter },
        uWinLo: { value: 0 },
        uWinHi: { value: 1 },
        uOpacity: { value: 1 },
        uLut: { value: colormapTexture('gray') },
      },
      transparent: true,
      blending: NormalBlending,
      depthTest: false,
      depthWrite: false,
    });
  }, [volume, layer.dims, layer.slope, layer.inter, order]);

  useLayoutEffect(() => {
    if (!material) return;
    markLayerReady(layer.id, true);
    return () => material.dispose();
  }, [material, layer.id]);

  useLayoutEffect(() => {
    if (volume) setLayerTextureFrame(layer.id, layer.display.frame);
  }, [volume, layer.id, layer.display.frame]);

  useEffect(() => invalidate(), [invalidate, view, layer.display, material]);

  useFrame(() => {
    if (!material) return;
    // The bottom layer at full opacity replaces the black background: no blending to pay for.
    const blend = order > 0 || layer.display.opacity < 1;
    if (material.transparent !== blend) {
      material.transparent = blend;
      material.blending = blend ? NormalBlending : NoBlending;
      material.needsUpdate = true;
    }
    const record = getRecord(layer.id);
    const u = material.uniforms;
    // After close the record is gone but the texture (and its pin) live until unmount: keep the last matrix.
    if (record) u.uClipToVoxel.value = rowMajor(multiply(record.inverseAffine, clipToWorld(view)));
    u.uWinLo.value = layer.display.window[0];
    u.uWinHi.value = layer.display.window[1];
    u.uOpacity.value = layer.display.opacity;
    u.uLut.value = colormapTexture(layer.display.colormap);
  });

  if (!material || !layer.display.visible) return null;
  return (
    <mesh frustumCulled={false} renderOrder={order} material={material}>
      <planeGeometry args={[2, 2]} />
    </mesh>
  );
}
