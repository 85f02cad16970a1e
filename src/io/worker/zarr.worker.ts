/// <reference lib="webworker" />
// The Zarr worker: fetches and decodes every chunk of one OME-Zarr level (zarrita and its codecs:
// gzip, zlib, blosc, zstd, lz4), and copies each chunk's values once, straight from the codec's
// output into their place in the layer's memory (x fastest, then y, z, t; one channel).
import * as zarr from 'zarrita';
import { voxelView } from '../../volume/dataTypes';
import { voxelCount } from '../../volume/header';
import { computeStats, sampleStats, withExactRange } from '../../volume/stats';
import { fail, isLoadError, type LoadError } from '../errors';
import type { FromZarr, LevelFill, ToZarr } from './zarrProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromZarr, transfer: Transferable[] = []) => scope.postMessage(m, transfer);
const jobs = new Map<number, AbortController>();

/** Chunks fetched at once: an object store answers each request with latency. */
const LANES = 6;

type Values = ArrayLike<number | bigint> & { length: number };

/** The store's answers counted as they arrive: the bytes fetched, as stored. */
function countingStore(url: string, onBytes: (n: number) => void): zarr.AsyncReadable {
  const inner = new zarr.FetchStore(url);
  return {
    async get(key, opts) {
      const bytes = await inner.get(key, opts);
      if (bytes) onBytes(bytes.byteLength);
      return bytes;
    },
  };
}

/** Chunk coordinates ordered by the distance of their centres from `focus` (a voxel, x y z), nearest first. */
function nearestFirst(coords: number[][], chunks: readonly number[], f: LevelFill): number[][] {
  const { focus } = f;
  if (!focus) return coords;
  const { x, y, z } = f.axes;
  const distance = (at: number[]) =>
    [x, y, z].reduce((sum: number, a, i) => (a === undefined ? sum : sum + ((at[a] + 0.5) * chunks[a] - focus[i]) ** 2), 0);
  return coords.map((at) => ({ at, d: distance(at) })).sort((p, q) => p.d - q.d).map((e) => e.at);
}

