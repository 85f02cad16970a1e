// The 3D pane's fast path against its exact path (issue 21): full-quality frames of the 3D pane at
// 512 × 512, the camera turning 10° a frame, each awaited with voxlens.frame(), on a noisy 256³
// int16 ellipsoid and a smooth head-like 256³ int16 volume, in MIP, composite and iso; medians of
// the frames, fast and exact, and their ratio. A quick standalone measurement, not part of
// `npm run bench`:
//   npx vite build --outDir <dir> && npx tsx bench/fastPath.ts --dist <dir> [--frames 5] [--side 256] [--view 512]
//   [--ab] [--globals k=v,...] [--defaults] [--modes mip,iso] [--subjects noisy,phantom,ct] [--no-skip] [--blocks 2]
// (ct: the render bench's CT, bench/out/data/ct_int16_512x512x300.nii.gz, made by `npm run bench -- --render`;
// [--file <path>]: a volume from disk as one more subject, "file", at the app's defaults)
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { basename, join, resolve } from 'node:path';
import { encodeNifti } from '../src/io/decoders/niftiWrite';
import { noisyPhantom, samplePhantom, smoothHeadPhantom } from '../scripts/sample';
import { launch, log, openVoxlensPanes, rendererOf, voxlensLoad } from './harness';
import { processTree } from './procMemory';
import { serve } from './server';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dist = resolve(root, option('--dist') ?? 'dist');
const FRAMES = Number(option('--frames') ?? 6);
/** `--blocks n`: frames are timed in this many blocks per path, fast and exact in turn (more blocks: each path sees the same spells of load). */
const BLOCKS = Number(option('--blocks') ?? 2);
const SIDE = Number(option('--side') ?? 256);
const VIEW = Number(option('--view') ?? 512);
/** `--no-skip`: empty-space skipping off, so every sample is taken (the sampling cost alone). */
const SKIP = !args.includes('--no-skip');
/** `--modes mip,iso`: fewer modes. */
const MODES = (option('--modes') ?? 'mip,composite,iso').split(',') as ('mip' | 'composite' | 'iso')[];
/** `--subjects noisy,phantom`: some of the volumes (noisy, smooth, phantom), by the start of their names. */
const ONLY = option('--subjects')?.split(',');
/**
 * `--ab`: instead of fast against exact, two variants of the fast path's program alternate in the
 * same page (window.voxlensAB = 'A' or 'B': a build patched by hand for the comparison reads it
 * where VolumeRender makes a program and keys its programs by it; the app never does), and the 3D
 * pane's image of each (and of the exact path) is compared at a fixed camera: mean and largest
 * grey-level difference.
 */
const AB = args.includes('--ab');
/**
 * `--globals voxlensPre=8,voxlensUnroll=4`: window properties set in the page before the frames,
 * for a build patched by hand to read them (as --ab's voxlensAB); the app reads none of them.
 */
const GLOBALS = (option('--globals') ?? '').split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]);
/** `--floor`: every ray clipped away (a clip box outside the volume): what a frame costs besides the march. */
const FLOOR = args.includes('--floor');
/** `--defaults`: the window and transfer function the app picks (as `npm run bench -- --render` leaves them), not the subject's own. */
const DEFAULTS = args.includes('--defaults');

/** Tissue everywhere inside an ellipsoid (σ 8 noise over a smooth drift), so skipping cannot help. */
function noisyVolume(side: number): Int16Array {
  const out = new Int16Array(side ** 3);
  noisyPhantom([side, side, side], 0x9e3779b9, (n, value) => (out[n] = Math.round(value) - 1024));
  return out;
}

/** Smooth and head-like (scripts/sample.ts smoothHeadPhantom), our stand-in for the MNI template. */
function smoothVolume(side: number): Int16Array {
  const out = new Int16Array(side ** 3);
  smoothHeadPhantom([side, side, side], (n, value) => (out[n] = Math.round(value)));
  return out;
}

interface Subject {
  name: string;
  file: string;
  /** Composite transfer points and the iso value, in the volume's units; none: the app's defaults, as with --defaults. */
  points?: [number, number][];
  iso?: number;
  window?: [number, number];
}

/**
 * `--file <path>`: a volume from disk as one more subject, named "file" (e.g. the MNI template,
 * MNI152_2009_template.nii.gz from NiiVue's demos/images, which the repo does not carry), with the
 * app's default window, transfer function and iso value.
 */
const FILE = option('--file');

/** A file from disk (the CT, --file's), linked beside the generated volumes as `name` (served from one folder). */
function linkFile(dir: string, path: string, name: string): string {
  rmSync(join(dir, name), { force: true });
  symlinkSync(resolve(path), join(dir, name));
  return name;
}

const CT_FILE = join(root, 'bench', 'out', 'data', 'ct_int16_512x512x300.nii.gz');

