// The 3D pane's render copy on the GPU: an RG8 (or R16F) 3D render target the size of the layer's grid,
// filled from the exact texture by one full-screen pass per z-layer (shaders/chunks.ts
// renderCopyFragmentShader: texelFetch through texelAt at voxel centres, the value normalised over
// the layer's exact scaled range, as 16 bits in two bytes or a half float: renderCopy.ts). Linear filtering of it is the fast path's one fetch
// per sample. Range-normalised, so a window or transfer change reuses it; the owner rebuilds it
// when the data changes (frame, slices, context restore: its key). Owned by the component that
// casts the layer (VolumeRender), which disposes it; the live copies are listed here for the memory
// figures (textureCache.ts textureStats, the memory panel).
import { GLSL3, HalfFloatType, LinearFilter, Mesh, OrthographicCamera, PlaneGeometry, RawShaderMaterial, RedFormat, RGFormat, Scene, UnsignedByteType, WebGL3DRenderTarget, type Data3DTexture, type WebGLRenderer } from 'three';
import { memoryChanged } from '../../state/runtime';
import { renderCopyFragmentShader, renderCopyVertexShader } from '../shaders/chunks';
import { RENDER_COPY_BYTES_PER_VOXEL, type RenderCopyFormat, type RenderPath, type RenderRange } from './renderCopy';
import { slabUniforms, textureGrid, type VolumeTexture } from './textures';

export interface RenderCopyInfo {
  layerId: string;
  /** "3D render copy of <layer>" */
  label: string;
  internalFormat: RenderCopyFormat;
  bytes: number;
}

const live = new Map<RenderCopy, RenderCopyInfo>();
let snapshot: readonly RenderCopyInfo[] = [];
const listeners = new Set<() => void>();

function copiesChanged(): void {
  snapshot = [...live.values()];
  for (const l of listeners) l();
  memoryChanged();
}

/** The render copies on the GPU now (a new array whenever one is made or freed). */
export const renderCopies = (): readonly RenderCopyInfo[] => snapshot;

/** GPU bytes of every render copy (counted in textureStats().textureBytes and the GPU budget). */
export const renderCopiesBytes = (): number => snapshot.reduce((n, c) => n + c.bytes, 0);

