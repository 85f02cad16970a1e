// The viewing area: the pane grid of the current layout over the one canvas that draws every pane,
// and the keyboard: 1–6 choose a layout, arrows and Page keys page the pane under the pointer, P
// pins the probe under the cursor.
import { useEffect } from 'react';
import { pageCrosshair } from '../../state/actions';
import { addPin } from '../../state/measurements';
import { useViewerStore, type PaneKind } from '../../state/viewerStore';
import { planeFrame } from '../camera/sliceGeometry';
import { gridTemplate, LAYOUT_KEYS, layoutPanes } from './layouts';
import { PaneCanvas } from './PaneCanvas';
import { hoveredPane } from './paneHooks';
import { SlicePane } from './SlicePane';
import { VolumePane } from './VolumePane';

export function Viewport() {
  const layout = useViewerStore((s) => s.layout);
  const primary = useViewerStore((s) => s.primaryPane);
  const panes = layoutPanes(layout, primary);
  const grid = gridTemplate(layout);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTyping(e.target)) return;
      if (e.key === 'Escape') {
        // Drop the measurement being drawn, else go back to the crosshair tool.
        const s = useViewerStore.getState();
        if (s.draft) s.setDraft(null);
        else s.setTool('crosshair');
        return;
      }
      if (e.key === 'p' || e.key === 'P') {
        // Pin the probe under the cursor (else at the crosshair).
        const s = useViewerStore.getState();
        const at = s.cursor ?? s.crosshair;
        if (at && s.layers.length > 0) addPin(at);
        return;
      }
      const layoutKey = LAYOUT_KEYS[e.key];
      if (layoutKey) {
        useViewerStore.getState().setLayout(layoutKey);
        return;
      }
      const step = e.key === 'ArrowUp' || e.key === 'PageUp' ? 1 : e.key === 'ArrowDown' || e.key === 'PageDown' ? -1 : 0;
      if (!step) return;
      const s = useViewerStore.getState();
      const shown = layoutPanes(s.layout, s.primaryPane).map((p) => p.kind);
      const target: PaneKind | undefined = [hoveredPane(), ...shown].find((k): k is Exclude<PaneKind, '3d'> => k !== null && k !== '3d' && shown.includes(k));
      if (!target) return;
      e.preventDefault();
      pageCrosshair(planeFrame(target, s.convention).normalAxis, step);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="panes" data-testid="panes" data-layout={layout}>
      <PaneCanvas />
      <div className="pane-grid" style={{ gridTemplateColumns: grid.columns, gridTemplateRows: grid.rows }}>
        {panes.map((p) => (p.kind === '3d' ? <VolumePane key={p.kind} area={p.area} /> : <SlicePane key={p.kind} plane={p.kind} area={p.area} />))}
      </div>
    </div>
  );
}

/** Keys typed into a field (or moving a slider or a select) belong to it, not to the viewer. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA') return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'file'].includes(target.type);
}
