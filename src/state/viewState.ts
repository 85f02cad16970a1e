// The whole view as a plain, versioned JSON object (voxlens.state(), session files, share links),
// its validation and its URL-fragment encoding. Pure: no store, no DOM; viewStateApply.ts reads and
// applies it. Input is untrusted (a link anyone can write): validate() walks only the keys it knows,
// to a fixed depth, checks every type, clamps numbers into their ranges, and lists what it could not
// restore instead of throwing. Layers are referred to by their index in `layers` (ids are per page).
import { Inflate, deflateSync, strToU8 } from 'fflate';
import { normalizeColors, normalizePoints, type ColorPoint, type Shading, type TransferPoint } from '../volume/transfer';
import {
  isColormap,
  isInterpolation,
  isLayout,
  isRenderMode,
  MEASURE_TOOLS,
  PANE_KINDS,
  type ColormapName,
  type Convention,
  type Interpolation,
  type Layout,
  type MeasureKind,
  type OrbitCamera,
  type PaneKind,
  type PaneView,
  type Projection,
  type RenderMode,
  type Vec3,
} from './viewerStore';

export const STATE_VERSION = 1;

/**
 * Where a layer came from: a URL (restorable by anyone), a series of a DICOMweb server (restored
 * from it: `server` is the DICOMweb root, a path on this site or an http(s) address), or a local
 * file the link can only name.
 */
export type LayerSourceState = { url: string } | { pacs: PacsSourceState } | { file: string; companions?: string[] };

export interface PacsSourceState {
  server: string;
  study: string;
  series: string;
}

/** A DICOM UID: dot-separated decimal components, at most 64 characters (PS3.5 §9.1). */
export const isDicomUid = (uid: string): boolean => uid.length <= 64 && /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/.test(uid);

export interface LayerDisplayState {
  window: [number, number];
  colormap: ColormapName;
  opacity: number;
  visible: boolean;
  frame: number;
  interpolation: Interpolation;
  outline: boolean;
  render3d?: boolean;
  negative?: { colormap: ColormapName; window: [number, number] } | null;
}

/** The 3D pane's style of a layer: transfer function (composite), colours, shading and iso value. */
export interface LayerVolumeState {
  points: TransferPoint[];
  colormap: ColormapName;
  iso: number;
  colors?: ColorPoint[];
  shading?: Shading;
}

export interface LayerState {
  source: LayerSourceState;
  /** The layer's name when it is not the one its source gives. */
  name?: string;
  display: LayerDisplayState;
  /** The label lookup's file name, when one names its labels. */
  labelLookup?: string;
  /** Absent: the layer's default style (from its window). */
  volume?: LayerVolumeState;
}

export type SlicePane = 'axial' | 'coronal' | 'sagittal';
export const SLICE_PANES: readonly SlicePane[] = ['axial', 'coronal', 'sagittal'];

export interface PinState {
  label: string;
  world: Vec3;
  /** Indexes into `layers`. */
  layers: number[];
}

export interface MeasurementState {
  kind: MeasureKind;
  plane: SlicePane;
  points: Vec3[];
  layers: number[];
  name?: string;
  color?: string;
  /** Drawn on a turned plane (oblique MPR): its in-plane axes u, v and its normal, as rows (world RAS). */
  axes?: number[][];
}

export interface SlabState {
  thickness: number;
  mode: 'max' | 'min' | 'mean';
}

export interface ViewStateV1 {
  v: 1;
  layers: LayerState[];
  layout: Layout;
  /** The large pane of the 1+3 layout. */
  primaryPane: PaneKind;
  crosshair: Vec3 | null;
  paneViews: Record<PaneKind, PaneView>;
  camera: OrbitCamera;
  renderMode: RenderMode;
  projection: Projection;
  clip: { lo: Vec3; hi: Vec3 } | null;
  cut: boolean;
  convention: Convention;
  showCrosshair: boolean;
  showPatient: boolean;
  quality: number;
  /** Index of the layer chosen in the layer panel. */
  selectedLayer: number | null;
  pins: PinState[];
  measurements: MeasurementState[];
  /** Index of the selected measurement (its handles and profile). */
  selectedMeasurement: number | null;
  /** Oblique MPR: the rotation applied to the patient axes (3×3), where the viewer has it. */
  orientation?: number[][];
  /** Slab thickness and projection per slice pane, where the viewer has them. */
  slabs?: Partial<Record<SlicePane, SlabState>>;
}

