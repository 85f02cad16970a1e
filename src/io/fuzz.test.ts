// "The front door must be boring": whatever bytes decodeVolume is given, it answers with a typed
// error or a correct load. Never a throw or a rejected promise, never a hang, never memory beyond
// the budget, and nothing allocated when the header alone shows the problem.
//
// The corpus comes from scripts/fuzzCorpus.ts: structural cases (each seed cut at its boundaries,
// header fields set to extremes, gzip framing) and seeded random mutations of small seeds.
// Header semantics do not depend on a volume's size, so every structural case runs on the small
// seeds (each shared file shrunk to a few voxels, its header kept, plus in-memory volumes); the
// full-size shared files get the cases whose outcome depends on size (cuts, fields that must be
// refused) unless FUZZ_FULL=1. A long run:
//   FUZZ_FULL=1 FUZZ_ITERATIONS=200000 FUZZ_SEED=7 npx vitest run src/io/fuzz.test.ts
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FUZZ_SEED,
  FUZZ_BUDGET_BYTES,
  gzipBombs,
  loadSeeds,
  randomCase,
  seedCases,
  structuralCases,
  type FuzzCase,
  type Seed,
} from '../../scripts/fuzzCorpus';
import { concatBytes } from '../../scripts/fuzz/gzip';
import { nrrdJoin, nrrdSplit } from '../../scripts/fuzz/formats';
import { DATA_TYPES } from '../volume/dataTypes';
import type { VolumeHeader } from '../volume/header';
import { voxelCount } from '../volume/header';
import { decodeVolume, type ByteSource, type DecodeIO, type DecodeOptions, type Decoded, type GunzipEngine } from './decodeStream';
import { fail, ok, type LoadErrorCode, type Result } from './errors';
import { blobSource, specSource } from './sources';

/** Every code a load may fail with; a Record so a new code in errors.ts must be listed here. */
const KNOWN_CODES: Record<LoadErrorCode, true> = {
  'unknown-format': true,
  'bad-magic': true,
  'bad-header': true,
  'bad-dims': true,
  'bitpix-mismatch': true,
  'bad-offset': true,
  'unsupported-dtype': true,
  'unsupported-format': true,
  truncated: true,
  'missing-file': true,
  'several-series': true,
  gzip: true,
  'over-budget': true,
  'too-large': true,
  'fetch-failed': true,
  cancelled: true,
  'no-webgl': true,
  'bad-lookup': true,
  'bad-argument': true,
  internal: true,
};

const envInt = (name: string, fallback: number) => {
  const v = process.env[name];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
};
// 5000 random cases of the small seeds take about 7 s on a 2-core machine; the whole file about 30 s.
const ITERATIONS = envInt('FUZZ_ITERATIONS', 5000);
const RUN_SEED = envInt('FUZZ_SEED', DEFAULT_FUZZ_SEED);
const FULL = process.env.FUZZ_FULL === '1';
const DEADLINE_MS = 5000;
const BATCH = 250;

/** Decode memory that refuses anything over the budget and records what was asked. */
function budgetIO(signal: AbortSignal) {
  const io = {
    signal,
    requests: [] as number[],
    granted: 0,
    async acquire(_h: VolumeHeader, bytes: number): Promise<Result<Uint8Array>> {
      io.requests.push(bytes);
      if (!Number.isSafeInteger(bytes) || bytes < 0) return fail('internal', `the fuzz IO was asked for ${bytes} bytes`);
      if (bytes > FUZZ_BUDGET_BYTES) return fail('over-budget', `needs ${bytes} bytes, over the ${FUZZ_BUDGET_BYTES}-byte fuzz budget`);
      io.granted += bytes;
      return ok(new Uint8Array(new SharedArrayBuffer(bytes)));
    },
  };
  return io;
}

type Outcome = { kind: 'result'; result: Result<Decoded> } | { kind: 'threw'; error: unknown } | { kind: 'timeout' };

async function decodeWithDeadline(source: ByteSource, io: DecodeIO, controller: AbortController, options: DecodeOptions = {}): Promise<Outcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), DEADLINE_MS);
  });
  const run = decodeVolume(source, io, options).then(
    (result): Outcome => ({ kind: 'result', result }),
    (error: unknown): Outcome => ({ kind: 'threw', error }),
  );
  const outcome = await Promise.race([run, timeout]);
  clearTimeout(timer);
  if (outcome.kind === 'timeout') controller.abort();
  return outcome;
}

const label = (o: Outcome) => (o.kind !== 'result' ? o.kind : o.result.kind === 'ok' ? 'ok' : `error: ${o.result.code}`);

