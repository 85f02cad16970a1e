// A slice pane's crosshair: the traces of the other two planes through the crosshair point, each
// with a rotation handle toward both ends (drag one to turn the other two planes about this pane's
// normal; SlicePane takes the drag). Lines across the whole pane; the SVG clips them.
import type { Mat3, Vec3 } from '../../state/orientation';
import type { Plane, ViewTransform } from '../camera/sliceGeometry';
import { crosshairLines } from './crosshairHandles';

export function CrosshairHandles({ view, plane, crosshair, rotation }: { view: ViewTransform; plane: Plane; crosshair: Vec3; rotation: Mat3 }) {
  const { centre, lines } = crosshairLines(view, crosshair, rotation, plane);
  const far = 2 * Math.hypot(view.widthPx, view.heightPx);
  return (
    <g data-testid="crosshair-lines">
      {lines.map((l) => (
        <g key={l.other} data-testid={`crosshair-line-${l.other}`}>
          <line
            x1={centre[0] - l.dir[0] * far}
            y1={centre[1] - l.dir[1] * far}
            x2={centre[0] + l.dir[0] * far}
            y2={centre[1] + l.dir[1] * far}
            className={`crosshair crosshair-${plane}`}
          />
          {l.handles.map(([x, y], i) => (
            <circle
              key={i}
              cx={x}
              cy={y}
              r={4.5}
              data-testid="rotation-handle"
              className="rotation-handle"
              style={{ fill: '#0b1a12', stroke: '#38e07b', strokeWidth: 1.5, cursor: 'grab' }}
            >
              <title>Drag to turn the other planes about this one</title>
            </circle>
          ))}
        </g>
      ))}
    </g>
  );
}
