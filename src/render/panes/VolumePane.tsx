// The 3D pane's DOM half: left-drag orbits (horizontal: azimuth, vertical: elevation) at
// interaction quality, refining when the pointer stops; left-drag on a clip-box handle moves that
// face; middle-drag pans; a click without a drag picks the point the rendering shows there (the
// crosshair moves to it); the wheel zooms; double-click resets the camera; buttons on the pane
// choose a view and the rendering mode, and turn the clip box on and off.
import { useLayoutEffect, useRef, useSyncExternalStore, type PointerEvent as ReactPointerEvent } from 'react';
import { PerspectiveCamera, Vector3 } from 'three';
import { DEFAULT_ORBIT, RENDER_MODES, useViewerStore, type ClipBox, type Projection } from '../../state/viewerStore';
import { orbitAfterDrag, panAfterDrag, VIEW_PRESETS, type ViewPreset } from '../camera/orbit';
import { layerBounds } from '../camera/paneView';
import { handleAt, movedFace, screenPerMm, type ClipHandle } from './clipHandles';
import { PaneLabel } from './PaneLabel';
import { pickAt } from './pick3d';
import { shownInteractionLevel, subscribeInteractionLevel } from '../textures/interactionLevels';
import { paneScenes, registerPaneElement } from './paneRegistry';
import { setHoveredPane, usePaneSize, usePaneWheel } from './paneHooks';

export function VolumePane({ area }: { area: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{
    x: number;
    y: number;
    azimuth: number;
    elevation: number;
    moved: boolean;
    pan?: { from: [number, number]; mmPerPx: number };
    /** Dragging a clip-box face: the box when it started, and screen px per mm along its axis. */
    clip?: { handle: ClipHandle; from: ClipBox; perMm: [number, number] };
  } | null>(null);
  usePaneSize('3d', ref);
  useLayoutEffect(() => (ref.current ? registerPaneElement('3d', ref.current) : undefined), []);
  const empty = useViewerStore((s) => s.layers.length === 0);
  const clipOn = useViewerStore((s) => s.clip !== null);

  usePaneWheel(ref, (e) => {
    const s = useViewerStore.getState();
    s.setOrbit({ zoom: Math.min(20, Math.max(0.2, s.orbit.zoom * Math.exp(-e.deltaY * 0.002))) });
  });

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if ((e.button !== 0 && e.button !== 1) || (e.target as Element).closest('.pane-label, .pane-tools')) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const s = useViewerStore.getState();
    const { azimuth, elevation } = s.orbit;
    const clip = e.button === 0 ? clipGrab(e) : undefined;
    drag.current = { x: e.clientX, y: e.clientY, azimuth, elevation, moved: false, clip, pan: e.button === 1 ? { from: s.paneViews['3d'].panMm, mmPerPx: mmPerPixelAtTarget(e.currentTarget.clientHeight) } : undefined };
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) {
      // A handle under the pointer says it can be dragged.
      e.currentTarget.style.cursor = clipGrab(e) ? 'move' : '';
      return;
    }
    if (!d.moved && Math.hypot(e.clientX - d.x, e.clientY - d.y) < 3) return;
    const s = useViewerStore.getState();
    if (!d.moved) s.setInteracting(true);
    d.moved = true;
    if (d.clip) {
      const { handle, from, perMm } = d.clip;
      const mm = ((e.clientX - d.x) * perMm[0] + (e.clientY - d.y) * perMm[1]) / (perMm[0] ** 2 + perMm[1] ** 2);
      s.setClip(movedFace(from, handle, from[handle.side][handle.axis] + mm, layerBounds(s.layers)));
      return;
    }
    if (d.pan) {
      // Middle-drag slides the volume with the pointer.
      s.setPaneView('3d', { panMm: panAfterDrag(d.pan.from, e.clientX - d.x, e.clientY - d.y, d.pan.mmPerPx) });
      return;
    }
    // Dragging right turns the volume right (the camera moves left around it).
    s.setOrbit(orbitAfterDrag(d, e.clientX - d.x, e.clientY - d.y));
  };
  const endDrag = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    drag.current = null;
    const s = useViewerStore.getState();
    if (d?.moved) s.setInteracting(false);
    else if (d && !d.pan && e.type === 'pointerup') {
      const rect = e.currentTarget.getBoundingClientRect();
      const hit = pickAt(e.clientX - rect.left, e.clientY - rect.top, rect.width, rect.height);
      if (hit) s.setCrosshair(hit);
    }
  };

  return (
    <div
      ref={ref}
      className="pane volume-pane"
      style={{ gridArea: area }}
      tabIndex={0}
      aria-label="3D pane: drag to rotate, click to pick, wheel to zoom"
      data-testid="view-3d"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onPointerEnter={() => setHoveredPane('3d')}
      onPointerLeave={() => setHoveredPane(null)}
      onContextMenu={(e) => e.preventDefault()}
      onDoubleClick={(e) => {
        if (!(e.target as Element).closest('.pane-label, .pane-tools')) {
          useViewerStore.getState().setOrbit(DEFAULT_ORBIT);
          useViewerStore.getState().setPaneView('3d', { zoom: 1, panMm: [0, 0] });
        }
      }}
    >
      <PaneLabel kind="3d" text="3D" />
      {!empty && <VolumeTools />}
      {!empty && <InteractionNote />}
      {!empty && <span className="pane-hint">drag: rotate · click: pick · wheel: zoom{clipOn ? ' · drag a handle: clip' : ''}</span>}
    </div>
  );
}

