// In the probe panel, while the pointer is over a thick-slab pane: the slab's value there, and in
// MIP or MinIP the voxel along the slab that gave it, with its value and position (the rows above
// are the centre plane's values at the pointer). Read from the pinned CPU buffer as the shader
// samples it (state/obliqueActions.slabProbe).
import { hoveredPane } from '../render/panes/paneHooks';
import { SLAB_MODE_NAMES } from '../render/panes/SlabMenu';
import { gridUnit } from '../state/layerRegistry';
import { slabProbe } from '../state/obliqueActions';
import type { SlicePlane } from '../state/orientation';
import { useViewerStore, type LayerMeta, type Vec3 } from '../state/viewerStore';
import { formatMm, formatValue, type mmDecimals } from './format';

const isSlicePlane = (p: unknown): p is SlicePlane => p === 'axial' || p === 'coronal' || p === 'sagittal';

export function SlabSourceRow({ cursor, layers, decimals }: { cursor: Vec3 | null; layers: LayerMeta[]; decimals: ReturnType<typeof mmDecimals> }) {
  const slabs = useViewerStore((s) => s.slabs);
  const pane = hoveredPane();
  if (!cursor || !isSlicePlane(pane) || !(slabs[pane].thickness > 0)) return null;
  const p = slabProbe(pane, cursor);
  const layer = p && layers.find((l) => l.id === p.layerId);
  if (!p || !layer) return null;
  const unit = gridUnit(layer.id);
  return (
    <dl className="probe-row" data-testid="probe-slab">
      <dt className="layer-name">
        {SLAB_MODE_NAMES[p.mode]} {formatValue(p.thickness)} {unit} slab <span className="muted">{layer.name}</span>
      </dt>
      <dt>Slab</dt>
      <dd data-testid="probe-slab-value">{formatValue(p.value)}</dd>
      {p.at && (
        <>
          <dt>From</dt>
          <dd data-testid="probe-slab-source" title={`The voxel along the slab whose value is the ${p.mode === 'max' ? 'maximum' : 'minimum'} shown here`}>
            {formatValue(p.at.scaled)} at {p.at.ijk.join(', ')} <span className="muted">({p.at.world.map((v) => formatMm(v, decimals)).join(', ')} {unit})</span>
          </dd>
        </>
      )}
    </dl>
  );
}
