import { useSyncExternalStore } from 'react';
import { memoryReport } from '../state/actions';
import { chunkCache, gpuBudgetBytes, subscribeMemory } from '../state/runtime';
import { subscribeTextures, textureFor, textureStats } from '../render/textures/textureCache';
import { MAX_TEXTURE_BYTES } from '../gpu/plan';
import { detailBytes } from '../state/paneDetail';
import { textureCaps } from '../gpu/caps';
import { textureFormatFor } from '../render/textures/textureFormats';
import { useViewerStore } from '../state/viewerStore';
import { formatBytes } from './format';
import { renderCopies, subscribeRenderCopies } from '../render/textures/renderCopyTexture';
import { undoHistoryBytes } from '../segmentation/session';

let version = 0;
const subscribe = (onChange: () => void) =>
  subscribeMemory(() => {
    version++;
    onChange();
  });

/**
 * Every voxel buffer with its pins, pooled or live, and the GPU bytes of its textures. Shown inside
 * the sidebar's Details section (folded by default): a reader of images rarely needs it.
 */
export function MemoryPanel() {
  useSyncExternalStore(subscribe, () => version);
  const m = memoryReport();
  const tex = textureStats();
  const chunks = chunkCache.stats();
  const detail = detailBytes();
  return (
    <div className="details-block" aria-labelledby="memory-title" role="group" data-testid="memory-panel">
      <h3 id="memory-title">Memory</h3>
      <p>
        Voxels <b data-testid="memory-live">{formatBytes(m.liveBytes)}</b> live · {formatBytes(m.pooledBytes)} pooled · budget {formatBytes(m.budgetBytes)}
        <br />
        GPU textures <b data-testid="memory-gpu">{formatBytes(tex.textureBytes + detail)}</b>
        {detail ? ` (pane detail ${formatBytes(detail)})` : ''}
        {tex.mapBytes ? (
          <span data-testid="memory-maps" title="Per-brick value ranges (thick slabs) and leap distances (the 3D pane): what empty-space skipping reads">
            {' '}
            + empty-space maps {formatBytes(tex.mapBytes)}
          </span>
        ) : null}{' '}
        · budget {formatBytes(gpuBudgetBytes)}
        {tex.convertedBytes ? <> · converted copies {formatBytes(tex.convertedBytes)}</> : null}
        {' · '}
        {m.shared ? 'SharedArrayBuffer' : 'ArrayBuffer (not isolated)'}
        {m.leaks ? <span className="warn"> · {m.leaks} leaked view{m.leaks > 1 ? 's' : ''} (released by GC)</span> : null}
        {chunks.chunks || chunks.loadingBytes ? (
          <>
            <br />
            <span data-testid="memory-chunks">
              Full-resolution chunks <b>{formatBytes(chunks.residentBytes)}</b> of {formatBytes(chunks.budgetBytes)} · {chunks.chunks} chunk{chunks.chunks === 1 ? '' : 's'}
              {chunks.pinnedBytes ? ` · ${formatBytes(chunks.pinnedBytes)} pinned` : ''}
              {chunks.loadingBytes ? ` · ${formatBytes(chunks.loadingBytes)} loading` : ''}
            </span>
          </>
        ) : null}
        {undoHistoryBytes() ? (
          <>
            <br />
            <span data-testid="memory-undo">Segmentation undo history <b>{formatBytes(undoHistoryBytes())}</b></span>
          </>
        ) : null}
      </p>
      <RenderCopies />
      <ul className="buffers">
        {m.buffers.map((b) => (
          <li key={b.id} data-testid={`buffer-${b.id}`}>
            <code>{b.id}</code> {formatBytes(b.bytes)} {b.pooled ? <span className="muted">pooled</span> : null}
            {tex.byBuffer.get(b.id) ? <span className="muted"> · GPU {formatBytes(tex.byBuffer.get(b.id) ?? 0)}</span> : null}
            {b.pins.length > 0 && (
              <span className="pins">
                {b.pins.map((p, i) => (
                  <span key={i} className={`pin pin-${p.owner}`} title={p.label}>
                    {p.owner}
                  </span>
                ))}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The 3D pane's render copies (GPU memory with no voxel buffer of its own): "3D render copy of <layer>, RG8, 32 MiB". */
function RenderCopies() {
  const copies = useSyncExternalStore(subscribeRenderCopies, renderCopies);
  if (copies.length === 0) return null;
  return (
    <ul className="buffers" data-testid="render-copies">
      {copies.map((c, i) => (
        <li key={i} title={`${c.internalFormat === 'RG8' ? "The layer's range-normalised values in 16 bits, split over two 8-bit channels" : "The layer's range-normalised values as half floats"}, filtered by the GPU: the 3D pane's fast path (Exact samples turns it off)`}>
          {c.label}, {c.internalFormat}, {formatBytes(c.bytes)}
        </li>
      ))}
    </ul>
  );
}

/** A layer's bricks, " in 2 × 2 tiles × 2 z-slabs", where it is larger than one texture holds. */
function TextureBricks({ id }: { id: string }) {
  // A string, so the snapshot compares by value.
  const bricks = useSyncExternalStore(subscribeTextures, () => {
    const t = textureFor(id);
    if (!t || t.slabs.length === 1) return '';
    const tiled = t.tiles[0] * t.tiles[1] > 1;
    const slabs = t.slabStarts.length > 1 ? `${t.slabStarts.length} z-slabs` : '';
    return tiled ? ` in ${t.tiles[0]} × ${t.tiles[1]} tiles${slabs ? ` × ${slabs}` : ''}` : ` in ${slabs}`;
  });
  if (!bricks) return null;
  return (
    <span
      data-testid="texture-slabs"
      style={{ whiteSpace: 'nowrap' }}
      title={`Larger than one texture holds (this GPU's 3D size limit is ${textureCaps.max3DSize}, and a texture at most ${formatBytes(MAX_TEXTURE_BYTES)}): bricks, each over its part of the same memory (no copy), drawn as one volume`}
    >
      {bricks}
    </span>
  );
}

/** Each layer's GPU texture format (R16I, R32F…) and whether it is the buffer itself or a converted copy. */
export function TextureFormats() {
  const layers = useViewerStore((s) => s.layers);
  if (layers.length === 0) return null;
  return (
    <div className="details-block" role="group" aria-labelledby="textures-title" data-testid="texture-formats">
      <h3 id="textures-title">Textures</h3>
      <ul className="buffers">
        {layers.map((l) => {
          const tex = textureFormatFor(l.datatype, textureCaps);
          return (
            <li key={l.id}>
              <span className="layer-name">{l.name}</span> <code>{tex.internalFormat}</code>
              <TextureBricks id={l.id} />{' '}
              {tex.convert ? (
                <span className="warn" title={tex.convert.reason}>
                  converted copy
                </span>
              ) : (
                <span className="muted" title="The texture is uploaded from the voxel buffer as stored, with no converted copy">
                  zero-copy
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
