// The ray caster. The volume's box is drawn with its back faces; each fragment is the ray's exit
// point in voxel space. The ray from the camera (also in voxel space, through the inverse affine)
// is clipped to the voxel box and to the world-axis clip box, then marched with a step of
// 1 / quality voxels, sampling through the shared chunks (the same trilinear as the slice panes,
// so 2D and 3D agree on values). src/volume/raycast.ts marches the same ray on the CPU for picking:
// keep the two in step.
import type { TextureFormat } from '../textures/textureFormats';
import { labelChunk, precisionChunk, prefixed, renderSamplingChunk, samplingChunk, shadingChunk, windowChunk, type TextureGrid } from './chunks';

export const RAY_MODES = { max: 0, min: 1, mean: 2, composite: 3, iso: 4 } as const;
export type RayMode = keyof typeof RAY_MODES;

export const rayVertexShader = /* glsl */ `
uniform mat4 modelMatrix;
uniform mat4 viewMatrix;
uniform mat4 projectionMatrix;
in vec3 position;
void main() {
  gl_Position = projectionMatrix * viewMatrix * modelMatrix * vec4(position, 1.0);
}
`;

/**
 * One overlay's sampling, label table and colour test, its names prefixed `ov<i>_` (chunks) and
 * `uOv<i>` (its own uniforms): `overlay<i>At(w)` is its colour where a ray meets it at world point
 * w, or alpha 0. A label map shows its labels' colours, except labels whose table alpha is 0 (a
 * segment hidden in the segment list); another layer shows where it passes its window's low end.
 */
function overlayChunk(i: number, format: TextureFormat, grid: TextureGrid): string {
  const p = `ov${i}_`;
  const u = `uOv${i}`;
  return `${prefixed(samplingChunk(format.sampler, grid), p)}
${prefixed(labelChunk, p)}
uniform mat4 ${u}WorldToVoxel;
uniform float ${u}RawScale;
uniform float ${u}Slope;
uniform float ${u}Inter;
uniform float ${u}Threshold;
uniform bool ${u}Label;
uniform vec3 ${u}Colour;
uniform float ${u}Opacity;
vec4 overlay${i}At(vec3 w) {
  vec3 v = (${u}WorldToVoxel * vec4(w, 1.0)).xyz;
  if (${p}outsideVolume(v)) return vec4(0.0);
  float raw = ${p}fetchRed(${p}nearestVoxel(v)) * ${u}RawScale;
  if (${u}Label) {
    vec4 c = ${p}labelColour(int(round(raw)));
    return c.a == 0.0 ? vec4(0.0) : vec4(c.rgb, ${u}Opacity);
  }
  return raw * ${u}Slope + ${u}Inter > ${u}Threshold ? vec4(${u}Colour, ${u}Opacity) : vec4(0.0);
}
`;
}

/** A projection run's block (rayShader.ts projectionMarch): bricks along each axis. */
export const PROJECTION_RUN_BRICKS = 16;

/**
 * A projection's (MIP, MinIP) march where empty-space skipping is on, ahead of the generic loop
 * (which then has nothing left to do, and is left out of the program: RayProgram marchOnly; with
 * skipping off it takes every sample, the reference this march is tested against). Two tight
 * loops take turns, since a software renderer runs the whole body of a loop's turn for every lane:
 * - the skip loop reads one brick a turn (one texel of uEmptyDist: its leap distances and its
 *   range's LUT entry, rayParams.ts brickEntry) and passes over it when no sample in it can show
 *   other than the best does: its entry is within the best's reach (reachAt: entries that show as
 *   the best's, within the path's tolerance: the very same colour on the exact path, a grey level
 *   on the fast one; before any sample the window's end entry is the best). Where the leap distance says a cube of bricks is empty it passes over the
 *   cube: by the static test (uEmptyDist's first channel), and once the best reaches uQuietFrom by
 *   the wider one (its second channel: noisy air whose bricks peak an entry or two above it);
 * - a brick that can change the pixel starts a run: every sample from there to the end of its
 *   block of PROJECTION_RUN_BRICKS³ bricks, each a fetch and a select (measured faster than a run
 *   to the brick's end where noise fills the window, and no slower elsewhere). The run stops at the
 *   first sample whose entry reaches over the brick (stopAt: at the window's end, a skull met head
 *   on; one entry into noisy air), and the skip loop passes over the rest. The best's entry is
 *   tested after the run: where its reach is the window's end the ray is done.
 * Neither loop enters the removed octant: a skip that would reach it, or a sample in it, goes on to
 * the first sample past it, where the octant's faces show what lies above the window's low end (as
 * the slice panes do) and end the ray; elsewhere that sample counts as any other. At the window's
 * end the ray goes on while the octant lies ahead. The samples are the generic loop's own (the same
 * grid from the same jitter, t stepped as it steps it), and a brick passed over holds no sample past
 * the best's reach: the pixel is the same, or within the tolerance.
 */
