// Label names a NIfTI file carries: extension blocks (text, JSON, LabelTable XML), the text AAL keeps
// between header and voxels, and extensions that are broken or hostile, through parse and the engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA_DIR, SKIP_REASON } from '../../testing/sharedData';
import { decodeVolume, type DecodeIO, type Decoded } from '../decodeStream';
import type { Result } from '../errors';
import { blobSource } from '../sources';
import { NIFTI_EXTENSION_BYTES, niftiDecoder, niftiExtensions } from './nifti';
import { NIFTI_LAYOUT } from './niftiLayout';
import { encodeNifti, type NiftiWriteOptions } from './niftiWrite';

const text = (s: string) => new TextEncoder().encode(s);
const labelsVolume = (o: Partial<NiftiWriteOptions> = {}) => encodeNifti({ dims: [2, 2, 2], datatypeCode: 2, bitpix: 8, data: new Uint8Array([0, 1, 2, 3, 0, 1, 2, 3]), ...o });

function header(bytes: Uint8Array, fileBytes: number | 'unknown' = bytes.length) {
  const r = niftiDecoder.parseHeader(bytes, { name: 'atlas.nii', ...(fileBytes === 'unknown' ? {} : { fileBytes }) });
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value.header;
}
const namesOf = (bytes: Uint8Array, fileBytes?: number | 'unknown') => {
  const named = header(bytes, fileBytes).labelNames;
  return named && { source: named.source, names: Object.fromEntries(named.lookup.names), colors: Object.fromEntries(named.lookup.colors) };
};

const io: DecodeIO = { acquire: async (_h, bytes) => ({ kind: 'ok', value: new Uint8Array(bytes) }) };
const decode = (bytes: Uint8Array, name = 'atlas.nii'): Promise<Result<Decoded>> => decodeVolume(blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), name), io);
async function decoded(bytes: Uint8Array, name?: string): Promise<Decoded> {
  const r = await decode(bytes, name);
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

describe('label names in NIfTI extensions', () => {
  for (const version of [1, 2] as const) {
    for (const littleEndian of [true, false]) {
      it(`text lines \`index name [r g b]\`, NIfTI-${version} ${littleEndian ? 'little' : 'big'}-endian`, () => {
        const bytes = labelsVolume({ version, littleEndian, extensions: [{ ecode: 6, data: text('1\tPrecentral_L\n2 Left Hippocampus 220 20 10\n3 Caudate 1 2 3 0\n') }] });
        expect(namesOf(bytes)).toEqual({
          source: 'names from the NIfTI extension',
          names: { 1: 'Precentral_L', 2: 'Left Hippocampus', 3: 'Caudate' },
          colors: { 2: [220, 20, 10], 3: [1, 2, 3] },
        });
      });
    }
  }

  it('JSON objects and arrays, UTF-8 and Latin-1, NULs trimmed; the first block with names wins', () => {
    const latin1 = Uint8Array.from([...'{"1": "Gyrus r'].map((c) => c.charCodeAt(0)).concat([0xe9], [...'el"}'].map((c) => c.charCodeAt(0))));
    expect(namesOf(labelsVolume({ extensions: [{ ecode: 0, data: latin1 }] }))?.names).toEqual({ 1: 'Gyrus réel' });
    expect(namesOf(labelsVolume({ extensions: [{ ecode: 0, data: text('{ "1": "Précentral", "2": { "name": "B", "color": [1, 2, 3] } }\0\0\0') }] }))).toMatchObject({ names: { 1: 'Précentral', 2: 'B' }, colors: { 2: [1, 2, 3] } });
    const array = text(JSON.stringify([{ index: 1, name: 'Precentral_L' }, { index: 2, name: 'Precentral_R', color: [9, 8, 7] }]));
    // An AFNI-style comment first (not names), then the array.
    expect(namesOf(labelsVolume({ extensions: [{ ecode: 6, data: text('made by a tool, 2024') }, { ecode: 4, data: array }] }))).toMatchObject({ names: { 1: 'Precentral_L', 2: 'Precentral_R' }, colors: { 2: [9, 8, 7] } });
  });

  it('a GIFTI/CIFTI LabelTable', () => {
    const xml = '<LabelTable><Label Key="0" Red="0" Green="0" Blue="0" Alpha="0"><![CDATA[???]]></Label><Label Key="5" Red="1" Green="0.5" Blue="0" Alpha="1">L_V1 &amp; V2</Label></LabelTable>';
    expect(namesOf(labelsVolume({ extensions: [{ ecode: 32, data: text(xml) }] }))).toMatchObject({ names: { 0: '???', 5: 'L_V1 & V2' }, colors: { 5: [255, 128, 0] } });
  });

  it('extensions that hold no names give none: binary, prose, a JSON sidecar', () => {
    const binary = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256 || 1);
    for (const data of [binary, text('Converted by dcm2niix\nsecond line'), text('{"RepetitionTime": 2}'), text('1 2 3\nnot a label')]) {
      expect(namesOf(labelsVolume({ extensions: [{ ecode: 0, data }] }))).toBeUndefined();
    }
    expect(namesOf(labelsVolume())).toBeUndefined();
  });

  it('the text AAL keeps between the header and its voxels (extension flag 0)', () => {
    const bytes = labelsVolume({ gap: text('1\tPrecentral_L\n2\tPrecentral_R\n116\tVermis_10  \0\0\0\0\0\0\0') });
    expect(namesOf(bytes)).toEqual({ source: 'names stored after the NIfTI header', names: { 1: 'Precentral_L', 2: 'Precentral_R', 116: 'Vermis_10' }, colors: {} });
    // Zero padding before the voxels is no names.
    expect(namesOf(labelsVolume({ gap: new Uint8Array(100) }))).toBeUndefined();
  });
});

