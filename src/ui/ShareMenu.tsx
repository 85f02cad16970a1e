import { useCallback, useRef, useState } from 'react';
import { LIMITS } from '../state/viewState';
import { applySessionText, captureState, shareUrl } from '../state/viewStateApply';
import { useViewerStore } from '../state/viewerStore';
import { downloadText } from './download';
import { useEscape } from './useEscape';
import './shareMenu.css';

/** Copies text: the async clipboard, else the old copy command on a hidden text area (a page without clipboard permission). */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

const leftOut = (omitted: string[]) => (omitted.length ? ` It leaves out ${omitted.join(', ')}: a DICOM series opened from local files has no single address or file a link can name (a PACS series is restored from its server).` : '');

/** The toolbar's Share button (the view as a link, copied) and its menu: save the view as a session file, or open one. */
export function ShareMenu() {
  const [open, setOpen] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const close = useCallback(() => setOpen(false), []);

  const share = async () => {
    const { state, omitted } = captureState();
    const url = shareUrl(state);
    const notify = useViewerStore.getState().notify;
    const local = state.layers.filter((l) => 'file' in l.source).length;
    const asks = local ? ` Opening it asks for the ${local === 1 ? 'local file' : `${local} local files`} it names.` : '';
    if (await copyText(url)) notify({ kind: 'info', title: 'Link copied', message: `The link opens this view (${url.length} characters).${asks}${leftOut(omitted)}` });
    else notify({ kind: 'warning', title: 'Copy this link', message: `The clipboard could not be written: ${url}` });
  };

  const save = () => {
    const { state, omitted } = captureState();
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    downloadText(`voxlens-session-${stamp}.json`, `${JSON.stringify(state, null, 2)}\n`, 'application/json');
    if (omitted.length) useViewerStore.getState().notify({ kind: 'info', title: 'Session saved', message: leftOut(omitted).trim() });
    close();
  };

  return (
    <span className="share-menu">
      <span className="split">
        <button onClick={() => void share()} title="Copy a link that opens this view: layers by URL (local files by name), display, layout, crosshair, zoom, 3D camera, pins and measurements" data-testid="share-button">
          Share
        </button>
        <button aria-expanded={open} aria-haspopup="menu" aria-label="Session files" onClick={() => setOpen(!open)} title="Save the view as a session file, or open one" data-testid="session-menu">
          ▾
        </button>
      </span>
      {open && <SessionPopup onSave={save} onOpen={() => fileInput.current?.click()} onClose={close} />}
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="session-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          close();
          if (!file) return;
          if (file.size > LIMITS.jsonBytes) useViewerStore.getState().notify({ kind: 'error', title: `${file.name} is not a session`, message: `It is ${file.size} bytes; a session file is at most ${LIMITS.jsonBytes}.` });
          else void file.text().then(applySessionText);
        }}
      />
    </span>
  );
}

function SessionPopup({ onSave, onOpen, onClose }: { onSave(): void; onOpen(): void; onClose(): void }) {
  useEscape(onClose);
  return (
    <div className="share-popup" role="menu" aria-label="Session files">
      <button role="menuitem" onClick={onSave} title="Download the view as a JSON session file" data-testid="save-session">
        Save session
      </button>
      <button role="menuitem" onClick={onOpen} title="Open a session file saved before (its layers are loaded again)" data-testid="open-session">
        Open session…
      </button>
    </div>
  );
}
