import { describe, expect, it } from 'vitest';
import { ArrivingUploads, newlyFinished } from './arrivingUploads';

describe('newlyFinished: whole slices whose bytes are final, not sent yet', () => {
  it('counts whole slices only, from what was sent, up to the last', () => {
    expect(newlyFinished(0, 100, 10, 0)).toBeNull();
    expect(newlyFinished(99, 100, 10, 0)).toBeNull();
    expect(newlyFinished(100, 100, 10, 0)).toEqual([0, 1]);
    expect(newlyFinished(450, 100, 10, 1)).toEqual([1, 4]);
    expect(newlyFinished(450, 100, 10, 4)).toBeNull();
    // The last run, however short, once every byte is in.
    expect(newlyFinished(1000, 100, 10, 8)).toEqual([8, 10]);
    // Never past the memory's slices, never back.
    expect(newlyFinished(5000, 100, 10, 10)).toBeNull();
    expect(newlyFinished(200, 100, 10, 6)).toBeNull();
  });
});

/** A fake texture: what was uploaded, and whether it was disposed. */
function arrival(slices: number, sliceBytes: number) {
  const runs: [number, number][] = [];
  const state = { disposed: 0 };
  return {
    runs,
    state,
    value: { name: 'texture' },
    slices,
    sliceBytes,
    gpuBytes: slices * sliceBytes,
    upload: (from: number, to: number) => void runs.push([from, to]),
    dispose: () => void state.disposed++,
  };
}

describe('ArrivingUploads: the texture of a volume being decoded', () => {
  it('sends each run of finished slices once, in order, the last partial slab when the decode ends, then hands the texture over whole', () => {
    // 256 × 256 int16 slices (128 KiB), 40 of them; the worker tells every 2 MiB and at the end.
    const sliceBytes = 256 * 256 * 2;
    const a = arrival(40, sliceBytes);
    const u = new ArrivingUploads<{ name: string }>();
    u.start('layer1', a);
    expect(u.gpuBytes()).toBe(40 * sliceBytes);
    const step = 2 * 2 ** 20 + 5000; // not a whole number of slices
    for (let bytes = step; bytes < 40 * sliceBytes; bytes += step) u.written('layer1', bytes);
    const whileDecoding = a.runs.length;
    expect(whileDecoding).toBeGreaterThan(1);
    expect(a.runs[whileDecoding - 1][1]).toBeLessThan(40);
    // A retry with another inflater starts again from 0: nothing is sent twice.
    expect(u.written('layer1', step)).toBeNull();
    expect(u.written('layer1', 40 * sliceBytes)).toEqual([a.runs[whileDecoding - 1][1], 40]);
    // Contiguous runs covering every slice exactly once.
    expect(a.runs.flatMap(([from, to]) => Array.from({ length: to - from }, (_, n) => from + n))).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect(a.runs[0]).toEqual([0, Math.floor(step / sliceBytes)]);
    const got = u.take('layer1');
    expect(got).toEqual({ value: a.value, complete: true, uploaded: 40, slices: 40 });
    // Handed over: no longer counted here, not disposed, nothing more sent for it.
    expect(u.gpuBytes()).toBe(0);
    expect(u.values()).toEqual([]);
    expect(a.state.disposed).toBe(0);
    expect(u.written('layer1', 40 * sliceBytes)).toBeNull();
    expect(u.take('layer1')).toBeUndefined();
  });

  it('a cancelled (or failed) load frees the texture made for it, and only that one', () => {
    const u = new ArrivingUploads<{ name: string }>();
    const a = arrival(10, 100);
    const b = arrival(20, 100);
    u.start('a', a);
    u.start('b', b);
    u.written('a', 450);
    expect(u.gpuBytes()).toBe(3000);
    expect(u.abandon('a')).toBe(true);
    expect(a.state.disposed).toBe(1);
    expect(b.state.disposed).toBe(0);
    expect(u.gpuBytes()).toBe(2000);
    expect(u.values()).toEqual([b.value]);
    // Later messages for the cancelled job send nothing; a second abandon frees nothing.
    expect(u.written('a', 1000)).toBeNull();
    expect(a.runs).toEqual([[0, 4]]);
    expect(u.abandon('a')).toBe(false);
    expect(a.state.disposed).toBe(1);
    expect(u.take('a')).toBeUndefined();
  });

  it('a decode that ended before every slice was sent hands over an incomplete texture; a second start for a layer frees the first', () => {
    const u = new ArrivingUploads<{ name: string }>();
    const a = arrival(10, 100);
    u.start('x', a);
    u.written('x', 350);
    expect(u.take('x')).toEqual({ value: a.value, complete: false, uploaded: 3, slices: 10 });
    const first = arrival(10, 100);
    const second = arrival(10, 100);
    u.start('y', first);
    u.start('y', second);
    expect(first.state.disposed).toBe(1);
    expect(u.gpuBytes()).toBe(1000);
  });
});
