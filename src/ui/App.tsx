import { useCallback, useRef, useState, type DragEvent } from 'react';
import { filesFromDrop, openFiles } from './openFiles';
import { LAYOUTS, useViewerStore } from '../state/viewerStore';
import { LAYOUT_KEYS, LAYOUT_LABEL } from '../render/panes/layouts';
import { Viewport } from '../render/panes/Viewport';
import { LayerPanel } from './LayerPanel';
import { MemoryPanel, TextureFormats } from './MemoryPanel';
import { HelpOverlay, useHelpKey } from './HelpOverlay';
import { Section } from './Section';
import { volumeLayers } from '../state/layerRoles';
import { LoadProgressList, Notices } from './Notices';
import { Playback } from './Playback';
import { MeasurePanel } from './MeasurePanel';
import { SegmentPanel } from './SegmentPanel';
import { StructuresPanel } from './StructuresPanel';
import { DvhPanel } from './DvhPanel';
import { PinsPanel } from './PinsPanel';
import { OpenUrl } from './OpenUrl';
import { PacsBrowser } from './PacsBrowser';
import { ProbePanel } from './ProbePanel';
import { DicomPanel } from './DicomPanel';
import { SeriesPicker } from './SeriesPicker';
import { VolumePanel } from './VolumePanel';
import { ViewErrorBoundary } from './ViewErrorBoundary';
import { ShareMenu } from './ShareMenu';
import { ViewFilesPrompt } from './ViewFilesPrompt';
import { offerFiles } from '../state/viewStateApply';

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
  const [help, setHelpState] = useState(false);
  const setHelp = useCallback((open: boolean) => setHelpState(open), []);
  useHelpKey(help, setHelp);
  // The layer the 3D pane casts: the 3D section exists only when there is one (VolumePanel renders nothing otherwise).
  const cast3d = useViewerStore((s) => volumeLayers(s.layers).base);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.items.length || e.dataTransfer.files.length) void filesFromDrop(e.dataTransfer).then((files) => (offerFiles(files) ? undefined : openFiles(files)));
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
        <button onClick={() => fileInput.current?.click()} title="Open volume files: NIfTI (.nii, .nii.gz, .hdr + .img), NRRD, MGH/MGZ, DICOM">
          Open…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(e) => {
            // A view waiting for its local files takes them (ViewFilesPrompt).
            if (e.target.files && !offerFiles(Array.from(e.target.files))) void openFiles(Array.from(e.target.files));
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
        <ShareMenu />
        <div className="segmented" role="group" aria-label="Layout">
          {LAYOUTS.map((l) => (
            <button key={l} aria-pressed={layout === l} onClick={() => setLayout(l)} title={`${LAYOUT_LABEL[l]} layout (key ${KEY_OF[l]})`} data-testid={`layout-${l}`}>
              {LAYOUT_LABEL[l]}
            </button>
          ))}
        </div>
        <button onClick={() => useViewerStore.getState().resetViews()} title="Restore the default zoom, pan and 3D camera of every pane, and turn oblique planes back to the patient axes">
          Reset
        </button>
        <label className="toggle" title="Show the crosshair lines in the slice panes">
          <input type="checkbox" aria-label="Show crosshair lines" checked={showCrosshair} onChange={(e) => useViewerStore.getState().setShowCrosshair(e.target.checked)} />
          Crosshair
        </label>
        <label className="toggle" title="Radiological: the patient's right on the screen's left">
          <input type="checkbox" checked={convention === 'radiological'} onChange={(e) => setConvention(e.target.checked ? 'radiological' : 'neurological')} />
          Radiological
        </label>
        <button className="help-button" onClick={() => setHelp(true)} title="Keys and mouse actions (?)" aria-label="Keys and mouse help" data-testid="help-button">
          ?
        </button>
      </header>
      <main className="workspace">
        <div className="viewport">
          <Notices />
          <ViewFilesPrompt />
          <ViewErrorBoundary>
            <Viewport />
          </ViewErrorBoundary>
          <LoadProgressList />
          {dragging && <div className="drop-hint">Drop volumes or DICOM folders to open them: .nii(.gz), .hdr + .img, .nrrd, .nhdr + data, .mgh/.mgz, DICOM</div>}
        </div>
        {/* Most-changed first: layers, then reading values, then measuring, then 3D; DICOM facts and
            the memory and texture internals (folded) last. LayerPanel and VolumePanel keep their own
            headings for their tests and screen readers; the section's heading stands in for them. */}
        <aside className="sidebar" data-testid="sidebar">
          <Section id="layers" title="Layers" tooltip="open layers: visibility, order, window, colormap">
            <LayerPanel />
          </Section>
          <ProbePanel />
          <PinsPanel />
          <MeasurePanel />
          <SegmentPanel />
          <StructuresPanel />
          <DvhPanel />
          {cast3d && (
            <Section
              id="volume3d"
              tooltip="how the 3D pane renders its layer"
              title={
                <>
                  3D rendering <span className="muted">{cast3d.name}</span>
                </>
              }
            >
              <VolumePanel />
            </Section>
          )}
          <DicomPanel />
          <Section id="details" title="Details" defaultOpen={false} tooltip="memory use and the GPU texture formats">
            <MemoryPanel />
            <TextureFormats />
          </Section>
        </aside>
        <Playback />
        <SeriesPicker />
        {pacs && <PacsBrowser onClose={() => setPacs(false)} />}
        {help && <HelpOverlay onClose={() => setHelp(false)} />}
      </main>
    </div>
  );
}
