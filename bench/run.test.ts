// Runs the benchmark's smallest case end to end so it cannot rot. No timing is asserted: only
// that every subject produced its figures.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const hasBrowser = Boolean(process.env.CHROMIUM_PATH) || existsSync('/usr/bin/chromium');

it.skipIf(!hasBrowser)('npm run bench -- --smoke measures Voxlens, NiiVue and the floor', () => {
  const out = join(root, 'bench/out/results.smoke.json');
  rmSync(out, { force: true });
  const stdout = execFileSync('npx', ['tsx', 'bench/run.ts', '--smoke'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 170_000 });
  expect(stdout).toContain('Voxlens/NiiVue');
  const results = JSON.parse(readFileSync(out, 'utf8'));
  const subjects = results.results[0].subjects;
  for (const s of ['voxlens', 'niivue', 'floor', 'floorDraw']) {
    expect(subjects[s].runs[0].error, `${s} failed`).toBeUndefined();
    expect(subjects[s].summary.loadMs.median).toBeGreaterThan(0);
    expect(Number.isFinite(subjects[s].summary.total.median)).toBe(true);
  }
  expect(subjects.voxlens.summary.pageMs.median).toBeGreaterThan(0);
  expect(subjects.voxlens.summary.probeMs.median).toBeGreaterThan(0);
  expect(results.renderer).not.toBe('');
}, 180_000);
