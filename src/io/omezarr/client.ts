// Main-thread side of the Zarr worker: takes a level's memory from the pool and has the worker
// fill it. Like DicomClient, a failed or cancelled job gives back the memory it took.
import type { BufferPool } from '../../memory/pool';
import type { Pinned, VoxelBuffer } from '../../memory/voxelBuffer';
import type { VolumeStats } from '../../volume/header';
import { fail, ok, type Result } from '../errors';
import type { FromZarr, LevelFill, ToZarr } from '../worker/zarrProtocol';

interface Waiter {
  held: { buffer: Pinned<VoxelBuffer>; reused: boolean };
  done(r: Result<VolumeStats>): void;
  /** Chunks done of total, and the bytes fetched for them as stored. */
  onProgress?(done: number, total: number, fetched: number): void;
  onExactStats?(stats: VolumeStats): void;
}

export class ZarrClient {
  private worker: Worker | null = null;
  private readonly waiters = new Map<number, Waiter>();
  private readonly chunkWaiters = new Map<number, (r: Result<Uint8Array | null>) => void>();
  private nextJob = 1;

  constructor(
    private readonly pool: BufferPool,
    private readonly createWorker: () => Worker,
  ) {}

  /** Takes `bytes` from the pool and has the worker write the level's voxels into it; resolves pinned 'decode'. */
  fill(
    fill: LevelFill,
    bytes: number,
    name: string,
    opts: { signal?: AbortSignal; onProgress?: Waiter['onProgress']; onExactStats?: Waiter['onExactStats'] } = {},
  ): Promise<Result<{ buffer: Pinned<VoxelBuffer>; stats: VolumeStats }>> {
    const got = this.pool.acquire(bytes, name);
    if (got.kind === 'error') return Promise.resolve(fail(got.code, got.message));
    const held = { buffer: got.buffer, reused: got.reused };
    const jobId = this.nextJob++;
    return new Promise((resolve) => {
      this.waiters.set(jobId, {
        held,
        onProgress: opts.onProgress,
        onExactStats: opts.onExactStats,
        done: (r) => {
          if (r.kind === 'error') {
            this.pool.discard(held.buffer, held.reused);
            resolve(r);
          } else resolve(ok({ buffer: held.buffer, stats: r.value }));
        },
      });
      opts.signal?.addEventListener('abort', () => this.send({ type: 'cancel', jobId }), { once: true });
      const memory = held.buffer.value.lend();
      this.send({ type: 'fill', jobId, fill, memory }, memory instanceof ArrayBuffer ? [memory] : []);
    });
  }

  /**
   * One chunk of a level, decoded (C order, the full chunk shape), into `target` (exactly its size).
   * Shared memory is written by the worker itself; otherwise the decoded bytes come back by
   * transfer and are copied once.
   */
  chunkInto(url: string, path: string, coords: number[], target: Uint8Array): Promise<Result<void>> {
    const jobId = this.nextJob++;
    const shared = typeof SharedArrayBuffer !== 'undefined' && target.buffer instanceof SharedArrayBuffer && target.byteOffset === 0 && target.byteLength === target.buffer.byteLength;
    return new Promise((resolve) => {
      this.chunkWaiters.set(jobId, (r) => {
        if (r.kind === 'error' || r.value === null) return resolve(r.kind === 'error' ? r : ok(undefined));
        if (r.value.length !== target.length) return resolve(fail('bad-header', `Chunk ${coords.join('/')} of "${path}" decoded to ${r.value.length} bytes, not ${target.length}.`));
        target.set(r.value);
        resolve(ok(undefined));
      });
      this.send({ type: 'chunk', jobId, url, path, coords, ...(shared ? { into: target.buffer as SharedArrayBuffer } : {}) });
    });
  }

  private send(m: ToZarr, transfer: Transferable[] = []): void {
    if (!this.worker) {
      this.worker = this.createWorker();
      this.worker.onmessage = (e: MessageEvent<FromZarr>) => this.receive(e.data);
      this.worker.onerror = (e) => {
        e.preventDefault();
        for (const [jobId, w] of this.waiters) {
          this.waiters.delete(jobId);
          w.done(fail('internal', `The Zarr worker failed: ${e.message || 'it could not start'}`));
        }
        for (const [jobId, resolve] of this.chunkWaiters) {
          this.chunkWaiters.delete(jobId);
          resolve(fail('internal', `The Zarr worker failed: ${e.message || 'it could not start'}`));
        }
        this.worker?.terminate();
        this.worker = null;
      };
    }
    this.worker.postMessage(m, transfer);
  }

  private receive(m: FromZarr): void {
    const chunk = this.chunkWaiters.get(m.jobId);
    if (chunk && (m.type === 'chunk' || m.type === 'error')) {
      this.chunkWaiters.delete(m.jobId);
      if (m.type === 'error') chunk(fail(m.error.code, m.error.message));
      else chunk(ok(m.data ? new Uint8Array(m.data, m.byteOffset, m.byteLength) : null));
      return;
    }
    const w = this.waiters.get(m.jobId);
    if (!w) return;
    switch (m.type) {
      case 'progress':
        w.onProgress?.(m.done, m.total, m.fetched);
        break;
      case 'stats':
        this.waiters.delete(m.jobId);
        w.onExactStats?.(m.stats);
        break;
      case 'chunk':
        break;
      case 'filled':
      case 'error':
        if (m.memory) w.held.buffer.value.reattach(m.memory);
        if (m.type === 'error') {
          this.waiters.delete(m.jobId);
          w.done(fail(m.error.code, m.error.message));
        } else {
          // Kept for the exact stats that follow when the memory is shared.
          if (m.stats.exact) this.waiters.delete(m.jobId);
          w.done(ok(m.stats));
        }
        break;
      default: {
        const never: never = m;
        throw new Error(`INTERNAL ERROR: unknown Zarr worker message ${JSON.stringify(never)}`);
      }
    }
  }
}
