// The radiotherapy open-time figure (`npm run bench -- --rt-open`; not in a full run, which keeps the
// last one), issue 22's benchmark: the 512×512×300 CT of the DICOM figure (64×64×16 in a smoke
// run), an RT Dose of 150×150×100 on its own grid (2 × 2 × 3 mm) and an RTSTRUCT of 40 spherical
// structures (scripts/makeDicomRt.ts rtDoseObject, benchRois), each run in a fresh browser:
//   CT alone       = the series opened → every slice in and a frame drawn;
//   CT+dose+RTSTRUCT = the three opened at once (by URL, or as local File objects picked through a
//                    file input as a drop gives them: three voxlens.load calls; from
//                    Orthanc: voxlens.pacs.open of the RTSTRUCT, which opens its CT, and of the
//                    dose) → every layer in, the structures listed, a frame drawn;
//   DVH of all 40  = voxlens.rt.dvh(dose) over every structure, after the open;
//   renderer rise  = peak resident memory of the renderer processes (procMemory, 25 ms) over the
//                    voxel bytes opened (CT, or CT + dose).
// Targets: the three within 1.5× the CT alone; the 40 DVHs under 1 s.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ctSeries } from '../../scripts/makeDicomSeries';
import { benchRois, rtDoseObject, rtStructObject, type DoseGrid } from '../../scripts/makeDicomRt';
import { hasOrthanc, ORTHANC_SKIP, startOrthanc, type Orthanc } from '../../e2e/orthanc';
import { runFigure } from '../figure';
import { launch, log, mergeResultSection, openVoxlensPanes, resultSection } from '../harness';
import { dataDir, runs, runsGiven, smoke } from '../options';
import { processTree, sampleRss } from '../procMemory';
import { summarize, table, type Summary } from '../stats';
import { benchDicomVolume } from './dicom';

export const RT_OPEN_TARGET = 1.5;
export const RT_DVH_TARGET_MS = 1000;
const STRUCTURES = 40;
const DOSE: DoseGrid = smoke ? { dims: [20, 20, 10], spacing: [2, 2, 3] } : { dims: [150, 150, 100], spacing: [2, 2, 3] };

/** files: URLs of the bench server (voxlens.load); local: File objects from the disk (a file input, as a drop gives them); orthanc: DICOMweb. */
type Source = 'files' | 'local' | 'orthanc';
type Cell = `${'ct' | 'all'}-${Source}`;

interface RtOpenRun {
  cell: Cell;
  openMs: number;
  dvhMs?: number;
  /** Renderer peak rise over the voxel bytes opened. */
  rise: number;
  error?: string;
}

interface Prepared {
  ctUrls: string[];
  /** The same files on disk (the local cell's input), CT slices then dose then RTSTRUCT. */
  ctPaths: string[];
  dosePath: string;
  rtstructPath: string;
  ctVoxelBytes: number;
  doseVoxelBytes: number;
  orthanc?: Orthanc;
  skipped: string[];
}
let prepared: Prepared | undefined;

