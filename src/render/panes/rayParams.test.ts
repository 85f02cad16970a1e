import { describe, expect, it } from 'vitest';
import { brickRanges } from '../../volume/bricks';
import { colormapTable } from '../textures/colormaps';
import { disposeEmptyDistanceTexture, emptyDistanceTexels, emptyDistanceTextureFor, occupiedBricks } from '../textures/emptyDistance';
import { brickEntry, cutSign, emptinessKey, INTERACTION_RESOLUTION, interactionResolution, packReach, PROJECTION_INTERACTION_RESOLUTION, PROJECTION_TOLERANCE, projectionReach, rayBox, runSamples, staticEmptiness, type EmptinessInputs } from './rayParams';

/** 16³ voxels valued by their brick's i index × 50 (bricks of 4: values 0, 50, 100, 150 along x). */
function ramp() {
  const n = 16;
  const values = new Float32Array(n * n * n);
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[i + n * (j + n * k)] = Math.floor(i / 4) * 50;
  return brickRanges(values, [n, n, n])!;
}

const tfTable = new Uint8Array(256 * 4);
const base: EmptinessInputs = { mode: 'max', slope: 1, inter: 0, window: [0, 60], iso: 0, tfTable, tfDomain: [0, 200] };

/** The shader's windowBin (shaders/chunks.ts) in float32. */
const windowBin = (v: number, w: readonly [number, number]) => {
  const f = Math.fround;
  const t = Math.min(1, Math.max(0, f(f(v - w[0]) / f(Math.max(f(w[1] - w[0]), 1e-30)))));
  return Math.floor(f(f(t * 255) + 0.5));
};

/** `count` windows (low −2000 … 2000, width 0.01 … 3000) and their entry's width, from a seeded generator whose next draws the caller may take too. */
function* randomWindows(seed: number, count: number): Generator<{ w: [number, number]; entry: number; rand: () => number }> {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let n = 0; n < count; n++) {
    const lo = (rand() - 0.5) * 4000;
    const w: [number, number] = [lo, lo + 0.01 + rand() * 3000];
    yield { w, entry: (w[1] - w[0]) / 255, rand };
  }
}

/** What the 3D pane does each frame: the distances for the current inputs, from the per-layer cache (the first channel). */
const distances = (layerId: string, grid: ReturnType<typeof ramp>, p: EmptinessInputs, points: unknown = null) =>
  Uint8Array.from((emptyDistanceTextureFor(layerId, grid, emptinessKey(p, points), staticEmptiness(p)!).texture.image.data as Uint8Array).filter((_, i) => i % 4 === 0));

