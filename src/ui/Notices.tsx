import { useEffect, useRef, useState } from 'react';
import { useViewerStore, type Notice } from '../state/viewerStore';
import { formatBytes } from './format';
import { useEscape } from './useEscape';

/** Notices in view at once; older ones wait behind "N more". */
export const NOTICES_SHOWN = 3;
/** How long information and warnings stay once no load is running; errors stay until dismissed. */
export const FADE_MS = { info: 8000, warning: 15000 } as const;

/**
 * The notice tray, in the viewport's bottom-left corner, one line per notice (the whole text in its
 * tooltip and in the history), at most NOTICES_SHOWN of them, so it never reaches the middle half
 * of a pane (app.css keeps it within a quarter of the smallest pane's height and half the
 * viewport's width). Information and warnings fade: their time starts once no load is running.
 */
export function Notices() {
  const notices = useViewerStore((s) => s.notices);
  const loading = useViewerStore((s) => s.loads.length > 0);
  const dismiss = useViewerStore((s) => s.dismiss);
  const [history, setHistory] = useState(false);
  /** When the last load ended: a notice raised during a load starts fading then. */
  const quietSince = useRef(0);
  useEffect(() => {
    if (!loading) quietSince.current = Date.now();
  }, [loading]);
  useEffect(() => {
    if (loading) return;
    const timers = notices
      .filter((n): n is Notice & { kind: 'info' | 'warning' } => n.kind !== 'error')
      .map((n) => setTimeout(() => dismiss(n.id), Math.max(0, Math.max(n.time, quietSince.current) + FADE_MS[n.kind] - Date.now())));
    return () => timers.forEach(clearTimeout);
  }, [notices, loading, dismiss]);
  const shown = notices.slice(-NOTICES_SHOWN);
  const more = notices.length - shown.length;
  const raised = useViewerStore((s) => s.noticeHistory.length);
  const openHistory = () => setHistory(true);
  return (
    <>
      <div className="notices" aria-live="polite" data-testid="notice-tray">
        {/* With nothing shown, the bell alone keeps the history in reach. */}
        {shown.length === 0 && raised > 0 && <HistoryBell count={raised} onClick={openHistory} />}
        {shown.map((n, i) => (
          <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'} data-testid={`notice-${n.kind}`} data-code={n.code} title={`${n.title}: ${n.message}`}>
            {i === shown.length - 1 && <HistoryBell count={raised} onClick={openHistory} />}
            <strong>{n.title}</strong>
            <span className="notice-message">{n.message}</span>
            {/* On the newest line, so the tray stays three lines high. */}
            {more > 0 && i === shown.length - 1 && (
              <button className="notice-more" data-testid="notice-more" title="Show every notice, with the ones before" onClick={() => setHistory(true)}>
                {more} more
              </button>
            )}
            <button className="icon" aria-label="Dismiss" title="Dismiss" onClick={() => dismiss(n.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
      {history && <NoticeHistory onClose={() => setHistory(false)} />}
    </>
  );
}

/** Opens the notice history: a bell and how many notices were raised. */
function HistoryBell({ count, onClick }: { count: number; onClick: () => void }) {
  return (
    <button className="notice-history-button" onClick={onClick} aria-label={`Notices (${count})`} title="The last notices, with their times" data-testid="notice-history-button">
      <svg width="11" height="12" viewBox="0 0 12 13" aria-hidden="true">
        <path d="M6 1a3.5 3.5 0 0 0-3.5 3.5V8L1 10h10L9.5 8V4.5A3.5 3.5 0 0 0 6 1zM4.5 11a1.5 1.5 0 0 0 3 0z" fill="currentColor" />
      </svg>
      <span>{count}</span>
    </button>
  );
}

/** The last NOTICE_HISTORY notices, newest first, with their times; the ones still shown can be dismissed. */
function NoticeHistory({ onClose }: { onClose: () => void }) {
  const history = useViewerStore((s) => s.noticeHistory);
  const active = useViewerStore((s) => s.notices);
  const dismiss = useViewerStore((s) => s.dismiss);
  useEscape(onClose);
  return (
    <div className="modal-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal notice-history" role="dialog" aria-modal="true" aria-labelledby="notice-history-title" data-testid="notice-history">
        <h2 id="notice-history-title">Notices</h2>
        <ol>
          {[...history].reverse().map((n) => (
            <li key={n.id} className={`notice-${n.kind}`}>
              <time dateTime={new Date(n.time).toISOString()}>{new Date(n.time).toLocaleTimeString()}</time> <strong>{n.title}</strong>
              <p>{n.message}</p>
              {active.some((a) => a.id === n.id) && (
                <button onClick={() => dismiss(n.id)} title="Take it off the image">
                  Dismiss
                </button>
              )}
            </li>
          ))}
        </ol>
        <button onClick={onClose} title="Close (Escape)">
          Close
        </button>
      </div>
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
