import { useRef, useState } from 'react';
import { closeLayer, moveLayer, openLabelLookup } from '../state/actions';
import { volumeLayers } from '../state/layerRoles';
import { COLORMAPS, isColormap, isInterpolation, useViewerStore, type LayerMeta } from '../state/viewerStore';
import { colormapCss } from '../render/textures/colormaps';
import { textureCaps } from '../gpu/caps';
import { textureFormatFor } from '../render/textures/textureFormats';
import { frameCount } from '../volume/header';
import { robustWindow } from '../volume/stats';
import { CT_PRESETS, isHuLike, presetWindow } from '../volume/windowPresets';
import { formatValue } from './format';
import { NumberField } from './NumberField';

const LAYER_DRAG_TYPE = 'application/x-voxlens-layer';

/** Layers, top of the draw order first (as in an image editor); drag a row or use ↑/↓ to reorder. */
export function LayerPanel() {
  const layers = useViewerStore((s) => s.layers);
  return (
    <section className="panel" aria-labelledby="layers-title" data-testid="layer-panel">
      <h2 id="layers-title">Layers</h2>
      {layers.length === 0 && <p className="muted">No volume open. Use Open…, Folder…, URL… or PACS…, or drop volumes (NIfTI, NRRD, MGH/MGZ, Analyze) or DICOM folders here.</p>}
      <ol className="layers">
        {[...layers].reverse().map((l) => (
          <LayerRow key={l.id} layer={l} index={layers.indexOf(l)} count={layers.length} />
        ))}
      </ol>
    </section>
  );
}

