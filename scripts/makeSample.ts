// npm run sample: writes public/sample.nii.gz (committed; sample.test.ts checks it matches).
import { writeFileSync } from 'node:fs';
import { sampleNiftiGz } from './sample';

const out = new URL('../public/sample.nii.gz', import.meta.url);
const bytes = sampleNiftiGz();
writeFileSync(out, bytes);
console.log(`wrote ${out.pathname} (${bytes.length} bytes)`);
