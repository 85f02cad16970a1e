// What every benchmark page exposes as window.bench (the Voxlens adapter lives in bench/run.ts).
export interface BenchApi {
  /** ms from the start of loading to the first frame drawn with the volume (GPU work finished). */
  load(url: string): Promise<number>;
  /** ms per frame while paging `slices` slices; null when the page cannot page. */
  page(slices: number): Promise<number | null>;
  /** ms from a synthetic pointer event at (fx, fy) (fractions of the view) to the updated value display; null when not available. */
  probe(fx: number, fy: number): Promise<number | null>;
  renderer(): string;
  /**
   * ms of each of `n` redraws of an unchanged scene (the reference for "under one frame's time");
   * NiiVue's ?render page: each one ray-casts the whole canvas again.
   */
  plain?(n: number): Promise<number[]>;
  /** Multiplanar layout: show (or hide) the 3D render tile. */
  showRender?(show: boolean): void;
  /** ms of each switch to the next 4D frame, over every frame and back to the first. */
  switchFrames?(): Promise<number[]>;
  /** The 3D render's view (NiiVue: renderAzimuth and renderElevation, its convention), set and redrawn. */
  setRenderView?(azimuth: number, elevation: number): { azimuth: number; elevation: number };
  /**
   * Redraws, then reads the whole drawing buffer back: the share of its pixels that are not the
   * background colour (a channel more than COVERAGE_THRESHOLD from it). With `pixels`, the RGBA
   * rows too (base64, bottom row first, as readPixels gives them).
   */
  coverage?(pixels: boolean): Coverage;
  /** Loads several volumes as layers over one another (the first at the bottom): ms to the first frame drawn with them, and the layers open. */
  loadLayers?(urls: string[]): Promise<{ ms: number; layers: number }>;
  /**
   * ms of each of `n` calls of the page's ROI statistics over layer 0's voxels inside an ellipse
   * `sizeMm` across on the plane of constant k (axial for the benchmark's volumes) through the centre
   * voxel (floor((dim − 1) / 2) on each axis), with the voxel count and mean of the last call.
   */
  roiStats?(sizeMm: number, n: number): RoiTiming;
  /** What was loaded: the volumes open, the first one's dims and its values at native voxel indices `ijk` (to check a reader). */
  info?(ijk: number[][]): { volumes: number; dims: number[]; values: number[] };
}

export interface RoiTiming {
  ms: number[];
  count: number;
  mean: number;
  /** The ellipse's voxel bounding box, as the page was asked for it. */
  startVox: number[];
  endVox: number[];
}

export interface Coverage {
  coverage: number;
  width: number;
  height: number;
  /** The background colour counted against, RGBA 0…1 (NiiVue: opts.backColor). */
  background: number[];
  pixels?: string;
}

/** A pixel counts as drawn when a channel (R, G or B) is more than this (of 255) from the background. */
export const COVERAGE_THRESHOLD = 8;

declare global {
  interface Window {
    bench: BenchApi;
  }
}

/** Blocks until the GPU has finished earlier work (readPixels cannot return before it). */
export function syncGpu(gl: WebGL2RenderingContext): void {
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
}

export function rendererString(gl: WebGL2RenderingContext): string {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
}
