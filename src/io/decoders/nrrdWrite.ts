// Writes NRRD files (attached .nrrd bytes, or a detached header with its data files) for tests,
// the benchmark and the fuzzer. fflate rather than node:zlib, so the browser bench can use it too.
import { gzipSync } from 'fflate';
import { DATA_TYPES, swapBytesInPlace } from '../../volume/dataTypes';
import { nrrdDataFiles, nrrdDataType } from './nrrd';

export interface NrrdWriteOptions {
  /** The type name as written ("uint8", "short", "float", or a refused one such as "block"). */
  type: string;
  sizes: number[];
  /** Voxel bytes in the host's (little-endian) order; swapped when `endian` is 'big'. */
  data: Uint8Array;
  /** Omitted: no endian field (right for 1-byte types). */
  endian?: 'little' | 'big';
  /** Default 'raw'. Any other name (bzip2, ascii) is written as given, with the data raw. */
  encoding?: string;
  /** A named space ("left-posterior-superior"), or with `spaceDimension` alone, an unnamed one. */
  space?: string;
  spaceDimension?: number;
  /** `space directions`, one per axis: a vector, or 'none' for a non-spatial axis; written as given (NaN too). */
  spaceDirections?: (number[] | 'none')[];
  /** `space origin`. */
  spaceOrigin?: number[];
  /** Short names for spaceDirections and spaceOrigin (the e2e fixtures use them). */
  directions?: (number[] | 'none')[];
  origin?: number[];
  spacings?: number[];
  axisMins?: number[];
  kinds?: string[];
  content?: string;
  /** Filler lines written before the data (each "skip\n"), and the field saying so. */
  lineSkip?: number;
  /** Zero bytes before the voxels (inside the gzip stream for gzip); -1 puts 16 filler bytes first. */
  byteSkip?: number;
  /** Lines added to the header as they are (comments, key:=value pairs, broken fields). */
  extraLines?: string[];
  /** Required fields to leave out, to test their absence. */
  omit?: ('type' | 'dimension' | 'sizes' | 'encoding' | 'endian')[];
  /** Line ending: '\r\n' for a header written on Windows. */
  eol?: '\n' | '\r\n';
  /**
   * Detached: the data files the header names, the voxels split evenly over them in order. One
   * name; several (the `LIST` form); or a printf pattern with min, max and step.
   */
  dataFile?: NrrdDataFileSpec;
}

export type NrrdDataFileSpec = string | string[] | { pattern: string; min: number; max: number; step: number };

export interface NrrdDetached {
  header: Uint8Array;
  /** Stored bytes by file name, in the header's order. */
  dataFiles: Record<string, Uint8Array>;
}

const vec = (v: readonly number[]) => `(${v.map((x) => (Number.isNaN(x) ? 'nan' : String(x))).join(',')})`;
const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

function headerLines(o: NrrdWriteOptions): string[] {
  const omit = new Set(o.omit ?? []);
  const lines = ['NRRD0005', '# Written by Voxlens nrrdWrite'];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined && !omit.has(name as 'type')) lines.push(`${name}: ${value}`);
  };
  add('type', o.type);
  add('dimension', String(o.sizes.length));
  add('sizes', o.sizes.join(' '));
  add('encoding', o.encoding ?? 'raw');
  add('endian', o.endian);
  add('content', o.content);
  add('space', o.space);
  add('space dimension', o.spaceDimension?.toString());
  add('space directions', (o.spaceDirections ?? o.directions)?.map((d) => (d === 'none' ? 'none' : vec(d))).join(' '));
  const origin = o.spaceOrigin ?? o.origin;
  add('space origin', origin && vec(origin));
  add('spacings', o.spacings?.map((s) => (Number.isNaN(s) ? 'nan' : String(s))).join(' '));
  add('axis mins', o.axisMins?.join(' '));
  add('kinds', o.kinds?.join(' '));
  add('line skip', o.lineSkip?.toString());
  add('byte skip', o.byteSkip?.toString());
  lines.push(...(o.extraLines ?? []));
  return lines;
}

/** The stored bytes of one run of voxels: skipped lines, skipped bytes, then the (encoded) data. */
function stored(o: NrrdWriteOptions, data: Uint8Array): Uint8Array {
  const skipBytes = o.byteSkip === -1 ? 16 : Math.max(0, o.byteSkip ?? 0);
  const body = new Uint8Array(skipBytes + data.length);
  if (o.byteSkip === -1) body.fill(0x5a, 0, skipBytes);
  body.set(data, skipBytes);
  const encoded = o.encoding === 'gzip' ? gzipSync(body) : body;
  const lines = text('skip\n'.repeat(Math.max(0, o.lineSkip ?? 0)));
  const out = new Uint8Array(lines.length + encoded.length);
  out.set(lines);
  out.set(encoded, lines.length);
  return out;
}

function fileData(o: NrrdWriteOptions): Uint8Array {
  const data = o.data.slice();
  const type = nrrdDataType(o.type);
  if (o.endian === 'big' && type) swapBytesInPlace(data, DATA_TYPES[type].bytesPerValue);
  return data;
}

export function encodeNrrd(o: NrrdWriteOptions & { dataFile: NrrdDataFileSpec }): NrrdDetached;
export function encodeNrrd(o: NrrdWriteOptions & { dataFile?: undefined }): Uint8Array;
export function encodeNrrd(o: NrrdWriteOptions): Uint8Array | NrrdDetached;
export function encodeNrrd(o: NrrdWriteOptions): Uint8Array | NrrdDetached {
  const eol = o.eol ?? '\n';
  const lines = headerLines(o);
  const data = fileData(o);
  const spec = o.dataFile;
  if (spec === undefined) {
    const header = text(lines.join(eol) + eol + eol);
    const body = stored(o, data);
    const out = new Uint8Array(header.length + body.length);
    out.set(header);
    out.set(body, header.length);
    return out;
  }
  let names: string[];
  if (typeof spec === 'string') {
    lines.push(`data file: ${spec}`);
    names = [spec];
  } else if (Array.isArray(spec)) {
    lines.push('data file: LIST', ...spec);
    names = spec;
  } else {
    const field = `data file: ${spec.pattern} ${spec.min} ${spec.max} ${spec.step}`;
    lines.push(field);
    names = nrrdDataFiles(`NRRD0005\n${field}\n`) ?? [];
  }
  const per = Math.floor(data.length / Math.max(1, names.length));
  return {
    // Teem ends a detached header with a blank line too; readers must also take one without.
    header: text(lines.join(eol) + eol + eol),
    dataFiles: Object.fromEntries(names.map((name, k) => [name, stored(o, data.subarray(k * per, (k + 1) * per))])),
  };
}
