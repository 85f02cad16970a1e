// A slice pane's corner text, as PACS viewers and OHIF show it: the patient and series (DICOM; the
// "I" key hides them before a screenshot is shared) top left under the pane's name; the window of
// the layer right-drag sets, top right; a colour bar for the topmost coloured layer on the right
// edge; slice k / N, the frame t / T with play and step buttons (space, [ and ] do the same), and
// the zoom, bottom right. Everything but the frame buttons lets the pointer through to the pane.
import { getRecord } from '../../state/layerRegistry';
import { isIntensityLayer, windowTarget } from '../../state/layerRoles';
import { useViewerStore, type LayerMeta } from '../../state/viewerStore';
import { frameCount } from '../../volume/header';
import type { Plane } from '../camera/sliceGeometry';
import { colormapCss } from '../textures/colormaps';
import { colourBarLayer, frameLayer, sliceOf } from './annotations';

/** Up to 5 significant digits, no trailing zeros: what a corner has room for. */
const short = (v: number) => String(+v.toPrecision(5));

export function PaneAnnotations({ plane, normalAxis }: { plane: Plane; normalAxis: 0 | 1 | 2 }) {
  const layers = useViewerStore((s) => s.layers);
  const crosshair = useViewerStore((s) => s.crosshair);
  const zoom = useViewerStore((s) => s.paneViews[plane].zoom);
  const selected = useViewerStore((s) => s.selectedLayer);
  const showPatient = useViewerStore((s) => s.showPatient);
  if (!crosshair || layers.length === 0) return null;
  const visible = layers.filter((l) => l.display.visible);
  const reference = visible[visible.length - 1] ?? layers[layers.length - 1];
  const record = getRecord(reference.id);
  const slice = record && reference.dims.length >= 3 ? sliceOf(reference, record.inverseAffine, crosshair, normalAxis) : null;
  const windowed = windowTarget(layers, selected);
  const bar = colourBarLayer(layers);
  const dicom = [...visible].reverse().find((l) => l.dicom)?.dicom;
  const timed = frameLayer(layers);
  return (
    <div className="pane-annotations" data-testid={`annotations-${plane}`}>
      {showPatient && dicom && (
        <div className="ann top-left" data-testid="ann-patient">
          {dicom.patientName && <div>{dicom.patientName.replace(/\^/g, ' ').trim()}</div>}
          {dicom.patientId && <div>ID {dicom.patientId}</div>}
          {(dicom.seriesDescription || dicom.modality) && <div>{[dicom.modality, dicom.seriesDescription].filter(Boolean).join(' · ')}</div>}
        </div>
      )}
      {windowed && (
        <div className="ann top-right" title={`Window of ${windowed.name} (right-drag changes it)`}>
          {/* With several intensity layers, which one the numbers are of. */}
          {visible.filter(isIntensityLayer).length > 1 && <div data-testid="ann-window-layer">{windowed.name}</div>}
          <div data-testid="ann-window">
            W {short(windowed.display.window[1] - windowed.display.window[0])} L {short((windowed.display.window[0] + windowed.display.window[1]) / 2)}
          </div>
        </div>
      )}
      {bar && <ColourBar layer={bar} />}
      <div className="ann bottom-right">
        {timed && <FrameControls layer={timed} />}
        {slice && (
          <div data-testid="ann-slice" title={`Slice of ${reference.name} (counted from 1)`}>
            Im {slice.slice} / {slice.of}
          </div>
        )}
        <div data-testid="ann-zoom">Zoom {Math.round(zoom * 100)}%</div>
      </div>
    </div>
  );
}

function ColourBar({ layer }: { layer: LayerMeta }) {
  const [lo, hi] = layer.display.window;
  const neg = layer.display.negative;
  return (
    <div className="ann colour-bar" data-testid="ann-colourbar" title={`${layer.name}: ${layer.display.colormap}${neg ? `, negative values in ${neg.colormap}` : ''}`}>
      <span>{short(hi)}</span>
      <div className="bar" style={{ background: colormapCss(layer.display.colormap, 'to top') }} />
      <span>{short(lo)}</span>
      {neg && (
        <>
          <span>−{short(neg.window[0])}</span>
          <div className="bar" style={{ background: colormapCss(neg.colormap, 'to bottom') }} />
          <span>−{short(neg.window[1])}</span>
        </>
      )}
    </div>
  );
}

/** Step back, play or pause, step on: the topmost visible 4D layer. */
function FrameControls({ layer }: { layer: LayerMeta }) {
  const playing = useViewerStore((s) => s.playing[layer.id]);
  const frames = frameCount(layer.dims);
  return (
    <div className="frame-ann" data-testid="ann-frame" onPointerDown={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
      <button title="Previous frame ([)" aria-label="Previous frame" onClick={() => stepFrame(layer.id, -1)}>
        ◀
      </button>
      <button title={playing ? 'Pause (space)' : 'Play (space)'} aria-label={playing ? 'Pause' : 'Play'} data-testid="ann-play" onClick={() => togglePlay(layer.id)}>
        {playing ? '❚❚' : '▶'}
      </button>
      <button title="Next frame (])" aria-label="Next frame" onClick={() => stepFrame(layer.id, 1)}>
        ▶|
      </button>
      <span title={`Frame of ${layer.name} (counted from 1)`}>
        t {layer.display.frame + 1} / {frames}
      </span>
    </div>
  );
}

/** One frame on (+1) or back (−1), wrapping round; stops playback. */
export function stepFrame(id: string, by: number): void {
  const s = useViewerStore.getState();
  const layer = s.layers.find((l) => l.id === id);
  if (!layer) return;
  const frames = frameCount(layer.dims);
  s.setPlaying(id, null);
  s.setDisplay(id, { frame: (((layer.display.frame + by) % frames) + frames) % frames });
}

/** Plays at 5 frames per second, or pauses. */
export function togglePlay(id: string): void {
  const s = useViewerStore.getState();
  s.setPlaying(id, s.playing[id] ? null : 5);
}
