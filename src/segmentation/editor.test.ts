import { describe, expect, it } from 'vitest';
import { brushVoxels, keepWithinRange } from './brush';
import { LabelEditor } from './editor';
import { regionGrow } from './regionGrow';
import type { LabelArray, Reference, Vec3 } from './grid';
import { grid, PLAIN, randomReference, worldOf } from './testGrids';

const dims: Vec3 = [20, 18, 16];
const n = 20 * 18 * 16;
const g = grid(dims, PLAIN);

/** Statistics computed directly from the labels: the reference for the accumulator. */
function bruteStats(labels: LabelArray, ref: Reference, value: number) {
  const vs: number[] = [];
  labels.forEach((l, i) => {
    if (l === value) vs.push(ref.values[i] * ref.slope + ref.inter);
  });
  if (!vs.length) return { voxels: 0 };
  const mean = vs.reduce((a, b) => a + b, 0) / vs.length;
  const sd = vs.length > 1 ? Math.sqrt(vs.reduce((a, b) => a + (b - mean) ** 2, 0) / (vs.length - 1)) : 0;
  return { voxels: vs.length, mean, sd, min: Math.min(...vs), max: Math.max(...vs) };
}

function expectStats(ed: LabelEditor, ref: Reference, value: number) {
  const want = bruteStats(ed.labels, ref, value);
  const got = ed.stats.row(value);
  expect(got.voxels).toBe(want.voxels);
  if (want.voxels) {
    expect(got.mean).toBeCloseTo(want.mean!, 9);
    expect(got.sd).toBeCloseTo(want.sd!, 6);
    expect(got.min).toBe(want.min);
    expect(got.max).toBe(want.max);
  }
}

const sphere = (at: number, r: number) => brushVoxels(g, worldOf(g, at), r, { kind: 'sphere' });

describe('LabelEditor', () => {
  it('writes a value, keeps exact statistics through overwrites, undo and redo', () => {
    const ref = randomReference(n, 5, 1.5, -30);
    const ed = new LabelEditor(new Uint8Array(n), g, ref);
    ed.write(sphere(5 + 20 * (6 + 18 * 7), 4), 1);
    ed.write(sphere(9 + 20 * (8 + 18 * 8), 3.5), 2);
    ed.write(keepWithinRange(sphere(7 + 20 * (7 + 18 * 7), 5), ref, [400, 900]), 1);
    ed.write(sphere(8 + 20 * (8 + 18 * 8), 2), 0);
    for (const v of [1, 2]) expectStats(ed, ref, v);
    ed.undo();
    ed.undo();
    for (const v of [1, 2]) expectStats(ed, ref, v);
    ed.redo();
    for (const v of [1, 2]) expectStats(ed, ref, v);
  });

  it('min and max follow a label losing the voxel that held its extreme', () => {
    const ref = randomReference(n, 13);
    const ed = new LabelEditor(new Uint8Array(n), g, ref);
    const list = sphere(9 + 20 * (9 + 18 * 8), 4);
    const voxels = [...list.indices.subarray(0, list.count)];
    ed.write(list, 1);
    for (const pick of [Math.max, Math.min]) {
      const extreme = pick(...voxels.filter((v) => ed.labels[v] === 1).map((v) => ref.values[v]));
      const at = voxels.filter((v) => ref.values[v] === extreme && ed.labels[v] === 1);
      ed.write({ indices: Int32Array.from(at), count: at.length }, 2);
      expectStats(ed, ref, 1);
      expectStats(ed, ref, 2);
    }
  });

  it('undo and redo restore the exact bytes, step by step', () => {
    const ref = randomReference(n, 9);
    const ed = new LabelEditor(new Uint8Array(n), g, ref);
    const snapshots = [ed.labels.slice()];
    ed.write(sphere(100, 4), 3);
    snapshots.push(ed.labels.slice());
    ed.write(regionGrow(dims, ref, { seed: [10, 9, 8], range: [300, 700], connectivity: 26 }), 4);
    snapshots.push(ed.labels.slice());
    ed.write(sphere(2000, 6), 0);
    snapshots.push(ed.labels.slice());
    for (let s = 2; s >= 0; s--) {
      ed.undo();
      expect(ed.labels).toEqual(snapshots[s]);
    }
    expect(ed.undo()).toBeNull();
    for (let s = 1; s <= 3; s++) {
      ed.redo();
      expect(ed.labels).toEqual(snapshots[s]);
    }
    expect(ed.redo()).toBeNull();
  });

  it('never overwrites a locked label, erasing included', () => {
    const ed = new LabelEditor(new Uint8Array(n), g, randomReference(n));
    ed.write(sphere(5 + 20 * (6 + 18 * 7), 4), 1);
    const ones = ed.labels.filter((l) => l === 1).length;
    ed.locked[1] = 1;
    ed.write(sphere(6 + 20 * (6 + 18 * 7), 5), 2);
    ed.write(sphere(6 + 20 * (6 + 18 * 7), 6), 0);
    expect(ed.labels.filter((l) => l === 1).length).toBe(ones);
    expect(ed.stats.row(1).voxels).toBe(ones);
  });

  it('an edit that changes nothing leaves no undo step; a new edit clears redo', () => {
    const ed = new LabelEditor(new Uint8Array(n), g, null);
    ed.write(sphere(300, 3), 1);
    expect(ed.write(sphere(300, 3), 1).changed).toBe(0);
    expect(ed.history().undo).toBe(1);
    ed.undo();
    expect(ed.history().redo).toBe(1);
    ed.write(sphere(900, 2), 2);
    expect(ed.history()).toMatchObject({ undo: 1, redo: 0 });
  });

  it('the delta is the changed box only, and history stays within its byte and step limits', () => {
    const ed = new LabelEditor(new Uint16Array(n), g, null, { maxBytes: 4000, maxSteps: 3 });
    const r = ed.write(sphere(5 + 20 * (6 + 18 * 7), 2), 300);
    // Radius 2 on a 1 mm grid: a 5³ box, 2 bytes a voxel; its 33 voxels are fewer bytes as a list
    // (an index and a value each: 6 bytes) than the box's 250.
    expect(r.box).toEqual({ lo: [3, 4, 5], hi: [8, 9, 10] });
    expect(r.changed).toBe(33);
    expect(ed.history().bytes).toBe(33 * 6);
    for (let s = 0; s < 5; s++) ed.write(sphere(200 + s * 700, 2), 10 + s);
    expect(ed.history().undo).toBe(3);
    ed.write(sphere(3000, 9), 40);
    expect(ed.history().bytes).toBeLessThanOrEqual(4000);
  });
});

