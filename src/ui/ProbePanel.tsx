import { probe } from '../state/actions';
import { getRecord, gridUnit } from '../state/layerRegistry';
import { useViewerStore } from '../state/viewerStore';
import { frameCount, intentValueName } from '../volume/header';
import { formatMm, formatValue, mmDecimals } from './format';
import { Section } from './Section';
import { SlabSourceRow } from './SlabSourceRow';

/** Values under the cursor (or at the crosshair), read exactly from CPU memory for every layer. */
export function ProbePanel() {
  const cursor = useViewerStore((s) => s.cursor);
  const crosshair = useViewerStore((s) => s.crosshair);
  const layers = useViewerStore((s) => s.layers);
  // A full-resolution chunk that arrives changes what probe() reads: read again.
  useViewerStore((s) => s.chunksArrived);
  const at = cursor ?? crosshair;
  const results = at ? probe({ world: at }) : [];
  const decimals = mmDecimals(layers.map((l) => l.affine));
  return (
    <Section
      id="probe"
      testId="probe-panel"
      tooltip="the values of every layer under the cursor, or at the crosshair"
      title={
        <>
          Probe <span className="muted">{cursor ? 'under cursor' : 'at crosshair'}</span>
        </>
      }
    >
      {at ? (
        <p className="world" data-testid="probe-world" title={`World position (RAS+), to ${decimals === 2 ? '0.01' : '0.1'} ${gridUnit(layers[0]?.id)}: finer when a layer's voxels are under 1 mm`}>
          World RAS <b>{at.map((v) => formatMm(v, decimals)).join(', ')}</b> {gridUnit(layers[0]?.id)}
        </p>
      ) : (
        <p className="muted">Open a volume to probe its voxels.</p>
      )}
      <SlabSourceRow cursor={cursor} layers={layers} decimals={decimals} />
      {results.map((r) => {
        const layer = layers.find((l) => l.id === r.layerId);
        if (!layer) return null;
        const scaled = layer.slope !== 1 || layer.inter !== 0;
        const header = getRecord(layer.id)?.header;
        const meaning = header ? intentValueName(header.intentCode) : undefined;
        const colour = Array.isArray(r.raw);
        return (
          <dl key={r.layerId} className="probe-row" data-testid={`probe-${r.layerId}`}>
            <dt className="layer-name">
              {layer.name} <span className="muted">{layer.datatype}</span>
            </dt>
            {r.inside && r.loading ? (
              <dd className="muted" data-testid="probe-loading">
                {r.fullResolution ? `loading the full-resolution value at ${r.ijk.join(', ')}…` : `slice ${r.ijk[2]} is still loading…`}
              </dd>
            ) : r.inside && r.error ? (
              <dd className="muted" data-testid="probe-error">
                no value: {r.error}
              </dd>
            ) : r.inside ? (
              <>
                <dt>{colour ? (Array.isArray(r.raw) && r.raw.length === 4 ? 'RGBA' : 'RGB') : 'Raw'}</dt>
                <dd data-testid="probe-raw">{formatValue(r.raw)}</dd>
                {!colour && (
                  <>
                    <dt>Scaled</dt>
                    <dd data-testid="probe-scaled">
                      {formatValue(r.scaled)}
                      {layer.dicom?.valueUnit || layer.dicom?.modality === 'CT' ? <span className="muted" data-testid="probe-unit"> {layer.dicom.valueUnit ?? 'HU'}</span> : null}
                      {meaning && meaning !== 'label index' ? <span className="muted"> {meaning}</span> : null}
                      {scaled ? <span className="muted"> (×{formatValue(layer.slope)} {layer.inter < 0 ? '−' : '+'} {formatValue(Math.abs(layer.inter))})</span> : null}
                    </dd>
                  </>
                )}
                {layer.display.colormap === 'label' && typeof r.raw === 'number' && (
                  <>
                    <dt>Label</dt>
                    <dd data-testid="probe-label">{labelName(layer.id, r.raw)}</dd>
                  </>
                )}
                <dt>Voxel</dt>
                <dd data-testid="probe-ijk">
                  {r.ijk.join(', ')}
                  {/* Said where the panes draw a coarser grid (a layer drawn whole from its slabs needs no such word). */}
                  {r.fullResolution && (layer.fullDims || layer.pyramid) ? <span className="muted"> full resolution</span> : null}
                </dd>
                {frameCount(layer.dims) > 1 && (
                  <>
                    <dt>Frame</dt>
                    <dd data-testid="probe-frame" title="Frames count from 1 on screen, as on the frame slider (voxel index t and the API count from 0)">
                      {layer.display.frame + 1} / {frameCount(layer.dims)}
                    </dd>
                  </>
                )}
              </>
            ) : (
              <dd className="muted">outside this volume</dd>
            )}
          </dl>
        );
      })}
    </Section>
  );
}

/** The grid's unit as the file states it (NIfTI xyzt_units), mm when it does not say. */
function labelName(layerId: string, raw: number): string {
  if (raw === 0) return '0 (none)';
  const name = getRecord(layerId)?.labels?.names.get(raw);
  return name ? `${name} (${raw})` : `${raw}`;
}
