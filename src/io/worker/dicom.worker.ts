/// <reference lib="webworker" />
// The DICOM worker: reads headers (scan), then decodes each chosen plane straight into its slot of
// the series' one voxel buffer (pixels). A file read for its header is read again for its pixels
// (a File is cheap to read twice); a URL's bytes are kept between the two passes instead.
import { isSharedMemory } from '../../memory/voxelBuffer';
import { DATA_TYPES, voxelView } from '../../volume/dataTypes';
import { computeStats, sampleStats, withExactRange } from '../../volume/stats';
import { decodedPixelFormat, decodeFrameAsync, nativeFrameBytes, storedDataType, transferSyntaxInfo } from '../dicom/pixels';
import { instanceFormat } from '../dicom/instanceFormat';
import { thumbnailRgba } from '../dicom/thumbnail';
import { rescaleToFloat32 } from '../dicom/pixels/rescaleToFloat32';
import { dataSetTags, fileInfo, framePixels, infoFromTags, isDeflated, parseDataSet } from '../dicom/tags';
import type { DataSet } from 'dicom-parser';
import { multipartBoundary, multipartParts } from '../dicomweb/multipart';
import type { DicomFileInfo } from '../dicom/types';
import { fail, isLoadError, ok, type LoadError, type Result } from '../errors';
import type { FromDicom, PixelPlan, ScanResult, Thumbnail, ToDicom } from './dicomProtocol';
import type { FileSpec } from './protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromDicom, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

/** Files read at once while scanning. */
const SCAN_LANES = 6;

/** Header bytes read first: enough for any classic image's header; enhanced objects read whole. */
const HEADER_BYTES = 256 * 1024;

interface Job {
  files: FileSpec[];
  infos: Map<number, DicomFileInfo>;
  /** URL bodies, kept from the scan for the pixel pass. */
  kept: Map<number, Uint8Array>;
  abort: AbortController;
}
const jobs = new Map<number, Job>();

/**
 * A file's bytes, or with `limit` at least its first `limit` bytes (a Blob is sliced; a URL is
 * fetched whole and kept for the pixel pass). `size` is the file's stored size where known.
 */
