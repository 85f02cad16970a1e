import { describe, expect, it } from 'vitest';
import { groupFiles, mainFileIndex } from './fileGroups';

const file = (name: string, text = '') => ({ name, text });
const read = async (f: { text: string }) => f.text;

describe('grouping dropped files into volumes', () => {
  it('a .nhdr takes the data files its header names; the rest load alone, in drop order', async () => {
    const nhdr = file('a.nhdr', 'NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nencoding: raw\nendian: little\ndata file: LIST\nz0.raw\nz1.raw\n');
    const files = [file('first.nii'), file('z1.raw'), nhdr, file('z0.raw'), file('last.mgz')];
    const groups = await groupFiles(files, read);
    expect(groups.map((g) => [g.main.name, g.companions.map((c) => c.name)])).toEqual([
      ['first.nii', []],
      ['a.nhdr', ['z0.raw', 'z1.raw']],
      ['last.mgz', []],
    ]);
  });

  it('a .hdr takes the .img of its stem, in the header\'s case or lower case', async () => {
    const groups = await groupFiles([file('SCAN.IMG'), file('SCAN.HDR'), file('other.img')], read);
    expect(groups.map((g) => [g.main.name, g.companions.map((c) => c.name)])).toEqual([
      ['SCAN.HDR', ['SCAN.IMG']],
      ['other.img', []],
    ]);
  });

  it('the header is the main file of a load([...]) whatever the order', () => {
    expect(mainFileIndex([file('x.raw.gz'), file('x.nhdr')])).toBe(1);
    expect(mainFileIndex([file('x.img'), file('x.hdr.gz')])).toBe(1);
    expect(mainFileIndex([file('a.nii'), file('b.nii')])).toBe(0);
  });
});
