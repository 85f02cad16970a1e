// The viewing area: the pane grid of the current layout over the one canvas that draws every pane,
// and the keyboard: 1–6 choose a layout, arrows and Page keys page the pane under the pointer (else
// the focused pane), P pins the probe under the cursor, space plays or pauses the topmost 4D layer
// and [ ] step its frames, I shows or hides the patient in the corners. Keys reach the viewer whatever sidebar
// control was used last, except while text is being typed (keys.ts says who gets which key).
import { useEffect } from 'react';
import { pagePane } from '../../state/obliqueActions';
import { addPin, removeMeasurement } from '../../state/measurements';
import { useViewerStore, type PaneKind } from '../../state/viewerStore';
import { gridTemplate, LAYOUT_KEYS, layoutPanes } from './layouts';
import { PaneCanvas } from './PaneCanvas';
import { hoveredPane } from './paneHooks';
import { frameLayer } from './annotations';
import { focusKind, pagingStep, viewerTakesKey } from './keys';
import { stepFrame, togglePlay } from './PaneAnnotations';
import { paneElements } from './paneRegistry';
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
      const focused = focusedPane();
      if (!viewerTakesKey(e.key, focusKind(e.target), hoveredPane() !== null || focused !== null)) return;
      if (e.key === 'Escape') {
        // Drop the measurement being drawn, else go back to the crosshair tool.
        const s = useViewerStore.getState();
        if (s.draft) s.setDraft(null);
        else s.setTool('crosshair');
        return;
      }
      if (e.key === ' ' || e.key === '[' || e.key === ']') {
        // Play or pause, or step, the topmost visible 4D layer (the on-image frame controls).
        const layer = frameLayer(useViewerStore.getState().layers);
        // Space on a focused button or checkbox is that control's own, unless the pointer is over a pane.
        const control = e.target instanceof HTMLElement && e.target.closest('button, input, select, summary, a');
        if (!layer || (e.key === ' ' && control && hoveredPane() === null)) return;
        e.preventDefault();
        if (e.key === ' ') togglePlay(layer.id);
        else stepFrame(layer.id, e.key === ']' ? 1 : -1);
        return;
      }
      if (e.key === 'Delete' || e.key === 'Backspace') {
        // The selected measurement (its handles show on the image) goes.
        const s = useViewerStore.getState();
        if (s.selectedLine && removeMeasurement(s.selectedLine)) e.preventDefault();
        return;
      }
      if (e.key === 'i' || e.key === 'I') {
        // Patient name, ID and series in the panes' corners, on or off (off before sharing a screenshot).
        const s = useViewerStore.getState();
        s.setShowPatient(!s.showPatient);
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
        // A focused select would take the digit as a type-ahead search.
        e.preventDefault();
        useViewerStore.getState().setLayout(layoutKey);
        return;
      }
      const step = pagingStep(e.key);
      if (!step) return;
      const s = useViewerStore.getState();
      const shown = layoutPanes(s.layout, s.primaryPane).map((p) => p.kind);
      const target: PaneKind | undefined = [hoveredPane(), focused, ...shown].find((k): k is Exclude<PaneKind, '3d'> => k !== null && k !== '3d' && shown.includes(k));
      if (!target) return;
      e.preventDefault();
      pagePane(target, step);
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

/** The pane that has keyboard focus (Tab reaches every pane), null when focus is elsewhere. */
function focusedPane(): PaneKind | null {
  const el = document.activeElement;
  for (const [kind, pane] of paneElements) if (pane === el) return kind;
  return null;
}
