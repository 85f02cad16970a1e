// The oblique MPR figures (issue 23; 256³ int16 and the CT; `npm run bench -- --oblique` alone), in
// the 2x2 layout at 1024×768 panes: paging the axial pane along a double-oblique normal against
// paging it on the patient axes (the same loop: the crosshair stepped one voxel along the normal,
// then frame() and a pixel read back); a 20 mm MIP slab in the three slice panes against thin
// slices; and a rotation drag: a real pointer on an axial handle, timed from the pointermove
// event's timestamp to the end of the frame drawn for it, against thin paging by a real wheel
// notch timed the same way. Voxlens only (NiiVue has no oblique MPR to compare with).
import type { Page } from '@playwright/test';
import { instrument, median, ms1, noteBrowser, peerRow, repeat, values, verdict, volumeFigure, type BenchResults, type Cell, type Table } from '../figure';
import { launch, log, openVoxlensPanes, voxlensLoad } from '../harness';
import { PAGE_SLICES, smoke } from '../options';
import { fmtRatio, ratio, summarize, type Summary } from '../stats';

/** The panes area (smaller in a smoke run: a software renderer). */
const VIEW: [number, number] = smoke ? [512, 384] : [1024, 768];
/** The slab the MIP case draws in each slice pane (mm). */
const SLAB_MM = 20;
/** Pointer moves timed per rotation drag (each turns the planes by a few degrees). */
const DRAG_STEPS = smoke ? 3 : 20;
/** The double oblique: 20° about R, then 15° about S (rows in world RAS). */
export function obliqueRotation(): number[][] {
  const a = (20 * Math.PI) / 180, b = (15 * Math.PI) / 180;
  const rx = [[1, 0, 0], [0, Math.cos(a), -Math.sin(a)], [0, Math.sin(a), Math.cos(a)]];
  const rz = [[Math.cos(b), -Math.sin(b), 0], [Math.sin(b), Math.cos(b), 0], [0, 0, 1]];
  return rz.map((row) => [0, 1, 2].map((c) => row[0] * rx[0][c] + row[1] * rx[1][c] + row[2] * rx[2][c]));
}

interface ObliqueRun {
  /** ms per frame paging the axial pane: on the patient axes, along the oblique normal, and with a 20 mm MIP slab in every slice pane (thin and slab on the oblique planes too). */
  axisMs: number | null;
  obliqueMs: number | null;
  slabMs: number | null;
  /** Per pointermove of a rotation drag: event → every pane redrawn (median). */
  dragMs: number | null;
  /** Per wheel notch paging the (thin) axial pane: event → every pane redrawn, as dragMs (median). */
  wheelMs: number | null;
  /** texImage3D/texSubImage3D calls during rotation, slab change and drag (expected 0). */
  uploads: number;
  viewPx: [number, number];
  error?: string;
}

/**
 * Pages the axial pane `n` steps of one voxel of the layer along its normal, out and back around
 * the volume's centre (as the multi-pane figure pages z), each step frame() + a pixel read back.
 */
export async function pageAlongNormal(page: Page, n: number): Promise<number> {
  return page.evaluate(async (count) => {
    const v = window.voxlens;
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    const { dims, affine } = v.layers()[0];
    const centre = [0, 1, 2].map((r) => (affine[r][0] * (dims[0] - 1)) / 2 + (affine[r][1] * (dims[1] - 1)) / 2 + (affine[r][2] * (dims[2] - 1)) / 2 + affine[r][3]);
    const r = v.orientation().rotation;
    const normal = [r[0][2], r[1][2], r[2][2]];
    // One voxel along the normal: 1 / max |M·n| (M the inverse of the affine's linear part; diagonal grids here).
    const step = 1 / Math.max(...normal.map((c, a) => Math.abs(c / (Math.hypot(affine[0][a], affine[1][a], affine[2][a]) || 1))));
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const s = (i < count / 2 ? i + 1 : count - i - 1) * step;
      v.setCrosshair([centre[0] + normal[0] * s, centre[1] + normal[1] * s, centre[2] + normal[2] * s]);
      await v.frame();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    }
    return (performance.now() - t0) / count;
  }, n);
}

/**
 * Times each `type` event on the page from its timestamp to the end of the first frame drawn after
 * it (every pane is drawn in each frame; draw calls made since the event mark it), read back
 * (readPixels waits for the GPU): window.benchMoves, one entry an event.
 */
async function timeEventFrames(page: Page, type: 'pointermove' | 'wheel'): Promise<void> {
  await page.evaluate((t) => {
    const w = window as unknown as { benchMoves: number[]; benchTimer?: (e: Event) => void };
    w.benchMoves = [];
    const gl = document.querySelector('canvas')!.getContext('webgl2')!;
    if (w.benchTimer) {
      window.removeEventListener('pointermove', w.benchTimer, true);
      window.removeEventListener('wheel', w.benchTimer, true);
    }
    w.benchTimer = (e: Event) => {
      const draws = window.benchCounts!.draws;
      // After the animation frame's callbacks (the canvas draws in one of them): the frame has drawn
      // when draw calls were made since the event; else wait for the next frame.
      const after = () =>
        setTimeout(() => {
          if (window.benchCounts!.draws === draws) {
            requestAnimationFrame(after);
            return;
          }
          gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
          w.benchMoves.push(performance.now() - e.timeStamp);
        });
      requestAnimationFrame(after);
    };
    window.addEventListener(t, w.benchTimer, true);
  }, type);
}

