// Label names beside a volume opened by URL: which names are tried, what counts as missing (silent)
// and what as a failure (told), with fetch stubbed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lookupNamesBeside } from './fileGroups';
import { fetchLookupBeside, LOOKUP_BESIDE_MAX_BYTES } from './sources';

function serve(files: Record<string, Response | (() => never)>): string[] {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    asked.push(url);
    const answer = files[new URL(url).pathname];
    if (typeof answer === 'function') return answer();
    return answer ?? new Response('no such file', { status: 404 });
  });
  return asked;
}
const names = lookupNamesBeside('aal.nii.gz');

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('fetchLookupBeside', () => {
  it('tries <stem>.txt, .lut, .json beside the volume in order and takes the first found', async () => {
    const asked = serve({ '/data/aal.lut': new Response('1 Precentral_L\n'), '/data/aal.json': new Response('{}') });
    expect(await fetchLookupBeside('http://h/data/aal.nii.gz?x=1', names)).toEqual({ kind: 'found', name: 'aal.lut', url: 'http://h/data/aal.lut', text: '1 Precentral_L\n' });
    expect(asked).toEqual(['http://h/data/aal.txt', 'http://h/data/aal.lut']);
  });

  it('404, 410 and a single-page app\'s HTML for any path are none, silently', async () => {
    serve({ '/aal.txt': new Response('gone', { status: 410 }), '/aal.lut': new Response('<!doctype html><html></html>', { headers: { 'content-type': 'text/html' } }), '/aal.json': new Response('<!DOCTYPE html>') });
    expect(await fetchLookupBeside('http://h/aal.nii.gz', names)).toEqual({ kind: 'none' });
  });

  it('any other failure is an error to tell, naming the address', async () => {
    serve({ '/aal.txt': new Response('', { status: 500, statusText: 'Internal Server Error' }) });
    expect(await fetchLookupBeside('http://h/aal.nii.gz', names)).toEqual({ kind: 'error', message: 'Fetching http://h/aal.txt failed: HTTP 500 Internal Server Error.' });
    serve({ '/aal.txt': () => { throw new TypeError('Failed to fetch'); } });
    expect(await fetchLookupBeside('http://h/aal.nii.gz', names)).toMatchObject({ kind: 'error', message: expect.stringContaining('Failed to fetch') });
    serve({ '/aal.txt': new Response('1 A', { headers: { 'content-length': String(LOOKUP_BESIDE_MAX_BYTES + 1) } }) });
    expect(await fetchLookupBeside('http://h/aal.nii.gz', names)).toMatchObject({ kind: 'error', message: expect.stringContaining('not read') });
  });
});
