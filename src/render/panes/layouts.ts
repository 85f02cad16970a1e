// Which panes a layout shows and where (CSS grid areas). Pure, so the DOM grid and the canvas's
// compositor agree on the panes.
import type { Layout, PaneKind } from '../../state/viewerStore';

export interface PaneSlot {
  kind: PaneKind;
  /** CSS grid-area: row-start / column-start / row-end / column-end. */
  area: string;
  small?: boolean;
}

const ORDER: PaneKind[] = ['axial', 'coronal', 'sagittal', '3d'];

export function layoutPanes(layout: Layout, primary: PaneKind): PaneSlot[] {
  switch (layout) {
    case 'axial':
    case 'coronal':
    case 'sagittal':
    case '3d':
      return [{ kind: layout, area: '1 / 1 / 2 / 2' }];
    case '2x2':
      return [
        { kind: 'axial', area: '1 / 1 / 2 / 2' },
        { kind: 'coronal', area: '1 / 2 / 2 / 3' },
        { kind: 'sagittal', area: '2 / 1 / 3 / 2' },
        { kind: '3d', area: '2 / 2 / 3 / 3' },
      ];
    case '1+3':
      return [
        { kind: primary, area: '1 / 1 / 4 / 2' },
        ...ORDER.filter((k) => k !== primary).map((kind, i) => ({ kind, area: `${i + 1} / 2 / ${i + 2} / 3`, small: true })),
      ];
  }
}

export const gridTemplate = (layout: Layout): { columns: string; rows: string } =>
  layout === '2x2' ? { columns: '1fr 1fr', rows: '1fr 1fr' } : layout === '1+3' ? { columns: '3fr 1fr', rows: '1fr 1fr 1fr' } : { columns: '1fr', rows: '1fr' };

/** Keyboard shortcuts for the layouts (shown in the toolbar's tooltips). */
export const LAYOUT_KEYS: Record<string, Layout> = { '1': 'axial', '2': 'coronal', '3': 'sagittal', '4': '3d', '5': '2x2', '6': '1+3' };
export const LAYOUT_LABEL: Record<Layout, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal', '3d': '3D', '2x2': '2×2', '1+3': '1+3' };
