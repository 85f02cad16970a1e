// Slices that disagree on RescaleSlope/RescaleIntercept (issue 27): the series is stored as float32
// scaled values, and each slot of the plan carries its own plane's rescale, whatever order the files came in.
import { describe, expect, it } from 'vitest';
import { ctSeries } from '../../../scripts/makeDicomSeries';
import type { ScanResult } from '../worker/dicomProtocol';
import { buildSeries, seriesCandidates } from './series';
import { fileInfo, parseDataSet } from './tags';

/** Rewrites a 2-byte DS value of `tag` (explicit VR little endian) in a Part 10 file. */
function setDs2(bytes: Uint8Array, tag: number, value: string): Uint8Array {
  if (value.length !== 2) throw new Error('two characters');
  const out = bytes.slice();
  const head = [(tag >>> 16) & 0xff, tag >>> 24, tag & 0xff, (tag >>> 8) & 0xff, 0x44, 0x53];
  for (let i = 0; i + 8 < out.length; i++) {
    if (head.every((b, n) => out[i + n] === b)) {
      const len = out[i + 6] | (out[i + 7] << 8);
      if (len !== 2) throw new Error(`DS of length ${len}`);
      out.set([value.charCodeAt(0), value.charCodeAt(1)], i + 8);
      return out;
    }
  }
  throw new Error(`no tag ${tag.toString(16)}`);
}

const RESCALE_SLOPE = 0x00281053;

function scan(files: Uint8Array[]): ScanResult[] {
  return files.map((bytes, file) => {
    const parsed = parseDataSet(bytes, `f${file}`, true);
    if (parsed.kind === 'error') throw new Error(parsed.message);
    const info = fileInfo(parsed.value, file, `f${file}`);
    if (info.kind === 'error') throw new Error(info.message);
    return { kind: 'ok', info: info.value };
  });
}

describe('DICOM series whose slices disagree on rescale', () => {
  const series = ctSeries({ dims: [4, 3, 5], seed: 'rescale test' });
  // Slice k has slope 2 − (k % 2): slopes 2, 1, 2, 1, 2; intercept −1024 everywhere.
  const slices = Array.from({ length: 5 }, (_, k) => (k % 2 ? series.file(k) : setDs2(series.file(k), RESCALE_SLOPE, '2 ')));

  it('become float32 scaled values, with each slot carrying its own slice rescale (files in any order)', () => {
    const order = [3, 0, 4, 1, 2];
    const { candidates } = seriesCandidates(scan(order.map((k) => slices[k])));
    expect(candidates).toHaveLength(1);
    const built = buildSeries(candidates[0]);
    if (built.kind === 'error') throw new Error(built.message);
    const { header, plan, bytes } = built.value;
    expect(header.datatype).toBe('float32');
    expect(plan.datatype).toBe('float32');
    // The scaled values are stored: the header scales no further.
    expect([header.slope, header.inter]).toEqual([1, 0]);
    expect(bytes).toBe(4 * 3 * 5 * 4);
    // Slot k (ascending position) holds slice k, from file order.indexOf(k), with slope 2 − (k % 2).
    expect(plan.slices.map((s) => [s.slot, s.file])).toEqual([0, 1, 2, 3, 4].map((k) => [k, order.indexOf(k)]));
    expect(plan.rescale).toEqual([0, 1, 2, 3, 4].map((k) => ({ slope: 2 - (k % 2), intercept: -1024 })));
    expect(header.notices?.join(' ')).toMatch(/disagree on RescaleSlope\/RescaleIntercept \(2 different, e\.g\. 2×\+-1024, 1×\+-1024\): Voxlens stores the rescaled values as float32/);
  });

  it('when every slice agrees the stored type stays and the header carries the rescale', () => {
    const { candidates } = seriesCandidates(scan([0, 1, 2, 3, 4].map((k) => series.file(k))));
    const built = buildSeries(candidates[0]);
    if (built.kind === 'error') throw new Error(built.message);
    expect(built.value.header.datatype).toBe('uint16');
    expect([built.value.header.slope, built.value.header.inter]).toEqual([1, -1024]);
    expect(built.value.plan.rescale).toBeUndefined();
    expect(built.value.bytes).toBe(4 * 3 * 5 * 2);
  });
});