/** Opens the cell's objects in `page` and waits for every layer, the structures and a frame; ms from the first call. */
async function open(page: Page, base: string, cell: Cell, p: Prepared): Promise<number> {
  const all = cell.startsWith('all');
  if (cell.endsWith('local')) {
    // The files picked before the clock starts, as a drop or Open… gives them: File objects read from disk.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.multiple = true;
      input.id = 'bench-files';
      input.style.display = 'none';
      document.body.append(input);
    });
    await page.setInputFiles('#bench-files', all ? [...p.ctPaths, p.dosePath, p.rtstructPath] : p.ctPaths);
    return page.evaluate(async (all) => {
      const gl = document.querySelector('canvas')!.getContext('webgl2')!;
      const files = [...(document.querySelector<HTMLInputElement>('#bench-files')!.files ?? [])];
      const named = (n: string) => files.find((f) => f.name === n)!;
      const ct = files.filter((f) => f.name !== 'dose.dcm' && f.name !== 'rtstruct.dcm');
      const t0 = performance.now();
      await Promise.all([window.voxlens.load(ct), ...(all ? [window.voxlens.load(named('dose.dcm')), window.voxlens.load(named('rtstruct.dcm')).catch(() => null)] : [])]);
      while (window.voxlens.layers().some((l) => l.arriving) || (all && window.voxlens.rt.structures().length === 0)) await new Promise((r) => setTimeout(r, 5));
      await window.voxlens.frame();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
      return performance.now() - t0;
    }, all);
  }
  if (cell.endsWith('files')) {
    const urls = p.ctUrls.map((u) => `${base}${u}`);
    return page.evaluate(
      async ({ urls, all, dose, rtstruct }) => {
        const gl = document.querySelector('canvas')!.getContext('webgl2')!;
        const t0 = performance.now();
        await Promise.all([window.voxlens.load(urls), ...(all ? [window.voxlens.load(dose), window.voxlens.load(rtstruct).catch(() => null)] : [])]);
        while (window.voxlens.layers().some((l) => l.arriving) || (all && window.voxlens.rt.structures().length === 0)) await new Promise((r) => setTimeout(r, 5));
        await window.voxlens.frame();
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
        return performance.now() - t0;
      },
      { urls, all, dose: `${base}/data/rt_open/dose.dcm`, rtstruct: `${base}/data/rt_open/rtstruct.dcm` },
    );
  }
  return page.evaluate(async (all) => {
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const [study] = await window.voxlens.pacs.search({});
    const list = await window.voxlens.pacs.series(study.studyUid);
    const uid = (m: string) => list.find((s) => s.modality === m)!.seriesUid;
    const t0 = performance.now();
    await Promise.all(all ? [window.voxlens.pacs.open(study.studyUid, uid('RTSTRUCT')), window.voxlens.pacs.open(study.studyUid, uid('RTDOSE'))] : [window.voxlens.pacs.open(study.studyUid, uid('CT'))]);
    while (window.voxlens.layers().some((l) => l.arriving)) await new Promise((r) => setTimeout(r, 5));
    await window.voxlens.frame();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    return performance.now() - t0;
  }, all);
}

async function oneRun(base: string, cell: Cell, p: Prepared): Promise<RtOpenRun> {
  const { page, rootPid, close } = await launch({ width: 900, height: 640 });
  try {
    await openVoxlensPanes(page, base, 'axial', [512, 512], 'view-axial');
    const baseline = sampleRss(processTree(rootPid)).renderer;
    let peak = baseline;
    let pids = processTree(rootPid);
    let n = 0;
    const timer = setInterval(() => {
      if (++n % 10 === 0) pids = processTree(rootPid);
      peak = Math.max(peak, sampleRss(pids).renderer);
    }, 25);
    let openMs: number;
    try {
      openMs = await open(page, base, cell, p);
    } finally {
      clearInterval(timer);
      peak = Math.max(peak, sampleRss(processTree(rootPid)).renderer);
    }
    const all = cell.startsWith('all');
    const voxels = p.ctVoxelBytes + (all ? p.doseVoxelBytes : 0);
    const got = await page.evaluate(() => ({ layers: window.voxlens.layers().map((l) => ({ id: l.id, dims: l.dims })), structures: window.voxlens.rt.structures().length }));
    const want = all ? 2 : 1;
    if (got.layers.length !== want || (all && got.structures !== STRUCTURES)) throw new Error(`opened ${got.layers.length} layers and ${got.structures} structures, not ${want} and ${all ? STRUCTURES : 0}`);
    let dvhMs: number | undefined;
    if (all) {
      const dose = got.layers.find((l) => l.dims.join('×') === DOSE.dims.join('×'));
      if (!dose) throw new Error(`no ${DOSE.dims.join('×')} dose layer among the opened`);
      // Every structure with contours inside the CT (all 40 on the full CT; the smoke CT is 44 mm across).
      const dvh = await page.evaluate((id) => {
        const t0 = performance.now();
        const rows = window.voxlens.rt.dvh(id);
        return { ms: performance.now() - t0, rows: rows.length };
      }, dose.id);
      if (!smoke && dvh.rows !== STRUCTURES) throw new Error(`${dvh.rows} DVHs, not ${STRUCTURES}`);
      dvhMs = dvh.ms;
    }
    return { cell, openMs, ...(dvhMs !== undefined ? { dvhMs } : {}), rise: Math.max(0, peak - baseline) / voxels };
  } finally {
    await close();
  }
}

