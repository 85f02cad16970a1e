import { useViewerStore } from '../state/viewerStore';
import { formatBytes } from './format';

export function Notices() {
  const notices = useViewerStore((s) => s.notices);
  const dismiss = useViewerStore((s) => s.dismiss);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.kind}`} data-code={n.code}>
          <div>
            <strong>{n.title}</strong>
            <p>{n.message}</p>
          </div>
          <button className="icon" aria-label="Dismiss" title="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function LoadProgressList() {
  const loads = useViewerStore((s) => s.loads);
  if (!loads.length) return null;
  return (
    <div className="loads">
      {loads.map((l) => (
        <div key={l.jobId} className="load" data-testid="load-progress">
          <span>
            {l.verb ?? 'Loading'} {l.name}
          </span>
          <progress max={l.totalBytes ?? 1} value={l.totalBytes ? l.loadedBytes : undefined} />
          <span className="muted">
            {l.unit ? `${l.loadedBytes}${l.totalBytes ? ` / ${l.totalBytes}` : ''} ${l.unit}` : `${formatBytes(l.loadedBytes)}${l.totalBytes ? ` / ${formatBytes(l.totalBytes)}` : ''}`}
            {l.totalBytes ? ` · ${Math.min(100, Math.floor((100 * l.loadedBytes) / l.totalBytes))} %` : ''}
            {l.fetchedBytes !== undefined ? ` · ${formatBytes(l.fetchedBytes)} fetched` : ''}
          </span>
          <button onClick={l.cancel} title="Stop this load and give back its memory">
            Cancel
          </button>
        </div>
      ))}
    </div>
  );
}
