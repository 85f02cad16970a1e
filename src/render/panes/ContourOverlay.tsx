// RT structures and isodose lines drawn on a slice pane (SVG, over the image, like the
// measurements): each visible structure's section through the pane's plane in its ROI colour
// (polygons parallel to its contours, the slabs' outline across them), and the isodose lines of the
// chosen dose layer at its levels (marching squares over the dose sampled on the pane) with a legend.
import { useMemo } from 'react';
import { isodoseLevelsGy, isolineSegments } from '../../io/dicom/rt/isolines';
import { sectionOnPane } from '../../io/dicom/rt/planeSection';
import { worldToVoxel } from '../../volume/affine';
import { sampleTrilinear } from '../../volume/raycast';
import { exactSource, getRecord } from '../../state/layerRegistry';
import { ISODOSE_COLOURS, structureGeometry, useRtStore, type IsodoseSettings } from '../../state/rtStore';
import { useViewerStore, type LayerMeta, type Vec3 } from '../../state/viewerStore';
import { mmPerPixel, screenToWorld, worldToScreen, type Plane, type ViewTransform } from '../camera/sliceGeometry';

const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

export function ContourOverlay({ view, plane }: { view: ViewTransform; plane: Plane }) {
  const structures = useRtStore((s) => s.structures);
  const crosshair = useViewerStore((s) => s.crosshair);
  if (!crosshair) return null;
  const normal = view.frame.normal;
  const position = dot(normal, crosshair);
  const screen = (p: Vec3) => worldToScreen(view, p).map((v) => v.toFixed(1)).join(',');
  return (
    <g data-testid={`contours-${plane}`} data-mm-per-px={mmPerPixel(view)}>
      {structures
        .filter((s) => s.visible)
        .map((s) => {
          const geometry = structureGeometry(s.id);
          if (!geometry) return null;
          const section = sectionOnPane(geometry, normal, position);
          if (!section.polygons.length && !section.segments.length) return null;
          const colour = `rgb(${s.rgb.join(',')})`;
          return (
            <g key={s.id} className="rt-contour" data-testid="rt-contour" data-structure={s.id} stroke={colour}>
              <title>{s.name}</title>
              {section.polygons.map((poly, n) => (
                <polygon key={n} points={poly.map(screen).join(' ')} />
              ))}
              {section.segments.length > 0 && <path d={section.segments.map(([a, b]) => `M${screen(a)}L${screen(b)}`).join('')} />}
            </g>
          );
        })}
      <Isodoses view={view} plane={plane} position={position} />
    </g>
  );
}

/** Pane pixels between dose samples: fine enough for smooth lines, few enough (≈10k a pane) to redraw while paging. */
const SAMPLE_PX = 4;

function Isodoses({ view, plane, position }: { view: ViewTransform; plane: Plane; position: number }) {
  const settings = useRtStore((s) => s.isodose);
  const layer = useViewerStore((s) => s.layers.find((l) => l.id === settings.layerId));
  const lines = useMemo(() => (layer && layer.display.visible ? isodoseLines(view, layer, settings) : null), [view, layer, settings, position]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!lines || !layer) return null;
  return (
    <g className="isodoses" data-testid={`isodoses-${plane}`}>
      {settings.style !== 'lines' && lines.bands && <image href={lines.bands} x={-SAMPLE_PX / 2} y={-SAMPLE_PX / 2} width={lines.bandsWidthPx} height={lines.bandsHeightPx} preserveAspectRatio="none" className="isodose-bands" data-testid="isodose-bands" />}
      {settings.style !== 'bands' &&
        lines.lines.map((l, n) => <path key={n} d={l.path} stroke={l.colour} className="isodose-line" data-level-gy={l.gy} />)}
      {/* Left, below the patient annotations: the top right holds the layer's name and colour bar. */}
      <g className="isodose-legend" data-testid="isodose-legend" transform={`translate(8, ${Math.min(140, view.heightPx / 3)})`}>
        {lines.lines.map((l, n) => (
          <g key={n} transform={`translate(0, ${n * 15})`}>
            <rect x={0} y={-9} width={10} height={10} fill={l.colour} />
            <text x={14} y={0} className="isodose-text">
              {l.label}
            </text>
          </g>
        ))}
      </g>
    </g>
  );
}

