// A slice pane's DOM half: it defines the pane's rectangle in the canvas, takes the pointer, and
// draws the crosshair lines and orientation letters in SVG. Mouse: left click/drag moves the
// shared crosshair, shift+click pins a probe there, wheel pages slices, ctrl+wheel zooms,
// right-drag sets window (horizontal) and level (vertical) of the selected or topmost visible
// intensity layer (state/layerRoles.ts; never a label map), named on the pane while dragging; middle-drag
// pans, double-click resets this pane. Pinned probes on the pane's plane show as markers.
import { getRecord, gridUnit } from '../../state/layerRegistry';
import { detailLabel, subscribeDetails } from '../../state/paneDetail';
import { useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type PointerEvent as ReactPointerEvent } from 'react';
import { clampToLayerBounds, probe, topVisibleLayer } from '../../state/actions';
import { pagePane } from '../../state/obliqueActions';
import { addMeasurement, addPin, editMeasurement } from '../../state/measurements';
import { windowTarget } from '../../state/layerRoles';
import { useViewerStore, type PlaneAxes, type Vec3, type ViewerState } from '../../state/viewerStore';
import { paneTransform } from '../camera/paneView';
import { directionLabel, mmPerPixel, screenToWorld, worldToScreen, type Plane, type ViewTransform } from '../camera/sliceGeometry';
import { dot3, isIdentity3, PLANE_NORMAL_AXIS, type Mat3 } from '../../state/orientation';
import { paneStepMm } from '../../state/obliqueActions';
import { draggedPoints, grabAt, onSlice, type Grab } from './measureHandles';
import { crosshairLines, draggedRotation, handleAt } from './crosshairHandles';
import { CrosshairHandles } from './CrosshairHandles';
import { SlabMenu } from './SlabMenu';
import { SegmentTool } from './SegmentTool';
import { SlabProbe } from './SlabProbe';
import { MeasurementsOverlay } from './MeasurementsOverlay';
import { ContourOverlay } from './ContourOverlay';
import { PaneAnnotations } from './PaneAnnotations';
import { PaneLabel } from './PaneLabel';
import { patientDirectionsKnown, SingleSliceNote } from './SingleSliceNote';
import { registerPaneElement } from './paneRegistry';
import { hoveredPane, setHoveredPane, usePaneSize, usePaneWheel } from './paneHooks';

export const PLANE_LABEL: Record<Plane, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal' };

type Drag =
  | { kind: 'crosshair' }
  /** Drawing a measurement: the draft's point that follows the pointer. */
  | { kind: 'measure'; follow: number }
  | { kind: 'window'; x: number; y: number; window: [number, number]; layerId: string }
  | { kind: 'pan'; x: number; y: number; pan: [number, number]; mmPerPx: number }
  /** Moving a measurement's handle: its points and the pointer's world point when the drag began. */
  | { kind: 'edit'; grab: Grab; from: Vec3[]; start: Vec3 }
  /** Turning the other two planes about this pane's normal by a crosshair line's handle: the pointer's last position (pane pixels). */
  | { kind: 'rotate'; last: [number, number] };

