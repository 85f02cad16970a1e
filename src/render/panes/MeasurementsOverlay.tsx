// The measurements drawn on a slice pane (SVG, over the image): lines with their length, angles
// with their degrees, ellipse and rectangle ROIs with the first layer's mean ± SD, the draft being
// drawn, and the profile plot's hovered sample on its line. Only what lies in the pane's current
// plane shows (within half a voxel step of it, turned planes included: measureHandles.onSlice).
import { gridUnit } from '../../state/layerRegistry';
import { angleDegrees, measurementInfo } from '../../state/measurements';
import { useViewerStore, type Measurement, type Vec3 } from '../../state/viewerStore';
import { worldToScreen, type Plane, type ViewTransform } from '../camera/sliceGeometry';
import { moveHandle, onSlice } from './measureHandles';

export function MeasurementsOverlay({ view, plane, origin, tol }: { view: ViewTransform; plane: Plane; origin: Vec3; tol: number }) {
  const measurements = useViewerStore((s) => s.measurements);
  const draft = useViewerStore((s) => s.draft);
  const selectedLine = useViewerStore((s) => s.selectedLine);
  const hover = useViewerStore((s) => s.profileHover);
  useViewerStore((s) => s.layers); // ROI numbers follow frames and closing
  const shown = measurements.filter((m) => onSlice(m, plane, view.frame.normal, origin, tol));
  const screen = (p: Vec3) => worldToScreen(view, p);
  const hoverLine = hover !== null ? measurements.find((m) => m.id === selectedLine && onSlice(m, plane, view.frame.normal, origin, tol)) : undefined;
  return (
    <g data-testid="measurements">
      {shown.map((m) => (
        <Shape key={m.id} m={m} screen={screen} selected={m.id === selectedLine} />
      ))}
      {shown
        .filter((m) => m.id === selectedLine)
        .map((m) => (
          <Handles key={`h${m.id}`} m={m} screen={screen} />
        ))}
      {draft && draft.plane === plane && <Shape m={draft} screen={screen} selected={false} draft />}
      {hoverLine && hover !== null && (
        <circle
          data-testid="profile-hover"
          className="profile-hover"
          r={4}
          cx={screen(hoverLine.points[0])[0] + (screen(hoverLine.points[1])[0] - screen(hoverLine.points[0])[0]) * hover}
          cy={screen(hoverLine.points[0])[1] + (screen(hoverLine.points[1])[1] - screen(hoverLine.points[0])[1]) * hover}
        />
      )}
    </g>
  );
}

/** The selected measurement's handles: one per point (resize), and one that moves it whole. */
function Handles({ m, screen }: { m: Measurement; screen: (p: Vec3) => [number, number] }) {
  const pts = m.points.map(screen);
  const [mx, my] = moveHandle(m.kind, pts);
  return (
    <g className="measure-handles" data-testid="measure-handles">
      {pts.map(([x, y], i) => (
        <rect key={i} x={x - 3.5} y={y - 3.5} width={7} height={7} className="handle" />
      ))}
      <circle cx={mx} cy={my} r={4} className="handle move" />
    </g>
  );
}

function Shape({ m, screen, selected, draft }: { m: Measurement; screen: (p: Vec3) => [number, number]; selected: boolean; draft?: boolean }) {
  const cls = `measure${selected ? ' selected' : ''}${draft ? ' draft' : ''}`;
  const style = m.color ? { stroke: m.color } : undefined;
  const label = m.name ? `${m.name}: ` : '';
  const pts = m.points.map(screen);
  if (m.kind === 'line') {
    const [a, b] = pts;
    const mm = Math.hypot(...[0, 1, 2].map((k) => m.points[1][k] - m.points[0][k]));
    return (
      <g className={cls} data-testid={`measure-${m.kind}`} style={style}>
        <line x1={a[0]} y1={a[1]} x2={b[0]} y2={b[1]} style={style} />
        <text x={b[0] + 6} y={b[1] - 6} className="measure-text">
          {label}
          {mm.toFixed(1)} {gridUnit(useViewerStore.getState().layers[0]?.id)}
        </text>
      </g>
    );
  }
  if (m.kind === 'angle') {
    const [a, v, b] = pts;
    const deg = angleDegrees(m.points[0], m.points[1], m.points[2]);
    return (
      <g className={cls} data-testid={`measure-${m.kind}`}>
        <polyline points={`${a[0]},${a[1]} ${v[0]},${v[1]} ${b[0]},${b[1]}`} fill="none" style={style} />
        <text x={v[0] + 8} y={v[1] - 8} className="measure-text">
          {label}
          {Number.isNaN(deg) ? '' : `${deg.toFixed(1)}°`}
        </text>
      </g>
    );
  }
  const [a, b] = pts;
  const x = Math.min(a[0], b[0]), y = Math.min(a[1], b[1]), w = Math.abs(b[0] - a[0]), h = Math.abs(b[1] - a[1]);
  const first = draft ? undefined : measurementInfo(m).stats?.find((s) => !s.closed)?.stats;
  return (
    <g className={cls} data-testid={`measure-${m.kind}`}>
      {m.kind === 'ellipse' ? <ellipse cx={x + w / 2} cy={y + h / 2} rx={w / 2} ry={h / 2} fill="none" style={style} /> : <rect x={x} y={y} width={w} height={h} fill="none" style={style} />}
      {first && first.count > 0 && (
        <text x={x + w + 6} y={y + 12} className="measure-text">
          {label}
          {short(first.mean)} ± {short(first.sd)} (n {first.count})
        </text>
      )}
    </g>
  );
}

/** Five significant digits, no trailing zeros: enough for a label on the image (the panel has the full numbers). */
const short = (v: number) => String(Number(v.toPrecision(5)));
