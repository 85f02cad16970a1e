// Finer levels in the slice panes: when a pane is zoomed in past the level a layer draws (its
// voxels larger than a screen pixel), the pane asks for the box of a finer level it sees on the
// current slice (volume/pyramid.ts detailBox). For a multiscale (OME-Zarr) layer its chunks come
// through the chunk cache (shared with full-resolution probes); for a layer drawn from a display
// level it is copied from the full grid in memory (one buffer or z-slabs). Either way it is one
// small grid, drawn over the coarse level by the same shader (render/panes/LayerPlane.tsx). The
// box is one voxel thick at its slice: on any other slice the shader finds it outside and draws
// the coarse level instead, so a detail never shows values of another slice.
import { fail, ok, type Result } from '../io/errors';
import { omeZarrHeader } from '../io/omezarr/metadata';
import { VoxelBuffer } from '../memory/voxelBuffer';
import { DATA_TYPES, voxelView } from '../volume/dataTypes';
import type { VolumeHeader } from '../volume/header';
import { boxAffine, boxChunks, copyChunkIntoBox, copyGridBox, type DetailBox, type LevelGrid, type PyramidSource } from '../volume/pyramid';
import type { SampleSource } from '../volume/sampling';
import { texelBytes } from '../gpu/plan';
import { gpuRoom } from './displayLevel';
import { chunkCache, memoryChanged, zarrClient } from './runtime';

/** A box of a finer level, assembled: drawn as a one-voxel-thick volume of its own. */
export interface PaneDetail {
  layerId: string;
  box: DetailBox;
  header: VolumeHeader;
  buffer: VoxelBuffer;
}

/**
 * Where finer voxels come from: a Zarr pyramid's levels, or the full grid in memory of a layer drawn
 * from a display level (its levels: the full grid, 0, and the display grid, 1).
 */
export type DetailSource = { kind: 'pyramid'; pyramid: PyramidSource } | { kind: 'memory'; full: SampleSource; levels: LevelGrid[]; header: VolumeHeader };

export const sourceLevels = (s: DetailSource): readonly LevelGrid[] => (s.kind === 'pyramid' ? s.pyramid.levels : s.levels);

interface Wanted {
  key: string;
  kind: DetailSource['kind'];
  /** The pane would show a finer level, but none fits the limits (texels, fetch, GPU room). */
  limited: boolean;
  box: DetailBox | null;
  generation: number;
  error?: string;
}

/** Chunks fetched at once for one box. */
const LANES = 6;

const wanted = new Map<string, Wanted>();
const ready = new Map<string, PaneDetail>();
const listeners = new Set<() => void>();
let generation = 0;
const slot = (pane: string, layerId: string) => `${pane}|${layerId}`;
const boxKey = (b: DetailBox | null) => (b ? `${b.level}|${b.frame}|${b.lo.join(',')}|${b.size.join(',')}` : 'none');
const changed = () => {
  for (const l of listeners) l();
  memoryChanged();
};

const textureBytesOf = (d: PaneDetail) => d.buffer.byteLength * (texelBytes(d.header.datatype) / DATA_TYPES[d.header.datatype].bytesPerVoxel);

/** GPU bytes of the details drawn now (counted with the layers' textures in the memory panel). */
export function detailBytes(): number {
  let bytes = 0;
  for (const d of ready.values()) bytes += textureBytesOf(d);
  return bytes;
}

/**
 * The GPU bytes a new detail for this pane and layer may take: what the GPU budget leaves after
 * the layers' textures and the other details (the one it would replace counts as free).
 */
export function detailRoom(pane: string, layerId: string): number {
  const own = ready.get(slot(pane, layerId));
  return gpuRoom() - detailBytes() + (own ? textureBytesOf(own) : 0);
}

