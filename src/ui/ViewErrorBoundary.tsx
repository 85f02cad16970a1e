import { Component, type ReactNode } from 'react';
import { setRenderUnavailable } from '../render/frameSignal';
import { useViewerStore } from '../state/viewerStore';

/**
 * Keeps the app alive when the view cannot render (no WebGL2, a lost GPU process): the panels,
 * loading and probes work from CPU memory; the view area says why it is empty.
 */
export class ViewErrorBoundary extends Component<{ children: ReactNode }, { message: string | null }> {
  state = { message: null as string | null };

  static getDerivedStateFromError(error: unknown) {
    return { message: error instanceof Error ? error.message : String(error) };
  }

  componentDidCatch(error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    setRenderUnavailable(message);
    useViewerStore.getState().notify({
      kind: 'error',
      title: 'The view cannot be drawn',
      message: `WebGL2 is not available here (${message}). Volumes still load, and the probe panel reads their exact values.`,
      code: 'no-webgl',
    });
  }

  render() {
    if (this.state.message === null) return this.props.children;
    return (
      <div className="view-unavailable" role="status" data-testid="view-unavailable">
        <p>
          <strong>No WebGL2: the slice view cannot be drawn.</strong>
        </p>
        <p className="muted">Enable hardware acceleration or WebGL in the browser settings, then reload.</p>
      </div>
    );
  }
}
