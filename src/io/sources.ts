import { fail, ok } from './errors';
import type { ByteSource } from './decodeStream';

export function blobSource(blob: Blob, name: string): ByteSource {
  return { name, open: async () => ok({ stream: blob.stream() as ReadableStream<Uint8Array>, totalBytes: blob.size }) };
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
        return fail(
          'fetch-failed',
          `Could not fetch ${url} (${e instanceof Error ? e.message : String(e)}). A volume on another host must be served ` +
            'with CORS and Cross-Origin-Resource-Policy headers, because Voxlens runs cross-origin isolated.',
        );
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

/** The file name at the end of a URL, for labels and messages. */
export function nameFromUrl(url: string): string {
  try {
    const path = new URL(url, 'http://x/').pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || url;
  } catch {
    return url;
  }
}
