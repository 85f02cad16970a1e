// Headers whose voxels live in other files: detached NRRD headers (one data file, gzip data, a
// LIST of three) and .hdr/.img pairs (NIfTI-1 "ni1" and Analyze 7.5), each with its companions
// intact, missing, empty, cut, one byte long, or damaged.
import { encodeAnalyzePair, encodeNiftiPair } from '../../src/io/decoders/analyzeWrite';
import { encodeNrrd } from '../../src/io/decoders/nrrdWrite';
import { gzip } from './gzip';
import { rng } from './prng';
import type { Expect, FuzzCase } from './types';

interface Pair {
  name: string;
  header: Uint8Array;
  files: Record<string, Uint8Array>;
  /** Whether the data files are gzip-compressed (a cut one is then found out only while reading). */
  gz: boolean;
}

const ramp = (n: number) => new Uint8Array(n).map((_, i) => (i * 29 + (i >> 4)) & 0xff);

function pairs(): Pair[] {
  const out: Pair[] = [];
  const nrrd = (name: string, o: Parameters<typeof encodeNrrd>[0] & { dataFile: string | string[] }, gz = false) => {
    const d = encodeNrrd(o);
    out.push({ name, header: d.header, files: d.dataFiles, gz });
  };
  nrrd('detached-int16.nhdr', { type: 'int16', sizes: [6, 5, 4], endian: 'big', data: ramp(240), dataFile: 'detached-int16.raw' });
  nrrd('detached-gzip.nhdr', { type: 'uint8', sizes: [8, 7, 6], encoding: 'gzip', data: ramp(336), dataFile: 'detached-gzip.raw.gz' }, true);
  nrrd('detached-list.nhdr', { type: 'uint8', sizes: [6, 5, 3], data: ramp(90), dataFile: ['slab0.raw', 'slab1.raw', 'slab2.raw'] });
  nrrd('detached-skips.nhdr', { type: 'uint16', sizes: [5, 4, 3], endian: 'little', data: ramp(120), lineSkip: 2, byteSkip: 7, dataFile: 'detached-skips.raw' });
  const ni1 = encodeNiftiPair({ dims: [5, 4, 3], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: ramp(120), littleEndian: false });
  out.push({ name: 'pair-ni1.hdr', header: ni1.hdr, files: { 'pair-ni1.img': ni1.img }, gz: false });
  const ana = encodeAnalyzePair({ dims: [6, 5, 4], datatypeCode: 16, bitpix: 32, bytesPerValue: 4, data: new Uint8Array(new Float32Array(120).map((_, i) => i / 7).buffer), orient: 1 });
  out.push({ name: 'pair-analyze.hdr', header: ana.hdr, files: { 'pair-analyze.img': ana.img }, gz: false });
  const gzPair = encodeNiftiPair({ dims: [4, 4, 4], datatypeCode: 2, bitpix: 8, data: ramp(64) });
  out.push({ name: 'pair-gz.hdr', header: gzPair.hdr, files: { 'pair-gz.img.gz': gzip(gzPair.img) }, gz: true });
  return out;
}

export function companionCases(runSeed: number): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (const p of pairs()) {
    const names = Object.keys(p.files);
    const add = (mutation: string, expect: Expect, noAlloc: boolean, files: () => Record<string, Uint8Array>, header = () => p.header) =>
      out.push({
        name: `${p.name.replace(/[^a-z0-9.+-]+/gi, '-').toLowerCase()}--${mutation.replace(/[^a-z0-9.+-]+/gi, '-').toLowerCase()}`,
        base: p.name,
        mutation: `companions: ${mutation}`,
        expect,
        kind: 'companion',
        fileName: p.name,
        noAlloc,
        bytes: header,
        companions: files,
      });
    const edit = (name: string, change: (b: Uint8Array) => Uint8Array) => () => ({ ...p.files, [name]: change(p.files[name]) });
    const last = names[names.length - 1];
    add('intact', 'ok', false, () => p.files);
    add('none given', 'error', true, () => ({}));
    add(`${names[0]} missing`, 'error', names.length === 1, () => Object.fromEntries(names.slice(1).map((n) => [n, p.files[n]])));
    if (names.length > 1) add(`${last} missing (the last of ${names.length})`, 'error', false, () => Object.fromEntries(names.slice(0, -1).map((n) => [n, p.files[n]])));
    add(`${last} empty`, 'error', false, edit(last, () => new Uint8Array(0)));
    add(`${last} one byte short`, p.gz ? 'either' : 'error', false, edit(last, (b) => b.slice(0, b.length - 1)));
    add(`${last} half`, 'error', false, edit(last, (b) => b.slice(0, b.length >> 1)));
    add(`${last} one byte long`, p.gz ? 'either' : 'ok', false, edit(last, (b) => Uint8Array.from([...b, 0x5a])));
    add(`${last} 1 MiB long`, 'either', false, edit(last, (b) => Uint8Array.from([...b, ...new Uint8Array(1 << 20)])));
    add(`${last} name in upper case`, 'either', false, () => ({ ...Object.fromEntries(names.slice(0, -1).map((n) => [n, p.files[n]])), [last.toUpperCase()]: p.files[last] }));
    add(`${last} random bytes`, 'either', false, edit(last, (b) => rng(runSeed ^ b.length).bytes(b.length)));
    add(`${last} bits flipped`, 'either', false, edit(last, (b) => {
      const c = b.slice();
      const r = rng(runSeed ^ 0xf11e);
      for (let i = 0; i < 8; i++) c[r.int(c.length)] ^= 1 << r.int(8);
      return c;
    }));
    if (!p.gz) add(`${last} gzipped (same name)`, 'either', false, edit(last, (b) => gzip(b)));
    add('header cut in half', 'error', false, () => p.files, () => p.header.slice(0, p.header.length >> 1));
    add('header given as its own data file', 'either', false, () => ({ ...p.files, [names[0]]: p.header }));
  }
  return out;
}
