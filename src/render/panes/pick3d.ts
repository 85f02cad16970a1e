// Exact 3D picking: the ray through a pixel of the 3D pane, marched on the CPU from the pinned
// buffer exactly as the ray caster marches it (volume/raycast.ts), gives the world point the
// crosshair moves to; the probe panel then reads the stored value there.
import { PerspectiveCamera, Vector3 } from 'three';
import { getRecord, sampleSource } from '../../state/layerRegistry';
import { useViewerStore, type Vec3 } from '../../state/viewerStore';
import { volumeLayers } from '../../state/layerRoles';
import { volumeStyleOf } from '../../state/volumeStyle';
import { pickAlongRay, type PickMode } from '../../volume/raycast';
import { opacityAt } from '../../volume/transfer';
import { paneScenes } from './paneRegistry';
import { cutSign, rayStepVoxels } from './rayParams';

/** World point picked at pixel (x, y) of the 3D pane (CSS px from its top-left), or null. */
export function pickAt(x: number, y: number, width: number, height: number): Vec3 | null {
  const camera = paneScenes.get('3d')?.camera;
  const s = useViewerStore.getState();
  const layer = volumeLayers(s.layers).base;
  const record = layer && getRecord(layer.id);
  if (!(camera instanceof PerspectiveCamera) || !layer || !record) return null;
  const ndc = new Vector3((x / width) * 2 - 1, 1 - (y / height) * 2, 0.5).unproject(camera);
  const origin = camera.position.clone();
  const dir = ndc.sub(origin).normalize();
  const style = volumeStyleOf(s.volumeStyles, layer);
  const mode: PickMode =
    s.renderMode === 'iso'
      ? { kind: 'iso', iso: style.iso, sign: 1 }
      : s.renderMode === 'composite'
        ? { kind: 'composite', opacityAt: (v) => opacityAt(style.points, v) }
        : { kind: s.projection };
  const hit = pickAlongRay(sampleSource(record), layer.display.frame, origin.toArray(), dir.toArray(), rayStepVoxels(s.quality, false), mode, {
    lo: s.clip?.lo ?? [-1e30, -1e30, -1e30],
    hi: s.clip?.hi ?? [1e30, 1e30, 1e30],
    cut: s.cut && s.crosshair ? { centre: s.crosshair, sign: cutSign(origin.toArray(), s.crosshair, s.orientation), rotation: s.orientation } : undefined,
    faceAbove: layer.display.window[0],
  });
  return hit ? hit.world : null;
}
