// The multi-pane figures (256³ int16 and CT; `npm run bench -- --multi-pane` alone): paging in the
// 2x2 layout at 1024×768 panes against NiiVue's multiplanar layout, layout switch time, each next
// to one plain frame's time. The 4D frame switch is bench/figures/fourD.ts (the same flag).
import type { Page } from '@playwright/test';
import { instrument, median, ms1, noteBrowser, over, PEERS, peerRow, repeat, values, verdict, volumeFigure, voxlensFrames, voxlensPage, type BenchResults, type Cell, type Peer, type Table } from '../figure';
import { launch, log, openVoxlensPanes, voxlensLoad } from '../harness';
import { PAGE_SLICES, smoke } from '../options';
import { fmt, fmtRatio, ratio, summarize, type Summary } from '../stats';

/** The multi-pane figures' drawing area: Voxlens's panes area, NiiVue's canvas (smaller in a smoke run: ray casting in software is slow). */
export const MPR_VIEW: [number, number] = smoke ? [512, 384] : [1024, 768];
/** Layout switches timed, starting from 2x2, repeated SWITCH_CYCLES times per run. */
const SWITCH_LAYOUTS = ['axial', '2x2', '1+3', '3d', '2x2'] as const;
const SWITCH_CYCLES = smoke ? 1 : 2;
/** Plain frames (nothing changed but the crosshair set to where it is) per run: the "one frame" reference. */
export const PLAIN_FRAMES = smoke ? 3 : 20;
/** Frames that ray-cast the 3D pane again (seconds each on a software renderer): fewer of them. */
export const FULL_FRAMES = smoke ? 2 : 5;
const CUT_SLICES = smoke ? 2 : 20;
/** After a switch's frame, further redraws are waited for until none came for this long. */
const SETTLE_IDLE_MS = smoke ? 100 : 300;

/** One layout switch: setLayout → frame() (+ readPixels), then until the last redraw it caused. */
interface SwitchSample {
  from: string;
  to: string;
  frameMs: number;
  settledMs: number;
  /** Frames drawn after frame() resolved (0: the switch's first frame was its last). */
  extraFrames: number;
  /** Whether the pane grid showed the new layout when frame() resolved. */
  laidOut: boolean;
  /** Shader programs linked (compiled) by the switch, until its last redraw. */
  links: number;
}

/** A multi-pane run: Voxlens in 2x2, or NiiVue in its multiplanar layout. */
interface MprRun {
  loadMs: number;
  /** ms per frame paging the axial slice (every pane redrawn); NiiVue: with its 3D render tile. */
  pageMs: number | null;
  /** NiiVue only: the same without the render tile. */
  pageNoRenderMs?: number | null;
  /**
   * Voxlens only: the same with the 3D pane cut at the crosshair, so its ray cast is redone at
   * every step (by default the 3D image is cached and only the crosshair overlay moves, while
   * NiiVue's render tile is ray-cast again every frame).
   */
  pageCutMs?: number | null;
  /** Median over this run's plain frames. */
  plainMs: number | null;
  /** Voxlens only: median over this run's full frames (the 3D pane ray-cast again; NiiVue's plain frames always are). */
  fullMs?: number | null;
  /** Voxlens only: medians over this run's layout switches. */
  switchMs?: number | null;
  settledMs?: number | null;
  switches?: SwitchSample[];
  /** memory().textureBytes before and after the switches. */
  textureBytes?: [number, number];
  /** texImage3D/texSubImage3D calls during the switches. */
  uploads?: number;
  /** Measured CSS size of the drawing area (Voxlens: [data-testid=panes]; NiiVue: its canvas). */
  viewPx: [number, number];
  error?: string;
}


/** Times each switch of SWITCH_LAYOUTS (× cycles): setLayout, frame(), readPixels; then waits out any redraws the switch still causes. */
async function voxlensSwitches(page: Page, cycles: number): Promise<{ switches: SwitchSample[]; textureBytes: [number, number]; uploads: number }> {
  await instrument(page);
  return page.evaluate(async ({ layouts, cycles, idleMs }) => {
    const v = window.voxlens;
    const counts = window.benchCounts!;
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const panes = document.querySelector('[data-testid=panes]') as HTMLElement;
    const sync = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const before = v.memory().textureBytes;
    const uploads0 = counts.uploads;
    const switches: SwitchSample[] = [];
    let from = panes.dataset.layout ?? '?';
    for (let c = 0; c < cycles; c++) {
      for (const to of layouts) {
        const links0 = counts.links;
        const t0 = performance.now();
        v.setLayout(to);
        await v.frame();
        sync();
        const frameMs = performance.now() - t0;
        const laidOut = panes.dataset.layout === to;
        let last = counts.draws, lastEnd = performance.now(), idleSince = lastEnd, extraFrames = 0;
        while (performance.now() - idleSince < idleMs) {
          await new Promise(requestAnimationFrame);
          if (counts.draws !== last) {
            sync();
            last = counts.draws;
            extraFrames++;
            lastEnd = idleSince = performance.now();
          }
        }
        switches.push({ from, to, frameMs, settledMs: lastEnd - t0, extraFrames, laidOut, links: counts.links - links0 });
        from = to;
      }
    }
    return { switches, textureBytes: [before, v.memory().textureBytes] as [number, number], uploads: counts.uploads - uploads0 };
  }, { layouts: SWITCH_LAYOUTS, cycles, idleMs: SETTLE_IDLE_MS });
}