const eventFrames = (page: Page) => page.evaluate(() => (window as unknown as { benchMoves: number[] }).benchMoves.slice());
const waitEventFrames = (page: Page, n: number) => page.waitForFunction((k) => (window as unknown as { benchMoves: number[] }).benchMoves.length >= k, n, { polling: 5 });

/**
 * A rotation drag on the axial pane's first handle, in an arc about the crosshair: ms per pointermove
 * from its event to the end of the frame drawn for it (timeEventFrames). Calling frame() after the
 * move would time that frame plus another drawn on request.
 */
async function rotationDrag(page: Page, steps: number): Promise<number[]> {
  const handles = page.getByTestId('view-axial').getByTestId('rotation-handle');
  const [a, b] = [(await handles.nth(0).boundingBox())!, (await handles.nth(1).boundingBox())!];
  const h: [number, number] = [a.x + a.width / 2, a.y + a.height / 2];
  const c: [number, number] = [(h[0] + b.x + b.width / 2) / 2, (h[1] + b.y + b.height / 2) / 2];
  const radius = Math.hypot(h[0] - c[0], h[1] - c[1]);
  const start = Math.atan2(h[1] - c[1], h[0] - c[0]);
  await page.mouse.move(h[0], h[1]);
  await page.mouse.down();
  await page.evaluate(() => window.voxlens.frame());
  await timeEventFrames(page, 'pointermove');
  for (let i = 1; i <= steps; i++) {
    const angle = start - (i * 2 * Math.PI) / 180; // 2° a move
    await page.mouse.move(c[0] + radius * Math.cos(angle), c[1] + radius * Math.sin(angle));
    await waitEventFrames(page, i);
  }
  const ms = await eventFrames(page);
  await page.mouse.up();
  return ms;
}

/**
 * Thin-slice paging timed the way a drag move is: a real wheel notch over the axial pane (one voxel
 * along its normal), ms from the wheel event to the end of the frame drawn for it. The same
 * measure as rotationDrag, for the rotation target's comparison.
 */
async function wheelPaging(page: Page, steps: number): Promise<number[]> {
  const box = (await page.getByTestId('view-axial').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.3);
  await page.evaluate(() => window.voxlens.frame());
  await timeEventFrames(page, 'wheel');
  for (let i = 1; i <= steps; i++) {
    await page.mouse.wheel(0, i <= steps / 2 ? -100 : 100);
    await waitEventFrames(page, i);
  }
  return eventFrames(page);
}

async function oneRun(base: string, fileUrl: string): Promise<ObliqueRun> {
  const { page, browser, close } = await launch({ width: VIEW[0] + 340, height: VIEW[1] + 40 });
  try {
    const viewPx = await openVoxlensPanes(page, base, '2x2', VIEW);
    await voxlensLoad(page, fileUrl);
    await instrument(page);
    const uploads0 = await page.evaluate(() => window.benchCounts!.uploads);
    const axisMs = await pageAlongNormal(page, PAGE_SLICES);
    await page.evaluate((r) => window.voxlens.setOrientation({ rotation: r }), obliqueRotation());
    await page.evaluate(() => window.voxlens.frame());
    const obliqueMs = await pageAlongNormal(page, PAGE_SLICES);
    await page.evaluate((mm) => {
      for (const p of ['axial', 'coronal', 'sagittal'] as const) window.voxlens.setSlab(p, { thickness: mm, mode: 'max' });
    }, SLAB_MM);
    await page.evaluate(() => window.voxlens.frame()); // the slab shaders compile here, untimed
    const slabMs = await pageAlongNormal(page, PAGE_SLICES);
    await page.evaluate(() => {
      for (const p of ['axial', 'coronal', 'sagittal'] as const) window.voxlens.setSlab(p, { thickness: 0, mode: 'max' });
      window.voxlens.setOrientation({ alignTo: 'patient' });
      return window.voxlens.frame();
    });
    const dragMs = median(await rotationDrag(page, DRAG_STEPS));
    const wheelMs = median(await wheelPaging(page, DRAG_STEPS));
    const uploads = (await page.evaluate(() => window.benchCounts!.uploads)) - uploads0;
    await noteBrowser(page, browser);
    return { axisMs, obliqueMs, slabMs, dragMs, wheelMs, uploads, viewPx };
  } finally {
    await close();
  }
}

type ObliqueResult = Cell<ObliqueRun>;

