// Main-thread side of the DICOM worker: scan a job's files, then write a chosen series into pooled
// memory. Like DecodeClient, a failed or cancelled job gives back the memory it took.
import type { BufferPool } from '../../memory/pool';
import type { Pinned, VoxelBuffer } from '../../memory/voxelBuffer';
import { DATA_TYPES } from '../../volume/dataTypes';
import type { VolumeStats } from '../../volume/header';
import { fail, ok, type Result } from '../errors';
import type { DicomFileInfo } from './types';
import type { FromDicom, PixelPlan, ScanResult, Thumbnail, ToDicom } from '../worker/dicomProtocol';
import type { FileSpec } from '../worker/protocol';

export interface Written {
  /** One buffer, or z-slabs of `slabSlices` whole slices each (a series larger than one buffer holds), each pinned 'decode'. */
  held: Pinned<VoxelBuffer>[];
  slabSlices: number;
  stats: VolumeStats;
  transferSyntaxes: string[];
}

interface Waiter {
  scanned?: (results: ScanResult[]) => void;
  pixels?: (r: Result<{ stats: VolumeStats; transferSyntaxes: string[] }>) => void;
  onProgress?: (done: number, total: number, bytes: number) => void;
  /** Slices now in the memory (shared memory only: the main thread can read them while the rest arrive); `buffer` is the first slab. */
  onSlots?: (slots: number[], buffer: Pinned<VoxelBuffer>) => void;
  onExactStats?: (stats: VolumeStats) => void;
  held?: { buffer: Pinned<VoxelBuffer>; reused: boolean }[];
}

export class DicomClient {
  private worker: Worker | null = null;
  private readonly waiters = new Map<number, Waiter>();
  private nextJob = 1;
  private nextRequest = 1;
  private readonly thumbnails = new Map<number, (t: Thumbnail | undefined) => void>();
  private readonly pool: BufferPool;
  private readonly createWorker: () => Worker;

  constructor(pool: BufferPool, createWorker: () => Worker) {
    this.pool = pool;
    this.createWorker = createWorker;
  }

  /** Reads every file's header. The job stays open (a URL's bytes are kept) until write() or end(). */
  scan(files: FileSpec[], signal?: AbortSignal, onProgress?: Waiter['onProgress']): { jobId: number; results: Promise<ScanResult[]> } {
    const jobId = this.nextJob++;
    const results = new Promise<ScanResult[]>((resolve) => {
      this.waiters.set(jobId, { scanned: resolve, onProgress });
      signal?.addEventListener('abort', () => this.end(jobId), { once: true });
      this.send({ type: 'scan', jobId, files });
    });
    return { jobId, results };
  }

  /** A job whose headers are known already (DICOMweb metadata): write() follows, with no scan. */
  adopt(files: FileSpec[], infos: DicomFileInfo[]): number {
    const jobId = this.nextJob++;
    this.send({ type: 'adopt', jobId, files, infos });
    return jobId;
  }

  /**
   * Takes `bytes` from the pool (in z-slabs of whole slices past one buffer's limit) and has the
   * worker fill it; resolves with the memory pinned 'decode'.
   */
  write(
    jobId: number,
    plan: PixelPlan,
    bytes: number,
    name: string,
    opts: { signal?: AbortSignal; onProgress?: Waiter['onProgress']; onSlots?: Waiter['onSlots']; onExactStats?: Waiter['onExactStats']; /** Memory needed after (a display level): counted in the budget check. */ alsoNeeds?: number },
  ): Promise<Result<Written>> {
    const got = this.pool.acquireSlabs(bytes, plan.dims[0] * plan.dims[1] * DATA_TYPES[plan.datatype].bytesPerVoxel, name, opts.alsoNeeds ?? 0);
    if (got.kind === 'error') {
      this.end(jobId);
      return Promise.resolve(fail(got.code, got.message));
    }
    const held = got.slabs.map((s) => ({ buffer: s.buffer, reused: s.reused }));
    const discard = () => held.forEach((h) => this.pool.discard(h.buffer, h.reused));
    const memories = held.map((h) => h.buffer.value.lend());
    const lent = memories.filter((m): m is ArrayBuffer => m instanceof ArrayBuffer);
    // Lent (transferred) memory cannot be read here until it comes back: no slices on the way then.
    const shared = !lent.length;
    return new Promise((resolve) => {
      const waiter: Waiter = {
        held,
        onProgress: opts.onProgress,
        onSlots: shared ? opts.onSlots : undefined,
        onExactStats: opts.onExactStats,
        pixels: (r) => {
          if (r.kind === 'error') {
            discard();
            resolve(r);
          } else resolve(ok({ held: held.map((h) => h.buffer), slabSlices: got.slabSlices, ...r.value }));
        },
      };
      this.waiters.set(jobId, waiter);
      opts.signal?.addEventListener(
        'abort',
        () => {
          // The worker stops between files and answers with an error that gives the memory back.
          this.send({ type: 'end', jobId });
        },
        { once: true },
      );
      this.send({ type: 'pixels', jobId, plan, memories }, lent);
    });
  }

