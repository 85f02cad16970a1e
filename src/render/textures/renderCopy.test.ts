import { describe, expect, it } from 'vitest';
import { decideRenderPath, decodeRG8, denormaliseValue, encodeRG8, normaliseValue, renderCopyFormat, renderCopyMix, renderCopySlack, renderRange, RG8_STEPS, type RenderPathInputs } from './renderCopy';

/** Rounds to the nearest half float (11-bit significand), as an R16F texel holds a value. */
function toHalf(x: number): number {
  if (x === 0) return 0;
  const e = Math.floor(Math.log2(Math.abs(x)));
  const ulp = 2 ** (Math.max(e, -14) - 10);
  return Math.round(x / ulp) * ulp;
}

describe('render copy normalisation', () => {
  it('spans the exact scaled range, a negative slope swapping its ends', () => {
    expect(renderRange({ min: -1024, max: 3071 }, 1, 0)).toEqual({ lo: -1024, hi: 3071 });
    expect(renderRange({ min: 0, max: 100 }, 2, -50)).toEqual({ lo: -50, hi: 150 });
    expect(renderRange({ min: 0, max: 100 }, -0.5, 10)).toEqual({ lo: -40, hi: 10 });
  });
  it('gives a constant layer a unit span, and a non-finite range a default one', () => {
    expect(renderRange({ min: 7, max: 7 }, 1, 0)).toEqual({ lo: 7, hi: 8 });
    expect(renderRange({ min: Number.NaN, max: 1 }, 1, 0)).toEqual({ lo: 0, hi: 1 });
  });
  it('maps the range to [0, 1] and back', () => {
    const r = renderRange({ min: -32768, max: 32767 }, 0.25, 100);
    expect(normaliseValue(r.lo, r)).toBe(0);
    expect(normaliseValue(r.hi, r)).toBe(1);
    expect(normaliseValue((r.lo + r.hi) / 2, r)).toBeCloseTo(0.5, 12);
    for (const v of [r.lo, -1234.5, 0, 100, 4321.25, r.hi]) expect(denormaliseValue(normaliseValue(v, r), r)).toBeCloseTo(v, 6);
  });
  it('loses at most 2^-12 of the span through a half float (11-bit significand): a sixteenth of a grey level over the whole range', () => {
    const r = renderRange({ min: -1024, max: 3071 }, 1, 0);
    const slack = (r.hi - r.lo) * 2 ** -12;
    expect(slack).toBeLessThan(((r.hi - r.lo) / 255) * 0.07);
    for (let v = r.lo; v <= r.hi; v += 7.3) {
      const back = denormaliseValue(toHalf(normaliseValue(v, r)), r);
      expect(Math.abs(back - v)).toBeLessThanOrEqual(slack);
    }
  });
});

describe('the RG8 copy: 16 bits in two bytes', () => {
  it('is the format of a layer whose every value is finite and ranged, R16F (which holds NaN) otherwise', () => {
    expect(renderCopyFormat({ exact: true, nonFinite: 0 })).toBe('RG8');
    expect(renderCopyFormat({ exact: true, nonFinite: 1 })).toBe('R16F');
    // A sampled range could miss values that RG8 would then clamp.
    expect(renderCopyFormat({ exact: false, nonFinite: 0 })).toBe('R16F');
    // A GPU whose filtered 8-bit channels come back at 8 bits (rg8Probe.ts): R16F for every layer.
    expect(renderCopyFormat({ exact: true, nonFinite: 0 }, false)).toBe('R16F');
    expect(renderCopyFormat({ exact: true, nonFinite: 0 }, true)).toBe('RG8');
  });
  it('round-trips every step, clamps outside [0, 1], and splits high and low bytes', () => {
    expect(encodeRG8(0)).toEqual([0, 0]);
    expect(encodeRG8(1)).toEqual([255, 255]);
    expect(encodeRG8(-0.5)).toEqual([0, 0]);
    expect(encodeRG8(2)).toEqual([255, 255]);
    expect(encodeRG8(258 / RG8_STEPS)).toEqual([1, 2]);
    for (let u = 0; u <= RG8_STEPS; u += 97) {
      const [r, g] = encodeRG8(u / RG8_STEPS);
      expect(decodeRG8(r / 255, g / 255)).toBeCloseTo(u / RG8_STEPS, 12);
    }
  });
  it('loses at most half a step (1/131070 of the span): a tenth of a grey level over a CT range', () => {
    const r = renderRange({ min: -1024, max: 3071 }, 1, 0);
    for (let v = r.lo; v <= r.hi; v += 0.37) {
      const [hi, lo] = encodeRG8(normaliseValue(v, r));
      expect(Math.abs(denormaliseValue(decodeRG8(hi / 255, lo / 255), r) - v)).toBeLessThanOrEqual((r.hi - r.lo) / RG8_STEPS / 2 + 1e-9);
    }
  });
  it('decodes a filtered fetch linearly: the mix of two texels is the mix of their values', () => {
    // The GPU filters R and G with the same weights; 255 and 256 straddle a high-byte step.
    const a = encodeRG8(255 / RG8_STEPS), b = encodeRG8(256 / RG8_STEPS);
    const w = 0.3;
    const mixed = decodeRG8(((1 - w) * a[0] + w * b[0]) / 255, ((1 - w) * a[1] + w * b[1]) / 255);
    expect(mixed * RG8_STEPS).toBeCloseTo(255 + w, 9);
    // The shader's weights are decodeRG8's; R16F reads red alone.
    const [mr, mg] = renderCopyMix('RG8');
    expect(mr * 0.25 + mg * 0.5).toBeCloseTo(decodeRG8(0.25, 0.5), 12);
    expect(renderCopyMix('R16F')).toEqual([1, 0]);
  });
});

