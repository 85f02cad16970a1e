// Volume textures: one THREE.Data3DTexture per layer, created from a typed view over the layer's
// own pinned memory (no copy) unless the format table asks for a conversion. Each texture pins
// the buffer for as long as it exists, so a closed layer's texture still draws the right voxels,
// and three.js can upload it again from `image.data` after a WebGL context loss.
import type { Data3DTexture, WebGLRenderer } from 'three';
import type { Pin } from '../../memory/voxelBuffer';
import type { VoxelBuffer } from '../../memory/voxelBuffer';
import { DATA_TYPES, voxelView } from '../../volume/dataTypes';
import { frameCount, voxelsPerFrame, type VolumeHeader } from '../../volume/header';
import { MAX_TEXTURE_SLABS } from '../shaders/chunks';
import { textureFormatFor, type TextureCaps, type TextureFormat } from './textureFormats';
import { nearestTexture3D } from './texture3d';

export interface VolumeTexture {
  /** The texture, or its first z-slab. */
  texture: Data3DTexture;
  /**
   * Every z-slab, in order: one texture where the depth fits the GPU's 3D size limit (and the
   * memory is one buffer), else several, each over its slices of the texel data (subarrays: no
   * copy). Shaders bind them as uVolume, uVolume1, … (shaders/chunks.ts texelAt).
   */
  slabs: Data3DTexture[];
  /** The first texture slice (k, or k + t·nz with every frame stacked) of each slab. */
  slabStarts: number[];
  format: TextureFormat;
  /** Bytes the GPU holds for this texture. */
  gpuBytes: number;
  /** Bytes of a converted CPU copy (0 when the texture reads the layer's memory directly). */
  convertedBytes: number;
  bufferId: string;
  /** The 4D frame whose texels the texture holds (when `allFrames`, the one shown). */
  frame: number;
  /**
   * Every frame of a 4D layer lives in the one texture, stacked along k (depth nz × nt): showing
   * another frame is a k offset in the shader, no upload. False when the stack would pass the
   * GPU's 3D size limit; then a frame switch re-uploads that frame from its subarray (still zero copy).
   */
  allFrames: boolean;
  dispose(): void;
}

type TexelArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array;

/**
 * The texel data for `frames` frames from `frame`: a view over `buffer` where the format allows,
 * else a float32 copy.
 */
export function texelData(buffer: VoxelBuffer, header: VolumeHeader, format: TextureFormat, frame = 0, frames = 1): TexelArray {
  const perFrame = voxelsPerFrame(header.dims);
  const n = perFrame * frames;
  const values = voxelView(header.datatype, buffer.memory, n, frame * perFrame * DATA_TYPES[header.datatype].bytesPerVoxel);
  if (format.convert) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(values[i]);
    return out;
  }
  if (values instanceof Float64Array || values instanceof BigInt64Array || values instanceof BigUint64Array) {
    throw new Error(`INTERNAL ERROR: ${header.datatype} needs a conversion entry in the format table`);
  }
  return values;
}

/**
 * The most bytes one texture holds; a deeper grid takes more slab textures. Measured in Chromium
 * here: a 3D texture over 1 GiB is refused (INVALID_OPERATION: R16I 2048² × 128 uploads, × 129 does
 * not), and one upload near 1 GiB loses the context (a 2048² × 255 int16 volume in two slabs of
 * about 1020 MiB did, in any layout; two of 800 MiB drew, as four of 512 MiB uploaded in pieces
 * did), so each slab, uploaded whole by three.js, stays at half that.
 */
export const MAX_TEXTURE_BYTES = 2 ** 29;

/** The most slices one slab texture of an nx × ny grid holds: the GPU's 3D size limit, within MAX_TEXTURE_BYTES. */
export const slabSliceLimit = (nx: number, ny: number, bytesPerTexel: number, caps: Pick<TextureCaps, 'max3DSize'>): number =>
  Math.max(1, Math.min(caps.max3DSize, Math.floor(MAX_TEXTURE_BYTES / (nx * ny * bytesPerTexel))));

/** Whether a grid (one frame) fits a layer texture: x and y within the GPU's 3D size limit, z within MAX_TEXTURE_SLABS slab textures. */
export const fitsTexture = (dims: readonly number[], bytesPerTexel: number, caps: Pick<TextureCaps, 'max3DSize'>): boolean =>
  dims[0] <= caps.max3DSize && dims[1] <= caps.max3DSize && dims[2] <= MAX_TEXTURE_SLABS * slabSliceLimit(dims[0], dims[1], bytesPerTexel, caps);

