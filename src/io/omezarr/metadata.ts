// OME-Zarr (NGFF) image metadata: the multiscales of an image group, as NGFF 0.4 writes them in
// .zattrs (Zarr v2) and 0.5 under "ome" in zarr.json (Zarr v3). Each level (dataset) has a path
// and coordinate transformations (a scale, optionally a translation, then the multiscale's own),
// composed here into one scale and translation per axis; axes have names, types and units.
import { axisCodes, type Mat4 } from '../../volume/affine';
import type { DataType } from '../../volume/dataTypes';
import type { VolumeHeader } from '../../volume/header';
import { fail, ok, type Result } from '../errors';

/** A URL that names a Zarr group: …/image.zarr, …/image.ome.zarr (with or without a trailing slash). */
export const isOmeZarrUrl = (s: string): boolean => /\.zarr\/?([?#].*)?$/i.test(s);

export type AxisType = 'space' | 'time' | 'channel' | 'other';

export interface OmeAxis {
  name: string;
  type: AxisType;
  unit?: string;
}

export interface OmeLevel {
  path: string;
  /** Per axis (in `axes` order): physical size of one voxel, and the physical position of voxel 0. */
  scale: number[];
  translation: number[];
}

export interface OmeChannel {
  label?: string;
  /** Hex RRGGBB. */
  color?: string;
  window?: { start: number; end: number };
}

export interface OmeImage {
  version: string;
  name?: string;
  axes: OmeAxis[];
  /** Finest first, as the multiscale lists them. */
  levels: OmeLevel[];
  /** Indices into `axes` of x, y, z (z absent for a 2D image), time and channel, when present. */
  x: number;
  y: number;
  z?: number;
  t?: number;
  c?: number;
  channels: OmeChannel[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const numbers = (v: unknown, n: number): number[] | null => (Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (v as number[]) : null);

/** NGFF 0.1–0.3 named axes only by order: t, c, z, y, x (or the 2D tail). */
const legacyAxes = (rank: number): OmeAxis[] =>
  ['t', 'c', 'z', 'y', 'x'].slice(5 - rank).map((name) => ({ name, type: name === 't' ? 'time' : name === 'c' ? 'channel' : 'space' }));

function readAxes(raw: unknown, rank: number): Result<OmeAxis[]> {
  if (raw === undefined) return ok(legacyAxes(rank));
  if (!Array.isArray(raw)) return fail('bad-header', 'OME-Zarr "axes" is not a list.');
  const axes: OmeAxis[] = [];
  for (const a of raw) {
    if (typeof a === 'string') axes.push({ name: a, type: a === 't' ? 'time' : a === 'c' ? 'channel' : 'space' });
    else if (isObject(a) && typeof a.name === 'string') {
      const type = a.type === 'space' || a.type === 'time' || a.type === 'channel' ? a.type : a.type === undefined && /^[xyz]$/.test(a.name) ? 'space' : 'other';
      axes.push({ name: a.name, type, ...(typeof a.unit === 'string' ? { unit: a.unit } : {}) });
    } else return fail('bad-header', `OME-Zarr axis ${JSON.stringify(a)} has no name.`);
  }
  return ok(axes);
}

/** A list of transformations applied in order: scales multiply, translations add (after scaling). */
function compose(list: unknown, rank: number, at: string): Result<{ scale: number[]; translation: number[] }> {
  const scale = Array<number>(rank).fill(1);
  const translation = Array<number>(rank).fill(0);
  if (list === undefined) return ok({ scale, translation });
  if (!Array.isArray(list)) return fail('bad-header', `OME-Zarr ${at}: "coordinateTransformations" is not a list.`);
  for (const t of list) {
    if (!isObject(t)) return fail('bad-header', `OME-Zarr ${at}: a coordinate transformation is not an object.`);
    if (t.type === 'identity') continue;
    if (t.type === 'scale') {
      const s = numbers(t.scale, rank);
      if (!s || s.some((x) => x <= 0)) return fail('bad-header', `OME-Zarr ${at}: the scale ${JSON.stringify(t.scale)} is not ${rank} positive numbers${t.path ? ' (scales stored in a separate array are not read)' : ''}.`);
      s.forEach((x, i) => {
        scale[i] *= x;
        translation[i] *= x;
      });
    } else if (t.type === 'translation') {
      const d = numbers(t.translation, rank);
      if (!d) return fail('bad-header', `OME-Zarr ${at}: the translation ${JSON.stringify(t.translation)} is not ${rank} numbers.`);
      d.forEach((x, i) => (translation[i] += x));
    } else return fail('unsupported-format', `OME-Zarr ${at}: the coordinate transformation "${String(t.type)}" is not supported (only scale and translation).`);
  }
  return ok({ scale, translation });
}

/**
 * The image described by a group's attributes (v2 .zattrs, or v3 zarr.json "attributes"), given
 * the rank of its arrays. Refuses what cannot be placed in space, naming the key.
 */
export function readOmeImage(attrs: unknown, rank: number): Result<OmeImage> {
  if (!isObject(attrs)) return fail('unknown-format', 'The Zarr group has no attributes: not an OME-Zarr image.');
  const ome = isObject(attrs.ome) ? attrs.ome : attrs;
  const multiscales = ome.multiscales;
  if (!Array.isArray(multiscales) || !isObject(multiscales[0])) {
    return fail('unknown-format', `The Zarr group has no "multiscales"${isObject(attrs.ome) || 'plate' in ome || 'bioformats2raw.layout' in ome ? ' (a plate or a collection: open one of its images)' : ''}: not an OME-Zarr image.`);
  }
  const ms = multiscales[0];
  const version = String(ome.version ?? ms.version ?? '0.4');
  const axes = readAxes(ms.axes, rank);
  if (axes.kind === 'error') return axes;
  if (axes.value.length !== rank) return fail('bad-header', `OME-Zarr lists ${axes.value.length} axes for arrays of rank ${rank}.`);
  const find = (name: string) => {
    const i = axes.value.findIndex((a) => a.name.toLowerCase() === name);
    return i >= 0 ? i : undefined;
  };
  const x = find('x');
  const y = find('y');
  if (x === undefined || y === undefined) return fail('bad-header', `OME-Zarr axes ${axes.value.map((a) => a.name).join(', ')} have no x and y.`);
  const outer = compose(ms.coordinateTransformations, rank, 'multiscale');
  if (outer.kind === 'error') return outer;
  if (!Array.isArray(ms.datasets) || ms.datasets.length === 0) return fail('bad-header', 'OME-Zarr "datasets" lists no level.');
  const levels: OmeLevel[] = [];
  for (const [n, d] of ms.datasets.entries()) {
    if (!isObject(d) || typeof d.path !== 'string') return fail('bad-header', `OME-Zarr dataset ${n} has no path.`);
    const own = compose(d.coordinateTransformations, rank, `dataset "${d.path}"`);
    if (own.kind === 'error') return own;
    levels.push({
      path: d.path,
      scale: own.value.scale.map((s, i) => s * outer.value.scale[i]),
      translation: own.value.translation.map((t, i) => t * outer.value.scale[i] + outer.value.translation[i]),
    });
  }
  const omero = isObject(ome.omero) && Array.isArray(ome.omero.channels) ? ome.omero.channels : [];
  const channels = omero.map((c): OmeChannel => {
    if (!isObject(c)) return {};
    const w = isObject(c.window) && typeof c.window.start === 'number' && typeof c.window.end === 'number' && c.window.end > c.window.start ? { start: c.window.start, end: c.window.end } : undefined;
    return { ...(typeof c.label === 'string' ? { label: c.label } : {}), ...(typeof c.color === 'string' && /^[0-9a-f]{6}$/i.test(c.color) ? { color: c.color } : {}), ...(w ? { window: w } : {}) };
  });
  const typed = (type: AxisType) => {
    const i = axes.value.findIndex((a) => a.type === type);
    return i >= 0 ? i : undefined;
  };
  return ok({ version, ...(typeof ms.name === 'string' ? { name: ms.name } : {}), axes: axes.value, levels, x, y, z: find('z'), t: typed('time'), c: typed('channel'), channels });
}

/** A unit name as Voxlens shows it (NGFF uses UDUNITS names). */
export function unitSymbol(unit: string | undefined): string | undefined {
  if (!unit) return undefined;
  return ({ micrometer: 'µm', nanometer: 'nm', millimeter: 'mm', centimeter: 'cm', meter: 'm', angstrom: 'Å', second: 's', millisecond: 'ms' } as Record<string, string>)[unit] ?? unit;
}

/**
 * The header of a grid read from an OME-Zarr array (a level, or a box of one): little-endian
 * stored values, no scaling, x y z drawn as R A S through `affine`; `extra` adds what the image's
 * metadata says (description, display range, units).
 */
export function omeZarrHeader(dims: number[], datatype: DataType, affine: Mat4, extra: Partial<VolumeHeader> = {}): VolumeHeader {
  return {
    format: 'ome-zarr',
    dims,
    datatype,
    datatypeCode: 0,
    littleEndian: true,
    slope: 1,
    inter: 0,
    affine,
    affineSource: 'ome-zarr',
    axcodes: axisCodes(affine),
    voxOffset: 0,
    description: '',
    intentCode: 0,
    ...extra,
  };
}
