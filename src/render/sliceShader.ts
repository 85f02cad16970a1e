// The slice shader: each fragment goes clip → world → voxel (through the layer's inverse affine)
// and fetches the nearest stored value exactly (texelFetch), so oblique affines and layers on
// different grids display correctly. Scaling and window are applied here, never to the buffer.
import type { TextureFormat } from './textureFormats';

const SAMPLERS = { float: 'sampler3D', int: 'isampler3D', uint: 'usampler3D' } as const;

// clip → voxel is affine, so the vertex shader maps the quad's corners and the rasteriser's
// linear interpolation gives every fragment its exact voxel coordinate: no matrix per fragment.
export const sliceVertexShader = /* glsl */ `
uniform mat4 uClipToVoxel;
in vec3 position;
out vec3 vVoxel;
void main() {
  vVoxel = (uClipToVoxel * vec4(position.xy, 0.0, 1.0)).xyz;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

/**
 * `overlay`: values at or below the window's low end are transparent (a label map's 0, a
 * statistic map's sub-threshold values), so layers above the first do not veil it.
 */
export function sliceFragmentShader(format: TextureFormat, overlay = false): string {
  return /* glsl */ `
precision highp float;
precision highp int;
precision highp sampler3D;
precision highp isampler3D;
precision highp usampler3D;

uniform ${SAMPLERS[format.sampler]} uVolume;
uniform ivec3 uDims;
uniform float uRawScale;
uniform float uSlope;
uniform float uInter;
uniform float uWinLo;
uniform float uWinHi;
uniform float uOpacity;
uniform sampler2D uLut;

in vec3 vVoxel;
out vec4 fragColor;

void main() {
  // Voxel centres sit on integer indices; floor(x + 0.5) matches the probe's rounding.
  ivec3 ijk = ivec3(floor(vVoxel + 0.5));
  if (any(lessThan(ijk, ivec3(0))) || any(greaterThanEqual(ijk, uDims))) discard;
  vec4 texel = vec4(texelFetch(uVolume, ijk, 0));
${
  format.channels > 1
    ? `  fragColor = vec4(texel.rgb, uOpacity);`
    : `  float raw = texel.r * uRawScale;
  if (isnan(raw)) discard;
  float value = raw * uSlope + uInter;
  ${overlay ? 'if (value <= uWinLo) discard;' : ''}
  float t = clamp((value - uWinLo) / max(uWinHi - uWinLo, 1e-30), 0.0, 1.0);
  vec4 colour = texelFetch(uLut, ivec2(int(t * 255.0 + 0.5), 0), 0);
  fragColor = vec4(colour.rgb, colour.a * uOpacity);`
}
}
`;
}
