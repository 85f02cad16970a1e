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
    expect(max).toContain('if (v > acc || n == 0) {\n      acc = v;');
    expect(min).toContain('if (v < acc || n == 0) {\n      acc = v;');
    expect(layerFragmentShader(int16, 'overlay', 1, 'min')).toContain('acc = min(acc, v);');
    expect(mean).toContain('acc += v;');
    expect(mean).toContain('value = acc / float(max(n, 1));');
    for (const glsl of [max, min, mean]) expect(glsl).not.toContain('uThickMode');
    expect(mean).not.toContain('uBricks');
    // MIP: a range up to the best value's reach (the end of its LUT entry, worked out once per new
    // best) cannot change the pixel; a reach of everything (saturated at the top entry) stops.
    expect(max).toContain('return hi <= reach;');
    expect(max).toContain('float edge = uWinLo + width * ((float(bin) + 0.5) / 255.0) - width * 1e-5;');
    expect(max).toContain('return windowBin(edge) <= bin ? max(best, edge) : best;');
    expect(max).toContain('if (v > acc || n == 0) {');
    expect(max).toContain('if (reach >= 3.4e38) { n++; break; }');
    expect(min).toContain('return lo >= reach;');
    expect(min).toContain('return windowBin(edge) >= bin ? min(best, edge) : best;');
    expect(min).toContain('if (reach <= -3.4e38) { n++; break; }');
    // An overlay also hides values at or below the window's low end, and may draw negatives from another map.
    const overlay = layerFragmentShader(int16, 'overlay', 1, 'max');
    expect(overlay).toContain('if (uNegOn && best < 0.0) return best;\n  if (best <= uWinLo) return max(best, uWinLo);');
    expect(overlay.indexOf('uniform bool uNegOn')).toBeLessThan(overlay.indexOf('float reachOf('));
    const overlayMin = layerFragmentShader(int16, 'overlay', 1, 'min');
    expect(overlayMin).toContain('(!uNegOn || lo >= 0.0) && windowBin(lo) >= windowBin(best) && (lo > uWinLo || best <= uWinLo)');
    expect(overlayMin).not.toContain('reachOf');
    // The march tests no sample for the cover: the inside samples are one run, found once.
    for (const glsl of [max, min, mean]) {
      expect(glsl).toContain('while (first <= last && outsideVolume(p + d * float(first))) first++;');
      expect(glsl).toContain('while (last >= first && outsideVolume(p + d * float(last))) last--;');
      expect(glsl.slice(glsl.indexOf('while (s <= last)'))).not.toContain('outsideVolume');
    }
    // One step reads the cell's and the brick's range and computes one exit: the cell's where it is
    // settled, else the brick's; the per-draw values (the step's inverse, the grids' last boxes) are uniforms.
    expect(max).toContain('bool inCell = settled(cr.x, cr.y, acc, reach);');
    expect(max).toContain('if (inCell || settled(br.x, br.y, acc, reach)) {\n        s = lastInside(p, inCell ? c : b, inCell ? uCellSize : uBrickSize, s) + 1;');
    expect(max).toContain('ivec3 c = boxOf(q, uCellSize, uCellTop), b = boxOf(q, uBrickSize, uBrickTop);');
    for (const glsl of [max, min, mean]) expect(glsl).not.toContain('textureSize');
    expect(max).toContain('vec3 t = ((vec3(box) + uThickFar) * size - 0.5 - p) * uThickInv;');
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
