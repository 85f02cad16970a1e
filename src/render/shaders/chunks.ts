// GLSL chunks shared by every shader that reads a layer: sampling (nearest and trilinear, one code
// path for integer and float textures), windowing through a colormap, and label colours. One copy
// each: the slice panes and the 3D pane (and later the ray caster) include these strings.
import { MAX_TEXTURE_SLABS } from '../../gpu/plan';
import type { SamplerKind } from '../textures/textureFormats';

const SAMPLERS: Record<SamplerKind, string> = { float: 'sampler3D', int: 'isampler3D', uint: 'usampler3D' };

export const precisionChunk = /* glsl */ `
precision highp float;
precision highp int;
precision highp sampler3D;
precision highp isampler3D;
precision highp usampler3D;
precision highp sampler2D;
`;

const TEXELS: Record<SamplerKind, string> = { float: 'vec4', int: 'ivec4', uint: 'uvec4' };


/**
 * How a layer's texture is cut into brick textures: a number n of z-slabs (one texture when 1), or
 * [tiles along x, tiles along y, z-slabs] where x or y passes the GPU's 3D size limit.
 */
export type TextureGrid = number | readonly [number, number, number];

/**
 * `texelAt(p)`: the texel at texture index p of a layer's texture: one texture, or bricks (uVolume,
 * uVolume1, …). Along z, slabs whose first slices are uSlabStarts[n], p.z choosing the slab; where
 * the grid is tiled, tiles of uTileSize voxels along x and y within each slab, brick
 * (slab · tilesY + tile y) · tilesX + tile x. Every sample is eight single fetches, so a trilinear
 * sample across a brick boundary reads each side from its own brick.
 */
function texelAtChunk(sampler: SamplerKind, grid: TextureGrid): string {
  const [tx, ty, tz] = typeof grid === 'number' ? [1, 1, grid] : grid;
  const count = tx * ty * tz;
  if (count === 1) return `#define texelAt(p) texelFetch(uVolume, p, 0)`;
  if (count > MAX_TEXTURE_SLABS) throw new Error(`INTERNAL ERROR: ${count} brick textures (at most ${MAX_TEXTURE_SLABS})`);
  const name = (n: number) => (n === 0 ? 'uVolume' : `uVolume${n}`);
  const more = Array.from({ length: count - 1 }, (_, n) => `uniform ${SAMPLERS[sampler]} ${name(n + 1)};`).join('\n');
  if (tx * ty === 1) {
    const pick = Array.from({ length: tz - 1 }, (_, n) => `  if (p.z < uSlabStarts[${n + 1}]) return texelFetch(${name(n)}, ivec3(p.xy, p.z - uSlabStarts[${n}]), 0);`).join('\n');
    return `${more}
uniform int uSlabStarts[${tz}];
${TEXELS[sampler]} texelAt(ivec3 p) {
${pick}
  return texelFetch(${name(tz - 1)}, ivec3(p.xy, p.z - uSlabStarts[${tz - 1}]), 0);
}`;
  }
  const slab = Array.from({ length: tz - 1 }, (_, n) => `  if (p.z >= uSlabStarts[${n + 1}]) { slab = ${n + 1}; z0 = uSlabStarts[${n + 1}]; }`).join('\n');
  const pick = Array.from({ length: count - 1 }, (_, n) => `  if (n == ${n}) return texelFetch(${name(n)}, q, 0);`).join('\n');
  return `${more}
uniform int uSlabStarts[${tz}];
uniform ivec2 uTileSize;
${TEXELS[sampler]} texelAt(ivec3 p) {
  int slab = 0;
  int z0 = uSlabStarts[0];
${slab}
  ivec2 tile = clamp(p.xy / uTileSize, ivec2(0), ivec2(${tx - 1}, ${ty - 1}));
  ivec3 q = ivec3(p.xy - tile * uTileSize, p.z - z0);
  int n = (slab * ${ty} + tile.y) * ${tx} + tile.x;
${pick}
  return texelFetch(${name(count - 1)}, q, 0);
}`;
}

/**
 * Voxel sampling. `uFrameZ` is the k offset of the shown frame when every frame of a 4D layer is
 * stacked in one texture. Integer textures cannot be filtered by the GPU, so linear is eight
 * texelFetch and a mix here; float and R8 take the same path so every type looks the same.
 */
