// The edges of reading label names from text (lookup files, NIfTI extensions, files beside a
// volume): each case pins one rule of labels.ts that a one-character slip would break.
import { describe, expect, it } from 'vitest';
import { decodeLabelText, labelListFromText, meantAsLabelList, parseLabelLookup, parseLabelNames, type LabelLookup, type LookupResult } from './labels';

const ok = (r: LookupResult): LabelLookup => {
  if (r.kind === 'error') throw new Error(r.message);
  return r.value;
};
const error = (r: LookupResult): string => {
  if (r.kind === 'ok') throw new Error(`expected an error, got ${JSON.stringify([...r.value.names])}`);
  expect(r.code).toBe('bad-lookup');
  return r.message;
};
/** Names and colours as plain objects, or null. */
const read = (l: LabelLookup | null) => l && { names: Object.fromEntries(l.names), colors: Object.fromEntries(l.colors) };
const list = (text: string) => read(labelListFromText(text));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('parseLabelLookup (strict: FreeSurfer tables and JSON objects)', () => {
  it('takes indices 0..65535 written as plain digits only', () => {
    expect([...ok(parseLabelLookup('0 Unknown\n65535 Last 1 2 3\n', 'LUT.txt')).names.keys()]).toEqual([0, 65535]);
    expect(error(parseLabelLookup('12x Thing 1 2 3\n', 'LUT.txt'))).toBe('LUT.txt, line 1: index "12x" is not a whole number of 0 or more.');
    expect(error(parseLabelLookup('x12 Thing 1 2 3\n', 'LUT.txt'))).toMatch(/index "x12" is not/);
    expect(error(parseLabelLookup('{ "1a": "A" }', 'l.json'))).toBe('l.json, key "1a": index "1a" is not a whole number of 0 or more.');
  });

  it('takes colour components 0..255 written as plain digits only, and names the bad one', () => {
    const at = (rgb: string) => error(parseLabelLookup(`2 Thalamus ${rgb}\n`, 'LUT.txt'));
    expect(at('300 1 2')).toBe('LUT.txt, line 1: colour component "300" (r) is not a whole number in 0..255.');
    expect(at('1 2 1e2')).toMatch(/colour component "1e2" \(b\)/);
    expect(at('1 2 3 x')).toMatch(/colour component "x" \(a\)/);
    expect(ok(parseLabelLookup('2 Thalamus 0 255 7 255\n', 'LUT.txt')).colors.get(2)).toEqual([0, 255, 7]);
  });

  it('checks JSON colours: three whole numbers (or digit strings) in 0..255', () => {
    const color = (c: string) => parseLabelLookup(`{ "1": { "name": "A", "color": ${c} } }`, 'l.json');
    expect(ok(color('[0, "255", 7]')).colors.get(1)).toEqual([0, 255, 7]);
    for (const c of ['[1, 300, 3]', '[-1, 2, 3]', '[2.5, 2, 3]', '["", 2, 3]', '[" 5", 2, 3]', '["5 ", 2, 3]', '["1e2", 2, 3]', '[[1], 2, 3]', '[null, 2, 3]', '[true, 2, 3]', '[1, 2, 3, 4]', '"abc"', '{ "length": 3 }']) {
      expect(error(color(c)), c).toBe(`l.json, key "1": "color" must be [r, g, b] with whole numbers in 0..255, found ${JSON.stringify(JSON.parse(c))}.`);
    }
  });

  it('refuses JSON that is not an object of entries, with the reason', () => {
    const objectExpected = 'l.json: expected a JSON object mapping label indices to names, e.g. { "1": "Hippocampus" }.';
    for (const text of ['5', 'null', '"aseg"', 'true']) expect(error(parseLabelLookup(text, 'l.json')), text).toBe(objectExpected);
    expect(error(parseLabelLookup('{ "1": null }', 'l.json'))).toBe('l.json, key "1": expected a name or { "name": ..., "color": [r, g, b] }.');
    expect(error(parseLabelLookup('{ "1": ["A"] }', 'l.json'))).toMatch(/key "1": expected a name or/);
  });

  it('reads JSON after a byte-order mark or leading blank lines, whatever the file is called', () => {
    expect([...ok(parseLabelLookup('\uFEFF{ "1": "A" }', 'l.json')).names]).toEqual([[1, 'A']]);
    expect([...ok(parseLabelLookup('  \n{ "1": "A" }', 'lut.txt')).names]).toEqual([[1, 'A']]);
    // Only a leading mark is dropped: one inside a name stays.
    expect(ok(parseLabelLookup('{ "1": "A\uFEFFB" }', 'l.json')).names.get(1)).toBe('A\uFEFFB');
  });
});

