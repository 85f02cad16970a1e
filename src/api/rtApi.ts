// window.voxlens.rt: DICOM SEG, RT structure sets, structure statistics, the DVH and isodoses (issue 22).
import { dvhCsv, dvhCurve, niceDoseStep } from '../io/dicom/rt/dvh';
import { sectionOnPlane } from '../io/dicom/rt/planeSection';
import { VoxlensLoadError, type Result } from '../io/errors';
import type { Source } from '../state/actions';
import { rasterizeToLayer, structureDvhs, structureLayerStats, type StructureLayerStats } from '../state/rtAnalysis';
import { openRtObjects, segInfoOf } from '../state/rtLoad';
import { openPacsSeries } from '../state/rtPacs';
import { dicomWebBase } from '../io/dicomweb/qido';
import { structureGeometry, useRtStore, type IsodoseSettings } from '../state/rtStore';
import { useViewerStore, type Vec3 } from '../state/viewerStore';

const value = <T>(r: Result<T>): T => {
  if (r.kind === 'error') throw new VoxlensLoadError(r);
  return r.value;
};

const AXIS = { sagittal: 0, coronal: 1, axial: 2 } as const;

export const rtApi = {
  /** Opens DICOM SEG and RTSTRUCT files or URLs: the SEG's layer ids and the structure sets' ids. */
  async open(source: Source | Source[]): Promise<{ layers: string[]; structureSets: string[] }> {
    const r = value(await openRtObjects((Array.isArray(source) ? source : [source]).map((s) => ({ source: s }))));
    return { layers: r.layers.map((l) => l.id), structureSets: r.structureSets };
  },
  /** Opens a SEG or RTSTRUCT series of the PACS; with `withReferenced` (default), the image series it refers to first when it is not open. */
  async openFromPacs(studyUid: string, seriesUid: string, opts: { withReferenced?: boolean } = {}): Promise<{ layers: string[]; structureSets: string[]; referenced?: string }> {
    const r = value(await openPacsSeries(dicomWebBase(), studyUid, seriesUid, opts.withReferenced ?? true));
    return { layers: r.layers.map((l) => l.id), structureSets: r.structureSets, ...(r.referenced ? { referenced: r.referenced } : {}) };
  },
  /** Every structure of the open structure sets. */
  structures(): { id: string; setId: string; name: string; rgb: [number, number, number]; type?: string; visible: boolean; contourVolumeCm3?: number }[] {
    return useRtStore.getState().structures.map((s) => ({
      id: s.id,
      setId: s.setId,
      name: s.name,
      rgb: [...s.rgb],
      ...(s.interpretedType ? { type: s.interpretedType } : {}),
      visible: s.visible,
      ...(s.contourVolumeMm3 !== undefined ? { contourVolumeCm3: s.contourVolumeMm3 / 1000 } : {}),
    }));
  },
  setVisible(structureId: string, visible: boolean): void {
    useRtStore.getState().setVisible(structureId, visible);
  },
  /** A layer's values over a structure (voxels of the layer's grid whose centres are inside): volume cm³, mean, SD, min, max in the layer's unit. */
  stats(structureId: string, layerId: string): StructureLayerStats {
    return value(structureLayerStats(structureId, layerId));
  },
  /** A structure as a label layer on `layerId`'s grid (voxel in when its centre is inside); the new layer's id. */
  rasterize(structureId: string, layerId: string): string {
    return value(rasterizeToLayer(structureId, layerId)).id;
  },
  /** Cumulative DVHs over dose layer `doseId` (all structures when none are named), with D95, D50, Dmax, Dmean, V20Gy and the curve. */
  dvh(doseId: string, structureIds?: string[]) {
    const rows = value(structureDvhs(doseId, structureIds));
    const maxGy = Math.max(0, ...rows.map((r) => r.dvh.dmax).filter(Number.isFinite));
    const step = niceDoseStep(maxGy);
    return rows.map(({ structureId, name, dvh }) => ({
      structureId,
      name,
      volumeCm3: dvh.volumeCm3,
      d95: dvh.d95,
      d50: dvh.d50,
      dmax: dvh.dmax,
      dmean: dvh.dmean,
      v20Percent: dvh.v20Percent,
      v20Cm3: dvh.v20Cm3,
      curve: dvhCurve(dvh.sorted, step, maxGy),
    }));
  },
  /** The DVH table and curves as CSV (what the DVH panel's Export gives). */
  dvhCsv(doseId: string, structureIds?: string[]): string {
    const rows = value(structureDvhs(doseId, structureIds));
    return dvhCsv(rows, niceDoseStep(Math.max(0, ...rows.map((r) => r.dvh.dmax).filter(Number.isFinite))));
  },
  /** A SEG layer's segments: number, label, colour, category and type. */
  segments(layerId: string) {
    const info = segInfoOf(layerId);
    if (!info) throw new Error(`Layer "${layerId}" is not from a DICOM SEG.`);
    return info.segments.map((s) => ({ ...s, rgb: [...s.rgb] }));
  },
  /** What a slice pane draws of each visible structure at the crosshair: closed polygons or outline segments, world mm. */
  contours(pane: 'axial' | 'coronal' | 'sagittal'): { structureId: string; polygons: Vec3[][]; segments: [Vec3, Vec3][] }[] {
    const crosshair = useViewerStore.getState().crosshair;
    if (!crosshair) return [];
    const axis = AXIS[pane];
    return useRtStore
      .getState()
      .structures.filter((s) => s.visible && structureGeometry(s.id))
      .map((s) => ({ structureId: s.id, ...sectionOnPlane(structureGeometry(s.id)!, axis, crosshair[axis]) }));
  },
  setIsodose(settings: Partial<IsodoseSettings>): void {
    useRtStore.getState().setIsodose(settings);
  },
  isodose(): IsodoseSettings {
    const s = useRtStore.getState().isodose;
    return { ...s, levels: [...s.levels] };
  },
};
