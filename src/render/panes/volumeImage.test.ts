import { PerspectiveCamera } from 'three';
import { describe, expect, it } from 'vitest';
import { useViewerStore, type LayerMeta, type ViewerState } from '../../state/viewerStore';
import { cameraPoseKey, paneSizesSettled, sameImageKey, volumeCameraSetup, volumeImageKey } from './volumeImage';

/** 10 × 20 × 30 voxels of 1 mm, the first voxel centre at (−5.5, −0.5, 9.5). */
const layer = { id: 'a', dims: [10, 20, 30], affine: [1, 0, 0, -5.5, 0, 1, 0, -0.5, 0, 0, 1, 9.5, 0, 0, 0, 1] } as unknown as LayerMeta;

function state(patch: Partial<ViewerState> = {}): ViewerState {
  return { ...useViewerStore.getState(), layers: [layer], paneSizes: { '3d': [300, 150] }, ...patch };
}

function placed(s: ViewerState): PerspectiveCamera {
  const setup = volumeCameraSetup(s)!;
  const camera = new PerspectiveCamera(setup.fovDeg, setup.aspect, setup.near, setup.far);
  camera.up.set(...setup.up);
  camera.position.set(...setup.position);
  camera.lookAt(...setup.target);
  camera.updateProjectionMatrix();
  camera.updateMatrixWorld();
  return camera;
}

describe('volumeCameraSetup', () => {
  it('needs a layer and the pane size', () => {
    expect(volumeCameraSetup(state({ layers: [] }))).toBeNull();
    expect(volumeCameraSetup(state({ paneSizes: {} }))).toBeNull();
  });
  it('frames the layers’ box from the pane’s aspect and the orbit', () => {
    const s = volumeCameraSetup(state({ orbit: { azimuth: 0, elevation: 0, zoom: 1 } }))!;
    expect(s.aspect).toBe(2);
    expect(s.centre).toEqual([-1, 9, 24]);
    expect(s.extent).toEqual([9, 19, 29]); // voxel centre to voxel centre
    expect(s.target).toEqual(s.centre);
    // Azimuth 0 looks from anterior: the camera is on +y of the centre, superior up.
    expect(s.position[1]).toBeGreaterThan(s.centre[1]);
    expect(s.position[0]).toBeCloseTo(s.centre[0], 9);
    expect(s.up).toEqual([0, 0, 1]);
    expect(s.near).toBeLessThan(s.far);
  });
  it('moves the camera with the orbit and with the pane’s aspect', () => {
    const a = volumeCameraSetup(state())!;
    expect(volumeCameraSetup(state({ orbit: { azimuth: 90, elevation: 0, zoom: 1 } }))!.position[0]).toBeLessThan(a.centre[0]);
    expect(volumeCameraSetup(state({ paneSizes: { '3d': [150, 300] } }))!.aspect).toBe(0.5);
  });
});

