import { describe, expect, it } from 'vitest';
import { textureFormatFor } from '../textures/textureFormats';
import { COMPOSITE_SAMPLES_PER_TURN, PROJECTION_RUN_BRICKS, RAY_MODES, rayFragmentShader } from './rayShader';

const int16 = textureFormatFor('int16', { floatLinear: false, max3DSize: 2048 });

describe('ray shader programs', () => {
  it('a program made for one mode has that mode as a constant, and no test reads the mode uniform', () => {
    for (const fast of [false, true]) {
      for (const mode of Object.values(RAY_MODES)) {
        const src = rayFragmentShader(int16, [], 1, [], { fast, mode });
        expect(src).toContain(`#define RAY_MODE ${mode}\n`);
        // Every branch on the mode goes through RAY_MODE, so the compiler drops the other modes' code.
        expect(src).not.toMatch(/uMode\s*[=!<>]/);
      }
    }
    expect(rayFragmentShader(int16)).toContain('#define RAY_MODE uMode\n');
  });

  it('the overlay test is compiled in only with an overlay', () => {
    expect(rayFragmentShader(int16, [], 1, [], { mode: RAY_MODES.composite })).toContain('if (false && RAY_MODE >=');
    expect(rayFragmentShader(int16, [textureFormatFor('uint8', { floatLinear: false, max3DSize: 2048 })], 1, [1], { mode: RAY_MODES.composite })).toContain('if (true && RAY_MODE >=');
  });

  it('reads every overlay under its own names, the upper layer first, and hides labels with table alpha 0', () => {
    const uint8 = textureFormatFor('uint8', { floatLinear: false, max3DSize: 2048 });
    const src = rayFragmentShader(int16, [int16, uint8], 1, [1, 1], { mode: RAY_MODES.composite });
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

  it('a projection ends by the LUT entry its best value shows as (its own march: where the entry reaches the window\'s end), unless the removed octant lies ahead', () => {
    const src = rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.max });
    // The generic loop (skipping off: every sample) and the projection's own march.
    expect(src).toContain('if (windowBin(best) >= 255 && !(CUT && t < cut.y)) break;');
    expect(src).toContain('if (skipTo >= 255 && !(CUT && cut.x < cut.y && t < cut.y)) break;');
    expect(rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.min })).toContain('if (skipTo <= 0 && !(CUT && cut.x < cut.y && t < cut.y)) break;');
  });

  it("the removed octant's code is compiled in only when asked, and every test of it goes through CUT", () => {
    for (const fast of [false, true]) {
      for (const mode of [undefined, ...Object.values(RAY_MODES)]) {
        expect(rayFragmentShader(int16, [], 1, [], { fast, mode })).toContain('#define CUT true\n');
        const src = rayFragmentShader(int16, [], 1, [], { fast, mode, cut: false });
        expect(src).toContain('#define CUT false\n');
        // So the compiler drops each of them: a branch on the octant, its bounds or its faces, short of CUT, would be run by every lane.
        const tests = src.split('\n').filter((l) => /\bif \(|more = more/.test(l) && /\bcut\.[xy]\b|\bafterCut\b|\bfaceT >= 0|\buCut\b/.test(l));
        expect(tests.length).toBeGreaterThan(1);
        for (const line of tests) expect(line).toMatch(/CUT && /);
        expect(src).toContain('if (CUT && uCut) {');
        expect(src).toContain('if (CUT && faceT >= 0.0) {');
      }
    }
  });

  it("MIP's and MinIP's programs for skipping on leave the generic loop out; every other program keeps it", () => {
    for (const fast of [false, true]) {
      for (const mode of Object.values(RAY_MODES)) {
        const projection = mode === RAY_MODES.max || mode === RAY_MODES.min;
        expect(rayFragmentShader(int16, [], 1, [], { fast, mode, marchOnly: true })).toContain(`for (int s = 0; s < ${projection ? 0 : 65536}; s++) {`);
        expect(rayFragmentShader(int16, [], 1, [], { fast, mode })).toContain('for (int s = 0; s < 65536; s++) {');
      }
      // Without its own march (runs off) a projection has the generic loop alone.
      expect(rayFragmentShader(int16, [], 1, [], { fast, mode: RAY_MODES.max, runs: false, marchOnly: true })).toContain('for (int s = 0; s < 65536; s++) {');
    }
  });

});

