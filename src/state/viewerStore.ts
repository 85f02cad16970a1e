import { create } from 'zustand';
import type { Mat4 } from '../volume/affine';
import type { DataType } from '../volume/dataTypes';
import type { DicomSeriesMeta, VolumeFormat, VolumeStats } from '../volume/header';
import { IDENTITY3, thinSlabs, type Mat3, type Slab, type SlicePlane } from './orientation';

export const COLORMAPS = ['gray', 'gray-inverted', 'hot', 'bone', 'viridis', 'cool', 'red', 'green', 'blue', 'label'] as const;
export type ColormapName = (typeof COLORMAPS)[number];
export const isColormap = (s: string): s is ColormapName => (COLORMAPS as readonly string[]).includes(s);

export interface DisplaySettings {
  /** [low, high] in scaled units (what the probe calls `scaled`). */
  window: [number, number];
  colormap: ColormapName;
  opacity: number;
  visible: boolean;
  /** The frame shown and probed, for 4D volumes (0 for 3D). */
  frame: number;
  /** Label layers (colormap 'label') always draw nearest, whatever this says. */
  interpolation: Interpolation;
  /** Label layers: draw region outlines only. */
  outline: boolean;
  /** The 3D pane casts this layer; at most one layer has it (none: the first visible intensity layer, state/layerRoles.ts). */
  render3d?: boolean;
  /**
   * A signed overlay's negative tail: values v ≤ −window[0] drawn with this colormap over |v| in
   * [window[0], window[1]] (FSLeyes' and NiiVue's negative colormap); null or absent: not drawn.
   */
  negative?: NegativeDisplay | null;
}

export interface NegativeDisplay {
  colormap: ColormapName;
  /** Magnitudes: |v| at or below window[0] is transparent; window[1] is the colormap's top. */
  window: [number, number];
}

export type Interpolation = 'nearest' | 'linear';
export const isInterpolation = (s: string): s is Interpolation => s === 'nearest' || s === 'linear';

export interface LayerMeta {
  id: string;
  name: string;
  format: VolumeFormat;
  dims: number[];
  datatype: DataType;
  datatypeCode: number;
  slope: number;
  inter: number;
  affine: Mat4;
  axcodes: string;
  stats: VolumeStats;
  bufferId: string;
  display: DisplaySettings;
  /** File name of the label lookup opened for this layer (names live in the label registry). */
  labelLookup?: string;
  /** A DICOM series' patient, study and series, for the metadata panel. */
  dicom?: DicomSeriesMeta;
  /** Seconds between frames of a time series, when its header says (the time course's axis). */
  frameSeconds?: number;
  /** Shown while its slices arrive: how many are in memory of how many. */
  arriving?: { slices: number; of: number };
  /**
   * A multiscale image (OME-Zarr): the level drawn now (0 = full resolution) of `levels`, and the
   * level it is being refined to (finer levels replace coarser ones as they arrive); equal when done.
   */
  pyramid?: { level: number; levels: number; target: number };
  /** Drawn from a coarser grid than the stored one: the full-resolution grid, which probes read. */
  fullDims?: number[];
  /** That grid held in z-slabs: the slices each holds. */
  slabs?: number[];
}

/** Several series in one drop: the user picks one (or none). */
export interface SeriesChoice {
  options: { key: string; description: string; imageCount: number; modality?: string; thumbnail?: { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } }[];
  choose(key: string | null): void;
}

export interface LoadProgress {
  jobId: number;
  name: string;
  loadedBytes: number;
  totalBytes?: number;
  /** What loadedBytes counts: bytes (default), images of a DICOM series, or chunks of an OME-Zarr level. */
  unit?: 'images' | 'chunks';
  /** Chunks: the bytes fetched for them so far, as stored (compressed). */
  fetchedBytes?: number;
  /** What the load does, when it is not a first load: 'Refining' for a finer level replacing a coarser one. */
  verb?: string;
  cancel: () => void;
}

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  title: string;
  message: string;
  code?: string;
  /** The layer it is about: it leaves when that layer closes. */
  layerId?: string;
  /** When it was raised (ms since the epoch). */
  time: number;
}

/** How many notices the history keeps (the newest). */
export const NOTICE_HISTORY = 50;

