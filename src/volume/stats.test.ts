import { describe, expect, it } from 'vitest';
import { computeStats, DISTINCT_CAP, gridRange, histogram, sampleStats, signedTails, withExactRange } from './stats';

it('sampled stats give the window fast; the exact pass finds the extremes the sample missed', () => {
  const values = new Int16Array(1 << 18).map((_, i) => i % 100);
  // The sample reads one voxel in four here; find a place it skips rather than assume which.
  const seen = (index: number) => {
    const probe = new Int16Array(values.length);
    probe[index] = 1;
    return sampleStats(probe, 1).max === 1;
  };
  let hidden = 12345;
  while (seen(hidden)) hidden++;
  values[hidden] = 30000;
  values[54321] = -5;
  const sampled = sampleStats(values, 1);
  expect(sampled.exact).toBe(false);
  expect(sampled.max).toBeLessThanOrEqual(99);
  expect(sampled.robustMin).toBeLessThanOrEqual(2);
  expect(sampled.robustMax).toBeGreaterThanOrEqual(95);
  const exact = withExactRange(sampled, values);
  expect(exact).toMatchObject({ min: -5, max: 30000, exact: true, robustMin: sampled.robustMin, robustMax: sampled.robustMax });
});

it('counts non-finite floats and ignores them in the range', () => {
  const f = new Float32Array([1, NaN, -Infinity, 4, Infinity, -2]);
  expect(computeStats(f, 1)).toMatchObject({ min: -2, max: 4, nonFinite: 3, sampledDistinct: 3, exact: true });
});

it('a constant volume gets a usable window', () => {
  const s = computeStats(new Uint8Array(1000).fill(7), 1);
  expect(s.robustMax).toBeGreaterThan(s.robustMin);
  expect(s.sampledDistinct).toBe(1);
});

/** A head-like phantom: background 0–20 and an ellipsoid of 1000 ± 20 (18% of the volume) in the middle. */
function phantom([nx, ny, nz]: [number, number, number]): Int16Array {
  const v = new Int16Array(nx * ny * nz);
  // Noise from a table with a prime period, so it lines up with no grid either: voxel i holds
  // table[(i + 1) mod 4099]. Rows are copied from the table repeated (the phantom is built for each
  // Stryker mutant: a voxel-by-voxel loop over 256³ made this file take seconds).
  const period = 4099;
  let seed = 12345;
  const table = Uint8Array.from({ length: period }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) % 21); // 0..20
  const low = Int16Array.from({ length: period + nx }, (_, n) => table[(n + 1) % period]);
  const high = low.map((x) => x + 990);
  const [cx, cy, cz] = [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2];
  const [rx, ry, rz] = [0.35 * nx, 0.35 * ny, 0.35 * nz];
  const inside = (x: number, r2: number) => r2 + ((x - cx) / rx) ** 2 <= 1;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, i += nx) {
      const r2 = ((y - cy) / ry) ** 2 + ((z - cz) / rz) ** 2;
      const off = i % period;
      v.set(low.subarray(off, off + nx), i);
      if (r2 > 1) continue;
      // The row's voxels inside the ellipsoid: a run around cx, its ends found with the test itself.
      const w = rx * Math.sqrt(1 - r2);
      let a = Math.max(0, Math.ceil(cx - w) - 1);
      while (a < nx && !inside(a, r2)) a++;
      let b = Math.min(nx - 1, Math.floor(cx + w) + 1);
      while (b >= a && !inside(b, r2)) b--;
      if (b >= a) v.set(high.subarray(off + a, off + b + 1), i + a);
    }
  }
  return v;
}

describe('the default window covers the anatomy whatever the grid', () => {
  // A plain stride of floor(n / 65536) read only x = 0 (background) for 256³ and 512×512×128: the
  // window came out [0, 20]. 128³ (stride 32) did not alias; it stays as a control.
  const grids: [number, number, number][] = [
    [256, 256, 256],
    [512, 512, 128],
    [128, 128, 128],
  ];
  for (const dims of grids) {
    it(`${dims.join('×')}`, () => {
      const s = sampleStats(phantom(dims), 1);
      expect(s.robustMin).toBeLessThanOrEqual(20);
      expect(s.robustMax).toBeGreaterThanOrEqual(990);
      expect(s.robustMax).toBeLessThanOrEqual(1010);
    });
  }
});

/** Each voxel's own coordinate along `axis`, written a row or slice at a time (fill and copy, not a loop per voxel). */
function coordinateVolume([nx, ny, nz]: [number, number, number], axis: number): Uint16Array {
  const v = new Uint16Array(nx * ny * nz);
  if (axis === 0) {
    for (let i = 0; i < nx; i++) v[i] = i;
    for (let done = nx; done < v.length; done *= 2) v.copyWithin(done, 0, Math.min(done, v.length - done));
  } else if (axis === 1) for (let r = 0; r < ny * nz; r++) v.fill(r % ny, r * nx, (r + 1) * nx);
  else for (let z = 0; z < nz; z++) v.fill(z, z * nx * ny, (z + 1) * nx * ny);
  return v;
}

