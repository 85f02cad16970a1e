import { VoxelBuffer, type Pin, type PinOwner, type Pinned, type Storage } from './voxelBuffer';

export const MiB = 1024 * 1024;
/** One buffer is addressed by typed arrays and WebGL with 32-bit signed offsets in places. */
export const MAX_BUFFER_BYTES = 2 ** 31 - 1;

export type AcquireResult =
  | { kind: 'ok'; buffer: Pinned<VoxelBuffer>; reused: boolean }
  | { kind: 'error'; code: 'over-budget' | 'too-large'; message: string };

/** Voxel memory in z-slabs: each buffer holds `slabSlices` whole slices (slice index k + t·nz), the last the rest. */
export type SlabsResult =
  | { kind: 'ok'; slabs: Extract<AcquireResult, { kind: 'ok' }>[]; slabSlices: number }
  | Extract<AcquireResult, { kind: 'error' }>;

export interface BufferStats {
  id: string;
  bytes: number;
  pins: { owner: PinOwner; label: string }[];
  pooled: boolean;
  shared: boolean;
}

export interface PoolOptions {
  budgetBytes: number;
  /** The most bytes of one buffer (default MAX_BUFFER_BYTES): a larger volume is held in z-slabs of whole slices (`acquireSlabs`). */
  slabBytes?: number;
  /** false where the page is not cross-origin isolated: plain ArrayBuffers, lent to the worker by transfer. */
  shared: boolean;
}

const formatMiB = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/**
 * Owns every VoxelBuffer. A buffer whose last pin is released becomes pooled and may be handed
 * out again by `acquire` for the same byte length; a pinned buffer never is. The byte budget
 * counts live and pooled buffers; pooled ones are evicted (oldest first) to make room.
 */
export class BufferPool {
  readonly budgetBytes: number;
  readonly shared: boolean;
  readonly slabBytes: number;
  private readonly live = new Set<VoxelBuffer>();
  private readonly pooled: VoxelBuffer[] = [];
  private readonly listeners = new Set<() => void>();
  /** Buffers whose contents are garbage: freed, not pooled, when their last pin goes. */
  private readonly dropOnUnpin = new WeakSet<VoxelBuffer>();
  /** How many buffers this pool has allocated (not reused) over its life. */
  allocations = 0;

  constructor(options: PoolOptions) {
    this.budgetBytes = options.budgetBytes;
    this.shared = options.shared;
    this.slabBytes = Math.min(MAX_BUFFER_BYTES, options.slabBytes ?? MAX_BUFFER_BYTES);
  }

  /**
   * Memory for `bytes` of voxels in whole `sliceBytes` slices: one buffer when it fits `slabBytes`,
   * else z-slabs of as many whole slices as fit one (the last holds the rest), so no slice (no
   * row, no voxel) straddles two buffers. The budget is checked for the whole before anything is
   * allocated, with `alsoNeeds` (what the caller takes right after: a display level) counted in;
   * a refusal leaves the pool as it was.
   */
  acquireSlabs(bytes: number, sliceBytes: number, label: string, alsoNeeds = 0): SlabsResult {
    if (bytes <= this.slabBytes && !alsoNeeds) {
      const got = this.acquire(bytes, label);
      return got.kind === 'error' ? got : { kind: 'ok', slabs: [got], slabSlices: bytes / sliceBytes };
    }
    if (!Number.isSafeInteger(sliceBytes) || sliceBytes <= 0 || bytes % sliceBytes !== 0) {
      throw new Error(`INTERNAL ERROR: acquireSlabs(${bytes}, ${sliceBytes}) needs whole slices`);
    }
    if (sliceBytes > this.slabBytes) {
      return { kind: 'error', code: 'too-large', message: `${label}: one slice is ${formatMiB(sliceBytes)}, more than one buffer holds (${formatMiB(this.slabBytes)}).` };
    }
    const liveBytes = this.liveBytes();
    if (liveBytes + bytes + alsoNeeds > this.budgetBytes) {
      const also = alsoNeeds ? ` (and ${formatMiB(alsoNeeds)} more for the level it is drawn from)` : '';
      return {
        kind: 'error',
        code: 'over-budget',
        message:
          `${label} needs ${formatMiB(bytes)}${also} but only ${formatMiB(Math.max(0, this.budgetBytes - liveBytes))} of the ` +
          `${formatMiB(this.budgetBytes)} voxel budget is free (${formatMiB(liveBytes)} in use). Close a volume or raise the budget.`,
      };
    }
    if (bytes <= this.slabBytes) {
      const got = this.acquire(bytes, label);
      return got.kind === 'error' ? got : { kind: 'ok', slabs: [got], slabSlices: bytes / sliceBytes };
    }
    const plan = this.slabPlan(bytes, sliceBytes);
    const slabs: Extract<AcquireResult, { kind: 'ok' }>[] = [];
    let first = 0;
    for (const n of plan) {
      const got = this.acquire(n * sliceBytes, `${label} (slices ${first}–${first + n - 1})`);
      // Stryker disable next-line ConditionalExpression,BlockStatement: defensive; the whole was checked against the budget above, so no slab is refused
      if (got.kind === 'error') {
        for (const s of slabs) this.discard(s.buffer, s.reused);
        return got;
      }
      slabs.push(got);
      first += n;
    }
    return { kind: 'ok', slabs, slabSlices: plan[0] };
  }

