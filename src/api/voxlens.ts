// window.voxlens: the typed automation API (ARCHITECTURE.md). It calls the same actions as the UI.
import { isLoadError, VoxlensLoadError, type LoadError } from '../io/errors';
import { closeLayer, loadVolume, memoryReport, moveLayer, probe, probeAsync, viewLayer, type ProbeResult, type Source, type ViewHandle } from '../state/actions';
import { isDicomSource, loadDicom } from '../state/dicomLoad';
import { openPacsAny } from '../state/rtPacs';
import { chunkCache, gpuBudgetBytes } from '../state/runtime';
import { detailBytes, detailState } from '../state/paneDetail';
import type { ChunkCacheStats } from '../memory/chunkCache';
import { dicomWebBase, listSeries, searchStudies, type SeriesSummary, type StudyQuery, type StudySummary } from '../io/dicomweb/qido';
import {
  isColormap,
  isInterpolation,
  isLayout,
  isRenderMode,
  LAYOUTS,
  useViewerStore,
  type DisplaySettings,
  type Layout,
  type LayerMeta,
  type OrbitCamera,
  type Projection,
  type RenderMode,
  type Vec3,
} from '../state/viewerStore';
import { volumeStyleOf, withPreset } from '../state/volumeStyle';
import { addPin, clearPins, editMeasurement, exportMeasurements, removeMeasurement, exportPins, layerProfile, layerRoi, layerTimeCourse, labelVolumes, listMeasurements, listPins, removePin, renamePin, type LabelVolume, type MeasurementInfo, type PinInfo } from '../state/measurements';
import { PLANE_AXES, type RoiStats } from '../volume/measure';
import { normalizeColors, normalizePoints, NO_SHADING, type ColorPoint, type Shading, type TransferPoint } from '../volume/transfer';
import { activePresetName, presetNamed, VOLUME_PRESETS } from '../volume/presets';
import { textureCaps } from '../gpu/caps';
import { PerspectiveCamera, Vector3 } from 'three';
import { requestFrame } from '../render/frameSignal';
import { paneScenes } from '../render/panes/paneRegistry';
import { textureFor, textureStats } from '../render/textures/textureCache';
import { renderPathOf } from '../render/textures/renderCopyTexture';
import { volumeLayers } from '../state/layerRoles';
import { textureFormatFor } from '../render/textures/textureFormats';
import type { Mat4 } from '../volume/affine';
import { frameCount } from '../volume/header';
import { segmentationApi } from './segmentation';
import { viewStateApi } from './viewState';
import { orientationApi, roiAxes } from './orientation';
import { rtApi } from './rtApi';

export interface LayerInfo {
  id: string;
  name: string;
  format: string;
  dims: number[];
  datatype: string;
  slope: number;
  inter: number;
  /** 4×4 row-major, voxel → RAS mm. */
  affine: number[][];
  axcodes: string;
  /**
   * Where the texture is bricks: `slabs`, the depth of each z-slab (the grid deeper than the GPU's
   * 3D size limit, or in several buffers); `tiles`, the tiles along x and y each slab is cut into
   * (x or y past that limit).
   */
  texture: { internalFormat: string; converted?: string; slabs?: number[]; tiles?: number[] };
  display: DisplaySettings;
  /** Stored (raw) value range: sampled at first, `exact` once every voxel was read off the main thread. */
  range: { min: number; max: number; exact: boolean };
  /** While a series is drawn as it arrives: slices in memory, of how many. Absent once all are in. */
  arriving?: { slices: number; of: number };
  /**
   * A multiscale image (OME-Zarr): the level drawn (0 = full resolution) of `levels`, and the level
   * it is refined to as finer levels arrive (equal to `level` once done, or when refining stopped).
   */
  pyramid?: { level: number; levels: number; target: number };
  /** Drawn from a coarser grid than the stored one (dims above): the full-resolution grid, which probes, pins and views read. */
  fullDims?: number[];
  /** A full grid larger than one buffer holds: the slices (k + t·nz) each of its z-slabs holds, in order (`view(id, { slab })`). */
  slabs?: number[];
}