async function measure(base: string, fileUrl: string): Promise<ObliqueResult> {
  const runs = await repeat(
    'voxlens oblique',
    () => oneRun(base, fileUrl),
    (error) => ({ axisMs: null, obliqueMs: null, slabMs: null, dragMs: null, wheelMs: null, uploads: 0, viewPx: [NaN, NaN] as [number, number], error }),
    (r) => `axis paging ${ms1(r.axisMs)}/frame, oblique ${ms1(r.obliqueMs)}, ${SLAB_MM} mm MIP ${ms1(r.slabMs)}, rotation drag ${ms1(r.dragMs)}/move, wheel paging ${ms1(r.wheelMs)}/notch, uploads ${r.uploads}`,
  );
  for (const r of runs) if (r.uploads) log(`  WARNING: ${r.uploads} 3D texture upload call(s) while turning the planes or changing slabs`);
  const summary: Record<string, Summary | null> = {
    axisMs: summarize(values(runs.map((r) => r.axisMs))),
    obliqueMs: summarize(values(runs.map((r) => r.obliqueMs))),
    slabMs: summarize(values(runs.map((r) => r.slabMs))),
    dragMs: summarize(values(runs.map((r) => r.dragMs))),
    wheelMs: summarize(values(runs.map((r) => r.wheelMs))),
    obliquePerAxis: summarize(values(runs.map((r) => (r.obliqueMs != null && r.axisMs ? r.obliqueMs / r.axisMs : null)))),
    slabPerThin: summarize(values(runs.map((r) => (r.slabMs != null && r.obliqueMs ? r.slabMs / r.obliqueMs : null)))),
  };
  return { runs, summary };
}

/** One frame at 60 Hz (ms): the rotation target's slack over a thin-slice paging frame. */
const FRAME_MS = 1000 / 60;

function rows(t: Table, volume: string, value: ObliqueResult): void {
  const s = value.summary;
  peerRow(t, volume, `2x2 paging ${PAGE_SLICES} slices, patient axes`, s.axisMs, undefined, ' ms/frame', 1);
  peerRow(t, volume, `2x2 paging ${PAGE_SLICES} slices, double oblique`, s.obliqueMs, undefined, ' ms/frame', 1);
  peerRow(t, volume, `2x2 paging, ${SLAB_MM} mm MIP slab in each slice pane (oblique)`, s.slabMs, undefined, ' ms/frame', 1);
  peerRow(t, volume, 'rotation drag: pointermove → all panes redrawn', s.dragMs, undefined, ' ms', 1);
  peerRow(t, volume, 'thin paging by wheel: wheel event → all panes redrawn', s.wheelMs, undefined, ' ms', 1);
  const uploads = [...new Set(value.runs.map((r) => r.uploads))].join(', ');
  const drag = s.dragMs?.median ?? null, wheel = s.wheelMs?.median ?? null;
  t.targets.push(
    `${volume}: oblique paging ${fmtRatio(ratio(s.obliqueMs, s.axisMs))} axis-aligned (target ≤ 1.2×: ${verdict(ratio(s.obliqueMs, s.axisMs), 1.2, true)}); ` +
      `${SLAB_MM} mm slab MIP ${fmtRatio(ratio(s.slabMs, s.obliqueMs))} a thin slice (target ≤ 3× on the CT: ${verdict(ratio(s.slabMs, s.obliqueMs), 3, true)}); ` +
      `rotation drag ${ms1(drag)} per move against thin paging by wheel ${ms1(wheel)} (the same timing) + one frame (${drag !== null && wheel !== null ? (drag <= wheel + FRAME_MS ? 'met' : 'NOT met') : 'n/a'}); texture uploads while turning: ${uploads}`,
  );
}

function legend(json: BenchResults): string {
  if (!json.results.some((r) => r.oblique)) return '';
  return (
    `oblique = Voxlens's 2x2 layout in ${VIEW.join('×')} CSS px, the axial pane paged one voxel of the layer along its normal per frame (frame() + readPixels), out and back from the centre: on the patient axes, then turned 20° about R and 15° about S; ` +
    `the slab case draws a ${SLAB_MM} mm MIP in all three slice panes; rotation drag = a real pointer dragged around the axial pane's handle 2° a move, and wheel paging = a real wheel notch over the (thin) axial pane, each timed from the event's timestamp to the end of the first frame drawn after it (+ readPixels)`
  );
}

export const oblique = volumeFigure<ObliqueResult>({
  name: 'oblique',
  key: 'oblique',
  flag: '--oblique',
  perVolume: true,
  inFull: true,
  inSmoke: false,
  applies: (volume) => volume.mpr === true,
  run: (ctx, { url }) => {
    log(`  oblique: 2x2 in ${VIEW.join('×')}, oblique paging, ${SLAB_MM} mm MIP, rotation drag`);
    return measure(ctx.base, `${ctx.base}${url}`);
  },
  rows: (t, volume, value) => rows(t, volume, value),
  legend: (json) => legend(json),
  failures: (json) =>
    json.results.flatMap((r) => ((r.oblique as ObliqueResult | undefined)?.runs ?? []).filter((x) => x.uploads > 0).map((x) => `${r.volume}: ${x.uploads} texture uploads while turning the planes or changing slabs`)),
});
