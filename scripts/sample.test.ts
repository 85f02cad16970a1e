import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { sampleNiftiGz } from './sample';

it('public/sample.nii.gz is exactly what scripts/sample.ts generates', () => {
  const committed = readFileSync(new URL('../public/sample.nii.gz', import.meta.url));
  const generated = sampleNiftiGz();
  expect(generated.length).toBe(committed.length);
  expect(Buffer.compare(Buffer.from(generated), committed)).toBe(0);
});
