// A uPlot chart in React: created once per series layout, fed new data in place, disposed on
// unmount. `onCursor` reports the x index under the pointer (null when it leaves).
import { useEffect, useLayoutEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  colour: string;
}

/** Whole steps only, for an axis of counts (frame numbers): uPlot would otherwise tick at 2.5. */
const INTEGER_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
const AXIS_FONT = '11px system-ui, sans-serif';
const AXIS = { stroke: '#aab4be', font: AXIS_FONT, labelFont: AXIS_FONT, grid: { stroke: '#2a2f35' }, ticks: { stroke: '#2a2f35' } };

export function UPlotChart({ x, xLabel, yLabel, xIntegers = false, series, data, marker, onCursor, height = 150, testId }: {
  x: number[];
  /** The x axis's label, with its unit ("Distance (mm)"); also names x in the legend. */
  xLabel: string;
  /** The y axis's label, with its unit ("Value (HU)"). */
  yLabel?: string;
  /** Tick x only at whole numbers (frame numbers). */
  xIntegers?: boolean;
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
  const layout = `${xLabel}|${yLabel ?? ''}|${xIntegers}|${series.map((s) => `${s.label}:${s.colour}`).join('|')}`;

  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts: Options = {
      width: Math.max(120, el.clientWidth),
      height,
      legend: { show: true, live: true },
      scales: { x: { time: false } },
      // Axis sizes are trimmed from uPlot's defaults (50 + a 30 px label) so a 316 px wide sidebar
      // chart keeps most of its height and width for the curve.
      axes: [
        {
          ...AXIS,
          label: xLabel,
          size: 30,
          labelSize: 16,
          ...(xIntegers ? { incrs: INTEGER_INCRS, values: (_u: uPlot, splits: number[]) => splits.map((v) => String(v)) } : {}),
        },
        { ...AXIS, label: yLabel, size: 50, labelSize: yLabel ? 16 : 0 },
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
    // uPlot draws the axis labels on its canvas: name them on the host too, as the chart has them,
    // for screen readers and tests.
    const [xName, yName] = u.axes.map((a) => (typeof a.label === 'string' ? a.label : ''));
    el.setAttribute('aria-label', [xName, yName].filter(Boolean).join(' against '));
    el.dataset.xLabel = xName;
    el.dataset.yLabel = yName;
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

  return <div ref={host} className="chart" role="img" data-testid={testId} />;
}
