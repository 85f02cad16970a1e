// Pins, measurements and volumes per label, for the behaviours a mutation run of measurements.ts
// found untested (issue 27): label names on pins, colour pins, the pick of one layer among several,
// edits and removals among several measurements, angles off the origin, exports row by row, and
// label volumes over z-slabs (a frame starting inside a slab), on the main thread and through the
// analysis worker's entry.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VoxelBuffer } from '../memory/voxelBuffer';
import type { DataType } from '../volume/dataTypes';
import type { VolumeHeader } from '../volume/header';
import { countLabels } from '../volume/labelStats';
import { voxelView } from '../volume/dataTypes';
import { memoryFullResolution } from './displayLevel';
import { addRecord, getRecord, removeRecord } from './layerRegistry';
import {
  addMeasurement, addPin, angleDegrees, editMeasurement, exportMeasurements, exportPins, labelVolumes, layerProfile, layerTimeCourse, listMeasurements, listPins, measurementInfo, planePoints, removeMeasurement, roiOf,
} from './measurements';
import { analysisClient } from './runtime';
import { useViewerStore, type LayerMeta, type Measurement } from './viewerStore';

const ID = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const CTOR = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, float32: Float32Array, rgb24: Uint8Array } as const;
type Small = keyof typeof CTOR;

/** A layer in the registry and the store: `values` (i fastest; channels interleaved) on a 1 mm grid, or `affine`. */
function addLayer(id: string, dims: number[], values: ArrayLike<number>, o: { datatype?: Small; affine?: number[]; colormap?: string; visible?: boolean } = {}) {
  const datatype = o.datatype ?? 'float32';
  const affine = o.affine ?? ID;
  const Ctor = CTOR[datatype];
  const storage = new ArrayBuffer(values.length * Ctor.BYTES_PER_ELEMENT);
  new Ctor(storage).set(Array.from(values));
  const buffer = new VoxelBuffer(storage, () => {});
  const header = { dims, datatype, slope: 1, inter: 0, affine, format: 'nifti' } as unknown as VolumeHeader;
  addRecord({ id, name: `layer ${id}`, header, buffer, pin: buffer.pin('decode', id) });
  const meta = { id, name: `layer ${id}`, dims, datatype, slope: 1, inter: 0, affine, display: { visible: o.visible ?? true, frame: 0, colormap: o.colormap ?? 'gray' } } as unknown as LayerMeta;
  useViewerStore.setState((s) => ({ layers: [...s.layers, meta] }));
}

function setFrame(id: string, frame: number) {
  useViewerStore.setState((s) => ({ layers: s.layers.map((l) => (l.id === id ? { ...l, display: { ...l.display, frame } } : l)) }));
}

const stored = (id: string) => useViewerStore.getState().measurements.find((m) => m.id === id)!;

afterEach(() => {
  vi.restoreAllMocks();
  for (const l of useViewerStore.getState().layers) removeRecord(l.id);
  useViewerStore.setState({ layers: [], measurements: [], pins: [], selectedLine: null });
});

