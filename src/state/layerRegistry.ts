// Heavy per-layer objects (the pinned voxel buffer and typed views over it), kept out of the
// reactive stores: those hold ids and metadata only.
import type { Pin } from '../memory/voxelBuffer';
import type { VoxelBuffer } from '../memory/voxelBuffer';
import { invert, type Mat4 } from '../volume/affine';
import { DATA_TYPES, voxelView, type VoxelArray } from '../volume/dataTypes';
import { voxelCount, type VolumeHeader } from '../volume/header';
import type { LabelLookup } from '../volume/labels';
import type { PyramidSource } from '../volume/pyramid';
import type { SampleSource } from '../volume/sampling';
import type { FullResolution } from './fullResolution';

export interface LayerRecord {
  id: string;
  name: string;
  header: VolumeHeader;
  buffer: VoxelBuffer;
  /** The layer's own pin; closing the layer releases this one only. */
  pin: Pin;
  inverseAffine: Mat4;
  /** A typed view over the whole buffer, all frames: what probes read (the first slab's, with `slabs`). */
  values: VoxelArray;
  /** A grid drawn whole from z-slab buffers of whole slices (`buffer` the first); its `fullRes` reads them all. */
  slabs?: VoxelBuffer[];
  /** Label names and colours from a lookup file the user opened for this layer. */
  labels?: LabelLookup;
  /** While a series arrives: 1 for each slice not written yet (probes say "loading" there). */
  pending?: Uint8Array;
  /** Drawn from a coarser level: probes read this full-resolution grid instead (OME-Zarr). */
  fullRes?: FullResolution;
  /** A multiscale image's levels: slice panes zoomed in past the drawn level fetch finer ones (state/paneDetail.ts). */
  pyramid?: PyramidSource;
}

const records = new Map<string, LayerRecord>();

export function addRecord(r: Omit<LayerRecord, 'inverseAffine' | 'values' | 'pending' | 'fullRes' | 'pyramid'>): LayerRecord {
  const record: LayerRecord = {
    ...r,
    inverseAffine: invert(r.header.affine),
    values: voxelView(r.header.datatype, r.buffer.memory, r.slabs ? r.buffer.byteLength / DATA_TYPES[r.header.datatype].bytesPerVoxel : voxelCount(r.header.dims)),
  };
  records.set(r.id, record);
  return record;
}

export const getRecord = (id: string): LayerRecord | undefined => records.get(id);

const replacedListeners = new Set<(id: string) => void>();

/** Told after a layer's voxels were replaced (a finer level arrived): its texture is rebuilt from the new buffer. */
export function onVoxelsReplaced(listener: (id: string) => void): () => void {
  replacedListeners.add(listener);
  return () => replacedListeners.delete(listener);
}

/**
 * Gives a layer another grid of the same image (a finer OME-Zarr level): its header, memory and
 * views change, its id, name and labels stay. The new memory is held by `pin`; the old pin is
 * returned for the caller to release once nothing draws from the old memory.
 */
export function replaceVoxels(record: LayerRecord, header: VolumeHeader, buffer: VoxelBuffer, pin: Pin): Pin {
  const old = record.pin;
  Object.assign(record, { header, buffer, pin, inverseAffine: invert(header.affine), values: voxelView(header.datatype, buffer.memory, voxelCount(header.dims)) });
  delete record.pending;
  for (const l of replacedListeners) l(record.id);
  return old;
}

/** The unit of a layer's grid as its file states it ('mm' unless it says: µm for microscopy, …). */
export const gridUnit = (layerId: string | undefined): string => (layerId !== undefined && records.get(layerId)?.header.spaceUnit) || 'mm';

export function removeRecord(id: string): LayerRecord | undefined {
  const r = records.get(id);
  records.delete(id);
  return r;
}

export function sampleSource(r: LayerRecord): SampleSource {
  return {
    dims: r.header.dims,
    datatype: r.header.datatype,
    channels: DATA_TYPES[r.header.datatype].channels,
    slope: r.header.slope,
    inter: r.header.inter,
    affine: r.header.affine,
    inverseAffine: r.inverseAffine,
    values: r.values,
    pending: r.pending,
  };
}

/** What measurements read: the full grid of a layer drawn from a display level, else its own voxels. */
export const exactSource = (r: LayerRecord): SampleSource => r.fullRes?.source ?? sampleSource(r);
