// The figure registry: each figure's results.json key is its own, and every flag that picks
// figures is in bench/README.md's table of commands.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FIGURES } from './index';

it('every figure has its own results.json key, and every figure flag is documented', () => {
  const runKeys = FIGURES.filter((f) => !f.perVolume).map((f) => f.key);
  const volumeKeys = FIGURES.filter((f) => f.perVolume).map((f) => f.key);
  expect(new Set(runKeys).size).toBe(runKeys.length);
  expect(new Set(volumeKeys).size).toBe(volumeKeys.length);
  // Not the run's own fields either.
  for (const key of runKeys) expect(['date', 'machine', 'browser', 'renderer', 'runsPerCell', 'skipped', 'results']).not.toContain(key);
  const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
  const flags = [...new Set(FIGURES.flatMap((f) => (f.flag ? [f.flag] : [])))];
  expect(flags).toContain('--load');
  for (const flag of flags) expect(readme, `${flag} in bench/README.md`).toContain(`npm run bench -- ${flag}\``);
  // A figure with its own section says how to print and merge it.
  for (const f of FIGURES) if (!f.perVolume && f.section) expect(typeof f.section.merge).toBe('function');
});