function LayerRow({ layer, index, count }: { layer: LayerMeta; index: number; count: number }) {
  const setDisplay = useViewerStore((s) => s.setDisplay);
  const [dropTarget, setDropTarget] = useState(false);
  const { display } = layer;
  const tex = textureFormatFor(layer.datatype, textureCaps);
  const frames = frameCount(layer.dims);
  const isLabel = display.colormap === 'label';
  const selected = useViewerStore((s) => s.selectedLayer === layer.id);
  const cast3d = useViewerStore((s) => volumeLayers(s.layers).base?.id === layer.id);
  const volume3d = tex.channels === 1 && layer.dims.length >= 3;
  return (
    <li
      className={`layer${dropTarget ? ' drop-target' : ''}${selected ? ' selected' : ''}`}
      data-testid={`layer-${layer.id}`}
      aria-current={selected || undefined}
      // Choosing a layer makes it the one right-drag windows (when it is an intensity layer).
      onPointerDown={() => useViewerStore.getState().selectLayer(layer.id)}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(LAYER_DRAG_TYPE, layer.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(LAYER_DRAG_TYPE)) return;
        e.preventDefault();
        e.stopPropagation();
        setDropTarget(true);
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={(e) => {
        const id = e.dataTransfer.getData(LAYER_DRAG_TYPE);
        if (!id) return;
        e.preventDefault();
        e.stopPropagation();
        setDropTarget(false);
        moveLayer(id, index);
      }}
    >
      <div className="layer-head">
        <input type="checkbox" checked={display.visible} aria-label={`Show ${layer.name}`} title="Show or hide this layer" onChange={(e) => setDisplay(layer.id, { visible: e.target.checked })} />
        <span className="layer-name" title={`${layer.name} (draw order ${index + 1} of ${count}; drag to reorder)`}>
          {layer.name}
        </span>
        {volume3d && (
          <button
            className="icon tag"
            aria-pressed={cast3d}
            aria-label={`Cast ${layer.name} in the 3D pane`}
            title={cast3d ? 'The 3D pane casts this layer' : 'Cast this layer in the 3D pane'}
            data-testid={`render3d-${layer.id}`}
            onClick={() => setDisplay(layer.id, { render3d: true, visible: true })}
          >
            3D
          </button>
        )}
        <button className="icon" aria-label={`Move ${layer.name} up`} title="Draw above the next layer" disabled={index === count - 1} onClick={() => moveLayer(layer.id, index + 1)}>
          ↑
        </button>
        <button className="icon" aria-label={`Move ${layer.name} down`} title="Draw below the previous layer" disabled={index === 0} onClick={() => moveLayer(layer.id, index - 1)}>
          ↓
        </button>
        <button className="icon" aria-label={`Close ${layer.name}`} title="Close" onClick={() => closeLayer(layer.id)}>
          ×
        </button>
      </div>
      <div className="layer-facts muted">
        {layer.fullDims ? (
          <span data-testid="layer-full-dims" title="Drawn from a coarser grid; probes, pins, profiles and statistics read the full resolution">
            {layer.fullDims.join(' × ')} drawn at{' '}
          </span>
        ) : null}
        {layer.dims.join(' × ')} · {layer.datatype} · {layer.axcodes} · {layer.format}
        {layer.slabs ? (
          <span data-testid="layer-slabs" title={`More than one buffer holds: the full grid is kept in z-slabs of ${layer.slabs.join(', ')} slices`}>
            {' '}
            · in {layer.slabs.length} slabs
          </span>
        ) : null}
        {layer.pyramid ? (
          <span data-testid="layer-level" title="Pyramid level drawn (0 = full resolution); finer levels replace coarser ones as they arrive">
            {' '}
            · level {layer.pyramid.level}
            {layer.pyramid.target !== layer.pyramid.level ? ` → ${layer.pyramid.target}` : ''} of {layer.pyramid.levels}
          </span>
        ) : null}
        {/* The texture's format and bricks are under Details (MemoryPanel); a converted copy is the user's business. */}
        {tex.convert ? (
          <span className="warn" title={tex.convert.reason}>
            {' '}
            · shown from a converted copy
          </span>
        ) : null}{' '}
        · range {formatValue(layer.stats.min * layer.slope + layer.inter)}…
        {formatValue(layer.stats.max * layer.slope + layer.inter)}
      </div>
      <div className="layer-controls">
        {tex.channels === 1 ? (
          <WindowControls layer={layer} />
        ) : tex.sampler !== 'float' ? (
          // 16-bit colour (rgb48): each component goes through the one window (layerShader.ts).
          <WindowControls layer={layer} colour />
        ) : (
          <span className="muted">Colour volume: shown as stored.</span>
        )}
        {index > 0 && tex.channels === 1 && !isLabel && <OverlayTails layer={layer} />}
        <label>
          Opacity
          <input type="range" min={0} max={1} step={0.05} value={display.opacity} aria-label={`Opacity of ${layer.name}`} title={`Opacity ${Math.round(display.opacity * 100)} %`} onChange={(e) => setDisplay(layer.id, { opacity: e.target.valueAsNumber })} />
        </label>
        {tex.channels === 1 && (
          <label title="Show the stored values as labels (a colour per value) or as an image through a window">
            <input type="checkbox" checked={isLabel} aria-label={`Draw ${layer.name} as labels`} onChange={(e) => setDisplay(layer.id, { colormap: e.target.checked ? 'label' : index === 0 ? 'gray' : 'hot' })} />
            Labels
          </label>
        )}
        {isLabel ? (
          <LabelControls layer={layer} />
        ) : (
          <label>
            Interpolation
            <select
              value={display.interpolation}
              aria-label={`Interpolation of ${layer.name}`}
              onChange={(e) => isInterpolation(e.target.value) && setDisplay(layer.id, { interpolation: e.target.value })}
            >
              <option value="nearest">nearest</option>
              <option value="linear">linear</option>
            </select>
          </label>
        )}
        {frames > 1 && <FrameControls layer={layer} frames={frames} />}
      </div>
    </li>
  );
}

