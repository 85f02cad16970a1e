import { describe, expect, it } from 'vitest';
import { Data3DTexture, Matrix4, Mesh, NoBlending, PlaneGeometry, RawShaderMaterial, Scene, Vector3, Vector4 } from 'three';
import { sceneImageKey } from './sceneImageKey';
import { sameImageKey } from './volumeImage';

/** A slice pane's scene as LayerPlane builds it: a clip-space quad whose program reads uniforms of each kind. */
function paneScene() {
  const texture = new Data3DTexture(new Uint8Array(8), 2, 2, 2);
  const material = new RawShaderMaterial({
    uniforms: {
      uVolume: { value: texture },
      uSlabs: { value: [texture, null] },
      uClipToVoxel: { value: new Matrix4() },
      uDims: { value: [2, 2, 2] },
      uThickStep: { value: new Vector3() },
      uTint: { value: new Vector4() },
      uWinLo: { value: 0 },
      uLinear: { value: false },
    },
    transparent: true,
  });
  const mesh = new Mesh(new PlaneGeometry(2, 2), material);
  const scene = new Scene();
  scene.add(mesh);
  return { scene, mesh, material, texture, u: material.uniforms };
}

describe('sceneImageKey', () => {
  it('is the same key while nothing the pane draws changes', () => {
    const { scene } = paneScene();
    expect(sameImageKey(sceneImageKey(scene, [3]), sceneImageKey(scene, [3]))).toBe(true);
  });

  it('changes with the extra values (the texture cache version)', () => {
    const { scene } = paneScene();
    expect(sameImageKey(sceneImageKey(scene, [3]), sceneImageKey(scene, [4]))).toBe(false);
  });

  // Each change a frame callback can make, one at a time, on a fresh scene.
  const changes: [string, (p: ReturnType<typeof paneScene>) => void][] = [
    ['a number', (p) => (p.u.uWinLo.value = 1)],
    ['a boolean', (p) => (p.u.uLinear.value = true)],
    ['a matrix element, set in place', (p) => ((p.u.uClipToVoxel.value as Matrix4).elements[13] = 0.5)],
    ['a vector component, set in place', (p) => (p.u.uThickStep.value as Vector3).setZ(-1)],
    ['a vec4 component', (p) => (p.u.uTint.value as Vector4).setW(0.3)],
    ['an array element, set in place', (p) => ((p.u.uDims.value as number[])[2] = 3)],
    ['a texture replaced', (p) => (p.u.uVolume.value = new Data3DTexture(new Uint8Array(8), 2, 2, 2))],
    ['a texture uploaded again (a frame switch)', (p) => (p.texture.needsUpdate = true)],
    ['a texture in an array', (p) => ((p.u.uSlabs.value as unknown[])[1] = p.texture)],
    ['the blending', (p) => ((p.material.transparent = false), (p.material.blending = NoBlending))],
    ['the program (needsUpdate)', (p) => (p.material.needsUpdate = true)],
    ['the draw order', (p) => (p.mesh.renderOrder = 2)],
    ['the mesh hidden (a finer box not covering the slab)', (p) => (p.mesh.visible = false)],
    ['another mesh drawn (a layer added)', (p) => p.scene.add(new Mesh(new PlaneGeometry(2, 2), new RawShaderMaterial({ uniforms: { uWinLo: { value: 0 } } })))],
    ['the material replaced (another style)', (p) => (p.mesh.material = new RawShaderMaterial({ uniforms: { ...p.u }, transparent: true }))],
  ];
  for (const [what, change] of changes) {
    it(`changes with ${what}`, () => {
      const p = paneScene();
      const before = sceneImageKey(p.scene, [1]);
      change(p);
      expect(sameImageKey(before, sceneImageKey(p.scene, [1]))).toBe(false);
    });
  }

  it('does not change when a uniform is set again to the same values (every frame sets them all)', () => {
    const p = paneScene();
    const before = sceneImageKey(p.scene);
    p.u.uWinLo.value = 0;
    (p.u.uThickStep.value as Vector3).set(0, 0, 0);
    (p.u.uClipToVoxel.value as Matrix4).identity();
    expect(sameImageKey(before, sceneImageKey(p.scene))).toBe(true);
  });

  it('draws a pane again while a uniform is NaN (never equal)', () => {
    const p = paneScene();
    p.u.uWinLo.value = Number.NaN;
    expect(sameImageKey(sceneImageKey(p.scene), sceneImageKey(p.scene))).toBe(false);
  });
});