export const LAYOUTS = ['axial', 'coronal', 'sagittal', '3d', '2x2', '1+3'] as const;
export type Layout = (typeof LAYOUTS)[number];
export const isLayout = (s: string): s is Layout => (LAYOUTS as readonly string[]).includes(s);
export type PaneKind = 'axial' | 'coronal' | 'sagittal' | '3d';
export const PANE_KINDS: readonly PaneKind[] = ['axial', 'coronal', 'sagittal', '3d'];

/** Zoom and pan of one pane (pan in mm along the pane's screen right and up). */
export interface PaneView {
  zoom: number;
  panMm: [number, number];
}
/** The 3D pane's orbit camera, in degrees; see render/camera/orbit.ts for the convention. */
export interface OrbitCamera {
  azimuth: number;
  elevation: number;
  zoom: number;
}
export const DEFAULT_ORBIT: OrbitCamera = { azimuth: 30, elevation: 20, zoom: 1 };
const defaultPaneViews = (): Record<PaneKind, PaneView> => ({
  axial: { zoom: 1, panMm: [0, 0] },
  coronal: { zoom: 1, panMm: [0, 0] },
  sagittal: { zoom: 1, panMm: [0, 0] },
  '3d': { zoom: 1, panMm: [0, 0] },
});
export type Convention = 'radiological' | 'neurological';
export const RENDER_MODES = ['mip', 'composite', 'iso'] as const;
export type RenderMode = (typeof RENDER_MODES)[number];
export const isRenderMode = (s: string): s is RenderMode => (RENDER_MODES as readonly string[]).includes(s);
/** What a MIP-style ray keeps: the maximum (MIP), the minimum (MinIP) or the mean (average intensity). */
export type Projection = 'max' | 'min' | 'mean';

/** How the 3D pane renders a layer: transfer function (composite) and threshold (iso), scaled units. */
export interface VolumeStyle {
  /** [scaled value, opacity 0…1], sorted by value. */
  points: [number, number][];
  colormap: ColormapName;
  iso: number;
  /** [scaled value, r, g, b] (0…1), sorted: where given, the colour ramp instead of the colormap (volume/transfer.ts). */
  colors?: [number, number, number, number][];
  /** Gradient (Blinn-Phong) shading in composite mode; off where absent (volume/transfer.ts Shading). */
  shading?: { on: boolean; ambient: number; diffuse: number; specular: number; specularPower: number };
}
/** The 3D pane's clip box: an axis-aligned box in world (RAS mm). */
export interface ClipBox {
  lo: Vec3;
  hi: Vec3;
}
export type Vec3 = [number, number, number];

/** What a left drag does in a slice pane: move the crosshair, or draw a measurement. */
export type MeasureTool = 'crosshair' | 'line' | 'angle' | 'ellipse' | 'rectangle';
export type MeasureKind = Exclude<MeasureTool, 'crosshair'>;
export const MEASURE_TOOLS: readonly MeasureTool[] = ['crosshair', 'line', 'angle', 'ellipse', 'rectangle'];

/**
 * A measurement drawn on a slice pane, in world mm: a line (distance and profile: 2 points), an
 * angle (arm end, vertex, arm end), an ellipse or rectangle ROI (two opposite corners of its box
 * on the pane's plane). Values are computed from the layers it was drawn on, while they are open.
 */
export interface Measurement {
  id: string;
  kind: MeasureKind;
  plane: 'axial' | 'coronal' | 'sagittal';
  points: Vec3[];
  layers: { id: string; name: string }[];
  /** The user's name for it (shown in the panel and on the image). */
  name?: string;
  /** Its colour on the image (CSS colour); absent: the default cyan. */
  color?: string;
  /**
   * Drawn on a turned plane (oblique MPR): the plane's in-plane unit axes (the pane's screen right
   * and up when drawn) and unit normal, world RAS. Absent: the pane's patient-axis plane.
   */
  axes?: PlaneAxes;
}

/** A plane's orthonormal frame in world RAS: in-plane axes u, v and the normal. */
export interface PlaneAxes {
  u: Vec3;
  v: Vec3;
  normal: Vec3;
}

