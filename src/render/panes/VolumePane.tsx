// The 3D pane's DOM half: left-drag orbits (horizontal: azimuth, vertical: elevation), the wheel
// zooms, double-click resets the camera.
import { useLayoutEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { DEFAULT_ORBIT, useViewerStore } from '../../state/viewerStore';
import { MAX_ELEVATION } from '../camera/orbit';
import { PaneLabel } from './PaneLabel';
import { registerPaneElement } from './paneRegistry';
import { setHoveredPane, usePaneSize, usePaneWheel } from './paneHooks';

export function VolumePane({ area }: { area: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; azimuth: number; elevation: number } | null>(null);
  usePaneSize('3d', ref);
  useLayoutEffect(() => (ref.current ? registerPaneElement('3d', ref.current) : undefined), []);
  const empty = useViewerStore((s) => s.layers.length === 0);

  usePaneWheel(ref, (e) => {
    const s = useViewerStore.getState();
    s.setOrbit({ zoom: Math.min(20, Math.max(0.2, s.orbit.zoom * Math.exp(-e.deltaY * 0.002))) });
  });

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || (e.target as Element).closest('.pane-label')) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const { azimuth, elevation } = useViewerStore.getState().orbit;
    drag.current = { x: e.clientX, y: e.clientY, azimuth, elevation };
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    // Dragging right turns the volume right (the camera moves left around it).
    const azimuth = (((d.azimuth - (e.clientX - d.x) * 0.5) % 360) + 540) % 360 - 180;
    const elevation = Math.max(-MAX_ELEVATION, Math.min(MAX_ELEVATION, d.elevation + (e.clientY - d.y) * 0.5));
    useViewerStore.getState().setOrbit({ azimuth, elevation });
  };
  const endDrag = () => {
    drag.current = null;
  };

  return (
    <div
      ref={ref}
      className="pane volume-pane"
      style={{ gridArea: area }}
      data-testid="view-3d"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onPointerEnter={() => setHoveredPane('3d')}
      onPointerLeave={() => setHoveredPane(null)}
      onContextMenu={(e) => e.preventDefault()}
      onDoubleClick={(e) => {
        if (!(e.target as Element).closest('.pane-label')) useViewerStore.getState().setOrbit(DEFAULT_ORBIT);
      }}
    >
      <PaneLabel kind="3d" text="3D" />
      {!empty && <span className="pane-hint">slice planes · drag: rotate · wheel: zoom</span>}
    </div>
  );
}