export const samplingChunk = (sampler: SamplerKind, grid: TextureGrid = 1) => /* glsl */ `
uniform ${SAMPLERS[sampler]} uVolume;
uniform ivec3 uDims;
uniform int uFrameZ;
uniform bool uLinear;
${texelAtChunk(sampler, grid)}

vec4 fetchTexel(ivec3 p) {
  return vec4(texelAt(ivec3(p.xy, p.z + uFrameZ)));
}

// Voxel centres sit on integer indices; a voxel covers [i − 0.5, i + 0.5), as the probe rounds.
bool outsideVolume(vec3 v) {
  return any(lessThan(v, vec3(-0.5))) || any(greaterThanEqual(v, vec3(uDims) - 0.5));
}

ivec3 nearestVoxel(vec3 v) {
  return ivec3(floor(v + 0.5));
}

vec4 sampleTexel(vec3 v) {
  if (!uLinear) return fetchTexel(nearestVoxel(v));
  // Between the outermost centres and the volume's edge the value is held (clamp to edge).
  vec3 c = clamp(v, vec3(0.0), vec3(uDims - 1));
  ivec3 p0 = ivec3(floor(c));
  ivec3 p1 = min(p0 + 1, uDims - 1);
  vec3 f = c - vec3(p0);
  vec4 c00 = mix(fetchTexel(p0), fetchTexel(ivec3(p1.x, p0.y, p0.z)), f.x);
  vec4 c10 = mix(fetchTexel(ivec3(p0.x, p1.y, p0.z)), fetchTexel(ivec3(p1.x, p1.y, p0.z)), f.x);
  vec4 c01 = mix(fetchTexel(ivec3(p0.x, p0.y, p1.z)), fetchTexel(ivec3(p1.x, p0.y, p1.z)), f.x);
  vec4 c11 = mix(fetchTexel(ivec3(p0.x, p1.y, p1.z)), fetchTexel(p1), f.x);
  return mix(mix(c00, c10, f.y), mix(c01, c11, f.y), f.z);
}

// The same for the first channel alone: the ray caster's inner loop, where a quarter of the
// arithmetic counts (a software renderer spends it per component).
float fetchRed(ivec3 p) {
  return float(texelAt(ivec3(p.xy, p.z + uFrameZ)).r);
}

float sampleRed(vec3 v) {
  if (!uLinear) return fetchRed(nearestVoxel(v));
  vec3 c = clamp(v, vec3(0.0), vec3(uDims - 1));
  ivec3 p0 = ivec3(floor(c));
  ivec3 p1 = min(p0 + 1, uDims - 1);
  vec3 f = c - vec3(p0);
  float c00 = mix(fetchRed(p0), fetchRed(ivec3(p1.x, p0.y, p0.z)), f.x);
  float c10 = mix(fetchRed(ivec3(p0.x, p1.y, p0.z)), fetchRed(ivec3(p1.x, p1.y, p0.z)), f.x);
  float c01 = mix(fetchRed(ivec3(p0.x, p0.y, p1.z)), fetchRed(ivec3(p1.x, p0.y, p1.z)), f.x);
  float c11 = mix(fetchRed(ivec3(p0.x, p1.y, p1.z)), fetchRed(p1), f.x);
  return mix(mix(c00, c10, f.y), mix(c01, c11, f.y), f.z);
}
`;

/**
 * The render copy (render/textures/renderCopy.ts): an RG8 (16 bits in two bytes) or R16F texture
 * of the layer's values normalised over its exact scaled range [uRenderLo, uRenderLo + uRenderSpan], filtered by the GPU. One
 * `texture()` per sample where the exact path takes eight texelFetch and a trilinear mix; voxel
 * centres sit at (v + 0.5) / uDims, and clamp-to-edge holds the outermost value out to the box's
 * edge, as sampleRed's clamp does. The value comes back scaled (slope and inter already applied).
 */
export const renderSamplingChunk = /* glsl */ `
uniform highp sampler3D uRender;
uniform float uRenderLo;
uniform float uRenderSpan;
// The weights of a fetch's (r, g) (render/textures/renderCopy.ts renderCopyMix): (1, 0) for R16F,
// (65280, 255) / 65535 for RG8 (the high and low bytes of 16 bits).
uniform vec2 uRenderMix;

// A fetch of the copy (a texel or a filtered sample) → the scaled value.
float renderDecode(vec4 texel) {
  return uRenderLo + uRenderSpan * dot(texel.rg, uRenderMix);
}

float renderValue(vec3 v) {
  // Level 0 given: inside the ray loop implicit derivatives are undefined, and a software renderer
  // would spend time computing them for a texture that has no mipmaps.
  return renderDecode(textureLod(uRender, (v + 0.5) / vec3(uDims), 0.0));
}
`;

