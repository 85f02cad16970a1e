// Mutation testing of the pure core (issue 27): `npm run mutate`.
//
// Stryker makes small bugs in the files below (a `<` becomes `<=`, a `+` a `-`, a branch is
// emptied…) and runs the unit tests against each one; a mutant that no test notices "survives".
// The score per folder must stay ≥ 85 %. A survivor that cannot change behaviour (an equivalent
// mutant) is marked in the source with `// Stryker disable next-line <mutator>: <why>`.
//
// Incremental: results are kept in reports/mutation/stryker-incremental.json (git-ignored), so a
// rerun only tests the mutants whose code or covering tests changed. To mutate only what a change
// touched:   npm run mutate -- --mutate 'src/memory/pool.ts'   (globs, comma-separated).
// The HTML report is reports/mutation/mutation.html.
// MUTATE_TAG=volume npm run mutate -- --mutate 'src/volume/**/*.ts' keeps that run's incremental
// file and reports apart (reports/mutation/volume-*.json, volume.html), so scoring one folder does
// not throw away the incremental results of another. MUTATE_TESTS='src/volume/**/*.test.ts' runs
// only those tests (vitest.mutate.config.ts): a lower bound of the score, much faster.
//
// Not part of .ci/run: a full run takes far longer than CI's budget.

import process from 'node:process';

const tag = process.env.MUTATE_TAG ? `${process.env.MUTATE_TAG}-` : '';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  // The initial run of every related test can take minutes on the shared 2-core machine.
  dryRunTimeoutMinutes: 20,
  coverageAnalysis: 'perTest',
  mutate: [
    'src/volume/**/*.ts',
    'src/memory/**/*.ts',
    'src/io/dicom/geometry/**/*.ts',
    'src/io/dicom/pixels/**/*.ts',
    'src/io/decoders/**/*.ts',
    'src/render/camera/**/*.ts',
    'src/state/measurements.ts',
    'src/gpu/plan.ts',
    // Tests and what only tests use.
    '!src/**/*.test.ts',
    '!src/**/*.d.ts',
    '!src/io/dicom/geometry/planeFixtures.ts',
    '!src/io/dicom/pixels/testEncoders.ts',
    '!src/io/dicom/pixels/testCodecEncoders.ts',
    // File writers for tests, fixtures and the benchmark (Voxlens writes only NIfTI: niftiWrite.ts).
    '!src/io/decoders/analyzeWrite.ts',
    '!src/io/decoders/mghWrite.ts',
    '!src/io/decoders/nrrdWrite.ts',
    // Re-exports only.
    '!src/io/dicom/geometry/index.ts',
    '!src/io/dicom/pixels/index.ts',
    // Workers (no Worker in Node) and the FinalizationRegistry leak watcher (needs a real GC).
    '!src/**/*.worker.ts',
    '!src/memory/leaks.ts',
  ],
  incremental: true,
  incrementalFile: `reports/mutation/${tag}stryker-incremental.json`,
  reporters: ['html', 'clear-text', 'progress', 'json'],
  htmlReporter: { fileName: `reports/mutation/${tag}mutation.html` },
  jsonReporter: { fileName: `reports/mutation/${tag}mutation.json` },
  // The development machine has 2 cores.
  concurrency: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignoreStatic: true,
  // A mutant that loops forever is killed this long (plus 1.5 × its tests' normal time) after it starts.
  timeoutMS: 4000,
  thresholds: { high: 90, low: 85, break: null },
};
