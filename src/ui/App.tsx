import { useRef, useState, type DragEvent } from 'react';
import { filesFromDrop, openFiles } from './openFiles';
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
import { PacsBrowser } from './PacsBrowser';
import { ProbePanel } from './ProbePanel';
import { DicomPanel } from './DicomPanel';
import { SeriesPicker } from './SeriesPicker';
import { VolumePanel } from './VolumePanel';
import { ViewErrorBoundary } from './ViewErrorBoundary';

const KEY_OF = Object.fromEntries(Object.entries(LAYOUT_KEYS).map(([k, l]) => [l, k]));

export function App() {
  const layout = useViewerStore((s) => s.layout);
  const convention = useViewerStore((s) => s.convention);
  const setLayout = useViewerStore((s) => s.setLayout);
  const setConvention = useViewerStore((s) => s.setConvention);
  const showCrosshair = useViewerStore((s) => s.showCrosshair);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [pacs, setPacs] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.items.length || e.dataTransfer.files.length) void filesFromDrop(e.dataTransfer).then(openFiles);
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
        <button onClick={() => folderInput.current?.click()} title="Open a folder of DICOM images (or volumes)">
          Folder…
        </button>
        <input
          ref={(el) => {
            folderInput.current = el;
            // React has no prop for it: the picker chooses a folder and gives every file under it.
            el?.setAttribute('webkitdirectory', '');
          }}
          type="file"
          hidden
          data-testid="folder-input"
          onChange={(e) => {
            if (e.target.files) void openFiles(Array.from(e.target.files));
            e.target.value = '';
          }}
        />
        <OpenUrl />
        <button onClick={() => setPacs(true)} title="Search a PACS over DICOMweb and open a series">
          PACS…
        </button>
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
          {dragging && <div className="drop-hint">Drop volumes or DICOM folders to open them: .nii(.gz), .hdr + .img, .nrrd, .nhdr + data, .mgh/.mgz, DICOM</div>}
        </div>
        <aside className="sidebar">
          <DicomPanel />
          <ProbePanel />
          <PinsPanel />
          <MeasurePanel />
          <LayerPanel />
          <VolumePanel />
          <MemoryPanel />
        </aside>
        <Playback />
        <SeriesPicker />
        {pacs && <PacsBrowser onClose={() => setPacs(false)} />}
      </main>
    </div>
  );
}
