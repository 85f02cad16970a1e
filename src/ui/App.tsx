import { useRef, useState, type DragEvent } from 'react';
import { loadVolume } from '../state/actions';
import { useViewerStore, type Layout } from '../state/viewerStore';
import { SliceView } from '../render/SliceView';
import { LayerPanel } from './LayerPanel';
import { MemoryPanel } from './MemoryPanel';
import { LoadProgressList, Notices } from './Notices';
import { ProbePanel } from './ProbePanel';
import { ViewErrorBoundary } from './ViewErrorBoundary';

const PLANES: Layout[] = ['axial', 'coronal', 'sagittal'];

export function openFiles(files: FileList | File[]) {
  for (const f of Array.from(files)) void loadVolume(f);
}

export function App() {
  const layout = useViewerStore((s) => s.layout);
  const convention = useViewerStore((s) => s.convention);
  const setLayout = useViewerStore((s) => s.setLayout);
  const setConvention = useViewerStore((s) => s.setConvention);
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const plane = layout === 'coronal' || layout === 'sagittal' ? layout : 'axial';

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) openFiles(e.dataTransfer.files);
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
          accept=".nii,.gz,.nii.gz"
          hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files) openFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <div className="segmented" role="group" aria-label="View">
          {PLANES.map((p) => (
            <button key={p} aria-pressed={plane === p} onClick={() => setLayout(p)}>
              {p[0].toUpperCase() + p.slice(1)}
            </button>
          ))}
        </div>
        <label className="convention">
          <input type="checkbox" checked={convention === 'radiological'} onChange={(e) => setConvention(e.target.checked ? 'radiological' : 'neurological')} />
          Radiological (patient right on screen left)
        </label>
        <span className="hint muted">wheel: slices · ctrl+wheel: zoom · right-drag: window/level · middle-drag: pan</span>
      </header>
      <main className="workspace">
        <div className="viewport">
          <Notices />
          <ViewErrorBoundary>
            <SliceView plane={plane} />
          </ViewErrorBoundary>
          <LoadProgressList />
          {dragging && <div className="drop-hint">Drop .nii / .nii.gz files to open them</div>}
        </div>
        <aside className="sidebar">
          <ProbePanel />
          <LayerPanel />
          <MemoryPanel />
        </aside>
      </main>
    </div>
  );
}
