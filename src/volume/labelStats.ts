// Voxels per label value over one frame of a label volume: the numbers behind "volume per label".
// Runs in the analysis worker over the pinned shared buffer (or on the main thread where memory
// cannot be shared).
import type { VoxelArray } from './dataTypes';

/** [label, voxel count] for every value present, ascending; NaN and non-integers are not labels and are left out. */
export function countLabels(values: VoxelArray, start: number, length: number): [number, number][] {
  const counts = new Map<number, number>();
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    for (let n = start; n < start + length; n++) {
      const v = Number(values[n]);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  } else if (
    // Stryker disable next-line ConditionalExpression,LogicalOperator: the dense table is a speed path; the map below counts small integers the same
    values instanceof Uint8Array || values instanceof Int8Array || values instanceof Uint16Array || values instanceof Int16Array
  ) {
    // Small integer types: a dense table is far faster than a map.
    const offset = values instanceof Int8Array ? 128 : values instanceof Int16Array ? 32768 : 0;
    // Stryker disable next-line ConditionalExpression,LogicalOperator: a 65536-entry table holds 8-bit values (offset 128 or 0) as well
    const dense = new Float64Array(values instanceof Uint8Array || values instanceof Int8Array ? 256 : 65536);
    for (let n = start; n < start + length; n++) dense[values[n] + offset]++;
    // Stryker disable next-line EqualityOperator: dense[dense.length] is undefined, and undefined > 0 is false
    for (let i = 0; i < dense.length; i++) if (dense[i] > 0) counts.set(i - offset, dense[i]);
  } else {
    for (let n = start; n < start + length; n++) {
      const v = values[n];
      if (!Number.isInteger(v)) continue;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}
