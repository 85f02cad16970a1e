// Reads the view out of the stores as a ViewState (viewState.ts) and applies one: loads its layers
// (URLs directly; local files once the user gives them: a link can only name them), then sets each
// layer's display and 3D style, the panes, the camera, pins and measurements through the stores'
// own actions. A state that waits for files is held in usePendingView, which the prompt shows.
import { create } from 'zustand';
import { VoxlensLoadError } from '../io/errors';
import { nameFromUrl } from '../io/sources';
import { frameCount } from '../volume/header';
import { closeLayer, loadVolume, openLabelLookup } from './actions';
import { loadDicomWeb } from './dicomLoad';
import { addMeasurement, addPin, liveMeasurements } from './measurements';
import { setPaneSlab, setRotation } from './obliqueActions';
import { IDENTITY3, isIdentity3, mat3FromRows, mat3Rows, THIN_SLAB } from './orientation';
import { decodeFragment, encodeFragment, LIMITS, SLICE_PANES, STATE_VERSION, validateState, type LayerSourceState, type LayerState, type ValidateResult, type ViewState } from './viewState';
import { forgetLayerSources, layerSourceOf } from './viewStateSources';
import { useViewerStore, type DisplaySettings, type LayerMeta, type Vec3 } from './viewerStore';

const vec = (p: readonly number[]): Vec3 => [p[0], p[1], p[2]];
/** The name a layer gets from its source alone; a PACS series is named by the server's description, so its name is always kept. */
const defaultName = (l: LayerState): string => ('url' in l.source ? nameFromUrl(l.source.url) : 'pacs' in l.source ? '' : l.source.file);

/** The view now; `omitted` names the layers a state cannot carry (a DICOM series opened from local files has no single URL or file). */
export function captureState(): { state: ViewState; omitted: string[] } {
  const s = useViewerStore.getState();
  forgetLayerSources(s.layers.map((l) => l.id));
  const index = new Map<string, number>();
  const omitted: string[] = [];
  const layers: LayerState[] = [];
  for (const l of s.layers) {
    const source = layerSourceOf(l.id);
    if (!source) {
      omitted.push(l.name);
      continue;
    }
    const d = l.display;
    const layer: LayerState = {
      source: 'url' in source ? { url: source.url } : 'pacs' in source ? { pacs: { ...source.pacs } } : { ...source, ...(source.companions ? { companions: [...source.companions] } : {}) },
      display: {
        window: [d.window[0], d.window[1]],
        colormap: d.colormap,
        opacity: d.opacity,
        visible: d.visible,
        frame: d.frame,
        interpolation: d.interpolation,
        outline: d.outline,
        ...(d.render3d !== undefined ? { render3d: d.render3d } : {}),
        ...(d.negative !== undefined ? { negative: d.negative ? { colormap: d.negative.colormap, window: [d.negative.window[0], d.negative.window[1]] } : null } : {}),
      },
    };
    if (l.name !== defaultName(layer)) layer.name = l.name;
    if (l.labelLookup) layer.labelLookup = l.labelLookup;
    const style = s.volumeStyles[l.id];
    if (style) {
      layer.volume = { points: style.points.map((p): [number, number] => [p[0], p[1]]), colormap: style.colormap, iso: style.iso };
      if (style.colors) layer.volume.colors = style.colors.map((c): [number, number, number, number] => [c[0], c[1], c[2], c[3]]);
      if (style.shading) layer.volume.shading = { ...style.shading };
    }
    index.set(l.id, layers.length);
    layers.push(layer);
  }
  const refs = (ls: { id: string }[]) => ls.map((x) => index.get(x.id)).filter((i): i is number => i !== undefined);
  const measurements = liveMeasurements().filter((m) => refs(m.layers).length > 0);
  const selected = measurements.findIndex((m) => m.id === s.selectedLine);
  const state: ViewState = {
    v: STATE_VERSION,
    layers,
    layout: s.layout,
    primaryPane: s.primaryPane,
    crosshair: s.crosshair ? vec(s.crosshair) : null,
    paneViews: {
      axial: { zoom: s.paneViews.axial.zoom, panMm: [...s.paneViews.axial.panMm] },
      coronal: { zoom: s.paneViews.coronal.zoom, panMm: [...s.paneViews.coronal.panMm] },
      sagittal: { zoom: s.paneViews.sagittal.zoom, panMm: [...s.paneViews.sagittal.panMm] },
      '3d': { zoom: s.paneViews['3d'].zoom, panMm: [...s.paneViews['3d'].panMm] },
    },
    camera: { ...s.orbit },
    renderMode: s.renderMode,
    projection: s.projection,
    clip: s.clip ? { lo: vec(s.clip.lo), hi: vec(s.clip.hi) } : null,
    cut: s.cut,
    convention: s.convention,
    showCrosshair: s.showCrosshair,
    showPatient: s.showPatient,
    quality: s.quality,
    selectedLayer: s.selectedLayer !== null ? (index.get(s.selectedLayer) ?? null) : null,
    pins: s.pins.map((p) => ({ label: p.label, world: vec(p.world), layers: refs(p.layers) })),
    measurements: measurements.map((m) => ({
      kind: m.kind,
      plane: m.plane,
      points: m.points.map(vec),
      layers: refs(m.layers),
      ...(m.name ? { name: m.name } : {}),
      ...(m.color ? { color: m.color } : {}),
      ...(m.axes ? { axes: [vec(m.axes.u), vec(m.axes.v), vec(m.axes.normal)] } : {}),
    })),
    selectedMeasurement: selected >= 0 ? selected : null,
  };
  // Oblique MPR and slabs only where they differ from the default (links stay short).
  if (!isIdentity3(s.orientation)) state.orientation = mat3Rows(s.orientation);
  const slabs = SLICE_PANES.filter((p) => s.slabs[p].thickness > 0);
  if (slabs.length) state.slabs = Object.fromEntries(slabs.map((p) => [p, { thickness: s.slabs[p].thickness, mode: s.slabs[p].mode }]));
  return { state, omitted };
}

