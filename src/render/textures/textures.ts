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
   * Every z-slab, in order: one texture where the depth fits the GPU's 3D size limit, else each of
   * `slabDepth` slices (the last the rest), a subarray of the same texel data (no copy). Shaders
   * bind them as uVolume, uVolume1, … (shaders/chunks.ts texelAt).
   */
  slabs: Data3DTexture[];
  slabDepth: number;
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

/** Whether a grid (one frame) fits a layer texture: x and y within the GPU's 3D size limit, z within MAX_TEXTURE_SLABS slabs of it. */
export const fitsTexture = (dims: readonly number[], caps: Pick<TextureCaps, 'max3DSize'>): boolean =>
  dims[0] <= caps.max3DSize && dims[1] <= caps.max3DSize && dims[2] <= caps.max3DSize * MAX_TEXTURE_SLABS;

export function createVolumeTexture(
  buffer: VoxelBuffer,
  header: VolumeHeader,
  label: string,
  caps: TextureCaps,
  frame = 0,
): VolumeTexture {
  const format = textureFormatFor(header.datatype, caps);
  const [nx, ny, nz] = header.dims;
  const frames = frameCount(header.dims);
  const allFrames = frames > 1 && nz * frames <= caps.max3DSize;
  const depth = allFrames ? nz * frames : nz;
  const count = Math.ceil(depth / caps.max3DSize);
  if (!fitsTexture(header.dims, caps)) {
    throw new Error(`INTERNAL ERROR: a ${nx} × ${ny} × ${depth} texture passes ${MAX_TEXTURE_SLABS} slabs of the 3D size limit ${caps.max3DSize}`);
  }
  const pin: Pin = buffer.pin('texture', label);
  const data = allFrames ? texelData(buffer, header, format, 0, frames) : texelData(buffer, header, format, frame);
  const slabDepth = Math.ceil(depth / count);
  const slabs = Array.from({ length: count }, (_, n) => nearestTexture3D(data, [nx, ny, Math.min(slabDepth, depth - n * slabDepth)], format));
  setSlabData(slabs, slabDepth, data, nx * ny * format.channels);
  const texels = nx * ny * depth;
  let disposed = false;
  return {
    texture: slabs[0],
    slabs,
    slabDepth,
    format,
    gpuBytes: texels * format.bytesPerTexel,
    convertedBytes: format.convert ? data.byteLength : 0,
    bufferId: buffer.id,
    frame,
    allFrames,
    dispose() {
      if (disposed) return;
      disposed = true;
      slabs.forEach((t) => t.dispose());
      pin.release();
    },
  };
}

/** Points each slab texture at its slices of `data` (subarrays: no copy) and marks it for upload. */
function setSlabData(slabs: Data3DTexture[], slabDepth: number, data: TexelArray, perSlice: number): void {
  slabs.forEach((t, n) => {
    t.image.data = slabs.length === 1 ? data : data.subarray(n * slabDepth * perSlice, Math.min(data.length, (n + 1) * slabDepth * perSlice));
    t.needsUpdate = true;
  });
}

/** The texture shows `data` now (another frame, or a new converted copy), uploaded before the next draw. */
export function setTexelData(t: VolumeTexture, data: TexelArray): void {
  const { width, height } = t.texture.image;
  setSlabData(t.slabs, t.slabDepth, data, width * height * t.format.channels);
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
  for (let i = 0; i < depths.length; ) {
    // A run of neighbouring slices within one slab.
    const slab = Math.floor(depths[i] / t.slabDepth);
    let j = i + 1;
    while (j < depths.length && depths[j] === depths[j - 1] + 1 && Math.floor(depths[j] / t.slabDepth) === slab) j++;
    const texture = t.slabs[slab];
    const props = gl.properties.get(texture) as { __webglTexture?: WebGLTexture; __version?: number };
    // Not on the GPU yet: its first upload reads the memory as it is then.
    if (props.__webglTexture && props.__version === texture.version) {
      const [z0, count] = [depths[i] - slab * t.slabDepth, depths[j - 1] - depths[i] + 1];
      gl.state.bindTexture(ctx.TEXTURE_3D, props.__webglTexture);
      ctx.pixelStorei(ctx.UNPACK_ALIGNMENT, 1);
      const data = texture.image.data as TexelArray;
      ctx.texSubImage3D(ctx.TEXTURE_3D, 0, 0, 0, z0, nx, ny, count, glFormat, glType, data.subarray(z0 * perSlice, (z0 + count) * perSlice));
    }
    i = j;
  }
}

/** The uniforms a shader built for `t.slabs.length` slabs needs past uVolume (uVolume1, …, uSlabDepth), names prefixed as the chunk was. */
export function slabUniforms(t: VolumeTexture, prefix = ''): Record<string, { value: unknown }> {
  if (t.slabs.length === 1) return {};
  const u: Record<string, { value: unknown }> = { [`${prefix}uSlabDepth`]: { value: t.slabDepth } };
  t.slabs.forEach((slab, n) => {
    if (n > 0) u[`${prefix}uVolume${n}`] = { value: slab };
  });
  return u;
}
