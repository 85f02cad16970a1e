// The 3D presets as a menu of thumbnails, each a small render of the current volume under that
// preset (as VolView shows them), the active one marked. Thumbnails are cast on the CPU in a
// worker (volume/thumbnail.ts) when the menu first opens for a layer's frame, then kept.
import { useEffect, useRef, useState } from 'react';
import { getRecord, type LayerRecord } from '../state/layerRegistry';
import type { LayerMeta, VolumeStyle } from '../state/viewerStore';
import { DATA_TYPES, voxelView } from '../volume/dataTypes';
import { activePresetName, VOLUME_PRESETS } from '../volume/presets';
import { thumbnailGrid, type ThumbnailReply, type ThumbnailRequest } from '../volume/thumbnail';

const SIZE = 64;

type Thumbnails = (Uint8ClampedArray<ArrayBuffer> | null)[];

// The last layer frame's thumbnails, keyed by the voxel memory they were made from (a finer level
// or a reload brings new memory, and new thumbnails).
let cached: { values: unknown; frame: number; images: Thumbnails } | null = null;

function coarseGrid(record: LayerRecord, frame: number) {
  const { header } = record;
  // A grid drawn whole from z-slabs is read across its slabs.
  const slabs = record.slabs ? { arrays: record.slabs.map((b) => voxelView(header.datatype, b.memory, b.byteLength / DATA_TYPES[header.datatype].bytesPerVoxel)), slabValues: record.values.length } : undefined;
  return thumbnailGrid({ dims: header.dims, values: record.values, slabs, slope: header.slope, inter: header.inter, affine: header.affine, inverseAffine: record.inverseAffine, pending: record.pending }, frame, SIZE);
}

/** Thumbnails of every preset on the layer's frame, filled in as the worker makes them; null entries until then. */
function usePresetThumbnails(layer: LayerMeta, open: boolean): Thumbnails {
  // Bumped as thumbnails arrive: they live in `cached`, outside React.
  const [, setArrived] = useState(0);
  const frame = layer.display.frame;
  useEffect(() => {
    const record = getRecord(layer.id);
    if (!open || !record || record.header.dims.length < 3 || DATA_TYPES[record.header.datatype].channels > 1) return;
    if (cached && cached.values === record.values && cached.frame === frame && cached.images.every(Boolean)) return;
    const entry = { values: record.values, frame, images: VOLUME_PRESETS.map((): Uint8ClampedArray<ArrayBuffer> | null => null) };
    cached = entry;
    const worker = new Worker(new URL('../volume/thumbnail.worker.ts', import.meta.url), { type: 'module', name: 'voxlens-thumbnails' });
    worker.onmessage = (e: MessageEvent<ThumbnailReply>) => {
      entry.images[e.data.index] = e.data.rgba;
      setArrived((n) => n + 1);
      if (entry.images.every(Boolean)) worker.terminate();
    };
    const request: ThumbnailRequest = { grid: coarseGrid(record, frame), size: SIZE };
    // The coarse copy is the worker's from here: this thread keeps no view of it.
    worker.postMessage(request, [request.grid.values.buffer]);
    return () => worker.terminate();
  }, [open, layer.id, frame]);
  const record = getRecord(layer.id);
  return cached && record && cached.values === record.values && cached.frame === frame ? cached.images : VOLUME_PRESETS.map(() => null);
}

function Thumbnail({ rgba, name }: { rgba: Uint8ClampedArray<ArrayBuffer> | null; name: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (ctx && rgba) ctx.putImageData(new ImageData(rgba, SIZE, SIZE), 0, 0);
  }, [rgba]);
  return <canvas ref={canvas} width={SIZE} height={SIZE} className="preset-thumb" data-ready={rgba ? 'true' : 'false'} aria-label={`${name} on this volume`} role="img" />;
}

export function PresetMenu({ layer, style, onApply }: { layer: LayerMeta; style: VolumeStyle; onApply(name: string): void }) {
  const [open, setOpen] = useState(false);
  const thumbnails = usePresetThumbnails(layer, open);
  const active = activePresetName(style);
  return (
    <div className="preset-menu">
      <button className="preset-toggle" aria-expanded={open} data-testid="preset-menu-button" onClick={() => setOpen(!open)}>
        Preset: <strong>{active ?? 'custom'}</strong> {open ? '▴' : '▾'}
      </button>
      {open && (
        <div className="preset-grid" data-testid="preset-menu" role="group" aria-label="3D presets">
          {VOLUME_PRESETS.map((p, i) => (
            <button
              key={p.name}
              className={p.name === active ? 'preset active' : 'preset'}
              aria-pressed={p.name === active}
              data-testid={`preset-${p.name}`}
              title={`${p.name}: ${p.points[0][0]} … ${p.points[p.points.length - 1][0]}${p.shading ? ', shaded' : ''}`}
              onClick={() => onApply(p.name)}
            >
              <Thumbnail rgba={thumbnails[i]} name={p.name} />
              <span>{p.name.replace(/^(CT|MR|DTI|US|uCT)-/, '$1 ')}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
