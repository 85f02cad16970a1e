// Structures against layers: statistics of any open layer over a structure, Rasterize (a structure
// as a label layer on a chosen layer's grid) and the DVH over a dose layer. All three take the same
// voxels: those of the layer's grid whose centres lie inside the structure (io/dicom/rt/rasterize.ts).
import { dvhFromDoses, type Dvh } from '../io/dicom/rt/dvh';
import { rasterizeStructure } from '../io/dicom/rt/rasterize';
import { structureStats, type StructureStats } from '../io/dicom/rt/structureStats';
import { fail, ok, type Result } from '../io/errors';
import { axisCodes, type Mat4 } from '../volume/affine';
import { voxelsPerFrame, type VolumeHeader } from '../volume/header';
import { computeStats } from '../volume/stats';
import { valueAt } from '../volume/sampling';
import { addLayerFromDecode, takeLoadTurn } from './actions';
import { exactSource, getRecord } from './layerRegistry';
import { pool } from './runtime';
import { structureGeometry, useRtStore, type StructureEntry } from './rtStore';
import { useViewerStore, type LayerMeta } from './viewerStore';

/** What a layer's scaled values are in: HU for CT, Gy for RT Dose, else nothing stated. */
export function valueUnit(layer: Pick<LayerMeta, 'dicom'>): string {
  const modality = layer.dicom?.modality?.toUpperCase();
  return modality === 'CT' ? 'HU' : modality === 'RTDOSE' ? 'Gy' : '';
}

const voxelMm3 = (a: Mat4) => Math.abs(a[0] * (a[5] * a[10] - a[6] * a[9]) - a[1] * (a[4] * a[10] - a[6] * a[8]) + a[2] * (a[4] * a[9] - a[5] * a[8]));

function lookup(structureId: string, layerId: string): Result<{ structure: StructureEntry; layer: LayerMeta }> {
  const structure = useRtStore.getState().structures.find((s) => s.id === structureId);
  if (!structure) return fail('bad-argument', `No structure with id "${structureId}".`);
  const layer = useViewerStore.getState().layers.find((l) => l.id === layerId);
  if (!layer || !getRecord(layerId)) return fail('bad-argument', `No layer with id "${layerId}".`);
  if (!structureGeometry(structureId)) return fail('bad-argument', `${structure.name} has no closed contour with an area: it holds no voxels.`);
  return ok({ structure, layer });
}

export interface StructureLayerStats extends StructureStats {
  structure: string;
  layer: string;
  unit: string;
  /** The volume its contours enclose (Σ area × slab), cm³: independent of any grid. */
  contourVolumeCm3?: number;
}

/** Statistics of `layerId`'s values (its shown frame) over the voxels of its grid inside the structure. */
export function structureLayerStats(structureId: string, layerId: string): Result<StructureLayerStats> {
  const found = lookup(structureId, layerId);
  if (found.kind === 'error') return found;
  const { structure, layer } = found.value;
  const src = exactSource(getRecord(layerId)!);
  const indices = rasterizeStructure(structureGeometry(structureId)!, { dims: src.dims, affine: src.affine });
  const offset = layer.display.frame * voxelsPerFrame(src.dims) * src.channels;
  const stats = structureStats(indices, (i) => valueAt(src, offset + i * src.channels), src.slope, src.inter, voxelMm3(src.affine));
  return ok({ ...stats, structure: structure.name, layer: layer.name, unit: valueUnit(layer), ...(structure.contourVolumeMm3 !== undefined ? { contourVolumeCm3: structure.contourVolumeMm3 / 1000 } : {}) });
}

export interface StructureDvh {
  structureId: string;
  name: string;
  rgb: [number, number, number];
  dvh: Dvh;
}

/** The cumulative DVH of each structure (all with geometry when none are named) over dose layer `doseId`. */
export function structureDvhs(doseId: string, structureIds?: readonly string[]): Result<StructureDvh[]> {
  const dose = useViewerStore.getState().layers.find((l) => l.id === doseId);
  const record = getRecord(doseId);
  if (!dose || !record) return fail('bad-argument', `No layer with id "${doseId}".`);
  const src = exactSource(record);
  if (src.channels !== 1) return fail('bad-argument', `${dose.name} has ${src.channels} channels: a dose is one value per voxel.`);
  const ids = structureIds ?? useRtStore.getState().structures.filter((s) => !s.empty).map((s) => s.id);
  const offset = dose.display.frame * voxelsPerFrame(src.dims);
  const out: StructureDvh[] = [];
  for (const id of ids) {
    const found = lookup(id, doseId);
    if (found.kind === 'error') return found;
    const indices = rasterizeStructure(structureGeometry(id)!, { dims: src.dims, affine: src.affine });
    const doses = new Float64Array(indices.length);
    for (let n = 0; n < indices.length; n++) doses[n] = valueAt(src, offset + indices[n]) * src.slope + src.inter;
    out.push({ structureId: id, name: found.value.structure.name, rgb: found.value.structure.rgb, dvh: dvhFromDoses(doses, voxelMm3(src.affine)) });
  }
  return ok(out);
}

/**
 * A structure as a label layer (value 1, named and coloured as the structure) on `layerId`'s grid:
 * a voxel is in when its centre is inside the contours (no partial volumes).
 */
export function rasterizeToLayer(structureId: string, layerId: string): Result<LayerMeta> {
  const found = lookup(structureId, layerId);
  if (found.kind === 'error') return found;
  const { structure, layer } = found.value;
  const src = exactSource(getRecord(layerId)!);
  const dims = [src.dims[0], src.dims[1], src.dims[2]];
  const indices = rasterizeStructure(structureGeometry(structureId)!, { dims, affine: src.affine });
  const voxels = dims[0] * dims[1] * dims[2];
  const name = `${structure.name} (on ${layer.name})`;
  const got = pool.acquire(voxels, name);
  if (got.kind === 'error') return fail(got.code, got.message);
  const values = new Uint8Array(got.buffer.value.memory, 0, voxels);
  values.fill(0);
  for (const n of indices) values[n] = 1;
  const header: VolumeHeader = {
    format: layer.format,
    dims,
    datatype: 'uint8',
    datatypeCode: 2,
    littleEndian: true,
    slope: 1,
    inter: 0,
    affine: [...src.affine],
    affineSource: 'dicom',
    axcodes: axisCodes(src.affine),
    voxOffset: 0,
    description: name,
    intentCode: 1002,
    spaceUnit: 'mm',
    labelNames: { source: `RTSTRUCT ${structure.name}`, lookup: { names: new Map([[1, structure.name]]), colors: new Map([[1, structure.rgb]]) } },
  };
  const { layerId: id, settle } = takeLoadTurn();
  settle();
  const meta = addLayerFromDecode(id, name, { header, stats: computeStats(values, 1, dims), gunzip: 'none', buffer: got.buffer });
  return ok(useViewerStore.getState().layers.find((l) => l.id === id) ?? meta);
}

