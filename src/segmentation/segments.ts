// The segment list of a segmentation (value, name, colour, visibility, lock) and the text forms it
// leaves in: a FreeSurfer-style colour table and a CSV of per-segment statistics.
import { labelColor, type LabelLookup, type Rgb } from '../volume/labels';

export interface Segment {
  /** The label value written in the voxels (1..255, or 1..65535 in a uint16 segmentation). */
  value: number;
  name: string;
  color: Rgb;
  visible: boolean;
  locked: boolean;
}

export const newSegment = (value: number, name?: string): Segment => ({ value, name: name ?? `Segment ${value}`, color: labelColor(value), visible: true, locked: false });

/** The lowest value no segment uses (1 upward). */
export function nextSegmentValue(segments: readonly Segment[]): number {
  const used = new Set(segments.map((s) => s.value));
  let v = 1;
  while (used.has(v)) v++;
  return v;
}

/** FreeSurfer colour table lines: `index name r g b a`, 0 as Unknown; names keep their spaces. */
export function lutText(segments: readonly Segment[]): string {
  const rows = ['#No. Label Name: R G B A', '0 Unknown 0 0 0 0', ...[...segments].sort((a, b) => a.value - b.value).map((s) => `${s.value} ${s.name.replace(/[\r\n]+/g, ' ').trim() || `Segment ${s.value}`} ${s.color.join(' ')} 0`)];
  return rows.join('\n') + '\n';
}

/** The names and colours as a label lookup (what the label colormap and the probe read). */
export function segmentLookup(segments: readonly Segment[]): LabelLookup {
  return { names: new Map(segments.map((s) => [s.value, s.name])), colors: new Map(segments.map((s) => [s.value, s.color])) };
}

export interface SegmentStatsRow {
  value: number;
  name: string;
  voxels: number;
  mm3: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Another image layer's statistics per segment, in the order of the rows (CSV columns `<name>_mean`… after the reference's). */
export interface ExtraLayerColumns {
  name: string;
  unit?: string;
  rows: readonly { mean: number; sd: number; min: number; max: number }[];
}

export function statsCsv(rows: readonly SegmentStatsRow[], unit = '', layers: readonly ExtraLayerColumns[] = []): string {
  const head = ['value', 'name', 'voxels', 'mm3', 'cm3', `mean${unit ? `_${unit}` : ''}`, 'sd', 'min', 'max'];
  for (const l of layers) {
    const stem = `${l.name.replace(/[^\w.-]+/g, '_')}${l.unit ? `_${l.unit.replace(/[^\w.-]+/g, '_')}` : ''}`;
    head.push(...['mean', 'sd', 'min', 'max'].map((c) => csvField(`${stem}_${c}`)));
  }
  const num = (v: number) => (Number.isFinite(v) ? String(v) : '');
  return (
    [
      head.join(','),
      ...rows.map((r, n) =>
        [String(r.value), csvField(r.name), String(r.voxels), num(r.mm3), num(r.mm3 / 1000), num(r.mean), num(r.sd), num(r.min), num(r.max), ...layers.flatMap((l) => (l.rows[n] ? [l.rows[n].mean, l.rows[n].sd, l.rows[n].min, l.rows[n].max].map(num) : ['', '', '', '']))].join(','),
      ),
    ].join('\n') + '\n'
  );
}