function projectionMarch(kind: 'max' | 'min', fast: boolean): string {
  const isMax = kind === 'max';
  const none = isMax ? '-3.4e38' : '3.4e38';
  // A select, not max(): max(NaN, x) is undefined in GLSL, and a NaN sample (an R16F copy, the exact texture) must not lose the best.
  const pick = isMax ? 'w > mb ? w : mb' : 'w < mb ? w : mb';
  const decode = (x: string) => (fast ? `(uRenderLo + uRenderSpan * ${x})` : x);
  const decodeInv = (x: string) => (fast ? `(${x} - uRenderLo) / uRenderSpan` : x);
  const sample = fast ? 'dot(textureLod(uRender, (o + d * t + 0.5) / vec3(uDims), 0.0).rg, uRenderMix)' : 'valueAt(o + d * t)';
  // (t0 < t1: a ray the clip box removed was discarded above, but a software renderer runs its lanes
  // on through the rest, and through this march they took about a second a frame with the clip box
  // outside the volume.)
  return `  if (uSkip && t0 < t1) {
    float runSize = ${PROJECTION_RUN_BRICKS}.0 * uBrickSize;
    // The best so far (${fast ? "the copy's normalised value" : 'scaled'}) and its LUT entry; the furthest entry that shows as
    // it does, within the tolerance (a brick no further is passed over); whether the leap distances
    // of such bricks around the window's end apply (uEmptyDist's second channel).
    float m = ${none};
    int bestBin = ${isMax ? '0' : '255'};
    int skipTo = reachAt(bestBin);
    bool quiet = bestBin ${isMax ? '>=' : '<='} uQuietFrom;
    for (int s = 0; s < 65536; s++) {
      // A ray through a corner of the box may end before its first sample.
      if (t > t1) break;
      if (CUT && t >= cut.x && t < cut.y) {
        // Inside the removed octant: on to the first sample past it, where its faces are.
        t = pastCut;
        afterCut = true;
        continue;
      }
      if (CUT && afterCut) {
        // Leaving the octant: its faces are the three slice planes through the crosshair. Where they
        // cut tissue (above the window's low end) they show it as the slice panes do; elsewhere the
        // sample counts as any other. A NaN sample shows nothing: on to the next.
        float w = ${sample};
        float v = ${decode('w')};
        if (!isnan(v)) {
          afterCut = false;
          if (v > uWinLo) {
            faceT = t;
            faceValue = v;
            break;
          }
          if (w ${isMax ? '>' : '<'} m) {
            m = w;
            bestT = t;
            bestBin = windowBin(v);
            skipTo = reachAt(bestBin);
            quiet = bestBin ${isMax ? '>=' : '<='} uQuietFrom;
          }
        }
        t += uStep;
        continue;
      }
      bool hit = false;
      int hitBin = 0;
      for (int k = 0; k < 65536; k++) {
        ivec3 b = clamp(ivec3(floor(brickO + brickD * t)), ivec3(0), brickMax);
        // The brick's leap distances, and its range's entry (rayParams.ts brickEntry: never short of any sample's, copy or exact).
        uvec3 brick = texelFetch(uEmptyDist, b, 0).rgb;
        float reachHere = float(quiet ? brick.y : brick.x);
        if (!(reachHere > 0.0)) {
          int bin = int(brick.z);
          if (bin ${isMax ? '>' : '<'} skipTo) {
            hit = true;
            hitBin = bin;
            break;
          }
        }
        // Out of the brick, or of the empty cube around it.
        float back = max(reachHere - 1.0, 0.0), ahead = max(reachHere, 1.0);
        float exitT = slabInv(o, invD, (vec3(b) - back) * uBrickSize - 0.5, (vec3(b) + ahead) * uBrickSize - 0.5).y;
        leapt = true;
        float next = max(onGridFrom(tGrid, exitT), t + uStep);
        // Never into or past the removed octant: its faces show where the ray leaves it.
        if (CUT && cut.x < cut.y && t < cut.y && next >= cut.x) {
          next = pastCut;
          afterCut = true;
        }
        t = next;
        if ((CUT && afterCut) || t > t1) break;
      }
      if (!hit) continue;
      vec3 block = floor((o + d * t + 0.5) / runSize);
      float runEnd = min(slabInv(o, invD, block * runSize - 0.5, (block + 1.0) * runSize - 0.5).y, t1);
      int n = max(int(floor((runEnd - t) / uStep)) + 1, 1);
      // Never into the removed octant ahead.
      if (CUT && cut.x < cut.y && t < cut.x) n = min(n, int(ceil((cut.x - t) / uStep)));
      // The run stops at the first sample whose entry reaches over the brick that started it (the
      // window's end, for a skull met head on; the air's own entry, for a brick of noisy air): the
      // skip loop then passes over what is left of it. Where the sample (${fast ? "the copy's normalised value" : 'scaled'}) shows
      // as entry stopAt(hitBin), give or take float rounding: the best's own entry decides after.
      float mb = ${none};
      float runStop = ${decodeInv(`uWinLo + (float(stopAt(hitBin)) ${isMax ? '- 0.5' : '+ 0.5'}) / 255.0 * (uWinHi - uWinLo)`)};
      for (int r = 0; r < n; r++) {
        float w = ${sample};
        mb = ${pick};
        t += uStep;
        if (mb ${isMax ? '>=' : '<='} runStop) break;
      }
      if (mb ${isMax ? '>' : '<'} m) {
        m = mb;
        bestT = t - uStep;
        bestBin = windowBin(${decode('m')});
        skipTo = reachAt(bestBin);
        quiet = bestBin ${isMax ? '>=' : '<='} uQuietFrom;
      }
      // Where every entry to the window's end shows as the best's (within the tolerance) no later
      // sample can change the pixel: it is final, unless the removed octant's faces lie ahead (they
      // show instead of the projection).
      if (skipTo ${isMax ? '>= 255' : '<= 0'} && !(CUT && cut.x < cut.y && t < cut.y)) break;
    }
    if (bestT >= 0.0) best = ${decode('m')};
    // Done: the generic loop below, where the program has one, ends at its first test.
    t = t1 + uStep;
  }
`;
}

