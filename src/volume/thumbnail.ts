// Preset thumbnails: a small composite render of the current volume under each preset, made on
// the CPU so the 3D pane's context is never borrowed. The main thread takes a coarse copy of the
// voxels (point samples every f-th voxel, at most 64 per axis: a few hundred thousand reads, even
// of a 512³ volume); a worker resamples it once into a view-aligned grid (from anterior, superior
// up, patient right on the left: the 3D pane's default camera, orthographic) and casts each
// preset through it as the ray caster does: the same 256-entry table, opacity per voxel,
// Blinn-Phong with a headlight where the preset shades. Pure: runs in Node tests and the worker.
import { transformPoint, invert, type Mat4 } from './affine';
import { decimatedAffine, decimatedDims, factorsUntil } from './decimate';
import { voxelsPerFrame } from './header';
import { sampleTrilinear } from './raycast';
import { valueAt, type SampleSource } from './sampling';
import { transferDomain, transferTable, type ColorPoint, type TransferPoint } from './transfer';

/** A coarse copy of one frame: scaled values (NaN where none), x fastest. */
export interface ThumbnailGrid {
  values: Float32Array;
  dims: [number, number, number];
  /** Voxel of this grid → world mm. */
  affine: Mat4;
  /** Voxels of the full grid per mm along world y (the thumbnail's depth axis): opacity is per full voxel. */
  voxelsPerMmY: number;
}

/** Every f-th voxel (f a power of two per axis) of frame `frame`, at most `maxSize` per axis, scaled. */
export function thumbnailGrid(src: Pick<SampleSource, 'dims' | 'values' | 'slabs' | 'slope' | 'inter' | 'affine' | 'inverseAffine' | 'pending'>, frame: number, maxSize = 64): ThumbnailGrid {
  const [nx, ny, nz] = src.dims;
  // Stryker disable next-line MethodExpression: a factor for the frame axis would never be read (decimatedDims and the loops take the first three)
  const f = factorsUntil(src.dims.slice(0, 3), maxSize, () => true);
  const [mx, my, mz] = decimatedDims(src.dims.slice(0, 3), f) as [number, number, number];
  const values = new Float32Array(mx * my * mz);
  const base = frame * voxelsPerFrame(src.dims);
  let o = 0;
  // Stryker disable next-line EqualityOperator: one slice more writes past the Float32Array's end, which does nothing
  for (let k = 0; k < mz; k++) {
    const kk = k * f[2];
    // A slice still on its way holds no value yet.
    const missing = src.pending !== undefined && src.pending[kk + frame * nz] === 1;
    for (let j = 0; j < my; j++)
      for (let i = 0; i < mx; i++, o++) {
        const raw = missing ? NaN : valueAt(src, base + (kk * ny + j * f[1]) * nx + i * f[0]);
        values[o] = Number.isFinite(raw) ? raw * src.slope + src.inter : NaN;
      }
  }
  const inv = src.inverseAffine;
  return { values, dims: [mx, my, mz], affine: decimatedAffine(src.affine, f), voxelsPerMmY: Math.hypot(inv[1], inv[5], inv[9]) };
}

/** The grid resampled along the thumbnail's rays: size × size pixels, `depth` samples each, front to back. */
export interface ThumbnailView {
  values: Float32Array;
  size: number;
  depth: number;
  /** Full-grid voxels per depth sample: the exponent the per-voxel opacity takes. */
  stepVoxels: number;
}

const MAX_DEPTH = 128;

/** The ray caster's trilinear (clamped to the edge); NaN outside the box or next to a missing value. */
function trilinear(g: ThumbnailGrid, v: readonly number[]): number {
  const [nx, ny, nz] = g.dims;
  if (v[0] < -0.5 || v[1] < -0.5 || v[2] < -0.5 || v[0] >= nx - 0.5 || v[1] >= ny - 0.5 || v[2] >= nz - 0.5) return NaN;
  return sampleTrilinear(g, v);
}

/**
 * The view from anterior: the patient's right (world +x in RAS) on the left, so pixel column i
 * runs towards −x; row j from superior down; depth k from anterior (+y) back. The volume's world
 * box fills the square, aspect kept.
 */
