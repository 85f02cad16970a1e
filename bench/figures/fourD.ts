// The 4D frame-switch figure (with the multi-pane figures: `npm run bench -- --multi-pane`): a 4D
// volume in 2x2, every frame shown once, each switch until drawn, against NiiVue's setFrame4D and
// one plain frame.
import { basename } from 'node:path';
import { instrument, median, ms1, noteBrowser, over, PEERS, peerRow, repeat, runFigure, values, verdict, voxlensFrames, type Cell, type Peer, type Table } from '../figure';
import { launch, log, openVoxlensPanes, voxlensLoad } from '../harness';
import { dataDir, included, smoke } from '../options';
import { fmtRatio, summarize } from '../stats';
import { bench4DVolume } from '../volumes';
import { FULL_FRAMES, MPR_VIEW, PLAIN_FRAMES, textureCell } from './multiPane';

/** A 4D run: every frame shown once (1, 2, …, last, 0), each until drawn. */
interface FourDRun {
  loadMs: number;
  /** Median over this run's frame switches; max alongside. */
  switchMs: number | null;
  switchMaxMs: number | null;
  plainMs: number | null;
  /** As MprRun.fullMs. */
  fullMs?: number | null;
  textureBytes?: [number, number];
  uploads?: number;
  /** As MprRun.viewPx. */
  viewPx?: [number, number];
  error?: string;
}

async function oneFourDRun(peer: Peer, base: string, fileUrl: string): Promise<FourDRun> {
  const { page, browser, close } = await launch(peer === 'voxlens' ? { width: MPR_VIEW[0] + 340, height: MPR_VIEW[1] + 40 } : { width: MPR_VIEW[0], height: MPR_VIEW[1] + 40 });
  try {
    if (peer === 'niivue') {
      await page.goto(`${base}/bench/niivue.html?mpr&w=${MPR_VIEW[0]}&h=${MPR_VIEW[1]}`);
      await page.waitForFunction(() => typeof window.bench === 'object');
      await page.waitForTimeout(500);
      const loadMs = await page.evaluate((u) => window.bench.load(u), fileUrl);
      const ms = await page.evaluate(() => window.bench.switchFrames!());
      const plainMs = median(await page.evaluate((n) => window.bench.plain!(n), PLAIN_FRAMES));
      await noteBrowser(page, browser);
      return { loadMs, switchMs: median(ms), switchMaxMs: summarize(ms)?.max ?? null, plainMs };
    }
    const viewPx = await openVoxlensPanes(page, base, '2x2', MPR_VIEW);
    const loadMs = await voxlensLoad(page, fileUrl);
    await instrument(page);
    const r = await page.evaluate(async () => {
      const v = window.voxlens;
      const counts = window.benchCounts!;
      const gl = document.querySelector('canvas')!.getContext('webgl2')!;
      const { id, dims } = v.layers()[0];
      const frames = dims.slice(3).reduce((a, b) => a * b, 1);
      const before = v.memory().textureBytes;
      const uploads0 = counts.uploads;
      const ms: number[] = [];
      for (let i = 1; i <= frames; i++) {
        const t0 = performance.now();
        v.setDisplay(id, { frame: i % frames });
        await v.frame();
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
        ms.push(performance.now() - t0);
      }
      return { ms, textureBytes: [before, v.memory().textureBytes] as [number, number], uploads: counts.uploads - uploads0 };
    });
    const plainMs = median(await voxlensFrames(page, PLAIN_FRAMES, 'plain'));
    const fullMs = median(await voxlensFrames(page, FULL_FRAMES, 'full'));
    await noteBrowser(page, browser);
    return { loadMs, switchMs: median(r.ms), switchMaxMs: summarize(r.ms)?.max ?? null, plainMs, fullMs, textureBytes: r.textureBytes, uploads: r.uploads, viewPx };
  } finally {
    await close();
  }
}

