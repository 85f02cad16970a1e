// The Segment panel (issue 24): create a segmentation on a layer's grid, its segment list (name,
// colour, visibility, lock; the active one is painted), the tools the slice panes take while one
// is on (brush, eraser, threshold brush, region grow, fill outline), interpolate between drawn
// slices, remove islands, undo/redo (Ctrl+Z / Ctrl+Shift+Z), the exact statistics per segment
// with a CSV export, Save NIfTI (the label map and its colour table, downloaded), and, on a DICOM
// series, Save DICOM SEG (downloaded) and Send to PACS (STOW-RS).
import { useEffect, useState, type CSSProperties } from 'react';
import { focusKind, undoKey } from '../render/panes/keys';
import { dicomWebBase } from '../io/dicomweb/qido';
import { saveDicomSegToPacs } from '../segmentation/dicomSegExport';
import { downloadDicomSeg, downloadNifti, fileStem } from '../segmentation/download';
import {
  addSegment,
  closeSegmentation,
  createSegmentation,
  getSession,
  editLabelLayer,
  interpolate,
  redo,
  removeIslands,
  segmentStats,
  setActiveSegment,
  setActiveSegmentation,
  undo,
  updateSegment,
  useSegmentationStore,
} from '../segmentation/session';
import { imageLayerStats, type ImageLayerStats } from '../segmentation/imageStats';
import { statsCsv } from '../segmentation/segments';
import { setSegmentTool, useSegmentTool, type SegmentToolKind } from '../segmentation/toolStore';
import { useViewerStore } from '../state/viewerStore';
import { downloadText } from './download';
import { formatSignificant } from './format';
import { Section } from './Section';

const TOOLS: { kind: SegmentToolKind; label: string; tip: string }[] = [
  { kind: 'brush', label: 'Brush', tip: 'Paint the active segment: a disk in the pane’s plane or a sphere, radius in mm' },
  { kind: 'eraser', label: 'Eraser', tip: 'Erase (write background); locked segments stay' },
  { kind: 'threshold', label: 'Threshold', tip: 'Brush that paints only where the reference image is within the range' },
  { kind: 'grow', label: 'Grow', tip: 'Region grow from the clicked voxel within the range (3D, or 2D in the slice)' },
  { kind: 'outline', label: 'Outline', tip: 'Draw a closed outline in a slice; its inside is filled on release' },
];

const rgbHex = (c: readonly number[]) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const hexRgb = (h: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number];

const S: Record<string, CSSProperties> = {
  tools: { display: 'flex', flexWrap: 'wrap', gap: 4, margin: '4px 0' },
  on: { outline: '2px solid #4dd0e1', background: '#1d3a40' },
  swatch: { width: 22, height: 18, padding: 0, border: '1px solid #555', background: 'none' },
  name: { width: '100%', minWidth: 60 },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: 11 },
  num: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', paddingLeft: 4 },
  active: { background: '#22303a' },
  range: { width: 64 },
};

