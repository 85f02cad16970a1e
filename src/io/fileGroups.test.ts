import { describe, expect, it } from 'vitest';
import { groupFiles, lookupNamesBeside, lookupStem, mainFileIndex, volumeStem } from './fileGroups';

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

describe('label lookups dropped with volumes', () => {
  const names = (groups: { main: { name: string }; lookup?: { file: { name: string }; by: string } }[]) => groups.map((g) => [g.main.name, g.lookup ? `${g.lookup.file.name} (${g.lookup.by})` : null]);

  it('a .txt/.lut/.json/.ctbl of a volume\'s stem goes with that volume, in any case, not loaded alone', async () => {
    const files = [file('AAL.JSON'), file('aal.nii.gz'), file('seg.lut'), file('seg.mgz'), file('scan.nrrd'), file('scan.txt'), file('t1.nii')];
    expect(names(await groupFiles(files, read))).toEqual([
      ['aal.nii.gz', 'AAL.JSON (stem)'],
      ['seg.mgz', 'seg.lut (stem)'],
      ['scan.nrrd', 'scan.txt (stem)'],
      ['t1.nii', null],
    ]);
    // A .hdr/.img pair: the lookup goes with the header's load.
    expect(names(await groupFiles([file('atlas.img'), file('atlas.hdr'), file('atlas.ctbl')], read))).toEqual([['atlas.hdr', 'atlas.ctbl (stem)']]);
  });

  it('a FreeSurfer colour table of no volume\'s stem goes with every volume of the drop; other strays load alone', async () => {
    const files = [file('FreeSurferColorLUT.txt'), file('aparc+aseg.mgz'), file('notes.txt'), file('brain.mgz')];
    expect(names(await groupFiles(files, read))).toEqual([
      ['aparc+aseg.mgz', 'FreeSurferColorLUT.txt (colour table)'],
      ['notes.txt', null],
      ['brain.mgz', 'FreeSurferColorLUT.txt (colour table)'],
    ]);
    // Dropped alone, a lookup is refused as a volume would be, as before.
    expect(names(await groupFiles([file('FreeSurferColorLUT.txt')], read))).toEqual([['FreeSurferColorLUT.txt', null]]);
  });

  it('a NRRD\'s data file named .txt stays the header\'s data file', async () => {
    const nhdr = file('a.nhdr', 'NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nencoding: ascii\ndata file: a.txt\n');
    expect((await groupFiles([nhdr, file('a.txt')], read)).map((g) => [g.main.name, g.companions.map((c) => c.name), g.lookup])).toEqual([['a.nhdr', ['a.txt'], undefined]]);
  });
});

describe('stems', () => {
  it('volumeStem strips every volume extension, lookupStem the lookup ones', () => {
    expect(['aal.nii.gz', 'a.b.nii', 'x/seg.mgz', 'C:\\d\\t1.MGH', 'v.nrrd', 'v.nhdr', 'p.hdr', 'p.img.gz', 'p.hdr.gz'].map(volumeStem)).toEqual(['aal', 'a.b', 'seg', 't1', 'v', 'v', 'p', 'p', 'p']);
    expect(volumeStem('notes.txt')).toBeUndefined();
    expect(volumeStem('.nii')).toBeUndefined();
    expect(['aal.txt', 'aal.lut', 'aal.json', 'aal.ctbl', 'aal.csv'].map(lookupStem)).toEqual(['aal', 'aal', 'aal', 'aal', undefined]);
  });

  it('the names tried beside a volume opened by URL', () => {
    expect(lookupNamesBeside('aal.nii.gz')).toEqual(['aal.txt', 'aal.lut', 'aal.json']);
    expect(lookupNamesBeside('brain.img.gz')).toEqual(['brain.txt', 'brain.lut', 'brain.json']);
    expect(lookupNamesBeside('volume')).toEqual([]);
  });
});
