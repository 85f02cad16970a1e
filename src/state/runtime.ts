// The process-wide objects behind the stores: the buffer pool, the decode worker client and the
// leak watcher. Created once per page; stores reference buffers by id only.
import { AnalysisClient } from '../io/analysis';
import { DicomClient } from '../io/dicom/client';
import { DecodeClient } from '../io/load';
import { ZarrClient } from '../io/omezarr/client';
import { LeakWatcher } from '../memory/leaks';
import type { LoadError } from '../io/errors';
import { ChunkCache } from '../memory/chunkCache';
import { BufferPool, MiB } from '../memory/pool';

export const isIsolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';

/** A positive number the page's URL gives as `?name=`; undefined without one. */
function numberFromPage(name: string): number | undefined {
  const param = typeof location !== 'undefined' ? Number(new URLSearchParams(location.search).get(name)) : NaN;
  return param > 0 ? param : undefined;
}

/** A positive number of MiB the page's URL gives as `?name=`, in bytes; undefined without one. */
function mibFromPage(name: string): number | undefined {
  const mib = numberFromPage(name);
  return mib === undefined ? undefined : mib * MiB;
}

/** Voxel budget: `?budgetMiB=` on the page, else a quarter of the device memory, 1–4 GiB. */
function budgetFromPage(): number {
  const param = mibFromPage('budgetMiB');
  if (param !== undefined) return param;
  const deviceGiB = (typeof navigator !== 'undefined' && (navigator as Navigator & { deviceMemory?: number }).deviceMemory) || 8;
  return Math.min(4096, Math.max(1024, (deviceGiB * 1024) / 4)) * MiB;
}

/**
 * The most bytes of one voxel buffer: 2 GiB, or `?slabMiB=` (smaller, to exercise z-slabs on small
 * volumes). A larger volume is held in z-slabs of whole slices and drawn from a display level.
 */
function slabBytesFromPage(): number | undefined {
  const bytes = mibFromPage('slabMiB');
  return bytes === undefined ? undefined : Math.floor(bytes);
}

export const pool = new BufferPool({ budgetBytes: budgetFromPage(), shared: isIsolated, slabBytes: slabBytesFromPage() });

/**
 * GPU budget for the layers' textures: `?gpuBudgetMiB=` on the page, else the voxel budget (every
 * texture is backed by pinned voxels, so by default this adds no limit). A volume whose texture
 * would not fit in what is left is drawn from a display level (state/displayLevel.ts).
 */
function gpuBudgetFromPage(): number {
  return mibFromPage('gpuBudgetMiB') ?? pool.budgetBytes;
}
export const gpuBudgetBytes = gpuBudgetFromPage();

/**
 * Voxels per frame past which the 3D pane casts a layer's interaction level while the user drags
 * (render/textures/interactionLevels.ts): 2^24 (256³), or `?interactionVoxels=` (small, for tests).
 */
export const interactionVoxels = Math.floor(numberFromPage('interactionVoxels') ?? 2 ** 24);

/** Chunks read on demand (full-resolution probes of a layer drawn from a coarser level): a quarter of the voxel budget. */
export const chunkCache = new ChunkCache<{ kind: 'error' } & LoadError>({ budgetBytes: pool.budgetBytes / 4, shared: isIsolated, onChange: () => memoryChanged() });

export const leakWatcher = new LeakWatcher(() => memoryChanged());

export const decodeClient = new DecodeClient(
  pool,
  () => new Worker(new URL('../io/worker/decode.worker.ts', import.meta.url), { type: 'module', name: 'voxlens-decode' }),
);

export const dicomClient = new DicomClient(pool, () => new Worker(new URL('../io/worker/dicom.worker.ts', import.meta.url), { type: 'module', name: 'voxlens-dicom' }));

export const zarrClient = new ZarrClient(pool, () => new Worker(new URL('../io/worker/zarr.worker.ts', import.meta.url), { type: 'module', name: 'voxlens-zarr' }));

export const analysisClient = new AnalysisClient(() => new Worker(new URL('../io/worker/analysis.worker.ts', import.meta.url), { type: 'module', name: 'voxlens-analysis' }));

const memoryListeners = new Set<() => void>();
/** Anything that changes memory figures (pins, textures, leaks) calls this; panels subscribe. */
export function memoryChanged(): void {
  for (const l of memoryListeners) l();
}
export function subscribeMemory(listener: () => void): () => void {
  memoryListeners.add(listener);
  const off = pool.subscribe(listener);
  return () => {
    memoryListeners.delete(listener);
    off();
  };
}
