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

/** A thick slab's reduction (state/orientation.ts SlabMode): max (MIP), min (MinIP) or mean. */
export type SlabReduceMode = 'max' | 'min' | 'mean';

/**
 * A thick slab (state/orientation.ts), one program per mode (the reduction is a constant, as the
 * ray caster's mode is): uThickCount samples along the pane's normal, uThickStep apart in voxel
 * coordinates, centred on the fragment's plane, each through the same sampler as a thin slice,
 * reduced to their max, min or mean of scaled values. Samples outside the grid are left out; none
 * inside: no value. The loop runs only over the samples the line can have inside the voxels'
 * cover (a line through a box, one index wider each side; outsideVolume still decides each).
 *
 * MIP and MinIP skip what cannot change the pixel, so the colour is the one every sample gives
 * (volume/slab.ts, the CPU reference, takes them all): once a sample is taken, a cell or brick of
 * the skip grids (volume/bricks.ts: raw min and max over its voxels and the apron a trilinear
 * sample reads; the ray caster's) whose range lies within what the best value already shows is
 * passed over to the first sample past it, and the march ends when the best value saturates the
 * window (nothing further can change its colour). `style` decides what "shows the same" means: a
 * base layer draws the value's LUT entry; an overlay also hides values at or below the window's
 * low end, and with a negative colormap draws values below zero from it.
 */
function thickSlabChunk(mode: SlabReduceMode, style: 'base' | 'overlay'): string {
  const skipping = mode !== 'mean';
  // Whether no value in [lo, hi] can change the colour of the best value so far (taken: at least one sample).
  const settled =
    mode === 'max'
      ? style === 'base'
        ? 'hi <= best || windowBin(hi) <= windowBin(best)'
        : 'hi <= best || ((!uNegOn || best >= 0.0) && windowBin(hi) <= windowBin(best) && (best > uWinLo || hi <= uWinLo))'
      : style === 'base'
        ? 'lo >= best || windowBin(lo) >= windowBin(best)'
        : 'lo >= best || ((!uNegOn || lo >= 0.0) && windowBin(lo) >= windowBin(best) && (lo > uWinLo || best <= uWinLo))';
  const reduce = mode === 'max' ? 'acc = max(acc, v);' : mode === 'min' ? 'acc = min(acc, v);' : 'acc += v;';
  return /* glsl */ `
uniform int uThickCount;
uniform vec3 uThickStep;
${
  skipping
    ? `uniform bool uSkip;
uniform highp sampler3D uBricks;
uniform float uBrickSize;
uniform highp sampler3D uCells;
uniform float uCellSize;

bool settled(float lo, float hi, float best) {
  return ${settled};
}

// The range (scaled) of the skip grid's box of size voxels holding q, read when q enters another.
void enterBox(highp sampler3D ranges, float size, vec3 q, inout ivec3 box, inout vec2 range) {
  ivec3 c = clamp(ivec3(floor((q + 0.5) / size)), ivec3(0), textureSize(ranges, 0) - 1);
  if (c == box) return;
  box = c;
  vec2 raw = texelFetch(ranges, c, 0).rg; // stored values, not texels
  vec2 v = vec2(scaledValue(raw.x), scaledValue(raw.y));
  range = vec2(min(v.x, v.y), max(v.x, v.y));
}

// The last sample index of p + i·d (i ≥ s) inside the skip grid's box of size voxels; s itself
// where that cannot be confirmed. Every sample passed over then lies in the box: the line meets the
// box in one run of samples, and the last is checked the way enterBox found the box.
int lastInside(vec3 p, vec3 d, vec3 inv, ivec3 box, float size, int s) {
  vec3 a = (vec3(box) * size - 0.5 - p) * inv, b = (vec3(box + 1) * size - 0.5 - p) * inv;
  float t1 = min(min(max(a.x, b.x), max(a.y, b.y)), max(a.z, b.z));
  int l = int(ceil(clamp(t1, float(s), float(s) + 1e6))) - 1;
  if (l <= s || ivec3(floor((p + d * float(l) + 0.5) / size)) != box) return s;
  return l;
}
`
    : ''
}
bool slabValue(vec3 centre, out float value) {
  vec3 d = uThickStep;
  vec3 p = centre - d * (0.5 * float(uThickCount - 1));
  vec3 inv = 1.0 / mix(d, vec3(1e-30), vec3(equal(d, vec3(0.0))));
  vec3 a = (vec3(-0.5) - p) * inv, b = (vec3(uDims) - 0.5 - p) * inv;
  float t0 = max(max(min(a.x, b.x), min(a.y, b.y)), min(a.z, b.z));
  float t1 = min(min(max(a.x, b.x), max(a.y, b.y)), max(a.z, b.z));
  int first = int(clamp(floor(t0) - 1.0, 0.0, float(uThickCount)));
  int last = int(clamp(ceil(t1) + 1.0, -1.0, float(uThickCount - 1)));
  float acc = ${mode === 'max' ? '-3.4e38' : mode === 'min' ? '3.4e38' : '0.0'};
  int n = 0;${
    skipping
      ? `
  ivec3 cell = ivec3(-1), brick = ivec3(-1);
  vec2 cellRange = vec2(0.0), brickRange = vec2(0.0);`
      : ''
  }
  for (int s = first; s <= last; s++) {
    vec3 q = p + d * float(s);
    if (outsideVolume(q)) continue;${
      skipping
        ? `
    if (uSkip && n > 0) {
      enterBox(uCells, uCellSize, q, cell, cellRange);
      if (settled(cellRange.x, cellRange.y, acc)) {
        s = lastInside(p, d, inv, cell, uCellSize, s);
        continue;
      }
      enterBox(uBricks, uBrickSize, q, brick, brickRange);
      if (settled(brickRange.x, brickRange.y, acc)) {
        s = lastInside(p, d, inv, brick, uBrickSize, s);
        continue;
      }
    }`
        : ''
    }
    float raw = sampleRed(q) * uRawScale;
    if (isnan(raw)) continue;
    float v = scaledValue(raw);
    ${reduce}
    n++;${
      skipping
        ? `
    // Saturated: no further sample can change the colour.
    if (settled(${mode === 'max' ? 'acc, 3.4e38' : '-3.4e38, acc'}, acc)) break;`
        : ''
    }
  }
  value = ${mode === 'mean' ? 'acc / float(max(n, 1))' : 'acc'};
  return n > 0;
}
`;
}

/**
 * `overlay`: values at or below the window's low end are transparent (a statistic map's
 * sub-threshold values), so layers above the first do not veil it; with a negative colormap
 * (uNegOn), values v < 0 are drawn from it over |v| in [uNegLo, uNegHi], transparent at or below
 * uNegLo, so a signed map shows both tails and nothing between them. `label`: colours per stored
 * value (always nearest); `outline`: only the edges between labels, found by comparing the label
 * one screen pixel away (dFdx/dFdy of the voxel coordinate).
 */
export function layerFragmentShader(format: TextureFormat, style: LayerStyle, grid: TextureGrid = 1, slab: SlabReduceMode | false = false): string {
  const labels = style === 'label' || style === 'outline';
  // Label maps show the label at the centre plane (never a MIP of label values), colour at the centre.
  const thick = slab !== false && !labels && format.channels === 1;
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
${style === 'overlay' ? 'uniform bool uNegOn; uniform float uNegLo; uniform float uNegHi; uniform sampler2D uNegLut;' : ''}
${thick && slab ? thickSlabChunk(slab, style === 'overlay' ? 'overlay' : 'base') : ''}
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
