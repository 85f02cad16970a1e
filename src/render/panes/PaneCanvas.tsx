// The one WebGL2 context: a canvas under the pane grid. Each shown pane has its own scene (an r3f
// portal) drawn into its rectangle with a scissored viewport, so every pane reads the same
// per-layer textures and nothing is uploaded twice.
import { Canvas, createPortal, useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo } from 'react';
import { GLSL3, LinearFilter, Mesh, OrthographicCamera, PlaneGeometry, RawShaderMaterial, Scene, WebGLRenderTarget, type WebGLRenderer } from 'three';
import { useViewerStore, type PaneKind, type ViewerState } from '../../state/viewerStore';
import type { Plane } from '../camera/sliceGeometry';
import { firstSlicesPending, FrameSignal, noteSlicesDrawn } from '../frameSignal';
import { readCaps } from '../../gpu/caps';
import { disposeBrickTextures } from '../textures/brickTextures';
import { disposeEmptyDistanceTexture } from '../textures/emptyDistance';
import { disposeLabelTable } from '../textures/labelTables';
import { disposeTransferTexture } from '../textures/transferTables';
import { acquireLayerTexture, releaseLayerTexture, setLayerTextureFrame, setTextureRenderer, subscribeTextures, texturesVersion, uploadWrittenSlices } from '../textures/textureCache';
import { setUploadContext } from '../textures/textures';
import { ThresholdTint } from './ThresholdTint';
import { LayerPlane } from './LayerPlane';
import { layoutPanes } from './layouts';
import { paneElements, paneScenes, registerPaneScene, type PaneScene } from './paneRegistry';
import { sameImageKey } from './volumeImage';
import { sceneImageKey } from './sceneImageKey';
import { VolumeScene } from './VolumeScene';
import { ShaderWarmup } from '../shaderWarmup';

export function PaneCanvas() {
  const layout = useViewerStore((s) => s.layout);
  const primary = useViewerStore((s) => s.primaryPane);
  const panes = layoutPanes(layout, primary);
  return (
    <Canvas
      className="pane-canvas"
      frameloop="demand"
      dpr={[1, 2]}
      gl={{ antialias: false, alpha: false, powerPreference: 'high-performance' }}
      onCreated={({ gl }) => {
        gl.setClearColor(0x000000, 1);
        readCaps(gl.getContext() as WebGL2RenderingContext);
        setUploadContext(gl.getContext() as WebGL2RenderingContext);
        // Volumes being decoded upload their finished slices through it (textureCache.ts).
        setTextureRenderer(gl);
      }}
    >
      <LayerTextures />
      {/* The slice programs compiled before any file arrives (load → first frame). */}
      <ShaderWarmup />
      {panes.map((p) => (p.kind === '3d' ? <VolumeScene key={p.kind} /> : <SliceScene key={p.kind} plane={p.kind} />))}
      <Compositor />
      <StoreInvalidator />
      <FrameSignal />
    </Canvas>
  );
}

/** One texture per open layer, held for the layer's life in the canvas, whatever the layout. */
function LayerTextures() {
  const layers = useViewerStore((s) => s.layers);
  const invalidate = useThree((s) => s.invalidate);
  // A series arriving writes slices into a layer's memory: draw again, with them uploaded first.
  useEffect(() => subscribeTextures(invalidate), [invalidate]);
  useFrame(({ gl }) => uploadWrittenSlices(gl));
  return (
    <>
      {layers.map((l) => (
        <LayerTexture key={l.id} id={l.id} frame={l.display.frame} />
      ))}
    </>
  );
}

function LayerTexture({ id, frame }: { id: string; frame: number }) {
  // Layout effect: the texture exists before the first frame that could draw the layer.
  useLayoutEffect(() => {
    acquireLayerTexture(id);
    return () => {
      releaseLayerTexture(id);
      disposeLabelTable(id);
      disposeTransferTexture(id);
      disposeBrickTextures(id);
      disposeEmptyDistanceTexture(id);
    };
  }, [id]);
  const invalidate = useThree((s) => s.invalidate);
  useLayoutEffect(() => {
    setLayerTextureFrame(id, frame);
    invalidate();
  }, [id, frame, invalidate]);
  return null;
}

