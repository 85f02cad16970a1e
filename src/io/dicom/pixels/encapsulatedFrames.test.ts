import { describe, expect, it } from 'vitest';
import { greyFrame, secondaryCapture } from '../../../../scripts/makeDicomBreadth';
import { fileInfo, framePixels, parseDataSet } from '../tags';
import { endsWithEndMarker, frameFragments, type Fragment } from './encapsulatedFrames';
import { decodeFrame } from './transferSyntaxes';

/** Fragments laid out as items: offsets of item tags from the first, each 8 + length bytes. */
function layout(lengths: number[]): Fragment[] {
  let at = 0;
  return lengths.map((length) => {
    const f = { offset: at, position: 1000 + at + 8, length };
    at += 8 + length;
    return f;
  });
}

describe('frameFragments', () => {
  const none = new Uint8Array(0);
  it('one fragment per frame when the table is empty and the counts agree', () => {
    expect(frameFragments(layout([10, 12, 14]), 3, { basic: [] }, none, false)).toEqual({ kind: 'ok', value: [[0, 1], [1, 2], [2, 3]] });
  });
  it('follows a Basic Offset Table, and prefers the Extended one', () => {
    const f = layout([10, 12, 14, 16]);
    expect(frameFragments(f, 2, { basic: [0, 38] }, none, false)).toEqual({ kind: 'ok', value: [[0, 2], [2, 4]] });
    expect(frameFragments(f, 2, { basic: [0, 18], extended: [0, 60] }, none, false)).toEqual({ kind: 'ok', value: [[0, 3], [3, 4]] });
  });
  it('refuses offsets where no fragment starts, naming the table', () => {
    const r = frameFragments(layout([10, 12]), 2, { basic: [0, 7] }, none, false);
    expect(r).toMatchObject({ kind: 'error', code: 'bad-offset' });
    expect(r.kind === 'error' && r.message).toMatch(/Basic Offset Table gives frame 2 the offset 7/);
  });
  it('splits JPEG streams at their end markers, and refuses RLE it cannot split', () => {
    const bytes = new Uint8Array(2000);
    const f = layout([4, 4, 4, 4]);
    // Fragments 1 and 3 end with FF D9 (fragment 3 after a zero pad byte).
    bytes.set([1, 2, 0xff, 0xd9], f[1].position);
    bytes.set([1, 0xff, 0xd9, 0], f[3].position);
    expect(endsWithEndMarker(bytes, f[3])).toBe(true);
    expect(frameFragments(f, 2, { basic: [] }, bytes, true)).toEqual({ kind: 'ok', value: [[0, 2], [2, 4]] });
    expect(frameFragments(f, 3, { basic: [] }, bytes, true)).toMatchObject({ kind: 'error', code: 'bad-offset' });
    expect(frameFragments(f, 2, { basic: [] }, bytes, false)).toMatchObject({ kind: 'error', code: 'bad-offset' });
  });
});

describe('multi-frame encapsulated objects with an empty Basic Offset Table', () => {
  const cases = [
    { encoding: 'rle', fragments: 'one-per-frame' },
    { encoding: 'jpeg-lossless', fragments: 'one-per-frame' },
    { encoding: 'jpeg-lossless', fragments: 'two-per-frame' },
    { encoding: 'jpeg-lossless', fragments: 'extended-offset-table' },
    { encoding: 'rle', fragments: 'extended-offset-table' },
  ] as const;
  for (const c of cases) {
    it(`${c.encoding}, ${c.fragments}: every frame decodes to its values`, () => {
      const frames = 4;
      const bytes = secondaryCapture({ encoding: c.encoding, fragments: c.fragments, frames, columns: 9, rows: 7 });
      const ds = parseDataSet(bytes, 'mf.dcm', false);
      if (ds.kind === 'error') throw new Error(ds.message);
      expect(ds.value.elements.x7fe00010.basicOffsetTable ?? []).toEqual([]);
      const info = fileInfo(ds.value, 0, 'mf.dcm');
      if (info.kind === 'error') throw new Error(info.message);
      for (let f = 0; f < frames; f++) {
        const src = framePixels(ds.value, info.value, f);
        if (src.kind === 'error') throw new Error(src.message);
        const out = new Uint16Array(9 * 7);
        const decoded = decodeFrame(info.value.transferSyntax, src.value, new Uint8Array(out.buffer), info.value.pixel);
        expect(decoded.kind).toBe('ok');
        expect(Array.from(out)).toEqual(Array.from(greyFrame(9, 7, f)));
      }
      expect(framePixels(ds.value, info.value, frames)).toMatchObject({ kind: 'error', code: 'bad-offset' });
    });
  }
});
