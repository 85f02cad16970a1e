import { describe, expect, it } from 'vitest';
import { textureFormatFor } from '../textures/textureFormats';
import { layerFragmentShader } from './layerShader';

const caps = { floatLinear: false, max3DSize: 2048 };

describe('slice shader slabs', () => {
  it('a thick slab marches the normal through the same sampler as a thin slice, for intensity layers', () => {
    const int16 = textureFormatFor('int16', caps);
    const thin = layerFragmentShader(int16, 'base', 1, false);
    const thick = layerFragmentShader(int16, 'base', 1, true);
    expect(thin).not.toContain('slabValue');
    expect(thick).toContain('if (!slabValue(vVoxel, value)) discard;');
    expect(thick).toContain('float raw = sampleRed(q) * uRawScale;');
    expect(layerFragmentShader(int16, 'overlay', 1, true)).toContain('slabValue');
  });

  it('label maps and RGB show the centre plane in a slab (never a MIP of label values)', () => {
    const uint8 = textureFormatFor('uint8', caps);
    for (const style of ['label', 'outline'] as const) {
      const glsl = layerFragmentShader(uint8, style, 1, true);
      expect(glsl).not.toContain('slabValue');
      expect(glsl).toContain('int label = labelAt(vVoxel);');
    }
    expect(layerFragmentShader(textureFormatFor('rgb24', caps), 'base', 1, true)).not.toContain('slabValue');
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
