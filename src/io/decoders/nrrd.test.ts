import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { voxelView } from '../../volume/dataTypes';
import { voxelCount } from '../../volume/header';
import { hasSharedData, loadManifest, SHARED_DATA_DIR } from '../../testing/sharedData';
import { decodeVolume, type DecodeIO, type Decoded } from '../decodeStream';
import type { LoadErrorCode, Result } from '../errors';
import { specSource } from '../sources';
import { nrrdDataFiles, nrrdDecoder, NRRD_MAX_HEADER_BYTES } from './nrrd';
import { encodeNrrd, type NrrdDataFileSpec, type NrrdWriteOptions } from './nrrdWrite';
import type { ParsedVolume } from './types';

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const u8 = (n: number) => new Uint8Array(n);
/** A 4×3×2 volume of `type`; override any option. */
const opts = (o: Partial<NrrdWriteOptions> = {}): NrrdWriteOptions => ({ type: 'uchar', sizes: [4, 3, 2], data: u8(24), ...o });
const nrrd = (o: Partial<NrrdWriteOptions> = {}) => encodeNrrd({ ...opts(o), dataFile: undefined });
const nhdr = (o: Partial<NrrdWriteOptions> & { dataFile: NrrdDataFileSpec }) => encodeNrrd({ ...opts(o), dataFile: o.dataFile });

function parsed(bytes: Uint8Array, fileBytes?: number): ParsedVolume {
  const r = nrrdDecoder.parseHeader(bytes, { name: 't.nrrd', fileBytes });
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

function refused(bytes: Uint8Array, code: LoadErrorCode, mentions?: RegExp): string {
  const r = nrrdDecoder.parseHeader(bytes, { name: 't.nrrd', fileBytes: bytes.length });
  if (r.kind === 'ok') throw new Error('expected an error');
  expect(r.code, r.message).toBe(code);
  expect(r.message.length).toBeGreaterThanOrEqual(20);
  if (mentions) expect(r.message).toMatch(mentions);
  return r.message;
}

const affineOf = (o: Partial<NrrdWriteOptions>) => parsed(nrrd(o)).header.affine;
const expectAffine = (got: number[], want: number[]) => want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 9));

describe('NRRD header length', () => {
  const { headerLength } = nrrdDecoder;
  it('ends at the first blank line, LF or CRLF, and includes it', () => {
    expect(headerLength(text('NRRD0004\ntype: uchar\n\n\u00ff\u00fe'), false)).toEqual({ kind: 'ok', value: 22 });
    expect(headerLength(text('NRRD0004\r\ntype: uchar\r\n\r\nxx'), false)).toEqual({ kind: 'ok', value: 25 });
  });
  it('asks for more until the blank line; at the end of the file the whole file is the header', () => {
    expect(headerLength(text('NRRD0004\ntype: uchar\n'), false)).toEqual({ kind: 'ok', value: 'more' });
    expect(headerLength(text('NRRD0004\ntype: uchar\n'), true)).toEqual({ kind: 'ok', value: 21 });
  });
  it('refuses NUL bytes and headers over 1 MiB', () => {
    const nul = headerLength(text('NRRD0004\ntype\0 uchar\n'), false);
    expect(nul.kind === 'error' && nul.code).toBe('bad-header');
    const long = new Uint8Array(NRRD_MAX_HEADER_BYTES + 10).fill(0x41);
    const r = headerLength(long, false);
    expect(r.kind === 'error' && r.code).toBe('bad-header');
  });
  it('sniffs the magic', () => {
    expect(nrrdDecoder.sniff(text('NRRD0005'), 'x')).toBe(true);
    expect(nrrdDecoder.sniff(text('\x5c\x01\x00\x00'), 'x')).toBe(false);
  });
});

describe('NRRD types and byte order', () => {
  const spellings: [string, string, number][] = [
    ['signed char', 'int8', 1], ['int8_t', 'int8', 1], ['uchar', 'uint8', 1], ['unsigned char', 'uint8', 1],
    ['short', 'int16', 2], ['signed short int', 'int16', 2], ['ushort', 'uint16', 2], ['uint16_t', 'uint16', 2],
    ['int', 'int32', 4], ['signed int', 'int32', 4], ['uint', 'uint32', 4], ['unsigned int', 'uint32', 4],
    ['longlong', 'int64', 8], ['long long int', 'int64', 8], ['ulonglong', 'uint64', 8], ['unsigned long long', 'uint64', 8],
    ['float', 'float32', 4], ['double', 'float64', 8],
  ];
  for (const [name, datatype, bytes] of spellings) {
    it(`"${name}" is ${datatype}`, () => {
      const endian = bytes > 1 ? 'big' : undefined;
      const { header, segments } = parsed(nrrd({ type: name, data: u8(24 * bytes), endian }));
      expect(header.datatype).toBe(datatype);
      expect(header.littleEndian).toBe(bytes === 1);
      expect(segments[0].bytes).toBe(24 * bytes);
    });
  }
  it('little endian; endian is required for multi-byte types only', () => {
    expect(parsed(nrrd({ type: 'short', data: u8(48), endian: 'little' })).header.littleEndian).toBe(true);
    refused(nrrd({ type: 'short', data: u8(48) }), 'bad-header', /endian/);
    refused(nrrd({ type: 'short', data: u8(48), extraLines: ['endian: middle'] }), 'bad-header', /middle/);
  });
});