export function subscribeRenderCopies(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The path each cast layer took at its last full-quality frame (voxlens.renderPath()). */
const paths = new Map<string, RenderPath>();

export function setRenderPath(layerId: string, path: RenderPath | null): void {
  if (path) paths.set(layerId, path);
  else paths.delete(layerId);
}

export const renderPathOf = (layerId: string): RenderPath | undefined => paths.get(layerId);

/** Whether R16F can be rendered to here (WebGL2 filters half floats; rendering to them needs one of these). */
export function halfFloatRenderable(gl: WebGLRenderer): boolean {
  return gl.extensions.has('EXT_color_buffer_float') || gl.extensions.has('EXT_color_buffer_half_float');
}

/** What a copy is made from. */
export interface RenderCopySource {
  layerId: string;
  name: string;
  volume: VolumeTexture;
  dims: readonly [number, number, number];
  /** The k offset of the shown frame where every frame is stacked in the texture (as uFrameZ). */
  frameZ: number;
  slope: number;
  inter: number;
  range: RenderRange;
  /** How the copy holds its values (renderCopy.ts renderCopyFormat). */
  format: RenderCopyFormat;
}

/** The copy-pass: a quad, its material (per sampler kind and brick grid) and a camera it ignores. */
interface CopyPass {
  signature: string;
  scene: Scene;
  camera: OrthographicCamera;
  material: RawShaderMaterial;
  geometry: PlaneGeometry;
}

/** One layer's render copy; its owner calls dispose(). */
export class RenderCopy {
  private target: WebGL3DRenderTarget | null = null;
  private key: readonly unknown[] | null = null;
  private pass: CopyPass | null = null;

  /** GPU bytes held (0 when no copy is). */
  get bytes(): number {
    return live.get(this)?.bytes ?? 0;
  }

  /** The copy's texture if it was made under `key`, else null. */
  current(key: readonly unknown[]): Data3DTexture | null {
    return this.target && this.key && sameKey(this.key, key) ? this.target.texture : null;
  }

  /** The copy of `src` under `key`: the one held, or made now (one pass per z-layer). */
  ensure(gl: WebGLRenderer, src: RenderCopySource, key: readonly unknown[]): Data3DTexture {
    const held = this.current(key);
    if (held) return held;
    const [nx, ny, nz] = src.dims;
    const rg8 = src.format === 'RG8';
    if (!this.target || this.target.width !== nx || this.target.height !== ny || this.target.depth !== nz || (this.target.texture.format === RGFormat) !== rg8) {
      this.target?.dispose();
      this.target = new WebGL3DRenderTarget(nx, ny, nz, {
        type: rg8 ? UnsignedByteType : HalfFloatType,
        format: rg8 ? RGFormat : RedFormat,
        minFilter: LinearFilter,
        magFilter: LinearFilter,
        depthBuffer: false,
        generateMipmaps: false,
      });
    }
    live.set(this, { layerId: src.layerId, label: `3D render copy of ${src.name}`, internalFormat: src.format, bytes: nx * ny * nz * RENDER_COPY_BYTES_PER_VOXEL });
    const pass = this.passFor(src.volume);
    const u = pass.material.uniforms;
    u.uVolume.value = src.volume.texture;
    for (const [name, v] of Object.entries(slabUniforms(src.volume))) u[name] = v;
    u.uDims.value = [nx, ny, nz];
    u.uFrameZ.value = src.frameZ;
    u.uRawScale.value = src.volume.format.rawScale;
    u.uSlope.value = src.slope;
    u.uInter.value = src.inter;
    u.uRenderLo.value = src.range.lo;
    u.uRenderSpan.value = src.range.hi - src.range.lo;
    u.uRG8.value = rg8;
    const before = { target: gl.getRenderTarget(), face: gl.getActiveCubeFace(), level: gl.getActiveMipmapLevel(), autoClear: gl.autoClear };
    // Every texel of each layer is written: nothing to clear.
    gl.autoClear = false;
    for (let z = 0; z < nz; z++) {
      u.uLayer.value = z;
      gl.setRenderTarget(this.target, z);
      gl.render(pass.scene, pass.camera);
    }
    gl.setRenderTarget(before.target, before.face, before.level);
    gl.autoClear = before.autoClear;
    this.key = key;
    // Counted by tests: a window or transfer change must not rebuild it.
    performance.mark(`voxlens:render-copy:${src.layerId}`);
    copiesChanged();
    return this.target.texture;
  }

  /** The GPU forgot the copy's contents (a context restore): the next ensure() makes it again. */
  invalidate(): void {
    this.key = null;
  }

  /** Frees the copy (the pass is kept for a later one); a no-op when none is held. */
  release(): void {
    if (!this.target) return;
    this.target.dispose();
    this.target = null;
    this.key = null;
    live.delete(this);
    copiesChanged();
  }

  dispose(): void {
    this.release();
    if (this.pass) {
      this.pass.material.dispose();
      this.pass.geometry.dispose();
      this.pass = null;
    }
  }

  private passFor(volume: VolumeTexture): CopyPass {
    const grid = textureGrid(volume);
    const signature = `${volume.format.sampler}|${String(grid)}`;
    if (this.pass?.signature === signature) return this.pass;
    if (this.pass) {
      this.pass.material.dispose();
      this.pass.geometry.dispose();
    }
    const material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: renderCopyVertexShader,
      fragmentShader: renderCopyFragmentShader(volume.format.sampler, grid),
      uniforms: {
        uVolume: { value: null },
        uDims: { value: [1, 1, 1] },
        uFrameZ: { value: 0 },
        uLinear: { value: false },
        uLayer: { value: 0 },
        uRawScale: { value: 1 },
        uSlope: { value: 1 },
        uInter: { value: 0 },
        uRenderLo: { value: 0 },
        uRenderSpan: { value: 1 },
        uRG8: { value: false },
      },
      depthTest: false,
      depthWrite: false,
    });
    const geometry = new PlaneGeometry(2, 2);
    const quad = new Mesh(geometry, material);
    quad.frustumCulled = false;
    const scene = new Scene();
    scene.add(quad);
    this.pass = { signature, scene, camera: new OrthographicCamera(-1, 1, 1, -1, 0, 1), material, geometry };
    return this.pass;
  }
}

const sameKey = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);
