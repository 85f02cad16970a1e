// Unit tests for the small pure helpers of volume/ that the rest of the suite reaches only through
// other modules (sampling, data types, header counts, affine edge cases, window presets' bounds),
// written against the mutants Stryker left alive there (issue 27).
import { describe, expect, it } from 'vitest';
import { axisCodes, identity, invert, isSingular, pixdimAffine, qformToAffine, transformPoint, voxelSizes, type Mat4 } from './affine';
import { DATA_TYPES, swapBytesInPlace, voxelView, type DataType } from './dataTypes';
import { decimate, decimationFactors, factorsUntil, isDecimated } from './decimate';
import { frameCount, frameSecondsOf, intentValueName, niftiUnits, voxelCount, voxelsPerFrame } from './header';
import { probeIndex, probeWorld, scaleValue, valueAt, valueCount, type SampleSource } from './sampling';
import { isHuLike } from './windowPresets';

describe('sampling', () => {
  const slabbed = { values: new Int16Array([0, 1, 2, 3]), slabs: { arrays: [new Int16Array([0, 1, 2, 3]), new Int16Array([4, 5, 6, 7]), new Int16Array([8, 9])], slabValues: 4 } };

  it('reads a value from whichever slab holds it, and counts every slab', () => {
    expect([0, 3, 4, 5, 7, 8, 9].map((n) => valueAt(slabbed, n))).toEqual([0, 3, 4, 5, 7, 8, 9]);
    expect(valueCount(slabbed)).toBe(10);
    const plain = { values: new Float32Array([1.5, 2.5, 3.5]) };
    expect(valueAt(plain, 2)).toBe(3.5);
    expect(valueCount(plain)).toBe(3);
    expect(valueAt({ values: new BigInt64Array([5n, -7n]) }, 1)).toBe(-7);
  });

  it('scales a raw value by slope then intercept', () => {
    expect(scaleValue(3, 2, 1)).toBe(7);
    expect(scaleValue(-4, 0.5, -1024)).toBe(-1026);
  });

  // 3 × 4 × 5 voxels, two frames; each value is its own index, so a read names where it read.
  const dims = [3, 4, 5, 2];
  const affine: Mat4 = [2, 0, 0, 10, 0, 3, 0, 20, 0, 0, 4, 30, 0, 0, 0, 1];
  const grid = (channels = 1): SampleSource => ({
    dims,
    datatype: 'float32',
    channels,
    slope: 2,
    inter: -1,
    affine,
    inverseAffine: invert(affine),
    values: Float32Array.from({ length: 120 * channels }, (_, n) => n),
  });

  it('reads the voxel at i + nx·(j + ny·k) of the frame asked for, scaled, with its world position', () => {
    const p = probeIndex(grid(), [2, 3, 4]);
    expect(p).toEqual({ ijk: [2, 3, 4], world: [14, 29, 46], raw: 59, scaled: 117, inside: true });
    expect(probeIndex(grid(), [1, 2, 0], 1).raw).toBe(60 + 1 + 6);
    // A fourth index names the frame, and is kept in the answer.
    expect(probeIndex(grid(), [1, 0, 2, 1], 0)).toMatchObject({ ijk: [1, 0, 2, 1], raw: 60 + 1 + 24 });
  });

  it('is outside one voxel past each face, inside on the last voxel', () => {
    for (const ijk of [[-1, 0, 0], [0, -1, 0], [0, 0, -1], [3, 0, 0], [0, 4, 0], [0, 0, 5]]) {
      const p = probeIndex(grid(), ijk);
      expect(p.inside, String(ijk)).toBe(false);
      expect(p.raw).toBeNaN();
      expect(p.scaled).toBeNaN();
      expect(p.ijk).toEqual(ijk);
    }
    for (const ijk of [[0, 0, 0], [2, 0, 0], [0, 3, 0], [0, 0, 4]]) expect(probeIndex(grid(), ijk).inside, String(ijk)).toBe(true);
  });

  it('reads every channel of a voxel, unscaled', () => {
    const p = probeIndex(grid(3), [1, 1, 0]);
    expect(p.raw).toEqual([12, 13, 14]);
    expect(p.scaled).toEqual([12, 13, 14]);
    expect(p.scaled).not.toBe(p.raw);
  });

  it('marks a slice not yet arrived as loading, in the frame asked for', () => {
    const pending = new Uint8Array(10);
    pending[1 * 5 + 2] = 1; // frame 1, slice 2
    const src = { ...grid(), pending };
    expect(probeIndex(src, [0, 0, 2], 1)).toMatchObject({ inside: true, loading: true });
    expect(probeIndex(src, [0, 0, 2], 1).raw).toBeNaN();
    expect(probeIndex(src, [0, 0, 2], 0).raw).toBe(24);
    expect(probeIndex(src, [0, 0, 2], 0).loading).toBeUndefined();
    expect(probeIndex(src, [0, 0, 2, 1])).toMatchObject({ loading: true });
  });

  it('rounds a world point to the nearest voxel, never to −0', () => {
    const p = probeWorld(grid(), [10 - 0.4, 20 + 3 * 1.6, 30 + 4 * 2.4]);
    expect(p.ijk).toEqual([0, 2, 2]);
    expect(Object.is(p.ijk[0], 0)).toBe(true);
    expect(probeWorld(grid(), [12, 23, 34], 1).raw).toBe(60 + 1 + 3 + 12);
  });
});

