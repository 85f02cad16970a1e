// What a slice pane's picture is made from, read off its scene: the meshes drawn, in order, each
// with its geometry, its material's draw state and the value of every uniform its program reads
// (textures by identity and version). A slice pane draws nothing else (its quads sit in clip space,
// and every store value it shows reaches the GPU as a uniform in a frame callback), so two frames
// with the same key draw the same pixels, and the compositor copies the last image instead of
// sampling the volume again: the coronal and sagittal slabs are not re-marched while the axial pane pages.
// Texture data written in place without a new texture version (a series arriving, segmentation
// edits) is covered by the texture cache's version, which the caller adds.
import { Mesh, Texture, type Material, type Scene } from 'three';

/**
 * The key of the picture `scene` draws now, after every frame callback has set its uniforms,
 * `extra` first. Compared element by element with `===` (sameImageKey); a NaN uniform never
 * compares equal, so such a pane is simply drawn again.
 */
export function sceneImageKey(scene: Scene, extra: readonly unknown[] = []): unknown[] {
  const key: unknown[] = [...extra];
  scene.traverseVisible((o) => {
    if (!(o instanceof Mesh)) return;
    key.push(o, o.renderOrder, o.geometry, ...attributeVersions(o.geometry.attributes), o.geometry.index?.version, ...o.matrixWorld.elements);
    for (const m of Array.isArray(o.material) ? (o.material as Material[]) : [o.material as Material]) pushMaterial(key, m);
  });
  return key;
}

function attributeVersions(attributes: Record<string, { version?: number }>): unknown[] {
  return Object.entries(attributes).flatMap(([name, a]) => [name, a.version]);
}

function pushMaterial(key: unknown[], m: Material): void {
  key.push(m, m.version, m.visible, m.transparent, m.blending, m.opacity, m.side, m.colorWrite, m.depthTest);
  const uniforms = (m as Material & { uniforms?: Record<string, { value: unknown }> }).uniforms;
  if (!uniforms) return;
  for (const [name, u] of Object.entries(uniforms)) {
    key.push(name);
    pushValue(key, u.value);
  }
}

/** A uniform's value as primitives: numbers and booleans as they are, vectors and matrices element by element, textures by identity and version. */
function pushValue(key: unknown[], v: unknown): void {
  if (v === null || typeof v !== 'object') key.push(v);
  else if (v instanceof Texture) key.push(v, v.version);
  else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const list = v as ArrayLike<unknown>;
    key.push(list.length);
    for (let i = 0; i < list.length; i++) pushValue(key, list[i]);
  } else if (typeof (v as { toArray?: unknown }).toArray === 'function') key.push(...(v as { toArray(): number[] }).toArray());
  // Anything else is compared by identity: a new object is a new picture.
  else key.push(v);
}
