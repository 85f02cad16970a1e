// NiiVue's drawing, timed for the segmentation figure (bench/figures/segmentation.ts) on the NiiVue
// page (window.niivueDraw), with the calls its own tools make:
//   stroke = per pointer event of its pen tool, drawPt for the first and drawPenLine from the last
//            point after, then refreshDrawing(false) (its drawing texture updated from the whole
//            bitmap); then its redraw (drawScene, GPU finished). At the stroke's end its mouse-up
//            records the undo state (drawAddUndoBitmap). Its pen is a square of penSize voxels in
//            the axial plane (drawPenAxCorSag 0), the odd size closest to the Voxlens disk's width.
//   fill   = drawFloodFill, 3D and 6-connected from a seed, within a raw intensity range (its
//            intensity grow: growSelectedCluster ≠ 0 with forceMin/forceMax): the fill, its undo
//            bitmap, the texture update and the redraw, GPU finished. It runs on the main thread.
//   undo   = drawUndo (the bitmap restored, uploaded, redrawn), GPU finished.
// texSubImage3D's bytes are counted by wrapping the call, as the Voxlens side does.
import type { Niivue } from '@niivue/niivue';
import { syncGpu } from './benchApi';

export interface DrawStroke {
  /** Per event: ms of the drawing calls (draw + texture update), and to the redraw finished. */
  callMs: number[];
  frameMs: number[];
  /** ms of the mouse-up's undo record. */
  endMs: number;
  penSize: number;
  uploadBytesPerEvent: number;
  labelBytes: number;
}

export interface DrawFill {
  ms: number;
  voxels: number;
  undoMs: number;
  rawRange: [number, number];
}

export interface NiivueDrawApi {
  /** `dabs` pen events across the middle axial slice, from a quarter to three quarters of x; pen about 2·radiusMm wide. */
  stroke(dabs: number, radiusMm: number, value: number): DrawStroke;
  /** A 3D flood fill from voxel `seed` over scaled values in `range` (converted to NiiVue's raw units), then its undo; voxels = those it changed. */
  fill(range: [number, number], seed: number[], value: number): DrawFill;
}

declare global {
  interface Window {
    niivueDraw: NiivueDrawApi;
  }
}

export function niivueDraw(nv: Niivue): NiivueDrawApi {
  const uploads = { bytes: 0, wrapped: false };
  const gl = () => nv.gl as WebGL2RenderingContext;
  const ready = () => {
    if (!nv.back?.dims) throw new Error('NiiVue has no volume loaded');
    if (!uploads.wrapped) {
      // Wrapped at the first drawing call only: the page's other figures run unwrapped.
      uploads.wrapped = true;
      const proto = WebGL2RenderingContext.prototype;
      const sub = proto.texSubImage3D;
      proto.texSubImage3D = function (this: WebGL2RenderingContext, ...a: unknown[]) {
        uploads.bytes += (a[5] as number) * (a[6] as number) * (a[7] as number);
        return (sub as (...x: unknown[]) => void).apply(this, a);
      } as typeof proto.texSubImage3D;
    }
    if (!nv.drawBitmap) {
      nv.setDrawingEnabled(true);
      nv.createEmptyDrawing();
    }
    return nv.back;
  };
  return {
    stroke(dabs, radiusMm, value) {
      const back = ready();
      const [, nx, ny, nz] = back.dims!;
      const mm = back.hdr!.pixDims[1];
      const penSize = 2 * Math.round(radiusMm / mm) + 1;
      nv.opts.penSize = penSize;
      nv.drawPenAxCorSag = 0;
      const callMs: number[] = [], frameMs: number[] = [];
      const bytes0 = uploads.bytes;
      let last: number[] | null = null;
      for (let d = 0; d < dabs; d++) {
        const pt = [Math.round(nx * (0.25 + (0.5 * d) / dabs)), Math.floor(ny / 2), Math.floor(nz / 2)];
        const t0 = performance.now();
        if (last) nv.drawPenLine(pt, last, value);
        else nv.drawPt(pt[0], pt[1], pt[2], value);
        nv.refreshDrawing(false, false);
        callMs.push(performance.now() - t0);
        nv.drawScene();
        syncGpu(gl());
        frameMs.push(performance.now() - t0);
        last = pt;
      }
      const uploadBytesPerEvent = (uploads.bytes - bytes0) / dabs;
      const t1 = performance.now();
      nv.drawAddUndoBitmap();
      const endMs = performance.now() - t1;
      return { callMs, frameMs, endMs, penSize, uploadBytesPerEvent, labelBytes: nx * ny * nz };
    },
    fill(range, seed, value) {
      const back = ready();
      const slope = back.hdr!.scl_slope || 1;
      const inter = back.hdr!.scl_inter || 0;
      const raw = range.map((s) => (s - inter) / slope).sort((a, b) => a - b) as [number, number];
      const before = nv.drawBitmap!.slice();
      nv.opts.penValue = value;
      const t0 = performance.now();
      nv.drawFloodFill(seed, value, 1, raw[0], raw[1], 6, Number.POSITIVE_INFINITY, false);
      syncGpu(gl());
      const ms = performance.now() - t0;
      const after = nv.drawBitmap!;
      let voxels = 0;
      for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) voxels++;
      const t1 = performance.now();
      nv.drawUndo();
      syncGpu(gl());
      return { ms, voxels, undoMs: performance.now() - t1, rawRange: raw };
    },
  };
}
