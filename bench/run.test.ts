// Runs the benchmark's smallest case end to end so it cannot rot. No timing is asserted: only
// that every subject produced its figures.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const hasBrowser = Boolean(process.env.CHROMIUM_PATH) || existsSync('/usr/bin/chromium');

it.skipIf(!hasBrowser)('npm run bench -- --smoke measures Voxlens, NiiVue and the floor: single-view, multi-pane, 3D render, probing and measurement, load against the floor, formats, DICOM, memory', () => {
  const out = join(root, 'bench/out/results.smoke.json');
  rmSync(out, { force: true });
  const stdout = execFileSync('npx', ['tsx', 'bench/run.ts', '--smoke'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 400_000 });
  expect(stdout).toContain('Voxlens/NiiVue');
  const results = JSON.parse(readFileSync(out, 'utf8'));
  const subjects = results.results[0].subjects;
  for (const s of ['voxlens', 'niivue', 'floor', 'floorDraw']) {
    expect(subjects[s].runs[0].error, `${s} failed`).toBeUndefined();
    expect(subjects[s].summary.loadMs.median).toBeGreaterThan(0);
    expect(Number.isFinite(subjects[s].summary.total.median)).toBe(true);
  }
  expect(subjects.voxlens.summary.pageMs.median).toBeGreaterThan(0);
  expect(subjects.voxlens.summary.probeMs.median).toBeGreaterThan(0);
  // The multi-pane figures: 2x2 paging against NiiVue's multiplanar layout, layout switches, 4D frame switches.
  const mpr = results.results[0].mpr;
  for (const s of ['voxlens', 'niivue']) {
    expect(mpr[s].runs[0].error, `${s} 2x2 failed`).toBeUndefined();
    expect(mpr[s].summary.pageMs.median).toBeGreaterThan(0);
    expect(mpr[s].summary.plainMs.median).toBeGreaterThan(0);
    expect(results.fourD.subjects[s].runs[0].error, `${s} 4D failed`).toBeUndefined();
    expect(results.fourD.subjects[s].summary.switchMs.median).toBeGreaterThan(0);
  }
  expect(mpr.niivue.summary.pageNoRenderMs.median).toBeGreaterThan(0);
  expect(mpr.voxlens.summary.switchMs.median).toBeGreaterThan(0);
  expect(mpr.voxlens.summary.fullMs.median).toBeGreaterThan(0);
  expect(mpr.voxlens.summary.pageCutMs.median).toBeGreaterThan(0);
  expect(mpr.voxlens.runs[0].switches.map((s: { to: string }) => s.to)).toEqual(results.switchLayouts);
  expect(mpr.voxlens.runs[0].textureBytes).toHaveLength(2);
  expect(results.fourD.subjects.voxlens.runs[0].textureBytes).toHaveLength(2);
  expect(stdout).toContain('layout switch → frame()');
  // The 3D render figures: both peers framed alike, Voxlens's zoom matched to NiiVue's coverage.
  const render = results.results[0].render;
  for (const s of ['voxlens', 'niivue']) expect(render[s].runs[0].error, `${s} 3D render failed`).toBeUndefined();
  expect(render.niivue.runs[0].coverage).toBeGreaterThan(0);
  expect(render.voxlens.runs[0].coverageTarget).toBe(render.niivue.summary.coverage.median);
  expect(Math.abs(render.voxlens.runs[0].coverage / render.voxlens.runs[0].coverageTarget - 1)).toBeLessThan(0.1);
  expect(stdout).toContain('3D coverage (share of pane drawn)');
  // The probing and measurement figures: pointer → panel with three layers before and after a line
  // (its profile plot open), ROI statistics against NiiVue's over the same voxels, volumes per label.
  const m = results.measure;
  for (const s of ['voxlens', 'niivue']) {
    expect(m.probe.subjects[s].runs[0].error, `${s} 3-layer probe failed`).toBeUndefined();
    expect(m.probe.subjects[s].runs[0].layers).toBe(3);
    expect(m.probe.subjects[s].summary.probeMs.median).toBeGreaterThan(0);
    expect(m.roi.subjects[s].runs[0].error, `${s} ROI stats failed`).toBeUndefined();
    expect(m.roi.subjects[s].summary.roiMs.median).toBeGreaterThan(0);
  }
  expect(m.probe.subjects.voxlens.summary.plainProbeMs.median).toBeGreaterThan(0);
  expect(m.probe.subjects.voxlens.runs[0].profile.series).toBe(3);
  expect(m.roi.subjects.voxlens.runs[0].count).toBeGreaterThan(0);
  expect(m.roi.subjects.niivue.runs[0].count).toBe(m.roi.subjects.voxlens.runs[0].count);
  expect(m.roi.subjects.niivue.runs[0].mean).toBeCloseTo(m.roi.subjects.voxlens.runs[0].mean, 3);
  const labels = m.labels.subjects.voxlens.runs[0];
  expect(labels.error, 'label volumes failed').toBeUndefined();
  expect(labels.labelMap).toBe(true);
  expect(labels.labels).toBeGreaterThan(0);
  expect(labels.voxels).toBe(32 ** 3);
  expect(labels.labelMs).toBeGreaterThan(0);
  expect(stdout).toContain('probe: pointer → panel, 3 layers + profile plot');
  expect(stdout).toContain('label volumes');
  // The formats figure: the same tiny volume as .nii.gz, .nrrd and .mgz, read alike and timed by both peers.
  expect(results.formats.formats.map((c: { format: string }) => c.format)).toEqual(['nii.gz', 'nrrd', 'mgz']);
  for (const c of results.formats.formats) {
    for (const s of ['voxlens', 'niivue']) {
      expect(c[s].runs[0].error, `${s} ${c.format} failed`).toBeUndefined();
      expect(c[s].runs[0].mismatch, `${s} read ${c.format} differently`).toBeUndefined();
      expect(c[s].summary.loadMs.median).toBeGreaterThan(0);
    }
    expect(c.voxlens.summary.decodeMs.median).toBeGreaterThan(0);
    expect(c.voxlens.summary.voxelMBps.median).toBeGreaterThan(0);
  }
  expect(stdout).toContain('decode MB/s of voxels');
  // The DICOM figure: a tiny generated series (one Part 10 file per slice) and the same voxels as
  // .nii.gz (and a JPEG-LS copy where Voxlens decodes it and dcmcjpls is installed), read alike and timed.
  const dicom = results.dicom;
  expect(dicom.cells.map((c: { kind: string }) => c.kind).slice(0, 2)).toEqual(['dicom', 'nii.gz']);
  for (const c of dicom.cells) {
    expect(c.runs[0].error, `${c.kind} failed`).toBeUndefined();
    expect(c.runs[0].mismatch, `${c.kind} read differently`).toBeUndefined();
    expect(c.summary.loadMs.median).toBeGreaterThan(0);
    expect(c.summary.decodeMs.median).toBeGreaterThan(0);
    expect(Number.isFinite(c.summary.renderer.median)).toBe(true);
  }
  expect(dicom.cells[0].files).toBe(16);
  expect(dicom.cells[0].runs[0].phases.requests).toBe(16);
  expect(dicom.floor.summary.sequentialMs.median).toBeGreaterThan(0);
  expect(dicom.replay.frameCopyMs).toBeGreaterThanOrEqual(0);
  expect(stdout).toContain('renderer rise / voxel bytes');
  // The memory figure: the tiny volume loaded in a fresh browser, the renderer's peak rise and its parts measured.
  const memory = results.memory;
  expect(memory.cells.map((c: { volume: string }) => c.volume)).toEqual(['smoke int16 32³']);
  expect(memory.cells[0].runs[0].error, 'memory figure failed').toBeUndefined();
  expect(memory.cells[0].summary.renderer.median).toBeGreaterThan(0);
  expect(memory.cells[0].summary.decodeMs.median).toBeGreaterThan(0);
  expect(stdout).toContain('renderer peak rise / voxel bytes');
  expect(stdout).toContain('the same as × voxels + constant');
  // The load figure: the floor, the axial layout and 2x2 in one round, 2x2 to its first slices (the mark) before frame().
  const load = results.load;
  expect(load.cells.map((c: { volume: string }) => c.volume)).toEqual(['smoke int16 32³']);
  for (const s of ['floor', 'axial', '2x2']) {
    expect(load.cells[0].subjects[s].runs[0].error, `load ${s} failed`).toBeUndefined();
    expect(load.cells[0].subjects[s].summary.loadMs.median).toBeGreaterThan(0);
  }
  const twoByTwo = load.cells[0].subjects['2x2'].runs[0];
  expect(twoByTwo.firstSlicesMs).toBeGreaterThan(0);
  expect(twoByTwo.firstSlicesMs).toBeLessThan(twoByTwo.loadMs);
  expect(stdout).toContain('2x2: load → first slices');
  expect(results.renderer).not.toBe('');
}, 420_000);
