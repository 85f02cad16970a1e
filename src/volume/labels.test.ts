import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA_DIR } from '../testing/sharedData';
import type { DataType, VoxelArray } from './dataTypes';
import {
  buildLabelTable,
  labelColor,
  labelName,
  looksLikeLabels,
  MAX_LABEL_INDEX,
  NIFTI_INTENT_LABEL,
  parseLabelLookup,
  type LabelLookup,
  type LookupResult,
  decodeLabelText,
  labelListFromText,
  meantAsLabelList,
  parseLabelNames,
} from './labels';
import { computeStats } from './stats';

// A 32³ grid: every voxel is sampled (fewer than sampleStats' 64K), and each volume is built and
// its stats computed for every Stryker mutant, so 64³ (8× the work) made this file time out there.
// The fields below are the 64³ ones scaled down: the distinct counts, runs and ranges that
// looksLikeLabels reads are those of 64³ within a few levels (checked when the grid was halved).
const S = 32;
const N = S ** 3;
const xyz = (i: number) => [i % S, Math.floor(i / S) % S, Math.floor(i / (S * S))];
/** A smooth, image-like field in 0..1 (a blurred head shape), with mild deterministic noise. */
const field = (i: number) => {
  const [x, y, z] = xyz(i);
  const r = Math.hypot(x - S / 2, y - S / 2, z - S / 2) / (S / 2);
  return Math.max(0, Math.min(1, (1 - r) * (0.8 + 0.2 * Math.sin(x / 1.5) * Math.cos(y / 2.5)) + 0.03 * Math.sin(i * 12.9898)));
};
/** Integer labels in 2³ blocks inside the head, cycling through `codes`; background 0 outside. */
const blobs = (codes: number[]) => (i: number) => {
  if (field(i) < 0.3) return 0;
  const [x, y, z] = xyz(i);
  return codes[((x >> 1) + (y >> 1) * 16 + (z >> 1) * 256) % codes.length];
};
const volume = <T extends VoxelArray>(make: (n: number) => T, value: (i: number) => number): T => {
  const v = make(N);
  for (let i = 0; i < N; i++) v[i] = value(i);
  return v;
};
const labels = (dtype: DataType, values: VoxelArray, intent = 0) => looksLikeLabels(dtype, intent, computeStats(values, 1));

// FreeSurfer's aseg codes (subcortical segmentation, ~40 values in 0..255).
const ASEG = [2, 3, 4, 5, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 24, 26, 28, 30, 31, 41, 42, 43, 44, 46, 47, 49, 50, 51, 52, 53, 54, 58, 60, 62, 63, 77, 85, 251, 255];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