describe('empty-space leap distances', () => {
  it('are rebuilt when the window changes (MIP: bricks at or below the window low are empty)', () => {
    const grid = ramp();
    const a = distances('win', grid, { ...base, window: [60, 300] });
    // The x-bricks 0 and 1 (values to 50, with the apron to 100 for brick 1) — brick 0 is empty.
    const emptyA = Array.from(a).filter((d) => d > 0).length;
    expect(emptyA).toBeGreaterThan(0);
    const b = distances('win', grid, { ...base, window: [-10, 300] });
    expect(Array.from(b).every((d) => d === 0)).toBe(true);
    const c = distances('win', grid, { ...base, window: [60, 300] });
    expect(Array.from(c)).toEqual(Array.from(a));
    disposeEmptyDistanceTexture('win');
  });

  it('are rebuilt when the high end of the window changes (MinIP)', () => {
    const grid = ramp();
    const a = distances('minip', grid, { ...base, mode: 'min', window: [0, 90] });
    const b = distances('minip', grid, { ...base, mode: 'min', window: [0, 1000] });
    expect(Array.from(a).some((d) => d > 0)).toBe(true);
    expect(Array.from(b).every((d) => d === 0)).toBe(true);
    disposeEmptyDistanceTexture('minip');
  });

  it('are rebuilt when the iso value, the scaling or the mode changes', () => {
    const grid = ramp();
    const iso = (v: number, slope = 1, inter = 0) => Array.from(distances('iso', grid, { ...base, mode: 'iso', iso: v, slope, inter })).filter((d) => d > 0).length;
    const low = iso(10);
    const high = iso(120);
    expect(high).toBeGreaterThan(low);
    expect(iso(10)).toBe(low);
    expect(iso(10, 1, -100)).toBeGreaterThan(low); // the same raw values, scaled lower: more is below
    expect(iso(10, 0.01)).toBeGreaterThan(low);
    const mip = Array.from(distances('iso', grid, { ...base, window: [1000, 2000] })).filter((d) => d > 0).length;
    expect(mip).toBe(grid.dims[0] * grid.dims[1] * grid.dims[2]);
    disposeEmptyDistanceTexture('iso');
  });

  it('are rebuilt when the transfer function changes (composite: transparent bins are empty)', () => {
    const grid = ramp();
    const table = new Uint8Array(256 * 4);
    const opaqueFrom = (bin: number) => {
      table.fill(0);
      for (let b = bin; b < 256; b++) table[b * 4 + 3] = 255;
    };
    const p = { ...base, mode: 'composite' as const, tfTable: table, tfDomain: [0, 255] as [number, number] };
    opaqueFrom(0);
    const all = distances('tf', grid, p, [[0, 1]]);
    expect(Array.from(all).every((d) => d === 0)).toBe(true);
    opaqueFrom(200); // the same table object, changed in place, with new points
    const some = distances('tf', grid, p, [[200, 1]]);
    expect(Array.from(some).every((d) => d > 0)).toBe(true);
    // The domain alone moves the bins.
    opaqueFrom(100);
    const d1 = distances('tf', grid, { ...p, tfDomain: [0, 255] }, [[100, 1]]);
    const d2 = distances('tf', grid, { ...p, tfDomain: [0, 25] }, [[100, 1]]);
    expect(Array.from(d2)).not.toEqual(Array.from(d1));
    disposeEmptyDistanceTexture('tf');
  });

  it('the key holds only what the mode reads, item by item', () => {
    const k = (p: Partial<EmptinessInputs>, points: unknown = null) => emptinessKey({ ...base, ...p }, points);
    expect(k({ mode: 'max' })).toEqual(['max', 1, 0, 0, 60, 0, 0, 0, null, null, 0, 0]);
    expect(k({ mode: 'max', copySlack: 0.25 })).toEqual(['max', 1, 0, 0, 60, 0.25, 0, 0, null, null, 0, 0]);
    expect(k({ mode: 'max', endEntries: 2 })).toEqual(['max', 1, 0, 0, 60, 0, 2, 0, null, null, 0, 0]);
    expect(k({ mode: 'iso', iso: 7 })).toEqual(['iso', 1, 0, 0, 60, 0, 0, 7, null, null, 0, 0]);
    expect(k({ mode: 'max', iso: 7 })).toEqual(k({ mode: 'max', iso: 8 }));
    const points = [[0, 1]];
    expect(k({ mode: 'composite' }, points)).toEqual(['composite', 1, 0, 0, 60, 0, 0, 0, tfTable, points, 0, 200]);
  });
});

