// Types for the vendored decoder (jpeg12.js): the part Voxlens calls.
declare class JpegImage {
  parse(data: Uint8Array): void;
  width: number;
  height: number;
  components: unknown[];
  /** Samples of a one-component image, full precision (8 or 12 bits), row by row. */
  getData16(width: number, height: number): Uint16Array;
  getData(width: number, height: number): Uint8Array;
}
export default JpegImage;
