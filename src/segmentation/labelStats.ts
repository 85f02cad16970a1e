// Exact per-label statistics of the reference image inside each label: count, sum and sum of
// squares are kept up to date voxel by voxel as edits write; min and max are kept while voxels
// only join a label, and re-read (one pass, for those labels only) after a voxel holding a label's
// extreme left it.
import type { LabelArray, Reference } from './grid';

export interface LabelStatsRow {
  value: number;
  voxels: number;
  mean: number;
  /** Sample standard deviation (n − 1), as the ROI statistics give it. */
  sd: number;
  min: number;
  max: number;
}

export class LabelAccumulator {
  private readonly count: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumSq: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly stale: Uint8Array;
  private anyStale = false;

  constructor(
    private readonly labels: LabelArray,
    private readonly ref: Reference | null,
    /** Values 0..maxValue. */
    readonly maxValue: number,
  ) {
    const n = maxValue + 1;
    this.count = new Float64Array(n);
    this.sum = new Float64Array(n);
    this.sumSq = new Float64Array(n);
    this.min = new Float64Array(n).fill(Infinity);
    this.max = new Float64Array(n).fill(-Infinity);
    this.stale = new Uint8Array(n);
    this.recount();
  }

  /** Every label from scratch (one pass over the grid). */
  recount(): void {
    this.count.fill(0);
    this.sum.fill(0);
    this.sumSq.fill(0);
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.stale.fill(0);
    this.anyStale = false;
    const { labels, ref } = this;
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l === 0) continue;
      this.add(l, ref ? ref.values[i] * ref.slope + ref.inter : NaN);
    }
  }

  /** Voxel `index` changes from label `from` to `to` (the caller writes the label itself). */
  move(index: number, from: number, to: number): void {
    const v = this.ref ? this.ref.values[index] * this.ref.slope + this.ref.inter : NaN;
    if (from !== 0) this.remove(from, v);
    if (to !== 0) this.add(to, v);
  }

  private add(l: number, v: number): void {
    this.count[l]++;
    this.sum[l] += v;
    this.sumSq[l] += v * v;
    if (v < this.min[l]) this.min[l] = v;
    if (v > this.max[l]) this.max[l] = v;
  }

  private remove(l: number, v: number): void {
    if (--this.count[l] === 0) {
      // No rounding residue left behind in an emptied label.
      this.sum[l] = 0;
      this.sumSq[l] = 0;
      this.min[l] = Infinity;
      this.max[l] = -Infinity;
      this.stale[l] = 0;
      return;
    }
    this.sum[l] -= v;
    this.sumSq[l] -= v * v;
    if (v <= this.min[l] || v >= this.max[l]) {
      this.stale[l] = 1;
      this.anyStale = true;
    }
  }

  /** Min and max of the labels that lost an extreme, in one pass. */
  private refreshExtremes(): void {
    if (!this.anyStale) return;
    const { labels, ref, stale } = this;
    for (let l = 0; l < stale.length; l++) if (stale[l]) {
      this.min[l] = Infinity;
      this.max[l] = -Infinity;
    }
    if (ref) for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (!stale[l] || l === 0) continue;
      const v = ref.values[i] * ref.slope + ref.inter;
      if (v < this.min[l]) this.min[l] = v;
      if (v > this.max[l]) this.max[l] = v;
    }
    stale.fill(0);
    this.anyStale = false;
  }

  voxels(value: number): number {
    return this.count[value] ?? 0;
  }

  row(value: number): LabelStatsRow {
    this.refreshExtremes();
    const n = this.count[value] ?? 0;
    if (n === 0 || !this.ref) return { value, voxels: n, mean: NaN, sd: NaN, min: NaN, max: NaN };
    const mean = this.sum[value] / n;
    // Sum-of-squares variance: the scaled values of an image are far from cancelling here (float64).
    const variance = n > 1 ? Math.max(0, (this.sumSq[value] - n * mean * mean) / (n - 1)) : 0;
    return { value, voxels: n, mean, sd: Math.sqrt(variance), min: this.min[value], max: this.max[value] };
  }
}
