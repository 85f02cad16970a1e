/// <reference lib="webworker" />
// The decode worker: streams each job's bytes through decodeStream straight into the memory the
// main thread lends it. Several jobs may run at once; each is keyed by jobId.
import { isSharedMemory } from '../../memory/voxelBuffer';
import { DATA_TYPES, voxelView } from '../../volume/dataTypes';
import { voxelCount } from '../../volume/header';
import { withExactRange } from '../../volume/stats';
import { decodeVolume } from '../decodeStream';
import { fail, ok, type LoadError, type Result } from '../errors';
import { specSource } from '../sources';
import { WRITTEN_STEP_BYTES, type FromWorker, type ToWorker } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

interface Job {
  abort: AbortController;
  /** Settles the pending request for memory. */
  grant?: (r: Result<(SharedArrayBuffer | ArrayBuffer)[]>) => void;
  /** The voxel memory lent: one buffer, or z-slabs. */
  memories?: (SharedArrayBuffer | ArrayBuffer)[];
}
const jobs = new Map<number, Job>();

const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** Lent ArrayBuffers go back to the main thread, which owns them again afterwards. */
function giveBack(job: Job): { memories?: ArrayBuffer[]; transfer: ArrayBuffer[] } {
  const lent = (job.memories ?? []).filter((m): m is ArrayBuffer => m instanceof ArrayBuffer);
  return lent.length ? { memories: lent, transfer: lent } : { memories: undefined, transfer: [] };
}

async function run(jobId: number, job: Job, source: ToWorker & { type: 'decode' }) {
  const byteSource = specSource(source.source);
  // With shared memory the exact min/max pass runs after 'done', off the first frame's path; a
  // transferred ArrayBuffer goes back with 'done', so then it runs before.
  const shared = scope.crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
  // How far the voxels are written, told every WRITTEN_STEP_BYTES (and at the end) where the main
  // thread can read them meanwhile: one shared buffer.
  let told = 0;
  let need = 0;
  const result = await decodeVolume(byteSource, {
    signal: job.abort.signal,
    onProgress: (loadedBytes, totalBytes) => post({ type: 'progress', jobId, loadedBytes, totalBytes }),
    onWritten: (bytes) => {
      const memory = job.memories?.length === 1 ? job.memories[0] : undefined;
      if (memory === undefined || !isSharedMemory(memory) || (bytes - told < WRITTEN_STEP_BYTES && bytes < need) || bytes <= told) return;
      told = bytes;
      post({ type: 'written', jobId, bytes });
    },
    acquire: (header, bytes) =>
      new Promise<Result<(SharedArrayBuffer | ArrayBuffer)[]>>((resolve) => {
        need = bytes;
        job.grant = resolve;
        post({ type: 'need-buffer', jobId, header, bytes });
      }).then((r) => {
        if (r.kind === 'error') return r;
        job.memories = r.value;
        return ok(r.value.map((m) => new Uint8Array(m)));
      }),
  }, { sampledStatsOnly: shared });
  jobs.delete(jobId);
  const back = giveBack(job);
  if (result.kind === 'ok') {
    const { header, stats, gunzip } = result.value;
    post({ type: 'done', jobId, header, stats, gunzip, memories: back.memories }, back.transfer);
    // A volume in slabs gets its exact stats from its display level (state/displayLevel.ts).
    const memory = job.memories?.length === 1 ? job.memories[0] : undefined;
    if (!stats.exact && memory !== undefined && isSharedMemory(memory)) {
      const values = voxelView(header.datatype, memory, voxelCount(header.dims));
      const exact = withExactRange(stats, values, DATA_TYPES[header.datatype].channels, header.dims);
      // The brick ranges (8 bytes per 4³ voxels: 16 MiB at 512³) go to the main thread, which owns
      // them afterwards: transferred, not copied, so they are not held twice while the texture uploads.
      post({ type: 'stats', jobId, stats: exact }, exact.bricks ? [exact.bricks.ranges.buffer] : []);
    }
  } else {
    const error: LoadError = { code: result.code, message: result.message };
    post({ type: 'error', jobId, error, memories: back.memories }, back.transfer);
  }
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'decode': {
      const job: Job = { abort: new AbortController() };
      jobs.set(m.jobId, job);
      run(m.jobId, job, m).catch((e: unknown) => {
        jobs.delete(m.jobId);
        const back = giveBack(job);
        post({ type: 'error', jobId: m.jobId, error: { code: 'internal', message: `Decoder crashed: ${String(e)}` }, memories: back.memories }, back.transfer);
      });
      break;
    }
    case 'buffer':
      jobs.get(m.jobId)?.grant?.(ok(m.memories));
      break;
    case 'refused':
      jobs.get(m.jobId)?.grant?.(fail(m.error.code, m.error.message));
      break;
    case 'cancel': {
      const job = jobs.get(m.jobId);
      job?.abort.abort();
      job?.grant?.(fail('cancelled', 'Cancelled.'));
      break;
    }
    default: {
      const never: never = m;
      throw new Error(`INTERNAL ERROR: unknown message ${JSON.stringify(never)}`);
    }
  }
};
