// Under the pointer in a MIP or MinIP slab pane: the voxel along the slab that gave the value shown
// there, marked, with its value (the probe panel shows the centre plane's value at the pointer).
import { slabProbe } from '../../state/obliqueActions';
import { useViewerStore } from '../../state/viewerStore';
import { worldToScreen, type Plane, type ViewTransform } from '../camera/sliceGeometry';
import { hoveredPane } from './paneHooks';
import { SLAB_MODE_NAMES } from './SlabMenu';

export function SlabProbe({ view, plane }: { view: ViewTransform; plane: Plane }) {
  const cursor = useViewerStore((s) => s.cursor);
  const slab = useViewerStore((s) => s.slabs[plane]);
  useViewerStore((s) => s.layers); // frames and closing
  if (!cursor || hoveredPane() !== plane || !(slab.thickness > 0) || slab.mode === 'mean') return null;
  const p = slabProbe(plane, cursor);
  if (!p?.at) return null;
  const [x, y] = worldToScreen(view, p.at.world);
  const value = +p.at.scaled.toPrecision(6);
  return (
    <g data-testid="slab-probe">
      <circle cx={x} cy={y} r={3} style={{ fill: 'none', stroke: '#ffd54a', strokeWidth: 1.5 }} />
      <text x={8} y={view.heightPx - 50} className="slice-label" data-testid="slab-probe-text">
        {SLAB_MODE_NAMES[p.mode]} {value} at [{p.at.ijk.join(', ')}]
      </text>
    </g>
  );
}
