// A series planned from DICOMweb metadata (transfer syntax unknown, bulk data such as a palette's
// tables left out), then each instance decoded with the format instanceFormat gives from its own bytes.
import { describe, expect, it } from 'vitest';
import { colourImage, paletteEntry, paletteImage, rgbToYbrFull, rgbValue } from '../../../scripts/makeDicomBreadth';
import { instanceFormat } from './instanceFormat';
import { scanInNode } from './loadInNode';
import { decodeFrameAsync } from './pixels';
import { ybrFullToRgb } from './pixels/colour';
import { buildSeries, seriesCandidates } from './series';
import { framePixels, parseDataSet } from './tags';
import type { DicomFileInfo } from './types';

/** The instance's header as the metadata gives it: no transfer syntax, no palette tables. */
const asMetadata = (info: DicomFileInfo): DicomFileInfo => ({ ...info, transferSyntax: '', pixel: { ...info.pixel, palette: undefined } });

async function viaMetadata(bytes: Uint8Array) {
  const [scanned] = scanInNode([bytes]);
  if (scanned.kind !== 'ok') throw new Error('scan');
  const real = scanned.info;
  const planned = asMetadata(real);
  const built = buildSeries(seriesCandidates([{ kind: 'ok', info: planned }]).candidates[0]);
  if (built.kind === 'error') return { built };
  const format = instanceFormat(planned, real, built.value.plan.format);
  if (format.kind === 'error') return { built, format };
  const ds = parseDataSet(bytes, 'x', false);
  if (ds.kind === 'error') throw new Error(ds.message);
  const src = framePixels(ds.value, real, 0);
  if (src.kind === 'error') throw new Error(src.message);
  const slot = new Uint8Array(built.value.bytes);
  const decoded = await decodeFrameAsync(real.transferSyntax, src.value, slot, format.value);
  return { built, format, decoded, slot };
}

