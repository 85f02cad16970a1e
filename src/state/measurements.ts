// Pinned probes and measurements over open layers, read live from their pinned buffers: a pin
// keeps its world point and the layers it was pinned on, and each read probes them again, so a
// value is never stale and a closed layer says so instead of showing its last numbers. Lines,
// angles and ROIs drawn on the slice panes likewise keep only geometry; their numbers are
// computed when asked for, and they last while a layer they were drawn on is open.
import { isSharedMemory } from '../memory/voxelBuffer';
import { PLANE_AXES, profileAlong, roiStats, timeCourse, type Profile, type RoiSpec, type RoiStats, type TimeCourse } from '../volume/measure';
import { probeWorld } from '../volume/sampling';
import { worldToVoxel } from '../volume/affine';
import { DATA_TYPES } from '../volume/dataTypes';
import { voxelsPerFrame } from '../volume/header';
import { countLabels } from '../volume/labelStats';
import { exactSource, getRecord } from './layerRegistry';
import { analysisClient } from './runtime';
import { useViewerStore, type MeasureKind, type Measurement, type PinnedProbe, type PlaneAxes, type Vec3 } from './viewerStore';

export interface PinLayerValue {
  layerId: string;
  name: string;
  /** The layer was closed after the pin was made: no values. */
  closed: boolean;
  inside: boolean;
  ijk: number[];
  raw: number | number[];
  scaled: number | number[];
  /** A label map's name for the value there, from its lookup (the file's own names or one opened for it). */
  labelName?: string;
}

export interface PinInfo {
  id: string;
  label: string;
  world: Vec3;
  layers: PinLayerValue[];
}

let nextPin = 1;

/** Pins `world` on every visible layer; returns the pin's id. */
export function addPin(world: Vec3, label?: string): string {
  const s = useViewerStore.getState();
  // Stryker disable next-line UpdateOperator: ids need only be unique, and counting down from 1 gives unique ids too
  const id = `pin${nextPin++}`;
  const layers = s.layers.filter((l) => l.display.visible).map((l) => ({ id: l.id, name: l.name }));
  s.setPins([...s.pins, { id, label: label ?? `P${s.pins.length + 1}`, world: [world[0], world[1], world[2]], layers }]);
  return id;
}

export function removePin(id: string): boolean {
  const s = useViewerStore.getState();
  if (!s.pins.some((p) => p.id === id)) return false;
  s.setPins(s.pins.filter((p) => p.id !== id));
  return true;
}

export function renamePin(id: string, label: string): boolean {
  const s = useViewerStore.getState();
  if (!s.pins.some((p) => p.id === id)) return false;
  s.setPins(s.pins.map((p) => (p.id === id ? { ...p, label } : p)));
  return true;
}

export const clearPins = () => useViewerStore.getState().setPins([]);

/** A pin's values now: each of its layers probed at its world point (frame as displayed). */
export function pinInfo(pin: PinnedProbe): PinInfo {
  const open = useViewerStore.getState().layers;
  return {
    id: pin.id,
    label: pin.label,
    world: [...pin.world],
    layers: pin.layers.map(({ id, name }) => {
      const layer = open.find((l) => l.id === id);
      const record = layer && getRecord(id);
      if (!layer || !record) return { layerId: id, name, closed: true, inside: false, ijk: [], raw: NaN, scaled: NaN };
      const p = probeWorld(exactSource(record), pin.world, layer.display.frame);
      const ijk = layer.dims.length > 3 ? [...p.ijk, layer.display.frame] : p.ijk;
      const labelName = layer.display.colormap === 'label' && p.inside && typeof p.raw === 'number' ? record.labels?.names.get(p.raw) : undefined;
      return { layerId: id, name: layer.name, closed: false, inside: p.inside, ijk, raw: p.raw, scaled: p.scaled, ...(labelName !== undefined ? { labelName } : {}) };
    }),
  };
}

export const listPins = (): PinInfo[] => useViewerStore.getState().pins.map(pinInfo);

/** Both exports format their numbers first, so a cell is always text. */
const csvCell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const channels = (v: number | number[]) => (Array.isArray(v) ? v.join(' ') : v);

/**
 * Every pin, one row per (pin, layer) in CSV; or the list as JSON. The CSV has a last column
 * `label_name` (a label map's name for the value) only when some row has a name, so exports of
 * images keep their columns.
 */