async function oneMprRun(peer: Peer, base: string, fileUrl: string): Promise<MprRun> {
  const { page, browser, close } = await launch(peer === 'voxlens' ? { width: MPR_VIEW[0] + 340, height: MPR_VIEW[1] + 40 } : { width: MPR_VIEW[0], height: MPR_VIEW[1] + 40 });
  try {
    if (peer === 'niivue') {
      await page.goto(`${base}/bench/niivue.html?mpr&w=${MPR_VIEW[0]}&h=${MPR_VIEW[1]}`);
      await page.waitForFunction(() => typeof window.bench === 'object');
      await page.waitForTimeout(500);
      const box = (await page.locator('canvas').boundingBox())!;
      const loadMs = await page.evaluate((u) => window.bench.load(u), fileUrl);
      const pageMs = await page.evaluate((n) => window.bench.page(n), PAGE_SLICES);
      const plainMs = median(await page.evaluate((n) => window.bench.plain!(n), PLAIN_FRAMES));
      await page.evaluate(() => window.bench.showRender!(false));
      const pageNoRenderMs = await page.evaluate((n) => window.bench.page(n), PAGE_SLICES);
      await noteBrowser(page, browser);
      return { loadMs, pageMs, pageNoRenderMs, plainMs, viewPx: [box.width, box.height] };
    }
    const viewPx = await openVoxlensPanes(page, base, '2x2', MPR_VIEW);
    const loadMs = await voxlensLoad(page, fileUrl);
    const pageMs = await voxlensPage(page, PAGE_SLICES);
    const plainMs = median(await voxlensFrames(page, PLAIN_FRAMES, 'plain'));
    const fullMs = median(await voxlensFrames(page, FULL_FRAMES, 'full'));
    const { switches, textureBytes, uploads } = await voxlensSwitches(page, SWITCH_CYCLES);
    await page.evaluate(() => window.voxlens.setClip(null, { cut: true }));
    const pageCutMs = await voxlensPage(page, CUT_SLICES);
    await noteBrowser(page, browser);
    return {
      loadMs,
      pageMs,
      pageCutMs,
      plainMs,
      fullMs,
      switchMs: median(switches.map((s) => s.frameMs)),
      settledMs: median(switches.map((s) => s.settledMs)),
      switches,
      textureBytes,
      uploads,
      viewPx,
    };
  } finally {
    await close();
  }
}

