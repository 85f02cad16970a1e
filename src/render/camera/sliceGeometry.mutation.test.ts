// Slice-view geometry edges found by mutation testing (issue 27): exact fit numbers, pan and zoom,
// oblique frames (handedness, the fallback up), letters, and the store-level paneTransform.
import { describe, expect, it } from 'vitest';
import { rotationAbout } from '../../state/orientation';
import { useViewerStore, type LayerMeta, type ViewerState } from '../../state/viewerStore';
import { layerBounds, paneTransform } from './paneView';
import { clipToWorld, directionLabel, directionLetter, fitView, mmPerPixel, planeFrame, screenToWorld, worldToScreen } from './sliceGeometry';

const bounds = { lo: [-10, -20, -30] as [number, number, number], hi: [30, 40, 50] as [number, number, number] };
const close = (a: readonly number[], b: readonly number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 9));

describe('fitView numbers', () => {
  it('fits the wider extent with a 6 % margin, centres the bounds, zoom divides the scale', () => {
    // Axial, radiological: right = −x (extent 40), up = +y (extent 60). 200 × 100 px: the height decides.
    const v = fitView('axial', 'radiological', bounds, [0, 0, 7], 200, 100);
    expect(v.halfHeightMm).toBeCloseTo((60 * 1.06) / 2, 9);
    expect(v.halfWidthMm).toBeCloseTo((60 * 1.06) / 2 * 2, 9);
    close(v.centre, [10, 10, 7]);
    expect(mmPerPixel(v)).toBeCloseTo((60 * 1.06) / 100, 9);
    // A wide box in a tall pane: the width decides.
    const w = fitView('axial', 'radiological', bounds, [0, 0, 0], 100, 400);
    expect(mmPerPixel(w)).toBeCloseTo((40 * 1.06) / 100, 9);
    const z = fitView('axial', 'radiological', bounds, [0, 0, 7], 200, 100, 4);
    expect(z.halfHeightMm).toBeCloseTo(v.halfHeightMm / 4, 9);
  });

  it('pans along screen right and up: the view centre moves against the pan', () => {
    const v = fitView('coronal', 'neurological', bounds, [0, 5, 0], 100, 100, 1, [3, -4]);
    // Neurological coronal: right = +x, up = +z; centre (10, ·, 10) minus the pan.
    close(v.centre, [7, 5, 14]);
  });

  it('a flat box (one slice) uses 100 mm for the missing extent', () => {
    const flat = { lo: [0, 0, 0] as [number, number, number], hi: [0, 0, 0] as [number, number, number] };
    const v = fitView('axial', 'radiological', flat, [0, 0, 0], 50, 100);
    expect(mmPerPixel(v)).toBeCloseTo(100 / 50, 9);
  });

  it('clipToWorld and screenToWorld place the corners, for an oblique plane too', () => {
    const R = rotationAbout([1, 1, 0], 0.5);
    const v = fitView('sagittal', 'radiological', bounds, [1, 2, 3], 120, 80, 1.5, [2, 1], R);
    const m = clipToWorld(v);
    const corner = [0, 1, 2].map((r) => m[r * 4] * 1 + m[r * 4 + 1] * -1 + m[r * 4 + 3]);
    close(corner, screenToWorld(v, 120, 80));
    close(screenToWorld(v, 60, 40), v.centre);
    expect(m.slice(12)).toEqual([0, 0, 0, 1]);
    const p: [number, number, number] = [4, -3, 2];
    const [x, y] = worldToScreen(v, p);
    const back = screenToWorld(v, x, y);
    // The point's in-plane part comes back: the difference lies along the normal.
    const d = [p[0] - back[0], p[1] - back[1], p[2] - back[2]];
    const cross = [d[1] * v.frame.normal[2] - d[2] * v.frame.normal[1], d[2] * v.frame.normal[0] - d[0] * v.frame.normal[2], d[0] * v.frame.normal[1] - d[1] * v.frame.normal[0]];
    close(cross, [0, 0, 0]);
    // The plane passes through the slice point.
    const n = v.frame.normal;
    expect(v.centre[0] * n[0] + v.centre[1] * n[1] + v.centre[2] * n[2]).toBeCloseTo(1 * n[0] + 2 * n[1] + 3 * n[2], 9);
  });
});