/**
 * MIP's and MinIP's reach through the LUT (render/panes/rayParams.ts projectionReach, packReach):
 * reachAt(b), the furthest entry a ray whose best shows as entry b may pass over; stopAt(h), the
 * entry where a run started by a brick up to h may stop. uQuietFrom: from which best on the leap
 * distances' second channel (bricks within the reach of the window's end's reach) apply.
 */
const reachChunk = /* glsl */ `
uniform ivec4 uReach[32];
uniform int uQuietFrom;
int reachByte(int i) {
  return (uReach[i >> 4][(i >> 2) & 3] >> ((i & 3) * 8)) & 255;
}
int reachAt(int b) {
  return reachByte(b);
}
int stopAt(int h) {
  return reachByte(256 + h);
}
`;

/**
 * Composite samples per turn of the march loop (its program without overlays). A software renderer
 * runs a turn's whole body, leap code and all, however few of its lanes need it; the extra samples
 * follow straight on (on the same grid, each only while the ray is inside the box and outside the
 * removed octant, none after the early termination), so the picture is the same. Measured 0.88× the
 * CPU time of one a turn on both 256³ volumes (bench/fastPath.ts --ab); iso gained nothing from it.
 */
export const COMPOSITE_SAMPLES_PER_TURN = 2;

/**
 * Composite's samples after a turn's first: each at t + step on the grid, taken while the ray is
 * still inside the box, outside the removed octant and short of the early termination, composited
 * as the first is (compositeStep), and t left on the last one taken.
 */
function compositeFollowers(count: number, fast: boolean): string {
  let out = count > 1 ? '      bool more = true;\n' : '';
  for (let k = 1; k < count; k++) {
    out += `      more = more && t + uStep <= t1 && !(CUT && t + uStep >= cut.x && t + uStep < cut.y);
      if (more) {
        t += uStep;
${fast ? `        float rk = dot(textureLod(uRender, tcO + tcD * t, 0.0).rg, uRenderMix);
        // A NaN sample shows nothing (the turn's first sample skips one the same way).
        if (!isnan(rk) && compositeStep(rk * tfA + tfB, o + d * t, t, d, acc, firstT)) break;` : `        float vk = valueAt(o + d * t);
        if (!isnan(vk) && compositeStep((vk - uTfLo) * tfScale, o + d * t, t, d, acc, firstT)) break;`}
      }
`;
  }
  return out;
}

