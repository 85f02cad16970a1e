// NRRD axes and geometry: which file axes are x, y, z, which one (at most) holds components or
// frames, and the voxel → RAS affine. Split from nrrd.ts, which reads the fields and the bytes.
import type { Mat4 } from '../../volume/affine';
import { fail, ok, type Result } from '../errors';

/** Header fields by lower-case name (aliases such as "centerings" already folded to "centers"). */
export type NrrdFields = ReadonlyMap<string, string>;

export interface NrrdLayout {
  /** File axes that become voxel axes i, j, k, in order (1 to 3 of them). */
  spatial: number[];
  /** The one non-spatial axis of size > 1: the fastest (components) or the slowest (frames). */
  extra?: { axis: number; size: number; kind: string; place: 'components' | 'frames' };
  affine: Mat4;
  affineSource: 'space directions' | 'spacings';
  spaceUnit?: string;
  timeUnit?: string;
  notices: string[];
}

interface Space {
  /** Sign that takes each file coordinate to RAS. */
  toRas: [number, number, number];
  dim: number;
  /** The *-time spaces: a 4th coordinate, time. */
  time: boolean;
}

const space3 = (toRas: [number, number, number]): Space => ({ toRas, dim: 3, time: false });
const RAS = space3([1, 1, 1]);
const LAS = space3([-1, 1, 1]);
const LPS = space3([-1, -1, 1]);
const withTime = (s: Space): Space => ({ ...s, dim: 4, time: true });

// scanner-xyz is DICOM's patient-based frame, which is LPS. The 3D-*-handed spaces have no
// anatomy: right-handed coordinates are shown as they are (as RAS), and left-handed ones with x
// negated, like LAS, so an image is never shown mirrored.
const SPACES: Record<string, Space> = {
  'right-anterior-superior': RAS,
  ras: RAS,
  'left-anterior-superior': LAS,
  las: LAS,
  'left-posterior-superior': LPS,
  lps: LPS,
  'scanner-xyz': LPS,
  '3d-right-handed': RAS,
  '3d-left-handed': LAS,
  'right-anterior-superior-time': withTime(RAS),
  rast: withTime(RAS),
  'left-anterior-superior-time': withTime(LAS),
  last: withTime(LAS),
  'left-posterior-superior-time': withTime(LPS),
  lpst: withTime(LPS),
  'scanner-xyz-time': withTime(LPS),
  '3d-right-handed-time': withTime(RAS),
  '3d-left-handed-time': withTime(LAS),
};
const NO_ANATOMY = new Set(['3d-right-handed', '3d-left-handed', '3d-right-handed-time', '3d-left-handed-time']);

/** Kinds that may be x, y or z when the file gives no space directions ("???" and "none": unknown). */
const SPATIAL_KINDS = new Set(['domain', 'space', '???', 'none']);

