// Small decisions shared by the ray caster (GPU) and picking (CPU), so both march alike.
import type { RayMode } from '../shaders/rayShader';
import type { LayerMeta, RenderMode, Vec3, ViewerState } from '../../state/viewerStore';

/** How much coarser the ray steps while the user drags in the 3D pane. */
export const INTERACTION_STEP_FACTOR = 4;

/**
 * The 3D pane's image while the user drags (or skipping is not ready), as a share of the pane's
 * side: about an eighth of the rays, stretched smoothly (PaneCanvas's cache), refined at full
 * resolution when the drag ends.
 */
export const INTERACTION_RESOLUTION = 0.35;

/**
 * A projection (MIP, MinIP, mean) while dragging: a quarter of the side (about a sixteenth of the
 * rays). Its rays cannot stop early (composite stops at full opacity, iso at the surface), so at the
 * same resolution a dragged MIP frame costs about three composite ones; the full-resolution refine
 * follows the drag.
 */
export const PROJECTION_INTERACTION_RESOLUTION = 0.25;

/** The 3D pane's image resolution while dragging, as a share of its side, for a render mode. */
export const interactionResolution = (mode: RenderMode): number => (mode === 'mip' ? PROJECTION_INTERACTION_RESOLUTION : INTERACTION_RESOLUTION);

/** Ray step in voxels: 1 / (samples per voxel), coarser while interacting. */
export function rayStepVoxels(quality: number, interacting: boolean): number {
  return (1 / quality) * (interacting ? INTERACTION_STEP_FACTOR : 1);
}

/**
 * Whether the 3D pane draws at interaction quality now: while the user drags, while a visible
 * volume's brick ranges (which empty-space skipping needs) are still being computed after its
 * load, so the first 3D image comes fast and is refined when they arrive, and while a visible
 * multiscale layer shows a coarse level a finer one will soon replace (no full-quality cast of a
 * grid about to go).
 */
export function coarse3D(s: Pick<ViewerState, 'interacting' | 'layers'>): boolean {
  return s.interacting || awaitingBricks(s) || s.layers.some((l) => l.display.visible && refining(l));
}

/** A multiscale layer drawn from a level that a finer one is on its way to replace. */
export const refining = (l: Pick<LayerMeta, 'pyramid'>): boolean => l.pyramid !== undefined && l.pyramid.level !== l.pyramid.target;

/** A visible volume's exact stats (and with them its brick ranges) are still to come. */
export const awaitingBricks = (s: Pick<ViewerState, 'layers'>): boolean => s.layers.some((l) => l.display.visible && l.dims.length >= 3 && !l.stats.exact);

/** The octant "cut at the crosshair" removes: the one facing the camera, ±1 per slice-plane normal (row-major `rotation`'s columns). */
export function cutSign(cameraWorld: readonly number[], crosshair: readonly number[], rotation: readonly number[] = [1, 0, 0, 0, 1, 0, 0, 0, 1]): Vec3 {
  const d = [cameraWorld[0] - crosshair[0], cameraWorld[1] - crosshair[1], cameraWorld[2] - crosshair[2]];
  // Along the slice planes' normals (the oblique rotation's columns; the world axes unturned).
  return [0, 1, 2].map((a) => (d[0] * rotation[a] + d[1] * rotation[3 + a] + d[2] * rotation[6 + a] >= 0 ? 1 : -1)) as Vec3;
}

/** What decides, per mode, which value ranges the ray caster may leap over. */
export interface EmptinessInputs {
  mode: RayMode;
  slope: number;
  inter: number;
  window: readonly [number, number];
  iso: number;
  /** The transfer table (256 RGBA entries) over `tfDomain`. */
  tfTable: Uint8Array;
  tfDomain: readonly [number, number];
  /** How far a drawn sample may stray from the exact value (the render copy's, textures/renderCopy.ts renderCopySlack); 0 or absent for the exact path. */
  copySlack?: number;
  /**
   * MIP (MinIP): how many LUT entries past the window's first (last) still show as it does, within
   * the projection's tolerance (`projectionReach`); 0 or absent: the first (last) entry alone.
   */
  endEntries?: number;
}

/**
 * The test for bricks (raw [lo, hi]) whose samples cannot show, whatever the ray met before:
 * composite, where the transfer function is transparent over the range; iso, where the range is
 * below the threshold; MIP (MinIP), where every value of the range shows as the window's first
 * (last) LUT entry, as the colormap's end shows a ray that met nothing else. Every bound is widened
 * a little (a millionth, a hundredth of a transfer bin or LUT entry, and the render copy's slack) so
 * float32 arithmetic in the shader never lands outside what was judged here. Null for the mean,
 * which counts every sample.
 */
