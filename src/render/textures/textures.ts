// Volume textures: one THREE.Data3DTexture per layer (or a few bricks of one), created from a typed
// view over the layer's own pinned memory (no copy) unless the format table asks for a conversion.
// Each texture pins the buffer for as long as it exists, so a closed layer's texture still draws
// the right voxels, and three.js can upload it again from `image.data` after a WebGL context loss.
import type { Data3DTexture, WebGLRenderer } from 'three';
import type { Pin } from '../../memory/voxelBuffer';
import type { VoxelBuffer } from '../../memory/voxelBuffer';
import { DATA_TYPES, voxelView } from '../../volume/dataTypes';
import { frameCount, voxelsPerFrame, type VolumeHeader } from '../../volume/header';
import type { TextureCaps } from '../../gpu/caps';
import { fitsTexture, MAX_TEXTURE_SLABS, slabTextureSplit, splitDepth, stacksFrames, tiling, type Tiling } from '../../gpu/plan';
import type { TextureGrid } from '../shaders/chunks';
import { textureFormatFor, type TextureFormat } from './textureFormats';
import { nearestTexture3D } from './texture3d';

export interface VolumeTexture {
  /** The texture, or its first brick. */
  texture: Data3DTexture;
  /**
   * Every brick texture: one where the grid fits the GPU's 3D size limit (and the memory is one
   * buffer), else several. Along z, slabs of whole slices, each over its slices of the texel data
   * (subarrays: no copy); where x or y passes the limit, each slab is also cut into `tiles`, each
   * uploaded from the slab's memory as a sub-box (UNPACK_ROW_LENGTH: no copy either). In order:
   * brick (slab · tilesY + tile y) · tilesX + tile x. Shaders bind them as uVolume, uVolume1, …
   * (shaders/chunks.ts texelAt).
   */
  slabs: Data3DTexture[];
  /** The first texture slice (k, or k + t·nz with every frame stacked) of each z-slab. */
  slabStarts: number[];
  /** Tiles along x and y (1 × 1 unless a side passes the GPU's 3D size limit). */
  tiles: [number, number];
  /** Voxels along x and y of every tile but the last of its row or column (the grid's own sizes untiled). */
  tileSize: [number, number];
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
  /**
   * Takes its pins on the buffers again and releases the old ones, so they follow pins taken since
   * (the memory panel and memory() list a buffer's pins in the order they were taken).
   */
  renewPins(): void;
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
 * The layer's texture over `buffer`, or over z-slab buffers of whole slices (one frame): one
 * texture where it fits, else bricks: a texture per z-slab where the depth passes the GPU's 3D
 * size limit or the grid is in several buffers, each cut into tiles where x or y passes it; each
 * over its part of the memory (no copy unless the format table converts).
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
  const tiles = tiling(nx, ny, format.bytesPerTexel, caps);
  const limit = tiles.sliceLimit;
  // Every frame stacked in one texture where that fits; else one frame at a time.
  const allFrames = buffers.length === 1 && stacksFrames(header.dims, format.bytesPerTexel, caps);
  const depth = allFrames ? nz * frames : nz;
  const perSlice = nx * ny * DATA_TYPES[header.datatype].channels;
  const sliceBytes = perSlice * DATA_TYPES[header.datatype].bytesPerVoxel;
  // In several buffers, the shown frame's slices (k + t·nz), cut where a buffer ends.
  const split = buffers.length === 1 ? splitDepth(0, depth, limit) : slabTextureSplit(buffers.map((b) => b.byteLength / sliceBytes), limit, frame * nz, nz, tiles.maxSlabs);
  if (!fitsTexture(header.dims, format.bytesPerTexel, caps) || !split || split.length > tiles.maxSlabs) {
    throw new Error(`INTERNAL ERROR: a ${nx} × ${ny} × ${depth} texture in ${buffers.length} buffers passes ${MAX_TEXTURE_SLABS} textures of ${tiles.tileSize.join(' × ')} × ${limit}`);
  }
  let pins: Pin[] = buffers.map((b) => b.pin('texture', label));
  // Each buffer's texels: a view of its memory, or a converted copy.
  const data = buffers.length === 1 ? [allFrames ? texelData(buffers[0], header, format, 0, frames) : texelData(buffers[0], header, format, frame)] : buffers.map((b) => texelView(b.memory, header, format, b.byteLength / sliceBytes));
  const starts = buffers.map((_, n) => buffers.slice(0, n).reduce((k, b) => k + b.byteLength / sliceBytes, 0));
  const boxes = tileBoxes(nx, ny, tiles);
  const slabs = split.flatMap(([, slices]) => boxes.map((b) => nearestTexture3D(data[0], [b.w, b.h, slices], format)));
  const t: VolumeTexture = {
    texture: slabs[0],
    slabs,
    // Texture slices count from the frame's first (several buffers hold one frame at a time).
    slabStarts: split.map(([first]) => (buffers.length > 1 ? first - frame * nz : first)),
    tiles: tiles.tiles,
    tileSize: tiles.tileSize,
    format,
    gpuBytes: nx * ny * depth * format.bytesPerTexel,
    convertedBytes: format.convert ? data.reduce((n, d) => n + d.byteLength, 0) : 0,
    // The memory panel counts the texture against the buffer holding its first slab.
    bufferId: buffers[starts.findLastIndex((k) => k <= split[0][0])].id,
    frame,
    allFrames,
    renewPins() {
      if (disposed) return;
      const old = pins;
      pins = buffers.map((b) => b.pin('texture', label));
      old.forEach((p) => p.release());
    },
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
    boxes.forEach((box, m) => setBrick(slabs[n * boxes.length + m], data[b], first - starts[b], [nx, ny], box, format));
  });
  return t;
}

