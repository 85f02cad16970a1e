// The keyboard and mouse help: `?` (anywhere but a text field) or the toolbar's ? button opens it,
// `?` or Escape closes it. Its own window listener, in the capture phase, so the viewer's key handler
// (render/panes/Viewport.tsx) never sees the Escape that closes the help (it would also drop the
// measurement tool) nor the `?` that toggles it.
import { useEffect, useRef } from 'react';
import { focusKind, type FocusKind } from '../render/panes/keys';
import { LAYOUT_KEYS, LAYOUT_LABEL } from '../render/panes/layouts';

export type HelpKeyAction = 'toggle' | 'close' | null;

/** What a key does to the help: `?` toggles it unless a text field has focus; Escape closes it when open. */
export function helpKeyAction(key: string, focus: FocusKind, open: boolean, modified: boolean): HelpKeyAction {
  if (modified) return null;
  if (key === 'Escape') return open ? 'close' : null;
  if (key === '?' && focus !== 'text') return 'toggle';
  return null;
}

/** Listens for `?` and Escape on the window while mounted; returns its undo through the effect. */
export function useHelpKey(open: boolean, setOpen: (open: boolean) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = helpKeyAction(e.key, focusKind(e.target), open, e.ctrlKey || e.metaKey || e.altKey);
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      setOpen(action === 'toggle' ? !open : false);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [open, setOpen]);
}

interface Shortcut {
  keys: string;
  action: string;
}

const layoutKeys = Object.entries(LAYOUT_KEYS)
  .map(([k, l]) => `${k} ${LAYOUT_LABEL[l]}`)
  .join(' · ');

export const HELP_GROUPS: { title: string; items: Shortcut[] }[] = [
  {
    title: 'Keys',
    items: [
      { keys: '1 – 6', action: `Layouts: ${layoutKeys}` },
      { keys: '↑ / ↓, PgUp / PgDn', action: 'Page one slice in the pane under the pointer, or in the focused pane' },
      { keys: 'P', action: 'Pin the probe under the cursor (else at the crosshair)' },
      { keys: 'Space', action: 'Play or pause the frames of a 4D layer' },
      { keys: '[ / ]', action: 'Previous / next frame of a 4D layer' },
      { keys: 'I', action: 'Show or hide patient name, ID and series on the panes (DICOM)' },
      { keys: 'Delete', action: 'Delete the selected line' },
      { keys: 'Escape', action: 'Drop the measurement being drawn, else back to the crosshair tool; closes dialogs and this help' },
      { keys: 'Tab', action: 'Reach the panes (a focused pane shows a blue ring and takes the paging keys)' },
      { keys: '?', action: 'Show or hide this help (not while typing in a field)' },
    ],
  },
  {
    title: 'Mouse in a slice pane',
    items: [
      { keys: 'Wheel', action: 'Page slices' },
      { keys: 'Ctrl + wheel', action: 'Zoom' },
      { keys: 'Left-drag', action: 'Move the crosshair, or draw with the chosen measurement tool' },
      { keys: 'Right-drag', action: 'Window / level of the selected (else the topmost) intensity layer' },
      { keys: 'Middle-drag', action: 'Pan' },
      { keys: 'Shift + click', action: 'Pin a probe there' },
      { keys: 'Double-click', action: 'Reset the pane’s zoom and pan' },
      { keys: 'Double-click a pane label', action: 'Make that pane the large one (1+3 layout)' },
    ],
  },
  {
    title: 'Mouse in the 3D pane',
    items: [
      { keys: 'Drag', action: 'Rotate' },
      { keys: 'Click', action: 'Pick: move the crosshair to the point under the pointer' },
      { keys: 'Wheel', action: 'Zoom' },
      { keys: 'Middle-drag', action: 'Pan' },
      { keys: 'Drag a handle', action: 'Move a face of the clip box (when clipping is on)' },
      { keys: 'Double-click', action: 'Reset the camera' },
    ],
  },
];

export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Focus goes into the dialog and back where it was (a pane, a control) when it closes.
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    return () => before?.focus();
  }, []);
  return (
    <div className="modal-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="modal help" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay">
        <div className="help-head">
          <h2 id="help-title">Keys and mouse</h2>
          <button ref={closeButton} onClick={onClose} title="Close (Escape or ?)" aria-label="Close help">
            ×
          </button>
        </div>
        {HELP_GROUPS.map((g) => (
          <section key={g.title} aria-label={g.title}>
            <h3>{g.title}</h3>
            <dl className="help-list">
              {g.items.map((s) => (
                <div key={s.keys} className="help-row">
                  <dt>
                    <kbd>{s.keys}</kbd>
                  </dt>
                  <dd>{s.action}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </div>
  );
}