describe('NRRD geometry', () => {
  const diag = [[2, 0, 0], [0, 3, 0], [0, 0, 4]];
  it('LPS: x and y negated, origin (1,2,3) → RAS (-1,-2,3)', () => {
    for (const space of ['left-posterior-superior', 'LPS', 'scanner-xyz']) {
      const { header } = parsed(nrrd({ space, directions: diag, origin: [1, 2, 3] }));
      expectAffine(header.affine, [-2, 0, 0, -1, 0, -3, 0, -2, 0, 0, 4, 3, 0, 0, 0, 1]);
      expect(header.affineSource).toBe('space directions');
      expect(header.axcodes).toBe('LPS');
      expect(header.notices).toBeUndefined();
    }
  });
  it('RAS as is, LAS with x negated', () => {
    expectAffine(affineOf({ space: 'right-anterior-superior', directions: diag, origin: [1, 2, 3] }), [2, 0, 0, 1, 0, 3, 0, 2, 0, 0, 4, 3]);
    expectAffine(affineOf({ space: 'left-anterior-superior', directions: diag, origin: [1, 2, 3] }), [-2, 0, 0, -1, 0, 3, 0, 2, 0, 0, 4, 3]);
  });
  it('oblique directions become the affine columns', () => {
    const dirs = [[0, 1, 0], [-2, 0, 0], [0, 0, 1.5]];
    const { header } = parsed(nrrd({ space: 'RAS', directions: dirs, origin: [0, 0, 0] }));
    expectAffine(header.affine, [0, -2, 0, 0, 1, 0, 0, 0, 0, 0, 1.5, 0]);
    expect(header.axcodes).toBe('ALS');
  });
  it('3D-right-handed and an unnamed 3D space are shown as RAS, with a notice', () => {
    for (const o of [{ space: '3D-right-handed' }, { spaceDimension: 3 }]) {
      const { header } = parsed(nrrd({ ...o, directions: diag, origin: [1, 2, 3] }));
      expectAffine(header.affine, [2, 0, 0, 1, 0, 3, 0, 2, 0, 0, 4, 3]);
      expect(header.notices?.[0]).toMatch(/no anatomical/);
    }
  });
  it('a *-time space: the time axis (direction only in time) is frames, the origin its spatial part', () => {
    const { header } = parsed(
      nrrd({ sizes: [4, 3, 2, 5], data: u8(120), space: 'left-posterior-superior-time', directions: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 2]], origin: [1, 2, 3, 0], extraLines: ['space units: "mm" "mm" "mm" "s"'] }),
    );
    expect(header.dims).toEqual([4, 3, 2, 5]);
    expectAffine(header.affine, [-1, 0, 0, -1, 0, -1, 0, -2, 0, 0, 1, 3]);
    expect(header).toMatchObject({ spaceUnit: 'mm', timeUnit: 's' });
  });
  it('spacings without directions (NaN → 1), with axis mins as the origin; neither gives the identity', () => {
    const { header } = parsed(nrrd({ spacings: [0.5, NaN, 2], axisMins: [10, 20, 30] }));
    expect(header.affineSource).toBe('spacings');
    expectAffine(header.affine, [0.5, 0, 0, 10, 0, 1, 0, 20, 0, 0, 2, 30]);
    expectAffine(affineOf({}), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  });
  it('a 2D image gets a unit normal as its third column', () => {
    const { header } = parsed(nrrd({ sizes: [4, 6], space: 'RAS', directions: [[0, 2, 0], [3, 0, 0]] }));
    expect(header.dims).toEqual([4, 6, 1]);
    expectAffine(header.affine, [0, 3, 0, 0, 2, 0, 0, 0, 0, 0, -1, 0]);
  });
  it('space units name the spatial unit when they agree; content is the description', () => {
    const { header } = parsed(nrrd({ space: 'RAS', directions: diag, content: 'a phantom', extraLines: ['space units: "microns" "microns" "microns"'] }));
    expect(header).toMatchObject({ spaceUnit: 'µm', description: 'a phantom', format: 'nrrd', datatypeCode: 0, slope: 1, inter: 0, intentCode: 0 });
  });
  it('refuses NaN or infinity in directions or origin, a degenerate matrix, directions without a space', () => {
    refused(nrrd({ space: 'RAS', directions: [[1, 0, 0], [0, NaN, 0], [0, 0, 1]] }), 'bad-header', /space directions/);
    refused(nrrd({ space: 'RAS', directions: diag, extraLines: ['space origin: (0,inf,0)'] }), 'bad-header', /space origin/);
    refused(nrrd({ space: 'RAS', directions: [[1, 0, 0], [2, 0, 0], [0, 0, 1]] }), 'bad-header', /degenerate/);
    refused(nrrd({ space: 'RAS', directions: [[1, 0, 0], [0, 0, 0], [0, 0, 1]] }), 'bad-header', /zero vector/);
    refused(nrrd({ directions: diag }), 'bad-header', /without a space/);
    refused(nrrd({ space: 'RAS', directions: [[1, 0], [0, 1], [0, 0]] }), 'bad-header', /3 numbers/);
    refused(nrrd({ space: 'posterior-left' }), 'bad-header', /posterior-left/);
    refused(nrrd({ space: 'RAS', spaceDimension: 2 }), 'bad-header', /space dimension/);
  });
});

