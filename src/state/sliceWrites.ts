// Slices written into a layer's memory after the layer was added (a series shown while it
// arrives). The loaders announce them here; whoever draws the layer (render/textures/textureCache)
// subscribes and sends those slices before its next frame. state/ stays below render/ this way.

export type SlicesWrittenListener = (layerId: string, slices: readonly number[]) => void;

const listeners = new Set<SlicesWrittenListener>();

/** Calls `listener` for every later write; returns the unsubscribe. */
export function onSlicesWritten(listener: SlicesWrittenListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Slices `slices` (k + t·nz, as a 4D buffer counts them) of the layer's memory changed. */
export function slicesWritten(layerId: string, slices: readonly number[]): void {
  for (const l of listeners) l(layerId, slices);
}
