// window.voxlens: the whole view as JSON and as a link (issue 25). The Share button and the
// session files use the same state (state/viewState.ts, state/viewStateApply.ts).
import { VoxlensLoadError } from '../io/errors';
import type { ViewState } from '../state/viewState';
import { applyState, captureState, parseSession, shareUrl } from '../state/viewStateApply';
import { validateState } from '../state/viewState';

export const viewStateApi = {
  /** The view now: layers (by URL or local file name) with their display and 3D style, layout, crosshair, zooms, camera, pins, measurements. */
  state(): ViewState {
    return captureState().state;
  },
  /**
   * Replaces the view with `state` (an object, or its JSON text). Resolves once its layers are
   * loaded and everything is applied, with what could not be restored; local files it names come
   * from `files`, else the viewer asks for them. Rejects with { code, message } on input that is
   * not a state ('bad-argument'), or when the user cancels giving the files ('cancelled').
   */
  async setState(state: unknown, opts: { files?: File[] } = {}): Promise<{ notRestored: string[] }> {
    const r = typeof state === 'string' ? parseSession(state) : validateState(state);
    if (r.kind === 'error') throw new VoxlensLoadError({ code: 'bad-argument', message: r.message });
    const more = await applyState(r.state, { files: opts.files ?? [] });
    return { notRestored: [...r.notRestored, ...more] };
  },
  /** A link to this page that opens the view as it is now (in the URL fragment, never sent to a server). */
  shareUrl(): string {
    return shareUrl();
  },
};