describe('renderCopySlack: how far a copy sample strays from the exact value', () => {
  it('is a step of the format over the range, and bounds what the copy stores for any value', () => {
    const range = renderRange({ min: -1024, max: 3071 }, 1, 0);
    const span = range.hi - range.lo;
    expect(renderCopySlack(range, 'RG8')).toBeCloseTo(span / 65535, 9);
    expect(renderCopySlack(range, 'R16F')).toBeCloseTo(span / 1024, 9);
    for (let v = range.lo; v <= range.hi; v += 0.37) {
      const [r, g] = encodeRG8(normaliseValue(v, range));
      const rg8 = denormaliseValue(decodeRG8(r / 255, g / 255), range);
      expect(Math.abs(rg8 - v)).toBeLessThanOrEqual(renderCopySlack(range, 'RG8'));
      // A half float: 11 significant bits (normal numbers down to 2^-14).
      const n = normaliseValue(v, range);
      const step = 2 ** (Math.max(Math.floor(Math.log2(Math.max(n, 2 ** -14))), -14) - 10);
      const half = denormaliseValue(Math.round(n / step) * step, range);
      expect(Math.abs(half - v)).toBeLessThanOrEqual(renderCopySlack(range, 'R16F'));
    }
  });
});

describe('decideRenderPath', () => {
  const base: RenderPathInputs = { exactRequested: false, channels: 1, linear: true, halfFloatRenderable: true, dims: [256, 256, 256], max3DSize: 2048, bricks: 1, gpuRoomBytes: 1e9 };
  it('takes the fast path where everything allows it', () => {
    expect(decideRenderPath(base)).toEqual({ path: 'fast' });
  });
  it('takes the exact path, saying why, when asked or when the copy cannot be made', () => {
    const reason = (patch: Partial<RenderPathInputs>) => {
      const p = decideRenderPath({ ...base, ...patch });
      expect(p.path).toBe('exact');
      return p.path === 'exact' ? p.reason : '';
    };
    expect(reason({ exactRequested: true })).toMatch(/asked/);
    expect(reason({ channels: 3 })).toMatch(/3 components/);
    expect(reason({ linear: false })).toMatch(/nearest/);
    expect(reason({ halfFloatRenderable: false })).toMatch(/R16F/);
    expect(reason({ dims: [256, 256, 4096] })).toMatch(/MAX_3D_TEXTURE_SIZE/);
    expect(reason({ bricks: 2 })).toMatch(/2 brick textures/);
    expect(reason({ gpuRoomBytes: 256 ** 3 * 2 - 1 })).toMatch(/32\.0 MiB/);
  });
  it('fits a copy of exactly the room left', () => {
    expect(decideRenderPath({ ...base, gpuRoomBytes: 256 ** 3 * 2 }).path).toBe('fast');
  });
});