describe('planeFrame, oblique', () => {
  it('sagittal right is −y (anterior on the left) in both conventions', () => {
    expect(planeFrame('sagittal', 'radiological').right).toEqual([0, -1, 0]);
    expect(planeFrame('sagittal', 'neurological').right).toEqual([0, -1, 0]);
  });

  it('keeps the unrotated handedness (right = ±(up × normal)) for every pane and convention', () => {
    const R = rotationAbout([0.3, -0.5, 0.8], 0.4);
    for (const plane of ['axial', 'coronal', 'sagittal'] as const)
      for (const convention of ['radiological', 'neurological'] as const) {
        const straight = planeFrame(plane, convention);
        const turned = planeFrame(plane, convention, R);
        // A small rotation: each axis stays near its unrotated direction.
        for (const key of ['right', 'up', 'normal'] as const) {
          const dot = straight[key][0] * turned[key][0] + straight[key][1] * turned[key][1] + straight[key][2] * turned[key][2];
          expect(dot, `${plane} ${convention} ${key}`).toBeGreaterThan(0.8);
        }
        expect(turned.normalAxis).toBe(straight.normalAxis);
      }
  });

  it('a plane tilted past the up axis takes R’s image of up', () => {
    // Axial tilted 80° about x: the projection of anterior is short (cos 80° ≈ 0.17 < 0.4).
    const R = rotationAbout([1, 0, 0], (80 * Math.PI) / 180);
    const f = planeFrame('axial', 'radiological', R);
    close(f.up, [0, Math.cos((80 * Math.PI) / 180), Math.sin((80 * Math.PI) / 180)]);
    // At 60° the projection (0.5) is followed: up stays in the y–z plane, toward +y.
    const g = planeFrame('axial', 'radiological', rotationAbout([1, 0, 0], Math.PI / 3));
    close(g.up, [0, Math.cos(Math.PI / 3), Math.sin(Math.PI / 3)]);
    const h = planeFrame('axial', 'radiological', rotationAbout([1, 0, 0], (66.5 * Math.PI) / 180));
    expect(h.up[1]).toBeGreaterThan(0);
  });
});

describe('direction letters', () => {
  it('the largest component decides; ties go to the earlier axis; zero counts as positive', () => {
    expect(directionLetter([1, 0, 0])).toBe('R');
    expect(directionLetter([-1, 0, 0])).toBe('L');
    expect(directionLetter([0, 1, 0])).toBe('A');
    expect(directionLetter([0, -1, 0])).toBe('P');
    expect(directionLetter([0, 0, 1])).toBe('S');
    expect(directionLetter([0, 0, -1])).toBe('I');
    expect(directionLetter([0.5, 0.5, 0])).toBe('R');
    expect(directionLetter([0.5, -0.5, 0.5])).toBe('R');
    expect(directionLetter([0, 0.5, 0.5])).toBe('A');
    expect(directionLetter([0.2, -0.5, -0.5])).toBe('P');
    expect(directionLetter([0, 0, 0])).toBe('R');
  });

  it('oblique labels add components of 15° or more, strongest first', () => {
    const s15 = Math.sin((15 * Math.PI) / 180);
    expect(directionLabel([0.9, s15, 0])).toBe('RA');
    expect(directionLabel([0.9, s15 * 0.999, 0])).toBe('R');
    expect(directionLabel([-0.3, 0.4, -0.9])).toBe('IAL');
    expect(directionLabel([0, 0, 0])).toBe('R');
    expect(directionLabel([0.5, 0.5, 0.5])).toBe('RAS');
  });
});

describe('paneTransform', () => {
  const layer = { id: 'a', dims: [11, 21, 31], affine: [1, 0, 0, -10, 0, 1, 0, -20, 0, 0, 1, -30, 0, 0, 0, 1] } as unknown as LayerMeta;
  const state = (patch: Partial<ViewerState> = {}): ViewerState => ({ ...useViewerStore.getState(), layers: [layer], crosshair: [0, 0, 5], paneSizes: { axial: [100, 100] }, ...patch });

  it('needs a size above zero both ways, a crosshair and a layer', () => {
    expect(paneTransform(state(), 'axial')).not.toBeNull();
    expect(paneTransform(state({ paneSizes: {} }), 'axial')).toBeNull();
    expect(paneTransform(state({ paneSizes: { axial: [0, 100] } }), 'axial')).toBeNull();
    expect(paneTransform(state({ paneSizes: { axial: [100, 0] } }), 'axial')).toBeNull();
    expect(paneTransform(state({ paneSizes: { axial: [1, 1] } }), 'axial')).not.toBeNull();
    expect(paneTransform(state({ crosshair: null }), 'axial')).toBeNull();
    expect(paneTransform(state({ layers: [] }), 'axial')).toBeNull();
  });

  it('fits the layers’ bounds through the crosshair with the pane’s zoom and pan', () => {
    const s = state();
    const v = paneTransform({ ...s, paneViews: { ...s.paneViews, axial: { zoom: 2, panMm: [1, 2] } } }, 'axial')!;
    expect(v.widthPx).toBe(100);
    expect(v.centre[2]).toBe(5);
    const plain = paneTransform(s, 'axial')!;
    expect(v.halfWidthMm).toBeCloseTo(plain.halfWidthMm / 2, 9);
    expect(plain.halfWidthMm).toBeCloseTo((20 * 1.06) / 2, 9);
  });

  it('layerBounds follows a new layer list', () => {
    expect(layerBounds([layer])).toEqual({ lo: [-10, -20, -30], hi: [0, 0, 0] });
    const moved = { ...layer, affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] } as LayerMeta;
    expect(layerBounds([moved])).toEqual({ lo: [0, 0, 0], hi: [10, 20, 30] });
  });
});