describe('colour from DICOMweb metadata', () => {
  it('PALETTE COLOR is planned as rgb24 without its tables, and each instance decodes through its own', async () => {
    const r = await viaMetadata(paletteImage());
    expect(r.built.kind === 'ok' && r.built.value.header.datatype).toBe('rgb24');
    expect(r.decoded?.kind).toBe('ok');
    for (let j = 0; j < 4; j++) for (let i = 0; i < 8; i++) expect(Array.from(r.slot!.subarray((j * 8 + i) * 3, (j * 8 + i) * 3 + 3))).toEqual(paletteEntry((i + j) % 16).map((v) => v >> 8));
  });

  it('native YBR_FULL, planned as a codec’s RGB, decodes with its own conversion', async () => {
    const r = await viaMetadata(colourImage({ photometric: 'YBR_FULL' }));
    expect(r.format?.kind === 'ok' && r.format.value.photometric).toBe('YBR_FULL');
    for (let j = 0; j < 6; j++) for (let i = 0; i < 8; i++) expect(Array.from(r.slot!.subarray((j * 8 + i) * 3, (j * 8 + i) * 3 + 3))).toEqual(ybrFullToRgb(...rgbToYbrFull(rgbValue(i, j))));
  });

  it('refuses an instance whose grid or colour disagrees with the plan, naming it', () => {
    const [a] = scanInNode([colourImage({ photometric: 'RGB' })]);
    const [b] = scanInNode([paletteImage()]);
    if (a.kind !== 'ok' || b.kind !== 'ok') throw new Error('scan');
    const planned = asMetadata(a.info);
    expect(instanceFormat(planned, { ...a.info, planes: [{ ...a.info.planes[0], rows: 7 }] }, a.info.pixel)).toMatchObject({ kind: 'error', code: 'bad-header', message: expect.stringMatching(/metadata gives Rows 6, the instance itself 7/) });
    expect(instanceFormat(asMetadata(b.info), b.info, { ...b.info.pixel, photometric: 'MONOCHROME2' })).toMatchObject({ kind: 'error', code: 'unsupported-format', message: expect.stringMatching(/decodes to PALETTE COLOR, not the MONOCHROME2/) });
  });

  it('16-bit YBR meeting a 16-bit RGB plan is refused as a colour mismatch (only 8-bit YBR shares the RGB slot)', () => {
    const [rgb16] = scanInNode([colourImage({ photometric: 'RGB', bits: 16 })]);
    if (rgb16.kind !== 'ok') throw new Error('scan');
    const planned = asMetadata(rgb16.info);
    const ybr16 = { ...rgb16.info, pixel: { ...rgb16.info.pixel, photometric: 'YBR_FULL' } };
    const refused = instanceFormat(planned, ybr16, rgb16.info.pixel);
    expect(refused).toEqual({
      kind: 'error',
      code: 'unsupported-format',
      message: `${planned.name}: stored as YBR_FULL in Explicit VR Little Endian, which decodes to YBR_FULL, not the RGB the series was planned with.`,
    });
    // And the other way round: a 16-bit RGB instance in a series planned as 16-bit YBR.
    expect(instanceFormat(planned, rgb16.info, ybr16.pixel)).toMatchObject({ kind: 'error', code: 'unsupported-format', message: expect.stringMatching(/decodes to RGB, not the YBR_FULL the series/) });
    // The 8-bit pair is accepted, decoded with the instance's own YBR conversion.
    const [ybr8] = scanInNode([colourImage({ photometric: 'YBR_FULL' })]);
    if (ybr8.kind !== 'ok') throw new Error('scan');
    expect(instanceFormat(asMetadata(ybr8.info), ybr8.info, { ...ybr8.info.pixel, photometric: 'RGB' })).toMatchObject({ kind: 'ok', value: { photometric: 'YBR_FULL' } });
  });

  it('which colour shares the rgb24 slot: 8-bit RGB, YBR_FULL and YBR_FULL_422 (padded or not), three samples, and both sides of the pair', () => {
    const [ybr8] = scanInNode([colourImage({ photometric: 'YBR_FULL' })]);
    const [ybr422] = scanInNode([colourImage({ photometric: 'YBR_FULL_422' })]);
    if (ybr8.kind !== 'ok' || ybr422.kind !== 'ok') throw new Error('scan');
    const rgbPlan = { ...ybr8.info.pixel, photometric: 'RGB' };
    expect(instanceFormat(asMetadata(ybr422.info), ybr422.info, rgbPlan)).toMatchObject({ kind: 'ok', value: { photometric: 'YBR_FULL_422' } });
    // CS values come padded with a space, or in lower case from some writers.
    const padded = { ...ybr8.info, pixel: { ...ybr8.info.pixel, photometric: 'ybr_full ' } };
    expect(instanceFormat(asMetadata(ybr8.info), padded, rgbPlan).kind).toBe('ok');
    // Only one side in the family (a plan of another colour model): refused.
    expect(instanceFormat(asMetadata(ybr8.info), ybr8.info, { ...rgbPlan, photometric: 'HSV' })).toMatchObject({ kind: 'error', code: 'unsupported-format', message: expect.stringMatching(/decodes to YBR_FULL, not the HSV the series/) });
    // One sample called YBR_FULL is not colour: no rgb24 slot for it.
    const oneSample = { ...ybr8.info, pixel: { ...ybr8.info.pixel, samplesPerPixel: 1 } };
    expect(instanceFormat(asMetadata(oneSample), oneSample, { ...oneSample.pixel, photometric: 'RGB' })).toMatchObject({ kind: 'error', code: 'unsupported-format', message: expect.stringMatching(/decodes to YBR_FULL, not the RGB the series/) });
  });

  it('names an unknown transfer syntax by its UID, and passes on the pixel format’s own refusal with the instance’s name', () => {
    const [rgb16] = scanInNode([colourImage({ photometric: 'RGB', bits: 16 })]);
    if (rgb16.kind !== 'ok') throw new Error('scan');
    const planned = asMetadata(rgb16.info);
    const odd = { ...rgb16.info, transferSyntax: '1.2.3.4.5', pixel: { ...rgb16.info.pixel, photometric: 'YBR_FULL' } };
    expect(instanceFormat(planned, odd, rgb16.info.pixel)).toMatchObject({ kind: 'error', message: expect.stringContaining('stored as YBR_FULL in 1.2.3.4.5, which decodes') });
    // Planned and stored alike as 16-bit YBR_FULL: the same photometric, refused by the pixel format itself.
    const ybr16 = { ...rgb16.info, pixel: { ...rgb16.info.pixel, photometric: 'YBR_FULL' } };
    const refused = instanceFormat(planned, ybr16, ybr16.pixel);
    expect(refused).toMatchObject({ kind: 'error', code: 'unsupported-format', message: expect.stringMatching(/YBR_FULL with BitsAllocated 16/) });
    expect(refused.kind === 'error' && refused.message.startsWith(`${planned.name}: `)).toBe(true);
  });
});
