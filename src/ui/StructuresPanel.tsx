// RT structure sets and DICOM SEG segments: each structure by name and colour with a visibility
// toggle (drawn in every slice pane), the statistics of a chosen layer over each structure, and
// Rasterize (a structure as a label layer on a chosen layer's grid). SEG layers list their
// segments with colour, label, category and type.
import { useEffect, useState } from 'react';
import { rasterizeToLayer, structureLayerStats, valueUnit } from '../state/rtAnalysis';
import { segInfoOf } from '../state/rtLoad';
import { useRtStore } from '../state/rtStore';
import { useViewerStore } from '../state/viewerStore';
import { Section } from './Section';
import './rt.css';

const num = (v: number, digits = 4) => (Number.isFinite(v) ? String(+v.toPrecision(digits)) : '–');

export function StructuresPanel() {
  const sets = useRtStore((s) => s.sets);
  const structures = useRtStore((s) => s.structures);
  const layers = useViewerStore((s) => s.layers);
  const segLayers = layers.filter((l) => segInfoOf(l.id));
  if (!sets.length && !segLayers.length) return null;
  return (
    <Section id="structures" testId="structures-panel" title="Structures" tooltip="RT structure sets and DICOM SEG segments: visibility, statistics, Rasterize">
      {sets.map((set) => (
        <div key={set.id} className="rt-set" data-testid="structure-set">
          <div className="rt-set-head">
            <strong title={set.name}>{set.name}</strong>
            <span className="spacer" />
            <button type="button" className="link" onClick={() => useRtStore.getState().setAllVisible(set.id, true)} title="Show every structure of this set">
              all
            </button>
            <button type="button" className="link" onClick={() => useRtStore.getState().setAllVisible(set.id, false)} title="Hide every structure of this set">
              none
            </button>
            <button type="button" className="link" onClick={() => useRtStore.getState().removeSet(set.id)} title="Close this structure set">
              ×
            </button>
          </div>
          <ul className="rt-list">
            {structures
              .filter((s) => s.setId === set.id)
              .map((s) => (
                <li key={s.id} data-testid="structure-row">
                  <label title={s.empty ? 'No closed contour with an area: nothing to draw' : `Show ${s.name} in the slice panes`}>
                    <input type="checkbox" checked={s.visible} disabled={s.empty} onChange={(e) => useRtStore.getState().setVisible(s.id, e.target.checked)} aria-label={`Show ${s.name}`} />
                    <span className="rt-swatch" style={{ background: `rgb(${s.rgb.join(',')})` }} />
                    <span className="rt-name">{s.name}</span>
                  </label>
                  <span className="muted">{s.interpretedType ?? ''}</span>
                  <span className="num muted" title="Volume enclosed by the contours (Σ area × slice spacing)">
                    {s.contourVolumeMm3 !== undefined ? `${num(s.contourVolumeMm3 / 1000)} cm³` : ''}
                  </span>
                </li>
              ))}
          </ul>
        </div>
      ))}
      {sets.length > 0 && <StructureStatsTable />}
      {segLayers.map((l) => {
        const info = segInfoOf(l.id)!;
        return (
          <div key={l.id} className="rt-set" data-testid="seg-segments">
            <div className="rt-set-head">
              <strong title={`DICOM SEG (${info.kind})${info.ownGrid ? ', on its own grid' : ''}`}>{l.name}</strong>
            </div>
            <ul className="rt-list">
              {info.segments.map((s) => (
                <li key={s.number} data-testid="segment-row" className="rt-segment">
                  <span className="rt-name">
                    <span className="rt-swatch" style={{ background: `rgb(${s.rgb.join(',')})` }} />
                    {s.number}. {s.label}
                  </span>
                  <span className="muted" title="Segmented property category › type">
                    {[s.category, s.type].filter(Boolean).join(' › ')}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </Section>
  );
}

/** The chosen layer's values over every visible structure, and Rasterize onto its grid. */
function StructureStatsTable() {
  const structures = useRtStore((s) => s.structures);
  const layers = useViewerStore((s) => s.layers);
  const single = layers.filter((l) => l.display.colormap !== 'label');
  const [chosen, setChosen] = useState<string | null>(null);
  const layer = single.find((l) => l.id === chosen) ?? single[0];
  const [message, setMessage] = useState('');
  // Recomputed when the structures, the layer, its voxels or its frame change; not on window or
  // colour changes. Not while its slices arrive: statistics over a partly written volume would be
  // wrong, and recomputing them at every arrival took the main thread from the load (issue 22's
  // open-time figure).
  const arriving = layer?.arriving;
  const key = layer && !arriving ? `${layer.id} ${layer.bufferId} ${layer.display.frame}` : '';
  // Taken after the panes have drawn, a structure per task (40 structures on a 512² × 300 CT take
  // seconds): the image shows first and the page stays responsive while the table fills in.
  const [done, setDone] = useState<{ key: string; structures: unknown; rows: { s: (typeof structures)[number]; r: ReturnType<typeof structureLayerStats> }[] } | null>(null);
  useEffect(() => {
    if (!layer || !key) return;
    const list = structures.filter((s) => !s.empty);
    const out: NonNullable<typeof done>['rows'] = [];
    let timer = 0;
    const step = (n: number) => {
      if (n === list.length) return setDone({ key, structures, rows: out });
      out.push({ s: list[n], r: structureLayerStats(list[n].id, layer.id) });
      timer = window.setTimeout(() => step(n + 1), 0);
    };
    timer = window.setTimeout(() => step(0), 0);
    return () => window.clearTimeout(timer);
  }, [structures, key]); // eslint-disable-line react-hooks/exhaustive-deps
  const rows = done && done.key === key && done.structures === structures ? done.rows : null;
  if (!layer) return <p className="muted">Open an image to measure the structures over it.</p>;
  if (arriving || !rows) {
    return (
      <p className="muted" data-testid="structure-stats-waiting">
        {arriving ? `Statistics over ${layer.name} once all its slices are in (${arriving.slices} of ${arriving.of}).` : `Measuring the structures over ${layer.name}…`}
      </p>
    );
  }
  const unit = valueUnit(layer);
  return (
    <div className="rt-stats" data-testid="structure-stats">
      <label className="rt-row">
        <span>Over</span>
        <select value={layer.id} onChange={(e) => setChosen(e.target.value)} aria-label="Layer the statistics are taken over" title="The layer whose values are measured inside each structure">
          {single.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <table className="roi-stats">
        <thead>
          <tr>
            <th style={{ textAlign: 'left' }}>Structure</th>
            <th title="Volume of the voxels counted (their centres inside)">cm³</th>
            <th>Mean{unit ? ` ${unit}` : ''}</th>
            <th>SD</th>
            <th>Min</th>
            <th>Max</th>
            <th>
              <span className="visually-hidden">Rasterize</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ s, r }) => (
            <tr key={s.id} data-testid="structure-stats-row" data-structure={s.id}>
              <td style={{ textAlign: 'left' }} title={s.name}>
                <span className="rt-swatch" style={{ background: `rgb(${s.rgb.join(',')})` }} />
                {s.name}
              </td>
              {r.kind === 'error' ? (
                <td colSpan={5} className="muted">
                  {r.message}
                </td>
              ) : (
                <>
                  <td>{num(r.value.volumeCm3)}</td>
                  <td>{num(r.value.mean)}</td>
                  <td>{num(r.value.sd)}</td>
                  <td>{num(r.value.min)}</td>
                  <td>{num(r.value.max)}</td>
                </>
              )}
              <td>
                <button
                  type="button"
                  className="link"
                  data-testid="rasterize"
                  title={`Rasterize ${s.name} into a label layer on the grid of ${layer.name}`}
                  onClick={() => {
                    const made = rasterizeToLayer(s.id, layer.id);
                    setMessage(made.kind === 'error' ? made.message : `${made.value.name} added as a label layer.`);
                  }}
                >
                  ▦
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted rt-note">Statistics, Rasterize (▦) and the DVH count a voxel when its centre is inside the contours (no partial volumes).</p>
      {message && <p className="muted">{message}</p>}
    </div>
  );
}
