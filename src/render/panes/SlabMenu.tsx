// A slice pane's corner menu: its thick slab (thickness in mm, MIP / MinIP / mean) and, while the
// planes are turned, a way back to the patient axes. The same actions as voxlens.setSlab and
// setOrientation.
import { useState } from 'react';
import { alignTo, setPaneSlab } from '../../state/obliqueActions';
import { isIdentity3, isSlabMode, SLAB_MODES, type SlabMode } from '../../state/orientation';
import { useViewerStore } from '../../state/viewerStore';
import type { Plane } from '../camera/sliceGeometry';

export const SLAB_MODE_NAMES: Record<SlabMode, string> = { max: 'MIP', min: 'MinIP', mean: 'Mean' };
const PRESETS_MM = [0, 5, 10, 20, 40];

export function SlabMenu({ plane }: { plane: Plane }) {
  const slab = useViewerStore((s) => s.slabs[plane]);
  const oblique = useViewerStore((s) => !isIdentity3(s.orientation));
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const thick = slab.thickness > 0;
  const set = (thickness: number, mode: SlabMode = slab.mode) => setError(setPaneSlab(plane, { thickness, mode })?.message ?? null);
  return (
    <div
      className="slab-menu"
      data-testid={`slab-menu-${plane}`}
      // Bottom-left, above the slice label: the top corners hold the pane's name, the patient and W/L,
      // the top edge the orientation letter. The menu opens upward.
      style={{ position: 'absolute', left: 6, bottom: 24, zIndex: 2, fontSize: 11, display: 'flex', flexDirection: 'column-reverse', alignItems: 'flex-start' }}
      // The pane below takes presses as crosshair moves: this corner is the menu's.
      onPointerDown={(e) => e.stopPropagation()}
      onDoubleClick={(e) => e.stopPropagation()}
      onWheel={(e) => e.stopPropagation()}
    >
      <button
        type="button"
        data-testid={`slab-button-${plane}`}
        title="Thick slab (MIP, MinIP or mean along the pane's normal) and orientation"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        style={{ padding: '0 5px', lineHeight: '16px', fontSize: 11, background: thick || oblique ? '#1d3b57' : '#000a', color: '#cfd6dd', border: '1px solid #3a4350', borderRadius: 3 }}
      >
        {thick ? `${SLAB_MODE_NAMES[slab.mode]} ${+slab.thickness.toFixed(1)} mm` : 'Slab'}
        {oblique ? ' · oblique' : ''} ▴
      </button>
      {open && (
        <div role="menu" style={{ marginBottom: 2, padding: 6, background: '#15191ee8', border: '1px solid #3a4350', borderRadius: 4, display: 'grid', gap: 4, minWidth: 170, color: '#dfe6ee' }}>
          <label style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
            Thickness
            <input
              type="number"
              min={0}
              step={1}
              value={slab.thickness}
              data-testid={`slab-thickness-${plane}`}
              aria-label="Slab thickness in mm (0: a thin slice)"
              style={{ width: 56 }}
              onChange={(e) => {
                const v = e.currentTarget.valueAsNumber;
                if (Number.isFinite(v)) set(v);
              }}
            />
            mm
          </label>
          <div style={{ display: 'flex', gap: 3, flexWrap: 'wrap' }}>
            {PRESETS_MM.map((mm) => (
              <button key={mm} type="button" onClick={() => set(mm)} aria-pressed={slab.thickness === mm} style={{ padding: '0 4px', fontSize: 11 }}>
                {mm === 0 ? 'Thin' : `${mm}`}
              </button>
            ))}
          </div>
          <label style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
            Mode
            <select
              value={slab.mode}
              data-testid={`slab-mode-${plane}`}
              onChange={(e) => {
                const m = e.currentTarget.value;
                if (isSlabMode(m)) set(slab.thickness, m);
              }}
            >
              {SLAB_MODES.map((m) => (
                <option key={m} value={m}>
                  {SLAB_MODE_NAMES[m]}
                </option>
              ))}
            </select>
          </label>
          {error && <div style={{ color: '#ff8a80' }}>{error}</div>}
          <div style={{ borderTop: '1px solid #3a4350', paddingTop: 4, display: 'flex', gap: 4 }}>
            <button type="button" disabled={!oblique} onClick={() => alignTo('patient')} title="Turn the three planes back to the patient axes" data-testid="orientation-patient">
              Patient axes
            </button>
            <button type="button" onClick={() => setError(alignTo('acquisition')?.message ?? null)} title="Align the planes to the bottom layer's voxel axes (an oblique acquisition)">
              Acquisition
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