export function subscribeDetails(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The detail a pane draws over layer `layerId` now (the last box assembled), if any. */
export const detailFor = (pane: string, layerId: string): PaneDetail | undefined => ready.get(slot(pane, layerId));

/** What a pane wants and has, for tests and the API: the wanted box, and whether it is drawn. */
export function detailState(pane: string): { layerId: string; level: number; source: DetailSource['kind']; lo: number[]; size: number[]; ready: boolean; error?: string }[] {
  const out = [];
  for (const [key, w] of wanted) {
    const [p, layerId] = key.split('|');
    if (p !== pane || !w.box) continue;
    const drawn = ready.get(key);
    out.push({ layerId, level: w.box.level, source: w.kind, lo: [...w.box.lo], size: [...w.box.size], ready: drawn !== undefined && boxKey(drawn.box) === boxKey(w.box), ...(w.error ? { error: w.error } : {}) });
  }
  return out;
}

/**
 * A pane's wish for layer `layerId` (a box, or null for none): a new box is fetched and replaces
 * the drawn one when complete; the same wish again does nothing. `onReady` is told when it is drawn.
 */
export function wantDetail(pane: string, layerId: string, source: DetailSource, box: DetailBox | null, onReady: () => void, limited = false): void {
  const key = slot(pane, layerId);
  const k = `${boxKey(box)}${limited ? '|limited' : ''}`;
  if (wanted.get(key)?.key === k) return;
  const w: Wanted = { key: k, kind: source.kind, limited, box, generation: ++generation };
  wanted.set(key, w);
  if (!box) {
    ready.delete(key);
    changed();
    onReady();
    return;
  }
  changed();
  const assembled = source.kind === 'pyramid' ? assemble(source.pyramid, box, layerId) : Promise.resolve(ok(copyFromMemory(source, box, layerId)));
  void assembled.then((r) => {
    if (wanted.get(key)?.generation !== w.generation) return;
    if (r.kind === 'error') {
      w.error = r.message;
      changed();
      return;
    }
    ready.set(key, r.value);
    changed();
    onReady();
  });
}

/**
 * What a pane's corner says about its finer levels: "level 2", "level 2 loading…", "full
 * resolution", "finer level over budget" (wanted, but none fits: zoom in further), or "" for none.
 */
export function detailLabel(pane: string): string {
  const states = detailState(pane);
  if (states.length === 0) {
    const limited = [...wanted].some(([key, w]) => key.split('|')[0] === pane && w.limited);
    return limited ? 'finer level over budget' : '';
  }
  const name = (d: (typeof states)[number]) => (d.source === 'memory' ? 'full resolution' : `level ${d.level}`);
  const levels = [...new Set(states.map(name))].join(', ');
  return `${levels}${states.some((d) => d.error) ? ' (failed)' : states.every((d) => d.ready) ? '' : ' loading…'}`;
}

/** Forgets a layer's details (closed) or a pane's (gone). */
export function dropDetails(match: (pane: string, layerId: string) => boolean): void {
  let any = false;
  for (const key of [...wanted.keys()]) {
    const [pane, layerId] = key.split('|');
    if (!match(pane, layerId)) continue;
    wanted.delete(key);
    any = ready.delete(key) || any;
  }
  if (any) changed();
}

async function assemble(p: PyramidSource, box: DetailBox, layerId: string): Promise<Result<PaneDetail>> {
  const level = p.levels[box.level];
  const info = DATA_TYPES[p.datatype];
  const count = box.size[0] * box.size[1] * box.size[2];
  const buffer = new VoxelBuffer(new ArrayBuffer(count * info.bytesPerVoxel), () => {});
  const out = voxelView(p.datatype, buffer.memory, count);
  const chunkValues = level.chunks.reduce((q, n) => q * n, 1);
  const coords = boxChunks(p, level, box);
  let next = 0;
  let failure: string | null = null;
  const lane = async () => {
    while (next < coords.length && failure === null) {
      const at = coords[next++];
      const r = await chunkCache.acquire(`${p.url}|${level.path}|${at.join('/')}`, chunkValues * info.bytesPerVoxel, 'probe', `chunk ${at.join('/')} of level ${box.level}`, (target) =>
        zarrClient.chunkInto(p.url, level.path, at, target),
      );
      if (r.kind === 'error') {
        failure = r.message;
        return;
      }
      try {
        copyChunkIntoBox(p, level, box, at, voxelView(p.datatype, r.value.value.memory, chunkValues), out);
      } finally {
        r.value.pin.release();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, coords.length) }, lane));
  if (failure !== null) return fail('fetch-failed', failure);
  const header = omeZarrHeader([...box.size], p.datatype, boxAffine(level, box));
  return ok({ layerId, box, header, buffer });
}

/** The box copied out of the full grid in memory (read at once: no fetch). */
function copyFromMemory(s: Extract<DetailSource, { kind: 'memory' }>, box: DetailBox, layerId: string): PaneDetail {
  const { datatype } = s.full;
  const count = box.size[0] * box.size[1] * box.size[2];
  const buffer = new VoxelBuffer(new ArrayBuffer(count * DATA_TYPES[datatype].bytesPerVoxel), () => {});
  copyGridBox(s.full, box, voxelView(datatype, buffer.memory, count));
  return { layerId, box, header: { ...s.header, notices: [], dims: [...box.size], affine: boxAffine(s.levels[box.level], box) }, buffer };
}