// A software renderer (SwiftShader) runs the code of every branch in the march loop for every
// sample, taken or not; only a loop that no lane enters is passed over after one turn. So what is
// rare (a surface's refinement, the cut's faces, shading that is off, composite's brick tests)
// stays out of the loop's body.
describe('the box a ray is cast through', () => {
  it("each pixel's ray comes from where it lies in the viewport, not from the mesh drawn", () => {
    for (const mode of Object.values(RAY_MODES)) {
      const src = rayFragmentShader(int16, [], 1, [], { fast: true, mode });
      expect(src).toContain('vec2 ndc = (gl_FragCoord.xy - uViewport.xy) / uViewport.zw * 2.0 - 1.0;');
      expect(src).toContain('vec3 d = normalize(uViewToVoxel * vec3((ndc.x + uPixelRay.z) / uPixelRay.x, (ndc.y + uPixelRay.w) / uPixelRay.y, -1.0));');
      expect(src).not.toContain('vVoxel');
      expect(src).toContain('vec2 box = slab(o, d, uBoxLo, uBoxHi);');
    }
  });

  it("composite's and iso's samples keep the grid's own box's grid, from the first of it inside the box cast through", () => {
    for (const mode of [RAY_MODES.composite, RAY_MODES.iso]) {
      const src = rayFragmentShader(int16, [], 1, [], { fast: true, mode });
      expect(src).toContain('vec2 gridBox = slab(o, d, vec3(-0.5), vec3(uDims) - 0.5);');
      expect(src).toContain('float gridT0 = max(max(gridBox.x, clipT.x), 0.0);');
      expect(src).toContain('float tGrid = gridT0 + (0.25 + 0.5 * jitter) * uStep;');
      expect(src).toContain('float t = onGridFrom(tGrid, t0);');
      // A ray that misses the box cast through draws nothing.
      expect(src).toContain('if (t1 <= t0) discard;');
      expect(src).not.toContain('gridT1');
      // Iso: a ray entering the grid before the box crossed bricks below the surface on the way.
      expect(src).toContain('bool enteredEarlier = RAY_MODE == 4 && t0 > gridT0;');
      expect(src).toContain('bool havePrevious = enteredEarlier;');
    }
  });

  it('a projection draws wherever a ray meets the grid, and counts what the box left out as passed over', () => {
    for (const mode of [RAY_MODES.max, RAY_MODES.min]) {
      const src = rayFragmentShader(int16, [], 1, [], { fast: true, mode, marchOnly: true });
      expect(src).toContain('if (gridT1 <= gridT0) discard;');
      expect(src).not.toContain('if (t1 <= t0) discard;');
      expect(src).toContain('bool leapt = (t1 <= t0 || t0 > gridT0 || t1 < gridT1) && tGrid <= gridT1;');
      expect(src).toContain('float t = onGridFrom(tGrid, t0);');
      // Its depth is where the ray enters the grid, whatever the box.
      expect(src).toContain('setDepth(o + d * gridT0);');
    }
    // The mean samples the whole grid as before.
    const mean = rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.mean });
    expect(mean).toContain('float gridT0 = t0;');
    expect(mean).toContain('bool leapt = false;');
    expect(mean).toContain('float t = tGrid;');
  });
});