describe('NRRD axes: colour, components, frames', () => {
  const dirs = (first: 'none' | null, n = 3) => [...(first ? ['none' as const] : []), ...[[1, 0, 0], [0, 1, 0], [0, 0, 1]].slice(0, n)];
  it('RGB-color and RGBA-color first axes of uint8 are rgb24 and rgba32', () => {
    const rgb = parsed(nrrd({ sizes: [3, 4, 3, 2], data: u8(72), kinds: ['RGB-color', 'domain', 'domain', 'domain'], space: 'RAS', directions: dirs('none') }));
    expect(rgb.header).toMatchObject({ datatype: 'rgb24', dims: [4, 3, 2] });
    expect(rgb.interleaved).toBeUndefined();
    const rgba = parsed(nrrd({ sizes: [4, 4, 3, 2], data: u8(96), kinds: ['4-color', 'space', 'space', 'space'] }));
    expect(rgba.header).toMatchObject({ datatype: 'rgba32', dims: [4, 3, 2] });
  });
  it('any other first non-spatial axis is interleaved into frames, with a notice', () => {
    const v = parsed(nrrd({ type: 'float', endian: 'little', sizes: [3, 4, 3, 2], data: u8(288), kinds: ['vector', 'domain', 'domain', 'domain'], space: 'LPS', directions: dirs('none') }));
    expect(v.header).toMatchObject({ datatype: 'float32', dims: [4, 3, 2, 3] });
    expect(v.interleaved).toBe(3);
    expect(v.header.notices).toEqual(['3 components per voxel (kind vector) are shown as 3 frames.']);
    // Slicer's .seq.nrrd: the sequence index first, as a list.
    const seq = parsed(nrrd({ sizes: [5, 4, 3, 2], data: u8(120), kinds: ['list', 'domain', 'domain', 'domain'], space: 'LPS', directions: dirs('none') }));
    expect(seq.interleaved).toBe(5);
  });
  it('a last non-spatial axis is frames, without a notice; axes of size 1 are dropped', () => {
    const t = parsed(nrrd({ sizes: [4, 3, 2, 6], data: u8(144), kinds: ['domain', 'domain', 'domain', 'list'], extraLines: ['units: "" "" "" "ms"'] }));
    expect(t.header).toMatchObject({ dims: [4, 3, 2, 6], timeUnit: 'ms' });
    expect(t.interleaved).toBeUndefined();
    expect(t.header.notices).toBeUndefined();
    const one = parsed(nrrd({ sizes: [1, 4, 3, 2], data: u8(24), kinds: ['vector', 'domain', 'domain', 'domain'] }));
    expect(one.header.dims).toEqual([4, 3, 2]);
  });
  it('refuses a non-spatial axis between spatial ones, two of them, and four spatial axes', () => {
    refused(nrrd({ sizes: [4, 3, 3, 2], data: u8(72), kinds: ['domain', 'vector', 'domain', 'domain'] }), 'unsupported-format', /axis 1/);
    refused(nrrd({ sizes: [3, 4, 3, 2, 2], data: u8(144), kinds: ['vector', 'domain', 'domain', 'domain', 'list'] }), 'unsupported-format', /axis 0.*axis 4/);
    const four = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]];
    refused(nrrd({ sizes: [4, 3, 2, 2], data: u8(48), space: 'RAS', directions: four }), 'unsupported-format', /at most 3/);
    refused(nrrd({ sizes: [4], data: u8(4), kinds: ['list'] }), 'unsupported-format', /spatial/);
  });
});

