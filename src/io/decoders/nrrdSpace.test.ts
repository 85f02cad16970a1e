// nrrdSpace's pure helpers and layout rules, called directly (nrrd.test.ts reads whole files).
import { describe, expect, it } from 'vitest';
import { nrrdLayout, nrrdNumber, words, type NrrdLayout } from './nrrdSpace';

function layout(fields: Record<string, string>, sizes: number[]): NrrdLayout {
  const r = nrrdLayout(new Map(Object.entries(fields)), sizes);
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}
function refusal(fields: Record<string, string>, sizes: number[]): [string, string] {
  const r = nrrdLayout(new Map(Object.entries(fields)), sizes);
  if (r.kind === 'ok') throw new Error('expected an error');
  return [r.code, r.message];
}
const round = (m: readonly number[]) => m.map((v) => Math.round(v * 1e9) / 1e9 + 0);

describe('words', () => {
  it('splits on any whitespace and keeps "quoted strings" whole, without their quotes', () => {
    expect(words('  a\tb  "c d"  e ')).toEqual(['a', 'b', 'c d', 'e']);
    expect(words('"mm" "mm"')).toEqual(['mm', 'mm']);
    expect(words('""')).toEqual(['']);
    expect(words('a"b"')).toEqual(['a"b"']);
    expect(words('')).toEqual([]);
    expect(words('   ')).toEqual([]);
  });
});

describe('nrrdNumber', () => {
  it.each([
    ['1', 1], [' 2.5 ', 2.5], ['-3', -3], ['+4', 4], ['5.', 5], ['.25', 0.25], ['-1e3', -1000], ['1E+2', 100], ['2.5e-1', 0.25],
    ['inf', Infinity], ['+INF', Infinity], ['-inf', -Infinity], [' Infinity ', Infinity], ['-infinity', -Infinity],
  ])('%j is %d', (text, value) => expect(nrrdNumber(text)).toBe(value));
  it.each(['nan', 'NaN', '', '.', '1e', 'e5', 'x1', '1x', '0x10', '1,5', '--1', 'infinite', 'inf1', '1 2', '+-1'])('%j is NaN', (text) => expect(nrrdNumber(text)).toBeNaN());
});

describe('nrrdLayout: units', () => {
  const spaceUnit = (u: string) => layout({ space: 'RAS', 'space directions': '(1,0,0) (0,1,0) (0,0,1)', 'space units': `"${u}" "${u}" "${u}"` }, [2, 2, 2]).spaceUnit;
  it.each([
    ['mm', 'mm'], ['MM', 'mm'], [' millimeter ', 'mm'], ['millimeters', 'mm'], ['millimetre', 'mm'], ['millimetres', 'mm'],
    ['um', 'µm'], ['µm', 'µm'], ['micron', 'µm'], ['microns', 'µm'], ['micrometer', 'µm'], ['micrometers', 'µm'],
    ['m', 'm'], ['meter', 'm'], ['meters', 'm'], ['metre', 'm'], ['metres', 'm'], ['cm', 'cm'], ['Furlong', 'Furlong'],
  ])('space unit %j is %j', (u, name) => expect(spaceUnit(u)).toBe(name));
  it('an empty or unknown ("???") unit, or units that differ, give none', () => {
    expect(spaceUnit('')).toBeUndefined();
    expect(spaceUnit('???')).toBeUndefined();
    expect(layout({ space: 'RAS', 'space directions': '(1,0,0) (0,1,0) (0,0,1)', 'space units': '"mm" "mm" "cm"' }, [2, 2, 2]).spaceUnit).toBeUndefined();
    expect(layout({ space: 'RAS', 'space directions': '(1,0,0) (0,1,0) (0,0,1)' }, [2, 2, 2]).spaceUnit).toBeUndefined();
    // Without space units: the spatial axes' own units.
    expect(layout({ spacings: '1 1 1', units: 'mm mm mm' }, [2, 2, 2]).spaceUnit).toBe('mm');
    expect(layout({ spacings: '1 1 1', units: 'mm um mm' }, [2, 2, 2]).spaceUnit).toBeUndefined();
  });
  const timeUnit = (u: string) => layout({ spacings: '1 1 1 nan', kinds: 'domain domain domain time', units: `mm mm mm ${u}` }, [2, 2, 2, 3]).timeUnit;
  it.each([['s', 's'], ['sec', 's'], ['second', 's'], ['Seconds', 's'], ['ms', 'ms'], ['msec', 'ms'], ['us', 'µs'], ['µs', 'µs'], ['usec', 'µs']])('time unit %j is %j', (u, name) =>
    expect(timeUnit(u)).toBe(name),
  );
  it('a frame axis in another unit (or none) has no time unit', () => {
    expect(timeUnit('min')).toBeUndefined();
    expect(timeUnit('mm')).toBeUndefined();
    expect(layout({ spacings: '1 1 1 nan', kinds: 'domain domain domain time' }, [2, 2, 2, 3]).timeUnit).toBeUndefined();
  });
  it('a *-time space gives the time unit as its 4th space unit', () => {
    const l = layout({ space: 'right-anterior-superior-time', 'space directions': '(1,0,0,0) (0,1,0,0) (0,0,1,0) (0,0,0,2)', 'space units': '"mm" "mm" "mm" "ms"' }, [2, 2, 2, 3]);
    expect([l.spaceUnit, l.timeUnit]).toEqual(['mm', 'ms']);
  });
});

