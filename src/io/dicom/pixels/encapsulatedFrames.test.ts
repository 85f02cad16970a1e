import { describe, expect, it } from 'vitest';
import { greyFrame, secondaryCapture } from '../../../../scripts/makeDicomBreadth';
import { fileInfo, framePixels, parseDataSet } from '../tags';
import { endsWithEndMarker, frameFragments, joinFragments, readOv, type Fragment } from './encapsulatedFrames';
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

describe('frameFragments: the whole message of each refusal', () => {
  const none = new Uint8Array(0);
  const refused = (message: string) => ({ kind: 'error', code: 'bad-offset', message });
  it('no fragments, a table of the wrong length, offsets where no fragment starts or not increasing', () => {
    expect(frameFragments([], 1, { basic: [] }, none, false)).toEqual(refused('the encapsulated pixel data holds no fragments'));
    const f = layout([10, 12, 14, 16, 18]);
    expect(frameFragments(f, 2, { basic: [0, 18, 38] }, none, false)).toEqual(refused('the Basic Offset Table has 3 entries for 2 frames'));
    expect(frameFragments(f, 3, { basic: [0], extended: [0, 18] }, none, false)).toEqual(refused('the Extended Offset Table has 2 entries for 3 frames'));
    expect(frameFragments(f, 2, { basic: [], extended: [0, 5] }, none, false)).toEqual(refused('the Extended Offset Table gives frame 2 the offset 5, where no fragment starts (fragments start at 0, 18, 38, 60, …)'));
    expect(frameFragments(layout([10, 12, 14, 16]), 2, { basic: [0, 5] }, none, false)).toEqual(refused('the Basic Offset Table gives frame 2 the offset 5, where no fragment starts (fragments start at 0, 18, 38, 60)'));
    expect(frameFragments(layout([10, 12]), 2, { basic: [3, 0] }, none, false)).toEqual(refused('the Basic Offset Table gives frame 1 the offset 3, where no fragment starts (fragments start at 0, 18)'));
    expect(frameFragments(f, 3, { basic: [0, 38, 18] }, none, false)).toEqual(refused("the Basic Offset Table's offsets are not increasing at frame 3 (38, then 18)"));
    expect(frameFragments(f, 2, { basic: [18, 18] }, none, false)).toEqual(refused("the Basic Offset Table's offsets are not increasing at frame 2 (18, then 18)"));
    expect(frameFragments(f, 2, { basic: [] }, none, false)).toEqual(
      refused('the offset table is empty and 5 fragments hold 2 frames: without one fragment per frame the frames cannot be told apart'),
    );
  });

  it('a table for one frame is not read; an empty Extended table falls back to the Basic one', () => {
    const f = layout([10, 12, 14]);
    expect(frameFragments(f, 1, { basic: [99] }, none, false)).toEqual({ kind: 'ok', value: [[0, 3]] });
    expect(frameFragments(f, 2, { basic: [0, 18], extended: [] }, none, false)).toEqual({ kind: 'ok', value: [[0, 1], [1, 3]] });
    expect(frameFragments(f, 2, { basic: [18, 38] }, none, false)).toEqual({ kind: 'ok', value: [[1, 2], [2, 3]] });
  });

  it('split at end markers: fragments after the last marker, or too few streams, named', () => {
    const bytes = new Uint8Array(2000);
    const f = layout([4, 4, 4, 4]);
    bytes.set([1, 2, 0xff, 0xd9], f[0].position);
    bytes.set([1, 2, 0xff, 0xd9], f[2].position);
    expect(frameFragments(f, 2, { basic: [] }, bytes, true)).toEqual(
      refused('the offset table is empty and the 4 fragments end 2 JPEG streams (end markers FFD9), the last 1 fragment(s) ending none, for 2 frames'),
    );
    bytes.set([1, 2, 0xff, 0xd9], f[3].position);
    expect(frameFragments(f, 2, { basic: [] }, bytes, true)).toEqual(refused('the offset table is empty and the 4 fragments end 3 JPEG streams (end markers FFD9), for 2 frames'));
    expect(frameFragments(f, 3, { basic: [] }, bytes, true)).toEqual({ kind: 'ok', value: [[0, 1], [1, 3], [3, 4]] });
  });

  it('an end marker needs both bytes inside the fragment, zero padding after it allowed', () => {
    const bytes = new Uint8Array(2000);
    const [a, b, c] = layout([4, 4, 1]);
    bytes.set([0xff, 0xd9, 0, 0], a.position);
    expect(endsWithEndMarker(bytes, a)).toBe(true);
    bytes.set([0xff, 0xd8, 0xff, 0xd8], b.position);
    expect(endsWithEndMarker(bytes, b)).toBe(false);
    bytes.set([0xd9], c.position);
    bytes[c.position - 1] = 0xff; // the byte before the fragment does not count
    expect(endsWithEndMarker(bytes, c)).toBe(false);
    // A fragment said to run past the data is read to the data's end.
    expect(endsWithEndMarker(Uint8Array.from([0, 0xff, 0xd9]), { offset: 0, position: 1, length: 10 })).toBe(true);
  });
});

describe('joinFragments and readOv', () => {
  it('gives one fragment as a view, several as one copy in order', () => {
    const bytes = Uint8Array.from([9, 1, 2, 9, 9, 3, 4, 5, 9]);
    const f: Fragment[] = [
      { offset: 0, position: 1, length: 2 },
      { offset: 10, position: 5, length: 3 },
    ];
    const one = joinFragments(bytes, f, [1, 2]);
    expect(Array.from(one)).toEqual([3, 4, 5]);
    expect(one.buffer).toBe(bytes.buffer);
    expect(Array.from(joinFragments(bytes, f, [0, 2]))).toEqual([1, 2, 3, 4, 5]);
  });
  it('reads 64-bit little-endian entries, a partial one at the end ignored', () => {
    const bytes = new Uint8Array(4 + 8 * 2 + 3);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(4, 7n, true);
    view.setBigUint64(12, 2n ** 40n + 3n, true);
    expect(readOv(bytes, 4, 19)).toEqual([7, 2 ** 40 + 3]);
    // The partial entry is not even looked at: the data may end before it.
    expect(readOv(bytes.slice(0, 20), 4, 19)).toEqual([7, 2 ** 40 + 3]);
    expect(readOv(bytes, 4, 0)).toEqual([]);
  });
});
