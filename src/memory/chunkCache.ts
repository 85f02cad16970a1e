// Chunks of a volume too large to hold whole (an OME-Zarr level's chunks, the slabs of a big
// file), kept in CPU memory under a byte budget. Each chunk is a VoxelBuffer with the same pins as
// a layer's buffer, so the lifetime rules carry over from volumes to chunks: a chunk that a texture
// brick, a probe or a view() pins is never evicted, and its memory is never handed to another
// chunk. Unpinned chunks are evicted least recently used first whenever the cache passes its
// budget. Pins win over the budget: when everything resident is pinned the cache holds more than
// its budget (stats().overBudgetBytes says by how much) and catches up as the pins are released.
import { VoxelBuffer, type PinOwner, type Pinned } from './voxelBuffer';

export interface ChunkCacheStats {
  budgetBytes: number;
  /** Bytes of resident chunks, and of chunks being filled (their memory is taken). */
  residentBytes: number;
  loadingBytes: number;
  /** Bytes of resident chunks that something pins. */
  pinnedBytes: number;
  /** How far pinned chunks hold the cache above its budget (0 when within it). */
  overBudgetBytes: number;
  chunks: number;
  /** Chunks evicted over the cache's life. */
  evictions: number;
}

/**
 * Why a chunk could not be read. memory/ knows nothing of the readers above it: the cache passes
 * the fill's own error on unchanged (a reader's typed error, such as io/errors' LoadError, has this
 * shape), and reports a fill that threw as 'internal'.
 */
export interface ChunkError {
  kind: 'error';
  code: string;
  message: string;
}

/** A fill that threw: a programmer error, told to the waiters rather than lost. */
export type ChunkInternalError = { kind: 'error'; code: 'internal'; message: string };

/** A chunk, or why not: the fill's error type `E`, or an internal error. */
export type ChunkResult<T, E extends ChunkError = ChunkError> = { kind: 'ok'; value: T } | E | ChunkInternalError;

/** Writes a chunk's voxels into `target` (exactly its bytes); an error leaves no chunk behind. */
export type ChunkFill<E extends ChunkError = ChunkError> = (target: Uint8Array) => Promise<{ kind: 'ok'; value: void } | E>;

interface Waiter<E extends ChunkError> {
  owner: PinOwner;
  label: string;
  resolve(r: ChunkResult<Pinned<VoxelBuffer>, E>): void;
}

const ok = <T>(value: T): { kind: 'ok'; value: T } => ({ kind: 'ok', value });

/** Chunks under a byte budget; `E` is the error its fills report (io's LoadError for the app's cache). */
export class ChunkCache<E extends ChunkError = ChunkError> {
  private budget: number;
  private readonly shared: boolean;
  /** Resident chunks, least recently used first (a use moves a key to the end). */
  private readonly entries = new Map<string, VoxelBuffer>();
  private readonly loading = new Map<string, { bytes: number; waiters: Waiter<E>[] }>();
  private evicted = 0;
  private readonly onChange: () => void;

  /** `onChange` hears of every chunk that comes or goes (the memory panel). */
  constructor(options: { budgetBytes: number; shared: boolean; onChange?: () => void }) {
    this.budget = options.budgetBytes;
    this.shared = options.shared;
    this.onChange = options.onChange ?? (() => {});
  }

  /**
   * The chunk `key`, pinned for `owner`: at once when resident, else once `fill` has written it
   * (one fill per key, however many ask while it runs). The caller releases the pin.
   */
  acquire(key: string, bytes: number, owner: PinOwner, label: string, fill: ChunkFill<E>): Promise<ChunkResult<Pinned<VoxelBuffer>, E>> {
    const resident = this.entries.get(key);
    if (resident) {
      this.touch(key, resident);
      return Promise.resolve(ok({ value: resident, pin: resident.pin(owner, label) }));
    }
    return new Promise((resolve) => {
      const waiter: Waiter<E> = { owner, label, resolve };
      const running = this.loading.get(key);
      if (running) {
        running.waiters.push(waiter);
        return;
      }
      this.loading.set(key, { bytes, waiters: [waiter] });
      void this.fill(key, bytes, fill);
    });
  }

  /** The chunk if resident, without counting a use or pinning it (tests, the memory panel). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * The resident chunk, counted as a use, for a read that finishes before the caller yields (a
   * probe): nothing can evict it in between. Anything that keeps it longer pins it with acquire().
   */
  peek(key: string): VoxelBuffer | undefined {
    const b = this.entries.get(key);
    if (b) this.touch(key, b);
    return b;
  }

  get budgetBytes(): number {
    return this.budget;
  }

  setBudget(bytes: number): void {
    this.budget = bytes;
    this.evictOverBudget();
  }

  stats(): ChunkCacheStats {
    let residentBytes = 0;
    let pinnedBytes = 0;
    for (const b of this.entries.values()) {
      residentBytes += b.byteLength;
      if (b.isPinned) pinnedBytes += b.byteLength;
    }
    const loadingBytes = [...this.loading.values()].reduce((n, l) => n + l.bytes, 0);
    return {
      budgetBytes: this.budget,
      residentBytes,
      loadingBytes,
      pinnedBytes,
      overBudgetBytes: Math.max(0, residentBytes + loadingBytes - this.budget),
      chunks: this.entries.size,
      evictions: this.evicted,
    };
  }

  private async fill(key: string, bytes: number, fill: ChunkFill<E>): Promise<void> {
    // Room first (unpinned chunks go; this chunk's bytes already count as loading), so the cache
    // passes its budget only for what is pinned.
    this.evictOverBudget();
    const buffer = new VoxelBuffer(this.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), () => this.evictOverBudget());
    let result: { kind: 'ok'; value: void } | E | ChunkInternalError;
    try {
      result = await fill(new Uint8Array(buffer.memory));
    } catch (e) {
      result = { kind: 'error', code: 'internal', message: `INTERNAL ERROR while reading chunk ${key}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const { waiters } = this.loading.get(key)!;
    this.loading.delete(key);
    if (result.kind === 'error') {
      for (const w of waiters) w.resolve(result);
      return;
    }
    this.entries.set(key, buffer);
    // Every waiter's pin is taken before anything can be evicted.
    for (const w of waiters) w.resolve(ok({ value: buffer, pin: buffer.pin(w.owner, w.label) }));
    this.evictOverBudget();
    this.onChange();
  }

  private touch(key: string, buffer: VoxelBuffer): void {
    this.entries.delete(key);
    this.entries.set(key, buffer);
  }

  /** Evicts unpinned chunks, least recently used first, until resident and loading bytes fit the budget. */
  private evictOverBudget(): void {
    const now = this.stats();
    let held = now.residentBytes + now.loadingBytes;
    let evicted = false;
    for (const [key, buffer] of this.entries) {
      if (held <= this.budget) break;
      if (buffer.isPinned) continue;
      this.entries.delete(key);
      held -= buffer.byteLength;
      this.evicted++;
      evicted = true;
    }
    if (evicted) this.onChange();
  }
}
