// Measurements: the list of lines, angles and ROIs drawn on the slice panes with their exact
// numbers (ROI statistics per layer, in scaled units), the selected line's profile plotted for
// every visible layer, and the time course of a 4D layer's voxel under the cursor with the pinned
// voxels overlaid. Every number is computed from the pinned buffers when shown.
import { getRecord, gridUnit } from '../state/layerRegistry';
import { useEffect, useMemo, useRef, useState } from 'react';
import { editMeasurement, exportMeasurements, labelVolumes, layerProfile, layerTimeCourse, listMeasurements, measurementAxes, removeMeasurement, type LabelVolume, type MeasurementInfo } from '../state/measurements';
import { MEASURE_TOOLS, useViewerStore, type LayerMeta, type MeasureTool, type Vec3 } from '../state/viewerStore';
import { frameCount, intentValueName } from '../volume/header';
import { downloadText } from './download';
import { formatMm, formatSignificant, formatStat, formatValue, mmDecimals, valueStep } from './format';
import { measurementPlaneLabel } from './measurePlane';
import { Section } from './Section';
import { UPlotChart } from './UPlotChart';

const TOOL_LABEL: Record<MeasureTool, string> = { crosshair: 'Crosshair', line: 'Line', angle: 'Angle', ellipse: 'Ellipse', rectangle: 'Rect' };
const TOOL_TITLE: Record<MeasureTool, string> = {
  crosshair: 'Left-drag in a slice pane moves the crosshair (Escape comes back here)',
  line: 'Drag a line: its length and the profile along it',
  angle: 'Drag the first arm from its end to the vertex, then click the end of the second',
  ellipse: 'Drag an ellipse ROI: statistics of the voxels inside',
  rectangle: 'Drag a rectangle ROI: statistics of the voxels inside',
};

/** Plots tall enough to read a profile's edges: the chart with its axes and their labels. */
const PLOT_HEIGHT = 220;

const COLOURS = ['#4fc3f7', '#ffb74d', '#81c784', '#e57373', '#ba68c8', '#fff176'];
const KIND_LABEL = { line: 'Line', angle: 'Angle', ellipse: 'Ellipse', rectangle: 'Rectangle' } as const;

export function MeasurePanel() {
  const measurements = useViewerStore((s) => s.measurements);
  const layers = useViewerStore((s) => s.layers);
  const selected = useViewerStore((s) => s.selectedLine);
  const tool = useViewerStore((s) => s.tool);
  // Read again on every render: ROI numbers follow the layers (frames, closing).
  const list = measurements.length ? listMeasurements() : [];
  if (layers.length === 0) return null;
  return (
    <Section
      id="measure"
      testId="measure-panel"
      tooltip="lines, angles and ROIs drawn on the slice panes, the line profile and the time course"
      title={
        <>
          Measurements <span className="muted">choose a tool, drag in a slice pane</span>
        </>
      }
    >
      <div className="segmented tools" role="group" aria-label="Tool">
        {MEASURE_TOOLS.map((t) => (
          <button key={t} aria-pressed={tool === t} onClick={() => useViewerStore.getState().setTool(t)} title={TOOL_TITLE[t]} data-testid={`tool-${t}`}>
            {TOOL_LABEL[t]}
          </button>
        ))}
      </div>
      {list.length === 0 && <p className="muted">None yet.</p>}
      {list.map((m) => (
        <MeasurementRow key={m.id} m={m} selected={m.id === selected} />
      ))}
      {list.length > 0 && (
        <div className="row">
          <button title="Download every measurement with its numbers as CSV (one row per ROI and layer)" data-testid="measurements-csv" onClick={() => downloadText('voxlens-measurements.csv', exportMeasurements('csv'), 'text/csv')}>
            Export CSV
          </button>
          <button title="Download every measurement with its numbers as JSON" onClick={() => downloadText('voxlens-measurements.json', exportMeasurements('json'), 'application/json')}>
            Export JSON
          </button>
        </div>
      )}
      <ProfilePlot />
      <TimeCourse />
      <LabelVolumes />
    </Section>
  );
}

/** A measurement's name, typed freely and kept on Enter or leaving the field; Escape puts back the last one. */
function MeasurementName({ m }: { m: MeasurementInfo }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft !== null) editMeasurement(m.id, { name: draft.trim() });
    setDraft(null);
  };
  return (
    <input
      type="text"
      className="measure-name"
      placeholder="name"
      aria-label={`Name of ${KIND_LABEL[m.kind]} ${m.id}`}
      title="A name for this measurement, shown on the image and in the exports"
      value={draft ?? m.name ?? ''}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        else if (e.key === 'Escape') {
          e.stopPropagation();
          setDraft(null);
        }
      }}
    />
  );
}

