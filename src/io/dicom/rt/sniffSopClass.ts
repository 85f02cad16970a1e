// The SOP class of a DICOM file from its first bytes, without parsing the whole header: the meta
// header's MediaStorageSOPClassUID (0002,0002), else the data set's SOPClassUID (0008,0016),
// explicit or implicit VR little endian. Only these elements are read: a UID elsewhere (an RT
// Dose's ReferencedSOPClassUID naming its structure set) must not make the file look like one.
import { SEG_SOP_CLASS } from '../seg/parseSeg';
import { RTSTRUCT_SOP_CLASS } from './parseRtStruct';

export type RtKind = 'seg' | 'rtstruct';

function uidOfTag(bytes: Uint8Array, group: number, element: number): string | undefined {
  const [g0, g1, e0, e1] = [group & 0xff, group >> 8, element & 0xff, element >> 8];
  for (let i = 0; i + 8 <= bytes.length; i++) {
    if (bytes[i] !== g0 || bytes[i + 1] !== g1 || bytes[i + 2] !== e0 || bytes[i + 3] !== e1) continue;
    const explicit = bytes[i + 4] === 0x55 && bytes[i + 5] === 0x49; // "UI"
    const length = explicit ? bytes[i + 6] | (bytes[i + 7] << 8) : bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24);
    const start = i + 8;
    // A UID is at most 64 characters: a longer "length" means these bytes were not a tag.
    if (length <= 0 || length > 64 || start + length > bytes.length) continue;
    const text = String.fromCharCode(...bytes.subarray(start, start + length)).replace(/[\0 ]+$/, '');
    if (/^[0-9.]+$/.test(text)) return text;
  }
  return undefined;
}

/** The file's SOP class UID from its first bytes, where they hold it. */
export const sopClassOf = (head: Uint8Array): string | undefined => uidOfTag(head, 0x0002, 0x0002) ?? uidOfTag(head, 0x0008, 0x0016);

/** 'seg' or 'rtstruct' by the file's own SOP class; null for anything else. */
export function rtKindOf(head: Uint8Array): RtKind | null {
  const uid = sopClassOf(head);
  return uid === SEG_SOP_CLASS ? 'seg' : uid === RTSTRUCT_SOP_CLASS ? 'rtstruct' : null;
}