// ---- local files a state names ----

export interface PendingView {
  /** The layers' files not given yet. */
  missing: string[];
  /** Label lookups the state names for local layers: used if given, not waited for. */
  optional: string[];
}
export const usePendingView = create<{ pending: PendingView | null }>(() => ({ pending: null }));

let waiter: { needed: string[]; optional: string[]; have: Map<string, File>; resolve(files: Map<string, File>): void; reject(e: Error): void } | null = null;

function filesOf(state: ViewState): { needed: string[]; optional: string[] } {
  const needed = new Set<string>();
  const optional = new Set<string>();
  for (const l of state.layers) {
    if (!('file' in l.source)) continue;
    needed.add(l.source.file);
    for (const c of l.source.companions ?? []) needed.add(c);
    if (l.labelLookup) optional.add(l.labelLookup);
  }
  return { needed: [...needed], optional: [...optional].filter((n) => !needed.has(n)) };
}

function publish(): void {
  usePendingView.setState({ pending: waiter ? { missing: waiter.needed.filter((n) => !waiter!.have.has(n)), optional: waiter.optional.filter((n) => !waiter!.have.has(n)) } : null });
}

/** The files the state names, from `given` and then from the user (the prompt); rejects if the user cancels. */
function gatherFiles(state: ViewState, given: readonly File[]): Promise<Map<string, File>> {
  // A newer view replaces one still waiting for its files (a second link opened before the first got them).
  const older = waiter;
  waiter = null;
  older?.reject(new VoxlensLoadError({ code: 'cancelled', message: 'Another view was opened before this one got its files.' }));
  const { needed, optional } = filesOf(state);
  const have = new Map<string, File>();
  for (const f of given) if (needed.includes(f.name) || optional.includes(f.name)) have.set(f.name, f);
  if (needed.every((n) => have.has(n))) {
    publish();
    return Promise.resolve(have);
  }
  return new Promise((resolve, reject) => {
    waiter = { needed, optional, have, resolve, reject };
    publish();
  });
}

/**
 * Files opened or dropped while a view waits for its files: those it names are taken (and it is
 * applied once it has them all); the others are not opened, with a notice. False when no view waits.
 */
export function offerFiles(files: readonly File[]): boolean {
  const w = waiter;
  if (!w) return false;
  const unused: string[] = [];
  for (const f of files) {
    if (w.needed.includes(f.name) || w.optional.includes(f.name)) w.have.set(f.name, f);
    else unused.push(f.name);
  }
  if (unused.length) {
    useViewerStore.getState().notify({ kind: 'info', title: 'Not part of the view', message: `The view being opened does not name ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? ` and ${unused.length - 5} more` : ''}; open it after the view is restored.` });
  }
  if (w.needed.every((n) => w.have.has(n))) {
    waiter = null;
    publish();
    w.resolve(w.have);
  } else publish();
  return true;
}

