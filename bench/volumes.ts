// Benchmark volumes, generated (never committed) into bench/out/data and reused while present.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { samplePhantom } from '../scripts/sample';

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
  let seed = 0x2545f491;
  const rand = () => {
    // xorshift32
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
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
