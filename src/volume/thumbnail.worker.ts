// Preset thumbnails off the main thread (volume/thumbnail.ts): resample the coarse grid once,
// then cast every preset through it, posting each thumbnail as it is made so the menu fills in.
import { VOLUME_PRESETS } from './presets';
import { castThumbnail, thumbnailView, type ThumbnailReply, type ThumbnailRequest } from './thumbnail';

const scope = self as unknown as { onmessage: ((e: MessageEvent<ThumbnailRequest>) => void) | null; postMessage(message: ThumbnailReply, transfer: Transferable[]): void };

scope.onmessage = (e) => {
  const { grid, size } = e.data;
  const view = thumbnailView(grid, size);
  VOLUME_PRESETS.forEach((preset, index) => {
    const rgba = castThumbnail(view, preset);
    // The pixels are the main thread's once posted: nothing here reads them again.
    scope.postMessage({ index, name: preset.name, rgba }, [rgba.buffer]);
  });
};