  /** The whole slices each buffer of acquireSlabs(bytes, sliceBytes) holds past one buffer: as many as fit, the last the rest. */
  slabPlan(bytes: number, sliceBytes: number): number[] {
    const each = Math.max(1, Math.floor(this.slabBytes / sliceBytes));
    const slices = bytes / sliceBytes;
    return Array.from({ length: Math.ceil(slices / each) }, (_, n) => Math.min(each, slices - n * each));
  }

  acquire(bytes: number, label: string, owner: PinOwner = 'decode'): AcquireResult {
    if (!Number.isSafeInteger(bytes) || bytes <= 0) {
      throw new Error(`INTERNAL ERROR: acquire(${bytes}) needs a positive byte count`);
    }
    if (bytes > MAX_BUFFER_BYTES) {
      return {
        kind: 'error',
        code: 'too-large',
        message: `${label} needs ${formatMiB(bytes)} of voxels in one buffer; the limit is ${formatMiB(MAX_BUFFER_BYTES)} (2^31 bytes).`,
      };
    }
    const index = this.pooled.findIndex((b) => b.byteLength === bytes);
    if (index >= 0) {
      const [buffer] = this.pooled.splice(index, 1);
      this.live.add(buffer);
      const pin = buffer.pin(owner, label);
      return { kind: 'ok', buffer: { value: buffer, pin }, reused: true };
    }
    const liveBytes = this.liveBytes();
    if (liveBytes + bytes > this.budgetBytes) {
      return {
        kind: 'error',
        code: 'over-budget',
        message:
          `${label} needs ${formatMiB(bytes)} but only ${formatMiB(Math.max(0, this.budgetBytes - liveBytes))} of the ` +
          `${formatMiB(this.budgetBytes)} voxel budget is free (${formatMiB(liveBytes)} in use). Close a volume or raise the budget.`,
      };
    }
    while (
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a guard only; with the pool empty the budget check above already holds
      this.pooled.length > 0 &&
      liveBytes + this.pooledBytes() + bytes > this.budgetBytes
    ) {
      this.pooled.shift();
    }
    const storage: Storage = this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    const buffer = new VoxelBuffer(storage, (b) => this.pinsChanged(b));
    this.allocations++;
    this.live.add(buffer);
    const pin = buffer.pin(owner, label);
    return { kind: 'ok', buffer: { value: buffer, pin }, reused: false };
  }

  /**
   * Gives up a buffer whose contents are garbage (a failed decode): released and, if nothing else
   * pins it, dropped, so that a failed load leaves memory as it found it.
   */
  discard(held: Pinned<VoxelBuffer>, reused: boolean): void {
    if (!reused) this.dropOnUnpin.add(held.value);
    held.pin.release();
  }

  liveBytes(): number {
    let total = 0;
    for (const b of this.live) total += b.byteLength;
    return total;
  }

  pooledBytes(): number {
    return this.pooled.reduce((total, b) => total + b.byteLength, 0);
  }

  stats(): BufferStats[] {
    const row = (b: VoxelBuffer, pooled: boolean): BufferStats => ({
      id: b.id,
      bytes: b.byteLength,
      pins: b.pinList(),
      pooled,
      shared: this.shared,
    });
    return [...[...this.live].map((b) => row(b, false)), ...this.pooled.map((b) => row(b, true))];
  }

  /** Drops every pooled buffer (memory pressure, tests). */
  trim(): void {
    this.pooled.length = 0;
    this.emit();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private pinsChanged(buffer: VoxelBuffer): void {
    if (!buffer.isPinned && this.live.delete(buffer)) {
      // A buffer still lent to the worker has no memory here to pool.
      if (!this.dropOnUnpin.has(buffer) && !buffer.isDetached) this.pooled.push(buffer);
    }
    this.emit();
  }
}

export type { Pin, Pinned };
