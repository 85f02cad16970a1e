// Who gets a key: the viewer's shortcuts (1–6 layouts, arrows and Page keys page a pane, P pins,
// Escape drops a measurement) or the control that has focus. Pure, so the rule is tested apart
// from the DOM: text entry keeps every key; a select keeps its arrows only while it is open (an
// open select's popup takes the keys before the page sees them, so a key that reaches the page
// came to a closed one); a slider keeps its arrows unless a pane is under the pointer or focused.

export type FocusKind = 'text' | 'select' | 'slider' | 'other';

const PAGING = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown']);

/** What has focus, as far as keys are concerned. */
export function focusKind(target: EventTarget | null): FocusKind {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return 'other';
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return 'text';
  if (target.tagName === 'SELECT') return 'select';
  if (target instanceof HTMLInputElement) {
    if (target.type === 'range') return 'slider';
    return ['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color'].includes(target.type) ? 'other' : 'text';
  }
  return 'other';
}

/** Whether the viewer takes `key`, given what has focus and whether a pane is under the pointer or has focus. */
export function viewerTakesKey(key: string, focus: FocusKind, paneActive: boolean): boolean {
  if (focus === 'text') return false;
  if (!PAGING.has(key)) return true;
  return focus === 'slider' ? paneActive : true;
}

/** +1 (toward the pane's +axis), −1, or 0 when the key does not page. */
export const pagingStep = (key: string): number => (key === 'ArrowUp' || key === 'PageUp' ? 1 : key === 'ArrowDown' || key === 'PageDown' ? -1 : 0);

/** Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo (segment editing); null for any other key. */
export function undoKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>): 'undo' | 'redo' | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  return key === 'y' && !e.shiftKey ? 'redo' : null;
}
