// The one WebGL2 context: a canvas under the pane grid. Each shown pane has its own scene (an r3f
// portal) drawn into its rectangle with a scissored viewport, so every pane reads the same
// per-layer textures and nothing is uploaded twice.
import { Canvas, createPortal, useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo } from 'react';
import { OrthographicCamera, Scene } from 'three';
import { useViewerStore, type PaneKind, type ViewerState } from '../../state/viewerStore';
import type { Plane } from '../camera/sliceGeometry';
import { FrameSignal } from '../frameSignal';
import { readCaps } from '../textures/caps';
import { disposeLabelTable } from '../textures/labelTables';
import { disposeTransferTexture } from '../textures/transferTables';
import { acquireLayerTexture, releaseLayerTexture, setLayerTextureFrame } from '../textures/textureCache';
import { LayerPlane } from './LayerPlane';
import { layoutPanes } from './layouts';
import { paneElements, paneScenes, registerPaneScene } from './paneRegistry';
import { VolumeScene } from './VolumeScene';

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
      }}
    >
      <LayerTextures />
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
  useLayoutEffect(() => registerPaneScene(plane, scene, camera), [plane, scene, camera]);
  return createPortal(
    <>
      {layers.map((l, i) => (
        <LayerPlane key={l.id} layer={l} order={i} target={{ kind: 'pane', plane }} />
      ))}
    </>,
    scene,
  );
}

/** Draws every shown pane into its own rectangle of the canvas (r3f stops its own render when a useFrame has priority > 0). */
function Compositor() {
  useFrame(({ gl }) => {
    const { layout, primaryPane } = useViewerStore.getState();
    const canvasRect = gl.domElement.getBoundingClientRect();
    gl.setScissorTest(false);
    gl.clear();
    gl.setScissorTest(true);
    for (const { kind } of layoutPanes(layout, primaryPane)) {
      const el = paneElements.get(kind);
      const target = paneScenes.get(kind);
      if (!el || !target) continue;
      const r = el.getBoundingClientRect();
      const x = r.left - canvasRect.left;
      const y = canvasRect.bottom - r.bottom; // GL counts from the bottom
      gl.setViewport(x, y, r.width, r.height);
      gl.setScissor(x, y, r.width, r.height);
      gl.render(target.scene, target.camera);
    }
    gl.setScissorTest(false);
  }, 1);
  return null;
}

/** What the panes draw depends on these; the cursor, loads and notices do not redraw anything. */
const drawnState = (s: ViewerState) => [
  s.layers, s.crosshair, s.convention, s.layout, s.primaryPane, s.paneSizes, s.paneViews, s.orbit, s.showCrosshair,
  s.renderMode, s.projection, s.volumeStyles, s.clip, s.cut, s.quality, s.interacting,
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