function SliceScene({ plane }: { plane: Plane }) {
  const layers = useViewerStore((s) => s.layers);
  const scene = useMemo(() => new Scene(), []);
  // Slice quads are in clip space: the camera is never used for them, but render() wants one.
  const camera = useMemo(() => new OrthographicCamera(-1, 1, 1, -1, 0, 1), []);
  // Drawn again only when what it draws changes (sceneImageKey.ts): while one pane pages, the
  // others' slabs are copied, not marched again.
  useLayoutEffect(() => registerPaneScene(plane, scene, camera, { cacheKey: () => sceneImageKey(scene, [texturesVersion()]) }), [plane, scene, camera]);
  return createPortal(
    <>
      {layers.map((l, i) => (
        <LayerPlane key={l.id} layer={l} order={i} plane={plane} />
      ))}
      <ThresholdTint plane={plane} />
    </>,
    scene,
  );
}

/** Draws every shown pane into its own rectangle of the canvas (r3f stops its own render when a useFrame has priority > 0). */
function Compositor() {
  const gl = useThree((s) => s.gl);
  const cache = useMemo(() => new PaneImageCache(), []);
  useEffect(() => {
    // After a context restore every offscreen image is gone: draw them again.
    const canvas = gl.domElement;
    const forget = () => cache.forget();
    canvas.addEventListener('webglcontextrestored', forget);
    return () => {
      canvas.removeEventListener('webglcontextrestored', forget);
      cache.dispose();
    };
  }, [gl, cache]);
  useFrame(({ gl }) => {
    const { layout, primaryPane } = useViewerStore.getState();
    const canvasRect = gl.domElement.getBoundingClientRect();
    // The slice panes' first frame with a new layer: the 3D pane shows its last image (none: blank) without its overlay, and casts next frame.
    const slicesFirst = firstSlicesPending();
    gl.setScissorTest(false);
    gl.clear();
    for (const { kind } of layoutPanes(layout, primaryPane)) {
      const el = paneElements.get(kind);
      const target = paneScenes.get(kind);
      if (!el || !target) continue;
      const r = el.getBoundingClientRect();
      const rect = { x: r.left - canvasRect.left, y: canvasRect.bottom - r.bottom, width: r.width, height: r.height }; // GL counts from the bottom
      if (kind === '3d' && slicesFirst) {
        // Its overlay (crosshair lines, clip box, pins) waits for the cast too: drawn to the screen,
        // its programs differ from those drawn into the cached image, and compiling them (and a
        // software renderer building their pipelines) would hold this frame.
        cache.drawLast(gl, kind, rect);
        continue;
      } else if (target.cacheKey) cache.draw(gl, kind, target, rect);
      else {
        setPaneViewport(gl, rect);
        gl.render(target.scene, target.camera);
      }
      if (target.overlay) {
        setPaneViewport(gl, rect);
        gl.autoClear = false;
        gl.render(target.overlay, target.camera);
        gl.autoClear = true;
      }
    }
    gl.setScissorTest(false);
    noteSlicesDrawn();
  }, 1);
  return null;
}

type Rect = { x: number; y: number; width: number; height: number };

function setPaneViewport(gl: WebGLRenderer, r: Rect): void {
  gl.setViewport(r.x, r.y, r.width, r.height);
  gl.setScissor(r.x, r.y, r.width, r.height);
  gl.setScissorTest(true);
}

/**
 * Offscreen images of the panes (the ray-cast volume, and the slice panes, whose slabs march many
 * samples a pixel): drawn again only when the pane's cache key or size changes, copied to the pane
 * otherwise. A slice pane's image is at the pane's own resolution, so the copy is pixel for pixel.
 */