/** `colour`: a 16-bit colour layer, whose red, green and blue each go through the window (no colormap). */
function WindowControls({ layer, colour = false }: { layer: LayerMeta; colour?: boolean }) {
  const setDisplay = useViewerStore((s) => s.setDisplay);
  const { display } = layer;
  const isLabel = display.colormap === 'label';
  const [lo, hi] = display.window;
  const setWindow = (i: 0 | 1, value: number): string | null => {
    const w: [number, number] = [...display.window];
    w[i] = value;
    if (!(w[1] > w[0])) return i === 0 ? `Low must be below high (${+hi.toPrecision(6)})` : `High must be above low (${+lo.toPrecision(6)})`;
    setDisplay(layer.id, { window: w });
    return null;
  };
  const setLevelWidth = (level: number, width: number): string | null => {
    if (!(width > 0)) return 'Width must be above 0';
    setDisplay(layer.id, { window: [level - width / 2, level + width / 2] });
    return null;
  };
  const hu = !isLabel && !colour && isHuLike(layer.stats, layer.slope, layer.inter);
  return (
    <>
      {!isLabel && (
        <>
          <label title={colour ? 'Low and high ends of the window, applied to each of red, green and blue' : 'Low and high ends of the window, in scaled units'}>
            {colour ? 'Window (R, G, B)' : 'Window'}
            <NumberField label="Window low" value={lo} onCommit={(v) => setWindow(0, v)} title="Low end: Enter or Tab applies, Escape reverts" />
            <NumberField label="Window high" value={hi} onCommit={(v) => setWindow(1, v)} title="High end: Enter or Tab applies, Escape reverts" />
          </label>
          <label title="Level (centre) and width of the window">
            L/W
            <NumberField label="Level" value={(lo + hi) / 2} onCommit={(v) => setLevelWidth(v, hi - lo)} title="Level (centre): Enter or Tab applies, Escape reverts" />
            <NumberField label="Width" value={hi - lo} onCommit={(v) => setLevelWidth((lo + hi) / 2, v)} title="Width: Enter or Tab applies, Escape reverts" />
          </label>
          <button onClick={() => setDisplay(layer.id, { window: robustWindow(layer.stats, layer.slope, layer.inter) })} title="2nd–98th percentile">
            Auto
          </button>
          {hu && (
            <select
              aria-label="Window preset"
              value=""
              title="CT window presets (level/width in HU)"
              onChange={(e) => {
                const p = CT_PRESETS.find((x) => x.name === e.target.value);
                if (p) setDisplay(layer.id, { window: presetWindow(p) });
              }}
            >
              <option value="" disabled>
                CT preset…
              </option>
              {CT_PRESETS.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name} {p.level}/{p.width}
                </option>
              ))}
            </select>
          )}
        </>
      )}
      {!colour && (
        <>
          <label>
            Colormap
            <select value={display.colormap} aria-label={`Colormap of ${layer.name}`} title="Colormap over the window (label: a colour per value)" onChange={(e) => isColormap(e.target.value) && setDisplay(layer.id, { colormap: e.target.value })}>
              {COLORMAPS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <span className="swatch" style={{ background: colormapCss(display.colormap) }} />
        </>
      )}
    </>
  );
}

/**
 * An overlay's tails: values at or below the window's low end are transparent; a signed map's
 * negative values may have a colormap and threshold of their own, and one |value| threshold sets
 * both ends at once (|t| > 3.1).
 */