  /** A small picture of one plane of a scanned job (undefined when it cannot be drawn). */
  thumbnail(jobId: number, request: Omit<ToDicom & { type: 'thumbnail' }, 'type' | 'jobId' | 'requestId'>): Promise<Thumbnail | undefined> {
    const requestId = this.nextRequest++;
    return new Promise((resolve) => {
      this.thumbnails.set(requestId, resolve);
      this.send({ type: 'thumbnail', jobId, requestId, ...request });
    });
  }

  end(jobId: number): void {
    const w = this.waiters.get(jobId);
    if (w?.pixels) {
      // The pixel pass is under way: the worker stops and answers with an error that gives the
      // memory back, which settles write() and returns the memory to the pool.
      this.send({ type: 'end', jobId });
      return;
    }
    this.waiters.delete(jobId);
    w?.scanned?.([]);
    this.send({ type: 'end', jobId });
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = this.createWorker();
      this.worker.onmessage = (e: MessageEvent<FromDicom>) => this.receive(e.data);
      this.worker.onerror = (e) => {
        for (const [jobId, w] of this.waiters) {
          w.scanned?.([]);
          w.pixels?.(fail('internal', `The DICOM worker failed: ${e.message || 'could not start'}`));
          this.waiters.delete(jobId);
        }
        this.worker?.terminate();
        this.worker = null;
      };
    }
    return this.worker;
  }

  private send(message: ToDicom, transfer: Transferable[] = []): void {
    this.ensureWorker().postMessage(message, transfer);
  }

  private receive(m: FromDicom): void {
    if (m.type === 'thumbnail') {
      this.thumbnails.get(m.requestId)?.(m.picture);
      this.thumbnails.delete(m.requestId);
      return;
    }
    const w = this.waiters.get(m.jobId);
    if (m.type === 'stats') {
      w?.onExactStats?.(m.stats);
      this.waiters.delete(m.jobId);
      return;
    }
    if (!w || m.type === 'assisted') return; // 'assisted' goes from a helper to the DICOM worker, never here
    switch (m.type) {
      case 'scanned':
        w.scanned?.(m.results);
        break;
      case 'progress':
        w.onProgress?.(m.done, m.total, m.bytes);
        if (m.slots && w.held) w.onSlots?.(m.slots, w.held[0].buffer);
        break;
      case 'pixels-done':
      case 'error': {
        const { held } = w;
        if (m.memories && held) m.memories.forEach((memory, n) => held[n].buffer.value.reattach(memory));
        if (m.type === 'error') {
          this.waiters.delete(m.jobId);
          w.pixels?.(fail(m.error.code, m.error.message));
        } else {
          // Kept for the exact stats that follow when the memory is shared (one buffer: a series in
          // slabs has its display level's).
          if (m.stats.exact || (held?.length ?? 0) > 1) this.waiters.delete(m.jobId);
          w.pixels?.(ok({ stats: m.stats, transferSyntaxes: m.transferSyntaxes }));
        }
        break;
      }
      default: {
        const never: never = m;
        throw new Error(`INTERNAL ERROR: unknown DICOM worker message ${JSON.stringify(never)}`);
      }
    }
  }
}
