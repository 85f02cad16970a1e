// ROI statistics and volumes per label through the store and the layer registry (issue 27): the
// cached statistics follow the layer's frame, and one ROI over several layers gives each its own.
import { afterEach, describe, expect, it } from 'vitest';
import { VoxelBuffer } from '../memory/voxelBuffer';
import type { DataType } from '../volume/dataTypes';
import type { VolumeHeader } from '../volume/header';
import { addRecord, getRecord, removeRecord } from './layerRegistry';
import { addMeasurement, addPin, angleDegrees, clearPins, editMeasurement, exportMeasurements, exportPins, labelVolumes, layerProfile, layerRoi, layerTimeCourse, listMeasurements, listPins, liveMeasurements, measurementInfo, removeMeasurement, removePin, renamePin, roiOf } from './measurements';
import { useViewerStore, type LayerMeta, type Measurement } from './viewerStore';

const ID = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

/** A layer in the registry and the store with `values` (i fastest, then j, k, t) on a 1 mm grid, or `affine`. */
function addLayer(id: string, dims: number[], values: ArrayLike<number>, datatype: DataType = 'float32', affine = ID) {
  const Ctor = datatype === 'int8' ? Int8Array : datatype === 'uint8' ? Uint8Array : Float32Array;
  const storage = new ArrayBuffer(values.length * Ctor.BYTES_PER_ELEMENT);
  new Ctor(storage).set(Array.from(values));
  const buffer = new VoxelBuffer(storage, () => {});
  const header = { dims, datatype, slope: 1, inter: 0, affine, format: 'nifti' } as unknown as VolumeHeader;
  addRecord({ id, name: `layer ${id}`, header, buffer, pin: buffer.pin('decode', id) });
  const meta = { id, name: `layer ${id}`, dims, datatype, slope: 1, inter: 0, affine, display: { visible: true, frame: 0, colormap: 'gray' } } as unknown as LayerMeta;
  useViewerStore.setState((s) => ({ layers: [...s.layers, meta] }));
}

function setFrame(id: string, frame: number) {
  useViewerStore.setState((s) => ({ layers: s.layers.map((l) => (l.id === id ? { ...l, display: { ...l.display, frame } } : l)) }));
}

afterEach(() => {
  for (const l of useViewerStore.getState().layers) removeRecord(l.id);
  useViewerStore.setState({ layers: [], measurements: [], pins: [], selectedLine: null });
});

/** Closes a layer as the app does: gone from the registry and the store. */
function closeLayer(id: string) {
  removeRecord(id);
  useViewerStore.setState((s) => ({ layers: s.layers.filter((l) => l.id !== id) }));
}

/** 4 × 4 × 1 voxels, `frames` frames: frame t holds the value 10·t + i everywhere along j. */
const ramp4D = (frames: number) => Array.from({ length: 16 * frames }, (_, n) => 10 * Math.floor(n / 16) + (n % 4));

