import { describe, expect, it } from 'vitest';
import { presetNamed } from '../volume/presets';
import { defaultVolumeStyle, parseTransferJson, volumeStyleOf, withPreset } from './volumeStyle';
import type { LayerMeta } from './viewerStore';

type StyleInput = Parameters<typeof defaultVolumeStyle>[0];
const layer = (min: number, max: number, window: [number, number]): StyleInput =>
  ({ stats: { min, max } as LayerMeta['stats'], slope: 1, inter: 0, display: { window, colormap: 'gray' } as LayerMeta['display'] });

describe('parseTransferJson', () => {
  it('reads points and colour points, sorted, with the colormap', () => {
    const r = parseTransferJson(JSON.stringify({ points: [[100, 1], [0, 0]], colors: [[100, 1, 1, 1], [0, 0.5, 0, 0]], colormap: 'hot' }));
    expect(r).toEqual({ points: [[0, 0], [100, 1]], colors: [[0, 0.5, 0, 0], [100, 1, 1, 1]], colormap: 'hot' });
  });

  it('without colours the colormap colours it', () => {
    expect(parseTransferJson('{"points": [[10, 0], [150, 0.7]]}')).toEqual({ points: [[10, 0], [150, 0.7]], colormap: 'gray', colors: undefined });
    expect(parseTransferJson('{"points": [[10, 0], [150, 0.7]], "colors": null}')).toMatchObject({ colors: undefined });
  });

  it('refuses hostile input with a message, never a throw', () => {
    const bad: [string, RegExp][] = [
      ['{"points": [[0, 0], [1, 1]], "colors": [[0, 1, 1]]}', /\[value, r, g, b\]/],
      ['{"points": [[0, 0], [1, 1]], "colors": [[0, 1, 1, "1"]]}', /\[value, r, g, b\]/],
      ['{"points": [[0, 0], [1, 1]], "colors": [[0, 1, 1, 1e999]]}', /finite/],
      ['{"points": [[0, 0], [1, 1]], "colors": [[0, 2, 0, 0]]}', /0…1/],
      ['{"points": [[0, 0], [1, 1]], "colors": [[0, -0.1, 0, 0]]}', /0…1/],
      ['{"points": [[0, 0], [1, 1]], "colors": {"0": [0, 1, 1, 1]}}', /list/],
      ['{"points": [[0, 0], [1, 1]], "colors": "red"}', /list/],
      ['{"points": [[0, 0], [1, 1]], "colors": []}', /empty/],
      ['{"points": [[0, 0], [1, 1]], "colors": [null]}', /\[value, r, g, b\]/],
      ['{"points": [[0, 0], [1, 1]], "colormap": "rainbow"}', /unknown colormap/],
      ['{"points": [[0, 0.5]]}', /at least two points/],
      ['{"points": [[0, 0], [1, "1"]]}', /every point must be \[value, opacity\]/],
      ['{"points": [[0, 0], [1, 1e999]]}', /every point must be \[value, opacity\]/],
      ['{"points": "x"}', /expected/],
      ['[1, 2]', /expected/],
      ['null', /expected/],
      ['{"points": [[0, 0], [1, 1]', /not JSON/],
      ['{"__proto__": {"points": [[0, 0], [1, 1]]}}', /expected/],
    ];
    for (const [text, message] of bad) {
      const r = parseTransferJson(text);
      expect(typeof r, text).toBe('string');
      expect(r, text).toMatch(message);
    }
  });
});

