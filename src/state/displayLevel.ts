// A volume the GPU cannot hold whole (an axis past MAX_3D_TEXTURE_SIZE, or a texture larger than
// what the GPU budget has left) is drawn from a display level: every f-th stored voxel along each
// axis (volume/decimate.ts), written by the analysis worker into a second pooled buffer. The full
// grid stays in CPU memory, pinned by the layer: probes, pins, profiles, ROI statistics and views
// read it, so every value shown as a voxel's is the stored one at full resolution.
import { fail, formatBytes, ok, type Result } from '../io/errors';
import type { DecodedVolume } from '../io/load';
import type { Pin, VoxelBuffer } from '../memory/voxelBuffer';
import { textureCaps } from '../render/textures/caps';
import { textureFormatFor } from '../render/textures/textureFormats';
import { invert } from '../volume/affine';
import { DATA_TYPES, voxelView } from '../volume/dataTypes';
import { decimate, decimatedAffine, decimatedDims, decimationFactors, isDecimated, type Factors } from '../volume/decimate';
import { voxelCount, type VolumeHeader } from '../volume/header';
import { probeIndex, type SampleSource } from '../volume/sampling';
import { computeStats } from '../volume/stats';
import type { FullResolution } from './fullResolution';
import { getRecord } from './layerRegistry';
import { analysisClient, gpuBudgetBytes, pool } from './runtime';
import { useViewerStore } from './viewerStore';

const texelBytes = (header: Pick<VolumeHeader, 'datatype'>) => textureFormatFor(header.datatype, textureCaps).bytesPerTexel;

/** The texture bytes the open layers take (or will take when first drawn). */
export function layerTextureBytes(): number {
  let bytes = 0;
  for (const l of useViewerStore.getState().layers) {
    const r = getRecord(l.id);
    if (r) bytes += voxelCount(r.header.dims) * texelBytes(r.header);
  }
  return bytes;
}

/** The GPU bytes a new layer may take: the GPU budget less what the open layers take. */
export const gpuRoom = () => gpuBudgetBytes - layerTextureBytes();

/** Whether a volume with this header would be drawn from a display level now. */
export const needsDisplayLevel = (header: Pick<VolumeHeader, 'dims' | 'datatype'>): boolean =>
  isDecimated(decimationFactors(header.dims, texelBytes(header), textureCaps.max3DSize, Math.max(0, gpuRoom())));

/** The full grid in CPU memory, read exactly and at once; `release` drops the layer's pin on it. */
export function memoryFullResolution(header: VolumeHeader, buffer: VoxelBuffer, pin: Pin): FullResolution {
  const inverseAffine = invert(header.affine);
  const source: SampleSource = {
    dims: header.dims,
    datatype: header.datatype,
    channels: DATA_TYPES[header.datatype].channels,
    slope: header.slope,
    inter: header.inter,
    affine: header.affine,
    inverseAffine,
    values: voxelView(header.datatype, buffer.memory, voxelCount(header.dims)),
  };
  const valueAt = (ijk: readonly number[], frame: number) => {
    const raw = probeIndex(source, [...ijk], frame).raw;
    return Array.isArray(raw) ? raw[0] : raw;
  };
  return {
    dims: header.dims,
    affine: header.affine,
    inverseAffine,
    source,
    buffer,
    read: (ijk, frame) => ({ kind: 'value', raw: valueAt(ijk, frame) }),
    readAsync: (ijk, frame) => Promise.resolve(ok(valueAt(ijk, frame))),
    release: () => pin.release(),
  };
}

/**
 * The volume as it will be drawn: unchanged when its texture fits, else a display level with the
 * full grid as its full resolution. Takes over `decoded`'s pin either way (the caller adds the
 * layer from `display`, whose pin it takes over in turn).
 */
export async function withDisplayLevel(decoded: DecodedVolume, name: string): Promise<Result<{ display: DecodedVolume; fullRes?: FullResolution }>> {
  const { header } = decoded;
  const room = gpuRoom();
  const factors = decimationFactors(header.dims, texelBytes(header), textureCaps.max3DSize, Math.max(0, room));
  if (!isDecimated(factors)) return ok({ display: decoded });
  const dims = decimatedDims(header.dims, factors);
  const bytes = voxelCount(dims) * DATA_TYPES[header.datatype].bytesPerVoxel;
  if (room <= 0 || voxelCount(dims) * texelBytes(header) > room) {
    decoded.buffer.pin.release();
    return fail('over-budget', `${name}: the GPU budget (${formatBytes(gpuBudgetBytes)}) is taken by the open layers. Close a layer or raise ?gpuBudgetMiB=.`);
  }
  const got = pool.acquire(bytes, `display level of ${name}`);
  if (got.kind === 'error') {
    decoded.buffer.pin.release();
    return fail(got.code, `${name} is drawn from a display level that needs memory of its own: ${got.message}`);
  }
  const full = decoded.buffer.value;
  const target = got.buffer.value;
  let stats;
  try {
    stats = await decimateInto(full, target, header, factors);
  } catch (e) {
    got.buffer.pin.release();
    decoded.buffer.pin.release();
    return fail('internal', `${name}: its display level could not be made: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fullPin = full.pin('layer', `full resolution of ${name}`);
  decoded.buffer.pin.release();
  const affine = decimatedAffine(header.affine, factors);
  const displayHeader: VolumeHeader = {
    ...header,
    dims,
    affine,
    notices: [...(header.notices ?? []), displayNotice(header, dims, factors, room)],
  };
  return ok({ display: { header: displayHeader, stats, gunzip: decoded.gunzip, buffer: got.buffer }, fullRes: memoryFullResolution(header, full, fullPin) });
}

async function decimateInto(full: VoxelBuffer, target: VoxelBuffer, header: VolumeHeader, factors: Factors) {
  if (full.memory instanceof SharedArrayBuffer && target.memory instanceof SharedArrayBuffer) {
    return analysisClient.decimate(full.memory, header.datatype, header.dims, factors, target.memory);
  }
  const { channels } = DATA_TYPES[header.datatype];
  const dims = decimatedDims(header.dims, factors);
  const dst = voxelView(header.datatype, target.memory, voxelCount(dims));
  decimate(voxelView(header.datatype, full.memory, voxelCount(header.dims)), header.dims, channels, factors, dst);
  return computeStats(dst, channels, dims);
}

function displayNotice(header: VolumeHeader, dims: number[], factors: Factors, room: number): string {
  const grid = (d: readonly number[]) => d.slice(0, 3).join(' × ');
  const overSize = header.dims.slice(0, 3).some((n) => n > textureCaps.max3DSize);
  const why = overSize
    ? `an axis passes this GPU's 3D texture limit of ${textureCaps.max3DSize} voxels`
    : `its texture (${formatBytes(voxelCount(header.dims) * texelBytes(header))}) is more than the GPU budget has left (${formatBytes(room)} of ${formatBytes(gpuBudgetBytes)})`;
  return (
    `Drawn at ${grid(dims)}, one stored voxel in ${factors[0]} along x, ${factors[1]} along y and ${factors[2]} along z, because ${why}. ` +
    `The full ${grid(header.dims)} grid stays in memory: probes, pins, profiles and statistics read its exact stored values.`
  );
}
