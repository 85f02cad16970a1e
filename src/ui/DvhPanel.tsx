// Dose review: with a dose layer and a structure set open, the cumulative DVH of each visible
// structure (uPlot), its D95, D50, Dmax, Dmean and V20Gy in a table, and a CSV export; and the
// isodose lines drawn on the slice panes, at levels in Gy or in % of the maximum or of a prescription.
import { useMemo, useState } from 'react';
import { dvhCsv, dvhCurve, niceDoseStep } from '../io/dicom/rt/dvh';
import { structureDvhs, valueUnit } from '../state/rtAnalysis';
import { useRtStore, type IsodoseUnit } from '../state/rtStore';
import { useViewerStore, type LayerMeta } from '../state/viewerStore';
import { downloadText } from './download';
import { Section } from './Section';
import { UPlotChart } from './UPlotChart';
import './rt.css';

const num = (v: number, digits = 4) => (Number.isFinite(v) ? String(+v.toPrecision(digits)) : '–');

/** Layers that can be a dose: single-channel, not label maps; an RT Dose first. */
function doseCandidates(layers: readonly LayerMeta[]): LayerMeta[] {
  const single = layers.filter((l) => l.display.colormap !== 'label' && !['rgb24', 'rgba32'].includes(l.datatype));
  return [...single.filter((l) => valueUnit(l) === 'Gy'), ...single.filter((l) => valueUnit(l) !== 'Gy')];
}

export function DvhPanel() {
  const layers = useViewerStore((s) => s.layers);
  const structures = useRtStore((s) => s.structures);
  const candidates = doseCandidates(layers);
  const hasDose = candidates.some((l) => valueUnit(l) === 'Gy');
  if (!candidates.length || (!hasDose && !structures.length)) return null;
  return (
    <Section id="dose" testId="dvh-panel" title="Dose" tooltip="dose–volume histograms of the structures, and isodose lines">
      <Isodose candidates={candidates} />
      {structures.length > 0 && <Dvh candidates={candidates} />}
    </Section>
  );
}

function DoseSelect({ candidates, value, onChange, label }: { candidates: LayerMeta[]; value: string; onChange: (id: string) => void; label: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} title={label}>
      {candidates.map((l) => (
        <option key={l.id} value={l.id}>
          {l.name}
          {valueUnit(l) === 'Gy' ? ' (Gy)' : ''}
        </option>
      ))}
    </select>
  );
}

