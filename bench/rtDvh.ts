// The DVH of 40 structures over a 150 × 150 × 100 dose (issue 22's benchmark, target under 1 s):
// rasterizing each structure on the dose grid (centres inside) and its cumulative DVH, three runs,
// wall and CPU time (CPU time is the honest number on a shared machine). Standalone:
//   npx tsx bench/rtDvh.ts
import { buildStructure } from '../src/io/dicom/rt/structure';
import { rasterizeStructure } from '../src/io/dicom/rt/rasterize';
import { dvhFromDoses } from '../src/io/dicom/rt/dvh';
// Dose 150×150×100 at 2.5 mm; 40 structures: circles of radius 10…40 mm on 3 mm planes through 60 mm.
const dims = [150, 150, 100];
const h = 2.5;
const affine = [h, 0, 0, -187.5, 0, h, 0, -187.5, 0, 0, h, -125, 0, 0, 0, 1];
const dose = new Float32Array(dims[0] * dims[1] * dims[2]);
for (let n = 0; n < dose.length; n++) dose[n] = (n % 997) * 0.07;
const structures = Array.from({ length: 40 }, (_, s) => {
  const r = 10 + (s % 4) * 10, cx = -100 + (s % 8) * 28, cy = -80 + Math.floor(s / 8) * 35;
  const contours: Float64Array[] = [];
  for (let z = -30; z <= 30; z += 3) {
    const pts: number[] = [];
    for (let a = 0; a < 64; a++) pts.push(cx + r * Math.cos((a / 64) * 2 * Math.PI), cy + r * Math.sin((a / 64) * 2 * Math.PI), z);
    contours.push(Float64Array.from(pts));
  }
  return buildStructure(contours)!;
});
for (let run = 0; run < 3; run++) {
  const t0 = performance.now(); const c0 = process.cpuUsage();
  let voxels = 0;
  for (const s of structures) {
    const idx = rasterizeStructure(s, { dims, affine });
    voxels += idx.length;
    const d = new Float64Array(idx.length);
    for (let n = 0; n < idx.length; n++) d[n] = dose[idx[n]];
    dvhFromDoses(d, h ** 3);
  }
  const c = process.cpuUsage(c0); console.log(`40 DVHs: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU (${voxels} voxels)`);
}
