// Just enough of NIfTI, MGH and NRRD to find a file's structural boundaries and edit its header
// fields, written apart from the decoders under test (src/io/decoders) so the corpus does not
// share their mistakes.
import { NIFTI_LAYOUT } from '../../src/io/decoders/niftiLayout';
import type { Layout } from './types';

const ascii = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);

// ---------- NIfTI ----------

export interface NiftiInfo {
  version: 1 | 2;
  littleEndian: boolean;
  rank: number;
  dims: number[];
  bitpix: number;
  voxOffset: number;
  sformCode: number;
  qformCode: number;
}

export function niftiInfo(b: Uint8Array): NiftiInfo | null {
  if (b.length < 4) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (const le of [true, false]) {
    const size = dv.getInt32(0, le);
    const version = size === 348 ? 1 : size === 540 ? 2 : 0;
    if (!version || b.length < size) continue;
    const at = NIFTI_LAYOUT[version];
    const int = (o: number) => (version === 1 ? dv.getInt16(o, le) : Number(dv.getBigInt64(o, le)));
    const code = (o: number) => (version === 1 ? dv.getInt16(o, le) : dv.getInt32(o, le));
    const dims: number[] = [];
    for (let i = 0; i < 8; i++) dims.push(int(at.dim + i * at.intBytes));
    return {
      version,
      littleEndian: le,
      rank: dims[0],
      dims: dims.slice(1, dims[0] + 1),
      bitpix: dv.getInt16(at.bitpix, le),
      voxOffset: version === 1 ? dv.getFloat32(at.voxOffset, le) : Number(dv.getBigInt64(at.voxOffset, le)),
      sformCode: code(at.scode),
      qformCode: code(at.qcode),
    };
  }
  return null;
}

/** Typed writes into a NIfTI header (a copy), in the file's own byte order and field widths. */
export class NiftiFields {
  readonly at: (typeof NIFTI_LAYOUT)[1 | 2];
  private readonly dv: DataView;
  constructor(
    bytes: Uint8Array,
    readonly version: 1 | 2,
    readonly le: boolean,
  ) {
    this.at = NIFTI_LAYOUT[version];
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** dim[i] (i = 0 is the rank); int16 in NIfTI-1 (the value wraps as a C cast would), int64 in NIfTI-2. */
  dim(i: number, v: number | bigint): void {
    const o = this.at.dim + i * this.at.intBytes;
    if (this.version === 1) this.dv.setInt16(o, Number(v), this.le);
    else this.dv.setBigInt64(o, BigInt.asIntN(64, BigInt(v)), this.le);
  }
  /** A float field (float32 in NIfTI-1, float64 in NIfTI-2), `index` floats after `offset`. */
  float(offset: number, v: number, index = 0): void {
    const o = offset + index * this.at.floatBytes;
    if (this.version === 1) this.dv.setFloat32(o, v, this.le);
    else this.dv.setFloat64(o, v, this.le);
  }
  voxOffset(v: number | bigint): void {
    if (this.version === 1) this.dv.setFloat32(this.at.voxOffset, Number(v), this.le);
    else this.dv.setBigInt64(this.at.voxOffset, BigInt.asIntN(64, BigInt(v)), this.le);
  }
  int16(offset: number, v: number): void {
    this.dv.setInt16(offset, v, this.le);
  }
  int32(offset: number, v: number): void {
    this.dv.setInt32(offset, v, this.le);
  }
  /** qform_code / sform_code / intent_code: int16 in NIfTI-1, int32 in NIfTI-2. */
  code(offset: number, v: number): void {
    if (this.version === 1) this.dv.setInt16(offset, v, this.le);
    else this.dv.setInt32(offset, v, this.le);
  }
}

// ---------- MGH (big-endian, 284-byte header) ----------

export const MGH_HEADER_BYTES = 284;
export const MGH_FIELDS = { version: 0, width: 4, height: 8, depth: 12, frames: 16, type: 20, dof: 24, goodRAS: 28, delta: 30, mdc: 42, cras: 78 } as const;
export const MGH_TYPE_BYTES: Record<number, number> = { 0: 1, 1: 4, 3: 4, 4: 2 };

export function mghLayout(b: Uint8Array): Layout | null {
  if (b.length < MGH_HEADER_BYTES) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getInt32(0) !== 1) return null;
  const bpv = MGH_TYPE_BYTES[dv.getInt32(MGH_FIELDS.type)];
  if (!bpv) return null;
  let n = 1;
  for (let i = 0; i < 4; i++) n *= dv.getInt32(MGH_FIELDS.width + 4 * i);
  const voxelBytes = n * bpv;
  return { headerEnd: MGH_HEADER_BYTES, voxStart: MGH_HEADER_BYTES, voxEnd: MGH_HEADER_BYTES + voxelBytes, voxelBytes, bytesPerVoxel: bpv, littleEndian: false };
}

