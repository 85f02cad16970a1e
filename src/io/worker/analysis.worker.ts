/// <reference lib="webworker" />
// The analysis worker: whole-volume work read straight from a layer's shared memory, off the main
// thread: counts (voxels per label), display levels decimated into memory the main thread lent
// (volume/decimate.ts) with their stats, and the stats of a grid drawn whole from z-slabs. It keeps
// no reference to any memory.
import { DATA_TYPES, voxelView } from '../../volume/dataTypes';
import { decimate, decimatedDims } from '../../volume/decimate';
import { voxelCount } from '../../volume/header';
import { countLabels } from '../../volume/labelStats';
import { gridRange, gridStats, sampleStats, withExactRange } from '../../volume/stats';
import type { FromAnalysis, ToAnalysis } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function answer(m: ToAnalysis): FromAnalysis[] {
  const info = DATA_TYPES[m.datatype];
  if (m.type === 'label-counts') {
    const values = voxelView(m.datatype, m.memory, m.memory.byteLength / info.bytesPerVoxel);
    return [{ type: 'label-counts', jobId: m.jobId, counts: countLabels(values, m.start, m.length) }];
  }
  const arrays = m.memory.map((memory) => voxelView(m.datatype, memory, memory.byteLength / info.bytesPerVoxel));
  const src = { arrays, slabValues: arrays[0].length };
  const cancel = new Int32Array(m.cancel);
  if (m.type === 'grid-stats') {
    const stats = gridStats(m.sampled, src, info.channels, m.dims, () => Atomics.load(cancel, 0) !== 0);
    return [{ type: 'grid-stats', jobId: m.jobId, stats: stats ?? m.sampled }];
  }
  const shown = decimatedDims(m.dims, m.factors);
  const dst = voxelView(m.datatype, m.target, voxelCount(shown));
  decimate(src, m.dims, info.channels, m.factors, dst);
  // The layer can be drawn with sampled stats; the exact range, histogram and brick ranges follow.
  const sampled = sampleStats(dst, info.channels);
  scope.postMessage({ type: 'decimated', jobId: m.jobId, stats: sampled } satisfies FromAnalysis);
  // Brick ranges of the grid drawn; the range and histogram of the full grid, whose values the display level may skip.
  const display = withExactRange(sampled, dst, info.channels, shown);
  const full = gridRange(arrays, info.channels, () => Atomics.load(cancel, 0) !== 0);
  return [{ type: 'decimated-exact', jobId: m.jobId, stats: full ? { ...display, ...full } : display }];
}

scope.onmessage = (event: MessageEvent<ToAnalysis>) => {
  const m = event.data;
  try {
    for (const reply of answer(m)) scope.postMessage(reply);
  } catch (e) {
    const reply: FromAnalysis = { type: 'error', jobId: m.jobId, message: e instanceof Error ? e.message : String(e) };
    scope.postMessage(reply);
  }
};