describe('staticEmptiness', () => {
  it("MIP: empty where the range's top shows as the window's first LUT entry, a hundredth of an entry and the copy's slack inside its end", () => {
    // Window [100, 200]: an entry is 100 / 255; the first ends at 100 + half of one (100.196).
    const e = staticEmptiness({ ...base, window: [100, 200] })!;
    expect(e(0, 100)).toBe(true);
    expect(e(0, 100.19)).toBe(true);
    expect(e(0, 100.195)).toBe(false); // within the hundredth
    expect(e(0, 100.2)).toBe(false); // the second entry
    expect(e(0, 100.19 - 0.01)).toBe(true);
    expect(staticEmptiness({ ...base, window: [100, 200], copySlack: 0.01 })!(0, 100.18)).toBe(true);
    expect(staticEmptiness({ ...base, window: [100, 200], copySlack: 0.01 })!(0, 100.185)).toBe(false);
    // At or below the low end itself, whatever the slack: every exact value there shows as the low end.
    expect(staticEmptiness({ ...base, window: [100, 200], copySlack: 10 })!(0, 99)).toBe(true);
    expect(staticEmptiness({ ...base, mode: 'min', window: [0, 100], copySlack: 10 })!(101, 300)).toBe(true);
    const scaled = staticEmptiness({ ...base, slope: -2, inter: 10, window: [-5, 200] })!;
    expect(scaled(8, 20)).toBe(true); // scaled −30 … −6
    expect(scaled(7, 20)).toBe(false); // scaled −30 … −4, past −5 + 0.39
    // No width (or a window turned round): only what is at or below the low end.
    const flat = staticEmptiness({ ...base, window: [100, 100] })!;
    expect(flat(0, 99.9)).toBe(true);
    expect(flat(0, 100.001)).toBe(false);
    expect(staticEmptiness({ ...base, window: [100, 50] })!(0, 100.001)).toBe(false);
  });

  it("MinIP: empty where the range's bottom shows as the window's last LUT entry", () => {
    const e = staticEmptiness({ ...base, mode: 'min', window: [0, 100] })!;
    expect(e(100.1, 300)).toBe(true);
    expect(e(99.81, 300)).toBe(true); // the last entry starts at 100 − 0.196
    expect(e(99.805, 300)).toBe(false);
    expect(e(99.7, 300)).toBe(false);
    expect(staticEmptiness({ ...base, mode: 'min', window: [0, 100], copySlack: 0.01 })!(99.81, 300)).toBe(false);
  });

  it('MIP (MinIP) with end entries: empty where the top (bottom) shows within that many entries of the end', () => {
    // Window [0, 255]: an entry is 1; with 2 end entries MIP's empty range ends at 2.49.
    const e = staticEmptiness({ ...base, window: [0, 255], endEntries: 2 })!;
    expect(e(0, 2.48)).toBe(true);
    expect(e(0, 2.5)).toBe(false);
    expect(staticEmptiness({ ...base, window: [0, 255], endEntries: 2, copySlack: 0.1 })!(0, 2.4)).toBe(false);
    const m = staticEmptiness({ ...base, mode: 'min', window: [0, 255], endEntries: 3 })!;
    expect(m(251.52, 300)).toBe(true);
    expect(m(251.5, 300)).toBe(false);
    // Each end entry's bound agrees with windowBin in float32.
    for (let n = 0; n < 4; n++) {
      expect(windowBin(n + 0.489, [0, 255])).toBe(n);
      expect(staticEmptiness({ ...base, window: [0, 255], endEntries: n })!(0, n + 0.48)).toBe(true);
      expect(staticEmptiness({ ...base, window: [0, 255], endEntries: n })!(0, n + 0.5)).toBe(false);
    }
  });

  it("never calls a range empty that the shader's windowBin shows past the end entry, over many windows", () => {
    let empty = 0;
    for (const { w, entry, rand } of randomWindows(7, 20000)) {
      const top = w[0] + (rand() - 0.2) * entry;
      const bottom = w[1] - (rand() - 0.2) * entry;
      if (staticEmptiness({ ...base, window: w })!(top - 1, top)) {
        empty++;
        expect(windowBin(top, w)).toBe(0);
      }
      if (staticEmptiness({ ...base, mode: 'min', window: w })!(bottom, bottom + 1)) expect(windowBin(bottom, w)).toBe(255);
      // And it is not much stricter than the LUT: well inside the end entry is empty (where the millionth's widening is small beside an entry).
      if (1e-6 * Math.max(1, Math.abs(w[0])) < 0.02 * entry) expect(staticEmptiness({ ...base, window: w })!(w[0] - 1, w[0] + 0.45 * entry)).toBe(true);
    }
    expect(empty).toBeGreaterThan(5000);
  });

  it('iso: empty below the threshold', () => {
    const e = staticEmptiness({ ...base, mode: 'iso', iso: 50 })!;
    expect(e(0, 49)).toBe(true);
    expect(e(0, 50)).toBe(false);
    expect(e(0, 49.99999)).toBe(false);
    const big = staticEmptiness({ ...base, mode: 'iso', iso: 5e6 })!;
    expect(big(0, 5e6 - 1)).toBe(false); // a millionth of the value itself
    expect(big(0, 5e6 - 10)).toBe(true);
  });

  it('composite: empty where every bin the range touches is transparent; NaN bounds never are', () => {
    const table = new Uint8Array(256 * 4);
    table[100 * 4 + 3] = 1; // one opaque bin, 100 (values 100 ± 0.5 over a domain of 0 … 255)
    const e = staticEmptiness({ ...base, mode: 'composite', tfTable: table, tfDomain: [0, 255] })!;
    expect(e(0, 99)).toBe(true);
    expect(e(0, 100)).toBe(false);
    expect(e(101, 255)).toBe(true);
    expect(e(100, 100)).toBe(false);
    expect(e(99.3, 99.45)).toBe(true);
    expect(e(99.3, 99.495)).toBe(false); // a hundredth of a bin of margin
    expect(e(99.51, 99.6)).toBe(false);
    expect(e(Number.NaN, 3)).toBe(false);
    // Values beyond the domain fall in the end bins.
    table.fill(0);
    table[255 * 4 + 3] = 255;
    const end = staticEmptiness({ ...base, mode: 'composite', tfTable: table, tfDomain: [0, 255] })!;
    expect(end(1000, 2000)).toBe(false);
    expect(end(-50, 250)).toBe(true);
    table.fill(0);
    table[3] = 255;
    const start = staticEmptiness({ ...base, mode: 'composite', tfTable: table, tfDomain: [0, 255] })!;
    expect(start(-1000, -500)).toBe(false);
    expect(start(5, 300)).toBe(true);
  });

  it('the mean counts every sample: no test', () => {
    expect(staticEmptiness({ ...base, mode: 'mean' })).toBeNull();
  });
});