describe('looksLikeLabels', () => {
  it('takes masks, tissue classes and sparse segmentations for labels', () => {
    expect(labels('uint8', volume((n) => new Uint8Array(n), (i) => (field(i) > 0.5 ? 1 : 0)))).toBe(true);
    expect(labels('uint8', volume((n) => new Uint8Array(n), (i) => Math.min(3, Math.floor(field(i) * 4))))).toBe(true);
    expect(labels('uint8', volume((n) => new Uint8Array(n), blobs(ASEG)))).toBe(true);
    expect(labels('uint8', volume((n) => new Uint8Array(n), blobs(ASEG.filter((c) => c < 100))))).toBe(true); // no corpus callosum
    // aparc+aseg: aseg plus cortical parcels 1000..1035 and 2000..2035, stored as int32.
    expect(labels('int32', volume((n) => new Int32Array(n), blobs([...ASEG, ...range(1000, 1035), ...range(2000, 2035)])))).toBe(true);
  });

  it('trusts intent_code LABEL for integer data, even when the codes are dense', () => {
    // AAL: uint8, 117 values filling 0..116. Without the intent code it reads as an image.
    const aal = volume((n) => new Uint8Array(n), blobs(range(1, 116)));
    expect(labels('uint8', aal, NIFTI_INTENT_LABEL)).toBe(true);
    expect(labels('uint8', aal)).toBe(false);
    expect(labels('int16', volume((n) => new Int16Array(n), (i) => Math.round(field(i) * 3000)), NIFTI_INTENT_LABEL)).toBe(true);
  });

  it('takes ordinary images for images', () => {
    // The field peaks near 0.8: stretch it so the image uses its whole range.
    const image = (scale: number, offset = 0) => (i: number) => Math.round(Math.min(1, field(i) / 0.8) * scale + offset);
    expect(labels('uint8', volume((n) => new Uint8Array(n), image(255)))).toBe(false); // MR, every level
    expect(labels('int16', volume((n) => new Int16Array(n), image(4024, -1024)))).toBe(false); // CT
    expect(labels('uint16', volume((n) => new Uint16Array(n), image(4095)))).toBe(false);
    expect(labels('uint8', volume((n) => new Uint8Array(n), image(40)))).toBe(false); // dim: 41 dense levels, 0..40
    // 7 and 6.4 bits stretched to 8: every 2nd or 3rd level.
    expect(labels('uint8', volume((n) => new Uint8Array(n), (i) => 2 * image(127)(i)))).toBe(false);
    expect(labels('uint8', volume((n) => new Uint8Array(n), (i) => 3 * image(85)(i)))).toBe(false);
  });

  it('takes an image with a few edit codes for an image (FreeSurfer wm.mgz: 82…127 in a row, then 200, 210, 215, 230, 250)', () => {
    const wm = (i: number) => (field(i) < 0.3 ? 0 : i % 97 === 0 ? [200, 210, 215, 230, 250][i % 5] : 82 + Math.round(Math.min(1, (field(i) - 0.3) / 0.5) * 45));
    const stats = computeStats(volume((n) => new Uint8Array(n), wm), 1);
    expect(stats.sampledRun).toBeGreaterThanOrEqual(40);
    expect(stats.sampledDistinct).toBeGreaterThan(45);
    expect(looksLikeLabels('uint8', 0, stats, 'wm.mgz')).toBe(false);
    // Named as a label map, or with the label intent, the same values are labels.
    expect(looksLikeLabels('uint8', 0, stats, 'wm_aseg.mgz')).toBe(true);
    expect(looksLikeLabels('uint8', NIFTI_INTENT_LABEL, stats, 'wm.mgz')).toBe(true);
  });

  it('takes a file named as a label map for labels, even with dense codes', () => {
    const aal = computeStats(volume((n) => new Uint8Array(n), blobs(range(1, 116))), 1);
    for (const name of ['aseg.mgz', 'aparc+aseg.mgz', '/data/sub-01_dseg.nii.gz', 'brain_labels.nii', 'AAL_atlas.nii', 'tumour-seg.nrrd']) expect(looksLikeLabels('uint8', 0, aal, name), name).toBe(true);
    for (const name of ['T1.mgz', 'wm.mgz', 'FLAIR.nii.gz', '/labels/T1.nii']) expect(looksLikeLabels('uint8', 0, aal, name), name).toBe(false);
    expect(labelName('aseg.mgz')).toBe(true);
    expect(labelName('brain.nii')).toBe(false);
    // A name never makes labels of floats or negative values.
    expect(looksLikeLabels('float32', 0, aal, 'aseg.nii')).toBe(false);
    expect(looksLikeLabels('int16', 0, { ...aal, min: -5 }, 'aseg.nii')).toBe(false);
  });

  it('draws each line exactly at its threshold (stats given directly)', () => {
    const at = (min: number, max: number, sampledDistinct: number, sampledRun: number) =>
      looksLikeLabels('uint16', 0, { min, max, robustMin: min, robustMax: max, nonFinite: 0, sampledDistinct, sampledRun, exact: true });
    // Up to 16 distinct values are labels however dense; 17 dense ones are not.
    expect(at(0, 15, 16, 16)).toBe(true);
    expect(at(0, 16, 17, 17)).toBe(false);
    // A run of 20 holding half the values is grey levels; 19, or fewer than half, is not.
    expect(at(0, 255, 40, 20)).toBe(false);
    expect(at(0, 255, 38, 19)).toBe(true);
    expect(at(0, 255, 41, 20)).toBe(true);
    // Sparse tiers: 64 values in a span of 128, 256 in 1024; one more value, or one less span, is an image.
    expect(at(0, 127, 64, 1)).toBe(true);
    expect(at(0, 126, 64, 1)).toBe(false);
    expect(at(0, 1023, 256, 1)).toBe(true);
    expect(at(0, 1022, 256, 1)).toBe(false);
    expect(at(0, 60000, 257, 1)).toBe(false);
    // The span is max - min + 1, wherever the values start: 64 codes in 1000..1127 are sparse, in 1000..1126 not.
    expect(at(1000, 1127, 64, 1)).toBe(true);
    expect(at(1000, 1126, 64, 1)).toBe(false);
    // Indices up to MAX_LABEL_INDEX, none below 0; two values at least; no run counted is no run.
    expect(at(0, MAX_LABEL_INDEX, 3, 1)).toBe(true);
    expect(at(0, MAX_LABEL_INDEX + 1, 3, 1)).toBe(false);
    expect(at(-1, 5, 3, 1)).toBe(false);
    expect(at(0, 1, 2, 2)).toBe(true);
    expect(at(3, 3, 1, 1)).toBe(false);
    expect(looksLikeLabels('uint16', 0, { min: 0, max: 255, robustMin: 0, robustMax: 255, nonFinite: 0, sampledDistinct: 40, exact: true })).toBe(true);
  });

  it('refuses floats, colour and constant volumes', () => {
    const mask = volume((n) => new Float32Array(n), (i) => (field(i) > 0.5 ? 1 : 0));
    expect(labels('float32', mask)).toBe(false);
    expect(labels('float32', mask, NIFTI_INTENT_LABEL)).toBe(false);
    expect(looksLikeLabels('rgb24', 0, computeStats(new Uint8Array(300).fill(1), 3))).toBe(false);
    expect(labels('uint8', new Uint8Array(1000))).toBe(false);
  });
});