describe('the 3D image key', () => {
  it('tells camera poses apart: a fresh camera at the origin is not the placed one', () => {
    const fresh = new PerspectiveCamera(30, 1, 1, 1e5);
    fresh.updateMatrixWorld();
    const s = state();
    expect(cameraPoseKey(placed(s))).not.toBe(cameraPoseKey(fresh));
    expect(cameraPoseKey(placed(s))).toBe(cameraPoseKey(placed(s)));
    expect(cameraPoseKey(placed(state({ orbit: { azimuth: 31, elevation: 20, zoom: 1 } })))).not.toBe(cameraPoseKey(placed(s)));
    // The projection alone (a pane of another aspect) changes it too.
    const wide = placed(s);
    wide.aspect = 3;
    wide.updateProjectionMatrix();
    expect(cameraPoseKey(wide)).not.toBe(cameraPoseKey(placed(s)));
  });

  it('changes with the pose, the scene, the textures and each store value the image reads', () => {
    const s = state();
    const scene = {};
    const key = volumeImageKey(s, 'pose', scene, 1);
    expect(sameImageKey(key, volumeImageKey(s, 'pose', scene, 1))).toBe(true);
    expect(sameImageKey(key, volumeImageKey(s, 'other pose', scene, 1))).toBe(false);
    expect(sameImageKey(key, volumeImageKey(s, 'pose', {}, 1))).toBe(false);
    expect(sameImageKey(key, volumeImageKey(s, 'pose', scene, 2))).toBe(false);
    const changed: Partial<ViewerState>[] = [
      { layers: [layer] },
      { orbit: { ...s.orbit } },
      { paneViews: { ...s.paneViews, '3d': { zoom: 2, panMm: [0, 0] } } },
      { paneSizes: { '3d': [300, 150] } },
      { renderMode: s.renderMode === 'mip' ? 'iso' : 'mip' },
      { projection: s.projection === 'max' ? 'min' : 'max' },
      { volumeStyles: {} },
      { clip: { lo: [0, 0, 0], hi: [1, 1, 1] } },
      { cut: !s.cut },
      { quality: s.quality + 1 },
      { skipEmpty: !s.skipEmpty },
      { exactSamples: !s.exactSamples },
      { interacting: !s.interacting },
    ];
    for (const patch of changed) expect(sameImageKey(key, volumeImageKey({ ...s, ...patch }, 'pose', scene, 1)), Object.keys(patch)[0]).toBe(false);
  });

  it('a layout round trip (the pane unmounted and mounted again, the store unchanged) never reuses the old image', () => {
    const s = state();
    const before = { scene: {}, camera: placed(s) };
    const cached = volumeImageKey(s, cameraPoseKey(before.camera), before.scene, 3);
    // Remounted: a new scene, and a camera that r3f creates fresh; a frame drawn before the camera is placed…
    const after = { scene: {}, camera: new PerspectiveCamera(75, 1, 0.1, 1000) };
    after.camera.updateMatrixWorld();
    const unplaced = volumeImageKey(s, cameraPoseKey(after.camera), after.scene, 3);
    expect(sameImageKey(cached, unplaced)).toBe(false);
    // …even with the old scene (a key without the pose would reuse the image drawn from the fresh camera)…
    expect(sameImageKey(cached, volumeImageKey(s, cameraPoseKey(after.camera), before.scene, 3))).toBe(false);
    // …and once placed: the same pose, but another scene.
    const placedAgain = volumeImageKey(s, cameraPoseKey(placed(s)), after.scene, 3);
    expect(sameImageKey(cached, placedAgain)).toBe(false);
    // Drawn once in the new scene, that image is reused until something changes.
    expect(sameImageKey(placedAgain, volumeImageKey(s, cameraPoseKey(placed(s)), after.scene, 3))).toBe(true);
  });

  it('holds the crosshair only while the cut follows it', () => {
    const scene = {};
    const uncut = state({ cut: false, crosshair: [0, 0, 0] });
    expect(sameImageKey(volumeImageKey(uncut, 'p', scene, 0), volumeImageKey({ ...uncut, crosshair: [1, 2, 3] }, 'p', scene, 0))).toBe(true);
    const cut = state({ cut: true, crosshair: [0, 0, 0] });
    expect(sameImageKey(volumeImageKey(cut, 'p', scene, 0), volumeImageKey({ ...cut, crosshair: [1, 2, 3] }, 'p', scene, 0))).toBe(false);
    // The cut follows the turned planes too (oblique MPR).
    const turned = [0, -1, 0, 1, 0, 0, 0, 0, 1] as const;
    expect(sameImageKey(volumeImageKey(cut, 'p', scene, 0), volumeImageKey({ ...cut, orientation: turned }, 'p', scene, 0))).toBe(false);
    expect(sameImageKey(volumeImageKey(uncut, 'p', scene, 0), volumeImageKey({ ...uncut, orientation: turned }, 'p', scene, 0))).toBe(true);
  });

  it('an image with no key yet, or a key of another length, is never the image', () => {
    expect(sameImageKey(null, [])).toBe(false);
    expect(sameImageKey([1, 2], [1, 2, 3])).toBe(false);
    expect(sameImageKey([1, 2, 3], [1, 2])).toBe(false);
    expect(sameImageKey([], [])).toBe(true);
  });
});

describe('paneSizesSettled', () => {
  const measured = (sizes: Record<string, [number, number]>) => (kind: string) => sizes[kind] ?? null;
  it('is true only when every shown pane’s stored size is its measured size', () => {
    expect(paneSizesSettled(['axial', '3d'], { axial: [10, 20], '3d': [30, 40] }, measured({ axial: [10, 20], '3d': [30, 40] }))).toBe(true);
    expect(paneSizesSettled(['axial', '3d'], { axial: [10, 20], '3d': [30, 40] }, measured({ axial: [10, 20], '3d': [30, 41] }))).toBe(false);
    expect(paneSizesSettled(['axial', '3d'], { axial: [10, 20], '3d': [30, 40] }, measured({ axial: [11, 20], '3d': [30, 40] }))).toBe(false);
    expect(paneSizesSettled(['axial'], {}, measured({ axial: [10, 20] }))).toBe(false);
    expect(paneSizesSettled(['axial'], { axial: [10, 20] }, measured({}))).toBe(false);
    // A pane no longer shown may keep a stale size.
    expect(paneSizesSettled(['axial'], { axial: [10, 20], '3d': [1, 1] }, measured({ axial: [10, 20] }))).toBe(true);
  });
});