describe('cutSign', () => {
  it('faces the camera along each world axis, or along each turned plane normal', () => {
    expect(cutSign([10, -5, 0], [1, 1, 1])).toEqual([1, -1, -1]);
    // Turned 45° about S: the columns are (c, c, 0), (−c, c, 0), (0, 0, 1).
    const c = Math.SQRT1_2;
    const r = [c, -c, 0, c, c, 0, 0, 0, 1];
    // A camera at (−10, 1, 5) projects negatively on (c, c, 0), positively on (−c, c, 0) and on S:
    // the same signs as unturned. At (3, −10, 0) the turned first axis flips (3 − 10 < 0).
    expect(cutSign([-10, 1, 5], [0, 0, 0], r)).toEqual([-1, 1, 1]);
    expect(cutSign([-10, 1, 5], [0, 0, 0])).toEqual([-1, 1, 1]);
    expect(cutSign([-1, -10, -5], [0, 0, 0], r)).toEqual([-1, -1, -1]);
    expect(cutSign([-1, -10, -5], [0, 0, 0])).toEqual([-1, -1, -1]);
    expect(cutSign([3, -10, 0], [0, 0, 0], r)).toEqual([-1, -1, 1]);
    expect(cutSign([3, -10, 0], [0, 0, 0])).toEqual([1, -1, 1]);
  });
});