describe('NRRD segments and data files', () => {
  it('attached: one segment after the header, with skips; gzip named', () => {
    const bytes = nrrd({ lineSkip: 2, byteSkip: 5 });
    const { header, segments } = parsed(bytes, bytes.length);
    const end = bytes.length - 24 - 5 - 'skip\n'.length * 2;
    expect(segments).toEqual([{ file: 'self', start: end, encoding: 'raw', lineSkip: 2, byteSkip: 5, bytes: 24 }]);
    expect(header.voxOffset).toBe(end);
    expect(parsed(nrrd({ encoding: 'gz' })).segments[0].encoding).toBe('gzip');
    expect(parsed(nrrd({ byteSkip: -1 })).segments[0].byteSkip).toBe(-1);
    refused(nrrd({ encoding: 'gzip', byteSkip: -1 }), 'bad-header', /raw/);
    refused(nrrd({ extraLines: ['line skip: -2'] }), 'bad-header', /line skip/);
  });
  it('accepts old field spellings, comments, key:=value pairs and CRLF', () => {
    const { segments } = parsed(nrrd({ eol: '\r\n', extraLines: ['# a comment', 'DWMRI_b-value:=1000', 'lineskip: 1', 'byteskip: 3'] }));
    expect(segments[0]).toMatchObject({ lineSkip: 1, byteSkip: 3 });
    refused(nrrd({ extraLines: ['byteskip: 1', 'byte skip: 2'] }), 'bad-header', /twice/);
  });
  it('refuses an attached raw file too short for its voxels', () => {
    const bytes = nrrd({ sizes: [4, 3, 3] });
    refused(bytes, 'truncated', /4 × 3 × 3/);
  });
  it('detached: one segment per data file, each its share of the voxels', () => {
    const one = parsed(nhdr({ type: 'short', endian: 'little', data: u8(48), dataFile: 'vol.raw' }).header);
    expect(one.segments).toEqual([{ file: ['vol.raw'], start: 0, encoding: 'raw', lineSkip: 0, byteSkip: 0, bytes: 48 }]);
    expect(one.header.voxOffset).toBe(0);
    const list = parsed(nhdr({ encoding: 'gzip', dataFile: ['a.raw.gz', 'b.raw.gz'] }).header);
    expect(list.segments.map((s) => [s.file, s.bytes, s.encoding])).toEqual([[['a.raw.gz'], 12, 'gzip'], [['b.raw.gz'], 12, 'gzip']]);
    const pattern = nhdr({ dataFile: { pattern: 'slice%03d.raw', min: 1, max: 2, step: 1 } });
    expect(Object.keys(pattern.dataFiles)).toEqual(['slice001.raw', 'slice002.raw']);
    expect(parsed(pattern.header).segments.map((s) => s.file)).toEqual([['slice001.raw'], ['slice002.raw']]);
    // A detached header may end with its file, without the blank line.
    const bare = text('NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 3 2\nencoding: raw\ndata file: v.raw');
    expect(parsed(bare).segments[0].file).toEqual(['v.raw']);
  });
  it('refuses data files that do not split the voxels evenly, a zero step and too many files', () => {
    refused(nhdr({ dataFile: ['a', 'b', 'c', 'd', 'e'] }).header, 'bad-header', /5 data files/);
    refused(nhdr({ dataFile: { pattern: 's%d', min: 1, max: 2, step: 0 } }).header, 'bad-header', /step 0/);
    refused(nhdr({ sizes: [1, 1, 70000], data: u8(70000), dataFile: { pattern: 's%d', min: 1, max: 70000, step: 1 } }).header, 'bad-header', /70000 files/);
    refused(nhdr({ dataFile: { pattern: 's%d%d', min: 1, max: 2, step: 1 } }).header, 'bad-header', /one integer/);
  });
  it('nrrdDataFiles expands every form', () => {
    const h = (line: string) => `NRRD0004\ntype: uchar\n${line}\n\n`;
    expect(nrrdDataFiles(h('data file: ./brain.raw.gz'))).toEqual(['./brain.raw.gz']);
    expect(nrrdDataFiles(h('datafile: one.raw'))).toEqual(['one.raw']);
    expect(nrrdDataFiles(h('data file: LIST\na.raw\nb.raw'))).toEqual(['a.raw', 'b.raw']);
    expect(nrrdDataFiles(h('data file: LIST 2\na.raw'))).toEqual(['a.raw']);
    expect(nrrdDataFiles(h('data file: img%03d.raw 1 3 1'))).toEqual(['img001.raw', 'img002.raw', 'img003.raw']);
    expect(nrrdDataFiles(h('data file: t%d.raw 6 0 -3 2'))).toEqual(['t6.raw', 't3.raw', 't0.raw']);
    expect(nrrdDataFiles(h('data file: p%%%02d 9 10 1'))).toEqual(['p%09', 'p%10']);
    expect(nrrdDataFiles(h('content: attached'))).toBeNull();
    expect(nrrdDataFiles('not a header')).toBeNull();
  });
});

describe('NRRD refusals', () => {
  it('compressed and text encodings other than gzip, by name', () => {
    for (const encoding of ['bzip2', 'bz2']) {
      expect(refused(nrrd({ encoding }), 'unsupported-format')).toBe('bzip2-encoded NRRD is not supported; re-save with gzip or raw encoding.');
    }
    for (const encoding of ['ascii', 'text', 'txt']) refused(nrrd({ encoding }), 'unsupported-format', /ascii/);
    refused(nrrd({ encoding: 'hex' }), 'unsupported-format', /hex/);
    refused(nrrd({ encoding: 'zstd' }), 'bad-header', /zstd/);
  });
  it('block and unknown types', () => {
    refused(nrrd({ type: 'block', extraLines: ['block size: 8'] }), 'unsupported-dtype', /block/);
    refused(nrrd({ type: 'complex' }), 'unsupported-dtype', /complex/);
  });
  it('malformed sizes and dimension', () => {
    for (const sizes of ['4 3', '4 3 2 1', 'abc 3 2', '0 3 2', '-4 3 2', '4.5 3 2', '1e3 3 2', '18446744073709551617 3 2']) {
      refused(nrrd({ omit: ['sizes'], extraLines: [`sizes: ${sizes}`] }), 'bad-dims', /sizes/);
    }
    refused(nrrd({ omit: ['dimension'], extraLines: ['dimension: 17'] }), 'bad-dims', /dimension/);
    refused(nrrd({ type: 'double', endian: 'little', omit: ['sizes'], extraLines: ['sizes: 4294967296 4294967296 4294967296'] }), 'bad-dims', /overflow/);
  });
  it('each missing required field, by name; a wrong magic', () => {
    for (const field of ['type', 'dimension', 'sizes', 'encoding'] as const) refused(nrrd({ omit: [field] }), 'bad-header', new RegExp(`"${field}"`));
    refused(text('NRRD0004x\ntype: uchar\n\n'), 'bad-magic', /NRRD0004x/);
    refused(nrrd({ extraLines: ['this line has no colon'] }), 'bad-header', /no colon/);
  });
});

