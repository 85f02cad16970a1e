// Issue 22's objects end to end in Node (header → series → plan → decoded voxels): geometry-less
// images, RT Dose grids, duplicates and multi-volume series. Values are checked at every voxel
// against the generators' formulas (scripts/makeDicomBreadth.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colourImage, paletteEntry, paletteImage, rgb16Value, rgbToYbrFull, rgbValue, SECONDARY_CAPTURE_STORAGE, greyValue, rtDose, SC_IMAGER_SPACING, SC_PIXEL_SPACING, secondaryCapture, imageObject, MR_IMAGE_STORAGE, RLE_LOSSLESS } from '../../../scripts/makeDicomBreadth';
import { ctSeries, ds, uidFrom, type DicomElement } from '../../../scripts/makeDicomSeries';
import { voxelToWorld } from '../../volume/affine';
import { ybrFullToRgb } from './pixels/colour';
import { encodeRle } from './pixels/testEncoders';
import { loadInNode, scanInNode } from './loadInNode';
import { hasSharedData, SHARED_DATA_DIR } from '../../testing/sharedData';
import { buildSeries, seriesCandidates } from './series';

async function load(files: Uint8Array[], key?: string) {
  const r = await loadInNode(files, key);
  if (r.kind === 'error') throw new Error(`${r.code}: ${r.message}`);
  return r.value;
}

