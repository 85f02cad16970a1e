// Structural MGH/MGZ mutations (big-endian 284-byte header, voxels, optional footer).
import { CaseList, FUZZ_BUDGET_BYTES } from './caseKit';
import { MGH_FIELDS, MGH_HEADER_BYTES } from './formats';
import type { Seed } from './types';

export function mghCases(seed: Seed, list: CaseList): void {
  const { layout, content, gz } = seed;
  const sizeKnown = !gz;
  const dv = (h: Uint8Array) => new DataView(h.buffer, h.byteOffset, h.byteLength);
  const dims = [0, 1, 2, 3].map((i) => dv(content).getInt32(MGH_FIELDS.width + 4 * i));

  list.cutContent('empty', 0, 'error', true);
  list.cutContent('inside the version', 3, 'error', true);
  list.cutContent('inside the header', 100, 'error', true);
  list.cutContent('one byte short of the header', MGH_HEADER_BYTES - 1, 'error', true);
  list.cutContent('at the header end, the first voxel', MGH_HEADER_BYTES, 'error', sizeKnown);
  list.cutContent('one byte into the voxels', MGH_HEADER_BYTES + 1, 'error', sizeKnown);
  list.cutContent('half way through the voxels', MGH_HEADER_BYTES + Math.floor(layout.voxelBytes / 2), 'error', sizeKnown);
  list.cutContent('one byte short of the voxel end', layout.voxEnd - 1, 'error', sizeKnown);
  if (content.length > layout.voxEnd) {
    list.cutContent('at the voxel end (no footer)', layout.voxEnd, 'either', false);
    list.cutContent('one byte short of the end (inside the footer)', content.length - 1, 'either', false);
  }
  list.storedCuts();

  for (const type of [2, 5, 7, 99, -1]) {
    list.edit(`type = ${type}`, 'error', true, (h) => dv(h).setInt32(MGH_FIELDS.type, type));
  }
  ['width', 'height', 'depth', 'frames'].forEach((field, i) => {
    const o = MGH_FIELDS.width + 4 * i;
    list.edit(`${field} = 0`, 'error', true, (h) => dv(h).setInt32(o, 0));
    list.edit(`${field} = -1`, 'error', true, (h) => dv(h).setInt32(o, -1));
    const big = dims.map((d, j) => (j === i ? 2 ** 31 - 1 : d));
    const declared = big.reduce((a, d) => a * d, 1) * layout.bytesPerVoxel;
    list.edit(`${field} = 2^31-1`, 'error', sizeKnown || declared > FUZZ_BUDGET_BYTES, (h) => dv(h).setInt32(o, 2 ** 31 - 1));
  });
  list.edit('width, height, depth, frames = 2^31-1 (product over 2^53)', 'error', true, (h) => [0, 1, 2, 3].forEach((i) => dv(h).setInt32(MGH_FIELDS.width + 4 * i, 2 ** 31 - 1)));
  list.edit('width = 65536, height = 65536 (4 GiB and more)', 'error', true, (h) => [0, 1].forEach((i) => dv(h).setInt32(MGH_FIELDS.width + 4 * i, 65536)));
  list.edit('version = 2', 'error', true, (h) => dv(h).setInt32(MGH_FIELDS.version, 2));
  list.edit('version = 0', 'error', true, (h) => dv(h).setInt32(MGH_FIELDS.version, 0));
  list.edit('version 1 little-endian', 'error', true, (h) => dv(h).setInt32(MGH_FIELDS.version, 1, true));
  list.edit('dof = -1', 'either', false, (h) => dv(h).setInt32(MGH_FIELDS.dof, -1));

  const ras = dv(content).getInt16(MGH_FIELDS.goodRAS) === 1;
  for (const [label, v] of [
    ['NaN', NaN],
    ['+Inf', Infinity],
  ] as const) {
    // With goodRASflag set the affine is built from these: a decoder may refuse or fall back to
    // the default orientation with a notice, but must not load a non-finite affine (checked on ok).
    list.edit(`delta[0] = ${label}`, 'either', false, (h) => dv(h).setFloat32(MGH_FIELDS.delta, v));
    list.edit(`Mdc[4] = ${label}`, 'either', false, (h) => dv(h).setFloat32(MGH_FIELDS.mdc + 16, v));
    list.edit(`c_ras[2] = ${label}`, 'either', false, (h) => dv(h).setFloat32(MGH_FIELDS.cras + 8, v));
    list.edit(`goodRASflag = 0 and delta, Mdc = ${label}`, 'either', false, (h) => {
      dv(h).setInt16(MGH_FIELDS.goodRAS, 0);
      for (let i = 0; i < 12; i++) dv(h).setFloat32(MGH_FIELDS.delta + 4 * i, v);
    });
  }
  list.edit('delta = 0 (singular affine)', 'either', false, (h) => [0, 1, 2].forEach((i) => dv(h).setFloat32(MGH_FIELDS.delta + 4 * i, 0)));
  list.edit('Mdc all zero', 'either', false, (h) => {
    for (let i = 0; i < 9; i++) dv(h).setFloat32(MGH_FIELDS.mdc + 4 * i, 0);
  });
  list.edit(`goodRASflag = ${ras ? 0 : 1}`, 'either', false, (h) => dv(h).setInt16(MGH_FIELDS.goodRAS, ras ? 0 : 1));
  list.edit('goodRASflag = -1', 'either', false, (h) => dv(h).setInt16(MGH_FIELDS.goodRAS, -1));
  list.edit('unused header bytes 0xff', 'either', false, (h) => h.fill(0xff, MGH_FIELDS.cras + 12, MGH_HEADER_BYTES));
}
