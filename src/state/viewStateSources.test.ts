import { describe, expect, it } from 'vitest';
import { sourceState } from './viewStateSources';

describe('sourceState', () => {
  it('keeps a URL (a path on this origin as a path) and names a local file', () => {
    expect(sourceState('https://data.example.org/t1.nii.gz', 't1.nii.gz')).toEqual({ url: 'https://data.example.org/t1.nii.gz' });
    expect(sourceState(new File([new Uint8Array(4)], 'mine.nii'), 'mine.nii')).toEqual({ file: 'mine.nii' });
    expect(sourceState(new Blob([new Uint8Array(4)]), 'given name.nii')).toEqual({ file: 'given name.nii' });
  });

  it('names a header with its data files, the header first whatever the order given', () => {
    const img = new File([new Uint8Array(4)], 'seg.img');
    const hdr = new File([new Uint8Array(4)], 'seg.hdr');
    expect(sourceState([img, hdr], 'seg.hdr')).toEqual({ file: 'seg.hdr', companions: ['seg.img'] });
  });

  it('leaves out what a link cannot name: a header and data given as URLs', () => {
    expect(sourceState(['/a.nhdr', '/a.raw'], 'a.nhdr')).toBeUndefined();
  });
});
