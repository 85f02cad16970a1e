// npm run bench: Voxlens vs NiiVue vs the bare pipeline, in the same headless Chromium, on the
// same files. Medians of N runs (each in a fresh browser), min and max, ratios.
// Each figure is a module under bench/figures/ listed in bench/figures/index.ts; this file parses
// the flags, picks the figures, serves the app and runs them, writes results.json and prints (and
// in a full run writes) the table of bench/results.md.
//   --runs N      runs per viewer and volume (default 5)
//   --smoke       one tiny volume, one run (used by a test so the benchmark cannot rot)
//   --only TEXT   volumes whose name contains TEXT (a partial run: written to bench/out/results.only.json,
//                 bench/results.json and results.md are left as they are)
//   --multi-pane  only the multi-pane figures (2x2 paging, layout and 4D frame switches); a partial run
//                 like --only
//   --render      only the 3D render figures (MIP, composite, iso at 512², full and interaction quality,
//                 against NiiVue's render); a partial run like --only (with --multi-pane: both)
//   --measure     only the probing and measurement figures (pointer → panel with three layers and a
//                 profile plot open, ROI statistics of a 100 mm ellipse on the CT, volumes per label of
//                 a 256³ label map); a partial run like --only (with --multi-pane or --render: those too)
//   --formats     only the formats figure (bench/formats.ts: one 256³ int16 volume as .nii.gz, .nrrd
//                 and .mgz, load → first frame and decode throughput, against NiiVue); a partial run
//                 like --only, except that its figure also replaces the formats section of
//                 bench/results.json and results.md (the other figures there are left as they are);
//                 not part of a full run (about 10 minutes), which keeps the last one
//   --dicom       only the DICOM figure (bench/dicom.ts: a generated 512×512×300 CT series, one
//                 uncompressed Part 10 file per slice served over HTTP, against the same voxels as
//                 .nii.gz: load → first frame, slices/s and MB/s, renderer memory rise); a partial run
//                 like --formats, replacing only the DICOM section of bench/results.json and results.md;
//                 not part of a full run, which keeps the last one (the smoke run has a tiny series)
//   --zarr        only the OME-Zarr figure (bench/zarr.ts: the procedural 65536 × 65536 × 16384 image
//                 of scripts/zarrServer.ts: open → first coarse frame, full-resolution probe time,
//                 chunks per probe, memory); replaces only the OME-Zarr section; not in a full run
//   --memory      only the memory figure (bench/memory.ts: the renderer's peak rise while one .nii.gz
//                 loads, over its voxel bytes, the int16 phantom at 256³ and 512³, with what it is made
//                 of: the rise at decoded and the GL transfer buffer's shared memory); a partial run like
//                 --dicom, replacing only the memory section; not in a full run, which keeps the last one
//                 (the 512³ volume takes about 1.5 minutes to generate the first time; the smoke run has 32³)
//   --big         only the big-file figure (bench/bigFile.ts: a real 4096 × 4096 × 80 int16 .nii of 2.5 GiB,
//                 more than one buffer holds, generated into the temporary folder and deleted after,
//                 loaded over HTTP with ?budgetMiB=4096: load → first frame, the slabs and the display
//                 level, exact probes on both sides of the slab boundary, renderer memory, close); a
//                 partial run like --memory, replacing only its section; not in a full run (which keeps
//                 the last one) unless VOXLENS_BENCH_BIG=1; never in the smoke run. A wrong probe fails
//                 the run (a non-zero exit). --runs defaults to 1 here (about 1.5 minutes a run: two loads;
//                 2.5 GiB of disk in the temporary folder while it runs). VOXLENS_BENCH_BIG_DIMS=2048x2048x300
//                 measures another grid instead (that one is drawn whole, a texture per slab), in its own
//                 section (bigWhole)
//   --no-shared   skip ../shared/data
//   --report      print (and write bench/results.md) from the last bench/results.json, running nothing
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { seen, type BenchContext, type BenchResults, type Figure, type Table, type VolumeResult } from './figure';
import { FIGURES } from './figures';
import { closeSmokeBrowser, log } from './harness';
import { appDir, dataDir, flag, only, outDir, pagesDir, resultsJson, resultsMd, root, runs, smoke } from './options';
import { serve } from './server';
import { table } from './stats';
import { benchVolumes } from './volumes';

