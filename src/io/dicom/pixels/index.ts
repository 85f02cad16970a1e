// DICOM pixel data: stored voxel types, and frame decoders writing into the series' voxel buffer.
export { storedDataType, type PixelDataTag, type StoredType } from './storedDataType';
export { applyBitsStored, frameLayout, HOST_LITTLE_ENDIAN, type FrameLayout } from './frame';
export { writeNativeFrame } from './nativeFrame';
export { decodeRleFrame } from './rle';
export { decodeJpegLosslessFrame, readJpegFrameHeader, type JpegFrameHeader } from './jpegLossless';
export { cleanUid, decodeFrame, TRANSFER_SYNTAXES, transferSyntaxInfo, type TransferSyntaxInfo, type TransferSyntaxKind } from './transferSyntaxes';
