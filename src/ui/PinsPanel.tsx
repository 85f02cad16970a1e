// Pinned probes: one row per pin with its label (editable), world position and, per layer it was
// pinned on, the voxel and the exact raw and scaled values read again on every render (so a
// frame change or a closed layer shows at once). Click a row to move the crosshair there; pin
// with P (at the cursor, else the crosshair) or shift+click in a slice pane.
import { clearPins, exportPins, pinInfo, removePin, renamePin } from '../state/measurements';
import { useViewerStore } from '../state/viewerStore';
import { downloadText } from './download';
import { formatMm, formatValue } from './format';

export function PinsPanel() {
  const pins = useViewerStore((s) => s.pins);
  // Values depend on the layers (frames, closing): re-read whenever they change.
  useViewerStore((s) => s.layers);
  const hasLayers = useViewerStore((s) => s.layers.length > 0);
  if (!hasLayers && pins.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="pins-title" data-testid="pins-panel">
      <h2 id="pins-title">
        Pinned probes <span className="muted">P or shift+click to pin</span>
      </h2>
      {pins.length === 0 ? (
        <p className="muted">No pins yet.</p>
      ) : (
        <table className="pins">
          <thead>
            <tr>
              <th>Pin</th>
              <th>World mm · voxel · raw · scaled</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {pins.map((pin) => {
              const info = pinInfo(pin);
              const many = info.layers.length > 1;
              return (
                <tr key={pin.id} data-testid={`pin-${pin.id}`} onClick={() => useViewerStore.getState().setCrosshair([...pin.world])} title="Move the crosshair here">
                  <td>
                    <input aria-label={`Label of ${pin.label}`} value={pin.label} onClick={(e) => e.stopPropagation()} onChange={(e) => renamePin(pin.id, e.target.value)} />
                  </td>
                  {/* The world point, then one line per layer the pin was made on (named when there are several). */}
                  <td>
                    <div className="num nowrap">{info.world.map(formatMm).join(', ')}</div>
                    {info.layers.map((l) => (
                      <div key={l.layerId} className="pin-layer" data-testid="pin-layer" title={l.name}>
                        {many && <span className="layer-name">{l.name}: </span>}
                        {l.closed ? (
                          <span className="muted">{many ? '' : `${l.name}: `}layer closed</span>
                        ) : !l.inside ? (
                          <span className="muted">outside</span>
                        ) : (
                          <span className="num pin-values">
                            [<b data-v>{l.ijk.join(', ')}</b>] raw <b data-v>{formatValue(l.raw)}</b> scaled <b data-v>{formatValue(l.scaled)}</b>
                          </span>
                        )}
                      </div>
                    ))}
                  </td>
                  <td>
                    <button
                      aria-label={`Delete ${pin.label}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        removePin(pin.id);
                      }}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="row">
        <button disabled={pins.length === 0} onClick={() => downloadText('voxlens-pins.csv', exportPins('csv'), 'text/csv')}>
          Export CSV
        </button>
        <button disabled={pins.length === 0} onClick={() => downloadText('voxlens-pins.json', exportPins('json'), 'application/json')}>
          Export JSON
        </button>
        <button disabled={pins.length === 0} onClick={clearPins}>
          Clear
        </button>
      </div>
    </section>
  );
}
