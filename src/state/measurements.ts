// Pinned probes and measurements over open layers, read live from their pinned buffers: a pin
// keeps its world point and the layers it was pinned on, and each read probes them again, so a
// value is never stale and a closed layer says so instead of showing its last numbers.
import { profileAlong, roiStats, timeCourse, type Profile, type RoiSpec, type RoiStats, type TimeCourse } from '../volume/measure';
import { probeWorld } from '../volume/sampling';
import { worldToVoxel } from '../volume/affine';
import { getRecord, sampleSource } from './layerRegistry';
import { useViewerStore, type PinnedProbe, type Vec3 } from './viewerStore';

export interface PinLayerValue {
  layerId: string;
  name: string;
  /** The layer was closed after the pin was made: no values. */
  closed: boolean;
  inside: boolean;
  ijk: number[];
  raw: number | number[];
  scaled: number | number[];
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
      const p = probeWorld(sampleSource(record), pin.world, layer.display.frame);
      const ijk = layer.dims.length > 3 ? [...p.ijk, layer.display.frame] : p.ijk;
      return { layerId: id, name: layer.name, closed: false, inside: p.inside, ijk, raw: p.raw, scaled: p.scaled };
    }),
  };
}

export const listPins = (): PinInfo[] => useViewerStore.getState().pins.map(pinInfo);

const csvCell = (v: string | number) => {
  const text = typeof v === 'number' ? (Number.isNaN(v) ? '' : String(v)) : v;
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};
const channels = (v: number | number[]) => (Array.isArray(v) ? v.join(' ') : v);

/** Every pin, one row per (pin, layer) in CSV; or the list as JSON. */
export function exportPins(format: 'csv' | 'json'): string {
  const pins = listPins();
  if (format === 'json') return JSON.stringify(pins.map((p) => ({ ...p, layers: p.layers.map((l) => (l.closed ? { layerId: l.layerId, name: l.name, status: 'layer closed' } : { ...l, raw: nanToNull(l.raw), scaled: nanToNull(l.scaled) })) })), null, 2);
  const rows = [['pin', 'label', 'x_mm', 'y_mm', 'z_mm', 'layer', 'i', 'j', 'k', 't', 'raw', 'scaled', 'status']];
  for (const p of pins)
    for (const l of p.layers) {
      const status = l.closed ? 'layer closed' : l.inside ? 'ok' : 'outside';
      const [i = '', j = '', k = '', t = ''] = l.closed ? [] : l.ijk.map(String);
      rows.push([p.id, p.label, ...p.world.map(String), l.name, i, j, k, t, l.closed ? '' : String(channels(l.raw)), l.closed ? '' : String(channels(l.scaled)), status]);
    }
  return rows.map((r) => r.map((c) => csvCell(c === 'NaN' ? '' : c)).join(',')).join('\n') + '\n';
}

const nanToNull = (v: number | number[]) => (Array.isArray(v) ? v : Number.isNaN(v) ? null : v);

function layerSource(id: string) {
  const layer = useViewerStore.getState().layers.find((l) => l.id === id);
  const record = layer && getRecord(id);
  if (!layer || !record) throw new Error(`No layer with id "${id}".`);
  return { layer, src: sampleSource(record) };
}

/** The line from → to (world mm) on layer `id`, at its displayed frame. */
export function layerProfile(id: string, from: Vec3, to: Vec3, samples: number): Profile {
  const { layer, src } = layerSource(id);
  return profileAlong(src, from, to, samples, layer.display.frame);
}

/** Layer `id`'s voxel (`ijk`, or the nearest to `world`) across its frames. */
export function layerTimeCourse(id: string, at: { ijk: number[] } | { world: Vec3 }): TimeCourse & { ijk: number[] } {
  const { src } = layerSource(id);
  const ijk = 'ijk' in at ? at.ijk.slice(0, 3) : worldToVoxel(src.inverseAffine, at.world).map(Math.round);
  return { ...timeCourse(src, ijk), ijk };
}

export function layerRoi(id: string, spec: RoiSpec): RoiStats {
  const { layer, src } = layerSource(id);
  return roiStats(src, spec, layer.display.frame);
}
