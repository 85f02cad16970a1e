// Voxels of a layer still being decoded (issue 25, load speed). A loader announces here the memory
// of a volume that will be drawn from it as it is (one shared buffer), how far its bytes are
// written, and when the load ends without a layer drawn from it; whoever draws layers
// (render/textures/textureCache) subscribes and uploads each finished run of slices while the rest
// inflates, so the layer's first frame has little left to send. state/ stays below render/ this way.
import type { VoxelBuffer } from '../memory/voxelBuffer';
import type { VolumeHeader } from '../volume/header';

export type ArrivingEvent =
  /** The buffer `layerId` will be drawn from, lent to the decoder; no byte is final yet. */
  | { kind: 'start'; layerId: string; buffer: VoxelBuffer; header: VolumeHeader; label: string }
  /** Its first `bytes` bytes hold their final values. */
  | { kind: 'written'; layerId: string; bytes: number }
  /** No layer will be drawn from that buffer (an error, a cancel, a display level instead, the layer closed): drop what was made for it. */
  | { kind: 'abandoned'; layerId: string };

export type ArrivingListener = (event: ArrivingEvent) => void;

const listeners = new Set<ArrivingListener>();

/** Calls `listener` for every later event; returns the unsubscribe. */
export function onArrivingVoxels(listener: ArrivingListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function arrivingVoxels(event: ArrivingEvent): void {
  for (const l of listeners) l(event);
}
