// A series planned from DICOMweb metadata (issue 10) does not know its instances' transfer syntax,
// and the metadata leaves out bulk data such as a PALETTE COLOR image's lookup tables. Each instance
// is read whole for its pixels; this checks it against the plan and gives the pixel format to decode
// it with: its own (its transfer syntax's colour conversion, its own palette tables).
import { fail, ok, type Result } from '../errors';
import { decodedPixelFormat, storedDataType, transferSyntaxInfo } from './pixels';
import type { DicomFileInfo, DicomPixelFormat } from './types';

/** Colour stored as RGB, YBR_FULL or YBR_FULL_422 with 8-bit samples: every one of them fills an rgb24 slot. */
const rgb24Family = (f: DicomPixelFormat) => f.samplesPerPixel === 3 && f.bitsAllocated === 8 && ['RGB', 'YBR_FULL', 'YBR_FULL_422'].includes(f.photometric.trim().toUpperCase());

/**
 * The format to decode instance `got` (read from its own bytes) with, planned as `planned` (from the
 * server's metadata) in a series whose slots were sized for `planFormat`; a typed refusal naming the
 * instance when the two disagree on the grid or on what its slot holds.
 */
export function instanceFormat(planned: DicomFileInfo, got: DicomFileInfo, planFormat: DicomPixelFormat): Result<DicomPixelFormat> {
  const mismatch = (
    [
      ['Rows', planned.planes[0].rows, got.planes[0].rows],
      ['Columns', planned.planes[0].columns, got.planes[0].columns],
      ['NumberOfFrames', planned.frames, got.frames],
      ['BitsAllocated', planFormat.bitsAllocated, got.pixel.bitsAllocated],
      ['SamplesPerPixel', planFormat.samplesPerPixel, got.pixel.samplesPerPixel],
    ] as const
  ).find(([, a, b]) => a !== b);
  if (mismatch) return fail('bad-header', `${planned.name}: the server's metadata gives ${mismatch[0]} ${mismatch[1]}, the instance itself ${mismatch[2]}.`);
  const decoded = decodedPixelFormat(got.transferSyntax, got.pixel);
  const same = decoded.photometric === planFormat.photometric && decoded.planarConfiguration === planFormat.planarConfiguration;
  // YBR stored natively where the plan guessed a codec's RGB (or the other way round): the slot is rgb24 either way.
  if (!same && !(rgb24Family(decoded) && rgb24Family(planFormat))) {
    return fail('unsupported-format', `${planned.name}: stored as ${got.pixel.photometric} in ${transferSyntaxInfo(got.transferSyntax)?.name ?? got.transferSyntax}, which decodes to ${decoded.photometric}, not the ${planFormat.photometric} the series was planned with.`);
  }
  // A palette's tables come with the instance (the metadata leaves them out as bulk data).
  const stored = storedDataType(decoded);
  if (stored.kind === 'error') return fail(stored.code, `${planned.name}: ${stored.message}`);
  return ok(decoded);
}