/** A pinned probe: a world point and the layers open when it was pinned (values are read live). */
export interface PinnedProbe {
  id: string;
  label: string;
  world: Vec3;
  layers: { id: string; name: string }[];
}

export interface ViewerState {
  layers: LayerMeta[];
  loads: LoadProgress[];
  /** Notices shown now (the tray shows the newest few). */
  notices: Notice[];
  /** The last NOTICE_HISTORY notices raised, dismissed or not, with their times. */
  noticeHistory: Notice[];
  /** Open while a drop's DICOM files hold several series and the user has not picked one. */
  seriesChoice: SeriesChoice | null;
  setSeriesChoice(choice: SeriesChoice | null): void;
  /** World (RAS mm) point every view is centred on; null until the first volume arrives. */
  crosshair: Vec3 | null;
  /** Counts chunks that arrived for full-resolution probes: the probe panel reads again when it changes. */
  chunksArrived: number;
  pins: PinnedProbe[];
  tool: MeasureTool;
  measurements: Measurement[];
  /** The measurement being drawn (not yet in the list). */
  draft: Measurement | null;
  /** The line whose profile the plot shows. */
  selectedLine: string | null;
  /** The profile sample under the plot's cursor, as a fraction along the selected line. */
  profileHover: number | null;
  /** World point under the pointer, null when the pointer is outside every view. */
  cursor: Vec3 | null;
  layout: Layout;
  /** The large pane of the 1+3 layout. */
  primaryPane: PaneKind;
  /** Size in CSS pixels of every pane currently laid out (absent when not shown). */
  paneSizes: Partial<Record<PaneKind, [number, number]>>;
  paneViews: Record<PaneKind, PaneView>;
  orbit: OrbitCamera;
  showCrosshair: boolean;
  convention: Convention;
  renderMode: RenderMode;
  /** Frames per second of 4D layers that are playing (absent: paused). */
  playing: Record<string, number>;
  projection: Projection;
  /** Per layer; absent until the user (or the API) sets one: defaults come from the layer's range. */
  volumeStyles: Record<string, VolumeStyle>;
  clip: ClipBox | null;
  /** Remove the octant of the volume facing the camera, cornered at the crosshair. */
  cut: boolean;
  /** Ray samples per voxel (0.5–2). */
  quality: number;
  /** Empty-space skipping in the ray caster (exact; off only to measure or compare it). */
  skipEmpty: boolean;
  /** The 3D pane samples the exact texture (eight fetches a sample) rather than its filtered render copy. */
  exactSamples: boolean;
  /** True while the user drags in the 3D pane: it renders coarser until the pointer stops. */
  interacting: boolean;
  /** The layer chosen in the layer panel: right-drag windows it (when it is an intensity layer). */
  selectedLayer: string | null;
  /** The panes' corner text names the patient, ID and series (DICOM); off before sharing a screenshot. */
  showPatient: boolean;
  /** Oblique MPR: the rotation applied to the patient-axis triplet of the slice panes (state/orientation.ts). */
  orientation: Mat3;
  /** Each slice pane's thick slab (thickness 0: a thin slice). */
  slabs: Record<SlicePlane, Slab>;

