// The built-in sample: a 3D modified Shepp–Logan head phantom, stored as CT-like int16
// (raw = HU + 1024, scl_inter −1024, so scaled values are Hounsfield-like units).
// Deterministic: the same bytes every run (checked by sample.test.ts).
import { gzipSync } from 'node:zlib';
import { encodeNifti } from '../src/io/decoders/niftiWrite';

// [intensity, a, b, c, x0, y0, z0, phi (degrees about z)] in a [−1, 1]³ cube (Kak & Slaney, modified intensities).
const ELLIPSOIDS: number[][] = [
  [1.0, 0.69, 0.92, 0.81, 0, 0, 0, 0],
  [-0.8, 0.6624, 0.874, 0.78, 0, -0.0184, 0, 0],
  [-0.2, 0.11, 0.31, 0.22, 0.22, 0, 0, -18],
  [-0.2, 0.16, 0.41, 0.28, -0.22, 0, 0, 18],
  [0.1, 0.21, 0.25, 0.41, 0, 0.35, -0.15, 0],
  [0.1, 0.046, 0.046, 0.05, 0, 0.1, 0.25, 0],
  [0.1, 0.046, 0.046, 0.05, 0, -0.1, 0.25, 0],
  [0.1, 0.046, 0.023, 0.05, -0.08, -0.605, 0, 0],
  [0.1, 0.023, 0.023, 0.02, 0, -0.606, 0, 0],
  [0.1, 0.023, 0.046, 0.02, 0.06, -0.605, 0, 0],
];

export const SAMPLE_DIMS = [160, 160, 120] as const;
export const SAMPLE_VOXEL_MM = [1.25, 1.25, 1.6] as const;

/** Phantom intensity inside the head (0 = CSF … 0.2 = brain … 1 = bone) to a Hounsfield-like number. */
const toHu = (v: number) => (v >= 0.5 ? Math.round(1000 * v) : Math.round(5 + 175 * v));

export function samplePhantom(dims: readonly number[] = SAMPLE_DIMS): Int16Array {
  const [nx, ny, nz] = dims;
  const out = new Int16Array(nx * ny * nz);
  const rot = ELLIPSOIDS.map((e) => [Math.cos((e[7] * Math.PI) / 180), Math.sin((e[7] * Math.PI) / 180)]);
  for (let k = 0; k < nz; k++) {
    // The head is taller than wide: z spans [−1, 1] over the volume, x and y likewise.
    const z = (2 * k) / (nz - 1) - 1;
    for (let j = 0; j < ny; j++) {
      const y = (2 * j) / (ny - 1) - 1;
      for (let i = 0; i < nx; i++) {
        const x = (2 * i) / (nx - 1) - 1;
        let v = 0;
        let inside = false;
        ELLIPSOIDS.forEach((e, n) => {
          const [c, s] = rot[n];
          const dx = x - e[4], dy = y - e[5], dz = z - e[6];
          const u = c * dx + s * dy, w = -s * dx + c * dy;
          if ((u / e[1]) ** 2 + (w / e[2]) ** 2 + (dz / e[3]) ** 2 <= 1) {
            v += e[0];
            if (n === 0) inside = true;
          }
        });
        out[(k * ny + j) * nx + i] = (inside ? toHu(v) : -1000) + 1024;
      }
    }
  }
  return out;
}

export function sampleNiftiGz(): Uint8Array {
  const [nx, ny, nz] = SAMPLE_DIMS;
  const [dx, dy, dz] = SAMPLE_VOXEL_MM;
  const voxels = samplePhantom();
  const nii = encodeNifti({
    dims: [nx, ny, nz],
    datatypeCode: 4,
    bitpix: 16,
    bytesPerValue: 2,
    data: new Uint8Array(voxels.buffer),
    // RAS, centred on the origin.
    affine: [dx, 0, 0, (-(nx - 1) * dx) / 2, 0, dy, 0, (-(ny - 1) * dy) / 2, 0, 0, dz, (-(nz - 1) * dz) / 2, 0, 0, 0, 1],
    slope: 1,
    inter: -1024,
    // A brain window (level 40, width 80): the phantom's grey matter, CSF and small lesions.
    calRange: [0, 80],
    description: 'Voxlens sample: 3D Shepp-Logan phantom',
  });
  return gzipSync(nii, { level: 9 });
}

/** xorshift32 on [0, 1): seeded, so generated benchmark volumes are the same bytes every run. */
export function xorshift32(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/**
 * The phantom (raw = HU + 1024) made realistic for a decoder: inside the head a smooth drift and
 * noise of σ 8, outside noise of σ 3, so it compresses like a scan, not like flat ellipsoids.
 * `write(n, value)` gets each voxel's unrounded value, in file order.
 */
export function noisyPhantom(dims: readonly number[], seed: number, write: (n: number, value: number) => void): void {
  const [nx, ny, nz] = dims;
  const v = samplePhantom(dims);
  const rand = xorshift32(seed);
  // A sum of three uniforms on [−1.5, 1.5) × 2σ has a standard deviation of σ.
  const noise = (sigma: number) => (rand() + rand() + rand() - 1.5) * 2 * sigma;
  const scale = 256 / Math.max(nx, ny, nz);
  for (let k = 0; k < nz; k++) {
    const dz = 10 * Math.sin(k * scale * 0.023);
    for (let j = 0; j < ny; j++) {
      const cy = Math.cos(j * scale * 0.027);
      for (let i = 0, n = (k * ny + j) * nx; i < nx; i++, n++) {
        const raw = v[n];
        write(n, raw > 524 ? raw + 15 * Math.sin(i * scale * 0.031 + 0.5) * cy + dz + noise(8) : raw + noise(3));
      }
    }
  }
}

/**
 * Smooth and head-like, as the MNI template is at this scale (a stand-in: the template is not
 * shipped): a soft-edged ellipsoid with a radial swell (about 580 at the centre, 420 at the rim)
 * and three broad blobs, 0 around it, no bright shell, so a MIP ray climbs all the way to the
 * centre. `write(n, value)` gets each voxel's unrounded value, in file order.
 */
export function smoothHeadPhantom(dims: readonly number[], write: (n: number, value: number) => void): void {
  const [nx, ny, nz] = dims;
  const c = [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2];
  const s = Math.max(nx, ny, nz) / 48;
  const blobs: [number[], number, number][] = [
    [[6, 4, 3], 350, 40],
    [[-7, -5, 2], 280, 30],
    [[1, 8, -6], 220, 25],
  ];
  for (let k = 0, n = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, n++) {
        const w = [(i - c[0]) / s, (j - c[1]) / s, (k - c[2]) / s];
        const r = Math.hypot(w[0] / 19, w[1] / 21, w[2] / 17);
        const edge = Math.min(1, Math.max(0, (1 - r) / 0.15));
        let v = (420 + 160 * Math.cos(Math.PI * Math.min(r, 1))) * edge * edge * (3 - 2 * edge);
        for (const [b, amp, s2] of blobs) v += amp * edge * Math.exp(-((w[0] - b[0]) ** 2 + (w[1] - b[1]) ** 2 + (w[2] - b[2]) ** 2) / s2);
        write(n, v);
      }
}
