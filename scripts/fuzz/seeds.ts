// The volumes the corpus mutates: the files of ../shared/data when present, small volumes made in
// memory always (so the unit test has a corpus without the shared data), and "minis": each real
// file with its own header (byte order, extensions, NRRD fields, MGH footer) but dims cut to a few
// voxels, so thousands of random mutations decode in seconds.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encodeMgh } from '../../src/io/decoders/mghWrite';
import { encodeNifti } from '../../src/io/decoders/niftiWrite';
import { encodeNrrd } from '../../src/io/decoders/nrrdWrite';
import { MGH_FIELDS, mghLayout, NiftiFields, niftiInfo, niftiLayout, nrrdJoin, nrrdLayout, nrrdSplit, nrrdWith } from './formats';
import { gzip } from './gzip';
import type { Seed } from './types';

const isGzip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const SEED_FILE = /\.(nii|nii\.gz|nrrd|nhdr|mgh|mgz)$/i;

export function makeSeed(name: string, fileName: string, stored: Uint8Array, origin: Seed['origin']): Seed {
  const gz = isGzip(stored);
  const content = gz ? new Uint8Array(gunzipSync(stored)) : stored;
  const isNrrd = content.length >= 4 && String.fromCharCode(...content.subarray(0, 4)) === 'NRRD';
  const nifti = isNrrd ? null : niftiInfo(content);
  const layout = isNrrd ? nrrdLayout(content) : nifti ? niftiLayout(content) : mghLayout(content);
  if (!layout) throw new Error(`fuzz corpus: ${name} is not a NIfTI, NRRD or MGH file this generator understands`);
  const format = isNrrd ? 'nrrd' : nifti ? (nifti.version === 1 ? 'nifti1' : 'nifti2') : 'mgh';
  return { name, fileName, format, gz, stored, content, layout, origin };
}

/** The NIfTI, NRRD and MGH/MGZ files of `dir` (detached .nhdr headers are left out: no data file). */
export function sharedSeeds(dir: string): Seed[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => SEED_FILE.test(f) && !f.endsWith('.nhdr') && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => makeSeed(f, f, new Uint8Array(readFileSync(join(dir, f))), 'shared'));
}

/** Bytes 0, 1, 2, … mixed so that neighbouring voxels differ (deterministic). */
const ramp = (n: number) => new Uint8Array(n).map((_, i) => (i * 37 + (i >> 3)) & 0xff);

export function syntheticSeeds(): Seed[] {
  const s: Seed[] = [];
  const add = (name: string, bytes: Uint8Array, gz: boolean) => s.push(makeSeed(name, name, gz ? gzip(bytes) : bytes, 'synthetic'));
  const oblique = [0.9, 0.1, 0, -12, -0.1, 1.1, 0.05, 7, 0, 0, 2, 30.5, 0, 0, 0, 1];
  add('syn-int16-le.nii', encodeNifti({ dims: [6, 5, 4], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: ramp(6 * 5 * 4 * 2), affine: oblique }), false);
  const qform = { quatern: [0, 0, 0.38268343] as [number, number, number], offset: [-10, 5, 2] as [number, number, number], qfac: -1 as const };
  const floats = new Float32Array(5 * 4 * 3 * 2).map((_, i) => i * 0.25 - 7);
  add(
    'syn-float32-be-qform.nii.gz',
    encodeNifti({ dims: [5, 4, 3, 2], datatypeCode: 16, bitpix: 32, bytesPerValue: 4, littleEndian: false, data: new Uint8Array(floats.buffer), qform, pixdim: [-1, 2, 2, 3, 1, 1, 1, 1] }),
    true,
  );
  add('syn-nifti2-ext.nii.gz', encodeNifti({ version: 2, dims: [7, 6, 5], datatypeCode: 2, bitpix: 8, data: ramp(7 * 6 * 5), extensionBytes: 32 }), true);
  add('syn-rgb24.nii', encodeNifti({ dims: [4, 4, 3], datatypeCode: 128, bitpix: 24, data: ramp(4 * 4 * 3 * 3) }), false);
  // MGH footer: TR, flip angle, TE, TI, FoV (float32 big-endian).
  const trailer = new Uint8Array(20);
  [2300, 0.15, 2.98, 900, 256].forEach((v, i) => new DataView(trailer.buffer).setFloat32(4 * i, v));
  add('syn-uchar.mgz', encodeMgh({ dims: [8, 7, 6], type: 0, data: ramp(8 * 7 * 6), trailer, delta: [1, 1.2, 1.5], cras: [1.5, -2, 3] }), true);
  const mghFloats = new Float32Array(5 * 5 * 4 * 2).map((_, i) => i / 3 - 20);
  add('syn-float-2frames.mgh', encodeMgh({ dims: [5, 5, 4, 2], type: 3, data: new Uint8Array(mghFloats.buffer), bytesPerValue: 4 }), false);
  const space = { space: 'left-posterior-superior', directions: [[1.5, 0, 0], [0, 1.5, 0.1], [0, 0, 2]], origin: [10, -20, 30.5], kinds: ['domain', 'domain', 'domain'] };
  add('syn-int16-raw.nrrd', encodeNrrd({ type: 'short', sizes: [6, 5, 4], endian: 'little', data: ramp(6 * 5 * 4 * 2), ...space }), false);
  add('syn-uchar-gzip.nrrd', encodeNrrd({ type: 'unsigned char', sizes: [8, 7, 6], encoding: 'gzip', data: ramp(8 * 7 * 6), ...space }), false);
  const nrrdFloats = new Float32Array(5 * 4 * 3).map((_, i) => i * 1.5 - 9);
  add('syn-float-big-raw.nrrd', encodeNrrd({ type: 'float', sizes: [5, 4, 3], endian: 'big', data: new Uint8Array(nrrdFloats.buffer), ...space }), false);
  return s;
}