export function exportPins(format: 'csv' | 'json'): string {
  const pins = listPins();
  if (format === 'json') return JSON.stringify(pins.map((p) => ({ ...p, layers: p.layers.map((l) => (l.closed ? { layerId: l.layerId, name: l.name, status: 'layer closed' } : { ...l, raw: nanToNull(l.raw), scaled: nanToNull(l.scaled) })) })), null, 2);
  const named = pins.some((p) => p.layers.some((l) => l.labelName !== undefined));
  const rows = [['pin', 'label', 'x_mm', 'y_mm', 'z_mm', 'layer', 'i', 'j', 'k', 't', 'raw', 'scaled', 'status', ...(named ? ['label_name'] : [])]];
  for (const p of pins)
    for (const l of p.layers) {
      const status = l.closed ? 'layer closed' : l.inside ? 'ok' : 'outside';
      const [i = '', j = '', k = '', t = ''] = l.closed ? [] : l.ijk.map(String);
      rows.push([p.id, p.label, ...p.world.map(String), l.name, i, j, k, t, l.closed ? '' : String(channels(l.raw)), l.closed ? '' : String(channels(l.scaled)), status, ...(named ? [l.labelName ?? ''] : [])]);
    }
  return rows.map((r) => r.map((c) => csvCell(c === 'NaN' ? '' : c)).join(',')).join('\n') + '\n';
}

const nanToNull = (v: number | number[]) => (Array.isArray(v) ? v : Number.isNaN(v) ? null : v);

function layerSource(id: string) {
  const layer = useViewerStore.getState().layers.find((l) => l.id === id);
  const record = layer && getRecord(id);
  if (!layer || !record) throw new Error(`No layer with id "${id}".`);
  return { layer, src: exactSource(record) };
}

/** The line from → to (world mm) on layer `id`, at its displayed frame. */
export function layerProfile(id: string, from: Vec3, to: Vec3, samples: number): Profile {
  const { layer, src } = layerSource(id);
  return profileAlong(src, from, to, samples, layer.display.frame);
}

/** Layer `id`'s voxel (`ijk`, or the nearest to `world`) across its frames. */
export function layerTimeCourse(id: string, at: { ijk: number[] } | { world: Vec3 }): TimeCourse & { ijk: number[] } {
  const { src } = layerSource(id);
  const ijk = 'ijk' in at ? at.ijk.slice(0, 3) : worldToVoxel(src.inverseAffine, at.world).map((v) => Math.round(v) + 0);
  return { ...timeCourse(src, ijk), ijk };
}

export function layerRoi(id: string, spec: RoiSpec): RoiStats {
  const { layer, src } = layerSource(id);
  return roiStats(src, spec, layer.display.frame);
}

// ---- measurements drawn on the slice panes ----

let nextMeasurement = 1;

const unit = (a: 0 | 1 | 2): Vec3 => [a === 0 ? 1 : 0, a === 1 ? 1 : 0, a === 2 ? 1 : 0];

/** The plane a measurement was drawn on: its own axes on a turned plane, else its pane's patient axes. */
export function measurementAxes(m: Pick<Measurement, 'plane' | 'axes'>): PlaneAxes {
  if (m.axes) return m.axes;
  const { u, v, normal } = PLANE_AXES[m.plane];
  return { u: unit(u), v: unit(v), normal: unit(normal) };
}

const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * The ROI a box measurement describes: centre and full size along its plane's two in-plane axes
 * (the patient axes, or the turned plane's axes it was drawn on, which the statistics then use).
 */
export function roiOf(m: Pick<Measurement, 'kind' | 'plane' | 'points' | 'axes'>): RoiSpec {
  const { u, v } = measurementAxes(m);
  const [a, b] = m.points;
  const center: Vec3 = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2];
  const d = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  return {
    shape: m.kind === 'rectangle' ? 'rectangle' : 'ellipse',
    plane: m.plane,
    center,
    size: [Math.abs(dot(d, u)), Math.abs(dot(d, v))],
    ...(m.axes ? { axes: { u: [...m.axes.u], v: [...m.axes.v], normal: [...m.axes.normal] } } : {}),
  };
}

/**
 * The world points that must lie in a pane's plane for a measurement to show there: a line's or
 * an angle's points, an ROI's four box corners on its own plane (a box drawn on another plane
 * tilts out of this one at its corners).
 */
export function planePoints(m: Pick<Measurement, 'kind' | 'plane' | 'points' | 'axes'>): Vec3[] {
  if (m.kind === 'line' || m.kind === 'angle') return m.points;
  const { center, size } = roiOf(m);
  const { u, v } = measurementAxes(m);
  const out: Vec3[] = [];
  for (const su of [-0.5, 0.5]) for (const sv of [-0.5, 0.5]) out.push([0, 1, 2].map((r) => center[r] + su * size[0] * u[r] + sv * size[1] * v[r]) as Vec3);
  return out;
}

export interface MeasurementInfo {
  id: string;
  kind: MeasureKind;
  plane: Measurement['plane'];
  points: Vec3[];
  name?: string;
  color?: string;
  /** Drawn on a turned plane: its in-plane axes and normal (world RAS). */
  axes?: PlaneAxes;
  /** Line: length (mm). */
  lengthMm?: number;
  /** Angle: degrees at the vertex (the second point). */
  angleDeg?: number;
  /** ROI: statistics per layer, in scaled units; a closed layer says so. */
  stats?: { layerId: string; name: string; closed: boolean; stats?: RoiStats }[];
}