/** The figure flags given (--render, --multi-pane, …): each narrows a run to the figures with that flag. */
const given = new Set(FIGURES.flatMap((f) => (f.flag && flag(f.flag) ? [f.flag] : [])));
const narrowed = given.size > 0;
/** A partial run (--only, or a figure flag): written to bench/out/results.only.json. */
const partial = only !== undefined || narrowed;
/** Whether this run measures `f`. */
const measures = (f: Figure): boolean => (f.flag !== undefined && given.has(f.flag)) || (!narrowed && (smoke ? f.inSmoke : f.inFull));

function build() {
  log('building the app and the benchmark pages…');
  // Into bench/out/app, not dist/: a concurrent `vite preview` (the e2e tests) serves dist/.
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', appDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
  execFileSync('npx', ['vite', 'build', '-c', 'bench/vite.config.ts', '--outDir', pagesDir, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
}

/** A figure's value in the last full results (bench/results.json), if any. */
function previous(key: string): unknown {
  try {
    return (JSON.parse(readFileSync(resultsJson, 'utf8')) as BenchResults)[key];
  } catch {
    return undefined;
  }
}

async function main() {
  if (flag('--report')) {
    report(JSON.parse(readFileSync(resultsJson, 'utf8')) as BenchResults, true);
    return;
  }
  build();
  const os = await import('node:os');
  const loadStart = os.loadavg()[0];
  const selected = FIGURES.filter(measures);
  const ctx: BenchContext = {
    base: '',
    mounts: { '/': appDir, '/bench/': pagesDir, '/data/': dataDir },
    proxies: {},
    entries: benchVolumes(dataDir, { smoke }).map((v) => ({ volume: v, url: `/data/${basename(v.file)}` })),
    skipped: [],
  };
  const values = new Map<Figure, unknown>();
  const results: VolumeResult[] = [];
  try {
    for (const f of selected) await f.prepare?.(ctx);
    const { server, url } = await serve(ctx.mounts, 0, ctx.proxies);
    ctx.base = url;
    try {
      const perVolume = selected.filter((f) => f.perVolume);
      for (const entry of ctx.entries) {
        const { volume } = entry;
        if (only && !volume.name.includes(only)) continue;
        const figures = perVolume.filter((f) => f.perVolume && f.applies(volume));
        if (!figures.length) continue;
        log(`\n${volume.name}`);
        const result: VolumeResult = { volume: volume.name, voxelBytes: volume.voxelBytes };
        for (const f of figures) if (f.perVolume) result[f.key] = await f.run(ctx, entry);
        results.push(result);
      }
      for (const f of selected) if (!f.perVolume) values.set(f, await f.run(ctx));
    } finally {
      server.close();
    }
  } finally {
    for (const f of selected) await f.cleanup?.();
    await closeSmokeBrowser();
  }

  mkdirSync(outDir, { recursive: true });
  const json: BenchResults = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryBytes: os.totalmem(), platform: process.platform, arch: process.arch, loadAvg1m: [loadStart, os.loadavg()[0]] },
    browser: seen.browserVersion,
    renderer: seen.renderer,
    runsPerCell: runs,
    skipped: ctx.skipped,
    results,
  };
  for (const f of FIGURES) {
    if (f.perVolume) continue;
    // A full run keeps the last value of a figure with its own section that it did not measure.
    json[f.key] = values.get(f) ?? (f.section && !smoke && !partial ? previous(f.key) : undefined);
  }
  // The figures' settings (they read the results, e.g. the sizes measured), before results, as the rows read them.
  const meta = Object.assign({}, ...FIGURES.map((f) => f.meta?.(json) ?? {})) as Record<string, unknown>;
  const { date, machine, browser, renderer } = json;
  const ordered: BenchResults = { date, machine, browser, renderer, runsPerCell: runs, ...meta, skipped: json.skipped, results: json.results };
  for (const f of FIGURES) if (!f.perVolume) ordered[f.key] = json[f.key];
  const target = smoke ? join(outDir, 'results.smoke.json') : partial ? join(outDir, 'results.only.json') : resultsJson;
  writeFileSync(target, JSON.stringify(ordered, null, 1));
  log(`\nwrote ${target}`);
  report(ordered, !smoke && !partial);
  // A run of one figure with its own section (--formats, --dicom, --memory, --zarr, --big; not
  // --only): it replaces that figure's section of the full results, and leaves the rest as it was.
  if (!smoke && partial && only === undefined) {
    for (const f of selected) {
      const value = values.get(f);
      if (f.perVolume || !f.section || value === undefined) continue;
      f.section.merge(resultsJson, resultsMd, value);
      log(`replaced the ${f.section.label} section of bench/results.json and bench/results.md`);
    }
  }
  for (const f of selected) {
    // What is wrong in any run (the big-file figure: a wrong probe, a failed load, buffers left pinned).
    const failures = f.failures?.(ordered) ?? [];
    if (failures.length) {
      log(`\n${f.name} figure FAILED (${failures.length}):\n  ${failures.slice(0, 20).join('\n  ')}`);
      process.exitCode = 1;
    }
    // A smoke run (npm test) fails when a figure's run failed or measured nothing, so no path can rot.
    const broken = smoke ? (f.smokeCheck?.(ordered) ?? []) : [];
    if (broken.length) {
      log(`\nsmoke: ${f.name} figure FAILED: ${broken.join('; ')}`);
      process.exitCode = 1;
    }
  }
}