describe('pins over several layers', () => {
  it('each layer read on its own grid; a 3-D layer has three indices; a layer whose voxels are gone reads as closed', () => {
    addLayer('a', [2, 1, 1], [10, 11]);
    addLayer('b', [2, 1, 1], [20, 21], { affine: [1, 0, 0, -1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] });
    addPin([1, 0, 0]);
    const [pin] = listPins();
    expect(pin.layers.map((l) => [l.layerId, l.ijk, l.raw])).toEqual([['a', [1, 0, 0], 11], ['b', [2, 0, 0], NaN]]);
    expect(pin.layers[1].inside).toBe(false);
    // b's voxels released while the store still lists it (a close under way): closed, not a throw.
    removeRecord('b');
    expect(listPins()[0].layers[1]).toEqual({ layerId: 'b', name: 'layer b', closed: true, inside: false, ijk: [], raw: NaN, scaled: NaN });
  });

  it('a label map names the value under the pin; images, unnamed values and points outside have no name', () => {
    addLayer('seg', [3, 1, 1], [0, 2, 7], { datatype: 'uint8', colormap: 'label' });
    addLayer('img', [3, 1, 1], [2, 2, 2], { datatype: 'uint8' });
    getRecord('seg')!.labels = { names: new Map([[2, 'liver'], [0, 'background']]), colors: new Map() };
    getRecord('img')!.labels = { names: new Map([[2, 'liver']]), colors: new Map() };
    addPin([1, 0, 0], 'in');
    addPin([2, 0, 0], 'unnamed');
    addPin([5, 0, 0], 'out');
    addPin([0, 0, 0], 'zero');
    const [inside, unnamed, out, zero] = listPins();
    expect(inside.layers[0]).toEqual({ layerId: 'seg', name: 'layer seg', closed: false, inside: true, ijk: [1, 0, 0], raw: 2, scaled: 2, labelName: 'liver' });
    expect(inside.layers[1]).not.toHaveProperty('labelName');
    expect(unnamed.layers[0]).not.toHaveProperty('labelName');
    expect(out.layers[0]).not.toHaveProperty('labelName');
    expect(zero.layers[0].labelName).toBe('background');
    const csv = exportPins('csv').trim().split('\n');
    expect(csv[0]).toBe('pin,label,x_mm,y_mm,z_mm,layer,i,j,k,t,raw,scaled,status,label_name');
    expect(csv[1]).toBe(`${inside.id},in,1,0,0,layer seg,1,0,0,,2,2,ok,liver`);
    expect(csv[2]).toBe(`${inside.id},in,1,0,0,layer img,1,0,0,,2,2,ok,`);
    // Outside: indices kept, values empty (NaN), no name.
    expect(csv[5]).toBe(`${out.id},out,5,0,0,layer seg,5,0,0,,,,outside,`);
    expect(JSON.parse(exportPins('json'))[0].layers[0].labelName).toBe('liver');
    // A label map without a lookup: values, no names.
    addLayer('bare', [3, 1, 1], [0, 2, 7], { datatype: 'uint8', colormap: 'label' });
    addPin([1, 0, 0], 'bare');
    const bare = listPins()[4].layers.find((l) => l.layerId === 'bare')!;
    expect(bare).toMatchObject({ raw: 2, inside: true });
    expect(bare).not.toHaveProperty('labelName');
  });

  it('a colour layer: the channels of the voxel, space-separated in the CSV', () => {
    addLayer('rgb', [2, 1, 1], [1, 2, 3, 40, 50, 60], { datatype: 'rgb24' });
    getRecord('rgb')!.header.datatype = 'rgb24';
    const id = addPin([1, 0, 0], 'c');
    expect(listPins()[0].layers[0]).toMatchObject({ raw: [40, 50, 60], inside: true });
    expect(exportPins('csv').trim().split('\n')[1]).toBe(`${id},c,1,0,0,layer rgb,1,0,0,,40 50 60,40 50 60,ok`);
    expect(JSON.parse(exportPins('json'))[0].layers[0].raw).toEqual([40, 50, 60]);
  });
});

describe('layer reads pick the named layer', () => {
  it('profile and time course of the second layer; four indices are cut to three; a layer whose voxels are gone is unknown', () => {
    addLayer('a', [2, 1, 1], [1, 2]);
    addLayer('b', [2, 1, 1, 2], [5, 6, 7, 8]);
    setFrame('b', 1);
    expect(layerProfile('b', [0, 0, 0], [1, 0, 0], 2).raw).toEqual([7, 8]);
    expect(layerTimeCourse('b', { ijk: [1, 0, 0, 1] })).toEqual({ raw: [6, 8], scaled: [6, 8], ijk: [1, 0, 0] });
    removeRecord('b');
    expect(() => layerProfile('b', [0, 0, 0], [1, 0, 0], 2)).toThrow('No layer with id "b".');
  });
});