describe('ROI statistics', () => {
  it('follow the displayed frame (frame > 0), and come back for frame 0', () => {
    addLayer('a', [4, 4, 1, 3], ramp4D(3));
    const id = addMeasurement('rectangle', 'axial', [[0, 0, 0], [1, 3, 0]]);
    const m = () => useViewerStore.getState().measurements.find((x) => x.id === id)!;
    const mean = () => measurementInfo(m()).stats![0].stats!.mean;
    expect(mean()).toBeCloseTo(0.5, 9); // i = 0, 1
    setFrame('a', 2);
    expect(mean()).toBeCloseTo(20.5, 9);
    expect(measurementInfo(m()).stats![0].stats).toMatchObject({ count: 8, min: 20, max: 21 });
    setFrame('a', 1);
    expect(mean()).toBeCloseTo(10.5, 9);
    setFrame('a', 0);
    expect(mean()).toBeCloseTo(0.5, 9);
  });

  it('one ROI over several layers gives each layer its own numbers', () => {
    addLayer('a', [4, 4, 1], ramp4D(1));
    addLayer('b', [4, 4, 1], Array.from({ length: 16 }, (_, n) => 100 + Math.floor(n / 4)));
    const id = addMeasurement('rectangle', 'axial', [[0, 0, 0], [3, 1, 0]]);
    const info = measurementInfo(useViewerStore.getState().measurements.find((x) => x.id === id)!);
    expect(info.stats!.map((s) => s.layerId)).toEqual(['a', 'b']);
    expect(info.stats![0].stats).toMatchObject({ count: 8, mean: 1.5, min: 0, max: 3 });
    expect(info.stats![1].stats).toMatchObject({ count: 8, mean: 100.5, min: 100, max: 101 });
    // Asked again (the cache), each keeps its own.
    const again = measurementInfo(useViewerStore.getState().measurements.find((x) => x.id === id)!);
    expect(again.stats!.map((s) => s.stats!.mean)).toEqual([1.5, 100.5]);
    // Kept, not computed again (a window drag re-renders the panel at each pointer move).
    expect(again.stats![0].stats).toBe(info.stats![0].stats);
    expect(again.stats![1].stats).toBe(info.stats![1].stats);
  });

  it('an edited ROI is measured again; a closed layer says so; the export has a row per layer', () => {
    addLayer('a', [4, 4, 1], ramp4D(1));
    addLayer('b', [4, 4, 1], ramp4D(1));
    const id = addMeasurement('rectangle', 'axial', [[0, 0, 0], [1, 3, 0]]);
    expect(listMeasurements()[0].stats![0].stats!.mean).toBeCloseTo(0.5, 9);
    expect(editMeasurement(id, { points: [[2, 0, 0], [3, 3, 0]], name: 'right half' })).toBe(true);
    expect(listMeasurements()[0].stats![0].stats!.mean).toBeCloseTo(2.5, 9);
    removeRecord('b');
    useViewerStore.setState((s) => ({ layers: s.layers.filter((l) => l.id !== 'b') }));
    const info = listMeasurements()[0];
    expect(info.name).toBe('right half');
    expect(info.stats![1]).toEqual({ layerId: 'b', name: 'layer b', closed: true });
    const csv = exportMeasurements('csv').trim().split('\n');
    expect(csv[0]).toBe('id,name,kind,plane,points_mm,length_mm,angle_deg,layer,n,area_mm2,mean,sd,min,max,status');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toMatch(new RegExp(`^${id},right half,rectangle,axial,2 0 0; 3 3 0,,,layer a,8,`));
    expect(csv[2]).toMatch(/,layer b,,,,,,,layer closed$/);
    expect(removeMeasurement(id)).toBe(true);
    expect(removeMeasurement(id)).toBe(false);
    expect(editMeasurement(id, { name: 'x' })).toBe(false);
  });

  it('roiOf: centre and full size along the plane axes', () => {
    const m = { kind: 'ellipse', plane: 'coronal', points: [[1, 5, 2], [5, 9, -4]] } as Pick<Measurement, 'kind' | 'plane' | 'points'>;
    expect(roiOf(m)).toEqual({ shape: 'ellipse', plane: 'coronal', center: [3, 7, -1], size: [4, 6] });
  });

  it('an ROI drawn on a turned plane: size along its own axes, statistics over the voxels that plane cuts (the test’s own count)', () => {
    // 12³ voxels of 1 mm, value i + 12 j + 144 k (each voxel its own value), centred on the origin.
    const n = 12;
    const affine = [1, 0, 0, -5.5, 0, 1, 0, -5.5, 0, 0, 1, -5.5, 0, 0, 0, 1];
    addLayer('a', [n, n, n], Array.from({ length: n ** 3 }, (_, q) => q), 'float32', affine);
    // The coronal plane turned 30° about S and 20° about the new right: double oblique.
    const t = Math.PI / 6, p = Math.PI / 9;
    const u = [Math.cos(t), -Math.sin(t), 0];
    const a0 = [Math.sin(t), Math.cos(t), 0];
    const v = [-a0[0] * Math.sin(p), -a0[1] * Math.sin(p), Math.cos(p)];
    const nrm = [a0[0] * Math.cos(p), a0[1] * Math.cos(p), Math.sin(p)];
    const at = (du: number, dv: number) => [0, 1, 2].map((r) => 0.3 + du * u[r] + dv * v[r]) as [number, number, number];
    const axes = { u: u as [number, number, number], v: v as [number, number, number], normal: nrm as [number, number, number] };
    const id = addMeasurement('ellipse', 'coronal', [at(-4, -3), at(4, 3)], axes);
    const m = useViewerStore.getState().measurements.find((x) => x.id === id)!;
    const spec = roiOf(m);
    expect(spec.size[0]).toBeCloseTo(8, 9);
    expect(spec.size[1]).toBeCloseTo(6, 9);
    expect(measurementInfo(m).axes).toEqual(axes);
    // A voxel counts where its centre, moved onto the plane along the normal, is inside the ellipse
    // and its nearest voxel there is itself.
    const values: number[] = [];
    for (let q = 0; q < n ** 3; q++) {
      const ijk = [q % n, Math.floor(q / n) % n, Math.floor(q / n / n)];
      const w = ijk.map((x) => x - 5.5);
      const d = w.map((x) => x - 0.3);
      const du = d[0] * u[0] + d[1] * u[1] + d[2] * u[2], dv = d[0] * v[0] + d[1] * v[1] + d[2] * v[2], dn = d[0] * nrm[0] + d[1] * nrm[1] + d[2] * nrm[2];
      if ((du / 4) ** 2 + (dv / 3) ** 2 > 1) continue;
      if (w.every((x, r) => Math.round(x - dn * nrm[r] + 5.5) === ijk[r])) values.push(q);
    }
    const stats = measurementInfo(m).stats![0].stats!;
    expect(values.length).toBeGreaterThan(20);
    expect(stats.count).toBe(values.length);
    expect(stats.mean).toBeCloseTo(values.reduce((x, y) => x + y, 0) / values.length, 6);
    expect([stats.min, stats.max]).toEqual([Math.min(...values), Math.max(...values)]);
    // Drawn with the same points on the patient axes, it measures other voxels.
    const flat = addMeasurement('ellipse', 'coronal', [at(-4, -3), at(4, 3)]);
    expect(measurementInfo(useViewerStore.getState().measurements.find((x) => x.id === flat)!).stats![0].stats!.count).not.toBe(values.length);
  });

  it('lines have a length, angles degrees at the vertex', () => {
    addLayer('a', [4, 4, 1], ramp4D(1));
    addMeasurement('line', 'axial', [[0, 0, 0], [3, 4, 0]]);
    addMeasurement('angle', 'axial', [[1, 0, 0], [0, 0, 0], [0, 2, 0]]);
    const [line, angle] = listMeasurements();
    expect(line.lengthMm).toBe(5);
    expect(angle.angleDeg).toBeCloseTo(90, 9);
    expect(angleDegrees([1, 0, 0], [0, 0, 0], [0, 0, 0])).toBeNaN();
    expect(angleDegrees([1, 0, 0], [0, 0, 0], [-3, 0, 0])).toBeCloseTo(180, 9);
  });
});