  /** Inserts at `index` (0 = bottom), or on top. */
  addLayer(layer: LayerMeta, index?: number): void;
  moveLayer(id: string, index: number): void;
  setLabelLookup(id: string, name: string | undefined): void;
  setPaneSize(pane: PaneKind, size: [number, number] | null): void;
  setPaneView(pane: PaneKind, view: Partial<PaneView>): void;
  setOrbit(orbit: Partial<OrbitCamera>): void;
  resetViews(): void;
  setShowCrosshair(show: boolean): void;
  setPrimaryPane(pane: PaneKind): void;
  setPlaying(id: string, fps: number | null): void;
  setProjection(projection: Projection): void;
  setVolumeStyle(id: string, style: VolumeStyle): void;
  setClip(clip: ClipBox | null): void;
  setCut(cut: boolean): void;
  setQuality(quality: number): void;
  setSkipEmpty(on: boolean): void;
  setExactSamples(on: boolean): void;
  setInteracting(interacting: boolean): void;
  selectLayer(id: string | null): void;
  setShowPatient(show: boolean): void;
  setOrientation(rotation: Mat3): void;
  setSlab(plane: SlicePlane, slab: Slab): void;
  removeLayer(id: string): void;
  setDisplay(id: string, display: Partial<DisplaySettings>): void;
  setStats(id: string, stats: VolumeStats): void;
  /** Changes a layer's metadata in place (arrival progress, what a finished load learnt). */
  patchLayer(id: string, patch: Partial<Pick<LayerMeta, 'arriving' | 'dicom' | 'dims' | 'affine' | 'axcodes' | 'stats' | 'bufferId' | 'pyramid' | 'fullDims' | 'slabs'>>): void;
  setCrosshair(world: Vec3 | null): void;
  setPins(pins: PinnedProbe[]): void;
  setTool(tool: MeasureTool): void;
  setMeasurements(measurements: Measurement[]): void;
  setDraft(draft: Measurement | null): void;
  setSelectedLine(id: string | null): void;
  setProfileHover(f: number | null): void;
  setCursor(world: Vec3 | null): void;
  setLayout(layout: Layout): void;
  setConvention(convention: Convention): void;
  setRenderMode(mode: RenderMode): void;
  startLoad(load: LoadProgress): void;
  progressLoad(jobId: number, loadedBytes: number, totalBytes?: number, fetchedBytes?: number): void;
  endLoad(jobId: number): void;
  chunkArrived(): void;
  /** What a load is called, once it is known (a PACS series' description arrives with its metadata). */
  renameLoad(jobId: number, name: string): void;
  notify(notice: Omit<Notice, 'id' | 'time'>): number;
  dismiss(id: number): void;
}

let nextNotice = 1;

/** `?layout=` on the page, else the clinical default: three planes and the 3D pane. */
function initialLayout(): Layout {
  const param = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('layout') : null;
  return param && isLayout(param) ? param : '2x2';
}