describe('the default style', () => {
  it('CT opens with CT-AAA (points and colours), shading left off', () => {
    const s = defaultVolumeStyle(layer(-1024, 2000, [-160, 240]));
    const aaa = presetNamed('CT-AAA')!;
    expect(s.points).toEqual(aaa.points);
    expect(s.colors).toEqual(aaa.colors);
    expect(s.shading?.on ?? false).toBe(false);
  });

  it('other layers ramp over their window, in their colormap, without colour points', () => {
    const s = defaultVolumeStyle(layer(0, 500, [0, 100]));
    expect(s.points).toEqual([[0, 0], [25, 0.02], [100, 0.35], [150, 0.8]]);
    expect(s.colors).toBeUndefined();
    expect(s.colormap).toBe('gray');
    // The isosurface at the window's middle.
    expect(s.iso).toBe(50);
    expect(defaultVolumeStyle(layer(0, 500, [20, 100])).iso).toBe(60);
  });

  it('keeps the layer\'s colormap, except a label map\'s (gray), and CT renders in CT-AAA\'s own colours over gray', () => {
    const hot = defaultVolumeStyle({ ...layer(0, 500, [0, 100]), display: { window: [0, 100], colormap: 'hot' } as LayerMeta['display'] });
    expect(hot.colormap).toBe('hot');
    const labels = defaultVolumeStyle({ ...layer(0, 500, [0, 100]), display: { window: [0, 100], colormap: 'label' } as LayerMeta['display'] });
    expect(labels.colormap).toBe('gray');
    const ct = defaultVolumeStyle({ ...layer(-1024, 2000, [-160, 240]), display: { window: [-160, 240], colormap: 'hot' } as LayerMeta['display'] });
    expect(ct.colormap).toBe('gray');
    expect(ct.iso).toBe(300);
  });

  it('is the same object while what it is made from stays the same, and a new one as soon as any of it changes', () => {
    // The 3D pane reads it every frame and keeps its transfer table and leap distances while the points are the same array.
    const mr = layer(0, 500, [0, 100]);
    const first = defaultVolumeStyle(mr);
    expect(defaultVolumeStyle({ ...mr, display: { ...mr.display, window: [0, 100] } })).toBe(first);
    const changes: StyleInput[] = [
      { ...mr, display: { ...mr.display, window: [0, 120] } },
      { ...mr, display: { ...mr.display, window: [10, 100] } },
      { ...mr, display: { ...mr.display, colormap: 'hot' } },
      { ...mr, slope: 2 },
      { ...mr, inter: -1024 },
      { ...mr, stats: { ...mr.stats, min: -1024 } },
      { ...mr, stats: { ...mr.stats, max: 501 } },
    ];
    for (const changed of changes) {
      const style = defaultVolumeStyle(changed);
      expect(style, JSON.stringify(changed)).not.toBe(first);
      expect(style, JSON.stringify(changed)).toEqual(defaultVolumeStyle({ ...changed, stats: { ...changed.stats } }));
      // Back to the first inputs, on the same stats object: the right style again.
      expect(defaultVolumeStyle(mr).points).toEqual(first.points);
    }
    // Each stats object keeps its own.
    const other = layer(0, 500, [0, 300]);
    const otherStyle = defaultVolumeStyle(other);
    expect(defaultVolumeStyle(mr).points).toEqual(first.points);
    expect(defaultVolumeStyle(other)).toBe(otherStyle);
  });
});

describe('a layer\'s style', () => {
  it('is the one the user set, else the default', () => {
    const mr = { ...layer(0, 500, [0, 100]), id: 'a' };
    const own = { points: [[0, 0], [10, 1]] as [number, number][], colormap: 'hot' as const, iso: 5 };
    expect(volumeStyleOf({ a: own }, mr)).toBe(own);
    expect(volumeStyleOf({ b: own }, mr)).toBe(defaultVolumeStyle(mr));
  });

  it('takes a preset\'s points, colours and shading as copies, keeping its colormap and iso', () => {
    const preset = presetNamed('CT-Bone')!;
    const style = withPreset({ points: [[0, 0], [1, 1]], colormap: 'hot', iso: 7 }, preset);
    expect(style).toEqual({
      points: preset.points,
      colors: preset.colors,
      colormap: 'hot',
      iso: 7,
      shading: { on: preset.shading, ambient: preset.ambient, diffuse: preset.diffuse, specular: preset.specular, specularPower: preset.specularPower },
    });
    expect(style.points).not.toBe(preset.points);
    expect(style.points[0]).not.toBe(preset.points[0]);
    expect(style.colors).not.toBe(preset.colors);
    expect(style.colors![0]).not.toBe(preset.colors[0]);
  });
});
