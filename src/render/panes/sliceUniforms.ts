import { Matrix4 } from 'three';
import { slabUniforms, type VolumeTexture } from '../textures/textures';

/**
 * The uniforms every slice-pane program samples a layer's texture with (texelAt / sampleAt of the shader
 * chunks): the texture and its z-slabs, the grid, the frame offset, linear or nearest, and the raw → scaled
 * map. uClipToVoxel is set each frame from the pane's transform.
 */
export function sliceSampleUniforms(volume: VolumeTexture, dims: readonly number[], slope: number, inter: number): Record<string, { value: unknown }> {
  return {
    uVolume: { value: volume.texture },
    ...slabUniforms(volume),
    uClipToVoxel: { value: new Matrix4() },
    uDims: { value: [dims[0], dims[1], dims[2]] },
    uFrameZ: { value: 0 },
    uLinear: { value: false },
    uRawScale: { value: volume.format.rawScale },
    uSlope: { value: slope },
    uInter: { value: inter },
  };
}

/**
 * A slab's per-draw values for its march (layerShader slabValue), from its step in voxel
 * coordinates: the step's inverse per axis (1e30 along an axis it does not move on, where the
 * shader divided by 1e-30 before), and per axis the face of a box the line leaves it by: 1 (the far
 * face) where the step is ≥ 0, 0 (the near one) where it goes down.
 */
export function slabStepUniforms(step: readonly [number, number, number]): { inv: [number, number, number]; far: [number, number, number] } {
  const inv = step.map((c) => (c === 0 ? 1e30 : 1 / Math.fround(c))) as [number, number, number];
  const far = step.map((c) => (c >= 0 ? 1 : 0)) as [number, number, number];
  return { inv, far };
}
