// Stored voxel types Voxlens can hold exactly in CPU memory. Types outside this list (complex,
// float128, 1-bit) are refused by the decoders with a message naming the type.

export type DataType =
  | 'uint8'
  | 'int8'
  | 'uint16'
  | 'int16'
  | 'uint32'
  | 'int32'
  | 'float32'
  | 'float64'
  | 'int64'
  | 'uint64'
  | 'rgb24'
  | 'rgba32'
  /** RGB with 16-bit components (DICOM RGB, BitsAllocated 16), interleaved. */
  | 'rgb48';

export type VoxelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** Voxel values in several arrays of whole slices: every array but the last holds `slabValues` values. */
export interface Slabs {
  arrays: VoxelArray[];
  slabValues: number;
}

export interface DataTypeInfo {
  /** Bytes per voxel (all channels). */
  bytesPerVoxel: number;
  /** Bytes per channel value: the unit byte swapping works on. */
  bytesPerValue: number;
  channels: number;
  /** Makes a typed view of `length` values over the memory, without copying. */
  view(memory: ArrayBufferLike, byteOffset: number, length: number): VoxelArray;
}

const uint8 = (m: ArrayBufferLike, o: number, n: number) => new Uint8Array(m, o, n);

export const DATA_TYPES: Record<DataType, DataTypeInfo> = {
  uint8: { bytesPerVoxel: 1, bytesPerValue: 1, channels: 1, view: uint8 },
  int8: { bytesPerVoxel: 1, bytesPerValue: 1, channels: 1, view: (m, o, n) => new Int8Array(m, o, n) },
  uint16: { bytesPerVoxel: 2, bytesPerValue: 2, channels: 1, view: (m, o, n) => new Uint16Array(m, o, n) },
  int16: { bytesPerVoxel: 2, bytesPerValue: 2, channels: 1, view: (m, o, n) => new Int16Array(m, o, n) },
  uint32: { bytesPerVoxel: 4, bytesPerValue: 4, channels: 1, view: (m, o, n) => new Uint32Array(m, o, n) },
  int32: { bytesPerVoxel: 4, bytesPerValue: 4, channels: 1, view: (m, o, n) => new Int32Array(m, o, n) },
  float32: { bytesPerVoxel: 4, bytesPerValue: 4, channels: 1, view: (m, o, n) => new Float32Array(m, o, n) },
  float64: { bytesPerVoxel: 8, bytesPerValue: 8, channels: 1, view: (m, o, n) => new Float64Array(m, o, n) },
  int64: { bytesPerVoxel: 8, bytesPerValue: 8, channels: 1, view: (m, o, n) => new BigInt64Array(m, o, n) },
  uint64: { bytesPerVoxel: 8, bytesPerValue: 8, channels: 1, view: (m, o, n) => new BigUint64Array(m, o, n) },
  rgb24: { bytesPerVoxel: 3, bytesPerValue: 1, channels: 3, view: uint8 },
  rgba32: { bytesPerVoxel: 4, bytesPerValue: 1, channels: 4, view: uint8 },
  rgb48: { bytesPerVoxel: 6, bytesPerValue: 2, channels: 3, view: (m, o, n) => new Uint16Array(m, o, n) },
};

/** A typed view over the whole of `memory` (all frames), values counted per channel. */
export function voxelView(dtype: DataType, memory: ArrayBufferLike, voxels: number, byteOffset = 0): VoxelArray {
  const info = DATA_TYPES[dtype];
  return info.view(memory, byteOffset, voxels * info.channels);
}

/** Reverses the byte order of every value in place (big-endian files on little-endian hosts). */
export function swapBytesInPlace(bytes: Uint8Array, bytesPerValue: number): void {
  // Stryker disable next-line ConditionalExpression: a shortcut; with one byte per value the loop below swaps nothing
  if (bytesPerValue === 1) return;
  const n = bytes.length - (bytes.length % bytesPerValue);
  for (let i = 0; i < n; i += bytesPerValue) {
    // Stryker disable next-line EqualityOperator: values are 2, 4 or 8 bytes, so a and b never meet; swapping a byte with itself changes nothing
    for (let a = i, b = i + bytesPerValue - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}