/** Whitespace-separated words, "quoted strings" kept whole (unquoted). */
export const words = (value: string): string[] => (value.match(/"[^"]*"|\S+/g) ?? []).map((w) => w.replace(/^"(.*)"$/, '$1'));

/** A number as NRRD writes it (teem prints "nan", "inf", "-inf"); NaN for anything else. */
export function nrrdNumber(text: string): number {
  const t = text.trim().toLowerCase();
  if (/^[-+]?inf(inity)?$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(t) ? Number(t) : NaN;
}

function vector(token: string, length: number, field: string): Result<number[]> {
  const m = /^\(([^()]*)\)$/.exec(token);
  const v = m ? m[1].split(',').map(nrrdNumber) : [];
  if (v.length !== length) return fail('bad-header', `${field}: "${token}" is not a vector of ${length} numbers in parentheses.`);
  if (v.some((x) => !Number.isFinite(x))) return fail('bad-header', `${field}: "${token}" holds a number that is not finite (NaN or infinity).`);
  return ok(v);
}

// `+ 0` turns −0 (a zero negated into RAS) into 0, so affines print and compare cleanly.
const ras = (v: readonly number[], s: Space): number[] => [0, 1, 2].map((i) => (v[i] ?? 0) * s.toRas[i] + 0);
const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = (v: number[]) => Math.hypot(v[0], v[1], v[2]);

/**
 * Fills the columns of axes the file does not have (a 2D image, or a single line) with unit
 * vectors at right angles to the ones it has, so the affine stays invertible.
 */
function completed(cols: number[][]): number[][] {
  const out = cols.slice();
  if (out.length === 1) {
    const a = out[0];
    const least = [0, 1, 2].reduce((best, w) => (Math.abs(a[w]) < Math.abs(a[best]) ? w : best), 0);
    const e = [0, 0, 0];
    e[least] = 1;
    const c = cross(a, e);
    out.push(c.map((x) => x / (norm(c) || 1)));
  }
  if (out.length === 2) {
    const c = cross(out[0], out[1]);
    out.push(c.map((x) => x / (norm(c) || 1)));
  }
  return out;
}

const perAxis = (fields: NrrdFields, name: string, dimension: number): Result<string[] | undefined> => {
  const value = fields.get(name);
  if (value === undefined) return ok(undefined);
  const w = words(value);
  if (w.length !== dimension) return fail('bad-header', `${name}: ${w.length} entries for ${dimension} axes ("${value}").`);
  return ok(w);
};

function unitName(unit: string): string | undefined {
  const u = unit.trim().toLowerCase();
  const known: Record<string, string> = {
    mm: 'mm', millimeter: 'mm', millimeters: 'mm', millimetre: 'mm', millimetres: 'mm',
    um: 'µm', µm: 'µm', micron: 'µm', microns: 'µm', micrometer: 'µm', micrometers: 'µm',
    m: 'm', meter: 'm', meters: 'm', metre: 'm', metres: 'm', cm: 'cm',
    s: 's', sec: 's', second: 's', seconds: 's', ms: 'ms', msec: 'ms', us: 'µs', µs: 'µs', usec: 'µs',
  };
  return known[u] ?? (u === '' || u === '???' ? undefined : unit.trim());
}

/** Which axes are spatial and where the file puts them in RAS. `sizes` are already validated. */
export function nrrdLayout(fields: NrrdFields, sizes: readonly number[]): Result<NrrdLayout> {
  const dimension = sizes.length;
  const kindsR = perAxis(fields, 'kinds', dimension);
  if (kindsR.kind === 'error') return kindsR;
  const kinds = kindsR.value?.map((k) => k.toLowerCase());
  const notices: string[] = [];

  const spaceName = fields.get('space')?.trim().toLowerCase();
  let space: Space | undefined;
  if (spaceName !== undefined) {
    space = SPACES[spaceName];
    if (!space) return fail('bad-header', `space "${spaceName}" is not a NRRD space name (such as left-posterior-superior or right-anterior-superior).`);
  }
  const sdText = fields.get('space dimension');
  if (sdText !== undefined) {
    const sd = Number(sdText.trim());
    if (!Number.isInteger(sd) || sd < 1) return fail('bad-header', `space dimension is "${sdText.trim()}"; it must be a positive whole number.`);
    if (space && sd !== space.dim) return fail('bad-header', `space dimension is ${sd} but space ${spaceName} has ${space.dim} coordinates.`);
    if (!space) {
      if (sd > 3) return fail('unsupported-format', `space dimension is ${sd} with no named space; Voxlens shows at most 3 spatial coordinates.`);
      // An unnamed space has no anatomy. Its coordinates are shown as they are, as RAS (NiiVue does
      // the same); ITK and Slicer would call them LPS, which mirrors x and y against this.
      space = { toRas: [1, 1, 1], dim: sd, time: false };
    }
  }
  if (space && (spaceName === undefined || NO_ANATOMY.has(spaceName))) {
    const flipped = space.toRas[0] < 0 ? ' with x negated (to make it right-handed)' : '';
    notices.push(`The file's space (${spaceName ?? `unnamed, ${space.dim}D`}) has no anatomical directions; its coordinates are shown as RAS${flipped}.`);
  }

  let directions: (number[] | null)[] | undefined;
  const dirText = fields.get('space directions');
  if (dirText !== undefined) {
    if (!space) return fail('bad-header', 'space directions are given without a space or space dimension field.');
    const tokens = dirText.match(/\([^)]*\)|[^\s()]+/g) ?? [];
    if (tokens.length !== dimension) return fail('bad-header', `space directions: ${tokens.length} entries for ${dimension} axes.`);
    directions = [];
    for (const t of tokens) {
      if (t.toLowerCase() === 'none') directions.push(null);
      else {
        const v = vector(t, space.dim, 'space directions');
        if (v.kind === 'error') return v;
        directions.push(v.value);
      }
    }
  }
  let origin: number[] = [0, 0, 0];
  const originText = fields.get('space origin');
  if (originText !== undefined) {
    if (!space) return fail('bad-header', 'space origin is given without a space or space dimension field.');
    const v = vector(originText.trim(), space.dim, 'space origin');
    if (v.kind === 'error') return v;
    origin = ras(v.value, space);
  }

  // With directions, an axis is spatial when it has one (in a *-time space: a spatial part).
  // Without, the first three axes whose kind allows it.
  const spatial: number[] = [];
  for (let a = 0; a < dimension; a++) {
    if (directions) {
      const d = directions[a];
      if (!d) continue;
      if (d.slice(0, 3).some((x) => x !== 0)) spatial.push(a);
      else if (!space?.time || d[3] === 0) return fail('bad-header', `space directions: axis ${a} has the zero vector, so its voxels have no place in space.`);
    } else if (spatial.length < 3 && (!kinds || SPATIAL_KINDS.has(kinds[a]))) spatial.push(a);
  }
  const describe = (a: number) => `axis ${a} (${kinds?.[a] ?? 'no kind'}, size ${sizes[a]})`;
  if (spatial.length === 0) return fail('unsupported-format', `None of the ${dimension} axes is spatial (no space direction, and no domain or space kind); Voxlens shows images in space.`);
  if (spatial.length > 3) return fail('unsupported-format', `${spatial.length} axes have space directions (${spatial.join(', ')}); Voxlens shows at most 3 spatial axes.`);

  const big = sizes.map((_, a) => a).filter((a) => sizes[a] > 1);
  const others = big.filter((a) => !spatial.includes(a));
  let extra: NrrdLayout['extra'];
  if (others.length > 1) {
    return fail('unsupported-format', `More than one non-spatial axis: ${others.map(describe).join(', ')}; Voxlens shows one, as components or frames.`);
  }
  if (others.length === 1) {
    const a = others[0];
    const where = a === big[0] ? 'components' : a === big[big.length - 1] ? 'frames' : undefined;
    if (!where) return fail('unsupported-format', `The non-spatial ${describe(a)} lies between spatial axes; Voxlens reads it only as the first (components) or last (frames) axis.`);
    extra = { axis: a, size: sizes[a], kind: kinds?.[a] ?? 'none', place: where };
  }

  let cols: number[][];
  let affineSource: NrrdLayout['affineSource'];
  if (directions && space) {
    const s = space;
    cols = spatial.map((a) => ras(directions[a] ?? [], s));
    affineSource = 'space directions';
  } else {
    const spacingsR = perAxis(fields, 'spacings', dimension);
    if (spacingsR.kind === 'error') return spacingsR;
    const minsR = perAxis(fields, 'axis mins', dimension);
    if (minsR.kind === 'error') return minsR;
    const centersR = perAxis(fields, 'centers', dimension);
    if (centersR.kind === 'error') return centersR;
    const spacing: number[] = [];
    for (const a of spatial) {
      const text = spacingsR.value?.[a] ?? 'nan';
      const v = nrrdNumber(text);
      if (Number.isNaN(v)) spacing.push(1);
      else if (!Number.isFinite(v) || v === 0) return fail('bad-header', `spacings: "${text}" on axis ${a} is not a finite, non-zero number.`);
      else spacing.push(v);
    }
    cols = spatial.map((_, i) => [0, 1, 2].map((r) => (r === i ? spacing[i] : 0)));
    if (originText === undefined && minsR.value) {
      // A cell-centred axis's min is the edge of its first cell; the affine places sample centres.
      origin = spatial.map((a, i) => {
        const min = nrrdNumber(minsR.value?.[a] ?? 'nan');
        const half = centersR.value?.[a].toLowerCase() === 'cell' ? spacing[i] / 2 : 0;
        return Number.isFinite(min) ? min + half : 0;
      });
      while (origin.length < 3) origin.push(0);
    }
    affineSource = 'spacings';
  }
  const full = completed(cols);
  const [c0, c1, c2] = full;
  const det = c0[0] * (c1[1] * c2[2] - c1[2] * c2[1]) - c1[0] * (c0[1] * c2[2] - c0[2] * c2[1]) + c2[0] * (c0[1] * c1[2] - c0[2] * c1[1]);
  const scale = norm(c0) * norm(c1) * norm(c2);
  if (!(scale > 0) || Math.abs(det) < 1e-6 * scale) {
    return fail('bad-header', `${affineSource}: the directions of axes ${spatial.join(', ')} are degenerate (zero or parallel), so voxel positions cannot be placed in space.`);
  }
  const affine: Mat4 = [];
  for (let r = 0; r < 3; r++) affine.push(full[0][r] + 0, full[1][r] + 0, full[2][r] + 0, origin[r] + 0);
  affine.push(0, 0, 0, 1);

  const units = perAxis(fields, 'units', dimension);
  if (units.kind === 'error') return units;
  const spaceUnits = fields.get('space units');
  const spaceNames = spaceUnits !== undefined ? words(spaceUnits).slice(0, 3).map(unitName) : spatial.map((a) => (units.value ? unitName(units.value[a]) : undefined));
  const spaceUnit = spaceNames.length > 0 && spaceNames.every((u) => u !== undefined && u === spaceNames[0]) ? spaceNames[0] : undefined;
  // A *-time space gives the time unit as its 4th space unit; otherwise the frame axis's own unit.
  const timeText = space?.time && spaceUnits !== undefined ? words(spaceUnits)[3] : extra?.place === 'frames' ? units.value?.[extra.axis] : undefined;
  const timeUnit = timeText === undefined ? undefined : unitName(timeText);
  return ok({
    spatial,
    extra,
    affine,
    affineSource,
    ...(spaceUnit ? { spaceUnit } : {}),
    ...(timeUnit && ['s', 'ms', 'µs'].includes(timeUnit) ? { timeUnit } : {}),
    notices,
  });
}
