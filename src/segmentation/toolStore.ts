// The segment editor's tool settings, shared by the Segment panel (which sets them) and the slice
// panes' pointer handling (render/panes/SegmentTool.tsx, which uses them).
import { create } from 'zustand';

export type SegmentToolKind = 'brush' | 'eraser' | 'threshold' | 'grow' | 'outline';

export interface SegmentToolState {
  /** null: the panes keep their usual pointer (crosshair, measurements). */
  tool: SegmentToolKind | null;
  radiusMm: number;
  shape: 'disk' | 'sphere';
  /** Threshold brush and region grow: the reference image's scaled range. */
  range: [number, number];
  connectivity: 6 | 26;
  /** Region grow in the clicked slice only. */
  grow2d: boolean;
}

export const useSegmentTool = create<SegmentToolState>()(() => ({ tool: null, radiusMm: 3, shape: 'disk', range: [0, 100], connectivity: 6, grow2d: false }));

export const setSegmentTool = (patch: Partial<SegmentToolState>) => useSegmentTool.setState(patch);