async function measureMpr(base: string, fileUrl: string): Promise<Record<Peer, Cell<MprRun>>> {
  const out = {} as Record<Peer, Cell<MprRun>>;
  for (const peer of PEERS) {
    const list = await repeat(
      `${peer} 2x2`,
      () => oneMprRun(peer, base, fileUrl),
      (error) => ({ loadMs: NaN, pageMs: null, plainMs: null, viewPx: [NaN, NaN] as [number, number], error }),
      (r) =>
        `${r.viewPx.map((x) => x.toFixed(1)).join('×')}, page ${ms1(r.pageMs)}/frame` +
        (r.pageNoRenderMs !== undefined ? ` (no render tile ${ms1(r.pageNoRenderMs)})` : '') +
        (r.pageCutMs !== undefined ? ` (3D cut at the crosshair ${ms1(r.pageCutMs)})` : '') +
        `, plain ${ms1(r.plainMs)}` +
        (r.fullMs !== undefined ? `, full ${ms1(r.fullMs)}` : '') +
        (r.switchMs !== undefined
          ? `, layout switch ${ms1(r.switchMs)} (settled ${ms1(r.settledMs)}, ${r.switches?.reduce((a, x) => a + x.links, 0)} programs linked), texture bytes ${r.textureBytes?.join(' → ')}, uploads ${r.uploads}`
          : ''),
    );
    for (const r of list) {
      if (r.textureBytes && r.textureBytes[0] !== r.textureBytes[1]) log(`  WARNING: ${peer}: textureBytes changed across layout switches: ${r.textureBytes[0]} → ${r.textureBytes[1]}`);
      if (r.uploads) log(`  WARNING: ${peer}: ${r.uploads} 3D texture upload call(s) during layout switches`);
      const notLaidOut = r.switches?.filter((s) => !s.laidOut).length;
      if (notLaidOut) log(`  WARNING: ${peer}: frame() resolved before the pane grid showed the new layout in ${notLaidOut} switch(es)`);
    }
    const switches = list.flatMap((r) => r.switches ?? []);
    const summary: Record<string, Summary | null> = {
      loadMs: summarize(list.map((r) => r.loadMs)),
      pageMs: summarize(values(list.map((r) => r.pageMs))),
      pageNoRenderMs: summarize(values(list.map((r) => r.pageNoRenderMs))),
      pageCutMs: summarize(values(list.map((r) => r.pageCutMs))),
      plainMs: summarize(values(list.map((r) => r.plainMs))),
      fullMs: summarize(values(list.map((r) => r.fullMs))),
      switchMs: summarize(values(list.map((r) => r.switchMs))),
      settledMs: summarize(values(list.map((r) => r.settledMs))),
      switchPerPlain: summarize(values(list.map((r) => (r.switchMs != null && r.plainMs ? r.switchMs / r.plainMs : null)))),
      settledPerPlain: summarize(values(list.map((r) => (r.settledMs != null && r.plainMs ? r.settledMs / r.plainMs : null)))),
      switchPerFull: summarize(values(list.map((r) => (r.switchMs != null && r.fullMs ? r.switchMs / r.fullMs : null)))),
      extraFrames: summarize(switches.map((s) => s.extraFrames)),
      links: summarize(switches.map((s) => s.links)),
    };
    // Per target layout, over every run's switches.
    for (const to of new Set(SWITCH_LAYOUTS)) summary[`switchTo:${to}`] = summarize(switches.filter((s) => s.to === to).map((s) => s.frameMs));
    out[peer] = { runs: list, summary };
  }
  return out;
}

type MprResult = Record<Peer, Cell<MprRun>>;

/** The settings results.json keeps with the multi-pane figures (absent in older results). */
export interface MultiPaneMeta {
  pagingSlices?: number;
  mprViewPx?: [number, number];
  mprPanesPx?: [number, number];
  switchLayouts?: string[];
  switchCycles?: number;
  plainFrames?: number;
  fullFrames?: number;
  cutSlices?: number;
}

/** memory().textureBytes before → after the switches and the upload calls, as one cell (every run's, when they differ). */
export function textureCell(runs: { textureBytes?: [number, number]; uploads?: number }[], allFramesBytes?: number): string {
  const mb = (b: number) => (b / 1e6).toFixed(2);
  const cells = [
    ...new Set(
      runs.flatMap((r) => {
        if (!r.textureBytes) return [];
        const [a, b] = r.textureBytes;
        const resident = allFramesBytes === undefined ? '' : a >= allFramesBytes ? ' (all frames)' : ' (one frame)';
        return [`${mb(a)} → ${mb(b)} MB${a === b ? '' : ' CHANGED'}${resident}, ${r.uploads ?? '?'} uploads`];
      }),
    ),
  ];
  return cells.length ? cells.join(' | ') : 'n/a';
}