export interface RtOpenResult {
  date: string;
  loadAvg1m: [number, number];
  ct: string;
  dose: string;
  structures: number;
  skipped: string[];
  cells: Partial<Record<Cell, { runs: RtOpenRun[]; openMs: Summary | null; dvhMs: Summary | null; rise: Summary | null }>>;
}

const fmtMs = (s: Summary | null | undefined) => (s ? `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : 'n/a');

export function rtOpenReport(m: RtOpenResult): string {
  const rows: string[][] = [];
  for (const source of ['files', 'local', 'orthanc'] as const) {
    const ct = m.cells[`ct-${source}`], all = m.cells[`all-${source}`];
    if (!ct || !all) continue;
    const ratio = ct.openMs && all.openMs ? all.openMs.median / ct.openMs.median : null;
    const where = source === 'files' ? 'from the bench server (voxlens.load)' : source === 'local' ? 'local files (File objects, voxlens.load)' : 'from Orthanc (voxlens.pacs.open)';
    rows.push([where, 'CT alone → every slice in, frame drawn', fmtMs(ct.openMs), ct.rise ? `${ct.rise.median.toFixed(2)}×` : 'n/a']);
    rows.push([where, 'CT + dose + RTSTRUCT → all in, frame drawn', fmtMs(all.openMs), all.rise ? `${all.rise.median.toFixed(2)}×` : 'n/a']);
    rows.push([where, `  / CT alone (target ≤ ${RT_OPEN_TARGET}×)`, ratio === null ? 'n/a' : `${ratio.toFixed(2)}× (${ratio <= RT_OPEN_TARGET ? 'met' : 'NOT met'})`, '']);
    rows.push([where, `DVH of all ${m.structures} structures (target < ${RT_DVH_TARGET_MS} ms)`, all.dvhMs ? `${fmtMs(all.dvhMs)} (${all.dvhMs.median < RT_DVH_TARGET_MS ? 'met' : 'NOT met'})` : 'n/a', '']);
    for (const r of [...ct.runs, ...all.runs]) if (r.error) rows.push([where, `${r.cell} FAILED`, r.error, '']);
  }
  return (
    `Voxlens RT open figure, ${m.date}; ${m.ct}, dose ${m.dose}, RTSTRUCT of ${m.structures} structures; one fresh browser per run, ` +
    `load average ${m.loadAvg1m.map((v) => v.toFixed(1)).join(' → ')} (timings on a loaded machine are noisy: compare within the run)\n\n` +
    `${table(['source', 'figure', 'median (min–max)', 'renderer peak rise / voxel bytes'], rows)}${m.skipped.length ? `\nSkipped: ${m.skipped.join('; ')}\n` : ''}`
  );
}

const TITLE = 'RT open: CT + dose + RTSTRUCT';

export const rtOpen = runFigure<RtOpenResult>({
  name: 'rt-open',
  key: 'rtOpen',
  flag: '--rt-open',
  inFull: false,
  inSmoke: false,
  prepare: async (ctx) => {
    const volume = benchDicomVolume(dataDir, { smoke });
    const ct = ctSeries({ dims: volume.dims });
    const dir = join(dataDir, 'rt_open');
    mkdirSync(dir, { recursive: true });
    const dose = rtDoseObject(ct, DOSE);
    const rtstruct = rtStructObject(ct, benchRois(ct, STRUCTURES));
    writeFileSync(join(dir, 'dose.dcm'), dose);
    writeFileSync(join(dir, 'rtstruct.dcm'), rtstruct);
    const series = volume.cells.find((c) => c.kind === 'dicom')!;
    prepared = {
      ctUrls: series.files.map((f) => `/data/${series.dir}/${f}`),
      ctPaths: series.files.map((f) => join(dataDir, series.dir, f)),
      dosePath: join(dir, 'dose.dcm'),
      rtstructPath: join(dir, 'rtstruct.dcm'),
      ctVoxelBytes: volume.voxelBytes,
      doseVoxelBytes: DOSE.dims[0] * DOSE.dims[1] * DOSE.dims[2] * 2,
      skipped: [],
    };
    if (!hasOrthanc) {
      prepared.skipped.push(`Orthanc rows: ${ORTHANC_SKIP}`);
      return;
    }
    const orthanc = await startOrthanc();
    prepared.orthanc = orthanc;
    const began = Date.now();
    await orthanc.upload([...series.files.map((f) => join(dataDir, series.dir, f)), join(dir, 'dose.dcm'), join(dir, 'rtstruct.dcm')]);
    log(`Orthanc at ${orthanc.url}: the CT, dose and RTSTRUCT stored in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    ctx.proxies['/dicom-web/'] = orthanc.url;
  },
  cleanup: async () => {
    await prepared?.orthanc?.stop();
  },
  run: async (ctx) => {
    const p = prepared;
    if (!p) return undefined;
    const os = await import('node:os');
    const loadStart = os.loadavg()[0];
    const times = runsGiven ? runs : smoke ? 1 : 3;
    const cells: Cell[] = ['ct-files', 'all-files', 'ct-local', 'all-local', ...(p.orthanc ? (['ct-orthanc', 'all-orthanc'] as const) : [])];
    const byCell = new Map<Cell, RtOpenRun[]>(cells.map((c) => [c, []]));
    for (let r = 0; r < times; r++) {
      // Alternated order, so drift in the machine's load touches every cell alike.
      for (const cell of r % 2 ? [...cells].reverse() : cells) {
        let run: RtOpenRun;
        try {
          run = await oneRun(ctx.base, cell, p);
          log(`  ${cell} run ${r + 1}: open ${run.openMs.toFixed(0)} ms${run.dvhMs !== undefined ? `, DVH ×${STRUCTURES} ${run.dvhMs.toFixed(0)} ms` : ''}, renderer rise ${run.rise.toFixed(2)}× voxels`);
        } catch (e) {
          run = { cell, openMs: NaN, rise: NaN, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
          log(`  ${cell} run ${r + 1}: FAILED ${run.error}`);
        }
        byCell.get(cell)!.push(run);
      }
    }
    const ok = (list: RtOpenRun[]) => list.filter((r) => !r.error);
    const result: RtOpenResult = {
      date: new Date().toISOString(),
      loadAvg1m: [loadStart, os.loadavg()[0]],
      ct: `CT ${benchDicomVolume(dataDir, { smoke }).dims.join('×')} (one file a slice)`,
      dose: `${DOSE.dims.join('×')} uint16 (${DOSE.spacing.join(' × ')} mm)`,
      structures: STRUCTURES,
      skipped: p.skipped,
      cells: Object.fromEntries(
        [...byCell].map(([cell, list]) => [
          cell,
          { runs: list, openMs: summarize(ok(list).map((r) => r.openMs)), dvhMs: summarize(ok(list).flatMap((r) => (r.dvhMs !== undefined ? [r.dvhMs] : []))), rise: summarize(ok(list).map((r) => r.rise)) },
        ]),
      ),
    };
    log(`\n${rtOpenReport(result)}`);
    return result;
  },
  section: {
    label: 'rt-open',
    report: rtOpenReport,
    markdown: (m) => resultSection('rtOpen', TITLE, rtOpenReport(m)),
    merge: (jsonPath, mdPath, m) => mergeResultSection(jsonPath, mdPath, 'rtOpen', TITLE, m, rtOpenReport(m)),
  },
});
