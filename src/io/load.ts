// Main-thread side of decoding: starts jobs on the decode worker, answers its request for voxel
// memory from the pool (the budget is checked there, before anything is allocated), and hands
// back a pinned buffer. A failed or cancelled job leaves the pool as it found it.
import type { BufferPool } from '../memory/pool';
import type { Pinned, VoxelBuffer } from '../memory/voxelBuffer';
import type { VolumeHeader, VolumeStats } from '../volume/header';
import type { GunzipEngine } from './decodeStream';
import { fail, ok, type Result } from './errors';
import type { FromWorker, SourceSpec, ToWorker } from './worker/protocol';

export interface DecodedVolume {
  header: VolumeHeader;
  stats: VolumeStats;
  gunzip: GunzipEngine | 'none';
  /** Pinned with owner 'decode': the caller takes its own pin, then releases this one. */
  buffer: Pinned<VoxelBuffer>;
}

export interface DecodeRequest {
  source: SourceSpec;
  onProgress?: (loadedBytes: number, totalBytes: number | undefined) => void;
  /** Called once, after the decode resolved, when its stats were sampled and the exact range is known. */
  onExactStats?: (stats: VolumeStats) => void;
  signal?: AbortSignal;
}

interface PendingJob {
  request: DecodeRequest;
  resolve: (r: Result<DecodedVolume>) => void;
  held?: { buffer: Pinned<VoxelBuffer>; reused: boolean };
}

export type WorkerFactory = () => Worker;

export class DecodeClient {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, PendingJob>();
  /** Finished jobs whose exact stats are still to come. */
  private readonly statsWaiters = new Map<number, (stats: VolumeStats) => void>();
  private nextJob = 1;
  private readonly pool: BufferPool;
  private readonly createWorker: WorkerFactory;

  constructor(pool: BufferPool, createWorker: WorkerFactory) {
    this.pool = pool;
    this.createWorker = createWorker;
  }

  /** Starts the worker ahead of the first load, so that load does not pay for its start-up. */
  warm(): void {
    this.ensureWorker();
  }

  decode(request: DecodeRequest): Promise<Result<DecodedVolume>> {
    const jobId = this.nextJob++;
    return new Promise((resolve) => {
      if (request.signal?.aborted) {
        resolve(fail('cancelled', `Loading ${request.source.name} was cancelled.`));
        return;
      }
      this.jobs.set(jobId, { request, resolve });
      request.signal?.addEventListener('abort', () => this.send({ type: 'cancel', jobId }), { once: true });
      this.send({ type: 'decode', jobId, source: request.source });
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = this.createWorker();
      this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
      this.worker.onerror = (e) => this.failAll(`The decode worker failed: ${e.message || 'could not start'}`);
    }
    return this.worker;
  }

  private send(message: ToWorker, transfer: Transferable[] = []): void {
    this.ensureWorker().postMessage(message, transfer);
  }

  private failAll(message: string): void {
    for (const [jobId, job] of this.jobs) this.finish(jobId, job, fail('internal', message));
    this.worker?.terminate();
    this.worker = null;
  }

  private finish(jobId: number, job: PendingJob, result: Result<DecodedVolume>): void {
    this.jobs.delete(jobId);
    if (result.kind === 'error' && job.held) this.pool.discard(job.held.buffer, job.held.reused);
    job.resolve(result);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'stats') {
      this.statsWaiters.get(m.jobId)?.(m.stats);
      this.statsWaiters.delete(m.jobId);
      return;
    }
    const job = this.jobs.get(m.jobId);
    if (!job) return;
    switch (m.type) {
      case 'progress':
        job.request.onProgress?.(m.loadedBytes, m.totalBytes);
        break;
      case 'need-buffer': {
        const got = this.pool.acquire(m.bytes, job.request.source.name);
        if (got.kind === 'error') {
          this.send({ type: 'refused', jobId: m.jobId, error: { code: got.code, message: got.message } });
          break;
        }
        job.held = { buffer: got.buffer, reused: got.reused };
        const memory = got.buffer.value.lend();
        // A plain ArrayBuffer (no isolation) is transferred: the worker owns it until it sends it back.
        this.send({ type: 'buffer', jobId: m.jobId, memory }, memory instanceof ArrayBuffer ? [memory] : []);
        break;
      }
      case 'done':
      case 'error': {
        if (m.memory && job.held) job.held.buffer.value.reattach(m.memory);
        if (m.type === 'error') {
          this.finish(m.jobId, job, fail(m.error.code, m.error.message));
        } else if (!job.held) {
          this.finish(m.jobId, job, fail('internal', 'INTERNAL ERROR: decode finished without memory'));
        } else {
          if (!m.stats.exact && job.request.onExactStats) this.statsWaiters.set(m.jobId, job.request.onExactStats);
          this.finish(m.jobId, job, ok({ header: m.header, stats: m.stats, gunzip: m.gunzip, buffer: job.held.buffer }));
        }
        break;
      }
      default: {
        const never: never = m;
        throw new Error(`INTERNAL ERROR: unknown worker message ${JSON.stringify(never)}`);
      }
    }
  }
}