/**
 * One composite sample, at transfer-table coordinate x (0 … 255), point p and ray parameter t of
 * the ray along d: its colour and opacity from the table, shaded where shading is on, absorbed over
 * the step and blended front to back into acc (firstT: where the ray first met something). True
 * once the ray is opaque (early ray termination). The march's samples and its followers all go
 * through it.
 */
const compositeStepChunk = /* glsl */ `
bool compositeStep(float x, vec3 p, float t, vec3 d, inout vec4 acc, inout float firstT) {
  vec4 c = texelFetch(uTransfer, ivec2(int(clamp(x, 0.0, 255.0) + 0.5), 0), 0);
  if (c.a > 0.0) {
    // A difference across two voxels under 1e-4 of the transfer function's range is no surface.
    if (SHADE && uShade) c.rgb = shadeBlinnPhong(c.rgb, gradientAt(p), d, 1e-4 * (uTfHi - uTfLo), uAmbient, uDiffuse, uSpecular, uSpecularPower);
    // Opacity is given per voxel; a step of uStep voxels absorbs accordingly.
    float a = 1.0 - pow(1.0 - min(c.a, 0.9999), uStep);
    if (firstT < 0.0) firstT = t;
    acc.rgb += (1.0 - acc.a) * a * c.rgb;
    acc.a += (1.0 - acc.a) * a;
  }
  return acc.a > 0.99;
}
`;

/**
 * What a ray program has compiled in. A software renderer runs every branch of a turn of a loop (and
 * of the shader) for every lane, taken or not, so code that a uniform would switch off still costs:
 * what the draw does not need is left out of its program instead.
 */
export interface RayProgram {
  /**
   * Every sample of the layer (values, gradients, the iso refinement, the cut faces) is one
   * hardware-filtered fetch of its render copy (chunks.ts renderSamplingChunk) instead of eight
   * texelFetch of the exact texture; the overlays are read exactly either way.
   */
  fast?: boolean;
  /** The mode (RAY_MODES), a constant of the program; none: the uniform uMode picks it. */
  mode?: number;
  /** MIP's and MinIP's own march (projectionMarch); off: the generic loop alone, which skips nothing (a baseline). */
  runs?: boolean;
  /** Composite shading (the uniform uShade still turns it on). */
  shade?: boolean;
  /** Composite samples per turn of the march loop (COMPOSITE_SAMPLES_PER_TURN). */
  compositeSamples?: number;
  /** The removed octant (the uniform uCut still turns it on): its tests in every loop, and its faces. */
  cut?: boolean;
  /**
   * MIP's and MinIP's march takes every ray (empty-space skipping is on: uSkip): the generic loop,
   * which only its rays with skipping off need, is left out. Set only with skipping on.
   */
  marchOnly?: boolean;
}

/**
 * `overlays`: the formats of other layers drawn as opaque surfaces inside the first (their label
 * regions, or where they pass their window's low end), in draw order (the last on top: where two
 * meet at one point the upper one shows), met by the same rays in composite and iso.
 * `grid`, `overlayGrids`: the brick textures each is held in (shaders/chunks.ts TextureGrid, texelAt).
 * `program`: what is compiled in (RayProgram).
 */
