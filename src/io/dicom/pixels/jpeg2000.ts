// JPEG 2000 (transfer syntaxes 1.2.840.10008.1.2.4.90 and .91) through OpenJPEG, and High-Throughput
// JPEG 2000 (.201, .202, .203) through OpenJPH: @cornerstonejs/codec-openjpeg and
// @cornerstonejs/codec-openjph, see codecs.ts.
//
// Before decoding, the codestream's image header (SIZ) is read here (from the frame, or from the
// jp2c box of a JP2 / JPH file, which some writers put in DICOM) and checked against the format
// and the slot: size, components, precision, sign, sub-sampling. The codestream alone goes to the
// codec. Neither codec reliably refuses a cut stream (both decode what there is, and OpenJPH even
// does so silently), so a codestream that does not end with its EOC marker (FF D9; zero padding
// after it allowed) is refused up front as 'truncated'. OpenJPEG reports a failed decode only
// by printing "[ERROR] …" and leaving no output; OpenJPH throws. Either way the error is typed, with
// the codec's words.
//
// Samples. Each codec hands over one byte per sample up to 8 bits and two above (int16 when the
// component is signed, clamped into its range by the codec), right aligned, RGB pixel-interleaved
// (the reversible / irreversible colour transform undone by the codec). The output is copied once
// into the slot; BitsStored is then applied without the HighBit shift (mask, or sign extension).
// Signed data: a signed component (Ssiz bit 7) comes back as exact int16 values, and sign
// extension from BitsStored leaves them as they are; signed DICOM data coded as an unsigned
// component (a two's-complement bit pattern, as some writers do) becomes exact through the sign
// extension. Signed components of 8 bits or fewer are refused: both codecs clamp them to 0..255,
// losing every negative value.
import { fail, ok, type Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { callCodec, codecSays, decodeWith, writeCodecSamples, type WasmCodec } from './codecs';
import { applyBitsStored, frameLayout, type FrameLayout } from './frame';

export interface J2kHeader {
  /** Where the codestream (SOC, FF 4F) starts and ends in the frame's bytes. */
  start: number;
  end: number;
  /** The image area: Xsiz − XOsiz by Ysiz − YOsiz, at offset XOsiz, YOsiz on the reference grid. */
  columns: number;
  rows: number;
  x0: number;
  y0: number;
  components: number;
  /** Of the first component. */
  precision: number;
  signed: boolean;
  /** Every component has the first one's precision and sign. */
  uniform: boolean;
  /** Some component is sub-sampled (XRsiz or YRsiz not 1). */
  subsampled: boolean;
  /** The codestream ends with EOC (FF D9), zero padding after it allowed. */
  complete: boolean;
}

const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
const JP2_SIGNATURE = [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

/** Reads the SIZ of a JPEG 2000 / HTJ2K codestream, bare or in a JP2 / JPH file's jp2c box. */
export function readJ2kHeader(src: Uint8Array, name = 'JPEG 2000'): Result<J2kHeader> {
  let start = 0;
  let end = src.length;
  if (JP2_SIGNATURE.every((b, i) => src[i] === b)) {
    const box = findCodestreamBox(src);
    if (box.kind === 'error') return box;
    ({ start, end } = box.value);
  }
  const cut = (need: number) => fail('truncated', `${name} stream of ${end - start} bytes ends inside its image header (needs at least ${need})`);
  if (end - start < 4) return cut(4);
  if (src[start] !== 0xff || src[start + 1] !== 0x4f || src[start + 2] !== 0xff || src[start + 3] !== 0x51) {
    return fail('bad-header', `${name} frame starts with neither a codestream's SOC and SIZ markers (FF 4F FF 51) nor a JP2 signature`);
  }
  const siz = start + 4; // Lsiz
  if (end - siz < 38) return cut(42);
  const length = u16(src, siz);
  const components = u16(src, siz + 36);
  if (components < 1 || length !== 38 + 3 * components) return fail('bad-header', `${name} image header (SIZ) of ${length} bytes does not fit its ${components} components`);
  if (siz + length > end) return cut(4 + length);
  const [xsiz, ysiz, x0, y0] = [u32(src, siz + 4), u32(src, siz + 8), u32(src, siz + 12), u32(src, siz + 16)];
  if (xsiz <= x0 || ysiz <= y0) return fail('bad-header', `${name} image header (SIZ) has an empty image area (${xsiz}×${ysiz} from ${x0}, ${y0})`);
  const ssiz = (c: number) => src[siz + 38 + 3 * c];
  let uniform = true;
  let subsampled = false;
  for (let c = 0; c < components; c++) {
    if (ssiz(c) !== ssiz(0)) uniform = false;
    if (src[siz + 39 + 3 * c] !== 1 || src[siz + 40 + 3 * c] !== 1) subsampled = true;
  }
  // Zero padding stripped: it stops inside the codestream, which starts with FF 4F FF 51 (checked above).
  let last = end;
  while (src[last - 1] === 0) last--;
  const complete = src[last - 2] === 0xff && src[last - 1] === 0xd9;
  return ok({ start, end, columns: xsiz - x0, rows: ysiz - y0, x0, y0, components, precision: (ssiz(0) & 0x7f) + 1, signed: (ssiz(0) & 0x80) !== 0, uniform, subsampled, complete });
}

/** The contents of the first jp2c (contiguous codestream) box of a JP2 / JPH file. */
function findCodestreamBox(src: Uint8Array): Result<{ start: number; end: number }> {
  let at = 0;
  while (at + 8 <= src.length) {
    let length = u32(src, at);
    let header = 8;
    if (length === 1) {
      if (at + 16 > src.length) break;
      length = u32(src, at + 8) * 2 ** 32 + u32(src, at + 12);
      header = 16;
    } else if (length === 0) {
      length = src.length - at;
    }
    if (length < header) return fail('bad-header', `JP2 box at ${at} has length ${length}`);
    const type = String.fromCharCode(src[at + 4], src[at + 5], src[at + 6], src[at + 7]);
    if (type === 'jp2c') return ok({ start: at + header, end: Math.min(src.length, at + length) });
    at += length;
  }
  return fail(at > src.length ? 'truncated' : 'bad-header', 'JP2 file holds no codestream (jp2c) box');
}

/** The checks both codecs share: the header against the DICOM format and the slot. */
function checkHeader(header: J2kHeader, format: DicomPixelFormat, layout: FrameLayout, name: string): Result<void> {
  const { samples, pixels, bytesPerValue } = layout;
  const { columns, rows, components, precision, signed } = header;
  if (bytesPerValue > 2) return fail('unsupported-format', `${name} with BitsAllocated ${format.bitsAllocated} is not supported (at most 16)`);
  if (components !== samples) return fail('bad-header', `${name} frame has ${components} components, SamplesPerPixel is ${samples}`);
  if (rows * columns !== pixels) return fail('bad-header', `${name} frame is ${columns}×${rows} (${rows * columns} pixels), the DICOM frame has ${pixels} pixels`);
  if (!header.uniform) return fail('unsupported-format', `${name} frame has components of differing precision or sign`);
  if (header.subsampled) return fail('unsupported-format', `${name} frame has sub-sampled components`);
  // BitsAllocated is 8 or 16 here (above 16 was refused first), so this also keeps precision ≤ 16.
  if (precision > format.bitsAllocated) return fail('bad-header', `${name} precision ${precision} does not fit BitsAllocated ${format.bitsAllocated}`);
  if (signed && precision <= 8) return fail('unsupported-format', `${name} frame of signed ${precision}-bit samples: the codec clamps them to 0..255`);
  if (!header.complete) return fail('truncated', `${name} codestream of ${header.end - header.start} bytes does not end with its EOC marker (FF D9): it is cut`);
  return ok(undefined);
}

/** Decodes one JPEG 2000 frame into `target` with a loaded OpenJPEG, then applies BitsStored. */
export function decodeJpeg2000Frame(src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, codec: WasmCodec<'jpeg2000'>): Result<void> {
  const layout = frameLayout(format, target);
  if (layout.kind === 'error') return layout;
  const header = readJ2kHeader(src);
  if (header.kind === 'error') return header;
  const checked = checkHeader(header.value, format, layout.value, 'JPEG 2000');
  if (checked.kind === 'error') return checked;
  const { start, end, columns, rows, components, precision, signed } = header.value;
  // The codec's output loop reads Xsiz × Ysiz samples from a component of (Xsiz − XOsiz) × (Ysiz − YOsiz).
  if (header.value.x0 !== 0 || header.value.y0 !== 0) return fail('unsupported-format', `JPEG 2000 frame with an image offset (${header.value.x0}, ${header.value.y0}) is not supported`);

  const codestream = src.subarray(start, end);
  const decoded = callCodec(codec, 'bad-header', `JPEG 2000 stream of ${codestream.length} bytes could not be decoded`, (openjpeg) =>
    decodeWith(new openjpeg.J2KDecoder(), codestream, (d) => ({ info: d.getFrameInfo(), output: d.getDecodedBuffer() })),
  );
  if (decoded.kind === 'error') return decoded;
  const { info, output } = decoded.value;
  if (output.length === 0) return fail('bad-header', `JPEG 2000 stream of ${codestream.length} bytes could not be decoded${codecSays(codec.log)}`);
  if (info.width !== columns || info.height !== rows || info.componentCount !== components || info.bitsPerSample !== precision || info.isSigned !== signed) {
    return fail('bad-header', `OpenJPEG decoded a ${info.width}×${info.height} frame of ${info.componentCount} × ${info.bitsPerSample}-bit samples, its header says ${columns}×${rows}, ${components} × ${precision}-bit`);
  }
  const written = writeCodecSamples(output, precision > 8 ? 2 : 1, false, target, layout.value, 'OpenJPEG');
  if (written.kind === 'error') return written;
  applyBitsStored(target, format, true);
  return ok(undefined);
}

/** Decodes one HTJ2K frame into `target` with a loaded OpenJPH, then applies BitsStored. */
export function decodeHtj2kFrame(src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, codec: WasmCodec<'htj2k'>): Result<void> {
  const layout = frameLayout(format, target);
  if (layout.kind === 'error') return layout;
  const header = readJ2kHeader(src, 'HTJ2K');
  if (header.kind === 'error') return header;
  const checked = checkHeader(header.value, format, layout.value, 'HTJ2K');
  if (checked.kind === 'error') return checked;
  const { start, end, columns, rows, components, precision, signed } = header.value;

  const codestream = src.subarray(start, end);
  const decoded = callCodec(codec, 'bad-header', `HTJ2K stream of ${codestream.length} bytes could not be decoded`, (openjph) =>
    decodeWith(new openjph.HTJ2KDecoder(), codestream, (decoder): Result<void> => {
      const info = decoder.getFrameInfo();
      if (info.width !== columns || info.height !== rows || info.componentCount !== components || info.bitsPerSample !== precision || info.isSigned !== signed) {
        return fail('bad-header', `OpenJPH decoded a ${info.width}×${info.height} frame of ${info.componentCount} × ${info.bitsPerSample}-bit samples, its header says ${columns}×${rows}, ${components} × ${precision}-bit`);
      }
      // A view of wasm memory, not a copy: copied into the slot before the decoder is freed.
      return writeCodecSamples(decoder.getDecodedBuffer(), precision > 8 ? 2 : 1, false, target, layout.value, 'OpenJPH');
    }),
  );
  if (decoded.kind === 'error') return decoded;
  if (decoded.value.kind === 'error') return decoded.value;
  applyBitsStored(target, format, true);
  return ok(undefined);
}
