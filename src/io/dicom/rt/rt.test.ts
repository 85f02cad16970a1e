import { describe, expect, it } from 'vitest';
import { CIRCLE, CONTOUR_SLAB_MM, regularPolygonArea, rtCt, rtRois, rtStructObject, SQUARE } from '../../../../scripts/makeDicomRt';
import { transformPoint } from '../../../volume/affine';
import { doseAtVolume, dvhCsv, dvhFromDoses, volumeAtDose } from './dvh';
import { parseRtStruct } from './parseRtStruct';
import { sectionOnPlane, subtract } from './planeSection';
import { rasterizeStructure } from './rasterize';
import { buildStructure, contourVolumeMm3, insideStructure, planeArea, type Structure } from './structure';
import { structureStats } from './structureStats';

const ct = rtCt();
const grid = { dims: ct.dims, affine: ct.affine.flat() };
const parsed = parseRtStruct(rtStructObject(ct), 'rtstruct.dcm');
if (parsed.kind === 'error') throw new Error(parsed.message);
const set = parsed.value;
const square = buildStructure(set.rois[0].contours)!;
const circle = buildStructure(set.rois[1].contours)!;
const squareArea = (SQUARE.x[1] - SQUARE.x[0]) * (SQUARE.y[1] - SQUARE.y[0]);
const circleArea = regularPolygonArea(CIRCLE.sides, CIRCLE.radius);

/** Shoelace area of world polygons in the plane of world axes a, b. */
const area2d = (poly: number[][], a: number, b: number) => Math.abs(poly.reduce((s, p, i) => s + p[a] * poly[(i + 1) % poly.length][b] - poly[(i + 1) % poly.length][a] * p[b], 0)) / 2;

describe('parseRtStruct', () => {
  it('reads ROI names, colours, types, the referenced series and the contours in RAS', () => {
    expect(set.rois.map((r) => [r.number, r.name, r.rgb, r.interpretedType, r.contours.length])).toEqual(rtRois().map((r) => [r.number, r.name, r.rgb, r.interpreted, r.contours.length]));
    expect(set.referencedSeriesUid).toBe(ct.seriesUid);
    expect(set.frameOfReferenceUid).toBe(ct.frameOfReferenceUid);
    // LPS (−8, −2.5, −3) is RAS (8, 2.5, −3).
    expect([...set.rois[0].contours[0].subarray(0, 3)]).toEqual([8, 2.5, -3]);
  });

  it('refuses a file that is not a structure set, typed and named', () => {
    const r = parseRtStruct(ct.file(0), 'IM00001.dcm');
    expect(r.kind === 'error' && r.code).toBe('unsupported-format');
    expect(r.kind === 'error' && r.message).toMatch(/IM00001.dcm is not an RT Structure Set/);
  });
});

/** Every voxel of `g` whose centre insideStructure puts in `s`, ascending: the per-voxel rule rasterizeStructure must equal. */
function insideVoxels(s: Structure, g: { dims: number[]; affine: number[] }): number[] {
  const out: number[] = [];
  for (let k = 0; k < g.dims[2]; k++)
    for (let j = 0; j < g.dims[1]; j++)
      for (let i = 0; i < g.dims[0]; i++) if (insideStructure(s, transformPoint(g.affine, [i, j, k]), s.slabMm!)) out.push(i + g.dims[0] * (j + g.dims[1] * k));
  return out;
}