function OverlayTails({ layer }: { layer: LayerMeta }) {
  const setDisplay = useViewerStore((s) => s.setDisplay);
  const { window, negative } = layer.display;
  const signed = layer.stats.min * layer.slope + layer.inter < 0 || negative;
  if (!signed) return null;
  const symmetric = negative && negative.window[0] === window[0];
  const setThreshold = (t: number): string | null => {
    if (!(t >= 0)) return 'The threshold is a magnitude: 0 or more';
    if (!(t < window[1])) return `Below the positive top (${+window[1].toPrecision(6)})`;
    if (negative && !(t < negative.window[1])) return `Below the negative top (${+negative.window[1].toPrecision(6)})`;
    setDisplay(layer.id, { window: [t, window[1]], ...(negative ? { negative: { ...negative, window: [t, negative.window[1]] } } : {}) });
    return null;
  };
  const setNegative = (i: 0 | 1, v: number): string | null => {
    if (!negative) return null;
    const w: [number, number] = [...negative.window];
    w[i] = v;
    if (!(w[0] >= 0 && w[1] > w[0])) return 'Magnitudes, with 0 ≤ threshold < top';
    setDisplay(layer.id, { negative: { ...negative, window: w } });
    return null;
  };
  return (
    <div className="overlay-tails" data-testid={`overlay-tails-${layer.id}`}>
      <label title="Show values above the threshold in either direction: sets the positive low end and the negative threshold together">
        |value| &gt;
        <NumberField label={`Symmetric threshold of ${layer.name}`} value={symmetric ? window[0] : Math.max(window[0], 0)} onCommit={setThreshold} />
      </label>
      <label title="Draw negative values with a colormap of their own (over their magnitude)">
        <input
          type="checkbox"
          checked={Boolean(negative)}
          aria-label={`Negative values of ${layer.name}`}
          onChange={(e) => {
            const top = Math.max(Math.abs(layer.stats.min * layer.slope + layer.inter), Math.max(window[0], 0) + 1e-6);
            setDisplay(layer.id, { negative: e.target.checked ? { colormap: 'cool', window: [Math.max(window[0], 0), top] } : null });
          }}
        />
        Negative
      </label>
      {negative && (
        <>
          <select
            value={negative.colormap}
            aria-label={`Negative colormap of ${layer.name}`}
            title="Colormap of the negative values"
            onChange={(e) => isColormap(e.target.value) && e.target.value !== 'label' && setDisplay(layer.id, { negative: { ...negative, colormap: e.target.value } })}
          >
            {COLORMAPS.filter((c) => c !== 'label').map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          <label title="Negative values with a magnitude at or below this are transparent; the colormap's top is at the second field">
            −
            <NumberField label={`Negative threshold of ${layer.name}`} value={negative.window[0]} onCommit={(v) => setNegative(0, v)} />
            …
            <NumberField label={`Negative top of ${layer.name}`} value={negative.window[1]} onCommit={(v) => setNegative(1, v)} />
          </label>
        </>
      )}
    </div>
  );
}

function LabelControls({ layer }: { layer: LayerMeta }) {
  const setDisplay = useViewerStore((s) => s.setDisplay);
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <label title="Draw only the borders between labels">
        <input type="checkbox" checked={layer.display.outline} aria-label={`Outline ${layer.name}`} title="Draw only the borders between labels" onChange={(e) => setDisplay(layer.id, { outline: e.target.checked })} />
        Outline
      </label>
      <button onClick={() => input.current?.click()} title="Open a label lookup: FreeSurfer *LUT.txt (index name r g b a) or JSON { index: name }">
        Names…
      </button>
      <span className="muted" data-testid="label-lookup">
        {layer.labelLookup ?? 'no lookup'}
      </span>
      <input
        ref={input}
        type="file"
        accept=".txt,.json,.lut,.ctbl"
        hidden
        data-testid={`lookup-input-${layer.id}`}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void openLabelLookup(layer.id, f, f.name);
          e.target.value = '';
        }}
      />
    </>
  );
}

const RATES = [1, 2, 5, 10, 20];

function FrameControls({ layer, frames }: { layer: LayerMeta; frames: number }) {
  const setDisplay = useViewerStore((s) => s.setDisplay);
  const fps = useViewerStore((s) => s.playing[layer.id]);
  const [rate, setRate] = useState(5);
  const setPlaying = useViewerStore((s) => s.setPlaying);
  return (
    <div className="frame-controls">
      <button aria-label={fps ? `Pause ${layer.name}` : `Play ${layer.name}`} title={fps ? 'Pause (space)' : 'Play the frames (space)'} onClick={() => setPlaying(layer.id, fps ? null : rate)} data-testid="play">
        {fps ? '❚❚' : '▶'}
      </button>
      <select
        aria-label="Frames per second"
        value={fps ?? rate}
        onChange={(e) => {
          const r = Number(e.target.value);
          setRate(r);
          if (fps) setPlaying(layer.id, r);
        }}
      >
        {RATES.map((r) => (
          <option key={r} value={r}>
            {r} fps
          </option>
        ))}
      </select>
      <input
        type="range"
        min={0}
        max={frames - 1}
        step={1}
        value={layer.display.frame}
        aria-label={`Frame of ${layer.name}`}
        onChange={(e) => setDisplay(layer.id, { frame: e.target.valueAsNumber })}
      />
      <span data-testid="frame-label" title={layer.dicom?.frameAxis ? `The frames are ${layer.dicom.frameAxis === 'frame' ? 'the frames of one multi-frame image' : `one per ${layer.dicom.frameAxis}`}` : undefined}>
        {layer.dicom?.frameAxis && layer.dicom.frameAxis !== 'frame' ? `${layer.dicom.frameAxis} ` : ''}
        {layer.display.frame + 1} / {frames}
      </span>
    </div>
  );
}