async function fillLevel(jobId: number, f: LevelFill, memory: SharedArrayBuffer | ArrayBuffer, signal: AbortSignal): Promise<void> {
  let fetched = 0;
  const store = countingStore(f.url, (n) => (fetched += n));
  let arr: zarr.Array<zarr.DataType, zarr.AsyncReadable>;
  try {
    arr = await zarr.open(zarr.root(store).resolve(f.path), { kind: 'array' });
  } catch (e) {
    throw fail('missing-file', `The OME-Zarr level "${f.path}" could not be opened at ${f.url}: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const { shape, chunks } = arr;
  const [nx, ny, nz] = f.dims;
  const nt = f.dims[3] ?? 1;
  const out = voxelView(f.datatype, memory, voxelCount(f.dims)) as unknown as { [i: number]: number | bigint };
  // Every chunk that holds the chosen channel.
  const grid = shape.map((n, a) => (a === f.axes.c ? 1 : Math.ceil(n / chunks[a])));
  const coords: number[][] = [];
  const walk = (prefix: number[]) => {
    if (prefix.length === grid.length) coords.push(prefix);
    else for (let i = 0; i < grid[prefix.length]; i++) walk([...prefix, prefix.length === f.axes.c ? Math.floor(f.channel / chunks[prefix.length]) : i]);
  };
  walk([]);
  const order = nearestFirst(coords, chunks, f);
  // The total is known before the first chunk arrives: "0 / n chunks" while they are on their way.
  post({ type: 'progress', jobId, done: 0, total: order.length, fetched });
  let done = 0;
  let next = 0;
  const lane = async () => {
    while (next < order.length) {
      if (signal.aborted) throw fail('cancelled', 'Cancelled.');
      const at = order[next++];
      let chunk: { data: Values; shape: number[]; stride: number[] };
      try {
        chunk = (await arr.getChunk(at, { signal })) as unknown as { data: Values; shape: number[]; stride: number[] };
      } catch (e) {
        if (signal.aborted) throw fail('cancelled', 'Cancelled.');
        throw fail('fetch-failed', `Chunk ${at.join('/')} of level "${f.path}" (${f.url}) could not be read: ${e instanceof Error ? e.message : String(e)}.`);
      }
      place(chunk, at, arr.chunks, shape, f, out, [nx, ny, nz, nt]);
      post({ type: 'progress', jobId, done: ++done, total: order.length, fetched });
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, coords.length) }, lane));
}

/** Copies one chunk's values (C order, its own strides) into the layer's grid; edge chunks are clipped to the array. */
function place(chunk: { data: Values; shape: number[]; stride: number[] }, at: number[], chunkShape: number[], shape: number[], f: LevelFill, out: { [i: number]: number | bigint }, dims: number[]) {
  const [nx, ny, nz] = dims;
  const origin = at.map((c, a) => c * chunkShape[a]);
  const extent = origin.map((o, a) => Math.min(chunkShape[a], shape[a] - o));
  const { x, y, z, t, c } = f.axes;
  const cOffset = c === undefined ? 0 : (f.channel - origin[c]) * chunk.stride[c];
  const range = (a: number | undefined) => (a === undefined ? 1 : extent[a]);
  const sx = chunk.stride[x];
  for (let tt = 0; tt < range(t); tt++) {
    for (let zz = 0; zz < range(z); zz++) {
      for (let yy = 0; yy < extent[y]; yy++) {
        const src = cOffset + (t === undefined ? 0 : tt * chunk.stride[t]) + (z === undefined ? 0 : zz * chunk.stride[z]) + yy * chunk.stride[y];
        const gt = t === undefined ? 0 : origin[t] + tt;
        const gz = z === undefined ? 0 : origin[z] + zz;
        const dst = ((gt * nz + gz) * ny + origin[y] + yy) * nx + origin[x];
        for (let xx = 0; xx < extent[x]; xx++) out[dst + xx] = chunk.data[src + xx * sx];
      }
    }
  }
}

/** Opened arrays, by URL and path: a probe reads one chunk at a time and should not re-read metadata. */
const arrays = new Map<string, Promise<zarr.Array<zarr.DataType, zarr.FetchStore>>>();

async function readChunk(m: ToZarr & { type: 'chunk' }): Promise<void> {
  const key = `${m.url}|${m.path}`;
  let opened = arrays.get(key);
  if (!opened) {
    opened = zarr.open(zarr.root(new zarr.FetchStore(m.url)).resolve(m.path), { kind: 'array' });
    arrays.set(key, opened);
    opened.catch(() => arrays.delete(key));
  }
  try {
    const arr = await opened;
    const chunk = (await arr.getChunk(m.coords)) as unknown as { data: ArrayBufferView };
    const view = chunk.data;
    if (m.into) {
      // Straight into the cache's shared memory: nothing crosses to the main thread to be collected.
      if (view.byteLength !== m.into.byteLength) throw new Error(`it decoded to ${view.byteLength} bytes, not the ${m.into.byteLength} of a whole chunk`);
      new Uint8Array(m.into).set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      post({ type: 'chunk', jobId: m.jobId, data: null, byteOffset: 0, byteLength: view.byteLength });
      return;
    }
    // The codec's output moves to the main thread (transferred), to be copied once into the cache.
    const data = view.buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view.buffer : new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice().buffer;
    post({ type: 'chunk', jobId: m.jobId, data, byteOffset: 0, byteLength: data.byteLength }, [data]);
  } catch (e) {
    post({ type: 'error', jobId: m.jobId, error: { code: 'fetch-failed', message: `Chunk ${m.coords.join('/')} of level "${m.path}" (${m.url}) could not be read: ${e instanceof Error ? e.message : String(e)}.` } });
  }
}

scope.onmessage = (event: MessageEvent<ToZarr>) => {
  const m = event.data;
  if (m.type === 'cancel') {
    jobs.get(m.jobId)?.abort();
    return;
  }
  if (m.type === 'chunk') {
    void readChunk(m);
    return;
  }
  const abort = new AbortController();
  jobs.set(m.jobId, abort);
  const back = m.memory instanceof ArrayBuffer ? { memory: m.memory, transfer: [m.memory] } : { memory: undefined, transfer: [] };
  fillLevel(m.jobId, m.fill, m.memory, abort.signal).then(
    () => {
      const values = voxelView(m.fill.datatype, m.memory, voxelCount(m.fill.dims));
      const shared = !(m.memory instanceof ArrayBuffer);
      post({ type: 'filled', jobId: m.jobId, stats: shared ? sampleStats(values, 1) : computeStats(values, 1, m.fill.dims), memory: back.memory }, back.transfer);
      if (shared) post({ type: 'stats', jobId: m.jobId, stats: withExactRange(sampleStats(values, 1), values, 1, m.fill.dims) });
      jobs.delete(m.jobId);
    },
    (e: unknown) => {
      const error: LoadError = isLoadError(e) ? e : { code: 'internal', message: `The Zarr worker failed: ${String(e)}` };
      post({ type: 'error', jobId: m.jobId, error: { code: error.code, message: error.message }, memory: back.memory }, back.transfer);
      jobs.delete(m.jobId);
    },
  );
};
