// The thick slab against the thin slice in one page (issue 23): the 2x2 layout at 1024×768 on the
// bench's CT (or any .nii.gz), turned as bench/figures/oblique.ts turns it, the axial pane paged one
// voxel along its normal per frame, thin and 20 mm MIP slabs in alternating blocks, so a machine
// shared with other work slows both alike; ms per frame (medians of the blocks) and their ratio.
// A quick standalone measurement for comparing builds, not part of `npm run bench`:
//   npx vite build --outDir <dir> && npx tsx bench/slabAB.ts --dist <dir>[,<dir2>…] [--file bench/out/data/ct_int16_512x512x300.nii.gz]
//   [--frames 20] [--blocks 3] [--panes axial,coronal,sagittal] [--mode max] [--mm 20] [--linear] [--shot out.png]
import { writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { obliqueRotation, pageAlongNormal } from './figures/oblique';
import type { Page } from '@playwright/test';
import { launch, log, newPage, openVoxlensPanes, voxlensLoad } from './harness';
import { serve } from './server';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const file = resolve(root, option('--file') ?? 'bench/out/data/ct_int16_512x512x300.nii.gz');
const FRAMES = Number(option('--frames') ?? 20);
const BLOCKS = Number(option('--blocks') ?? 3);
/** The panes that get the slab (the others stay thin). */
const PANES = (option('--panes') ?? 'axial,coronal,sagittal').split(',') as ('axial' | 'coronal' | 'sagittal')[];
const MODE = (option('--mode') ?? 'max') as 'max' | 'min' | 'mean';
const MM = Number(option('--mm') ?? 20);
const LINEAR = args.includes('--linear');
/** `--straight`: the patient axes instead of the double oblique. */
const STRAIGHT = args.includes('--straight');
const SHOT = option('--shot');
const HACK = option('--hack');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  // `--dist a,b`: each build in its own page of one browser, measured in turn, block by block.
  const dists = (option('--dist') ?? 'dist').split(',').map((d) => resolve(root, d));
  // A server per build (the app's assets sit at the root).
  const servers = await Promise.all(dists.map((d) => serve({ '/': d, '/data/': dirname(file) })));
  const { page: first, browser, close } = await launch({ width: 1024 + 340, height: 768 + 40 });
  try {
    const pages = [first];
    while (pages.length < dists.length) pages.push(await newPage(browser, { width: 1024 + 340, height: 768 + 40 }));
    for (const [i, page] of pages.entries()) {
      const { url } = servers[i];
      await openVoxlensPanes(page, url, '2x2', [1024, 768]);
      await voxlensLoad(page, `${url}/data/${basename(file)}`);
      await page.evaluate(
        ({ r, linear, straight }) => {
          const v = window.voxlens;
          if (!straight) v.setOrientation({ rotation: r });
          if (linear) v.setDisplay(v.layers()[0].id, { interpolation: 'linear' });
          return v.frame();
        },
        { r: obliqueRotation(), linear: LINEAR, straight: STRAIGHT },
      );
      if (HACK) await page.evaluate((h) => ((window as unknown as { slabHack: unknown }).slabHack = JSON.parse(h)), HACK);
    }
    const setSlab = (page: Page, mm: number) =>
      page.evaluate(
        async ({ mm, panes, mode }) => {
          for (const p of panes) window.voxlens.setSlab(p, { thickness: mm, mode });
          await window.voxlens.frame();
        },
        { mm, panes: PANES, mode: MODE },
      );
    // Warm-up: both programs compiled, untimed.
    for (const page of pages) {
      await setSlab(page, MM);
      await setSlab(page, 0);
    }
    const all = pages.map(() => ({ thin: [] as number[], slab: [] as number[] }));
    for (let b = 0; b < BLOCKS; b++)
      for (const [i, page] of pages.entries())
        for (const kind of ['thin', 'slab'] as const) {
          await setSlab(page, kind === 'slab' ? MM : 0);
          const ms = await pageAlongNormal(page, FRAMES);
          all[i][kind].push(ms);
          log(`  ${basename(dists[i])} ${kind}: ${ms.toFixed(1)} ms/frame`);
        }
    for (const [i, r] of all.entries()) {
      const thin = median(r.thin), slab = median(r.slab);
      const ratios = r.slab.map((s, k) => (s / r.thin[k]).toFixed(2)).join(', ');
      log(
        `${basename(dists[i])}: ${basename(file)} ${STRAIGHT ? 'patient axes' : 'double oblique'}, ${MM} mm ${MODE} in ${PANES.join('+')}${LINEAR ? ', linear' : ''}: ` +
          `thin ${thin.toFixed(1)} ms (min ${Math.min(...r.thin).toFixed(1)}), slab ${slab.toFixed(1)} ms (min ${Math.min(...r.slab).toFixed(1)}), slab/thin ${(slab / thin).toFixed(2)} (per block ${ratios}; of the minima ${(Math.min(...r.slab) / Math.min(...r.thin)).toFixed(2)})`,
      );
    }
    if (SHOT)
      for (const [i, page] of pages.entries()) {
        await setSlab(page, MM);
        writeFileSync(resolve(root, SHOT.replace(/\.png$/, `-${i}.png`)), await page.getByTestId('panes').screenshot());
      }
  } finally {
    await close();
    for (const { server } of servers) server.close();
  }
}

await main();
