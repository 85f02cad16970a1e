// The 3D rendering panel: quality, the presets (a menu of thumbnails: PresetMenu.tsx), shading, the
// transfer-function editor (opacity points over the layer's histogram, colour points or a
// colormap, save/load as JSON), the iso threshold, and clipping (a world box of six sliders, and
// the cut at the crosshair). Acts on the layer the 3D pane casts.
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { layerBounds } from '../render/camera/paneView';
import { colormapCss } from '../render/textures/colormaps';
import { COLORMAPS, isColormap, useViewerStore, type ClipBox, type LayerMeta, type VolumeStyle } from '../state/viewerStore';
import { volumeLayers } from '../state/layerRoles';
import { parseTransferJson, volumeStyleOf, withPreset } from '../state/volumeStyle';
import { presetNamed } from '../volume/presets';
import { NO_SHADING, normalizePoints, type ColorPoint, type Shading, type TransferPoint } from '../volume/transfer';
import { formatValue } from './format';
import { PresetMenu } from './PresetMenu';

export function VolumePanel() {
  const layers = useViewerStore((s) => s.layers);
  const mode = useViewerStore((s) => s.renderMode);
  const quality = useViewerStore((s) => s.quality);
  const styles = useViewerStore((s) => s.volumeStyles);
  // The layer the 3D pane casts (state/layerRoles.ts), so the panel edits what is shown.
  const layer = volumeLayers(layers).base;
  if (!layer) return null;
  const style = volumeStyleOf(styles, layer);
  const setQuality = useViewerStore.getState().setQuality;
  return (
    <section className="panel" aria-labelledby="volume-title" data-testid="volume-panel">
      <h2 id="volume-title">
        3D rendering <span className="muted">{layer.name}</span>
      </h2>
      <label className="row" title="Ray samples per voxel. While you drag in the 3D pane it renders at a quarter of this, then refines.">
        Quality
        <input type="range" min={0.5} max={2} step={0.25} value={quality} aria-label="Samples per voxel" onChange={(e) => setQuality(e.target.valueAsNumber)} />
        <span>{quality} / voxel</span>
      </label>
      <ExactSamplesToggle />
      {mode === 'composite' && (
        <>
          <PresetMenu layer={layer} style={style} onApply={(name) => useViewerStore.getState().setVolumeStyle(layer.id, withPreset(style, presetNamed(name)!))} />
          <ShadingControls layer={layer} style={style} />
          <TransferEditor layer={layer} style={style} />
        </>
      )}
      {mode === 'iso' && <IsoControl layer={layer} style={style} />}
      {mode === 'mip' && <p className="muted">MIP, MinIP and average use the layer's window and colormap.</p>}
      <ClipControls />
    </section>
  );
}

/** Part of the Quality row: the exact texture (eight fetches a sample) instead of the filtered render copy. */
function ExactSamplesToggle() {
  const exact = useViewerStore((s) => s.exactSamples);
  return (
    <label className="row" title="Sample the exact voxel values with trilinear interpolation in the shader, rather than the GPU-filtered render copy of range-normalised values (the difference is under a grey level; probes are always exact).">
      <input type="checkbox" checked={exact} aria-label="Exact samples (slower)" onChange={(e) => useViewerStore.getState().setExactSamples(e.target.checked)} />
      Exact samples (slower)
    </label>
  );
}

const scaledRange = (l: LayerMeta): [number, number] => {
  const a = l.stats.min * l.slope + l.inter;
  const b = l.stats.max * l.slope + l.inter;
  return [Math.min(a, b), Math.max(a, b) > Math.min(a, b) ? Math.max(a, b) : Math.min(a, b) + 1];
};

function IsoControl({ layer, style }: { layer: LayerMeta; style: VolumeStyle }) {
  const [lo, hi] = scaledRange(layer);
  const set = (iso: number) => Number.isFinite(iso) && useViewerStore.getState().setVolumeStyle(layer.id, { ...style, iso });
  return (
    <label className="row">
      Iso
      <input type="range" min={lo} max={hi} step={(hi - lo) / 500} value={style.iso} aria-label="Iso threshold" title="Isosurface threshold (scaled units)" onChange={(e) => set(e.target.valueAsNumber)} />
      <input type="number" step="any" value={+style.iso.toPrecision(6)} aria-label="Iso value" title="Isosurface threshold (scaled units)" onChange={(e) => set(e.target.valueAsNumber)} />
    </label>
  );
}

const SHADING_SLIDERS = [
  ['ambient', 'Ambient'],
  ['diffuse', 'Diffuse'],
  ['specular', 'Specular'],
] as const;

function ShadingControls({ layer, style }: { layer: LayerMeta; style: VolumeStyle }) {
  const shading = style.shading ?? NO_SHADING;
  const set = (next: Partial<Shading>) => useViewerStore.getState().setVolumeStyle(layer.id, { ...style, shading: { ...shading, ...next } });
  return (
    <fieldset className="shading" data-testid="shading">
      <legend>
        <label title="Gradient (Blinn-Phong) shading, the light at the camera">
          <input type="checkbox" checked={shading.on} aria-label="Shading" onChange={(e) => set({ on: e.target.checked })} />
          Shading
        </label>
      </legend>
      {SHADING_SLIDERS.map(([key, name]) => (
        <label key={key} className="row">
          {name}
          <input type="range" min={0} max={1} step={0.05} value={shading[key]} disabled={!shading.on} aria-label={`Shading ${key}`} onChange={(e) => set({ [key]: e.target.valueAsNumber })} />
          <span>{shading[key].toFixed(2)}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The colour ramp under the editor: the colour points placed over [xLo, xHi], else the colormap. */
function rampCss(colors: readonly ColorPoint[] | undefined, colormap: VolumeStyle['colormap'], xLo: number, xHi: number): string {
  if (!colors || colors.length === 0) return colormapCss(colormap);
  const stops = colors.map(([v, r, g, b]) => `rgb(${Math.round(r * 255)} ${Math.round(g * 255)} ${Math.round(b * 255)}) ${(((v - xLo) / (xHi - xLo || 1)) * 100).toFixed(2)}%`);
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

const W = 300;
const H = 110;

function TransferEditor({ layer, style }: { layer: LayerMeta; style: VolumeStyle }) {
  const [lo, hi] = scaledRange(layer);
  // The editor spans the layer's range and every point, so no point falls off its edges.
  const xLo = Math.min(lo, style.points[0]?.[0] ?? lo);
  const xHi = Math.max(hi, style.points[style.points.length - 1]?.[0] ?? hi);
  const toX = (v: number) => ((v - xLo) / (xHi - xLo || 1)) * W;
  const toValue = (x: number) => xLo + (x / W) * (xHi - xLo);
  const drag = useRef<number | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const setStyle = (next: Partial<VolumeStyle>) => useViewerStore.getState().setVolumeStyle(layer.id, { ...style, ...next });
  const setPoints = (points: TransferPoint[]) => setStyle({ points: normalizePoints(points) });

  const at = (e: ReactPointerEvent<SVGSVGElement>): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [Math.min(W, Math.max(0, ((e.clientX - r.left) / r.width) * W)), Math.min(H, Math.max(0, ((e.clientY - r.top) / r.height) * H))];
  };

  const hist = layer.stats.histogram;
  const logMax = hist ? Math.log1p(Math.max(...hist)) : 1;
  const histPath = hist
    ? hist.map((c, i) => `M${toX(lo + ((i + 0.5) / hist.length) * (hi - lo)).toFixed(1)},${H}v${(-(Math.log1p(c) / logMax) * H).toFixed(1)}`).join('')
    : '';

  return (
    <div className="tf-editor">
      <svg
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        className="tf-plot"
        data-testid="tf-plot"
        onPointerDown={(e) => {
          const [x, y] = at(e);
          const hitIndex = style.points.findIndex(([v, a]) => Math.hypot(toX(v) - x, (1 - a) * H - y) < 7);
          e.currentTarget.setPointerCapture(e.pointerId);
          if (hitIndex >= 0) drag.current = hitIndex;
          else {
            // A click on empty space adds a point there, and drags it.
            const point: TransferPoint = [toValue(x), 1 - y / H];
            const points = [...style.points, point].sort((a, b) => a[0] - b[0]);
            drag.current = points.indexOf(point);
            setPoints(points);
          }
        }}
        onPointerMove={(e) => {
          if (drag.current === null) return;
          const [x, y] = at(e);
          const points = style.points.map((p): TransferPoint => [...p]);
          points[drag.current] = [toValue(x), 1 - y / H];
          const moved = points[drag.current];
          const sorted = [...points].sort((a, b) => a[0] - b[0]);
          drag.current = sorted.indexOf(moved);
          setPoints(sorted);
        }}
        onPointerUp={() => (drag.current = null)}
        onDoubleClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          const x = ((e.clientX - r.left) / r.width) * W;
          const y = ((e.clientY - r.top) / r.height) * H;
          const i = style.points.findIndex(([v, a]) => Math.hypot(toX(v) - x, (1 - a) * H - y) < 7);
          if (i >= 0 && style.points.length > 2) setPoints(style.points.filter((_, j) => j !== i));
        }}
      >
        <rect width={W} height={H} className="tf-bg" />
        <path d={histPath} className="tf-hist" />
        <polyline points={style.points.map(([v, a]) => `${toX(v)},${(1 - a) * H}`).join(' ')} className="tf-line" />
        {style.points.map(([v, a], i) => (
          <circle key={i} cx={toX(v)} cy={(1 - a) * H} r={4} className="tf-point">
            <title>
              {formatValue(v)}: opacity {a.toFixed(2)}
            </title>
          </circle>
        ))}
      </svg>
      <div className="tf-axis muted">
        <span>{formatValue(+xLo.toPrecision(4))}</span>
        <span className="tf-ramp" data-testid="tf-ramp" style={{ background: rampCss(style.colors, style.colormap, xLo, xHi) }} />
        <span>{formatValue(+xHi.toPrecision(4))}</span>
      </div>
      <p className="muted tf-hint">Click to add a point, drag to move it, double-click to remove it.</p>
      <div className="layer-controls">
        {/* Picking a colormap colours by it: the colour points give way. */}
        <select aria-label="Transfer colormap" title="Colour of the transfer function (a preset's own colours until changed)" value={style.colors ? '' : style.colormap} onChange={(e) => isColormap(e.target.value) && setStyle({ colormap: e.target.value, colors: undefined })}>
          {style.colors && (
            <option value="" disabled>
              colour points
            </option>
          )}
          {COLORMAPS.filter((c) => c !== 'label').map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
        <button
          onClick={() => {
            const blob = new Blob([JSON.stringify({ points: style.points, ...(style.colors ? { colors: style.colors } : {}), colormap: style.colormap }, null, 2)], { type: 'application/json' });
            const a = document.createElement('a');
            a.href = URL.createObjectURL(blob);
            a.download = `${layer.name.replace(/\.nii(\.gz)?$/, '')}-transfer.json`;
            a.click();
            URL.revokeObjectURL(a.href);
          }}
        >
          Save…
        </button>
        <button onClick={() => fileInput.current?.click()} title="Load a transfer function saved as JSON">
          Load…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="tf-load"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            const parsed = parseTransferJson(await f.text());
            if (typeof parsed === 'string') setFileError(`${f.name}: ${parsed}`);
            else {
              setFileError(null);
              setStyle(parsed);
            }
          }}
        />
      </div>
      {fileError && (
        <p className="warn" role="alert">
          {fileError}
        </p>
      )}
    </div>
  );
}

const AXES = ['x (R)', 'y (A)', 'z (S)'];

function ClipControls() {
  const layers = useViewerStore((s) => s.layers);
  const clip = useViewerStore((s) => s.clip);
  const cut = useViewerStore((s) => s.cut);
  const { lo, hi } = layerBounds(layers);
  const box: ClipBox = clip ?? { lo: [...lo], hi: [...hi] };
  const set = (end: 'lo' | 'hi', axis: number, value: number) => {
    const next: ClipBox = { lo: [...box.lo], hi: [...box.hi] };
    next[end][axis] = value;
    if (next.hi[axis] <= next.lo[axis]) return;
    useViewerStore.getState().setClip(next);
  };
  return (
    <fieldset className="clip">
      <legend>Clip (world mm)</legend>
      {AXES.map((name, a) => (
        <div key={name} className="clip-row">
          <span>{name}</span>
          <input type="range" min={lo[a]} max={hi[a]} step={(hi[a] - lo[a]) / 200 || 1} value={box.lo[a]} aria-label={`Clip ${name} from`} title={`Keep ${name} from ${box.lo[a].toFixed(1)} mm`} onChange={(e) => set('lo', a, e.target.valueAsNumber)} />
          <output className="clip-mm" data-testid={`clip-${a}-lo`}>{box.lo[a].toFixed(1)}</output>
          <input type="range" min={lo[a]} max={hi[a]} step={(hi[a] - lo[a]) / 200 || 1} value={box.hi[a]} aria-label={`Clip ${name} to`} title={`Keep ${name} to ${box.hi[a].toFixed(1)} mm`} onChange={(e) => set('hi', a, e.target.valueAsNumber)} />
          <output className="clip-mm" data-testid={`clip-${a}-hi`}>{box.hi[a].toFixed(1)} mm</output>
        </div>
      ))}
      <div className="layer-controls">
        <label title="Remove the octant facing the camera, cornered at the crosshair: the slice planes show inside">
          <input type="checkbox" checked={cut} aria-label="Cut at the crosshair" title="Remove the octant facing the camera, cornered at the crosshair" onChange={(e) => useViewerStore.getState().setCut(e.target.checked)} />
          Cut at crosshair
        </label>
        <button disabled={!clip} title="Remove the clip box" onClick={() => useViewerStore.getState().setClip(null)}>
          No clip
        </button>
      </div>
    </fieldset>
  );
}