describe('runSamples: a MIP run from the sample at t', () => {
  /** The samples t + k·step a march taking one at a time would take: up to runEnd, and none at or past the start of an octant ahead (the march goes on past it). */
  const oneByOne = (t: number, step: number, runEnd: number, cut: [number, number]) => {
    let n = 0;
    for (let tn = t; tn <= runEnd && !(cut[0] < cut[1] && t < cut[0] && tn >= cut[0]); tn += step) n++;
    return n;
  };
  it('takes every sample from t to the end of the block, both included', () => {
    expect(runSamples(0, 1, 31, [0, -1])).toBe(32);
    expect(runSamples(0.25, 0.5, 10.25, [0, -1])).toBe(21);
    expect(runSamples(3, 1, 3.5, [0, -1])).toBe(1);
  });
  it('stops before the removed octant ahead, not at one behind or missed (an empty interval)', () => {
    // The octant from 10 (the sample at 10 is inside it) to 20.
    expect(runSamples(0, 1, 31, [10, 20])).toBe(10);
    expect(runSamples(0, 1, 31, [10.5, 20])).toBe(11);
    // Behind the sample at t, or a slab the ray misses (its far side before its near side).
    expect(runSamples(25, 1, 31, [10, 20])).toBe(7);
    expect(runSamples(0, 1, 31, [12, 5])).toBe(32);
  });
  it('always takes the sample at t', () => {
    expect(runSamples(5, 1, 5, [0, -1])).toBe(1);
    expect(runSamples(5, 1, 31, [5.5, 9])).toBe(1);
  });
  // Off the sample grid: at an end exactly on it, float rounding may take or leave that one sample either way.
  it('agrees with a march taking one sample at a time', () => {
    for (const step of [0.5, 1, 2])
      for (let t = 0.3; t < 12; t += 0.7)
        for (const runEnd of [t + 0.1, t + 3.1, t + 31.3])
          for (const cut of [[0, -1], [t + 2.2, t + 5], [t - 3, t - 1], [t + 40, t + 50], [t + 0.4, t + 0.9]] as [number, number][])
            expect(runSamples(t, step, runEnd, cut), `${t} ${step} ${runEnd} ${cut}`).toBe(oneByOne(t, step, runEnd, cut));
  });
});

describe('projectionReach: what a MIP or MinIP may pass over, by the entry its best shows as', () => {
  const lut = (f: (b: number) => [number, number, number, number]) => {
    const t = new Uint8Array(1024);
    for (let b = 0; b < 256; b++) t.set(f(b), 4 * b);
    return t;
  };
  const gray = lut((b) => [b, b, b, 255]);

  it('gray: one entry past the best at a tolerance of 1, none at 0; MinIP mirrored', () => {
    const max1 = projectionReach(gray, 'max', 1);
    expect([...max1.reach.slice(0, 4)]).toEqual([1, 2, 3, 4]);
    expect(max1.reach[255]).toBe(255);
    // A run from a brick up to 3 may stop at the first sample showing as 2 (whose reach covers 3).
    expect([...max1.stop.slice(0, 4)]).toEqual([0, 0, 1, 2]);
    const max0 = projectionReach(gray, 'max', 0);
    expect([...max0.reach]).toEqual([...Array(256).keys()]);
    expect([...max0.stop]).toEqual([...Array(256).keys()]);
    const min1 = projectionReach(gray, 'min', 1);
    expect([...min1.reach.slice(252)]).toEqual([251, 252, 253, 254]);
    expect(min1.reach[0]).toBe(0);
    expect([...min1.stop.slice(252)]).toEqual([253, 254, 255, 255]);
    expect(PROJECTION_TOLERANCE).toBe(1);
  });

  it('reaches over entries of one colour exactly (tolerance 0), and every channel counts, alpha too', () => {
    // Black to entry 9, then a ramp of 3 a step.
    const knee = lut((b) => (b < 10 ? [0, 0, 0, 255] : [3 * (b - 9), 0, 0, 255]));
    const r = projectionReach(knee, 'max', 0);
    expect(r.reach[0]).toBe(9);
    expect(r.reach[9]).toBe(9);
    expect(r.reach[10]).toBe(10);
    expect(r.stop[9]).toBe(0);
    expect(r.stop[10]).toBe(10);
    expect(projectionReach(knee, 'max', 3).reach[0]).toBe(10);
    // A spread builds up: entries 0 … 4 in green steps of 1 stay within 2 only up to 2.
    expect(projectionReach(lut((b) => [0, b, 0, 255]), 'max', 2).reach[0]).toBe(2);
    expect(projectionReach(lut((b) => [0, 0, 0, b]), 'max', 0).reach[0]).toBe(0);
    expect(projectionReach(lut((b) => [0, 0, b, 255]), 'min', 2).reach[255]).toBe(253);
  });

  it('keeps every entry between the best and its reach within the tolerance, and is monotone, for every colormap', () => {
    for (const name of ['gray', 'gray-inverted', 'hot', 'bone', 'viridis', 'cool', 'red'] as const) {
      const table = colormapTable(name);
      for (const kind of ['max', 'min'] as const)
        for (const tol of [0, 1, 4]) {
          const { reach, stop } = projectionReach(table, kind, tol);
          for (let b = 0; b < 256; b++) {
            const [a, z] = kind === 'max' ? [b, reach[b]] : [reach[b], b];
            expect(z).toBeGreaterThanOrEqual(a);
            for (let c = 0; c < 4; c++) {
              const ch = Array.from({ length: z - a + 1 }, (_, i) => table[4 * (a + i) + c]);
              expect(Math.max(...ch) - Math.min(...ch), `${name} ${kind} ${tol} ${b}`).toBeLessThanOrEqual(tol);
            }
            // One entry further is out of reach.
            const next = kind === 'max' ? reach[b] + 1 : reach[b] - 1;
            if (next >= 0 && next < 256) {
              const [a2, z2] = kind === 'max' ? [b, next] : [next, b];
              const spread = [0, 1, 2, 3].map((c) => {
                const ch = Array.from({ length: z2 - a2 + 1 }, (_, i) => table[4 * (a2 + i) + c]);
                return Math.max(...ch) - Math.min(...ch);
              });
              expect(Math.max(...spread)).toBeGreaterThan(tol);
            }
            if (b > 0) expect(kind === 'max' ? reach[b] >= reach[b - 1] : reach[b] >= reach[b - 1]).toBe(true);
            // stop[h]: the entry nearest the window's end whose reach covers h.
            const s = stop[b];
            expect(kind === 'max' ? reach[s] >= b : reach[s] <= b).toBe(true);
            if (kind === 'max' && s > 0) expect(reach[s - 1]).toBeLessThan(b);
            if (kind === 'min' && s < 255) expect(reach[s + 1]).toBeGreaterThan(b);
          }
        }
    }
  });

  it("packs four entries an int as the shader's reachByte unpacks them (the top byte's sign included)", () => {
    const r = { reach: Uint8Array.from({ length: 256 }, (_, i) => 255 - i), stop: Uint8Array.from({ length: 256 }, (_, i) => (i * 7 + 3) % 256) };
    const packed = packReach(r);
    expect(packed.length).toBe(128);
    // GLSL: (uReach[i >> 4][(i >> 2) & 3] >> ((i & 3) * 8)) & 255, uReach an ivec4[32].
    const reachByte = (i: number) => (packed[(i >> 4) * 4 + ((i >> 2) & 3)] >> ((i & 3) * 8)) & 255;
    for (let i = 0; i < 256; i++) {
      expect(reachByte(i)).toBe(r.reach[i]);
      expect(reachByte(256 + i)).toBe(r.stop[i]);
    }
  });
});

