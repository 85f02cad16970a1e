import { useRef, useState, type DragEvent } from 'react';
import { groupFiles, HEADER_TEXT_BYTES } from '../io/fileGroups';
import { loadVolume } from '../state/actions';
import { LAYOUTS, useViewerStore } from '../state/viewerStore';
import { LAYOUT_KEYS, LAYOUT_LABEL } from '../render/panes/layouts';
import { Viewport } from '../render/panes/Viewport';
import { LayerPanel } from './LayerPanel';
import { MemoryPanel } from './MemoryPanel';
import { LoadProgressList, Notices } from './Notices';
import { Playback } from './Playback';
import { MeasurePanel } from './MeasurePanel';
import { PinsPanel } from './PinsPanel';
import { OpenUrl } from './OpenUrl';
import { ProbePanel } from './ProbePanel';
import { VolumePanel } from './VolumePanel';
import { ViewErrorBoundary } from './ViewErrorBoundary';

const KEY_OF = Object.fromEntries(Object.entries(LAYOUT_KEYS).map(([k, l]) => [l, k]));

/** Dropped or picked files: each header with its data files is one volume, every other file one more, in the order given. */
export async function openFiles(files: FileList | File[]) {
  const groups = await groupFiles(Array.from(files), (f) => f.slice(0, HEADER_TEXT_BYTES).text());
  for (const g of groups) void loadVolume(g.companions.length ? [g.main, ...g.companions] : g.main);
}

export function App() {
  const layout = useViewerStore((s) => s.layout);
  const convention = useViewerStore((s) => s.convention);
  const setLayout = useViewerStore((s) => s.setLayout);
  const setConvention = useViewerStore((s) => s.setConvention);
  const showCrosshair = useViewerStore((s) => s.showCrosshair);
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) void openFiles(e.dataTransfer.files);
  };

  return (
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="toolbar">
        <span className="brand">Voxlens</span>
        <button onClick={() => fileInput.current?.click()}>Open…</button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files) void openFiles(Array.from(e.target.files));
            e.target.value = '';
          }}
        />
        <OpenUrl />
        <div className="segmented" role="group" aria-label="Layout">
          {LAYOUTS.map((l) => (
            <button key={l} aria-pressed={layout === l} onClick={() => setLayout(l)} title={`${LAYOUT_LABEL[l]} layout (key ${KEY_OF[l]})`} data-testid={`layout-${l}`}>
              {LAYOUT_LABEL[l]}
            </button>
          ))}
        </div>
        <button onClick={() => useViewerStore.getState().resetViews()} title="Restore the default zoom, pan and 3D camera of every pane">
          Reset
        </button>
        <label className="toggle">
          <input type="checkbox" aria-label="Show crosshair lines" checked={showCrosshair} onChange={(e) => useViewerStore.getState().setShowCrosshair(e.target.checked)} />
          Crosshair
        </label>
        <label className="toggle" title="Radiological: the patient's right on the screen's left">
          <input type="checkbox" checked={convention === 'radiological'} onChange={(e) => setConvention(e.target.checked ? 'radiological' : 'neurological')} />
          Radiological
        </label>
        <span className="hint muted" title="Keys: 1–6 layouts · ↑/↓ or PgUp/PgDn page the pane under the pointer">
          wheel: slices · ctrl+wheel: zoom · right-drag: W/L · middle-drag: pan · 1–6: layouts
        </span>
      </header>
      <main className="workspace">
        <div className="viewport">
          <Notices />
          <ViewErrorBoundary>
            <Viewport />
          </ViewErrorBoundary>
          <LoadProgressList />
          {dragging && <div className="drop-hint">Drop volumes to open them: .nii(.gz), .hdr + .img, .nrrd, .nhdr + data, .mgh/.mgz</div>}
        </div>
        <aside className="sidebar">
          <ProbePanel />
          <PinsPanel />
          <MeasurePanel />
          <LayerPanel />
          <VolumePanel />
          <MemoryPanel />
        </aside>
        <Playback />
      </main>
    </div>
  );
}
