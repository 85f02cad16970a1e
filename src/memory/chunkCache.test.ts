import { describe, expect, it } from 'vitest';
import { ChunkCache, type ChunkFill } from './chunkCache';

// A reader's own result shapes (io/errors' ok and fail make the same): memory/ imports nothing above it.
const ok = <T>(value: T) => ({ kind: 'ok' as const, value });
const fail = (code: string, message: string) => ({ kind: 'error' as const, code, message });

/** A fill that writes `value` into every byte, counting how often it ran. */
function filler(value: number, calls = { n: 0 }): ChunkFill {
  return async (target) => {
    calls.n++;
    await Promise.resolve();
    target.fill(value);
    return ok(undefined);
  };
}

const cache = (budgetBytes: number) => new ChunkCache({ budgetBytes, shared: typeof SharedArrayBuffer !== 'undefined' });

async function acquire(c: ChunkCache, key: string, value = key.charCodeAt(0)) {
  const r = await c.acquire(key, 100, 'probe', key, filler(value));
  if (r.kind === 'error') throw new Error(r.message);
  return r.value;
}

describe('ChunkCache', () => {
  it('evicts the least recently used unpinned chunks when it passes its budget', async () => {
    const c = cache(300);
    for (const k of ['a', 'b', 'c']) (await acquire(c, k)).pin.release();
    (await acquire(c, 'a')).pin.release(); // a is now the most recent
    (await acquire(c, 'd')).pin.release();
    expect(['a', 'b', 'c', 'd'].filter((k) => c.has(k))).toEqual(['a', 'c', 'd']);
    expect(c.stats()).toMatchObject({ residentBytes: 300, pinnedBytes: 0, overBudgetBytes: 0, chunks: 3, evictions: 1 });
  });

  it('peek() counts as a use: the peeked chunk stays and the least recently used other goes', async () => {
    const c = cache(300);
    for (const k of ['a', 'b', 'c']) (await acquire(c, k)).pin.release();
    expect(c.peek('a')?.byteLength).toBe(100); // a is now the most recent
    expect(c.peek('zz')).toBeUndefined();
    (await acquire(c, 'd')).pin.release();
    expect(['a', 'b', 'c', 'd'].filter((k) => c.has(k))).toEqual(['a', 'c', 'd']);
  });

  it('has() is not a use: it leaves the order alone', async () => {
    const c = cache(300);
    for (const k of ['a', 'b', 'c']) (await acquire(c, k)).pin.release();
    expect(c.has('a')).toBe(true);
    (await acquire(c, 'd')).pin.release();
    expect(['a', 'b', 'c', 'd'].filter((k) => c.has(k))).toEqual(['b', 'c', 'd']);
  });

  it('never evicts a pinned chunk: a view keeps reading the right values under pressure, and the chunk goes once released', async () => {
    const c = cache(200);
    const held = await acquire(c, 'a', 7);
    const view = new Uint8Array(held.value.memory);
    for (const k of ['b', 'c', 'd', 'e', 'f']) (await acquire(c, k, 99)).pin.release();
    expect(c.has('a')).toBe(true);
    expect(view.every((v) => v === 7)).toBe(true);
    expect(c.stats().pinnedBytes).toBe(100);
    held.pin.release();
    (await acquire(c, 'g')).pin.release();
    expect(c.has('a')).toBe(false);
    // Released memory is never written again by the cache: the old view still reads its values.
    expect(view.every((v) => v === 7)).toBe(true);
  });

  it('fills a chunk once however many ask for it while it loads, and pins it for each', async () => {
    const c = cache(1000);
    const calls = { n: 0 };
    const [x, y] = await Promise.all([c.acquire('k', 100, 'probe', 'x', filler(3, calls)), c.acquire('k', 100, 'texture', 'y', filler(4, calls))]);
    expect(calls.n).toBe(1);
    if (x.kind === 'error' || y.kind === 'error') throw new Error('failed');
    expect(x.value.value).toBe(y.value.value);
    expect(x.value.value.pinList().map((p) => p.owner)).toEqual(['probe', 'texture']);
    expect(new Uint8Array(x.value.value.memory)[50]).toBe(3);
  });

  it('a failed fill leaves nothing resident, tells every waiter, and a later request tries again', async () => {
    const c = cache(1000);
    const bad: ChunkFill = async () => fail('fetch-failed', 'HTTP 503 for chunk 0/0/0');
    const [x, y] = await Promise.all([c.acquire('k', 100, 'probe', 'x', bad), c.acquire('k', 100, 'probe', 'y', bad)]);
    // The fill's own error, passed on unchanged.
    expect(x).toEqual({ kind: 'error', code: 'fetch-failed', message: 'HTTP 503 for chunk 0/0/0' });
    expect(y.kind).toBe('error');
    expect(c.stats()).toMatchObject({ residentBytes: 0, loadingBytes: 0, chunks: 0 });
    const thrown: ChunkFill = () => Promise.reject(new Error('boom'));
    const z = await c.acquire('k', 100, 'probe', 'z', thrown);
    expect(z.kind === 'error' && z.code).toBe('internal');
    expect((await acquire(c, 'k')).value.byteLength).toBe(100);
  });

  it('pins win over the budget: with everything pinned it holds more, and catches up as pins go', async () => {
    const c = cache(150);
    const a = await acquire(c, 'a');
    const b = await acquire(c, 'b');
    expect(c.stats()).toMatchObject({ residentBytes: 200, overBudgetBytes: 50, chunks: 2 });
    a.pin.release();
    expect(c.stats()).toMatchObject({ residentBytes: 100, overBudgetBytes: 0, chunks: 1 });
    expect(c.has('b')).toBe(true);
    b.pin.release();
  });

  it('a lower budget evicts at once', async () => {
    const c = cache(1000);
    for (const k of ['a', 'b', 'c', 'd']) (await acquire(c, k)).pin.release();
    c.setBudget(200);
    expect(['a', 'b', 'c', 'd'].filter((k) => c.has(k))).toEqual(['c', 'd']);
  });
});
