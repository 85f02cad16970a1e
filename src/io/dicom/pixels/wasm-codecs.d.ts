// The npm codecs @cornerstonejs/codec-* ship emscripten (embind) builds without type declarations:
// this declares the part Voxlens uses, checked against their C++ bindings (cornerstonejs/codecs,
// packages/*/src/jslib*.cpp and *Decoder.hpp / *Encoder.hpp). Each package's default export is the
// emscripten MODULARIZE factory; it resolves to the module once its .wasm is instantiated.
//
// The decoders are the "decode" builds (smaller .wasm, no encoder). The full builds
// (…/wasmjs) are declared for their encoders, which this folder's tests use to make test streams.
// OpenJPH ships one build only (decoder and encoder).

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  export interface EmscriptenArgs {
    /** Where the .wasm file is: `path` is its file name, `prefix` the script's folder. */
    locateFile?: (path: string, prefix: string) => string;
    /** stdout and stderr lines (default: console.log / console.error). */
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }
  export interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
  }
  export interface JpegLSDecoder {
    /** A view of a buffer of `size` bytes in wasm memory, for the caller to copy the stream into. */
    getEncodedBuffer(size: number): Uint8Array;
    /** The decoded samples, copied out of wasm memory (1 byte per sample up to 8 bits, else 2, little endian). */
    getDecodedBuffer(): Uint8ClampedArray;
    /** Throws a C++ exception pointer (a number) on a bad stream: see getExceptionMessage. */
    decode(): void;
    getFrameInfo(): FrameInfo;
    /** 0 planar (RRR…GGG…BBB…), 1 line, 2 sample interleaved. */
    getInterleaveMode(): number;
    getNearLossless(): number;
    /** Frees the C++ object. */
    delete(): void;
  }
  export interface CharlsModule {
    JpegLSDecoder: new () => JpegLSDecoder;
    getExceptionMessage(exceptionPointer: number): string;
  }
  const factory: (args?: EmscriptenArgs) => Promise<CharlsModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  import type { EmscriptenArgs } from '@cornerstonejs/codec-charls/decodewasmjs';
  export interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  export interface J2KDecoder {
    getEncodedBuffer(size: number): Uint8Array;
    /** Copied out of wasm memory: 1 byte per sample up to 8 bits, else 2 (int16 when signed). Empty when decoding failed. */
    getDecodedBuffer(): Uint8ClampedArray;
    /** Prints "[ERROR] …" and returns, leaving the decoded buffer as it was, when the stream is bad. */
    decode(): void;
    getFrameInfo(): FrameInfo;
    delete(): void;
  }
  export interface OpenJpegModule {
    J2KDecoder: new () => J2KDecoder;
  }
  const factory: (args?: EmscriptenArgs) => Promise<OpenJpegModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjph/wasmjs' {
  import type { EmscriptenArgs } from '@cornerstonejs/codec-charls/decodewasmjs';
  export interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
    isUsingColorTransform: boolean;
  }
  export interface HTJ2KDecoder {
    getEncodedBuffer(size: number): Uint8Array;
    /** A view of wasm memory (not a copy): valid until the next call into the module. */
    getDecodedBuffer(): Uint8Array;
    /** Throws a C++ exception pointer (a number) after printing "ojph error …" on a bad stream. */
    decode(): void;
    getFrameInfo(): FrameInfo;
    delete(): void;
  }
  export interface HTJ2KEncoder {
    /** A view of wasm memory sized for the frame, for the caller to copy the samples into. */
    getDecodedBuffer(frameInfo: FrameInfo): Uint8Array;
    getEncodedBuffer(): Uint8Array;
    setQuality(lossless: boolean, quantizationStep: number): void;
    setDecompositions(decompositions: number): void;
    encode(): void;
    delete(): void;
  }
  export interface OpenJphModule {
    HTJ2KDecoder: new () => HTJ2KDecoder;
    HTJ2KEncoder: new () => HTJ2KEncoder;
  }
  const factory: (args?: EmscriptenArgs) => Promise<OpenJphModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  import type { EmscriptenArgs } from '@cornerstonejs/codec-charls/decodewasmjs';
  export interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  export interface JPEGDecoder {
    getEncodedBuffer(size: number): Uint8Array;
    /** Copied out of wasm memory: grey bytes, or RGB triplets (libjpeg's colour conversion done). */
    getDecodedBuffer(): Uint8ClampedArray;
    /** Throws a C++ exception pointer (a number) on a bad or cut stream (a warning is an error too). */
    decode(): void;
    getFrameInfo(): FrameInfo;
    delete(): void;
  }
  export interface LibJpegTurboModule {
    JPEGDecoder: new () => JPEGDecoder;
  }
  const factory: (args?: EmscriptenArgs) => Promise<LibJpegTurboModule>;
  export default factory;
}

// Encoders, for tests.
declare module '@cornerstonejs/codec-charls/wasmjs' {
  import type { EmscriptenArgs, FrameInfo } from '@cornerstonejs/codec-charls/decodewasmjs';
  export interface JpegLSEncoder {
    getDecodedBuffer(frameInfo: FrameInfo): Uint8Array;
    getEncodedBuffer(): Uint8ClampedArray;
    setNearLossless(near: number): void;
    setInterleaveMode(mode: number): void;
    encode(): void;
    delete(): void;
  }
  export interface CharlsEncoderModule {
    JpegLSEncoder: new () => JpegLSEncoder;
  }
  const factory: (args?: EmscriptenArgs) => Promise<CharlsEncoderModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  import type { EmscriptenArgs } from '@cornerstonejs/codec-charls/decodewasmjs';
  import type { FrameInfo } from '@cornerstonejs/codec-openjpeg/decodewasmjs';
  export interface J2KEncoder {
    getDecodedBuffer(frameInfo: FrameInfo): Uint8Array;
    /** A view of wasm memory. */
    getEncodedBuffer(): Uint8Array;
    setQuality(lossless: boolean, layers: number): void;
    setDecompositions(decompositions: number): void;
    encode(): void;
    delete(): void;
  }
  export interface OpenJpegEncoderModule {
    J2KEncoder: new () => J2KEncoder;
  }
  const factory: (args?: EmscriptenArgs) => Promise<OpenJpegEncoderModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs' {
  import type { EmscriptenArgs } from '@cornerstonejs/codec-charls/decodewasmjs';
  import type { FrameInfo } from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';
  export interface JPEGEncoder {
    getDecodedBuffer(frameInfo: FrameInfo): Uint8Array;
    getEncodedBuffer(): Uint8ClampedArray;
    setQuality(quality: number): void;
    setProgressive(progressive: number): void;
    setSubSampling(subSampling: number): void;
    encode(): void;
    delete(): void;
  }
  export interface LibJpegTurboEncoderModule {
    JPEGEncoder: new () => JPEGEncoder;
  }
  const factory: (args?: EmscriptenArgs) => Promise<LibJpegTurboEncoderModule>;
  export default factory;
}
