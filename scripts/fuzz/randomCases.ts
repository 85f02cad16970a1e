// Seeded random mutations: bit flips, interesting values written over header fields, byte splices,
// cuts and appends, and for NRRD, edits of the header text. Case i depends only on (run seed, i),
// so one failing case can be rebuilt alone from its name.
import { concatBytes, gzip } from './gzip';
import { nrrdJoin, nrrdSplit } from './formats';
import { caseSeed, rng, type Rng } from './prng';
import type { FuzzCase, Seed } from './types';

const INTERESTING_INTS = [0, 1, -1, 2, 255, 256, 0x7fff, -0x8000, 0xffff, 0x7fffffff, -0x80000000, 348, 540, 284];
const INTERESTING_FLOATS = [NaN, Infinity, -Infinity, 0, -0, 1e38, -1e38, 1e-40, 2 ** 53, 0.5];
const NRRD_TOKENS = ['', '-1', '0', 'nan', 'inf', '1e300', '18446744073709551616', '(1,2)', '((', ')', 'none', 'raw', 'gzip', 'bzip2', 'big', 'LIST', '???', '3 3', '\u0000'];

type Op = (b: Uint8Array, r: Rng, seed: Seed) => [Uint8Array, string];

/** Positions favour the header (where a flipped bit changes how the rest is read). */
const position = (b: Uint8Array, r: Rng, seed: Seed) => (r.next() < 0.7 ? r.int(Math.max(1, Math.min(b.length, seed.layout.headerEnd + 16))) : r.int(Math.max(1, b.length)));

const OPS: Op[] = [
  (b, r, s) => {
    const out = b.slice();
    const k = 1 + r.int(8);
    const at: number[] = [];
    for (let i = 0; i < k && out.length; i++) {
      const p = position(out, r, s);
      const bit = r.int(8);
      out[p] ^= 1 << bit;
      at.push(p * 8 + bit);
    }
    return [out, `flip bits ${at.join(',')}`];
  },
  (b, r, s) => {
    const out = b.slice();
    const p = position(out, r, s);
    const v = r.pick([0, 0xff, 0x7f, 0x80, r.int(256)]);
    if (out.length) out[p] = v;
    return [out, `byte ${p} = ${v}`];
  },
  (b, r, s) => {
    const out = b.slice();
    const float = r.next() < 0.35;
    const width = float ? r.pick([4, 4, 8]) : r.pick([2, 4, 4, 8]);
    const p = position(out, r, s) & ~1;
    if (p + width > out.length) return [out, 'field write past the end (no-op)'];
    const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const le = r.next() < 0.8 ? s.layout.littleEndian : !s.layout.littleEndian;
    const v = float ? r.pick(INTERESTING_FLOATS) : r.pick(INTERESTING_INTS);
    if (float && width === 8) dv.setFloat64(p, v, le);
    else if (float) dv.setFloat32(p, v, le);
    else if (width === 2) dv.setInt16(p, v, le);
    else if (width === 4) dv.setInt32(p, v, le);
    else dv.setBigInt64(p, BigInt(v), le);
    return [out, `${float ? 'float' : 'int'}${width * 8} ${le ? 'LE' : 'BE'} at ${p} = ${v}`];
  },
  (b, r, s) => {
    const p = position(b, r, s);
    const ins = r.bytes(1 + r.int(64));
    const out = new Uint8Array(b.length + ins.length);
    out.set(b.subarray(0, p));
    out.set(ins, p);
    out.set(b.subarray(p), p + ins.length);
    return [out, `insert ${ins.length} random bytes at ${p}`];
  },
  (b, r, s) => {
    const p = position(b, r, s);
    const n = 1 + r.int(256);
    return [concatBytes([b.subarray(0, p), b.subarray(Math.min(b.length, p + n))]), `delete ${n} bytes at ${p}`];
  },
  (b, r) => {
    const out = b.slice();
    const n = 1 + r.int(64);
    const from = r.int(Math.max(1, out.length - n));
    const to = r.int(Math.max(1, out.length - n));
    out.copyWithin(to, from, from + n);
    return [out, `copy ${n} bytes from ${from} to ${to}`];
  },
  (b, r) => {
    const p = r.int(Math.max(1, b.length));
    return [b.slice(0, p), `cut at ${p}`];
  },
  (b, r) => {
    const tail = r.bytes(1 + r.int(4096));
    const out = new Uint8Array(b.length + tail.length);
    out.set(b);
    out.set(tail, b.length);
    return [out, `append ${tail.length} random bytes`];
  },
];

/** NRRD only: a header line's value replaced, a line removed or one repeated. */
const nrrdText: Op = (b, r) => {
  const split = nrrdSplit(b);
  if (!split || !split.header.lines.length) return [b, 'nrrd text (no header, no-op)'];
  const lines = [...split.header.lines];
  const i = r.int(lines.length);
  const key = lines[i].split(':')[0];
  const what = r.int(3);
  if (what === 0) {
    const token = r.pick(NRRD_TOKENS);
    lines[i] = `${key}: ${token}`;
    return [nrrdJoin({ ...split.header, lines }, split.data), `nrrd ${key}: ${JSON.stringify(token)}`];
  }
  if (what === 1) {
    lines.splice(i, 1);
    return [nrrdJoin({ ...split.header, lines }, split.data), `nrrd remove ${key}`];
  }
  lines.push(lines[i]);
  return [nrrdJoin({ ...split.header, lines }, split.data), `nrrd repeat ${key}`];
};

/** One random case: 1 to 3 operations on a seed's content (regzipped) or, for gz seeds, on its stored bytes. */
export function randomCase(seeds: readonly Seed[], runSeed: number, index: number): FuzzCase {
  const r = rng(caseSeed(runSeed, index));
  const seed = r.pick(seeds);
  const onStored = seed.gz && r.next() < 0.3;
  const steps = 1 + r.int(3);
  const ops: Op[] = [];
  for (let i = 0; i < steps; i++) ops.push(seed.format === 'nrrd' && !onStored && r.next() < 0.35 ? nrrdText : r.pick(OPS));
  const opSeed = r.int(2 ** 32);
  const build = () => {
    const rr = rng(opSeed);
    let b = onStored ? seed.stored : seed.content;
    const said: string[] = [];
    for (const op of ops) {
      const [next, what] = op(b, rr, seed);
      b = next;
      said.push(what);
    }
    return { bytes: seed.gz && !onStored ? gzip(b, 1) : b, said };
  };
  // The description needs the ops run once; cheap for the small seeds random cases use.
  const { said } = build();
  return {
    name: `random-${runSeed}-${index}`,
    base: seed.name,
    mutation: `${onStored ? 'gzip stream' : seed.gz ? 'content (regzipped)' : 'bytes'}: ${said.join('; ')}`,
    expect: 'either',
    kind: 'random',
    fileName: seed.fileName,
    noAlloc: false,
    bytes: () => build().bytes,
  };
}

export function* randomCases(seeds: readonly Seed[], count: number, runSeed: number): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) yield randomCase(seeds, runSeed, i);
}
