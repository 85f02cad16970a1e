// The fuzz corpus through the real front door: a good volume is loaded first, then a sample of the
// corpus (scripts/fuzzCorpus.ts: cuts, extreme header fields, gzip framing, missing data files,
// seeded random mutations) goes through voxlens.load and the file input. After each case the good
// volume's probes, layers() and live memory are what they were, and every failure is typed.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { loadSeeds, randomCases, structuralCases, type FuzzCase } from '../scripts/fuzzCorpus';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { loadInPage, openEmpty, serveFixtures } from './helpers';

const GOOD_DIMS = [6, 5, 4];
const good = () => encodeNifti({ dims: GOOD_DIMS, datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(Int16Array.from({ length: 120 }, (_, i) => i * 3 - 100).buffer) });
const PROBES = [
  [0, 0, 0],
  [5, 4, 3],
  [2, 3, 1],
];

/** Every k-th case, so each kind and seed is represented without running the whole corpus in a browser. */
function sample(cases: FuzzCase[], count: number): FuzzCase[] {
  const step = Math.max(1, Math.floor(cases.length / count));
  return cases.filter((_, i) => i % step === 0).slice(0, count);
}

const seeds = loadSeeds();
const corpus = sample(structuralCases(seeds.small), 36).concat([...randomCases(seeds.small, 12, 7)]);

async function snapshot(page: Page, id: string) {
  return page.evaluate(
    ([layer, ijks]) => {
      const m = window.voxlens.memory();
      return {
        layers: window.voxlens.layers(),
        probes: ijks.map((ijk) => window.voxlens.probe({ ijk }, layer)[0].raw),
        liveBytes: m.liveBytes,
        live: m.buffers.filter((b) => !b.pooled).map((b) => ({ id: b.id, pins: b.pins.map((p) => p.owner).sort() })),
      };
    },
    [id, PROBES] as const,
  );
}

/** Serves each case under its own folder, so a header's data files are found beside it by URL. */
async function serveCorpus(page: Page, cases: FuzzCase[]) {
  const byName = new Map(cases.map((c) => [c.name, c]));
  await page.route((url) => url.pathname.startsWith('/__fuzz__/'), async (route) => {
    const [name, file] = decodeURIComponent(new URL(route.request().url()).pathname.slice('/__fuzz__/'.length)).split('/');
    const c = byName.get(name);
    const body = !c ? undefined : file === c.fileName ? c.bytes() : c.companions?.()[file];
    if (!body) return route.fulfill({ status: 404, body: 'not in the corpus' });
    await route.fulfill({ status: 200, body: Buffer.from(body), headers: { 'content-type': 'application/octet-stream' } });
  });
}

test('a sample of the fuzz corpus through voxlens.load: a typed error or a correct load each time, and the loaded volume untouched', async ({ page }) => {
  test.setTimeout(240_000);
  await serveFixtures(page, { 'good.nii': good() });
  await serveCorpus(page, corpus);
  await openEmpty(page);
  const { id } = await loadInPage(page, '/__fixtures__/good.nii');
  await page.evaluate(() => window.voxlens.frame());
  await page.waitForFunction(() => window.voxlens.layers().every((l) => l.range.exact));
  const before = await snapshot(page, id!);
  const outcomes: Record<string, number> = {};
  for (const c of corpus) {
    const r = await loadInPage(page, `/__fuzz__/${c.name}/${c.fileName}`);
    const outcome = r.id ? 'load' : r.code!;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    const what = `${c.name} (${c.mutation}): ${r.code} ${r.message}`;
    if (r.id) {
      expect(c.expect, what).not.toBe('error');
      await page.evaluate((layer) => window.voxlens.close(layer), r.id);
    } else {
      expect(r.code, what).toBeDefined();
      expect(r.code, what).not.toBe('internal');
      expect(r.message!.length, what).toBeGreaterThan(20);
      expect(c.expect, what).not.toBe('ok');
    }
    expect(await snapshot(page, id!), c.name).toEqual(before);
  }
  console.log('front door outcomes:', JSON.stringify(outcomes));
  expect(outcomes.load ?? 0).toBeGreaterThan(0);
  // The app is alive: the good volume still draws.
  await page.evaluate(() => window.voxlens.frame());
});

test('bad files through the file input: an alert naming each, the loaded volume untouched', async ({ page }) => {
  test.setTimeout(120_000);
  await serveFixtures(page, { 'good.nii': good() });
  await openEmpty(page);
  const { id } = await loadInPage(page, '/__fixtures__/good.nii');
  // The exact value range arrives after the load: wait for it, or layers() changes under the test.
  await page.waitForFunction(() => window.voxlens.layers().every((l) => l.range.exact));
  const before = await snapshot(page, id!);
  const errors = corpus.filter((c) => c.expect === 'error').slice(0, 8);
  for (const c of errors) {
    const files = [{ name: c.fileName, buffer: c.bytes() }, ...Object.entries(c.companions?.() ?? {}).map(([name, buffer]) => ({ name, buffer }))];
    await page.getByTestId('file-input').setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: Buffer.from(f.buffer) })));
    const alert = page.getByRole('alert').filter({ hasText: c.fileName });
    await expect(alert.first(), c.name).toBeVisible();
    expect(await alert.first().getAttribute('data-code'), c.name).not.toBe('internal');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(await snapshot(page, id!), c.name).toEqual(before);
    for (const dismiss of await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
  }
});