export function staticEmptiness(p: EmptinessInputs): ((lo: number, hi: number) => boolean) | null {
  const scaled = (lo: number, hi: number) => scaledRange(lo, hi, p);
  // A projection shows its best through the window's 256-entry LUT (shaders/chunks.ts windowBin):
  // every value short of the first entry's end (the window's low end plus half an entry) shows as
  // the low end itself does, and likewise at the top. A hundredth of an entry inside that end, and
  // the copy's slack, keep float32 arithmetic in the shader on the judged side.
  const [w0, w1] = p.window;
  // (The API keeps w1 > w0; were it not so, entry ≤ 0 and each end's own test below decides.)
  const entry = (w1 - w0) / 255;
  const slack = p.copySlack ?? 0;
  // Entry n's end: half an entry past its centre.
  const ends = (p.endEntries ?? 0) + 0.49;
  switch (p.mode) {
    case 'max':
      return (lo, hi) => {
        const top = scaled(lo, hi)[1];
        return top <= w0 || top + slack < w0 + ends * entry;
      };
    case 'min':
      return (lo, hi) => {
        const bottom = scaled(lo, hi)[0];
        return bottom >= w1 || bottom - slack > w1 - ends * entry;
      };
    case 'iso':
      return (lo, hi) => scaled(lo, hi)[1] < p.iso;
    case 'composite': {
      const [d0, d1] = p.tfDomain;
      const width = Math.max(d1 - d0, 1e-30);
      const bin = (v: number) => Math.round(Math.min(1, Math.max(0, (v - d0) / width)) * 255);
      // A hundredth of a bin either side: far beyond float32's error in the shader's own binning.
      const margin = width / 255 / 100;
      // Prefix counts of opaque bins: a range is transparent when it holds none.
      const opaque = new Int32Array(257);
      for (let b = 0; b < 256; b++) opaque[b + 1] = opaque[b] + (p.tfTable[b * 4 + 3] > 0 ? 1 : 0);
      return (lo, hi) => {
        const [sLo, sHi] = scaled(lo, hi);
        if (!(sLo <= sHi)) return false; // NaN bounds: no judgement
        const b0 = bin(sLo - margin), b1 = bin(sHi + margin);
        return opaque[b1 + 1] - opaque[b0] === 0;
      };
    }
    default:
      return null;
  }
}

/** A raw range [lo, hi] scaled (either way round), widened by a millionth of each end: float32 arithmetic in the shader stays inside. */
function scaledRange(lo: number, hi: number, p: Pick<EmptinessInputs, 'slope' | 'inter'>): [number, number] {
  const a = lo * p.slope + p.inter;
  const b = hi * p.slope + p.inter;
  const sLo = Math.min(a, b), sHi = Math.max(a, b);
  return [sLo - 1e-6 * Math.max(1, Math.abs(sLo)), sHi + 1e-6 * Math.max(1, Math.abs(sHi))];
}

/**
 * MIP's (MinIP's) test of a brick (raw [lo, hi]) by the ray's best: the LUT entry its highest
 * (lowest) value can show as, never below (above) the entry the shader's windowBin gives any sample
 * of it (float32 arithmetic, the render copy's slack: a hundredth of an entry and the slack
 * outward). The projection march reads it with the leap distances (textures/emptyDistance.ts, their
 * third channel), one fetch a brick instead of a range fetch and its binning. A range with a NaN
 * bound counts as the window's far end, so it never is passed over. Null for the other modes.
 */
export function brickEntry(p: EmptinessInputs): ((lo: number, hi: number) => number) | null {
  if (p.mode !== 'max' && p.mode !== 'min') return null;
  const [w0, w1] = p.window;
  const span = Math.max(w1 - w0, 1e-30);
  const slack = p.copySlack ?? 0;
  // windowBin: int(clamp((v − w0) / span, 0, 1) · 255 + 0.5), here a hundredth of an entry outward.
  const entry = (v: number, outward: number) => Math.min(255, Math.max(0, Math.floor(Math.min(1, Math.max(0, (v - w0) / span)) * 255 + 0.5 + outward)));
  if (p.mode === 'max')
    return (lo, hi) => {
      const top = scaledRange(lo, hi, p)[1];
      return Number.isNaN(top) ? 255 : entry(top + slack, 0.01);
    };
  return (lo, hi) => {
    const bottom = scaledRange(lo, hi, p)[0];
    return Number.isNaN(bottom) ? 0 : entry(bottom - slack, -0.01);
  };
}

/**
 * Everything `staticEmptiness(p)` reads, as a cache key for the leap distances built from it
 * (textures/emptyDistance.ts compares it item by item): a change in any of them (a new window, iso
 * value or transfer function) must rebuild the distances. `points` are the transfer function's
 * control points, which the table (changed in place) follows.
 */
export function emptinessKey(p: EmptinessInputs, points: unknown): readonly unknown[] {
  const composite = p.mode === 'composite';
  return [p.mode, p.slope, p.inter, p.window[0], p.window[1], p.copySlack ?? 0, p.endEntries ?? 0, p.mode === 'iso' ? p.iso : 0, composite ? p.tfTable : null, composite ? points : null, composite ? p.tfDomain[0] : 0, composite ? p.tfDomain[1] : 0];
}

