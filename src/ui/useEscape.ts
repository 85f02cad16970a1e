import { useEffect } from 'react';

/**
 * Escape calls `onClose` wherever focus is, while the caller is mounted (a dialog: a click
 * elsewhere on the page may have moved focus out of it). The listener is on the window in the
 * capture phase and stops the Escape there, so the viewer's own key handler never sees it.
 */
export function useEscape(onClose: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      onClose();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);
}
