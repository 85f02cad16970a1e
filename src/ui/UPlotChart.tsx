// A uPlot chart in React: created once per series layout, fed new data in place, disposed on
// unmount. `onCursor` reports the x index under the pointer (null when it leaves).
import { useEffect, useLayoutEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  colour: string;
}

export function UPlotChart({ x, xLabel, series, data, marker, onCursor, height = 150, testId }: {
  x: number[];
  xLabel: string;
  series: ChartSeries[];
  data: number[][];
  /** An x value to mark with a vertical line (the current frame). */
  marker?: number;
  onCursor?: (index: number | null) => void;
  height?: number;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const cursorRef = useRef(onCursor);
  const markerRef = useRef(marker);
  // The chart's hooks read the latest callback and marker through these.
  useLayoutEffect(() => {
    cursorRef.current = onCursor;
    markerRef.current = marker;
  });
  const layout = `${xLabel}|${series.map((s) => `${s.label}:${s.colour}`).join('|')}`;

  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts: Options = {
      width: Math.max(120, el.clientWidth),
      height,
      legend: { show: true, live: true },
      scales: { x: { time: false } },
      axes: [
        { label: xLabel, stroke: '#9aa4ad', grid: { stroke: '#2a2f35' }, ticks: { stroke: '#2a2f35' } },
        { stroke: '#9aa4ad', grid: { stroke: '#2a2f35' }, ticks: { stroke: '#2a2f35' }, size: 56 },
      ],
      series: [{ label: xLabel }, ...series.map((s) => ({ label: s.label, stroke: s.colour, width: 1.5, points: { show: false } }))],
      cursor: { drag: { x: false, y: false } },
      hooks: {
        setCursor: [(u) => cursorRef.current?.(u.cursor.idx ?? null)],
        draw: [
          (u) => {
            const m = markerRef.current;
            if (m === undefined) return;
            const px = u.valToPos(m, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#ffeb3b';
            ctx.lineWidth = 1;
            ctx.beginPath();
            ctx.moveTo(px, u.bbox.top);
            ctx.lineTo(px, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    const u = new uPlot(opts, [x, ...data] as AlignedData, el);
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(120, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its series change; data arrive through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layout, height]);

  useEffect(() => {
    plot.current?.setData([x, ...data] as AlignedData);
  }, [x, data]);
  useEffect(() => {
    plot.current?.redraw(false);
  }, [marker]);

  return <div ref={host} className="chart" data-testid={testId} />;
}
