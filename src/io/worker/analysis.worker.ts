/// <reference lib="webworker" />
// The analysis worker: whole-volume counts (voxels per label) read straight from a layer's
// shared memory, off the main thread. It never writes the memory and keeps no reference to it.
import { voxelView, DATA_TYPES } from '../../volume/dataTypes';
import { countLabels } from '../../volume/labelStats';
import type { FromAnalysis, ToAnalysis } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (event: MessageEvent<ToAnalysis>) => {
  const m = event.data;
  try {
    const info = DATA_TYPES[m.datatype];
    const values = voxelView(m.datatype, m.memory, m.memory.byteLength / info.bytesPerVoxel);
    const reply: FromAnalysis = { type: 'label-counts', jobId: m.jobId, counts: countLabels(values, m.start, m.length) };
    scope.postMessage(reply);
  } catch (e) {
    const reply: FromAnalysis = { type: 'error', jobId: m.jobId, message: e instanceof Error ? e.message : String(e) };
    scope.postMessage(reply);
  }
};