/** The texture slabs a grid of `depth` slices takes, as [first slice, slices]: as few as `maxSlices` a slab allows, near equal. */
function splitDepth(first: number, depth: number, maxSlices: number): [number, number][] {
  const count = Math.ceil(depth / maxSlices);
  const each = Math.ceil(depth / count);
  return Array.from({ length: count }, (_, n) => [first + n * each, Math.min(each, depth - n * each)]);
}

/**
 * The texture slabs of a grid held in z-slab buffers of whole slices (slice index k + t·nz), as
 * [first slice, slices]: the `count` slices from `first` (one frame; all by default), each buffer's
 * share in as few slabs as `maxSlices` (slabSliceLimit) allows; null past MAX_TEXTURE_SLABS.
 */
export function slabTextureSplit(sliceCounts: readonly number[], maxSlices: number, first = 0, count = sliceCounts.reduce((a, b) => a + b, 0)): [number, number][] | null {
  const split: [number, number][] = [];
  let start = 0;
  for (const n of sliceCounts) {
    const lo = Math.max(start, first), hi = Math.min(start + n, first + count);
    if (hi > lo) split.push(...splitDepth(lo, hi - lo, maxSlices));
    start += n;
  }
  return split.length <= MAX_TEXTURE_SLABS ? split : null;
}

/**
 * The layer's texture over `buffer`, or over z-slab buffers of whole slices (one frame): one
 * texture per z-slab where the depth passes the GPU's 3D size limit or the grid is in several
 * buffers, each over its slices of the memory (no copy unless the format table converts).
 */
export function createVolumeTexture(
  buffer: VoxelBuffer | readonly VoxelBuffer[],
  header: VolumeHeader,
  label: string,
  caps: TextureCaps,
  frame = 0,
): VolumeTexture {
  const format = textureFormatFor(header.datatype, caps);
  const buffers = Array.isArray(buffer) ? buffer : [buffer as VoxelBuffer];
  const [nx, ny, nz] = header.dims;
  const frames = frameCount(header.dims);
  const limit = slabSliceLimit(nx, ny, format.bytesPerTexel, caps);
  // Every frame stacked in one texture where that fits; else one frame at a time.
  const allFrames = buffers.length === 1 && frames > 1 && nz * frames <= caps.max3DSize && Math.ceil((nz * frames) / limit) <= MAX_TEXTURE_SLABS;
  const depth = allFrames ? nz * frames : nz;
  const perSlice = nx * ny * DATA_TYPES[header.datatype].channels;
  const sliceBytes = perSlice * DATA_TYPES[header.datatype].bytesPerVoxel;
  // In several buffers, the shown frame's slices (k + t·nz), cut where a buffer ends.
  const split = buffers.length === 1 ? splitDepth(0, depth, limit) : slabTextureSplit(buffers.map((b) => b.byteLength / sliceBytes), limit, frame * nz, nz);
  if (!fitsTexture(header.dims, format.bytesPerTexel, caps) || !split || split.length > MAX_TEXTURE_SLABS) {
    throw new Error(`INTERNAL ERROR: a ${nx} × ${ny} × ${depth} texture in ${buffers.length} buffers passes ${MAX_TEXTURE_SLABS} slab textures of ${limit} slices`);
  }
  const pins: Pin[] = buffers.map((b) => b.pin('texture', label));
  // Each buffer's texels: a view of its memory, or a converted copy.
  const data = buffers.length === 1 ? [allFrames ? texelData(buffers[0], header, format, 0, frames) : texelData(buffers[0], header, format, frame)] : buffers.map((b) => texelView(b.memory, header, format, b.byteLength / sliceBytes));
  const starts = buffers.map((_, n) => buffers.slice(0, n).reduce((k, b) => k + b.byteLength / sliceBytes, 0));
  const slabs = split.map(([, slices]) => nearestTexture3D(data[0], [nx, ny, slices], format));
  const t: VolumeTexture = {
    texture: slabs[0],
    slabs,
    // Texture slices count from the frame's first (several buffers hold one frame at a time).
    slabStarts: split.map(([first]) => (buffers.length > 1 ? first - frame * nz : first)),
    format,
    gpuBytes: nx * ny * depth * format.bytesPerTexel,
    convertedBytes: format.convert ? data.reduce((n, d) => n + d.byteLength, 0) : 0,
    // The memory panel counts the texture against the buffer holding its first slab.
    bufferId: buffers[starts.findLastIndex((k) => k <= split[0][0])].id,
    frame,
    allFrames,
    dispose() {
      if (disposed) return;
      disposed = true;
      slabs.forEach((s) => s.dispose());
      pins.forEach((p) => p.release());
    },
  };
  let disposed = false;
  split.forEach(([first], n) => {
    // The buffer holding the slab's first slice (its slices are all there), and where in it.
    const b = starts.findLastIndex((k) => k <= first);
    setSlab(slabs[n], data[b], first - starts[b], perSlice);
  });
  return t;
}

