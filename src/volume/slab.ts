// A thick slab at one point, on the CPU, as the slice shader computes it (render/shaders/layerShader
// thickSlabChunk): samples along the plane's normal, each nearest or trilinear like the pane, reduced
// to the max, min or mean of scaled values. The probe uses it to say which voxel gave a MIP's or
// MinIP's value; the tests use it as the reference the GPU slab must match.
import { transformPoint } from './affine';
import { sampleTrilinear } from './raycast';
import { valueAt, type SampleSource } from './sampling';
import { voxelsPerFrame } from './header';

export type SlabReduce = 'max' | 'min' | 'mean';

export interface SlabSample {
  /** The reduced scaled value; NaN where no sample fell inside the grid. */
  value: number;
  /** Max and min: the sample that gave the value (world mm) and its nearest voxel. Absent for mean. */
  at?: { world: [number, number, number]; ijk: [number, number, number]; scaled: number };
  /** Samples inside the grid. */
  samples: number;
}

/**
 * The slab through `centre` along the unit `normal`: `count` samples `spacingMm` apart, centred on
 * `centre` (state/orientation.ts slabSampling gives count and spacing). `linear`: trilinear, as the
 * pane draws with linear interpolation; else the nearest voxel.
 */
export function slabAt(
  src: Pick<SampleSource, 'dims' | 'values' | 'slabs' | 'inverseAffine' | 'slope' | 'inter' | 'channels'>,
  centre: readonly number[],
  normal: readonly number[],
  count: number,
  spacingMm: number,
  mode: SlabReduce,
  opts: { linear?: boolean; frame?: number } = {},
): SlabSample {
  const [nx, ny, nz] = src.dims;
  const frame = opts.frame ?? 0;
  const base = frame * voxelsPerFrame(src.dims);
  let acc = mode === 'max' ? -Infinity : mode === 'min' ? Infinity : 0;
  let n = 0;
  let best: SlabSample['at'];
  for (let s = 0; s < count; s++) {
    const t = (s - (count - 1) / 2) * spacingMm;
    const world: [number, number, number] = [centre[0] + normal[0] * t, centre[1] + normal[1] * t, centre[2] + normal[2] * t];
    const v = transformPoint(src.inverseAffine, world);
    // A voxel covers [i − 0.5, i + 0.5), as the shader's outsideVolume.
    if (v[0] < -0.5 || v[1] < -0.5 || v[2] < -0.5 || v[0] >= nx - 0.5 || v[1] >= ny - 0.5 || v[2] >= nz - 0.5) continue;
    const ijk: [number, number, number] = [Math.floor(v[0] + 0.5), Math.floor(v[1] + 0.5), Math.floor(v[2] + 0.5)];
    const raw = opts.linear ? sampleTrilinear(src, v, frame) : valueAt(src, (base + (ijk[2] * ny + ijk[1]) * nx + ijk[0]) * src.channels);
    if (Number.isNaN(raw)) continue;
    const scaled = raw * src.slope + src.inter;
    n++;
    if (mode === 'mean') acc += scaled;
    else if (mode === 'max' ? scaled > acc : scaled < acc) {
      acc = scaled;
      best = { world, ijk, scaled };
    }
  }
  if (n === 0) return { value: NaN, samples: 0 };
  return mode === 'mean' ? { value: acc / n, samples: n } : { value: acc, at: best, samples: n };
}

const f32 = Math.fround;
/** The largest finite value the shader's reach takes for "everything" (a saturated best). */
export const REACH_ALL = f32(3.4e38);

/** The LUT entry (0–255) a scaled value shows as under `window`, in float32 as the shader's windowBin. */
export function windowBin(value: number, window: readonly [number, number]): number {
  const t = Math.min(1, Math.max(0, f32(f32(f32(value) - f32(window[0])) / Math.max(f32(f32(window[1]) - f32(window[0])), f32(1e-30)))));
  return Math.trunc(f32(f32(t * 255) + 0.5));
}

/**
 * How far a MIP's (`dir` 1) or MinIP's (−1) best value reaches on a base layer, as the slice shader
 * works it out once per new best (render/shaders/layerShader.ts reachOf), in float32: the furthest
 * value that shows as the best value does (the same LUT entry), so a brick whose range stays within
 * it cannot change the pixel; ±REACH_ALL where the best value saturates the window (nothing can).
 * The entry's end is taken a hair inside and kept only where windowBin confirms it (windowBin is
 * monotonic, so every value up to a confirmed reach shows the same entry); else the best value.
 */
export function slabReach(best: number, window: readonly [number, number], dir: 1 | -1): number {
  const bin = windowBin(best, window);
  if (dir === 1 ? bin >= 255 : bin <= 0) return dir * REACH_ALL;
  const width = Math.max(f32(f32(window[1]) - f32(window[0])), f32(1e-30));
  const edge = f32(f32(f32(window[0]) + f32(width * f32(f32(bin + dir * 0.5) / 255))) - dir * f32(width * f32(1e-5)));
  if (dir === 1) return windowBin(edge, window) <= bin ? Math.max(f32(best), edge) : f32(best);
  return windowBin(edge, window) >= bin ? Math.min(f32(best), edge) : f32(best);
}
