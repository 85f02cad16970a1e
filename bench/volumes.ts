// Benchmark volumes, generated (never committed) into bench/out/data and reused while present.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gzipSync as fflateGzip } from 'fflate';
import { encodeMgz } from '../src/io/decoders/mghWrite';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { encodeNrrd } from '../src/io/decoders/nrrdWrite';
import { noisyPhantom, samplePhantom, xorshift32 } from '../scripts/sample';

export interface BenchVolume {
  name: string;
  file: string;
  voxelBytes: number;
  /** Also measured in the multi-pane layouts (2x2 paging at 1024×768 panes, layout switches). */
  mpr?: boolean;
}

export interface Bench4DVolume extends BenchVolume {
  frames: number;
}

function write(dir: string, name: string, make: () => Uint8Array): string {
  const file = join(dir, name);
  if (!existsSync(file)) {
    const t0 = Date.now();
    writeFileSync(file, make());
    console.error(`  generated ${name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  return file;
}

const affineFor = (dims: number[], mm: number[]) => [mm[0], 0, 0, (-(dims[0] - 1) * mm[0]) / 2, 0, mm[1], 0, (-(dims[1] - 1) * mm[1]) / 2, 0, 0, mm[2], (-(dims[2] - 1) * mm[2]) / 2, 0, 0, 0, 1];

function int16Volume(dims: number[], mm: number[]): Uint8Array {
  const v = samplePhantom(dims);
  return gzipSync(encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(v.buffer), affine: affineFor(dims, mm), inter: -1024 }), { level: 6 });
}

/** The phantom over `frames` frames, each with its own intensity change inside the head (as in a perfusion series), so frames differ. */
function int16Volume4D(dims: number[], frames: number, mm: number[]): Uint8Array {
  const v = samplePhantom(dims);
  const out = new Int16Array(v.length * frames);
  for (let f = 0; f < frames; f++) {
    const gain = Math.round(60 * Math.sin((Math.PI * f) / Math.max(1, frames - 1)));
    for (let i = 0; i < v.length; i++) out[f * v.length + i] = v[i] > 24 ? v[i] + gain : v[i];
  }
  return gzipSync(encodeNifti({ dims: [...dims, frames], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(out.buffer), affine: affineFor(dims, mm), inter: -1024 }), { level: 6 });
}

function float32Volume(dims: number[], mm: number[]): Uint8Array {
  const v = samplePhantom(dims);
  const f = new Float32Array(v.length);
  const [nx, ny] = dims;
  // A smooth bias field on top of the phantom, as in MR intensities: not trivially compressible.
  for (let i = 0; i < v.length; i++) {
    const x = i % nx, y = Math.floor(i / nx) % ny;
    f[i] = (v[i] - 1024) * 0.001 * (1 + 0.1 * Math.sin(x * 0.05) * Math.cos(y * 0.04));
  }
  return gzipSync(encodeNifti({ dims, datatypeCode: 16, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(f.buffer), affine: affineFor(dims, mm) }), { level: 6 });
}

/**
 * A label map (uint8, intent_code 1002 NIFTI_INTENT_LABEL): `blobs` ellipsoids labelled 1…blobs,
 * of pseudo-random (seeded, so the same bytes every time) centres, radii and overlaps, over a
 * background of 0, inside the central ~80% of the grid.
 */
function labelVolume(dims: number[], mm: number[], blobs: number): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(nx * ny * nz);
  const rand = xorshift32(0x2545f491);

  const n = Math.min(nx, ny, nz);
  for (let label = 1; label <= blobs; label++) {
    const r = [0, 1, 2].map(() => Math.max(1.5, n * (0.03 + 0.09 * rand())));
    const c = dims.map((d) => d * (0.1 + 0.8 * rand()));
    const lo = c.map((x, a) => Math.max(0, Math.floor(x - r[a])));
    const hi = c.map((x, a) => Math.min(dims[a] - 1, Math.ceil(x + r[a])));
    for (let k = lo[2]; k <= hi[2]; k++)
      for (let j = lo[1]; j <= hi[1]; j++)
        for (let i = lo[0]; i <= hi[0]; i++) {
          const d = ((i - c[0]) / r[0]) ** 2 + ((j - c[1]) / r[1]) ** 2 + ((k - c[2]) / r[2]) ** 2;
          if (d <= 1) out[(k * ny + j) * nx + i] = label;
        }
  }
  return gzipSync(encodeNifti({ dims, datatypeCode: 2, bitpix: 8, bytesPerValue: 1, data: out, affine: affineFor(dims, mm), intentCode: 1002 }), { level: 6 });
}

export function benchVolumes(dir: string, opts: { smoke?: boolean } = {}): BenchVolume[] {
  mkdirSync(dir, { recursive: true });
  if (opts.smoke) {
    return [{ name: 'smoke int16 32³', file: write(dir, 'smoke_int16_32.nii.gz', () => int16Volume([32, 32, 32], [4, 4, 4])), voxelBytes: 32 ** 3 * 2, mpr: true }];
  }
  return [
    { name: 'int16 256³', file: write(dir, 'int16_256.nii.gz', () => int16Volume([256, 256, 256], [1, 1, 1])), voxelBytes: 256 ** 3 * 2, mpr: true },
    { name: 'float32 256³', file: write(dir, 'float32_256.nii.gz', () => float32Volume([256, 256, 256], [1, 1, 1])), voxelBytes: 256 ** 3 * 4 },
    { name: 'int16 512×512×300 (CT)', file: write(dir, 'ct_int16_512x512x300.nii.gz', () => int16Volume([512, 512, 300], [0.45, 0.45, 0.8])), voxelBytes: 512 * 512 * 300 * 2, mpr: true },
  ];
}

/** The 4D volume for the frame-switch figure (every frame resident in one texture in Voxlens). */
export function bench4DVolume(dir: string, opts: { smoke?: boolean } = {}): Bench4DVolume {
  mkdirSync(dir, { recursive: true });
  const dims = opts.smoke ? [16, 16, 8] : [128, 128, 64];
  const frames = opts.smoke ? 4 : 20;
  const mm = opts.smoke ? [4, 4, 4] : [1.5, 1.5, 2];
  const name = `${opts.smoke ? 'smoke ' : ''}int16 ${dims.join('×')}×${frames} (4D)`;
  const file = write(dir, `${opts.smoke ? 'smoke_' : ''}int16_4d_${dims.join('x')}x${frames}.nii.gz`, () => int16Volume4D(dims, frames, mm));
  return { name, file, voxelBytes: dims.reduce((a, b) => a * b, 1) * frames * 2, frames };
}

/**
 * The probing and measurement figures' volumes. `layers`: three layers on one grid (the int16
 * phantom, a float32 map and a label map) loaded together for the pointer → panel figure with a
 * profile plot open; `roi`: the volume ROI statistics are timed on (the CT; in a smoke run the
 * tiny int16 one); `labels`: the label map whose volumes per label are counted.
 */
export interface BenchMeasureVolumes {
  layers: BenchVolume[];
  roi: BenchVolume;
  labels: BenchVolume & { blobs: number };
}

export function benchMeasureVolumes(dir: string, opts: { smoke?: boolean } = {}): BenchMeasureVolumes {
  mkdirSync(dir, { recursive: true });
  const [base, float, roi] = opts.smoke
    ? [
        { name: 'smoke int16 32³', file: write(dir, 'smoke_int16_32.nii.gz', () => int16Volume([32, 32, 32], [4, 4, 4])), voxelBytes: 32 ** 3 * 2 },
        { name: 'smoke float32 32³', file: write(dir, 'smoke_float32_32.nii.gz', () => float32Volume([32, 32, 32], [4, 4, 4])), voxelBytes: 32 ** 3 * 4 },
        null,
      ]
    : [
        { name: 'int16 256³', file: write(dir, 'int16_256.nii.gz', () => int16Volume([256, 256, 256], [1, 1, 1])), voxelBytes: 256 ** 3 * 2 },
        { name: 'float32 256³', file: write(dir, 'float32_256.nii.gz', () => float32Volume([256, 256, 256], [1, 1, 1])), voxelBytes: 256 ** 3 * 4 },
        { name: 'int16 512×512×300 (CT)', file: write(dir, 'ct_int16_512x512x300.nii.gz', () => int16Volume([512, 512, 300], [0.45, 0.45, 0.8])), voxelBytes: 512 * 512 * 300 * 2 },
      ];
  const side = opts.smoke ? 32 : 256;
  const mm = opts.smoke ? 4 : 1;
  const blobs = opts.smoke ? 6 : 50;
  const labels = {
    name: `${opts.smoke ? 'smoke ' : ''}uint8 ${side}³ label map`,
    file: write(dir, `${opts.smoke ? 'smoke_' : ''}labels_uint8_${side}.nii.gz`, () => labelVolume([side, side, side], [mm, mm, mm], blobs)),
    voxelBytes: side ** 3,
    blobs,
  };
  return { layers: [base, float, labels], roi: roi ?? base, labels };
}

/** The formats figure's formats, in table order (.nii.gz first: the others are compared with it). */
export const BENCH_FORMATS = ['nii.gz', 'nrrd', 'mgz'] as const;
export type BenchFormat = (typeof BENCH_FORMATS)[number];

/**
 * One volume written in every BENCH_FORMATS format: the same voxels (int16, unscaled, x fastest)
 * and the same voxel → RAS mm affine in each, every file gzipped by the same compressor (fflate,
 * its default level 6, as nrrdWrite and mghWrite use). `checks`: voxels whose stored values every
 * reader must give back.
 */
export interface BenchFormatVolume {
  name: string;
  dims: number[];
  voxelBytes: number;
  /** Voxel → RAS mm, 4×4 row-major (as voxlens.layers()[n].affine). */
  affine: number[][];
  files: { format: BenchFormat; file: string; bytes: number; note: string }[];
  checks: { ijk: [number, number, number]; raw: number }[];
}

/**
 * The phantom in Hounsfield-like units stored directly as int16 (no scaling: NRRD and MGH have
 * none), made realistic-ish so gzip has work to do: inside the head a smooth intensity drift
 * (±25) and noise of σ ≈ 8, outside it noise of σ ≈ 3 around −1000 (seeded: the same bytes every time).
 * About 2.5–3× compressible by gzip; the single-view figures' phantom, piecewise constant, is ~140×.
 */
function noisyHuVolume(dims: number[]): Int16Array {
  const out = new Int16Array(dims[0] * dims[1] * dims[2]);
  noisyPhantom(dims, 0x9e3779b9, (n, value) => (out[n] = Math.round(value) - 1024));
  return out;
}

export function benchFormatVolume(dir: string, opts: { smoke?: boolean } = {}): BenchFormatVolume {
  mkdirSync(dir, { recursive: true });
  const side = opts.smoke ? 32 : 256;
  const mm = opts.smoke ? 4 : 1;
  const dims = [side, side, side];
  // Centred on the origin, RAS-aligned: i → R, j → A, k → S.
  const o = (-(side - 1) * mm) / 2;
  const affine = [[mm, 0, 0, o], [0, mm, 0, o], [0, 0, mm, o], [0, 0, 0, 1]];
  const stem = `${opts.smoke ? 'smoke_' : ''}formats_int16_${side}_noisy`;
  let voxels: Uint8Array | undefined;
  const data = () => (voxels ??= new Uint8Array(noisyHuVolume(dims).buffer));
  const files = [
    {
      format: 'nii.gz' as const,
      note: 'NIfTI-1, little-endian, sform',
      file: write(dir, `${stem}.nii.gz`, () => fflateGzip(encodeNifti({ dims, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: data(), affine: affine.flat() }))),
    },
    {
      // LPS space directions: the same RAS grid, its i and j axes pointing to the patient's left
      // and posterior negated (−R = L, −A = P). Little-endian like the NIfTI, so neither needs a byte swap.
      format: 'nrrd' as const,
      note: 'attached, gzip encoding, little-endian, LPS space directions',
      file: write(dir, `${stem}.nrrd`, () =>
        encodeNrrd({
          type: 'short',
          sizes: dims,
          data: data(),
          endian: 'little',
          encoding: 'gzip',
          space: 'left-posterior-superior',
          directions: [[-mm, 0, 0], [0, -mm, 0], [0, 0, mm]],
          origin: [-o, -o, o],
          kinds: ['domain', 'domain', 'domain'],
        }),
      ),
    },
    {
      // FreeSurfer's vox2ras puts c_ras at voxel dims / 2: o + side / 2 · mm = mm / 2.
      format: 'mgz' as const,
      note: 'MGH type 4 (MRI_SHORT), big-endian as MGH always is, gzipped whole',
      file: write(dir, `${stem}.mgz`, () => encodeMgz({ dims, type: 4, bytesPerValue: 2, data: data(), delta: [mm, mm, mm], mdc: [1, 0, 0, 0, 1, 0, 0, 0, 1], cras: [mm / 2, mm / 2, mm / 2] })),
    },
  ].map((f) => ({ ...f, bytes: readFileSync(f.file).length }));
  // The expected values, from the NIfTI (its voxels start at byte 352) when the files were already there.
  const nii = readFileSync(files[0].file);
  const voxelsOf = voxels ?? new Uint8Array(gunzipSync(nii).subarray(352));
  const view = new DataView(voxelsOf.buffer, voxelsOf.byteOffset, voxelsOf.byteLength);
  const c = side / 2;
  const points: [number, number, number][] = [[c, c, c], [c - side / 8, c + side / 16, c + side / 4], [side / 4, side / 3, side / 2 - 3], [1, 2, 3], [side - 1, side - 2, side - 3]].map((p) => p.map(Math.floor) as [number, number, number]);
  const checks = points.map((ijk) => ({ ijk, raw: view.getInt16(2 * ((ijk[2] * side + ijk[1]) * side + ijk[0]), true) }));
  return { name: `${opts.smoke ? 'smoke ' : ''}int16 ${side}³ noisy phantom`, dims, voxelBytes: side ** 3 * 2, affine, files, checks };
}

/**
 * The memory figure's volumes (bench/memory.ts): the single-view int16 phantom at 256³ and at
 * 512³ (256 MiB of voxels), for the renderer's peak rise over the voxel bytes while one loads.
 */
export function benchMemoryVolumes(dir: string, opts: { smoke?: boolean } = {}): BenchVolume[] {
  mkdirSync(dir, { recursive: true });
  if (opts.smoke) return [{ name: 'smoke int16 32³', file: write(dir, 'smoke_int16_32.nii.gz', () => int16Volume([32, 32, 32], [4, 4, 4])), voxelBytes: 32 ** 3 * 2 }];
  return [
    { name: 'int16 256³', file: write(dir, 'int16_256.nii.gz', () => int16Volume([256, 256, 256], [1, 1, 1])), voxelBytes: 256 ** 3 * 2 },
    { name: 'int16 512³', file: write(dir, 'int16_512.nii.gz', () => int16Volume([512, 512, 512], [0.5, 0.5, 0.5])), voxelBytes: 512 ** 3 * 2 },
  ];
}