export function thumbnailView(g: ThumbnailGrid, size = 64): ThumbnailView {
  const [nx, ny, nz] = g.dims;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const ci of [-0.5, nx - 0.5]) for (const cj of [-0.5, ny - 0.5]) for (const ck of [-0.5, nz - 0.5]) {
    const w = transformPoint(g.affine, [ci, cj, ck]);
    for (let a = 0; a < 3; a++) [lo[a], hi[a]] = [Math.min(lo[a], w[a]), Math.max(hi[a], w[a])];
  }
  const mmPerPixel = Math.max(hi[0] - lo[0], hi[2] - lo[2]) / size || 1;
  const depth = Math.max(1, Math.min(MAX_DEPTH, Math.ceil((hi[1] - lo[1]) / mmPerPixel)));
  const mmPerSample = (hi[1] - lo[1]) / depth || 1;
  const cx = (lo[0] + hi[0]) / 2;
  const cz = (lo[2] + hi[2]) / 2;
  const inv = invert(g.affine);
  const values = new Float32Array(size * size * depth);
  let o = 0;
  // Stryker disable next-line EqualityOperator: one sample more writes past the Float32Array's end, which does nothing
  for (let k = 0; k < depth; k++) {
    const wy = hi[1] - (k + 0.5) * mmPerSample;
    for (let j = 0; j < size; j++) {
      const wz = cz - (j + 0.5 - size / 2) * mmPerPixel;
      for (let i = 0; i < size; i++, o++) values[o] = trilinear(g, transformPoint(inv, [cx - (i + 0.5 - size / 2) * mmPerPixel, wy, wz]));
    }
  }
  return { values, size, depth, stepVoxels: mmPerSample * g.voxelsPerMmY };
}

export interface ThumbnailStyle {
  points: readonly TransferPoint[];
  colors: readonly ColorPoint[];
  shading: boolean;
  ambient: number;
  diffuse: number;
  specular: number;
  specularPower: number;
}

/** Composite of the view under a style, over black as the 3D pane draws it: size × size RGBA. */
export function castThumbnail(view: ThumbnailView, style: ThumbnailStyle): Uint8ClampedArray<ArrayBuffer> {
  const { size, depth, values } = view;
  // Stryker disable next-line ArithmeticOperator: the colormap is all zeros, and a shorter one reads as zeros too (an empty subarray sets nothing)
  const table = transferTable(style.points, new Uint8Array(256 * 4), style.colors);
  const [lo, hi] = transferDomain(style.points);
  // As the shader: a difference across two samples under 1e-4 of the range is no surface.
  const flat = Math.max(1e-4 * (hi - lo), 1e-30);
  const plane = size * size;
  // A neighbour past the grid or outside the box (NaN) reads as the centre: no difference that side.
  const at = (i: number, j: number, k: number, centre: number) => {
    const v = values[Math.min(depth - 1, Math.max(0, k)) * plane + Math.min(size - 1, Math.max(0, j)) * size + Math.min(size - 1, Math.max(0, i))];
    return Number.isNaN(v) ? centre : v;
  };
  const out = new Uint8ClampedArray(plane * 4);
  // Stryker disable next-line EqualityOperator: a row more writes past the Uint8ClampedArray's end, which does nothing
  for (let j = 0; j < size; j++)
    // Stryker disable next-line EqualityOperator: a pixel more lands on the next row's first, which that row then writes again
    for (let i = 0; i < size; i++) {
      let r = 0, gr = 0, b = 0, a = 0;
      for (let k = 0; k < depth && a < 0.99; k++) {
        const v = values[k * plane + j * size + i];
        if (Number.isNaN(v)) continue;
        const bin = Math.round(Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * 255) * 4;
        const alpha = table[bin + 3] / 255;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; opacity 0 gives s = 0, which adds nothing
        if (alpha <= 0) continue;
        let cr = table[bin] / 255, cg = table[bin + 1] / 255, cb = table[bin + 2] / 255;
        if (style.shading) {
          // Central differences within the view grid, as the shader takes them within the voxel grid.
          const gx = at(i + 1, j, k, v) - at(i - 1, j, k, v);
          const gy = at(i, j + 1, k, v) - at(i, j - 1, k, v);
          const gz = at(i, j, k + 1, v) - at(i, j, k - 1, v);
          const len = Math.hypot(gx, gy, gz);
          const flatLit = style.ambient + style.diffuse;
          let kd = flatLit;
          let spec = 0;
          if (len > flat) {
            // The headlight looks along depth: n·l is the depth component of the unit gradient.
            const ndl = Math.abs(gz) / len;
            const w = smoothstep(flat, 4 * flat, len);
            kd = flatLit + w * (style.ambient + style.diffuse * ndl - flatLit);
            spec = w * style.specular * Math.pow(ndl, Math.max(1, style.specularPower));
          }
          cr = Math.min(1, cr * kd + spec);
          cg = Math.min(1, cg * kd + spec);
          cb = Math.min(1, cb * kd + spec);
        }
        const s = 1 - Math.pow(1 - Math.min(alpha, 0.9999), view.stepVoxels);
        r += (1 - a) * s * cr;
        gr += (1 - a) * s * cg;
        b += (1 - a) * s * cb;
        a += (1 - a) * s;
      }
      const o = (j * size + i) * 4;
      out[o] = r * 255;
      out[o + 1] = gr * 255;
      out[o + 2] = b * 255;
      out[o + 3] = 255;
    }
  return out;
}

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/** Main → worker: the coarse grid (its values transferred) and the thumbnail size. */
export interface ThumbnailRequest {
  grid: ThumbnailGrid;
  size: number;
}

/** Worker → main: one preset's thumbnail (its pixels transferred), in VOLUME_PRESETS order. */
export interface ThumbnailReply {
  index: number;
  name: string;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}