async function measure4D(base: string, fileUrl: string): Promise<Record<Peer, Cell<FourDRun>>> {
  const out = {} as Record<Peer, Cell<FourDRun>>;
  for (const peer of PEERS) {
    const list = await repeat(
      `${peer} 4D`,
      () => oneFourDRun(peer, base, fileUrl),
      (error) => ({ loadMs: NaN, switchMs: null, switchMaxMs: null, plainMs: null, error }),
      (r) => `load ${r.loadMs.toFixed(0)} ms, frame switch ${ms1(r.switchMs)} (max ${ms1(r.switchMaxMs)}), plain ${ms1(r.plainMs)}${r.fullMs !== undefined ? `, full ${ms1(r.fullMs)}` : ''}${r.textureBytes ? `, texture bytes ${r.textureBytes.join(' → ')}, uploads ${r.uploads}` : ''}`,
    );
    for (const r of list) {
      if (r.textureBytes && r.textureBytes[0] !== r.textureBytes[1]) log(`  WARNING: ${peer}: textureBytes changed across 4D frame switches: ${r.textureBytes[0]} → ${r.textureBytes[1]}`);
      if (r.uploads) log(`  WARNING: ${peer}: ${r.uploads} 3D texture upload call(s) during 4D frame switches`);
    }
    out[peer] = {
      runs: list,
      summary: {
        loadMs: summarize(list.map((r) => r.loadMs)),
        switchMs: summarize(values(list.map((r) => r.switchMs))),
        switchMaxMs: summarize(values(list.map((r) => r.switchMaxMs))),
        plainMs: summarize(values(list.map((r) => r.plainMs))),
        fullMs: summarize(values(list.map((r) => r.fullMs))),
        switchPerPlain: summarize(values(list.map((r) => (r.switchMs !== null && r.plainMs ? r.switchMs / r.plainMs : null)))),
        switchPerFull: summarize(values(list.map((r) => (r.switchMs !== null && r.fullMs ? r.switchMs / r.fullMs : null)))),
      },
    };
  }
  return out;
}

interface FourDResult {
  volume: string;
  voxelBytes: number;
  frames: number;
  subjects: Record<Peer, Cell<FourDRun>>;
}

function rows(t: Table, fd: FourDResult): void {
  const v = fd.subjects.voxlens.summary, n = fd.subjects.niivue.summary;
  peerRow(t, fd.volume, 'load → first frame, 2x2', v.loadMs, n.loadMs, ' ms', 0);
  peerRow(t, fd.volume, `frame switch → frame() (${fd.frames} frames)`, v.switchMs, n.switchMs, ' ms', 1);
  peerRow(t, fd.volume, 'frame switch, slowest of a run', v.switchMaxMs, n.switchMaxMs, ' ms', 1);
  peerRow(t, fd.volume, '2x2 plain frame', v.plainMs, n.plainMs, ' ms', 1);
  peerRow(t, fd.volume, '2x2 full frame (3D re-cast)', v.fullMs ?? null, n.plainMs, ' ms', 1);
  peerRow(t, fd.volume, 'frame switch / plain frame', v.switchPerPlain, n.switchPerPlain, '×', 2);
  peerRow(t, fd.volume, 'frame switch / full frame', v.switchPerFull ?? null, n.switchPerPlain, '×', 2);
  t.rows.push([fd.volume, 'frame switch: textures', textureCell(fd.subjects.voxlens.runs, fd.voxelBytes), 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
  t.targets.push(
    `${fd.volume}: frame switch ${fmtRatio(v.switchPerPlain?.median ?? null)} a plain frame, ${over(v.switchMs, v.plainMs)} (target < 1×: ${verdict(v.switchPerPlain?.median ?? null, 1, false)}), ` +
      `${fmtRatio(v.switchPerFull?.median ?? null)} a full frame, ${over(v.switchMs, v.fullMs)} (${verdict(v.switchPerFull?.median ?? null, 1, false)})`,
  );
}

export const fourD = runFigure<FourDResult>({
  name: '4D frame switch',
  key: 'fourD',
  flag: '--multi-pane',
  inFull: true,
  inSmoke: true,
  run: async (ctx) => {
    const volume = bench4DVolume(dataDir, { smoke });
    if (!included(volume.name)) return undefined;
    log(`\n${volume.name}`);
    return { volume: volume.name, voxelBytes: volume.voxelBytes, frames: volume.frames, subjects: await measure4D(ctx.base, `${ctx.base}/data/${basename(volume.file)}`) };
  },
  rows,
});
