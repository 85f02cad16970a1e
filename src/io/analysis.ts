// The main thread's side of the analysis worker: one request, one promise. The caller pins the
// memory for as long as the promise is pending.
import type { DataType } from '../volume/dataTypes';
import type { VolumeStats } from '../volume/header';
import type { FromAnalysis, ToAnalysis } from './worker/protocol';

type Answer<T extends FromAnalysis['type']> = Extract<FromAnalysis, { type: T }>;

export class AnalysisClient {
  private worker: Worker | null = null;
  private nextJob = 1;
  private readonly pending = new Map<number, { resolve: (answer: FromAnalysis) => void; reject: (e: Error) => void }>();
  private readonly createWorker: () => Worker;

  constructor(createWorker: () => Worker) {
    this.createWorker = createWorker;
  }

  async labelCounts(memory: SharedArrayBuffer, datatype: DataType, start: number, length: number): Promise<[number, number][]> {
    return (await this.ask<'label-counts'>({ type: 'label-counts', jobId: 0, memory, datatype, start, length })).counts;
  }

  /**
   * Every `factors`-th voxel of `memory` (grid `dims`, in one buffer or z-slabs of whole slices)
   * written into `target`: resolves once it is written, with the display grid's sampled stats and
   * a promise of its exact ones (the caller keeps `target` pinned until that settles).
   */
  async decimate(memory: SharedArrayBuffer[], datatype: DataType, dims: number[], factors: [number, number, number], target: SharedArrayBuffer, cancel: SharedArrayBuffer): Promise<{ sampled: VolumeStats; exact: Promise<VolumeStats> }> {
    let exact!: Promise<VolumeStats>;
    const written = await this.ask<'decimated'>({ type: 'decimate', jobId: 0, memory, cancel, datatype, dims, factors, target }, (jobId) => {
      exact = new Promise((resolve, reject) => this.pending.set(-jobId, { resolve: (a) => resolve((a as Answer<'decimated-exact'>).stats), reject }));
      // Handled here too: when the decimation itself fails, only the first promise has a reader.
      exact.catch(() => {});
    });
    return { sampled: written.stats, exact };
  }

  /** The exact stats of a grid drawn whole from z-slabs (`memory`), over its `sampled` ones; `sampled` when `cancel` was set first. */
  async gridStats(memory: SharedArrayBuffer[], datatype: DataType, dims: number[], sampled: VolumeStats, cancel: SharedArrayBuffer): Promise<VolumeStats> {
    return (await this.ask<'grid-stats'>({ type: 'grid-stats', jobId: 0, memory, cancel, datatype, dims, sampled })).stats;
  }

  /** `follow` is told the job's id before the message goes (a second answer awaited as −id). */
  private ask<T extends FromAnalysis['type']>(message: ToAnalysis, follow?: (jobId: number) => void): Promise<Answer<T>> {
    const jobId = this.nextJob++;
    follow?.(jobId);
    return new Promise((resolve, reject) => {
      this.pending.set(jobId, { resolve: (a) => resolve(a as Answer<T>), reject });
      this.ensureWorker().postMessage({ ...message, jobId }); // shared memory: nothing is transferred or copied
    });
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      const w = this.createWorker();
      w.onmessage = (e: MessageEvent<FromAnalysis>) => {
        const m = e.data;
        const key = m.type === 'decimated-exact' ? -m.jobId : m.jobId;
        const job = this.pending.get(key);
        this.pending.delete(key);
        if (m.type === 'error') {
          job?.reject(new Error(m.message));
          // A failed job answers nothing more.
          this.pending.get(-m.jobId)?.reject(new Error(m.message));
          this.pending.delete(-m.jobId);
        } else job?.resolve(m);
      };
      w.onerror = (e) => {
        for (const job of this.pending.values()) job.reject(new Error(`The analysis worker failed: ${e.message || 'could not start'}`));
        this.pending.clear();
        w.terminate();
        this.worker = null;
      };
      this.worker = w;
    }
    return this.worker;
  }
}