describe('the march loop holds only what each sample needs', () => {
  /** From the start of `src` to the brace that closes its first opening brace. */
  const braced = (src: string) => {
    let depth = 0;
    for (let i = src.indexOf('{'); i < src.length; i++) {
      if (src[i] === '{') depth++;
      else if (src[i] === '}' && --depth === 0) return src.slice(0, i + 1);
    }
    throw new Error('unbalanced braces');
  };
  /** The main march loop's body: from its header to the matching closing brace (a projection's own march comes before it). */
  const marchLoop = (src: string) => {
    const start = src.indexOf('for (int s = 0; s < 65536; s++) {', src.indexOf('// Enough for a ray across the widest grid'));
    expect(start).toBeGreaterThan(0);
    return braced(src.slice(start));
  };
  /** A projection's own march (projectionMarch), or '' where the program has none. */
  const projectionBlock = (src: string) => {
    const start = src.indexOf('  if (uSkip && t0 < t1) {\n    float runSize');
    return start < 0 ? '' : braced(src.slice(start));
  };

  it("MIP and MinIP march on their own ahead of the generic loop where skipping is on: a skip loop of one brick a turn, then a run of fetches and selects, neither entering the removed octant", () => {
    for (const fast of [false, true]) {
      for (const [mode, test, pick, sat] of [
        [RAY_MODES.max, 'bin > skipTo', 'mb = w > mb ? w : mb;', 'if (skipTo >= 255 && !(CUT && cut.x < cut.y && t < cut.y)) break;'],
        [RAY_MODES.min, 'bin < skipTo', 'mb = w < mb ? w : mb;', 'if (skipTo <= 0 && !(CUT && cut.x < cut.y && t < cut.y)) break;'],
      ] as const) {
        const src = rayFragmentShader(int16, [], 1, [], { fast, mode });
        const march = projectionBlock(src);
        expect(march).not.toBe('');
        expect(src.indexOf(march)).toBeLessThan(src.indexOf('// Enough for a ray across the widest grid'));
        // Before any sample the window's end entry counts as the best: a ray that meets only values there shows that entry.
        expect(march).toContain(`int bestBin = ${mode === RAY_MODES.max ? 0 : 255};`);
        // One fetch a brick: its leap distances and its range's entry (rayParams.ts brickEntry), tested only where the leap distance is 0.
        expect(march).toContain('uvec3 brick = texelFetch(uEmptyDist, b, 0).rgb;');
        expect(march.split('texelFetch(').length).toBe(2);
        expect(src).not.toContain('uBricks');
        const judged = march.slice(march.indexOf('if (!(reachHere > 0.0)) {'));
        expect(judged.indexOf('int bin = int(brick.z);')).toBeGreaterThan(0);
        expect(judged.indexOf(`if (${test}) {`)).toBeLessThan(judged.indexOf('float exitT'));
        expect(march).toContain(pick);
        expect(march).toContain(sat);
        // The best's reach through the LUT (rayParams.ts projectionReach) decides what is passed over, and is kept with the best wherever it changes.
        const isMax = mode === RAY_MODES.max;
        expect(march).toContain('int skipTo = reachAt(bestBin);');
        expect(march.split('bestBin = windowBin(').length).toBe(3);
        expect(march.split('skipTo = reachAt(bestBin);').length).toBe(4);
        expect(march.split(`quiet = bestBin ${isMax ? '>=' : '<='} uQuietFrom;`).length).toBe(4);
        // The leap distances' second channel once the best reaches the quiet entries.
        expect(march).toContain('float reachHere = float(quiet ? brick.y : brick.x);');
        // A run stops at the first sample whose entry reaches over the brick that started it.
        expect(march).toContain(`(float(stopAt(hitBin)) ${isMax ? '- 0.5' : '+ 0.5'}) / 255.0`);
        expect(march).toContain(`if (mb ${isMax ? '>=' : '<='} runStop) break;`);
        expect(march).toContain('leapt = true;');
        // The samples' grid is the generic loop's: skips land on it, runs step along it.
        expect(march).toContain('float next = max(onGridFrom(tGrid, exitT), t + uStep);');
        expect(src).toContain('return tGrid + ceil((t - tGrid) / uStep) * uStep;');
        expect(march).toContain('t += uStep;');
        // Whatever the ray did, the generic loop then ends at its first test.
        expect(march).toContain('t = t1 + uStep;');
        // The octant: a skip reaching it lands on the first sample past it, a run stops before it
        // (rayParams.ts runSamples, the same arithmetic), and past it the faces show what is above the window's low end.
        expect(src).toContain('float pastCut = onGridFrom(tGrid, cut.y);');
        expect(src.indexOf('float pastCut')).toBeLessThan(src.indexOf(march));
        expect(march).toContain('t = pastCut;');
        expect(march).toContain('if (CUT && cut.x < cut.y && t < cut.y && next >= cut.x) {');
        expect(march).toContain('int n = max(int(floor((runEnd - t) / uStep)) + 1, 1);');
        expect(march).toContain('if (CUT && cut.x < cut.y && t < cut.x) n = min(n, int(ceil((cut.x - t) / uStep)));');
        expect(march).toContain('if (v > uWinLo) {');
        expect(march).toContain('faceT = t;');
        // The fast path samples the copy, the exact path the exact texture (the copy's slack is in the bricks' entries: brickEntry).
        expect(march.includes('textureLod(uRender,')).toBe(fast);
        expect(march.includes('valueAt(o + d * t)')).toBe(!fast);
        // GLSL leaves max(NaN, x) undefined.
        expect(march).not.toMatch(/\b(max|min)\(mb,|\b(max|min)\(w,/);
      }
    }
    for (const mode of [RAY_MODES.mean, RAY_MODES.composite, RAY_MODES.iso]) expect(projectionBlock(rayFragmentShader(int16, [], 1, [], { fast: true, mode }))).toBe('');
    // Runs off: the generic loop alone (a baseline to compare against).
    expect(projectionBlock(rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.max, runs: false }))).toBe('');
    expect(PROJECTION_RUN_BRICKS).toBe(16);
  });

  it('iso refines its crossing by bisection after the loop, not in it', () => {
    for (const fast of [false, true]) {
      const src = rayFragmentShader(int16, [], 1, [], { fast, mode: RAY_MODES.iso });
      const loop = marchLoop(src);
      expect(loop).not.toContain('for (int r = 0; r < 6; r++)');
      expect(loop).toContain('crossT = t;');
      expect(src.slice(src.indexOf(loop) + loop.length)).toContain('for (int r = 0; r < 6; r++)');
    }
  });

  it("the cut's faces are coloured after the loop", () => {
    const src = rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.composite });
    const loop = marchLoop(src);
    expect(loop).not.toContain('windowColour(');
    expect(loop).not.toContain('setDepth(');
    expect(loop).toContain('faceT = t;');
  });

  it('composite compiles shading in only when asked, and both composite and iso leap without brick tests', () => {
    expect(rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.composite, shade: false })).toContain('#define SHADE false\n');
    expect(rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.composite, shade: true })).toContain('#define SHADE true\n');
    expect(rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.composite })).toContain('if (SHADE && uShade)');
    // No program's generic loop tests bricks: composite and iso leap in a loop of their own, the projections march on their own, the mean skips nothing.
    for (const mode of [undefined, ...Object.values(RAY_MODES)]) expect(marchLoop(rayFragmentShader(int16, [], 1, [], { fast: true, mode }))).not.toMatch(/uBricks|uCells|windowBin\(hi\)/);
    for (const mode of [undefined, RAY_MODES.max, RAY_MODES.min, RAY_MODES.mean]) expect(marchLoop(rayFragmentShader(int16, [], 1, [], { fast: true, mode }))).not.toContain('uEmptyDist');
  });

  it('composite and iso leap in a loop of their own, ahead of the sample', () => {
    for (const mode of [RAY_MODES.composite, RAY_MODES.iso]) {
      for (const fast of [false, true]) {
        const loop = marchLoop(rayFragmentShader(int16, [], 1, [], { fast, mode }));
        const leaps = loop.indexOf('for (int k = 0; k < 65536; k++) {');
        expect(leaps).toBeGreaterThan(0);
        expect(leaps).toBeLessThan(loop.indexOf('vec3 p = o + d * t;'));
        // The leap loop stops where the march's head has work to do: past the box, in the octant, just out of it.
        expect(loop).toContain('if ((CUT && afterCut) || t > t1 || (CUT && t >= cut.x && t < cut.y)) break;');
        expect(loop).toContain('if ((CUT && afterCut) || t > t1 || (CUT && t >= cut.x && t < cut.y)) continue;');
      }
    }
    for (const mode of [RAY_MODES.max, RAY_MODES.min, RAY_MODES.mean]) expect(marchLoop(rayFragmentShader(int16, [], 1, [], { fast: true, mode }))).not.toContain('for (int k = 0; k < 65536; k++) {');
  });

  it("composite's and iso's fast samples divide nothing: coordinates and transfer entries are linear in t from per-ray constants", () => {
    for (const mode of [RAY_MODES.composite, RAY_MODES.iso]) {
      const src = rayFragmentShader(int16, [], 1, [], { fast: true, mode });
      const loop = marchLoop(src);
      // Less the projections' and the mean's branches (constant false here).
      let live = loop;
      live = live.slice(0, live.indexOf(`if (RAY_MODE == ${RAY_MODES.max}) {`)) + live.slice(live.indexOf(`} else if (RAY_MODE == ${RAY_MODES.composite}) {`));
      expect(live).not.toMatch(/renderValue\(|transferBin\(|\/ uBrickSize|\/ vec3\(uDims\)/);
      expect(live).toContain('float r = dot(textureLod(uRender, tcO + tcD * t, 0.0).rg, uRenderMix);');
      expect(src.slice(0, src.indexOf(loop))).toContain('vec3 tcO = (o + 0.5) / vec3(uDims), tcD = d / vec3(uDims);');
    }
  });

  it('composite takes its samples in turns of COMPOSITE_SAMPLES_PER_TURN, each follower inside the box and outside the octant', () => {
    expect(COMPOSITE_SAMPLES_PER_TURN).toBe(2);
    const followers = (src: string) => marchLoop(src).split('more = more && t + uStep <= t1 && !(CUT && t + uStep >= cut.x && t + uStep < cut.y);').length - 1;
    for (const fast of [false, true]) {
      expect(followers(rayFragmentShader(int16, [], 1, [], { fast, mode: RAY_MODES.composite }))).toBe(COMPOSITE_SAMPLES_PER_TURN - 1);
      expect(followers(rayFragmentShader(int16, [], 1, [], { fast, mode: RAY_MODES.composite, compositeSamples: 4 }))).toBe(3);
      expect(followers(rayFragmentShader(int16, [], 1, [], { fast, mode: RAY_MODES.iso }))).toBe(0);
    }
    // With an overlay each sample must test it first: one sample a turn.
    expect(followers(rayFragmentShader(int16, [int16], 1, [1], { fast: true, mode: RAY_MODES.composite }))).toBe(0);
    const loop = marchLoop(rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.composite }));
    const follower = loop.slice(loop.indexOf('if (more) {'));
    // Composited as the first sample is (one function for both), ended by the same early termination, and a NaN shows nothing.
    expect(follower).toContain('if (!isnan(rk) && compositeStep(rk * tfA + tfB, o + d * t, t, d, acc, firstT)) break;');
    expect(loop).toContain('if (compositeStep(r * tfA + tfB, p, t, d, acc, firstT)) break;');
    const exactLoop = marchLoop(rayFragmentShader(int16, [], 1, [], { mode: RAY_MODES.composite }));
    expect(exactLoop).toContain('if (!isnan(vk) && compositeStep((vk - uTfLo) * tfScale, o + d * t, t, d, acc, firstT)) break;');
    expect(exactLoop).toContain('if (compositeStep((v - uTfLo) * tfScale, p, t, d, acc, firstT)) break;');
    // The generic program (the mode a uniform) bins as the skip tests do.
    expect(marchLoop(rayFragmentShader(int16))).toContain('if (compositeStep(float(transferBin(v)), p, t, d, acc, firstT)) break;');
  });

  it('compositeStep: the table entry, shading where on, the step\'s absorption, front-to-back blending, and opaque past 0.99', () => {
    const src = rayFragmentShader(int16, [], 1, [], { fast: true, mode: RAY_MODES.composite });
    const fn = src.slice(src.indexOf('bool compositeStep(float x, vec3 p, float t, vec3 d, inout vec4 acc, inout float firstT) {'));
    expect(fn).toContain('vec4 c = texelFetch(uTransfer, ivec2(int(clamp(x, 0.0, 255.0) + 0.5), 0), 0);');
    expect(fn).toContain('if (SHADE && uShade) c.rgb = shadeBlinnPhong(c.rgb, gradientAt(p), d,');
    expect(fn).toContain('float a = 1.0 - pow(1.0 - min(c.a, 0.9999), uStep);');
    expect(fn).toContain('acc.rgb += (1.0 - acc.a) * a * c.rgb;');
    expect(fn).toContain('return acc.a > 0.99;');
  });
});
