import { describe, expect, it } from 'vitest';
import { invert } from './affine';
import { pickAlongRay, sampleTrilinear, slab } from './raycast';
import type { SampleSource } from './sampling';

function sphere(n: number, radius: number, affine = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]): SampleSource {
  const values = new Float32Array(n * n * n);
  const c = (n - 1) / 2;
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[i + n * (j + n * k)] = Math.hypot(i - c, j - c, k - c) <= radius ? 100 : 0;
  return { dims: [n, n, n], datatype: 'float32', channels: 1, slope: 1, inter: 0, affine, inverseAffine: invert(affine), values };
}

const everything = { lo: [-1e9, -1e9, -1e9] as [number, number, number], hi: [1e9, 1e9, 1e9] as [number, number, number] };

describe('CPU ray march', () => {
  it('slab gives where a line crosses a box', () => {
    expect(slab([-5, 0.5, 0.5], [1, 0, 0], [0, 0, 0], [1, 1, 1])).toEqual([5, 6]);
  });

  it('trilinear halfway between two voxels is their mean, clamped at the edges', () => {
    const src = sphere(4, 0);
    (src.values as Float32Array).set([0, 10], 0);
    expect(sampleTrilinear(src, [0.5, 0, 0])).toBeCloseTo(5, 9);
    expect(sampleTrilinear(src, [-3, 0, 0])).toBe(0);
  });

  it('iso picking finds the near surface of a sphere within half a voxel', () => {
    const n = 32, r = 10;
    const src = sphere(n, r);
    const c = (n - 1) / 2;
    const hit = pickAlongRay(src, 0, [c, -50, c], [0, 1, 0], 0.5, { kind: 'iso', iso: 50, sign: 1 }, everything);
    expect(hit).not.toBeNull();
    expect(Math.abs(hit!.world[1] - (c - r))).toBeLessThanOrEqual(0.5 + 0.5);
    expect(hit!.world[0]).toBeCloseTo(c, 6);
  });

  it('MIP picks the maximum; composite where opacity passes one half; a clip box removes the sphere', () => {
    const src = sphere(16, 5);
    const c = 7.5;
    const mip = pickAlongRay(src, 0, [c, c, -20], [0, 0, 1], 1, { kind: 'max' }, everything)!;
    expect(Math.abs(mip.world[2] - c)).toBeLessThanOrEqual(5);
    const comp = pickAlongRay(src, 0, [c, c, -20], [0, 0, 1], 1, { kind: 'composite', opacityAt: (v) => (v >= 50 ? 1 : 0) }, everything)!;
    expect(comp.world[2]).toBeLessThan(c - 3);
    expect(pickAlongRay(src, 0, [c, c, -20], [0, 0, 1], 1, { kind: 'iso', iso: 50, sign: 1 }, { lo: [-1e9, -1e9, 100], hi: [1e9, 1e9, 1e9] })).toBeNull();
  });

  it('works through a non-identity affine (LAS, 2 mm)', () => {
    const affine = [-2, 0, 0, 31, 0, 2, 0, -31, 0, 0, 2, -31, 0, 0, 0, 1];
    const src = sphere(32, 8, affine);
    const hit = pickAlongRay(src, 0, [0, -200, 0], [0, 1, 0], 0.5, { kind: 'iso', iso: 50, sign: 1 }, everything)!;
    expect(Math.abs(hit.world[1] - -16)).toBeLessThanOrEqual(2);
  });

  it('trilinear weights each axis by its own fraction (exact for a multilinear field)', () => {
    const n = 4;
    const values = new Float32Array(n * n * n);
    const f = (i: number, j: number, k: number) => 1 + 2 * i + 10 * j + 100 * k + 3 * i * j + 5 * j * k + 7 * i * k + 11 * i * j * k;
    for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[i + n * (j + n * k)] = f(i, j, k);
    const src = { dims: [n, n, n], values };
    for (const p of [[0.3, 0, 0], [0, 0.25, 0], [0, 0, 0.75], [1.2, 2.6, 0.4], [2.9, 0.1, 1.5], [0.5, 0.5, 0.5]]) {
      expect(sampleTrilinear(src, p)).toBeCloseTo(f(p[0], p[1], p[2]), 3);
    }
    // Clamped to the edge on every axis, both sides.
    expect(sampleTrilinear(src, [5, -1, 9])).toBeCloseTo(f(3, 0, 3), 3);
    expect(sampleTrilinear(src, [-2, 7, -3])).toBeCloseTo(f(0, 3, 0), 3);
    expect(sampleTrilinear(src, [3, 3, 3])).toBeCloseTo(f(3, 3, 3), 3);
  });

  it('trilinear reads the frame asked for', () => {
    const values = new Float32Array(16);
    values.set([1, 2, 3, 4, 5, 6, 7, 8], 0);
    values.set([10, 20, 30, 40, 50, 60, 70, 80], 8);
    const src = { dims: [2, 2, 2, 2], values };
    expect(sampleTrilinear(src, [0.5, 0.5, 0.5], 1)).toBeCloseTo(45, 6);
    expect(sampleTrilinear(src, [1, 0, 1], 1)).toBe(60);
    expect(sampleTrilinear(src, [1, 0, 1])).toBe(6);
  });

  it('slab: direction either way, a line parallel to a face, a miss', () => {
    expect(slab([5, 0.5, 0.5], [-1, 0, 0], [0, 0, 0], [1, 1, 1])).toEqual([4, 5]);
    const [a, b] = slab([0.5, 0.5, -2], [0, 0, 2], [0, 0, 0], [1, 1, 1]);
    expect([a, b]).toEqual([1, 1.5]);
    const miss = slab([0.5, 3, -2], [0, 0, 1], [0, 0, 0], [1, 1, 1]);
    expect(miss[1]).toBeLessThanOrEqual(miss[0]);
    const hit = slab([0.2, 0.7, -2], [0, 0, 1], [0, 0, 0], [1, 1, 1]);
    expect(hit).toEqual([2, 3]);
  });

  it("the clip box's far face ends the ray: MIP along a ramp stops at the box", () => {
    // Values grow with z; the maximum along +z is the last sample the clip box keeps.
    const n = 16;
    const values = new Float32Array(n * n * n);
    for (let k = 0; k < n; k++) values.fill(k * 10, k * n * n, (k + 1) * n * n);
    const id = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const src: SampleSource = { dims: [n, n, n], datatype: 'float32', channels: 1, slope: 1, inter: 0, affine: id, inverseAffine: invert(id), values };
    const box = { lo: [-1e9, -1e9, -1e9] as [number, number, number], hi: [1e9, 1e9, 6.2] as [number, number, number] };
    const mip = pickAlongRay(src, 0, [7, 7, -20], [0, 0, 1], 0.5, { kind: 'max' }, box)!;
    expect(mip.world[2]).toBeLessThanOrEqual(6.2);
    expect(mip.world[2]).toBeGreaterThan(5.6);
    // From the other side the far face is lo: MinIP along −z stops there.
    const back = { lo: [-1e9, -1e9, 8.3] as [number, number, number], hi: [1e9, 1e9, 1e9] as [number, number, number] };
    const minip = pickAlongRay(src, 0, [7, 7, 40], [0, 0, -1], 0.5, { kind: 'min' }, back)!;
    expect(minip.world[2]).toBeGreaterThanOrEqual(8.3);
    expect(minip.world[2]).toBeLessThan(8.9);
    // The near face: the first sample is inside the box.
    const near = { lo: [-1e9, -1e9, 3.2] as [number, number, number], hi: [1e9, 1e9, 1e9] as [number, number, number] };
    const mean = pickAlongRay(src, 0, [7, 7, -20], [0, 0, 1], 0.5, { kind: 'mean' }, near)!;
    expect(mean.world[2]).toBeCloseTo(3.45, 6);
    // The volume's own far side (z = n − 0.5) ends an unclipped ray.
    const mipAll = pickAlongRay(src, 0, [7, 7, -20], [0, 0, 1], 0.5, { kind: 'max' }, everything)!;
    expect(mipAll.world[2]).toBeGreaterThan(14.5);
    expect(mipAll.world[2]).toBeLessThanOrEqual(15.5);
    expect(mipAll.world[0]).toBeCloseTo(7, 9);
    expect(mipAll.voxel).toEqual(mipAll.world);
  });

  it('a ray that misses the volume, or a zero direction, picks nothing', () => {
    const src = sphere(8, 3);
    expect(pickAlongRay(src, 0, [20, 3, -20], [0, 0, 1], 0.5, { kind: 'max' }, everything)).toBeNull();
    expect(pickAlongRay(src, 0, [3, 3, -20], [0, 0, 0], 0.5, { kind: 'max' }, everything)).toBeNull();
    // Pointing away: the volume is behind the origin.
    expect(pickAlongRay(src, 0, [3, 3, -20], [0, 0, -1], 0.5, { kind: 'max' }, everything)).toBeNull();
    // Nothing opaque along the ray, nothing above the iso value: no pick.
    expect(pickAlongRay(src, 0, [3.5, 3.5, -20], [0, 0, 1], 0.5, { kind: 'composite', opacityAt: () => 0 }, everything)).toBeNull();
    expect(pickAlongRay(src, 0, [3.5, 3.5, -20], [0, 0, 1], 0.5, { kind: 'iso', iso: 500, sign: 1 }, everything)).toBeNull();
  });

  it('the cut removes only the octant beyond the centre on every axis, also away from the crosshair', () => {
    const n = 32, r = 12;
    const src = sphere(n, r);
    const c = (n - 1) / 2;
    const cut = { centre: [c, c, c] as [number, number, number], sign: [1, 1, 1] as [number, number, number] };
    const iso = { kind: 'iso', iso: 50, sign: 1 } as const;
    // Beyond the centre in x, short of it in y: not in the octant, the near surface is hit as without a cut.
    const x = c + 4, y = c - 4;
    const plain = pickAlongRay(src, 0, [x, y, -50], [0, 0, 1], 0.25, iso, everything)!;
    const withCut = pickAlongRay(src, 0, [x, y, -50], [0, 0, 1], 0.25, iso, { ...everything, cut })!;
    expect(withCut.world[2]).toBeCloseTo(plain.world[2], 6);
    expect(plain.world[2]).toBeLessThan(c - 8);
    // Beyond it in x and y: from +z the ray crosses the removed octant, and the cut face (z = c) shows tissue.
    const inside = pickAlongRay(src, 0, [x, c + 4, 50], [0, 0, -1], 0.25, iso, { ...everything, cut, faceAbove: 50 })!;
    expect(Math.abs(inside.world[2] - c)).toBeLessThanOrEqual(0.25);
    // Without faceAbove the face does not stop the ray: the iso surface just past it does (no previous sample).
    const noFace = pickAlongRay(src, 0, [x, c + 4, 50], [0, 0, -1], 0.25, iso, { ...everything, cut })!;
    expect(Math.abs(noFace.world[2] - c)).toBeLessThanOrEqual(0.25);
    // MIP through the octant: the removed part holds nothing the pick can land on.
    const mip = pickAlongRay(src, 0, [x, c + 4, 50], [0, 0, -1], 0.5, { kind: 'max' }, { ...everything, cut })!;
    expect(mip.world[2]).toBeLessThan(c);
  });

  it('the cut follows the turned slice planes: its octant is along the rotation’s columns', () => {
    const n = 32, r = 12;
    const src = sphere(n, r);
    const c = (n - 1) / 2;
    // Turned 45° about S: the octant's faces are the planes through the centre with normals (1, 1, 0)/√2 and (−1, 1, 0)/√2, and z = c.
    const h = Math.SQRT1_2;
    const rotation = [h, -h, 0, h, h, 0, 0, 0, 1];
    const cut = { centre: [c, c, c] as [number, number, number], sign: [1, 1, 1] as [number, number, number], rotation };
    const iso = { kind: 'iso', iso: 50, sign: 1 } as const;
    // At (c, c + 6): in front of both turned faces ((x−c) + (y−c) > 0 and −(x−c) + (y−c) > 0), so from +z
    // the ray crosses the removed octant and stops on its face z = c…
    const inOctant = pickAlongRay(src, 0, [c, c + 6, 50], [0, 0, -1], 0.25, iso, { ...everything, cut, faceAbove: 50 })!;
    expect(Math.abs(inOctant.world[2] - c)).toBeLessThanOrEqual(0.25);
    // …which the unturned octant (x > c and y > c) does not hold: there the surface is hit from above.
    const unturned = pickAlongRay(src, 0, [c, c + 6, 50], [0, 0, -1], 0.25, iso, { ...everything, cut: { ...cut, rotation: undefined }, faceAbove: 50 })!;
    expect(unturned.world[2]).toBeGreaterThan(c + 8);
    // At (c + 6, c − 1): inside the unturned octant's x but not y; inside neither turned face pair? (x−c)+(y−c) = 5 > 0 but
    // −(x−c)+(y−c) = −7 < 0: not in the turned octant, so the surface is hit from above as without a cut.
    const plain = pickAlongRay(src, 0, [c + 6, c - 1, 50], [0, 0, -1], 0.25, iso, everything)!;
    const outside = pickAlongRay(src, 0, [c + 6, c - 1, 50], [0, 0, -1], 0.25, iso, { ...everything, cut, faceAbove: 50 })!;
    expect(outside.world[2]).toBeCloseTo(plain.world[2], 6);
    expect(plain.world[2]).toBeGreaterThan(c + 8);
  });

  it('a cut face with nothing above faceAbove lets the ray go on', () => {
    const n = 32, r = 12;
    const src = sphere(n, r);
    const c = (n - 1) / 2;
    const cut = { centre: [c, c, c] as [number, number, number], sign: [-1, -1, -1] as [number, number, number] };
    // The octant below the centre on every axis, entered from −z: its face at z = c shows tissue above 50, not above 150.
    const stops = pickAlongRay(src, 0, [c - 4, c - 4, -50], [0, 0, 1], 0.25, { kind: 'max' }, { ...everything, cut, faceAbove: 50 })!;
    expect(Math.abs(stops.world[2] - c)).toBeLessThanOrEqual(0.25);
    const goesOn = pickAlongRay(src, 0, [c - 4, c - 4, -50], [0, 0, 1], 0.25, { kind: 'composite', opacityAt: (v) => (v > 50 ? 1 : 0) }, { ...everything, cut, faceAbove: 150 });
    expect(goesOn).not.toBeNull();
    expect(Math.abs(goesOn!.world[2] - c)).toBeLessThanOrEqual(0.5);
  });

  it('iso with sign −1 finds where values fall below; bisection refines the crossing', () => {
    const n = 16;
    const values = new Float32Array(n * n * n);
    for (let k = 0; k < n; k++) values.fill(k * 10, k * n * n, (k + 1) * n * n);
    const id = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const src: SampleSource = { dims: [n, n, n], datatype: 'float32', channels: 1, slope: 2, inter: -5, affine: id, inverseAffine: invert(id), values };
    // Scaled value 2·10·z − 5 crosses 100 at z = 5.25; coming from +z with sign −1 it falls below there.
    const down = pickAlongRay(src, 0, [7, 7, 40], [0, 0, -1], 1, { kind: 'iso', iso: 100, sign: -1 }, everything)!;
    expect(down.world[2]).toBeCloseTo(5.25, 4);
    const up = pickAlongRay(src, 0, [7, 7, -40], [0, 0, 1], 1, { kind: 'iso', iso: 100, sign: 1 }, everything)!;
    expect(up.world[2]).toBeCloseTo(5.25, 4);
    // Composite: opacity 1 above 100 and a step of one voxel passes one half at the first sample above.
    const comp = pickAlongRay(src, 0, [7, 7, -40], [0, 0, 1], 1, { kind: 'composite', opacityAt: (v) => (v > 100 ? 1 : 0) }, everything)!;
    expect(comp.world[2]).toBeCloseTo(6, 6);
    // Partial opacity accumulates: 0.3 per sample passes one half at the second opaque sample.
    const acc = pickAlongRay(src, 0, [7, 7, -40], [0, 0, 1], 1, { kind: 'composite', opacityAt: (v) => (v > 100 ? 0.3 : 0) }, everything)!;
    expect(acc.world[2]).toBeCloseTo(7, 6);
  });
});
