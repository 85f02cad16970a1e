// Encoders used by this folder's tests only (Node): JPEG-LS, JPEG 2000, HTJ2K and 8-bit JPEG test
// streams made from known samples by the encoders of the full builds of the same npm codec packages
// (the decoders under test are their decode-only builds). No fixture files: every stream is made
// when the test runs.
//
// Samples are given as the codecs take them: bytes, or for more than 8 bits little-endian 16-bit
// words (an Int16Array's or Uint16Array's bytes on the little-endian hosts tests run on).
//
// Known encoder limits the tests work around: OpenJPH's encoder reads rows of more-than-8-bit
// samples at y × columns × (precision / 8, rounded down) bytes, right only for precision 16 (or
// one row); OpenJPEG's copies 8-bit samples unsigned, so it makes no signed 8-bit test data, and
// refuses (throws) more wavelet levels than the image is large; libjpeg-turbo's writes into a
// buffer the size of the samples, so small or noisy pictures at high quality overrun it.
import charlsEncoderFactory from '@cornerstonejs/codec-charls/wasmjs';
import libjpegEncoderFactory from '@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs';
import openjpegEncoderFactory from '@cornerstonejs/codec-openjpeg/wasmjs';
import openjphFactory from '@cornerstonejs/codec-openjph/wasmjs';

export interface Picture {
  /** Samples: bytes, or little-endian 16-bit words (see the header). */
  bytes: Uint8Array;
  columns: number;
  rows: number;
  bitsPerSample: number;
  components?: number;
  signed?: boolean;
}

const quiet = () => ({ print: () => undefined, printErr: () => undefined });
const once = <T>(make: () => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
};
const charls = once(() => charlsEncoderFactory(quiet()));
const openjpeg = once(() => openjpegEncoderFactory(quiet()));
const openjph = once(() => openjphFactory(quiet()));
const libjpeg = once(() => libjpegEncoderFactory(quiet()));

/** Bytes of 16-bit words in little-endian order. */
/** `count` values in [min, max]: a ramp with seeded noise, min and max themselves at 0 and 1. */
export function samples(count: number, min: number, max: number, seed = 1): number[] {
  let s = seed;
  const noise = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const span = max - min;
  const out = Array.from({ length: count }, (_, i) => Math.min(max, Math.max(min, Math.round(min + ((i * 7) % count) / count * span * 0.8 + noise() * span * 0.2))));
  out[0] = min;
  out[1] = max;
  return out;
}

export function words(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setUint16(i * 2, values[i] & 0xffff, true);
  return out;
}

/** A JPEG-LS stream (CharLS). `interleave`: 0 planar, 1 line, 2 sample; `near` 0 is lossless. */
export async function encodeJpegLs(p: Picture, options: { interleave?: number; near?: number } = {}): Promise<Uint8Array> {
  const encoder = new (await charls()).JpegLSEncoder();
  encoder.getDecodedBuffer({ width: p.columns, height: p.rows, bitsPerSample: p.bitsPerSample, componentCount: p.components ?? 1 }).set(p.bytes);
  encoder.setInterleaveMode(options.interleave ?? 0);
  encoder.setNearLossless(options.near ?? 0);
  encoder.encode();
  const out = new Uint8Array(encoder.getEncodedBuffer());
  encoder.delete();
  return out;
}

/** A lossless JPEG 2000 codestream (OpenJPEG; RGB with the reversible colour transform). */
export async function encodeJ2k(p: Picture): Promise<Uint8Array> {
  const encoder = new (await openjpeg()).J2KEncoder();
  encoder.getDecodedBuffer({ width: p.columns, height: p.rows, bitsPerSample: p.bitsPerSample, componentCount: p.components ?? 1, isSigned: p.signed ?? false }).set(p.bytes);
  encoder.setDecompositions(Math.max(0, Math.min(5, Math.floor(Math.log2(Math.min(p.columns, p.rows))) - 2)));
  encoder.encode();
  const out = encoder.getEncodedBuffer().slice();
  encoder.delete();
  return out;
}

/** A lossless HTJ2K codestream (OpenJPH); RGB with the colour transform when `colorTransform`. */
export async function encodeHtj2k(p: Picture, colorTransform = false): Promise<Uint8Array> {
  const encoder = new (await openjph()).HTJ2KEncoder();
  encoder
    .getDecodedBuffer({ width: p.columns, height: p.rows, bitsPerSample: p.bitsPerSample, componentCount: p.components ?? 1, isSigned: p.signed ?? false, isUsingColorTransform: colorTransform })
    .set(p.bytes);
  encoder.encode();
  const out = encoder.getEncodedBuffer().slice();
  encoder.delete();
  return out;
}

/** An 8-bit JPEG (libjpeg-turbo): baseline (SOF0) unless `progressive`; colour 4:4:4 YCbCr. Smooth pictures only (see the header). */
export async function encodeJpeg8(p: Picture, options: { quality?: number; progressive?: boolean } = {}): Promise<Uint8Array> {
  const encoder = new (await libjpeg()).JPEGEncoder();
  encoder.getDecodedBuffer({ width: p.columns, height: p.rows, bitsPerSample: 8, componentCount: p.components ?? 1, isSigned: false }).set(p.bytes);
  encoder.setQuality(options.quality ?? 95);
  encoder.setProgressive(options.progressive ? 1 : 0);
  encoder.setSubSampling(0); // TJSAMP_444
  encoder.encode();
  const out = new Uint8Array(encoder.getEncodedBuffer());
  encoder.delete();
  return out;
}
