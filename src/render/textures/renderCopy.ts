// The 3D pane's render copy, as pure decisions: the range a layer's values are normalised over, the
// mapping there and back, and whether a layer is ray-cast from the copy (one hardware-filtered
// fetch per sample: "fast") or from its exact texture (eight texelFetch and trilinear arithmetic in
// the shader: "exact"). The copy itself is made on the GPU (renderCopyTexture.ts).

/** The scaled range a render copy spans: its texels hold (scaled − lo) / (hi − lo). */
export interface RenderRange {
  lo: number;
  hi: number;
}

/**
 * The layer's exact scaled range (raw min and max × slope + inter; a negative slope swaps them).
 * A constant layer gets a span of 1, so every value maps to 0 rather than dividing by zero.
 */
export function renderRange(stats: { min: number; max: number }, slope: number, inter: number): RenderRange {
  const a = stats.min * slope + inter;
  const b = stats.max * slope + inter;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: 0, hi: 1 };
  return { lo, hi: hi > lo ? hi : lo + 1 };
}

/** Scaled value → the copy's texel (0 at lo, 1 at hi). The shader writes the same (shaders/chunks.ts renderCopyFragmentShader). */
export const normaliseValue = (scaled: number, r: RenderRange): number => (scaled - r.lo) / (r.hi - r.lo);

/** The copy's texel → scaled value, as the ray caster reads it (shaders/chunks.ts renderSamplingChunk). */
export const denormaliseValue = (texel: number, r: RenderRange): number => r.lo + texel * (r.hi - r.lo);

/** R16F or RG8: 2 bytes a voxel either way. */
export const RENDER_COPY_BYTES_PER_VOXEL = 2;

/**
 * How a copy holds its normalised values. RG8: 16 bits, the high byte in R and the low in G; the
 * GPU filters each channel linearly with the same weights, so 65280·R + 255·G of a filtered fetch
 * is the filtered 16-bit value (1/65535 of the range a step, against R16F's 2^-11 relative), and a
 * software renderer filters 8-bit texels about 2.4× as fast as half floats (bench/mipMicro.ts).
 * It has no NaN or infinity: a layer with non-finite values keeps R16F, where a sample touching
 * one is NaN and skipped, as the exact path's trilinear does.
 */
export type RenderCopyFormat = 'RG8' | 'R16F';

export function renderCopyFormat(stats: { exact: boolean; nonFinite: number }, rg8Exact = true): RenderCopyFormat {
  // rg8Exact: this GPU filters 8-bit channels at more than 8 bits (rg8Probe.ts); else R16F everywhere.
  return rg8Exact && stats.exact && stats.nonFinite === 0 ? 'RG8' : 'R16F';
}

/**
 * The most a filtered sample of the copy can differ from the same sample of the exact values, in
 * scaled units: a step of the format over the range (RG8: one of its 65535; R16F: 2^-10 of the
 * range, twice a half float's step below 1, for the filter's own rounding).
 */
export function renderCopySlack(range: RenderRange, format: RenderCopyFormat): number {
  return (range.hi - range.lo) * (format === 'RG8' ? 1 / RG8_STEPS : 2 ** -10);
}

/** The steps an RG8 copy holds over [0, 1]. */
export const RG8_STEPS = 65535;

/** A normalised value (clamped to [0, 1]) as an RG8 texel's two bytes, as the copy pass writes it (shaders/chunks.ts renderCopyFragmentShader). */
export function encodeRG8(n: number): [number, number] {
  const u = Math.round(Math.min(1, Math.max(0, n)) * RG8_STEPS);
  return [u >> 8, u & 255];
}

/** A (filtered) RG8 texel's channels, each in [0, 1] as a sampler returns them, → the normalised value (shaders/chunks.ts renderValue). */
export const decodeRG8 = (r: number, g: number): number => (r * 65280 + g * 255) / RG8_STEPS;

/** Per format, the weights renderValue dots a fetch's (r, g) with to get the normalised value. */
export const renderCopyMix = (format: RenderCopyFormat): [number, number] => (format === 'RG8' ? [65280 / RG8_STEPS, 255 / RG8_STEPS] : [1, 0]);

export type RenderPath = { path: 'fast' } | { path: 'exact'; reason: string };

export interface RenderPathInputs {
  /** The user asked for exact samples (setQuality(q, { exact: true }), the Quality row's checkbox). */
  exactRequested: boolean;
  /** Components per voxel (RGB layers are not ray-cast). */
  channels: number;
  /** Linear interpolation (a label map is sampled nearest, and must never blend its codes). */
  linear: boolean;
  /** R16F can be rendered to (EXT_color_buffer_float or EXT_color_buffer_half_float). */
  halfFloatRenderable: boolean;
  /** The grid of one frame (voxels along x, y, z). */
  dims: readonly number[];
  /** The GPU's MAX_3D_TEXTURE_SIZE. */
  max3DSize: number;
  /** Brick textures (z-slabs, tiles) the exact texture is held in. */
  bricks: number;
  /** GPU bytes the budget leaves, not counting this copy. */
  gpuRoomBytes: number;
}

const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** Whether a layer is cast from a render copy, and if not, why (in words for renderPath()). */
export function decideRenderPath(p: RenderPathInputs): RenderPath {
  const [nx, ny, nz] = p.dims;
  const bytes = nx * ny * nz * RENDER_COPY_BYTES_PER_VOXEL;
  if (p.exactRequested) return { path: 'exact', reason: 'exact samples were asked for' };
  if (p.channels !== 1) return { path: 'exact', reason: `${p.channels} components per voxel` };
  if (!p.linear) return { path: 'exact', reason: 'nearest sampling (label map)' };
  if (!p.halfFloatRenderable) return { path: 'exact', reason: 'R16F is not colour-renderable here (no EXT_color_buffer_float or EXT_color_buffer_half_float)' };
  if (Math.max(nx, ny, nz) > p.max3DSize) return { path: 'exact', reason: `the grid ${nx} × ${ny} × ${nz} passes MAX_3D_TEXTURE_SIZE (${p.max3DSize})` };
  if (p.bricks > 1) return { path: 'exact', reason: `the layer is held in ${p.bricks} brick textures` };
  if (bytes > p.gpuRoomBytes) return { path: 'exact', reason: `the copy needs ${mib(bytes)} and the GPU budget leaves ${mib(Math.max(0, p.gpuRoomBytes))}` };
  return { path: 'fast' };
}
