// The threshold brush's and region grow's range shown live in the slice panes (issue 24): while
// either tool is on, every voxel of the segmentation's reference image whose scaled value is
// within [lo, hi] is tinted in the active segment's colour, above the layers. The reference is
// read at its nearest voxel, as the tools test voxel centres, from the texture its layer already
// has (nothing uploaded). Changing the range redraws at once: it is a uniform.
import { useFrame } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useSyncExternalStore } from 'react';
import { GLSL3, Matrix4, NormalBlending, RawShaderMaterial, Vector4 } from 'three';
import { getSession, useSegmentationStore } from '../../segmentation/session';
import { useSegmentTool } from '../../segmentation/toolStore';
import { getRecord } from '../../state/layerRegistry';
import { useViewerStore } from '../../state/viewerStore';
import { multiply } from '../../volume/affine';
import { toMatrix4 } from '../camera/matrix4';
import { paneTransform } from '../camera/paneView';
import { clipToWorld, type Plane } from '../camera/sliceGeometry';
import { invalidateFrame } from '../frameSignal';
import { precisionChunk, samplingChunk } from '../shaders/chunks';
import { paneVertexShader } from '../shaders/layerShader';
import { textureGrid } from '../textures/textures';
import { sliceSampleUniforms } from './sliceUniforms';
import { subscribeTextures, textureFor } from '../textures/textureCache';
import type { TextureFormat } from '../textures/textureFormats';
import type { TextureGrid } from '../shaders/chunks';

/** The tint's alpha: the image stays readable under it. */
const TINT_ALPHA = 0.4;

export const thresholdTintShader = (format: TextureFormat, grid: TextureGrid) => /* glsl */ `
${precisionChunk}
${samplingChunk(format.sampler, grid)}
uniform float uRawScale;
uniform float uSlope;
uniform float uInter;
uniform float uLo;
uniform float uHi;
uniform vec4 uTint;
in vec3 vVoxel;
out vec4 fragColor;
void main() {
  if (outsideVolume(vVoxel)) discard;
  float raw = fetchTexel(nearestVoxel(vVoxel)).r * uRawScale;
  if (isnan(raw)) discard;
  float value = raw * uSlope + uInter;
  if (value < uLo || value > uHi) discard;
  fragColor = uTint;
}
`;

export function ThresholdTint({ plane }: { plane: Plane }) {
  const tool = useSegmentTool((s) => s.tool);
  const range = useSegmentTool((s) => s.range);
  const activeId = useSegmentationStore((s) => s.activeId);
  const colour = useSegmentationStore((s) => {
    const m = s.list.find((x) => x.id === s.activeId);
    return m?.segments.find((x) => x.value === m.active)?.color;
  });
  const session = activeId ? getSession(activeId) : undefined;
  // Only while the reference is on the GPU as its layer (a closed base layer: no tint).
  const baseId = session?.editor.ref ? session.baseId : undefined;
  const layer = useViewerStore((s) => s.layers.find((l) => l.id === baseId));
  const volume = useSyncExternalStore(subscribeTextures, () => (baseId ? (textureFor(baseId) ?? null) : null));
  const on = (tool === 'threshold' || tool === 'grow') && !!layer && !!volume;

  const material = useMemo(() => {
    if (!volume || !layer) return null;
    return new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: paneVertexShader,
      fragmentShader: thresholdTintShader(volume.format, textureGrid(volume)),
      uniforms: {
        ...sliceSampleUniforms(volume, layer.dims, layer.slope, layer.inter),
        uLo: { value: 0 },
        uHi: { value: 0 },
        uTint: { value: new Vector4() },
      },
      transparent: true,
      blending: NormalBlending,
      depthTest: false,
      depthWrite: false,
    });
  }, [volume, layer]);
  useLayoutEffect(() => (material ? () => material.dispose() : undefined), [material]);
  useEffect(() => invalidateFrame(), [on, range, colour]);

  useFrame(() => {
    if (!material || !on || !baseId) return;
    const inverse = getRecord(baseId)?.inverseAffine;
    const v = inverse && paneTransform(useViewerStore.getState(), plane);
    if (!inverse || !v) return;
    const u = material.uniforms;
    toMatrix4(multiply(inverse, clipToWorld(v)), u.uClipToVoxel.value as Matrix4);
    // The tools read the reference's first frame.
    u.uFrameZ.value = 0;
    u.uLo.value = range[0];
    u.uHi.value = range[1];
    const [r, g, b] = colour ?? [255, 235, 59];
    (u.uTint.value as Vector4).set(r / 255, g / 255, b / 255, TINT_ALPHA);
  });

  if (!on || !material) return null;
  return (
    <mesh frustumCulled={false} renderOrder={1000} material={material} name="threshold-tint">
      <planeGeometry args={[2, 2]} />
    </mesh>
  );
}
