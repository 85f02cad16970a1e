// The float32 path for slices that disagree on rescale (issue 27).
import { describe, expect, it } from 'vitest';
import { rescaleToFloat32 } from './rescaleToFloat32';

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

describe('rescaleToFloat32', () => {
  it('writes slope · stored + intercept for each stored type, signed ones included', () => {
    const cases = [
      { bits: 8, signed: 0 as const, stored: new Uint8Array([0, 1, 200, 255]) },
      { bits: 8, signed: 1 as const, stored: new Int8Array([0, 1, -128, 127]) },
      { bits: 16, signed: 0 as const, stored: new Uint16Array([0, 1, 4095, 65535]) },
      { bits: 16, signed: 1 as const, stored: new Int16Array([0, -1, -32768, 32767]) },
      { bits: 32, signed: 0 as const, stored: new Uint32Array([0, 1, 2 ** 31, 2 ** 32 - 1]) },
      { bits: 32, signed: 1 as const, stored: new Int32Array([0, -1, -(2 ** 31), 12345]) },
    ];
    for (const c of cases) {
      const out = new Float32Array(4);
      rescaleToFloat32(bytesOf(c.stored), bytesOf(out), { bitsAllocated: c.bits, pixelRepresentation: c.signed }, { slope: 0.5, intercept: -1024 });
      expect(Array.from(out), `${c.bits} bits, signed ${c.signed}`).toEqual(Array.from(c.stored, (v) => Math.fround(v * 0.5 - 1024)));
    }
  });

  it('reads and writes at the views’ offsets (a slot in the middle of the volume), nothing past them', () => {
    const storedAll = new Int16Array([7, 7, -3, 5, 7]);
    const stored = new Uint8Array(storedAll.buffer, 4, 4); // −3, 5
    const volume = new Float32Array([9, 9, 9, 9, 9]);
    const slot = new Uint8Array(volume.buffer, 8, 12);
    rescaleToFloat32(stored, slot, { bitsAllocated: 16, pixelRepresentation: 1 }, { slope: 2, intercept: 1 });
    expect(Array.from(volume)).toEqual([9, 9, -5, 11, 9]);
  });
});
