// A segmentation saved as DICOM SEG: the bytes (export), a download, and STOW-RS to the PACS
// (PS3.18 §10.5) through the same DICOMweb address the PACS browser searches. Only a segmentation
// drawn on a DICOM series is written as a SEG: it keeps that series' study, frame of reference and
// per-slice source images, so the PACS files it beside its images and reopening places it on
// them. A segmentation of a NIfTI/NRRD/MGZ image is refused with the reason (it saves as NIfTI):
// a SEG under a made-up study and frame of reference would sit in the PACS as an orphan that no
// viewer can put back on its image, which is worse than an honest NIfTI.
import { fail, ok, type Result } from '../io/errors';
import type { DicomSeriesMeta } from '../volume/header';
import { segmentationDicomSeg, type DicomSegSource } from './dicomSeg';
import { getSession, useSegmentationStore } from './session';

export interface DicomSegFile {
  bytes: Uint8Array;
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
}

/** What a SEG drawn on `dicom` (the base layer's series; undefined off DICOM) says it refers to, or why none can be written. */
export function dicomSegSourceOf(dicom: DicomSeriesMeta | undefined, baseName: string, description: string): Result<DicomSegSource> {
  if (!dicom) return fail('unsupported-format', `${baseName} is not a DICOM series, so a DICOM SEG would reference no images: this segmentation saves as NIfTI only (export(id, 'nifti') or save(id, { pacs: false })).`);
  if (!dicom.studyUid || !dicom.frameOfReferenceUid) {
    return fail('unsupported-format', `${baseName} has no ${dicom.studyUid ? 'FrameOfReferenceUID' : 'StudyInstanceUID'}: a DICOM SEG must share its images' study and frame of reference; save as NIfTI.`);
  }
  return ok({
    seriesDescription: description,
    referencedSeriesUid: dicom.seriesUid,
    ...(dicom.sopClassUid ? { referencedSopClassUid: dicom.sopClassUid } : {}),
    ...(dicom.sliceImages ? { sliceImages: dicom.sliceImages } : {}),
    ...(dicom.patientName !== undefined ? { patientName: dicom.patientName } : {}),
    ...(dicom.patientId !== undefined ? { patientId: dicom.patientId } : {}),
    ...(dicom.studyDate ? { studyDate: dicom.studyDate } : {}),
    studyUid: dicom.studyUid,
    frameOfReferenceUid: dicom.frameOfReferenceUid,
  });
}

export function exportDicomSeg(id: string): Result<DicomSegFile> {
  const session = getSession(id);
  const meta = useSegmentationStore.getState().list.find((m) => m.id === id);
  if (!session || !meta) return fail('bad-argument', `No segmentation with id "${id}".`);
  const source = dicomSegSourceOf(session.dicom, session.baseName, meta.name);
  if (source.kind === 'error') return source;
  const r = segmentationDicomSeg(session.editor.labels, session.grid.dims, session.grid.affine, meta.segments, source.value);
  if (r.kind === 'error') return fail(r.code, r.message);
  return ok({ bytes: r.bytes, studyUid: r.studyUid, seriesUid: r.seriesUid, sopInstanceUid: r.sopInstanceUid });
}

/** A STOW-RS request body: one application/dicom part. */
export function stowBody(bytes: Uint8Array, boundary: string): Uint8Array {
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const out = new Uint8Array(head.length + bytes.length + tail.length);
  out.set(head);
  out.set(bytes, head.length);
  out.set(tail, head.length + bytes.length);
  return out;
}

/** Why a STOW-RS answer is not a success: its HTTP status, or a FailedSOPSequence (0008,1198) in its body. */
export function stowFailure(status: number, body: unknown): string | null {
  // Orthanc lists an empty FailedSOPSequence ({ vr: 'SQ' }) on success: only items mean failures.
  const failed = (o: unknown) => {
    const seq = typeof o === 'object' && o !== null ? (o as Record<string, { Value?: unknown[] } | undefined>)['00081198'] : undefined;
    return !!seq?.Value?.length;
  };
  const dataset = Array.isArray(body) ? body[0] : body;
  if (status === 200 && !failed(dataset)) return null;
  const reason = failed(dataset) ? ' (the answer lists the instance under FailedSOPSequence)' : '';
  return `HTTP ${status}${reason}`;
}

/** Sends one instance to the DICOMweb server at `base` (STOW-RS: POST {base}/studies). */
export async function stowInstance(base: string, bytes: Uint8Array): Promise<Result<void>> {
  const boundary = `voxlens-${crypto.getRandomValues(new Uint32Array(2)).join('')}`;
  let response: Response;
  try {
    response = await fetch(`${base}/studies`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' },
      body: stowBody(bytes, boundary).slice().buffer as ArrayBuffer,
    });
  } catch (e) {
    return fail('fetch-failed', `The DICOMweb server at ${base} did not answer the upload (${e instanceof Error ? e.message : String(e)}).`);
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Some servers answer a success with an empty body.
  }
  const why = stowFailure(response.status, body);
  return why ? fail('fetch-failed', `The DICOMweb server at ${base} refused the DICOM SEG: ${why}.`) : ok(undefined);
}

/** Exports the SEG and stores it on the PACS; the UIDs it was stored under. */
export async function saveDicomSegToPacs(id: string, base: string): Promise<Result<DicomSegFile>> {
  const seg = exportDicomSeg(id);
  if (seg.kind === 'error') return seg;
  const sent = await stowInstance(base, seg.value.bytes);
  return sent.kind === 'error' ? sent : seg;
}
