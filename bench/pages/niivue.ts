// The peer: NiiVue loading the same file into a 512×512 axial view, or with
// ?mpr&w=1024&h=768 into its multiplanar layout (three slices and the 3D render tile, as a 2×2
// grid) on a canvas of that size, or with ?render&w=512&h=512 into its 3D render alone
// (sliceTypeRender, its default ray caster filling the canvas; plain() times its frames,
// setRenderView() turns it, coverage() measures how much of the canvas it draws). loadLayers()
// loads several volumes as layers; roiStats() times getDescriptives over an elliptical ROI (its
// roiSelection drag mode's statistics). info() says what was loaded (dims, values at voxels).
import { MULTIPLANAR_TYPE, Niivue, SHOW_RENDER } from '@niivue/niivue';
import { COVERAGE_THRESHOLD, rendererString, syncGpu } from './benchApi';
import { niivueDraw } from './niivueDraw';

const params = new URLSearchParams(location.search);
const mpr = params.has('mpr');
const render = params.has('render');
const box = document.getElementById('box') as HTMLDivElement;
box.style.width = `${Number(params.get('w') ?? 512)}px`;
box.style.height = `${Number(params.get('h') ?? 512)}px`;
const canvas = document.getElementById('gl') as HTMLCanvasElement;
const probeText = document.getElementById('probe') as HTMLDivElement;
const nv = new Niivue({ show3Dcrosshair: false, logLevel: 'error' });
const ready = nv.attachToCanvas(canvas).then(() => {
  if (mpr) {
    nv.opts.multiplanarLayout = MULTIPLANAR_TYPE.GRID;
    nv.opts.multiplanarShowRender = SHOW_RENDER.ALWAYS;
    nv.setSliceType(nv.sliceTypeMultiplanar);
  } else if (render) nv.setSliceType(nv.sliceTypeRender);
  else nv.setSliceType(nv.sliceTypeAxial);
  nv.onLocationChange = (data: unknown) => {
    probeText.textContent = (data as { string?: string }).string ?? JSON.stringify(data);
  };
});
const gl = () => nv.gl as WebGL2RenderingContext;
// The segmentation figure's drawing calls (niivueDraw.ts).
window.niivueDraw = niivueDraw(nv);

