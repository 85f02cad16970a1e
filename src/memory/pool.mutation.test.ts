// BufferPool edges found by mutation testing (issue 27): z-slabs, the limits and the messages.
import { describe, expect, it } from 'vitest';
import { BufferPool, MAX_BUFFER_BYTES, MiB } from './pool';

const pool = (budgetBytes: number, slabBytes?: number) => new BufferPool({ budgetBytes, shared: true, ...(slabBytes ? { slabBytes } : {}) });

describe('BufferPool.acquireSlabs', () => {
  it('one buffer when the volume fits one (and nothing more is needed)', () => {
    const p = pool(10_000, 1000);
    const r = p.acquireSlabs(1000, 100, 'small');
    if (r.kind === 'error') throw new Error(r.message);
    expect(r.slabs).toHaveLength(1);
    expect(r.slabs[0].buffer.value.byteLength).toBe(1000);
    expect(r.slabSlices).toBe(10);
    expect(r.slabs[0].buffer.value.pinList()).toEqual([{ owner: 'decode', label: 'small' }]);
  });

  it('z-slabs of as many whole slices as fit one buffer, the last the rest, labelled by slices', () => {
    const p = pool(10_000, 1000);
    expect(p.slabPlan(2400, 300)).toEqual([3, 3, 2]);
    expect(p.slabPlan(3000, 300)).toEqual([3, 3, 3, 1]);
    expect(p.slabPlan(2000, 1000)).toEqual([1, 1]);
    const r = p.acquireSlabs(2400, 300, 'big');
    if (r.kind === 'error') throw new Error(r.message);
    expect(r.slabSlices).toBe(3);
    expect(r.slabs.map((s) => s.buffer.value.byteLength)).toEqual([900, 900, 600]);
    expect(r.slabs.map((s) => s.buffer.value.pinList()[0].label)).toEqual(['big (slices 0–2)', 'big (slices 3–5)', 'big (slices 6–7)']);
    expect(p.liveBytes()).toBe(2400);
  });

  it('a slice larger than one buffer is refused as too large', () => {
    const r = pool(10_000, 1000).acquireSlabs(2002, 1001, 'wide');
    expect(r.kind === 'error' && r.code).toBe('too-large');
    expect(r.kind === 'error' && r.message).toBe('wide: one slice is 0.0 MiB, more than one buffer holds (0.0 MiB).');
    // Exactly one buffer's worth per slice is fine.
    expect(pool(10_000, 1000).acquireSlabs(2000, 1000, 'ok').kind).toBe('ok');
  });

  it('checks the whole budget first, with what the caller needs next counted in', () => {
    const p = pool(4 * MiB, 2 * MiB);
    const held = p.acquire(MiB, 'held');
    if (held.kind === 'error') throw new Error(held.message);
    const r = p.acquireSlabs(2 * MiB, MiB / 2, 'vol', 2 * MiB);
    expect(r.kind === 'error' && r.code).toBe('over-budget');
    expect(r.kind === 'error' && r.message).toBe(
      'vol needs 2.0 MiB (and 2.0 MiB more for the level it is drawn from) but only 3.0 MiB of the 4.0 MiB voxel budget is free (1.0 MiB in use). Close a volume or raise the budget.',
    );
    expect(p.liveBytes()).toBe(MiB);
    // Exactly the budget fits.
    const fits = p.acquireSlabs(2 * MiB, MiB / 2, 'vol', MiB);
    expect(fits.kind).toBe('ok');
    if (fits.kind === 'ok') expect(fits.slabs).toHaveLength(1);
    const none = pool(MiB, MiB).acquireSlabs(2 * MiB, MiB, 'x');
    expect(none.kind === 'error' && none.message).toMatch(/needs 2\.0 MiB but only 1\.0 MiB of the 1\.0 MiB voxel budget is free \(0\.0 MiB in use\)/);
  });

  it('refuses a byte count that is not whole slices (a caller bug)', () => {
    const p = pool(10_000, 100);
    expect(() => p.acquireSlabs(1000, 300, 'x')).toThrow('INTERNAL ERROR: acquireSlabs(1000, 300) needs whole slices');
    expect(() => p.acquireSlabs(1000, 0, 'x')).toThrow(/needs whole slices/);
    expect(() => p.acquireSlabs(1000, -100, 'x')).toThrow(/needs whole slices/);
    expect(() => p.acquireSlabs(1000, 12.5, 'x')).toThrow(/needs whole slices/);
  });
});