/** A full-screen quad (PlaneGeometry 2 × 2) in clip space, whatever the camera. */
export const renderCopyVertexShader = /* glsl */ `
in vec3 position;
void main() {
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

/**
 * Writes one z-layer (uLayer) of the render copy: each fragment is the voxel centre (i, j) of that
 * slice (the viewport is nx × ny), read exactly through texelAt (slabs and tiles alike) at the shown
 * frame (uFrameZ) and written as (scaled − lo) / span: the inverse of renderValue.
 */
export const renderCopyFragmentShader = (sampler: SamplerKind, grid: TextureGrid = 1) => /* glsl */ `
${precisionChunk}
${samplingChunk(sampler, grid)}
uniform int uLayer;
uniform float uRawScale;
uniform float uSlope;
uniform float uInter;
uniform float uRenderLo;
uniform float uRenderSpan;
// An RG8 target: the value as 16 bits, high byte in R, low in G (renderCopy.ts encodeRG8); else R16F.
uniform bool uRG8;
out vec4 fragColor;
void main() {
  float scaled = fetchRed(ivec3(ivec2(gl_FragCoord.xy), uLayer)) * uRawScale * uSlope + uInter;
  float n = (scaled - uRenderLo) / uRenderSpan;
  if (uRG8) {
    float u = round(clamp(n, 0.0, 1.0) * 65535.0);
    fragColor = vec4(floor(u / 256.0), mod(u, 256.0), 0.0, 255.0) / 255.0;
  } else fragColor = vec4(n, 0.0, 0.0, 1.0);
}
`;

/** Scaled value → colour through the window and a 256-entry LUT. */
export const windowChunk = /* glsl */ `
uniform float uRawScale;
uniform float uSlope;
uniform float uInter;
uniform float uWinLo;
uniform float uWinHi;
uniform sampler2D uLut;

float scaledValue(float raw) {
  return raw * uSlope + uInter;
}

// The LUT entry a value shows as: every value of one bin shows the same colour.
int windowBin(float value) {
  float t = clamp((value - uWinLo) / max(uWinHi - uWinLo, 1e-30), 0.0, 1.0);
  return int(t * 255.0 + 0.5);
}

vec4 windowColour(float value) {
  return texelFetch(uLut, ivec2(windowBin(value), 0), 0);
}
`;

/**
 * Blinn-Phong shading of one sample, with a headlight: the light sits at the eye, so the half
 * vector is the view direction and one dot product serves diffuse and specular. Two-sided, as
 * VTK shades volumes: a gradient pointing away from the eye lights the same. `g` the gradient
 * (any units), `d` the ray direction (unit, same space). Below `flatLength` the gradient has no
 * direction worth trusting (a constant region; trilinear rounding leaves a few ulps of noise
 * there): the colour is only scaled by ambient + diffuse, never normalised from a zero vector, and
 * up to 4 × flatLength the two blend, so a near-flat region cannot speckle.
 */
export const shadingChunk = /* glsl */ `
vec3 shadeBlinnPhong(vec3 rgb, vec3 g, vec3 d, float flatLength, float ambient, float diffuse, float specular, float power) {
  vec3 flatLit = rgb * (ambient + diffuse);
  float len = length(g);
  float lo = max(flatLength, 1e-30);
  if (!(len > lo)) return min(flatLit, vec3(1.0));
  float ndl = abs(dot(g / len, d));
  vec3 lit = rgb * (ambient + diffuse * ndl) + specular * pow(ndl, max(power, 1.0));
  return min(mix(flatLit, lit, smoothstep(lo, 4.0 * lo, len)), vec3(1.0));
}
`;

/**
 * Label colours: the label table (256 entries a row) holds a colour per stored value up to
 * `uLabelCount − 1`; past it a hashed colour, so no label is ever drawn invisible. 0 is transparent.
 */
export const labelChunk = /* glsl */ `
uniform sampler2D uLabels;
uniform int uLabelCount;

vec3 hashedColour(int index) {
  uint h = uint(index) * 2654435761u;
  h ^= h >> 15;
  return 0.25 + 0.75 * vec3(float(h & 255u), float((h >> 8) & 255u), float((h >> 16) & 255u)) / 255.0;
}

vec4 labelColour(int index) {
  if (index == 0) return vec4(0.0);
  if (index > 0 && index < uLabelCount) return texelFetch(uLabels, ivec2(index % 256, index / 256), 0);
  return vec4(hashedColour(index), 1.0);
}
`;

const CHUNK_NAMES = /\b(uVolume[1-9]?|uSlabStarts|uTileSize|texelAt|uDims|uFrameZ|uLinear|fetchTexel|outsideVolume|nearestVoxel|sampleTexel|fetchRed|sampleRed|uLabels|uLabelCount|hashedColour|labelColour)\b/g;

/**
 * A chunk with its uniforms and functions renamed with `prefix`, so one shader can read a second
 * layer (the 3D pane's overlay) through the same code: `ov_sampleTexel`, `ov_uVolume`, …
 */
export const prefixed = (chunk: string, prefix: string) => chunk.replace(CHUNK_NAMES, `${prefix}$1`);