describe('measurement geometry', () => {
  it('roiOf names a rectangle a rectangle; planePoints gives a line its points and a box its four corners', () => {
    const line = { kind: 'line', plane: 'axial', points: [[1, 2, 3], [4, 5, 6]] } as Pick<Measurement, 'kind' | 'plane' | 'points'>;
    expect(planePoints(line)).toEqual([[1, 2, 3], [4, 5, 6]]);
    const angle = { ...line, kind: 'angle', points: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] } as Pick<Measurement, 'kind' | 'plane' | 'points'>;
    expect(planePoints(angle)).toHaveLength(3);
    const box = { kind: 'rectangle', plane: 'axial', points: [[0, 0, 5], [4, 2, 5]] } as Pick<Measurement, 'kind' | 'plane' | 'points'>;
    expect(roiOf(box).shape).toBe('rectangle');
    expect(planePoints(box)).toEqual([[0, 0, 5], [0, 2, 5], [4, 0, 5], [4, 2, 5]]);
    // An ellipse on a turned plane: corners along its own axes.
    const axes = { u: [0, 1, 0], v: [0, 0, 1], normal: [1, 0, 0] } as Measurement['axes'];
    const turned = { kind: 'ellipse', plane: 'axial', points: [[9, 0, 0], [9, 2, 4]], axes } as Pick<Measurement, 'kind' | 'plane' | 'points' | 'axes'>;
    expect(planePoints(turned)).toEqual([[9, 0, 0], [9, 0, 4], [9, 2, 0], [9, 2, 4]]);
  });

  it('lengths and angles away from the origin, in 3-D, with arms of different lengths', () => {
    addLayer('a', [2, 1, 1], [1, 2]);
    addMeasurement('line', 'axial', [[1, 2, 3], [4, 6, 3]]);
    addMeasurement('line', 'axial', [[1, 1, 1], [3, 2, 3]]);
    // Arms (2, 1, 2) and (0, 3, 4) from the vertex (1, 1, 1): |u| = 3, |w| = 5, u·w = 11.
    addMeasurement('angle', 'axial', [[3, 2, 3], [1, 1, 1], [1, 4, 5]]);
    const [flat, tilted, angle] = listMeasurements();
    expect(flat.lengthMm).toBe(5);
    expect(tilted.lengthMm).toBe(3);
    expect(angle.angleDeg).toBeCloseTo((Math.acos(11 / 15) * 180) / Math.PI, 9);
    expect(angleDegrees([0, 0, 2], [0, 0, 1], [0, 0, 7])).toBe(0);
  });
});

describe('measurements among several', () => {
  it('only visible layers are measured; edits and removals touch their own measurement; the selection goes only with its line', () => {
    addLayer('a', [4, 4, 1], Array.from({ length: 16 }, (_, n) => n % 4));
    addLayer('hidden', [4, 4, 1], new Array(16).fill(9), { visible: false });
    const first = addMeasurement('line', 'axial', [[0, 0, 0], [1, 0, 0]]);
    const second = addMeasurement('line', 'axial', [[0, 0, 0], [0, 2, 0]]);
    const box = addMeasurement('rectangle', 'axial', [[0, 0, 0], [1, 3, 0]]);
    expect(stored(box).layers).toEqual([{ id: 'a', name: 'layer a' }]);
    expect(measurementInfo(stored(box)).stats!.map((s) => s.layerId)).toEqual(['a']);
    expect(useViewerStore.getState().selectedLine).toBe(second);
    expect(editMeasurement(first, { name: 'edited' })).toBe(true);
    expect(editMeasurement(second, { points: [[0, 0, 0], [0, 3, 0]] })).toBe(true);
    expect(listMeasurements().map((m) => [m.id, m.name, m.lengthMm])).toEqual([[first, 'edited', 1], [second, undefined, 3], [box, undefined, undefined]]);
    expect(removeMeasurement('nope')).toBe(false);
    expect(removeMeasurement(first)).toBe(true);
    expect(listMeasurements().map((m) => m.id)).toEqual([second, box]);
    expect(useViewerStore.getState().selectedLine).toBe(second);
    expect(removeMeasurement(second)).toBe(true);
    expect(useViewerStore.getState().selectedLine).toBeNull();
  });

  it('ROI statistics per layer at each layer’s own frame', () => {
    addLayer('a', [2, 1, 1, 2], [1, 1, 5, 5]);
    addLayer('b', [2, 1, 1, 2], [10, 10, 50, 50]);
    setFrame('a', 1);
    const id = addMeasurement('rectangle', 'axial', [[-0.5, 0, 0], [1.5, 0, 0]]);
    expect(measurementInfo(stored(id)).stats!.map((s) => s.stats!.mean)).toEqual([5, 10]);
    // The second layer's frame changes: its numbers follow, the first layer's stay.
    setFrame('b', 1);
    expect(measurementInfo(stored(id)).stats!.map((s) => s.stats!.mean)).toEqual([5, 50]);
  });

  it('CSV rows: a measurement without a name, an open ROI row ends with an empty status, a trailing newline', () => {
    addLayer('a', [2, 1, 1], [2, 4]);
    const line = addMeasurement('line', 'axial', [[0, 0, 0], [1, 0, 0]]);
    const box = addMeasurement('rectangle', 'axial', [[-0.5, 0, 0], [1.5, 0, 0]]);
    const csv = exportMeasurements('csv');
    expect(csv.endsWith('\n')).toBe(true);
    const rows = csv.trim().split('\n');
    expect(rows[1]).toBe(`${line},,line,axial,0 0 0; 1 0 0,1,,,,,,,,,`);
    expect(rows[2]).toBe(`${box},,rectangle,axial,-0.5 0 0; 1.5 0 0,,,layer a,2,2,3,${Math.SQRT2},2,4,`);
  });
});

