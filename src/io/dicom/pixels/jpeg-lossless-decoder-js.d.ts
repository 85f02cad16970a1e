// The package's "types" names release/lossless.d.ts, which its published tarball (2.1.2) lacks:
// this declares the part Voxlens uses (checked against its src/decoder.ts and
// src/data-stream.ts).
declare module 'jpeg-lossless-decoder-js' {
  export class DataStream {
    /** The bytes being decoded. */
    buffer: Uint8Array;
    /** Next byte to read; past buffer.length when the decoder ran off the end. */
    index: number;
  }

  export class Decoder {
    constructor(buffer?: ArrayBuffer | null, numBytes?: number);
    /** The stream of the last decode (kept after it returns). */
    stream: DataStream | null;
    /** Frame size from the last frame header, and the next pixel to output (yLoc = yDim once all are). */
    xDim: number;
    yDim: number;
    xLoc: number;
    yLoc: number;
    /**
     * Decodes the JPEG in buffer[offset, offset + length) into a new array it allocates: bytes for
     * numBytes 1, 16-bit values (in little-endian byte order) for 2; interleaved for 3 components.
     * numBytes defaults to ceil(precision / 8). Throws on streams it cannot read.
     */
    decode(buffer?: ArrayBufferLike, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array | null;
  }
}