const openLayer = (id: string) => useViewerStore.getState().layers.some((l) => l.id === id);

/** Measurements whose layers are all closed go; the rest stay while a layer they were drawn on is open. */
export function liveMeasurements(): Measurement[] {
  return useViewerStore.getState().measurements.filter((m) => m.layers.some((l) => openLayer(l.id)));
}

/** A measurement drawn on `plane`'s pane; `axes` when that pane's plane is turned (oblique MPR). */
export function addMeasurement(kind: MeasureKind, plane: Measurement['plane'], points: Vec3[], axes?: PlaneAxes): string {
  const s = useViewerStore.getState();
  // Stryker disable next-line UpdateOperator: ids need only be unique, and counting down from 1 gives unique ids too
  const id = `m${nextMeasurement++}`;
  const layers = s.layers.filter((l) => l.display.visible).map((l) => ({ id: l.id, name: l.name }));
  const copy = (p: readonly number[]): Vec3 => [p[0], p[1], p[2]];
  const own = axes ? { axes: { u: copy(axes.u), v: copy(axes.v), normal: copy(axes.normal) } } : {};
  s.setMeasurements([...liveMeasurements(), { id, kind, plane, points: points.map(copy), layers, ...own }]);
  if (kind === 'line') s.setSelectedLine(id);
  return id;
}

/**
 * Changes a measurement's points (a handle dragged), name or colour. The measurement is replaced,
 * never changed in place, so its ROI statistics are computed again. False when there is no such
 * measurement; throws on points of the wrong count or not finite.
 */
export function editMeasurement(id: string, patch: { points?: Vec3[]; name?: string; color?: string }): boolean {
  const s = useViewerStore.getState();
  const m = s.measurements.find((x) => x.id === id);
  if (!m) return false;
  if (patch.points && (patch.points.length !== m.points.length || !patch.points.every((p) => p.length === 3 && p.every(Number.isFinite)))) {
    throw new Error(`A ${m.kind} has ${m.points.length} finite [x, y, z] points.`);
  }
  const next: Measurement = {
    ...m,
    ...(patch.points ? { points: patch.points.map((p) => [p[0], p[1], p[2]] as Vec3) } : {}),
    ...(patch.name !== undefined ? { name: patch.name.slice(0, 200) } : {}),
    ...(patch.color !== undefined ? { color: patch.color } : {}),
  };
  s.setMeasurements(s.measurements.map((x) => (x.id === id ? next : x)));
  return true;
}

export function removeMeasurement(id: string): boolean {
  const s = useViewerStore.getState();
  if (!s.measurements.some((m) => m.id === id)) return false;
  s.setMeasurements(s.measurements.filter((m) => m.id !== id));
  if (s.selectedLine === id) s.setSelectedLine(null);
  return true;
}

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

