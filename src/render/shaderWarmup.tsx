// The slice panes' programs, made ready when the canvas opens, before any file arrives: the first
// frame of a new layer then finds its program compiled and linked (three.js shares a program by
// its sources, and these materials hold one for the page's life) instead of compiling it between
// the upload and the draw. Compiled with KHR_parallel_shader_compile where the browser has it
// (three's compileAsync: the main thread is not blocked), then drawn once into a 1 × 1 corner of
// the canvas (cleared by the same frame's compositor) with a 1³ texture of each common format: a
// GPU that builds its pipelines or sampling code at the first draw (ANGLE on Vulkan, SwiftShader)
// builds them now. The mark `voxlens:shaders-warm` is set after that draw.
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import { GLSL3, Matrix4, Mesh, NoBlending, OrthographicCamera, PlaneGeometry, RawShaderMaterial, Scene, type Data3DTexture, type TypedArray } from 'three';
import { textureCaps } from '../gpu/caps';
import type { DataType } from '../volume/dataTypes';
import { layerFragmentShader, paneVertexShader } from './shaders/layerShader';
import { colormapTexture } from './textures/colormaps';
import { nearestTexture3D } from './textures/texture3d';
import { textureFormatFor } from './textures/textureFormats';

/** The stored types warmed: every sampler kind (int, float, uint), and the formats most volumes have. */
export const WARM_TYPES: readonly DataType[] = ['int16', 'float32', 'uint8', 'uint16'];

/** One voxel of each type, for the warm-up's textures. */
const ONE_VOXEL: Partial<Record<DataType, () => TypedArray>> = {
  int16: () => new Int16Array(1),
  float32: () => new Float32Array(1),
  uint8: () => new Uint8Array(1),
  uint16: () => new Uint16Array(1),
};

/**
 * The sources a thin slice of a bottom layer in one texture is drawn with (render/panes/LayerPlane.tsx
 * builds the same material for such a layer), per type warmed.
 */
export function warmupSources(types: readonly DataType[] = WARM_TYPES): { type: DataType; vertexShader: string; fragmentShader: string }[] {
  return types.map((type) => ({ type, vertexShader: paneVertexShader, fragmentShader: layerFragmentShader(textureFormatFor(type, textureCaps), 'base', 1, false) }));
}

interface Warmup {
  scene: Scene;
  camera: OrthographicCamera;
  dispose(): void;
  drawn: boolean;
}

function makeWarmup(): Warmup {
  const scene = new Scene();
  const geometry = new PlaneGeometry(2, 2);
  const owned: { dispose(): void }[] = [geometry];
  for (const { type, vertexShader, fragmentShader } of warmupSources()) {
    const format = textureFormatFor(type, textureCaps);
    const volume: Data3DTexture = nearestTexture3D(ONE_VOXEL[type]!(), [1, 1, 1], format);
    const material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader,
      fragmentShader,
      uniforms: {
        uVolume: { value: volume },
        // Every fragment at voxel 0, inside the 1³ grid: the draw fetches a texel (sampling code is built at its first fetch).
        uClipToVoxel: { value: new Matrix4().makeScale(0, 0, 0) },
        uDims: { value: [1, 1, 1] },
        uFrameZ: { value: 0 },
        uLinear: { value: false },
        uRawScale: { value: format.rawScale },
        uSlope: { value: 1 },
        uInter: { value: 0 },
        uWinLo: { value: 0 },
        uWinHi: { value: 1 },
        uOpacity: { value: 1 },
        uLut: { value: colormapTexture('gray') },
      },
      // As a bottom layer at full opacity is drawn.
      transparent: false,
      blending: NoBlending,
      depthTest: false,
      depthWrite: false,
    });
    const mesh = new Mesh(geometry, material);
    mesh.frustumCulled = false;
    scene.add(mesh);
    owned.push(material, volume);
  }
  return { scene, camera: new OrthographicCamera(-1, 1, 1, -1, 0, 1), dispose: () => owned.forEach((o) => o.dispose()), drawn: false };
}

/** In the canvas: compiles the slice programs when it opens and draws them once (see above). */
export function ShaderWarmup() {
  const gl = useThree((s) => s.gl);
  const invalidate = useThree((s) => s.invalidate);
  /** Set once its programs are compiled (and, with the parallel-compile extension, linked): ready to draw. */
  const ready = useRef<Warmup | null>(null);
  useEffect(() => {
    const warmup = makeWarmup();
    let live = true;
    // compileAsync without the extension compiles at once all the same, but three warns through the console
    // when it asks for the extension (SwiftShader lacks it): ask first, quietly.
    const compiled: Promise<unknown> = gl.extensions.has('KHR_parallel_shader_compile') ? gl.compileAsync(warmup.scene, warmup.camera) : Promise.resolve(gl.compile(warmup.scene, warmup.camera));
    void compiled.then(() => {
      if (!live) return;
      ready.current = warmup;
      invalidate();
    });
    // The materials hold their programs for the canvas's life (a disposed material's program is
    // deleted once nothing else uses it, and the next layer would compile it again).
    return () => {
      live = false;
      ready.current = null;
      warmup.dispose();
    };
  }, [gl, invalidate]);
  // Priority 0: before the compositor (priority 1), which clears the canvas before it draws the panes.
  useFrame(({ gl: renderer }) => {
    const warmup = ready.current;
    if (!warmup || warmup.drawn) return;
    warmup.drawn = true;
    renderer.setRenderTarget(null);
    renderer.setViewport(0, 0, 1, 1);
    renderer.setScissor(0, 0, 1, 1);
    renderer.setScissorTest(true);
    renderer.render(warmup.scene, warmup.camera);
    renderer.setScissorTest(false);
    performance.mark('voxlens:shaders-warm');
  });
  return null;
}
