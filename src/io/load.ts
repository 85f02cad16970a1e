// Main-thread side of decoding: starts jobs on the decode worker, answers its request for voxel
// memory from the pool (the budget is checked there, before anything is allocated), and hands
// back a pinned buffer. A failed or cancelled job leaves the pool as it found it.
import type { BufferPool } from '../memory/pool';
import { DATA_TYPES } from '../volume/dataTypes';
import { isSharedMemory, type Pinned, type VoxelBuffer } from '../memory/voxelBuffer';
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
  /** A grid drawn whole from z-slab buffers of whole slices (`buffer` the first): all of them, in order. */
  drawnSlabs?: VoxelBuffer[];
}

/**
 * A volume larger than one buffer holds (pool.slabBytes, 2 GiB): z-slabs of `slabSlices` whole
 * slices each (slice index k + t·nz), in order, the last holding the rest. Each pinned with owner
 * 'decode'. It is drawn from a display level (state/displayLevel.ts) and probed in its slabs.
 */
export interface SlabbedVolume {
  header: VolumeHeader;
  stats: VolumeStats;
  gunzip: GunzipEngine | 'none';
  slabs: Pinned<VoxelBuffer>[];
  slabSlices: number;
}

export const isSlabbed = (v: DecodedVolume | SlabbedVolume): v is SlabbedVolume => 'slabs' in v;

export interface DecodeRequest {
  source: SourceSpec;
  onProgress?: (loadedBytes: number, totalBytes: number | undefined) => void;
  /**
   * Voxel memory the caller will need after the decode (a display level), given the header: counted
   * in the budget check before any is allocated, so a volume that cannot be shown is refused before
   * its bytes are read.
   */
  alsoNeeds?: (header: VolumeHeader) => Result<number>;
  /**
   * A volume held in one shared buffer: its memory as soon as the worker has it (the header read,
   * no voxel yet). Its bytes then fill in order, and `onWritten` tells how far they hold their
   * final values (a prefix, every few MiB and once at the end, before the decode resolves).
   */
  onMemory?: (header: VolumeHeader, buffer: VoxelBuffer) => void;
  onWritten?: (bytes: number) => void;
  /** Called once, after the decode resolved, when its stats were sampled and the exact range is known. */
  onExactStats?: (stats: VolumeStats) => void;
  signal?: AbortSignal;
}

interface PendingJob {
  request: DecodeRequest;
  resolve: (r: Result<DecodedVolume | SlabbedVolume>) => void;
  held?: { slabs: { buffer: Pinned<VoxelBuffer>; reused: boolean }[]; slabSlices: number };
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

  decode(request: DecodeRequest): Promise<Result<DecodedVolume | SlabbedVolume>> {
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

  private finish(jobId: number, job: PendingJob, result: Result<DecodedVolume | SlabbedVolume>): void {
    this.jobs.delete(jobId);
    if (result.kind === 'error' && job.held) for (const s of job.held.slabs) this.pool.discard(s.buffer, s.reused);
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
        // Past one buffer's limit, z-slabs of whole slices (k + t·nz, so frames and components too).
        const { dims, datatype } = m.header;
        const also = job.request.alsoNeeds?.(m.header) ?? ok(0);
        const got = also.kind === 'error' ? also : this.pool.acquireSlabs(m.bytes, dims[0] * dims[1] * DATA_TYPES[datatype].bytesPerVoxel, job.request.source.name, also.value);
        if (got.kind === 'error') {
          this.send({ type: 'refused', jobId: m.jobId, error: { code: got.code, message: got.message } });
          break;
        }
        job.held = { slabs: got.slabs.map((s) => ({ buffer: s.buffer, reused: s.reused })), slabSlices: got.slabSlices };
        const memories = got.slabs.map((s) => s.buffer.value.lend());
        // A plain ArrayBuffer (no isolation) is transferred: the worker owns it until it sends it back.
        this.send({ type: 'buffer', jobId: m.jobId, memories }, memories.filter((x): x is ArrayBuffer => x instanceof ArrayBuffer));
        if (memories.length === 1 && isSharedMemory(memories[0])) job.request.onMemory?.(m.header, got.slabs[0].buffer.value);
        break;
      }
      case 'written':
        job.request.onWritten?.(m.bytes);
        break;
      case 'done':
      case 'error': {
        const { held } = job;
        if (m.memories && held) m.memories.forEach((memory, n) => held.slabs[n].buffer.value.reattach(memory));
        if (m.type === 'error') {
          this.finish(m.jobId, job, fail(m.error.code, m.error.message));
        } else if (!held) {
          this.finish(m.jobId, job, fail('internal', 'INTERNAL ERROR: decode finished without memory'));
        } else if (held.slabs.length > 1) {
          // Its exact stats are its display level's: no 'stats' message follows.
          this.finish(m.jobId, job, ok({ header: m.header, stats: m.stats, gunzip: m.gunzip, slabs: held.slabs.map((s) => s.buffer), slabSlices: held.slabSlices }));
        } else {
          if (!m.stats.exact && job.request.onExactStats) this.statsWaiters.set(m.jobId, job.request.onExactStats);
          this.finish(m.jobId, job, ok({ header: m.header, stats: m.stats, gunzip: m.gunzip, buffer: held.slabs[0].buffer }));
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
