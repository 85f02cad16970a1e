import { useSyncExternalStore } from 'react';
import { memoryReport } from '../state/actions';
import { chunkCache, gpuBudgetBytes, subscribeMemory } from '../state/runtime';
import { textureStats } from '../render/textures/textureCache';
import { detailBytes } from '../state/paneDetail';
import { formatBytes } from './format';

let version = 0;
const subscribe = (onChange: () => void) =>
  subscribeMemory(() => {
    version++;
    onChange();
  });

/** Every voxel buffer with its pins, pooled or live, and the GPU bytes of its textures. */
export function MemoryPanel() {
  useSyncExternalStore(subscribe, () => version);
  const m = memoryReport();
  const tex = textureStats();
  const chunks = chunkCache.stats();
  const detail = detailBytes();
  return (
    <section className="panel" aria-labelledby="memory-title" data-testid="memory-panel">
      <h2 id="memory-title">Memory</h2>
      <p>
        Voxels <b data-testid="memory-live">{formatBytes(m.liveBytes)}</b> live · {formatBytes(m.pooledBytes)} pooled · budget {formatBytes(m.budgetBytes)}
        <br />
        GPU textures <b data-testid="memory-gpu">{formatBytes(tex.textureBytes + detail)}</b>
        {detail ? ` (pane detail ${formatBytes(detail)})` : ''} · budget {formatBytes(gpuBudgetBytes)}
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
      </p>
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
    </section>
  );
}
