import { useViewerStore, type PaneKind } from '../../state/viewerStore';

/**
 * The pane's name in its corner, where several panes share the view (a single pane is named by the
 * toolbar and its slice label, and a label would hide image corners). In the 1+3 layout a
 * double-click makes this pane the large one.
 */
export function PaneLabel({ kind, text }: { kind: PaneKind; text: string }) {
  const layout = useViewerStore((s) => s.layout);
  const primary = useViewerStore((s) => s.primaryPane);
  const promotable = layout === '1+3' && primary !== kind;
  if (layout !== '2x2' && layout !== '1+3') return null;
  return (
    <span
      className={`pane-label${promotable ? ' promotable' : ''}`}
      data-testid={`pane-label-${kind}`}
      title={promotable ? 'Double-click to make this the large pane' : undefined}
      onDoubleClick={() => {
        if (promotable) useViewerStore.getState().setPrimaryPane(kind);
      }}
    >
      {text}
    </span>
  );
}
