// What the 3D pane's image is made from, as pure functions: where its camera stands for the
// current state and pane size, and the key its cached image is kept under. The key holds
// everything the ray-cast picture depends on (the store's values, the camera pose the image was
// drawn from and the scene it was drawn from), so a cached image never outlives any of them: an
// unmounted and remounted pane has a new scene and a fresh camera, and a camera placed late is a
// different pose.
import type { ViewerState, Vec3 } from '../../state/viewerStore';
import { orbitPose } from '../camera/orbit';
import { layerBounds } from '../camera/paneView';

export interface VolumeCameraSetup {
  fovDeg: number;
  aspect: number;
  near: number;
  far: number;
  up: Vec3;
  position: Vec3;
  target: Vec3;
  /** The outline box: centre and size (mm) of the layers' bounds. */
  centre: Vec3;
  extent: Vec3;
}

/** The 3D camera for the state's orbit and the pane's stored size; null with no layer or no size. */
export function volumeCameraSetup(s: Pick<ViewerState, 'layers' | 'paneSizes' | 'orbit' | 'paneViews'>): VolumeCameraSetup | null {
  const size = s.paneSizes['3d'];
  if (!size || s.layers.length === 0) return null;
  const { lo, hi } = layerBounds(s.layers);
  const centre: Vec3 = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  const radius = Math.max(1, Math.hypot(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) / 2);
  const aspect = size[0] / Math.max(1, size[1]);
  const pose = orbitPose(s.orbit, centre, radius, aspect, s.paneViews['3d'].panMm);
  return {
    fovDeg: pose.fovDeg,
    aspect,
    near: Math.max(0.1, radius * 0.01),
    far: radius * 100 + 1e3,
    up: pose.up,
    position: pose.position,
    target: pose.target,
    centre,
    extent: [Math.max(1e-3, hi[0] - lo[0]), Math.max(1e-3, hi[1] - lo[1]), Math.max(1e-3, hi[2] - lo[2])],
  };
}

/** A camera's pose as one comparable value: its world matrix and projection, element by element. */
export function cameraPoseKey(camera: { matrixWorld: { elements: ArrayLike<number> }; projectionMatrix: { elements: ArrayLike<number> } }): string {
  return `${Array.from(camera.matrixWorld.elements).join(',')}|${Array.from(camera.projectionMatrix.elements).join(',')}`;
}

type VolumeKeyState = Pick<
  ViewerState,
  'layers' | 'orbit' | 'paneViews' | 'paneSizes' | 'renderMode' | 'projection' | 'volumeStyles' | 'clip' | 'cut' | 'crosshair' | 'quality' | 'skipEmpty' | 'exactSamples' | 'interacting'
> &
  Partial<Pick<ViewerState, 'orientation'>>;

/**
 * Everything the volume image depends on: the store's values (the crosshair and the planes'
 * rotation only when the cut follows them), the pose of the camera it is drawn with, the scene it is drawn from, and the
 * textures' version (slices arriving, a frame switch, a context restore).
 */
export function volumeImageKey(s: VolumeKeyState, poseKey: string, scene: object, texturesVersion: number): readonly unknown[] {
  return [
    s.layers, s.orbit, s.paneViews['3d'], s.paneSizes['3d'], s.renderMode, s.projection, s.volumeStyles,
    s.clip, s.cut, s.cut ? s.crosshair : null, s.cut ? s.orientation : null, s.quality, s.skipEmpty, s.exactSamples, s.interacting, texturesVersion, poseKey, scene,
  ];
}

/** Whether a cached image made under key `a` is still the image for key `b` (element by element, by identity). */
export function sameImageKey(a: readonly unknown[] | null, b: readonly unknown[]): boolean {
  return a !== null && a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * Whether the panes the store describes are the panes on screen: each shown pane's stored size
 * equals its element's size. Until a resize has been published, a frame is drawn with the old
 * camera aspect and geometry, and `frame()` must not count it as the image of the current state.
 */
export function paneSizesSettled(shown: readonly string[], stored: Partial<Record<string, readonly [number, number]>>, measured: (kind: string) => readonly [number, number] | null): boolean {
  return shown.every((kind) => {
    const m = measured(kind);
    const s = stored[kind];
    return m !== null && s !== undefined && s[0] === m[0] && s[1] === m[1];
  });
}
