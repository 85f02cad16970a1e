import { describe, expect, it } from 'vitest';
import { textureFormatFor } from '../textures/textureFormats';
import { layerFragmentShader } from './layerShader';

const caps = { floatLinear: false, max3DSize: 2048 };

describe('slice shader slabs', () => {
  it('a thick slab marches the normal through the same sampler as a thin slice, for intensity layers', () => {
    const int16 = textureFormatFor('int16', caps);
    const thin = layerFragmentShader(int16, 'base', 1, false);
    const thick = layerFragmentShader(int16, 'base', 1, 'max');
    expect(thin).not.toContain('slabValue');
    expect(thick).toContain('if (!slabValue(vVoxel, value)) discard;');
    expect(thick).toContain('float raw = sampleRed(q) * uRawScale;');
    expect(layerFragmentShader(int16, 'overlay', 1, 'min')).toContain('slabValue');
  });

  it('one program per mode: the reduction is compiled in, and only MIP and MinIP skip or stop early', () => {
    const int16 = textureFormatFor('int16', caps);
    const [max, min, mean] = (['max', 'min', 'mean'] as const).map((m) => layerFragmentShader(int16, 'base', 1, m));
    expect(max).toContain('acc = max(acc, v);');
    expect(min).toContain('acc = min(acc, v);');
    expect(mean).toContain('acc += v;');
    expect(mean).toContain('value = acc / float(max(n, 1));');
    for (const glsl of [max, min, mean]) expect(glsl).not.toContain('uThickMode');
    expect(mean).not.toContain('uBricks');
    // MIP: a range at or below the best, or within its LUT entry, cannot change the pixel; saturated at the top entry it stops.
    expect(max).toContain('return hi <= best || windowBin(hi) <= windowBin(best);');
    expect(max).toContain('if (settled(acc, 3.4e38, acc)) break;');
    expect(min).toContain('return lo >= best || windowBin(lo) >= windowBin(best);');
    expect(min).toContain('if (settled(-3.4e38, acc, acc)) break;');
    // An overlay also hides values at or below the window's low end, and may draw negatives from another map.
    const overlay = layerFragmentShader(int16, 'overlay', 1, 'max');
    expect(overlay).toContain('(!uNegOn || best >= 0.0) && windowBin(hi) <= windowBin(best) && (best > uWinLo || hi <= uWinLo)');
    expect(overlay.indexOf('uniform bool uNegOn')).toBeLessThan(overlay.indexOf('bool settled('));
  });

  it('label maps and RGB show the centre plane in a slab (never a MIP of label values)', () => {
    const uint8 = textureFormatFor('uint8', caps);
    for (const style of ['label', 'outline'] as const) {
      const glsl = layerFragmentShader(uint8, style, 1, 'max');
      expect(glsl).not.toContain('slabValue');
      expect(glsl).toContain('int label = labelAt(vVoxel);');
    }
    expect(layerFragmentShader(textureFormatFor('rgb24', caps), 'base', 1, 'max')).not.toContain('slabValue');
  });
});

describe('slice shader colour', () => {
  it('16-bit RGB reads an integer sampler and windows each component; 8-bit RGB is shown as stored', () => {
    const rgb48 = layerFragmentShader(textureFormatFor('rgb48', caps), 'base');
    expect(rgb48).toContain('uniform usampler3D uVolume;');
    expect(rgb48).toContain('vec3 rgb = sampleTexel(vVoxel).rgb * uRawScale * uSlope + uInter;');
    expect(rgb48).toContain('fragColor = vec4(clamp((rgb - uWinLo) / max(uWinHi - uWinLo, 1e-30), 0.0, 1.0), uOpacity);');
    const rgb24 = layerFragmentShader(textureFormatFor('rgb24', caps), 'base');
    expect(rgb24).toContain('fragColor = vec4(sampleTexel(vVoxel).rgb, uOpacity);');
    expect(rgb24).not.toContain('vec3 rgb =');
  });
});
