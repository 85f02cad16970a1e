// The command line of `npm run bench` (bench/run.ts) and the paths every figure shares. Parsed once
// from process.argv; a figure module reads what it needs from here (its own constants, such as the
// smoke run's smaller sizes, follow from `smoke`).
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
export const flag = (name: string): boolean => args.includes(name);
export const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

export const smoke = flag('--smoke');
/** Runs per viewer and volume (--runs, default 5; 1 in a smoke run). */
export const runs = smoke ? 1 : Number(option('--runs') ?? 5);
/** --runs when it was given (some figures default to fewer runs otherwise). */
export const runsGiven = option('--runs') !== undefined;
/** --only TEXT: volumes whose name contains TEXT. */
export const only = option('--only');
/** Whether a volume (or a figure's volume) named `name` is in this run (--only). */
export const included = (name: string): boolean => only === undefined || name.includes(only);

export const outDir = join(root, 'bench/out');
export const dataDir = join(outDir, 'data');
// The app and pages are built per kind of run, so a smoke run (npm test) during a full run does not
// swap the build under it.
export const buildDir = smoke ? join(outDir, 'smoke') : outDir;
export const appDir = join(buildDir, 'app');
export const pagesDir = join(buildDir, 'pages');
/** The full run's results (a partial run writes bench/out/results.only.json, a smoke run results.smoke.json). */
export const resultsJson = join(root, 'bench/results.json');
export const resultsMd = join(root, 'bench/results.md');

/** The single view's size (CSS px, square) and slices paged; the multi-pane figures page as many. */
export const VIEW = 512;
export const PAGE_SLICES = smoke ? 4 : 100;
