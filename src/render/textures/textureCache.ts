// One texture per layer, shared by every pane that draws it. The cache owns the textures; the
// canvas's LayerTextures component acquires one per open layer (so a layout switch uploads
// nothing) and panes only borrow them through textureFor(). Disposing a texture releases its pin
// on the voxel buffer.
import { fitsTexture, MAX_TEXTURE_SLABS } from '../../gpu/plan';
import { getRecord, onVoxelsReplaced } from '../../state/layerRegistry';
import { onSlicesWritten } from '../../state/sliceWrites';
import { memoryChanged } from '../../state/runtime';
import { useViewerStore } from '../../state/viewerStore';
import { textureCaps } from '../../gpu/caps';
import { textureFormatFor } from './textureFormats';
import type { WebGLRenderer } from 'three';
import { disposeInteractionLevel, interactionLevels } from './interactionLevels';
import { createVolumeTexture, setTexelData, texelData, uploadSlices, type VolumeTexture } from './textures';
import { renderCopiesBytes } from './renderCopyTexture';
import { emptyDistanceBytes } from './emptyDistance';
import { brickTextureBytes } from './brickTextures';
import { onRegionWritten } from '../../segmentation/regionWrites';
import { unionBox, type Box } from '../../segmentation/grid';
import { onArrivingVoxels, type ArrivingEvent } from '../../state/arrivingVoxels';
import { DATA_TYPES } from '../../volume/dataTypes';
import { voxelCount } from '../../volume/header';
import { ArrivingUploads } from './arrivingUploads';
import type { VoxelBuffer } from '../../memory/voxelBuffer';

interface Entry {
  texture: VolumeTexture;
  refs: number;
}

const entries = new Map<string, Entry>();
const warned = new Set<string>();
/** Layers that cannot be displayed (a notice says why): frame() does not wait for them. */
const undisplayable = new Set<string>();
const listeners = new Set<() => void>();
let version = 0;
const changed = () => {
  version++;
  for (const l of listeners) l();
  memoryChanged();
};

/** Changes whenever a texture is created or disposed (cached pane images depend on it). */
export const texturesVersion = () => version;