export interface MemoryInfo {
  buffers: { id: string; bytes: number; pins: { owner: string; label: string }[]; pooled: boolean }[];
  liveBytes: number;
  pooledBytes: number;
  /** GPU bytes of every texture: the layers' and the slice panes' finer-level details. */
  textureBytes: number;
  /** Of which the slice panes' finer-level details (multiscale layers zoomed in). */
  detailBytes: number;
  /**
   * GPU bytes of the empty-space maps, beside textureBytes: each layer's per-brick value ranges
   * (the thick slabs') and the 3D pane's leap distances. Made where a pane first needs them; they
   * count against the GPU budget as the 3D pane's render copy does.
   */
  mapBytes: number;
  /** The voxel budget (`?budgetMiB=`) and the textures' GPU budget (`?gpuBudgetMiB=`). */
  budgetBytes: number;
  gpuBudgetBytes: number;
  leaks: number;
  /** The chunk cache of full-resolution probes: resident, loading and pinned bytes under its budget. */
  chunks: ChunkCacheStats;
}

const rows = (m: Mat4) => [m.slice(0, 4), m.slice(4, 8), m.slice(8, 12), m.slice(12, 16)];

export function layerInfo(l: LayerMeta): LayerInfo {
  const f = textureFormatFor(l.datatype, textureCaps);
  const t = textureFor(l.id);
  // Bricks: the depth of each z-slab (its first tile's), and the tiles where x or y passes the GPU's 3D size limit.
  const perSlab = t ? t.tiles[0] * t.tiles[1] : 1;
  const bricks = t && t.slabs.length > 1 ? { slabs: t.slabStarts.map((_, n) => t.slabs[n * perSlab].image.depth), ...(perSlab > 1 ? { tiles: [...t.tiles] } : {}) } : {};
  return {
    id: l.id,
    name: l.name,
    format: l.format,
    dims: [...l.dims],
    datatype: l.datatype,
    slope: l.slope,
    inter: l.inter,
    affine: rows(l.affine),
    axcodes: l.axcodes,
    texture: { internalFormat: f.internalFormat, ...(f.convert ? { converted: f.convert.reason } : {}), ...bricks },
    display: { ...l.display, window: [...l.display.window], ...(l.display.negative ? { negative: { ...l.display.negative, window: [...l.display.negative.window] } } : {}) },
    range: { min: l.stats.min, max: l.stats.max, exact: l.stats.exact },
    ...(l.arriving ? { arriving: { ...l.arriving } } : {}),
    ...(l.pyramid ? { pyramid: { ...l.pyramid } } : {}),
    ...(l.fullDims ? { fullDims: [...l.fullDims] } : {}),
    ...(l.slabs ? { slabs: [...l.slabs] } : {}),
  };
}

function layerIdOrFirst(id?: string): string {
  const first = useViewerStore.getState().layers[0];
  if (id === undefined && !first) throw new Error('No layer is open.');
  return id ?? first.id;
}

function findLayer(id: string): LayerMeta {
  const layer = useViewerStore.getState().layers.find((l) => l.id === id);
  if (!layer) throw new Error(`No layer with id "${id}".`);
  return layer;
}

function reject(error: LoadError): never {
  throw new VoxlensLoadError(error);
}