function rows(t: Table, volume: string, value: MprResult, json: BenchResults & MultiPaneMeta): void {
  const v = value.voxlens.summary, n = value.niivue.summary;
  peerRow(t, volume, `2x2 paging ${json.pagingSlices} slices`, v.pageMs, n.pageMs, ' ms/frame', 1);
  peerRow(t, volume, `2x2 paging, 3D cut at crosshair (${json.cutSlices ?? '?'} slices)`, v.pageCutMs ?? null, n.pageMs, ' ms/frame', 1);
  peerRow(t, volume, '2x2 paging, NiiVue no render tile', v.pageMs, n.pageNoRenderMs, ' ms/frame', 1);
  peerRow(t, volume, '2x2 plain frame', v.plainMs, n.plainMs, ' ms', 1);
  peerRow(t, volume, '2x2 full frame (3D re-cast)', v.fullMs ?? null, n.plainMs, ' ms', 1);
  peerRow(t, volume, 'layout switch → frame()', v.switchMs, undefined, ' ms', 1);
  peerRow(t, volume, 'layout switch → last redraw', v.settledMs, undefined, ' ms', 1);
  peerRow(t, volume, 'layout switch / plain frame', v.switchPerPlain, undefined, '×', 2);
  peerRow(t, volume, 'layout switch / full frame', v.switchPerFull ?? null, undefined, '×', 2);
  peerRow(t, volume, 'layout switch, frames after frame()', v.extraFrames ?? null, undefined, '', 0);
  peerRow(t, volume, 'layout switch, programs linked', v.links ?? null, undefined, '', 0);
  t.rows.push([volume, 'layout switch: textures', textureCell(value.voxlens.runs), 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a']);
  const perTarget = [...new Set(json.switchLayouts ?? [])].map((to) => `${to} ${fmt(v[`switchTo:${to}`] ?? null, ' ms', 1)}`).join(', ');
  t.targets.push(
    `${volume}: 2x2 paging ${fmtRatio(ratio(v.pageMs, n.pageMs))} NiiVue's multiplanar (target ≤ 0.50×: ${verdict(ratio(v.pageMs, n.pageMs), 0.5, true)}; ` +
      `with the 3D pane cut at the crosshair ${fmtRatio(ratio(v.pageCutMs ?? null, n.pageMs))}: ${verdict(ratio(v.pageCutMs ?? null, n.pageMs), 0.5, true)}); ` +
      `layout switch ${fmtRatio(v.switchPerPlain?.median ?? null)} a plain frame, ${over(v.switchMs, v.plainMs)} (target < 1×: ${verdict(v.switchPerPlain?.median ?? null, 1, false)}), ` +
      `${fmtRatio(v.switchPerFull?.median ?? null)} a full frame (${verdict(v.switchPerFull?.median ?? null, 1, false)}), ` +
      `to its last redraw ${fmtRatio(v.settledPerPlain?.median ?? null)}; switch → frame() by target layout: ${perTarget}`,
  );
}

/** The legend of the multi-pane and 4D rows. */
function legend(json: BenchResults & MultiPaneMeta): string {
  if (!json.mprViewPx || !(json.results.some((r) => r.mpr) || json.fourD)) return '';
  return (
    `2x2 = Voxlens's 2x2 layout, panes area ${json.mprPanesPx ? json.mprPanesPx.map((x) => +x.toFixed(2)).join('×') : '?'} CSS px measured (target ${json.mprViewPx.join('×')}), every pane redrawn as the crosshair moves; ` +
    `NiiVue: multiplanar layout as a grid with its 3D render tile (multiplanarShowRender ALWAYS) on a ${json.mprViewPx.join('×')} canvas, paged the same way (one voxel in z per frame); ` +
    "Voxlens's 3D pane keeps its ray-cast image while only the crosshair moves, NiiVue ray-casts every frame: '3D cut at crosshair' (setClip(null, { cut: true })) makes Voxlens re-cast every step too\n" +
    `plain frame = the crosshair set to where it is, then frame() (NiiVue: drawScene, which ray-casts its render tile again), median of ${json.plainFrames} per run; ` +
    `full frame = the same with the camera set to itself, so the 3D pane ray-casts again (median of ${json.fullFrames} per run; Voxlens/NiiVue compares it with NiiVue's plain frame)\n` +
    `layout switch = setLayout + frame() + readPixels over ${json.switchLayouts?.join(' → ')} (from 2x2), ${json.switchCycles}× per run, median per run; last redraw = until no redraw came for ${SETTLE_IDLE_MS} ms\n` +
    'frame switch = setDisplay(frame) + frame() (NiiVue: setFrame4D) over every frame; textures = memory().textureBytes before → after, texImage3D/texSubImage3D calls during the switches'
  );
}

export const multiPane = volumeFigure<MprResult>({
  name: 'multi-pane',
  key: 'mpr',
  flag: '--multi-pane',
  perVolume: true,
  inFull: true,
  inSmoke: true,
  applies: (volume) => volume.mpr === true,
  run: (ctx, { url }) => {
    log(`  multi-pane: 2x2 in ${MPR_VIEW.join('×')} vs NiiVue multiplanar`);
    return measureMpr(ctx.base, `${ctx.base}${url}`);
  },
  rows: (t, volume, value, json) => rows(t, volume, value, json),
  meta: (json) => {
    const fourD = json.fourD as { subjects: { voxlens: { runs: { viewPx?: [number, number] }[] } } } | undefined;
    const mpr = json.results.flatMap((r) => (r.mpr as MprResult | undefined)?.voxlens.runs.map((x) => x.viewPx) ?? []);
    return {
      mprViewPx: MPR_VIEW,
      mprPanesPx: [...mpr, ...(fourD?.subjects.voxlens.runs.map((x) => x.viewPx) ?? [])].find((p) => p?.every(Number.isFinite)),
      switchLayouts: [...SWITCH_LAYOUTS],
      switchCycles: SWITCH_CYCLES,
      plainFrames: PLAIN_FRAMES,
      fullFrames: FULL_FRAMES,
      cutSlices: CUT_SLICES,
    };
  },
  legend: (json) => legend(json),
});