/** The user gave up on the files: the view is not applied, and what is open stays. */
export function cancelPendingView(): void {
  const w = waiter;
  waiter = null;
  publish();
  w?.reject(new VoxlensLoadError({ code: 'cancelled', message: 'The view was not opened: its local files were not given.' }));
}

// ---- applying ----

/** Counts applyState calls: a newer one wins over one still loading its layers. */
let applying = 0;

function sourceFor(source: Exclude<LayerSourceState, { pacs: unknown }>, files: Map<string, File>): string | File | File[] {
  if ('url' in source) return source.url;
  const main = files.get(source.file)!;
  const companions = (source.companions ?? []).map((c) => files.get(c)!);
  return companions.length ? [main, ...companions] : main;
}

/**
 * Replaces the view with `state` (validated: viewState.ts validateState): waits for the local files
 * it names (`files`, else the prompt), closes what is open, loads its layers in order and sets the
 * rest. Resolves with what could not be restored once the layers are loaded and the state applied.
 */
export async function applyState(state: ViewState, opts: { files?: readonly File[] } = {}): Promise<string[]> {
  const notRestored: string[] = [];
  const files = await gatherFiles(state, opts.files ?? []);
  const mine = ++applying;
  const store = useViewerStore.getState;
  for (const l of [...store().layers]) closeLayer(l.id);
  store().setPins([]);
  store().setMeasurements([]);
  store().setSelectedLine(null);
  store().setDraft(null);

  const results = await Promise.all(
    state.layers.map((l) => {
      const named = l.name ? { name: l.name } : {};
      // A PACS series comes from its server again (state/dicomLoad.ts, which notes its source).
      if ('pacs' in l.source) return loadDicomWeb(l.source.pacs.server, l.source.pacs.study, l.source.pacs.series, named);
      return loadVolume(sourceFor(l.source, files), named);
    }),
  );
  const ids: (string | undefined)[] = results.map((r, i) => {
    if (r.kind === 'ok') return r.value.id;
    notRestored.push(`layers[${i}] (${defaultName(state.layers[i])}): ${r.message}`);
    return undefined;
  });
  // Another view was applied while these loaded: it owns the viewer now.
  if (mine !== applying) {
    for (const id of ids) if (id) closeLayer(id);
    throw new VoxlensLoadError({ code: 'cancelled', message: 'Another view was opened while this one loaded.' });
  }
  const meta = (id: string): LayerMeta | undefined => store().layers.find((l) => l.id === id);

  for (const [i, l] of state.layers.entries()) {
    const id = ids[i];
    const layer = id ? meta(id) : undefined;
    if (!id || !layer) continue;
    if (l.labelLookup && layer.labelLookup !== l.labelLookup) {
      const file = files.get(l.labelLookup);
      if (file) await openLabelLookup(id, file, file.name);
      // A URL layer's lookup beside it arrives by itself; a local one must be given again.
      else if ('file' in l.source) notRestored.push(`layers[${i}].labelLookup: ${l.labelLookup} was not given; open it with the layer's Names… button`);
    }
    const frames = frameCount(layer.dims);
    const d: Partial<DisplaySettings> = { ...l.display, window: [l.display.window[0], l.display.window[1]], frame: Math.min(l.display.frame, frames - 1) };
    if (l.display.frame > frames - 1) notRestored.push(`layers[${i}].display.frame: ${l.display.frame} is past the layer's last frame (${frames - 1})`);
    if (d.negative) d.negative = { colormap: d.negative.colormap, window: [d.negative.window[0], d.negative.window[1]] };
    store().setDisplay(id, d);
    if (l.volume) {
      const v = l.volume;
      store().setVolumeStyle(id, {
        points: v.points.map((p): [number, number] => [p[0], p[1]]),
        colormap: v.colormap,
        iso: v.iso,
        ...(v.colors ? { colors: v.colors.map((c): [number, number, number, number] => [c[0], c[1], c[2], c[3]]) } : {}),
        ...(v.shading ? { shading: { ...v.shading } } : {}),
      });
    }
  }

  const s = store();
  s.setLayout(state.layout);
  s.setPrimaryPane(state.primaryPane);
  if (state.crosshair && store().layers.length) s.setCrosshair(vec(state.crosshair));
  for (const pane of ['axial', 'coronal', 'sagittal', '3d'] as const) s.setPaneView(pane, { zoom: state.paneViews[pane].zoom, panMm: [state.paneViews[pane].panMm[0], state.paneViews[pane].panMm[1]] });
  s.setOrbit({ ...state.camera });
  s.setRenderMode(state.renderMode);
  s.setProjection(state.projection);
  s.setClip(state.clip ? { lo: vec(state.clip.lo), hi: vec(state.clip.hi) } : null);
  s.setCut(state.cut);
  s.setConvention(state.convention);
  s.setShowCrosshair(state.showCrosshair);
  s.setShowPatient(state.showPatient);
  s.setQuality(state.quality);
  s.selectLayer(state.selectedLayer !== null ? (ids[state.selectedLayer] ?? null) : null);

  const layerRefs = (refs: number[]) =>
    refs.flatMap((i) => {
      const id = ids[i];
      const layer = id ? meta(id) : undefined;
      return layer ? [{ id: layer.id, name: layer.name }] : [];
    });
  for (const p of state.pins) {
    const id = addPin(vec(p.world), p.label);
    store().setPins(store().pins.map((x) => (x.id === id ? { ...x, layers: layerRefs(p.layers) } : x)));
  }
  const measurementIds: string[] = [];
  for (const [i, m] of state.measurements.entries()) {
    const layers = layerRefs(m.layers);
    if (!layers.length) {
      notRestored.push(`measurements[${i}]: none of its layers opened`);
      continue;
    }
    const axes = m.axes ? { u: vec(m.axes[0]), v: vec(m.axes[1]), normal: vec(m.axes[2]) } : undefined;
    const id = addMeasurement(m.kind, m.plane, m.points.map(vec), axes);
    store().setMeasurements(store().measurements.map((x) => (x.id === id ? { ...x, layers, ...(m.name ? { name: m.name } : {}), ...(m.color ? { color: m.color } : {}) } : x)));
    measurementIds[i] = id;
  }
  store().setSelectedLine(state.selectedMeasurement !== null ? (measurementIds[state.selectedMeasurement] ?? null) : null);
  const turned = setRotation(state.orientation ? mat3FromRows(state.orientation) : IDENTITY3);
  if (turned) notRestored.push(`orientation: ${turned.message}`);
  for (const pane of SLICE_PANES) {
    const e = setPaneSlab(pane, state.slabs?.[pane] ?? THIN_SLAB);
    if (e) notRestored.push(`slabs.${pane}: ${e.message}`);
  }
  return notRestored;
}