/** Every way the answer to one case breaks the front door's promise, in words (empty: it kept it). */
/** True when the bytes are nothing, or a whole gzip stream of nothing: then "empty" is the right word. */
function holdsNothing(bytes: Uint8Array): boolean {
  if (!bytes.length) return true;
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return false;
  try {
    return gunzipSync(bytes).length === 0;
  } catch {
    return false;
  }
}

function problems(c: FuzzCase, o: Outcome, io: ReturnType<typeof budgetIO>, stored: Uint8Array): string[] {
  const p: string[] = [];
  if (o.kind === 'threw') return [`threw ${o.error instanceof Error ? (o.error.stack ?? o.error.message) : String(o.error)}`];
  if (o.kind === 'timeout') return [`no answer within ${DEADLINE_MS} ms`];
  const r = o.result;
  if (io.requests.length > 1) p.push(`acquire called ${io.requests.length} times: ${io.requests.join(', ')}`);
  if (io.granted > FUZZ_BUDGET_BYTES) p.push(`${io.granted} bytes granted, over the budget`);
  if (io.requests.some((b) => !Number.isSafeInteger(b) || b < 0)) p.push(`acquire asked for ${io.requests.join(', ')} bytes`);
  if (r.kind === 'error') {
    if (!(r.code in KNOWN_CODES)) p.push(`unknown error code ${String(r.code)}`);
    if (r.code === 'internal' || r.code === 'cancelled') p.push(`error code ${r.code}: ${r.message}`);
    if (typeof r.message !== 'string' || r.message.length < 20) p.push(`error message too short: ${JSON.stringify(r.message)}`);
    else if (!c.companions && /\bis empty\b/.test(r.message) && !holdsNothing(stored)) {
      p.push(`the message says the file is empty, but it holds ${stored.length} bytes that are not a gzip stream of nothing`);
    }
    if (c.expect === 'ok') p.push(`expected a load, got ${r.code}: ${r.message}`);
    if (c.noAlloc && io.granted > 0) p.push(`the header alone shows the problem, yet ${io.granted} bytes were allocated (${r.code}: ${r.message})`);
  } else {
    const { header, voxels } = r.value;
    const info = DATA_TYPES[header.datatype];
    if (!info) p.push(`unknown datatype ${header.datatype}`);
    else if (voxels.length !== voxelCount(header.dims) * info.bytesPerVoxel) {
      p.push(`voxels hold ${voxels.length} bytes, dims [${header.dims.join(', ')}] ${header.datatype} need ${voxelCount(header.dims) * info.bytesPerVoxel}`);
    }
    if (!header.dims.length || header.dims.some((d) => !Number.isSafeInteger(d) || d < 1)) p.push(`dims [${header.dims.join(', ')}]`);
    if (header.affine.length !== 16 || header.affine.some((v) => !Number.isFinite(v))) p.push(`affine [${header.affine.join(', ')}]`);
    if (!Number.isFinite(header.slope) || header.slope === 0 || !Number.isFinite(header.inter)) p.push(`scaling ${header.slope} × raw + ${header.inter}`);
    if (io.requests.length !== 1 || io.requests[0] !== voxels.length) p.push(`acquire asked for [${io.requests.join(', ')}] bytes for ${voxels.length} bytes of voxels`);
    if (c.expect === 'error') p.push(`expected an error, got a load of [${header.dims.join(' × ')}] ${header.datatype}`);
    if (c.noAlloc) p.push('expected an error before allocating, got a load');
  }
  return p;
}

const tally = { structural: new Map<string, number>(), random: new Map<string, number>() };
const requests = { largest: 0, refused: 0 };
const noteRequests = (asked: number[]) => {
  for (const b of asked) {
    if (b > requests.largest) requests.largest = b;
    if (b > FUZZ_BUDGET_BYTES) requests.refused++;
  }
};
const count = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

async function runCase(c: FuzzCase, options: DecodeOptions = {}): Promise<{ outcome: Outcome; problems: string[] }> {
  const controller = new AbortController();
  const io = budgetIO(controller.signal);
  let bytes: Uint8Array;
  try {
    bytes = c.bytes();
  } catch (e) {
    return { outcome: { kind: 'threw', error: e }, problems: [`the corpus could not build the case: ${String(e)}`] };
  }
  const blob = (b: Uint8Array) => new Blob([b as Uint8Array<ArrayBuffer>]);
  const companions = c.companions ? Object.entries(c.companions()).map(([name, b]) => ({ kind: 'blob' as const, blob: blob(b), name })) : undefined;
  // specSource finds companions by name as a load of several dropped files does.
  const source = companions ? specSource({ kind: 'blob', blob: blob(bytes), name: c.fileName, companions }) : blobSource(blob(bytes), c.fileName);
  const outcome = await decodeWithDeadline(source, io, controller, options);
  noteRequests(io.requests);
  return { outcome, problems: problems(c, outcome, io, bytes) };
}