/** Prints the table; with `write`, also writes it to bench/results.md (linked from the README). */
function report(json: BenchResults, write: boolean): void {
  const t: Table = { rows: [], targets: [] };
  for (const r of json.results) {
    for (const f of FIGURES) if (f.perVolume && r[f.key] !== undefined) f.rows(t, r.volume, r[f.key], json);
  }
  for (const f of FIGURES) if (!f.perVolume && !f.section && json[f.key] !== undefined) f.rows?.(t, json[f.key], json);
  const text = table(['volume', 'figure (median [min–max])', 'Voxlens', 'NiiVue 0.69', 'floor', 'floor+draw', 'Voxlens/NiiVue', 'Voxlens/floor', 'Voxlens/floor+draw'], t.rows);
  const header =
    `Voxlens benchmark, ${json.date}; ${json.machine.cpus} cores, ${(json.machine.memoryBytes / 2 ** 30).toFixed(0)} GiB` +
    (json.machine.loadAvg1m ? `; load average (1 min) ${json.machine.loadAvg1m.map((x) => x.toFixed(2)).join(' at start, ')} at end` : '') +
    '\n' +
    `browser ${json.browser}; renderer ${json.renderer}; ${json.runsPerCell} run(s) per cell, each in a fresh browser` +
    // Each legend only where its figures are (a --multi-pane or --render run has some of them).
    FIGURES.map((f) => f.legend?.(json) ?? '').filter(Boolean).map((l) => `\n${l}`).join('');
  const skippedText = json.skipped.length ? `\nskipped: ${json.skipped.join('; ')}\n` : '';
  const targetText = t.targets.length ? `\ntargets (medians):\n${t.targets.map((x) => `  ${x}`).join('\n')}\n` : '';
  const sections = FIGURES.flatMap((f) => (!f.perVolume && f.section && json[f.key] !== undefined ? [{ f, section: f.section, value: json[f.key] }] : []));
  // A run of a figure with its own section alone prints only that.
  if (t.rows.length || !sections.length) console.log(`\n${header}\n\n${text}\n${targetText}${skippedText}`);
  for (const { section, value } of sections) console.log(`\n${section.report(value)}`);
  if (write) {
    const md = sections.map(({ section, value }) => `\n${section.markdown(value)}`).join('');
    writeFileSync(resultsMd, `# Benchmark results\n\nGenerated by \`npm run bench\`; raw runs in results.json.\n\n\`\`\`\n${header}\n\n${text}\n${targetText}${skippedText}\`\`\`\n${md}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