describe('malformed and hostile extensions', () => {
  const names = text('1 One\n2 Two\n');
  const at = NIFTI_LAYOUT[1].headerBytes;

  it('an esize not a multiple of 16, below 16 or negative stops the reading: the blocks before it are kept', () => {
    for (const esize of [17, 8, 0, -16, -2147483648]) {
      const bytes = labelsVolume({ extensions: [{ ecode: 6, data: names }, { ecode: 6, data: text('3 Three'), esize }] });
      const { blocks, malformed } = niftiExtensions(bytes, at, bytes.length, true);
      expect(blocks).toHaveLength(1);
      expect(malformed).toContain(`esize ${esize}`);
      expect(namesOf(bytes)?.names).toEqual({ 1: 'One', 2: 'Two' });
      const first = labelsVolume({ extensions: [{ ecode: 6, data: names, esize }] });
      expect(niftiExtensions(first, at, first.length, true).blocks).toEqual([]);
      expect(namesOf(first)).toBeUndefined();
    }
  });

  it('an esize past vox_offset or the end of the file, or huge, is not followed', async () => {
    for (const esize of [48, 2 ** 31 - 16]) {
      const bytes = labelsVolume({ extensions: [{ ecode: 6, data: names, esize }] });
      expect(niftiExtensions(bytes, at, header(bytes).voxOffset, true)).toMatchObject({ blocks: [], malformed: expect.stringContaining('runs past') });
      expect(namesOf(bytes)).toBeUndefined();
      // The volume still loads, its voxels intact.
      expect(Array.from((await decoded(bytes)).voxels)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    }
  });

  it('a truncated file: parse reads the blocks the bytes hold, the load fails as truncated', async () => {
    const bytes = labelsVolume({ extensions: [{ ecode: 6, data: names }, { ecode: 6, data: text('3 Three\n') }] });
    const cut = bytes.subarray(0, at + 4 + 32 + 8);
    expect(niftiExtensions(cut, at, 10_000, true).blocks).toHaveLength(1);
    expect(namesOf(cut, 'unknown')?.names).toEqual({ 1: 'One', 2: 'Two' });
    for (const file of [cut, gzipSync(cut)]) {
      const r = await decode(file, file === cut ? 'atlas.nii' : 'atlas.nii.gz');
      expect(r).toMatchObject({ kind: 'error', code: expect.stringMatching(/truncated|bad-offset/) });
    }
  });

  it('a hostile vox_offset makes the engine read at most NIFTI_EXTENSION_BYTES past the header', async () => {
    const bytes = labelsVolume({ extensions: [{ ecode: 6, data: names }] });
    new DataView(bytes.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, 2 ** 40, true);
    const length = niftiDecoder.headerLength(bytes, false);
    expect(length).toEqual({ kind: 'ok', value: at + 4 + NIFTI_EXTENSION_BYTES });
    // Gzipped (no size known up front): the load fails on the voxels, not on memory or time.
    const r = await decode(gzipSync(bytes), 'atlas.nii.gz');
    expect(r).toMatchObject({ kind: 'error', code: 'truncated' });
  });
});

describe('through the decode engine', () => {
  it('names reach the decoded header, gzipped or not', async () => {
    const bytes = labelsVolume({ extensions: [{ ecode: 6, data: text('1 One\n2 Two\n3 Three\n') }] });
    for (const [file, name] of [[bytes, 'a.nii'], [gzipSync(bytes), 'a.nii.gz']] as const) {
      const d = await decoded(file, name);
      expect(Object.fromEntries(d.header.labelNames?.lookup.names ?? [])).toEqual({ 1: 'One', 2: 'Two', 3: 'Three' });
      expect(Array.from(d.voxels)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    }
  });

  it.skipIf(!hasSharedData)(`aal.nii.gz carries its 116 region names (skipped when ${SKIP_REASON})`, async () => {
    const d = await decoded(readFileSync(join(SHARED_DATA_DIR, 'aal.nii.gz')), 'aal.nii.gz');
    const names = d.header.labelNames?.lookup.names;
    expect(names?.size).toBe(116);
    expect(names?.get(1)).toBe('Precentral_L');
    expect(names?.get(116)).toBe('Vermis_10');
    expect(d.header.labelNames?.source).toBe('names stored after the NIfTI header');
  });
});

describe('how far the header reads (issue 27: exact lengths and messages)', () => {
  const names = text('1 One\n2 Two\n');
  const at1 = NIFTI_LAYOUT[1].headerBytes;
  const at2 = NIFTI_LAYOUT[2].headerBytes;

  it('a single file: up to vox_offset, or the bytes there are at the end of the file; a pair .hdr: up to the cap', () => {
    const one = labelsVolume({ extensions: [{ ecode: 6, data: names }] });
    const vox = at1 + 4 + 32;
    expect(niftiDecoder.headerLength(one, false)).toEqual({ kind: 'ok', value: vox });
    expect(niftiDecoder.headerLength(one.subarray(0, vox - 5), true)).toEqual({ kind: 'ok', value: vox - 5 });
    expect(niftiDecoder.headerLength(one.subarray(0, at1), true)).toEqual({ kind: 'ok', value: at1 });
    const two = labelsVolume({ version: 2, littleEndian: false, extensions: [{ ecode: 6, data: names }] });
    expect(niftiDecoder.headerLength(two, false)).toEqual({ kind: 'ok', value: at2 + 4 + 32 });
    // No extension: vox_offset 352, the 4 flag bytes included.
    expect(niftiDecoder.headerLength(labelsVolume(), false)).toEqual({ kind: 'ok', value: 352 });
    // A pair's .hdr ("ni1"): extensions run to its end, read up to the cap.
    const pair = labelsVolume();
    pair.set(text('ni1'), NIFTI_LAYOUT[1].magic);
    expect(niftiDecoder.headerLength(pair, false)).toEqual({ kind: 'ok', value: at1 + 4 + NIFTI_EXTENSION_BYTES });
    expect(niftiDecoder.headerLength(pair, true)).toEqual({ kind: 'ok', value: pair.length });
    // Analyze (no magic) and a broken vox_offset: the fixed header only.
    const analyze = labelsVolume();
    analyze.set([0, 0, 0, 0], NIFTI_LAYOUT[1].magic);
    expect(niftiDecoder.headerLength(analyze, false)).toEqual({ kind: 'ok', value: at1 });
    for (const v of [NaN, 352.5, 348, 100]) {
      const broken = labelsVolume();
      new DataView(broken.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, v, true);
      expect(niftiDecoder.headerLength(broken, false)).toEqual({ kind: 'ok', value: at1 });
    }
    const exact = labelsVolume();
    new DataView(exact.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, 349, true);
    expect(niftiDecoder.headerLength(exact, false)).toEqual({ kind: 'ok', value: 349 });
  });

  it('malformed blocks say which, where and why', () => {
    const odd = labelsVolume({ extensions: [{ ecode: 6, data: names }, { ecode: 6, data: text('3 Three'), esize: 24 }] });
    expect(niftiExtensions(odd, at1, odd.length, true).malformed).toBe(`extension 2 at byte ${at1 + 4 + 32} has esize 24, not a multiple of 16 of at least 16`);
    const long = labelsVolume({ extensions: [{ ecode: 6, data: names, esize: 48 }] });
    expect(niftiExtensions(long, at1, at1 + 4 + 32, true).malformed).toBe(`extension 1 at byte ${at1 + 4} (esize 48) runs past byte ${at1 + 4 + 32}, where the voxels or the bytes read begin`);
    // esize exactly to the end is whole; the flag byte 0 or no room for a block reads nothing.
    const whole = labelsVolume({ extensions: [{ ecode: 6, data: names }] });
    expect(niftiExtensions(whole, at1, at1 + 4 + 32, true)).toEqual({ blocks: [{ ecode: 6, data: whole.subarray(at1 + 12, at1 + 4 + 32) }] });
    expect(niftiExtensions(whole, at1, at1 + 4 + 31, true).blocks).toEqual([]);
    expect(niftiExtensions(long, at1, at1 + 3, true)).toEqual({ blocks: [] });
    expect(niftiExtensions(long, at1, at1 + 11, true)).toEqual({ blocks: [] });
    const flag0 = long.slice();
    flag0[at1] = 0;
    expect(niftiExtensions(flag0, at1, flag0.length, true)).toEqual({ blocks: [] });
    // A big-endian file's esize read big-endian.
    const big = labelsVolume({ littleEndian: false, extensions: [{ ecode: 6, data: names }] });
    expect(niftiExtensions(big, at1, big.length, false).blocks.map((b) => [b.ecode, b.data.length])).toEqual([[6, 24]]);
  });

  it('names are looked for only between the header and the voxels', () => {
    // Text in the gap, but vox_offset right after the flag bytes: nothing to read.
    const gap = labelsVolume({ gap: text('1 One\n2 Two\n') });
    const shut = gap.slice();
    new DataView(shut.buffer).setFloat32(NIFTI_LAYOUT[1].voxOffset, at1 + 4, true);
    expect(header(shut, 'unknown').labelNames).toBeUndefined();
    // Names right after the header, no flag bytes (vox_offset 348 + text length): still found.
    const bare = labelsVolume({ gap: text('1 One\n2 Two\n') });
    bare.copyWithin(at1, at1 + 4);
    expect(Object.fromEntries(header(bare, 'unknown').labelNames?.lookup.names ?? [])).toEqual({ 1: 'One', 2: 'Two' });
  });
});

describe('a pair header with extensions (issue 27)', () => {
  it('names from a .hdr extension, read to the end of the .hdr whatever vox_offset says', () => {
    const hdr = labelsVolume({ extensions: [{ ecode: 6, data: text('4 Four\n') }] }).subarray(0, NIFTI_LAYOUT[1].headerBytes + 4 + 16);
    hdr.set(text('ni1'), NIFTI_LAYOUT[1].magic);
    new DataView(hdr.buffer, hdr.byteOffset).setFloat32(NIFTI_LAYOUT[1].voxOffset, 0, true);
    const r = niftiDecoder.parseHeader(hdr, { name: 'atlas.hdr', fileBytes: hdr.length });
    if (r.kind === 'error') throw new Error(r.message);
    expect(r.value.header.format).toBe('nifti1-pair');
    expect(Object.fromEntries(r.value.header.labelNames?.lookup.names ?? [])).toEqual({ 4: 'Four' });
  });
});
