// Structural NRRD mutations: the text header's fields malformed one at a time, and truncation
// inside the magic, the header, at the blank line and inside the (gzip) data.
import { CaseList, FUZZ_BUDGET_BYTES } from './caseKit';
import { nrrdField, nrrdJoin, nrrdSplit, nrrdWith } from './formats';
import type { Expect, Seed } from './types';

export function nrrdCases(seed: Seed, list: CaseList): void {
  const split = nrrdSplit(seed.content);
  if (!split) return;
  const { header, data } = split;
  const { layout, content } = seed;
  const raw = layout.encoding === 'raw';
  const sizes = (nrrdField(header, 'sizes') ?? '').split(/\s+/);
  const dim = sizes.length;
  // Uncompressed data: the file's size tells up front whether the voxels fit.
  const sizeKnown = raw && !seed.gz;

  const field = (key: string, value: string | null, expect: Expect, noAlloc: boolean, label?: string) =>
    list.add('field', label ?? (value === null ? `${key} removed` : `${key}: ${value}`), expect, noAlloc, () => nrrdJoin(nrrdWith(header, key, value), data));

  // Truncations.
  const end = layout.headerEnd;
  list.cutContent('empty', 0, 'error', true);
  list.cutContent('inside the magic', 4, 'error', true);
  list.cutContent('after the magic line', content.indexOf(0x0a) + 1, 'error', true);
  list.cutContent('inside the text header', Math.floor(end / 2), 'error', true);
  // Without its blank line the header may be a detached one that ends with its file (the data
  // then missing), so only the file's size shows the problem up front.
  list.cutContent('before the blank line', end - 1, 'error', sizeKnown);
  list.cutContent('at the blank line (header only)', end, 'error', sizeKnown);
  list.cutContent('one byte into the data', end + 1, 'error', sizeKnown);
  list.cutContent(raw ? 'half way through the data' : 'inside the gzip data', end + Math.floor((layout.voxEnd - end) / 2), 'error', sizeKnown);
  list.cutContent('one byte short of the data end', layout.voxEnd - 1, raw ? 'error' : 'either', sizeKnown);
  if (!raw) list.cutContent('without the gzip trailer', layout.voxEnd - 8, 'either', false);
  list.storedCuts();

  // sizes.
  field('sizes', null, 'error', true);
  field('sizes', sizes.map(() => 'abc').join(' '), 'error', true);
  field('sizes', ['-1', ...sizes.slice(1)].join(' '), 'error', true);
  field('sizes', ['0', ...sizes.slice(1)].join(' '), 'error', true);
  field('sizes', [...sizes, '2'].join(' '), 'error', true, 'sizes: one more than dimension');
  field('sizes', sizes.slice(1).join(' '), 'error', true, 'sizes: one fewer than dimension');
  field('sizes', ['1e300', ...sizes.slice(1)].join(' '), 'error', true);
  field('sizes', ['12.5', ...sizes.slice(1)].join(' '), 'error', true);
  field('sizes', ['18446744073709551617', ...sizes.slice(1)].join(' '), 'error', true);
  field('sizes', sizes.map(() => '100000').join(' '), 'error', true, 'sizes: 100000 each (over any budget)');
  const doubled = sizes.map((s, i) => (i === 0 ? String(Number(s) * 2) : s));
  const doubledBytes = layout.voxelBytes * 2;
  field('sizes', doubled.join(' '), 'error', sizeKnown || doubledBytes > FUZZ_BUDGET_BYTES, 'sizes: first doubled (more voxels than stored)');
  field('dimension', '0', 'error', true);
  field('dimension', '17', 'error', true);
  field('dimension', String(dim + 1), 'error', true, 'dimension: one more than sizes');
  field('dimension', null, 'error', true);

  // space directions and origin.
  const dirs = nrrdField(header, 'space directions');
  if (dirs) {
    const vectors = dirs.match(/\([^)]*\)|none/g) ?? [];
    field('space directions', vectors.slice(1).join(' '), 'error', true, 'space directions: one vector missing');
    field('space directions', [...vectors, vectors[0] ?? '(1,0,0)'].join(' '), 'error', true, 'space directions: one vector too many');
    field('space directions', ['(nan,0,0)', ...vectors.slice(1)].join(' '), 'error', true);
    field('space directions', ['(inf,0,0)', ...vectors.slice(1)].join(' '), 'error', true);
    field('space directions', dirs.replace('(', ''), 'error', true, 'space directions: opening parenthesis missing');
    field('space directions', dirs.replace(/\)\s*$/, ''), 'error', true, 'space directions: last closing parenthesis missing');
    field('space directions', ['(1,0)', ...vectors.slice(1)].join(' '), 'error', true, 'space directions: a vector of two components');
    field('space directions', ['(0,0,0)', ...vectors.slice(1)].join(' '), 'either', false, 'space directions: a zero vector');
    field('space directions', ['(a,b,c)', ...vectors.slice(1)].join(' '), 'error', true);
  }
  field('space origin', '(nan,0,0)', 'either', false);
  field('space origin', '(1,2)', 'either', false);
  field('spacings', sizes.map(() => 'nan').join(' '), 'either', false);

  // type, encoding, endian.
  field('type', 'quaternion', 'error', true);
  field('type', 'block', 'error', true);
  field('type', '', 'error', true, 'type: empty');
  field('type', null, 'error', true);
  field('type', 'double', 'error', sizeKnown || (layout.voxelBytes / layout.bytesPerVoxel) * 8 > FUZZ_BUDGET_BYTES, 'type: double (more bytes than stored)');
  field('encoding', 'bzip2', 'error', true);
  field('encoding', 'lzma', 'error', true);
  field('encoding', null, 'error', true);
  // Read raw, gzip data is too short for the voxels unless it did not compress.
  const shortRaw = data.length < layout.voxelBytes;
  if (!raw) field('encoding', 'raw', shortRaw ? 'error' : 'either', shortRaw && !seed.gz, 'encoding: raw (the data is gzip)');
  else field('encoding', 'gzip', 'error', false, 'encoding: gzip (the data is raw)');
  field('encoding', 'ascii', 'either', false, 'encoding: ascii (the data is binary)');
  field('endian', 'middle', layout.bytesPerVoxel > 1 ? 'error' : 'either', layout.bytesPerVoxel > 1);
  if (layout.bytesPerVoxel > 1 && raw) field('endian', null, 'either', false);

  // Skips and data files.
  field('byte skip', '1000000000', 'error', sizeKnown, 'byte skip: 1e9 (beyond the end)');
  field('byte skip', String(content.length), 'error', sizeKnown, 'byte skip: the file size (beyond the end)');
  field('byte skip', '-5', 'error', true);
  field('byte skip', '-1', 'either', false);
  field('line skip', '1000000000', 'error', false, 'line skip: 1e9 (beyond the end)');
  field('line skip', '-1', 'error', true);
  field('data file', 'missing.raw', 'error', true, 'data file: missing.raw (no companion given)');
  field('data file', 'LIST', 'error', true, 'data file: LIST with no names');
  field('data file', 'part%03d.raw 1 3 1', 'error', true, 'data file: a pattern, no companions given');
  field('datafile', '../../etc/passwd', 'error', true, 'datafile: a path outside (no companion given)');

  // Header text itself.
  list.add('field', 'magic NRRD0009 (unknown version)', 'either', false, () => nrrdJoin({ ...header, magic: 'NRRD0009' }, data));
  list.add('field', 'magic NRRDxxxx', 'either', false, () => nrrdJoin({ ...header, magic: 'NRRDxxxx' }, data));
  list.add('field', 'a line without a colon', 'either', false, () => nrrdJoin({ ...header, lines: [...header.lines, 'no colon here'] }, data));
  list.add('field', 'a NUL byte inside the header', 'either', false, () => nrrdJoin({ ...header, lines: [...header.lines, 'content: a\u0000b'] }, data));
  list.add('field', 'sizes given twice', 'either', false, () => nrrdJoin({ ...header, lines: [...header.lines, `sizes: ${sizes.map(() => '1').join(' ')}`] }, data));
  list.add('field', 'CRLF line endings', 'either', false, () => {
    const text = new TextEncoder().encode(`${header.magic}\r\n${header.lines.map((l) => `${l}\r\n`).join('')}\r\n`);
    const out = new Uint8Array(text.length + data.length);
    out.set(text);
    out.set(data, text.length);
    return out;
  });
  list.add('field', '10000 key:=value lines', 'either', false, () => nrrdJoin({ ...header, lines: [...header.lines, ...Array.from({ length: 10000 }, (_, i) => `key${i}:=${'v'.repeat(40)}`)] }, data));
}
