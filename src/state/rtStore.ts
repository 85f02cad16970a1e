// Structure sets (RTSTRUCT) open in the viewer: their structures' names, colours and visibility in
// a small store; their geometry (grouped contours) in a plain map beside it, out of reactivity, as
// layers keep voxels in the layer registry. Also the isodose display settings.
import { create } from 'zustand';
import type { Structure } from '../io/dicom/rt/structure';

export interface StructureEntry {
  /** `${setId}:${roiNumber}` */
  id: string;
  setId: string;
  roiNumber: number;
  name: string;
  rgb: [number, number, number];
  interpretedType?: string;
  visible: boolean;
  /** From the contours: Σ plane area × slab (mm³); undefined for a single-plane structure. */
  contourVolumeMm3?: number;
  /** No closed planar contour with an area: listed, never drawn. */
  empty: boolean;
}

export interface StructureSetEntry {
  id: string;
  name: string;
  seriesUid: string;
  studyUid: string;
  frameOfReferenceUid?: string;
  referencedSeriesUid?: string;
}

export type IsodoseUnit = 'Gy' | 'percent-max' | 'percent-prescription';

export interface IsodoseSettings {
  /** The dose layer drawn as isodose lines (null: none). */
  layerId: string | null;
  /** Levels in `unit`. */
  levels: number[];
  unit: IsodoseUnit;
  /** Gy, for 'percent-prescription'. */
  prescriptionGy: number;
  /** Lines at the levels, colour bands between them, or both. */
  style: 'lines' | 'bands' | 'both';
}

/** Colours of isodose levels, highest first (the usual warm-to-cold order of planning systems). */
export const ISODOSE_COLOURS = ['#ff2d2d', '#ff8c1a', '#ffe01a', '#7cff4d', '#1ad9ff', '#3d6bff', '#c04dff', '#ff4dc4'];

interface RtState {
  sets: StructureSetEntry[];
  structures: StructureEntry[];
  isodose: IsodoseSettings;
  addSet(set: StructureSetEntry, structures: StructureEntry[]): void;
  removeSet(id: string): void;
  setVisible(structureId: string, visible: boolean): void;
  setAllVisible(setId: string, visible: boolean): void;
  setIsodose(patch: Partial<IsodoseSettings>): void;
}

export const useRtStore = create<RtState>()((set) => ({
  sets: [],
  structures: [],
  isodose: { layerId: null, levels: [95, 80, 50, 20], unit: 'percent-max', prescriptionGy: 60, style: 'lines' },
  addSet: (s, structures) => set((st) => ({ sets: [...st.sets, s], structures: [...st.structures, ...structures] })),
  removeSet: (id) => {
    for (const s of useRtStore.getState().structures) if (s.setId === id) geometry.delete(s.id);
    set((st) => ({ sets: st.sets.filter((s) => s.id !== id), structures: st.structures.filter((s) => s.setId !== id) }));
  },
  setVisible: (structureId, visible) => set((st) => ({ structures: st.structures.map((s) => (s.id === structureId ? { ...s, visible } : s)) })),
  setAllVisible: (setId, visible) => set((st) => ({ structures: st.structures.map((s) => (s.setId === setId ? { ...s, visible } : s)) })),
  setIsodose: (patch) => set((st) => ({ isodose: { ...st.isodose, ...patch } })),
}));

/** Each structure's geometry, by structure id (absent for empty structures). */
const geometry = new Map<string, Structure>();

export const structureGeometry = (id: string): Structure | undefined => geometry.get(id);
export const setStructureGeometry = (id: string, s: Structure): void => void geometry.set(id, s);
