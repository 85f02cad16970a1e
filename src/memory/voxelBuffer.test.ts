import { describe, expect, it } from 'vitest';
import { isSharedMemory, VoxelBuffer } from './voxelBuffer';

describe('VoxelBuffer', () => {
  it('tells shared memory from a plain ArrayBuffer', () => {
    expect(isSharedMemory(new SharedArrayBuffer(4))).toBe(true);
    expect(isSharedMemory(new ArrayBuffer(4))).toBe(false);
    expect(new VoxelBuffer(new SharedArrayBuffer(8), () => {}).isShared).toBe(true);
    expect(new VoxelBuffer(new ArrayBuffer(8), () => {}).isShared).toBe(false);
  });

  it('lends a plain ArrayBuffer away (detached until reattached) and keeps shared memory', () => {
    const plain = new VoxelBuffer(new ArrayBuffer(8), () => {});
    const lent = plain.lend();
    expect(lent.byteLength).toBe(8);
    expect(plain.isDetached).toBe(true);
    expect(plain.isShared).toBe(false);
    expect(() => plain.memory).toThrow(new RegExp(`^INTERNAL ERROR: ${plain.id} is detached \\(lent to a worker\\)$`));
    expect(() => plain.reattach(new ArrayBuffer(4))).toThrow(`INTERNAL ERROR: ${plain.id} reattached with 4 bytes, expected 8`);
    expect(plain.isDetached).toBe(true);
    const back = new ArrayBuffer(8);
    plain.reattach(back);
    expect(plain.isDetached).toBe(false);
    expect(plain.memory).toBe(back);

    const shared = new VoxelBuffer(new SharedArrayBuffer(8), () => {});
    const memory = shared.memory;
    expect(shared.lend()).toBe(memory);
    expect(shared.isDetached).toBe(false);
    expect(shared.memory).toBe(memory);
  });

  it('a buffer whose ArrayBuffer was transferred away (length 0) counts as detached memory', () => {
    const storage = new ArrayBuffer(8);
    const b = new VoxelBuffer(storage, () => {});
    structuredClone(storage, { transfer: [storage] });
    expect(() => b.memory).toThrow(/is detached/);
  });

  it('counts pins, lists them, tells the owner of each change; release is idempotent', () => {
    const changes: boolean[] = [];
    const b = new VoxelBuffer(new ArrayBuffer(4), (x) => changes.push(x.isPinned));
    expect(b.isPinned).toBe(false);
    const p1 = b.pin('layer', 'CT');
    const p2 = b.pin('probe', 'pin 1');
    expect(b.pinList()).toEqual([{ owner: 'layer', label: 'CT' }, { owner: 'probe', label: 'pin 1' }]);
    expect([p1.owner, p1.label, p1.released]).toEqual(['layer', 'CT', false]);
    p1.release();
    expect(p1.released).toBe(true);
    p1.release();
    expect(b.isPinned).toBe(true);
    p2.release();
    expect(b.isPinned).toBe(false);
    expect(changes).toEqual([true, true, true, false]);
    expect(b.byteLength).toBe(4);
    expect(new VoxelBuffer(new ArrayBuffer(1), () => {}).id).not.toBe(b.id);
  });
});
