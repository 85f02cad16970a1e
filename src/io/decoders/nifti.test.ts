import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA_DIR } from '../../testing/sharedData';
import { niftiDecoder } from './nifti';
import { NIFTI_LAYOUT } from './niftiLayout';
import { encodeNifti } from './niftiWrite';

/** A 2×2×2 uint8 file whose intent_code is set by hand (the writer has no option for it). */
function withIntent(version: 1 | 2, littleEndian: boolean, intent: number): Uint8Array {
  const bytes = encodeNifti({ version, littleEndian, dims: [2, 2, 2], datatypeCode: 2, bitpix: 8, data: new Uint8Array(8) });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // NIfTI-1 intent_code is int16 at 68, NIfTI-2's int32 at 504.
  if (version === 1) dv.setInt16(NIFTI_LAYOUT[1].intentCode, intent, littleEndian);
  else dv.setInt32(NIFTI_LAYOUT[2].intentCode, intent, littleEndian);
  return bytes;
}

const intentOf = (bytes: Uint8Array) => {
  const r = niftiDecoder.parseHeader(bytes, bytes.length);
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value.intentCode;
};

describe('intent_code', () => {
  for (const version of [1, 2] as const) {
    for (const littleEndian of [true, false]) {
      it(`NIfTI-${version}, ${littleEndian ? 'little' : 'big'}-endian`, () => {
        expect(intentOf(withIntent(version, littleEndian, 1002))).toBe(1002);
        expect(intentOf(withIntent(version, littleEndian, 0))).toBe(0);
      });
    }
  }
  it('a NIfTI-2 code beyond int16', () => {
    expect(intentOf(withIntent(2, true, 70000))).toBe(70000);
  });
  it.skipIf(!hasSharedData)('aal.nii.gz is a label map (NIFTI_INTENT_LABEL)', () => {
    expect(intentOf(gunzipSync(readFileSync(join(SHARED_DATA_DIR, 'aal.nii.gz'))))).toBe(1002);
  });
});