function Dvh({ candidates }: { candidates: LayerMeta[] }) {
  const structures = useRtStore((s) => s.structures);
  const [chosen, setChosen] = useState<string | null>(null);
  const dose = candidates.find((l) => l.id === chosen) ?? candidates[0];
  const visibleIds = structures
    .filter((s) => s.visible && !s.empty)
    .map((s) => s.id)
    .join('\n');
  // Recomputed when the structures shown, the dose, its voxels or its frame change; not on window or
  // colour changes, nor while its slices arrive (a DVH of a partly written dose would be wrong).
  const arriving = dose.arriving;
  const key = arriving ? '' : `${dose.id} ${dose.bufferId} ${dose.display.frame}`;
  const result = useMemo(
    () => (key ? structureDvhs(dose.id, visibleIds ? visibleIds.split('\n') : []) : null),
    [key, visibleIds], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const unit = valueUnit(dose) || 'value';
  if (!result || arriving) {
    return (
      <p className="muted" data-testid="dvh-waiting">
        The DVH over {dose.name} once all its slices are in{arriving ? ` (${arriving.slices} of ${arriving.of})` : ''}.
      </p>
    );
  }
  if (result.kind === 'error') return <p className="muted">{result.message}</p>;
  const rows = result.value;
  const maxGy = Math.max(0, ...rows.map((r) => r.dvh.dmax).filter(Number.isFinite));
  const step = niceDoseStep(maxGy);
  const curves = rows.map((r) => dvhCurve(r.dvh.sorted, step, maxGy));
  return (
    <div data-testid="dvh">
      <h3 className="rt-sub">Dose–volume histogram</h3>
      <label className="rt-row">
        <span>Dose</span>
        <DoseSelect candidates={candidates} value={dose.id} onChange={setChosen} label="Dose layer of the DVH" />
      </label>
      {rows.length === 0 ? (
        <p className="muted">No visible structure.</p>
      ) : (
        <>
          <UPlotChart
            x={curves[0].dose}
            xLabel={`Dose (${unit})`}
            yLabel="Volume (%)"
            height={170}
            series={rows.map((r) => ({ label: r.name, colour: `rgb(${r.rgb.join(',')})` }))}
            data={curves.map((c) => c.percent)}
            testId="dvh-chart"
          />
          <table className="roi-stats dvh-table" data-testid="dvh-table">
            <thead>
              <tr>
                <th>Structure</th>
                <th title="Volume of the voxels of the dose grid inside the structure">cm³</th>
                <th title="Least dose to the hottest 95 % of the volume">D95</th>
                <th title="Least dose to the hottest 50 % of the volume">D50</th>
                <th>Dmax</th>
                <th>Dmean</th>
                <th title="Share of the volume receiving at least 20 Gy">V20Gy %</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.structureId} data-testid="dvh-row" data-structure={r.structureId}>
                  <td title={r.name}>
                    <span className="rt-swatch" style={{ background: `rgb(${r.rgb.join(',')})` }} />
                    {r.name}
                  </td>
                  <td>{num(r.dvh.volumeCm3)}</td>
                  <td>{num(r.dvh.d95)}</td>
                  <td>{num(r.dvh.d50)}</td>
                  <td>{num(r.dvh.dmax)}</td>
                  <td>{num(r.dvh.dmean)}</td>
                  <td>{num(r.dvh.v20Percent, 3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted rt-note">Doses in {unit}, over the dose grid's voxels whose centres lie inside each structure.</p>
          <button type="button" data-testid="dvh-export" title="The table and the curves as CSV" onClick={() => downloadText(`dvh-${dose.name.replace(/[^\w.-]+/g, '_')}.csv`, dvhCsv(rows, step), 'text/csv')}>
            Export CSV
          </button>
        </>
      )}
    </div>
  );
}

const UNIT_LABEL: Record<IsodoseUnit, string> = { Gy: 'Gy', 'percent-max': '% of max', 'percent-prescription': '% of prescription' };

function Isodose({ candidates }: { candidates: LayerMeta[] }) {
  const settings = useRtStore((s) => s.isodose);
  const set = useRtStore((s) => s.setIsodose);
  const shown = candidates.find((l) => l.id === settings.layerId);
  const [text, setText] = useState(settings.levels.join(', '));
  const parsed = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);
  const bad = parsed.some((v) => !Number.isFinite(v) || v <= 0);
  return (
    <div data-testid="isodose">
      <h3 className="rt-sub">Isodose lines</h3>
      <label className="rt-row">
        <input type="checkbox" checked={shown !== undefined} aria-label="Show isodose lines" onChange={(e) => set({ layerId: e.target.checked ? (candidates[0]?.id ?? null) : null })} />
        <span>Show on the slices, from</span>
      </label>
      {shown && (
        <>
          <label className="rt-row">
            <DoseSelect candidates={candidates} value={shown.id} onChange={(id) => set({ layerId: id })} label="Dose layer of the isodose lines" />
          </label>
          <label className="rt-row">
            <span>Levels</span>
            <input
              type="text"
              value={text}
              aria-label="Isodose levels"
              title="Levels separated by commas, highest first"
              aria-invalid={bad}
              onChange={(e) => {
                setText(e.target.value);
                const v = e.target.value.split(/[,\s]+/).filter(Boolean).map(Number);
                if (v.length && v.every((x) => Number.isFinite(x) && x > 0)) set({ levels: v });
              }}
            />
            <select value={settings.unit} aria-label="Unit of the isodose levels" onChange={(e) => set({ unit: e.target.value as IsodoseUnit })}>
              {(Object.keys(UNIT_LABEL) as IsodoseUnit[]).map((u) => (
                <option key={u} value={u}>
                  {UNIT_LABEL[u]}
                </option>
              ))}
            </select>
          </label>
          <label className="rt-row">
            <span>Draw</span>
            <select value={settings.style} aria-label="Isodose drawing" onChange={(e) => set({ style: e.target.value as 'lines' | 'bands' | 'both' })}>
              <option value="lines">lines</option>
              <option value="bands">colour bands</option>
              <option value="both">lines and bands</option>
            </select>
          </label>
          {settings.unit === 'percent-prescription' && (
            <label className="rt-row">
              <span>Prescription</span>
              <input type="number" min={0} step={0.1} value={settings.prescriptionGy} aria-label="Prescription dose (Gy)" onChange={(e) => Number(e.target.value) > 0 && set({ prescriptionGy: Number(e.target.value) })} />
              <span>Gy</span>
            </label>
          )}
          {bad && <p className="muted">Levels are positive numbers separated by commas.</p>}
        </>
      )}
    </div>
  );
}