export function SlicePane({ plane, area }: { plane: Plane; area: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<Drag | null>(null);
  usePaneSize(plane, ref);
  useLayoutEffect(() => (ref.current ? registerPaneElement(plane, ref.current) : undefined), [plane]);
  const view = usePaneTransform(plane);
  /** The layer a right-drag is windowing, named on the pane with its new level and width. */
  const [windowing, setWindowing] = useState<string | null>(null);

  usePaneWheel(ref, (e) => {
    const s = useViewerStore.getState();
    const v = paneTransform(s, plane);
    if (!v) return;
    if (e.ctrlKey) s.setPaneView(plane, { zoom: Math.min(40, Math.max(0.25, s.paneViews[plane].zoom * Math.exp(-e.deltaY * 0.002))) });
    // Scrolling up (away) moves along +normal: superior for axial, anterior for coronal, right for sagittal.
    else pagePane(plane, e.deltaY < 0 ? 1 : -1);
  });

  const worldAt = (e: ReactPointerEvent): Vec3 | null => {
    const v = paneTransform(useViewerStore.getState(), plane);
    if (!v) return null;
    const rect = e.currentTarget.getBoundingClientRect();
    return screenToWorld(v, e.clientX - rect.left, e.clientY - rect.top);
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if ((e.target as Element).closest('.pane-label')) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const s = useViewerStore.getState();
    const target = windowTarget(s.layers, s.selectedLayer);
    const v = paneTransform(s, plane);
    if (e.button === 2 && target) {
      drag.current = { kind: 'window', x: e.clientX, y: e.clientY, window: target.display.window, layerId: target.id };
      setWindowing(target.id);
    } else if (e.button === 1 && v) drag.current = { kind: 'pan', x: e.clientX, y: e.clientY, pan: s.paneViews[plane].panMm, mmPerPx: mmPerPixel(v) };
    else if (e.button === 0 && !e.shiftKey && !s.draft && v && grabRotationHandle(e, v)) return;
    else if (e.button === 0 && !e.shiftKey && !s.draft && v && grabMeasurement(e, v)) return;
    else if (e.button === 0 && s.tool !== 'crosshair' && !e.shiftKey) {
      const w = worldAt(e);
      if (!w || s.layers.length === 0) return;
      const d = s.draft;
      if (d && d.kind === 'angle' && d.plane === plane) {
        // The angle's second arm: this click fixes its end.
        addMeasurement('angle', plane, [d.points[0], d.points[1], w], drawnAxes(s, plane));
        s.setDraft(null);
        return;
      }
      const points: Vec3[] = s.tool === 'angle' ? [w, w, w] : [w, w];
      s.setDraft({ id: 'draft', kind: s.tool, plane, points, layers: [] });
      drag.current = { kind: 'measure', follow: 1 };
    } else if (e.button === 0 && e.shiftKey) {
      const w = worldAt(e);
      if (w && s.layers.length > 0) addPin(w);
    } else if (e.button === 0) {
      drag.current = { kind: 'crosshair' };
      const w = worldAt(e);
      if (w) s.setCrosshair(clampToLayerBounds(w));
    }
  };

  /** A press on a crosshair line's rotation handle starts turning the planes. */
  const grabRotationHandle = (e: ReactPointerEvent<HTMLDivElement>, v: ViewTransform): boolean => {
    const s = useViewerStore.getState();
    if (!s.showCrosshair || !s.crosshair) return false;
    const rect = e.currentTarget.getBoundingClientRect();
    const at: [number, number] = [e.clientX - rect.left, e.clientY - rect.top];
    if (!handleAt(crosshairLines(v, s.crosshair, s.orientation, plane).lines, at)) return false;
    drag.current = { kind: 'rotate', last: at };
    return true;
  };

  /** A press on a measurement's handle or outline selects it, and a handle starts a drag that edits it. */
  const grabMeasurement = (e: ReactPointerEvent<HTMLDivElement>, v: ViewTransform): boolean => {
    const s = useViewerStore.getState();
    if (!s.crosshair) return false;
    const tol = planeTolMm(s.layers, s.orientation, plane);
    const shown = s.measurements.filter((m) => onSlice(m, plane, v.frame.normal, s.crosshair!, tol));
    const rect = e.currentTarget.getBoundingClientRect();
    const grab = grabAt(shown, (w) => worldToScreen(v, w), [e.clientX - rect.left, e.clientY - rect.top]);
    const start = worldAt(e);
    if (!grab || !start) return false;
    s.setSelectedLine(grab.id);
    if (!('select' in grab)) drag.current = { kind: 'edit', grab, from: shown.find((m) => m.id === grab.id)!.points, start };
    return true;
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const w = worldAt(e);
    const s = useViewerStore.getState();
    s.setCursor(w);
    const d = drag.current;
    if (!d) {
      // Between the angle's two arms the second follows the pointer.
      if (s.draft?.kind === 'angle' && s.draft.plane === plane && w) s.setDraft({ ...s.draft, points: [s.draft.points[0], s.draft.points[1], w] });
      return;
    }
    if (d.kind === 'rotate') {
      const v = paneTransform(s, plane);
      if (!v || !s.crosshair) return;
      const rect = e.currentTarget.getBoundingClientRect();
      const at: [number, number] = [e.clientX - rect.left, e.clientY - rect.top];
      // Step by step from the last position, so a drag may turn past half a turn.
      const { rotation } = draggedRotation(v, s.orientation, worldToScreen(v, s.crosshair), d.last, at);
      d.last = at;
      s.setOrientation(rotation);
    } else if (d.kind === 'measure' && w && s.draft) {
      const points = [...s.draft.points];
      // The angle's first arm ends where the drag ends; its second follows the pointer until a click.
      for (let n = d.follow; n < points.length; n++) points[n] = w;
      s.setDraft({ ...s.draft, points });
    } else if (d.kind === 'crosshair' && w) s.setCrosshair(clampToLayerBounds(w));
    else if (d.kind === 'edit' && w) editMeasurement(d.grab.id, { points: draggedPoints(d.from, d.grab, [w[0] - d.start[0], w[1] - d.start[1], w[2] - d.start[2]]) });
    else if (d.kind === 'pan') {
      s.setPaneView(plane, { panMm: [d.pan[0] + (e.clientX - d.x) * d.mmPerPx, d.pan[1] - (e.clientY - d.y) * d.mmPerPx] });
    } else if (d.kind === 'window') {
      const [lo, hi] = d.window;
      const widthValue = Math.max(hi - lo, 1e-12);
      const level = (lo + hi) / 2 - ((e.clientY - d.y) * widthValue) / 256;
      const newWidth = Math.max(widthValue * 1e-4, widthValue * Math.exp((e.clientX - d.x) / 200));
      s.setDisplay(d.layerId, { window: [level - newWidth / 2, level + newWidth / 2] });
    }
  };

  const endDrag = () => {
    const d = drag.current;
    drag.current = null;
    setWindowing(null);
    const s = useViewerStore.getState();
    if (d?.kind !== 'measure' || !s.draft) return;
    const [a, b] = s.draft.points;
    const longEnough = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]) >= 0.5;
    if (!longEnough) s.setDraft(null);
    else if (s.draft.kind === 'angle') s.setDraft({ ...s.draft, points: [a, b, b] });
    else {
      addMeasurement(s.draft.kind, plane, s.draft.points, drawnAxes(s, plane));
      s.setDraft(null);
    }
  };

  return (
    <div
      ref={ref}
      className="pane slice-pane"
      style={{ gridArea: area }}
      tabIndex={0}
      aria-label={`${PLANE_LABEL[plane]} pane: arrow keys page, 1–6 change the layout, P pins`}
      data-testid={`view-${plane}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onPointerEnter={() => setHoveredPane(plane)}
      onPointerLeave={() => {
        setHoveredPane(null);
        useViewerStore.getState().setCursor(null);
      }}
      onContextMenu={(e) => e.preventDefault()}
      onDoubleClick={(e) => {
        if (!(e.target as Element).closest('.pane-label')) useViewerStore.getState().setPaneView(plane, { zoom: 1, panMm: [0, 0] });
      }}
    >
      {view && <SliceOverlay view={view} plane={plane} />}
      {view && <SegmentTool plane={plane} view={view} />}
      <SingleSliceNote plane={plane} />
      <PaneLabel kind={plane} text={PLANE_LABEL[plane]} />
      <SlabMenu plane={plane} />
      {view && <PaneAnnotations plane={plane} normalAxis={view.frame.normalAxis} />}
      {windowing && <WindowNote layerId={windowing} />}
    </div>
  );
}

/**
 * Under the pointer, the name a visible label map gives its value there (its lookup: the file's own
 * names, one beside it or one opened for it), topmost layer first: an atlas region read off the image.
 */
function HoverLabel({ view, plane }: { view: ViewTransform; plane: Plane }) {
  const cursor = useViewerStore((s) => s.cursor);
  const layers = useViewerStore((s) => s.layers);
  if (!cursor || hoveredPane() !== plane) return null;
  let name: string | undefined;
  for (let i = layers.length - 1; i >= 0 && name === undefined; i--) {
    const l = layers[i];
    const names = l.display.visible && l.display.colormap === 'label' ? getRecord(l.id)?.labels?.names : undefined;
    if (!names) continue;
    const p = probe({ world: cursor }, l.id)[0];
    if (p?.inside && typeof p.raw === 'number' && p.raw !== 0) name = names.get(p.raw);
  }
  if (!name) return null;
  const [x, y] = worldToScreen(view, cursor);
  const right = x < view.widthPx - 160;
  return (
    <text x={right ? x + 14 : x - 14} y={y + 18} textAnchor={right ? 'start' : 'end'} className="hover-label" data-testid="hover-label">
      {name}
    </text>
  );
}

/** While right-dragging: which layer the drag windows, and its level and width. */
function WindowNote({ layerId }: { layerId: string }) {
  const layer = useViewerStore((s) => s.layers.find((l) => l.id === layerId));
  if (!layer) return null;
  const [lo, hi] = layer.display.window;
  return (
    <span className="pane-note window-note" data-testid="window-note">
      W/L {layer.name}: L {+((lo + hi) / 2).toPrecision(5)} W {+(hi - lo).toPrecision(5)}
    </span>
  );
}

/** The pane's transform, re-rendering only when something it depends on changes. */
function usePaneTransform(plane: Plane): ViewTransform | null {
  const layers = useViewerStore((s) => s.layers);
  const crosshair = useViewerStore((s) => s.crosshair);
  const convention = useViewerStore((s) => s.convention);
  const size = useViewerStore((s) => s.paneSizes[plane]);
  const paneView = useViewerStore((s) => s.paneViews[plane]);
  const orientation = useViewerStore((s) => s.orientation);
  return useMemo(
    () => paneTransform({ layers, crosshair, convention, orientation, paneSizes: size ? { [plane]: size } : {}, paneViews: { [plane]: paneView } as ViewerState['paneViews'] }, plane),
    [layers, crosshair, convention, orientation, size, paneView, plane],
  );
}

/**
 * How near a pane's plane a pin or a measurement's points must be to show on it (mm): half the top
 * visible layer's voxel step along the plane's normal (along a patient axis: that axis's extent of
 * one voxel; turned: one voxel along the oblique normal).
 */
export function planeTolMm(layers: ViewerState['layers'], orientation: Mat3, plane: Plane): number {
  return isIdentity3(orientation) ? halfStepMm(layers, PLANE_NORMAL_AXIS[plane]) : 0.5 * paneStepMm(layers, orientation, plane);
}

/** The plane a measurement drawn now on `plane`'s pane belongs to: its turned axes, none on the patient axes. */
function drawnAxes(s: ViewerState, plane: Plane): PlaneAxes | undefined {
  const v = paneTransform(s, plane);
  if (!v || isIdentity3(s.orientation)) return undefined;
  return { u: v.frame.right, v: v.frame.up, normal: v.frame.normal };
}

/** Half the voxel step of the top visible layer along world axis `axis` (mm): a pin that near the plane shows on it. */
function halfStepMm(layers: ViewerState['layers'], axis: number): number {
  const top = topVisibleLayer(layers);
  if (!top) return 0.5;
  const a = top.affine;
  return 0.5 * Math.max(Math.abs(a[axis * 4]), Math.abs(a[axis * 4 + 1]), Math.abs(a[axis * 4 + 2]));
}

function SliceOverlay({ view, plane }: { view: ViewTransform; plane: Plane }) {
  const detail = useSyncExternalStore(subscribeDetails, () => detailLabel(plane));
  const crosshair = useViewerStore((s) => s.crosshair);
  const showCrosshair = useViewerStore((s) => s.showCrosshair);
  const pins = useViewerStore((s) => s.pins);
  const layers = useViewerStore((s) => s.layers);
  const orientation = useViewerStore((s) => s.orientation);
  if (!crosshair) return null;
  const { right, up, normal, normalAxis } = view.frame;
  const neg = (d: Vec3): Vec3 => [-d[0], -d[1], -d[2]];
  const oblique = !isIdentity3(orientation);
  // The plane's position along its normal; on the patient axes, the world coordinate as before.
  const position = oblique ? dot3(crosshair, normal) : crosshair[normalAxis];
  const directions = patientDirectionsKnown(layers);
  const letter = directions ? directionLabel(position >= 0 ? normal : neg(normal)) : '';
  // A pin, or a measurement's points, show where the plane passes within half a voxel of them (along the normal).
  const pinTol = planeTolMm(layers, orientation, plane);
  const { widthPx: w, heightPx: h } = view;
  return (
    <svg className="slice-overlay" width={w} height={h} aria-hidden="true">
      {showCrosshair && <CrosshairHandles view={view} plane={plane} crosshair={crosshair} rotation={orientation} />}
      {/* RT structures and isodose lines (issue 22), on turned planes too. */}
      <ContourOverlay view={view} plane={plane} />
      <MeasurementsOverlay view={view} plane={plane} origin={crosshair} tol={pinTol} />
      {pins
        .filter((p) => Math.abs(dot3([p.world[0] - crosshair[0], p.world[1] - crosshair[1], p.world[2] - crosshair[2]], normal)) <= pinTol)
        .map((p) => {
          const [px, py] = worldToScreen(view, p.world);
          return (
            <g key={p.id} data-testid="pin-marker">
              <circle cx={px} cy={py} r={5} className="pin-marker" />
              <text x={px + 7} y={py - 6} className="pin-text">
                {p.label}
              </text>
            </g>
          );
        })}
      {/* No letters for an image without patient geometry: nothing is known of its directions. */}
      {directions && (
        <>
          <text x={6} y={h / 2} className="orient" dominantBaseline="middle" data-testid="orient-left">
            {directionLabel(neg(right))}
          </text>
          <text x={w - 6} y={h / 2} className="orient" textAnchor="end" dominantBaseline="middle" data-testid="orient-right">
            {directionLabel(right)}
          </text>
          <text x={w / 2} y={18} className="orient" textAnchor="middle" data-testid="orient-top">
            {directionLabel(up)}
          </text>
          <text x={w / 2} y={h - 8} className="orient" textAnchor="middle" data-testid="orient-bottom">
            {directionLabel(neg(up))}
          </text>
        </>
      )}
      <text x={8} y={h - 8} className="slice-label" data-testid="slice-label">
        {/* A narrow pane keeps the bottom letter clear: its corner label already names the plane. */}
        {w >= 360 ? `${PLANE_LABEL[plane]} ` : ''}
        {letter} {Math.abs(position).toFixed(1)} {gridUnit(layers[0]?.id)}
      </text>
      <HoverLabel view={view} plane={plane} />
      <SlabProbe view={view} plane={plane} />
      {detail ? (
        <text x={w - 8} y={h - 8} className="slice-label" textAnchor="end" data-testid="detail-label">
          <title>A finer level drawn for this zoom (0 = full resolution), or why none is</title>
          {detail}
        </text>
      ) : null}
    </svg>
  );
}