describe('decodeLabelText', () => {
  it('keeps every byte when there is no NUL, and a mark inside the text', () => {
    expect(decodeLabelText(utf8('1 A'))).toBe('1 A');
    expect(decodeLabelText(utf8('1 A\uFEFFB'))).toBe('1 A\uFEFFB');
  });
  it('drops a second leading mark (the decoder drops the first)', () => {
    expect(decodeLabelText(utf8('\uFEFF\uFEFF1 A'))).toBe('1 A');
  });
});

describe('labelListFromText: lines', () => {
  it('reads indices of several digits, 0 and 65535, after a byte-order mark and indentation', () => {
    expect(list('\uFEFF1 A')).toStrictEqual({ names: { 1: 'A' }, colors: {} });
    expect(list('  0 Unknown\n  12 B\n  65535 Last')?.names).toEqual({ 0: 'Unknown', 12: 'B', 65535: 'Last' });
  });

  it('unquotes and trims a quoted name', () => {
    expect(list('1 " Left Hippocampus "')).toStrictEqual({ names: { 1: 'Left Hippocampus' }, colors: {} });
  });

  it('skips blank lines and comments between entries', () => {
    expect(list('1 A\n\n# two\n2 B')?.names).toEqual({ 1: 'A', 2: 'B' });
  });

  it('is null when an entry after the first line is not `index name` (a text that only starts like a list)', () => {
    for (const text of ['1 A\nB2 C', '1 A\n70000 B', '1 A\n2 ""', '1 A\n2']) expect(list(text), text).toBeNull();
    // A line break other than CR/LF inside a line: not a well-formed entry (here the first line, taken for a header).
    expect(list('1 A\u2028B\n2 C')?.names).toEqual({ 2: 'C' });
  });

  it('reads FreeSurfer columns however they are aligned, with or without alpha', () => {
    expect(list('0   Unknown                                 0   0   0   0\n17  Left-Hippocampus                    220 216  20   0')).toStrictEqual({
      names: { 0: 'Unknown', 17: 'Left-Hippocampus' },
      colors: { 0: [0, 0, 0], 17: [220, 216, 20] },
    });
    expect(list('1 A  10  20  30\n2 B 40 50 60 255\n3 C\t70\t80\t90')).toStrictEqual({ names: { 1: 'A', 2: 'B', 3: 'C' }, colors: { 1: [10, 20, 30], 2: [40, 50, 60], 3: [70, 80, 90] } });
  });

  it('keeps numbers that are not a whole colour as part of the name', () => {
    expect(list('1 A 300 2 3')).toStrictEqual({ names: { 1: 'A 300 2 3' }, colors: {} });
    expect(list('1 A 1 2 3 4 B\n2 C 1 2 3 D')).toStrictEqual({ names: { 1: 'A 1 2 3 4 B', 2: 'C 1 2 3 D' }, colors: {} });
    expect(list('1 Area 51')).toStrictEqual({ names: { 1: 'Area 51' }, colors: {} });
  });

  it('unquotes a name given whole in double quotes, however it is spaced', () => {
    expect(list('1  "Left Hippocampus"\n2 "B" 1 2 3')).toStrictEqual({ names: { 1: 'Left Hippocampus', 2: 'B' }, colors: { 2: [1, 2, 3] } });
    expect(list('1 A "B"\n2 "C" D')?.names).toEqual({ 1: 'A "B"', 2: '"C" D' });
  });
});

describe('labelListFromText: binary text', () => {
  it('allows up to 2 % control characters; tab, CR and LF are not control characters here', () => {
    const name = (controls: string) => `1 ${'A'.repeat(98 - controls.length)}${controls}`;
    expect(list(name('\u0001\u007f'))?.names[1]).toHaveLength(98); // 2 in 100
    expect(list(name('\u0001\u0001\u0001'))).toBeNull(); // 3 in 100
    expect(list(name('\u007f\u007f\u007f'))).toBeNull();
    expect(list('1 A\r2 B\r3 C\r4 D')?.names).toEqual({ 1: 'A', 2: 'B', 3: 'C', 4: 'D' });
    expect(list('1\tA\n2\tB\n3\tC')?.names).toEqual({ 1: 'A', 2: 'B', 3: 'C' });
  });
});

