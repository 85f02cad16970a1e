// The editing core of a segmentation: writes a list of voxels with one value into the label
// memory (never over a locked label), keeps each operation's dirty box as an undo delta (the box's
// previous bytes, or the changed voxels' indices and previous values where those take fewer bytes,
// swapped back and forth by undo and redo: bounded memory, not whole copies) and
// keeps the per-label statistics exact. Pure: the caller uploads the returned box to the GPU.
import { boxOfIndices, copyBoxOut, isEmptyBox, unionBox, type Box, type LabelArray, type LabelGrid, type Reference } from './grid';
import { LabelAccumulator } from './labelStats';
import type { VoxelList } from './brush';

interface Step {
  box: Box;
  /**
   * The other bytes: before the edit while on the undo stack, after it on the redo stack. Of the
   * whole box, or, with `indices`, of those voxels only (a sparse step).
   */
  data: LabelArray;
  /** A sparse step's voxels (flat indices): an edit that changes few of its box's voxels (a shell, a scattered grow). */
  indices?: Int32Array;
  label: string;
  /** Writes of one stroke share a group: they merge into one step. */
  group?: number;
}

export interface HistoryLimits {
  /** The most bytes the undo and redo deltas hold together; the oldest steps go first. */
  maxBytes: number;
  maxSteps: number;
}

export const DEFAULT_HISTORY: HistoryLimits = { maxBytes: 256 * 1024 * 1024, maxSteps: 100 };

export interface EditResult {
  /** The voxels that changed, as a box: empty when nothing changed (then no undo step either). */
  box: Box;
  changed: number;
}

export class LabelEditor {
  readonly stats: LabelAccumulator;
  /** 1 for a locked label value: never overwritten by any tool. */
  readonly locked: Uint8Array;
  private readonly undoStack: Step[] = [];
  private readonly redoStack: Step[] = [];

  constructor(
    readonly labels: LabelArray,
    readonly grid: LabelGrid,
    readonly ref: Reference | null,
    readonly limits: HistoryLimits = DEFAULT_HISTORY,
  ) {
    const maxValue = labels instanceof Uint16Array ? 65535 : 255;
    this.stats = new LabelAccumulator(labels, ref, maxValue);
    this.locked = new Uint8Array(maxValue + 1);
  }

  /**
   * Writes `value` at every listed voxel whose label is not locked (and differs): one undo step,
   * holding the bytes of the changed voxels' box as they were.
   */
  write(list: VoxelList, value: number, label = 'edit', group?: number): EditResult {
    const { labels, locked } = this;
    if (!Number.isInteger(value) || value < 0 || value > this.stats.maxValue) {
      throw new RangeError(`INTERNAL ERROR: label value ${value} is outside 0..${this.stats.maxValue}`);
    }
    // Keep only the voxels that will change, so the box (and the delta) is as small as it can be.
    const idx = list.indices;
    let n = 0;
    for (let m = 0; m < list.count; m++) {
      const v = idx[m];
      const old = labels[v];
      if (old !== value && !locked[old]) idx[n++] = v;
    }
    const box = boxOfIndices(this.grid.dims, idx, n);
    if (n === 0) return { box, changed: 0 };
    const last = this.undoStack[this.undoStack.length - 1];
    const boxVoxels = (box.hi[0] - box.lo[0]) * (box.hi[1] - box.lo[1]) * (box.hi[2] - box.lo[2]);
    if (group !== undefined && last?.group === group && !this.redoStack.length) this.extend(last, box);
    else if (group === undefined && n * (4 + labels.BYTES_PER_ELEMENT) < boxVoxels * labels.BYTES_PER_ELEMENT) {
      // Fewer bytes as a list of the changed voxels than as the box: undo visits only those.
      const indices = idx.slice(0, n);
      const data = labels instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
      for (let m = 0; m < n; m++) data[m] = labels[indices[m]];
      this.redoStack.length = 0;
      this.undoStack.push({ box, data, indices, label });
    } else {
      const data = this.boxArray(box);
      copyBoxOut(labels, this.grid.dims, box, data);
      this.redoStack.length = 0;
      this.undoStack.push({ box, data, label, ...(group !== undefined ? { group } : {}) });
    }
    for (let m = 0; m < n; m++) {
      const v = idx[m];
      this.stats.move(v, labels[v], value);
      labels[v] = value;
    }
    this.trim();
    return { box, changed: n };
  }

