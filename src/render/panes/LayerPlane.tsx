// One layer drawn in one slice pane: a full-pane quad whose fragment shader samples the layer's
// texture (borrowed from the cache, which the canvas's LayerTextures owns) through its inverse
// affine, and, zoomed in past the level it draws (a multiscale layer, or one drawn from a display
// level), a finer level's box over it.
// Owns its materials. The pane's transform is read from the store in useFrame, not passed
// as a prop, so moving the crosshair re-renders nothing in React.
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { GLSL3, Matrix4, NoBlending, NormalBlending, RawShaderMaterial, Vector3, type Mesh } from 'three';
import { getRecord, type LayerRecord } from '../../state/layerRegistry';
import { toMatrix4 } from '../camera/matrix4';
import { useViewerStore, type LayerMeta } from '../../state/viewerStore';
import { detailFor, detailRoom, dropDetails, sourceLevels, subscribeDetails, wantDetail, type DetailSource } from '../../state/paneDetail';
import { textureFormatFor } from '../textures/textureFormats';
import { chunkCache } from '../../state/runtime';
import { invert, multiply, type Mat4 } from '../../volume/affine';
import { chunkBytes, detailBox, type DetailBox } from '../../volume/pyramid';
import { paneTransform } from '../camera/paneView';
import { clipToWorld, mmPerPixel, screenToWorld, type Plane } from '../camera/sliceGeometry';
import { invalidateFrame, markLayerDrawn } from '../frameSignal';
import { textureCaps } from '../../gpu/caps';
import { createVolumeTexture, textureGrid, type VolumeTexture } from '../textures/textures';
import { sliceSampleUniforms, slabStepUniforms } from './sliceUniforms';
import { layerFragmentShader, paneVertexShader, type LayerStyle } from '../shaders/layerShader';
import { brickTexturesFor, textureBrickGrid } from '../textures/brickTextures';
import type { BrickGrid } from '../../volume/bricks';
import { paneStepMm } from '../../state/obliqueActions';
import { isIdentity3, slabSampling } from '../../state/orientation';
import { colormapTexture } from '../textures/colormaps';
import { labelTableFor } from '../textures/labelTables';
import { subscribeTextures, textureFor } from '../textures/textureCache';


export function styleOf(layer: LayerMeta, order: number): LayerStyle {
  if (layer.display.colormap === 'label') return layer.display.outline ? 'outline' : 'label';
  return order > 0 ? 'overlay' : 'base';
}

/** Finer-level boxes of at most this many voxels per pane (about four times a large pane's pixels). */
const MAX_DETAIL_TEXELS = 4 << 20;
/**
 * And at most this many bytes of chunks fetched for one box, past which a coarser level: 32 MiB,
 * or half the chunk cache when that is less (the other half stays for full-resolution probes; a
 * box larger than the cache would only evict itself).
 */
const maxDetailFetch = () => Math.min(32 << 20, chunkCache.budgetBytes / 2);

export function LayerPlane({ layer, order, plane }: { layer: LayerMeta; order: number; plane: Plane }) {
  const volume = useSyncExternalStore(subscribeTextures, () => textureFor(layer.id) ?? null);
  useLayoutEffect(() => {
    if (!volume) return;
    markLayerDrawn(layer.id, true);
    return () => markLayerDrawn(layer.id, false);
  }, [volume, layer.id]);
  return (
    <>
      <PlaneMesh layer={layer} order={order} plane={plane} volume={volume} dims={layer.dims} inverseAffine={() => getRecord(layer.id)?.inverseAffine} allFrames />
      {layer.pyramid || layer.fullDims ? <DetailPlane layer={layer} order={order} plane={plane} /> : null}
    </>
  );
}

/**
 * Where a layer's finer voxels come from, the level it draws and what a box may cost: a Zarr
 * pyramid (chunks fetched within maxDetailFetch), or the full grid in memory of a layer drawn from
 * a display level (copied at once). Either way its texture fits what the GPU budget leaves.
 * Undefined for a layer with neither.
 */