export type ViewState = ViewStateV1;

/** Limits on what a state may hold: a link is untrusted input. */
export const LIMITS = {
  layers: 32,
  pins: 1000,
  measurements: 1000,
  transferPoints: 256,
  stringChars: 4096,
  nameChars: 256,
  /** Characters of a fragment we read at all (base64url of the deflated JSON). */
  fragmentChars: 256 * 1024,
  /** Bytes of JSON a fragment may inflate to (a deflate bomb stops here). */
  jsonBytes: 1024 * 1024,
  /** Largest magnitude of a value (scaled units); past it a number is not restored. */
  magnitude: 1e30,
  /** Largest magnitude of a world coordinate (mm): a kilometre is far past any scanner's field. */
  coordMm: 1e6,
} as const;

const DEFAULT_PANE_VIEW: PaneView = { zoom: 1, panMm: [0, 0] };

export function emptyState(): ViewStateV1 {
  return {
    v: 1,
    layers: [],
    layout: '2x2',
    primaryPane: 'axial',
    crosshair: null,
    paneViews: { axial: { ...DEFAULT_PANE_VIEW, panMm: [0, 0] }, coronal: { ...DEFAULT_PANE_VIEW, panMm: [0, 0] }, sagittal: { ...DEFAULT_PANE_VIEW, panMm: [0, 0] }, '3d': { ...DEFAULT_PANE_VIEW, panMm: [0, 0] } },
    camera: { azimuth: 30, elevation: 20, zoom: 1 },
    renderMode: 'composite',
    projection: 'max',
    clip: null,
    cut: false,
    convention: 'radiological',
    showCrosshair: true,
    showPatient: true,
    quality: 1,
    selectedLayer: null,
    pins: [],
    measurements: [],
    selectedMeasurement: null,
  };
}

export type ValidateResult = { kind: 'ok'; state: ViewState; notRestored: string[] } | { kind: 'error'; code: 'bad-state' | 'bad-link'; message: string };

// ---- validation ----

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Collects what could not be restored, by path; at most 50 entries are kept (hostile input may have thousands). */
class Report {
  readonly items: string[] = [];
  private dropped = 0;
  add(path: string, why: string): void {
    if (this.items.length < 50) this.items.push(`${path}: ${why}`);
    else this.dropped++;
  }
  list(): string[] {
    return this.dropped ? [...this.items, `and ${this.dropped} more`] : this.items;
  }
}

const show = (x: unknown): string => {
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null || x === undefined) return String(x);
  return Array.isArray(x) ? 'an array' : 'an object';
};