describe.skipIf(!hasSharedData)('FLAIR.nrrd from ../shared/data', () => {
  it('header: dims, datatype, axis codes and affine match the manifest', () => {
    const entry = loadManifest().find((e) => e.file === 'FLAIR.nrrd');
    if (!entry) throw new Error('FLAIR.nrrd missing from the manifest');
    const bytes = readFileSync(join(SHARED_DATA_DIR, entry.file));
    const length = nrrdDecoder.headerLength(bytes.subarray(0, 4096), false);
    expect(length.kind).toBe('ok');
    const { header, segments } = parsed(new Uint8Array(bytes), bytes.length);
    expect(header.dims).toEqual(entry.dims);
    expect(header.datatype).toBe('uint8');
    expect(header.axcodes).toBe(entry.axcodes);
    entry.affine.flat().forEach((v, i) => expect(Math.abs(header.affine[i] - v)).toBeLessThan(1e-4));
    expect(segments).toEqual([{ file: 'self', start: length.kind === 'ok' ? length.value : -1, encoding: 'gzip', lineSkip: 0, byteSkip: 0, bytes: 124 * 160 * 140 }]);
  });
});

// Through the engine (decodeVolume): the segments these headers name are read as they say.
const io: DecodeIO = { acquire: async (_h, bytes) => ({ kind: 'ok', value: new Uint8Array(new SharedArrayBuffer(bytes)) }) };
const blob = (b: Uint8Array) => new Blob([b as Uint8Array<ArrayBuffer>]);
async function decode(name: string, main: Uint8Array | Blob, companions: Record<string, Uint8Array> = {}): Promise<Decoded> {
  const given = Object.entries(companions).map(([n, b]) => ({ kind: 'blob' as const, blob: blob(b), name: n }));
  const r: Result<Decoded> = await decodeVolume(specSource({ kind: 'blob', blob: main instanceof Blob ? main : blob(main), name, companions: given }), io);
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}
const values = (d: Decoded) => Array.from(voxelView(d.header.datatype, d.voxels.buffer, voxelCount(d.header.dims), d.voxels.byteOffset), Number);

describe('NRRD round trips through the engine', () => {
  const floats = Float32Array.from({ length: 24 }, (_, v) => v * 1.5 - 7);
  const data = new Uint8Array(floats.buffer);
  const base = { type: 'float', data, space: 'LPS', directions: [[1, 0, 0], [0, 1, 0], [0, 0, 2]], origin: [1, 2, 3] };
  it('attached gzip, big-endian, with a byte skip inside the gzip stream; attached raw with line and byte skips', async () => {
    const d = await decode('v.nrrd', nrrd({ ...base, endian: 'big', encoding: 'gzip', byteSkip: 7 }));
    expect(values(d)).toEqual(Array.from(floats));
    expect(d.header.affine.slice(0, 4)).toEqual([-1, 0, 0, -1]);
    expect(values(await decode('r.nrrd', nrrd({ ...base, endian: 'little', lineSkip: 2, byteSkip: 3 })))).toEqual(Array.from(floats));
  });
  // Teem skips lines in the stored file, then inflates (nrrdLineSkip before the encoding's read),
  // but the engine looks for the gzip magic before skipping the lines. Switch to `it` once fixed.
  it('gzip after skipped lines: the lines are skipped in the stored bytes, then the rest inflates', async () => {
    const d = await decode('v.nrrd', nrrd({ ...base, endian: 'little', encoding: 'gzip', lineSkip: 1 }));
    expect(values(d)).toEqual(Array.from(floats));
  });
  it('detached: a single gzip file, a LIST and a %d pattern, each from the files given with the header', async () => {
    for (const dataFile of ['v.raw.gz', ['a.raw.gz', 'b.raw.gz'], { pattern: 'z%02d.raw.gz', min: 0, max: 1, step: 1 }]) {
      const { header, dataFiles } = nhdr({ ...base, endian: 'little', encoding: 'gzip', dataFile });
      expect(values(await decode('v.nhdr', header, dataFiles))).toEqual(Array.from(floats));
    }
  });
  it('RGB colour and vector components', async () => {
    const rgb = Uint8Array.from({ length: 72 }, (_, i) => i);
    const c = await decode('c.nrrd', nrrd({ sizes: [3, 4, 3, 2], data: rgb, kinds: ['RGB-color', 'domain', 'domain', 'domain'] }));
    expect(c.header.datatype).toBe('rgb24');
    expect(Array.from(c.voxels.subarray(0, 72))).toEqual(Array.from(rgb));
    const v = await decode('v.nrrd', nrrd({ sizes: [2, 4, 3, 2], data: u8(48).map((_, i) => i), kinds: ['covariant-vector', 'domain', 'domain', 'domain'] }));
    // Component c of voxel n is frame c: the even bytes, then the odd ones.
    expect(values(v)).toEqual([...Array.from({ length: 24 }, (_, n) => 2 * n), ...Array.from({ length: 24 }, (_, n) => 2 * n + 1)]);
  });
});