/** Where each tile of one slab lies in its slices: x0, y0, width, height, row by row. */
interface TileBox {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

function tileBoxes(nx: number, ny: number, t: Pick<Tiling, 'tiles' | 'tileSize'>): TileBox[] {
  const boxes: TileBox[] = [];
  const [W, H] = t.tileSize;
  for (let j = 0; j < t.tiles[1]; j++) for (let i = 0; i < t.tiles[0]; i++) boxes.push({ x0: i * W, y0: j * H, w: Math.min(W, nx - i * W), h: Math.min(H, ny - j * H) });
  return boxes;
}

/**
 * Points a brick texture at its slices of `data` (a subarray of whole slices: no copy) and marks
 * it for upload. A tile narrower than the slices is uploaded as a sub-box of them (see tileUpload).
 */
function setBrick(t: Data3DTexture, data: TexelArray, firstSlice: number, [nx, ny]: [number, number], box: TileBox, format: TextureFormat): void {
  const perSlice = nx * ny * format.channels;
  const count = t.image.depth * perSlice;
  t.image.data = firstSlice === 0 && data.length === count ? data : data.subarray(firstSlice * perSlice, firstSlice * perSlice + count);
  // three.js (0.187) has no GL enum for RGBIntegerFormat (rgb48's RGB16UI): it would upload with a
  // null format (INVALID_ENUM, nothing drawn), so such a texture is sent by tileUpload as a tile is.
  const whole = box.w === nx && box.h === ny && format.gl.format !== 'RGB_INTEGER';
  // three.js allocates the storage only, then onUpdate sends the tile's box, in the same upload.
  t.source.dataReady = whole;
  t.onUpdate = whole
    ? null
    : () => {
        if (!uploadContext) throw new Error('INTERNAL ERROR: a texture tile is uploaded before setUploadContext');
        tileUpload(uploadContext, t, [nx, ny], box, format, 0, t.image.depth);
      };
  t.needsUpdate = true;
}

/**
 * The WebGL2 context the textures are drawn in (the app has one, kept across a context loss):
 * tiles are uploaded through it as three.js allocates them.
 */
let uploadContext: WebGL2RenderingContext | null = null;
export function setUploadContext(ctx: WebGL2RenderingContext): void {
  uploadContext = ctx;
}

/**
 * Sends slices [z0, z0 + count) of a brick from its slab's memory, with its 3D texture bound: the
 * tile's box of each slice (the whole slice for an untiled brick), its rows read from the full
 * slices (UNPACK_ROW_LENGTH, IMAGE_HEIGHT, SKIP_PIXELS, SKIP_ROWS), so no copy is made.
 */
function tileUpload(gl: WebGL2RenderingContext, t: Data3DTexture, [nx, ny]: [number, number], box: TileBox, format: TextureFormat, z0: number, count: number): void {
  const data = t.image.data as TexelArray;
  const perSlice = data.length / t.image.depth;
  // UNPACK_ALIGNMENT (1), FLIP_Y and PREMULTIPLY (false) are set by the caller, through three.js's cached state.
  gl.pixelStorei(gl.UNPACK_ROW_LENGTH, nx);
  gl.pixelStorei(gl.UNPACK_IMAGE_HEIGHT, ny);
  gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, box.x0);
  gl.pixelStorei(gl.UNPACK_SKIP_ROWS, box.y0);
  gl.texSubImage3D(gl.TEXTURE_3D, 0, 0, 0, z0, box.w, box.h, count, gl[format.gl.format], gl[format.gl.type], data.subarray(z0 * perSlice, (z0 + count) * perSlice));
  gl.pixelStorei(gl.UNPACK_ROW_LENGTH, 0);
  gl.pixelStorei(gl.UNPACK_IMAGE_HEIGHT, 0);
  gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, 0);
  gl.pixelStorei(gl.UNPACK_SKIP_ROWS, 0);
}

