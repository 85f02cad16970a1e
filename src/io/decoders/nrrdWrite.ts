// Writes NRRD files (attached .nrrd bytes, or a detached header with its data files) for tests,
// the benchmark and the fuzzer. fflate rather than node:zlib, so the browser bench can use it too.
import { gzipSync } from 'fflate';
import { DATA_TYPES, swapBytesInPlace } from '../../volume/dataTypes';
import { nrrdDataType } from './nrrd';

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
  /** One per axis: a vector, or 'none' for a non-spatial axis; written as given (NaN too). */
  spaceDirections?: (number[] | 'none')[];
  spaceOrigin?: number[];
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
}

export interface NrrdDetachedOptions {
  /** How the header names the files: one name, `LIST`, or a `%d` pattern (files numbered from 1). */
  form: 'single' | 'list' | 'pattern';
  /** How many files the voxels are split into (evenly, in file order). Default 1. */
  files?: number;
  /** Base of the data files' names; default "data". */
  base?: string;
}

export interface NrrdDetached {
  header: Uint8Array;
  dataFiles: { name: string; bytes: Uint8Array }[];
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
  add('space directions', o.spaceDirections?.map((d) => (d === 'none' ? 'none' : vec(d))).join(' '));
  add('space origin', o.spaceOrigin && vec(o.spaceOrigin));
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

export function encodeNrrd(o: NrrdWriteOptions): Uint8Array;
export function encodeNrrd(o: NrrdWriteOptions, detached: NrrdDetachedOptions): NrrdDetached;
export function encodeNrrd(o: NrrdWriteOptions, detached?: NrrdDetachedOptions): Uint8Array | NrrdDetached {
  const eol = o.eol ?? '\n';
  const lines = headerLines(o);
  const data = fileData(o);
  if (!detached) {
    const header = text(lines.join(eol) + eol + eol);
    const body = stored(o, data);
    const out = new Uint8Array(header.length + body.length);
    out.set(header);
    out.set(body, header.length);
    return out;
  }
  const count = detached.files ?? 1;
  const base = detached.base ?? 'data';
  const ext = o.encoding === 'gzip' ? 'raw.gz' : 'raw';
  const names = Array.from({ length: count }, (_, k) => (detached.form === 'pattern' ? `${base}${String(k + 1).padStart(3, '0')}.${ext}` : count === 1 ? `${base}.${ext}` : `${base}${k + 1}.${ext}`));
  if (detached.form === 'single') lines.push(`data file: ${names[0]}`);
  else if (detached.form === 'pattern') lines.push(`data file: ${base}%03d.${ext} 1 ${count} 1`);
  else lines.push('data file: LIST', ...names);
  const per = data.length / count;
  return {
    // Detached headers often end without the blank line; write it, as teem does.
    header: text(lines.join(eol) + eol + eol),
    dataFiles: names.map((name, k) => ({ name, bytes: stored(o, data.subarray(k * per, (k + 1) * per)) })),
  };
}