class PaneImageCache {
  private readonly entries = new Map<string, { target: WebGLRenderTarget; key: readonly unknown[] | null }>();
  private readonly copyScene = new Scene();
  private readonly copyCamera = new OrthographicCamera(-1, 1, 1, -1, 0, 1);
  private readonly copyMaterial = new RawShaderMaterial({
    glslVersion: GLSL3,
    vertexShader: 'in vec3 position; out vec2 vUv; void main() { vUv = position.xy * 0.5 + 0.5; gl_Position = vec4(position.xy, 0.0, 1.0); }',
    fragmentShader: 'precision highp float; uniform sampler2D uImage; in vec2 vUv; out vec4 fragColor; void main() { fragColor = texture(uImage, vUv); }',
    uniforms: { uImage: { value: null } },
    depthTest: false,
    depthWrite: false,
  });

  constructor() {
    const quad = new Mesh(new PlaneGeometry(2, 2), this.copyMaterial);
    quad.frustumCulled = false;
    this.copyScene.add(quad);
  }

  draw(gl: WebGLRenderer, kind: string, pane: PaneScene, rect: Rect): void {
    const ratio = gl.getPixelRatio() * (pane.resolution?.() ?? 1);
    const w = Math.max(1, Math.round(rect.width * ratio));
    const h = Math.max(1, Math.round(rect.height * ratio));
    let e = this.entries.get(kind);
    if (!e) {
      // Linear: an image drawn at reduced resolution while dragging is stretched smoothly.
      // Slice quads test no depth: only the 3D pane's target has a depth buffer.
      e = { target: new WebGLRenderTarget(w, h, { depthBuffer: kind === '3d', minFilter: LinearFilter, magFilter: LinearFilter }), key: null };
      this.entries.set(kind, e);
    }
    const key = pane.cacheKey!();
    const sized = e.target.width === w && e.target.height === h;
    if (!sized) e.target.setSize(w, h);
    if (!sized || !sameImageKey(e.key, key)) {
      gl.setRenderTarget(e.target);
      gl.setScissorTest(false);
      // setViewport multiplies by the renderer's pixel ratio; the target is w × h device pixels.
      gl.setViewport(0, 0, w / gl.getPixelRatio(), h / gl.getPixelRatio());
      gl.render(pane.scene, pane.camera);
      gl.setRenderTarget(null);
      e.key = key;
    }
    this.copy(gl, e.target, rect);
  }

  /** Copies the pane's last image as it is, whatever it was drawn for; false when it has none. */
  drawLast(gl: WebGLRenderer, kind: string, rect: Rect): boolean {
    const e = this.entries.get(kind);
    if (!e?.key) return false;
    this.copy(gl, e.target, rect);
    return true;
  }

  private copy(gl: WebGLRenderer, target: WebGLRenderTarget, rect: Rect): void {
    setPaneViewport(gl, rect);
    this.copyMaterial.uniforms.uImage.value = target.texture;
    gl.render(this.copyScene, this.copyCamera);
  }

  forget(): void {
    for (const e of this.entries.values()) e.key = null;
  }

  dispose(): void {
    for (const e of this.entries.values()) e.target.dispose();
    this.entries.clear();
    this.copyMaterial.dispose();
  }
}

/** What the panes draw depends on these; the cursor, loads and notices do not redraw anything. */
const drawnState = (s: ViewerState) => [
  s.layers, s.crosshair, s.convention, s.layout, s.primaryPane, s.paneSizes, s.paneViews, s.orbit, s.showCrosshair,
  s.renderMode, s.projection, s.volumeStyles, s.clip, s.cut, s.quality, s.skipEmpty, s.interacting, s.pins,
  s.orientation, s.slabs,
];

function StoreInvalidator() {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(
    () =>
      useViewerStore.subscribe((s, prev) => {
        const a = drawnState(s);
        const b = drawnState(prev);
        if (a.some((v, i) => v !== b[i])) invalidate();
      }),
    [invalidate],
  );
  return null;
}

export type { PaneKind };
