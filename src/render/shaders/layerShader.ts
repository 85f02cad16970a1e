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
 * sample reads; the 4-voxel bricks the ray caster also reads, and cells of 16 voxels,
 * textures/brickTextures.ts) whose range cannot pass the best value's *reach* is passed over to
 * the first sample past it (one exit computed a step), and the march ends when the reach is everything (the best value
 * saturates the window). The reach (volume/slab.ts slabReach, the same rule) is the furthest value
 * that still shows as the best value does, worked out once per new best, so a cell or brick costs
 * one comparison: for a base layer, the end of the best value's LUT entry; an overlay also hides
 * values at or below the window's low end, and with a negative colormap draws values below zero
 * from it. An overlay's MinIP keeps the full test (its hiding depends on the range's low end).
 */
// An overlay's MIP: a negative best (drawn from the negative colormap) reaches nowhere; a hidden one (at or below the window's low end) only up to it.
const OVERLAY_REACH = `
  if (uNegOn && best < 0.0) return best;
  if (best <= uWinLo) return max(best, uWinLo);`;

function thickSlabChunk(mode: SlabReduceMode, style: 'base' | 'overlay'): string {
  const skipping = mode !== 'mean';
  // A reach (one comparison a range) where the rule is a threshold; an overlay's MinIP compares the range's low end otherwise.
  const reaching = mode === 'max' || style === 'base';
  const reach =
    mode === 'max'
      ? `// The highest value that shows as best does: no range up to it can change the pixel; 3.4e38: saturated.
float reachOf(float best) {${style === 'overlay' ? OVERLAY_REACH : ''}
  int bin = windowBin(best);
  if (bin >= 255) return 3.4e38;
  float width = max(uWinHi - uWinLo, 1e-30);
  // A hair below where the next entry starts, kept only where it is confirmed in this entry (windowBin is monotonic).
  float edge = uWinLo + width * ((float(bin) + 0.5) / 255.0) - width * 1e-5;
  return windowBin(edge) <= bin ? max(best, edge) : best;
}`
      : `// The lowest value that shows as best does: no range down to it can change the pixel; -3.4e38: saturated.
float reachOf(float best) {
  int bin = windowBin(best);
  if (bin <= 0) return -3.4e38;
  float width = max(uWinHi - uWinLo, 1e-30);
  float edge = uWinLo + width * ((float(bin) - 0.5) / 255.0) + width * 1e-5;
  return windowBin(edge) >= bin ? min(best, edge) : best;
}`;
  const settled =
    mode === 'max'
      ? 'hi <= reach'
      : reaching
        ? 'lo >= reach'
        : 'lo >= best || ((!uNegOn || lo >= 0.0) && windowBin(lo) >= windowBin(best) && (lo > uWinLo || best <= uWinLo))';
  const take =
    mode === 'mean'
      ? 'acc += v;'
      : reaching
        ? `if (${mode === 'max' ? 'v > acc' : 'v < acc'} || n == 0) {
      acc = v;
      reach = reachOf(acc);
      // Saturated: no further sample can change the colour.
      if (reach ${mode === 'max' ? '>= 3.4e38' : '<= -3.4e38'}) { n++; break; }
    }`
        : `acc = min(acc, v);
    if (settled(-3.4e38, acc, acc, acc)) { n++; break; }`;
  return /* glsl */ `
uniform int uThickCount;
uniform vec3 uThickStep;
// Per draw, from the CPU: 1 / uThickStep (1e30 where a component is 0) and, per axis, 1 where the
// step is ≥ 0: the face of a box the line leaves it by.
uniform vec3 uThickInv;
uniform vec3 uThickFar;
${
  skipping
    ? `uniform bool uSkip;
uniform highp sampler3D uBricks;
uniform float uBrickSize;
uniform ivec3 uBrickTop;
uniform highp sampler3D uCells;
uniform float uCellSize;
uniform ivec3 uCellTop;
${reaching ? reach : ''}

bool settled(float lo, float hi, float best, float reach) {
  return ${settled};
}

// The skip grid's box of size voxels holding q (the last box where q is past the grid).
ivec3 boxOf(vec3 q, float size, ivec3 top) {
  return min(ivec3(floor((q + 0.5) / size)), top);
}

// The range (scaled) of a box of the skip grid.
vec2 rangeOf(highp sampler3D ranges, ivec3 box) {
  vec2 raw = texelFetch(ranges, box, 0).rg; // stored values, not texels
  vec2 v = vec2(scaledValue(raw.x), scaledValue(raw.y));
  return vec2(min(v.x, v.y), max(v.x, v.y));
}

// The last sample index of p + i·uThickStep (i ≥ s) inside the skip grid's box of size voxels; s
// itself where that cannot be confirmed. Every sample passed over then lies in the box: the line
// meets the box in one run of samples, and the last is checked the way boxOf found the box.
int lastInside(vec3 p, ivec3 box, float size, int s) {
  vec3 t = ((vec3(box) + uThickFar) * size - 0.5 - p) * uThickInv;
  int l = int(ceil(clamp(min(min(t.x, t.y), t.z), float(s), float(s) + 1e6))) - 1;
  if (l <= s || ivec3(floor((p + uThickStep * float(l) + 0.5) / size)) != box) return s;
  return l;
}
`
    : ''
}
bool slabValue(vec3 centre, out float value) {
  vec3 d = uThickStep;
  vec3 p = centre - d * (0.5 * float(uThickCount - 1));
  vec3 a = (vec3(-0.5) - p) * uThickInv, b = (vec3(uDims) - 0.5 - p) * uThickInv;
  float t0 = max(max(min(a.x, b.x), min(a.y, b.y)), min(a.z, b.z));
  float t1 = min(min(max(a.x, b.x), max(a.y, b.y)), max(a.z, b.z));
  int first = int(clamp(floor(t0) - 1.0, 0.0, float(uThickCount)));
  int last = int(clamp(ceil(t1) + 1.0, -1.0, float(uThickCount - 1)));
  float acc = ${mode === 'max' ? '-3.4e38' : mode === 'min' ? '3.4e38' : '0.0'};
  int n = 0;
  // The samples inside the voxels' cover are one run (each coordinate is monotonic in s): its ends,
  // so the march itself tests none.
  while (first <= last && outsideVolume(p + d * float(first))) first++;
  while (last >= first && outsideVolume(p + d * float(last))) last--;${
    skipping
      ? `
  float reach = acc;`
      : ''
  }
  int s = first;
  while (s <= last) {
    vec3 q = p + d * float(s);${
      skipping
        ? `
    // One step passes the cell or, failing that, the brick holding q where its range cannot change
    // the pixel: both ranges read, one exit computed.
    if (uSkip && n > 0) {
      ivec3 c = boxOf(q, uCellSize, uCellTop), b = boxOf(q, uBrickSize, uBrickTop);
      vec2 cr = rangeOf(uCells, c), br = rangeOf(uBricks, b);
      bool inCell = settled(cr.x, cr.y, acc, reach);
      if (inCell || settled(br.x, br.y, acc, reach)) {
        s = lastInside(p, inCell ? c : b, inCell ? uCellSize : uBrickSize, s) + 1;
        continue;
      }
    }`
        : ''
    }
    float raw = sampleRed(q) * uRawScale;
    s++;
    if (isnan(raw)) continue;
    float v = scaledValue(raw);
    ${take}
    n++;
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