export function SegmentPanel() {
  const layers = useViewerStore((s) => s.layers);
  const list = useSegmentationStore((s) => s.list);
  const activeId = useSegmentationStore((s) => s.activeId);
  const meta = list.find((m) => m.id === activeId);
  const tool = useSegmentTool();
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  // Every other visible image layer's statistics: one pass each, once the edits pause (not per dab).
  const [others, setOthers] = useState<ImageLayerStats[]>([]);
  const version = list.find((m) => m.id === activeId)?.version;
  useEffect(() => {
    const t = setTimeout(() => setOthers(activeId ? imageLayerStats(activeId).filter((l) => !l.reference) : []), 120);
    return () => clearTimeout(t);
  }, [activeId, version, layers]);
  const segIds = new Set(list.map((m) => m.id));
  const bases = layers.filter((l) => !segIds.has(l.id));
  const [baseId, setBaseId] = useState<string>('');
  const base = bases.find((l) => l.id === baseId) ?? bases[0];

  // Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) undo and redo the active segmentation; a text field keeps its own.
  useEffect(() => {
    if (!activeId) return;
    const onKey = (e: KeyboardEvent) => {
      // Escape puts the segment tool down: the panes take the pointer back (crosshair, measurements).
      if (e.key === 'Escape' && useSegmentTool.getState().tool && focusKind(e.target) !== 'text') setSegmentTool({ tool: null });
      const k = undoKey(e);
      if (!k || focusKind(e.target) === 'text') return;
      e.preventDefault();
      void (k === 'undo' ? undo(activeId) : redo(activeId));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [activeId]);

  if (layers.length === 0) return null;
  const report = (r: { kind: string; message?: string }) => setError(r.kind === 'error' ? (r.message ?? 'failed') : null);

  // A label map on its own is edited in place; any other layer gets a new segmentation on its grid.
  const editable = base && base.display.colormap === 'label' && (base.datatype === 'uint8' || base.datatype === 'uint16') && base.dims.length === 3;
  const create = async () => {
    if (!base) return;
    report(editable ? editLabelLayer(base.id) : await createSegmentation(base.id));
  };
  const rows = meta ? segmentStats(meta.id) : null;
  const stats = rows?.kind === 'ok' ? rows.value : [];
  const unit = base?.slope !== 1 || base?.inter !== 0 ? 'scaled' : '';
  const session = meta ? getSession(meta.id) : undefined;
  const offDicom = session && !session.dicom ? `${session.baseName} is not a DICOM series: this segmentation saves as NIfTI only (a DICOM SEG must reference the images it was drawn on)` : null;
  const sendToPacs = async () => {
    if (!meta) return;
    setSent('Sending…');
    const r = await saveDicomSegToPacs(meta.id, dicomWebBase());
    report(r);
    setSent(r.kind === 'ok' ? `Sent to the PACS: series …${r.value.seriesUid.slice(-8)} in the study of ${session?.baseName ?? 'the images'}` : null);
  };

  return (
    <Section id="segment" testId="segment-panel" title="Segment" tooltip="label structures by hand and measure them: brush, threshold, region grow, interpolation, undo, statistics, save">
      <div className="row seg-pick">
        <select aria-label="Segmentation" title="The segmentation being edited" value={activeId ?? ''} onChange={(e) => setActiveSegmentation(e.target.value || null)} data-testid="segmentation-select">
          {list.length === 0 && <option value="">No segmentation</option>}
          {list.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        {bases.length > 1 && (
          <select aria-label="Layer to segment" title="The layer whose grid and values a new segmentation uses (a label map: edited in place)" value={base?.id ?? ''} onChange={(e) => setBaseId(e.target.value)}>
            {bases.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        )}
        <button type="button" onClick={() => void create()} disabled={!base} title={!base ? 'Open an image first' : editable ? `Edit the labels of ${base.name} in place` : `A new segmentation on the grid of ${base.name}`} data-testid="segmentation-new">
          {editable ? 'Edit labels' : 'New'}
        </button>
        {meta && (
          <button type="button" title="Close this segmentation (its layer)" onClick={() => closeSegmentation(meta.id)}>
            Close
          </button>
        )}
      </div>
      {error && (
        <p className="warn" role="alert" data-testid="segment-error">
          {error}
        </p>
      )}
      {meta && (
        <>
          <table style={S.table} data-testid="segment-list">
            <thead>
              <tr>
                <th />
                <th style={{ textAlign: 'left' }}>Segment</th>
                <th title="Shown">Show</th>
                <th title="Locked: no tool overwrites it">Lock</th>
              </tr>
            </thead>
            <tbody>
              {meta.segments.map((seg) => (
                <tr key={seg.value} style={seg.value === meta.active ? S.active : undefined} onClick={() => setActiveSegment(meta.id, seg.value)} data-testid={`segment-${seg.value}`} title={`Value ${seg.value}${seg.value === meta.active ? ' (active: the tools paint it)' : ': click to paint it'}`}>
                  <td>
                    <input type="color" aria-label={`Colour of ${seg.name}`} style={S.swatch} value={rgbHex(seg.color)} onChange={(e) => updateSegment(meta.id, seg.value, { color: hexRgb(e.target.value) })} />
                  </td>
                  <td>
                    <input aria-label={`Name of segment ${seg.value}`} style={S.name} value={seg.name} onChange={(e) => updateSegment(meta.id, seg.value, { name: e.target.value })} />
                  </td>
                  <td style={{ textAlign: 'center' }}>
                    <input type="checkbox" aria-label={`Show ${seg.name}`} checked={seg.visible} onChange={(e) => updateSegment(meta.id, seg.value, { visible: e.target.checked })} />
                  </td>
                  <td style={{ textAlign: 'center' }}>
                    <input type="checkbox" aria-label={`Lock ${seg.name}`} checked={seg.locked} onChange={(e) => updateSegment(meta.id, seg.value, { locked: e.target.checked })} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button type="button" onClick={() => report(addSegment(meta.id))} title="A new segment (the next free value), made active">
              + Segment
            </button>
            <button type="button" disabled={meta.history.undo === 0} onClick={() => void undo(meta.id)} title="Undo (Ctrl+Z)" data-testid="segment-undo">
              Undo
            </button>
            <button type="button" disabled={meta.history.redo === 0} onClick={() => void redo(meta.id)} title="Redo (Ctrl+Shift+Z)" data-testid="segment-redo">
              Redo
            </button>
          </div>
          <div style={S.tools} role="group" aria-label="Segment tools">
            {TOOLS.map((t) => (
              <button key={t.kind} type="button" aria-pressed={tool.tool === t.kind} style={tool.tool === t.kind ? S.on : undefined} title={t.tip} onClick={() => setSegmentTool({ tool: tool.tool === t.kind ? null : t.kind })} data-testid={`segment-tool-${t.kind}`}>
                {t.label}
              </button>
            ))}
          </div>
          {tool.tool && ['brush', 'eraser', 'threshold'].includes(tool.tool) && (
            <div className="row">
              <label title="Brush radius: a voxel is painted when its centre is within it">
                Radius{' '}
                <input type="number" min={0.1} step={0.5} value={tool.radiusMm} onChange={(e) => Number(e.target.value) > 0 && setSegmentTool({ radiusMm: Number(e.target.value) })} data-testid="segment-radius" /> mm
              </label>
              <select aria-label="Brush shape" value={tool.shape} onChange={(e) => setSegmentTool({ shape: e.target.value as 'disk' | 'sphere' })} title="Disk: in the pane's plane; sphere: 3D">
                <option value="disk">Disk (2D)</option>
                <option value="sphere">Sphere (3D)</option>
              </select>
            </div>
          )}
          {(tool.tool === 'threshold' || tool.tool === 'grow') && (
            <div className="row">
              <span title={`The reference image's values (${unit || 'as stored'}) the tool accepts`}>Range</span>
              <input type="number" aria-label="Range low" style={S.range} value={tool.range[0]} onChange={(e) => setSegmentTool({ range: [Number(e.target.value), tool.range[1]] })} />
              <span>to</span>
              <input type="number" aria-label="Range high" style={S.range} value={tool.range[1]} onChange={(e) => setSegmentTool({ range: [tool.range[0], Number(e.target.value)] })} />
              {tool.range[0] > tool.range[1] && <span className="warn">low &gt; high</span>}
              {tool.tool === 'grow' && (
                <>
                  <select aria-label="Connectivity" value={tool.connectivity} onChange={(e) => setSegmentTool({ connectivity: Number(e.target.value) as 6 | 26 })} title="Faces only (6) or faces, edges and corners (26)">
                    <option value={6}>6-conn.</option>
                    <option value={26}>26-conn.</option>
                  </select>
                  <label title="Grow in the clicked slice only">
                    <input type="checkbox" checked={tool.grow2d} onChange={(e) => setSegmentTool({ grow2d: e.target.checked })} /> 2D
                  </label>
                </>
              )}
            </div>
          )}
          <div className="row">
            <button type="button" title="Fill the slices between drawn slices of the active segment (along the axial pane's normal), shape-based" onClick={() => void interpolate(meta.id, meta.active, 'axial').then(report)}>
              Interpolate
            </button>
            <button type="button" title="Keep the active segment's largest connected piece, clear the rest" onClick={() => void removeIslands(meta.id, meta.active).then(report)}>
              Remove islands
            </button>
          </div>
          <table style={S.table} data-testid="segment-stats">
            <thead>
              <tr>
                <th style={{ textAlign: 'left' }}>Segment</th>
                <th style={S.num}>Voxels</th>
                <th style={S.num}>cm³</th>
                <th style={S.num} title={`Mean ± SD of ${list.find((m) => m.id === meta.id) ? 'the reference image' : ''}, ${unit || 'as stored'}`}>
                  Mean ± SD
                </th>
                <th style={S.num}>Min…max</th>
              </tr>
            </thead>
            <tbody>
              {stats.map((r) => (
                <tr key={r.value} data-testid={`segment-stats-${r.value}`}>
                  <td>{r.name}</td>
                  <td style={S.num}>{r.voxels}</td>
                  <td style={S.num}>{formatSignificant(r.mm3 / 1000, 4)}</td>
                  <td style={S.num}>{r.voxels ? `${formatSignificant(r.mean, 4)} ± ${formatSignificant(r.sd, 3)}` : '–'}</td>
                  <td style={S.num}>{r.voxels ? `${formatSignificant(r.min, 4)}…${formatSignificant(r.max, 4)}` : '–'}</td>
                </tr>
              ))}
            </tbody>
            {others.map((l) => (
              <tbody key={l.layerId} data-testid={`segment-layer-stats-${l.layerId}`}>
                <tr>
                  <th colSpan={5} style={{ textAlign: 'left', fontWeight: 'normal', paddingTop: 4 }} className="muted" title="Sampled at each segment voxel's centre (the layer's nearest voxel); voxels whose centre is outside the layer are left out">
                    In {l.layerName}
                    {l.unit ? ` (${l.unit})` : ''}
                  </th>
                </tr>
                {l.rows.map((r) => (
                  <tr key={r.value} data-testid={`segment-layer-stats-${l.layerId}-${r.value}`}>
                    <td>{r.name}</td>
                    <td style={S.num} title={r.outside ? `${r.outside} voxels of the segment lie outside ${l.layerName}` : undefined}>
                      {r.voxels}
                      {r.outside ? ` (+${r.outside} out)` : ''}
                    </td>
                    <td />
                    <td style={S.num}>{r.voxels ? `${formatSignificant(r.mean, 4)} ± ${formatSignificant(r.sd, 3)}` : '–'}</td>
                    <td style={S.num}>{r.voxels ? `${formatSignificant(r.min, 4)}…${formatSignificant(r.max, 4)}` : '–'}</td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
          <div className="row">
            <button type="button" onClick={() => downloadText(`${fileStem(meta.name)}_stats.csv`, statsCsv(stats, unit, others.map((l) => ({ name: l.layerName, ...(l.unit ? { unit: l.unit } : {}), rows: l.rows }))), 'text/csv')} title="The statistics table as CSV (every visible image layer's columns)" data-testid="segment-stats-csv">
              Stats CSV
            </button>
            <button type="button" onClick={() => report(downloadNifti(meta.id))} title="Download the label map (.nii, intent 1002, the reference grid's affine) and its colour table (_LUT.txt)" data-testid="segment-save-nifti">
              Save NIfTI
            </button>
            <button type="button" disabled={!!offDicom} onClick={() => report(downloadDicomSeg(meta.id))} title={offDicom ?? 'Download a DICOM SEG (.dcm) that refers to the series it was drawn on: its study, frame of reference and slices'} data-testid="segment-save-dicom-seg">
              Save DICOM SEG
            </button>
            <button type="button" disabled={!!offDicom || sent === 'Sending…'} onClick={() => void sendToPacs()} title={offDicom ?? 'Store the DICOM SEG on the PACS (STOW-RS), beside its images'} data-testid="segment-send-pacs">
              Send to PACS
            </button>
            <span className="muted" title="Undo history: deltas of the edited boxes">
              undo {meta.history.undo} · {formatSignificant(meta.history.bytes / 1024, 3)} KiB
            </span>
          </div>
          {offDicom && <p className="muted">NIfTI only: {session?.baseName} is not a DICOM series.</p>}
          {sent && (
            <p className="muted" role="status" data-testid="segment-sent">
              {sent}
            </p>
          )}
        </>
      )}
    </Section>
  );
}
