// Per-segment statistics of every visible image layer (the Segment panel's table and CSV, and
// voxlens.segmentation.layerStats): the reference image from the editor's exact incremental
// accumulator, every other visible single-channel image layer (not a label map, not still
// arriving) from one pass of layerStatsInSegments at its shown frame.
import { getRecord } from '../state/layerRegistry';
import { useViewerStore } from '../state/viewerStore';
import { DATA_TYPES, voxelView } from '../volume/dataTypes';
import { voxelsPerFrame } from '../volume/header';
import { layerStatsInSegments, type LayerSegmentStats } from './layerStats';
import { getSession, useSegmentationStore } from './session';

export interface ImageLayerStats {
  layerId: string;
  layerName: string;
  /** True for the segmentation's reference image (the base layer). */
  reference: boolean;
  /** 'HU', 'Gy'…, where the layer says. */
  unit?: string;
  rows: (LayerSegmentStats & { name: string })[];
}

/** The statistics of each segment of segmentation `id` in its reference image and every other visible image layer. */
export function imageLayerStats(id: string): ImageLayerStats[] {
  const session = getSession(id);
  const meta = useSegmentationStore.getState().list.find((m) => m.id === id);
  if (!session || !meta) return [];
  const segIds = new Set(useSegmentationStore.getState().list.map((m) => m.id));
  const values = meta.segments.map((s) => s.value);
  const named = (rows: LayerSegmentStats[]) => rows.map((r, n) => ({ ...r, name: meta.segments[n].name }));
  const baseRecord = getRecord(session.baseId);
  const out: ImageLayerStats[] = [];
  if (session.editor.ref) {
    const unit = baseRecord?.header.dicom?.valueUnit;
    out.push({
      layerId: session.baseId,
      layerName: session.baseName,
      reference: true,
      ...(unit ? { unit } : {}),
      rows: named(meta.segments.map((s) => ({ ...session.editor.stats.row(s.value), outside: 0 }))),
    });
  }
  for (const layer of useViewerStore.getState().layers) {
    if (layer.id === session.baseId || segIds.has(layer.id) || !layer.display.visible || layer.display.colormap === 'label' || layer.arriving) continue;
    const record = getRecord(layer.id);
    if (!record || record.slabs || record.fullRes || DATA_TYPES[record.header.datatype].channels !== 1 || record.header.datatype === 'int64' || record.header.datatype === 'uint64') continue;
    const { header } = record;
    const nvox = voxelsPerFrame(header.dims);
    const frame = Math.min(layer.display.frame ?? 0, Math.max(0, record.values.length / nvox - 1));
    const frameValues = voxelView(header.datatype, record.buffer.memory, nvox, frame * nvox * DATA_TYPES[header.datatype].bytesPerVoxel) as ArrayLike<number>;
    const rows = layerStatsInSegments(session.editor.labels, session.grid.dims, session.grid.affine, { values: frameValues, dims: header.dims, affine: header.affine, slope: header.slope, inter: header.inter }, record.inverseAffine, values);
    const unit = header.dicom?.valueUnit;
    out.push({ layerId: layer.id, layerName: layer.name, reference: false, ...(unit ? { unit } : {}), rows: named(rows) });
  }
  return out;
}