function MeasurementRow({ m, selected }: { m: MeasurementInfo; selected: boolean }) {
  const layers = useViewerStore.getState().layers;
  const summary = m.kind === 'line' ? `${formatMm(m.lengthMm!, mmDecimals(layers.map((l) => l.affine)))} ${gridUnit(layers[0]?.id)}` : m.kind === 'angle' ? `${m.angleDeg!.toFixed(1)}°` : '';
  // Statistics to the precision each layer's values have (integer data: one decimal finer than its step).
  const stepOf = (layerId: string) => {
    const l = layers.find((x) => x.id === layerId);
    return l ? valueStep(l.datatype, l.slope) : null;
  };
  const unitOf = (layerId: string) => {
    const l = layers.find((x) => x.id === layerId);
    return l ? valueUnit(l) : undefined;
  };
  const plane = measurementPlaneLabel(m);
  return (
    <div className={`measure-row${selected ? ' selected' : ''}`} data-testid={`measurement-${m.id}`}>
      <div className="row">
        <button
          className="link"
          title={m.kind === 'line' ? 'Select this line (its profile is plotted below) and show its slice' : 'Show this measurement\'s slice'}
          onClick={() => {
            const s = useViewerStore.getState();
            // Selected: its handles show on the image (and a line's profile is plotted below).
            s.setSelectedLine(m.id);
            const c = m.points[m.kind === 'angle' ? 1 : 0];
            // Keep the crosshair on the measurement's slice so it stays in view: moved along that
            // plane's normal (a patient axis, or a turned plane's own) onto it.
            const here = s.crosshair;
            if (here && m.axes) {
              const n = measurementAxes(m).normal;
              const t = (c[0] - here[0]) * n[0] + (c[1] - here[1]) * n[1] + (c[2] - here[2]) * n[2];
              s.setCrosshair([here[0] + t * n[0], here[1] + t * n[1], here[2] + t * n[2]]);
            } else if (here) s.setCrosshair(c.map((v, a) => (a === normalOf(m.plane) ? v : here[a])) as Vec3);
          }}
        >
          {KIND_LABEL[m.kind]}{' '}
          <span className="muted" data-testid="measure-plane" title={plane.title}>
            {plane.text}
          </span>
        </button>
        <b className="num" data-testid="measure-value">
          {summary}
        </b>
        <span className="spacer" />
        <MeasurementName m={m} />
        <input
          type="color"
          className="measure-colour"
          aria-label={`Colour of ${KIND_LABEL[m.kind]} ${m.id}`}
          title="Its colour on the image"
          value={m.color ?? '#4dd0e1'}
          onChange={(e) => editMeasurement(m.id, { color: e.target.value })}
        />
        <button aria-label={`Delete ${KIND_LABEL[m.kind]} ${m.id}`} title="Delete this measurement" onClick={() => removeMeasurement(m.id)}>
          ×
        </button>
      </div>
      {plane.normal && (
        <div className="muted measure-normal" data-testid="measure-normal" title={plane.title}>
          plane normal (R, A, S) {plane.normal}
        </div>
      )}
      {m.stats && (
        <table className="roi-stats">
          <thead>
            <tr>
              <th>Layer</th>
              <th title="Voxels inside the ROI">n</th>
              <th title="Area of those voxels in the slice plane">mm²</th>
              <th>Mean</th>
              <th title="Standard deviation (n − 1)">SD</th>
              <th>Min</th>
              <th>Max</th>
            </tr>
          </thead>
          <tbody>
            {m.stats.map((s) => (
              <tr key={s.layerId} data-testid="roi-stats">
                <td className="layer-name" title={s.name}>
                  {s.name}
                  {unitOf(s.layerId) ? <span className="muted" data-testid="roi-unit"> ({unitOf(s.layerId)})</span> : null}
                </td>
                {s.closed || !s.stats ? (
                  <td colSpan={6} className="muted">
                    layer closed
                  </td>
                ) : (
                  <>
                    <td>{s.stats.count}</td>
                    <td>{formatSignificant(s.stats.areaMm2, 5)}</td>
                    <td title={`Mean ${formatValue(s.stats.mean)}`}>{formatStat(s.stats.mean, stepOf(s.layerId))}</td>
                    <td title={`SD ${formatValue(s.stats.sd)}`}>{formatStat(s.stats.sd, stepOf(s.layerId))}</td>
                    {/* Extremes are stored values: exact for integer data; floats to 5 digits here (7 in the tooltip and the export) so the table fits the sidebar. */}
                    <td title={`Min ${formatValue(s.stats.min)}`}>{stepOf(s.layerId) === null ? formatSignificant(s.stats.min, 5) : formatValue(s.stats.min)}</td>
                    <td title={`Max ${formatValue(s.stats.max)}`}>{stepOf(s.layerId) === null ? formatSignificant(s.stats.max, 5) : formatValue(s.stats.max)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

const normalOf = (plane: MeasurementInfo['plane']) => (plane === 'axial' ? 2 : plane === 'coronal' ? 1 : 0);

/** The smallest voxel step among the layers (mm): profiles take two samples per step. */
function finestStep(layers: LayerMeta[]): number {
  let step = Infinity;
  for (const l of layers) for (let k = 0; k < 3; k++) step = Math.min(step, Math.hypot(l.affine[k], l.affine[4 + k], l.affine[8 + k]));
  return Number.isFinite(step) && step > 0 ? step : 1;
}

function ProfilePlot() {
  const measurements = useViewerStore((s) => s.measurements);
  const selected = useViewerStore((s) => s.selectedLine);
  const layers = useViewerStore((s) => s.layers);
  const line = measurements.find((m) => m.id === selected && m.kind === 'line');
  const profile = useMemo(() => {
    if (!line) return null;
    const visible = layers.filter((l) => l.display.visible && l.dims.length >= 3);
    const [a, b] = line.points;
    const length = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
    const samples = Math.min(4000, Math.max(2, Math.ceil(length / (finestStep(visible) / 2)) + 1));
    const per = visible.map((l) => ({ layer: l, p: layerProfile(l.id, a, b, samples) }));
    return { x: per[0]?.p.distance ?? [], per };
  }, [line, layers]);
  // A line just drawn (or chosen in the list) brings its profile into view: with Layers, Probe and
  // Pins above it, the plot is often below the sidebar's fold.
  const plotRef = useRef<HTMLDivElement>(null);
  const lineId = line?.id;
  useEffect(() => {
    if (lineId) plotRef.current?.scrollIntoView({ block: 'nearest' });
  }, [lineId]);
  if (!line || !profile || profile.per.length === 0) return null;
  const csv = () => {
    const head = ['distance_mm', ...profile.per.flatMap(({ layer }) => [`${layer.name} i j k`, `${layer.name} raw`, `${layer.name} scaled`])];
    const rows = profile.x.map((d, n) => [String(d), ...profile.per.flatMap(({ p }) => [p.ijk[n].join(' '), String(p.raw[n]), String(p.scaled[n])])]);
    return [head, ...rows].map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';
  };
  return (
    <div className="plot" data-testid="profile-plot" ref={plotRef}>
      <h3>
        Profile{' '}
        <span className="muted">
          {formatMm(profile.x[profile.x.length - 1] ?? 0, mmDecimals(layers.map((l) => l.affine)))} {gridUnit(layers[0]?.id)}, {profile.x.length} samples
        </span>
      </h3>
      <UPlotChart
        x={profile.x}
        xLabel={`Distance (${gridUnit(layers[0]?.id)})`}
        yLabel={valueAxisLabel(profile.per.map(({ layer }) => layer))}
        height={PLOT_HEIGHT}
        series={profile.per.map(({ layer }, n) => ({ label: layer.name, colour: COLOURS[n % COLOURS.length] }))}
        data={profile.per.map(({ p }) => p.scaled.map((v, n) => (p.inside[n] ? v : NaN)))}
        onCursor={(idx) => useViewerStore.getState().setProfileHover(idx === null ? null : idx / Math.max(1, profile.x.length - 1))}
      />
      <div className="row">
        <button title="Download the profile as CSV: distance, voxel, raw and scaled value per layer" onClick={() => downloadText('voxlens-profile.csv', csv(), 'text/csv')}>
          Export CSV
        </button>
      </div>
    </div>
  );
}

function TimeCourse() {
  const layers = useViewerStore((s) => s.layers);
  const cursor = useViewerStore((s) => s.cursor);
  const crosshair = useViewerStore((s) => s.crosshair);
  const pins = useViewerStore((s) => s.pins);
  const layer = layers.find((l) => l.display.visible && frameCount(l.dims) > 1);
  const at = cursor ?? crosshair;
  const course = useMemo(() => {
    if (!layer || !at) return null;
    const frames = frameCount(layer.dims);
    // Seconds from the first frame where the header states the repetition time; else frames
    // counted from 1, as on the frame slider and in the probe.
    const x = [...Array(frames).keys()].map((t) => (layer.frameSeconds ? t * layer.frameSeconds : t + 1));
    const here = layerTimeCourse(layer.id, { world: at });
    const pinned = pins.filter((p) => p.layers.some((l) => l.id === layer.id)).map((p) => ({ label: p.label, tc: layerTimeCourse(layer.id, { world: p.world }) }));
    return { x, series: [{ label: cursor ? 'cursor' : 'crosshair', tc: here }, ...pinned] };
  }, [layer, at, cursor, pins]);
  if (!layer || !course) return null;
  const csv = () => {
    const head = ['frame', ...(layer.frameSeconds ? ['time_s'] : []), ...course.series.map((s) => `${s.label} [${s.tc.ijk.join(' ')}] scaled`)];
    // The CSV keeps the API's 0-based frame index.
    const rows = course.x.map((x, t) => [String(t), ...(layer.frameSeconds ? [String(x)] : []), ...course.series.map((s) => String(s.tc.scaled[t]))]);
    return [head, ...rows].map((r) => r.join(',')).join('\n') + '\n';
  };
  return (
    <div className="plot" data-testid="timecourse-plot">
      <h3>
        Time course <span className="muted">{layer.name}, voxel {course.series[0].tc.ijk.join(', ')}</span>
      </h3>
      <UPlotChart
        x={course.x}
        xLabel={layer.frameSeconds ? 'Time (s)' : 'Frame'}
        xIntegers={!layer.frameSeconds}
        yLabel={valueAxisLabel([layer])}
        height={PLOT_HEIGHT}
        series={course.series.map((s, n) => ({ label: s.label, colour: COLOURS[n % COLOURS.length] }))}
        data={course.series.map((s) => s.tc.scaled)}
        marker={layer.frameSeconds ? layer.display.frame * layer.frameSeconds : layer.display.frame + 1}
      />
      <div className="row">
        <button title="Download the time courses as CSV (frames counted from 0, as in the API)" onClick={() => downloadText('voxlens-timecourse.csv', csv(), 'text/csv')}>
          Export CSV
        </button>
      </div>
    </div>
  );
}

/** Volume per label of a label layer's displayed frame, counted in the analysis worker. */
function LabelVolumes() {
  const layers = useViewerStore((s) => s.layers);
  const labelLayers = layers.filter((l) => l.display.colormap === 'label');
  const [result, setResult] = useState<{ key: string; name: string; rows: LabelVolume[] } | { key: string; error: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (labelLayers.length === 0) return null;
  const keyOf = (l: LayerMeta) => `${l.id}:${l.display.frame}`;
  const current = result && labelLayers.some((l) => keyOf(l) === result.key) ? result : null;
  const run = (l: LayerMeta) => {
    setBusy(true);
    labelVolumes(l.id).then(
      (rows) => setResult({ key: keyOf(l), name: l.name, rows }),
      (e: unknown) => setResult({ key: keyOf(l), error: String(e instanceof Error ? e.message : e) }),
    ).finally(() => setBusy(false));
  };
  return (
    <div className="plot" data-testid="label-volumes">
      <h3>Volume per label</h3>
      <div className="row">
        {labelLayers.map((l) => (
          <button key={l.id} disabled={busy} onClick={() => run(l)} title="Count every voxel of the displayed frame (off the main thread)">
            {labelLayers.length > 1 ? `Count ${l.name}` : 'Count'}
          </button>
        ))}
        {busy && <span className="muted">counting…</span>}
      </div>
      {current && 'error' in current && <p role="alert">{current.error}</p>}
      {current && 'rows' in current && (
        <>
          <table className="roi-stats">
            <thead>
              <tr>
                <th>Label</th>
                <th>Name</th>
                <th>Voxels</th>
                <th title="Voxels × the volume of one voxel">mm³</th>
              </tr>
            </thead>
            <tbody>
              {current.rows.map((r) => (
                <tr key={r.label} data-testid="label-volume">
                  <td>{r.label}</td>
                  <td className="layer-name" title={r.name}>
                    {r.name ?? ''}
                  </td>
                  <td>{r.voxels}</td>
                  <td>{formatValue(Number(r.volumeMm3.toPrecision(7)))}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button
              title="Download the label volumes as CSV"
              onClick={() =>
                downloadText(
                  'voxlens-label-volumes.csv',
                  ['label,name,voxels,volume_mm3', ...current.rows.map((r) => `${r.label},"${(r.name ?? '').replace(/"/g, '""')}",${r.voxels},${r.volumeMm3}`)].join('\n') + '\n',
                  'text/csv',
                )
              }
            >
              Export CSV
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** The y axis of plotted scaled values: their unit when every layer plotted states the same one. */
function valueAxisLabel(layers: LayerMeta[]): string {
  const units = new Set(layers.map(valueUnit));
  const [unit] = units;
  return units.size === 1 && unit ? `Value (${unit})` : 'Scaled value';
}

/** The DICOM object's unit (Gy for RT Dose), HU for CT, the NIfTI intent's quantity (t statistic, z score…), else none. */
function valueUnit(layer: LayerMeta): string | undefined {
  if (layer.dicom?.valueUnit) return layer.dicom.valueUnit;
  if (layer.dicom?.modality === 'CT') return 'HU';
  const meaning = intentValueName(getRecord(layer.id)?.header.intentCode ?? 0);
  return meaning === 'label index' ? undefined : meaning;
}
