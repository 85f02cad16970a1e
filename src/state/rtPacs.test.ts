import { afterEach, describe, expect, it, vi } from 'vitest';
import { rtCt, rtStructObject } from '../../scripts/makeDicomRt';
import { useRtStore } from './rtStore';
import { openPacsAny, pacsOpenPath } from './rtPacs';
import { useViewerStore, type LayerMeta } from './viewerStore';

describe('pacsOpenPath', () => {
  it('opens SEG and RTSTRUCT as RT objects, everything else (RTDOSE too) as images', () => {
    expect(['SEG', 'RTSTRUCT', 'seg ', 'CT', 'RTDOSE', 'MR', undefined].map(pacsOpenPath)).toEqual(['rt', 'rt', 'rt', 'images', 'images', 'images', 'images']);
  });
});

describe('openPacsAny', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('an RTSTRUCT series opens as a structure set and resolves to the layer of the series it refers to', async () => {
    const ct = rtCt();
    const bytes = rtStructObject(ct);
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      asked.push(url);
      const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/dicom+json' } });
      if (url.endsWith('/series?includefield=00201209')) return json([{ '0020000E': { Value: ['1.2.rt'] }, '00080060': { Value: ['RTSTRUCT'] } }]);
      if (url.endsWith('/series/1.2.rt/instances')) return json([{ '00080018': { Value: ['1.2.rt.1'] } }]);
      if (url.endsWith('/instances/1.2.rt.1')) return new Response(bytes.slice(), { headers: { 'content-type': 'application/dicom' } });
      return new Response('', { status: 404 });
    });
    // Its CT is open: nothing more is fetched.
    const ctLayer = { id: 'ct', dicom: { seriesUid: ct.seriesUid, transferSyntax: 'x', images: ct.dims[2] }, display: { visible: true } } as unknown as LayerMeta;
    useViewerStore.setState({ layers: [ctLayer] });
    const r = await openPacsAny('http://pacs', '1.2.study', '1.2.rt');
    expect(r.kind === 'ok' && r.value.layer.id).toBe('ct');
    expect(r.kind === 'ok' && r.value.structureSets.length).toBe(1);
    expect(useRtStore.getState().structures.map((s) => s.name)).toEqual(['PTV square', 'Circle organ']);
    expect(asked).toEqual(['http://pacs/studies/1.2.study/series?includefield=00201209', 'http://pacs/studies/1.2.study/series/1.2.rt/instances', 'http://pacs/studies/1.2.study/series/1.2.rt/instances/1.2.rt.1']);
  });
});
