// Saving a segmentation as files the browser downloads: the NIfTI label map and its colour
// table beside it (FreeSurfer LUT text). No server is involved.
import { fail, ok, type Result } from '../io/errors';
import { exportDicomSeg } from './dicomSegExport';
import { exportNifti, getSession, useSegmentationStore } from './session';
import { lutText } from './segments';

function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file-name stem from a display name: letters, digits, dot, dash and underscore. */
export const fileStem = (name: string) => name.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'segmentation';

/** Downloads `<stem>.nii` and `<stem>_LUT.txt`; the file names it saved. */
export function downloadNifti(id: string): Result<string[]> {
  const meta = useSegmentationStore.getState().list.find((m) => m.id === id);
  const bytes = exportNifti(id);
  if (bytes.kind === 'error' || !meta || !getSession(id)) return bytes.kind === 'error' ? bytes : fail('bad-argument', `No segmentation with id "${id}".`);
  const stem = fileStem(meta.name);
  download(`${stem}.nii`, new Blob([bytes.value.slice().buffer as ArrayBuffer], { type: 'application/octet-stream' }));
  download(`${stem}_LUT.txt`, new Blob([lutText(meta.segments)], { type: 'text/plain' }));
  return ok([`${stem}.nii`, `${stem}_LUT.txt`]);
}

/** Downloads `<stem>_SEG.dcm` (a DICOM SEG referencing the base series); refused, with the reason, off a DICOM base. */
export function downloadDicomSeg(id: string): Result<string[]> {
  const meta = useSegmentationStore.getState().list.find((m) => m.id === id);
  const seg = exportDicomSeg(id);
  if (seg.kind === 'error' || !meta) return seg.kind === 'error' ? seg : fail('bad-argument', `No segmentation with id "${id}".`);
  const name = `${fileStem(meta.name)}_SEG.dcm`;
  download(name, new Blob([seg.value.bytes.slice().buffer as ArrayBuffer], { type: 'application/dicom' }));
  return ok([name]);
}