/** Points a slab texture at its slices of `data` (a subarray: no copy) and marks it for upload. */
function setSlab(t: Data3DTexture, data: TexelArray, firstSlice: number, perSlice: number): void {
  const count = t.image.depth * perSlice;
  t.image.data = firstSlice === 0 && data.length === count ? data : data.subarray(firstSlice * perSlice, firstSlice * perSlice + count);
  t.needsUpdate = true;
}

/** The texels of `slices` whole slices of `memory`: a view where the format allows, else a float32 copy. */
function texelView(memory: ArrayBufferLike, header: VolumeHeader, format: TextureFormat, slices: number): TexelArray {
  return texelData({ memory } as VoxelBuffer, { ...header, dims: [header.dims[0], header.dims[1], slices] }, format);
}

/** A texture over one buffer shows `data` now (another frame, or a new converted copy), uploaded before the next draw. */
export function setTexelData(t: VolumeTexture, data: TexelArray): void {
  const { width, height } = t.texture.image;
  t.slabs.forEach((s, n) => setSlab(s, data, t.slabStarts[n], width * height * t.format.channels));
}

/**
 * Uploads slices `slices` (k + t·nz, as a 4D buffer counts them) of the layer's memory into its
 * texture with texSubImage3D, in runs of neighbouring slices: a series shown while it arrives
 * sends each slice once, not the whole volume per update. When the texture has not reached the
 * GPU yet (or holds a converted copy) it is uploaded whole instead, which includes the slices.
 */
export function uploadSlices(gl: WebGLRenderer, t: VolumeTexture, buffer: VoxelBuffer, header: VolumeHeader, slices: Iterable<number>): void {
  if (t.format.convert) {
    setTexelData(t, t.allFrames ? texelData(buffer, header, t.format, 0, frameCount(header.dims)) : texelData(buffer, header, t.format, t.frame));
    return;
  }
  const [nx, ny, nz] = header.dims;
  // Texture depth index of each slice: all frames stacked, or only the frame on show.
  const depths = [...slices]
    .map((s) => (t.allFrames ? s : Math.floor(s / nz) === t.frame ? s - t.frame * nz : -1))
    .filter((z) => z >= 0)
    .sort((a, b) => a - b);
  if (!depths.length) return;
  const ctx = gl.getContext() as WebGL2RenderingContext;
  const perSlice = nx * ny * t.format.channels;
  const glFormat = ctx[t.format.gl.format];
  const glType = ctx[t.format.gl.type];
  const slabOf = (z: number) => t.slabStarts.findLastIndex((first) => first <= z);
  for (let i = 0; i < depths.length; ) {
    // A run of neighbouring slices within one slab.
    const slab = slabOf(depths[i]);
    let j = i + 1;
    while (j < depths.length && depths[j] === depths[j - 1] + 1 && slabOf(depths[j]) === slab) j++;
    const texture = t.slabs[slab];
    const props = gl.properties.get(texture) as { __webglTexture?: WebGLTexture; __version?: number };
    // Not on the GPU yet: its first upload reads the memory as it is then.
    if (props.__webglTexture && props.__version === texture.version) {
      const [z0, count] = [depths[i] - t.slabStarts[slab], depths[j - 1] - depths[i] + 1];
      gl.state.bindTexture(ctx.TEXTURE_3D, props.__webglTexture);
      ctx.pixelStorei(ctx.UNPACK_ALIGNMENT, 1);
      const data = texture.image.data as TexelArray;
      ctx.texSubImage3D(ctx.TEXTURE_3D, 0, 0, 0, z0, nx, ny, count, glFormat, glType, data.subarray(z0 * perSlice, (z0 + count) * perSlice));
    }
    i = j;
  }
}

/** The uniforms a shader built for `t.slabs.length` slabs needs past uVolume (uVolume1, …, uSlabStarts), names prefixed as the chunk was. */
export function slabUniforms(t: VolumeTexture, prefix = ''): Record<string, { value: unknown }> {
  if (t.slabs.length === 1) return {};
  const u: Record<string, { value: unknown }> = { [`${prefix}uSlabStarts`]: { value: slabStartsUniform(t.slabStarts, t.slabs.length) } };
  t.slabs.forEach((slab, n) => {
    if (n > 0) u[`${prefix}uVolume${n}`] = { value: slab };
  });
  return u;
}

/** uSlabStarts for a shader built for `length` slabs: the first slice of each of `starts`, the rest past any slice. */
export const slabStartsUniform = (starts: readonly number[], length: number): Int32Array => Int32Array.from({ length }, (_, n) => starts[n] ?? 2 ** 30);
