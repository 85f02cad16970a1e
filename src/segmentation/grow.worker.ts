// Region grow off the main thread: the reference image arrives as a typed view over its
// SharedArrayBuffer (structured clone shares the memory, nothing is copied), the grown voxel
// indices go back transferred (the main thread owns them afterwards and writes them).
import { regionGrow } from './regionGrow';
import type { GrowRequest, GrowReply } from './growProtocol';

self.onmessage = (e: MessageEvent<GrowRequest>) => {
  const { job, dims, values, slope, inter, options } = e.data;
  const t0 = performance.now();
  const list = regionGrow(dims, { values, slope, inter }, options);
  const reply: GrowReply = { job, indices: list.indices, count: list.count, ms: performance.now() - t0 };
  // Transfer: the worker keeps no reference to the indices.
  (self as unknown as Worker).postMessage(reply, [list.indices.buffer]);
};
