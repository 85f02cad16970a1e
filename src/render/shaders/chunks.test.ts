import { describe, expect, it } from 'vitest';
import { MAX_TEXTURE_SLABS } from '../../gpu/plan';
import { prefixed, samplingChunk } from './chunks';

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

  it('tiles: the brick is chosen by the slab, then the tile along x and y (uTileSize), its texel at the brick\'s own index', () => {
    const glsl = samplingChunk('int', [2, 2, 2]);
    expect(glsl).toContain('uniform isampler3D uVolume7;');
    expect(glsl).not.toContain('uVolume8');
    expect(glsl).toContain('uniform int uSlabStarts[2];');
    expect(glsl).toContain('uniform ivec2 uTileSize;');
    expect(glsl).toContain('if (p.z >= uSlabStarts[1]) { slab = 1; z0 = uSlabStarts[1]; }');
    expect(glsl).toContain('ivec2 tile = clamp(p.xy / uTileSize, ivec2(0), ivec2(1, 1));');
    expect(glsl).toContain('int n = (slab * 2 + tile.y) * 2 + tile.x;');
    expect(glsl).toContain('if (n == 6) return texelFetch(uVolume6, q, 0);');
    expect(glsl).toContain('return texelFetch(uVolume7, q, 0);');
    // Untiled grids keep the z-slab code; past eight textures is an error.
    expect(samplingChunk('int', [1, 1, 3])).toBe(samplingChunk('int', 3));
    expect(() => samplingChunk('float', [3, 3, 1])).toThrow(/INTERNAL ERROR/);
    expect(prefixed(glsl, 'ov_')).toContain('uniform ivec2 ov_uTileSize;');
  });

  it('the overlay copy renames every slab sampler and the depth', () => {
    const glsl = prefixed(samplingChunk('float', 2), 'ov_');
    expect(glsl).toContain('uniform sampler3D ov_uVolume1;');
    expect(glsl).toContain('ov_uSlabStarts');
    expect(glsl).toContain('vec4 ov_texelAt(ivec3 p)');
    expect(glsl).not.toMatch(/[^_]uVolume1/);
  });
});