function detailSourceOf(record: LayerRecord, layer: LayerMeta, pane: Plane): { source: DetailSource; drawn: number; fits: (box: DetailBox) => boolean } | undefined {
  const texel = textureFormatFor(record.header.datatype, textureCaps).bytesPerTexel;
  const room = detailRoom(pane, layer.id);
  const onGpu = (box: DetailBox) => box.size[0] * box.size[1] * box.size[2] * texel <= room;
  const { pyramid } = record;
  if (pyramid && layer.pyramid) {
    const budget = maxDetailFetch();
    // While refining, the level on its way will cover what it can: only finer ones are fetched here.
    return { source: { kind: 'pyramid', pyramid }, drawn: Math.min(layer.pyramid.level, layer.pyramid.target), fits: (box) => onGpu(box) && chunkBytes(pyramid, pyramid.levels[box.level], box) <= budget };
  }
  const full = record.fullRes?.source;
  if (!full) return undefined;
  const levels = [{ dims: [...full.dims], affine: full.affine }, { dims: record.header.dims, affine: record.header.affine }];
  return { source: { kind: 'memory', full, levels, header: record.header }, drawn: 1, fits: onGpu };
}

/**
 * A finer level over a layer where the pane is zoomed in past the level drawn (a multiscale layer,
 * or one drawn from a display level; state/paneDetail.ts): each frame it says which box it would
 * need; the box last assembled is drawn just above the layer, by the same shader, and only on its
 * own slice. A thick slab takes the level a thin pane would (chosen by the pixel in the plane) and
 * a box through the whole slab; it is drawn only while that box holds every sample of the current
 * slab (a slab with samples missing would reduce fewer than the CPU's and be wrong, where a thin
 * slice off its box simply shows the coarse level). Its samples are the slab's own, one voxel of
 * the top layer as drawn apart along the normal, read from the finer voxels: what slabProbe reads
 * from the full grid.
 */
function DetailPlane({ layer, order, plane }: { layer: LayerMeta; order: number; plane: Plane }) {
  const detail = useSyncExternalStore(subscribeDetails, () => detailFor(plane, layer.id) ?? null);
  const volume = useMemo(() => (detail ? createVolumeTexture(detail.buffer, detail.header, `detail of ${layer.name}`, textureCaps) : null), [detail, layer.name]);
  useEffect(() => () => volume?.dispose(), [volume]);
  useEffect(() => () => dropDetails((p, id) => p === plane && id === layer.id), [plane, layer.id]);
  const inverse = useMemo(() => (detail ? invert(detail.header.affine) : null), [detail]);
  /** The box the pane needs now (null: none), where it comes from, and whether one is wanted but over the limits. */
  const wanted = () => {
    const s = useViewerStore.getState();
    const record = getRecord(layer.id);
    const v = paneTransform(s, plane);
    const from = record && detailSourceOf(record, layer, plane);
    if (!from) return null;
    if (!v) return { from, box: null, limited: false, thick: false };
    // Only over a layer drawn opaque: a translucent one would show the coarse level through it.
    const opaque = layer.display.visible && layer.display.opacity === 1;
    // A box holds one slice of the patient axes, or on a turned plane every voxel it crosses in the
    // pane (volume/pyramid.ts); under a thick slab, everything between its two faces.
    const thickness = s.slabs[plane].thickness;
    const plain = [screenToWorld(v, 0, 0), screenToWorld(v, v.widthPx, 0), screenToWorld(v, 0, v.heightPx), screenToWorld(v, v.widthPx, v.heightPx)];
    const n = v.frame.normal;
    const corners = thickness > 0 ? [-0.5, 0.5].flatMap((f) => plain.map((c) => c.map((x, a) => x + f * thickness * n[a]))) : plain;
    const paneWindow = { corners, mmPerPixel: mmPerPixel(v), normalAxis: isIdentity3(s.orientation) ? v.frame.normalAxis : null, slab: thickness > 0 };
    const levels = sourceLevels(from.source);
    const box = opaque ? detailBox(levels, from.drawn, paneWindow, layer.display.frame, MAX_DETAIL_TEXELS, from.fits) : null;
    // Wanted but over the limits: the corner says so (zooming in shrinks the box until it fits).
    const limited = !box && opaque && detailBox(levels, from.drawn, paneWindow, layer.display.frame, Infinity) !== null;
    return { from, box, limited, thick: thickness > 0 };
  };
  useFrame(() => {
    const w = wanted();
    if (w) wantDetail(plane, layer.id, w.from.source, w.box, invalidateFrame, w.limited);
  });
  // Drawn while it covers what the pane shows: always on a thin pane (off its slice it draws nothing),
  // under a slab only while the box is the one the current slab needs.
  const covers = () => {
    const w = wanted();
    if (!w || !w.thick) return true;
    const b = detail?.box;
    return !!w.box && !!b && b.level === w.box.level && b.frame === w.box.frame && b.lo.every((x, a) => x === w.box!.lo[a] && b.size[a] === w.box!.size[a]);
  };
  if (!detail || detail.box.frame !== layer.display.frame) return null;
  return <PlaneMesh layer={layer} order={order + 0.5} plane={plane} volume={volume} dims={detail.header.dims} inverseAffine={() => inverse ?? undefined} covers={covers} />;
}

