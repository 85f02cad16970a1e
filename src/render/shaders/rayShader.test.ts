import { describe, expect, it } from 'vitest';
import { textureFormatFor } from '../textures/textureFormats';
import { RAY_MODES, rayFragmentShader } from './rayShader';

const int16 = textureFormatFor('int16', { floatLinear: false, max3DSize: 2048 });

describe('ray shader programs', () => {
  it('a program made for one mode has that mode as a constant, and no test reads the mode uniform', () => {
    for (const fast of [false, true]) {
      for (const mode of Object.values(RAY_MODES)) {
        const src = rayFragmentShader(int16, undefined, 1, 1, fast, mode);
        expect(src).toContain(`#define RAY_MODE ${mode}\n`);
        // Every branch on the mode goes through RAY_MODE, so the compiler drops the other modes' code.
        expect(src).not.toMatch(/uMode\s*[=!<>]/);
      }
    }
    expect(rayFragmentShader(int16)).toContain('#define RAY_MODE uMode\n');
  });

  it('the overlay test is compiled in only with an overlay', () => {
    expect(rayFragmentShader(int16, undefined, 1, 1, false, RAY_MODES.composite)).toContain('if (false && RAY_MODE >=');
    expect(rayFragmentShader(int16, textureFormatFor('uint8', { floatLinear: false, max3DSize: 2048 }), 1, 1, false, RAY_MODES.composite)).toContain('if (true && RAY_MODE >=');
  });

  it('a projection ends (and skips) by the LUT entry its best value shows as', () => {
    const src = rayFragmentShader(int16, undefined, 1, 1, true, RAY_MODES.max);
    expect(src).toContain('if (windowBin(best) >= 255 && !(t < cut.y)) break;');
    expect(src).toContain('return hi <= best || (sampled && windowBin(hi) <= windowBin(best));');
  });
});