/** Reads `o[key]`, reporting keys that are not own data properties with the wrong type. */
function field(o: Obj, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

function unknownKeys(o: Obj, known: readonly string[], path: string, r: Report): void {
  let n = 0;
  for (const k of Object.keys(o)) {
    if (known.includes(k)) continue;
    if (n++ < 10) r.add(`${path}${path ? '.' : ''}${k.slice(0, 40)}`, 'unknown key, ignored');
  }
  if (n > 10) r.add(path || 'state', `${n - 10} more unknown keys ignored`);
}

function readVec3(x: unknown, path: string, r: Report): Vec3 | undefined {
  if (!Array.isArray(x) || x.length !== 3 || !x.every(isNum)) {
    r.add(path, `not a point [x, y, z] of finite numbers (${show(x)})`);
    return undefined;
  }
  if (!x.every((v: number) => Math.abs(v) <= LIMITS.coordMm)) {
    r.add(path, `coordinate past ±${LIMITS.coordMm} mm`);
    return undefined;
  }
  return [x[0], x[1], x[2]];
}

function readBool(x: unknown, fallback: boolean, path: string, r: Report): boolean {
  if (x === undefined) return fallback;
  if (typeof x === 'boolean') return x;
  r.add(path, `not true or false (${show(x)})`);
  return fallback;
}

/** A finite number clamped into [lo, hi] (said so when clamped); `fallback` when absent or not a number. */
function readNum(x: unknown, fallback: number, lo: number, hi: number, path: string, r: Report): number {
  if (x === undefined) return fallback;
  if (!isNum(x)) {
    r.add(path, `not a finite number (${show(x)})`);
    return fallback;
  }
  const c = clamp(x, lo, hi);
  if (c !== x) r.add(path, `${x} clamped to ${c}`);
  return c;
}

function readEnum<T extends string>(x: unknown, ok: (s: string) => s is T, fallback: T, path: string, r: Report): T {
  if (x === undefined) return fallback;
  if (typeof x === 'string' && ok(x)) return x;
  r.add(path, `unknown value ${show(x)}`);
  return fallback;
}

function readString(x: unknown, max: number, path: string, r: Report): string | undefined {
  if (x === undefined) return undefined;
  if (typeof x !== 'string') {
    r.add(path, `not a string (${show(x)})`);
    return undefined;
  }
  if (x.length > max) {
    r.add(path, `longer than ${max} characters`);
    return undefined;
  }
  return x;
}

/** A bounded list: items past `max` are dropped (said so). */
function readList(x: unknown, max: number, path: string, r: Report): unknown[] {
  if (x === undefined) return [];
  if (!Array.isArray(x)) {
    r.add(path, `not a list (${show(x)})`);
    return [];
  }
  if (x.length > max) r.add(path, `${x.length} entries, only the first ${max} kept`);
  return x.slice(0, max);
}

function readWindow(x: unknown, path: string, r: Report): [number, number] | undefined {
  if (!Array.isArray(x) || x.length !== 2 || !x.every(isNum) || !(x[1] > x[0]) || !x.every((v: number) => Math.abs(v) <= LIMITS.magnitude)) {
    r.add(path, `not a window [low, high] with high > low (${show(x)})`);
    return undefined;
  }
  return [x[0], x[1]];
}

const isPane = (s: string): s is PaneKind => (PANE_KINDS as readonly string[]).includes(s);
const isSlicePane = (s: string): s is SlicePane => (SLICE_PANES as readonly string[]).includes(s);
const isProjection = (s: string): s is Projection => s === 'max' || s === 'min' || s === 'mean';
const isConvention = (s: string): s is Convention => s === 'radiological' || s === 'neurological';
const isMeasureKind = (s: string): s is MeasureKind => s !== 'crosshair' && (MEASURE_TOOLS as readonly string[]).includes(s);
/** Colours a measurement may carry: hex, rgb()/hsl() with plain numbers, or a named colour. */
const CSS_COLOR = /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla)\([0-9.,%\s/deg]{1,60}\)|[a-z]{3,30})$/i;

/**
 * A URL a link may load: http(s), or a path on this origin. No javascript:, data: or blob: (a blob
 * URL dies with its page; a data: URL would put the voxels in the link).
 */