/** One texture drawn in one slice pane as a full-pane quad through its inverse affine, with the layer's window and colormap. */
function PlaneMesh({
  layer,
  order,
  plane,
  volume,
  dims,
  inverseAffine,
  allFrames = false,
  covers,
}: {
  layer: LayerMeta;
  order: number;
  plane: Plane;
  volume: VolumeTexture | null;
  dims: number[];
  inverseAffine: () => Mat4 | undefined;
  /** The texture holds the layer's frames (a frame is a k offset), not one frame's box. */
  allFrames?: boolean;
  /** A finer level's box: whether it holds what the pane shows now (else the mesh is hidden this frame). */
  covers?: () => boolean;
}) {
  const style = styleOf(layer, Math.floor(order));
  // A thick slab is another shader, one per mode (no slab loop in thin slices); changing it
  // compiles and uploads nothing (the skip grids of MIP and MinIP went up with the brick ranges,
  // shared with the 3D pane).
  const slabMode = useViewerStore((s) => (s.slabs[plane].thickness > 0 ? s.slabs[plane].mode : false));
  const thick = slabMode !== false;

  const material = useMemo(() => {
    if (!volume) return null;
    return new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: paneVertexShader,
      fragmentShader: layerFragmentShader(volume.format, style, textureGrid(volume), slabMode),
      uniforms: {
        ...sliceSampleUniforms(volume, dims, layer.slope, layer.inter),
        uWinLo: { value: 0 },
        uWinHi: { value: 1 },
        uOpacity: { value: 1 },
        uLut: { value: colormapTexture('gray') },
        uLabels: { value: null },
        uLabelCount: { value: 0 },
        uNegOn: { value: false },
        uNegLo: { value: 0 },
        uNegHi: { value: 1 },
        uNegLut: { value: colormapTexture('cool') },
        uThickCount: { value: 1 },
        uThickStep: { value: new Vector3() },
        uThickInv: { value: new Vector3() },
        uThickFar: { value: new Vector3() },
        uSkip: { value: false },
        uBricks: { value: null },
        uBrickSize: { value: 1 },
        uBrickTop: { value: [0, 0, 0] },
        uCells: { value: null },
        uCellSize: { value: 1 },
        uCellTop: { value: [0, 0, 0] },
      },
      transparent: true,
      blending: NormalBlending,
      depthTest: false,
      depthWrite: false,
    });
  }, [volume, dims, layer.slope, layer.inter, style, slabMode]);

  useLayoutEffect(() => {
    if (!material) return;
    return () => material.dispose();
  }, [material]);

  // MIP and MinIP skip through the layer's brick ranges (its own texture's voxels: not a finer level's
  // box): the bricks (shared with the 3D pane) and the middle grid of 16-voxel cells. They go up with
  // the ranges (after the load), not on the first slab: a slab change uploads nothing.
  const slabbed = allFrames && style !== 'label' && style !== 'outline' && volume?.format.channels === 1;
  const skipGrid = slabbed ? skipGridOf(layer.stats.bricks, dims) : undefined;
  const gl = useThree((s) => s.gl);
  useEffect(() => {
    const skip = skipGrid && brickTexturesFor(layer.id, skipGrid);
    if (!skip) return;
    gl.initTexture(skip.fine);
    gl.initTexture(skip.mid);
  }, [gl, layer.id, skipGrid]);

  const mesh = useRef<Mesh>(null);
  useFrame(() => {
    if (!material || !volume) return;
    if (mesh.current) mesh.current.visible = covers ? covers() : true;
    const s = useViewerStore.getState();
    const u = material.uniforms;
    // The bottom layer at full opacity replaces the background: no blending to pay for.
    const blend = order > 0 || layer.display.opacity < 1 || style === 'label' || style === 'outline';
    if (material.transparent !== blend) {
      material.transparent = blend;
      material.blending = blend ? NormalBlending : NoBlending;
      material.needsUpdate = true;
    }
    // After close the record is gone but the texture (and its pin) live until unmount: keep the last matrices.
    const inverse = inverseAffine();
    const v = inverse && paneTransform(s, plane);
    if (inverse && v) toMatrix4(multiply(inverse, clipToWorld(v)), u.uClipToVoxel.value as Matrix4);
    if (thick && inverse && v) {
      const slab = s.slabs[plane];
      const { count, spacingMm } = slabSampling(slab.thickness, paneStepMm(s.layers, s.orientation, plane));
      const n = v.frame.normal;
      u.uThickCount.value = count;
      // The normal's step in this texture's voxel coordinates (the inverse affine's linear part).
      const step = (u.uThickStep.value as Vector3).set(
        (inverse[0] * n[0] + inverse[1] * n[1] + inverse[2] * n[2]) * spacingMm,
        (inverse[4] * n[0] + inverse[5] * n[1] + inverse[6] * n[2]) * spacingMm,
        (inverse[8] * n[0] + inverse[9] * n[1] + inverse[10] * n[2]) * spacingMm,
      );
      // Per draw, not per pixel: the step's inverse and the face of a box the line leaves it by.
      const { inv, far } = slabStepUniforms([step.x, step.y, step.z]);
      (u.uThickInv.value as Vector3).set(...inv);
      (u.uThickFar.value as Vector3).set(...far);
      const grid = slab.mode !== 'mean' ? skipGrid : undefined;
      const skip = grid ? brickTexturesFor(layer.id, grid) : null;
      u.uSkip.value = skip !== null;
      if (skip) {
        u.uBricks.value = skip.fine;
        u.uBrickSize.value = skip.fineSize;
        // The middle grid (16 voxels a cell), not the ray caster's coarse one.
        u.uCells.value = skip.mid;
        u.uCellSize.value = skip.midSize;
        u.uBrickTop.value = skip.fineTop;
        u.uCellTop.value = skip.midTop;
      }
    }
    u.uFrameZ.value = allFrames && volume.allFrames ? layer.display.frame * dims[2] : 0;
    u.uLinear.value = layer.display.interpolation === 'linear' && style !== 'label' && style !== 'outline';
    u.uWinLo.value = layer.display.window[0];
    u.uWinHi.value = layer.display.window[1];
    u.uOpacity.value = layer.display.opacity;
    if (style === 'label' || style === 'outline') {
      const table = labelTableFor(layer);
      u.uLabels.value = table.texture;
      u.uLabelCount.value = table.count;
    } else {
      u.uLut.value = colormapTexture(layer.display.colormap);
      const neg = style === 'overlay' ? layer.display.negative : null;
      u.uNegOn.value = Boolean(neg);
      if (neg) {
        [u.uNegLo.value, u.uNegHi.value] = neg.window;
        u.uNegLut.value = colormapTexture(neg.colormap);
      }
    }
  });

  if (!material || !layer.display.visible) return null;
  return (
    <mesh ref={mesh} frustumCulled={false} renderOrder={order} material={material}>
      <planeGeometry args={[2, 2]} />
    </mesh>
  );
}

/**
 * The skip grid a slab reads for a layer's own texture (`dims` its voxels), fitted to the GPU's 3D
 * size: only a grid over these very voxels (a layer drawn from a coarser level may hold another's).
 */
function skipGridOf(grid: BrickGrid | undefined, dims: readonly number[]): BrickGrid | undefined {
  if (!grid || !grid.dims.every((b, a) => b === Math.ceil(dims[a] / grid.size))) return undefined;
  return textureBrickGrid(grid, textureCaps.max3DSize);
}