describe('labelListFromText: JSON', () => {
  it('reads JSON and XML after leading white space or a byte-order mark; is null for broken JSON', () => {
    expect(list('\n  { "1": "A" }')).toStrictEqual({ names: { 1: 'A' }, colors: {} });
    expect(list('\uFEFF[{ "index": 2, "name": "B" }]')?.names).toEqual({ 2: 'B' });
    expect(list(' <Label Key="3">C</Label>')?.names).toEqual({ 3: 'C' });
    for (const text of ['{ "1": "A", }', '[{ "index": 1, "name": "A" }']) expect(list(text), text).toBeNull();
  });

  it('takes index keys of digits with optional white space, 0..65535', () => {
    expect(list('{ "0": "Unknown", " 12 ": "B", "65535": "Last" }')?.names).toEqual({ 0: 'Unknown', 12: 'B', 65535: 'Last' });
    for (const key of ['', ' ', '1e2', '+5', '1a', 'a1', '-1', '65536']) expect(list(`{ "1": "A", ${JSON.stringify(key)}: "B" }`), key).toBeNull();
  });

  it('takes an index given as a whole number, or digits, but nothing else', () => {
    expect(list('[{ "index": 1, "name": "A" }, { "index": "2", "name": "B" }, { "value": 3, "name": "C" }, { "label": 4, "name": "D" }]')?.names).toEqual({ 1: 'A', 2: 'B', 3: 'C', 4: 'D' });
    for (const index of ['true', '[3]', '2.5', '-1', 'null']) expect(list(`[{ "index": ${index}, "name": "A" }]`), index).toBeNull();
    // A string label is the name, not the index.
    expect(list('[{ "label": "5", "name": "A" }]')).toBeNull();
    expect(list('[{ "key": 6, "label": "F" }]')?.names).toEqual({ 6: 'F' });
  });

  it('needs a name that is a string with more than white space, and trims it', () => {
    expect(list('{ "1": " A ", "2": { "name": "\\tB" } }')?.names).toEqual({ 1: 'A', 2: 'B' });
    for (const text of ['{ "1": "  " }', '{ "1": { "name": 5 } }', '[{ "index": 1, "label": 5 }]', '[{ "index": 1 }]']) expect(list(text), text).toBeNull();
  });

  it('is null when any entry is malformed, not just when all are', () => {
    for (const text of ['{ "1": "A", "x": "B" }', '{ "1": "A", "2": null }', '[{ "index": 1, "name": "A" }, null]', '[null]', '[{ "index": 1, "name": "A" }, "B"]', '{ "1": "A", "2": ["B"] }']) {
      expect(list(text), text).toBeNull();
    }
  });

  it('keeps the first of a repeated index', () => {
    expect(list('[{ "index": 1, "name": "A" }, { "index": 1, "name": "B" }, { "index": 2, "name": "C" }]')?.names).toEqual({ 1: 'A', 2: 'C' });
    expect(list('{ "1": "A", "01": "B" }')?.names).toEqual({ 1: 'A' });
  });

  it('takes colours of three or four bytes (alpha dropped), and passes over others', () => {
    expect(list('[{ "index": 1, "name": "A", "color": [1, 2, 3] }, { "index": 2, "name": "B", "color": [4, 5, 6, 0] }, { "index": 3, "name": "C" }]')).toStrictEqual({
      names: { 1: 'A', 2: 'B', 3: 'C' },
      colors: { 1: [1, 2, 3], 2: [4, 5, 6] },
    });
    for (const color of ['[1, 2]', '[1, 2, 3, 4, 5]', '[1, 300, 3]', '[1, -2, 3]', '"abc"']) {
      expect(list(`{ "1": { "name": "A", "color": ${color} } }`), color).toStrictEqual({ names: { 1: 'A' }, colors: {} });
    }
  });
});