describe('NRRD edges with exact messages (issue 27)', () => {
  const err = (code: string, message: string) => ({ kind: 'error', code, message });
  const parse = (bytes: Uint8Array) => nrrdDecoder.parseHeader(bytes, { name: 't.nrrd', fileBytes: bytes.length });
  const h = (line: string) => `NRRD0004\ntype: uchar\n${line}\n\n`;

  it('data file patterns: printf padding, signs, %i and %u, and the bad forms', () => {
    expect(nrrdDataFiles(h('data file: t%03d.raw -2 0 1'))).toEqual(['t-02.raw', 't-01.raw', 't000.raw']);
    expect(nrrdDataFiles(h('data file: t%3i.raw 8 10 2'))).toEqual(['t  8.raw', 't 10.raw']);
    expect(nrrdDataFiles(h('data file: u%u 1 1 1'))).toEqual(['u1']);
    expect(nrrdDataFiles(h('data file: LIST 0\na.raw'))).toBeNull();
    expect(nrrdDataFiles(h('data file: s%d 3 1 1'))).toBeNull();
    expect(nrrdDataFiles(h('data file: s%d 1 2 1 x'))).toBeNull();
    // Six words: not a pattern, one (odd) file name.
    expect(nrrdDataFiles(h('data file: s%d 1 2 1 3 4'))).toEqual(['s%d 1 2 1 3 4']);
    // Three words: not a pattern either.
    expect(nrrdDataFiles(h('data file: s%d 1 2'))).toEqual(['s%d 1 2']);
    const detached = (line: string) => text(`NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 3 2\nencoding: raw\n${line}\n\n`);
    expect(parse(detached('data file: s%d 3 1 1'))).toEqual(err('bad-header', 'data file: from 3 to 1 in steps of 1 names no file.'));
    expect(parse(detached('data file: LIST'))).toEqual(err('bad-header', 'data file: LIST is not followed by any file names (one per line, to the end of the header).'));
    expect(parse(detached('data file: LIST x\na.raw'))).toEqual(err('bad-header', 'data file: the slab dimension "x" is not a positive whole number.'));
    expect(parse(detached('data file: s%d 1 2 1 0'))).toEqual(err('bad-header', 'data file: the slab dimension "0" is not a positive whole number.'));
    expect(parse(detached('data file: '))).toEqual(err('bad-header', 'data file: the field is empty; it should name the file that holds the voxels.'));
    expect(parse(detached('data file: s%x 1 2 1'))).toEqual(err('bad-header', 'data file: the pattern "s%x" must hold exactly one integer conversion such as %d or %03d.'));
  });

  it('slab dimensions: files of whole slabs read, others refused', () => {
    const detached = (line: string) => text(`NRRD0004\ntype: uchar\ndimension: 3\nsizes: 4 3 2\nencoding: raw\n${line}\n\n`);
    // Two files of 2-D slabs (4 × 3 each).
    const two = parse(detached('data file: z%d.raw 0 1 1 2'));
    expect(two.kind === 'ok' && two.value.segments.map((s) => s.bytes)).toEqual([12, 12]);
    expect(parse(detached('data file: LIST 3\nall.raw')).kind).toBe('ok');
    // 5 files do not split 24 bytes; 3 files of 8 bytes are no whole 12-byte slabs; 4-D slabs exceed the 3 axes.
    expect(parse(detached('data file: LIST 2\na\nb\nc\nd\ne'))).toEqual(err('bad-header', '24 bytes of voxels cannot be split evenly over the 5 data files the header names.'));
    expect(parse(detached('data file: LIST 2\na\nb\nc'))).toEqual(err('bad-header', 'data file: 3 files of 2-dimensional slabs do not fit sizes [4 × 3 × 2].'));
    expect(parse(detached('data file: LIST 2\na\nb\nc\nd'))).toEqual(err('bad-header', 'data file: 4 files of 2-dimensional slabs do not fit sizes [4 × 3 × 2].'));
    expect(parse(detached('data file: LIST 4\nall.raw'))).toEqual(err('bad-header', 'data file: 1 files of 4-dimensional slabs do not fit sizes [4 × 3 × 2].'));
  });

  it('skips, endian and encoding messages', () => {
    expect(parse(nrrd({ extraLines: ['line skip: 1.5'] }))).toEqual(err('bad-header', 'line skip is "1.5"; it must be a whole number of at least 0.'));
    expect(parse(nrrd({ extraLines: ['byte skip: -2'] }))).toEqual(err('bad-header', 'byte skip is "-2"; it must be a whole number of at least -1.'));
    expect(parse(nrrd({ encoding: 'gzip', byteSkip: -1 }))).toEqual(
      err('bad-header', 'byte skip -1 (voxels at the end of the file) works only with raw encoding, not gzip: a compressed stream\'s end is unknown until it is read.'),
    );
    expect(parse(nrrd({ type: 'short', data: u8(48) }))).toEqual(err('bad-header', 'The NRRD header has no "endian" field, which type short (2 bytes) needs.'));
    expect(parse(nrrd({ type: 'short', data: u8(48), extraLines: ['endian: Middle'] }))).toEqual(err('bad-header', 'endian is "middle"; it must be little or big.'));
    expect(parse(nrrd({ type: 'short', data: u8(48), extraLines: ['endian: BIG'] })).kind).toBe('ok');
    expect(parse(nrrd({ encoding: 'zstd' }))).toEqual(err('bad-header', 'encoding "zstd" is not a NRRD encoding (raw, gzip, bzip2, ascii, hex).'));
    expect(parse(nrrd({ encoding: 'GZIP' })).kind).toBe('ok');
    expect(parse(nrrd({ extraLines: ['Type: short'], omit: ['type'] }))).toEqual(err('bad-header', 'The NRRD header has no "endian" field, which type short (2 bytes) needs.'));
  });

  it('fields: duplicates named with both values, lines without a colon, the magic versions, long values clipped', () => {
    expect(parse(nrrd({ extraLines: ['content: a', 'content: b'] }))).toEqual(err('bad-header', 'The field "content" appears twice in the NRRD header, with "a" and "b".'));
    expect(parse(nrrd({ extraLines: ['just words'] }))).toEqual(err('bad-header', 'Line 7 of the NRRD header, "just words", is not "field: value", "key:=value" or a # comment.'));
    for (const v of ['NRRD0001', 'NRRD0009']) {
      const bytes = nrrd();
      bytes.set(text(v), 0);
      expect(parse(bytes).kind).toBe('ok');
    }
    const long = 'x'.repeat(70);
    expect(parse(nrrd({ type: long }))).toEqual(err('unsupported-dtype', `NRRD type "${'x'.repeat(57)}…" is not one Voxlens reads (signed/unsigned 8 to 64-bit integers, float, double).`));
    expect(parse(nrrd({ type: 'x'.repeat(60) }))).toEqual(err('unsupported-dtype', `NRRD type "${'x'.repeat(60)}" is not one Voxlens reads (signed/unsigned 8 to 64-bit integers, float, double).`));
  });
});