export function angleDegrees(a: readonly number[], vertex: readonly number[], b: readonly number[]): number {
  const u = [0, 1, 2].map((k) => a[k] - vertex[k]);
  const w = [0, 1, 2].map((k) => b[k] - vertex[k]);
  const nu = Math.hypot(...u), nw = Math.hypot(...w);
  // A zero arm gives 0 / 0 = NaN, which Math.min, Math.max and acos keep: the angle is NaN.
  const cos = (u[0] * w[0] + u[1] * w[1] + u[2] * w[2]) / (nu * nw);
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

export function measurementInfo(m: Measurement): MeasurementInfo {
  const base = {
    id: m.id,
    kind: m.kind,
    plane: m.plane,
    points: m.points.map((p) => [...p] as Vec3),
    ...(m.axes ? { axes: { u: [...m.axes.u] as Vec3, v: [...m.axes.v] as Vec3, normal: [...m.axes.normal] as Vec3 } } : {}),
    ...(m.name ? { name: m.name } : {}),
    ...(m.color ? { color: m.color } : {}),
  };
  if (m.kind === 'line') return { ...base, lengthMm: dist(m.points[0], m.points[1]) };
  if (m.kind === 'angle') return { ...base, angleDeg: angleDegrees(m.points[0], m.points[1], m.points[2]) };
  return {
    ...base,
    stats: m.layers.map(({ id, name }) => (openLayer(id) ? { layerId: id, name, closed: false, stats: cachedRoi(m, id) } : { layerId: id, name, closed: true })),
  };
}

/**
 * ROI statistics depend on the shape and the layer's voxels at its frame only: kept per
 * measurement (replaced, never changed, when edited) and recomputed when the frame changes, not on
 * every panel render (a window drag re-renders it at each pointer move).
 */
const roiCache = new WeakMap<Measurement, Map<string, RoiStats>>();
function cachedRoi(m: Measurement, layerId: string): RoiStats {
  // Stryker disable next-line OptionalChaining: measurementInfo asks only for open layers, so the layer is always found
  const frame = useViewerStore.getState().layers.find((l) => l.id === layerId)?.display.frame ?? 0;
  const key = `${layerId}:${frame}`;
  let perLayer = roiCache.get(m);
  if (!perLayer) roiCache.set(m, (perLayer = new Map()));
  let stats = perLayer.get(key);
  if (!stats) perLayer.set(key, (stats = layerRoi(layerId, roiOf(m))));
  return stats;
}

export const listMeasurements = (): MeasurementInfo[] => liveMeasurements().map(measurementInfo);

/** Every measurement with its numbers: JSON, or CSV with one row per (measurement, layer) for ROIs. */
export function exportMeasurements(format: 'json' | 'csv' = 'json'): string {
  const list = listMeasurements();
  // JSON.stringify writes NaN and ±Infinity as null.
  if (format === 'json') return JSON.stringify(list, null, 2);
  const rows = [['id', 'name', 'kind', 'plane', 'points_mm', 'length_mm', 'angle_deg', 'layer', 'n', 'area_mm2', 'mean', 'sd', 'min', 'max', 'status']];
  const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));
  for (const m of list) {
    const head = [m.id, m.name ?? '', m.kind, m.plane, m.points.map((p) => p.join(' ')).join('; '), num(m.lengthMm), num(m.angleDeg)];
    if (!m.stats) rows.push([...head, '', '', '', '', '', '', '', '']);
    else
      for (const s of m.stats) {
        const r = s.stats;
        // Stryker disable next-line LogicalOperator: a layer's stats are present exactly when it is open, so r and !s.closed agree
        rows.push([...head, s.name, ...(r && !s.closed ? [r.count, r.areaMm2, r.mean, r.sd, r.min, r.max].map(num) : ['', '', '', '', '', '']), s.closed ? 'layer closed' : '']);
      }
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}


// ---- volume per label ----

export interface LabelVolume {
  label: number;
  name?: string;
  voxels: number;
  volumeMm3: number;
}

/**
 * Voxels and mm³ per label value over layer `id`'s displayed frame: counted in the analysis worker
 * over the shared buffer, pinned meanwhile (on the main thread where memory is not shared).
 */
export async function labelVolumes(id: string): Promise<LabelVolume[]> {
  const layer = useViewerStore.getState().layers.find((l) => l.id === id);
  const record = layer && getRecord(id);
  if (!layer || !record) throw new Error(`No layer with id "${id}".`);
  if (DATA_TYPES[record.header.datatype].channels !== 1) throw new Error(`${record.name} has ${DATA_TYPES[record.header.datatype].channels} channels: volumes per label need a single-channel label map.`);
  // A layer drawn from a display level is counted over its full grid.
  const src = exactSource(record);
  // A grid in z-slabs is counted slab by slab over the part of the frame each holds.
  const buffers = record.fullRes?.slabs ?? [record.fullRes?.buffer ?? record.buffer];
  const n = voxelsPerFrame(src.dims);
  const start = layer.display.frame * n;
  const slabVoxels = buffers[0].byteLength / DATA_TYPES[record.header.datatype].bytesPerVoxel;
  const pins = buffers.map((b) => b.pin('analysis', `label volumes of ${record.name}`));
  const total = new Map<number, number>();
  try {
    for (const [s, buffer] of buffers.entries()) {
      const from = Math.max(start, s * slabVoxels);
      const to = Math.min(start + n, s * slabVoxels + buffer.byteLength / DATA_TYPES[record.header.datatype].bytesPerVoxel);
      // Stryker disable next-line EqualityOperator: an empty range (to = from) counts nothing either way
      if (to <= from) continue;
      const memory = buffer.memory;
      const values = src.slabs?.arrays[s] ?? src.values;
      const part = isSharedMemory(memory) ? await analysisClient.labelCounts(memory, record.header.datatype, from - s * slabVoxels, to - from) : countLabels(values, from - s * slabVoxels, to - from);
      for (const [label, count] of part) total.set(label, (total.get(label) ?? 0) + count);
    }
  } finally {
    pins.forEach((p) => p.release());
  }
  const counts = [...total].sort((a, b) => a[0] - b[0]);
  const a = src.affine;
  const voxelMm3 = Math.abs(a[0] * (a[5] * a[10] - a[6] * a[9]) - a[1] * (a[4] * a[10] - a[6] * a[8]) + a[2] * (a[4] * a[9] - a[5] * a[8]));
  return counts.map(([label, voxels]) => ({ label, ...(record.labels?.names.get(label) ? { name: record.labels.names.get(label) } : {}), voxels, volumeMm3: voxels * voxelMm3 }));
}