const readNifti1 = (file: string) => {
  const bytes = gunzipSync(readFileSync(join(SHARED_DATA_DIR, file)));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const voxOffset = dv.getFloat32(108, true);
  const view: Record<number, [DataType, (b: ArrayBuffer) => VoxelArray]> = {
    2: ['uint8', (b) => new Uint8Array(b)],
    4: ['int16', (b) => new Int16Array(b)],
    16: ['float32', (b) => new Float32Array(b)],
  };
  const [dtype, make] = view[dv.getInt16(70, true)];
  const values = make(bytes.slice(voxOffset).buffer);
  return { dtype, intent: dv.getInt16(68, true), stats: computeStats(values, 1) };
};

describe.skipIf(!hasSharedData)('real volumes from ../shared/data', () => {
  it('aal.nii.gz is labels (by its intent code); the MR, fMRI and statistics images are not', () => {
    const aal = readNifti1('aal.nii.gz');
    expect(aal.intent).toBe(NIFTI_INTENT_LABEL);
    expect(aal.stats.sampledDistinct).toBeGreaterThan(100);
    expect(looksLikeLabels(aal.dtype, aal.intent, aal.stats)).toBe(true);
    for (const file of ['FLAIR.nii.gz', 'fmri_pitch.nii.gz', 'spmMotor.nii.gz', 'pcasl.nii.gz']) {
      const v = readNifti1(file);
      expect(looksLikeLabels(v.dtype, v.intent, v.stats), file).toBe(false);
    }
  });
});

