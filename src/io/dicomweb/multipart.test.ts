import { describe, expect, it } from 'vitest';
import { multipartBoundary, multipartParts } from './multipart';

const enc = (s: string) => new TextEncoder().encode(s);

describe('multipart/related (WADO-RS)', () => {
  it('finds the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/related; type="application/dicom"; boundary=abc123')).toBe('abc123');
    expect(multipartBoundary('multipart/related; boundary="q-b"; type="application/dicom"')).toBe('q-b');
    expect(multipartBoundary('application/dicom')).toBeNull();
  });

  it('returns each part\'s bytes, binary content intact', () => {
    const binary = new Uint8Array([0, 13, 10, 45, 45, 255]);
    const body = new Uint8Array([
      ...enc('--b1\r\nContent-Type: application/dicom\r\n\r\n'),
      ...binary,
      ...enc('\r\n--b1\r\nContent-Type: application/dicom\r\n\r\nsecond\r\n--b1--\r\n'),
    ]);
    const parts = multipartParts(body, 'b1');
    expect(parts.map((p) => Array.from(p))).toEqual([Array.from(binary), Array.from(enc('second'))]);
  });

  it('a body cut short gives the complete parts only', () => {
    expect(multipartParts(enc('--b\r\nX: y\r\n\r\npart one\r\n--b\r\nX: y\r\n\r\ncut'), 'b').length).toBe(1);
  });
});
