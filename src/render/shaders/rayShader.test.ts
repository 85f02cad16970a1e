import { describe, expect, it } from 'vitest';
import { textureFormatFor } from '../textures/textureFormats';
import { RAY_MODES, rayFragmentShader } from './rayShader';

const int16 = textureFormatFor('int16', { floatLinear: false, max3DSize: 2048 });

describe('ray shader programs', () => {
  it('a program made for one mode has that mode as a constant, and no test reads the mode uniform', () => {
    for (const fast of [false, true]) {
      for (const mode of Object.values(RAY_MODES)) {
        const src = rayFragmentShader(int16, [], 1, [], fast, mode);
        expect(src).toContain(`#define RAY_MODE ${mode}\n`);
        // Every branch on the mode goes through RAY_MODE, so the compiler drops the other modes' code.
        expect(src).not.toMatch(/uMode\s*[=!<>]/);
      }
    }
    expect(rayFragmentShader(int16)).toContain('#define RAY_MODE uMode\n');
  });

  it('the overlay test is compiled in only with an overlay', () => {
    expect(rayFragmentShader(int16, [], 1, [], false, RAY_MODES.composite)).toContain('if (false && RAY_MODE >=');
    expect(rayFragmentShader(int16, [textureFormatFor('uint8', { floatLinear: false, max3DSize: 2048 })], 1, [1], false, RAY_MODES.composite)).toContain('if (true && RAY_MODE >=');
  });

  it('reads every overlay under its own names, the upper layer first, and hides labels with table alpha 0', () => {
    const uint8 = textureFormatFor('uint8', { floatLinear: false, max3DSize: 2048 });
    const src = rayFragmentShader(int16, [int16, uint8], 1, [1, 1], false, RAY_MODES.composite);
    for (const i of [0, 1]) {
      expect(src).toContain(`vec4 overlay${i}At(vec3 w) {`);
      expect(src).toContain(`uniform mat4 uOv${i}WorldToVoxel;`);
      expect(src).toContain(`ov${i}_fetchRed(ov${i}_nearestVoxel(v))`);
    }
    const body = src.slice(src.indexOf('vec4 overlayAt(vec3 w) {'));
    expect(body.indexOf('overlay1At(w)')).toBeGreaterThan(0);
    expect(body.indexOf('overlay1At(w)')).toBeLessThan(body.indexOf('overlay0At(w)'));
    expect(src).toContain('return c.a == 0.0 ? vec4(0.0) : vec4(c.rgb, uOv0Opacity);');
    expect(rayFragmentShader(int16)).not.toContain('overlay0At');
  });

  it('a projection ends (and skips) by the LUT entry its best value shows as', () => {
    const src = rayFragmentShader(int16, [], 1, [], true, RAY_MODES.max);
    expect(src).toContain('if (windowBin(best) >= 255 && !(t < cut.y)) break;');
    expect(src).toContain('return hi <= best || (sampled && windowBin(hi) <= windowBin(best));');
  });
});
