import { useRef } from 'react';
import './shareMenu.css';
import { cancelPendingView, offerFiles, usePendingView } from '../state/viewStateApply';

/**
 * A link or session that names local files (a link cannot carry them) asks for them here: drop
 * them anywhere on the viewer or pick them with Open…; the view is applied once all are given.
 */
export function ViewFilesPrompt() {
  const pending = usePendingView((s) => s.pending);
  const input = useRef<HTMLInputElement>(null);
  if (!pending) return null;
  const { missing, optional } = pending;
  return (
    <div className="view-files-prompt" role="dialog" aria-label="Files this view needs" data-testid="view-files-prompt">
      <strong>This view uses local files</strong>
      <p>
        A link cannot carry files from your computer. Drop or Open… {missing.length === 1 ? 'this file' : `these ${missing.length} files`}:
      </p>
      <ul data-testid="missing-files">
        {missing.map((name) => (
          <li key={name}>
            <code>{name}</code>
          </li>
        ))}
      </ul>
      {optional.length > 0 && (
        <p className="muted">
          Label names, if you have {optional.length === 1 ? 'it' : 'them'}: {optional.map((n) => <code key={n}>{n} </code>)}
        </p>
      )}
      <div className="view-files-actions">
        <button onClick={() => input.current?.click()} title="Pick the files listed" data-testid="view-files-open">
          Open…
        </button>
        <button onClick={cancelPendingView} title="Keep the viewer as it is, without this view">
          Cancel
        </button>
      </div>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="view-files-input"
        onChange={(e) => {
          if (e.target.files) offerFiles(Array.from(e.target.files));
          e.target.value = '';
        }}
      />
    </div>
  );
}
