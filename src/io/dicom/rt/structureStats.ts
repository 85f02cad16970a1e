// Statistics of a layer's values over a structure's voxels (those rasterizeStructure gives on the
// layer's own grid): count, volume, mean, sample SD, min and max of the scaled values (HU for CT,
// Gy for dose). Pure.

export interface StructureStats {
  count: number;
  volumeCm3: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
}

/** Over `indices`, the raw value `rawAt(index)` scaled by slope and inter; `voxelMm3` each. */
export function structureStats(indices: Uint32Array, rawAt: (index: number) => number, slope: number, inter: number, voxelMm3: number): StructureStats {
  const count = indices.length;
  if (!count) return { count: 0, volumeCm3: 0, mean: NaN, sd: NaN, min: NaN, max: NaN };
  // Welford's running mean and sum of squares: stable for large counts of similar values (CT HU).
  let mean = 0, m2 = 0, min = Infinity, max = -Infinity;
  for (let n = 0; n < count; n++) {
    const x = rawAt(indices[n]) * slope + inter;
    const d = x - mean;
    mean += d / (n + 1);
    m2 += d * (x - mean);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { count, volumeCm3: (count * voxelMm3) / 1000, mean, sd: count > 1 ? Math.sqrt(m2 / (count - 1)) : 0, min, max };
}
