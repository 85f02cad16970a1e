// window.voxlens.segmentation: create a segmentation on a layer's grid, paint, region grow, undo,
// statistics and export. The same actions the Segment panel calls (src/segmentation/session.ts);
// failures reject with { code, message } (a VoxlensLoadError).
import { VoxlensLoadError, type Result } from '../io/errors';
import type { SlicePlane } from '../state/orientation';
import { dicomWebBase } from '../io/dicomweb/qido';
import { exportDicomSeg, saveDicomSegToPacs } from '../segmentation/dicomSegExport';
import { downloadNifti } from '../segmentation/download';
import { imageLayerStats, type ImageLayerStats } from '../segmentation/imageStats';
import type { Connectivity } from '../segmentation/regionGrow';
import type { Vec3 } from '../segmentation/grid';
import type { SegmentStatsRow } from '../segmentation/segments';
import {
  addSegment,
  createSegmentation,
  editLabelLayer,
  exportNifti,
  fill,
  fillOutline,
  getSession,
  interpolate,
  paint,
  redo,
  removeIslands,
  segmentStats,
  undo,
  updateSegment,
  useSegmentationStore,
  type EditSummary,
} from '../segmentation/session';

function must<T>(r: Result<T>): T {
  if (r.kind === 'error') throw new VoxlensLoadError(r);
  return r.value;
}

const done = async (r: Promise<Result<EditSummary | null>>): Promise<void> => {
  must(await r);
};

export const segmentationApi = {
  /** A new, empty segmentation (a label layer) on the grid of layer `baseId`; `segments` > 255 makes it uint16. */
  async create(baseId: string, o: { name?: string; segments?: number } = {}): Promise<{ id: string }> {
    return must(await createSegmentation(baseId, o));
  },
  /** Opens an existing uint8/uint16 label layer for editing in place (its id is the segmentation's). */
  edit(layerId: string): { id: string } {
    return must(editLabelLayer(layerId));
  },
  /** Writes `value` (0 erases) in a sphere, or a disk in the pane's plane (axial by default), of `radius` mm around `center` (world mm). */
  paint(id: string, o: { center: Vec3; radius: number; shape: 'sphere' | 'disk'; pane?: SlicePlane; value: number; threshold?: [number, number] }): Promise<void> {
    return done(paint(id, o));
  },
  /** 3D region grow from `seed` (world mm) within [lo, hi] of the base layer's scaled values; `pane` makes it 2D in that pane's slice. */
  fill(id: string, o: { seed: Vec3; value: number; range: [number, number]; connectivity: Connectivity; pane?: SlicePlane }): Promise<void> {
    return done(fill(id, o));
  },
  fillOutline(id: string, o: { points: Vec3[]; value: number; pane: SlicePlane }): Promise<void> {
    return done(fillOutline(id, o));
  },
  removeIslands(id: string, value: number): Promise<void> {
    return done(removeIslands(id, value));
  },
  interpolate(id: string, value: number, pane: SlicePlane = 'axial'): Promise<void> {
    return done(interpolate(id, value, pane));
  },
  undo(id: string): Promise<void> {
    return done(undo(id));
  },
  redo(id: string): Promise<void> {
    return done(redo(id));
  },
  stats(id: string): SegmentStatsRow[] {
    return must(segmentStats(id));
  },
  /** Each segment's mean, SD, min and max (scaled) in the reference image and in every other visible image layer (sampled at the segment voxels' centres). */
  layerStats(id: string): ImageLayerStats[] {
    if (!getSession(id)) throw new VoxlensLoadError({ code: 'bad-argument', message: `No segmentation with id "${id}".` });
    return imageLayerStats(id);
  },
  segments(id: string) {
    const meta = useSegmentationStore.getState().list.find((m) => m.id === id);
    if (!meta) throw new VoxlensLoadError({ code: 'bad-argument', message: `No segmentation with id "${id}".` });
    return meta.segments.map((s) => ({ ...s, color: [...s.color] }));
  },
  addSegment(id: string, o: { name?: string; value?: number } = {}): { value: number } {
    return { value: must(addSegment(id, o)).value };
  },
  setSegment(id: string, value: number, patch: { name?: string; color?: [number, number, number]; visible?: boolean; locked?: boolean }): void {
    if (!getSession(id)) throw new VoxlensLoadError({ code: 'bad-argument', message: `No segmentation with id "${id}".` });
    updateSegment(id, value, patch);
  },
  /** Undo and redo steps and the bytes their deltas hold. */
  history(id: string): { undo: number; redo: number; bytes: number } {
    const s = getSession(id);
    if (!s) throw new VoxlensLoadError({ code: 'bad-argument', message: `No segmentation with id "${id}".` });
    const { undo: u, redo: r, bytes } = s.editor.history();
    return { undo: u, redo: r, bytes };
  },
  /** The segmentation's bytes: 'nifti' (any base), or 'dicom-seg' (a base that is a DICOM series; otherwise rejects with the reason). */
  async export(id: string, kind: 'nifti' | 'dicom-seg'): Promise<Uint8Array> {
    if (kind === 'nifti') return must(exportNifti(id));
    if (kind === 'dicom-seg') return must(exportDicomSeg(id)).bytes;
    throw new VoxlensLoadError({ code: 'bad-argument', message: `export: kind must be 'nifti' or 'dicom-seg'; got ${String(kind)}.` });
  },
  /**
   * `{ pacs: false }`: downloads the NIfTI and its colour table. `{ pacs: true }`: a DICOM SEG
   * (DICOM bases only) stored on the PACS with STOW-RS; resolves with its study and series UIDs.
   */
  async save(id: string, o: { pacs: boolean }): Promise<void | { studyUid: string; seriesUid: string; sopInstanceUid: string }> {
    if (!o.pacs) {
      must(downloadNifti(id));
      return;
    }
    const { studyUid, seriesUid, sopInstanceUid } = must(await saveDicomSegToPacs(id, dicomWebBase()));
    return { studyUid, seriesUid, sopInstanceUid };
  },
};
