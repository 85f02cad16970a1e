// Messages between the main thread and grow.worker.ts, and the main thread's client: one lazily
// started worker, jobs answered in order. Without a SharedArrayBuffer reference (no cross-origin
// isolation) or without workers, the grow runs on the calling thread instead: sending the image
// would copy it, which costs more than the grow.
import type { VoxelList } from './brush';
import type { Reference, Vec3 } from './grid';
import { regionGrow, type GrowOptions } from './regionGrow';

export interface GrowRequest {
  job: number;
  dims: Vec3;
  /** A typed view over the reference image's SharedArrayBuffer. */
  values: ArrayLike<number>;
  slope: number;
  inter: number;
  options: GrowOptions;
}

export interface GrowReply {
  job: number;
  indices: Int32Array;
  count: number;
  /** The worker's own time for the grow. */
  ms: number;
}

let worker: Worker | null = null;
let nextJob = 1;
const waiting = new Map<number, (r: GrowReply) => void>();

function growWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./grow.worker.ts', import.meta.url), { type: 'module', name: 'voxlens-grow' });
    worker.onmessage = (e: MessageEvent<GrowReply>) => {
      waiting.get(e.data.job)?.(e.data);
      waiting.delete(e.data.job);
    };
  }
  return worker;
}

/** True when `ref` can go to a worker without a copy. */
export const isShared = (ref: Reference): boolean => {
  const buffer = (ref.values as { buffer?: ArrayBufferLike }).buffer;
  return typeof Worker !== 'undefined' && typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
};

/** Region grow in the worker when the reference is shared memory, else here; where it ran and the grow's own time. */
export async function growRegion(dims: Vec3, ref: Reference, options: GrowOptions): Promise<{ list: VoxelList; inWorker: boolean; ms: number }> {
  if (!isShared(ref)) {
    const t0 = performance.now();
    const list = regionGrow(dims, ref, options);
    return { list, inWorker: false, ms: performance.now() - t0 };
  }
  const job = nextJob++;
  const reply = await new Promise<GrowReply>((resolve) => {
    waiting.set(job, resolve);
    const request: GrowRequest = { job, dims, values: ref.values, slope: ref.slope, inter: ref.inter, options };
    growWorker().postMessage(request);
  });
  return { list: { indices: reply.indices, count: reply.count }, inWorker: true, ms: reply.ms };
}