const describeCase = (c: FuzzCase, o: Outcome, p: string[]) =>
  `${c.name} [${c.base}; ${c.mutation}; expect ${c.expect}${c.noAlloc ? ', no allocation' : ''}] → ${label(o)}${o.kind === 'result' && o.result.kind === 'error' ? ` "${o.result.message}"` : ''}\n  ${p.join('\n  ')}`;

const seeds = loadSeeds();
const sharedNames = new Set(seeds.shared.map((s) => s.name));
const fullSize = seedCases(seeds.shared, RUN_SEED).filter(
  (c) => FULL || c.kind === 'cut' || (c.kind === 'field' && c.expect === 'error') || c.mutation === 'unmodified',
);
const structural = [...structuralCases(seeds.small, RUN_SEED), ...fullSize];
// Full-size volumes take the worker's path (sampled stats; the exact pass runs later over shared
// memory): computeStats over 16 MiB would dominate the run. Small ones get the exact pass.
const statsFor = (c: FuzzCase): DecodeOptions => ({ sampledStatsOnly: sharedNames.has(c.base) });

describe(`fuzz: structural cases (${structural.length}; seeds: ${seeds.shared.length ? '../shared/data, shrunk and full-size, and in-memory' : 'in-memory only'})`, () => {
  const byBase = new Map<string, FuzzCase[]>();
  for (const c of structural) byBase.set(c.base, [...(byBase.get(c.base) ?? []), c]);
  for (const [base, cases] of byBase) {
    describe(base, () => {
      for (const c of cases) {
        it(c.name, async () => {
          const { outcome, problems: p } = await runCase(c, statsFor(c));
          count(tally.structural, label(outcome));
          expect(p, describeCase(c, outcome, p)).toEqual([]);
        });
      }
    });
  }
});

