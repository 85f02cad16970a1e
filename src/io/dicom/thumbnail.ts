// A series picker's thumbnail from one decoded frame (its slot bytes, as the series load holds them):
// grey images windowed (the file's window, else the 2nd–98th percentile of the rescaled values),
// MONOCHROME1 inverted as the layer is shown; colour drawn in colour (rgb24 as stored, rgb48 each
// component over 0 … 2^BitsStored − 1, the layer's default window).
import { voxelView, type DataType } from '../../volume/dataTypes';

export interface ThumbnailPicture {
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

export interface ThumbnailOptions {
  /** The slot's stored type (storedDataType of the decoded pixel format). */
  dataType: DataType;
  monochrome1: boolean;
  slope: number;
  intercept: number;
  /** [low, high] in rescaled units (the file's WindowCenter/Width), or none. */
  window?: [number, number];
  bitsStored: number;
  maxSize: number;
}

/** The RGBA thumbnail (at most maxSize a side, nearest sampling) of a rows × columns frame held in `frame`'s bytes. */
export function thumbnailRgba(frame: Uint8Array, rows: number, columns: number, o: ThumbnailOptions): ThumbnailPicture {
  const scale = Math.min(1, o.maxSize / Math.max(rows, columns));
  const width = Math.max(1, Math.round(columns * scale));
  const height = Math.max(1, Math.round(rows * scale));
  const rgba = new Uint8ClampedArray(width * height * 4);
  const source = (x: number, y: number) => Math.floor(y / scale) * columns + Math.floor(x / scale);
  const values = voxelView(o.dataType, frame.buffer, rows * columns, frame.byteOffset);
  const channels = o.dataType === 'rgb24' || o.dataType === 'rgb48' ? 3 : 1;
  if (channels === 3) {
    const top = o.dataType === 'rgb48' ? 2 ** o.bitsStored - 1 : 255;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const s = source(x, y) * 3;
        const t = (y * width + x) * 4;
        for (let c = 0; c < 3; c++) rgba[t + c] = Math.round((Number(values[s + c]) * 255) / top);
        rgba[t + 3] = 255;
      }
    }
    return { width, height, rgba };
  }
  let [lo, hi] = o.window ?? [NaN, NaN];
  if (!(hi > lo)) {
    const n = Math.min(4096, values.length);
    const sorted = Float64Array.from({ length: n }, (_, i) => Number(values[Math.floor((i * values.length) / n)]) * o.slope + o.intercept).sort();
    [lo, hi] = [sorted[Math.floor(n * 0.02)], sorted[Math.floor(n * 0.98)]];
    if (!(hi > lo)) hi = lo + 1;
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Number(values[source(x, y)]) * o.slope + o.intercept;
      const g = ((v - lo) / (hi - lo)) * 255;
      const t = (y * width + x) * 4;
      // MONOCHROME1: the lowest value is white, as the layer is shown (gray-inverted).
      rgba[t] = rgba[t + 1] = rgba[t + 2] = o.monochrome1 ? 255 - g : g;
      rgba[t + 3] = 255;
    }
  }
  return { width, height, rgba };
}
