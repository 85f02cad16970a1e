import { describe, expect, it } from 'vitest';
import { growRegion, isShared } from './growProtocol';
import { regionGrow } from './regionGrow';
import { randomReference } from './testGrids';

describe('growRegion', () => {
  it('sends only shared memory to the worker; otherwise grows here with the same result as regionGrow', async () => {
    const dims: [number, number, number] = [20, 18, 12];
    const ref = randomReference(dims[0] * dims[1] * dims[2], 5);
    expect(isShared(ref)).toBe(false);
    const shared = new Int16Array(new SharedArrayBuffer(ref.values.length * 2));
    shared.set(ref.values as Int16Array);
    // Node has no Worker global: even shared memory grows here (the browser sends it, e2e checks).
    expect(isShared({ ...ref, values: shared })).toBe(typeof Worker !== 'undefined');
    const o = { seed: [10, 9, 6] as [number, number, number], range: [300, 800] as const, connectivity: 6 as const };
    const got = await growRegion(dims, ref, o);
    const want = regionGrow(dims, ref, o);
    expect(got.inWorker).toBe(false);
    // The grow's own time: a small positive number of milliseconds.
    expect(got.ms).toBeGreaterThanOrEqual(0);
    expect(got.ms).toBeLessThan(60_000);
    expect(got.list.count).toBe(want.count);
    expect(got.list.count).toBeGreaterThan(20);
    expect([...got.list.indices.subarray(0, got.list.count)].sort((a, b) => a - b)).toEqual([...want.indices.subarray(0, want.count)].sort((a, b) => a - b));
  });
});