/**
 * The box (voxel coordinates, as the shader's uBoxLo and uBoxHi) a ray is cast through: the grid's
 * own, [−0.5, n − 0.5] on each axis, or where composite's and iso's skipping leaves only the bricks
 * in `occupied` to sample (textures/emptyDistance.ts occupiedBricks; null: none), the part of it
 * those bricks cover. A sample at p belongs to brick floor((p + 0.5) / size), so brick b spans
 * [b · size − 0.5, (b + 1) · size − 0.5). No brick at all: an empty box, which every ray misses.
 * Rays then start at that box: fewer pixels drawn and no leaps through the air around it.
 */
export function rayBox(dims: readonly number[], occupied?: { lo: readonly number[]; hi: readonly number[] } | null, size = 1): { lo: Vec3; hi: Vec3 } {
  const full = { lo: [-0.5, -0.5, -0.5] as Vec3, hi: [dims[0] - 0.5, dims[1] - 0.5, dims[2] - 0.5] as Vec3 };
  if (occupied === undefined) return full;
  if (occupied === null) return { lo: full.lo, hi: full.lo };
  const axis = (a: number) => [Math.max(full.lo[a], occupied.lo[a] * size - 0.5), Math.min(full.hi[a], (occupied.hi[a] + 1) * size - 0.5)];
  const [x, y, z] = [axis(0), axis(1), axis(2)];
  return { lo: [x[0], y[0], z[0]], hi: [x[1], y[1], z[1]] };
}

/**
 * How many samples a MIP/MinIP run takes from the sample at t (shaders/rayShader.ts
 * projectionMarch, the same arithmetic in GLSL): those at t + k · step, k = 0 … n − 1, that lie at or
 * before runEnd (the end of the ray or of the run's block) and, where the removed octant
 * [cut[0], cut[1]) lies ahead, before it (the march steps over it to its faces). An empty cut
 * (cut[0] ≥ cut[1]) limits nothing; always the sample at t itself.
 */
export function runSamples(t: number, step: number, runEnd: number, cut: readonly [number, number]): number {
  let n = Math.max(Math.floor((runEnd - t) / step) + 1, 1);
  if (cut[0] < cut[1] && t < cut[0]) n = Math.min(n, Math.ceil((cut[0] - t) / step));
  return n;
}

/**
 * How far, per RGBA channel (of 255), the fast path's MIP and MinIP may show from the colour of the
 * exact best: they pass over bricks whose every value shows within this of what the ray already
 * shows (a brick of σ 3 noise about −1000 HU spans three LUT entries of the default CT window,
 * while the samples along a ray stay in one). The exact path: 0, where only entries of the very
 * same colour are passed over.
 */
export const PROJECTION_TOLERANCE = 1;

/**
 * A projection's reach through its LUT (`lut`: 256 RGBA entries), for MIP (`max`) or MinIP
 * (`min`): `reach[b]`, the furthest entry past b (MinIP: before b) such that every entry from b to
 * it shows within `tolerance` of every other, per channel; so a ray whose best shows as entry b may
 * pass over values up to reach[b] and still show within `tolerance` of its exact colour. `stop[h]`:
 * the nearest entry to the window's end (MIP: the lowest) whose reach covers h, where a run started
 * by a brick up to h may stop. Both monotone in b.
 */
export function projectionReach(lut: Uint8Array, kind: 'max' | 'min', tolerance: number): { reach: Uint8Array; stop: Uint8Array } {
  const up = kind === 'max';
  const dir = up ? 1 : -1;
  const reach = new Uint8Array(256);
  const stop = new Uint8Array(256);
  for (let b = 0; b < 256; b++) {
    const lo = [255, 255, 255, 255], hi = [0, 0, 0, 0];
    let last = b;
    for (let e = b; e >= 0 && e < 256; e += dir) {
      let within = true;
      for (let c = 0; c < 4; c++) {
        lo[c] = Math.min(lo[c], lut[e * 4 + c]);
        hi[c] = Math.max(hi[c], lut[e * 4 + c]);
        if (hi[c] - lo[c] > tolerance) within = false;
      }
      if (!within) break;
      last = e;
    }
    reach[b] = last;
  }
  for (let h = 0; h < 256; h++) {
    let b = up ? 0 : 255;
    while (up ? reach[b] < h : reach[b] > h) b += dir;
    stop[h] = b;
  }
  return { reach, stop };
}

/** `projectionReach`'s tables packed four entries to an int (reach in ints 0–63, stop in 64–127), for the shader's `uReach` (ivec4[32]). */
export function packReach(r: { reach: Uint8Array; stop: Uint8Array }): Int32Array {
  const out = new Int32Array(128);
  for (let i = 0; i < 512; i++) {
    const v = i < 256 ? r.reach[i] : r.stop[i - 256];
    out[i >> 2] |= v << ((i & 3) * 8);
  }
  return out;
}