describe('the leap distances\' other channels', () => {
  const channel = (data: Uint8Array, c: number) => data.filter((_, i) => i % 4 === c);

  it("the second holds the wider test's distances (the first channel's again without one)", () => {
    const grid = ramp();
    const p = { ...base, window: [0, 255] as [number, number] };
    const data = emptyDistanceTexels(grid, staticEmptiness(p)!, { wider: staticEmptiness({ ...p, endEntries: 60 })! });
    const first = channel(data, 0), second = channel(data, 1);
    // Bricks 0 (values 0 … 50, the apron included) pass the wider test only.
    expect(first.filter((d) => d > 0).length).toBe(0);
    expect(second.filter((d) => d > 0).length).toBe(4 * 4); // the bricks at x = 0 of the 4³
    expect(channel(emptyDistanceTexels(grid, staticEmptiness({ ...p, endEntries: 60 })!), 1)).toEqual(second);
    expect(data.length).toBe(4 * 4 ** 3);
  });

  it("the third holds each brick's entry (brickEntry of its range), 0 without one; the fourth 0", () => {
    const grid = ramp();
    const p = { ...base, window: [0, 255] as [number, number] };
    const entry = brickEntry(p)!;
    const data = emptyDistanceTexels(grid, staticEmptiness(p)!, { entry });
    const third = channel(data, 2);
    for (let c = 0; c < third.length; c++) expect(third[c]).toBe(entry(grid.ranges[2 * c], grid.ranges[2 * c + 1]));
    // The ramp's x-bricks top at 50, 100, 150 and 150 (the apron included).
    expect(new Set(third)).toEqual(new Set([50, 100, 150]));
    expect(channel(emptyDistanceTexels(grid, staticEmptiness(p)!), 2).every((v) => v === 0)).toBe(true);
    expect(channel(data, 3).every((v) => v === 0)).toBe(true);
  });
});

