// What the first bytes of a file look like, for the message when no decoder recognises them: a
// URL that answers with a web page (a dev server's fallback for a missing file, a login page)
// must say so, rather than send the user looking at a volume that never arrived.

/** "an HTML page", "JSON", "text", or the first bytes in hex. */
export function describeBytes(bytes: Uint8Array): string {
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3; // UTF-8 byte order mark
  const head = new TextDecoder('latin1').decode(bytes.subarray(start, Math.min(bytes.length, start + 512)));
  const trimmed = head.replace(/^\s+/, '').toLowerCase();
  if (trimmed.startsWith('<!doctype html') || trimmed.startsWith('<html') || /^<(head|body|script|meta|title)\b/.test(trimmed)) return 'an HTML page';
  if (trimmed.startsWith('<?xml') || trimmed.startsWith('<')) return 'XML or HTML markup';
  const plain = (text: string) => [...text].every((ch) => ch === '\t' || ch === '\n' || ch === '\r' || (ch >= ' ' && ch <= '~'));
  if (/^[{[]/.test(trimmed) && plain(head.slice(0, 64))) return 'JSON';
  const sample = bytes.subarray(start, Math.min(bytes.length, start + 256));
  const printable = sample.reduce((n, b) => n + (b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) ? 1 : 0), 0);
  if (sample.length > 0 && printable / sample.length > 0.95) return 'text';
  const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return bytes.length ? `binary data starting ${hex}` : 'nothing (an empty body)';
}

/** Where bytes came from over HTTP, when they did. */
export interface HttpOrigin {
  url: string;
  status: number;
  contentType: string | null;
}

/** The message for bytes no decoder reads: for a URL, its status, content type and what came back. */
export function unknownFormatMessage(name: string, bytes: Uint8Array, formats: string, http?: HttpOrigin): string {
  const kind = describeBytes(bytes);
  if (http) {
    const type = http.contentType ? http.contentType.split(';')[0].trim() : 'no content type';
    const hint = kind === 'an HTML page' ? ' Check the URL: a server that does not have the file often answers with its index or a login page.' : '';
    return `${http.url} answered HTTP ${http.status} (${type}) with ${kind}, not a volume Voxlens reads (${formats}).${hint}`;
  }
  return `${name} is not a format Voxlens reads (${formats}): its first bytes are ${kind}.`;
}
