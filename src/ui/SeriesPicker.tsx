import { useEffect, useRef } from 'react';
import { useViewerStore } from '../state/viewerStore';

function Thumbnail({ picture }: { picture?: { width: number; height: number; rgba: Uint8ClampedArray<ArrayBuffer> } }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (picture) canvas.current?.getContext('2d')?.putImageData(new ImageData(picture.rgba, picture.width, picture.height), 0, 0);
  }, [picture]);
  return <canvas ref={canvas} className="series-thumb" width={picture?.width ?? 96} height={picture?.height ?? 96} data-testid="series-thumbnail" data-ready={picture ? 'yes' : 'no'} />;
}

/** Several DICOM series in one drop: pick one to open (largest first), or none. */
export function SeriesPicker() {
  const choice = useViewerStore((s) => s.seriesChoice);
  if (!choice) return null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="series-picker-title" data-testid="series-picker">
        <h2 id="series-picker-title">Which series?</h2>
        <p className="muted">The files hold {choice.options.length} series. Open one; drop again for another.</p>
        <ul className="series-list">
          {choice.options.map((o) => (
            <li key={o.key}>
              <button onClick={() => choice.choose(o.key)} data-testid="series-option">
                <Thumbnail picture={o.thumbnail} />
                <span className="series-text">
                  <strong>{o.description}</strong>
                  <span className="muted">
                    {o.imageCount} image{o.imageCount === 1 ? '' : 's'}
                    {o.modality ? ` · ${o.modality}` : ''}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
        <button onClick={() => choice.choose(null)}>Cancel</button>
      </div>
    </div>
  );
}
