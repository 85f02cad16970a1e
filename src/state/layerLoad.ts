// A load's turn in the layer order and its progress entry, and adding a decoded volume as a layer
// (or swapping a layer's voxels for a finer level): shared by every loader (actions.ts for files
// and URLs, dicomLoad.ts, omeZarrLoad.ts, rtLoad.ts). It imports none of them, so a loader that
// actions.ts opens (omeZarrLoad, on first use) does not import actions.ts back.
import type { Result } from '../io/errors';
import type { DecodedVolume } from '../io/load';
import { transformPoint } from '../volume/affine';
import { DATA_TYPES } from '../volume/dataTypes';
import { frameCount, type VolumeStats } from '../volume/header';
import { looksLikeLabels, NIFTI_INTENT_LABEL } from '../volume/labels';
import { robustWindow } from '../volume/stats';
import { addRecord, getRecord, replaceVoxels } from './layerRegistry';
import { nextOverlayColormap, overlayWindow } from './overlayDefaults';
import { useViewerStore, type LayerMeta, type LoadProgress, type Vec3 } from './viewerStore';

let nextLayer = 1;
let nextJob = 1;

/**
 * Layers join the stack in the order their loads were asked for, whatever order the decodes finish
 * in: each load waits for the loads started before it to settle (added, failed or cancelled).
 * So `?url=a&url=b` always gives a at the bottom (the grey base) and b over it.
 */
let commitQueue: Promise<void> = Promise.resolve();

/** A load's place in the layer order, its job number (progress, performance marks) and its layer id. */
export function takeLoadTurn(): { earlier: Promise<void>; settle: () => void; jobId: number; layerId: string } {
  const earlier = commitQueue;
  let settle = () => {};
  commitQueue = new Promise<void>((resolve) => (settle = resolve));
  return { earlier, settle: () => void earlier.then(settle), jobId: newJobId(), layerId: `layer${nextLayer++}` };
}

/** A number for a progress entry and its performance marks (a load, or a refinement that adds no layer). */
export const newJobId = () => nextJob++;

/** One load's bookkeeping: its turn in the layer order, its progress entry, cancel, and how its errors are told. */
export interface LoadTurn {
  jobId: number;
  layerId: string;
  /** Settles when the loads started before this one have added their layers. */
  earlier: Promise<void>;
  abort: AbortController;
  label: string;
  /** Shows an error (not a cancel) as a notice, and hands the result on. */
  report(r: Result<LayerMeta>): Result<LayerMeta>;
  /** Ends this load's turn: the next load may add its layer. */
  settle(): void;
}

/** Takes a load turn and shows the load's progress (counted in `unit`: bytes unless given), cancellable. */
export function beginLoad(label: string, unit: LoadProgress['unit'], signal?: AbortSignal): LoadTurn {
  const { earlier, settle, jobId, layerId } = takeLoadTurn();
  const abort = new AbortController();
  signal?.addEventListener('abort', () => abort.abort(), { once: true });
  useViewerStore.getState().startLoad({ jobId, name: label, loadedBytes: 0, ...(unit ? { unit } : {}), cancel: () => abort.abort() });
  performance.mark(`voxlens:load-start:${jobId}`);
  const report = (r: Result<LayerMeta>): Result<LayerMeta> => {
    if (r.kind === 'error' && r.code !== 'cancelled') useViewerStore.getState().notify({ kind: 'error', title: `Could not open ${label}`, message: r.message, code: r.code });
    return r;
  };
  return { jobId, layerId, earlier, abort, label, report, settle };
}

/**
 * A load's exact stats come in their own message after its first (sampled) ones, and can arrive
 * before the layer is added (its turn waits for the loads started before it): held until
 * `added()`, then applied, so a layer never waits forever for stats that came early (the 3D pane
 * and frame() wait for the brick ranges in them).
 */
export function heldStats(apply: (stats: VolumeStats) => void): { receive(stats: VolumeStats): void; added(): void } {
  let held: VolumeStats | undefined;
  let isAdded = false;
  return {
    receive(stats) {
      if (isAdded) apply(stats);
      else held = stats;
    },
    added() {
      isAdded = true;
      if (held) apply(held);
    },
  };
}

