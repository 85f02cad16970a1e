// The NIfTI writer's bytes, read back field by field with the shared layout table (nifti.test.ts
// checks that the decoder reads what the writer writes; this checks what the writer writes).
import { describe, expect, it } from 'vitest';
import type { Mat4 } from '../../volume/affine';
import { NIFTI_LAYOUT } from './niftiLayout';
import { encodeNifti, type NiftiWriteOptions } from './niftiWrite';

function reader(bytes: Uint8Array, version: 1 | 2, le: boolean) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = NIFTI_LAYOUT[version];
  const int = (p: number) => (version === 1 ? dv.getInt16(p, le) : Number(dv.getBigInt64(p, le)));
  const flt = (p: number) => (version === 1 ? dv.getFloat32(p, le) : dv.getFloat64(p, le));
  const code = (p: number) => (version === 1 ? dv.getInt16(p, le) : dv.getInt32(p, le));
  return {
    at,
    dv,
    dims: Array.from({ length: 8 }, (_, i) => int(at.dim + i * at.intBytes)),
    pixdim: Array.from({ length: 8 }, (_, i) => flt(at.pixdim + i * at.floatBytes)),
    srow: Array.from({ length: 12 }, (_, i) => flt(at.srow + i * at.floatBytes)),
    quat: Array.from({ length: 6 }, (_, i) => flt(at.quat + i * at.floatBytes)),
    code,
    voxOffset: version === 1 ? dv.getFloat32(at.voxOffset, le) : Number(dv.getBigInt64(at.voxOffset, le)),
    descrip: String.fromCharCode(...bytes.subarray(at.descrip, at.descrip + 80)).replace(/\0+$/, ''),
  };
}

const base: NiftiWriteOptions = { dims: [3, 2], datatypeCode: 2, bitpix: 8, data: new Uint8Array(6) };
// Columns of lengths 3, 2 and 4 (i along y, j along −x), at (5, 6, 7).
const affine: Mat4 = [0, -2, 0, 5, 3, 0, 0, 6, 0, 0, 4, 7, 0, 0, 0, 1];

describe('encodeNifti', () => {
  for (const version of [1, 2] as const)
    for (const le of [true, false])
      describe(`NIfTI-${version}, ${le ? 'little' : 'big'}-endian`, () => {
        it('dims padded with 1 up to dim[7]; pixdim from the affine columns; sform from the affine', () => {
          const r = reader(encodeNifti({ ...base, version, littleEndian: le, affine }), version, le);
          expect(r.dims).toEqual([2, 3, 2, 1, 1, 1, 1, 1]);
          expect(r.pixdim).toEqual([1, 3, 2, 4, 1, 1, 1, 1]);
          expect([r.code(r.at.qcode), r.code(r.at.scode)]).toEqual([0, 2]);
          expect(r.srow).toEqual(affine.slice(0, 12));
          expect(r.voxOffset).toBe(r.at.headerBytes + 4);
          expect(r.code(r.at.intentCode)).toBe(0);
        });

        it('a qform instead: qform_code 1, sform_code 0, its numbers, and qfac in pixdim[0]', () => {
          const r = reader(encodeNifti({ ...base, version, littleEndian: le, qform: { quatern: [0.5, 0.25, 0], offset: [1, 2, 3], qfac: -1 } }), version, le);
          expect([r.code(r.at.qcode), r.code(r.at.scode)]).toEqual([1, 0]);
          expect(r.quat).toEqual([0.5, 0.25, 0, 1, 2, 3]);
          expect(r.pixdim).toEqual([-1, 1, 1, 1, 1, 1, 1, 1]);
        });

        it('the description: "voxlens" by default, else its first 79 characters in 7 bits', () => {
          expect(reader(encodeNifti({ ...base, version, littleEndian: le }), version, le).descrip).toBe('voxlens');
          expect(reader(encodeNifti({ ...base, version, littleEndian: le, description: 'é' + 'x'.repeat(90) }), version, le).descrip).toBe('i' + 'x'.repeat(78));
          expect(reader(encodeNifti({ ...base, version, littleEndian: le, description: '' }), version, le).descrip).toBe('');
        });

        it('intent code, and a bare extension block of the asked size before the voxels', () => {
          const bytes = encodeNifti({ ...base, version, littleEndian: le, intentCode: 1002, extensionBytes: 32, data: new Uint8Array([1, 2, 3, 4, 5, 6]) });
          const r = reader(bytes, version, le);
          expect(r.code(r.at.intentCode)).toBe(1002);
          const h = r.at.headerBytes;
          expect([...bytes.subarray(h, h + 4)]).toEqual([1, 0, 0, 0]);
          expect([r.dv.getInt32(h + 4, le), r.dv.getInt32(h + 8, le)]).toEqual([32, 0]);
          expect(r.voxOffset).toBe(h + 4 + 32);
          expect([...bytes.subarray(h + 36)]).toEqual([1, 2, 3, 4, 5, 6]);
          expect(bytes.length).toBe(h + 36 + 6);
        });
      });

  it('swaps each value to big-endian, whole values only; one-byte values and little-endian files stay', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const body = (o: Partial<NiftiWriteOptions>) => [...encodeNifti({ ...base, dims: [9], data, ...o }).subarray(352)];
    expect(body({ littleEndian: false, bytesPerValue: 2 })).toEqual([2, 1, 4, 3, 6, 5, 8, 7, 9]);
    expect(body({ littleEndian: false, bytesPerValue: 4 })).toEqual([4, 3, 2, 1, 8, 7, 6, 5, 9]);
    expect(body({ littleEndian: false })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(body({ littleEndian: true, bytesPerValue: 2 })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('the header size first, in the file order', () => {
    expect(new DataView(encodeNifti({ ...base, littleEndian: false }).buffer).getInt32(0, false)).toBe(348);
    expect(new DataView(encodeNifti({ ...base, version: 2 }).buffer).getInt32(0, true)).toBe(540);
  });
});
