// The shader that draws one layer in a slice pane (a full-pane quad, clip → voxel). Each fragment
// knows its voxel coordinate exactly (the map is affine, so the rasteriser's interpolation of the
// corners is exact) and samples through the shared chunks; scaling and window are applied here,
// never to the buffer.
import type { TextureFormat } from '../textures/textureFormats';
import { labelChunk, precisionChunk, samplingChunk, windowChunk, type TextureGrid } from './chunks';

/** Slice panes: the quad covers the pane; uClipToVoxel maps its corners to voxel coordinates. */
export const paneVertexShader = /* glsl */ `
uniform mat4 uClipToVoxel;
in vec3 position;
out vec3 vVoxel;
void main() {
  vVoxel = (uClipToVoxel * vec4(position.xy, 0.0, 1.0)).xyz;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

export type LayerStyle = 'base' | 'overlay' | 'label' | 'outline';

/**
 * `overlay`: values at or below the window's low end are transparent (a statistic map's
 * sub-threshold values), so layers above the first do not veil it; with a negative colormap
 * (uNegOn), values v < 0 are drawn from it over |v| in [uNegLo, uNegHi], transparent at or below
 * uNegLo, so a signed map shows both tails and nothing between them. `label`: colours per stored
 * value (always nearest); `outline`: only the edges between labels, found by comparing the label
 * one screen pixel away (dFdx/dFdy of the voxel coordinate).
 */
export function layerFragmentShader(format: TextureFormat, style: LayerStyle, grid: TextureGrid = 1): string {
  const labels = style === 'label' || style === 'outline';
  let body: string;
  if (format.channels > 1) {
    body = `  fragColor = vec4(sampleTexel(vVoxel).rgb, uOpacity);`;
  } else if (labels) {
    body = `  int label = labelAt(vVoxel);
${
  style === 'outline'
    ? `  vec3 dx = dFdx(vVoxel), dy = dFdy(vVoxel);
  if (label == labelAt(vVoxel + dx) && label == labelAt(vVoxel - dx) && label == labelAt(vVoxel + dy) && label == labelAt(vVoxel - dy)) discard;
  if (label == 0) label = max(max(labelAt(vVoxel + dx), labelAt(vVoxel - dx)), max(labelAt(vVoxel + dy), labelAt(vVoxel - dy)));`
    : ''
}
  vec4 colour = labelColour(label);
  if (colour.a == 0.0) discard;
  fragColor = vec4(colour.rgb, colour.a * uOpacity);`;
  } else {
    body = `  float raw = sampleTexel(vVoxel).r * uRawScale;
  if (isnan(raw)) discard;
  float value = scaledValue(raw);
  vec4 colour;
${
  style === 'overlay'
    ? `  if (uNegOn && value < 0.0) {
    if (-value <= uNegLo) discard;
    float t = clamp((-value - uNegLo) / max(uNegHi - uNegLo, 1e-30), 0.0, 1.0);
    colour = texelFetch(uNegLut, ivec2(int(t * 255.0 + 0.5), 0), 0);
  } else {
    if (value <= uWinLo) discard;
    colour = windowColour(value);
  }`
    : '  colour = windowColour(value);'
}
  fragColor = vec4(colour.rgb, colour.a * uOpacity);`;
  }
  return /* glsl */ `
${precisionChunk}
${samplingChunk(format.sampler, grid)}
${windowChunk}
${labels ? labelChunk : ''}
${style === 'overlay' ? 'uniform bool uNegOn; uniform float uNegLo; uniform float uNegHi; uniform sampler2D uNegLut;' : ''}
uniform float uOpacity;
in vec3 vVoxel;
out vec4 fragColor;
${
  labels
    ? `int labelAt(vec3 v) {
  if (outsideVolume(v)) return 0;
  return int(round(fetchTexel(nearestVoxel(v)).r * uRawScale));
}`
    : ''
}
void main() {
  if (outsideVolume(vVoxel)) discard;
${body}
}
`;
}
