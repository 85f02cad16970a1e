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
