import { describe, expect, it } from 'vitest';
import { MAX_TEXTURE_SLABS, prefixed, samplingChunk } from './chunks';

describe('samplingChunk', () => {
  it('one texture: texelAt is a plain texelFetch of uVolume', () => {
    const glsl = samplingChunk('int');
    expect(glsl).toContain('#define texelAt(p) texelFetch(uVolume, p, 0)');
    expect(glsl).not.toContain('uSlabStarts');
  });

  it('z-slabs: one sampler per slab, chosen by the slice, in the sampler type of the format', () => {
    const glsl = samplingChunk('uint', 3);
    expect(glsl).toContain('uniform usampler3D uVolume1;');
    expect(glsl).toContain('uniform usampler3D uVolume2;');
    expect(glsl).not.toContain('uVolume3');
    expect(glsl).toContain('uniform int uSlabStarts[3];');
    expect(glsl).toContain('uvec4 texelAt(ivec3 p)');
    expect(glsl).toContain('if (p.z < uSlabStarts[1]) return texelFetch(uVolume, ivec3(p.xy, p.z - uSlabStarts[0]), 0);');
    expect(glsl).toContain('return texelFetch(uVolume2, ivec3(p.xy, p.z - uSlabStarts[2]), 0);');
    expect(() => samplingChunk('float', MAX_TEXTURE_SLABS + 1)).toThrow(/INTERNAL ERROR/);
  });

  it('the overlay copy renames every slab sampler and the depth', () => {
    const glsl = prefixed(samplingChunk('float', 2), 'ov_');
    expect(glsl).toContain('uniform sampler3D ov_uVolume1;');
    expect(glsl).toContain('ov_uSlabStarts');
    expect(glsl).toContain('vec4 ov_texelAt(ivec3 p)');
    expect(glsl).not.toMatch(/[^_]uVolume1/);
  });
});