  /**
   * Grows a step's box to hold `box` too: its bytes before the step are the step's own where the
   * old box was, and memory as it is elsewhere (the step changed nothing outside its box).
   */
  private extend(step: Step, box: Box): void {
    const union = unionBox(step.box, box);
    if (union.lo.every((v, a) => v === step.box.lo[a]) && union.hi.every((v, a) => v === step.box.hi[a])) return;
    const data = this.boxArray(union);
    copyBoxOut(this.labels, this.grid.dims, union, data);
    const [w, h] = [union.hi[0] - union.lo[0], union.hi[1] - union.lo[1]];
    const ow = step.box.hi[0] - step.box.lo[0];
    let o = 0;
    for (let k = step.box.lo[2]; k < step.box.hi[2]; k++)
      for (let j = step.box.lo[1]; j < step.box.hi[1]; j++, o += ow) {
        const at = step.box.lo[0] - union.lo[0] + w * (j - union.lo[1] + h * (k - union.lo[2]));
        data.set(step.data.subarray(o, o + ow), at);
      }
    step.box = union;
    step.data = data;
  }

  /** Restores the bytes before the last step; null with nothing to undo. */
  undo(): EditResult | null {
    const step = this.undoStack.pop();
    if (!step) return null;
    const changed = this.swap(step);
    this.redoStack.push(step);
    return { box: step.box, changed };
  }

  redo(): EditResult | null {
    const step = this.redoStack.pop();
    if (!step) return null;
    const changed = this.swap(step);
    this.undoStack.push(step);
    return { box: step.box, changed };
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Steps to undo and redo, and the bytes their deltas hold (the memory panel shows them). */
  history(): { undo: number; redo: number; bytes: number; steps: string[] } {
    const bytes = [...this.undoStack, ...this.redoStack].reduce((b, s) => b + stepBytes(s), 0);
    return { undo: this.undoStack.length, redo: this.redoStack.length, bytes, steps: this.undoStack.map((s) => s.label) };
  }

  /** Forgets every step (the label memory was replaced as a whole). */
  clearHistory(): void {
    this.undoStack.length = 0;
    this.redoStack.length = 0;
  }

  private boxArray(box: Box): LabelArray {
    const n = (box.hi[0] - box.lo[0]) * (box.hi[1] - box.lo[1]) * (box.hi[2] - box.lo[2]);
    return this.labels instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
  }

  /** Swaps the box's bytes in memory with the step's, keeping the statistics exact; how many voxels changed. */
  private swap(step: Step): number {
    const { labels } = this;
    if (step.indices) {
      let changed = 0;
      for (let m = 0; m < step.indices.length; m++) {
        const v = step.indices[m];
        const now = labels[v];
        const other = step.data[m];
        // Stryker disable next-line ConditionalExpression: moving a voxel to its own value changes nothing.
        if (now === other) continue;
        this.stats.move(v, now, other);
        labels[v] = other;
        step.data[m] = now;
        changed++;
      }
      return changed;
    }
    const [nx, ny] = this.grid.dims;
    const { lo, hi } = step.box;
    if (isEmptyBox(step.box)) return 0;
    let o = 0;
    let changed = 0;
    for (let k = lo[2]; k < hi[2]; k++)
      for (let j = lo[1]; j < hi[1]; j++) {
        const row = nx * (j + ny * k);
        for (let i = lo[0]; i < hi[0]; i++, o++) {
          const v = row + i;
          const now = labels[v];
          const other = step.data[o];
          if (now === other) continue;
          this.stats.move(v, now, other);
          labels[v] = other;
          step.data[o] = now;
          changed++;
        }
      }
    return changed;
  }

  /** Drops the oldest steps past the limits (undo's oldest first, then redo's farthest). */
  private trim(): void {
    let bytes = this.history().bytes;
    while (this.undoStack.length + this.redoStack.length > 0 && (bytes > this.limits.maxBytes || this.undoStack.length + this.redoStack.length > this.limits.maxSteps)) {
      const dropped = this.undoStack.length ? this.undoStack.shift()! : this.redoStack.shift()!;
      bytes -= stepBytes(dropped);
    }
  }
}

const stepBytes = (s: Step): number => s.data.byteLength + (s.indices?.byteLength ?? 0);