describe('structures', () => {
  it('groups contours into planes with their slab, areas and volumes from the polygons', () => {
    expect(square.planes.map((p) => p.offset)).toEqual(SQUARE.z);
    expect(square.slabMm).toBeCloseTo(CONTOUR_SLAB_MM, 9);
    square.planes.forEach((p) => expect(planeArea(p)).toBeCloseTo(squareArea, 9));
    expect(contourVolumeMm3(square)).toBeCloseTo(squareArea * CONTOUR_SLAB_MM * SQUARE.z.length, 9);
    expect(contourVolumeMm3(circle)).toBeCloseTo(circleArea * CONTOUR_SLAB_MM * CIRCLE.z.length, 6); // DS strings round the points
  });

  it('a contour inside another is a hole (even–odd)', () => {
    const ring = (r: number) => Float64Array.from(Array.from({ length: 4 }, (_, i) => [[-r, -r, 0], [r, -r, 0], [r, r, 0], [-r, r, 0]][i]).flat());
    const s = buildStructure([ring(10), ring(4)])!;
    expect(planeArea(s.planes[0])).toBeCloseTo(400 - 64, 9);
    expect(insideStructure(s, [0, 0, 0], 1)).toBe(false);
    expect(insideStructure(s, [7, 0, 0], 1)).toBe(true);
  });

  it('rasterizes on the CT grid: a voxel counts when its centre is inside; the square exactly, the circle to within its rim', () => {
    const sq = rasterizeStructure(square, grid);
    expect(sq.length).toBe(squareArea * SQUARE.z.length); // 1 mm pixels, centres never on an edge
    // Every voxel counted is inside, by its centre, and the count per slice is the polygon's area in pixels.
    for (const n of sq) {
      const ijk = [n % 30, Math.floor(n / 30) % 27, Math.floor(n / (30 * 27))];
      expect(insideStructure(square, transformPoint(grid.affine, ijk), 2)).toBe(true);
    }
    const ci = rasterizeStructure(circle, grid);
    const perimeter = 2 * Math.PI * CIRCLE.radius;
    expect(Math.abs(ci.length / CIRCLE.z.length - circleArea)).toBeLessThan(perimeter / 2);
  });

  it('scanline rows and the per-voxel test agree: a star with a hole, on grids stepping either way along x, and a transposed one', () => {
    const star = (z: number) => Float64Array.from(Array.from({ length: 14 }, (_, n) => {
      const r = n % 2 ? 4.3 : 11.7;
      const a = (n / 14) * 2 * Math.PI + 0.1;
      return [1.3 + r * Math.cos(a), -0.7 + r * Math.sin(a), z];
    }).flat());
    const hole = (z: number) => Float64Array.from([[-1, -1, z], [3, -1.5, z], [2, 2.5, z]].flat());
    const s = buildStructure([0, 1.5, 3, 4.5].flatMap((z) => [star(z), hole(z)]))!;
    const grids = [
      { dims: [40, 36, 8], affine: [0.7, 0, 0, -14, 0, 0.7, 0, -13, 0, 0, 0.9, -1, 0, 0, 0, 1] },
      { dims: [40, 36, 8], affine: [-0.7, 0, 0, 14, 0, 0.7, 0, -13, 0, 0, 0.9, -1, 0, 0, 0, 1] },
      { dims: [36, 40, 8], affine: [0, 0.7, 0, -14, 0.7, 0, 0, -13, 0, 0, 0.9, -1, 0, 0, 0, 1] },
    ];
    for (const g of grids) {
      const brute = insideVoxels(s, g);
      expect(brute.length).toBeGreaterThan(500);
      expect([...rasterizeStructure(s, g)]).toEqual(brute);
    }
  });

  it('an axial circle off the axis (its Newell normal carries rounding noise) has the world axes in its plane, and every voxel past the first 4096 is filled', () => {
    const circleAt = (z: number) => Float64Array.from(Array.from({ length: 36 }, (_, p) => [80 + 12 * Math.cos((2 * Math.PI * p) / 36), 12 * Math.sin((2 * Math.PI * p) / 36), z]).flat());
    const s = buildStructure([-42, -41, -40, -39, -38].map(circleAt))!;
    // Exact axes: rows along x of an axial grid are then filled as scanlines (rasterize.ts), not voxel by voxel.
    expect([s.normal, s.u, s.v]).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    const g = { dims: [56, 56, 5], affine: [-0.5, 0, 0, 94, 0, -0.5, 0, 14, 0, 0, 1, -42, 0, 0, 0, 1] };
    const brute = insideVoxels(s, g);
    expect(brute.length).toBeGreaterThan(4096);
    expect([...rasterizeStructure(s, g)]).toEqual(brute);
  });

  it('a tilted structure on a turned grid: every voxel whose centre lies in a square of its own frame, whatever order its planes and points come in', () => {
    // The structure's frame: in-plane axes e1, e2 and normal e3, turned about two axes from the world's.
    const [ca, sa, cb, sb] = [Math.cos(0.5), Math.sin(0.5), Math.cos(0.3), Math.sin(0.3)];
    const e1 = [cb, 0, -sb], e2 = [sa * sb, ca, sa * cb], e3 = [ca * sb, -sa, ca * cb];
    const centre = [4.2, -3.1, 7.7], half = 9.3, zs = [3, 1.5, 0, -1.5, -3];
    const at = (x: number, y: number, z: number) => [0, 1, 2].map((c) => centre[c] + x * e1[c] + y * e2[c] + z * e3[c]);
    // Squares listed top plane first and clockwise, after a degenerate contour (three points on a line): the normal comes out along −e3.
    const square = (z: number) => Float64Array.from([at(-half, -half, z), at(-half, half, z), at(half, half, z), at(half, -half, z)].flat());
    const line = Float64Array.from([at(0, 0, 3), at(1, 0, 3), at(2, 0, 3)].flat());
    const s = buildStructure([line, ...zs.map(square)])!;
    expect(s.slabMm).toBeCloseTo(1.5, 9);
    expect(Math.abs(s.normal[0] * e3[0] + s.normal[1] * e3[1] + s.normal[2] * e3[2])).toBeCloseTo(1, 12);
    // A grid turned about z, 0.8 mm voxels: no row runs in one plane, so every voxel takes the per-voxel test.
    const [cg, sg] = [Math.cos(0.7), Math.sin(0.7)];
    // Its middle voxel (19.5, 19.5, 17.5) on the structure's centre, so the grid holds all of it.
    const ox = centre[0] - 0.8 * 19.5 * (cg - sg), oy = centre[1] - 0.8 * 19.5 * (sg + cg), oz = centre[2] - 0.8 * 17.5;
    const g = { dims: [40, 40, 36], affine: [0.8 * cg, -0.8 * sg, 0, ox, 0.8 * sg, 0.8 * cg, 0, oy, 0, 0, 0.8, oz, 0, 0, 0, 1] };
    const expected: number[] = [];
    for (let k = 0; k < g.dims[2]; k++)
      for (let j = 0; j < g.dims[1]; j++)
        for (let i = 0; i < g.dims[0]; i++) {
          const d = transformPoint(g.affine, [i, j, k]).map((w, c) => w - centre[c]);
          const [x, y, z] = [e1, e2, e3].map((e) => d[0] * e[0] + d[1] * e[1] + d[2] * e[2]);
          if (Math.abs(x) < half && Math.abs(y) < half && zs.some((zk) => Math.abs(z - zk) < 0.75)) expected.push(i + g.dims[0] * (j + g.dims[1] * k));
        }
    expect(expected.length).toBeGreaterThan(4096);
    expect([...rasterizeStructure(s, g)]).toEqual(expected);
    // The same structure's voxels on a grid that misses it, and on an empty grid: none.
    expect(rasterizeStructure(s, { dims: g.dims, affine: [0.8, 0, 0, 500, 0, 0.8, 0, 0, 0, 0, 0.8, 0, 0, 0, 0, 1] }).length).toBe(0);
    expect(rasterizeStructure(s, { dims: [34, 0, 30], affine: g.affine }).length).toBe(0);
  });

  it('statistics over a layer: volume in cm³ and mean/SD/min/max of the scaled values', () => {
    const idx = rasterizeStructure(square, grid);
    const s = structureStats(idx, (i) => ct.voxels[i], ct.slope, ct.intercept, 1 * 1 * 2);
    expect(s.count).toBe(400);
    expect(s.volumeCm3).toBeCloseTo(0.8, 12);
    const vals = [...idx].map((n) => ct.voxels[n] + ct.intercept);
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
    expect(s.mean).toBeCloseTo(mean, 9);
    expect(s.sd).toBeCloseTo(Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / (vals.length - 1)), 9);
    expect([s.min, s.max]).toEqual([Math.min(...vals), Math.max(...vals)]);
  });
});

