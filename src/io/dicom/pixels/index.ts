// DICOM pixel data: stored voxel types, and frame decoders writing into the series' voxel buffer.
export { storedDataType, type PixelDataTag, type StoredType } from './storedDataType';
export { applyBitsStored, frameLayout, HOST_LITTLE_ENDIAN, nativeFrameBytes, type FrameLayout } from './frame';
export { writeNativeFrame } from './nativeFrame';
export { decodeRleFrame } from './rle';
export { decodeJpegLosslessFrame, readJpegFrameHeader, type JpegFrameHeader } from './jpegLossless';
export { decodeJpegLsFrame } from './jpegLs';
export { decodeHtj2kFrame, decodeJpeg2000Frame, readJ2kHeader, type J2kHeader } from './jpeg2000';
export { decodeJpegBaselineFrame } from './jpegBaseline';
export { ensureCodec, loadedCodec, type WasmCodecKind } from './codecs';
export { cleanUid, decodedPixelFormat, decodeFrame, decodeFrameAsync, TRANSFER_SYNTAXES, transferSyntaxInfo, wasmCodecOf, type TransferSyntaxInfo, type TransferSyntaxKind } from './transferSyntaxes';