const MINI_XYZ = 6;
const MINI_T = 2;

/** Voxel bytes from the middle of the seed's volume (where the data is not all background). */
function middle(voxels: Uint8Array, bytes: number, bpv: number): Uint8Array {
  const start = Math.max(0, Math.floor((voxels.length - bytes) / 2 / bpv) * bpv);
  return voxels.slice(start, start + bytes);
}

/** The seed with dims cut to at most 6 × 6 × 6 × 2 voxels, header otherwise as it was. */
export function miniSeed(seed: Seed): Seed | null {
  if (seed.origin !== 'shared') return null;
  const { content, layout } = seed;
  let bytes: Uint8Array;
  if (seed.format === 'nifti1' || seed.format === 'nifti2') {
    const info = niftiInfo(content);
    if (!info) return null;
    const head = content.slice(0, layout.voxStart);
    const f = new NiftiFields(head, info.version, info.littleEndian);
    const dims = info.dims.map((d, i) => Math.min(d, i < 3 ? MINI_XYZ : MINI_T));
    dims.forEach((d, i) => f.dim(i + 1, d));
    const n = dims.reduce((a, d) => a * d, 1) * layout.bytesPerVoxel;
    bytes = new Uint8Array(head.length + n);
    bytes.set(head);
    bytes.set(middle(content.subarray(layout.voxStart, layout.voxEnd), n, layout.bytesPerVoxel), head.length);
  } else if (seed.format === 'mgh') {
    const head = content.slice(0, layout.voxStart);
    const dv = new DataView(head.buffer);
    const dims = [0, 1, 2, 3].map((i) => Math.min(dv.getInt32(MGH_FIELDS.width + 4 * i), i < 3 ? MINI_XYZ : MINI_T));
    dims.forEach((d, i) => dv.setInt32(MGH_FIELDS.width + 4 * i, d));
    const n = dims.reduce((a, d) => a * d, 1) * layout.bytesPerVoxel;
    const footer = content.subarray(layout.voxEnd);
    bytes = new Uint8Array(head.length + n + footer.length);
    bytes.set(head);
    bytes.set(middle(content.subarray(layout.voxStart, layout.voxEnd), n, layout.bytesPerVoxel), head.length);
    bytes.set(footer, head.length + n);
  } else {
    const split = nrrdSplit(content);
    if (!split) return null;
    const sizes = (split.header.lines.find((l) => l.startsWith('sizes:')) ?? '').slice(6).trim().split(/\s+/).map(Number);
    const small = sizes.map((s, i) => Math.min(s, i < 3 ? MINI_XYZ : MINI_T));
    const n = small.reduce((a, s) => a * s, 1) * layout.bytesPerVoxel;
    const gz = layout.encoding === 'gzip' || layout.encoding === 'gz';
    if (!gz && layout.encoding !== 'raw') return null;
    const decoded = gz ? new Uint8Array(gunzipSync(split.data)) : split.data;
    const data = middle(decoded.subarray(0, layout.voxelBytes), n, layout.bytesPerVoxel);
    bytes = nrrdJoin(nrrdWith(split.header, 'sizes', small.join(' ')), gz ? gzip(data) : data);
  }
  return makeSeed(`${seed.name}~mini`, seed.fileName, seed.gz ? gzip(bytes) : bytes, 'mini');
}
