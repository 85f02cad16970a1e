// Pinned probes: one row per pin with its label (editable), world position and, per layer it was
// pinned on, the voxel and the exact raw and scaled values read again on every render (so a
// frame change or a closed layer shows at once). Click a row to move the crosshair there; pin
// with P (at the cursor, else the crosshair) or shift+click in a slice pane.
import { clearPins, exportPins, pinInfo, removePin, renamePin } from '../state/measurements';
import { useViewerStore } from '../state/viewerStore';
import { downloadText } from './download';
import { formatMm, formatValue, mmDecimals } from './format';
import { Section } from './Section';

export function PinsPanel() {
  const pins = useViewerStore((s) => s.pins);
  // Values depend on the layers (frames, closing): re-read whenever they change.
  const layers = useViewerStore((s) => s.layers);
  if (layers.length === 0 && pins.length === 0) return null;
  const decimals = mmDecimals(layers.map((l) => l.affine));
  return (
    <Section
      id="pins"
      testId="pins-panel"
      tooltip="probes kept at chosen points, read again on every change"
      title={
        <>
          Pinned probes <span className="muted">P or shift+click to pin</span>
        </>
      }
    >
      {pins.length === 0 ? (
        <p className="muted">No pins yet.</p>
      ) : (
        <table className="pins">
          <thead>
            <tr>
              <th>Pin</th>
              <th title="The world point (RAS+ mm), then per layer the voxel [i, j, k], its raw stored value and its scaled value">World mm · voxel · raw · scaled</th>
              <th>
                <span className="visually-hidden">Delete</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pins.map((pin) => {
              const info = pinInfo(pin);
              const many = info.layers.length > 1;
              return (
                <tr key={pin.id} data-testid={`pin-${pin.id}`} onClick={() => useViewerStore.getState().setCrosshair([...pin.world])} title="Move the crosshair here">
                  <td>
                    <input aria-label={`Label of ${pin.label}`} title="Rename this pin (the name goes into the exports)" value={pin.label} onClick={(e) => e.stopPropagation()} onChange={(e) => renamePin(pin.id, e.target.value)} />
                  </td>
                  {/* The world point, then one line per layer the pin was made on (named when there are several). */}
                  <td>
                    <div className="num nowrap">{info.world.map((v) => formatMm(v, decimals)).join(', ')}</div>
                    {info.layers.map((l) => (
                      <div key={l.layerId} className="pin-layer" data-testid="pin-layer" title={l.name}>
                        {many && <span className="layer-name">{l.name}</span>}
                        {l.closed ? (
                          <span className="muted">{many ? '' : `${l.name}: `}layer closed</span>
                        ) : !l.inside ? (
                          <span className="muted">outside</span>
                        ) : (
                          // Each group unbroken, so a narrow sidebar wraps between them, never inside one.
                          <span className="num pin-values">
                            <span className="nowrap">
                              [<b data-v>{l.ijk.join(', ')}</b>]
                            </span>{' '}
                            <span className="nowrap">
                              raw <b data-v>{formatValue(l.raw)}</b>
                            </span>{' '}
                            <span className="nowrap">
                              scaled <b data-v>{formatValue(l.scaled)}</b>
                            </span>
                            {l.labelName !== undefined && (
                              <>
                                {' '}
                                <span className="nowrap pin-label-name" data-testid="pin-label-name" title="The label map's name for this value">
                                  {l.labelName}
                                </span>
                              </>
                            )}
                          </span>
                        )}
                      </div>
                    ))}
                  </td>
                  <td>
                    <button
                      aria-label={`Delete ${pin.label}`}
                      title="Delete this pin"
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
        <button disabled={pins.length === 0} title="Download the pins as CSV: one row per pin and layer" onClick={() => downloadText('voxlens-pins.csv', exportPins('csv'), 'text/csv')}>
          Export CSV
        </button>
        <button disabled={pins.length === 0} title="Download the pins as JSON" onClick={() => downloadText('voxlens-pins.json', exportPins('json'), 'application/json')}>
          Export JSON
        </button>
        <button disabled={pins.length === 0} title="Delete every pin" onClick={clearPins}>
          Clear
        </button>
      </div>
    </Section>
  );
}
