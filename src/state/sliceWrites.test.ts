import { describe, expect, it } from 'vitest';
import { onSlicesWritten, slicesWritten } from './sliceWrites';

describe('slice writes', () => {
  it('reach every subscriber with the layer and slices, until it unsubscribes', () => {
    const a: [string, number[]][] = [];
    const b: [string, number[]][] = [];
    const offA = onSlicesWritten((id, s) => a.push([id, [...s]]));
    const offB = onSlicesWritten((id, s) => b.push([id, [...s]]));
    slicesWritten('l1', [3, 4]);
    offA();
    slicesWritten('l2', [0]);
    offB();
    slicesWritten('l3', [9]);
    expect(a).toEqual([['l1', [3, 4]]]);
    expect(b).toEqual([['l1', [3, 4]], ['l2', [0]]]);
  });
});