describe('nrrdLayout: axes the file lacks', () => {
  it('a 2D image gets a unit third column at right angles', () => {
    const l = layout({ spacings: '2 3' }, [4, 5]);
    expect(round(l.affine)).toEqual([2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });
  it('a single line gets two unit columns at right angles, from the axis its direction leans on least', () => {
    const l = layout({ space: 'RAS', 'space directions': '(0,3,4)' }, [6]);
    // Columns: (0, 3, 4); (0, 3, 4) × x̂ normalised = (0, 0.8, −0.6); and their cross normalised = (−1, 0, 0).
    expect(round(l.affine)).toEqual([0, 0, -1, 0, 3, 0.8, 0, 0, 4, -0.6, 0, 0, 0, 0, 0, 1]);
    const x = layout({ spacings: '2' }, [6]);
    expect(round(x.affine)).toEqual([2, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });
});

describe('nrrdLayout: spacings, mins and centers', () => {
  it('a cell-centred axis min is the edge of its first cell; a node-centred one is the first sample', () => {
    const l = layout({ spacings: '2 4 1', 'axis mins': '10 20 -5', centers: 'cell node CELL' }, [3, 3, 3]);
    expect(round(l.affine)).toEqual([2, 0, 0, 11, 0, 4, 0, 20, 0, 0, 1, -4.5, 0, 0, 0, 1]);
    expect(l.affineSource).toBe('spacings');
  });
  it('a missing or nan spacing is 1 mm, a missing or nan min 0; a zero or infinite spacing is refused', () => {
    expect(round(layout({ spacings: 'nan 2 nan', 'axis mins': 'nan 1 nan' }, [3, 3, 3]).affine)).toEqual([1, 0, 0, 0, 0, 2, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(round(layout({}, [3, 3, 3]).affine)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(refusal({ spacings: '1 0 1' }, [3, 3, 3])).toEqual(['bad-header', 'spacings: "0" on axis 1 is not a finite, non-zero number.']);
    expect(refusal({ spacings: '1 1 -inf' }, [3, 3, 3])).toEqual(['bad-header', 'spacings: "-inf" on axis 2 is not a finite, non-zero number.']);
    expect(refusal({ spacings: '1 1' }, [3, 3, 3])).toEqual(['bad-header', 'spacings: 2 entries for 3 axes ("1 1").']);
  });
  it('a space origin wins over axis mins', () => {
    const l = layout({ space: 'RAS', 'space dimension': '3', 'space origin': '(7,8,9)', spacings: '1 1 1', 'axis mins': '1 2 3' }, [2, 2, 2]);
    expect(round(l.affine)).toEqual([1, 0, 0, 7, 0, 1, 0, 8, 0, 0, 1, 9, 0, 0, 0, 1]);
  });
});

describe('nrrdLayout: which axes are spatial', () => {
  it('without directions, the first three axes of a spatial kind (or any kind when none given)', () => {
    expect(layout({ kinds: 'vector domain space ??? none' }, [3, 4, 4, 4, 1]).spatial).toEqual([1, 2, 3]);
    expect(layout({ kinds: '3-color domain domain domain' }, [3, 4, 4, 4]).extra).toEqual({ axis: 0, size: 3, kind: '3-color', place: 'components' });
    expect(layout({}, [4, 4, 4, 2]).spatial).toEqual([0, 1, 2]);
    expect(layout({}, [4, 4, 4, 2]).extra).toEqual({ axis: 3, size: 2, kind: 'none', place: 'frames' });
  });
  it('says why it refuses an axis layout', () => {
    expect(refusal({ kinds: 'vector list' }, [3, 4])).toEqual(['unsupported-format', 'None of the 2 axes is spatial (no space direction, and no domain or space kind); Voxlens shows images in space.']);
    expect(refusal({ kinds: 'domain domain domain list vector' }, [4, 4, 4, 2, 3])[1]).toBe(
      'More than one non-spatial axis: axis 3 (list, size 2), axis 4 (vector, size 3); Voxlens shows one, as components or frames.',
    );
    expect(refusal({ kinds: 'domain list domain domain' }, [4, 2, 4, 4])[1]).toBe(
      'The non-spatial axis 1 (list, size 2) lies between spatial axes; Voxlens reads it only as the first (components) or last (frames) axis.',
    );
    expect(refusal({ space: 'RAS', 'space directions': '(1,0,0) (0,1,0) (0,0,0)' }, [2, 2, 2])).toEqual(['bad-header', 'space directions: axis 2 has the zero vector, so its voxels have no place in space.']);
    expect(refusal({ space: 'RAS', 'space directions': '(1,0,0) (2,0,0) (0,0,1)' }, [2, 2, 2])).toEqual([
      'bad-header',
      'space directions: the directions of axes 0, 1, 2 are degenerate (zero or parallel), so voxel positions cannot be placed in space.',
    ]);
  });
  it('size-1 axes other than the spatial ones are ignored', () => {
    const l = layout({ kinds: 'domain domain domain list' }, [4, 4, 4, 1]);
    expect(l.extra).toBeUndefined();
  });
});