describe('the sample spreads evenly along every axis', () => {
  // value = one coordinate: its 2nd and 98th percentiles must sit at 2% and 98% of that axis. A
  // stride sharing a factor with the row length sees only a few columns (256×256×64: x = 0, 64,
  // 128, 192, so the 98th percentile was 192 instead of 250).
  const grids: [number, number, number][] = [
    [256, 256, 64],
    [512, 512, 16],
    [181, 217, 181],
    [64, 64, 1024],
    [100, 120, 90],
  ];
  for (const dims of grids) {
    it(`${dims.join('×')}`, () => {
      const [nx, ny] = dims;
      const n = dims[0] * dims[1] * dims[2];
      const axes = [(i: number) => i % nx, (i: number) => Math.floor(i / nx) % ny, (i: number) => Math.floor(i / (nx * ny))];
      axes.forEach((coordinate, axis) => {
        const values = coordinateVolume(dims, axis);
        for (const i of [0, 1, nx - 1, nx, nx * ny - 1, nx * ny, n - 1]) expect(values[i]).toBe(coordinate(i));
        const last = dims[axis] - 1;
        const s = sampleStats(values, 1);
        // Integer coordinates: a percentile can land a whole step from the exact 2% or 98% point.
        const tolerance = Math.max(1.5, 0.01 * last);
        expect(Math.abs(s.robustMin - 0.02 * last), `axis ${axis} low`).toBeLessThanOrEqual(tolerance);
        expect(Math.abs(s.robustMax - 0.98 * last), `axis ${axis} high`).toBeLessThanOrEqual(tolerance);
      });
    });
  }
});

it('multi-channel voxels are sampled whole, and the range spans every channel', () => {
  const voxels = 300_000;
  const rgb = new Uint8Array(voxels * 3);
  for (let i = 0; i < voxels; i++) rgb.set([10, 100 + (i % 50), 250], i * 3);
  const s = sampleStats(rgb, 3);
  expect(s).toMatchObject({ min: 10, max: 250, robustMin: 10, robustMax: 250 });
  // Reads start on a voxel: were one misaligned, red and blue would still appear but the counts
  // would not be this exact (every sampled voxel contributes one of each).
  expect(s.sampledDistinct).toBe(52);
});

describe('sampledDistinct', () => {
  it('counts the codes of a label map', () => {
    const labels = new Uint8Array(1 << 20).map((_, i) => [0, 0, 0, 2, 41, 17][i % 6]);
    expect(sampleStats(labels, 1).sampledDistinct).toBe(4);
  });
  it('stops at the cap for continuous data, and ignores NaN', () => {
    const f = new Float32Array(1 << 20).map((_, i) => (i % 97 === 0 ? NaN : Math.sin(i) * 100));
    const s = sampleStats(f, 1);
    expect(s.sampledDistinct).toBe(DISTINCT_CAP);
    expect(s.nonFinite).toBeGreaterThan(0);
  });
  it('is 0 when nothing finite was seen', () => {
    expect(sampleStats(new Float64Array([NaN, NaN]), 1).sampledDistinct).toBe(0);
  });
});

describe('gridRange', () => {
  it('is the range and histogram of every array together, arrays with no finite value left out', () => {
    const a = new Float32Array([1, 2, NaN, 3]);
    const b = new Float32Array([NaN, Infinity]);
    const c = new Float32Array([-5, 10]);
    const r = gridRange([a, b, c], 1);
    expect([r.min, r.max, r.nonFinite]).toEqual([-5, 10, 3]);
    const whole = histogram(new Float32Array([1, 2, 3, -5, 10]), -5, 10);
    expect(r.histogram).toEqual(whole);
  });
  it('stops when asked, between pieces: null', () => {
    let asked = 0;
    expect(gridRange([new Int16Array(10)], 1, () => ++asked > 1)).toBeNull();
    expect(asked).toBe(2);
  });
});

describe('sampled runs and signed tails', () => {
  it('finds the longest run of consecutive integers among the values', () => {
    expect(computeStats(new Int16Array([0, 1, 2, 3, 10, 11, 40, 40, 41]), 1).sampledRun).toBe(4);
    expect(computeStats(new Uint8Array([5, 7, 9, 200]), 1).sampledRun).toBe(1);
    expect(computeStats(new Uint8Array([9, 8, 7, 6, 5, 100, 101]), 1).sampledRun).toBe(5);
    expect(computeStats(new Float32Array([0.5, 1.5, 2.5]), 1).sampledRun).toBe(0);
  });
  it('gives a signed volume its tails: the 95th percentile and the largest of each sign, as magnitudes', () => {
    const values = new Float32Array(2000);
    for (let i = 0; i < 1000; i++) values[i] = i + 1; // 1…1000
    for (let i = 0; i < 500; i++) values[1000 + i] = -(i + 1) * 2; // −2…−1000
    const t = computeStats(values, 1).tails!;
    expect(t.pos[1]).toBe(1000);
    expect(t.pos[0]).toBeGreaterThanOrEqual(940);
    expect(t.pos[0]).toBeLessThanOrEqual(960);
    expect(t.neg[1]).toBe(1000);
    expect(t.neg[0]).toBeGreaterThanOrEqual(930);
    expect(t.neg[0]).toBeLessThanOrEqual(960);
    expect(computeStats(new Float32Array([0, 1, 2]), 1).tails).toBeUndefined();
    expect(computeStats(new Float32Array([-3, -1, 0]), 1).tails).toBeUndefined();
  });
  it('reads tails off a sorted sample exactly', () => {
    expect(signedTails([-4, -3, -2, -1, 0, 0, 1, 2, 3, 4, 5])).toEqual({ pos: [4, 5], neg: [3, 4] });
    expect(signedTails([-1, 0, 7])).toEqual({ pos: [7, 7], neg: [1, 1] });
  });
});