async function readBytes(job: Job, index: number, limit?: number): Promise<Result<{ bytes: Uint8Array; size?: number }>> {
  const spec = job.files[index];
  if (spec.kind === 'blob') {
    const blob = limit && spec.blob.size > limit ? spec.blob.slice(0, limit) : spec.blob;
    return ok({ bytes: new Uint8Array(await blob.arrayBuffer()), size: spec.blob.size });
  }
  const kept = job.kept.get(index);
  if (kept) return ok({ bytes: kept, size: kept.length });
  try {
    const headers: Record<string, string> = {};
    if (spec.accept) headers.Accept = spec.accept;
    // No Range for the header: measured on a 300-file CT series, a second request per file cost
    // more time (3.2× the .nii.gz load instead of 2.4×) than keeping whole files saved memory
    // (renderer peak 2.8× the voxel bytes instead of 3.7×). A server that answers 206 anyway is handled.
    const response = await fetch(spec.url, { signal: job.abort.signal, headers });
    if (!response.ok) return fail('fetch-failed', `Fetching ${spec.url} failed: HTTP ${response.status} ${response.statusText}.`);
    let bytes: Uint8Array = new Uint8Array(await response.arrayBuffer());
    if (response.status === 206) {
      const total = /\/(\d+)\s*$/.exec(response.headers.get('content-range') ?? '');
      return ok({ bytes, size: total ? Number(total[1]) : undefined });
    }
    // WADO-RS wraps each instance in a multipart/related body: keep the first part (a view, no copy).
    const boundary = multipartBoundary(response.headers.get('content-type'));
    if (boundary) {
      const [part] = multipartParts(bytes, boundary);
      if (!part) return fail('truncated', `${spec.url} answered with a multipart body that holds no complete part.`);
      bytes = part;
    }
    if (limit) job.kept.set(index, bytes);
    return ok({ bytes, size: bytes.length });
  } catch (e) {
    if (job.abort.signal.aborted) return fail('cancelled', 'Cancelled.');
    return fail('fetch-failed', `Could not fetch ${spec.url}: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

async function scanOne(job: Job, index: number): Promise<ScanResult> {
  const spec = job.files[index];
  const skipped = (error: LoadError): ScanResult => ({ kind: 'skipped', file: index, name: spec.name, error });
  let bytes = await readBytes(job, index, HEADER_BYTES);
  if (bytes.kind === 'error') return skipped(bytes);
  let ds = parseDataSet(bytes.value.bytes, spec.name, true);
  // A header longer than the first bytes read (enhanced multi-frame groups): read the whole file.
  if (ds.kind === 'error' && bytes.value.bytes.length < (bytes.value.size ?? 0)) {
    bytes = await readBytes(job, index);
    if (bytes.kind === 'error') return skipped(bytes);
    ds = parseDataSet(bytes.value.bytes, spec.name, true);
  }
  if (ds.kind === 'error') return skipped(ds);
  const info = fileInfo(ds.value, index, spec.name);
  if (info.kind === 'error') return skipped(info);
  // A deflated data set's offsets count inflated bytes: compare with those, when the whole file was read.
  const size = bytes.value.size;
  const wholeFile = size === undefined || bytes.value.bytes.length === size;
  const inflatedBytes = isDeflated(info.value.transferSyntax.replace(/\0/g, '').trim()) ? (wholeFile ? ds.value.byteArray.length : Infinity) : undefined;
  const short = pixelDataShortfall(ds.value.elements.x7fe00010, info.value, inflatedBytes ?? size ?? Infinity);
  if (short) return skipped(short);
  job.infos.set(index, info.value);
  return { kind: 'ok', info: info.value };
}

const isNative = (uid: string) => ['native-le', 'native-be', 'deflated'].includes(transferSyntaxInfo(uid.replace(/\0/g, '').trim())?.kind ?? '');

/**
 * Native pixel data that cannot hold the image (Rows × Columns × frames larger than the element,
 * or an element running past the end of the file) is refused at the scan, before memory is taken.
 */
function pixelDataShortfall(element: { dataOffset: number; length: number; encapsulatedPixelData?: boolean } | undefined, info: DicomFileInfo, fileBytes: number): LoadError | null {
  // Encapsulated (compressed) data has an undefined length here: its frames are checked when decoded.
  if (!element || element.encapsulatedPixelData || element.length === 0xffffffff || !isNative(info.transferSyntax)) return null;
  const { rows, columns } = info.planes[0];
  const need = nativeFrameBytes(info.pixel, rows, columns) * info.frames;
  const have = Math.min(element.length, fileBytes - element.dataOffset);
  if (have >= need) return null;
  const why = element.dataOffset + element.length > fileBytes ? `the file ends ${element.dataOffset + element.length - fileBytes} bytes before its Pixel Data does` : `its Pixel Data holds ${element.length} bytes`;
  return { code: 'truncated', message: `${info.name}: ${rows} × ${columns} × ${info.frames} frame(s) of ${info.pixel.bitsAllocated}-bit pixels need ${need} bytes, but ${why}.` };
}

/** True in a helper worker: it never starts helpers of its own. */
let isHelper = false;
const helperPool: Worker[] = [];
const helperJobs = new Map<number, { helper: Worker; onSlots(slots: number[], bytes: number): void; done(m: FromDicom): void }>();
let nextHelperJob = 1;

/** Compressed (or not yet known: DICOMweb) transfer syntaxes, enough files, and more than one core. */
function wantsHelpers(job: Job, work: [number, unknown][]): boolean {
  if (isHelper || work.length < 8 || (navigator.hardwareConcurrency ?? 1) < 2) return false;
  return !isNative(job.infos.get(work[0][0])?.transferSyntax ?? '');
}

/** One helper per core but the main thread's and this worker's (at least one, at most three), kept for later series. */
function helperWorkers(): Worker[] {
  const want = Math.min(3, Math.max(1, (navigator.hardwareConcurrency ?? 2) - 2));
  while (helperPool.length < want) {
    // This very script, by its own address: a bundler-visible new URL(…) would make the build recurse.
    const helper = new Worker(scope.location.href, { type: 'module', name: 'voxlens-dicom-helper' });
    helper.onmessage = (e: MessageEvent<FromDicom>) => {
      const m = e.data;
      const h = helperJobs.get(m.jobId);
      if (!h) return;
      if (m.type === 'progress') h.onSlots(m.slots ?? [], m.bytes);
      else h.done(m);
    };
    // A helper that dies (or cannot start) fails its jobs instead of leaving them waiting, and is replaced next time.
    helper.onerror = (e) => {
      e.preventDefault();
      helperPool.splice(helperPool.indexOf(helper), 1);
      for (const [id, h] of helperJobs) {
        if (h.helper === helper) h.done({ type: 'error', jobId: id, error: { code: 'internal', message: `A DICOM decode helper failed: ${e.message || 'it could not start'}` } });
      }
      helper.terminate();
    };
    helperPool.push(helper);
  }
  return helperPool.slice(0, want);
}

/** Has `helper` write `share` (files and their planes) into `memories`; settles when it is done. */
function assist(helper: Worker, job: Job, plan: PixelPlan, memories: SharedArrayBuffer[], share: [number, PixelPlan['slices']][], onSlots: (slots: number[], bytes: number) => void): Promise<void> {
  const id = nextHelperJob++;
  const files = share.map(([f]) => f);
  // URL bytes fetched by the scan move to the helper (transferred, not copied).
  const kept = files.flatMap((f): [number, Uint8Array][] => {
    const bytes = job.kept.get(f);
    job.kept.delete(f);
    return bytes ? [[f, bytes]] : [];
  });
  let last = 0;
  return new Promise<void>((resolve, reject) => {
    helperJobs.set(id, {
      helper,
      onSlots: (slots, bytes) => {
        onSlots(slots, bytes - last);
        last = bytes;
      },
      done: (m) => {
        helperJobs.delete(id);
        if (m.type === 'assisted') {
          for (const [f, ts] of m.transferSyntaxes) {
            const info = job.infos.get(f);
            if (info) job.infos.set(f, { ...info, transferSyntax: ts });
          }
          resolve();
        } else if (m.type === 'error') reject(m.error);
      },
    });
    job.abort.signal.addEventListener('abort', () => helper.postMessage({ type: 'end', jobId: id } satisfies ToDicom), { once: true });
    const message: ToDicom = { type: 'assist', jobId: id, files: job.files, infos: files.map((f) => job.infos.get(f)!), kept, plan: { ...plan, slices: share.flatMap(([, s]) => s) }, memories };
    helper.postMessage(message, kept.map(([, b]) => b.buffer));
  });
}

async function writePixels(jobId: number, job: Job, plan: PixelPlan, memories: (SharedArrayBuffer | ArrayBuffer)[]): Promise<void> {
  const out = DATA_TYPES[plan.datatype];
  const first = plan.slices[0];
  const { rows, columns } = job.infos.get(first.file)!.planes[first.frame];
  const slotBytes = rows * columns * out.bytesPerVoxel;
  // One buffer, or z-slabs of whole slots (a series larger than one buffer holds).
  const slabSlots = memories[0].byteLength / slotBytes;
  const slotMemory = (slot: number) => {
    const n = Math.floor(slot / slabSlots);
    return new Uint8Array(memories[n], (slot - n * slabSlots) * slotBytes, slotBytes);
  };
  // Planes that disagree on rescale are stored as float32 scaled values: decode each into a scratch
  // frame of the stored type, then scale into the slot.
  const storedFrameBytes = rows * columns * (plan.format.bitsAllocated / 8) * plan.format.samplesPerPixel;
  const byFile = new Map<number, PixelPlan['slices']>();
  for (const s of plan.slices) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  let done = 0;
  let bytesRead = 0;
  // The middle of the volume first (where the crosshair starts), then outward: a series shown
  // while it arrives fills in from where the user is looking.
  const middle = (plan.dims[2] - 1) / 2;
  const distance = (slices: { slot: number }[]) => Math.min(...slices.map((x) => Math.abs(x.slot - middle)));
  const work = [...byFile].sort((a, b) => distance(a[1]) - distance(b[1]));
  // Compressed series are CPU-bound: helper workers take every other file (or every third…), so
  // each of them also starts near the middle.
  const shared = memories.filter(isSharedMemory);
  const helpers = shared.length === memories.length && wantsHelpers(job, work) ? helperWorkers() : [];
  const shares = Array.from({ length: helpers.length + 1 }, () => [] as typeof work);
  work.forEach((w, i) => shares[i % shares.length].push(w));
  const own = shares[0];
  const assisted = helpers.map((helper, k) =>
    assist(helper, job, plan, shared, shares[k + 1], (slots, bytes) => {
      done += slots.length;
      bytesRead += bytes;
      post({ type: 'progress', jobId, done, total: plan.slices.length, bytes: bytesRead, slots });
    }),
  );
  let next = 0;
  const lane = async () => {
    // Each lane decodes into its own scratch frame when converting to float32.
    const scratch = plan.rescale ? new Uint8Array(storedFrameBytes) : null;
    while (next < own.length) {
      const [file, slices] = own[next++];
      if (job.abort.signal.aborted) throw fail('cancelled', 'Cancelled.');
      const bytes = await readBytes(job, file);
      if (bytes.kind === 'error') throw bytes;
      bytesRead += bytes.value.bytes.length;
      const ds = parseDataSet(bytes.value.bytes, job.infos.get(file)!.name, false);
      if (ds.kind === 'error') throw ds;
      const read = fromTheFile(job, file, ds.value, plan);
      if (read.kind === 'error') throw read;
      const { info, format } = read.value;
      for (const { frame, slot } of slices) {
        const src = framePixels(ds.value, info, frame);
        if (src.kind === 'error') throw src;
        const dest = slotMemory(slot);
        const decoded = await decodeFrameAsync(info.transferSyntax, src.value, scratch ?? dest, format);
        if (decoded.kind === 'error') throw fail(decoded.code, `${info.name}: ${decoded.message}`);
        if (scratch && plan.rescale) rescaleToFloat32(scratch, dest, plan.format, plan.rescale[slot]);
        done++;
      }
      job.kept.delete(file);
      post({ type: 'progress', jobId, done, total: plan.slices.length, bytes: bytesRead, slots: slices.map((x) => x.slot) });
    }
  };
  // Every lane settles before the answer goes back: a failed job's memory returns to the pool, and
  // no lane may still be writing into it then.
  // The first failure is the one reported: stopping the others makes them fail too ('cancelled').
  let failure: { reason: unknown } | null = null;
  const stopAll = (e: unknown) => {
    failure ??= { reason: e };
    next = own.length;
    job.abort.abort();
  };
  await Promise.allSettled([...Array.from({ length: Math.min(SCAN_LANES, own.length) }, () => lane().catch(stopAll)), ...assisted.map((a) => a.catch(stopAll))]);
  if (failure) throw (failure as { reason: unknown }).reason;
}

/**
 * The header of a file as fetched, and the format to decode it with. Files adopted from DICOMweb
 * metadata are planned from the server's JSON, which does not know the transfer syntax nor carry
 * bulk data (a palette's tables): the instance itself is read now and checked against the plan
 * (io/dicom/instanceFormat.ts); its own format (colour conversion, palette) decodes it.
 */
function fromTheFile(job: Job, file: number, ds: DataSet, plan: PixelPlan): Result<{ info: DicomFileInfo; format: PixelPlan['format'] }> {
  const planned = job.infos.get(file)!;
  if (planned.transferSyntax) return ok({ info: planned, format: plan.format });
  const read = infoFromTags(dataSetTags(ds), file, planned.name);
  if (read.kind === 'error') return read;
  const got = read.value;
  const format = instanceFormat(planned, got, plan.format);
  if (format.kind === 'error') return format;
  const short = pixelDataShortfall(ds.elements.x7fe00010, got, ds.byteArray.length);
  if (short) return fail(short.code, short.message);
  job.infos.set(file, got);
  return ok({ info: got, format: format.value });
}

/** One plane decoded, windowed (the file's window, else its 2nd–98th percentile) and shrunk to fit `maxSize`. */
async function thumbnail(job: Job, m: ToDicom & { type: 'thumbnail' }): Promise<Thumbnail | undefined> {
  const info = job.infos.get(m.file);
  const bytes = await readBytes(job, m.file);
  if (!info || bytes.kind === 'error') return undefined;
  const ds = parseDataSet(bytes.value.bytes, info.name, false);
  if (ds.kind === 'error') return undefined;
  const src = framePixels(ds.value, info, m.frame);
  if (src.kind === 'error') return undefined;
  const { rows, columns } = info.planes[m.frame];
  // The frame as the series load holds it (colour converted to RGB), drawn by io/dicom/thumbnail.ts.
  const format = decodedPixelFormat(info.transferSyntax, m.format);
  const stored = storedDataType(format);
  if (stored.kind === 'error') return undefined;
  const frame = new Uint8Array(rows * columns * DATA_TYPES[stored.value.dataType].bytesPerVoxel);
  if ((await decodeFrameAsync(info.transferSyntax, src.value, frame, format)).kind === 'error') return undefined;
  return thumbnailRgba(frame, rows, columns, { ...stored.value, slope: m.slope, intercept: m.intercept, window: m.window, bitsStored: format.bitsStored, maxSize: m.maxSize });
}

scope.onmessage = (event: MessageEvent<ToDicom>) => {
  const m = event.data;
  switch (m.type) {
    case 'scan': {
      const job: Job = { files: m.files, infos: new Map(), kept: new Map(), abort: new AbortController() };
      jobs.set(m.jobId, job);
      void (async () => {
        // Several files in flight: a PACS or web server answers each request with latency.
        const results: ScanResult[] = [];
        let next = 0;
        let done = 0;
        const lane = async () => {
          while (next < m.files.length && !job.abort.signal.aborted) {
            const i = next++;
            results[i] = await scanOne(job, i);
            if (++done % 16 === 0 || done === m.files.length) post({ type: 'progress', jobId: m.jobId, done, total: m.files.length, bytes: 0 });
          }
        };
        await Promise.all(Array.from({ length: Math.min(SCAN_LANES, m.files.length) }, lane));
        post({ type: 'scanned', jobId: m.jobId, results: results.filter(Boolean) });
      })();
      break;
    }
    case 'assist': {
      isHelper = true;
      const job: Job = { files: m.files, infos: new Map(m.infos.map((info) => [info.file, info])), kept: new Map(m.kept), abort: new AbortController() };
      jobs.set(m.jobId, job);
      writePixels(m.jobId, job, m.plan, m.memories)
        .then(
          () => post({ type: 'assisted', jobId: m.jobId, transferSyntaxes: [...job.infos.values()].map((i): [number, string] => [i.file, i.transferSyntax]) }),
          (e: unknown) => {
            const error: LoadError = isLoadError(e) ? e : { code: 'internal', message: `DICOM decoder crashed: ${String(e)}` };
            post({ type: 'error', jobId: m.jobId, error: { code: error.code, message: error.message } });
          },
        )
        .finally(() => jobs.delete(m.jobId));
      break;
    }
    case 'adopt': {
      // A series planned from DICOMweb metadata: no scan, the pixel pass reads each instance once.
      jobs.set(m.jobId, { files: m.files, infos: new Map(m.infos.map((info) => [info.file, info])), kept: new Map(), abort: new AbortController() });
      break;
    }
    case 'pixels': {
      const job = jobs.get(m.jobId);
      // Lent ArrayBuffers go back with the answer; shared memory stays where it is.
      const lent = m.memories.filter((x): x is ArrayBuffer => x instanceof ArrayBuffer);
      const back = lent.length ? { memories: lent, transfer: lent } : { memories: undefined, transfer: [] };
      if (!job) {
        post({ type: 'error', jobId: m.jobId, error: { code: 'internal', message: 'INTERNAL ERROR: pixels before scan' }, memories: back.memories }, back.transfer);
        break;
      }
      writePixels(m.jobId, job, m.plan, m.memories).then(
        () => {
          const { datatype } = m.plan;
          const { channels, bytesPerVoxel } = DATA_TYPES[datatype];
          const arrays = m.memories.map((memory) => voxelView(datatype, memory, memory.byteLength / bytesPerVoxel));
          const shared = !lent.length;
          const transferSyntaxes = [...new Set(m.plan.slices.map((x) => job.infos.get(x.file)?.transferSyntax ?? ''))];
          // A series in slabs is drawn from a display level, whose exact stats replace these sampled ones.
          const stats = arrays.length > 1 ? sampleStats({ arrays, slabValues: arrays[0].length }, channels) : shared ? sampleStats(arrays[0], channels) : computeStats(arrays[0], channels, m.plan.dims);
          post({ type: 'pixels-done', jobId: m.jobId, stats, transferSyntaxes, memories: back.memories }, back.transfer);
          if (shared && arrays.length === 1) post({ type: 'stats', jobId: m.jobId, stats: withExactRange(stats, arrays[0], channels, m.plan.dims) });
          jobs.delete(m.jobId);
        },
        (e: unknown) => {
          const error: LoadError = isLoadError(e) ? e : { code: 'internal', message: `DICOM decoder crashed: ${String(e)}` };
          post({ type: 'error', jobId: m.jobId, error: { code: error.code, message: error.message }, memories: back.memories }, back.transfer);
          jobs.delete(m.jobId);
        },
      );
      break;
    }
    case 'thumbnail': {
      const job = jobs.get(m.jobId);
      void (job ? thumbnail(job, m) : Promise.resolve(undefined)).then(
        (picture) => post({ type: 'thumbnail', jobId: m.jobId, requestId: m.requestId, picture }, picture ? [picture.rgba.buffer] : []),
        () => post({ type: 'thumbnail', jobId: m.jobId, requestId: m.requestId }),
      );
      break;
    }
    case 'end': {
      jobs.get(m.jobId)?.abort.abort();
      jobs.delete(m.jobId);
      break;
    }
    default: {
      const never: never = m;
      throw new Error(`INTERNAL ERROR: unknown message ${JSON.stringify(never)}`);
    }
  }
};
