import { describe, expect, it } from 'vitest';
import { probePassed, RG8_PROBE, RG8_PROBE_FRAGMENT } from './rg8Probe';

const pixels = (red: (i: number) => number, alpha = 255) => {
  const p = new Uint8Array(RG8_PROBE.points * 4);
  for (let i = 0; i < RG8_PROBE.points; i++) [p[i * 4], p[i * 4 + 3]] = [red(i), alpha];
  return p;
};

describe('the RG8 filtering probe', () => {
  it('passes only when every point was drawn within the tolerance', () => {
    expect(probePassed(pixels(() => 0))).toBe(true);
    expect(probePassed(pixels((i) => (i === RG8_PROBE.points - 1 ? 255 : 0)))).toBe(false);
    expect(probePassed(pixels((i) => (i === 0 ? 255 : 0)))).toBe(false);
    // Nothing drawn (a cleared or untouched target reads alpha 0), or too few pixels read.
    expect(probePassed(pixels(() => 0, 0))).toBe(false);
    expect(probePassed(new Uint8Array(RG8_PROBE.points * 4 - 4))).toBe(false);
  });

  it("judges a GPU that rounds each filtered channel to 8 bits: the high byte's rounding is far past the tolerance", () => {
    const { a, b, points, tolerance } = RG8_PROBE;
    const [ha, la, hb, lb] = [a >> 8, a & 255, b >> 8, b & 255];
    let worstRounded = 0;
    let worstExact = 0;
    for (let x = 0; x < points; x++) {
      const t = (x + 0.5) / points;
      const lerp = (u: number, v: number) => u + (v - u) * t;
      const want = (b - a) * t;
      worstExact = Math.max(worstExact, Math.abs(lerp(ha, hb) * 256 + lerp(la, lb) - a - want));
      worstRounded = Math.max(worstRounded, Math.abs(Math.round(lerp(ha, hb)) * 256 + Math.round(lerp(la, lb)) - a - want));
    }
    expect(worstExact).toBeLessThan(1e-9);
    expect(worstRounded).toBeGreaterThan(20 * tolerance);
  });

  it("decodes the two bytes as the ray caster does (65280·R + 255·G) against the R16F difference", () => {
    expect(RG8_PROBE_FRAGMENT).toContain('rg.r * 65280.0 + rg.g * 255.0 - 4848.0');
    expect(RG8_PROBE_FRAGMENT).toContain('> 2.0 ? 1.0 : 0.0');
  });
});