export function isShareableUrl(url: string): boolean {
  if (url.startsWith('/') && !url.startsWith('//')) return true;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function readSource(x: unknown, path: string, r: Report): LayerSourceState | undefined {
  if (!isObj(x)) {
    r.add(path, `not a source { url }, { pacs } or { file } (${show(x)})`);
    return undefined;
  }
  unknownKeys(x, ['url', 'pacs', 'file', 'companions'], path, r);
  const pacs = field(x, 'pacs');
  if (pacs !== undefined) return readPacsSource(pacs, `${path}.pacs`, r);
  const url = field(x, 'url');
  if (url !== undefined) {
    const u = readString(url, LIMITS.stringChars, `${path}.url`, r);
    if (u === undefined) return undefined;
    if (!isShareableUrl(u)) {
      r.add(`${path}.url`, `not an http(s) address or a path on this site (${show(u)})`);
      return undefined;
    }
    return { url: u };
  }
  const file = readString(field(x, 'file'), LIMITS.nameChars, `${path}.file`, r);
  if (file === undefined || file === '') {
    r.add(path, 'names neither a url nor a file');
    return undefined;
  }
  const companions = readList(field(x, 'companions'), 8, `${path}.companions`, r)
    .map((c, i) => readString(c, LIMITS.nameChars, `${path}.companions[${i}]`, r))
    .filter((c): c is string => c !== undefined && c !== '');
  return companions.length ? { file, companions } : { file };
}

function readPacsSource(x: unknown, path: string, r: Report): LayerSourceState | undefined {
  if (!isObj(x)) {
    r.add(path, `not a PACS series { server, study, series } (${show(x)})`);
    return undefined;
  }
  unknownKeys(x, ['server', 'study', 'series'], path, r);
  const server = readString(field(x, 'server'), LIMITS.stringChars, `${path}.server`, r);
  if (server === undefined) return undefined;
  if (!isShareableUrl(server)) {
    r.add(`${path}.server`, `not an http(s) address or a path on this site (${show(server)})`);
    return undefined;
  }
  const uid = (key: 'study' | 'series'): string | undefined => {
    const v = readString(field(x, key), LIMITS.nameChars, `${path}.${key}`, r);
    if (v !== undefined && !isDicomUid(v)) {
      r.add(`${path}.${key}`, `not a DICOM UID (${show(v)})`);
      return undefined;
    }
    return v;
  };
  const study = uid('study'), series = uid('series');
  if (study === undefined || series === undefined) return undefined;
  return { pacs: { server, study, series } };
}

function readDisplay(x: unknown, path: string, r: Report): LayerDisplayState | undefined {
  if (!isObj(x)) {
    r.add(path, `not a display object (${show(x)})`);
    return undefined;
  }
  unknownKeys(x, ['window', 'colormap', 'opacity', 'visible', 'frame', 'interpolation', 'outline', 'render3d', 'negative'], path, r);
  const window = readWindow(field(x, 'window'), `${path}.window`, r);
  if (!window) return undefined;
  const d: LayerDisplayState = {
    window,
    colormap: readEnum(field(x, 'colormap'), isColormap, 'gray', `${path}.colormap`, r),
    opacity: readNum(field(x, 'opacity'), 1, 0, 1, `${path}.opacity`, r),
    visible: readBool(field(x, 'visible'), true, `${path}.visible`, r),
    frame: Math.round(readNum(field(x, 'frame'), 0, 0, 1e6, `${path}.frame`, r)),
    interpolation: readEnum(field(x, 'interpolation'), isInterpolation, 'nearest', `${path}.interpolation`, r),
    outline: readBool(field(x, 'outline'), false, `${path}.outline`, r),
  };
  const render3d = field(x, 'render3d');
  if (render3d !== undefined) d.render3d = readBool(render3d, false, `${path}.render3d`, r);
  const negative = field(x, 'negative');
  if (negative === null) d.negative = null;
  else if (negative !== undefined) {
    if (!isObj(negative)) r.add(`${path}.negative`, `not { colormap, window } (${show(negative)})`);
    else {
      unknownKeys(negative, ['colormap', 'window'], `${path}.negative`, r);
      const cm = readEnum(field(negative, 'colormap'), isColormap, 'cool', `${path}.negative.colormap`, r);
      const w = readWindow(field(negative, 'window'), `${path}.negative.window`, r);
      if (w && w[0] >= 0 && cm !== 'label') d.negative = { colormap: cm, window: w };
      else if (w) r.add(`${path}.negative`, 'needs a magnitude window from ≥ 0 and a colormap other than label');
    }
  }
  return d;
}

function readNumberRows(x: unknown, width: number, path: string, r: Report): number[][] {
  const rows = readList(x, LIMITS.transferPoints, path, r);
  const ok = rows.filter((p): p is number[] => Array.isArray(p) && p.length === width && p.every(isNum) && p.every((v: number) => Math.abs(v) <= LIMITS.magnitude));
  if (ok.length < rows.length) r.add(path, `${rows.length - ok.length} point(s) not ${width} finite numbers, dropped`);
  return ok.map((p) => [...p]);
}

function readVolume(x: unknown, path: string, r: Report): LayerVolumeState | undefined {
  if (x === undefined) return undefined;
  if (!isObj(x)) {
    r.add(path, `not a 3D style (${show(x)})`);
    return undefined;
  }
  unknownKeys(x, ['points', 'colormap', 'iso', 'colors', 'shading'], path, r);
  const points = normalizePoints(readNumberRows(field(x, 'points'), 2, `${path}.points`, r));
  if (points.length < 2) {
    r.add(`${path}.points`, 'a transfer function needs two points or more: the default kept');
    return undefined;
  }
  const iso = field(x, 'iso');
  const v: LayerVolumeState = {
    points,
    colormap: readEnum(field(x, 'colormap'), isColormap, 'gray', `${path}.colormap`, r),
    iso: isNum(iso) && Math.abs(iso) <= LIMITS.magnitude ? iso : (points[0][0] + points[points.length - 1][0]) / 2,
  };
  if (iso !== undefined && v.iso !== iso) r.add(`${path}.iso`, `not a finite number (${show(iso)})`);
  const colorsIn = field(x, 'colors');
  if (colorsIn !== undefined) {
    const colors = normalizeColors(readNumberRows(colorsIn, 4, `${path}.colors`, r));
    if (colors.length) v.colors = colors;
  }
  const sh = field(x, 'shading');
  if (sh !== undefined) {
    if (!isObj(sh)) r.add(`${path}.shading`, `not a shading object (${show(sh)})`);
    else {
      unknownKeys(sh, ['on', 'ambient', 'diffuse', 'specular', 'specularPower'], `${path}.shading`, r);
      v.shading = {
        on: readBool(field(sh, 'on'), false, `${path}.shading.on`, r),
        ambient: readNum(field(sh, 'ambient'), 0.1, 0, 1, `${path}.shading.ambient`, r),
        diffuse: readNum(field(sh, 'diffuse'), 0.9, 0, 1, `${path}.shading.diffuse`, r),
        specular: readNum(field(sh, 'specular'), 0.2, 0, 1, `${path}.shading.specular`, r),
        specularPower: readNum(field(sh, 'specularPower'), 10, 1, 128, `${path}.shading.specularPower`, r),
      };
    }
  }
  return v;
}

function readLayer(x: unknown, path: string, r: Report): LayerState | undefined {
  if (!isObj(x)) {
    r.add(path, `not a layer (${show(x)})`);
    return undefined;
  }
  unknownKeys(x, ['source', 'name', 'display', 'labelLookup', 'volume'], path, r);
  const source = readSource(field(x, 'source'), `${path}.source`, r);
  if (!source) {
    r.add(path, 'layer not restored (no usable source)');
    return undefined;
  }
  const display = readDisplay(field(x, 'display'), `${path}.display`, r);
  if (!display) {
    r.add(path, 'layer not restored (no usable display)');
    return undefined;
  }
  const layer: LayerState = { source, display };
  const name = readString(field(x, 'name'), LIMITS.nameChars, `${path}.name`, r);
  if (name) layer.name = name;
  const lookup = readString(field(x, 'labelLookup'), LIMITS.nameChars, `${path}.labelLookup`, r);
  if (lookup) layer.labelLookup = lookup;
  const volume = readVolume(field(x, 'volume'), `${path}.volume`, r);
  if (volume) layer.volume = volume;
  return layer;
}

/** Layer indexes, mapped through `remap` (old index → index after dropped layers), unknown ones dropped. */
function readLayerRefs(x: unknown, remap: (number | undefined)[], path: string, r: Report): number[] {
  const refs = readList(x, LIMITS.layers, path, r);
  const out: number[] = [];
  for (const ref of refs) {
    const to = Number.isInteger(ref) ? remap[ref as number] : undefined;
    if (to === undefined) r.add(path, `layer ${show(ref)} is not in the state`);
    else if (!out.includes(to)) out.push(to);
  }
  return out;
}

function readPaneView(x: unknown, path: string, r: Report): PaneView {
  if (x === undefined) return { zoom: 1, panMm: [0, 0] };
  if (!isObj(x)) {
    r.add(path, `not { zoom, panMm } (${show(x)})`);
    return { zoom: 1, panMm: [0, 0] };
  }
  unknownKeys(x, ['zoom', 'panMm'], path, r);
  const zoom = readNum(field(x, 'zoom'), 1, 0.01, 1000, `${path}.zoom`, r);
  const pan = field(x, 'panMm');
  let panMm: [number, number] = [0, 0];
  if (pan !== undefined) {
    if (Array.isArray(pan) && pan.length === 2 && pan.every(isNum)) panMm = [clamp(pan[0], -1e6, 1e6), clamp(pan[1], -1e6, 1e6)];
    else r.add(`${path}.panMm`, `not [right, up] in mm (${show(pan)})`);
  }
  return { zoom, panMm };
}

/** A measurement's turned plane: rows u, v, normal, orthonormal within 1e-3 (either handedness: the convention flips u); null when not. */
function readPlaneAxes(x: unknown): number[][] | undefined | null {
  if (x === undefined) return undefined;
  const rows = Array.isArray(x) && x.length === 3 && x.every((row) => Array.isArray(row) && row.length === 3 && row.every(isNum)) ? (x as number[][]) : undefined;
  const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  const orthonormal = rows !== undefined && rows.every((a, i) => rows.every((b, j) => Math.abs(dot(a, b) - (i === j ? 1 : 0)) <= 1e-3));
  return orthonormal ? rows.map((row) => [...row]) : null;
}

function readOrientation(x: unknown, path: string, r: Report): number[][] | undefined {
  if (x === undefined) return undefined;
  const ok = Array.isArray(x) && x.length === 3 && x.every((row) => Array.isArray(row) && row.length === 3 && row.every(isNum) && row.every((v: number) => Math.abs(v) <= 2));
  if (!ok) {
    r.add(path, 'not a 3×3 rotation');
    return undefined;
  }
  return (x as number[][]).map((row) => [...row]);
}

function readSlabs(x: unknown, path: string, r: Report): Partial<Record<SlicePane, SlabState>> | undefined {
  if (x === undefined) return undefined;
  if (!isObj(x)) {
    r.add(path, `not slabs per pane (${show(x)})`);
    return undefined;
  }
  unknownKeys(x, SLICE_PANES, path, r);
  const out: Partial<Record<SlicePane, SlabState>> = {};
  for (const pane of SLICE_PANES) {
    const s = field(x, pane);
    if (s === undefined) continue;
    if (!isObj(s)) {
      r.add(`${path}.${pane}`, `not { thickness, mode } (${show(s)})`);
      continue;
    }
    unknownKeys(s, ['thickness', 'mode'], `${path}.${pane}`, r);
    out[pane] = { thickness: readNum(field(s, 'thickness'), 0, 0, 1e4, `${path}.${pane}.thickness`, r), mode: readEnum(field(s, 'mode'), isProjection, 'max', `${path}.${pane}.mode`, r) };
  }
  return out;
}

const TOP_KEYS = [
  'v', 'layers', 'layout', 'primaryPane', 'crosshair', 'paneViews', 'camera', 'renderMode', 'projection', 'clip', 'cut', 'convention',
  'showCrosshair', 'showPatient', 'quality', 'selectedLayer', 'pins', 'measurements', 'selectedMeasurement', 'orientation', 'slabs',
] as const;

/**
 * Checks an untrusted state: unknown keys ignored, wrong types dropped to their defaults, numbers
 * clamped, lists bounded, each said in `notRestored`. A newer version is read as far as this
 * version understands it (the rest listed); only input that is not a state object at all is an error.
 */
export function validateState(input: unknown): ValidateResult {
  if (!isObj(input)) return { kind: 'error', code: 'bad-state', message: `A view state is a JSON object with "v": ${STATE_VERSION}, not ${show(input)}.` };
  const r = new Report();
  const v = field(input, 'v');
  if (!(Number.isInteger(v) && (v as number) >= 1)) return { kind: 'error', code: 'bad-state', message: `A view state needs its version "v" (${STATE_VERSION} here), not ${show(v)}.` };
  if ((v as number) > STATE_VERSION) r.add('v', `made by a newer Voxlens (state version ${v as number}); this viewer reads version ${STATE_VERSION}, so what it adds is not restored`);
  unknownKeys(input, TOP_KEYS, '', r);
  const s = emptyState();

  // Layers first: pins and measurements refer to them by index, so dropped layers shift the rest.
  const rawLayers = readList(field(input, 'layers'), LIMITS.layers, 'layers', r);
  const remap: (number | undefined)[] = [];
  rawLayers.forEach((l, i) => {
    const layer = readLayer(l, `layers[${i}]`, r);
    if (layer) {
      remap[i] = s.layers.length;
      s.layers.push(layer);
    }
  });
  // One layer at most is cast in 3D.
  let cast = false;
  for (const l of s.layers) {
    if (l.display.render3d && cast) l.display.render3d = false;
    cast ||= l.display.render3d === true;
  }

  s.layout = readEnum(field(input, 'layout'), isLayout, s.layout, 'layout', r);
  s.primaryPane = readEnum(field(input, 'primaryPane'), isPane, s.primaryPane, 'primaryPane', r);
  const crosshair = field(input, 'crosshair');
  s.crosshair = crosshair === undefined || crosshair === null ? null : (readVec3(crosshair, 'crosshair', r) ?? null);
  const views = field(input, 'paneViews');
  if (views !== undefined && !isObj(views)) r.add('paneViews', `not views per pane (${show(views)})`);
  else if (views) {
    unknownKeys(views, PANE_KINDS, 'paneViews', r);
    for (const pane of PANE_KINDS) s.paneViews[pane] = readPaneView(field(views, pane), `paneViews.${pane}`, r);
  }
  const cam = field(input, 'camera');
  if (cam !== undefined && !isObj(cam)) r.add('camera', `not { azimuth, elevation, zoom } (${show(cam)})`);
  else if (cam) {
    unknownKeys(cam, ['azimuth', 'elevation', 'zoom'], 'camera', r);
    s.camera = {
      azimuth: readNum(field(cam, 'azimuth'), s.camera.azimuth, -1e6, 1e6, 'camera.azimuth', r),
      elevation: readNum(field(cam, 'elevation'), s.camera.elevation, -90, 90, 'camera.elevation', r),
      zoom: readNum(field(cam, 'zoom'), s.camera.zoom, 0.01, 1000, 'camera.zoom', r),
    };
  }
  s.renderMode = readEnum(field(input, 'renderMode'), isRenderMode, s.renderMode, 'renderMode', r);
  s.projection = readEnum(field(input, 'projection'), isProjection, s.projection, 'projection', r);
  const clip = field(input, 'clip');
  if (clip !== undefined && clip !== null) {
    if (!isObj(clip)) r.add('clip', `not a box { lo, hi } (${show(clip)})`);
    else {
      unknownKeys(clip, ['lo', 'hi'], 'clip', r);
      const lo = readVec3(field(clip, 'lo'), 'clip.lo', r);
      const hi = readVec3(field(clip, 'hi'), 'clip.hi', r);
      if (lo && hi && [0, 1, 2].every((a) => hi[a] > lo[a])) s.clip = { lo, hi };
      else if (lo && hi) r.add('clip', 'needs hi > lo on every axis');
    }
  }
  s.cut = readBool(field(input, 'cut'), s.cut, 'cut', r);
  s.convention = readEnum(field(input, 'convention'), isConvention, s.convention, 'convention', r);
  s.showCrosshair = readBool(field(input, 'showCrosshair'), s.showCrosshair, 'showCrosshair', r);
  s.showPatient = readBool(field(input, 'showPatient'), s.showPatient, 'showPatient', r);
  s.quality = readNum(field(input, 'quality'), s.quality, 0.5, 2, 'quality', r);
  const sel = field(input, 'selectedLayer');
  if (sel !== undefined && sel !== null) {
    const to = Number.isInteger(sel) ? remap[sel as number] : undefined;
    if (to === undefined) r.add('selectedLayer', `layer ${show(sel)} is not in the state`);
    else s.selectedLayer = to;
  }

  readList(field(input, 'pins'), LIMITS.pins, 'pins', r).forEach((p, i) => {
    const path = `pins[${i}]`;
    if (!isObj(p)) return r.add(path, `not a pin (${show(p)})`);
    unknownKeys(p, ['label', 'world', 'layers'], path, r);
    const world = readVec3(field(p, 'world'), `${path}.world`, r);
    if (!world) return r.add(path, 'pin not restored');
    s.pins.push({ label: readString(field(p, 'label'), LIMITS.nameChars, `${path}.label`, r) ?? `P${s.pins.length + 1}`, world, layers: readLayerRefs(field(p, 'layers'), remap, `${path}.layers`, r) });
  });

  const mRemap: (number | undefined)[] = [];
  readList(field(input, 'measurements'), LIMITS.measurements, 'measurements', r).forEach((m, i) => {
    const path = `measurements[${i}]`;
    if (!isObj(m)) return r.add(path, `not a measurement (${show(m)})`);
    unknownKeys(m, ['kind', 'plane', 'points', 'layers', 'name', 'color', 'axes'], path, r);
    const kind = field(m, 'kind');
    const plane = field(m, 'plane');
    if (typeof kind !== 'string' || !isMeasureKind(kind)) return r.add(path, `unknown kind ${show(kind)}, not restored`);
    if (typeof plane !== 'string' || !isSlicePane(plane)) return r.add(path, `unknown plane ${show(plane)}, not restored`);
    const want = kind === 'angle' ? 3 : 2;
    const pts = field(m, 'points');
    const points = Array.isArray(pts) && pts.length === want ? pts.map((p, k) => readVec3(p, `${path}.points[${k}]`, r)) : [];
    if (points.length !== want || points.some((p) => p === undefined)) return r.add(path, `a ${kind} needs ${want} points, not restored`);
    const layers = readLayerRefs(field(m, 'layers'), remap, `${path}.layers`, r);
    // A measurement lasts while a layer it was drawn on is open: with none, it would vanish at once.
    if (!layers.length) return r.add(path, 'drawn on no layer of the state, not restored');
    const out: MeasurementState = { kind, plane, points: points as Vec3[], layers };
    const name = readString(field(m, 'name'), 200, `${path}.name`, r);
    if (name) out.name = name;
    const color = readString(field(m, 'color'), 64, `${path}.color`, r);
    if (color !== undefined) {
      if (CSS_COLOR.test(color)) out.color = color;
      else r.add(`${path}.color`, `not a CSS colour (${show(color)})`);
    }
    const axes = readPlaneAxes(field(m, 'axes'));
    // On the wrong plane it would measure other voxels: left out rather than moved.
    if (axes === null) return r.add(`${path}.axes`, 'not three orthonormal rows [u, v, normal], not restored');
    if (axes) out.axes = axes;
    mRemap[i] = s.measurements.length;
    s.measurements.push(out);
  });
  const selM = field(input, 'selectedMeasurement');
  if (selM !== undefined && selM !== null) {
    const to = Number.isInteger(selM) ? mRemap[selM as number] : undefined;
    if (to === undefined) r.add('selectedMeasurement', `measurement ${show(selM)} is not in the state`);
    else s.selectedMeasurement = to;
  }

  const orientation = readOrientation(field(input, 'orientation'), 'orientation', r);
  if (orientation) s.orientation = orientation;
  const slabs = readSlabs(field(input, 'slabs'), 'slabs', r);
  if (slabs && Object.keys(slabs).length) s.slabs = slabs;
  return { kind: 'ok', state: s, notRestored: r.list() };
}

// ---- the URL fragment: #v1=<base64url(deflate(JSON))> ----

const FRAGMENT = /^#?v(\d{1,3})=([A-Za-z0-9_-]*)$/;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** The fragment (with its '#') that carries `state`. */
export function encodeFragment(state: ViewState): string {
  return `#v${state.v}=${toBase64Url(deflateSync(strToU8(JSON.stringify(state)), { level: 9 }))}`;
}

/** True when a location hash is meant as a view state (so a bad one is reported, not ignored). */
export const isStateFragment = (hash: string): boolean => /^#?v\d{1,3}=/.test(hash);

/** Inflates at most LIMITS.jsonBytes (a small fragment that inflates to gigabytes stops early). */
function inflateBounded(bytes: Uint8Array): Uint8Array | 'too-large' | 'corrupt' {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > LIMITS.jsonBytes) tooLarge = true;
    else chunks.push(chunk);
  });
  try {
    // Fed in pieces, so the size check stops the inflater between them.
    for (let i = 0; i < bytes.length && !tooLarge; i += 4096) inflater.push(bytes.subarray(i, i + 4096), i + 4096 >= bytes.length);
  } catch {
    return 'corrupt';
  }
  if (tooLarge) return 'too-large';
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Reads a fragment ('#v1=…'); never throws: bad input is an error result with a message for a person. */
export function decodeFragment(hash: string): ValidateResult {
  const bad = (message: string): ValidateResult => ({ kind: 'error', code: 'bad-link', message });
  if (hash.length > LIMITS.fragmentChars) return bad(`The link's view is ${hash.length} characters long; at most ${LIMITS.fragmentChars} are read.`);
  const m = FRAGMENT.exec(hash);
  if (!m) return bad('The link\'s view is not in the form "#v1=…" (letters, digits, "-" and "_" after "=").');
  const bytes = fromBase64Url(m[2]);
  if (!bytes || bytes.length === 0) return bad('The link\'s view is not base64url text.');
  const json = inflateBounded(bytes);
  if (json === 'too-large') return bad(`The link's view inflates past ${LIMITS.jsonBytes} bytes; it is not read.`);
  if (json === 'corrupt') return bad('The link\'s view is not deflated data (cut short or changed?).');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    return bad('The link\'s view is not UTF-8 text.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return bad(`The link's view is not JSON (${e instanceof Error ? e.message.slice(0, 80) : 'parse error'}).`);
  }
  const r = validateState(parsed);
  if (r.kind === 'ok' && isObj(parsed) && parsed.v !== Number(m[1])) r.notRestored.unshift(`v: the link says version ${m[1]}, the state inside says ${show(parsed.v)}`);
  return r;
}