describe('brickEntry', () => {
  it("MIP: the entry of the range's scaled top, MinIP: of its bottom; the copy's slack outward; the window's far end for a NaN range; none for the other modes", () => {
    const w: [number, number] = [0, 255];
    expect(brickEntry({ ...base, window: w })!(0, 10)).toBe(10);
    expect(brickEntry({ ...base, window: w })!(0, 10.4)).toBe(10);
    expect(brickEntry({ ...base, window: w })!(0, 10.6)).toBe(11);
    expect(brickEntry({ ...base, window: w })!(-50, -20)).toBe(0);
    expect(brickEntry({ ...base, window: w })!(0, 900)).toBe(255);
    expect(brickEntry({ ...base, mode: 'min', window: w })!(10, 90)).toBe(10);
    expect(brickEntry({ ...base, mode: 'min', window: w })!(300, 900)).toBe(255);
    // Scaled (slope −2: the raw bottom gives the top).
    expect(brickEntry({ ...base, slope: -2, inter: 100, window: w })!(10, 40)).toBe(80);
    expect(brickEntry({ ...base, mode: 'min', slope: -2, inter: 100, window: w })!(10, 40)).toBe(20);
    // The copy's slack, outward.
    expect(brickEntry({ ...base, window: w, copySlack: 0.2 })!(0, 10.4)).toBe(11);
    expect(brickEntry({ ...base, mode: 'min', window: w, copySlack: 0.2 })!(10.6, 90)).toBe(10);
    // Each end widened by a millionth of its magnitude (0.01 at 10 000: a hundredth of an entry here).
    const far: [number, number] = [10000, 10255];
    expect(brickEntry({ ...base, window: far })!(10000, 10010.485)).toBe(11);
    expect(brickEntry({ ...base, mode: 'min', window: far })!(10010.515, 10100)).toBe(10);
    expect(brickEntry({ ...base, window: w })!(NaN, NaN)).toBe(255);
    expect(brickEntry({ ...base, mode: 'min', window: w })!(NaN, NaN)).toBe(0);
    for (const mode of ['mean', 'composite', 'iso'] as const) expect(brickEntry({ ...base, mode })).toBeNull();
  });

  it("is never short of the shader's windowBin of any value in the range (float32), and at most one entry past it, over many windows", () => {
    let past = 0;
    for (const { w, entry, rand } of randomWindows(11, 20000)) {
      // Values on and about the entries' edges, where float32 rounding decides.
      const v = w[0] + (Math.floor(rand() * 260) - 2 + (rand() < 0.5 ? 0.5 : rand())) * entry;
      const shader = windowBin(v, w);
      const top = brickEntry({ ...base, window: w })!(v - 10, v);
      expect(top).toBeGreaterThanOrEqual(shader);
      expect(top).toBeLessThanOrEqual(shader + 1);
      if (top > shader) past++;
      const bottom = brickEntry({ ...base, mode: 'min', window: w })!(v, v + 10);
      expect(bottom).toBeLessThanOrEqual(shader);
      expect(bottom).toBeGreaterThanOrEqual(shader - 1);
    }
    // Only about the entries' edges (the hundredth and the millionth's widening).
    expect(past).toBeLessThan(20000 * 0.1);
  });
});

describe('interactionResolution', () => {
  it('draws a dragged projection (MIP, MinIP, mean: no early stop) at a quarter of the side, composite and iso at 0.35', () => {
    expect(interactionResolution('mip')).toBe(0.25);
    expect(PROJECTION_INTERACTION_RESOLUTION).toBe(0.25);
    expect(interactionResolution('composite')).toBe(INTERACTION_RESOLUTION);
    expect(interactionResolution('iso')).toBe(0.35);
  });
});

