// The ray-cast volume in the 3D pane: the layer's voxel box drawn with its back faces, each
// fragment marching its ray through the layer's texture (shaders/rayShader.ts). Uniforms are set
// per frame from the store, and from the pane's camera as the mesh is drawn; the material is rebuilt only when the texture
// or its format changes. At full quality a one-texture layer is cast from its render copy (one
// hardware-filtered fetch a sample: textures/renderCopy.ts says when). Each path and mode draws
// with its own program (the mode a constant), all over the same uniforms. Borrows the texture
// from the cache; owns its materials, box and render copy.
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { BackSide, BoxGeometry, GLSL3, type Data3DTexture, type DataTexture, Matrix3, Matrix4, NormalBlending, RawShaderMaterial, Vector3, Vector4, type Mesh } from 'three';
import { getRecord } from '../../state/layerRegistry';
import { voxelCount } from '../../volume/header';
import { gpuBudgetBytes } from '../../state/runtime';
import { toMatrix4 } from '../camera/matrix4';
import { useViewerStore, type ColormapName, type LayerMeta } from '../../state/viewerStore';
import { volumeStyleOf } from '../../state/volumeStyle';
import { NO_SHADING, transferDomain } from '../../volume/transfer';
import { firstSlicesPending, markLayerDrawn } from '../frameSignal';
import { RAY_MODES, rayFragmentShader, rayVertexShader, type RayProgram } from '../shaders/rayShader';
import { textureBrickGrid } from '../textures/brickTextures';
import { textureCaps } from '../../gpu/caps';
import { colormapTable, colormapTexture } from '../textures/colormaps';
import { type BrickBox, emptyDistanceTextureFor, NO_EMPTY_DISTANCE } from '../textures/emptyDistance';
import { labelTableFor } from '../textures/labelTables';
import { interactionLevelFor, setShownInteractionLevel } from '../textures/interactionLevels';
import { ONE_TILE, slabStartsUniform, slabUniforms, textureGrid, type VolumeTexture } from '../textures/textures';
import { subscribeTextures, textureFor, textureStats, texturesVersion, uploadWrittenSlices } from '../textures/textureCache';
import { decideRenderPath, RENDER_COPY_BYTES_PER_VOXEL, renderCopyFormat, renderCopyMix, renderCopySlack, renderRange } from '../textures/renderCopy';
import { halfFloatRenderable, RenderCopy, setRenderPath } from '../textures/renderCopyTexture';
import { rg8FiltersExactly } from '../textures/rg8Probe';
import { transferTextureFor } from '../textures/transferTables';
import { brickEntry, coarse3D, cutSign, emptinessKey, packReach, PROJECTION_TOLERANCE, projectionReach, rayBox, rayStepVoxels, staticEmptiness } from './rayParams';
import { fitOverlays, TEXTURE_UNITS } from './overlayFit';

const NO_CLIP = { lo: new Vector3(-1e30, -1e30, -1e30), hi: new Vector3(1e30, 1e30, 1e30) };

/** An overlay the cast reads: its layer id and texture; uniforms and shader names `ov<i>_…`, `uOv<i>…` by its place in `drawn`. */
interface DrawnOverlay {
  id: string;
  texture: VolumeTexture;
}

/** The GPU budget left after every texture and empty-space map (the 3D pane's render copy and coarse copy are sized against it). */
function gpuRoomLeft(): number {
  const t = textureStats();
  return gpuBudgetBytes - t.textureBytes - t.mapBytes;
}

/**
 * `overlays`: other layers drawn as opaque surfaces inside `layer` (label regions, or above their
 * window's low end), in draw order; those that fit one draw's texture units (overlayFit.ts, label
 * maps such as segmentations first).
 */