describe('data types', () => {
  it('views memory as the stored type, all channels counted, from the offset given', () => {
    const memory = new ArrayBuffer(64);
    const kinds: [DataType, new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView, number][] = [
      ['uint8', Uint8Array, 1], ['int8', Int8Array, 1], ['uint16', Uint16Array, 1], ['int16', Int16Array, 1],
      ['uint32', Uint32Array, 1], ['int32', Int32Array, 1], ['float32', Float32Array, 1], ['float64', Float64Array, 1],
      ['int64', BigInt64Array, 1], ['uint64', BigUint64Array, 1], ['rgb24', Uint8Array, 3], ['rgba32', Uint8Array, 4],
    ];
    for (const [type, kind, channels] of kinds) {
      const v = voxelView(type, memory, 3, 8);
      expect(v, type).toBeInstanceOf(kind);
      expect(v.length, type).toBe(3 * channels);
      expect(v.byteOffset, type).toBe(8);
      expect(DATA_TYPES[type].bytesPerVoxel, type).toBe(v.BYTES_PER_ELEMENT * channels);
    }
    expect(voxelView('int16', memory, 2).byteOffset).toBe(0);
  });

  it('reverses the bytes of each value, leaving a trailing partial value alone', () => {
    const bytes = (n: number[]) => Uint8Array.from(n);
    const a = bytes([1, 2, 3, 4, 5, 6, 7]);
    swapBytesInPlace(a, 2);
    expect([...a]).toEqual([2, 1, 4, 3, 6, 5, 7]);
    const b = bytes([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    swapBytesInPlace(b, 4);
    expect([...b]).toEqual([4, 3, 2, 1, 8, 7, 6, 5, 9]);
    const c = bytes([1, 2, 3, 4, 5, 6, 7, 8]);
    swapBytesInPlace(c, 8);
    expect([...c]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    const d = bytes([1, 2, 3]);
    swapBytesInPlace(d, 1);
    expect([...d]).toEqual([1, 2, 3]);
  });
});

describe('header counts and units', () => {
  it('counts voxels per frame, frames (every dimension past the third) and all voxels', () => {
    expect(voxelsPerFrame([3, 4, 5, 6])).toBe(60);
    expect(frameCount([3, 4, 5])).toBe(1);
    expect(frameCount([3, 4, 5, 6])).toBe(6);
    expect(frameCount([3, 4, 5, 6, 7])).toBe(42);
    expect(voxelCount([3, 4, 5, 6, 7])).toBe(60 * 42);
    expect(voxelCount([3, 4, 5])).toBe(60);
  });

  it('gives seconds between frames only for a positive finite step in a time unit', () => {
    expect(frameSecondsOf(2, 's')).toBe(2);
    expect(frameSecondsOf(2500, 'ms')).toBeCloseTo(2.5, 12);
    expect(frameSecondsOf(4e6, 'µs')).toBeCloseTo(4, 9);
    expect(frameSecondsOf(2, 'Hz')).toBeUndefined();
    expect(frameSecondsOf(2, undefined)).toBeUndefined();
    expect(frameSecondsOf(0, 's')).toBeUndefined();
    expect(frameSecondsOf(-1, 's')).toBeUndefined();
    expect(frameSecondsOf(NaN, 's')).toBeUndefined();
    expect(frameSecondsOf(Infinity, 's')).toBeUndefined();
  });

  it('names every NIfTI time unit code, masking the space bits apart', () => {
    expect([8, 16, 24, 32, 40, 48].map((t) => niftiUnits(t | 2))).toEqual([
      { spaceUnit: 'mm', timeUnit: 's' }, { spaceUnit: 'mm', timeUnit: 'ms' }, { spaceUnit: 'mm', timeUnit: 'µs' },
      { spaceUnit: 'mm', timeUnit: 'Hz' }, { spaceUnit: 'mm', timeUnit: 'ppm' }, { spaceUnit: 'mm', timeUnit: 'rad/s' },
    ]);
    expect(niftiUnits(8)).toEqual({ timeUnit: 's' });
  });

  it('names every intent code it knows', () => {
    const names: Record<number, string> = { 2: 'correlation r', 3: 't statistic', 4: 'F statistic', 5: 'z score', 6: 'χ²', 22: 'p value', 23: 'ln p', 24: 'log10 p', 1001: 'estimate', 1002: 'label index', 1005: 'displacement vector', 1007: 'vector', 1011: 'quaternion', 2001: 'dimensionless' };
    for (const [code, name] of Object.entries(names)) expect(intentValueName(Number(code))).toBe(name);
    expect(intentValueName(1)).toBeUndefined();
  });
});

describe('affine edge cases', () => {
  it('calls a matrix singular when its 3×3 part has a zero, repeated or non-finite column, not when its voxels are tiny', () => {
    expect(isSingular(identity())).toBe(false);
    expect(isSingular([1e-3, 0, 0, 5, 0, 1e-3, 0, 0, 0, 0, 1e-3, 0, 0, 0, 0, 1])).toBe(false);
    expect(isSingular([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(true);
    // Two equal columns: the determinant is exactly 0 though every column has length 1.
    expect(isSingular([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(true);
    expect(isSingular([NaN, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(true);
    expect(isSingular([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, Infinity, 0, 0, 0, 0, 1])).toBe(true);
    // Nearly parallel columns: det 1e-12 next to a scale of 1.
    expect(isSingular([1, 1, 0, 0, 0, 1e-12, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(true);
    expect(isSingular([1, 1, 0, 0, 0, 1e-6, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(false);
  });

  it('inverts a sheared, scaled, translated affine: world → voxel undoes voxel → world', () => {
    const m: Mat4 = [0.5, 0.2, -0.1, 7, 0.3, -2, 0.4, -3, -0.2, 0.1, 3, 11, 0, 0, 0, 1];
    const inv = invert(m);
    expect(inv.slice(12)).toEqual([0, 0, 0, 1]);
    for (const p of [[0, 0, 0], [1, 2, 3], [-4, 5, -6]]) {
      const back = transformPoint(inv, transformPoint(m, p));
      back.forEach((v, i) => expect(v).toBeCloseTo(p[i], 10));
    }
    expect(() => invert([1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toThrow('singular');
    expect(() => invert([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toThrow('singular');
  });

  it('measures each voxel axis as its column length', () => {
    expect(voxelSizes([0, -2, 0, 9, 3, 0, 0, 9, 0, 0, 4, 9, 0, 0, 0, 1])).toEqual([3, 2, 4]);
    expect(voxelSizes([0.6, 0, 0, 0, 0.8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])[0]).toBeCloseTo(1, 12);
  });

  it('takes pixdim sizes, 1 where one is not a positive finite number', () => {
    expect(pixdimAffine([1, 2, 3, 4])).toEqual([2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 1]);
    expect(pixdimAffine([1, 0, -3, NaN])).toEqual(identity());
    expect(pixdimAffine([1, Infinity, 2, 1])).toEqual([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });

  // An independent rotation: v ↦ q v q* with quaternion products written out.
  const rotate = ([a, b, c, d]: number[], v: number[]): number[] => {
    const mul = (p: number[], q: number[]) => [
      p[0] * q[0] - p[1] * q[1] - p[2] * q[2] - p[3] * q[3],
      p[0] * q[1] + p[1] * q[0] + p[2] * q[3] - p[3] * q[2],
      p[0] * q[2] - p[1] * q[3] + p[2] * q[0] + p[3] * q[1],
      p[0] * q[3] + p[1] * q[2] - p[2] * q[1] + p[3] * q[0],
    ];
    return mul(mul([a, b, c, d], [0, ...v]), [a, -b, -c, -d]).slice(1);
  };

  it('builds the qform rotation of any quaternion, scaled by pixdim, offset by the origin', () => {
    const raw = [0.8, 0.1, -0.3, 0.5];
    const n = Math.hypot(...raw);
    const q = raw.map((x) => x / n);
    const m = qformToAffine([q[1], q[2], q[3]], [5, -6, 7], [1, 2, 3, 4]);
    expect(m.slice(12)).toEqual([0, 0, 0, 1]);
    expect(transformPoint(m, [0, 0, 0])).toEqual([5, -6, 7]);
    const sizes = [2, 3, 4];
    for (let axis = 0; axis < 3; axis++) {
      const e = [0, 0, 0];
      e[axis] = 1;
      const expected = rotate(q, e).map((x) => x * sizes[axis]);
      const got = [m[axis], m[4 + axis], m[8 + axis]];
      got.forEach((v, i) => expect(v, `column ${axis} row ${i}`).toBeCloseTo(expected[i], 10));
    }
  });

  it('renormalises a 180° quaternion (a = 0), and takes 1 for a zero or negative pixdim; qfac 0 is 1', () => {
    const m = qformToAffine([0, 2, 0], [0, 0, 0], [0, 0, -1, 3]);
    // (b, c, d) = (0, 1, 0): 180° about y flips x and z.
    const expected = [-1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -3, 0, 0, 0, 0, 1];
    m.forEach((v, i) => expect(v + 0, String(i)).toBeCloseTo(expected[i], 12));
    const n = qformToAffine([0.6, 0.8, 0], [0, 0, 0], [1, 1, 1, 1]);
    const r = rotate([0, 0.6, 0.8, 0], [1, 0, 0]);
    [n[0], n[4], n[8]].forEach((v, i) => expect(v).toBeCloseTo(r[i], 12));
  });

  it('axis codes: the largest component claims its world axis first, its sign picks the letter', () => {
    expect(axisCodes([0.6, 0.8, 0, 0, 0.8, -0.6, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1])).toBe('ARI');
    expect(axisCodes([-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe('LPS');
    // Equal weights: the earlier candidate wins, and a zero column still gets the axis left.
    expect(axisCodes([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe('RAS');
  });
});

describe('decimation factors', () => {
  it('steps each axis past its own size limit, then halves the longest axis left until the test passes', () => {
    expect(factorsUntil([100, 10, 10], [50, 50, 50], () => true)).toEqual([2, 1, 1]);
    expect(factorsUntil([100, 10, 10], 200, (d) => d[0] * d[1] * d[2] <= 2500)).toEqual([4, 1, 1]);
    expect(factorsUntil([8, 8, 8], 8, (d) => d[0] * d[1] * d[2] <= 64)).toEqual([2, 2, 2]);
    expect(factorsUntil([2, 2, 2], 8, () => false)).toEqual([2, 2, 2]);
  });

  it('a grid is decimated when any axis steps', () => {
    expect(isDecimated([1, 1, 1])).toBe(false);
    expect(isDecimated([2, 1, 1])).toBe(true);
    expect(isDecimated([1, 2, 1])).toBe(true);
    expect(isDecimated([1, 1, 2])).toBe(true);
  });
});

it('window presets: HU-like from −3100 to −500 at the low end and 100 at the top, either sign of slope', () => {
  expect(isHuLike({ min: -3100, max: 100 }, 1, 0)).toBe(true);
  expect(isHuLike({ min: -500, max: 100 }, 1, 0)).toBe(true);
  expect(isHuLike({ min: -3101, max: 100 }, 1, 0)).toBe(false);
  expect(isHuLike({ min: -499, max: 100 }, 1, 0)).toBe(false);
  expect(isHuLike({ min: -1000, max: 99 }, 1, 0)).toBe(false);
  expect(isHuLike({ min: 1000, max: -100 }, -1, 0)).toBe(true);
});

describe('survivors of the volume/ core run (issue 27, second pass)', () => {
  it('isSingular: a generic singular matrix, its threshold relative to the column lengths, and the threshold itself', () => {
    // Rows 1 2 3 / 4 5 6 / 7 8 9: det exactly 0 with every entry non-zero, so each product of the
    // determinant's expansion matters.
    expect(isSingular([1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 1])).toBe(true);
    expect(isSingular([2, 1, 1, 0, 1, 3, 2, 0, 1, 0, 0, 0, 0, 0, 0, 1])).toBe(false);
    // Columns of length 1, 1000 and 1000 with det 1e-5: singular next to a scale of 1e6 (det ≤ 1e-3).
    expect(isSingular([1, 1000, 0, 0, 0, 1e-8, 0, 0, 0, 0, 1000, 0, 0, 0, 0, 1])).toBe(true);
    // det exactly 1e-9 · scale (scale 1: the sheared column's length rounds to 1): still singular.
    expect(isSingular([1, 1, 0, 0, 0, 1e-9, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(true);
    expect(isSingular([1, 1, 0, 0, 0, 2e-9, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe(false);
    // invert refuses what isSingular calls singular, though its determinant is not 0.
    expect(() => invert([1, 1000, 0, 0, 0, 1e-8, 0, 0, 0, 0, 1000, 0, 0, 0, 0, 1])).toThrow('singular');
    expect(() => invert([1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9, 0, 0, 0, 0, 1])).toThrow('singular');
  });

  it('axisCodes weighs each column by its direction, not its length, and gives each axis one letter', () => {
    // Column 0 is long and nearly diagonal in x–y; column 1 is short and mostly x. By direction,
    // column 1 (0.8 along x) claims R before column 0 (0.71 along x), which then takes A.
    expect(axisCodes([10, 0.8, 0, 0, 9.9, 0.6, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])).toBe('ARS');
    // Column 0 keeps R though its second weight (0.6 along y) ranks before column 1's (0.5 along y).
    expect(axisCodes([0.8, 0, 0, 0, 0.6, 0.5, 0, 0, 0, 0.866, 1, 0, 0, 0, 0, 1])).toBe('RAS');
  });

  it('qform: a (b, c, d) longer than 1 is renormalised per component; a zero pixdim is 1 on every axis', () => {
    // (2, 0, 0) → (1, 0, 0): 180° about x.
    const x = qformToAffine([2, 0, 0], [0, 0, 0], [1, 1, 1, 1]);
    [1, 0, 0, 0, -1, 0, 0, 0, -1].forEach((v, n) => expect(x[Math.floor(n / 3) * 4 + (n % 3)] + 0).toBeCloseTo(v, 12));
    // (0, 0, 2) → (0, 0, 1): 180° about z.
    const z = qformToAffine([0, 0, 2], [0, 0, 0], [1, 1, 1, 1]);
    [-1, 0, 0, 0, -1, 0, 0, 0, 1].forEach((v, n) => expect(z[Math.floor(n / 3) * 4 + (n % 3)] + 0).toBeCloseTo(v, 12));
    const zero = qformToAffine([0, 0, 0], [0, 0, 0], [1, 2, 0, 0]);
    expect([zero[0], zero[5], zero[10]]).toEqual([2, 1, 1]);
    const negative = qformToAffine([0, 0, 0], [0, 0, 0], [-1, 2, 3, -4]);
    expect([negative[0], negative[5], negative[10]]).toEqual([2, 3, -1]);
  });

  it('decimationFactors keeps a texture of exactly maxBytes; decimate steps through slices by f[2]', () => {
    expect(decimationFactors([4, 4, 4], 2, 64, 128)).toEqual([1, 1, 1]);
    expect(decimationFactors([4, 4, 4], 2, 64, 127)).toEqual([2, 1, 1]);
    const dims = [2, 1, 5];
    const src = Int16Array.from({ length: 10 }, (_, n) => n);
    const dst = new Int16Array(2 * 3);
    decimate(src, dims, 1, [1, 1, 2], dst);
    expect([...dst]).toEqual([0, 1, 4, 5, 8, 9]);
  });

  it('isHuLike scales both ends by slope and intercept', () => {
    // Raw −300…60 at slope 2: −600…120 HU.
    expect(isHuLike({ min: -300, max: 60 }, 2, 0)).toBe(true);
    // Raw 0…1100 at intercept −1024: −1024…76 HU, no tissue above 100.
    expect(isHuLike({ min: 0, max: 1100 }, 1, -1024)).toBe(false);
  });
});