describe('images without patient geometry', () => {
  it('a single secondary capture is a 2D image at its PixelSpacing, exact values, with a notice', async () => {
    const { header, values } = await load([secondaryCapture({ columns: 12, rows: 10 })]);
    expect(header.dims).toEqual([12, 10, 1]);
    // Columns 0.25 mm apart along i, rows 0.5 mm along j: column 0 on the left, row 0 at the top in the axial pane.
    expect(header.affine).toEqual([-SC_PIXEL_SPACING[1], 0, 0, 0, 0, -SC_PIXEL_SPACING[0], 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    for (let j = 0; j < 10; j++) for (let i = 0; i < 12; i++) expect(values[j * 12 + i]).toBe(greyValue(i, j, 0));
    expect(header.notices?.join(' ')).toMatch(/no patient geometry \(no ImageOrientationPatient\): shown as a 2D image at PixelSpacing 0\.25 × 0\.5 mm/);
    // Flagged, so the panes draw no A/P/R/L letters (SingleSliceNote.tsx patientDirectionsKnown).
    expect(header.dicom?.noPatientGeometry).toBe(true);
  });

  it('a multi-frame one becomes frames (cine rate from FrameTime), ImagerPixelSpacing when PixelSpacing is absent', async () => {
    const { header, values } = await load([secondaryCapture({ frames: 5, spacing: 'imager' })]);
    expect(header.dims).toEqual([12, 10, 1, 5]);
    expect(header.frameSeconds).toBeCloseTo(0.04);
    expect(header.dicom?.frameAxis).toBe('frame');
    expect(header.affine[0]).toBe(-SC_IMAGER_SPACING[1]);
    for (let f = 0; f < 5; f++) expect(values[f * 120 + 3 * 12 + 7]).toBe(greyValue(7, 3, f));
    expect(header.notices?.join(' ')).toMatch(/2D image of 5 frames at ImagerPixelSpacing 0\.2 × 0\.2 mm \(no PixelSpacing\)/);
  });

  it('without any spacing: 1 mm, said so', async () => {
    const { header } = await load([secondaryCapture({ spacing: 'none' })]);
    expect(header.affine[0]).toBe(-1);
    expect(header.notices?.join(' ')).toMatch(/1 × 1 mm \(neither PixelSpacing nor ImagerPixelSpacing is given\)/);
  });

  it('multi-frame RLE and JPEG Lossless with an empty offset table load every frame', async () => {
    for (const encoding of ['rle', 'jpeg-lossless'] as const) {
      const { header, values } = await load([secondaryCapture({ frames: 3, encoding, columns: 9, rows: 7 })]);
      expect(header.dims).toEqual([9, 7, 1, 3]);
      for (let f = 0; f < 3; f++) for (let j = 0; j < 7; j++) for (let i = 0; i < 9; i++) expect(values[f * 63 + j * 9 + i]).toBe(greyValue(i, j, f));
    }
  });
});

describe('colour', () => {
  const rgbAt = (values: unknown, columns: number, i: number, j: number) => Array.from({ length: 3 }, (_, c) => (values as Uint8Array | Uint16Array)[(j * columns + i) * 3 + c]);
  const every = (f: (i: number, j: number) => void) => {
    for (let j = 0; j < 6; j++) for (let i = 0; i < 8; i++) f(i, j);
  };

  it('RGB native (interleaved and planar) and RLE load as rgb24 with exact components', async () => {
    for (const opts of [{ planar: false }, { planar: true }, { encoding: 'rle' as const }]) {
      const { header, values } = await load([colourImage({ photometric: 'RGB', ...opts })]);
      expect(header.datatype).toBe('rgb24');
      every((i, j) => expect(rgbAt(values, 8, i, j)).toEqual(rgbValue(i, j)));
    }
  });

  it('YBR_FULL (native, RLE) and YBR_FULL_422 (native) are converted to RGB (within the rounding of the YBR bytes)', async () => {
    for (const [photometric, encoding] of [['YBR_FULL', 'native'], ['YBR_FULL', 'rle'], ['YBR_FULL_422', 'native']] as const) {
      const { header, values } = await load([colourImage({ photometric, encoding })]);
      expect(header.datatype).toBe('rgb24');
      every((i, j) => {
        // 4:2:2 gives each pair its left pixel's chroma: the right pixel's colour is the left's chroma with its own luma.
        const [y] = rgbToYbrFull(rgbValue(i, j));
        const [, cb, cr] = rgbToYbrFull(rgbValue(photometric === 'YBR_FULL_422' ? i - (i % 2) : i, j));
        expect(rgbAt(values, 8, i, j)).toEqual(ybrFullToRgb(y, cb, cr));
        if (photometric === 'YBR_FULL') rgbAt(values, 8, i, j).forEach((v, c) => expect(Math.abs(v - rgbValue(i, j)[c])).toBeLessThanOrEqual(2));
      });
    }
  });

  it('PALETTE COLOR goes through its tables (16-bit entries: their high byte)', async () => {
    const { header, values } = await load([paletteImage()]);
    expect(header.datatype).toBe('rgb24');
    for (let j = 0; j < 4; j++) for (let i = 0; i < 8; i++) expect(rgbAt(values, 8, i, j)).toEqual(paletteEntry((i + j) % 16).map((v) => v >> 8));
  });

  it('16-bit RGB (native interleaved and planar, RLE) loads as rgb48 with exact components, windowed over BitsStored', async () => {
    for (const opts of [{ planar: false }, { planar: true }, { encoding: 'rle' as const }]) {
      const { header, values } = await load([colourImage({ photometric: 'RGB', bits: 16, ...opts })]);
      expect(header.datatype).toBe('rgb48');
      expect(values).toBeInstanceOf(Uint16Array);
      every((i, j) => expect(rgbAt(values, 8, i, j), JSON.stringify(opts)).toEqual(rgb16Value(i, j)));
      expect(header.displayRange).toEqual([0, 65535]);
    }
  });

  it('16-bit YBR_FULL is refused by name: its conversion works on 8-bit components', async () => {
    const bytes = imageObject({ sopClassUid: SECONDARY_CAPTURE_STORAGE, sopInstanceUid: uidFrom('ybr16'), seriesUid: uidFrom('ybr16 series'), modality: 'OT', rows: 2, columns: 2, frames: 1, bitsAllocated: 16, samplesPerPixel: 3, photometric: 'YBR_FULL', pixels: new Uint8Array(24) });
    const r = await loadInNode([bytes]);
    expect(r).toMatchObject({ kind: 'error', code: 'unsupported-format' });
    expect(r.kind === 'error' && r.message).toMatch(/file0\.dcm: .*YBR_FULL with BitsAllocated 16: YBR_FULL is converted to RGB from 8-bit components/);
  });
});

describe('MONOCHROME1', () => {
  it('is flagged for an inverted display, with a notice; the values stay as stored', async () => {
    const scanned = seriesCandidates(scanInNode([secondaryCapture({ photometric: 'MONOCHROME1' })]));
    const built = buildSeries(scanned.candidates[0]);
    if (built.kind === 'error') throw new Error(built.message);
    expect(built.value.monochrome1).toBe(true);
    expect(built.value.header.notices?.join(' ')).toMatch(/MONOCHROME1 \(the lowest value is white\): shown inverted/);
    const { values } = await load([secondaryCapture({ photometric: 'MONOCHROME1' })]);
    expect(values[5 * 12 + 4]).toBe(greyValue(4, 5, 0));
    const plain = buildSeries(seriesCandidates(scanInNode([secondaryCapture()])).candidates[0]);
    expect(plain.kind === 'ok' && plain.value.monochrome1).toBe(false);
  });
});

describe('RT Dose', () => {
  for (const offsets of ['relative', 'absolute'] as const) {
    it(`is a 3D grid in Gy, its planes placed by GridFrameOffsetVector (${offsets})`, async () => {
      const dose = rtDose({ offsets });
      const { header, values } = await load([dose.bytes]);
      const [nx, ny, nz] = dose.dims;
      expect(header.dims).toEqual([nx, ny, nz]);
      expect(header.slope).toBe(dose.scaling);
      expect(header.inter).toBe(0);
      expect(header.dicom?.valueUnit).toBe('Gy');
      expect(header.dicom?.modality).toBe('RTDOSE');
      expect(header.dicom?.noPatientGeometry).toBeUndefined();
      for (let k = 0; k < nz; k++) {
        for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) expect(values[(k * ny + j) * nx + i]).toBe(dose.raw(i, j, k));
        // Voxel (i, j, k) lies at the plane's position + i columns + j rows (LPS → RAS).
        const [x, y, z] = dose.position(k);
        expect(Array.from(voxelToWorld(header.affine, [2, 3, k]))).toEqual([-(x + 2 * dose.pixelSpacing[1]), -(y + 3 * dose.pixelSpacing[0]), z].map((v) => expect.closeTo(v, 6)));
      }
    });
  }

  it('refuses a GridFrameOffsetVector without one value per frame, naming the object', async () => {
    const dose = rtDose({ offsets: 'relative' });
    // Cut the vector "0\2.5\5\7.5" to "0\2.5\5" padded: the file stays valid DICOM.
    const text = new TextDecoder('latin1').decode(dose.bytes);
    const at = text.indexOf('0\\2.5\\5\\7.5');
    const bytes = dose.bytes.slice();
    bytes.set(new TextEncoder().encode('0\\2.5\\5    '), at);
    const scanned = scanInNode([bytes]);
    expect(scanned[0]).toMatchObject({ kind: 'skipped', error: { code: 'bad-header' } });
    expect(scanned[0].kind === 'skipped' && scanned[0].error.message).toMatch(/file0\.dcm: GridFrameOffsetVector \(3004,000C\) must hold one number per frame \(4\)/);
  });
});

describe('duplicates and multi-volume series', () => {
  const ct = ctSeries({ dims: [8, 6, 4], seed: 'breadth duplicates' });
  const files = Array.from({ length: 4 }, (_, k) => ct.file(k));

  /** The same instance re-encoded as RLE: same SOPInstanceUID, another transfer syntax. */
  function rleCopy(k: number): Uint8Array {
    const sliceBytes = new Uint8Array(ct.voxels.buffer, k * 96, 96);
    return imageObject({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: uidFrom(`breadth duplicates instance 8x6x4 ${k}`),
      seriesUid: ct.seriesUid,
      studyUid: ct.studyUid,
      modality: 'CT',
      rows: 6,
      columns: 8,
      frames: 1,
      bitsAllocated: 16,
      bitsStored: 12,
      photometric: 'MONOCHROME2',
      pixels: { fragments: [encodeRle(sliceBytes, 2, 1)] },
      transferSyntaxUid: RLE_LOSSLESS,
      instanceNumber: k + 1,
      extra: [
        { tag: 0x00200032, vr: 'DS', value: ct.position(k).map(ds) },
        { tag: 0x00200037, vr: 'DS', value: ['1', '0', '0', '0', '1', '0'] },
        { tag: 0x00280030, vr: 'DS', value: [ds(ct.pixelSpacing), ds(ct.pixelSpacing)] },
        { tag: 0x00281052, vr: 'DS', value: '-1024' },
        { tag: 0x00281053, vr: 'DS', value: '1' },
      ],
    });
  }

  it('copies of one SOPInstanceUID are dropped (the native copy kept), with a notice; the picker counts each image once', async () => {
    const drop = [...files.map((_, k) => rleCopy(k)), ...files, ...files.map((f) => f.slice())];
    const scanned = seriesCandidates(scanInNode(drop));
    expect(scanned.candidates).toHaveLength(1);
    expect(scanned.candidates[0].imageCount).toBe(4);
    expect(scanned.candidates[0].files.map((f) => f.transferSyntax.replace(/\0/g, ''))).toEqual(Array(4).fill('1.2.840.10008.1.2.1'));
    const { header, values } = await load(drop);
    expect(header.dims).toEqual([8, 6, 4]);
    expect(Array.from(values as Uint16Array)).toEqual(Array.from(ct.voxels));
    expect(header.notices?.join(' ')).toMatch(/8 files dropped as duplicates: the same SOPInstanceUID/);
  });

  /** Two echoes of a small MR stack: distinct instances at the same positions, EchoTime 10 and 30 ms. */
  function echo(k: number, e: number, withEchoTime: boolean): Uint8Array {
    const extra: DicomElement[] = [
      { tag: 0x00200032, vr: 'DS', value: ['0', '0', String(k * 3)] },
      { tag: 0x00200037, vr: 'DS', value: ['1', '0', '0', '0', '1', '0'] },
      { tag: 0x00280030, vr: 'DS', value: ['1', '1'] },
      ...(withEchoTime ? ([{ tag: 0x00180081, vr: 'DS', value: String(10 + 20 * e) }] as DicomElement[]) : []),
    ];
    return imageObject({
      sopClassUid: MR_IMAGE_STORAGE,
      sopInstanceUid: uidFrom(`echo ${withEchoTime} ${k} ${e}`),
      seriesUid: uidFrom(`echo series ${withEchoTime}`),
      modality: 'MR',
      rows: 2,
      columns: 2,
      frames: 1,
      bitsAllocated: 16,
      photometric: 'MONOCHROME2',
      pixels: new Uint8Array(new Uint16Array([k, e, 7, 100 * e + k]).buffer),
      instanceNumber: e * 3 + k + 1,
      extra,
    });
  }

  it('distinct instances at one position become frames named from the tag that differs', async () => {
    const { header, values } = await load([0, 1, 2].flatMap((k) => [echo(k, 0, true), echo(k, 1, true)]));
    expect(header.dims).toEqual([2, 2, 3, 2]);
    expect(header.dicom?.frameAxis).toBe('echo time');
    expect(values[12 + 2 * 4 + 3]).toBe(102);
  });

  it('when no temporal, echo or diffusion tag differs they are still frames, and the notice says why', async () => {
    const { header } = await load([0, 1, 2].flatMap((k) => [echo(k, 0, false), echo(k, 1, false)]));
    expect(header.dims).toEqual([2, 2, 3, 2]);
    expect(header.dicom?.frameAxis).toBeUndefined();
    expect(header.notices?.join(' ')).toMatch(/2 different images \(distinct SOPInstanceUIDs\) lie at each slice position, and no temporal, echo or diffusion tag/);
  });
});

describe.skipIf(!hasSharedData)('real data: a series dropped with its re-encoded copies', () => {
  const dir = (name: string) => join(SHARED_DATA_DIR, 'dicom', name);
  const read = (name: string) => readdirSync(dir(name)).sort().map((f) => new Uint8Array(readFileSync(join(dir(name), f))));
  it('the 14-slice CT with its JPEG-LS and JPEG 2000 copies opens as 14 slices, native values, 28 dropped', async () => {
    const native = read('philips_ct_head_phantom');
    const drop = [...read('philips_ct_head_phantom_jpegls'), ...native, ...read('philips_ct_head_phantom_j2k')];
    const scanned = seriesCandidates(scanInNode(drop));
    expect(scanned.candidates.map((c) => c.imageCount)).toEqual([14]);
    expect(new Set(scanned.candidates[0].files.map((f) => f.transferSyntax.replace(/\0/g, '')))).toEqual(new Set(['1.2.840.10008.1.2.1']));
    const both = await load(drop);
    const alone = await load(native);
    expect(both.header.dims).toEqual([512, 512, 14]);
    expect(both.header.notices?.join(' ')).toMatch(/28 files dropped as duplicates/);
    expect(Array.from(both.values as Uint16Array).every((v, i) => v === alone.values[i])).toBe(true);
  }, 60_000);
});
