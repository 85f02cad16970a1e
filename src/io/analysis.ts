// The main thread's side of the analysis worker: one request, one promise. The caller pins the
// memory for as long as the promise is pending.
import type { DataType } from '../volume/dataTypes';
import type { FromAnalysis, ToAnalysis } from './worker/protocol';

export class AnalysisClient {
  private worker: Worker | null = null;
  private nextJob = 1;
  private readonly pending = new Map<number, { resolve: (counts: [number, number][]) => void; reject: (e: Error) => void }>();
  private readonly createWorker: () => Worker;

  constructor(createWorker: () => Worker) {
    this.createWorker = createWorker;
  }

  labelCounts(memory: SharedArrayBuffer, datatype: DataType, start: number, length: number): Promise<[number, number][]> {
    const jobId = this.nextJob++;
    return new Promise((resolve, reject) => {
      this.pending.set(jobId, { resolve, reject });
      const message: ToAnalysis = { type: 'label-counts', jobId, memory, datatype, start, length };
      this.ensureWorker().postMessage(message); // shared memory: nothing is transferred or copied
    });
  }

  private ensureWorker(): Worker {
    if (!this.worker) {
      const w = this.createWorker();
      w.onmessage = (e: MessageEvent<FromAnalysis>) => {
        const m = e.data;
        const job = this.pending.get(m.jobId);
        this.pending.delete(m.jobId);
        if (m.type === 'error') job?.reject(new Error(m.message));
        else job?.resolve(m.counts);
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
