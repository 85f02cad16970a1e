// Cases that belong to no one seed: bytes that are no volume at all, broken gzip framing, a header
// that never ends, and gzip bombs (a small declared volume followed by 200 MiB of zeros).
import { encodeMgh } from '../../src/io/decoders/mghWrite';
import { encodeNifti } from '../../src/io/decoders/niftiWrite';
import { encodeNrrd } from '../../src/io/decoders/nrrdWrite';
import { CaseList } from './caseKit';
import { nrrdJoin, nrrdSplit } from './formats';
import { concatBytes, gzip, gzipWithZeroTail } from './gzip';
import { rng } from './prng';
import type { FuzzCase, Seed } from './types';

const ascii = (s: string) => new TextEncoder().encode(s);

/** Declared volume of each bomb: 32 × 32 × 32 uint8 (32 KiB). */
export const BOMB_DIMS = [32, 32, 32] as const;
export const BOMB_ZERO_MiB = 200;
const bombVoxels = () => new Uint8Array(32 * 32 * 32).map((_, i) => (i * 7) & 0xff);

export interface Bomb {
  name: string;
  fileName: string;
  /** The declared voxels, as the decoder must return them. */
  voxels: Uint8Array;
  bytes(): Uint8Array;
}

/** A .nii.gz, an .mgz and a gzip-encoded .nrrd, each declaring 32 KiB of voxels, then 200 MiB of zeros. */
export function gzipBombs(): Bomb[] {
  const voxels = bombVoxels();
  const dims = [...BOMB_DIMS];
  return [
    { name: 'bomb.nii.gz', fileName: 'bomb.nii.gz', voxels, bytes: () => gzipWithZeroTail(encodeNifti({ dims, datatypeCode: 2, bitpix: 8, data: voxels }), BOMB_ZERO_MiB) },
    { name: 'bomb.mgz', fileName: 'bomb.mgz', voxels, bytes: () => gzipWithZeroTail(encodeMgh({ dims, type: 0, data: voxels }), BOMB_ZERO_MiB) },
    {
      name: 'bomb-gzip-data.nrrd',
      fileName: 'bomb-gzip-data.nrrd',
      voxels,
      bytes: () => {
        // nrrdWrite's header for gzip data, with the data swapped for the bomb's.
        const split = nrrdSplit(encodeNrrd({ type: 'unsigned char', sizes: dims, encoding: 'gzip', data: voxels }));
        if (!split) throw new Error('nrrdWrite wrote no blank line');
        return nrrdJoin(split.header, gzipWithZeroTail(voxels, BOMB_ZERO_MiB));
      },
    },
  ];
}

/** A seed-less list: the name of each case says what it is. */
const pseudoSeed = (name: string, fileName: string): Seed => ({
  name,
  fileName,
  format: 'nifti1',
  gz: false,
  stored: new Uint8Array(0),
  content: new Uint8Array(0),
  layout: { headerEnd: 0, voxStart: 0, voxEnd: 0, voxelBytes: 0, bytesPerVoxel: 1, littleEndian: true },
  origin: 'synthetic',
});

export function commonCases(runSeed: number): FuzzCase[] {
  const r = rng(runSeed ^ 0x5eed);
  const junk = r.bytes(1024);
  junk[0] = 0x42; // not a gzip, NRRD, NIfTI or MGH magic
  const small = encodeNifti({ dims: [4, 3, 2], datatypeCode: 2, bitpix: 8, data: new Uint8Array(24).fill(7) });
  const out: FuzzCase[] = [];
  const list = (name: string, fileName: string) => {
    const l = new CaseList(pseudoSeed(name, fileName));
    return { l, done: () => out.push(...l.cases) };
  };

  const raw = list('none', 'x.nii');
  raw.l.add('junk', 'empty file', 'error', true, () => new Uint8Array(0));
  raw.l.add('junk', 'one byte', 'error', true, () => Uint8Array.of(0x5c));
  raw.l.add('junk', '1 KiB of random bytes', 'error', true, () => junk);
  raw.l.add('junk', '1 MiB of zeros', 'error', true, () => new Uint8Array(1 << 20));
  raw.l.add('junk', 'the text "NRRD"', 'error', true, () => ascii('NRRD'));
  raw.l.add('junk', 'a NRRD header that never ends (8 MiB of comments)', 'error', true, () => ascii(`NRRD0004\n${'# this header goes on and on\n'.repeat(300_000)}`));
  raw.l.add('junk', 'a NRRD header line of 8 MiB', 'error', true, () => ascii(`NRRD0004\ntype: uchar\ncontent: ${'x'.repeat(8 << 20)}\n`));
  raw.done();

  const gz = list('none', 'x.nii.gz');
  gz.l.add('junk', 'gzip of nothing', 'error', true, () => gzip(new Uint8Array(0)));
  gz.l.add('junk', 'gzip of random bytes', 'error', true, () => gzip(junk));
  gz.l.add('junk', 'a gzip header, then random bytes', 'error', true, () => concatBytes([Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff), junk]));
  gz.l.add('junk', 'gzip magic only', 'error', true, () => Uint8Array.of(0x1f, 0x8b));
  gz.l.add('junk', 'gzip with compression method 7', 'error', true, () => {
    const b = gzip(small);
    b[2] = 7;
    return b;
  });
  gz.l.add('junk', 'gzip with a reserved flag bit', 'either', false, () => {
    const b = gzip(small);
    b[3] = 0x80;
    return b;
  });
  gz.l.add('junk', 'gzip with FEXTRA claiming 65535 bytes', 'error', true, () => {
    const b = gzip(small);
    b[3] = 0x04;
    return concatBytes([b.subarray(0, 10), Uint8Array.of(0xff, 0xff), b.subarray(10, 40)]);
  });
  gz.l.add('junk', 'gzip of a gzipped NIfTI (twice compressed)', 'error', true, () => gzip(gzip(small)));
  gz.l.add('junk', 'gzip with a wrong CRC', 'either', false, () => {
    const b = gzip(small);
    b[b.length - 6] ^= 0xff;
    return b;
  });
  gz.l.add('junk', 'gzip with a wrong ISIZE', 'either', false, () => {
    const b = gzip(small);
    b[b.length - 1] ^= 0xff;
    return b;
  });
  gz.done();

  for (const bomb of gzipBombs()) {
    const b = list(bomb.name, bomb.fileName);
    b.l.add('framing', `gzip bomb: ${BOMB_DIMS.join('x')} uint8 declared, then ${BOMB_ZERO_MiB} MiB of zeros`, 'ok', false, bomb.bytes);
    b.done();
  }
  return out;
}
