// Vitest's settings on top of vite.config.ts (its `test` block: which files, the environment).
// Two workers, and the bench smoke (bench/run.test.ts) first: it spends most of its time waiting
// on the Chromium it drives, and on a 2-core machine Vitest's default (cores − 1) would run it and
// then every other file one after another; started first beside a second worker, the other files
// run while it waits.
import { defineConfig, mergeConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import viteConfig from './vite.config';

const FIRST = /bench[\\/]run\.test\.ts$/;

class BenchSmokeFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return [...sorted.filter((f) => FIRST.test(f.moduleId)), ...sorted.filter((f) => !FIRST.test(f.moduleId))];
  }
}

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      maxWorkers: 2,
      sequence: { sequencer: BenchSmokeFirst },
    },
  }),
);
