// Segment editing in a slice pane (issue 24): while a Segment tool is on, the left button paints
// (brush, eraser, threshold brush: dabs along the drag, one undo step a stroke), grows a region
// from the clicked voxel, or draws a closed outline that is filled on release. The brush's disk
// lies in the pane's own plane (its normal from the pane geometry, oblique panes included); a
// circle previews it under the pointer. Other buttons and the wheel fall through to the pane.
import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { fill, fillOutline, paint, useSegmentationStore } from '../../segmentation/session';
import { useSegmentTool } from '../../segmentation/toolStore';
import { useViewerStore, type Vec3 } from '../../state/viewerStore';
import { mmPerPixel, screenToWorld, worldToScreen, type Plane, type ViewTransform } from '../camera/sliceGeometry';

let nextStroke = 1;

const CURSOR = { fill: 'none', stroke: '#ffeb3b', strokeWidth: 1.5 } as const;
const ERASER = { ...CURSOR, stroke: '#ff8a80', strokeDasharray: '4 3' } as const;
const OUTLINE = { fill: 'rgba(255, 235, 59, 0.12)', stroke: '#ffeb3b', strokeWidth: 1.5 } as const;

export function SegmentTool({ plane, view }: { plane: Plane; view: ViewTransform }) {
  const tool = useSegmentTool();
  const activeId = useSegmentationStore((s) => s.activeId);
  const active = useSegmentationStore((s) => s.list.find((m) => m.id === s.activeId)?.active ?? 1);
  const [pointer, setPointer] = useState<[number, number] | null>(null);
  const [outline, setOutline] = useState<Vec3[] | null>(null);
  const stroke = useRef<{ id: number; last: Vec3 } | null>(null);
  if (!tool.tool || !activeId) return null;

  const at = (e: ReactPointerEvent): { px: [number, number]; world: Vec3 } => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px: [number, number] = [e.clientX - rect.left, e.clientY - rect.top];
    return { px, world: screenToWorld(view, px[0], px[1]) };
  };

  const dab = (world: Vec3, strokeId: number) => {
    const value = tool.tool === 'eraser' ? 0 : active;
    void paint(activeId, { center: world, radius: tool.radiusMm, shape: tool.shape, normal: view.frame.normal, value, stroke: strokeId, ...(tool.tool === 'threshold' ? { threshold: tool.range } : {}) });
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || e.shiftKey) return;
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    const { world } = at(e);
    useViewerStore.getState().setCursor(world);
    if (tool.tool === 'grow') {
      void fill(activeId, { seed: world, value: active, range: tool.range, connectivity: tool.connectivity, ...(tool.grow2d ? { pane: plane } : {}) });
    } else if (tool.tool === 'outline') setOutline([world]);
    else {
      stroke.current = { id: nextStroke++, last: world };
      dab(world, stroke.current.id);
    }
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const { px, world } = at(e);
    setPointer(px);
    if (outline) {
      e.stopPropagation();
      setOutline([...outline, world]);
      return;
    }
    const s = stroke.current;
    if (!s) return;
    e.stopPropagation();
    // Dabs at most half a radius apart, so a fast drag leaves no gaps.
    const d = Math.hypot(world[0] - s.last[0], world[1] - s.last[1], world[2] - s.last[2]);
    const steps = Math.max(1, Math.ceil(d / Math.max(tool.radiusMm / 2, 0.25)));
    for (let n = 1; n <= steps; n++) {
      const t = n / steps;
      dab([s.last[0] + (world[0] - s.last[0]) * t, s.last[1] + (world[1] - s.last[1]) * t, s.last[2] + (world[2] - s.last[2]) * t], s.id);
    }
    s.last = world;
  };

  const onPointerUp = (e: ReactPointerEvent<HTMLDivElement>) => {
    stroke.current = null;
    if (outline) {
      e.stopPropagation();
      if (outline.length >= 3) void fillOutline(activeId, { points: outline, value: active, pane: plane });
      setOutline(null);
    }
  };

  const radiusPx = tool.radiusMm / mmPerPixel(view);
  const path = outline?.map((w) => worldToScreen(view, w).map((v) => v.toFixed(1)).join(',')).join(' ');
  const brush = tool.tool === 'brush' || tool.tool === 'eraser' || tool.tool === 'threshold';
  return (
    <div
      className="segment-tool"
      style={{ position: 'absolute', inset: 0, cursor: 'none', zIndex: 2 }}
      data-testid={`segment-tool-${plane}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onPointerLeave={() => setPointer(null)}
    >
      <svg width={view.widthPx} height={view.heightPx} aria-hidden="true" style={{ position: 'absolute', inset: 0, pointerEvents: 'none' }}>
        {pointer && brush && <circle cx={pointer[0]} cy={pointer[1]} r={radiusPx} style={tool.tool === 'eraser' ? ERASER : CURSOR} data-testid="segment-cursor" />}
        {pointer && tool.tool === 'grow' && <path d={`M${pointer[0] - 6},${pointer[1]}h12M${pointer[0]},${pointer[1] - 6}v12`} style={CURSOR} />}
        {path && <polyline points={path} style={OUTLINE} />}
      </svg>
    </div>
  );
}