describe('volumes per label of the named layer', () => {
  it('the second of two layers, at its own frame; a layer whose voxels are gone is unknown', async () => {
    addLayer('a', [2, 1, 1], [1, 1], { datatype: 'uint8' });
    addLayer('b', [2, 1, 1, 2], [4, 4, 6, 7], { datatype: 'uint8' });
    setFrame('b', 1);
    expect(await labelVolumes('b')).toEqual([{ label: 6, voxels: 1, volumeMm3: 1 }, { label: 7, voxels: 1, volumeMm3: 1 }]);
    removeRecord('b');
    await expect(labelVolumes('b')).rejects.toThrow('No layer with id "b".');
  });
});

describe('volumes per label over z-slabs', () => {
  // 2 × 2 × 3 voxels, 2 frames, int16, in slabs of two slices (8 voxels): frame 1 starts halfway
  // through slab 1. Each frame meets its labels out of order across the slabs.
  const dims = [2, 2, 3, 2];
  const voxels = [5, 5, 5, 5, 9, 9, 1, 1, /* slab 1 */ 1, 1, 1, 7, /* frame 1 */ 3, 3, 3, 3, /* slab 2 */ -4, 2, 2, 2, 2, 2, 8, 8];
  function slabLayer(shared: boolean) {
    const slabs = [0, 1, 2].map((s) => {
      const storage = shared ? new SharedArrayBuffer(16) : new ArrayBuffer(16);
      new Int16Array(storage).set(voxels.slice(s * 8, s * 8 + 8));
      return new VoxelBuffer(storage, () => {});
    });
    // Voxel axes mixed so that every term of the determinant counts: |det| = 4 mm³ per voxel.
    const affine = [2, 1, 1, 0, 1, 2, 1, 0, 1, 1, 2, 0, 0, 0, 0, 1];
    const header = { dims, datatype: 'int16' as DataType, slope: 1, inter: 0, affine, format: 'nifti' } as unknown as VolumeHeader;
    const record = addRecord({ id: 's', name: 'slabbed', header, buffer: slabs[0], slabs, pin: slabs[0].pin('decode', 's') });
    record.fullRes = memoryFullResolution(header, slabs, []);
    const meta = { id: 's', name: 'slabbed', dims, datatype: 'int16', slope: 1, inter: 0, affine, display: { visible: true, frame: 0, colormap: 'label' } } as unknown as LayerMeta;
    useViewerStore.setState((s) => ({ layers: [...s.layers, meta] }));
    return slabs;
  }
  const expected0 = [{ label: 1, voxels: 5, volumeMm3: 20 }, { label: 5, voxels: 4, volumeMm3: 16 }, { label: 7, voxels: 1, volumeMm3: 4 }, { label: 9, voxels: 2, volumeMm3: 8 }];
  const expected1 = [{ label: -4, voxels: 1, volumeMm3: 4 }, { label: 2, voxels: 5, volumeMm3: 20 }, { label: 3, voxels: 4, volumeMm3: 16 }, { label: 8, voxels: 2, volumeMm3: 8 }];

  it('on the main thread: each frame over the slabs that hold it, sorted by label', async () => {
    slabLayer(false);
    expect(await labelVolumes('s')).toEqual(expected0);
    setFrame('s', 1);
    expect(await labelVolumes('s')).toEqual(expected1);
  });

  it('through the analysis worker (shared memory): each slab’s part of the frame, pinned while counted', async () => {
    const slabs = slabLayer(true);
    const seen: string[][] = [];
    const spy = vi.spyOn(analysisClient, 'labelCounts').mockImplementation(async (memory, datatype, start, length) => {
      seen.push(slabs.flatMap((b) => b.pinList().filter((p) => p.owner === 'analysis').map((p) => p.label)));
      return countLabels(voxelView(datatype, memory, 8), start, length);
    });
    expect(await labelVolumes('s')).toEqual(expected0);
    expect(spy.mock.calls.map((c) => [c[2], c[3]])).toEqual([[0, 8], [0, 4]]);
    setFrame('s', 1);
    expect(await labelVolumes('s')).toEqual(expected1);
    expect(spy.mock.calls.slice(2).map((c) => [c[2], c[3]])).toEqual([[4, 4], [0, 8]]);
    expect(seen[0]).toEqual(new Array(3).fill('label volumes of slabbed'));
    expect(slabs.every((b) => b.pinList().every((p) => p.owner !== 'analysis'))).toBe(true);
  });
});
