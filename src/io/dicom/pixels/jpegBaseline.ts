// 8-bit lossy JPEG: Baseline (process 1, transfer syntax 1.2.840.10008.1.2.4.50) and Extended
// (processes 2 & 4, .51) with 8-bit samples, through libjpeg-turbo
// (@cornerstonejs/codec-libjpeg-turbo-8bit, see codecs.ts). Progressive and arithmetic-coded
// 8-bit frames, which libjpeg-turbo reads too, are accepted under these syntaxes as well.
//
// The frame header is read here first and checked against the format and the slot. Refused:
// 12-bit samples (Extended process 4: this build of libjpeg-turbo is 8-bit only) and lossless or
// hierarchical frame types, as 'unsupported-format'. libjpeg-turbo fails on a bad stream and on a
// cut one (its "premature end" warning is an error here); a failure of a stream without EOI at
// its end is 'truncated', any other 'bad-header'.
//
// Output: grey bytes, or RGB triplets, which libjpeg-turbo produces by its own rules (a
// three-component frame is taken as YCbCr and converted unless its JFIF / Adobe markers or its
// component ids R, G, B say RGB). That output is copied once into the slot, then BitsStored applied.
import { fail, ok, type Result } from '../../errors';
import type { DicomPixelFormat } from '../types';
import { callCodec, decodeWith, endsWithMarker, writeCodecSamples, type WasmCodec } from './codecs';
import { applyBitsStored, frameLayout } from './frame';
import { readJpegFrameHeader } from './jpegLossless';

/** SOF0 baseline, SOF1 extended, SOF2 progressive (Huffman); SOF9, SOF10 the same with arithmetic coding. */
const DCT_FRAMES = [0xc0, 0xc1, 0xc2, 0xc9, 0xca];

/** Decodes one 8-bit JPEG frame into `target` with a loaded libjpeg-turbo, then applies BitsStored. */
export function decodeJpegBaselineFrame(src: Uint8Array, target: Uint8Array, format: DicomPixelFormat, codec: WasmCodec<'jpeg-baseline'>): Result<void> {
  const layout = frameLayout(format, target);
  if (layout.kind === 'error') return layout;
  const { bytesPerValue, samples, pixels } = layout.value;
  if (bytesPerValue > 2) return fail('unsupported-format', `JPEG with BitsAllocated ${format.bitsAllocated} is not supported`);

  const header = readJpegFrameHeader(src);
  if (header.kind === 'error') return header;
  const { sof, precision, rows, columns, components } = header.value;
  const sofName = `SOF${sof - 0xc0} (FF ${sof.toString(16).toUpperCase()})`;
  if (!DCT_FRAMES.includes(sof)) return fail('unsupported-format', `JPEG frame type ${sofName} is not an 8-bit DCT frame (baseline, extended or progressive)`);
  if (precision !== 8) return fail('unsupported-format', `JPEG with ${precision}-bit samples is not supported (8-bit only)`);
  if (components !== samples) return fail('bad-header', `JPEG frame has ${components} components, SamplesPerPixel is ${samples}`);
  if (rows * columns !== pixels) return fail('bad-header', `JPEG frame is ${columns}×${rows} (${rows * columns} pixels), the DICOM frame has ${pixels} pixels`);

  const failCode = endsWithMarker(src) ? 'bad-header' : 'truncated';
  const decoded = callCodec(codec, failCode, `JPEG stream of ${src.length} bytes could not be decoded`, (libjpeg) =>
    decodeWith(new libjpeg.JPEGDecoder(), src, (d) => ({ info: d.getFrameInfo(), output: d.getDecodedBuffer() })),
  );
  if (decoded.kind === 'error') return decoded;
  const { info, output } = decoded.value;
  if (info.width !== columns || info.height !== rows || info.componentCount !== components) {
    return fail('bad-header', `libjpeg-turbo decoded a ${info.width}×${info.height} frame of ${info.componentCount} components, its header says ${columns}×${rows}, ${components}`);
  }
  const written = writeCodecSamples(output, 1, false, target, layout.value, 'libjpeg-turbo');
  if (written.kind === 'error') return written;
  applyBitsStored(target, format, true);
  return ok(undefined);
}