window.bench = {
  async load(url) {
    await ready;
    const t0 = performance.now();
    await nv.loadVolumes([{ url }]);
    nv.drawScene();
    syncGpu(gl());
    return performance.now() - t0;
  },
  async page(slices) {
    const t0 = performance.now();
    for (let i = 0; i < slices; i++) {
      nv.moveCrosshairInVox(0, 0, i < slices / 2 ? 1 : -1);
      syncGpu(gl());
      // Paced by animation frames like Voxlens (the bench disables vsync, so this is render-bound).
      await new Promise(requestAnimationFrame);
    }
    return (performance.now() - t0) / slices;
  },
  async probe(fx, fy) {
    // NiiVue reports the value under the crosshair on click (hover does not update it).
    const rect = canvas.getBoundingClientRect();
    const x = rect.left + rect.width * fx;
    const y = rect.top + rect.height * fy;
    const before = probeText.textContent;
    const changed = new Promise<void>((resolve) => {
      const mo = new MutationObserver(() => {
        mo.disconnect();
        resolve();
      });
      mo.observe(probeText, { childList: true, characterData: true, subtree: true });
    });
    const t0 = performance.now();
    canvas.dispatchEvent(new MouseEvent('mousedown', { clientX: x, clientY: y, button: 0, bubbles: true }));
    canvas.dispatchEvent(new MouseEvent('mouseup', { clientX: x, clientY: y, button: 0, bubbles: true }));
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 3000));
    const r = await Promise.race([changed.then(() => 'ok' as const), timeout]);
    return r === 'ok' && probeText.textContent !== before ? performance.now() - t0 : null;
  },
  async loadLayers(urls) {
    await ready;
    const t0 = performance.now();
    await nv.loadVolumes(urls.map((url) => ({ url })));
    nv.drawScene();
    syncGpu(gl());
    return { ms: performance.now() - t0, layers: nv.volumes.length };
  },
  roiStats(sizeMm, n) {
    // The ellipse as its roiSelection drag mode describes one: a voxel bounding box on one plane.
    // getDescriptives then scales the whole layer to float, builds a whole-volume mask with the
    // ellipse's voxels set and runs its statistics over every voxel of the volume.
    const hdr = nv.volumes[0].hdr!;
    const centre = [1, 2, 3].map((a) => Math.floor((hdr.dims[a] - 1) / 2));
    const radius = [1, 2].map((a) => sizeMm / 2 / hdr.pixDims[a]);
    const startVox = [centre[0] - radius[0], centre[1] - radius[1], centre[2]];
    const endVox = [centre[0] + radius[0], centre[1] + radius[1], centre[2]];
    const ms: number[] = [];
    let last = { nvox: 0, mean: NaN };
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      last = nv.getDescriptives({ layer: 0, roiIsMask: true, startVox, endVox });
      ms.push(performance.now() - t0);
    }
    return { ms, count: last.nvox, mean: last.mean, startVox, endVox };
  },
  info(ijk) {
    const vol = nv.volumes[0];
    if (!vol?.hdr) return { volumes: nv.volumes.length, dims: [], values: [] };
    return { volumes: nv.volumes.length, dims: vol.hdr.dims.slice(1, 4), values: ijk.map(([i, j, k]) => vol.getValue(i, j, k)) };
  },
  renderer: () => rendererString(gl()),
  async plain(n) {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      nv.drawScene();
      syncGpu(gl());
      await new Promise(requestAnimationFrame);
      ms.push(performance.now() - t0);
    }
    return ms;
  },
  showRender(show) {
    nv.opts.multiplanarShowRender = show ? SHOW_RENDER.ALWAYS : SHOW_RENDER.NEVER;
    nv.drawScene();
    syncGpu(gl());
  },
  async switchFrames() {
    const vol = nv.volumes[0];
    const frames = vol.nFrame4D ?? 1;
    const ms: number[] = [];
    for (let i = 1; i <= frames; i++) {
      const t0 = performance.now();
      nv.setFrame4D(vol.id, i % frames); // redraws synchronously
      syncGpu(gl());
      await new Promise(requestAnimationFrame);
      ms.push(performance.now() - t0);
    }
    return ms;
  },
  setRenderView(azimuth, elevation) {
    nv.setRenderAzimuthElevation(azimuth, elevation); // redraws
    syncGpu(gl());
    return { azimuth: nv.scene.renderAzimuth, elevation: nv.scene.renderElevation };
  },
  coverage(pixels) {
    // Read in the same task as the draw: the canvas is not created with preserveDrawingBuffer.
    nv.drawScene();
    const g = gl();
    const width = g.drawingBufferWidth, height = g.drawingBufferHeight;
    const px = new Uint8Array(width * height * 4);
    g.readPixels(0, 0, width, height, g.RGBA, g.UNSIGNED_BYTE, px);
    const background = [...(nv.opts.backColor ?? [0, 0, 0, 1])];
    const back = background.map((c) => Math.round(c * 255));
    let drawn = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (Math.abs(px[i] - back[0]) > COVERAGE_THRESHOLD || Math.abs(px[i + 1] - back[1]) > COVERAGE_THRESHOLD || Math.abs(px[i + 2] - back[2]) > COVERAGE_THRESHOLD) drawn++;
    }
    let b64: string | undefined;
    if (pixels) {
      let bin = '';
      for (let i = 0; i < px.length; i += 0x8000) bin += String.fromCharCode(...px.subarray(i, i + 0x8000));
      b64 = btoa(bin);
    }
    return { coverage: drawn / (width * height), width, height, background, pixels: b64 };
  },
};