function writeVolume(dir: string, name: string, data: Int16Array): string {
  const file = join(dir, `${name}.nii`);
  const affine = [1, 0, 0, -(SIDE - 1) / 2, 0, 1, 0, -(SIDE - 1) / 2, 0, 0, 1, -(SIDE - 1) / 2, 0, 0, 0, 1];
  writeFileSync(file, encodeNifti({ dims: [SIDE, SIDE, SIDE], datatypeCode: 4, bitpix: 16, bytesPerValue: 2, data: new Uint8Array(data.buffer), affine }));
  return `${name}.nii`;
}

/**
 * CPU time (ms) the browser's processes (all threads: the GPU process's SwiftShader workers among
 * them) have used so far: on a machine shared with other work, a frame's CPU time varies far less
 * than its wall time, so an A/B reads it too.
 */
function cpuMs(rootPid: number): number {
  let ticks = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
    } catch {
      // the process ended
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The 3D pane's pixels (RGBA) at the camera as it is, drawn by variant `ab` ('A', 'B') or the exact path. */
async function paneImage(page: Page, ab: 'A' | 'B' | 'exact'): Promise<PNG> {
  await page.evaluate(async (ab) => {
    const v = window.voxlens;
    (window as { voxlensAB?: string }).voxlensAB = ab === 'B' ? 'B' : 'A';
    v.setQuality(1, { exact: ab === 'exact' });
    // The pane's image cache keys the state, not the variant: a pose a ten-millionth of a degree
    // apart per variant makes each draw its own image.
    const az = Math.round(v.camera().azimuth);
    v.setCamera({ azimuth: az + (ab === 'A' ? 1e-7 : ab === 'B' ? 2e-7 : 3e-7) });
    await v.frame();
  }, ab);
  return PNG.sync.read(await page.getByTestId('view-3d').screenshot());
}

/** Mean and largest absolute difference over the RGB channels of two images. */
function imageDifference(a: PNG, b: PNG): { mean: number; max: number } {
  let sum = 0, max = 0, n = 0;
  for (let i = 0; i < a.data.length; i += 4)
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.data[i + c] - b.data[i + c]);
      sum += d;
      max = Math.max(max, d);
      n++;
    }
  return { mean: sum / n, max };
}