export function rayFragmentShader(format: TextureFormat, overlays: readonly TextureFormat[] = [], grid: TextureGrid = 1, overlayGrids: readonly TextureGrid[] = [], program: RayProgram = {}): string {
  const { fast = false, mode, runs = true, shade = true, compositeSamples = COMPOSITE_SAMPLES_PER_TURN, cut = true, marchOnly = false } = program;
  // Composite's and iso's programs: per-ray constants for the sample and leap arithmetic, and leaps in a loop of their own.
  const surface = mode === RAY_MODES.composite || mode === RAY_MODES.iso;
  const followers = mode === RAY_MODES.composite && overlays.length === 0 ? compositeFollowers(compositeSamples, fast) : '';
  const topFirst = overlays.map((_, i) => overlays.length - 1 - i);
  // MIP's and MinIP's own march (mode a constant of the program); `runs` off: the generic loop alone, which skips nothing (a baseline).
  const projections = runs && (mode === RAY_MODES.max || mode === RAY_MODES.min);
  // The generic loop's turns: none where the projection march takes every ray.
  const genericTurns = projections && marchOnly ? 0 : 65536;
  return /* glsl */ `
${precisionChunk}
#define RAY_MODE ${mode ?? 'uMode'}
// Whether composite shading is compiled in (the uniform uShade still turns it on).
#define SHADE ${shade ? 'true' : 'false'}
// Whether the removed octant's code is compiled in (the uniform uCut still turns it on).
#define CUT ${cut ? 'true' : 'false'}
${samplingChunk(format.sampler, grid)}
${fast ? renderSamplingChunk : ''}
${windowChunk}
${shadingChunk}
${overlays.map((o, i) => overlayChunk(i, o, overlayGrids[i] ?? 1)).join('\n')}
// The overlays' colour where a ray meets one at world point w (the upper layer first), or alpha 0.
vec4 overlayAt(vec3 w) {
  vec4 c = vec4(0.0);
${topFirst.map((i) => `  c = overlay${i}At(w);\n  if (c.a > 0.0) return c;`).join('\n')}
  return c;
}
uniform float uOpacity;
uniform vec3 uCamVoxel;
uniform mat4 uVoxelToWorld;
uniform mat4 uVoxelToClip;
uniform int uMode;
uniform float uStep;
uniform vec3 uBoxLo;
uniform vec3 uBoxHi;
uniform vec3 uClipLo;
uniform vec3 uClipHi;
uniform bool uCut;
uniform vec3 uCutCentre;
uniform vec3 uCutSign;
uniform mat3 uCutFrame;
uniform sampler2D uTransfer;
uniform float uTfLo;
uniform float uTfHi;
uniform float uIso;
uniform float uIsoSign;
uniform bool uHasOverlay;
// Composite shading (volume/transfer.ts Shading): Blinn-Phong with a headlight, per sample that shows.
uniform bool uShade;
uniform float uAmbient;
uniform float uDiffuse;
uniform float uSpecular;
uniform float uSpecularPower;
// Empty-space skipping (volume/bricks.ts), by bricks of uBrickSize voxels.
uniform bool uSkip;
uniform float uBrickSize;
// Per brick, how many bricks around it nothing can show in this mode, and MIP's (MinIP's) entry of
// its range (render/panes/rayParams.ts, textures/emptyDistance.ts).
uniform bool uLeap;
uniform highp usampler3D uEmptyDist;
${projections ? reachChunk : ''}
// This pixel's ray, from where it lies in the viewport (not from the mesh drawn, whose faces move
// with the box rays are cast through: the same pixel keeps the same ray whatever is drawn).
uniform vec4 uViewport;
uniform vec4 uPixelRay;
uniform mat3 uViewToVoxel;
out vec4 fragColor;

float valueAt(vec3 v) {
  return ${fast ? 'renderValue(v)' : 'scaledValue(sampleRed(v) * uRawScale)'};
}

// Central differences in voxel space, of the same sampler the ray reads. Shading compares it with
// the voxel-space ray, which is exact for isotropic voxels and a mild distortion of the highlight
// for anisotropic ones.
vec3 gradientAt(vec3 p) {
  return vec3(
    valueAt(p + vec3(1.0, 0.0, 0.0)) - valueAt(p - vec3(1.0, 0.0, 0.0)),
    valueAt(p + vec3(0.0, 1.0, 0.0)) - valueAt(p - vec3(0.0, 1.0, 0.0)),
    valueAt(p + vec3(0.0, 0.0, 1.0)) - valueAt(p - vec3(0.0, 0.0, 1.0))
  );
}

${compositeStepChunk}
// The slab method: where a line enters and leaves an axis-aligned box.
vec2 slab(vec3 o, vec3 d, vec3 lo, vec3 hi) {
  vec3 inv = 1.0 / d;
  vec3 a = (lo - o) * inv;
  vec3 b = (hi - o) * inv;
  vec3 n = min(a, b);
  vec3 f = max(a, b);
  return vec2(max(max(n.x, n.y), n.z), min(min(f.x, f.y), f.z));
}

// The same, with the direction's reciprocal given (once per ray rather than per use).
vec2 slabInv(vec3 o, vec3 inv, vec3 lo, vec3 hi) {
  vec3 a = (lo - o) * inv;
  vec3 b = (hi - o) * inv;
  vec3 n = min(a, b);
  vec3 f = max(a, b);
  return vec2(max(max(n.x, n.y), n.z), min(min(f.x, f.y), f.z));
}

// The first sample of the ray's grid (tGrid + n · uStep) at or past t: where a leap lands.
float onGridFrom(float tGrid, float t) {
  return tGrid + ceil((t - tGrid) / uStep) * uStep;
}

void setDepth(vec3 voxel) {
  vec4 clip = uVoxelToClip * vec4(voxel, 1.0);
  gl_FragDepth = clamp(0.5 * (clip.z / clip.w) + 0.5, 0.0, 1.0);
}

int transferBin(float v) {
  return int(clamp((v - uTfLo) / max(uTfHi - uTfLo, 1e-30), 0.0, 1.0) * 255.0 + 0.5);
}

void main() {
  vec3 o = uCamVoxel;
  // The pixel's normalised device coordinates, then the view-space direction through it (at z = −1:
  // x = (ndc.x + P₀₂) / P₀₀, y likewise) turned into voxels.
  vec2 ndc = (gl_FragCoord.xy - uViewport.xy) / uViewport.zw * 2.0 - 1.0;
  vec3 d = normalize(uViewToVoxel * vec3((ndc.x + uPixelRay.z) / uPixelRay.x, (ndc.y + uPixelRay.w) / uPixelRay.y, -1.0));
  // Parallel to an axis: nudge so the slab divisions stay finite.
  d = mix(d, vec3(1e-6), vec3(equal(d, vec3(0.0))));
  // The box rays are cast through: the grid's own, or the occupied bricks' part of it (rayParams.ts rayBox).
  vec2 box = slab(o, d, uBoxLo, uBoxHi);
  // The clip box is axis-aligned in world; the world ray is the image of this one, same parameter.
  vec3 wo = (uVoxelToWorld * vec4(o, 1.0)).xyz;
  vec3 wd = (uVoxelToWorld * vec4(d, 0.0)).xyz;
  wd = mix(wd, vec3(1e-9), vec3(equal(wd, vec3(0.0))));
  vec2 clipT = slab(wo, wd, uClipLo, uClipHi);
  float t0 = max(max(box.x, clipT.x), 0.0);
  float t1 = min(box.y, clipT.y);
${surface || projections ? `  // Where the ray enters the grid's own box: its samples keep that box's grid, wherever in it they
  // start (the occupied box, rayParams.ts rayBox), so each sits where it would without that box.
  vec2 gridBox = slab(o, d, vec3(-0.5), vec3(uDims) - 0.5);
  float gridT0 = max(max(gridBox.x, clipT.x), 0.0);` : '  float gridT0 = t0;'}
${projections ? `  // A projection's pixel shows wherever a ray meets the grid's box, the occupied box or not (a ray
  // through air shows the window's end).
  float gridT1 = min(gridBox.y, clipT.y);
  if (gridT1 <= gridT0) discard;` : '  if (t1 <= t0) discard;'}
  // Iso: a ray that entered the grid before the occupied box crossed only bricks below the surface
  // on the way (the faces of the grid and the clip box are the surface where a ray starts inside it).
  bool enteredEarlier = RAY_MODE == ${RAY_MODES.iso} && t0 > gridT0;
  // The removed octant, (w − centre)·axis × sign > 0 on every axis of the slice planes (uCutFrame:
  // world to the turned frame, the oblique rotation's transpose), meets the ray in [cut.x, cut.y).
  vec2 cut = vec2(0.0, -1.0);
  if (CUT && uCut) {
    vec3 co = uCutFrame * (wo - uCutCentre);
    vec3 cd = uCutFrame * wd;
    cd = mix(cd, vec3(1e-9), vec3(equal(cd, vec3(0.0))));
    vec3 far = uCutSign * 1e30;
    cut = slab(co, cd, min(vec3(0.0), far), max(vec3(0.0), far));
  }

  // Samples sit on a grid gridT0 + (offset + n) × step. The offset differs per pixel: neighbouring
  // rays sample at different depths, so a coarse step shows as fine noise rather than wood-grain rings.
  float jitter = fract(sin(dot(gl_FragCoord.xy, vec2(12.9898, 78.233))) * 43758.5453);
  float tGrid = gridT0 + (0.25 + 0.5 * jitter) * uStep;
  // The first sample past the removed octant, where its faces are (cut.x < cut.y where the ray meets
  // one; a miss may leave them either way round).
  float pastCut = onGridFrom(tGrid, cut.y);
  float t = ${surface || projections ? 'onGridFrom(tGrid, t0)' : 'tGrid'};
  float best = RAY_MODE == ${RAY_MODES.min} ? 3.4e38 : -3.4e38;
  float bestT = -1.0;
  float sum = 0.0;
  float count = 0.0;
  vec4 acc = vec4(0.0);
  float firstT = -1.0;
  bool havePrevious = enteredEarlier;
  bool afterCut = false;
  vec4 overlayHit = vec4(0.0);
  float overlayT = -1.0;
  float faceT = -1.0;
  float faceValue = 0.0;
  // The iso crossing lies between samples t − step and t (refined after the loop).
  float crossT = -1.0;
  vec3 invD = 1.0 / d;
  // A projection's march passed over some brick (a ray that met nothing else shows the window's end).
  // (Where the occupied box left out part of a ray with a sample in it, the march would have passed
  // over that part: every brick outside the box is empty.)
  bool leapt = ${projections ? '(t1 <= t0 || t0 > gridT0 || t1 < gridT1) && tGrid <= gridT1' : 'false'};
${surface || projections ? `  // Per ray, so no sample divides: the brick a point lies in, linear in t (and its leap distance's last index).
  vec3 brickO = (o + 0.5) / uBrickSize, brickD = d / uBrickSize;
  ivec3 brickMax = textureSize(uEmptyDist, 0) - 1;` : ''}
${surface ? `  // Composite's and iso's render-copy coordinate and transfer entry, linear in t as well.
  float tfScale = 255.0 / max(uTfHi - uTfLo, 1e-30);
${fast ? `  vec3 tcO = (o + 0.5) / vec3(uDims), tcD = d / vec3(uDims);
  float tfA = uRenderSpan * tfScale, tfB = (uRenderLo - uTfLo) * tfScale;` : ''}` : ''}
${projections ? projectionMarch(mode === RAY_MODES.max ? 'max' : 'min', fast) : ''}
  // Enough for a ray across the widest grid eight tiles allow (16384 voxels) at half-voxel steps,
  // corner to corner; none where MIP's (MinIP's) march takes every ray (RayProgram marchOnly): a
  // software renderer would run one turn of it for every ray. Left out, with the removed octant's
  // code (CUT): 0.86–0.87× the time of a MIP frame, same pixels (bench/fastPath.ts --ab).
  for (int s = 0; s < ${genericTurns}; s++) {
    if (t > t1) break;
    if (CUT && t >= cut.x && t < cut.y) {
      // Inside the removed octant: on to the first sample past it, where its faces are.
      t = pastCut;
      havePrevious = false;
      afterCut = true;
      continue;
    }
${surface ? `    if (uSkip && uLeap && !(CUT && afterCut)) {
      // Composite and iso leap in a loop of their own: a software renderer runs the whole body of
      // the march for each of its turns, so a turn that only leapt paid for a sample as well. The
      // leaps are the march's own (same exits, same grid, same stops at the box and the octant).
      bool leaptHere = false;
      for (int k = 0; k < 65536; k++) {
        ivec3 b = clamp(ivec3(floor(brickO + brickD * t)), ivec3(0), brickMax);
        float reachHere = float(texelFetch(uEmptyDist, b, 0).r);
        if (!(reachHere > 0.0)) break;
        float exitT = slabInv(o, invD, (vec3(b) - (reachHere - 1.0)) * uBrickSize - 0.5, (vec3(b) + reachHere) * uBrickSize - 0.5).y;
        float next = max(onGridFrom(tGrid, exitT), t + uStep);
        // Never past the end of the removed octant: its faces show there.
        if (CUT && t < cut.y && next >= cut.y) {
          next = pastCut;
          afterCut = true;
        }
        t = next;
        leaptHere = true;
        if ((CUT && afterCut) || t > t1 || (CUT && t >= cut.x && t < cut.y)) break;
      }
      if (leaptHere) {
        // Every skipped iso sample was on the near side of the surface.
        havePrevious = RAY_MODE == ${RAY_MODES.iso};
        // Past the box, into the octant or just out of it: the loop's head deals with that.
        if ((CUT && afterCut) || t > t1 || (CUT && t >= cut.x && t < cut.y)) continue;
      }
    }` : ''}
    vec3 p = o + d * t;
    // MIP's and MinIP's skipping is their own march's (above); the mean skips nothing.
    if (${overlays.length ? 'true' : 'false'} && RAY_MODE >= ${RAY_MODES.composite}) {
      vec4 ov = overlayAt(wo + wd * t);
      if (ov.a > 0.0) {
        // An opaque surface inside the first layer: what lies in front of it (composite) is kept.
        overlayHit = ov;
        overlayT = t;
        break;
      }
    }
${surface && fast ? `    float r = dot(textureLod(uRender, tcO + tcD * t, 0.0).rg, uRenderMix);
    float v = uRenderLo + uRenderSpan * r;` : '    float v = valueAt(p);'}
    if (isnan(v)) {
      t += uStep;
      continue;
    }
    if (CUT && afterCut) {
      afterCut = false;
      // Leaving the cut octant: its faces are the three slice planes through the crosshair. Where
      // they cut tissue (above the window's low end) they show it as the slice panes do (drawn
      // after the loop: a software renderer runs a branch's code for every sample, taken or not).
      if (v > uWinLo) {
        faceT = t;
        faceValue = v;
        break;
      }
    }
    if (RAY_MODE == ${RAY_MODES.max}) {
      if (v > best) { best = v; bestT = t; }
      // At the window's top every later sample shows the same colour: the pixel is final, unless
      // the removed octant's faces lie ahead (they show instead of the projection).
      if (windowBin(best) >= 255 && !(CUT && t < cut.y)) break;
    } else if (RAY_MODE == ${RAY_MODES.min}) {
      if (v < best) { best = v; bestT = t; }
      if (windowBin(best) <= 0 && !(CUT && t < cut.y)) break;
    } else if (RAY_MODE == ${RAY_MODES.mean}) {
      sum += v;
      count += 1.0;
      if (bestT < 0.0) bestT = t;
    } else if (RAY_MODE == ${RAY_MODES.composite}) {
      if (compositeStep(${surface ? (fast ? 'r * tfA + tfB' : '(v - uTfLo) * tfScale') : 'float(transferBin(v))'}, p, t, d, acc, firstT)) break; // early ray termination
${followers}
    } else {
      float side = (v - uIso) * uIsoSign;
      if (havePrevious && side >= 0.0) {
        // Refined after the loop.
        crossT = t;
        break;
      }
      if (side >= 0.0 && !havePrevious) {
        // The ray starts inside the surface (at the box or a cut face): that face is the surface.
        firstT = t;
        break;
      }
      havePrevious = true;
    }
    t += uStep;
  }

  if (CUT && faceT >= 0.0) {
    setDepth(o + d * faceT);
    vec4 c = windowColour(faceValue);
    fragColor = vec4(c.rgb, uOpacity);
    return;
  }
  if (RAY_MODE == ${RAY_MODES.iso} && crossT >= 0.0) {
    // Refine the crossing between the previous sample and this one by bisection.
    float ta = crossT - uStep, tb = crossT;
    for (int r = 0; r < 6; r++) {
      float tm = 0.5 * (ta + tb);
      if ((valueAt(o + d * tm) - uIso) * uIsoSign >= 0.0) tb = tm; else ta = tm;
    }
    firstT = tb;
  }
  if (overlayT >= 0.0 && (RAY_MODE == ${RAY_MODES.composite} || firstT < 0.0)) {
    // The overlay surface, under whatever the composite ray gathered in front of it.
    vec3 rgb = acc.rgb + (1.0 - acc.a) * overlayHit.rgb * overlayHit.a;
    float a = acc.a + (1.0 - acc.a) * overlayHit.a;
    setDepth(o + d * (firstT >= 0.0 ? firstT : overlayT));
    fragColor = vec4(rgb / max(a, 1e-6), a);
  } else if (RAY_MODE == ${RAY_MODES.composite}) {
    if (acc.a <= 0.0) discard;
    setDepth(o + d * firstT);
    fragColor = vec4(acc.rgb / acc.a, acc.a * uOpacity);
  } else if (RAY_MODE == ${RAY_MODES.iso}) {
    if (firstT < 0.0) discard;
    vec3 p = o + d * firstT;
    vec3 g = gradientAt(p) * uIsoSign;
    vec3 n = length(g) > 0.0 ? -normalize(g) : -d;
    if (dot(n, d) > 0.0) n = -n;
    // A headlight: the light comes from the camera.
    float diffuse = max(dot(n, -d), 0.0);
    float specular = pow(max(dot(reflect(d, n), -d), 0.0), 24.0);
    // The top of the layer's colormap: white for gray, yellow for viridis.
    vec3 base = windowColour(uWinHi).rgb;
    setDepth(p);
    fragColor = vec4(base * (0.25 + 0.7 * diffuse) + 0.25 * specular, uOpacity);
  } else {
    // A MIP ray that leapt over everything met only values at or past the window's end.
    if (bestT < 0.0 && !(leapt && RAY_MODE != ${RAY_MODES.mean})) discard;
    float value = RAY_MODE == ${RAY_MODES.mean} ? sum / max(count, 1.0) : bestT < 0.0 ? (RAY_MODE == ${RAY_MODES.max} ? uWinLo : uWinHi) : best;
    setDepth(o + d * gridT0);
    vec4 c = windowColour(value);
    fragColor = vec4(c.rgb, c.a * uOpacity);
  }
}
`;
}
