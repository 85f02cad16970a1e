import { fail, formatBytes, ok } from './errors';
import type { ByteSource } from './decodeStream';
import type { FileSpec, SourceSpec } from './worker/protocol';

export function blobSource(blob: Blob, name: string): ByteSource {
  return { name, size: blob.size, open: async () => ok({ stream: blob.stream() as ReadableStream<Uint8Array>, totalBytes: blob.size }) };
}

const baseName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/**
 * The source for a load: its main file, and the files a header in it names (a detached NRRD's data
 * files, a .hdr's .img), found among the files given with it by name, else (for a URL) beside it
 * on the same server.
 */
export function specSource(spec: SourceSpec): ByteSource {
  const base = spec.kind === 'blob' ? blobSource(spec.blob, spec.name) : urlSource(spec.url, spec.name);
  const companions = spec.companions ?? [];
  const single = (c: FileSpec) => (c.kind === 'blob' ? blobSource(c.blob, c.name) : urlSource(c.url, c.name));
  return {
    ...base,
    sibling(name) {
      const wanted = baseName(name);
      const given = companions.find((c) => c.name === name || c.name === wanted) ?? companions.find((c) => c.name.toLowerCase() === wanted.toLowerCase());
      if (given) return single(given);
      if (spec.kind !== 'url') return undefined;
      try {
        const url = new URL(name, spec.url);
        // A header may name files beside it, not on another host.
        if (url.origin !== new URL(spec.url).origin) return undefined;
        return urlSource(url.href, nameFromUrl(url.href));
      } catch {
        return undefined;
      }
    },
  };
}

export function urlSource(url: string, name: string): ByteSource {
  return {
    name,
    async open(signal) {
      let response: Response;
      try {
        response = await fetch(url, { signal });
      } catch (e) {
        if (signal?.aborted) return fail('cancelled', `Loading ${name} was cancelled.`);
        return fail('fetch-failed', await whyFetchFailed(url, e, signal));
      }
      if (!response.ok) return fail('fetch-failed', `Fetching ${url} failed: HTTP ${response.status} ${response.statusText}.`);
      if (!response.body) return fail('fetch-failed', `Fetching ${url} returned no body.`);
      const length = Number(response.headers.get('content-length'));
      // With Content-Encoding the length counts compressed bytes while the body is decoded: unknown total.
      const encoded = response.headers.get('content-encoding');
      const http = { url, status: response.status, contentType: response.headers.get('content-type') };
      return ok({ stream: response.body, totalBytes: length > 0 && !encoded ? length : undefined, http });
    },
  };
}

/**
 * Why a fetch threw (the browser says only "Failed to fetch"). Measured in Chromium under COOP/COEP
 * require-corp: a CORS read needs only `Access-Control-Allow-Origin` from the host (isolation adds no
 * requirement to it), while a no-cors request succeeds only when the host sends
 * `Cross-Origin-Resource-Policy`. So a no-cors probe that succeeds proves the host answered and
 * refused cross-origin reads; one that fails leaves "down" and "refuses" apart only without isolation.
 */
async function whyFetchFailed(url: string, error: unknown, signal?: AbortSignal): Promise<string> {
  const text = error instanceof Error ? error.message : String(error);
  const here = typeof location !== 'undefined' ? location.origin : undefined;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return `Could not fetch ${url}: not a valid URL (${text}).`;
  }
  if (!here || target.origin === here) return `Could not fetch ${url}: the server did not answer (${text}).`;
  const needs = `A volume on another host must be served with \`Access-Control-Allow-Origin: ${here}\` (or \`*\`); \`Cross-Origin-Resource-Policy\` alone is not enough, as Voxlens reads with CORS.`;
  const fix = ' If you cannot change that host, serve the file from the same origin as Voxlens or through a proxy that adds the header.';
  let answered = false;
  try {
    await fetch(url, { mode: 'no-cors', signal });
    answered = true;
  } catch {
    // Down, or (under isolation) answering without Cross-Origin-Resource-Policy: told apart below.
  }
  if (answered) return `${target.host} answered but refuses cross-origin reads: its response has no Access-Control-Allow-Origin header for ${here}. ${needs}${fix}`;
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const cause = isolated
    ? `${target.host} did not answer, or answered without the CORS header (under cross-origin isolation the browser cannot tell which).`
    : `${target.host} did not answer (${text}).`;
  return `Could not fetch ${url}: ${cause} ${needs}${fix}`;
}

/** The file name at the end of a URL, for labels and messages. */
export function nameFromUrl(url: string): string {
  try {
    const path = new URL(url, 'http://x/').pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
  } catch {
    return url;
  }
}

/** A lookup beside a volume larger than this is not a list of names (FreeSurferColorLUT.txt is under 1 MiB). */
export const LOOKUP_BESIDE_MAX_BYTES = 8 * 2 ** 20;

export type LookupBeside = { kind: 'found'; name: string; url: string; text: string } | { kind: 'none' } | { kind: 'error'; message: string };

/**
 * The first of `names` (lookupNamesBeside: `<stem>.txt`, `.lut`, `.json`) found beside the volume at
 * `url`, on its server. 'none' when every one is missing: 404 or 410, or the page a single-page
 * server answers for any path (HTML); 'error' for any other failure, which the caller tells the
 * user without failing the volume's load.
 */
export async function fetchLookupBeside(url: string, names: readonly string[], signal?: AbortSignal): Promise<LookupBeside> {
  for (const name of names) {
    let target: string;
    try {
      target = new URL(encodeURIComponent(name), url).href;
    } catch {
      return { kind: 'none' };
    }
    let response: Response;
    try {
      response = await fetch(target, { signal });
    } catch (e) {
      if (signal?.aborted) return { kind: 'none' };
      return { kind: 'error', message: `Could not fetch ${target}: ${e instanceof Error ? e.message : String(e)}.` };
    }
    if (response.status === 404 || response.status === 410) continue;
    if (!response.ok) return { kind: 'error', message: `Fetching ${target} failed: HTTP ${response.status} ${response.statusText}.` };
    const length = Number(response.headers.get('content-length'));
    if (length > LOOKUP_BESIDE_MAX_BYTES) {
      void response.body?.cancel();
      return { kind: 'error', message: `${name} beside the volume holds ${formatBytes(length)}, more than a list of label names (at most ${formatBytes(LOOKUP_BESIDE_MAX_BYTES)}); it was not read.` };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (e) {
      if (signal?.aborted) return { kind: 'none' };
      return { kind: 'error', message: `Reading ${target} failed: ${e instanceof Error ? e.message : String(e)}.` };
    }
    // A server that answers every path with its app page has no such file.
    if (/html/i.test(response.headers.get('content-type') ?? '') || /^\s*<(!doctype html|html)/i.test(text)) continue;
    return { kind: 'found', name, url: target, text };
  }
  return { kind: 'none' };
}
