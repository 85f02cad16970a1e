import { VoxelBuffer, type Pin, type PinOwner, type Pinned, type Storage } from './voxelBuffer';

export const MiB = 1024 * 1024;
/** One buffer is addressed by typed arrays and WebGL with 32-bit signed offsets in places. */
export const MAX_BUFFER_BYTES = 2 ** 31 - 1;

export type AcquireResult =
  | { kind: 'ok'; buffer: Pinned<VoxelBuffer>; reused: boolean }
  | { kind: 'error'; code: 'over-budget' | 'too-large'; message: string };

export interface BufferStats {
  id: string;
  bytes: number;
  pins: { owner: PinOwner; label: string }[];
  pooled: boolean;
  shared: boolean;
}

export interface PoolOptions {
  budgetBytes: number;
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
    while (this.pooled.length > 0 && liveBytes + this.pooledBytes() + bytes > this.budgetBytes) {
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
