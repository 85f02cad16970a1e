// Boxes of a layer's memory edited in place (segmentation strokes). The editor announces them
// here; whoever draws the layer (render/textures/textureCache) uploads each box before its next
// frame and resolves the promise once the GPU has it. state/ and segmentation/ stay below render/.
import type { Box } from './grid';

export type RegionUploader = (layerId: string, box: Box) => Promise<void>;

let uploader: RegionUploader | null = null;

/** The renderer's upload entry point; returns the unregister. */
export function onRegionWritten(u: RegionUploader): () => void {
  uploader = u;
  return () => {
    if (uploader === u) uploader = null;
  };
}

/** `box` of the layer's memory changed: resolves when the texture shows it (at once with no renderer). */
export const regionWritten = (layerId: string, box: Box): Promise<void> => (uploader ? uploader(layerId, box) : Promise.resolve());