describe('volumes per label', () => {
  it('counts int8 labels (negative codes too) over the displayed frame, in mm³', async () => {
    // 2 × 2 × 1, two frames; voxels of 2 × 1 × 3 mm.
    addLayer('lab', [2, 2, 1, 2], [0, -3, -3, 5, 7, 7, 7, -128], 'int8', [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1]);
    expect(await labelVolumes('lab')).toEqual([
      { label: -3, voxels: 2, volumeMm3: 12 },
      { label: 0, voxels: 1, volumeMm3: 6 },
      { label: 5, voxels: 1, volumeMm3: 6 },
    ]);
    setFrame('lab', 1);
    expect(await labelVolumes('lab')).toEqual([
      { label: -128, voxels: 1, volumeMm3: 6 },
      { label: 7, voxels: 3, volumeMm3: 18 },
    ]);
  });

  it('an oblique voxel’s volume, label names from the lookup, the analysis pin released', async () => {
    // Voxel axes (1, 1, 0), (−1, 1, 0), (0, 0, 2): a 2 × 2 mm² × 2 mm = 4 mm³ voxel.
    addLayer('ob', [2, 1, 1], [1, 2], 'uint8', [1, -1, 0, 0, 1, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
    const record = getRecord('ob')!;
    record.labels = { names: new Map([[2, 'liver']]), colors: new Map() };
    expect(await labelVolumes('ob')).toEqual([
      { label: 1, voxels: 1, volumeMm3: 4 },
      { label: 2, name: 'liver', voxels: 1, volumeMm3: 4 },
    ]);
    expect(record.buffer.pinList().map((p) => p.owner)).toEqual(['decode']);
    addLayer('yz', [1, 1, 1], [5], 'uint8', [0, 0, 3, 0, 2, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 1]);
    expect((await labelVolumes('yz'))[0].volumeMm3).toBe(30);
    addLayer('xz', [1, 1, 1], [5], 'uint8', [0, 2, 0, 0, 3, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 1]);
    expect((await labelVolumes('xz'))[0].volumeMm3).toBe(42);
  });

  it('refuses a colour layer', async () => {
    addLayer('rgb', [1, 1, 1], [1, 2, 3], 'uint8');
    getRecord('rgb')!.header.datatype = 'rgb24';
    await expect(labelVolumes('rgb')).rejects.toThrow('layer rgb has 3 channels: volumes per label need a single-channel label map.');
  });

  it('refuses an unknown layer', async () => {
    await expect(labelVolumes('nope')).rejects.toThrow(/No layer with id "nope"/);
  });
});

describe('pins', () => {
  it('pin the visible layers, read them live at the displayed frame, and say when a layer is closed or the point is outside', () => {
    addLayer('a', [4, 4, 1, 3], ramp4D(3));
    addLayer('b', [4, 4, 1], ramp4D(1));
    useViewerStore.setState((s) => ({ layers: s.layers.map((l) => (l.id === 'b' ? { ...l, display: { ...l.display, visible: false } } : l)) }));
    const id = addPin([2, 1, 0]);
    const second = addPin([9, 9, 0], 'far');
    expect(id).not.toBe(second);
    let [p, q] = listPins();
    expect(p.label).toBe('P1');
    expect(q.label).toBe('far');
    expect(p.layers).toHaveLength(1); // b was hidden
    expect(p.layers[0]).toMatchObject({ layerId: 'a', name: 'layer a', closed: false, inside: true, ijk: [2, 1, 0, 0], raw: 2, scaled: 2 });
    setFrame('a', 2);
    [p, q] = listPins();
    expect(p.layers[0]).toMatchObject({ ijk: [2, 1, 0, 2], raw: 22 });
    expect(q.layers[0].inside).toBe(false);
    expect(renamePin(id, 'renamed')).toBe(true);
    expect(renamePin('nope', 'x')).toBe(false);
    expect(listPins()[0].label).toBe('renamed');
    expect(listPins()[0].world).toEqual([2, 1, 0]);
    // CSV: one row per (pin, layer), NaN as empty, status; no label_name column without names.
    const csv = exportPins('csv').trim().split('\n');
    expect(csv[0]).toBe('pin,label,x_mm,y_mm,z_mm,layer,i,j,k,t,raw,scaled,status');
    expect(csv[1]).toBe(`${id},renamed,2,1,0,layer a,2,1,0,2,22,22,ok`);
    expect(csv[2]).toMatch(/,far,9,9,0,layer a,.*,outside$/);
    closeLayer('a');
    expect(listPins()[0].layers[0]).toEqual({ layerId: 'a', name: 'layer a', closed: true, inside: false, ijk: [], raw: NaN, scaled: NaN });
    expect(exportPins('csv').trim().split('\n')[1]).toBe(`${id},renamed,2,1,0,layer a,,,,,,,layer closed`);
    const json = JSON.parse(exportPins('json')) as { layers: unknown[] }[];
    expect(json[0].layers[0]).toEqual({ layerId: 'a', name: 'layer a', status: 'layer closed' });
    expect(removePin(id)).toBe(true);
    expect(removePin(id)).toBe(false);
    expect(listPins()).toHaveLength(1);
    clearPins();
    expect(listPins()).toEqual([]);
  });

  it('JSON keeps numbers, NaN as null; CSV quotes what needs it', () => {
    addLayer('a', [4, 4, 1], ramp4D(1));
    addPin([1, 0, 0], 'say "hi", then\nleave');
    addPin([50, 0, 0], 'out');
    const json = JSON.parse(exportPins('json')) as { layers: { raw: number | null; scaled: number | null; inside: boolean }[] }[];
    expect(json[0].layers[0]).toMatchObject({ raw: 1, scaled: 1, inside: true });
    expect(json[1].layers[0].inside).toBe(false);
    const csv = exportPins('csv');
    expect(csv).toContain('"say ""hi"", then\nleave"');
    expect(csv.endsWith('\n')).toBe(true);
  });
});

describe('layer reads', () => {
  it('profile, time course and ROI at the displayed frame; an unknown layer is an error', () => {
    addLayer('a', [4, 4, 1, 3], ramp4D(3));
    setFrame('a', 1);
    const p = layerProfile('a', [0, 0, 0], [3, 0, 0], 4);
    expect(p.raw).toEqual([10, 11, 12, 13]);
    const t = layerTimeCourse('a', { world: [2.4, 0.6, 0] });
    expect(t).toEqual({ raw: [2, 12, 22], scaled: [2, 12, 22], ijk: [2, 1, 0] });
    expect(layerTimeCourse('a', { ijk: [3, 0, 0, 1] }).raw).toEqual([3, 13, 23]);
    expect(layerTimeCourse('a', { world: [-0.4, 0, 0] }).ijk).toEqual([0, 0, 0]);
    expect(Object.is(layerTimeCourse('a', { world: [-0.4, 0, 0] }).ijk[0], 0)).toBe(true);
    expect(layerRoi('a', { shape: 'rectangle', plane: 'axial', center: [1.5, 1.5, 0], size: [1, 3] }).mean).toBeCloseTo(11.5, 9);
    expect(() => layerProfile('zz', [0, 0, 0], [1, 0, 0], 2)).toThrow('No layer with id "zz".');
  });
});

describe('measurement lifetime', () => {
  it('a new line is selected; measurements whose layers all closed go; removing the selected line clears the selection', () => {
    addLayer('a', [4, 4, 1], ramp4D(1));
    addLayer('b', [4, 4, 1], ramp4D(1));
    const line = addMeasurement('line', 'axial', [[0, 0, 0], [1, 0, 0]]);
    expect(useViewerStore.getState().selectedLine).toBe(line);
    const box = addMeasurement('ellipse', 'axial', [[0, 0, 0], [3, 3, 0]]);
    expect(useViewerStore.getState().selectedLine).toBe(line);
    closeLayer('a');
    expect(liveMeasurements().map((m) => m.id)).toEqual([line, box]);
    closeLayer('b');
    expect(liveMeasurements()).toEqual([]);
    addLayer('c', [4, 4, 1], ramp4D(1));
    const other = addMeasurement('line', 'axial', [[0, 0, 0], [0, 2, 0]]);
    // Adding drops the dead ones.
    expect(useViewerStore.getState().measurements.map((m) => m.id)).toEqual([other]);
    expect(removeMeasurement(other)).toBe(true);
    expect(useViewerStore.getState().selectedLine).toBeNull();
  });

  it('edits check the points; names are cut to 200 characters; colours kept', () => {
    addLayer('a', [4, 4, 1], ramp4D(1));
    const id = addMeasurement('angle', 'axial', [[1, 0, 0], [0, 0, 0], [0, 1, 0]]);
    expect(() => editMeasurement(id, { points: [[0, 0, 0]] })).toThrow('A angle has 3 finite [x, y, z] points.');
    expect(() => editMeasurement(id, { points: [[0, 0, 0], [1, 1, 1], [0, NaN, 0]] })).toThrow(/finite/);
    expect(() => editMeasurement(id, { points: [[0, 0, 0], [1, 1], [0, 0, 0]] as never })).toThrow(/finite/);
    editMeasurement(id, { name: 'x'.repeat(300), color: '#f00' });
    const m = listMeasurements()[0];
    expect(m.name).toHaveLength(200);
    expect(m.color).toBe('#f00');
    editMeasurement(id, { points: [[2, 0, 0], [0, 0, 0], [0, 0, 5]] });
    expect(listMeasurements()[0].angleDeg).toBeCloseTo(90, 9);
    expect(listMeasurements()[0].color).toBe('#f00');
    const json = JSON.parse(exportMeasurements('json')) as { angleDeg: number }[];
    expect(json[0].angleDeg).toBeCloseTo(90, 9);
    editMeasurement(id, { points: [[0, 0, 0], [0, 0, 0], [0, 0, 5]] });
    expect(JSON.parse(exportMeasurements())[0].angleDeg).toBeNull();
    const csv = exportMeasurements('csv').trim().split('\n');
    expect(csv[1]).toBe(`${id},${'x'.repeat(200)},angle,axial,0 0 0; 0 0 0; 0 0 5,,,,,,,,,,`);
  });
});