interface IsodoseLine {
  gy: number;
  label: string;
  colour: string;
  path: string;
}

/** Isodose lines, and for colour bands a picture of the pane's samples coloured by the highest level each reaches (a data URL). */
function isodoseLines(view: ViewTransform, layer: LayerMeta, settings: IsodoseSettings): { lines: IsodoseLine[]; bands?: string; bandsWidthPx: number; bandsHeightPx: number } | null {
  const record = getRecord(layer.id);
  if (!record) return null;
  const src = exactSource(record);
  const w = Math.ceil(view.widthPx / SAMPLE_PX) + 1;
  const h = Math.ceil(view.heightPx / SAMPLE_PX) + 1;
  const values = new Float32Array(w * h);
  const [nx, ny, nz] = src.dims;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = worldToVoxel(src.inverseAffine, screenToWorld(view, x * SAMPLE_PX, y * SAMPLE_PX));
      // Outside the dose grid (by more than half a voxel) there is no dose: no line is drawn there.
      const outside = v[0] < -0.5 || v[1] < -0.5 || v[2] < -0.5 || v[0] > nx - 0.5 || v[1] > ny - 0.5 || v[2] > nz - 0.5;
      values[y * w + x] = outside ? NaN : sampleTrilinear(src, v, layer.display.frame) * src.slope + src.inter;
    }
  const maxGy = layer.stats.max * src.slope + src.inter;
  const levels = isodoseLevelsGy(settings.levels, settings.unit, maxGy, settings.prescriptionGy);
  const suffix = settings.unit === 'Gy' ? '' : settings.unit === 'percent-max' ? '% max' : '% Rx';
  const lines = levels.map((gy, n) => {
    const segs = isolineSegments(values, w, h, gy);
    let path = '';
    for (let i = 0; i < segs.length; i += 4) path += `M${(segs[i] * SAMPLE_PX).toFixed(1)},${(segs[i + 1] * SAMPLE_PX).toFixed(1)}L${(segs[i + 2] * SAMPLE_PX).toFixed(1)},${(segs[i + 3] * SAMPLE_PX).toFixed(1)}`;
    const label = settings.unit === 'Gy' ? `${+gy.toPrecision(4)} Gy` : `${settings.levels[n]}${suffix} (${+gy.toPrecision(4)} Gy)`;
    return { gy, label, colour: ISODOSE_COLOURS[n % ISODOSE_COLOURS.length], path };
  });
  return { lines, bands: settings.style === 'lines' ? undefined : bandsPicture(values, w, h, lines), bandsWidthPx: w * SAMPLE_PX, bandsHeightPx: h * SAMPLE_PX };
}

/** Band opacity: the image stays readable under the colours. */
const BAND_ALPHA = 0.35;

/** Each sample coloured by the highest level its dose reaches (none below the lowest), as a PNG data URL; the browser smooths it to the pane. */
function bandsPicture(values: Float32Array, w: number, h: number, lines: readonly IsodoseLine[]): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  const picture = ctx.createImageData(w, h);
  const rgb = lines.map((l) => [1, 3, 5].map((i) => parseInt(l.colour.slice(i, i + 2), 16)));
  const order = lines.map((l, n) => [l.gy, n] as const).sort((a, b) => b[0] - a[0]);
  for (let p = 0; p < w * h; p++) {
    const v = values[p];
    const hit = Number.isNaN(v) ? undefined : order.find(([gy]) => v >= gy);
    if (!hit) continue;
    picture.data.set([...rgb[hit[1]], Math.round(BAND_ALPHA * 255)], p * 4);
  }
  ctx.putImageData(picture, 0, 0);
  return canvas.toDataURL();
}