describe('labelColor', () => {
  const distance = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
  it('is deterministic, bright, and tells neighbouring indices apart', () => {
    expect(labelColor(17)).toEqual(labelColor(17));
    for (let i = 1; i < 2000; i++) {
      const c = labelColor(i);
      c.forEach((v) => expect(Number.isInteger(v) && v >= 0 && v <= 255).toBe(true));
      expect(Math.max(...c)).toBeGreaterThanOrEqual(180);
      expect(distance(c, labelColor(i + 1))).toBeGreaterThan(150);
      expect(distance(c, labelColor(i + 2))).toBeGreaterThan(60);
    }
  });
  it('is black for the background and the same fixed colours on every run (saved views keep theirs)', () => {
    expect(labelColor(0)).toEqual([0, 0, 0]);
    expect([1, 2, 3, 17, 144, 1000, 2035].map(labelColor)).toEqual([
      [85, 123, 216],
      [174, 240, 81],
      [205, 58, 187],
      [56, 188, 194],
      [229, 67, 70],
      [204, 76, 43],
      [126, 97, 245],
    ]);
  });
  it('gives no two of the first 255 indices the same colour', () => {
    let closest = Infinity;
    for (let i = 1; i < 256; i++) for (let j = i + 1; j < 256; j++) closest = Math.min(closest, distance(labelColor(i), labelColor(j)));
    expect(closest).toBeGreaterThan(12);
  });
});

