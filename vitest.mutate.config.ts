// The Vitest config Stryker runs (stryker.config.mjs): the project's own, except that
// MUTATE_TESTS (comma-separated globs) narrows the tests to those next to the code being mutated.
// On a busy machine the tests "related" to a widely imported module (volume/affine.ts) are most of
// the suite, and Stryker's initial run alone passes its timeout; the unit tests next to the code
// give a lower bound of the score in a fraction of the time.
import base from './vite.config';

const only = process.env.MUTATE_TESTS?.split(',').filter(Boolean);

export default only ? { ...base, test: { ...base.test, include: only } } : base;
