import { create } from 'zustand';
import type { Mat4 } from '../volume/affine';
import type { DataType } from '../volume/dataTypes';
import type { VolumeFormat, VolumeStats } from '../volume/header';

export const COLORMAPS = ['gray', 'hot', 'viridis', 'cool', 'red', 'green', 'blue'] as const;
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
}

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
}

export interface LoadProgress {
  jobId: number;
  name: string;
  loadedBytes: number;
  totalBytes?: number;
  cancel: () => void;
}

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  title: string;
  message: string;
  code?: string;
}

export type Layout = 'axial' | 'coronal' | 'sagittal' | '3d' | '2x2' | '1+3';
export type Convention = 'radiological' | 'neurological';
export type RenderMode = 'mip' | 'composite' | 'iso';
export type Vec3 = [number, number, number];

export interface ViewerState {
  layers: LayerMeta[];
  loads: LoadProgress[];
  notices: Notice[];
  /** World (RAS mm) point every view is centred on; null until the first volume arrives. */
  crosshair: Vec3 | null;
  /** World point under the pointer, null when the pointer is outside every view. */
  cursor: Vec3 | null;
  layout: Layout;
  convention: Convention;
  renderMode: RenderMode;

  addLayer(layer: LayerMeta): void;
  removeLayer(id: string): void;
  setDisplay(id: string, display: Partial<DisplaySettings>): void;
  setStats(id: string, stats: VolumeStats): void;
  setCrosshair(world: Vec3 | null): void;
  setCursor(world: Vec3 | null): void;
  setLayout(layout: Layout): void;
  setConvention(convention: Convention): void;
  setRenderMode(mode: RenderMode): void;
  startLoad(load: LoadProgress): void;
  progressLoad(jobId: number, loadedBytes: number, totalBytes?: number): void;
  endLoad(jobId: number): void;
  notify(notice: Omit<Notice, 'id'>): number;
  dismiss(id: number): void;
}

let nextNotice = 1;

export const useViewerStore = create<ViewerState>()((set) => ({
  layers: [],
  loads: [],
  notices: [],
  crosshair: null,
  cursor: null,
  layout: 'axial',
  convention: 'radiological',
  renderMode: 'mip',

  addLayer: (layer) => set((s) => ({ layers: [...s.layers, layer] })),
  removeLayer: (id) => set((s) => ({ layers: s.layers.filter((l) => l.id !== id) })),
  setDisplay: (id, display) =>
    set((s) => ({
      layers: s.layers.map((l) => (l.id === id ? { ...l, display: { ...l.display, ...display } } : l)),
    })),
  setStats: (id, stats) => set((s) => ({ layers: s.layers.map((l) => (l.id === id ? { ...l, stats } : l)) })),
  setCrosshair: (crosshair) => set({ crosshair }),
  setCursor: (cursor) => set({ cursor }),
  setLayout: (layout) => set({ layout }),
  setConvention: (convention) => set({ convention }),
  setRenderMode: (renderMode) => set({ renderMode }),
  startLoad: (load) => set((s) => ({ loads: [...s.loads, load] })),
  progressLoad: (jobId, loadedBytes, totalBytes) =>
    set((s) => ({ loads: s.loads.map((l) => (l.jobId === jobId ? { ...l, loadedBytes, totalBytes } : l)) })),
  endLoad: (jobId) => set((s) => ({ loads: s.loads.filter((l) => l.jobId !== jobId) })),
  notify: (notice) => {
    const id = nextNotice++;
    set((s) => ({ notices: [...s.notices, { ...notice, id }] }));
    return id;
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));