async function main(): Promise<void> {
  const dir = join(root, 'bench', 'out', 'fastPath');
  mkdirSync(dir, { recursive: true });
  const subjects: Subject[] = [
    { name: `noisy ${SIDE}³ int16`, file: writeVolume(dir, `noisy${SIDE}`, noisyVolume(SIDE)), points: [[-200, 0], [100, 0.05], [1000, 0.6]], iso: 300, window: [-200, 1000] },
    { name: `smooth ${SIDE}³ int16`, file: writeVolume(dir, `smooth${SIDE}`, smoothVolume(SIDE)), points: [[150, 0], [500, 0.08], [900, 0.6]], iso: 450, window: [0, 900] },
    // The render bench's 256³ int16 volume (bench/volumes.ts): piecewise constant, in HU; with --defaults, CT-AAA and iso 300 as there.
    { name: `phantom ${SIDE}³ int16`, file: writeVolume(dir, `phantom${SIDE}`, samplePhantom([SIDE, SIDE, SIDE]).map((x) => x - 1024)), points: [[150, 0], [300, 0.2], [1000, 0.6]], iso: 300, window: [-200, 1000] },
    // The render bench's CT (bench/volumes.ts), where `npm run bench` made it: only with --subjects ct.
    ...(ONLY?.includes('ct') && existsSync(CT_FILE) ? [{ name: 'ct 512×512×300 int16', file: linkFile(dir, CT_FILE, 'ct.nii.gz'), points: [[150, 0], [300, 0.2], [1000, 0.6]] as [number, number][], iso: 300, window: [-200, 1000] as [number, number] }] : []),
    ...(FILE !== undefined ? [{ name: `file ${basename(FILE)}`, file: linkFile(dir, FILE, `file_${basename(FILE)}`) }] : []),
  ];
  const { server, url } = await serve({ '/': dist, '/data/': dir });
  const rows: string[] = [];
  try {
    for (const subject of subjects) {
      if (ONLY && !ONLY.some((o) => subject.name.startsWith(o))) continue;
      const { page, close, rootPid } = await launch({ width: VIEW + 340, height: VIEW + 40 });
      try {
        await openVoxlensPanes(page, url, '3d', [VIEW, VIEW], 'view-3d');
        await voxlensLoad(page, `${url}/data/${subject.file}`);
        await page.waitForFunction(() => window.voxlens.layers()[0]?.range.exact === true, null, { timeout: 300_000, polling: 100 });
        await page.getByLabel('Show crosshair lines').setChecked(false);
        await page.evaluate((globals) => {
          for (const [k, v] of globals) (window as unknown as Record<string, string>)[k] = v;
        }, GLOBALS);
        await page.evaluate(({ s, defaults, floor }) => {
          const v = window.voxlens;
          const id = v.layers()[0].id;
          if (!defaults && s.window && s.points) {
            v.setDisplay(id, { window: s.window, colormap: 'gray' });
            v.setTransfer(id, { points: s.points, colormap: 'gray' });
          }
          if (s.iso !== undefined) v.setIso(id, s.iso);
          v.setCamera({ azimuth: 0, elevation: 0, zoom: 1 });
          // The floor: a clip box that no ray meets inside the volume, so every ray ends after its setup.
          if (floor) v.setClip({ lo: [1e4, 1e4, 1e4], hi: [1e4 + 1, 1e4 + 1, 1e4 + 1] });
        }, { s: subject, defaults: DEFAULTS, floor: FLOOR });
        log(`${subject.name} on ${await rendererOf(page)}`);
        for (const mode of MODES) {
          // Blocks of fast and exact frames in turn, so a machine shared with other work slows both alike.
          const all: Record<'fast' | 'exact', number[]> = { fast: [], exact: [] };
          const cpu: Record<'fast' | 'exact', number[]> = { fast: [], exact: [] };
          // Two blocks first, one per path, not counted: a path's first frames after its program is made run slow.
          for (let block = -2; block < 2 * BLOCKS; block++) {
            // With --ab, "exact" is variant B of the fast path.
            const exact = (block + 2) % 2 === 1 && !AB;
            const variant = AB && (block + 2) % 2 === 1 ? 'B' : 'A';
            const path = await page.evaluate(
              async ({ mode, exact, skipEmpty, variant }) => {
                const v = window.voxlens;
                (window as { voxlensAB?: string }).voxlensAB = variant;
                v.setRenderMode(mode, mode === 'mip' ? { projection: 'max' } : {});
                v.setQuality(1, { exact, skipEmpty });
                // The first frame makes the render copy (or compiles the program): not timed.
                await v.frame();
                return v.renderPath().path;
              },
              { mode, exact, skipEmpty: SKIP, variant },
            );
            const cpu0 = cpuMs(rootPid);
            const times = await page.evaluate(
              async ({ frames, path }) => {
                const v = window.voxlens;
                const out: number[] = [];
                for (let i = 0; i < frames; i++) {
                  const t0 = performance.now();
                  v.setCamera({ azimuth: v.camera().azimuth + 10 });
                  await v.frame();
                  out.push(performance.now() - t0);
                }
                return { out, path };
              },
              { frames: Math.ceil(FRAMES / BLOCKS), path },
            );
            const cpuPerFrame = (cpuMs(rootPid) - cpu0) / times.out.length;
            if (times.path !== (exact ? 'exact' : 'fast')) throw new Error(`${mode}: asked for ${exact ? 'exact' : 'fast'}, drew ${times.path}`);
            const slot = AB ? (variant === 'B' ? 'exact' : 'fast') : exact ? 'exact' : 'fast';
            if (block >= 0) {
              all[slot].push(...times.out);
              cpu[slot].push(cpuPerFrame);
            }
            log(`  ${mode} ${AB ? variant : exact ? 'exact' : 'fast '}: ${times.out.map((t) => t.toFixed(0)).join(' ')} ms, CPU ${cpuPerFrame.toFixed(0)} ms a frame`);
          }
          const ms = { fast: median(all.fast), exact: median(all.exact) };
          const cpuMedian = { fast: median(cpu.fast), exact: median(cpu.exact) };
          const [a, b] = AB ? ['A', 'B'] : ['fast', 'exact'];
          let images = '';
          if (AB) {
            const shots = { A: await paneImage(page, 'A'), B: await paneImage(page, 'B'), exact: await paneImage(page, 'exact') };
            const f = (d: { mean: number; max: number }) => `mean ${d.mean.toFixed(3)} max ${d.max}`;
            images = `  A vs B ${f(imageDifference(shots.A, shots.B))}; A vs exact ${f(imageDifference(shots.A, shots.exact))}; B vs exact ${f(imageDifference(shots.B, shots.exact))}`;
            for (const v of ['A', 'B', 'exact'] as const) writeFileSync(join(dir, `${subject.name.split(' ')[0]}-${mode}-${v}.png`), PNG.sync.write(shots[v]));
          }
          rows.push(`${subject.name.padEnd(18)} ${mode.padEnd(10)} ${a} ${ms.fast.toFixed(0).padStart(6)} ms  ${b} ${ms.exact.toFixed(0).padStart(6)} ms  ${a}/${b} ${(ms.fast / ms.exact).toFixed(2)}; CPU a frame ${cpuMedian.fast.toFixed(0)} / ${cpuMedian.exact.toFixed(0)} ms = ${(cpuMedian.fast / cpuMedian.exact).toFixed(2)}${images}`);
        }
      } finally {
        await close();
      }
    }
  } finally {
    server.close();
  }
  log(`\n3D pane ${VIEW}², full quality, medians of ${Math.ceil(FRAMES / BLOCKS) * BLOCKS} frames a path turning 10° each, fast and exact in alternating blocks:\n${rows.join('\n')}`);
}

await main();