// ---------- NRRD (text header, blank line, data) ----------

const NRRD_TYPE_BYTES: [RegExp, number][] = [
  [/^(signed char|int8|int8_t|uchar|unsigned char|uint8|uint8_t)$/, 1],
  [/^(short|short int|signed short|signed short int|int16|int16_t|ushort|unsigned short|unsigned short int|uint16|uint16_t)$/, 2],
  [/^(int|signed int|int32|int32_t|uint|unsigned int|uint32|uint32_t|float)$/, 4],
  [/^(longlong|long long|long long int|signed long long|signed long long int|int64|int64_t|ulonglong|unsigned long long|unsigned long long int|uint64|uint64_t|double)$/, 8],
];

export const nrrdTypeBytes = (type: string): number | undefined => NRRD_TYPE_BYTES.find(([re]) => re.test(type.trim()))?.[1];

/** Index one past the blank line that ends a NRRD header, or -1. */
export function nrrdHeaderEnd(b: Uint8Array): number {
  for (let i = 1; i < b.length; i++) {
    if (b[i] !== 0x0a) continue;
    if (b[i - 1] === 0x0a) return i + 1;
    if (b[i - 1] === 0x0d && i >= 3 && b[i - 2] === 0x0a) return i + 1;
  }
  return -1;
}

export interface NrrdHeader {
  /** The lines of the header without the magic line and the blank line. */
  magic: string;
  lines: string[];
}

export function nrrdSplit(b: Uint8Array): { header: NrrdHeader; data: Uint8Array } | null {
  const end = nrrdHeaderEnd(b);
  if (end < 0) return null;
  const lines = text(b.subarray(0, end)).replace(/\r/g, '').split('\n');
  const magic = lines.shift() ?? '';
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return { header: { magic, lines }, data: b.subarray(end) };
}

export const nrrdField = (h: NrrdHeader, key: string): string | undefined => {
  const line = h.lines.find((l) => l.toLowerCase().startsWith(`${key}:`));
  return line?.slice(key.length + 1).trim();
};

export function nrrdJoin(h: NrrdHeader, data: Uint8Array): Uint8Array {
  const head = ascii(`${h.magic}\n${h.lines.map((l) => `${l}\n`).join('')}\n`);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

/** A copy of the header with `key`'s line replaced by `value` (added when absent; removed when null). */
export function nrrdWith(h: NrrdHeader, key: string, value: string | null): NrrdHeader {
  const i = h.lines.findIndex((l) => l.toLowerCase().startsWith(`${key}:`));
  const lines = [...h.lines];
  if (value === null) {
    if (i >= 0) lines.splice(i, 1);
  } else if (i >= 0) lines[i] = `${key}: ${value}`;
  else lines.push(`${key}: ${value}`);
  return { magic: h.magic, lines };
}

export function nrrdLayout(b: Uint8Array): Layout | null {
  const split = nrrdSplit(b);
  if (!split) return null;
  const { header } = split;
  const sizes = (nrrdField(header, 'sizes') ?? '').split(/\s+/).map(Number);
  const bpv = nrrdTypeBytes(nrrdField(header, 'type') ?? '');
  if (!bpv || !sizes.length || sizes.some((s) => !(s > 0))) return null;
  const encoding = (nrrdField(header, 'encoding') ?? 'raw').toLowerCase();
  const start = b.length - split.data.length;
  const voxelBytes = sizes.reduce((a, s) => a * s, 1) * bpv;
  return {
    headerEnd: start,
    voxStart: start,
    voxEnd: encoding === 'raw' ? start + voxelBytes : b.length,
    voxelBytes,
    bytesPerVoxel: bpv,
    littleEndian: (nrrdField(header, 'endian') ?? 'little') !== 'big',
    encoding,
  };
}

export function niftiLayout(b: Uint8Array): Layout | null {
  const info = niftiInfo(b);
  if (!info) return null;
  const bytesPerVoxel = info.bitpix / 8;
  const voxelBytes = info.dims.reduce((a, d) => a * d, 1) * bytesPerVoxel;
  const headerEnd = NIFTI_LAYOUT[info.version].headerBytes;
  return { headerEnd, voxStart: info.voxOffset, voxEnd: info.voxOffset + voxelBytes, voxelBytes, bytesPerVoxel, littleEndian: info.littleEndian };
}