export const useViewerStore = create<ViewerState>()((set) => ({
  layers: [],
  loads: [],
  notices: [],
  noticeHistory: [],
  seriesChoice: null,
  setSeriesChoice: (seriesChoice) => set({ seriesChoice }),
  crosshair: null,
  chunksArrived: 0,
  pins: [],
  tool: 'crosshair',
  measurements: [],
  draft: null,
  selectedLine: null,
  profileHover: null,
  cursor: null,
  layout: initialLayout(),
  primaryPane: 'axial',
  paneSizes: {},
  paneViews: defaultPaneViews(),
  orbit: DEFAULT_ORBIT,
  showCrosshair: true,
  convention: 'radiological',
  renderMode: 'composite',
  playing: {},
  projection: 'max',
  volumeStyles: {},
  clip: null,
  cut: false,
  quality: 1,
  skipEmpty: true,
  exactSamples: false,
  interacting: false,

  addLayer: (layer, index) =>
    set((s) => {
      const layers = [...s.layers];
      layers.splice(index === undefined ? layers.length : Math.max(0, Math.min(layers.length, index)), 0, layer);
      return { layers };
    }),
  moveLayer: (id, index) =>
    set((s) => {
      const from = s.layers.findIndex((l) => l.id === id);
      if (from < 0) return {};
      const layers = [...s.layers];
      const [moved] = layers.splice(from, 1);
      layers.splice(Math.max(0, Math.min(layers.length, index)), 0, moved);
      return { layers };
    }),
  setLabelLookup: (id, labelLookup) => set((s) => ({ layers: s.layers.map((l) => (l.id === id ? { ...l, labelLookup } : l)) })),
  setPaneSize: (pane, size) =>
    set((s) => {
      const old = s.paneSizes[pane];
      if (size && old && old[0] === size[0] && old[1] === size[1]) return {};
      if (!size && !old) return {};
      const paneSizes = { ...s.paneSizes };
      if (size) paneSizes[pane] = size;
      else delete paneSizes[pane];
      return { paneSizes };
    }),
  setPaneView: (pane, view) => set((s) => ({ paneViews: { ...s.paneViews, [pane]: { ...s.paneViews[pane], ...view } } })),
  setOrbit: (orbit) => set((s) => ({ orbit: { ...s.orbit, ...orbit } })),
  resetViews: () => set({ paneViews: defaultPaneViews(), orbit: DEFAULT_ORBIT, orientation: IDENTITY3 }),
  setShowCrosshair: (showCrosshair) => set({ showCrosshair }),
  setPrimaryPane: (primaryPane) => set({ primaryPane }),
  setPlaying: (id, fps) =>
    set((s) => {
      const playing = { ...s.playing };
      if (fps && fps > 0) playing[id] = fps;
      else delete playing[id];
      return { playing };
    }),
  setProjection: (projection) => set({ projection }),
  setVolumeStyle: (id, style) => set((s) => ({ volumeStyles: { ...s.volumeStyles, [id]: style } })),
  setClip: (clip) => set({ clip }),
  setCut: (cut) => set({ cut }),
  setQuality: (quality) => set({ quality: Math.min(2, Math.max(0.5, quality)) }),
  setSkipEmpty: (skipEmpty) => set({ skipEmpty }),
  setExactSamples: (exactSamples) => set({ exactSamples }),
  setInteracting: (interacting) => set({ interacting }),
  selectedLayer: null,
  selectLayer: (selectedLayer) => set({ selectedLayer }),
  showPatient: true,
  setShowPatient: (showPatient) => set({ showPatient }),
  orientation: IDENTITY3,
  setOrientation: (orientation) => set({ orientation }),
  slabs: thinSlabs(),
  setSlab: (plane, slab) => set((s) => ({ slabs: { ...s.slabs, [plane]: slab } })),
  removeLayer: (id) =>
    set((s) => {
      const playing = { ...s.playing };
      delete playing[id];
      const volumeStyles = { ...s.volumeStyles };
      delete volumeStyles[id];
      // Its notices leave with it (they stay in the history).
      const notices = s.notices.filter((n) => n.layerId !== id);
      return { layers: s.layers.filter((l) => l.id !== id), playing, volumeStyles, selectedLayer: s.selectedLayer === id ? null : s.selectedLayer, notices };
    }),
  setDisplay: (id, display) =>
    set((s) => ({
      // One layer is cast in 3D: choosing it clears the others' choice.
      layers: s.layers.map((l) => (l.id === id ? { ...l, display: { ...l.display, ...display } } : display.render3d && l.display.render3d ? { ...l, display: { ...l.display, render3d: false } } : l)),
    })),
  setStats: (id, stats) => set((s) => ({ layers: s.layers.map((l) => (l.id === id ? { ...l, stats } : l)) })),
  patchLayer: (id, patch) => set((s) => ({ layers: s.layers.map((l) => (l.id === id ? { ...l, ...patch } : l)) })),
  setCrosshair: (crosshair) => set({ crosshair }),
  setPins: (pins) => set({ pins }),
  setTool: (tool) => set({ tool, draft: null }),
  setMeasurements: (measurements) => set({ measurements }),
  setDraft: (draft) => set({ draft }),
  setSelectedLine: (selectedLine) => set({ selectedLine, profileHover: null }),
  setProfileHover: (profileHover) => set({ profileHover }),
  setCursor: (cursor) => set({ cursor }),
  setLayout: (layout) => set({ layout }),
  setConvention: (convention) => set({ convention }),
  setRenderMode: (renderMode) => set({ renderMode }),
  startLoad: (load) => set((s) => ({ loads: [...s.loads, load] })),
  progressLoad: (jobId, loadedBytes, totalBytes, fetchedBytes) =>
    set((s) => ({ loads: s.loads.map((l) => (l.jobId === jobId ? { ...l, loadedBytes, totalBytes, ...(fetchedBytes === undefined ? {} : { fetchedBytes }) } : l)) })),
  endLoad: (jobId) => set((s) => ({ loads: s.loads.filter((l) => l.jobId !== jobId) })),
  chunkArrived: () => set((s) => ({ chunksArrived: s.chunksArrived + 1 })),
  renameLoad: (jobId, name) => set((s) => ({ loads: s.loads.map((l) => (l.jobId === jobId ? { ...l, name } : l)) })),
  notify: (notice) => {
    const id = nextNotice++;
    const raised: Notice = { ...notice, id, time: Date.now() };
    set((s) => ({ notices: [...s.notices, raised], noticeHistory: [...s.noticeHistory, raised].slice(-NOTICE_HISTORY) }));
    return id;
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