/** Lists for a notice: the first few, then how many more. */
const few = (items: readonly string[], n = 4) => `${items.slice(0, n).join('; ')}${items.length > n ? `; and ${items.length - n} more` : ''}`;

/** Applies a checked state and says how it went in notices; never throws. `what`: "this link's view", "the session". */
async function applyWithNotices(r: ValidateResult, what: string): Promise<boolean> {
  const notify = useViewerStore.getState().notify;
  const What = what[0].toUpperCase() + what.slice(1);
  if (r.kind === 'error') {
    notify({ kind: 'error', title: `${What} could not be opened`, message: r.message, code: r.code });
    return false;
  }
  try {
    const notRestored = [...r.notRestored, ...(await applyState(r.state))];
    if (notRestored.length) notify({ kind: 'warning', title: `Part of ${what} was not restored`, message: few(notRestored) });
    return true;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    notify({ kind: e instanceof VoxlensLoadError && e.code === 'cancelled' ? 'info' : 'error', title: `${What} was not opened`, message });
    return false;
  }
}

/** Opens the view a link's fragment carries (on start and when the fragment changes); bad input is a notice, never an exception. */
export const applyFragment = (hash: string): Promise<boolean> => applyWithNotices(decodeFragment(hash), "this link's view");

/** A session file's text (Save session's JSON), checked as a link's fragment is. */
export function parseSession(text: string): ValidateResult {
  if (text.length > LIMITS.jsonBytes) return { kind: 'error', code: 'bad-state', message: `The session is ${text.length} characters long; at most ${LIMITS.jsonBytes} are read.` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { kind: 'error', code: 'bad-state', message: `The session is not JSON (${e instanceof Error ? e.message.slice(0, 80) : 'parse error'}).` };
  }
  return validateState(parsed);
}

export const applySessionText = (text: string): Promise<boolean> => applyWithNotices(parseSession(text), 'the session');

/**
 * This page's address with the view in its fragment. The query keeps what is not view (a budget,
 * a PACS address) and drops what the state replaces (?url=, ?layout=, ?empty).
 */
export function shareUrl(state: ViewState = captureState().state): string {
  const params = new URLSearchParams(location.search);
  for (const k of ['url', 'layout', 'empty']) params.delete(k);
  const query = params.toString();
  return `${location.origin}${location.pathname}${query ? `?${query}` : ''}${encodeFragment(state)}`;
}