/** Called when a texture is created or disposed (panes re-render to pick it up). */
export function subscribeTextures(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const isUndisplayable = (layerId: string) => undisplayable.has(layerId);

export function acquireLayerTexture(layerId: string): VolumeTexture | null {
  const existing = entries.get(layerId);
  if (existing) {
    existing.refs++;
    return existing.texture;
  }
  const texture = madeWhileDecoding(layerId) ?? makeTexture(layerId);
  if (texture) entries.set(layerId, { texture, refs: 1 });
  changed();
  return texture;
}

/** A new texture over the layer's memory as it is now, or null (with a notice) where it cannot be displayed. */
function makeTexture(layerId: string): VolumeTexture | null {
  const record = getRecord(layerId);
  if (!record) return null;
  const [nx, ny, nz] = record.header.dims;
  if (!fitsTexture(record.header.dims, textureFormatFor(record.header.datatype, textureCaps).bytesPerTexel, textureCaps)) {
    undisplayable.add(layerId);
    if (!warned.has(layerId)) {
      warned.add(layerId);
      useViewerStore.getState().notify({
        kind: 'warning',
        title: `${record.name} is not displayed`,
        layerId,
        message: `Its grid (${nx} × ${ny} × ${nz}) needs more than ${MAX_TEXTURE_SLABS} textures of this GPU's 3D texture limit (${textureCaps.max3DSize} voxels a side). Probes still read its exact values.`,
      });
    }
    return null;
  }
  performance.mark(`voxlens:texture:${layerId}`);
  const texture = createVolumeTexture(record.slabs ?? record.buffer, record.header, `texture of ${record.name}`, textureCaps);
  if (texture.format.convert && !warned.has(layerId)) {
    warned.add(layerId);
    useViewerStore.getState().notify({ kind: 'warning', title: `${record.name}: display converted`, message: texture.format.convert.reason, layerId });
  }
  return texture;
}

// --- Textures uploaded while the volume decodes (issue 25, load speed) -------------------------
/** The renderer the textures are drawn by (the app has one, kept across a context loss). */
let renderer: WebGLRenderer | null = null;
export function setTextureRenderer(gl: WebGLRenderer): void {
  renderer = gl;
}

/** Textures of volumes being decoded, each over the memory the decoder fills, by layer id. */
const arriving = new ArrivingUploads<{ texture: VolumeTexture; buffer: VoxelBuffer }>();

onArrivingVoxels((e: ArrivingEvent) => {
  if (e.kind === 'start') startArriving(e);
  else if (e.kind === 'written') {
    try {
      arriving.written(e.layerId, e.bytes);
    } catch (error) {
      // A bug in the early upload must not break the load: the layer's texture is made as before.
      arriving.abandon(e.layerId);
      memoryChanged();
      console.error(error);
    }
  } else if (arriving.abandon(e.layerId)) memoryChanged();
});

/**
 * The texture for a volume whose header was just read: its storage allocated now (texStorage3D,
 * no data), each run of finished slices sent from the same memory as the decoder writes it
 * (texSubImage3D of views: no copy). Only where it is drawn as the layer's first texture would
 * be: one texture (or z-slabs), no tiles, no converted copy; else the layer's first use makes it.
 */
function startArriving({ layerId, buffer, header, label }: Extract<ArrivingEvent, { kind: 'start' }>): void {
  const gl = renderer;
  if (!gl || entries.has(layerId) || gl.getContext().isContextLost()) return;
  const format = textureFormatFor(header.datatype, textureCaps);
  if (format.convert || !fitsTexture(header.dims, format.bytesPerTexel, textureCaps)) return;
  const texture = createVolumeTexture(buffer, header, label, textureCaps);
  // Tiles (and RGB16UI) upload in onUpdate: left to the first use.
  if (texture.slabs.some((s) => s.onUpdate !== null || !s.source.dataReady)) {
    texture.dispose();
    return;
  }
  for (const s of texture.slabs) {
    s.source.dataReady = false;
    gl.initTexture(s);
    // A later upload (after a context loss) sends every byte again, from the memory as it is then.
    s.source.dataReady = true;
  }
  performance.mark(`voxlens:texture:${layerId}`);
  const [nx, ny] = header.dims;
  const sliceBytes = nx * ny * DATA_TYPES[header.datatype].bytesPerVoxel;
  arriving.start(layerId, {
    value: { texture, buffer },
    // Slices k + t·nz of every frame (a pooled buffer may be longer than the voxels).
    slices: voxelCount(header.dims) / (nx * ny),
    sliceBytes,
    gpuBytes: texture.gpuBytes,
    upload: (from, to) => {
      uploadSlices(gl, texture, buffer, header, sliceRange(from, to));
      // Sent now, not at the first draw: WebGL implementations queue uploads until a flush, so
      // without it every run would be copied at once when the layer is first drawn.
      gl.getContext().flush();
    },
    dispose: () => texture.dispose(),
  });
  memoryChanged();
}

/** The texture made while the layer's volume decoded, if it is over the layer's memory as added; else null (and it is dropped). */
function madeWhileDecoding(layerId: string): VolumeTexture | null {
  const got = arriving.take(layerId);
  if (!got) return null;
  const record = getRecord(layerId);
  const { texture, buffer } = got.value;
  if (!record || record.slabs || record.buffer !== buffer) {
    texture.dispose();
    return null;
  }
  // Its pin comes after the layer's, as for a texture made at first use (pins are listed in the order taken).
  texture.renewPins();
  // Every slice was sent while decoding (the normal case); else the rest now, or all of it at first use where it is not on the GPU.
  if (!got.complete && renderer) uploadSlices(renderer, texture, buffer, record.header, sliceRange(got.uploaded, got.slices));
  return texture;
}

/**
 * A layer's voxels were replaced (a finer level arrived): the panes that hold its texture get one
 * over the new memory, showing the same frame, and the old one is disposed (releasing its pin on
 * the old memory). A layer no pane draws yet needs nothing: its first texture reads the new memory.
 */
onVoxelsReplaced((layerId) => {
  const e = entries.get(layerId);
  if (!e) return;
  const frame = e.texture.frame;
  disposeInteractionLevel(layerId);
  const texture = makeTexture(layerId);
  writtenSlices.delete(layerId);
  e.texture.dispose();
  if (texture) {
    e.texture = texture;
    if (frame !== 0) setLayerTextureFrame(layerId, frame);
  } else entries.delete(layerId);
  changed();
});

/**
 * Shows another frame of a 4D layer. When every frame is resident this is only a note of which
 * frame the shader offsets to; otherwise the texture's data becomes a view over that frame of the
 * same pinned buffer (or a new converted copy) and three.js uploads it into the existing storage;
 * a grid in several buffers gets new slab textures for the frame.
 */
export function setLayerTextureFrame(layerId: string, frame: number): void {
  const e = entries.get(layerId);
  const record = getRecord(layerId);
  if (!e || !record || e.texture.frame === frame) return;
  e.texture.frame = frame;
  if (e.texture.allFrames) return;
  if (record.slabs) {
    // In several buffers a frame's slabs differ in number and depth (a buffer may end inside it):
    // textures of their own, the old ones disposed.
    const texture = createVolumeTexture(record.slabs, record.header, `texture of ${record.name}`, textureCaps, frame);
    e.texture.dispose();
    e.texture = texture;
    changed();
    return;
  }
  setTexelData(e.texture, texelData(record.buffer, record.header, e.texture.format, frame), record.header.dims);
}

/** Slices written into a layer's memory since its texture was made, sent before the next draw. */
const writtenSlices = new Map<string, Set<number>>();

/**
 * Slices of a layer's memory that changed (a series arriving; the loaders announce them through
 * state/sliceWrites.ts): they reach the texture before the next frame, and cached pane images are
 * redrawn. A layer with no texture yet needs nothing: its first upload reads the memory as it is then.
 */
onSlicesWritten((layerId, slices) => {
  if (!entries.has(layerId)) return;
  // Its coarse copy was made from the memory as it was.
  disposeInteractionLevel(layerId);
  const set = writtenSlices.get(layerId) ?? new Set<number>();
  for (const s of slices) set.add(s);
  writtenSlices.set(layerId, set);
  changed();
});

/** Sends the written slices collected above (the canvas calls this before it draws). */
export function uploadWrittenSlices(gl: WebGLRenderer): void {
  for (const [layerId, slices] of writtenSlices) {
    const e = entries.get(layerId);
    const record = getRecord(layerId);
    if (e && record) uploadSlices(gl, e.texture, record.buffer, record.header, slices);
  }
  writtenSlices.clear();
  uploadWrittenRegions(gl);
}

// --- Boxes edited in place (segmentation, issue 24) -------------------------------------------
const writtenRegions = new Map<string, { box: Box; done: (() => void)[] }>();

/**
 * A box of a layer's memory was edited in place: it reaches the texture before the next draw, as
 * one texSubImage3D of the box read from the same memory (no copy). Resolves once it is on the
 * GPU, or at once when no texture draws the layer (its first upload reads the memory as it is).
 */
export function updateRegion(layerId: string, box: Box): Promise<void> {
  if (!entries.has(layerId)) return Promise.resolve();
  disposeInteractionLevel(layerId);
  return new Promise((resolve) => {
    const pending = writtenRegions.get(layerId);
    writtenRegions.set(layerId, { box: pending ? unionBox(pending.box, box) : box, done: [...(pending?.done ?? []), resolve] });
    changed();
  });
}
onRegionWritten(updateRegion);

function uploadWrittenRegions(gl: WebGLRenderer): void {
  for (const [layerId, { box, done }] of writtenRegions) {
    const e = entries.get(layerId);
    const record = getRecord(layerId);
    const t = e?.texture;
    const props = t ? (gl.properties.get(t.texture) as { __webglTexture?: WebGLTexture; __version?: number }) : {};
    // Not on the GPU yet: its first upload reads the memory as it is then.
    if (t && record && props.__webglTexture && props.__version === t.texture.version) {
      if (t.slabs.length === 1 && !t.format.convert && t.frame === 0) {
        const ctx = gl.getContext() as WebGL2RenderingContext;
        const [nx, ny] = record.header.dims;
        const data = t.texture.image.data as Uint8Array | Uint16Array;
        gl.state.pixelStorei(ctx.UNPACK_FLIP_Y_WEBGL, false);
        gl.state.pixelStorei(ctx.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
        gl.state.pixelStorei(ctx.UNPACK_ALIGNMENT, 1);
        gl.state.bindTexture(ctx.TEXTURE_3D, props.__webglTexture);
        // The box's rows read from the whole slices of the same memory (no copy).
        ctx.pixelStorei(ctx.UNPACK_ROW_LENGTH, nx);
        ctx.pixelStorei(ctx.UNPACK_IMAGE_HEIGHT, ny);
        ctx.pixelStorei(ctx.UNPACK_SKIP_PIXELS, box.lo[0]);
        ctx.pixelStorei(ctx.UNPACK_SKIP_ROWS, box.lo[1]);
        const [w, h, d] = [0, 1, 2].map((a) => box.hi[a] - box.lo[a]);
        ctx.texSubImage3D(ctx.TEXTURE_3D, 0, box.lo[0], box.lo[1], box.lo[2], w, h, d, ctx[t.format.gl.format], ctx[t.format.gl.type], data.subarray(box.lo[2] * nx * ny, box.hi[2] * nx * ny));
        ctx.pixelStorei(ctx.UNPACK_ROW_LENGTH, 0);
        ctx.pixelStorei(ctx.UNPACK_IMAGE_HEIGHT, 0);
        ctx.pixelStorei(ctx.UNPACK_SKIP_PIXELS, 0);
        ctx.pixelStorei(ctx.UNPACK_SKIP_ROWS, 0);
      } else {
        // Bricks or a converted copy: the box's slices, as a series arriving sends them.
        uploadSlices(gl, t, record.buffer, record.header, sliceRange(box.lo[2], box.hi[2]));
      }
    }
    for (const d of done) d();
  }
  writtenRegions.clear();
}

export function releaseLayerTexture(layerId: string): void {
  undisplayable.delete(layerId);
  const e = entries.get(layerId);
  if (!e) return;
  if (--e.refs > 0) return;
  entries.delete(layerId);
  writtenSlices.delete(layerId);
  for (const d of writtenRegions.get(layerId)?.done ?? []) d();
  writtenRegions.delete(layerId);
  disposeInteractionLevel(layerId);
  e.texture.dispose();
  changed();
}

export function textureFor(layerId: string): VolumeTexture | undefined {
  return entries.get(layerId)?.texture;
}

export function textureStats(): { textureBytes: number; convertedBytes: number; byBuffer: Map<string, number>; mapBytes: number } {
  let textureBytes = 0;
  let convertedBytes = 0;
  const byBuffer = new Map<string, number>();
  // A texture made while its volume decodes counts from when its storage is allocated.
  for (const texture of [...[...entries.values()].map((e) => e.texture), ...arriving.values().map((a) => a.texture), ...interactionLevels().map((l) => l.volume)]) {
    textureBytes += texture.gpuBytes;
    convertedBytes += texture.convertedBytes;
    byBuffer.set(texture.bufferId, (byBuffer.get(texture.bufferId) ?? 0) + texture.gpuBytes);
  }
  // The 3D pane's render copies (renderCopyTexture.ts) hold no voxel buffer, but GPU bytes all the same.
  // The empty-space maps (per-brick ranges, leap distances): GPU bytes of their own, apart from the textures.
  return { textureBytes: textureBytes + renderCopiesBytes(), convertedBytes, byBuffer, mapBytes: brickTextureBytes() + emptyDistanceBytes() };
}

/** Slice indices [from, to). */
function sliceRange(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, n) => from + n);
}
