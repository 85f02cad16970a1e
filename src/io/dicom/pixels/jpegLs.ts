// JPEG-LS, lossless and near-lossless (transfer syntaxes 1.2.840.10008.1.2.4.80 and .81), through
// CharLS (@cornerstonejs/codec-charls, see codecs.ts).
//
// The frame header (SOF55, FF F7) is read here first and checked against the format and the slot,
// so a lying header cannot make the codec allocate or produce a frame of another size. A stream
// that does not end with EOI (FF D9; zero padding after it allowed) is refused as 'truncated'
// before CharLS sees it: CharLS (2.4.4) spins for tens of seconds on a stream that ends inside its
// scan before it gives up. CharLS throws on a bad stream: 'bad-header', with its message. Its
// output is copied once into the slot: one byte per sample up to 8 bits, two above; colour
// either interleaved or, for interleave mode "none", plane by plane (interleaved on the copy).
//
// JPEG-LS knows no sign: a signed image is coded as its two's-complement bit patterns, right
// aligned whatever HighBit says. So BitsStored is applied as for JPEG Lossless (mask, or sign
// extension from BitsStored; no HighBit shift), which makes the values exact.
import { fail, ok, type Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { callCodec, decodeWith, endsWithMarker, writeCodecSamples, type WasmCodec } from './codecs';
import { applyBitsStored, frameLayout } from './frame';
import { readJpegFrameHeader } from './jpegLossless';

const SOF55 = 0xf7;

/** Decodes one JPEG-LS frame into `target` with a loaded CharLS, then applies BitsStored. */
export function decodeJpegLsFrame(src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, codec: WasmCodec<'jpeg-ls'>): Result<void> {
  const layout = frameLayout(format, target);
  if (layout.kind === 'error') return layout;
  const { bytesPerValue, samples, pixels } = layout.value;
  if (bytesPerValue > 2) return fail('unsupported-format', `JPEG-LS with BitsAllocated ${format.bitsAllocated} is not supported (at most 16)`);

  const header = readJpegFrameHeader(src);
  if (header.kind === 'error') return header;
  const { sof, precision, rows, columns, components } = header.value;
  if (sof !== SOF55) return fail('bad-header', `JPEG-LS frame has frame header FF ${sof.toString(16).toUpperCase()}, not the JPEG-LS SOF55 (FF F7)`);
  if (components !== samples) return fail('bad-header', `JPEG-LS frame has ${components} components, SamplesPerPixel is ${samples}`);
  if (rows * columns !== pixels) return fail('bad-header', `JPEG-LS frame is ${columns}×${rows} (${rows * columns} pixels), the DICOM frame has ${pixels} pixels`);
  // BitsAllocated is 8 or 16 here (above 16 was refused first), so this also keeps precision ≤ 16.
  if (precision < 2 || precision > format.bitsAllocated) {
    return fail('bad-header', `JPEG-LS sample precision ${precision} does not fit BitsAllocated ${format.bitsAllocated}`);
  }

  if (!endsWithMarker(src)) return fail('truncated', `JPEG-LS stream of ${src.length} bytes does not end with its EOI marker (FF D9): it is cut`);
  const decoded = callCodec(codec, 'bad-header', `JPEG-LS stream of ${src.length} bytes could not be decoded`, (charls) =>
    decodeWith(new charls.JpegLSDecoder(), src, (d) => ({ info: d.getFrameInfo(), interleave: d.getInterleaveMode(), output: d.getDecodedBuffer() })),
  );
  if (decoded.kind === 'error') return decoded;
  const { info, interleave, output } = decoded.value;
  if (info.width !== columns || info.height !== rows || info.componentCount !== components || info.bitsPerSample !== precision) {
    return fail('bad-header', `CharLS decoded a ${info.width}×${info.height} frame of ${info.componentCount} × ${info.bitsPerSample}-bit samples, its header says ${columns}×${rows}, ${components} × ${precision}-bit`);
  }
  const written = writeCodecSamples(output, precision > 8 ? 2 : 1, interleave === 0, target, layout.value, 'CharLS');
  if (written.kind === 'error') return written;
  applyBitsStored(target, format, true);
  return ok(undefined);
}
