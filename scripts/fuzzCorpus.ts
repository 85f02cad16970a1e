// The front door's fuzz corpus: a deterministic list of damaged volumes, each with what
// decodeVolume must answer (a typed error, a correct load, or either). src/io/fuzz.test.ts runs it;
// the CLI writes it to disk for other tools:
//
//   npx tsx scripts/fuzzCorpus.ts [outDir] [--random N] [--seed S] [--minis]
//
// writes outDir (default fuzz-corpus/, git-ignored) with one file per case and cases.json
// ([{ name, file, base, mutation, expect, kind, noAlloc, companions? }]; a case with companion files gets
// a folder holding the header and its data files). --minis mutates the shrunk seeds instead of
// the full-size files (a corpus of megabytes instead of about a gigabyte).
//
// Seeds: the NIfTI, NRRD and MGH/MGZ files of ../shared/data when present, plus small volumes made
// in memory (always, so the corpus exists without the shared data). Structural cases cut each seed
// at its boundaries and set its header fields to extremes (scripts/fuzz/*Cases.ts); random cases
// flip bits and splice bytes with a seeded PRNG (mulberry32; never Math.random).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasSharedData, SHARED_DATA_DIR } from '../src/testing/sharedData';
import { CaseList } from './fuzz/caseKit';
import { commonCases } from './fuzz/commonCases';
import { companionCases } from './fuzz/companionCases';
import { mghCases } from './fuzz/mghCases';
import { niftiCases } from './fuzz/niftiCases';
import { nrrdCases } from './fuzz/nrrdCases';
import { rng } from './fuzz/prng';
import { randomCases } from './fuzz/randomCases';
import { miniSeed, sharedSeeds, syntheticSeeds } from './fuzz/seeds';
import type { FuzzCase, Seed } from './fuzz/types';

export { FUZZ_BUDGET_BYTES } from './fuzz/caseKit';
export { BOMB_DIMS, BOMB_ZERO_MiB, commonCases, gzipBombs, type Bomb } from './fuzz/commonCases';
export { companionCases } from './fuzz/companionCases';
export { randomCase, randomCases } from './fuzz/randomCases';
export type { CaseKind, Expect, FuzzCase, Seed } from './fuzz/types';

export const DEFAULT_FUZZ_SEED = 20240611;

export interface FuzzSeeds {
  /** The files of ../shared/data, full size (none when it is absent). */
  shared: Seed[];
  /** Each shared file shrunk to a few voxels, its header otherwise kept. */
  minis: Seed[];
  /** Small volumes made in memory (always). */
  synthetic: Seed[];
  /** shared + synthetic. */
  full: Seed[];
  /** minis + synthetic: what random cases mutate. */
  small: Seed[];
}

export function loadSeeds(sharedDir: string | null = hasSharedData ? SHARED_DATA_DIR : null): FuzzSeeds {
  const shared = sharedDir ? sharedSeeds(sharedDir) : [];
  const synthetic = syntheticSeeds();
  const minis = shared.map(miniSeed).filter((s): s is Seed => s !== null);
  return { shared, minis, synthetic, full: [...shared, ...synthetic], small: [...minis, ...synthetic] };
}

/** Random bytes to put after a gzip member (never starting like another member). */
function garbage(runSeed: number): Uint8Array {
  const g = rng(runSeed ^ 0x7a11).bytes(777);
  if (g[0] === 0x1f) g[0] = 0x20;
  return g;
}

/** Every structural case for these seeds, plus the seed-less ones (junk, gzip framing, bombs, companion files). */
export function structuralCases(seeds: readonly Seed[], runSeed = DEFAULT_FUZZ_SEED): FuzzCase[] {
  return [...seedCases(seeds, runSeed), ...commonCases(runSeed), ...companionCases(runSeed)];
}

/** The structural cases of these seeds: cuts at each boundary, header fields at extremes, gzip framing. */
export function seedCases(seeds: readonly Seed[], runSeed = DEFAULT_FUZZ_SEED): FuzzCase[] {
  const out: FuzzCase[] = [];
  for (const seed of seeds) {
    const list = new CaseList(seed);
    list.framing(garbage(runSeed));
    if (seed.format === 'nrrd') nrrdCases(seed, list);
    else if (seed.format === 'mgh') mghCases(seed, list);
    else niftiCases(seed, list);
    out.push(...list.cases);
  }
  return out;
}

const extension = (fileName: string) => /(\.nii\.gz|\.[a-z0-9]+)$/i.exec(fileName)?.[1] ?? '.bin';

function main(argv: string[]): void {
  let outDir = 'fuzz-corpus';
  let random = 1000;
  let runSeed = DEFAULT_FUZZ_SEED;
  let minis = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--random') random = Number(argv[++i]);
    else if (a === '--seed') runSeed = Number(argv[++i]);
    else if (a === '--minis') minis = true;
    else if (!a.startsWith('--')) outDir = a;
    else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(random) || random < 0 || !Number.isInteger(runSeed)) throw new Error('--random and --seed take whole numbers');
  const seeds = loadSeeds();
  if (!seeds.shared.length) console.warn(`fuzzCorpus: ${SHARED_DATA_DIR} not found; seeds are the in-memory volumes only`);
  const dir = resolve(outDir);
  mkdirSync(join(dir, 'cases'), { recursive: true });
  const index: Record<string, unknown>[] = [];
  let bytes = 0;
  const write = (c: FuzzCase) => {
    const data = c.bytes();
    const entry: Record<string, unknown> = { name: c.name, file: `cases/${c.name}${extension(c.fileName)}`, base: c.base, mutation: c.mutation, expect: c.expect, kind: c.kind, noAlloc: c.noAlloc };
    if (c.companions) {
      // A header and its data files sit in one folder under the names the header gives.
      const folder = `cases/${c.name}`;
      mkdirSync(join(dir, folder), { recursive: true });
      entry.file = `${folder}/${c.fileName}`;
      const files = Object.entries(c.companions());
      for (const [name, b] of files) {
        writeFileSync(join(dir, folder, name), b);
        bytes += b.length;
      }
      entry.companions = files.map(([name]) => `${folder}/${name}`);
    }
    writeFileSync(join(dir, entry.file as string), data);
    bytes += data.length;
    index.push(entry);
  };
  for (const c of structuralCases(minis ? seeds.small : seeds.full, runSeed)) write(c);
  for (const c of randomCases(seeds.small, random, runSeed)) write(c);
  writeFileSync(join(dir, 'cases.json'), `${JSON.stringify(index, null, 1)}\n`);
  console.log(`fuzzCorpus: ${index.length} cases (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${dir}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
