import { describe, expect, it } from 'vitest';
import { BufferPool, MAX_BUFFER_BYTES } from './pool';

const pool = (budgetBytes = 1 << 20) => new BufferPool({ budgetBytes, shared: true });

function acquire(p: BufferPool, bytes: number, label = 'x') {
  const r = p.acquire(bytes, label);
  if (r.kind === 'error') throw new Error(r.message);
  return r;
}

describe('BufferPool', () => {
  it('never hands out a pinned buffer', () => {
    const p = pool();
    const a = acquire(p, 1000);
    const b = acquire(p, 1000);
    expect(b.buffer.value).not.toBe(a.buffer.value);
    expect(p.allocations).toBe(2);
  });

  it('pools a buffer when its last pin goes, and reuses it for the same size', () => {
    const p = pool();
    const a = acquire(p, 1000);
    const view = a.buffer.value.pin('view', 'caller');
    a.buffer.pin.release();
    expect(p.stats()[0].pooled).toBe(false);
    expect(acquire(p, 1000).buffer.value).not.toBe(a.buffer.value);
    view.release();
    expect(p.stats().find((s) => s.id === a.buffer.value.id)?.pooled).toBe(true);
    const c = acquire(p, 1000);
    expect(c.reused).toBe(true);
    expect(c.buffer.value).toBe(a.buffer.value);
    expect(p.allocations).toBe(2);
  });

  it('release() twice is harmless', () => {
    const p = pool();
    const a = acquire(p, 1000);
    const other = a.buffer.value.pin('texture', 't');
    a.buffer.pin.release();
    a.buffer.pin.release();
    expect(a.buffer.value.isPinned).toBe(true);
    expect(a.buffer.value.pinList()).toEqual([{ owner: 'texture', label: 't' }]);
    other.release();
    expect(a.buffer.value.isPinned).toBe(false);
  });

  it('refuses a request over the budget with the numbers, allocating nothing', () => {
    const p = pool(10 * 1024 * 1024);
    acquire(p, 6 * 1024 * 1024);
    const r = p.acquire(5 * 1024 * 1024, 'big.nii');
    expect(r.kind).toBe('error');
    if (r.kind === 'error') {
      expect(r.code).toBe('over-budget');
      expect(r.message).toContain('5.0 MiB');
      expect(r.message).toContain('10.0 MiB');
      expect(r.message).toContain('big.nii');
    }
    expect(p.allocations).toBe(1);
  });

  it('refuses a single buffer of 2^31 bytes or more', () => {
    const r = pool(2 ** 40).acquire(MAX_BUFFER_BYTES + 1, 'huge');
    expect(r.kind === 'error' && r.code).toBe('too-large');
  });

  it('evicts pooled buffers to make room within the budget', () => {
    const p = pool(3000);
    acquire(p, 2000).buffer.pin.release();
    expect(p.pooledBytes()).toBe(2000);
    const b = acquire(p, 1500);
    expect(b.reused).toBe(false);
    expect(p.pooledBytes()).toBe(0);
    expect(p.liveBytes()).toBe(1500);
  });

  it('evicts the oldest pooled buffer first, and only as many as make room', () => {
    const p = pool(3000);
    const a = acquire(p, 1000);
    const b = acquire(p, 1100);
    const c = acquire(p, 900);
    for (const h of [a, b, c]) h.buffer.pin.release(); // pooled in the order a, b, c
    expect(p.pooledBytes()).toBe(3000);
    const d = acquire(p, 800); // needs 800: a (the oldest) goes, b and c stay
    expect(d.reused).toBe(false);
    expect(p.pooledBytes()).toBe(2000);
    expect(acquire(p, 1100).buffer.value).toBe(b.buffer.value);
    expect(acquire(p, 900).buffer.value).toBe(c.buffer.value);
  });

  it('a discarded (failed) buffer is freed, not pooled', () => {
    const p = pool();
    const a = acquire(p, 1000);
    p.discard(a.buffer, a.reused);
    expect(p.stats()).toEqual([]);
  });

  it('notifies subscribers and stops after unsubscribe', () => {
    const p = pool();
    let calls = 0;
    const off = p.subscribe(() => calls++);
    const a = acquire(p, 10);
    a.buffer.pin.release();
    const seen = calls;
    expect(seen).toBeGreaterThan(0);
    off();
    acquire(p, 10);
    expect(calls).toBe(seen);
  });
});