describe('LabelEditor sparse steps', () => {
  it('an edit that fills little of its box is kept as a list of voxels: undo and redo restore the exact bytes and statistics', () => {
    const ref = randomReference(n, 23);
    const ed = new LabelEditor(new Uint8Array(n), g, ref);
    // A small sphere first: its 33 voxels are fewer bytes as its 5³ box (125) than as a list (165).
    const block = ed.write(sphere(6 + 20 * (6 + 18 * 6), 2), 1);
    expect(block.changed).toBe(33);
    expect(ed.history().bytes).toBe(125);
    const bytes0 = ed.history().bytes;
    const before = ed.labels.slice();
    const big = sphere(9 + 20 * (8 + 18 * 7), 5);
    const inner = sphere(9 + 20 * (8 + 18 * 7), 4);
    const small = new Set(inner.indices.subarray(0, inner.count));
    const shell = big.indices.subarray(0, big.count).filter((v) => !small.has(v));
    const r = ed.write({ indices: shell, count: shell.length }, 3);
    const boxVoxels = (r.box.hi[0] - r.box.lo[0]) * (r.box.hi[1] - r.box.lo[1]) * (r.box.hi[2] - r.box.lo[2]);
    expect(r.changed * 5).toBeLessThan(boxVoxels);
    expect(ed.history().bytes - bytes0).toBe(r.changed * 5);
    const after = ed.labels.slice();
    expect(ed.undo()).toEqual({ box: r.box, changed: r.changed });
    expect(ed.labels).toEqual(before);
    expectStats(ed, ref, 1);
    expectStats(ed, ref, 3);
    expect(ed.redo()).toEqual({ box: r.box, changed: r.changed });
    expect(ed.labels).toEqual(after);
    expectStats(ed, ref, 3);
    // Back to empty, step by step.
    ed.undo();
    ed.undo();
    expect(ed.labels.every((l) => l === 0)).toBe(true);
  });
});

describe('LabelEditor strokes', () => {
  it('writes of one group are one undo step that restores the bytes before the stroke', () => {
    const ref = randomReference(n, 21);
    const ed = new LabelEditor(new Uint8Array(n), g, ref);
    ed.write(sphere(3 + 20 * (3 + 18 * 3), 3), 1);
    const before = ed.labels.slice();
    // A stroke of overlapping dabs moving across the grid, some over label 1.
    for (let s = 0; s < 8; s++) ed.write(sphere(2 + 2 * s + 20 * (4 + s + 18 * (3 + s)), 2.5), 2, 'stroke', 7);
    const after = ed.labels.slice();
    expect(ed.history().undo).toBe(2);
    ed.undo();
    expect(ed.labels).toEqual(before);
    expectStats(ed, ref, 1);
    expectStats(ed, ref, 2);
    ed.redo();
    expect(ed.labels).toEqual(after);
    expectStats(ed, ref, 2);
  });
});