describe('sections in slice panes', () => {
  it('an axial pane shows the polygon of the slab it is in, with the polygon area', () => {
    for (const z of [-3, -2.2, 3.9]) {
      const sec = sectionOnPlane(square, 2, z);
      expect(sec.polygons.length, `z ${z}`).toBe(1);
      expect(area2d(sec.polygons[0], 0, 1)).toBeCloseTo(squareArea, 9);
      sec.polygons[0].forEach((p) => expect(p[2]).toBe(z));
    }
    expect(sectionOnPlane(square, 2, 4).polygons).toEqual([]); // past the last slab (half-open)
    expect(sectionOnPlane(square, 2, -4.1).polygons).toEqual([]);
    const c = sectionOnPlane(circle, 2, 0.5);
    expect(area2d(c.polygons[0], 0, 1)).toBeCloseTo(circleArea, 6);
  });

  it('a coronal pane across the square outlines its slabs: a 10 mm × 8 mm rectangle', () => {
    // RAS y = 0 is LPS y = 0: inside the square's y range (−2.5…7.5 LPS).
    const sec = sectionOnPlane(square, 1, 0);
    expect(sec.polygons).toEqual([]);
    // Outline length: 2 × (10 + 8) mm; every point on y = 0.
    const length = sec.segments.reduce((s, [a, b]) => s + Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]), 0);
    expect(length).toBeCloseTo(2 * (10 + 8) - 0, 6);
    // Inner slab boundaries are not drawn: the stepped outline has only the box's top and bottom.
    const horizontal = sec.segments.filter(([a, b]) => a[2] === b[2]);
    expect(new Set(horizontal.map(([a]) => a[2]))).toEqual(new Set([-4, 4]));
    sec.segments.flat().forEach((p) => expect(p[1]).toBe(0));
    expect(sectionOnPlane(square, 1, 20).segments).toEqual([]);
  });

  it('interval difference', () => {
    expect(subtract([[0, 10]], [[2, 3], [5, 12]])).toEqual([[0, 2], [3, 5]]);
    expect(subtract([[0, 1]], [])).toEqual([[0, 1]]);
  });
});