describe('buildLabelTable', () => {
  it('is RGBA per index: 0 transparent, the rest opaque, lookup colours first', () => {
    const lut: LabelLookup = { names: new Map([[2, 'Left-Cerebral-White-Matter']]), colors: new Map([[2, [245, 245, 245]]]) };
    const table = buildLabelTable(3, lut);
    expect(table.length).toBe(16);
    expect([...table.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
    expect([...table.subarray(4, 8)]).toEqual([...labelColor(1), 255]);
    expect([...table.subarray(8, 12)]).toEqual([245, 245, 245, 255]);
    expect([...table.subarray(12, 16)]).toEqual([...labelColor(3), 255]);
    expect([...buildLabelTable(0)]).toEqual([0, 0, 0, 0]);
  });
  it('without a lookup gives generated colours; hidden indices are transparent', () => {
    expect([...buildLabelTable(2)]).toEqual([0, 0, 0, 0, ...labelColor(1), 255, ...labelColor(2), 255]);
    const hidden: LabelLookup = { names: new Map(), colors: new Map([[1, [9, 8, 7]]]), hidden: new Set([1]) };
    expect([...buildLabelTable(2, hidden)]).toEqual([0, 0, 0, 0, 9, 8, 7, 0, ...labelColor(2), 255]);
  });
  it('covers every index up to MAX_LABEL_INDEX', () => {
    const table = buildLabelTable(MAX_LABEL_INDEX);
    expect(table.length).toBe((MAX_LABEL_INDEX + 1) * 4);
    expect([...table.subarray(-4)]).toEqual([...labelColor(MAX_LABEL_INDEX), 255]);
  });
  it('throws for an index it cannot cover (a caller bug)', () => {
    expect(() => buildLabelTable(MAX_LABEL_INDEX + 1)).toThrow(new RangeError('INTERNAL ERROR: label table for maxIndex 65536; it must be a whole number in 0..65535'));
    expect(() => buildLabelTable(-1)).toThrow(RangeError);
    expect(() => buildLabelTable(2.5)).toThrow(RangeError);
  });
});

describe('parseLabelLookup', () => {
  const ok = (r: LookupResult): LabelLookup => {
    if (r.kind === 'error') throw new Error(r.message);
    return r.value;
  };
  const error = (r: LookupResult): string => {
    if (r.kind === 'ok') throw new Error('expected an error');
    expect(r.code).toBe('bad-lookup');
    return r.message;
  };

  it('reads a FreeSurfer colour table: comments, blank lines, tabs, CRLF, optional alpha', () => {
    const text = [
      '#$Id: FreeSurferColorLUT.txt $',
      '',
      '#No. Label Name:                            R   G   B   A',
      '',
      '0   Unknown                                 0   0   0   0',
      '2\tLeft-Cerebral-White-Matter\t245\t245\t245\t0',
      '  17  Left-Hippocampus                    220 216  20   0  ',
      '1035 ctx-lh-insula 255 192 32',
      '99 Named-Only',
    ].join('\r\n');
    const lut = ok(parseLabelLookup(text, 'FreeSurferColorLUT.txt'));
    expect([...lut.names]).toEqual([
      [0, 'Unknown'],
      [2, 'Left-Cerebral-White-Matter'],
      [17, 'Left-Hippocampus'],
      [1035, 'ctx-lh-insula'],
      [99, 'Named-Only'],
    ]);
    expect(lut.colors.get(17)).toEqual([220, 216, 20]);
    expect(lut.colors.get(1035)).toEqual([255, 192, 32]);
    expect(lut.colors.has(99)).toBe(false);
  });

  it('names the line and the fault in a malformed table', () => {
    const at = (line: string) => error(parseLabelLookup(`# header\n1 First 1 2 3 0\n${line}\n`, 'my LUT.txt'));
    expect(at('2 Left Hippocampus 220 216 20 0')).toMatch(/^my LUT\.txt, line 3: expected "index name r g b \[a\]".*7 fields/);
    expect(at('2 Thalamus 220 216')).toMatch(/line 3: .*4 fields/);
    expect(at('2 Thalamus 220 300 20 0')).toMatch(/line 3: colour component "300" \(g\) is not a whole number in 0\.\.255/);
    expect(at('2 Thalamus 220 2.5 20 0')).toMatch(/line 3: colour component "2\.5"/);
    expect(at('x Thalamus 1 2 3 0')).toMatch(/line 3: index "x" is not a whole number/);
    expect(at('-4 Thalamus 1 2 3 0')).toMatch(/line 3: index "-4"/);
    expect(at('1 Again 1 2 3 0')).toMatch(/line 3: index 1 is already defined on line 2/);
    expect(at('70000 Huge 1 2 3 0')).toMatch(/line 3: index 70000 is above 65535/);
    expect(at('99999999999999999999 Huge 1 2 3 0')).toMatch(/line 3: index 99999999999999999999 is above 65535/);
  });

  it('reads JSON: names alone, or names with colours', () => {
    const names = ok(parseLabelLookup('{ "1": "Precentral_L", "2": "Precentral_R" }', 'aal.json'));
    expect([...names.names]).toEqual([
      [1, 'Precentral_L'],
      [2, 'Precentral_R'],
    ]);
    expect(names.colors.size).toBe(0);
    const full = ok(parseLabelLookup('{"17": {"name": "Left-Hippocampus", "color": [220, 216, 20]}, "53": {"name": "Right-Hippocampus"}}', 'labels.txt'));
    expect(full.names.get(53)).toBe('Right-Hippocampus');
    expect(full.colors.get(17)).toEqual([220, 216, 20]);
    expect(full.colors.has(53)).toBe(false);
  });

  it('names the key and the fault in malformed JSON', () => {
    expect(error(parseLabelLookup('{ "1": "a", }', 'l.json'))).toMatch(/^l\.json is not valid JSON: /);
    expect(error(parseLabelLookup('["a", "b"]', 'l.json'))).toMatch(/expected a JSON object/);
    expect(error(parseLabelLookup('{ "one": "a" }', 'l.json'))).toMatch(/key "one": index "one" is not a whole number/);
    expect(error(parseLabelLookup('{ "70000": "a" }', 'l.json'))).toMatch(/key "70000": index 70000 is above 65535/);
    expect(error(parseLabelLookup('{ "1": 5 }', 'l.json'))).toMatch(/key "1": expected a name or/);
    expect(error(parseLabelLookup('{ "1": { "color": [1, 2, 3] } }', 'l.json'))).toMatch(/key "1": "name" must be a string/);
    expect(error(parseLabelLookup('{ "1": { "name": "a", "color": [1, 2] } }', 'l.json'))).toMatch(/key "1": "color" must be \[r, g, b\].*\[1,2\]/);
    expect(error(parseLabelLookup('{ "1": "a", "01": "b" }', 'l.json'))).toMatch(/key "01": index 1 is given twice/);
  });

  it('refuses a file with no labels', () => {
    expect(error(parseLabelLookup('', 'empty.txt'))).toBe('empty.txt holds no labels.');
    expect(error(parseLabelLookup('# only comments\n\n', 'LUT.txt'))).toBe('LUT.txt holds no labels.');
    expect(error(parseLabelLookup('{}', 'l.json'))).toBe('l.json holds no labels.');
  });
});

describe('label names a file carries (labelListFromText, decodeLabelText, parseLabelNames)', () => {
  const names = (l: ReturnType<typeof labelListFromText>) => l && Object.fromEntries(l.names);

  it('lines with an optional header row, names with spaces, r g b [a], comments; the first of a repeated index wins', () => {
    expect(names(labelListFromText('index\tname\n# comment\n1\tPrecentral_L\n2  Left Hippocampus  10 20 30\n2 Again\n'))).toEqual({ 1: 'Precentral_L', 2: 'Left Hippocampus' });
    expect(labelListFromText('1 A 10 20 30 0\n')?.colors.get(1)).toEqual([10, 20, 30]);
  });

  it('is null for what is not a list of names', () => {
    for (const text of ['', '   ', 'Converted by dcm2niix', '1 A\nsecond line without index', '{"RepetitionTime": 2}', '[1, 2]', '{ "70000": "too big" }', '<xml/>', '1 A\u0001\u0002\u0003\u0004\u0005\u0006']) {
      expect(labelListFromText(text), text).toBeNull();
    }
  });

  it('JSON objects, arrays and LabelTable XML', () => {
    expect(names(labelListFromText('{ "1": "A", "2": { "name": "B" } }'))).toEqual({ 1: 'A', 2: 'B' });
    expect(names(labelListFromText('[{ "index": 1, "name": "A" }, { "key": "2", "label": "B" }]'))).toEqual({ 1: 'A', 2: 'B' });
    expect(names(labelListFromText('<LabelTable><Label Key="3">C &lt;3&gt;</Label></LabelTable>'))).toEqual({ 3: 'C <3>' });
  });

  it('decodes UTF-8, else Latin-1, cut at the first NUL, without a byte-order mark', () => {
    expect(decodeLabelText(new Uint8Array([0xef, 0xbb, 0xbf, 0x31, 0x20, 0xc3, 0xa9, 0, 0x32]))).toBe('1 é');
    expect(decodeLabelText(new Uint8Array([0x31, 0x20, 0xe9, 0]))).toBe('1 é');
    expect(decodeLabelText(new Uint8Array(16))).toBe('');
  });

  it('parseLabelNames: arrays and XML leniently, line files strictly (a broken colour is an error)', () => {
    expect(parseLabelNames('[{ "index": 4, "name": "D" }]', 'a.json')).toMatchObject({ kind: 'ok' });
    expect(parseLabelNames('[{ "index": -1, "name": "D" }]', 'a.json')).toMatchObject({ kind: 'error', code: 'bad-lookup' });
    expect(parseLabelNames('3 Left-Thing 255 0\n', 'bad.txt')).toMatchObject({ kind: 'error', message: expect.stringContaining('line 1') });
  });

  it('meantAsLabelList tells a lookup from a sidecar or a note', () => {
    expect(meantAsLabelList('{ "1": "A" }')).toBe(true);
    expect(meantAsLabelList('1 A')).toBe(true);
    expect(meantAsLabelList('{ "RepetitionTime": 2 }')).toBe(false);
    expect(meantAsLabelList('A note about this atlas.')).toBe(false);
  });
});
