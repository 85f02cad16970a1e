import { describe, expect, it } from 'vitest';
import { activePresetName, presetNamed, VOLUME_PRESETS } from './presets';
import { normalizeColors, normalizePoints, transferTable } from './transfer';

describe('volume presets (3D Slicer presets.xml, re-encoded)', () => {
  it('holds the well-known names, once each', () => {
    const names = VOLUME_PRESETS.map((p) => p.name);
    for (const n of ['CT-AAA', 'CT-AAA2', 'CT-Bone', 'CT-Bones', 'CT-Cardiac', 'CT-Cardiac2', 'CT-Cardiac3', 'CT-Chest-Contrast-Enhanced', 'CT-Chest-Vessels',
      'CT-Coronary-Arteries', 'CT-Coronary-Arteries-2', 'CT-Coronary-Arteries-3', 'CT-Cropped-Volume-Bone', 'CT-Fat', 'CT-Liver-Vasculature', 'CT-Lung', 'CT-MIP',
      'CT-Muscle', 'CT-Pulmonary-Arteries', 'CT-Soft-Tissue', 'CT-Air', 'MR-Angio', 'MR-Default', 'MR-MIP', 'MR-T2-Brain', 'DTI-FA-Brain'])
      expect(names).toContain(n);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(VOLUME_PRESETS.map((p) => [p.name, p] as const))('%s: ≥ 2 sorted opacity points in 0…1, sorted colours in 0…1, lighting in range', (_, p) => {
    expect(p.points.length).toBeGreaterThanOrEqual(2);
    expect(p.colors.length).toBeGreaterThanOrEqual(2);
    for (const pt of p.points) expect(pt).toHaveLength(2);
    for (const c of p.colors) expect(c).toHaveLength(4);
    const all = [...p.points.flat(), ...p.colors.flat(), p.ambient, p.diffuse, p.specular, p.specularPower];
    expect(all.every(Number.isFinite)).toBe(true);
    expect(p.points.every((pt, i) => i === 0 || pt[0] >= p.points[i - 1][0])).toBe(true);
    expect(p.colors.every((c, i) => i === 0 || c[0] >= p.colors[i - 1][0])).toBe(true);
    expect(p.points.every(([, a]) => a >= 0 && a <= 1)).toBe(true);
    expect(p.colors.every(([, r, g, b]) => [r, g, b].every((x) => x >= 0 && x <= 1))).toBe(true);
    expect(p.points.some(([, a]) => a > 0)).toBe(true);
    for (const k of [p.ambient, p.diffuse, p.specular]) expect(k >= 0 && k <= 1).toBe(true);
    expect(p.specularPower).toBeGreaterThanOrEqual(1);
    // Already normal: setTransfer's normalising gives them back unchanged (the API round trip).
    expect(normalizePoints(p.points)).toEqual(p.points);
    expect(normalizeColors(p.colors)).toEqual(p.colors);
    // Their table shows something.
    const table = transferTable(p.points, new Uint8Array(1024), p.colors);
    expect(table.some((x, i) => i % 4 === 3 && x > 0)).toBe(true);
  });

  it('keeps the published numbers (spot checks against presets.xml)', () => {
    const bone = presetNamed('CT-Bone')!;
    expect(bone.points).toEqual([[-3024, 0], [-16.4458, 0], [641.385, 0.715686], [3071, 0.705882]]);
    expect(bone.colors[1]).toEqual([-16.4458, 0.729412, 0.254902, 0.301961]);
    expect([bone.shading, bone.ambient, bone.diffuse, bone.specular, bone.specularPower]).toEqual([true, 0.1, 0.9, 0.2, 10]);
    const mr = presetNamed('MR-Default')!;
    expect(mr.points).toEqual([[0, 0], [20, 0], [40, 0.15], [120, 0.3], [220, 0.375], [1024, 0.5]]);
    expect(presetNamed('CT-Soft-Tissue')!.shading).toBe(false);
    expect(presetNamed('MR-T2-Brain')!.specularPower).toBe(40);
  });

  it('names the preset a style holds, by its points and colours', () => {
    const aaa = presetNamed('CT-AAA')!;
    expect(activePresetName({ points: aaa.points.map((p) => [...p]), colors: aaa.colors.map((c) => [...c]) })).toBe('CT-AAA');
    expect(activePresetName({ points: aaa.points })).toBeNull();
    expect(activePresetName({ points: [[0, 0], ...aaa.points.slice(1)], colors: aaa.colors })).toBeNull();
    // The preset's points as a prefix of longer lists, or of longer points, are not the preset.
    expect(activePresetName({ points: [...aaa.points, [4000, 1]], colors: aaa.colors })).toBeNull();
    expect(activePresetName({ points: aaa.points.map((p) => [...p, 0]), colors: aaa.colors })).toBeNull();
  });
});