/** The texels of `slices` whole slices of `memory`: a view where the format allows, else a float32 copy. */
function texelView(memory: ArrayBufferLike, header: VolumeHeader, format: TextureFormat, slices: number): TexelArray {
  return texelData({ memory } as VoxelBuffer, { ...header, dims: [header.dims[0], header.dims[1], slices] }, format);
}

/** A texture over one buffer shows `data` now (another frame, or a new converted copy), uploaded before the next draw. */
export function setTexelData(t: VolumeTexture, data: TexelArray, dims: readonly number[]): void {
  const boxes = tileBoxes(dims[0], dims[1], t);
  t.slabs.forEach((s, n) => setBrick(s, data, t.slabStarts[Math.floor(n / boxes.length)], [dims[0], dims[1]], boxes[n % boxes.length], t.format));
}

/**
 * Uploads slices `slices` (k + t·nz, as a 4D buffer counts them) of the layer's memory into its
 * texture with texSubImage3D, in runs of neighbouring slices: a series shown while it arrives
 * sends each slice once, not the whole volume per update. When the texture has not reached the
 * GPU yet (or holds a converted copy) it is uploaded whole instead, which includes the slices.
 */
export function uploadSlices(gl: WebGLRenderer, t: VolumeTexture, buffer: VoxelBuffer, header: VolumeHeader, slices: Iterable<number>): void {
  if (t.format.convert) {
    setTexelData(t, t.allFrames ? texelData(buffer, header, t.format, 0, frameCount(header.dims)) : texelData(buffer, header, t.format, t.frame), header.dims);
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
  // Through three.js's state, which caches these: as its own upload of these textures sets them.
  gl.state.pixelStorei(ctx.UNPACK_FLIP_Y_WEBGL, false);
  gl.state.pixelStorei(ctx.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
  gl.state.pixelStorei(ctx.UNPACK_ALIGNMENT, 1);
  const boxes = tileBoxes(nx, ny, t);
  const slabOf = (z: number) => t.slabStarts.findLastIndex((first) => first <= z);
  for (let i = 0; i < depths.length; ) {
    // A run of neighbouring slices within one slab.
    const slab = slabOf(depths[i]);
    let j = i + 1;
    while (j < depths.length && depths[j] === depths[j - 1] + 1 && slabOf(depths[j]) === slab) j++;
    boxes.forEach((box, m) => {
      const texture = t.slabs[slab * boxes.length + m];
      const props = gl.properties.get(texture) as { __webglTexture?: WebGLTexture; __version?: number };
      // Not on the GPU yet: its first upload reads the memory as it is then.
      if (!props.__webglTexture || props.__version !== texture.version) return;
      gl.state.bindTexture(ctx.TEXTURE_3D, props.__webglTexture);
      tileUpload(ctx, texture, [nx, ny], box, t.format, depths[i] - t.slabStarts[slab], depths[j - 1] - depths[i] + 1);
    });
    i = j;
  }
}

/** How many brick textures a shader reads the layer from (shaders/chunks.ts TextureGrid): a number of z-slabs, or tiles × tiles × slabs. */
export const textureGrid = (t: VolumeTexture): TextureGrid => (t.tiles[0] * t.tiles[1] === 1 ? t.slabs.length : [t.tiles[0], t.tiles[1], t.slabStarts.length]);

/** The uniforms a shader built for `textureGrid(t)` needs past uVolume (uVolume1, …, uSlabStarts, uTileSize), names prefixed as the chunk was. */
export function slabUniforms(t: VolumeTexture, prefix = ''): Record<string, { value: unknown }> {
  if (t.slabs.length === 1) return {};
  const u: Record<string, { value: unknown }> = { [`${prefix}uSlabStarts`]: { value: slabStartsUniform(t.slabStarts, t.slabStarts.length) } };
  if (t.tiles[0] * t.tiles[1] > 1) u[`${prefix}uTileSize`] = { value: [...t.tileSize] };
  t.slabs.forEach((slab, n) => {
    if (n > 0) u[`${prefix}uVolume${n}`] = { value: slab };
  });
  return u;
}

/** uSlabStarts for a shader built for `length` z-slabs: the first slice of each of `starts`, the rest past any slice. */
export const slabStartsUniform = (starts: readonly number[], length: number): Int32Array => Int32Array.from({ length }, (_, n) => starts[n] ?? 2 ** 30);

/** uTileSize that keeps every fetch in the first tile (a one-texture copy bound in place of a tiled texture). */
export const ONE_TILE: [number, number] = [2 ** 30, 2 ** 30];
