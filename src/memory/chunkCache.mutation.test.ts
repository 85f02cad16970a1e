// ChunkCache edges found by mutation testing (issue 27): bytes being loaded count against the
// budget, listeners hear of evictions only, a thrown fill names its chunk.
import { describe, expect, it } from 'vitest';
import { ChunkCache, type ChunkFill } from './chunkCache';

const ok = { kind: 'ok', value: undefined } as const;

/** A fill that waits for `open()` before writing. */
function gate(value: number) {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const fill: ChunkFill = async (target) => {
    await opened;
    target.fill(value);
    return ok;
  };
  return { fill, open };
}

async function acquire(c: ChunkCache, key: string) {
  const r = await c.acquire(key, 100, 'probe', key, async (t) => (t.fill(1), ok));
  if (r.kind === 'error') throw new Error(r.message);
  return r.value;
}

describe('ChunkCache: loading, budget and listeners', () => {
  it('counts a chunk being filled as loading, against the budget, and makes room for it before it arrives', async () => {
    const c = new ChunkCache({ budgetBytes: 250, shared: false });
    expect(c.budgetBytes).toBe(250);
    for (const k of ['a', 'b']) (await acquire(c, k)).pin.release();
    const g = gate(5);
    const pending = c.acquire('c', 100, 'probe', 'c', g.fill);
    const other = gate(6);
    const pending2 = c.acquire('d', 30, 'probe', 'd', other.fill);
    // 200 resident + 130 loading > 250: the least recently used chunk went already.
    expect(c.stats()).toMatchObject({ residentBytes: 100, loadingBytes: 130, overBudgetBytes: 0, chunks: 1 });
    expect(c.has('a')).toBe(false);
    expect(c.has('b')).toBe(true);
    const held = await acquire(c, 'b');
    c.setBudget(150);
    // b is pinned: 100 + 130 is 80 over.
    expect(c.stats()).toMatchObject({ residentBytes: 100, loadingBytes: 130, pinnedBytes: 100, overBudgetBytes: 80 });
    g.open();
    other.open();
    const [x, y] = await Promise.all([pending, pending2]);
    if (x.kind === 'error' || y.kind === 'error') throw new Error('failed');
    expect(new Uint8Array(x.value.value.memory)[99]).toBe(5);
    expect(c.stats()).toMatchObject({ residentBytes: 230, loadingBytes: 0, pinnedBytes: 230, overBudgetBytes: 80, evictions: 1 });
    held.pin.release();
    x.value.pin.release();
    y.value.pin.release();
    expect(c.stats().residentBytes).toBeLessThanOrEqual(150);
  });

  it('tells its listener when chunks arrive or are evicted, not when nothing changes', async () => {
    let calls = 0;
    const c = new ChunkCache({ budgetBytes: 1000, shared: false, onChange: () => calls++ });
    for (const k of ['a', 'b', 'c']) (await acquire(c, k)).pin.release();
    expect(calls).toBe(3);
    c.setBudget(900);
    expect(calls).toBe(3);
    c.setBudget(150);
    expect(calls).toBe(4); // two evicted, one call
    expect(c.stats().evictions).toBe(2);
  });

  it('a fill that throws becomes an internal error naming the chunk and the cause', async () => {
    const c = new ChunkCache({ budgetBytes: 1000, shared: false });
    const r = await c.acquire('z/1/2', 100, 'probe', 'z', () => Promise.reject(new Error('boom')));
    expect(r).toEqual({ kind: 'error', code: 'internal', message: 'INTERNAL ERROR while reading chunk z/1/2: boom' });
    const s = await c.acquire('z/1/3', 100, 'probe', 'z', () => Promise.reject('plain'));
    expect(s.kind === 'error' && s.message).toBe('INTERNAL ERROR while reading chunk z/1/3: plain');
  });

  it('uses shared memory when asked, plain memory otherwise', async () => {
    expect((await acquire(new ChunkCache({ budgetBytes: 1000, shared: true }), 'a')).value.isShared).toBe(true);
    expect((await acquire(new ChunkCache({ budgetBytes: 1000, shared: false }), 'a')).value.isShared).toBe(false);
  });
});
