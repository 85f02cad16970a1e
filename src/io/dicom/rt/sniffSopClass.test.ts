import { describe, expect, it } from 'vitest';
import { rtCt, rtDoseObject, rtStructObject, RTSTRUCT_STORAGE, segObject } from '../../../../scripts/makeDicomRt';
import { encodePart10, uidFrom } from '../../../../scripts/makeDicomSeries';
import { rtKindOf, sopClassOf } from './sniffSopClass';

const ct = rtCt();
const head = (b: Uint8Array) => b.subarray(0, 4096);

describe('rtKindOf', () => {
  it('tells SEG and RTSTRUCT files from images and doses by their own SOP class', () => {
    expect(rtKindOf(head(segObject(ct, 'binary')))).toBe('seg');
    expect(rtKindOf(head(rtStructObject(ct)))).toBe('rtstruct');
    expect(rtKindOf(head(ct.file(0)))).toBeNull();
    expect(rtKindOf(head(rtDoseObject(ct)))).toBeNull();
  });

  it('an RT Dose that names its structure set (ReferencedSOPClassUID) is not a structure set', () => {
    const sop = uidFrom('sniff dose');
    const dose = encodePart10(
      [
        { tag: 0x00080016, vr: 'UI', value: '1.2.840.10008.5.1.4.1.1.481.2' },
        { tag: 0x00080018, vr: 'UI', value: sop },
        { tag: 0x300c0060, vr: 'SQ', items: [[{ tag: 0x00081150, vr: 'UI', value: RTSTRUCT_STORAGE }, { tag: 0x00081155, vr: 'UI', value: uidFrom('ss') }]] },
      ],
      { sopClassUid: '1.2.840.10008.5.1.4.1.1.481.2', sopInstanceUid: sop },
    );
    expect(new TextDecoder().decode(dose)).toContain(RTSTRUCT_STORAGE);
    expect(rtKindOf(dose)).toBeNull();
  });

  it('reads a bare implicit-VR data set (no preamble, no meta header)', () => {
    const uid = `${RTSTRUCT_STORAGE}\0`;
    const bytes = new Uint8Array(8 + uid.length);
    bytes.set([0x08, 0x00, 0x16, 0x00, uid.length, 0, 0, 0]);
    for (let i = 0; i < uid.length; i++) bytes[8 + i] = uid.charCodeAt(i);
    expect(sopClassOf(bytes)).toBe(RTSTRUCT_STORAGE);
    expect(rtKindOf(bytes)).toBe('rtstruct');
  });
});