describe('labelListFromText: LabelTable XML', () => {
  it('reads Key (in any case, in any place) and 0..1 colours scaled to bytes', () => {
    expect(list('<LabelTable><Label Red="0" Key="5" Green="0.5" Blue="1" Alpha="1">E</Label><label key="6" red="1" green="0" blue="0.2">F</label></LabelTable>')).toStrictEqual({
      names: { 5: 'E', 6: 'F' },
      colors: { 5: [0, 128, 255], 6: [255, 0, 51] },
    });
  });

  it('gives no colour when a component is missing or outside 0..1', () => {
    for (const rgb of ['Red="1" Green="0"', 'Red="-0.5" Green="0" Blue="0"', 'Red="1.5" Green="0" Blue="0"', 'Red="x" Green="0" Blue="0"']) {
      expect(list(`<Label Key="1" ${rgb}>A</Label>`), rgb).toStrictEqual({ names: { 1: 'A' }, colors: {} });
    }
  });

  it('is null for an entry without a whole-number Key or a name; keeps the first of a repeated Key', () => {
    for (const text of ['<Label Key="1">A</Label><Label Key="x">B</Label>', '<Label Key="1">A</Label><Label>B</Label>', '<Label Key="1">A</Label><Label Key="2"> </Label>']) expect(list(text), text).toBeNull();
    expect(list('<Label Key="1">A</Label><Label Key="1">B</Label>')?.names).toEqual({ 1: 'A' });
  });

  it('trims names and decodes entities, numeric ones too', () => {
    expect(list('<Label Key="1">\n  A &amp; B  \n</Label>')?.names).toEqual({ 1: 'A & B' });
    expect(list('<Label Key="1">&#65;&#x42;&#X43;&#x1F600;&#128512;</Label>')?.names).toEqual({ 1: 'ABC\u{1F600}\u{1F600}' });
    // A code point past Unicode's last is clamped to it rather than throwing.
    expect(list('<Label Key="1">A&#x110000;</Label>')?.names).toEqual({ 1: 'A\u{10FFFF}' });
  });

  it('unwraps a name given whole as CDATA, with or without white space around it', () => {
    const cdata = (content: string) => list(`<Label Key="1">${content}</Label>`)?.names[1];
    expect(cdata('<![CDATA[Left Hippocampus]]>')).toBe('Left Hippocampus');
    expect(cdata('\n  <![CDATA[A\n B]]>\n')).toBe('A\n B');
    expect(cdata(' <![CDATA[B]]> ')).toBe('B');
    // Text around the CDATA section: left as written.
    expect(cdata('x<![CDATA[y]]>')).toBe('x<![CDATA[y]]>');
    expect(cdata('<![CDATA[y]]> z')).toBe('<![CDATA[y]]> z');
  });
});

describe('parseLabelNames', () => {
  it('reads arrays and XML after leading white space or a byte-order mark', () => {
    expect(ok(parseLabelNames('\uFEFF \n[{ "index": 4, "name": "D" }]', 'a.json')).names).toEqual(new Map([[4, 'D']]));
    expect(ok(parseLabelNames('<LabelTable><Label Key="3">C</Label></LabelTable>', 'a.label.gii')).names).toEqual(new Map([[3, 'C']]));
  });

  it('says what was expected when an array or XML cannot be read', () => {
    expect(error(parseLabelNames('[{ "index": -1, "name": "D" }]', 'a.json'))).toBe('a.json: expected a JSON array of { "index": 1, "name": "..." }, each with a whole-number index in 0..65535 and a name.');
    expect(error(parseLabelNames('<LabelTable><Label Key="x">C</Label></LabelTable>', 'a.xml'))).toBe('a.xml: expected <Label Key="1">name</Label> entries, each with a whole-number index in 0..65535 and a name.');
  });
});

describe('meantAsLabelList', () => {
  it('a JSON object is meant when its first key is an index, however spaced', () => {
    for (const text of ['{"1": "A"}', '{\n  "12": "A"}', '{ " 3 " : "A" }', '\uFEFF{ "4": "A" }']) expect(meantAsLabelList(text), text).toBe(true);
    for (const text of ['{"a1": 2}', '{"1a": 2}', '{"x 1": 2}', '{"a": {"1": "x"}}']) expect(meantAsLabelList(text), text).toBe(false);
  });

  it('an array always, XML only with Label entries', () => {
    expect(meantAsLabelList('[{ "name": "A" }]')).toBe(true);
    expect(meantAsLabelList('<LabelTable><label Key="1">A</label></LabelTable>')).toBe(true);
    expect(meantAsLabelList('<note>\n1 A\n</note>')).toBe(false);
  });

  it('lines: meant when some line starts with an index, a space or tab, and more', () => {
    for (const text of ['12 A', 'header\n  3\t\tB', '1  A']) expect(meantAsLabelList(text), text).toBe(true);
    for (const text of ['Version 2 of the atlas', 'v2 release', '12\nA', '12']) expect(meantAsLabelList(text), text).toBe(false);
  });
});
