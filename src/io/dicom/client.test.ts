// The DICOM client's memory on a cancel: a load cancelled while its pixels are being written (the
// scan's abort listener fires first) still settles, and every slab it took goes back.
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../memory/pool';
import type { DicomPixelFormat } from './types';
import type { FromDicom, PixelPlan, ToDicom } from '../worker/dicomProtocol';
import { DicomClient } from './client';

/** A worker that answers 'end' during a pixel pass as the DICOM worker does: an error, memory shared. */
function fakeWorker(): Worker & { sent: ToDicom['type'][] } {
  const w = {
    sent: [] as ToDicom['type'][],
    onmessage: null as ((e: MessageEvent<FromDicom>) => void) | null,
    onerror: null,
    terminate() {},
    postMessage(m: ToDicom) {
      w.sent.push(m.type);
      if (m.type === 'end') {
        const reply: FromDicom = { type: 'error', jobId: m.jobId, error: { code: 'cancelled', message: 'Cancelled.' } };
        queueMicrotask(() => w.onmessage?.({ data: reply } as MessageEvent<FromDicom>));
      }
    },
  };
  return w as unknown as Worker & { sent: ToDicom['type'][] };
}

describe('DicomClient', () => {
  it('a cancel during the pixel pass settles write() and gives every slab back', async () => {
    const pool = new BufferPool({ budgetBytes: 1 << 20, shared: true, slabBytes: 4096 });
    const worker = fakeWorker();
    const client = new DicomClient(pool, () => worker);
    const abort = new AbortController();
    const { jobId } = client.scan([], abort.signal);
    const plan: PixelPlan = { slices: [], format: {} as DicomPixelFormat, datatype: 'uint16', dims: [32, 32, 6] };
    const written = client.write(jobId, plan, 32 * 32 * 6 * 2, 'series', { signal: abort.signal });
    expect(pool.stats().filter((b) => !b.pooled)).toHaveLength(3);
    abort.abort();
    const r = await written;
    expect(r.kind === 'error' && r.code).toBe('cancelled');
    expect(pool.liveBytes()).toBe(0);
    expect(worker.sent).toContain('end');
  });
});