/** Says so while the image is cast from a layer's coarse copy (render/textures/interactionLevels.ts). */
function InteractionNote() {
  const level = useSyncExternalStore(subscribeInteractionLevel, shownInteractionLevel);
  if (!level) return null;
  const [fx, fy, fz] = level.factors;
  return (
    <span className="pane-note" data-testid="interaction-level" title={`While the view moves, a coarse copy (one voxel in ${fx} × ${fy} × ${fz} along x, y, z) is cast; the full grid when it stops`}>
      coarse copy {level.dims.join(' × ')} while moving
    </span>
  );
}

/** The clip-box handle under the pointer, with what dragging it needs; undefined when none is. */
function clipGrab(e: ReactPointerEvent<HTMLDivElement>): { handle: ClipHandle; from: ClipBox; perMm: [number, number] } | undefined {
  const box = useViewerStore.getState().clip;
  const camera = paneScenes.get('3d')?.camera;
  if (!box || !camera) return undefined;
  const rect = e.currentTarget.getBoundingClientRect();
  const handle = handleAt(camera, box, e.clientX - rect.left, e.clientY - rect.top, rect.width, rect.height);
  const perMm = handle && screenPerMm(camera, box, handle, rect.width, rect.height);
  return handle && perMm ? { handle, from: box, perMm } : undefined;
}

/** Millimetres per screen pixel at the depth of the orbit's target. */
function mmPerPixelAtTarget(heightPx: number): number {
  const camera = paneScenes.get('3d')?.camera;
  if (!(camera instanceof PerspectiveCamera)) return 1;
  const s = useViewerStore.getState();
  const { lo, hi } = layerBounds(s.layers);
  const centre = new Vector3((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2);
  const distance = camera.position.distanceTo(centre);
  return (2 * distance * Math.tan((camera.fov * Math.PI) / 360)) / Math.max(1, heightPx);
}

const MODE_LABEL = { mip: 'MIP', composite: 'Composite', iso: 'Iso' } as const;
const MODE_TITLE = { mip: 'Maximum intensity projection (or MinIP, average)', composite: 'Composite: the transfer function (colour and opacity by value), presets in the 3D panel', iso: 'Isosurface at the threshold, shaded' } as const;
const PROJECTION_LABEL: Record<Projection, string> = { max: 'MIP', min: 'MinIP', mean: 'Average' };

/** The pane's own controls: rendering mode (and MIP variant) and the six view presets. */
function VolumeTools() {
  const mode = useViewerStore((s) => s.renderMode);
  const projection = useViewerStore((s) => s.projection);
  const clipOn = useViewerStore((s) => s.clip !== null);
  const s = useViewerStore.getState();
  return (
    <div className="pane-tools" onPointerDown={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
      {/* Below the row (app.css .projection), so switching modes never moves a button under the pointer. */}
      {mode === 'mip' && (
        <select
          className="projection"
          aria-label="Projection"
          value={projection}
          onChange={(e) => s.setProjection(e.target.value as Projection)}
          title="MIP: maximum; MinIP: minimum; Average: mean along each ray"
        >
          {(Object.keys(PROJECTION_LABEL) as Projection[]).map((p) => (
            <option key={p} value={p}>
              {PROJECTION_LABEL[p]}
            </option>
          ))}
        </select>
      )}
      <div className="segmented" role="group" aria-label="Rendering">
        {RENDER_MODES.map((m) => (
          <button key={m} aria-pressed={mode === m} onClick={() => s.setRenderMode(m)} data-testid={`render-${m}`} title={MODE_TITLE[m]}>
            {MODE_LABEL[m]}
          </button>
        ))}
      </div>
      <button
        aria-pressed={clipOn}
        title="Clip box: drag the orange handles on its faces"
        data-testid="clip-toggle"
        onClick={() => {
          const { lo, hi } = layerBounds(useViewerStore.getState().layers);
          s.setClip(clipOn ? null : { lo: [...lo], hi: [...hi] });
        }}
      >
        Clip
      </button>
      <select
        aria-label="View from"
        value=""
        onChange={(e) => {
          const preset = VIEW_PRESETS[e.target.value as ViewPreset];
          if (preset) s.setOrbit({ ...preset });
        }}
      >
        <option value="" disabled>
          View…
        </option>
        {(Object.keys(VIEW_PRESETS) as ViewPreset[]).map((v) => (
          <option key={v} value={v}>
            {v[0].toUpperCase() + v.slice(1)}
          </option>
        ))}
      </select>
    </div>
  );
}