describe('the box rays are cast through', () => {
  it('is the grid’s own without an occupied box, and an empty one where no brick is occupied', () => {
    expect(rayBox([10, 20, 30])).toEqual({ lo: [-0.5, -0.5, -0.5], hi: [9.5, 19.5, 29.5] });
    // A box of no volume at the grid's corner: every ray misses it, and the mesh drawn is hidden.
    expect(rayBox([10, 20, 30], null, 4)).toEqual({ lo: [-0.5, -0.5, -0.5], hi: [-0.5, -0.5, -0.5] });
  });

  it('covers the occupied bricks’ samples (brick b: [b · size − 0.5, (b + 1) · size − 0.5)), inside the grid', () => {
    // Bricks of 4 over 10 × 20 × 30 voxels: 3 × 5 × 8 bricks, the last of each axis partial.
    expect(rayBox([10, 20, 30], { lo: [1, 0, 2], hi: [1, 3, 7] }, 4)).toEqual({ lo: [3.5, -0.5, 7.5], hi: [7.5, 15.5, 29.5] });
    expect(rayBox([10, 20, 30], { lo: [2, 4, 7], hi: [2, 4, 7] }, 4)).toEqual({ lo: [7.5, 15.5, 27.5], hi: [9.5, 19.5, 29.5] });
  });

  it('holds every sample of an occupied brick and none of a brick outside its range of bricks', () => {
    const dims = [13, 9, 22], size = 4;
    const box = rayBox(dims, { lo: [1, 0, 3], hi: [2, 1, 4] }, size);
    const brick = (p: number) => Math.floor((p + 0.5) / size);
    for (let a = 0; a < 3; a++)
      for (let p = -0.5; p <= dims[a] - 0.5; p += 0.125) {
        const inside = p >= box.lo[a] && p < box.hi[a];
        const occupied = brick(p) >= [1, 0, 3][a] && brick(p) <= [2, 1, 4][a];
        // (The box's far face itself belongs to the next brick; a sample there shows nothing either way.)
        if (p !== box.hi[a]) expect(inside, `axis ${a} at ${p}`).toBe(occupied);
      }
  });
});

describe('the occupied bricks', () => {
  it('are the box around the bricks of distance 0, with i, j, k from the texel index', () => {
    const dims: [number, number, number] = [5, 4, 3];
    const texels = new Uint8Array(4 * 60).fill(7);
    const at = (i: number, j: number, k: number) => 4 * (i + 5 * (j + 4 * k));
    texels[at(3, 1, 0)] = 0;
    texels[at(1, 2, 2)] = 0;
    // Only the first channel counts.
    texels[at(4, 3, 2) + 1] = 0;
    expect(occupiedBricks(texels, dims)).toEqual({ lo: [1, 1, 0], hi: [3, 2, 2] });
    texels[at(0, 0, 0)] = 0;
    texels[at(4, 3, 2)] = 0;
    expect(occupiedBricks(texels, dims)).toEqual({ lo: [0, 0, 0], hi: [4, 3, 2] });
  });

  it('are none where every brick is empty, and come with the distances from the per-layer cache', () => {
    expect(occupiedBricks(new Uint8Array(4 * 8).fill(1), [2, 2, 2])).toBeNull();
    const grid = ramp();
    // MIP with the window above 60: the x-bricks 0 (values 0, apron 50) are empty; bricks 1 … 3 are not.
    const p = { ...base, window: [60, 300] as [number, number] };
    expect(emptyDistanceTextureFor('box', grid, emptinessKey(p, null), staticEmptiness(p)!).occupied).toEqual({ lo: [1, 0, 0], hi: [3, 3, 3] });
    const all = { ...base, window: [1000, 2000] as [number, number] };
    expect(emptyDistanceTextureFor('box', grid, emptinessKey(all, null), staticEmptiness(all)!).occupied).toBeNull();
    disposeEmptyDistanceTexture('box');
  });
});