describe('DVH', () => {
  // Dose rising linearly along RAS x, sampled on a fine grid (0.5 mm) through the square's slabs.
  const h = 0.5;
  const doseGrid = { dims: [80, 80, 20], affine: [h, 0, 0, -20 + h / 2, 0, h, 0, -20 + h / 2, 0, 0, h, -5 + h / 2, 0, 0, 0, 1] };
  const dose = (x: number) => 2 * (x + 10) + 10; // Gy: x = −2 → 26 Gy … x = 8 → 46 Gy (the square spans RAS x −2…8)
  it('of a linear dose over the square equals the analytic curve (uniform between 26 and 46 Gy)', () => {
    const idx = rasterizeStructure(square, doseGrid);
    const doses = Float64Array.from(idx, (n) => dose(transformPoint(doseGrid.affine, [n % 80, 0, 0])[0]));
    const dvh = dvhFromDoses(doses, h ** 3);
    expect(dvh.volumeCm3).toBeCloseTo(0.8, 9);
    const lo = dose(-2), hi = dose(8);
    expect(dvh.dmean).toBeCloseTo((lo + hi) / 2, 9); // voxel centres symmetric about the middle
    expect(dvh.dmax).toBeCloseTo(hi - h, 9); // the last column's centre is h/2 in: 2 Gy/mm × h/2
    expect(dvh.dmin).toBeCloseTo(lo + h, 9);
    const analytic = (d: number) => Math.min(100, Math.max(0, (100 * (hi - d)) / (hi - lo)));
    const M = 10 / h; // columns across the square
    for (let d = 20; d <= 50; d += 0.37) expect(Math.abs(volumeAtDose(dvh.sorted, d) - analytic(d)), `V(${d})`).toBeLessThanOrEqual(100 / M + 1e-9);
    expect(Math.abs(dvh.d95 - (lo + 0.05 * (hi - lo)))).toBeLessThanOrEqual(2 * h + 1e-9);
    expect(Math.abs(dvh.d50 - (lo + hi) / 2)).toBeLessThanOrEqual(2 * h + 1e-9);
    expect(dvh.v20Percent).toBe(100);
  });

  it('D_x, V_d and the CSV on a small known list', () => {
    const dvh = dvhFromDoses(Float64Array.from([5, 1, 3, 2, 4, 25, 30, 21, 19, 20]), 1000);
    expect(dvh.sorted[0]).toBe(1);
    expect(doseAtVolume(dvh.sorted, 50)).toBe(19); // the hottest 5 of 10: 19, 20, 21, 25, 30
    expect(doseAtVolume(dvh.sorted, 95)).toBe(1); // the hottest 10 (ceil 9.5)
    expect(doseAtVolume(dvh.sorted, 100)).toBe(1);
    expect(dvh.v20Percent).toBe(40);
    expect(dvh.v20Cm3).toBeCloseTo(4, 12);
    expect(dvh.dmean).toBe(13);
    const csv = dvhCsv([{ name: 'PTV, "a"', dvh }], 10);
    expect(csv.split('\n')[1]).toBe('"PTV, ""a""",10,1,19,30,13,40,4');
    expect(csv).toContain('dose_Gy,"PTV, ""a"" volume_percent"');
    expect(csv).toContain('\n20,40\n');
  });
});