export function addLayerFromDecode(id: string, name: string, decoded: DecodedVolume): LayerMeta {
  const { header, stats, buffer, drawnSlabs } = decoded;
  const pin = buffer.value.pin('layer', name);
  buffer.pin.release();
  // Names the file carries (a NIfTI extension) make it a label map, whatever its values look like.
  const named = header.labelNames;
  try {
    addRecord({ id, name, header, buffer: buffer.value, pin, ...(drawnSlabs ? { slabs: drawnSlabs } : {}), ...(named ? { labels: named.lookup } : {}) });
  } catch (e) {
    pin.release();
    throw e;
  }
  const isFirst = useViewerStore.getState().layers.length === 0;
  // A scaled volume or one with a display range is a measurement, however few its values (the
  // built-in phantom is piecewise constant); a label map's header asks for neither.
  // 4D label maps are rare (probabilistic atlases are float): a 4D series needs the intent code.
  const measured = header.slope !== 1 || header.inter !== 0 || header.displayRange !== undefined || frameCount(header.dims) > 1;
  const labels = DATA_TYPES[header.datatype].channels === 1 && (named !== undefined || ((header.intentCode === NIFTI_INTENT_LABEL || !measured) && looksLikeLabels(header.datatype, header.intentCode, stats, name)));
  // The file's own display range (cal_min/cal_max) wins over the robust percentiles; an overlay
  // of a signed statistic shows its tails (state/overlayDefaults.ts).
  const baseWindow = header.displayRange ?? robustWindow(stats, header.slope, header.inter);
  const overlay = !isFirst && !labels && DATA_TYPES[header.datatype].channels === 1;
  const { window: defaultWindow, negative } = overlay ? overlayWindow(stats, header.slope, header.inter, baseWindow) : { window: baseWindow, negative: null };
  const meta: LayerMeta = {
    id,
    name,
    format: header.format,
    dims: header.dims,
    datatype: header.datatype,
    datatypeCode: header.datatypeCode,
    slope: header.slope,
    inter: header.inter,
    affine: header.affine,
    axcodes: header.axcodes,
    stats,
    bufferId: buffer.value.id,
    ...(header.dicom ? { dicom: header.dicom } : {}),
    ...(header.frameSeconds ? { frameSeconds: header.frameSeconds } : {}),
    ...(named ? { labelLookup: named.source } : {}),
    display: {
      window: defaultWindow,
      colormap: labels ? 'label' : isFirst ? 'gray' : nextOverlayColormap(useViewerStore.getState().layers),
      negative,
      opacity: isFirst ? 1 : labels ? 0.6 : 0.5,
      visible: true,
      frame: 0,
      interpolation: 'nearest',
      outline: false,
    },
  };
  const s = useViewerStore.getState();
  s.addLayer(meta);
  for (const message of header.notices ?? []) s.notify({ kind: 'warning', title: `${name}: read with a caveat`, message, layerId: id });
  if (isFirst || !s.crosshair) s.setCrosshair(volumeCentre(meta));
  return meta;
}

/**
 * Swaps a layer's voxels for another grid of the same image, as a finer OME-Zarr level arrives:
 * the layer keeps its id, place, window, colormap and frame; panes redraw from the new texture, and
 * the old memory goes back to the pool once nothing draws from it. False (memory released) if the
 * layer was closed meanwhile.
 */
export function replaceLayerVoxels(id: string, decoded: DecodedVolume): boolean {
  const { header, stats, buffer } = decoded;
  const record = getRecord(id);
  if (!record) {
    buffer.pin.release();
    return false;
  }
  const pin = buffer.value.pin('layer', record.name);
  buffer.pin.release();
  const old = replaceVoxels(record, header, buffer.value, pin);
  useViewerStore.getState().patchLayer(id, { dims: header.dims, affine: header.affine, axcodes: header.axcodes, stats, bufferId: buffer.value.id });
  old.release();
  return true;
}

export function volumeCentre(meta: Pick<LayerMeta, 'dims' | 'affine'>): Vec3 {
  const [nx, ny, nz] = meta.dims;
  return transformPoint(meta.affine, [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2]);
}