export function VolumeRender({ layer, overlays = [] }: { layer: LayerMeta; overlays?: readonly LayerMeta[] }) {
  const volume = useSyncExternalStore(subscribeTextures, () => textureFor(layer.id) ?? null);
  const overlayIds = overlays.map((o) => o.id).join('\n');
  const labelKey = overlays.map((o) => (o.display.colormap === 'label' ? 'l' : '-')).join('');
  // Each overlay's texture: the same array while none changes (a stable snapshot).
  const overlaySnapshot = useMemo(() => {
    const ids = overlayIds ? overlayIds.split('\n') : [];
    let last: (VolumeTexture | null)[] = [];
    return () => {
      const next = ids.map((id) => textureFor(id) ?? null);
      if (next.length !== last.length || next.some((t, i) => t !== last[i])) last = next;
      return last;
    };
  }, [overlayIds]);
  const overlayVolumes = useSyncExternalStore(subscribeTextures, overlaySnapshot);
  const fit = useMemo(() => {
    const ids = overlayIds ? overlayIds.split('\n') : [];
    const ready = ids.flatMap((id, i) => {
      const texture = overlayVolumes[i];
      return texture && texture.format.channels === 1 ? [{ id, texture, label: labelKey[i] === 'l' }] : [];
    });
    if (!volume) return { drawn: [] as DrawnOverlay[], leftOut: [] as DrawnOverlay[] };
    const { drawn, leftOut } = fitOverlays(
      volume.slabs.length,
      ready.map((o) => ({ slabs: o.texture.slabs.length, label: o.label })),
    );
    const pick = (i: number): DrawnOverlay => ({ id: ready[i].id, texture: ready[i].texture });
    return { drawn: drawn.map(pick), leftOut: leftOut.map(pick) };
  }, [volume, overlayVolumes, overlayIds, labelKey]);
  // One left out counts as drawn (frame() waits for nothing more), and a notice says why.
  useEffect(() => {
    if (!volume) return;
    for (const o of fit.leftOut) {
      const name = useViewerStore.getState().layers.find((l) => l.id === o.id)?.name ?? o.id;
      useViewerStore.getState().notify({
        kind: 'warning',
        title: `${name} is not drawn in the 3D pane`,
        message: `Its ${o.texture.slabs.length} brick textures, the ${volume.slabs.length} of ${layer.name} and those of the other layers drawn in 3D need more than the ${TEXTURE_UNITS} texture units one WebGL2 draw has. The slice panes show them all.`,
      });
    }
    // Once per set of textures.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fit]);
  const mesh = useRef<Mesh>(null);
  const geometry = useMemo(() => new BoxGeometry(1, 1, 1), []);
  useLayoutEffect(() => () => geometry.dispose(), [geometry]);

  // The layer's slab starts, and the same length with every fetch in the first slab (the coarse copy is one texture).
  const slabStarts = useMemo(() => (volume ? { own: slabStartsUniform(volume.slabStarts, volume.slabStarts.length), one: slabStartsUniform([0], volume.slabStarts.length) } : null), [volume]);
  const materials = useMemo(() => {
    if (!volume || volume.format.channels > 1) return null;
    const grid = textureGrid(volume);
    // One uniforms object for both materials: whichever draws, it was set this frame.
    const uniforms = {
      uVolume: { value: volume.texture },
      ...slabUniforms(volume),
      ...Object.assign({}, ...fit.drawn.map((o, i) => overlayUniforms(i, o.texture))),
      uDims: { value: layer.dims.slice(0, 3) },
      uFrameZ: { value: 0 },
      uLinear: { value: true },
      uRawScale: { value: volume.format.rawScale },
      uSlope: { value: layer.slope },
      uInter: { value: layer.inter },
      uWinLo: { value: 0 },
      uWinHi: { value: 1 },
      uLut: { value: colormapTexture('gray') },
      uOpacity: { value: 1 },
      uWorldToVoxel: { value: new Matrix4() },
      uVoxelToWorld: { value: new Matrix4() },
      uVoxelToClip: { value: new Matrix4() },
      uCamVoxel: { value: new Vector3() },
      uMode: { value: 0 },
      uStep: { value: 1 },
      uViewport: { value: new Vector4(0, 0, 1, 1) },
      uPixelRay: { value: new Vector4(1, 1, 0, 0) },
      uViewToVoxel: { value: new Matrix3() },
      uBoxLo: { value: new Vector3() },
      uBoxHi: { value: new Vector3() },
      uClipLo: { value: NO_CLIP.lo.clone() },
      uClipHi: { value: NO_CLIP.hi.clone() },
      uCut: { value: false },
      uCutCentre: { value: new Vector3() },
      uCutSign: { value: new Vector3(1, 1, 1) },
      uCutFrame: { value: new Matrix3() },
      uTransfer: { value: null },
      uTfLo: { value: 0 },
      uTfHi: { value: 1 },
      uIso: { value: 0 },
      uIsoSign: { value: 1 },
      uHasOverlay: { value: fit.drawn.length > 0 },
      uShade: { value: false },
      uAmbient: { value: NO_SHADING.ambient },
      uDiffuse: { value: NO_SHADING.diffuse },
      uSpecular: { value: NO_SHADING.specular },
      uSpecularPower: { value: NO_SHADING.specularPower },
      uSkip: { value: false },
      uBrickSize: { value: 8 },
      uLeap: { value: false },
      uEmptyDist: { value: NO_EMPTY_DISTANCE },
      uReach: { value: new Int32Array(128) },
      uQuietFrom: { value: 256 },
      uRender: { value: null },
      uRenderLo: { value: 0 },
      uRenderSpan: { value: 1 },
      uRenderMix: { value: [1, 0] },
    };
    const make = (program: RayProgram) =>
      new RawShaderMaterial({
        glslVersion: GLSL3,
        vertexShader: rayVertexShader,
        fragmentShader: rayFragmentShader(
          volume.format,
          fit.drawn.map((o) => o.texture.format),
          grid,
          fit.drawn.map((o) => textureGrid(o.texture)),
          program,
        ),
        uniforms,
        side: BackSide,
        transparent: true,
        blending: NormalBlending,
        depthTest: true,
        depthWrite: true,
      });
    // Only a layer in one texture gets a render copy (decideRenderPath); three compiles a program when it first draws.
    // One program per mode, path and what the draw needs compiled in (RayProgram), made when first
    // drawn: the mode is a constant in each, so a sample runs only its own mode's code (a software
    // renderer runs every branch a uniform picks).
    const byMode = new Map<string, RawShaderMaterial>();
    const forMode = (program: Required<Pick<RayProgram, 'fast' | 'mode' | 'shade' | 'cut' | 'marchOnly'>>) => {
      const key = `${program.fast}:${program.mode}:${program.shade}:${program.cut}:${program.marchOnly}`;
      let m = byMode.get(key);
      if (!m) byMode.set(key, (m = make(program)));
      return m;
    };
    return { exact: make({}), fast: volume.slabs.length === 1 ? make({ fast: true }) : null, forMode, byMode };
  }, [volume, layer.dims, layer.slope, layer.inter, fit]);
  const material = materials?.exact ?? null;
  const fastMaterial = materials?.fast ?? null;

  const gl = useThree((s) => s.gl);
  const invalidate = useThree((s) => s.invalidate);
  const renderCopy = useMemo(() => new RenderCopy(), []);
  // The coarse copy's own render copy (a large layer while the view moves): made at the first such
  // frame on the fast path, kept while the pane casts the layer, so every later drag has it.
  const levelCopy = useMemo(() => new RenderCopy(), []);
  useLayoutEffect(
    () => () => {
      // No 3D pane (or another layer cast): the copies' GPU memory goes with them.
      renderCopy.dispose();
      levelCopy.dispose();
      setRenderPath(layer.id, null);
    },
    [renderCopy, levelCopy, layer.id],
  );
  useEffect(() => {
    if (volume) return;
    renderCopy.release();
    levelCopy.release();
  }, [volume, renderCopy, levelCopy]);
  useEffect(() => {
    // A restored context has lost the copies' texels: made again at their next use.
    const canvas = gl.domElement;
    const forget = () => {
      renderCopy.invalidate();
      levelCopy.invalidate();
    };
    canvas.addEventListener('webglcontextrestored', forget);
    return () => canvas.removeEventListener('webglcontextrestored', forget);
  }, [gl, renderCopy, levelCopy]);
  // The canvas draws on demand, and the store's invalidator does not watch this setting.
  const exactSamples = useViewerStore((s) => s.exactSamples);
  useEffect(() => invalidate(), [exactSamples, invalidate]);

  useLayoutEffect(() => {
    if (!material) return;
    markLayerDrawn(layer.id, true);
    const overlaysShown = [...fit.drawn, ...fit.leftOut].map((o) => o.id);
    for (const id of overlaysShown) markLayerDrawn(id, true);
    return () => {
      setShownInteractionLevel(null);
      markLayerDrawn(layer.id, false);
      for (const id of overlaysShown) markLayerDrawn(id, false);
      material.dispose();
      fastMaterial?.dispose();
      for (const m of materials?.byMode.values() ?? []) m.dispose();
    };
  }, [material, fastMaterial, materials, layer.id, fit]);

  useFrame((state) => {
    const record = getRecord(layer.id);
    // Nothing is cast while the slice panes draw a new layer first (frameSignal.ts): not the render copy either.
    if (!material || !volume || !record || !mesh.current || firstSlicesPending()) return;
    const s = useViewerStore.getState();
    const u = material.uniforms;
    const coarse = coarse3D(s);
    // A large layer is cast from its coarse copy while the user drags, or until its bricks arrive.
    const level = coarse ? interactionLevelFor(layer.id, layer.display.frame, gpuRoomLeft()) : null;
    setShownInteractionLevel(level);
    const grid = level ?? { dims: layer.dims, affine: record.header.affine, inverseAffine: record.inverseAffine };
    const [nx, ny, nz] = grid.dims;
    u.uVolume.value = (level?.volume ?? volume).texture;
    // The coarse copy is one texture: every fetch stays in the first slab.
    if (u.uSlabStarts && slabStarts) u.uSlabStarts.value = level ? slabStarts.one : slabStarts.own;
    if (u.uTileSize) u.uTileSize.value = level ? ONE_TILE : volume.tileSize;
    u.uDims.value = grid.dims.slice(0, 3);
    toMatrix4(grid.affine, u.uVoxelToWorld.value as Matrix4);
    toMatrix4(grid.inverseAffine, u.uWorldToVoxel.value as Matrix4);
    // The camera's uniforms are set when the mesh is drawn (onBeforeRender below), from the camera it is drawn with.

    u.uFrameZ.value = !level && volume.allFrames ? layer.display.frame * nz : 0;
    u.uLinear.value = layer.display.colormap !== 'label';
    u.uWinLo.value = layer.display.window[0];
    u.uWinHi.value = layer.display.window[1];
    const colormapName = layer.display.colormap === 'label' ? 'gray' : layer.display.colormap;
    u.uLut.value = colormapTexture(colormapName);
    u.uMode.value = s.renderMode === 'mip' ? RAY_MODES[s.projection] : RAY_MODES[s.renderMode];
    // The coarse copy's voxels are already f voxels apart: one sample per voxel of it.
    u.uStep.value = rayStepVoxels(s.quality, coarse && !level);
    const style = volumeStyleOf(s.volumeStyles, layer);
    u.uTransfer.value = transferTextureFor(layer.id, style);
    [u.uTfLo.value, u.uTfHi.value] = transferDomain(style.points);
    u.uIso.value = style.iso;
    const shading = style.shading ?? NO_SHADING;
    u.uShade.value = shading.on;
    u.uAmbient.value = shading.ambient;
    u.uDiffuse.value = shading.diffuse;
    u.uSpecular.value = shading.specular;
    u.uSpecularPower.value = shading.specularPower;
    u.uIsoSign.value = 1;
    // Skipping is exact for this layer alone; an overlay inside the skipped space would be missed.
    const computed = level ? level.bricks : layer.stats.bricks;
    const bricks = computed && textureBrickGrid(computed, textureCaps.max3DSize);
    const brickKey = level ? level.key : layer.id;
    u.uSkip.value = Boolean(s.skipEmpty && bricks && !fit.drawn.length);
    if (bricks) u.uBrickSize.value = bricks.size;
    // The fast path: the full grid cast from its render copy. The coarse interaction copy keeps
    // the exact path; while the user drags a copy still to be made waits for the refined frame.
    const path = decideRenderPath({
      exactRequested: s.exactSamples,
      channels: volume.format.channels,
      linear: u.uLinear.value as boolean,
      halfFloatRenderable: halfFloatRenderable(state.gl),
      dims: layer.dims,
      max3DSize: textureCaps.max3DSize,
      bricks: volume.slabs.length,
      gpuRoomBytes: gpuRoomLeft() + renderCopy.bytes,
    });
    setRenderPath(layer.id, path);
    let copy: Data3DTexture | null = null;
    const range = renderRange(layer.stats, layer.slope, layer.inter);
    const copyFormat = renderCopyFormat(layer.stats, path.path === 'fast' && rg8FiltersExactly(state.gl));
    const rayMode = s.renderMode === 'mip' ? s.projection : s.renderMode;
    const tfTable = (u.uTransfer.value as DataTexture).image.data as Uint8Array;
    // The full grid on the fast path: its program draws from the copy once made.
    const fastGrid = path.path === 'fast' && !level;
    // The coarse copy on the fast path too, from its own render copy (2 bytes a voxel of it) where
    // the budget has room for one: one filtered fetch a sample instead of eight while the view moves.
    const fastLevel = path.path === 'fast' && level !== null && fastMaterial !== null && voxelCount(level.dims) * RENDER_COPY_BYTES_PER_VOXEL <= gpuRoomLeft() + levelCopy.bytes;
    const fastDraw = fastGrid || fastLevel;
    // The fast program draws from the copy, whose samples stray from the exact values by its slack (the exact program, drawn otherwise, is judged by the same wider bounds).
    const copySlack = fastDraw ? renderCopySlack(range, copyFormat) : 0;
    // A projection passes over what shows within its tolerance of the ray's best: the fast path's
    // (its picture is the copy's already, the full grid's or the coarse copy's), none on the exact path.
    const projection = rayMode === 'max' || rayMode === 'min' ? projectionReachFor(colormapName, rayMode, fastDraw ? PROJECTION_TOLERANCE : 0) : null;
    const emptiness = { mode: rayMode, slope: layer.slope, inter: layer.inter, window: layer.display.window, iso: style.iso, tfTable, tfDomain: [u.uTfLo.value, u.uTfHi.value], copySlack, endEntries: projection?.endEntries } as const;
    const isEmpty = bricks && staticEmptiness(emptiness);
    u.uLeap.value = Boolean(u.uSkip.value && isEmpty);
    if (projection) {
      u.uReach.value = projection.packed;
      u.uQuietFrom.value = projection.quietFrom;
    }
    const cutOn = s.cut && s.crosshair !== null;
    let occupied: BrickBox | null | undefined;
    if (bricks && isEmpty && u.uSkip.value) {
      // MIP's (MinIP's) second channel: bricks within the reach of the entries around the window's end, once a ray's best reaches them.
      const wider = projection && projection.quietEntries > projection.endEntries ? staticEmptiness({ ...emptiness, endEntries: projection.quietEntries }) : null;
      // And MIP's (MinIP's) entry of each brick's range, which its march tests the brick by (one fetch a brick).
      const entry = brickEntry(emptiness) ?? undefined;
      const distances = emptyDistanceTextureFor(brickKey, bricks, [...emptinessKey(emptiness, style.points), wider && projection ? projection.quietEntries : -1], isEmpty, { wider: wider ?? undefined, entry });
      u.uEmptyDist.value = distances.texture;
      // Rays are cast only through the box around the bricks they must sample (the mean samples
      // every brick); the removed octant's faces show anywhere in the grid, so with the cut on, the
      // grid's own box.
      if (rayMode !== 'mean' && !cutOn) occupied = distances.occupied;
    }
    const box = rayBox(grid.dims, occupied, bricks?.size);
    (u.uBoxLo.value as Vector3).set(...box.lo);
    (u.uBoxHi.value as Vector3).set(...box.hi);
    // The mesh drawn (local [−0.5, 0.5]³ → voxels → world through the affine): composite's and
    // iso's is that box, so a pixel outside it runs no ray (none at all where it is empty); a
    // projection's is the grid's, whose air shows as the window's end.
    const drawn = rayMode === 'composite' || rayMode === 'iso' ? box : rayBox(grid.dims);
    const size = drawn.hi.map((h, a) => h - drawn.lo[a]);
    mesh.current.visible = size.every((x) => x > 0);
    const voxelFromLocal = new Matrix4().makeTranslation((drawn.lo[0] + drawn.hi[0]) / 2, (drawn.lo[1] + drawn.hi[1]) / 2, (drawn.lo[2] + drawn.hi[2]) / 2).multiply(new Matrix4().makeScale(size[0] || 1, size[1] || 1, size[2] || 1));
    mesh.current.matrixAutoUpdate = false;
    mesh.current.matrix.copy(u.uVoxelToWorld.value as Matrix4).multiply(voxelFromLocal);
    mesh.current.matrixWorldNeedsUpdate = true;
    if (s.clip) {
      (u.uClipLo.value as Vector3).set(...s.clip.lo);
      (u.uClipHi.value as Vector3).set(...s.clip.hi);
    } else {
      (u.uClipLo.value as Vector3).copy(NO_CLIP.lo);
      (u.uClipHi.value as Vector3).copy(NO_CLIP.hi);
    }
    fit.drawn.forEach((o, i) => {
      const overlay = overlays.find((l) => l.id === o.id);
      const record = overlay && getRecord(o.id);
      if (overlay && record) setOverlayUniforms(u, i, overlay, o.texture, record.inverseAffine);
    });
    u.uCut.value = cutOn;
    if (s.crosshair) (u.uCutCentre.value as Vector3).set(...s.crosshair);
    // World to the slice planes' frame: Rᵀ (Matrix3.set takes rows; R is row-major).
    const r = s.orientation;
    (u.uCutFrame.value as Matrix3).set(r[0], r[3], r[6], r[1], r[4], r[7], r[2], r[5], r[8]);

    if (fastGrid && fastMaterial && layer.display.visible) {
      // What the copy's texels come from: the texture (a new one when voxels are replaced), the
      // frame, slices arriving or any texture made or freed (texturesVersion), the range and format.
      const key = [volume, layer.display.frame, texturesVersion(), range.lo, range.hi, copyFormat];
      if (coarse) copy = renderCopy.current(key);
      else {
        // Slices written this frame reach the exact texture before the copy reads it.
        uploadWrittenSlices(state.gl);
        const frameZ = volume.allFrames ? layer.display.frame * nz : 0;
        copy = renderCopy.ensure(state.gl, { layerId: layer.id, name: layer.name, volume, dims: [nx, ny, nz], frameZ, slope: layer.slope, inter: layer.inter, range, format: copyFormat }, key);
      }
    } else if (fastLevel && level && layer.display.visible) {
      // Its texels come from the coarse copy's texture (a new one for another frame or new voxels).
      const key = [level.volume, range.lo, range.hi, copyFormat];
      copy = levelCopy.ensure(state.gl, { layerId: layer.id, name: `${layer.name} (coarse, while the view moves)`, volume: level.volume, dims: level.dims, frameZ: 0, slope: layer.slope, inter: layer.inter, range, format: copyFormat }, key);
    } else if (path.path === 'exact') {
      renderCopy.release();
      levelCopy.release();
    }
    if (copy) {
      u.uRender.value = copy;
      u.uRenderLo.value = range.lo;
      u.uRenderSpan.value = range.hi - range.lo;
      u.uRenderMix.value = renderCopyMix(copyFormat);
    }
    // Shading's code is compiled into composite's program only where shading is on, the removed
    // octant's where it is on, and the generic loop into MIP's and MinIP's only where skipping is off.
    const mode = u.uMode.value as number;
    mesh.current.material = materials
      ? materials.forMode({
          fast: Boolean(copy && fastMaterial),
          mode,
          shade: Boolean(u.uShade.value) && mode === RAY_MODES.composite,
          cut: Boolean(u.uCut.value),
          marchOnly: Boolean(u.uSkip.value) && (mode === RAY_MODES.max || mode === RAY_MODES.min),
        })
      : material;
  });

  // What depends on the camera is read as the mesh is drawn, with the pose the renderer draws it
  // from: never from a camera that a frame callback has yet to place.
  useLayoutEffect(() => {
    const m = mesh.current;
    if (!m || !material) return;
    m.onBeforeRender = (renderer, _scene, drawnWith) => {
      const u = material.uniforms;
      const eye = new Vector3().setFromMatrixPosition(drawnWith.matrixWorld);
      (u.uCamVoxel.value as Vector3).copy(eye).applyMatrix4(u.uWorldToVoxel.value as Matrix4);
      // Each pixel's ray: the viewport it lands in, the projection's entries that place it, and view to voxel axes.
      renderer.getCurrentViewport(u.uViewport.value as Vector4);
      const p = drawnWith.projectionMatrix.elements;
      (u.uPixelRay.value as Vector4).set(p[0], p[5], p[8], p[9]);
      (u.uViewToVoxel.value as Matrix3).setFromMatrix4(new Matrix4().copy(u.uWorldToVoxel.value as Matrix4).multiply(drawnWith.matrixWorld));
      (u.uVoxelToClip.value as Matrix4).copy(drawnWith.projectionMatrix).multiply(drawnWith.matrixWorldInverse).multiply(u.uVoxelToWorld.value as Matrix4);
      const s = useViewerStore.getState();
      (u.uCutSign.value as Vector3).set(...cutSign(eye.toArray(), s.crosshair ?? [0, 0, 0], s.orientation));
    };
    return () => {
      m.onBeforeRender = () => {};
    };
  });

  if (!material || !layer.display.visible) return null;
  return <mesh ref={mesh} frustumCulled={false} geometry={geometry} material={material} renderOrder={10} />;
}

interface ProjectionReachUniforms {
  packed: Int32Array;
  /** Entries past the window's end (MIP: the first; MinIP: the last) that show as it does, within the tolerance. */
  endEntries: number;
  /** Entries past the window's end within the reach of those: the leap distances' second channel. */
  quietEntries: number;
  /** The best's entry from which the second channel applies (MIP: at or above it; MinIP: at or below). */
  quietFrom: number;
}

const reachTables = new Map<string, ProjectionReachUniforms>();

/** MIP's (MinIP's) reach through a colormap at a tolerance (rayParams.ts projectionReach), made once. */
function projectionReachFor(colormap: ColormapName, kind: 'max' | 'min', tolerance: number): ProjectionReachUniforms {
  const key = `${colormap}:${kind}:${tolerance}`;
  let r = reachTables.get(key);
  if (!r) {
    const tables = projectionReach(colormapTable(colormap), kind, tolerance);
    const max = kind === 'max';
    const end = max ? 0 : 255;
    const fromEnd = (b: number) => (max ? b : 255 - b);
    const quiet = tables.reach[tables.reach[end]];
    r = { packed: packReach(tables), endEntries: fromEnd(tables.reach[end]), quietEntries: fromEnd(quiet), quietFrom: tables.stop[quiet] };
    reachTables.set(key, r);
  }
  return r;
}

/** Overlay i's uniforms (its slabs, label table, grid and colour test), made with the material. */
function overlayUniforms(i: number, texture: VolumeTexture): Record<string, { value: unknown }> {
  const p = `ov${i}_`, u = `uOv${i}`;
  return {
    ...slabUniforms(texture, p),
    [`${p}uVolume`]: { value: texture.texture },
    [`${p}uDims`]: { value: [1, 1, 1] },
    [`${p}uFrameZ`]: { value: 0 },
    [`${p}uLinear`]: { value: false },
    [`${p}uLabels`]: { value: null },
    [`${p}uLabelCount`]: { value: 0 },
    [`${u}WorldToVoxel`]: { value: new Matrix4() },
    [`${u}RawScale`]: { value: texture.format.rawScale },
    [`${u}Slope`]: { value: 1 },
    [`${u}Inter`]: { value: 0 },
    [`${u}Threshold`]: { value: 0 },
    [`${u}Label`]: { value: false },
    [`${u}Colour`]: { value: new Vector3(1, 0.5, 0) },
    [`${u}Opacity`]: { value: 1 },
  };
}

/** Overlay i's uniforms for this frame, from its layer's settings (its label table follows each segment edit). */
function setOverlayUniforms(u: Record<string, { value: unknown }>, i: number, overlay: LayerMeta, texture: VolumeTexture, inverseAffine: Parameters<typeof toMatrix4>[0]): void {
  const p = `ov${i}_`, o = `uOv${i}`;
  u[`${p}uDims`].value = overlay.dims.slice(0, 3);
  u[`${p}uFrameZ`].value = texture.allFrames ? overlay.display.frame * overlay.dims[2] : 0;
  toMatrix4(inverseAffine, u[`${o}WorldToVoxel`].value as Matrix4);
  u[`${o}Slope`].value = overlay.slope;
  u[`${o}Inter`].value = overlay.inter;
  u[`${o}Threshold`].value = overlay.display.window[0];
  const label = overlay.display.colormap === 'label';
  u[`${o}Label`].value = label;
  if (label) {
    const table = labelTableFor(overlay);
    u[`${p}uLabels`].value = table.texture;
    u[`${p}uLabelCount`].value = table.count;
  } else {
    const top = colormapTable(overlay.display.colormap).subarray(255 * 4, 255 * 4 + 3);
    (u[`${o}Colour`].value as Vector3).set(top[0] / 255, top[1] / 255, top[2] / 255);
  }
}