export const voxlens = {
  ...viewStateApi,
  ...orientationApi,
  segmentation: segmentationApi,
  /**
   * One volume: a file or URL, or an array of them: a header and its data files (.nhdr + data,
   * .hdr + .img), or the images of a DICOM series (`series` picks one when they hold several).
   */
  async load(source: Source | Source[], opts: { name?: string; series?: string } = {}): Promise<LayerInfo> {
    const sources = Array.isArray(source) ? source : [source];
    if (sources.length === 0) reject({ code: 'missing-file', message: 'load([]) was given no files.' });
    const r = (await isDicomSource(sources[0])) ? await loadDicom(sources, { series: opts.series }) : await loadVolume(sources.length === 1 ? sources[0] : sources, opts);
    if (r.kind === 'error') reject(r);
    return layerInfo(r.value);
  },
  close(id: string): void {
    if (!closeLayer(id)) throw new Error(`No layer with id "${id}".`);
  },
  layers(): LayerInfo[] {
    return useViewerStore.getState().layers.map(layerInfo);
  },
  probe(at: { ijk: number[] } | { world: Vec3 }, id?: string): ProbeResult[] {
    return probe(at, id);
  },
  /** probe(), waiting for what is still loading (full-resolution chunks of a layer drawn from a coarser level). */
  probeAsync(at: { ijk: number[] } | { world: Vec3 }, id?: string): Promise<ProbeResult[]> {
    return probeAsync(at, id);
  },
  /**
   * `samples` points evenly spaced from `from` to `to` (world mm) inclusive on layer `id` (default:
   * the first), each exactly what probe({ world }) returns there; distance in mm from `from`.
   */
  profile(line: { from: Vec3; to: Vec3; samples: number }, id?: string): { distance: number[]; raw: number[]; scaled: number[]; ijk: number[][]; inside: boolean[] } {
    if (![...line.from, ...line.to].every(Number.isFinite)) throw new Error('profile: from and to must be finite world points (mm).');
    if (!(Number.isInteger(line.samples) && line.samples >= 2 && line.samples <= 1_000_000)) throw new Error(`profile: samples must be an integer from 2 to 1000000, not ${line.samples}.`);
    return layerProfile(layerIdOrFirst(id), line.from, line.to, line.samples);
  },
  /** Layer `id`'s voxel across its frames (one entry for a 3D layer); NaN outside its grid. */
  timecourse(at: { ijk: number[] } | { world: Vec3 }, id?: string): { raw: number[]; scaled: number[]; ijk: number[] } {
    return layerTimeCourse(layerIdOrFirst(id), at);
  },
  /** Statistics over the voxels whose centres fall inside an ellipse or rectangle on a pane's plane (scaled units). */
  roi(spec: { shape: 'ellipse' | 'rectangle'; pane: 'axial' | 'coronal' | 'sagittal'; center: Vec3; size: [number, number] }, id?: string): RoiStats {
    if (spec.shape !== 'ellipse' && spec.shape !== 'rectangle') throw new Error(`roi: shape must be 'ellipse' or 'rectangle', not ${String(spec.shape)}.`);
    if (!(spec.pane in PLANE_AXES)) throw new Error(`roi: pane must be axial, coronal or sagittal, not ${String(spec.pane)}.`);
    if (![...spec.center, ...spec.size].every(Number.isFinite)) throw new Error('roi: center and size must be finite (mm).');
    return layerRoi(layerIdOrFirst(id), { shape: spec.shape, plane: spec.pane, center: spec.center, size: spec.size, axes: roiAxes(spec.pane) });
  },
  /** The world point under the pointer in a slice pane (RAS mm), null when the pointer is elsewhere. */
  cursor(): Vec3 | null {
    const c = useViewerStore.getState().cursor;
    return c ? [c[0], c[1], c[2]] : null;
  },
  /** Voxels and mm³ per label value of layer `id`'s displayed frame, counted off the main thread. */
  labelVolumes: (id: string): Promise<LabelVolume[]> => labelVolumes(id),
  /** Lines (length), angles (degrees) and ROIs (statistics per layer) drawn on the slice panes. */
  measurements: (): MeasurementInfo[] => listMeasurements(),
  /** Every measurement with its numbers, as JSON (default) or CSV (one row per ROI and layer). */
  exportMeasurements: (format: 'json' | 'csv' = 'json'): string => {
    if (format !== 'json' && format !== 'csv') throw new Error(`Export as "json" or "csv", not "${String(format)}".`);
    return exportMeasurements(format);
  },
  /** Moves a measurement's points (world mm, same count), or names or colours it; as dragging its handles does. */
  editMeasurement(id: string, patch: { points?: Vec3[]; name?: string; color?: string }): void {
    if (patch.color !== undefined && !(typeof CSS === 'undefined' || CSS.supports('color', patch.color))) throw new Error(`"${patch.color}" is not a CSS colour.`);
    if (!editMeasurement(id, patch)) throw new Error(`No measurement with id "${id}".`);
  },
  /** Removes a measurement (as Delete does for the selected one). */
  removeMeasurement(id: string): void {
    if (!removeMeasurement(id)) throw new Error(`No measurement with id "${id}".`);
  },
  /** Pinned probes: exact values read again at every call; a closed layer's entry says so. */
  pins: {
    add(world: Vec3, label?: string): PinInfo {
      if (!world.every(Number.isFinite)) throw new Error('pins.add: world must be a finite point (mm).');
      const id = addPin(world, label);
      return listPins().find((p) => p.id === id)!;
    },
    list: (): PinInfo[] => listPins(),
    remove(pinId: string): void {
      if (!removePin(pinId)) throw new Error(`No pin with id "${pinId}".`);
    },
    rename(pinId: string, label: string): void {
      if (!renamePin(pinId, label)) throw new Error(`No pin with id "${pinId}".`);
    },
    clear: (): void => clearPins(),
    export(format: 'csv' | 'json'): string {
      if (format !== 'csv' && format !== 'json') throw new Error(`pins.export: format must be 'csv' or 'json', not ${String(format)}.`);
      return exportPins(format);
    },
  },
  view(id: string, opts: { copy?: boolean; slab?: number } = {}): ViewHandle {
    const r = viewLayer(id, opts);
    if (r.kind === 'error') throw new Error(r.message);
    return r.value;
  },
  /** DICOM SEG and RT structure sets: structures, their statistics, Rasterize, the DVH and isodoses (src/api/rtApi.ts). */
  rt: rtApi,
  /** The DICOMweb server (PACS) at /dicom-web or `?dicomweb=`: QIDO-RS search and WADO-RS loads. */
  pacs: {
    async search(query: StudyQuery = {}): Promise<StudySummary[]> {
      const r = await searchStudies(dicomWebBase(), query);
      return r.kind === 'error' ? reject(r) : r.value;
    },
    async series(studyUid: string): Promise<SeriesSummary[]> {
      const r = await listSeries(dicomWebBase(), studyUid);
      return r.kind === 'error' ? reject(r) : r.value;
    },
    /** Opens a series by its modality: images (RTDOSE too) as a layer; SEG and RTSTRUCT as RT objects with the series they refer to (state/rtPacs.ts openPacsAny). */
    async open(studyUid: string, seriesUid: string): Promise<LayerInfo & { structureSets?: string[] }> {
      const r = await openPacsAny(dicomWebBase(), studyUid, seriesUid);
      if (r.kind === 'error') return reject(r);
      return { ...layerInfo(r.value.layer), ...(r.value.structureSets.length ? { structureSets: r.value.structureSets } : {}) };
    },
  },
  memory(): MemoryInfo {
    const report = memoryReport();
    const textures = textureStats();
    const detail = detailBytes();
    return {
      buffers: report.buffers,
      liveBytes: report.liveBytes,
      pooledBytes: report.pooledBytes,
      textureBytes: textures.textureBytes + detail,
      detailBytes: detail,
      mapBytes: textures.mapBytes,
      budgetBytes: report.budgetBytes,
      gpuBudgetBytes,
      leaks: report.leaks,
      chunks: chunkCache.stats(),
    };
  },
  /**
   * The last 50 notices raised (oldest first), with their times and whether the tray still shows
   * them (information and warnings fade; a layer's leave with it).
   */
  notices(): { id: number; kind: 'error' | 'warning' | 'info'; title: string; message: string; code?: string; layerId?: string; time: number; shown: boolean }[] {
    const { noticeHistory, notices } = useViewerStore.getState();
    return noticeHistory.map((n) => ({ ...n, shown: notices.some((a) => a.id === n.id) }));
  },
  /** The shared crosshair (world RAS mm), null before the first volume. */
  crosshair(): Vec3 | null {
    const c = useViewerStore.getState().crosshair;
    return c ? [c[0], c[1], c[2]] : null;
  },
  layout(): Layout {
    return useViewerStore.getState().layout;
  },
  setCrosshair(world: Vec3): void {
    useViewerStore.getState().setCrosshair([world[0], world[1], world[2]]);
  },
  setDisplay(id: string, d: Partial<DisplaySettings>): void {
    const layer = useViewerStore.getState().layers.find((l) => l.id === id);
    if (!layer) throw new Error(`No layer with id "${id}".`);
    if (d.colormap !== undefined && !isColormap(d.colormap)) throw new Error(`Unknown colormap "${d.colormap}".`);
    if (d.window && !(d.window[1] > d.window[0])) throw new Error(`Window [${d.window.join(', ')}] must have high > low.`);
    if (d.interpolation !== undefined && !isInterpolation(d.interpolation)) throw new Error(`Interpolation must be 'nearest' or 'linear', not "${String(d.interpolation)}".`);
    if (d.opacity !== undefined && !(d.opacity >= 0 && d.opacity <= 1)) throw new Error(`Opacity ${d.opacity} is outside 0…1.`);
    if (d.render3d !== undefined && typeof d.render3d !== 'boolean') throw new Error('render3d must be true or false.');
    if (d.negative) {
      const { colormap, window } = d.negative;
      if (!isColormap(colormap) || colormap === 'label') throw new Error(`Unknown negative colormap "${String(colormap)}".`);
      if (!Array.isArray(window) || !(window[0] >= 0 && window[1] > window[0])) throw new Error('The negative window is [threshold, top] in magnitudes, with 0 ≤ threshold < top.');
    }
    if (d.frame !== undefined) {
      const frames = frameCount(layer.dims);
      if (!Number.isInteger(d.frame) || d.frame < 0 || d.frame >= frames) throw new Error(`Frame ${d.frame} is outside 0…${frames - 1}.`);
    }
    useViewerStore.getState().setDisplay(id, d);
  },
  /** A slice pane's zoom (1 fits the volumes) and pan (mm along the pane's right and up). */
  setPaneView(pane: 'axial' | 'coronal' | 'sagittal', view: { zoom?: number; panMm?: [number, number] }): void {
    if (!['axial', 'coronal', 'sagittal'].includes(pane)) throw new Error(`Unknown slice pane "${String(pane)}"; use axial, coronal or sagittal.`);
    if (view.zoom !== undefined && !(view.zoom > 0)) throw new Error(`Zoom ${view.zoom} must be positive.`);
    useViewerStore.getState().setPaneView(pane, { ...(view.zoom !== undefined ? { zoom: view.zoom } : {}), ...(view.panMm ? { panMm: [view.panMm[0], view.panMm[1]] } : {}) });
  },
  /**
   * A slice pane's finer-level boxes (multiscale layers zoomed in past the level they draw): the
   * level and voxel box it wants on the current slice, and whether that box is drawn yet.
   */
  paneDetail(pane: 'axial' | 'coronal' | 'sagittal') {
    return detailState(pane);
  },
  setLayout(layout: Layout): void {
    if (!isLayout(layout)) throw new Error(`Unknown layout "${String(layout)}"; use ${LAYOUTS.join(', ')}.`);
    useViewerStore.getState().setLayout(layout);
  },
  /** Moves a layer in the draw order; 0 is the bottom. */
  moveLayer(id: string, index: number): void {
    if (!Number.isInteger(index)) throw new Error(`Layer index ${index} must be an integer.`);
    if (!moveLayer(id, index)) throw new Error(`No layer with id "${id}".`);
  },
  /** 3D rendering: 'mip' (with `projection` max/min/mean), 'composite' (transfer function) or 'iso'. */
  setRenderMode(mode: RenderMode, opts: { projection?: Projection } = {}): void {
    if (!isRenderMode(mode)) throw new Error(`Unknown render mode "${String(mode)}"; use mip, composite or iso.`);
    if (opts.projection !== undefined && !['max', 'min', 'mean'].includes(opts.projection)) throw new Error(`Projection must be max, min or mean.`);
    const s = useViewerStore.getState();
    s.setRenderMode(mode);
    if (opts.projection) s.setProjection(opts.projection);
  },
  /**
   * The 3D camera in degrees. azimuth 0, elevation 0: from the patient's anterior, superior up
   * (patient right on the screen's left); azimuth 90: from the patient's left; elevation 90: from
   * superior, anterior up. zoom 1 fits the volume.
   */
  setCamera(c: Partial<OrbitCamera>): void {
    for (const [k, v] of Object.entries(c)) if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`Camera ${k} must be a finite number.`);
    if (c.elevation !== undefined && Math.abs(c.elevation) > 90) throw new Error(`Elevation ${c.elevation} is outside −90…90.`);
    if (c.zoom !== undefined && !(c.zoom > 0)) throw new Error(`Zoom ${c.zoom} must be positive.`);
    useViewerStore.getState().setOrbit(c);
  },
  camera(): OrbitCamera {
    return { ...useViewerStore.getState().orbit };
  },
  /** Where the 3D pane's camera is, as last drawn (world mm): for tests that cast their own rays. */
  cameraPose(): { position: Vec3; up: Vec3; direction: Vec3; fovDeg: number; aspect: number } | null {
    const camera = paneScenes.get('3d')?.camera;
    if (!(camera instanceof PerspectiveCamera)) return null;
    const direction = camera.getWorldDirection(new Vector3());
    const up = new Vector3(0, 1, 0).applyQuaternion(camera.quaternion);
    return { position: camera.position.toArray(), up: up.toArray(), direction: direction.toArray(), fovDeg: camera.fov, aspect: camera.aspect };
  },
  /**
   * Composite transfer function: [scaled value, opacity] points, and the colour: [scaled value, r,
   * g, b] points (0…1, linear between them, the end colours beyond), or a colormap across the
   * points' range. `colors` null, or a colormap given without colours, goes back to the colormap;
   * neither given keeps the layer's colours.
   */
  setTransfer(id: string, tf: { points: [number, number][]; colors?: [number, number, number, number][] | null; colormap?: string }): void {
    const layer = findLayer(id);
    const points = normalizePoints(tf.points);
    if (points.length < 2) throw new Error('A transfer function needs at least two finite [value, opacity] points.');
    if (tf.colormap !== undefined && !isColormap(tf.colormap)) throw new Error(`Unknown colormap "${tf.colormap}".`);
    let colors: ColorPoint[] | undefined;
    if (tf.colors) {
      if (!Array.isArray(tf.colors) || !tf.colors.every((c) => Array.isArray(c) && c.length === 4 && c.every((x) => typeof x === 'number' && Number.isFinite(x))))
        throw new Error('Every colour point must be [value, r, g, b] with finite numbers.');
      if (!tf.colors.every((c) => c.slice(1).every((x) => x >= 0 && x <= 1))) throw new Error('Colour components r, g, b must lie in 0…1.');
      colors = normalizeColors(tf.colors);
      if (colors.length === 0) throw new Error('colors is empty: pass null (or leave it out with a colormap) to colour by the colormap.');
    }
    const s = useViewerStore.getState();
    const current = volumeStyleOf(s.volumeStyles, layer);
    const keepColors = tf.colors === undefined && tf.colormap === undefined;
    s.setVolumeStyle(id, { ...current, points, colormap: tf.colormap !== undefined && isColormap(tf.colormap) ? tf.colormap : current.colormap, colors: keepColors ? current.colors : colors });
  },
  /** The layer's composite style as the 3D pane uses it (its default until one is set); `preset`: the preset whose points and colours it holds. */
  transfer(id: string): { points: TransferPoint[]; colors: ColorPoint[] | null; colormap: string; shading: Shading; preset: string | null } {
    const layer = findLayer(id);
    const style = volumeStyleOf(useViewerStore.getState().volumeStyles, layer);
    return {
      points: style.points.map((p): TransferPoint => [p[0], p[1]]),
      colors: style.colors ? style.colors.map((c): ColorPoint => [c[0], c[1], c[2], c[3]]) : null,
      colormap: style.colormap,
      shading: { ...(style.shading ?? NO_SHADING) },
      preset: activePresetName(style),
    };
  },
  /** The volume-rendering presets (3D Slicer's, volume/presets.ts): points and colours in scaled units, and their lighting. */
  presets(): { name: string; points: [number, number][]; colors: [number, number, number, number][]; shading: boolean; ambient: number; diffuse: number; specular: number; specularPower: number }[] {
    return VOLUME_PRESETS.map((p) => ({ ...p, points: p.points.map((q): TransferPoint => [q[0], q[1]]), colors: p.colors.map((c): ColorPoint => [c[0], c[1], c[2], c[3]]) }));
  },
  /** Sets a preset's points, colours and shading on the layer (its colormap and iso value stay). */
  applyPreset(id: string, name: string): void {
    const layer = findLayer(id);
    const p = presetNamed(name);
    if (!p) throw new Error(`No preset "${name}". presets() lists them: ${VOLUME_PRESETS.map((q) => q.name).join(', ')}.`);
    const s = useViewerStore.getState();
    s.setVolumeStyle(id, withPreset(volumeStyleOf(s.volumeStyles, layer), p));
  },
  /** Composite-mode gradient shading (Blinn-Phong, light at the camera): on/off and ambient, diffuse, specular in 0…1, specular power ≥ 1. */
  setShading(id: string, shading: Partial<Shading>): void {
    const layer = findLayer(id);
    if (shading.on !== undefined && typeof shading.on !== 'boolean') throw new Error('Shading "on" must be true or false.');
    for (const k of ['ambient', 'diffuse', 'specular'] as const) {
      const v = shading[k];
      if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= 1)) throw new Error(`Shading ${k} ${v} is outside 0…1.`);
    }
    const power = shading.specularPower;
    if (power !== undefined && !(typeof power === 'number' && power >= 1 && power <= 128)) throw new Error(`Specular power ${power} is outside 1…128.`);
    const s = useViewerStore.getState();
    const current = volumeStyleOf(s.volumeStyles, layer);
    const { on, ambient, diffuse, specular, specularPower } = { ...(current.shading ?? NO_SHADING), ...shading };
    s.setVolumeStyle(id, { ...current, shading: { on, ambient, diffuse, specular, specularPower } });
  },
  /** Isosurface threshold in scaled units. */
  setIso(id: string, value: number): void {
    const layer = findLayer(id);
    if (!Number.isFinite(value)) throw new Error(`Iso value ${value} must be finite.`);
    const s = useViewerStore.getState();
    s.setVolumeStyle(id, { ...volumeStyleOf(s.volumeStyles, layer), iso: value });
  },
  /** The clip box in world mm, null when none is set. */
  clip(): { lo: Vec3; hi: Vec3 } | null {
    const c = useViewerStore.getState().clip;
    return c ? { lo: [...c.lo], hi: [...c.hi] } : null;
  },
  /** Clip box in world mm (null: none); `cut` removes the octant facing the camera at the crosshair. */
  setClip(clip: { lo: Vec3; hi: Vec3 } | null, opts: { cut?: boolean } = {}): void {
    if (clip && ![0, 1, 2].every((a) => clip.hi[a] > clip.lo[a])) throw new Error('The clip box needs hi > lo on every axis.');
    const s = useViewerStore.getState();
    s.setClip(clip ? { lo: [...clip.lo], hi: [...clip.hi] } : null);
    if (opts.cut !== undefined) s.setCut(opts.cut);
  },
  /**
   * Ray samples per voxel, 0.5–2. `skipEmpty: false` turns off empty-space skipping (on by
   * default; it never changes the picture, only the time, so this is for measuring it).
   * `exact: true` samples the exact texture (eight fetches a sample) instead of the filtered
   * render copy, `exact: false` goes back to the fast path; left out, it stays as it is.
   */
  setQuality(samplesPerVoxel: number, opts: { skipEmpty?: boolean; exact?: boolean } = {}): void {
    if (!(samplesPerVoxel >= 0.5 && samplesPerVoxel <= 2)) throw new Error(`Quality ${samplesPerVoxel} is outside 0.5…2 samples per voxel.`);
    useViewerStore.getState().setQuality(samplesPerVoxel);
    if (opts.skipEmpty !== undefined) useViewerStore.getState().setSkipEmpty(opts.skipEmpty);
    if (opts.exact !== undefined) useViewerStore.getState().setExactSamples(opts.exact);
  },
  /**
   * How the 3D pane samples the layer it casts, as of the last frame drawn: 'fast' (its filtered
   * RG8 or R16F render copy) or 'exact' (the exact texture), with the reason where exact.
   */
  renderPath(): { path: 'fast' | 'exact'; reason?: string } {
    const { base } = volumeLayers(useViewerStore.getState().layers);
    const p = base ? renderPathOf(base.id) : undefined;
    if (!p) return { path: 'exact', reason: base ? 'no 3D pane casts the layer' : 'no layer' };
    return p.path === 'fast' ? { path: 'fast' } : { path: 'exact', reason: p.reason };
  },
  /** Renders the 3D pane as while the user drags (half resolution, a quarter of the steps) until turned off. */
  setInteraction(on: boolean): void {
    useViewerStore.getState().setInteracting(on);
  },
  frame(): Promise<void> {
    return requestFrame();
  },
};

export type VoxlensApi = typeof voxlens;

declare global {
  interface Window {
    voxlens: VoxlensApi;
  }
}

export function installApi(): void {
  window.voxlens = voxlens;
}

export { isLoadError };
