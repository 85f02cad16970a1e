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