describe('BufferPool limits and messages', () => {
  it('refuses a non-positive or fractional byte count (a caller bug)', () => {
    const p = pool(1000);
    expect(() => p.acquire(0, 'x')).toThrow('INTERNAL ERROR: acquire(0) needs a positive byte count');
    expect(() => p.acquire(-5, 'x')).toThrow(/positive byte count/);
    expect(() => p.acquire(1.5, 'x')).toThrow(/positive byte count/);
    expect(p.acquire(1, 'x').kind).toBe('ok');
  });

  it('2^31 − 1 bytes is the largest single buffer; the message says the limit', () => {
    const p = pool(1000);
    const max = p.acquire(MAX_BUFFER_BYTES, 'max');
    expect(max.kind === 'error' && max.code).toBe('over-budget'); // allowed in size, refused by the budget
    const over = p.acquire(MAX_BUFFER_BYTES + 1, 'huge.nii');
    expect(over.kind === 'error' && over.message).toBe('huge.nii needs 2048.0 MiB of voxels in one buffer; the limit is 2048.0 MiB (2^31 bytes).');
  });

  it('the over-budget message gives what is free and in use', () => {
    const p = pool(4 * MiB);
    p.acquire(3 * MiB, 'a');
    const r = p.acquire(2 * MiB, 'b.nii');
    expect(r.kind === 'error' && r.message).toBe('b.nii needs 2.0 MiB but only 1.0 MiB of the 4.0 MiB voxel budget is free (3.0 MiB in use). Close a volume or raise the budget.');
  });

  it('a buffer taken exactly to the budget keeps the pooled ones that still fit', () => {
    const p = pool(3000);
    const a = p.acquire(1000, 'a');
    if (a.kind === 'error') throw new Error(a.message);
    a.buffer.pin.release();
    const b = p.acquire(2000, 'b'); // 0 live + 1000 pooled + 2000 = the budget: nothing evicted
    expect(b.kind).toBe('ok');
    expect(p.pooledBytes()).toBe(1000);
  });

  it('a reused buffer, discarded, goes back to the pool; its label is the new one', () => {
    const p = pool(10_000);
    const a = p.acquire(100, 'first');
    if (a.kind === 'error') throw new Error(a.message);
    a.buffer.pin.release();
    const b = p.acquire(100, 'second', 'texture');
    if (b.kind === 'error') throw new Error(b.message);
    expect(b.reused).toBe(true);
    expect(b.buffer.value.pinList()).toEqual([{ owner: 'texture', label: 'second' }]);
    p.discard(b.buffer, b.reused);
    expect(p.pooledBytes()).toBe(100);
  });

  it('trim() drops every pooled buffer and tells subscribers', () => {
    const p = pool(10_000);
    const a = p.acquire(100, 'a');
    if (a.kind === 'error') throw new Error(a.message);
    a.buffer.pin.release();
    let calls = 0;
    p.subscribe(() => calls++);
    p.trim();
    expect(p.pooledBytes()).toBe(0);
    expect(p.stats()).toEqual([]);
    expect(calls).toBe(1);
  });

  it('stats list live then pooled buffers with their pins and sharing', () => {
    const p = new BufferPool({ budgetBytes: 10_000, shared: false });
    const a = p.acquire(100, 'a');
    const b = p.acquire(200, 'b');
    if (a.kind === 'error' || b.kind === 'error') throw new Error('failed');
    b.buffer.pin.release();
    expect(p.stats()).toEqual([
      { id: a.buffer.value.id, bytes: 100, pins: [{ owner: 'decode', label: 'a' }], pooled: false, shared: false },
      { id: b.buffer.value.id, bytes: 200, pins: [], pooled: true, shared: false },
    ]);
    expect(a.buffer.value.isShared).toBe(false);
    expect(p.slabBytes).toBe(MAX_BUFFER_BYTES);
    expect(pool(1, 4 * MAX_BUFFER_BYTES).slabBytes).toBe(MAX_BUFFER_BYTES);
  });

  it('a buffer lent to a worker when its last pin goes is not pooled', () => {
    const p = new BufferPool({ budgetBytes: 10_000, shared: false });
    const a = p.acquire(100, 'a');
    if (a.kind === 'error') throw new Error(a.message);
    a.buffer.value.lend();
    a.buffer.pin.release();
    expect(p.pooledBytes()).toBe(0);
    expect(p.liveBytes()).toBe(0);
  });
});
