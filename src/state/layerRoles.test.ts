import { describe, expect, it } from 'vitest';
import type { DataType } from '../volume/dataTypes';
import { isIntensityLayer, volumeLayers, windowTarget } from './layerRoles';
import type { ColormapName } from './viewerStore';

const layer = (id: string, o: { colormap?: ColormapName; visible?: boolean; render3d?: boolean; datatype?: DataType; dims?: number[] } = {}) => ({
  id,
  dims: o.dims ?? [4, 4, 4],
  datatype: o.datatype ?? ('uint8' as DataType),
  display: { window: [0, 1] as [number, number], colormap: o.colormap ?? 'gray', opacity: 1, visible: o.visible ?? true, frame: 0, interpolation: 'nearest' as const, outline: false, render3d: o.render3d },
});

describe('volumeLayers', () => {
  it('casts the first visible intensity layer by default, not a label map below it, with every other volume as an overlay', () => {
    const stack = [layer('atlas', { colormap: 'label' }), layer('t1'), layer('pet', { colormap: 'hot' })];
    const { base, overlays } = volumeLayers(stack);
    expect(base?.id).toBe('t1');
    expect(overlays.map((l) => l.id)).toEqual(['atlas', 'pet']);
  });
  it('draws a segmentation above another overlay, and none hidden', () => {
    const stack = [layer('ct'), layer('pet', { colormap: 'hot' }), layer('seg', { colormap: 'label' }), layer('off', { colormap: 'label', visible: false })];
    expect(volumeLayers(stack).overlays.map((l) => l.id)).toEqual(['pet', 'seg']);
  });
  it('casts the chosen layer wherever it sits, and keeps the choice through a reorder', () => {
    const a = layer('a'), b = layer('b', { render3d: true }), c = layer('c');
    expect(volumeLayers([a, b, c]).base?.id).toBe('b');
    expect(volumeLayers([b, c, a]).base?.id).toBe('b');
    expect(volumeLayers([c, a, b]).base?.id).toBe('b');
    expect(volumeLayers([c, a, b]).overlays.map((l) => l.id)).toEqual(['c', 'a']);
  });
  it('skips hidden layers, 2D images and colour volumes as overlays; falls back to a label map alone', () => {
    expect(volumeLayers([layer('a', { render3d: true, visible: false }), layer('b')]).base?.id).toBe('b');
    expect(volumeLayers([layer('flat', { dims: [4, 4] }), layer('b')]).base?.id).toBe('b');
    expect(volumeLayers([layer('l', { colormap: 'label' })]).base?.id).toBe('l');
    expect(volumeLayers([layer('a'), layer('rgb', { datatype: 'rgb24' })]).overlays).toEqual([]);
    expect(volumeLayers([layer('rgb', { datatype: 'rgb24' }), layer('a')]).base?.id).toBe('a');
    expect(volumeLayers([])).toEqual({ base: undefined, overlays: [] });
  });
});

describe('windowTarget', () => {
  it('is the topmost visible intensity layer: never a label map or a hidden layer on top', () => {
    const stack = [layer('t1'), layer('pet', { colormap: 'hot' }), layer('atlas', { colormap: 'label' }), layer('hidden', { visible: false })];
    expect(windowTarget(stack, null)?.id).toBe('pet');
    expect(windowTarget([layer('t1'), layer('atlas', { colormap: 'label' })], null)?.id).toBe('t1');
  });
  it('is the selected layer when that is a visible intensity layer', () => {
    const stack = [layer('t1'), layer('pet', { colormap: 'hot' }), layer('atlas', { colormap: 'label' })];
    expect(windowTarget(stack, 't1')?.id).toBe('t1');
    expect(windowTarget(stack, 'atlas')?.id).toBe('pet');
    expect(windowTarget([layer('t1', { visible: false }), layer('ct')], 't1')?.id).toBe('ct');
  });
  it('is nothing on a stack of label maps', () => {
    expect(windowTarget([layer('a', { colormap: 'label' })], 'a')).toBeUndefined();
  });
  it('knows intensity layers', () => {
    expect(isIntensityLayer(layer('a'))).toBe(true);
    expect(isIntensityLayer(layer('a', { colormap: 'label' }))).toBe(false);
    expect(isIntensityLayer(layer('a', { datatype: 'rgb24' }))).toBe(false);
  });
});
