// A slice view: the WebGL canvas with one quad per layer, and an SVG overlay for the crosshair,
// orientation letters and slice position. Mouse: wheel pages slices, ctrl+wheel zooms, left
// button moves the crosshair, right button drags window (horizontal) and level (vertical),
// middle button pans.
import { Canvas } from '@react-three/fiber';
import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { pageCrosshair, worldBounds } from '../state/actions';
import { useViewerStore, type Vec3 } from '../state/viewerStore';
import { readCaps } from './caps';
import { FrameSignal } from './frameSignal';
import { LayerSlice } from './LayerSlice';
import { directionLetter, fitView, mmPerPixel, screenToWorld, worldToScreen, type Plane, type ViewTransform } from './sliceGeometry';

const PLANE_LABEL: Record<Plane, string> = { axial: 'Axial', coronal: 'Coronal', sagittal: 'Sagittal' };

function useElementSize<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [size, setSize] = useState<[number, number]>([0, 0]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect;
      setSize([Math.round(width), Math.round(height)]);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, size] as const;
}

type Drag = { kind: 'crosshair' } | { kind: 'window'; x: number; y: number; window: [number, number]; layerId: string } | { kind: 'pan'; x: number; y: number; pan: [number, number] };

export function SliceView({ plane }: { plane: Plane }) {
  const [ref, [width, height]] = useElementSize<HTMLDivElement>();
  const layers = useViewerStore((s) => s.layers);
  const crosshair = useViewerStore((s) => s.crosshair);
  const convention = useViewerStore((s) => s.convention);
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState<[number, number]>([0, 0]);
  const drag = useRef<Drag | null>(null);

  const bounds = useMemo(() => worldBounds(layers), [layers]);
  const view: ViewTransform | null = useMemo(
    () => (layers.length && crosshair && width > 0 && height > 0 ? fitView(plane, convention, bounds, crosshair, width, height, zoom, pan) : null),
    [layers.length, crosshair, width, height, plane, convention, bounds, zoom, pan],
  );

  // Wheel: React's onWheel is passive, so ctrl+wheel would zoom the page; listen natively.
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  }, [view]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const v = viewRef.current;
      if (!v) return;
      if (e.ctrlKey) setZoom((z) => Math.min(40, Math.max(0.25, z * Math.exp(-e.deltaY * 0.002))));
      // Scrolling up (away) moves toward +axis: superior for axial, anterior for coronal.
      else pageCrosshair(v.frame.normalAxis, e.deltaY < 0 ? 1 : -1);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [ref]);

  const worldAt = (e: ReactPointerEvent): Vec3 | null => {
    if (!view) return null;
    const rect = e.currentTarget.getBoundingClientRect();
    return screenToWorld(view, e.clientX - rect.left, e.clientY - rect.top);
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    const top = [...layers].reverse().find((l) => l.display.visible && l.dims.length > 0);
    if (e.button === 2 && top) drag.current = { kind: 'window', x: e.clientX, y: e.clientY, window: top.display.window, layerId: top.id };
    else if (e.button === 1) drag.current = { kind: 'pan', x: e.clientX, y: e.clientY, pan };
    else if (e.button === 0) {
      drag.current = { kind: 'crosshair' };
      const w = worldAt(e);
      if (w) useViewerStore.getState().setCrosshair(w);
    }
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const w = worldAt(e);
    const store = useViewerStore.getState();
    store.setCursor(w);
    const d = drag.current;
    if (!d || !view) return;
    if (d.kind === 'crosshair' && w) store.setCrosshair(w);
    else if (d.kind === 'pan') {
      const mm = mmPerPixel(view);
      setPan([d.pan[0] + (e.clientX - d.x) * mm, d.pan[1] - (e.clientY - d.y) * mm]);
    } else if (d.kind === 'window') {
      const [lo, hi] = d.window;
      const widthValue = Math.max(hi - lo, 1e-12);
      const level = (lo + hi) / 2 - ((e.clientY - d.y) * widthValue) / 256;
      const newWidth = Math.max(widthValue * 1e-4, widthValue * Math.exp((e.clientX - d.x) / 200));
      store.setDisplay(d.layerId, { window: [level - newWidth / 2, level + newWidth / 2] });
    }
  };

  const endDrag = () => {
    drag.current = null;
  };

  return (
    <div
      ref={ref}
      className="slice-view"
      data-testid={`view-${plane}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onPointerLeave={() => useViewerStore.getState().setCursor(null)}
      onContextMenu={(e) => e.preventDefault()}
      onDoubleClick={() => {
        setZoom(1);
        setPan([0, 0]);
      }}
    >
      <Canvas
        className="slice-canvas"
        frameloop="demand"
        dpr={[1, 2]}
        gl={{ antialias: false, alpha: false, powerPreference: 'high-performance' }}
        onCreated={({ gl }) => {
          gl.setClearColor(0x000000, 1);
          readCaps(gl.getContext() as WebGL2RenderingContext);
        }}
      >
        {view && layers.map((l, i) => <LayerSlice key={l.id} layer={l} view={view} order={i} />)}
        <FrameSignal />
      </Canvas>
      {view && crosshair && <SliceOverlay view={view} crosshair={crosshair} plane={plane} />}
    </div>
  );
}

function SliceOverlay({ view, crosshair, plane }: { view: ViewTransform; crosshair: Vec3; plane: Plane }) {
  const [cx, cy] = worldToScreen(view, crosshair);
  const { right, up, normalAxis } = view.frame;
  const neg = (d: Vec3): Vec3 => [-d[0], -d[1], -d[2]];
  const normal: Vec3 = [0, 0, 0];
  normal[normalAxis] = 1;
  const position = crosshair[normalAxis];
  const letter = directionLetter(position >= 0 ? normal : neg(normal));
  const { widthPx: w, heightPx: h } = view;
  return (
    <svg className="slice-overlay" width={w} height={h} aria-hidden="true">
      <line x1={0} x2={w} y1={cy} y2={cy} className="crosshair" />
      <line x1={cx} x2={cx} y1={0} y2={h} className="crosshair" />
      <text x={6} y={h / 2} className="orient" dominantBaseline="middle" data-testid="orient-left">
        {directionLetter(neg(right))}
      </text>
      <text x={w - 6} y={h / 2} className="orient" textAnchor="end" dominantBaseline="middle" data-testid="orient-right">
        {directionLetter(right)}
      </text>
      <text x={w / 2} y={18} className="orient" textAnchor="middle" data-testid="orient-top">
        {directionLetter(up)}
      </text>
      <text x={w / 2} y={h - 8} className="orient" textAnchor="middle" data-testid="orient-bottom">
        {directionLetter(neg(up))}
      </text>
      <text x={8} y={h - 8} className="slice-label" data-testid="slice-label">
        {PLANE_LABEL[plane]} {letter} {Math.abs(position).toFixed(1)} mm
      </text>
    </svg>
  );
}
