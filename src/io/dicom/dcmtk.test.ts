// Against an independent reader and encoder, DCMTK (Debian package `dcmtk`): every object
// scripts/makeDicomBreadth.ts writes parses in dcmdump with the attributes the tests rely on, and
// 12-bit JPEG (processes 2 and 4) made by dcmcjpeg from a 12-bit CT decodes as DCMTK's own
// dcmdjpeg decodes it, single-frame and multi-frame with an empty offset table split into 1 KB
// fragments. Skipped where DCMTK is not installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { colourImage, paletteImage, rtDose, secondaryCapture } from '../../../scripts/makeDicomBreadth';
import { ctSeries, enhancedCtObject } from '../../../scripts/makeDicomSeries';
import { loadInNode } from './loadInNode';

const has = (tool: string) => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const HAS_DCMTK = has('dcmdump') && has('dcmcjpeg') && has('dcmdjpeg');
const dir = HAS_DCMTK ? mkdtempSync(join(tmpdir(), 'voxlens-dcmtk-')) : '';
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
const dump = (path: string) => execFileSync('dcmdump', ['-q', '+L', path], { encoding: 'utf8' });

describe.skipIf(!HAS_DCMTK)('DCMTK reads what the generator writes (dcmdump)', () => {
  it('a multi-frame RLE object with an Extended Offset Table', () => {
    const text = dump(write('eot.dcm', secondaryCapture({ frames: 3, encoding: 'rle', fragments: 'extended-offset-table' })));
    expect(text).toMatch(/\(0002,0010\) UI =RLELossless/);
    expect(text).toMatch(/\(7fe0,0001\) OV 0\\\d+\\\d+/);
    expect(text).toMatch(/\(0028,0008\) IS \[3\]/);
  });
  it('an RT Dose with GridFrameOffsetVector and DoseGridScaling', () => {
    const text = dump(write('dose.dcm', rtDose({ offsets: 'absolute' }).bytes));
    expect(text).toMatch(/\(3004,000c\) DS \[30\\32\.5\\35\\37\.5\]/);
    expect(text).toMatch(/\(3004,000e\) DS \[0\.00025\]/);
    expect(text).toMatch(/\(3004,0002\) CS \[GY\]/);
  });
  it('colour and palette images', () => {
    expect(dump(write('ybr.dcm', colourImage({ photometric: 'YBR_FULL_422' })))).toMatch(/\(0028,0004\) CS \[YBR_FULL_422\]/);
    expect(dump(write('rgb.dcm', colourImage({ photometric: 'RGB', encoding: 'rle' })))).toMatch(/\(0002,0010\) UI =RLELossless/);
    const palette = dump(write('palette.dcm', paletteImage()));
    expect(palette).toMatch(/\(0028,1101\) US 16\\10\\16/);
    expect(palette).toMatch(/\(0028,1201\) OW /);
  });
});

describe.skipIf(!HAS_DCMTK)('12-bit JPEG (extended, process 2 and 4) from dcmcjpeg', () => {
  const ct = ctSeries({ dims: [64, 48, 3], seed: 'dcmtk 12-bit' });

  /** Our decode of `encoded`, and DCMTK's (dcmdjpeg back to native, read by our native path). */
  async function both(encoded: string) {
    const back = join(dir, `${encoded}.native.dcm`);
    execFileSync('dcmdjpeg', [join(dir, encoded), back]);
    const ours = await loadInNode([new Uint8Array(readFileSync(join(dir, encoded)))]);
    const theirs = await loadInNode([new Uint8Array(readFileSync(back))]);
    if (ours.kind === 'error') throw new Error(`${ours.code}: ${ours.message}`);
    if (theirs.kind === 'error') throw new Error(theirs.message);
    return { ours: ours.value, theirs: theirs.value };
  }

  it('single-frame files: the transfer syntax is 1.2.840.10008.1.2.4.51, the values are DCMTK’s', async () => {
    const files = [0, 1, 2].map((k) => write(`ct${k}.dcm`, ct.file(k)));
    files.forEach((f, k) => execFileSync('dcmcjpeg', ['+ee', '+q', '100', f, join(dir, `ct${k}.j12.dcm`)]));
    expect(dump(join(dir, 'ct0.j12.dcm'))).toMatch(/\(0002,0010\) UI =JPEGExtended:Process2\+4/);
    for (let k = 0; k < 3; k++) {
      const { ours, theirs } = await both(`ct${k}.j12.dcm`);
      expect(ours.header.dims).toEqual([64, 48, 1]);
      expect(ours.header.dicom?.transferSyntax).toMatch(/JPEG Extended/);
      // Both decoders follow the standard's IDCT but round differently: at most 1 apart, and mostly equal.
      let differ = 0;
      for (let i = 0; i < ours.values.length; i++) {
        const d = Math.abs(Number(ours.values[i]) - Number(theirs.values[i]));
        expect(d).toBeLessThanOrEqual(1);
        if (d) differ++;
      }
      expect(differ).toBeLessThan(ours.values.length * 0.1);
      // And near the original in HU (quality 100, lossy; dcmcjpeg moves the stored range and its RescaleIntercept with it).
      const slice = ct.voxels.subarray(k * 64 * 48, (k + 1) * 64 * 48);
      const hu = (raw: number) => raw * ours.header.slope + ours.header.inter;
      expect(Math.max(...Array.from(slice, (v, i) => Math.abs(v + ct.intercept - hu(Number(ours.values[i])))))).toBeLessThan(16);
    }
  });

  it('a multi-frame object with an empty offset table and several fragments per frame', async () => {
    const path = write('enhanced.dcm', enhancedCtObject(ct));
    execFileSync('dcmcjpeg', ['+ee', '+q', '100', '-ot', '+fs', '1', path, join(dir, 'enhanced.j12.dcm')]);
    const { ours, theirs } = await both('enhanced.j12.dcm');
    expect(ours.header.dims).toEqual([64, 48, 3]);
    for (let i = 0; i < ours.values.length; i++) expect(Math.abs(Number(ours.values[i]) - Number(theirs.values[i]))).toBeLessThanOrEqual(1);
  });
});
