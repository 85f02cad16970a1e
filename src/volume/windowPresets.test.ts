import { expect, it } from 'vitest';
import { CT_PRESETS, isHuLike, presetWindow } from './windowPresets';

it('CT presets are level/width in HU', () => {
  const lung = CT_PRESETS.find((p) => p.name === 'Lung')!;
  expect(presetWindow(lung)).toEqual([-1350, 150]);
  expect(presetWindow(CT_PRESETS[0])).toEqual([0, 80]);
});

it('offers presets only for HU-like scaled ranges', () => {
  expect(isHuLike({ min: 0, max: 3000 }, 1, -1024)).toBe(true); // CT stored unsigned with an intercept
  expect(isHuLike({ min: -1024, max: 2000 }, 1, 0)).toBe(true);
  expect(isHuLike({ min: 0, max: 255 }, 1, 0)).toBe(false); // an MR or label volume
  expect(isHuLike({ min: -0.5, max: 1.2 }, 1, 0)).toBe(false); // FA
  expect(isHuLike({ min: -32768, max: 32767 }, 1, 0)).toBe(false); // full int16 range: not HU
});