describe(`fuzz: ${ITERATIONS} random mutations of ${seeds.small.length} small seeds (seed ${RUN_SEED})`, () => {
  for (let from = 0; from < ITERATIONS; from += BATCH) {
    const to = Math.min(ITERATIONS, from + BATCH);
    it(`random cases ${from}..${to - 1}`, { timeout: 10 * 60_000 }, async () => {
      const failed: string[] = [];
      for (let i = from; i < to; i++) {
        let c: FuzzCase;
        try {
          c = randomCase(seeds.small, RUN_SEED, i);
        } catch (e) {
          failed.push(`random-${RUN_SEED}-${i}: the corpus could not build the case: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          continue;
        }
        const { outcome, problems: p } = await runCase(c);
        count(tally.random, label(outcome));
        if (p.length) failed.push(describeCase(c, outcome, p));
      }
      expect(failed.length, `random cases failed (rebuild one with randomCase(loadSeeds().small, ${RUN_SEED}, i)):\n${failed.join('\n')}`).toBe(0);
    });
  }
});

/** A source that hands out `chunk` bytes per pull and counts what was pulled. */
function countingSource(bytes: Uint8Array, name: string, chunk = 4096) {
  const counter = { pulled: 0 };
  const source: ByteSource = {
    ...blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), name),
    open: async () => {
      let at = 0;
      const stream = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (at >= bytes.length) return controller.close();
            const part = bytes.slice(at, at + chunk);
            at += part.length;
            counter.pulled += part.length;
            controller.enqueue(part);
          },
        },
        { highWaterMark: 0 },
      );
      return ok({ stream, totalBytes: bytes.length });
    },
  };
  return { source, counter };
}

const ENGINES: GunzipEngine[][] = [['pako'], ['native', 'fflate'], ['fflate']];

describe('fuzz: gzip bombs (32 KiB declared, then 200 MiB of zeros in about 200 KiB)', () => {
  // The whole bomb is ~200 KiB compressed; a decoder that stops at the declared voxels pulls a
  // few 4 KiB chunks of it (each inflates to ~4 MiB).
  for (const bomb of gzipBombs()) {
    for (const engines of ENGINES) {
      it(`${bomb.name} (${engines.join(', ')}): loads the declared voxels, pulling a small part of the input`, async () => {
        const bytes = bomb.bytes();
        const { source, counter } = countingSource(bytes, bomb.fileName);
        const controller = new AbortController();
        const io = budgetIO(controller.signal);
        const o = await decodeWithDeadline(source, io, controller, { gunzip: engines });
        expect(label(o)).toBe('ok');
        if (o.kind !== 'result' || o.result.kind !== 'ok') return;
        expect(Array.from(o.result.value.voxels)).toEqual(Array.from(bomb.voxels));
        expect(io.granted).toBe(bomb.voxels.length);
        // pako and fflate inflate only what is read. Node's DecompressionStream takes its whole input
        // without backpressure (it buffers the compressed bytes; measured: it does not inflate them),
        // so for 'native' the bound is an absolute one.
        const bound = engines[0] === 'native' ? 4 << 20 : 64 * 1024;
        expect(counter.pulled, `pulled ${counter.pulled} of ${bytes.length} bytes`).toBeLessThanOrEqual(bound);
      });
    }
  }
});

/** The gz seeds (whole-file or gzip-encoded NRRD data) to append garbage to, real ones first. */
function garbageTargets(all: readonly Seed[]): { seed: Seed; withGarbage: (g: Uint8Array) => Uint8Array }[] {
  const out: { seed: Seed; withGarbage: (g: Uint8Array) => Uint8Array }[] = [];
  for (const seed of all) {
    if (seed.gz) out.push({ seed, withGarbage: (g) => concatBytes([seed.stored, g]) });
    else if (seed.format === 'nrrd' && seed.layout.encoding === 'gzip') {
      out.push({
        seed,
        withGarbage: (g) => {
          const split = nrrdSplit(seed.content);
          if (!split) throw new Error(`${seed.name}: no NRRD header`);
          return nrrdJoin(split.header, concatBytes([split.data, g]));
        },
      });
    }
  }
  return out;
}

describe('fuzz: trailing garbage after a gzip member loads, with identical voxels', () => {
  const garbage = new Uint8Array(4099).map((_, i) => (i * 131 + 7) & 0xff);
  garbage[0] = 0x42; // not a second member's magic
  // Small seeds of every kind, and of the full-size files the smallest of each kind (.nii.gz, .mgz, gzip NRRD).
  const smallest = new Map<string, Seed>();
  for (const s of seeds.shared) {
    const kind = `${s.format}${s.gz ? '.gz' : ''}`;
    const had = smallest.get(kind);
    if (!had || s.content.length < had.content.length) smallest.set(kind, s);
  }
  for (const { seed, withGarbage } of garbageTargets([...seeds.small, ...smallest.values()])) {
    for (const engines of ENGINES) {
      it(`${seed.name} (${engines.join(', ')})`, async () => {
        const decode = (bytes: Uint8Array) => {
          const controller = new AbortController();
          return decodeWithDeadline(blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]), seed.fileName), budgetIO(controller.signal), controller, {
            gunzip: engines,
            sampledStatsOnly: seed.origin === 'shared',
          });
        };
        const clean = await decode(seed.stored);
        const dirty = await decode(withGarbage(garbage));
        expect(label(clean)).toBe('ok');
        expect(label(dirty), dirty.kind === 'result' && dirty.result.kind === 'error' ? dirty.result.message : '').toBe('ok');
        if (clean.kind !== 'result' || clean.result.kind !== 'ok' || dirty.kind !== 'result' || dirty.result.kind !== 'ok') return;
        expect(dirty.result.value.header.dims).toEqual(clean.result.value.header.dims);
        expect(Buffer.compare(Buffer.from(dirty.result.value.voxels), Buffer.from(clean.result.value.voxels))).toBe(0);
      });
    }
  }
});

afterAll(() => {
  const keys = [...new Set([...tally.structural.keys(), ...tally.random.keys()])].sort((a, b) => (a === 'ok' ? -1 : b === 'ok' ? 1 : a.localeCompare(b)));
  const rows = keys.map((k) => {
    const s = tally.structural.get(k) ?? 0;
    const r = tally.random.get(k) ?? 0;
    return `| ${k === 'ok' ? 'correct load' : k.replace('error: ', 'typed error: ')} | ${s} | ${r} | ${s + r} |`;
  });
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const total = `| total | ${sum(tally.structural)} | ${sum(tally.random)} | ${sum(tally.structural) + sum(tally.random)} |`;
  console.log(
    [
      `fuzz outcomes (seed ${RUN_SEED}, ${ITERATIONS} random${FULL ? ', FUZZ_FULL' : ''}):`,
      '| outcome | structural | random | all |',
      '|---|---:|---:|---:|',
      ...rows,
      total,
      `largest voxel memory asked for: ${requests.largest} bytes; ${requests.refused} requests over the ${FUZZ_BUDGET_BYTES}-byte budget refused, none granted`,
    ].join('\n'),
  );
});
