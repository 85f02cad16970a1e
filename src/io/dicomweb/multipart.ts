// WADO-RS answers with multipart/related bodies (PS3.18 §8.6): each part one DICOM instance or
// frame. This returns the parts' bytes as views into the body (no copies).

/** The boundary named in a Content-Type header, or null when it is not multipart. */
export function multipartBoundary(contentType: string | null): string | null {
  if (!contentType || !/^multipart\//i.test(contentType.trim())) return null;
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  for (let i = hay.indexOf(first, from); i !== -1 && i <= hay.length - needle.length; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** The bodies of every part, in order; an empty list when the body holds no complete part. */
export function multipartParts(body: Uint8Array, boundary: string): Uint8Array[] {
  const delimiter = ascii(`--${boundary}`);
  const parts: Uint8Array[] = [];
  let at = indexOf(body, delimiter, 0);
  while (at !== -1) {
    const afterDelimiter = at + delimiter.length;
    // "--boundary--" closes the body.
    if (body[afterDelimiter] === 0x2d && body[afterDelimiter + 1] === 0x2d) break;
    const headersEnd = indexOf(body, ascii('\r\n\r\n'), afterDelimiter);
    if (headersEnd === -1) break;
    const start = headersEnd + 4;
    const next = indexOf(body, ascii(`\r\n--${boundary}`), start);
    if (next === -1) break;
    parts.push(body.subarray(start, next));
    at = next + 2;
  }
  return parts;
}