describe('NRRD space and axes with exact messages (issue 27)', () => {
  const err = (code: string, message: string) => ({ kind: 'error', code, message });
  const parse = (bytes: Uint8Array) => nrrdDecoder.parseHeader(bytes, { name: 't.nrrd', fileBytes: bytes.length });
  const header = (bytes: Uint8Array) => parsed(bytes, bytes.length).header;
  const diag = [[2, 0, 0], [0, 3, 0], [0, 0, 4]];

  it('per-axis fields of the wrong length, space dimension against the space, an unnamed space past 3-D', () => {
    expect(parse(nrrd({ kinds: ['domain', 'domain'] }))).toEqual(err('bad-header', 'kinds: 2 entries for 3 axes ("domain domain").'));
    expect(parse(nrrd({ spacings: [1, 1] }))).toEqual(err('bad-header', 'spacings: 2 entries for 3 axes ("1 1").'));
    expect(parse(nrrd({ extraLines: ['axis mins: 1 2'] }))).toEqual(err('bad-header', 'axis mins: 2 entries for 3 axes ("1 2").'));
    expect(parse(nrrd({ extraLines: ['units: mm mm'] }))).toEqual(err('bad-header', 'units: 2 entries for 3 axes ("mm mm").'));
    expect(parse(nrrd({ extraLines: ['centers: cell cell'] }))).toEqual(err('bad-header', 'centers: 2 entries for 3 axes ("cell cell").'));
    expect(parse(nrrd({ space: 'RAS', spaceDimension: 4 }))).toEqual(err('bad-header', 'space dimension is 4 but space ras has 3 coordinates.'));
    expect(parse(nrrd({ extraLines: ['space dimension: 0'] }))).toEqual(err('bad-header', 'space dimension is "0"; it must be a positive whole number.'));
    expect(parse(nrrd({ extraLines: ['space dimension: 2.5'] }))).toEqual(err('bad-header', 'space dimension is "2.5"; it must be a positive whole number.'));
    expect(parse(nrrd({ spaceDimension: 4 }))).toEqual(err('unsupported-format', 'space dimension is 4 with no named space; Voxlens shows at most 3 spatial coordinates.'));
    expect(parse(nrrd({ space: 'RAS-ish' }))).toEqual(err('bad-header', 'space "ras-ish" is not a NRRD space name (such as left-posterior-superior or right-anterior-superior).'));
    expect(parse(nrrd({ origin: [1, 2, 3] }))).toEqual(err('bad-header', 'space origin is given without a space or space dimension field.'));
    expect(parse(nrrd({ space: 'RAS', directions: diag.slice(0, 2) }))).toEqual(err('bad-header', 'space directions: 2 entries for 3 axes.'));
  });

  it('an unnamed 2-D space, and a left-handed 3-D space, with their notices', () => {
    const two = header(nrrd({ sizes: [4, 3], data: u8(12), spaceDimension: 2, directions: [[2, 0], [0, 3]], origin: [5, 6] }));
    expect(two.affine).toEqual([2, 0, 0, 5, 0, 3, 0, 6, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(two.notices).toEqual(['The file\'s space (unnamed, 2D) has no anatomical directions; its coordinates are shown as RAS.']);
    const left = header(nrrd({ space: '3D-left-handed', directions: diag, origin: [1, 2, 3] }));
    expect(left.affine).toEqual([-2, 0, 0, -1, 0, 3, 0, 2, 0, 0, 4, 3, 0, 0, 0, 1]);
    expect(left.notices).toEqual(['The file\'s space (3d-left-handed) has no anatomical directions; its coordinates are shown as RAS with x negated (to make it right-handed).']);
  });

  it('a single line of samples: a full, right-handed basis around it', () => {
    const line = header(nrrd({ sizes: [5], data: u8(5), space: 'RAS', directions: [[0, 0, 2]] }));
    expect(line.dims).toEqual([5, 1, 1]);
    const a = line.affine;
    const cols = [0, 1, 2].map((c) => [a[c], a[4 + c], a[8 + c]]);
    expect(cols[0]).toEqual([0, 0, 2]);
    // The other two are unit vectors at right angles to it and to each other.
    for (const c of [cols[1], cols[2]]) expect(Math.hypot(...c)).toBeCloseTo(1, 12);
    const dot = (u: number[], v: number[]) => u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
    expect([dot(cols[0], cols[1]), dot(cols[0], cols[2]), dot(cols[1], cols[2])].map((x) => Math.abs(x) < 1e-12)).toEqual([true, true, true]);
    const spacingLine = header(nrrd({ sizes: [5], data: u8(5), spacings: [0.5] }));
    // Along x: the second column is x × ŷ normalised (ẑ), the third x × ẑ normalised (−ŷ); det > 0.
    expect(spacingLine.affine).toEqual([0.5, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
  });

  it('axis mins: cell-centred axes move to the first sample’s centre; a NaN min is 0', () => {
    const cell = header(nrrd({ spacings: [2, 4, 1], axisMins: [10, NaN, -1], extraLines: ['centers: cell node ???'] }));
    expect(cell.affine).toEqual([2, 0, 0, 11, 0, 4, 0, 0, 0, 0, 1, -1, 0, 0, 0, 1]);
    // space origin wins over axis mins.
    const both = header(nrrd({ spaceDimension: 3, directions: diag, origin: [7, 8, 9], axisMins: [1, 1, 1] }));
    expect(both.affine.slice(0, 12)).toEqual([2, 0, 0, 7, 0, 3, 0, 8, 0, 0, 4, 9]);
    // A 2-D grid from spacings with mins: the third origin coordinate is 0.
    const flat = header(nrrd({ sizes: [4, 3], data: u8(12), spacings: [1, 1], axisMins: [3, 4] }));
    expect(flat.affine.slice(0, 12)).toEqual([1, 0, 0, 3, 0, 1, 0, 4, 0, 0, 1, 0]);
  });

  it('units: space units that disagree name none; per-axis units of the spatial axes; unknown units kept as written', () => {
    expect(header(nrrd({ space: 'RAS', directions: diag, extraLines: ['space units: "mm" "mm" "cm"'] })).spaceUnit).toBeUndefined();
    expect(header(nrrd({ extraLines: ['units: millimetres mm MM'] })).spaceUnit).toBe('mm');
    expect(header(nrrd({ extraLines: ['units: furlong furlong furlong'] })).spaceUnit).toBe('furlong');
    expect(header(nrrd({ extraLines: ['units: ??? ??? ???'] })).spaceUnit).toBeUndefined();
    expect(header(nrrd({ extraLines: ['units: "" "" ""'] })).spaceUnit).toBeUndefined();
    // A frame axis in Hz is no time unit.
    const hz = header(nrrd({ sizes: [4, 3, 2, 2], data: u8(48), kinds: ['domain', 'domain', 'domain', 'list'], extraLines: ['units: mm mm mm Hz'] }));
    expect(hz).toMatchObject({ spaceUnit: 'mm', dims: [4, 3, 2, 2] });
    expect(hz.timeUnit).toBeUndefined();
    const us = header(nrrd({ sizes: [4, 3, 2, 2], data: u8(48), kinds: ['domain', 'domain', 'domain', 'time'], extraLines: ['units: mm mm mm usec'] }));
    expect(us.timeUnit).toBe('µs');
  });
});

describe('NRRD sniff (issue 27)', () => {
  it('all four magic letters, and at least four bytes', () => {
    expect(nrrdDecoder.sniff(text('NRRD'), 'x')).toBe(true);
    for (const wrong of ['XRRD', 'NXRD', 'NRXD', 'NRRX', 'NRR']) expect(nrrdDecoder.sniff(text(wrong), 'x')).toBe(false);
  });
});
