import { closeLayer } from '../state/actions';
import { COLORMAPS, isColormap, useViewerStore, type LayerMeta } from '../state/viewerStore';
import { colormapCss } from '../render/colormaps';
import { textureCaps } from '../render/caps';
import { textureFormatFor } from '../render/textureFormats';
import { frameCount } from '../volume/header';
import { robustWindow } from '../volume/stats';
import { formatValue } from './format';

export function LayerPanel() {
  const layers = useViewerStore((s) => s.layers);
  return (
    <section className="panel" aria-labelledby="layers-title" data-testid="layer-panel">
      <h2 id="layers-title">Layers</h2>
      {layers.length === 0 && <p className="muted">No volume open. Use Open… or drop .nii / .nii.gz files here.</p>}
      <ol className="layers">
        {[...layers].reverse().map((l) => (
          <LayerRow key={l.id} layer={l} />
        ))}
      </ol>
    </section>
  );
}

function LayerRow({ layer }: { layer: LayerMeta }) {
  const setDisplay = useViewerStore((s) => s.setDisplay);
  const { display } = layer;
  const tex = textureFormatFor(layer.datatype, textureCaps);
  const frames = frameCount(layer.dims);
  return (
    <li className="layer" data-testid={`layer-${layer.id}`}>
      <div className="layer-head">
        <input
          type="checkbox"
          checked={display.visible}
          aria-label={`Show ${layer.name}`}
          onChange={(e) => setDisplay(layer.id, { visible: e.target.checked })}
        />
        <span className="layer-name" title={layer.name}>
          {layer.name}
        </span>
        <button className="icon" aria-label={`Close ${layer.name}`} title="Close" onClick={() => closeLayer(layer.id)}>
          ×
        </button>
      </div>
      <div className="layer-facts muted">
        {layer.dims.join(' × ')} · {layer.datatype} · {layer.axcodes} · {layer.format}
        <br />
        texture {tex.internalFormat}
        {tex.convert ? <span className="warn" title={tex.convert.reason}> (converted copy)</span> : ' (zero-copy)'} · range {formatValue(layer.stats.min * layer.slope + layer.inter)}…
        {formatValue(layer.stats.max * layer.slope + layer.inter)}
      </div>
      <div className="layer-controls">
        {tex.channels > 1 ? (
          <span className="muted">Colour volume: shown as stored.</span>
        ) : (
          <WindowControls layer={layer} />
        )}
        <label>
          Opacity
          <input type="range" min={0} max={1} step={0.05} value={display.opacity} onChange={(e) => setDisplay(layer.id, { opacity: e.target.valueAsNumber })} />
        </label>
        {frames > 1 && (
          <label>
            Frame
            <input
              type="range"
              min={0}
              max={frames - 1}
              step={1}
              value={display.frame}
              aria-label={`Frame of ${layer.name}`}
              onChange={(e) => setDisplay(layer.id, { frame: e.target.valueAsNumber })}
            />
            <span data-testid="frame-label">
              {display.frame + 1} / {frames}
            </span>
          </label>
        )}
      </div>
    </li>
  );
}

function WindowControls({ layer }: { layer: LayerMeta }) {
  const setDisplay = useViewerStore((s) => s.setDisplay);
  const { display } = layer;
  const setWindow = (i: 0 | 1, value: number) => {
    if (!Number.isFinite(value)) return;
    const w: [number, number] = [...display.window];
    w[i] = value;
    if (w[1] > w[0]) setDisplay(layer.id, { window: w });
  };
  return (
    <>
      <label>
        Window
        <input type="number" step="any" aria-label="Window low" value={+display.window[0].toPrecision(6)} onChange={(e) => setWindow(0, e.target.valueAsNumber)} />
        <input type="number" step="any" aria-label="Window high" value={+display.window[1].toPrecision(6)} onChange={(e) => setWindow(1, e.target.valueAsNumber)} />
      </label>
      <button onClick={() => setDisplay(layer.id, { window: robustWindow(layer.stats, layer.slope, layer.inter) })} title="2nd–98th percentile">
        Auto
      </button>
      <label>
        Colormap
        <select value={display.colormap} onChange={(e) => isColormap(e.target.value) && setDisplay(layer.id, { colormap: e.target.value })}>
          {COLORMAPS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <span className="swatch" style={{ background: colormapCss(display.colormap) }} />
    </>
  );
}
