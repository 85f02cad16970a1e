// CT window presets, level/width in Hounsfield units, applied to scaled values. Offered only for
// layers whose scaled range looks like HU (air near −1000 present, tissue above 0), where a
// "lung" window means something.
import type { VolumeStats } from './header';

export interface WindowPreset {
  name: string;
  level: number;
  width: number;
}

export const CT_PRESETS: readonly WindowPreset[] = [
  { name: 'Brain', level: 40, width: 80 },
  { name: 'Subdural', level: 75, width: 215 },
  { name: 'Stroke', level: 40, width: 40 },
  { name: 'Soft tissue', level: 40, width: 400 },
  { name: 'Lung', level: -600, width: 1500 },
  { name: 'Bone', level: 400, width: 1800 },
];

export const presetWindow = (p: WindowPreset): [number, number] => [p.level - p.width / 2, p.level + p.width / 2];

/** Scaled minimum between −3100 and −500 HU (air, or the scanner's padding) and a maximum above 100 HU. */
export function isHuLike(stats: Pick<VolumeStats, 'min' | 'max'>, slope: number, inter: number): boolean {
  const a = stats.min * slope + inter;
  const b = stats.max * slope + inter;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return lo >= -3100 && lo <= -500 && hi >= 100;
}
