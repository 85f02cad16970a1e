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

/** Slab modes as the shader's uThickMode: 0 max (MIP), 1 min (MinIP), 2 mean. */
export const SLAB_MODE_INDEX = { max: 0, min: 1, mean: 2 } as const;

/**
 * A thick slab (state/orientation.ts): uThickCount samples along the pane's normal, uThickStep
 * apart in voxel coordinates, centred on the fragment's plane, each through the same sampler as a
 * thin slice, reduced to their max, min or mean of scaled values. Samples outside the grid are
 * left out; none inside: no value.
 */
const thickSlabChunk = /* glsl */ `
uniform int uThickCount;
uniform vec3 uThickStep;
uniform int uThickMode;
bool slabValue(vec3 centre, out float value) {
  vec3 p = centre - uThickStep * (0.5 * float(uThickCount - 1));
  float acc = uThickMode == 0 ? -3.4e38 : uThickMode == 1 ? 3.4e38 : 0.0;
  int n = 0;
  for (int s = 0; s < uThickCount; s++) {
    vec3 q = p + uThickStep * float(s);
    if (outsideVolume(q)) continue;
    float raw = sampleRed(q) * uRawScale;
    if (isnan(raw)) continue;
    float v = scaledValue(raw);
    acc = uThickMode == 0 ? max(acc, v) : uThickMode == 1 ? min(acc, v) : acc + v;
    n++;
  }
  value = uThickMode == 2 ? acc / float(max(n, 1)) : acc;
  return n > 0;
}
`;

/**
 * `overlay`: values at or below the window's low end are transparent (a statistic map's
 * sub-threshold values), so layers above the first do not veil it; with a negative colormap
 * (uNegOn), values v < 0 are drawn from it over |v| in [uNegLo, uNegHi], transparent at or below
 * uNegLo, so a signed map shows both tails and nothing between them. `label`: colours per stored
 * value (always nearest); `outline`: only the edges between labels, found by comparing the label
 * one screen pixel away (dFdx/dFdy of the voxel coordinate).
 */
export function layerFragmentShader(format: TextureFormat, style: LayerStyle, grid: TextureGrid = 1, slab = false): string {
  const labels = style === 'label' || style === 'outline';
  // Label maps show the label at the centre plane (never a MIP of label values), colour at the centre.
  const thick = slab && !labels && format.channels === 1;
  let body: string;
  if (format.channels > 1 && format.sampler !== 'float') {
    // Integer colour (rgb48): each component through the layer's window, as a grey value is.
    body = `  vec3 rgb = sampleTexel(vVoxel).rgb * uRawScale * uSlope + uInter;
  fragColor = vec4(clamp((rgb - uWinLo) / max(uWinHi - uWinLo, 1e-30), 0.0, 1.0), uOpacity);`;
  } else if (format.channels > 1) {
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
    body = `${
      thick
        ? `  float value;
  if (!slabValue(vVoxel, value)) discard;`
        : `  float raw = sampleTexel(vVoxel).r * uRawScale;
  if (isnan(raw)) discard;
  float value = scaledValue(raw);`
    }
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
${thick ? thickSlabChunk : ''}
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
${thick ? '' : '  if (outsideVolume(vVoxel)) discard;'}
${body}
}
`;
}
